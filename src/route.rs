//! Where the app is: the hash part of the address (`#/clients`,
//! `#/accounts/<id>`). Hash routing needs nothing from the server, so a
//! build copied to any folder of any static host (or opened from a USB
//! stick) works, and reloading a deep link never gives a 404.
//!
//! Pure: parsing and printing routes is tested natively.

use crate::domain::{AccountId, ContactId};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    Clients,
    NewAccount,
    Account(AccountId),
    Contact(ContactId),
    /// A hash we do not know; shown as "page not found" with a way back.
    NotFound(String),
}

impl Route {
    /// Parses `location.hash` (with or without the leading `#`).
    pub fn parse(hash: &str) -> Route {
        let path = hash.trim_start_matches('#').trim_start_matches('/');
        let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        match parts.as_slice() {
            [] | ["clients"] => Route::Clients,
            ["new", "account"] => Route::NewAccount,
            ["accounts", id] => {
                AccountId::parse(id).map_or_else(|| Route::NotFound(path.into()), Route::Account)
            }
            ["contacts", id] => {
                ContactId::parse(id).map_or_else(|| Route::NotFound(path.into()), Route::Contact)
            }
            _ => Route::NotFound(path.into()),
        }
    }

    /// The `href` for links to this route.
    pub fn href(&self) -> String {
        match self {
            Route::Clients => "#/clients".into(),
            Route::NewAccount => "#/new/account".into(),
            Route::Account(id) => format!("#/accounts/{id}"),
            Route::Contact(id) => format!("#/contacts/{id}"),
            Route::NotFound(path) => format!("#/{path}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_round_trip() {
        let a = AccountId::from_random([3; 16]);
        let c = ContactId::from_random([4; 16]);
        for r in [
            Route::Clients,
            Route::NewAccount,
            Route::Account(a),
            Route::Contact(c),
        ] {
            assert_eq!(Route::parse(&r.href()), r);
        }
    }

    #[test]
    fn empty_and_unknown_hashes() {
        assert_eq!(Route::parse(""), Route::Clients);
        assert_eq!(Route::parse("#"), Route::Clients);
        assert_eq!(Route::parse("#/"), Route::Clients);
        assert_eq!(
            Route::parse("#/accounts/not-an-id"),
            Route::NotFound("accounts/not-an-id".into())
        );
        assert_eq!(Route::parse("#/nowhere"), Route::NotFound("nowhere".into()));
    }
}
