//! The demo practice's marker: a "DEMO" badge next to the app's name and,
//! above every page, a bar saying that this is the demo, with "Reset demo"
//! (a fresh demo practice) and "Leave demo" (back to the real data).

use crate::ui::components::ErrorBanner;
use crate::ui::services::{change, failure, use_services};
use leptos::prelude::*;

/// "DEMO", next to the app's name while the demo practice is open.
#[component]
pub fn DemoBadge() -> impl IntoView {
    let services = use_services();
    view! {
        <Show when=move || services.demo.get()>
            <span class="demo-badge" data-testid="demo-badge">
                "DEMO"
            </span>
        </Show>
    }
}

#[component]
pub fn DemoBar() -> impl IntoView {
    let services = use_services();
    let reset =
        change(|store, (): ()| async move { store.replace_everything(&crate::ui::demo::practice()).await });
    let reset_error = failure(reset);
    view! {
        <Show when=move || services.demo.get()>
            <div class="demo-bar" role="region" aria-label="Demo mode">
                <span class="demo-badge">"DEMO"</span>
                <span class="demo-text">
                    "You are exploring a demo practice with made-up clients. Changes stay in the demo; your own data is untouched and comes back when you leave."
                </span>
                <span class="demo-actions">
                    <button
                        type="button"
                        class="btn"
                        disabled=move || reset.pending().get()
                        on:click=move |_| {
                            reset.dispatch_local(());
                        }
                    >
                        "Reset demo"
                    </button>
                    <button type="button" class="btn primary" on:click=move |_| services.leave_demo()>
                        "Leave demo"
                    </button>
                </span>
            </div>
            {move || reset_error.get().map(|e| view! { <ErrorBanner error=e /> })}
        </Show>
    }
}
