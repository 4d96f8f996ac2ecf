//! Contacts: the real people behind accounts. Personal details live here,
//! not on the account.

use super::account::Address;
use super::email::Email;
use super::ids::{ContactId, FieldId, TagId};
use super::search::normalize;
use super::time::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub id: ContactId,
    pub first_name: String,
    #[serde(default)]
    pub middle_name: String,
    pub last_name: String,
    /// The first address is the main one; the rest are additional.
    #[serde(default)]
    pub emails: Vec<Email>,
    #[serde(default)]
    pub phones: Vec<String>,
    #[serde(default)]
    pub address: Address,
    /// `YYYY-MM-DD`, or empty.
    #[serde(default)]
    pub date_of_birth: String,
    #[serde(default)]
    pub tags: Vec<TagId>,
    #[serde(default)]
    pub custom: BTreeMap<FieldId, String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl Contact {
    /// "First Middle Last", skipping empty parts.
    pub fn display_name(&self) -> String {
        [&self.first_name, &self.middle_name, &self.last_name]
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Key for alphabetical order: last name, then first and middle name.
    pub fn sort_key(&self) -> String {
        normalize(&format!(
            "{} {} {}",
            self.last_name, self.first_name, self.middle_name
        ))
    }

    pub fn main_email(&self) -> Option<&Email> {
        self.emails.first()
    }

    /// Lower-cased addresses, for lookups.
    pub fn email_keys(&self) -> Vec<String> {
        self.emails.iter().map(Email::key).collect()
    }
}
