//! The pure core: what an account, a contact and a link *are*, and the rules
//! they obey. Nothing here knows about browsers, storage or the UI.
//!
//! Architecture invariant: this module imports no web crate (leptos, web-sys,
//! js-sys, wasm-bindgen, indexed_db_futures). It is tested natively.

pub mod account;
pub mod backup;
pub mod catalog;
pub mod contact;
pub mod contact_merge;
pub mod demo;
pub mod directory;
pub mod duplicates;
pub mod edit;
pub mod email;
pub mod history;
pub mod ids;
pub mod invite;
pub mod link;
pub mod listing;
pub mod new_account;
pub mod note;
pub mod search;
pub mod sort;
pub mod time;
pub mod validation;

pub use account::{Account, AccountType, Address};
pub use contact::Contact;
pub use email::Email;
pub use ids::{AccountId, ContactId};
pub use link::{EmailAccess, Link};
pub use new_account::{NewAccount, NewAccountDraft, NewContactDraft};
pub use time::Timestamp;
pub use validation::{FieldError, ValidationErrors};
