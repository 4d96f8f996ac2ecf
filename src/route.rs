//! Where the app is: the hash part of the address (`#/clients`,
//! `#/accounts/<id>/info`). Hash routing needs nothing from the server, so a
//! build copied to any folder of any static host works, and reloading a deep
//! link never gives a 404.
//!
//! Pure: parsing and printing routes is tested natively.

use crate::domain::{AccountId, ContactId};

/// The views of the Clients page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClientsView {
    /// Accounts that are not archived.
    Active,
    /// Accounts with a portal invitation not yet activated.
    Pending,
    Archived,
    /// The Contacts tab.
    Contacts,
}

/// The tabs of an account's profile.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccountTab {
    Overview,
    Info,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    Clients(ClientsView),
    NewAccount,
    Account(AccountId, AccountTab),
    Contact(ContactId),
    /// Contacts that are probably the same person, to merge.
    Duplicates,
    Settings,
    /// Import & export.
    Data,
    /// A hash we do not know; shown as "page not found" with a way back.
    NotFound(String),
}

impl Route {
    /// Parses `location.hash` (with or without the leading `#`).
    pub fn parse(hash: &str) -> Route {
        let path = hash.trim_start_matches('#').trim_start_matches('/');
        let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        let account = |id: &str, tab| AccountId::parse(id).map(|id| Route::Account(id, tab));
        let found = match parts.as_slice() {
            [] | ["clients"] => Some(Route::Clients(ClientsView::Active)),
            ["clients", "pending"] => Some(Route::Clients(ClientsView::Pending)),
            ["clients", "archived"] => Some(Route::Clients(ClientsView::Archived)),
            ["clients", "contacts"] => Some(Route::Clients(ClientsView::Contacts)),
            ["clients", "duplicates"] => Some(Route::Duplicates),
            ["new", "account"] => Some(Route::NewAccount),
            ["accounts", id] => account(id, AccountTab::Overview),
            ["accounts", id, "info"] => account(id, AccountTab::Info),
            ["contacts", id] => ContactId::parse(id).map(Route::Contact),
            ["settings"] => Some(Route::Settings),
            ["data"] => Some(Route::Data),
            _ => None,
        };
        found.unwrap_or_else(|| Route::NotFound(path.into()))
    }

    /// The `href` for links to this route.
    pub fn href(&self) -> String {
        match self {
            Route::Clients(ClientsView::Active) => "#/clients".into(),
            Route::Clients(ClientsView::Pending) => "#/clients/pending".into(),
            Route::Clients(ClientsView::Archived) => "#/clients/archived".into(),
            Route::Clients(ClientsView::Contacts) => "#/clients/contacts".into(),
            Route::NewAccount => "#/new/account".into(),
            Route::Account(id, AccountTab::Overview) => format!("#/accounts/{id}"),
            Route::Account(id, AccountTab::Info) => format!("#/accounts/{id}/info"),
            Route::Contact(id) => format!("#/contacts/{id}"),
            Route::Duplicates => "#/clients/duplicates".into(),
            Route::Settings => "#/settings".into(),
            Route::Data => "#/data".into(),
            Route::NotFound(path) => format!("#/{path}"),
        }
    }

    /// The clients list (active accounts).
    pub fn clients() -> Route {
        Route::Clients(ClientsView::Active)
    }

    /// An account's profile, on its Overview tab.
    pub fn account(id: AccountId) -> Route {
        Route::Account(id, AccountTab::Overview)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_round_trip() {
        let a = AccountId::from_random([3; 16]);
        let c = ContactId::from_random([4; 16]);
        let all = [
            Route::Clients(ClientsView::Active),
            Route::Clients(ClientsView::Pending),
            Route::Clients(ClientsView::Archived),
            Route::Clients(ClientsView::Contacts),
            Route::NewAccount,
            Route::Account(a.clone(), AccountTab::Overview),
            Route::Account(a, AccountTab::Info),
            Route::Contact(c),
            Route::Duplicates,
            Route::Settings,
            Route::Data,
        ];
        for r in all {
            assert_eq!(Route::parse(&r.href()), r);
        }
    }

    #[test]
    fn empty_and_unknown_hashes() {
        assert_eq!(Route::parse(""), Route::clients());
        assert_eq!(Route::parse("#"), Route::clients());
        assert_eq!(Route::parse("#/"), Route::clients());
        assert_eq!(
            Route::parse("#/accounts/not-an-id"),
            Route::NotFound("accounts/not-an-id".into())
        );
        assert_eq!(Route::parse("#/nowhere"), Route::NotFound("nowhere".into()));
    }
}
