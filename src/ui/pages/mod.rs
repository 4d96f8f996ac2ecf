//! One file per page.

pub mod account;
pub mod clients;
pub mod contact;
pub mod csv_import;
pub mod data;
pub mod duplicates;
pub mod new_account;
pub mod not_found;
pub mod settings;
pub mod vcard_import;
