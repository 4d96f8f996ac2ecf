//! Stored records: domain values plus the derived fields indexes read.
//! Written from borrowed values (a bulk write copies nothing); read back
//! as the plain domain values (`Account`, `Contact`), which ignore the
//! derived fields.

use crate::domain::search::normalize;
use crate::domain::{Account, Contact};
use serde::{Deserialize, Serialize};

#[derive(Serialize)]
pub struct AccountRecord<'a> {
    #[serde(flatten)]
    pub account: &'a Account,
    pub name_key: String,
}

impl<'a> AccountRecord<'a> {
    pub fn new(account: &'a Account) -> Self {
        Self {
            name_key: normalize(&account.name),
            account,
        }
    }
}

#[derive(Serialize)]
pub struct ContactRecord<'a> {
    #[serde(flatten)]
    pub contact: &'a Contact,
    pub name_key: String,
    pub email_keys: Vec<String>,
}

impl<'a> ContactRecord<'a> {
    pub fn new(contact: &'a Contact) -> Self {
        Self {
            name_key: contact.sort_key(),
            email_keys: contact.email_keys(),
            contact,
        }
    }
}

#[derive(Serialize, Deserialize)]
pub struct PhotoRecord {
    pub account_id: String,
    /// A `data:image/...` URL.
    pub data: String,
}
