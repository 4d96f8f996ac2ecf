//! Client accounts: the entities a practitioner works for and bills.

use super::ids::{AccountId, FieldId, MemberId, RoleId, TagId, TemplateId};
use super::time::Timestamp;
use super::validation::ValidationErrors;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AccountType {
    /// A person or a family.
    #[default]
    Individual,
    /// A firm: has a company name.
    Company,
    /// Anything else: a trust, a non-profit, an estate.
    Other,
}

impl AccountType {
    pub const ALL: [AccountType; 3] = [Self::Individual, Self::Company, Self::Other];

    /// The stable code used in URLs, forms and bundles.
    pub fn code(self) -> &'static str {
        match self {
            Self::Individual => "individual",
            Self::Company => "company",
            Self::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.code() == code)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Address {
    pub street: String,
    pub city: String,
    pub state: String,
    pub postal_code: String,
    pub country: String,
}

impl Address {
    /// The address with every part trimmed and checked; problems go to
    /// `errors` under `<prefix>street`, `<prefix>city`, ...
    pub fn checked(&self, errors: &mut ValidationErrors, prefix: &str) -> Address {
        use super::validation::Label;
        let mut part = |name: &str, label: Label, value: &str| {
            super::validation::text_field(errors, &format!("{prefix}{name}"), label, value, false)
        };
        Address {
            street: part("street", Label::Street, &self.street),
            city: part("city", Label::City, &self.city),
            state: part("state", Label::State, &self.state),
            postal_code: part("postal_code", Label::PostalCode, &self.postal_code),
            country: part("country", Label::Country, &self.country),
        }
    }

    pub fn is_empty(&self) -> bool {
        [
            &self.street,
            &self.city,
            &self.state,
            &self.postal_code,
            &self.country,
        ]
        .iter()
        .all(|s| s.trim().is_empty())
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub id: AccountId,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: AccountType,
    /// Only meaningful for [`AccountType::Company`].
    #[serde(default)]
    pub company_name: String,
    #[serde(default)]
    pub address: Address,
    #[serde(default)]
    pub tags: Vec<TagId>,
    /// Team members with access to this account.
    #[serde(default)]
    pub team: Vec<MemberId>,
    /// Which team member has which account role here.
    #[serde(default)]
    pub roles: Vec<RoleAssignment>,
    /// Values of account custom fields (absent = not set).
    #[serde(default)]
    pub custom: BTreeMap<FieldId, String>,
    /// `None`: the default folder structure.
    #[serde(default)]
    pub folder_template: Option<TemplateId>,
    /// Whether a photo is stored (photos live in their own store, so lists
    /// never load them).
    #[serde(default)]
    pub has_photo: bool,
    #[serde(default)]
    pub archived: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleAssignment {
    pub role: RoleId,
    pub member: MemberId,
}

/// Characters refused in account names: they break folder names on the
/// practitioner's disk and in document exports.
pub const FORBIDDEN_NAME_CHARS: [char; 7] = [':', '"', '/', '\\', '|', '?', '*'];

/// Checks an account name that is about to be saved (already trimmed and
/// non-empty or generated). Problems are reported under `field`.
pub fn check_account_name(errors: &mut ValidationErrors, field: &str, name: &str) {
    use super::validation::{Label, Problem, MAX_NAME_CHARS};
    if name.is_empty() {
        errors.push(field, Problem::Required(Label::AccountName));
        return;
    }
    if let Some(c) = name.chars().find(|c| FORBIDDEN_NAME_CHARS.contains(c)) {
        errors.push(field, Problem::ForbiddenChar(Label::AccountName, c));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        errors.push(field, Problem::TooLong(Label::AccountName, MAX_NAME_CHARS));
    }
    if name.chars().any(char::is_control) {
        errors.push(field, Problem::ControlChar(Label::AccountName));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_codes_round_trip() {
        for t in AccountType::ALL {
            assert_eq!(AccountType::from_code(t.code()), Some(t));
        }
        assert_eq!(AccountType::from_code("trust"), None);
    }

    #[test]
    fn every_forbidden_character_is_named() {
        for c in FORBIDDEN_NAME_CHARS {
            let mut e = ValidationErrors::default();
            check_account_name(&mut e, "account.name", &format!("Smith{c}Family"));
            assert_eq!(
                e.for_field("account.name"),
                Some(&crate::domain::validation::Problem::ForbiddenChar(
                    crate::domain::validation::Label::AccountName,
                    c
                ))
            );
        }
    }

    #[test]
    fn ordinary_names_pass() {
        let mut e = ValidationErrors::default();
        check_account_name(&mut e, "n", "Kate's LLC & Co. (2024) — Ștefănescu");
        assert!(e.is_empty(), "{e}");
    }
}
