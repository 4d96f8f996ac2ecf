//! Clients: the Accounts tab (Active, Pending activation, Archived) and the
//! Contacts tab, TaxDome-style.
//!
//! Everything is loaded once per write (one read of accounts, contacts, links
//! and the catalog), prepared once per load in a memo (visible accounts,
//! normalised keys, primary contacts, pending invitations), and filtered in
//! memory. Lists are virtualised (see [`virtual_rows`]): only the rows in and
//! around the viewport are in the DOM, so 10,000 accounts scroll smoothly.

mod accounts;
mod contacts;
mod export_csv;
mod pending;
mod virtual_rows;

use crate::domain::catalog::Catalog;
use crate::domain::listing::{self, PendingInvite};
use crate::domain::search::normalize;
use crate::domain::{Account, AccountId, Contact, ContactId, Link};
use crate::error::AppError;
use crate::route::{ClientsView, Route};
use crate::store::StoreError;
use crate::ui::components::{ErrorBanner, Loading};
use crate::ui::services::{read, use_services};
use leptos::prelude::*;
use std::collections::{HashMap, HashSet};
use std::ops::Deref;
use std::sync::Arc;

/// A value shared without copying; equal only to itself, so memos holding
/// one never compare 10,000 accounts field by field.
pub(crate) struct Shared<T>(Arc<T>);

impl<T> Shared<T> {
    pub(crate) fn new(value: T) -> Self {
        Self(Arc::new(value))
    }
}

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Self(Arc::clone(&self.0))
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// What the store gave.
struct Raw {
    accounts: Vec<Account>,
    contacts: Vec<Contact>,
    links: Vec<Link>,
    catalog: Catalog,
}

/// What the lists show, for the current viewer, computed once per load.
pub(crate) struct Prepared {
    /// Accounts the viewer may see, by name.
    pub accounts: Vec<Account>,
    /// Normalised names, `name_keys[i]` for `accounts[i]`.
    pub name_keys: Vec<String>,
    pub account_index: HashMap<AccountId, usize>,
    /// Contacts the viewer may see (linked to a visible account), alphabetical.
    pub contacts: Vec<Contact>,
    /// Normalised name and emails, for the Contacts filter.
    pub contact_keys: Vec<String>,
    pub contact_index: HashMap<ContactId, usize>,
    /// Links between visible accounts and contacts.
    pub links: Vec<Link>,
    pub catalog: Catalog,
    pub primary: HashMap<AccountId, ContactId>,
    pub per_contact: HashMap<ContactId, usize>,
    pub pending: Vec<PendingInvite>,
    pub active_count: usize,
    pub archived_count: usize,
}

impl Prepared {
    fn new(raw: &Raw, may_see: impl Fn(&Account) -> bool, sees_all: bool) -> Self {
        let accounts: Vec<Account> = raw.accounts.iter().filter(|a| may_see(a)).cloned().collect();
        let account_index: HashMap<AccountId, usize> = accounts
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.clone(), i))
            .collect();
        let links: Vec<Link> = raw
            .links
            .iter()
            .filter(|l| account_index.contains_key(&l.account_id))
            .cloned()
            .collect();
        let linked: HashSet<&ContactId> = raw.links.iter().map(|l| &l.contact_id).collect();
        let visible_linked: HashSet<&ContactId> = links.iter().map(|l| &l.contact_id).collect();
        let contacts: Vec<Contact> = raw
            .contacts
            .iter()
            .filter(|c| visible_linked.contains(&c.id) || (sees_all && !linked.contains(&c.id)))
            .cloned()
            .collect();
        let contact_index: HashMap<ContactId, usize> = contacts
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.clone(), i))
            .collect();
        let sort_keys: HashMap<ContactId, String> =
            contacts.iter().map(|c| (c.id.clone(), c.sort_key())).collect();
        let primary = listing::primary_contacts(&links, |id| sort_keys.get(id).map(String::as_str));
        let contact_keys = contacts
            .iter()
            .map(|c| {
                let mut key = normalize(&c.display_name());
                for e in &c.emails {
                    key.push(' ');
                    key.push_str(&normalize(e.as_str()));
                }
                key
            })
            .collect();
        let pending = listing::pending_invites(&links)
            .into_iter()
            .filter(|p| {
                links
                    .get(p.link)
                    .is_some_and(|l| contact_index.contains_key(&l.contact_id))
            })
            .collect();
        let archived_count = accounts.iter().filter(|a| a.archived).count();
        Self {
            name_keys: accounts.iter().map(|a| normalize(&a.name)).collect(),
            active_count: accounts.len() - archived_count,
            archived_count,
            per_contact: listing::accounts_per_contact(&links),
            accounts,
            account_index,
            contacts,
            contact_keys,
            contact_index,
            links,
            catalog: raw.catalog.clone(),
            primary,
            pending,
        }
    }

    pub fn account(&self, id: &AccountId) -> Option<&Account> {
        self.account_index.get(id).and_then(|&i| self.accounts.get(i))
    }

    pub fn contact(&self, id: &ContactId) -> Option<&Contact> {
        self.contact_index.get(id).and_then(|&i| self.contacts.get(i))
    }

    /// Team member names of an account, in catalog order.
    pub fn team_names(&self, account: &Account) -> String {
        self.catalog
            .members
            .iter()
            .filter(|m| account.team.contains(&m.id))
            .map(|m| m.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The prepared data, once loaded (`None` before the first load).
pub(crate) type DataSignal = Memo<Option<Shared<Prepared>>>;

#[component]
pub fn ClientsPage(view: ClientsView) -> impl IntoView {
    let services = use_services();
    let raw = read(|store| async move {
        let accounts = store.accounts().await?;
        let contacts = store.contacts().await?;
        let links = store.links().await?;
        let catalog = store.catalog().await?;
        Ok::<_, StoreError>(Shared::new(Raw {
            accounts,
            contacts,
            links,
            catalog,
        }))
    });
    // Kept while a reload runs, so lists stay mounted (and scrolled) after a write.
    let data: DataSignal = Memo::new(move |_| match raw.get() {
        Some(Ok(raw)) => {
            let sees_all = services
                .viewing_as
                .with(|m| m.as_ref().is_none_or(|m| m.sees_all()));
            Some(Shared::new(Prepared::new(
                &raw,
                |a| services.may_see(a),
                sees_all,
            )))
        }
        _ => None,
    });
    let error = Memo::new(move |_| match raw.get() {
        Some(Err(e)) => Some(e),
        _ => None,
    });
    let loaded = Memo::new(move |_| data.with(Option::is_some));

    view! {
        <header class="page-header">
            <h1>"Clients"</h1>
            <a class="btn primary" href=Route::NewAccount.href()>
                "New account"
            </a>
        </header>
        <Tabs view data />
        {move || error.get().map(|e: AppError| view! { <ErrorBanner error=e /> })}
        <Show
            when=move || loaded.get()
            fallback=move || error.with(Option::is_none).then(|| view! { <Loading /> })
        >
            {match view {
                ClientsView::Active | ClientsView::Archived => {
                    view! { <accounts::AccountsList archived=view == ClientsView::Archived data /> }.into_any()
                }
                ClientsView::Pending => view! { <pending::PendingList data /> }.into_any(),
                ClientsView::Contacts => view! { <contacts::ContactsList data /> }.into_any(),
            }}
        </Show>
    }
}

/// The Accounts / Contacts tabs and the account sub-views, with counts.
#[component]
fn Tabs(view: ClientsView, data: DataSignal) -> impl IntoView {
    let count = move |f: fn(&Prepared) -> usize| {
        move || data.with(|d| d.as_ref().map(|d| f(d).to_string()).unwrap_or_default())
    };
    let current = move |on: bool| on.then_some("page");
    let accounts_tab = view != ClientsView::Contacts;
    let sub = move |target: ClientsView, label: &'static str, f: fn(&Prepared) -> usize| {
        view! {
            <li>
                <a href=Route::Clients(target).href() aria-current=current(view == target)>
                    {label}
                    " "
                    <span class="count">{count(f)}</span>
                </a>
            </li>
        }
    };
    view! {
        <nav class="tabs" aria-label="Clients">
            <ul>
                <li>
                    <a href=Route::clients().href() aria-current=current(accounts_tab)>
                        "Accounts"
                    </a>
                </li>
                <li>
                    <a href=Route::Clients(ClientsView::Contacts).href() aria-current=current(!accounts_tab)>
                        "Contacts"
                        " "
                        <span class="count">{count(|d| d.contacts.len())}</span>
                    </a>
                </li>
            </ul>
        </nav>
        {accounts_tab
            .then(|| {
                view! {
                    <nav class="subtabs" aria-label="Account views">
                        <ul>
                            {sub(ClientsView::Active, "Active", |d| d.active_count)}
                            {sub(ClientsView::Pending, "Pending activation", |d| d.pending.len())}
                            {sub(ClientsView::Archived, "Archived", |d| d.archived_count)}
                        </ul>
                    </nav>
                }
            })}
    }
}
