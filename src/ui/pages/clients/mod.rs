//! Clients: the Accounts tab (Active, Pending activation, Archived) and the
//! Contacts tab, TaxDome-style.
//!
//! The lists start from the directory (`services.directory`, shared with
//! the search: one read of a few large values per write, not of every
//! record), prepared once per load in a memo (visible accounts, normalised
//! keys, primary contacts, pending invitations) as positions into it, and
//! filtered in memory. Full records are read only for what changes them
//! (bulk actions, invitations). Lists are virtualised (see [`virtual_rows`]): only the rows in and
//! around the viewport are in the DOM, so 10,000 accounts scroll smoothly.

mod accounts;
mod contacts;
mod export_csv;
mod pending;
mod virtual_rows;

use crate::domain::catalog::Catalog;
use crate::domain::directory::{AccountRow, ContactRow, Directory};
use crate::domain::listing::{self, IdMap, PendingInvite};
use crate::domain::search::normalize;
use crate::domain::{AccountId, ContactId};
use crate::error::AppError;
use crate::i18n::{t, Key};
use crate::route::{ClientsView, Route};
use crate::ui::components::{ErrorBanner, Loading};
use crate::ui::services::{read, use_services};
use leptos::prelude::*;
use std::ops::Deref;
use std::sync::{Arc, OnceLock};

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

/// No row (an index that points nowhere).
pub(crate) const NONE: u32 = u32::MAX;

/// What the lists show, for the current viewer, computed once per load of
/// the directory. Rows are positions in `dir` (never copies of them).
pub(crate) struct Prepared {
    pub dir: Arc<Directory>,
    /// Accounts the viewer may see (rows of `dir.accounts`).
    pub accounts: Vec<u32>,
    /// Normalised names, `name_keys[i]` for `accounts[i]`.
    pub name_keys: Vec<String>,
    /// Contacts the viewer may see (linked to a visible account, or to none
    /// for a viewer who sees everything), rows of `dir.contacts`.
    visible_contacts: Vec<u32>,
    /// The Contacts tab's order and filter keys, made when first shown.
    contact_list: OnceLock<ContactList>,
    /// Per link between a visible account and a contact, the (account,
    /// contact) rows it joins (`NONE`: contact missing).
    pub ends: Vec<(u32, u32)>,
    pub catalog: Catalog,
    /// Per account row, its primary contact's row (or `NONE`).
    pub primary: Vec<u32>,
    /// Per contact row, how many visible accounts it belongs to.
    pub per_contact: Vec<u32>,
    pub pending: Vec<PendingInvite>,
    pub active_count: usize,
    pub archived_count: usize,
}

/// The Contacts tab: visible contacts alphabetically, and for each its
/// normalised name and emails (the filter looks there).
pub(crate) struct ContactList {
    pub rows: Vec<u32>,
    pub keys: Vec<String>,
}

impl Prepared {
    fn new(
        dir: Arc<Directory>,
        catalog: Catalog,
        may_see: impl Fn(&AccountRow) -> bool,
        sees_all: bool,
    ) -> Self {
        let d = &*dir;
        let accounts: Vec<u32> = (0..d.accounts.len() as u32)
            .filter(|&i| may_see(&d.accounts[i as usize]))
            .collect();
        let account_row: IdMap<&AccountId, u32> = accounts
            .iter()
            .map(|&i| (&d.accounts[i as usize].id, i))
            .collect();
        let contact_row: IdMap<&ContactId, u32> = d
            .contacts
            .iter()
            .enumerate()
            .map(|(i, c)| (&c.id, i as u32))
            .collect();
        let mut linked = vec![false; d.contacts.len()];
        let mut shown = vec![false; d.contacts.len()];
        let mut links = Vec::new();
        let mut ends = Vec::new();
        for (i, l) in d.links.iter().enumerate() {
            let c = contact_row.get(&l.contact_id).copied().unwrap_or(NONE);
            if let Some(x) = linked.get_mut(c as usize) {
                *x = true;
            }
            if let Some(&a) = account_row.get(&l.account_id) {
                links.push(i as u32);
                ends.push((a, c));
                if let Some(x) = shown.get_mut(c as usize) {
                    *x = true;
                }
            }
        }
        let visible_contacts: Vec<u32> = (0..d.contacts.len())
            .filter(|&i| shown[i] || (sees_all && !linked[i]))
            .map(|i| i as u32)
            .collect();
        // Sort keys of the contacts that visible links join (the primary
        // contact's tie-break).
        let mut sort_keys: IdMap<&ContactId, String> = IdMap::default();
        for &(_, c) in &ends {
            if let Some(row) = d.contacts.get(c as usize) {
                sort_keys.entry(&row.id).or_insert_with(|| row.sort_key());
            }
        }
        let visible_links = || links.iter().map(|&i| &d.links[i as usize]);
        let mut primary = vec![NONE; d.accounts.len()];
        for (a, c) in listing::primary_contacts(visible_links(), |id| sort_keys.get(id).map(String::as_str)) {
            if let (Some(&a), Some(&c)) = (account_row.get(a), contact_row.get(c)) {
                primary[a as usize] = c;
            }
        }
        let mut per_contact = vec![0u32; d.contacts.len()];
        for &(_, c) in &ends {
            if let Some(n) = per_contact.get_mut(c as usize) {
                *n += 1;
            }
        }
        let pending = listing::pending_invites(visible_links())
            .into_iter()
            .filter(|p| ends.get(p.link).is_some_and(|&(_, c)| c != NONE))
            .collect();
        let archived_count = accounts
            .iter()
            .filter(|&&i| d.accounts[i as usize].archived)
            .count();
        let name_keys = accounts
            .iter()
            .map(|&i| normalize(&d.accounts[i as usize].name))
            .collect();
        Self {
            name_keys,
            active_count: accounts.len() - archived_count,
            archived_count,
            per_contact,
            accounts,
            visible_contacts,
            contact_list: OnceLock::new(),
            ends,
            catalog,
            primary,
            pending,
            dir,
        }
    }

    pub fn contact_count(&self) -> usize {
        self.visible_contacts.len()
    }

    /// The Contacts tab's rows and keys (made on first use).
    pub fn contact_list(&self) -> &ContactList {
        self.contact_list.get_or_init(|| {
            let d = &*self.dir;
            let mut rows: Vec<(String, u32)> = self
                .visible_contacts
                .iter()
                .map(|&i| (d.contacts[i as usize].sort_key(), i))
                .collect();
            rows.sort_by(|a, b| {
                a.0.cmp(&b.0)
                    .then_with(|| d.contacts[a.1 as usize].id.cmp(&d.contacts[b.1 as usize].id))
            });
            let keys = rows
                .iter()
                .map(|&(_, i)| {
                    let c = &d.contacts[i as usize];
                    let mut key = normalize(&c.display_name());
                    for e in &c.emails {
                        key.push(' ');
                        key.push_str(&normalize(e));
                    }
                    key
                })
                .collect();
            ContactList {
                rows: rows.into_iter().map(|(_, i)| i).collect(),
                keys,
            }
        })
    }

    pub fn account_row(&self, row: u32) -> Option<&AccountRow> {
        self.dir.accounts.get(row as usize)
    }

    pub fn contact_row(&self, row: u32) -> Option<&ContactRow> {
        self.dir.contacts.get(row as usize)
    }

    /// Team member names of an account, in catalog order.
    pub fn team_names(&self, account: &AccountRow) -> String {
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
    services.wants_directory.set(true);
    let catalog = read(|store| async move { store.catalog().await });
    // Kept while a reload runs, so lists stay mounted (and scrolled) after a write.
    let data: DataSignal = Memo::new(move |_| {
        let dir = match services.directory.get().flatten() {
            Some(Ok(dir)) => dir,
            _ => return None,
        };
        let catalog = match catalog.get() {
            Some(Ok(c)) => c,
            _ => return None,
        };
        let sees_all = services
            .viewing_as
            .with(|m| m.as_ref().is_none_or(|m| m.sees_all()));
        Some(Shared::new(Prepared::new(
            dir,
            catalog,
            |a| services.may_see_team(&a.team),
            sees_all,
        )))
    });
    let error = Memo::new(
        move |_| match (services.directory.get().flatten(), catalog.get()) {
            (Some(Err(e)), _) | (_, Some(Err(e))) => Some(e),
            _ => None,
        },
    );
    let loaded = Memo::new(move |_| data.with(Option::is_some));

    view! {
        <header class="page-header">
            <h1>{t(Key::NavClients)}</h1>
            <a class="btn primary" href=Route::NewAccount.href()>
                {t(Key::NewAccount)}
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
        move || {
            data.with(|d| {
                d.as_ref()
                    .map(|d| crate::i18n::number(f(d) as i64))
                    .unwrap_or_default()
            })
        }
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
        <nav class="tabs" aria-label=t(Key::NavClients)>
            <ul>
                <li>
                    <a href=Route::clients().href() aria-current=current(accounts_tab)>
                        {t(Key::Accounts)}
                    </a>
                </li>
                <li>
                    <a href=Route::Clients(ClientsView::Contacts).href() aria-current=current(!accounts_tab)>
                        {t(Key::Contacts)}
                        " "
                        <span class="count">{count(Prepared::contact_count)}</span>
                    </a>
                </li>
            </ul>
        </nav>
        {accounts_tab
            .then(|| {
                view! {
                    <nav class="subtabs" aria-label=t(Key::AccountViews)>
                        <ul>
                            {sub(ClientsView::Active, t(Key::ViewActive), |d| d.active_count)}
                            {sub(ClientsView::Pending, t(Key::ViewPending), |d| d.pending.len())}
                            {sub(ClientsView::Archived, t(Key::ViewArchived), |d| d.archived_count)}
                        </ul>
                    </nav>
                }
            })}
    }
}
