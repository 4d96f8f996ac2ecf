//! Clientbook: an offline client-accounts CRM that runs in the browser.
//! See ARCHITECTURE.md for the map of this crate.

pub mod bundle;
pub mod domain;
pub mod error;
pub mod i18n;
pub mod route;
pub mod store;

#[cfg(target_arch = "wasm32")]
pub mod ui;
