//! Demo practice: a made-up firm in a separate database, to show or try
//! Clientbook without touching the practitioner's data (`ui::demo`).

use crate::domain::demo::DemoSize;
use crate::ui::services::use_services;
use leptos::prelude::*;

#[component]
pub(super) fn DemoSection() -> impl IntoView {
    let services = use_services();
    let size = DemoSize::PRACTICE;
    view! {
        <section class="card settings-section" aria-labelledby="settings-demo">
            <div class="section-header">
                <h2 id="settings-demo" tabindex="-1">
                    "Demo practice"
                </h2>
            </div>
            <Show
                when=move || services.demo.get()
                fallback=move || {
                    view! {
                        <p class="intro muted">
                            {format!(
                                "Try Clientbook on a made-up firm: {} accounts and {} contacts, with tags, a team, account roles, custom fields, notes and history. It lives in a separate database on this device; your own data is not touched, and comes back when you leave the demo.",
                                size.accounts,
                                size.contacts,
                            )}
                        </p>
                        <button type="button" class="btn primary" on:click=move |_| services.load_demo()>
                            "Load demo practice"
                        </button>
                    }
                }
            >
                <p class="intro muted">
                    "The demo practice is open. Reset demo (at the top of the page) brings it back as it was; Leave demo returns to your own data."
                </p>
            </Show>
        </section>
    }
}
