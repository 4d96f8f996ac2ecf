//! The wire types of a bundle, one per record kind. Field order here is the
//! order in the file (canonical export); every read type refuses unknown
//! fields. Ids, codes and timestamps are plain strings and integers here:
//! turning them into domain values (with a path for every problem) is
//! `convert.rs`.

use crate::domain::history::Change;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddressDto {
    pub street: String,
    pub city: String,
    pub state: String,
    pub postal_code: String,
    pub country: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleAssignmentDto {
    pub role: String,
    pub member: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountDto {
    pub id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub company_name: String,
    pub address: AddressDto,
    pub tags: Vec<String>,
    pub team: Vec<String>,
    pub roles: Vec<RoleAssignmentDto>,
    pub custom: BTreeMap<String, String>,
    pub folder_template: Option<String>,
    pub archived: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactDto {
    pub id: String,
    pub first_name: String,
    pub middle_name: String,
    pub last_name: String,
    pub emails: Vec<String>,
    pub phones: Vec<String>,
    pub address: AddressDto,
    pub date_of_birth: String,
    pub tags: Vec<String>,
    pub custom: BTreeMap<String, String>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotifyPrefsDto {
    pub messages: bool,
    pub documents: bool,
    pub organizers: bool,
    pub invoices: bool,
    pub signatures: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmailAccessDto {
    pub email: String,
    pub login: bool,
    pub notify: bool,
    pub email_sync: bool,
    pub signatory: bool,
    pub notify_prefs: NotifyPrefsDto,
    pub invited_at: Option<i64>,
    pub activated_at: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkDto {
    pub account_id: String,
    pub contact_id: String,
    pub description: String,
    pub signer_priority: Option<u32>,
    pub emails: Vec<EmailAccessDto>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TagDto {
    pub id: String,
    pub name: String,
    pub color: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemberDto {
    pub id: String,
    pub name: String,
    pub email: String,
    pub role: String,
    pub view_all_accounts: bool,
    pub manage_accounts: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleDto {
    pub id: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldDto {
    pub id: String,
    /// `account` or `contact`.
    pub target: String,
    pub label: String,
    /// A [`crate::domain::catalog::FieldKind`] code.
    pub kind: String,
    /// Dropdown options (empty for other kinds).
    pub options: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplateDto {
    pub id: String,
    pub name: String,
    pub folders: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogDto {
    pub tags: Vec<TagDto>,
    pub members: Vec<MemberDto>,
    pub roles: Vec<RoleDto>,
    pub fields: Vec<FieldDto>,
    pub templates: Vec<TemplateDto>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoteDto {
    pub id: String,
    pub account_id: String,
    pub text: String,
    pub by: String,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HistoryDto {
    pub id: String,
    pub account_id: String,
    pub at: i64,
    pub by: String,
    /// The change, as the app stores it (`{"what": "Renamed", "from": .., "to": ..}`).
    pub change: Change,
}

/// The whole file, in its canonical field order (export only; reading goes
/// through [`super::read`], which takes the envelope apart field by field).
#[derive(Serialize)]
pub struct BundleOut<'a> {
    pub format: &'a str,
    pub version: u32,
    pub exported_at: i64,
    pub app_version: &'a str,
    pub catalog: CatalogDto,
    pub accounts: Vec<AccountDto>,
    pub contacts: Vec<ContactDto>,
    pub links: Vec<LinkDto>,
    pub notes: Vec<NoteDto>,
    pub history: Vec<HistoryDto>,
}
