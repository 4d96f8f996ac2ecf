//! Says, on every page, that the practitioner is viewing Clientbook as a
//! team member (set from Settings → Team), with the way back.

use crate::i18n::{names, t, Key};
use crate::ui::services::use_services;
use leptos::prelude::*;

#[component]
pub fn ViewingAs() -> impl IntoView {
    let services = use_services();
    view! {
        <div class="viewing-as-slot" role="status">
            {move || {
                services
                    .viewing_as
                    .get()
                    .map(|m| {
                        view! {
                            <div class="viewing-as">
                                <p>
                                    {crate::ui::around(Key::ViewingAsName, "name", view! { <strong>{m.name.clone()}</strong> })}
                                    {format!(" ({})", names::team_role(m.role))}
                                </p>
                                <button
                                    type="button"
                                    class="btn small"
                                    on:click=move |_| services.viewing_as.set(None)
                                >
                                    {t(Key::ViewingAsBack)}
                                </button>
                            </div>
                        }
                    })
            }}
        </div>
    }
}
