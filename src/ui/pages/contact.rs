//! A contact's own page: personal details and every account they belong to.

use crate::domain::{Account, Contact, ContactId, Link};
use crate::route::Route;
use crate::store::StoreError;
use crate::ui::components::{ErrorBanner, Loading};
use crate::ui::services::read;
use leptos::prelude::*;

type Details = (Option<Contact>, Vec<(Link, Account)>);

#[component]
pub fn ContactPage(id: ContactId) -> impl IntoView {
    let details = read(move |store| {
        let id = id.clone();
        async move {
            let contact = store.contact(&id).await?;
            let accounts = store.contact_accounts(&id).await?;
            Ok::<Details, StoreError>((contact, accounts))
        }
    });
    move || match details.get() {
        None => view! { <Loading /> }.into_any(),
        Some(Err(e)) => view! { <ErrorBanner error=e /> }.into_any(),
        Some(Ok((None, _))) => view! {
            <h1>"Contact not found"</h1>
            <a href=Route::clients().href()>"Back to Clients"</a>
        }
        .into_any(),
        Some(Ok((Some(contact), accounts))) => view! {
            <header class="profile-header">
                <div class="avatar" aria-hidden="true">
                    {super::account::initials(&contact.display_name())}
                </div>
                <h1>{contact.display_name()}</h1>
            </header>
            <section class="card" aria-labelledby="contact-details">
                <h2 id="contact-details">"Details"</h2>
                <dl class="facts">
                    <dt>"Email"</dt>
                    <dd>{contact.emails.iter().map(|e| e.to_string()).collect::<Vec<_>>().join(", ")}</dd>
                    <dt>"Phone"</dt>
                    <dd>{contact.phones.join(", ")}</dd>
                </dl>
            </section>
            <section class="card" aria-labelledby="contact-accounts">
                <h2 id="contact-accounts">"Accounts"</h2>
                <ul class="contact-list">
                    {accounts
                        .into_iter()
                        .map(|(_, a)| {
                            view! {
                                <li>
                                    <a href=Route::account(a.id.clone()).href()>{a.name}</a>
                                    <span class="badge">{a.kind.label()}</span>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </section>
        }
        .into_any(),
    }
}
