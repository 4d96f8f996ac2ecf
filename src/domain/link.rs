//! The many-to-many link between an account and a contact, with what is
//! specific to that pair: a description, a signer priority and, per email of
//! the contact, the portal and notification switches.

use super::ids::{AccountId, ContactId};
use serde::{Deserialize, Serialize};

/// Switches for one email address of a contact, valid for one account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailAccess {
    /// Lower-cased address this applies to.
    pub email: String,
    /// Portal access.
    pub login: bool,
    /// System notifications.
    pub notify: bool,
    /// Emails from this address are synced to the account.
    pub email_sync: bool,
    /// May sign proposals, engagement letters and recurring invoices.
    pub signatory: bool,
}

impl EmailAccess {
    /// The switches a new email starts with: Signatory follows Login.
    pub fn new(email: String, login: bool, notify: bool, email_sync: bool) -> Self {
        Self {
            email,
            login,
            notify,
            email_sync,
            signatory: login,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    pub account_id: AccountId,
    pub contact_id: ContactId,
    /// Valid for this account only ("primary contact" here, "CEO" there).
    #[serde(default)]
    pub description: String,
    /// Default order of signers; `None` means no particular order.
    #[serde(default)]
    pub signer_priority: Option<u32>,
    #[serde(default)]
    pub email_access: Vec<EmailAccess>,
}
