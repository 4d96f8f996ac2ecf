//! Editing an account's info (the "Edit account info" form): the typed
//! values, their validation, and the account they make.

use super::account::{check_account_name, Account, AccountType, Address};
use super::catalog::{Catalog, FieldTarget};
use super::contact::Contact;
use super::email::Email;
use super::ids::{FieldId, MemberId, TagId, TemplateId};
use super::time::Timestamp;
use super::validation::{text_field, Label, Problem, ValidationErrors};
use std::collections::BTreeMap;

/// What the edit form holds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AccountEdit {
    pub kind: AccountType,
    pub name: String,
    pub company_name: String,
    pub address: Address,
    pub tags: Vec<TagId>,
    pub team: Vec<MemberId>,
    /// Raw typed values of account custom fields.
    pub custom: BTreeMap<FieldId, String>,
    pub folder_template: Option<TemplateId>,
}

impl AccountEdit {
    /// The form, filled from the stored account.
    pub fn from_account(a: &Account) -> Self {
        Self {
            kind: a.kind,
            name: a.name.clone(),
            company_name: a.company_name.clone(),
            address: a.address.clone(),
            tags: a.tags.clone(),
            team: a.team.clone(),
            custom: a.custom.clone(),
            folder_template: a.folder_template.clone(),
        }
    }

    /// Validates the form and returns the edited account. Problems are
    /// reported under `name`, `company_name`, `address.<part>`,
    /// `custom.<field id>`.
    pub fn apply(
        &self,
        before: &Account,
        catalog: &Catalog,
        now: Timestamp,
    ) -> Result<Account, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let name = text_field(&mut e, "name", Label::AccountName, &self.name, true);
        if !name.is_empty() {
            check_account_name(&mut e, "name", &name);
        }
        let company = if self.kind == AccountType::Company {
            text_field(
                &mut e,
                "company_name",
                Label::CompanyName,
                &self.company_name,
                false,
            )
        } else {
            String::new()
        };
        let address = self.address.checked(&mut e, "address.");
        let custom = catalog.check_custom(&mut e, "", FieldTarget::Account, &self.custom);
        // Keep only known tags, members and template; keep catalog order.
        let tags = catalog.known_tags(&self.tags);
        let team: Vec<MemberId> = catalog
            .members
            .iter()
            .filter(|m| self.team.contains(&m.id))
            .map(|m| m.id.clone())
            .collect();
        let folder_template = self
            .folder_template
            .clone()
            .filter(|t| catalog.template(t).is_some());
        let mut after = before.clone();
        after.kind = self.kind;
        after.name = name;
        after.company_name = company;
        after.address = address;
        after.tags = tags;
        // Removing a member from the team also ends their roles here.
        after.roles.retain(|r| team.contains(&r.member));
        after.team = team;
        after.custom = custom;
        after.folder_template = folder_template;
        if after != *before {
            after.updated_at = now;
        }
        e.into_result(after)
    }
}

/// What the contact edit form holds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContactEdit {
    pub first_name: String,
    pub middle_name: String,
    pub last_name: String,
    /// The first is the main email; empty rows are ignored.
    pub emails: Vec<String>,
    /// Empty rows are ignored.
    pub phones: Vec<String>,
    pub address: Address,
    pub date_of_birth: String,
    pub tags: Vec<TagId>,
    pub custom: BTreeMap<FieldId, String>,
}

impl ContactEdit {
    pub fn from_contact(c: &Contact) -> Self {
        Self {
            first_name: c.first_name.clone(),
            middle_name: c.middle_name.clone(),
            last_name: c.last_name.clone(),
            emails: c.emails.iter().map(|e| e.to_string()).collect(),
            phones: c.phones.clone(),
            address: c.address.clone(),
            date_of_birth: c.date_of_birth.clone(),
            tags: c.tags.clone(),
            custom: c.custom.clone(),
        }
    }

    /// Validates the form and returns the edited contact. Problems are
    /// reported under `first_name`, `last_name`, `emails[i]`, `phones[i]`,
    /// `date_of_birth`, `address.<part>`, `custom.<field id>`.
    pub fn apply(
        &self,
        before: &Contact,
        catalog: &Catalog,
        now: Timestamp,
    ) -> Result<Contact, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let first_name = text_field(&mut e, "first_name", Label::FirstName, &self.first_name, true);
        let middle_name = text_field(&mut e, "middle_name", Label::MiddleName, &self.middle_name, false);
        let last_name = text_field(&mut e, "last_name", Label::LastName, &self.last_name, true);
        let mut emails: Vec<Email> = Vec::new();
        for (i, raw) in self.emails.iter().enumerate() {
            if raw.trim().is_empty() {
                continue;
            }
            match Email::parse(raw) {
                Ok(m) if emails.iter().any(|x| x.key() == m.key()) => {
                    e.push(format!("emails[{i}]"), Problem::EmailListedTwice(m.to_string()));
                }
                Ok(m) => emails.push(m),
                Err(err) => e.push(format!("emails[{i}]"), Problem::Email(err)),
            }
        }
        let mut phones = Vec::new();
        for (i, raw) in self.phones.iter().enumerate() {
            let p = text_field(&mut e, &format!("phones[{i}]"), Label::Phone, raw, false);
            if !p.is_empty() {
                phones.push(p);
            }
        }
        let dob = self.date_of_birth.trim().to_owned();
        if !dob.is_empty() && super::time::parse_date(&dob).is_none() {
            e.push("date_of_birth", Problem::NotADate(Label::DateOfBirth));
        }
        let address = self.address.checked(&mut e, "address.");
        let custom = catalog.check_custom(&mut e, "", FieldTarget::Contact, &self.custom);
        let tags = catalog.known_tags(&self.tags);
        let mut after = before.clone();
        after.first_name = first_name;
        after.middle_name = middle_name;
        after.last_name = last_name;
        after.emails = emails;
        after.phones = phones;
        after.address = address;
        after.date_of_birth = dob;
        after.tags = tags;
        after.custom = custom;
        if after != *before {
            after.updated_at = now;
        }
        e.into_result(after)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalog::{CatalogItem, FieldDef, FieldKind, Tag};
    use crate::domain::ids::{IdSource, SeededIds};
    use crate::domain::new_account::tests_support::account;

    #[test]
    fn edits_apply_and_are_validated() {
        let mut ids = SeededIds::new(5);
        let tag = Tag {
            id: ids.id(),
            name: "VIP".into(),
            color: "red".into(),
        };
        let fee = FieldDef {
            id: ids.id(),
            target: FieldTarget::Account,
            label: "Fee".into(),
            kind: FieldKind::Number,
        };
        let catalog = Catalog::from_items([CatalogItem::Tag(tag.clone()), CatalogItem::Field(fee.clone())]);
        let before = account(&mut ids, "Smith");
        let mut edit = AccountEdit::from_account(&before);
        edit.kind = AccountType::Company;
        edit.name = " Smith Ltd ".into();
        edit.company_name = "Smith Ltd".into();
        edit.tags.push(tag.id.clone());
        edit.tags.push(ids.id()); // unknown tag: dropped
        edit.custom.insert(fee.id.clone(), "1 200".into());
        edit.address.city = "Cluj-Napoca".into();
        let after = edit.apply(&before, &catalog, Timestamp(9)).expect("valid");
        assert_eq!(after.name, "Smith Ltd");
        assert_eq!(after.tags, vec![tag.id.clone()]);
        assert_eq!(after.custom.get(&fee.id).map(String::as_str), Some("1200"));
        assert_eq!(after.updated_at, Timestamp(9));

        edit.name = "Smith | Ltd".into();
        edit.custom.insert(fee.id.clone(), "a lot".into());
        let e = edit.apply(&before, &catalog, Timestamp(9)).expect_err("invalid");
        assert_eq!(
            e.for_field("name"),
            Some(&Problem::ForbiddenChar(Label::AccountName, '|'))
        );
        assert_eq!(
            e.for_field(&format!("custom.{}", fee.id)),
            Some(&Problem::NotANumber(Label::Custom("Fee".into())))
        );
    }

    #[test]
    fn contact_edits_check_every_email_and_date() {
        let mut ids = SeededIds::new(7);
        let d = crate::domain::NewAccountDraft {
            kind: AccountType::Individual,
            name: String::new(),
            company_name: String::new(),
            tags: Vec::new(),
            folder_template: None,
            custom: Default::default(),
            contacts: vec![crate::domain::new_account::ContactDraft::New(
                crate::domain::NewContactDraft {
                    first_name: "Kate".into(),
                    last_name: "Smith".into(),
                    email: "kate@example.com".into(),
                    ..Default::default()
                },
            )],
        };
        let before = d
            .build(&mut ids, Timestamp(1))
            .expect("valid")
            .new_contacts
            .remove(0);
        let mut edit = ContactEdit::from_contact(&before);
        edit.emails.push(" ".into());
        edit.emails.push("kate.work@example.com".into());
        edit.date_of_birth = "1980-05-17".into();
        let after = edit
            .apply(&before, &Catalog::default(), Timestamp(2))
            .expect("valid");
        assert_eq!(after.email_keys(), ["kate@example.com", "kate.work@example.com"]);
        edit.emails.push("KATE@example.com".into());
        edit.emails.push("nope".into());
        edit.date_of_birth = "1980-02-30".into();
        edit.first_name = String::new();
        let e = edit
            .apply(&before, &Catalog::default(), Timestamp(2))
            .expect_err("invalid");
        assert_eq!(
            e.for_field("emails[3]"),
            Some(&Problem::EmailListedTwice("KATE@example.com".into()))
        );
        assert!(e.for_field("emails[4]").is_some());
        assert!(e.for_field("date_of_birth").is_some());
        assert!(e.for_field("first_name").is_some());
    }

    #[test]
    fn no_change_keeps_the_timestamp() {
        let mut ids = SeededIds::new(6);
        let before = account(&mut ids, "Same");
        let after = AccountEdit::from_account(&before)
            .apply(&before, &Catalog::default(), Timestamp(99))
            .expect("valid");
        assert_eq!(after, before);
    }
}
