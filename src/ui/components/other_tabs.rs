//! "Changes were saved in another tab": shown instead of reloading while
//! the practitioner types in a form or a note here (see `services.rs`).

use crate::i18n::{t, Key};
use crate::ui::services::use_services;
use leptos::prelude::*;

#[component]
pub fn RemoteChangesBanner() -> impl IntoView {
    let services = use_services();
    view! {
        <Show when=move || services.remote_changes.get()>
            <div class="banner info" role="status">
                <span>{t(Key::RemoteChangesSaved)} " "</span>
                <button type="button" class="btn" on:click=move |_| services.reload_all()>
                    {t(Key::RemoteChangesShow)}
                </button>
                <span>" " {t(Key::RemoteChangesKept)}</span>
            </div>
        </Show>
    }
}
