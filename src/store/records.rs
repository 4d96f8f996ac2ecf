//! Stored records: domain values plus the derived fields indexes read.

use crate::domain::search::normalize;
use crate::domain::{Account, Contact};
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize)]
pub struct AccountRecord {
    #[serde(flatten)]
    pub account: Account,
    pub name_key: String,
}

impl AccountRecord {
    pub fn new(account: &Account) -> Self {
        Self {
            name_key: normalize(&account.name),
            account: account.clone(),
        }
    }
}

#[derive(Serialize, Deserialize)]
pub struct ContactRecord {
    #[serde(flatten)]
    pub contact: Contact,
    pub name_key: String,
    pub email_keys: Vec<String>,
}

impl ContactRecord {
    pub fn new(contact: &Contact) -> Self {
        Self {
            name_key: contact.sort_key(),
            email_keys: contact.email_keys(),
            contact: contact.clone(),
        }
    }
}

#[derive(Serialize, Deserialize)]
pub struct PhotoRecord {
    pub account_id: String,
    /// A `data:image/...` URL.
    pub data: String,
}
