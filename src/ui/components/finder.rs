//! "Find a contact": type-ahead over stored contacts by name or any part of
//! an email, accent- and case-insensitive, with a button per match.

use crate::domain::search::normalize;
use crate::domain::{Contact, ContactId};
use crate::i18n::{t, tf, Key};
use crate::ui::components::TextField;
use crate::ui::services::read;
use leptos::prelude::*;

/// At most this many matches are listed.
const SHOWN: usize = 8;

#[component]
pub fn ContactFinder(
    #[prop(into)] id: String,
    /// Contacts not to offer (already linked).
    #[prop(optional)]
    exclude: Vec<ContactId>,
    on_pick: Callback<Contact>,
) -> impl IntoView {
    // What is typed survives the page's view being built anew (see `kept`);
    // a pick empties it.
    let query = crate::ui::components::kept(format!("finder/{id}"), || RwSignal::new(String::new()));
    let contacts = read(|store| async move { store.contacts().await });
    let exclude = StoredValue::new(exclude);
    let matches = move || {
        let q = normalize(&query.get());
        if q.is_empty() {
            return Vec::new();
        }
        contacts
            .get()
            .and_then(|r| r.ok())
            .unwrap_or_default()
            .into_iter()
            .filter(|c| !exclude.with_value(|x| x.contains(&c.id)))
            .filter(|c| {
                let hay = normalize(&format!("{} {}", c.display_name(), c.email_keys().join(" ")));
                q.split_whitespace().all(|w| hay.contains(w))
            })
            .take(SHOWN)
            .collect::<Vec<_>>()
    };
    view! {
        <TextField id=id label=t(Key::FindContact) value=query />
        <ul class="item-list" aria-live="polite">
            {move || {
                matches()
                    .into_iter()
                    .map(|c| {
                        let label = tf(Key::LinkName, &[("name", &c.display_name())]);
                        let email = c.main_email().map(|e| e.to_string()).unwrap_or_default();
                        let name = c.display_name();
                        view! {
                            <li>
                                {name}
                                " "
                                <span class="muted">{email}</span>
                                " "
                                <button type="button" class="btn link" on:click=move |_| {
                                    query.set(String::new());
                                    on_pick.run(c.clone());
                                }>
                                    {label}
                                </button>
                            </li>
                        }
                    })
                    .collect_view()
            }}
        </ul>
    }
}
