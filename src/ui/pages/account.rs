//! An account's profile: who the client is and who its contacts are.

use crate::domain::{Account, AccountId, Contact, Link};
use crate::route::{AccountTab, Route};
use crate::store::StoreError;
use crate::ui::components::{ErrorBanner, Loading};
use crate::ui::services::read;
use leptos::prelude::*;

type Profile = (Option<Account>, Vec<(Link, Contact)>);

#[component]
pub fn AccountPage(id: AccountId, tab: AccountTab) -> impl IntoView {
    let _ = tab;
    let profile = read(move |store| {
        let id = id.clone();
        async move {
            let account = store.account(&id).await?;
            let contacts = store.account_contacts(&id).await?;
            Ok::<Profile, StoreError>((account, contacts))
        }
    });
    move || match profile.get() {
        None => view! { <Loading /> }.into_any(),
        Some(Err(e)) => view! { <ErrorBanner error=e /> }.into_any(),
        Some(Ok((None, _))) => view! {
            <h1>"Account not found"</h1>
            <p>"This account does not exist on this device."</p>
            <a href=Route::clients().href()>"Back to Clients"</a>
        }
        .into_any(),
        Some(Ok((Some(account), contacts))) => view! { <Profile account contacts /> }.into_any(),
    }
}

/// Up to two initials, for the avatar.
pub fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|w| w.chars().next())
        .take(2)
        .flat_map(char::to_uppercase)
        .collect()
}

#[component]
fn Profile(account: Account, contacts: Vec<(Link, Contact)>) -> impl IntoView {
    view! {
        <header class="profile-header">
            <div class="avatar" aria-hidden="true">
                {initials(&account.name)}
            </div>
            <div>
                <h1>{account.name.clone()}</h1>
                <p class="muted">
                    <span class="badge">{account.kind.label()}</span>
                    {format!(" · created {}", account.created_at.date_iso())}
                </p>
            </div>
        </header>
        <section class="card" aria-labelledby="account-info">
            <h2 id="account-info">"Account info"</h2>
            <dl class="facts">
                <dt>"Name"</dt>
                <dd>{account.name.clone()}</dd>
                <dt>"Type"</dt>
                <dd>{account.kind.label()}</dd>
                {(!account.company_name.is_empty())
                    .then(|| {
                        view! {
                            <dt>"Company name"</dt>
                            <dd>{account.company_name.clone()}</dd>
                        }
                    })}
            </dl>
        </section>
        <section class="card" aria-labelledby="account-contacts">
            <h2 id="account-contacts">{format!("Contacts ({})", contacts.len())}</h2>
            <ul class="contact-list">
                {contacts
                    .into_iter()
                    .map(|(link, c)| {
                        let emails = c.emails.iter().map(|e| e.to_string()).collect::<Vec<_>>().join(", ");
                        let login = link.email_access.iter().any(|a| a.login);
                        view! {
                            <li>
                                <a href=Route::Contact(c.id.clone()).href()>{c.display_name()}</a>
                                <span class="muted">{emails}</span>
                                {login.then(|| view! { <span class="badge">"Login"</span> })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}
