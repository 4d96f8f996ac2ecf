//! Clients: the list of accounts.

use crate::domain::Account;
use crate::route::{ClientsView, Route};
use crate::ui::components::{ErrorBanner, Loading};
use crate::ui::services::read;
use leptos::prelude::*;

#[component]
pub fn ClientsPage(view: ClientsView) -> impl IntoView {
    let _ = view;
    let accounts = read(|store| async move { store.accounts().await });
    view! {
        <header class="page-header">
            <h1>"Clients"</h1>
            <a class="btn primary" href=Route::NewAccount.href()>
                "New account"
            </a>
        </header>
        {move || match accounts.get() {
            None => view! { <Loading /> }.into_any(),
            Some(Err(e)) => view! { <ErrorBanner error=e /> }.into_any(),
            Some(Ok(list)) if list.is_empty() => {
                view! {
                    <div class="empty">
                        <p>"No client accounts yet."</p>
                        <a class="btn primary" href=Route::NewAccount.href()>
                            "Create the first account"
                        </a>
                    </div>
                }
                    .into_any()
            }
            Some(Ok(list)) => view! { <AccountTable accounts=list /> }.into_any(),
        }}
    }
}

#[component]
fn AccountTable(accounts: Vec<Account>) -> impl IntoView {
    let count = accounts.len();
    view! {
        <p class="muted">{format!("{count} account{}", if count == 1 { "" } else { "s" })}</p>
        <table class="list" aria-label="Accounts">
            <thead>
                <tr>
                    <th scope="col">"Name"</th>
                    <th scope="col">"Type"</th>
                    <th scope="col">"Created"</th>
                </tr>
            </thead>
            <tbody>
                {accounts
                    .into_iter()
                    .map(|a| {
                        view! {
                            <tr>
                                <td>
                                    <a href=Route::account(a.id.clone()).href()>{a.name}</a>
                                </td>
                                <td>{a.kind.label()}</td>
                                <td>{a.created_at.date_iso()}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}
