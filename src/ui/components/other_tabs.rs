//! "Changes were saved in another tab": shown instead of reloading while
//! the practitioner types in a form or a note here (see `services.rs`).

use crate::ui::services::use_services;
use leptos::prelude::*;

#[component]
pub fn RemoteChangesBanner() -> impl IntoView {
    let services = use_services();
    view! {
        <Show when=move || services.remote_changes.get()>
            <div class="banner info" role="status">
                <span>
                    "Changes were saved in another tab. Save or cancel what you are editing to see them, or "
                </span>
                <button type="button" class="btn" on:click=move |_| services.reload_all()>
                    "Show them now"
                </button>
                <span>" (what you typed here is not kept)."</span>
            </div>
        </Show>
    }
}
