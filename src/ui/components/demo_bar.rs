//! The demo practice's marker: a "DEMO" badge next to the app's name and,
//! above every page, a bar saying that this is the demo, with "Reset demo"
//! (a fresh demo practice) and "Leave demo" (back to the real data).

use crate::i18n::{t, Key};
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
                {t(Key::DemoBadge)}
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
            <div class="demo-bar" role="region" aria-label=t(Key::DemoMode)>
                <span class="demo-badge">{t(Key::DemoBadge)}</span>
                <span class="demo-text">
                    {t(Key::DemoExplained)}
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
                        {t(Key::ResetDemo)}
                    </button>
                    <button type="button" class="btn primary" on:click=move |_| services.leave_demo()>
                        {t(Key::LeaveDemo)}
                    </button>
                </span>
            </div>
            {move || reset_error.get().map(|e| view! { <ErrorBanner error=e /> })}
        </Show>
    }
}
