//! Demo practice: a made-up firm in a separate database, to show or try
//! Clientbook without touching the practitioner's data (`ui::demo`).

use crate::domain::demo::DemoSize;
use crate::i18n::{t, tf, tn, Key};
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
                    {t(Key::DemoPractice)}
                </h2>
            </div>
            <Show
                when=move || services.demo.get()
                fallback=move || {
                    view! {
                        <p class="intro muted">
                            {tf(
                                Key::DemoIntro,
                                &[
                                    ("accounts", &tn(Key::UsesAccounts, size.accounts, &[])),
                                    ("contacts", &tn(Key::UsesContacts, size.contacts, &[])),
                                ],
                            )}
                        </p>
                        <button type="button" class="btn primary" on:click=move |_| services.load_demo()>
                            {t(Key::LoadDemo)}
                        </button>
                    }
                }
            >
                <p class="intro muted">
                    {tf(Key::DemoOpen, &[("reset", t(Key::ResetDemo)), ("leave", t(Key::LeaveDemo))])}
                </p>
            </Show>
        </section>
    }
}
