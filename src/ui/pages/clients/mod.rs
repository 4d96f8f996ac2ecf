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
use crate::domain::ids::MemberId;
use crate::domain::listing::{self, PendingInvite};
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
pub(crate) const NONE: u32 = crate::domain::directory::NONE;

/// What the lists show, for the current viewer, computed once per load of
/// the directory. Rows are positions in `dir` (never copies of them).
pub(crate) struct Prepared {
    pub dir: Arc<Directory>,
    /// Accounts the viewer may see (account rows of `dir`).
    pub accounts: Vec<u32>,
    /// Contacts the viewer may see (linked to a visible account, or to none
    /// for a viewer who sees everything), contact rows of `dir`.
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

/// The Contacts tab: visible contacts alphabetically (the filter looks in
/// each one's search key, see `Directory::contact_search_key`).
pub(crate) struct ContactList {
    pub rows: Vec<u32>,
}

impl Prepared {
    /// `viewer`: the team member the page is viewed as when they see only
    /// their accounts (`None`: every account).
    fn new(dir: Arc<Directory>, catalog: Catalog, viewer: Option<MemberId>) -> Self {
        let d = &*dir;
        let sees_all = viewer.is_none();
        let mut visible = vec![true; d.account_count()];
        if let Some(m) = &viewer {
            for (a, v) in visible.iter_mut().enumerate() {
                *v = d.account_has_member(a as u32, m);
            }
        }
        let accounts: Vec<u32> = (0..d.account_count() as u32)
            .filter(|&a| visible[a as usize])
            .collect();
        let mut linked = vec![false; d.contact_count()];
        let mut shown = vec![false; d.contact_count()];
        let mut links = Vec::new();
        let mut ends = Vec::new();
        for l in 0..d.link_count() as u32 {
            let (a, c) = d.link_ends(l);
            if let Some(x) = linked.get_mut(c as usize) {
                *x = true;
            }
            if visible.get(a as usize).copied().unwrap_or(false) {
                links.push(l);
                ends.push((a, c));
                if let Some(x) = shown.get_mut(c as usize) {
                    *x = true;
                }
            }
        }
        let visible_contacts: Vec<u32> = (0..d.contact_count())
            .filter(|&i| shown[i] || (sees_all && !linked[i]))
            .map(|i| i as u32)
            .collect();
        let primary = listing::primary_contacts(d, links.iter().copied());
        let mut per_contact = vec![0u32; d.contact_count()];
        for &(_, c) in &ends {
            if let Some(n) = per_contact.get_mut(c as usize) {
                *n += 1;
            }
        }
        let pending = listing::pending_invites(d, &links)
            .into_iter()
            .filter(|p| ends.get(p.link).is_some_and(|&(_, c)| c != NONE))
            .collect();
        let archived_count = accounts.iter().filter(|&&a| d.account_archived(a)).count();
        Self {
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

    /// The Contacts tab's rows (made on first use).
    pub fn contact_list(&self) -> &ContactList {
        self.contact_list.get_or_init(|| {
            let d = &*self.dir;
            let mut rows = self.visible_contacts.clone();
            d.sort_contacts(&mut rows);
            ContactList { rows }
        })
    }

    /// Account row `row`, as an owned row (for showing it).
    pub fn account_row(&self, row: u32) -> Option<AccountRow> {
        self.dir.account(row)
    }

    /// Contact row `row`, as an owned row (for showing it).
    pub fn contact_row(&self, row: u32) -> Option<ContactRow> {
        self.dir.contact(row)
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
    services.want_directory();
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
        Some(Shared::new(Prepared::new(
            dir,
            catalog,
            services.limited_viewer(),
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
