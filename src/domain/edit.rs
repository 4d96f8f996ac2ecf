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

/// A form saved over a record that changed since the form was opened:
/// each value the practitioner changed is taken as typed, every other value
/// as it is stored now, so a change saved meanwhile (in another tab, or by
/// another control on the page) is kept. A value changed both here and
/// there, in different ways, is a conflict: it is named, and taken as typed.
struct Rebase<'a> {
    conflicts: Vec<&'a str>,
}

impl<'a> Rebase<'a> {
    fn value<T: PartialEq + Clone>(&mut self, name: &'a str, base: &T, typed: &T, current: &T) -> T {
        if typed == base {
            return current.clone();
        }
        if current != base && current != typed {
            self.conflicts.push(name);
        }
        typed.clone()
    }

    /// Custom values field by field (a field set only here and one set only
    /// there are both kept).
    fn custom(
        &mut self,
        base: &'a BTreeMap<FieldId, String>,
        typed: &'a BTreeMap<FieldId, String>,
        current: &'a BTreeMap<FieldId, String>,
    ) -> BTreeMap<FieldId, String> {
        let mut out = BTreeMap::new();
        let ids: std::collections::BTreeSet<&FieldId> =
            base.keys().chain(typed.keys()).chain(current.keys()).collect();
        for id in ids {
            let (b, t, c) = (base.get(id), typed.get(id), current.get(id));
            if let Some(v) = self.value(id.as_str(), &b, &t, &c) {
                out.insert(id.clone(), v.clone());
            }
        }
        out
    }

    /// An address part by part.
    fn address(&mut self, base: &Address, typed: &Address, current: &Address) -> Address {
        Address {
            street: self.value("address.street", &base.street, &typed.street, &current.street),
            city: self.value("address.city", &base.city, &typed.city, &current.city),
            state: self.value("address.state", &base.state, &typed.state, &current.state),
            postal_code: self.value(
                "address.postal_code",
                &base.postal_code,
                &typed.postal_code,
                &current.postal_code,
            ),
            country: self.value("address.country", &base.country, &typed.country, &current.country),
        }
    }

    /// A set (tags, team): what is stored now, with what was added here and
    /// without what was taken away here. Never a conflict.
    fn set<T: PartialEq + Clone>(base: &[T], typed: &[T], current: &[T]) -> Vec<T> {
        let mut out: Vec<T> = current
            .iter()
            .filter(|x| typed.contains(x) || !base.contains(x))
            .cloned()
            .collect();
        for x in typed {
            if !base.contains(x) && !out.contains(x) {
                out.push(x.clone());
            }
        }
        out
    }

    fn done<T>(self, merged: T) -> (T, Vec<String>) {
        (merged, self.conflicts.into_iter().map(str::to_owned).collect())
    }
}

impl AccountEdit {
    /// This form, opened on `base`, as it applies to `current` (see
    /// [`Rebase`]), and the names of the values changed both here and there.
    pub fn rebase(&self, base: &AccountEdit, current: &AccountEdit) -> (AccountEdit, Vec<String>) {
        let mut r = Rebase {
            conflicts: Vec::new(),
        };
        let merged = AccountEdit {
            kind: r.value("kind", &base.kind, &self.kind, &current.kind),
            name: r.value("name", &base.name, &self.name, &current.name),
            company_name: r.value(
                "company_name",
                &base.company_name,
                &self.company_name,
                &current.company_name,
            ),
            address: r.address(&base.address, &self.address, &current.address),
            tags: Rebase::set(&base.tags, &self.tags, &current.tags),
            team: Rebase::set(&base.team, &self.team, &current.team),
            custom: r.custom(&base.custom, &self.custom, &current.custom),
            folder_template: r.value(
                "folder_template",
                &base.folder_template,
                &self.folder_template,
                &current.folder_template,
            ),
        };
        r.done(merged)
    }
}

impl ContactEdit {
    /// This form, opened on `base`, as it applies to `current` (see
    /// [`Rebase`]), and the names of the values changed both here and there.
    pub fn rebase(&self, base: &ContactEdit, current: &ContactEdit) -> (ContactEdit, Vec<String>) {
        let mut r = Rebase {
            conflicts: Vec::new(),
        };
        let merged = ContactEdit {
            first_name: r.value(
                "first_name",
                &base.first_name,
                &self.first_name,
                &current.first_name,
            ),
            middle_name: r.value(
                "middle_name",
                &base.middle_name,
                &self.middle_name,
                &current.middle_name,
            ),
            last_name: r.value("last_name", &base.last_name, &self.last_name, &current.last_name),
            emails: r.value("emails", &base.emails, &self.emails, &current.emails),
            phones: r.value("phones", &base.phones, &self.phones, &current.phones),
            address: r.address(&base.address, &self.address, &current.address),
            date_of_birth: r.value(
                "date_of_birth",
                &base.date_of_birth,
                &self.date_of_birth,
                &current.date_of_birth,
            ),
            tags: Rebase::set(&base.tags, &self.tags, &current.tags),
            custom: r.custom(&base.custom, &self.custom, &current.custom),
        };
        r.done(merged)
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

    #[test]
    fn a_form_saved_over_a_changed_record_keeps_both_changes_or_names_the_conflict() {
        let mut ids = SeededIds::new(11);
        let (fee, rate): (FieldId, FieldId) = (ids.id(), ids.id());
        let base = AccountEdit {
            name: "Smith".into(),
            custom: BTreeMap::from([(fee.clone(), "100".into())]),
            ..AccountEdit::default()
        };
        // Typed here: the name and a new value of `rate`.
        let mut typed = base.clone();
        typed.name = "Smith household".into();
        typed.custom.insert(rate.clone(), "5".into());
        // Saved meanwhile: the company name, and `fee` removed.
        let mut current = base.clone();
        current.company_name = "Smith Ltd".into();
        current.custom.remove(&fee);
        let (merged, conflicts) = typed.rebase(&base, &current);
        assert!(conflicts.is_empty());
        assert_eq!(merged.name, "Smith household");
        assert_eq!(merged.company_name, "Smith Ltd");
        assert_eq!(merged.custom, BTreeMap::from([(rate.clone(), "5".into())]));
        // Parts of the address, and tags added or removed on each side.
        let (vip, late, new): (TagId, TagId, TagId) = (ids.id(), ids.id(), ids.id());
        let mut b2 = base.clone();
        b2.tags = vec![vip.clone(), late.clone()];
        let mut t2 = b2.clone();
        t2.address.city = "Sibiu".into();
        t2.tags = vec![vip.clone(), new.clone()];
        let mut c2 = b2.clone();
        c2.address.street = "Strada Mare 1".into();
        c2.tags = vec![late.clone()];
        let (m2, conflicts) = t2.rebase(&b2, &c2);
        assert!(conflicts.is_empty());
        assert_eq!(
            (m2.address.street.as_str(), m2.address.city.as_str()),
            ("Strada Mare 1", "Sibiu")
        );
        assert_eq!(m2.tags, vec![new.clone()]);
        c2.address.city = "Brașov".into();
        assert_eq!(t2.rebase(&b2, &c2).1, vec!["address.city".to_owned()]);
        // Nothing changed meanwhile: the form as typed.
        assert_eq!(typed.rebase(&base, &base), (typed.clone(), vec![]));
        // The same change on both sides is no conflict.
        assert_eq!(typed.rebase(&base, &typed), (typed.clone(), vec![]));
        // The name and `rate` changed both here and there: named, and taken
        // as typed; the rest as stored now.
        let mut renamed = current.clone();
        renamed.name = "Smyth".into();
        renamed.custom.insert(rate.clone(), "7".into());
        let (merged, conflicts) = typed.rebase(&base, &renamed);
        assert_eq!(conflicts, vec!["name".to_owned(), rate.to_string()]);
        assert_eq!(merged.name, "Smith household");
        assert_eq!(merged.company_name, "Smith Ltd");
        assert_eq!(merged.custom, BTreeMap::from([(rate.clone(), "5".into())]));

        let cbase = ContactEdit {
            first_name: "Ana".into(),
            emails: vec!["ana@pop.example".into()],
            ..ContactEdit::default()
        };
        let mut ctyped = cbase.clone();
        ctyped.middle_name = "Maria".into();
        let mut ccurrent = cbase.clone();
        ccurrent.emails.push("ana.work@pop.example".into());
        let (merged, conflicts) = ctyped.rebase(&cbase, &ccurrent);
        assert!(conflicts.is_empty());
        assert_eq!(merged.middle_name, "Maria");
        assert_eq!(merged.emails, ccurrent.emails);
        ctyped.emails = vec!["ana@home.example".into()];
        assert_eq!(ctyped.rebase(&cbase, &ccurrent).1, vec!["emails".to_owned()]);
    }
}
