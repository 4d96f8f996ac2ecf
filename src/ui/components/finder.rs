//! "Find a contact": type-ahead over stored contacts by name or any part of
//! an email, accent- and case-insensitive, with a button per match. It looks
//! through the directory the Clients lists and the search share (one pass
//! over its search keys per key typed), not through the stored contacts:
//! reading 100,000 of them took 2.6 s before the first match, and again
//! after every save while the form was open. The picked contact is read
//! from the store.

use crate::domain::{Contact, ContactId};
use crate::error::AppError;
use crate::i18n::{t, tf, Key};
use crate::store::{Missing, StoreError};
use crate::ui::components::{ErrorBanner, Loading, TextField};
use crate::ui::services::use_services;
use leptos::prelude::*;
use std::collections::HashSet;

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
    let services = use_services();
    services.want_directory();
    // What is typed survives the page's view being built anew (see `kept`);
    // a pick empties it.
    let query = crate::ui::components::kept(format!("finder/{id}"), || RwSignal::new(String::new()));
    let exclude: HashSet<ContactId> = exclude.into_iter().collect();
    let exclude = StoredValue::new(exclude);
    // (id, name, main email) of each match; `None` while the directory loads.
    let matches = Memo::new(move |_| {
        let q = query.get();
        if q.trim().is_empty() {
            return Some(Vec::new());
        }
        services.directory.with(|d| match d {
            Some(Some(Ok(dir))) => Some(
                dir.find_contacts(
                    &q,
                    |j| {
                        dir.contact_id(j)
                            .is_some_and(|c| !exclude.with_value(|x| x.contains(&c)))
                    },
                    SHOWN,
                )
                .into_iter()
                .filter_map(|j| {
                    Some((
                        dir.contact_id(j)?,
                        dir.contact_display_name(j),
                        dir.contact_main_email(j).to_owned(),
                    ))
                })
                .collect::<Vec<_>>(),
            ),
            _ => None,
        })
    });
    let pick = Action::new_local(move |id: &ContactId| {
        let id = id.clone();
        async move {
            let store = services.store()?;
            let contact = store
                .contact(&id)
                .await?
                .ok_or(StoreError::NotFound(Missing::Contact))?;
            query.set(String::new());
            on_pick.run(contact);
            Ok::<(), AppError>(())
        }
    });
    view! {
        <TextField id=id label=t(Key::FindContact) value=query />
        {move || pick.value().get().and_then(Result::err).map(|e| view! { <ErrorBanner error=e /> })}
        {move || {
            services.directory.with(|d| match d {
                Some(Some(Err(e))) => Some(view! { <ErrorBanner error=e.clone() /> }),
                _ => None,
            })
        }}
        {move || matches.with(Option::is_none).then(|| view! { <Loading /> })}
        <ul class="item-list" aria-live="polite">
            {move || {
                matches
                    .get()
                    .unwrap_or_default()
                    .into_iter()
                    .map(|(id, name, email)| {
                        let label = tf(Key::LinkName, &[("name", &name)]);
                        view! {
                            <li>
                                {name}
                                " "
                                <span class="muted">{email}</span>
                                " "
                                <button type="button" class="btn link" on:click=move |_| {
                                    pick.dispatch_local(id.clone());
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
