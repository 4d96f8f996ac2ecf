//! Storage: one async trait, two implementations (IndexedDB in the browser,
//! in memory for native tests), and one contract test suite both must pass.
//!
//! Architecture invariant: every method that changes more than one record
//! does it atomically: all of it is written, or none of it.

pub mod contract;
pub mod memory;
pub mod schema;

#[cfg(target_arch = "wasm32")]
pub mod idb;

use crate::domain::{Account, AccountId, Contact, ContactId, Link, NewAccount, ValidationErrors};

/// What can go wrong in storage. The texts are for the practitioner.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// The change breaks a rule that depends on what is stored (an email
    /// already used, a contact that no longer exists). Nothing was written.
    #[error("{0}")]
    Rejected(ValidationErrors),
    #[error("An account with this id already exists")]
    AlreadyExists,
    #[error("This browser offers no local database here ({0}). Private windows and some settings block it.")]
    Unavailable(String),
    #[error("Your data was saved by a newer version of Clientbook. Reload the page to get it.")]
    NewerVersion,
    #[error(
        "Another Clientbook tab is using an older version of the data. Close it (or reload it) to continue."
    )]
    Blocked,
    #[error("The local database was closed (another tab updated Clientbook, or the browser cleared it). Reload the page.")]
    Closed,
    #[error("The device's storage is full. Nothing was saved; free some space and try again.")]
    QuotaExceeded,
    #[error("A stored {store} record could not be read ({reason}).")]
    Corrupt { store: &'static str, reason: String },
    #[error("Saving failed: {0}. Nothing was changed.")]
    Backend(String),
}

/// Everything the app reads and writes. Async, without a `Send` bound:
/// IndexedDB handles live on the browser's one thread.
#[allow(async_fn_in_trait)]
pub trait Store {
    /// Creates an account with its new contacts and links, atomically.
    /// Refused (nothing written) when an email of a new contact already
    /// belongs to a stored contact or a linked contact does not exist.
    async fn create_account(&self, new: &NewAccount) -> Result<(), StoreError>;

    /// All accounts, ordered by accent- and case-insensitive name.
    async fn accounts(&self) -> Result<Vec<Account>, StoreError>;

    async fn account(&self, id: &AccountId) -> Result<Option<Account>, StoreError>;

    /// The contacts linked to an account with their links, alphabetical by
    /// last name, then first name.
    async fn account_contacts(&self, id: &AccountId) -> Result<Vec<(Link, Contact)>, StoreError>;

    async fn contact(&self, id: &ContactId) -> Result<Option<Contact>, StoreError>;

    /// The contact that has this email (main or additional), case-insensitive.
    async fn contact_by_email(&self, email: &str) -> Result<Option<Contact>, StoreError>;

    /// The accounts a contact is linked to, ordered like [`Store::accounts`].
    async fn contact_accounts(&self, id: &ContactId) -> Result<Vec<(Link, Account)>, StoreError>;
}

/// Orders accounts as every store must: normalised name, then id.
pub(crate) fn account_order(a: &Account, b: &Account) -> std::cmp::Ordering {
    let ka = crate::domain::search::normalize(&a.name);
    let kb = crate::domain::search::normalize(&b.name);
    ka.cmp(&kb).then_with(|| a.id.cmp(&b.id))
}

/// Orders contacts as every store must: sort key, then id.
pub(crate) fn contact_order(a: &Contact, b: &Contact) -> std::cmp::Ordering {
    a.sort_key().cmp(&b.sort_key()).then_with(|| a.id.cmp(&b.id))
}
