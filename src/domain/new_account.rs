//! Creating an account: the two-step form's input (a draft), its validation,
//! account-name generation, and the records it produces.

use super::account::{check_account_name, Account, AccountType, Address};
use super::catalog::{Catalog, FieldTarget};
use super::contact::Contact;
use super::email::Email;
use super::ids::{AccountId, ContactId, FieldId, IdSource, TagId, TemplateId};
use super::link::{EmailAccess, Link};
use super::time::Timestamp;
use super::validation::{text_field, Label, Problem, ValidationErrors};
use std::collections::BTreeMap;

/// A new person typed into step 2.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewContactDraft {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub login: bool,
    pub notify: bool,
    pub email_sync: bool,
    pub tags: Vec<TagId>,
    /// Raw typed values of contact custom fields.
    pub custom: BTreeMap<FieldId, String>,
}

/// One contact of the new account: typed in, or an existing one linked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ContactDraft {
    New(NewContactDraft),
    Existing(Box<Contact>),
}

/// Everything the two steps of "New account" collect.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewAccountDraft {
    pub kind: AccountType,
    /// Left empty: generated (see [`NewAccountDraft::account_name`]).
    pub name: String,
    pub company_name: String,
    pub tags: Vec<TagId>,
    /// `None`: the default folder structure.
    pub folder_template: Option<TemplateId>,
    /// Raw typed values of account custom fields.
    pub custom: BTreeMap<FieldId, String>,
    pub contacts: Vec<ContactDraft>,
}

/// The records a valid draft becomes; written together or not at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewAccount {
    pub account: Account,
    /// Contacts created with the account (linked ones already exist).
    pub new_contacts: Vec<Contact>,
    pub links: Vec<Link>,
}

/// Checks chosen tags and typed custom values against the catalog; problems
/// go under `prefix` (`account.`, `contacts[0].`). Returns what to store.
fn catalog_values(
    errors: &mut ValidationErrors,
    prefix: &str,
    catalog: &Catalog,
    target: FieldTarget,
    tags: &[TagId],
    custom: &BTreeMap<FieldId, String>,
) -> (Vec<TagId>, BTreeMap<FieldId, String>) {
    if tags.iter().any(|t| catalog.tag(t).is_none()) {
        errors.push(format!("{prefix}tags"), Problem::TagGone);
    }
    let kept_tags = catalog.known_tags(tags);
    for id in custom.keys() {
        if !catalog.fields_for(target).any(|f| &f.id == id) {
            errors.push(format!("{prefix}custom.{id}"), Problem::FieldGone);
        }
    }
    let values = catalog.check_custom(errors, prefix, target, custom);
    (kept_tags, values)
}

impl NewContactDraft {
    /// Validates the typed contact (problems go to `errors` under `prefix`,
    /// e.g. `contacts[0].`) and makes the contact with its link to
    /// `account_id`. `seen_emails` catches the same email typed twice.
    #[allow(clippy::too_many_arguments)]
    fn build_into(
        &self,
        errors: &mut ValidationErrors,
        catalog: &Catalog,
        prefix: &str,
        account_id: &AccountId,
        seen_emails: &mut Vec<String>,
        ids: &mut impl IdSource,
        now: Timestamp,
    ) -> (Contact, Link) {
        let at = |f: &str| format!("{prefix}{f}");
        let first = text_field(
            errors,
            &at("first_name"),
            Label::FirstName,
            &self.first_name,
            true,
        );
        let last = text_field(errors, &at("last_name"), Label::LastName, &self.last_name, true);
        let phone = text_field(errors, &at("phone"), Label::Phone, &self.phone, false);
        let mut emails = Vec::new();
        if self.email.trim().is_empty() {
            if self.login {
                errors.push(at("email"), Problem::LoginNeedsEmail);
            }
        } else {
            match Email::parse(&self.email) {
                Ok(e) if seen_emails.contains(&e.key()) => {
                    errors.push(at("email"), Problem::EmailTwiceInAccount(e.to_string()));
                }
                Ok(e) => {
                    seen_emails.push(e.key());
                    emails.push(e);
                }
                Err(e) => errors.push(at("email"), Problem::Email(e)),
            }
        }
        let (tags, custom) = catalog_values(
            errors,
            prefix,
            catalog,
            FieldTarget::Contact,
            &self.tags,
            &self.custom,
        );
        let contact_id = ids.contact_id();
        let link = Link {
            account_id: account_id.clone(),
            contact_id: contact_id.clone(),
            description: String::new(),
            signer_priority: None,
            email_access: emails
                .iter()
                .map(|e| EmailAccess::new(e.key(), self.login, self.notify, self.email_sync))
                .collect(),
        };
        let contact = Contact {
            id: contact_id,
            first_name: first,
            middle_name: String::new(),
            last_name: last,
            emails,
            phones: if phone.is_empty() { Vec::new() } else { vec![phone] },
            address: Address::default(),
            date_of_birth: String::new(),
            tags,
            custom,
            created_at: now,
            updated_at: now,
        };
        (contact, link)
    }

    /// A new contact for an existing account (Info → Contacts → Create
    /// contact). Problems are reported under `first_name`, `email`, ...
    pub fn build_for(
        &self,
        account_id: &AccountId,
        catalog: &Catalog,
        ids: &mut impl IdSource,
        now: Timestamp,
    ) -> Result<(Contact, Link), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let built = self.build_into(&mut errors, catalog, "", account_id, &mut Vec::new(), ids, now);
        errors.into_result(built)
    }
}

impl NewAccountDraft {
    /// The account name that will be saved: the typed one, or else the
    /// company name (Company type), or else the first contact's first and
    /// last name.
    pub fn account_name(&self) -> String {
        let typed = self.name.trim();
        if !typed.is_empty() {
            return typed.to_owned();
        }
        if self.kind == AccountType::Company && !self.company_name.trim().is_empty() {
            return self.company_name.trim().to_owned();
        }
        match self.contacts.first() {
            Some(ContactDraft::New(c)) => join_name(&c.first_name, &c.last_name),
            Some(ContactDraft::Existing(c)) => join_name(&c.first_name, &c.last_name),
            None => String::new(),
        }
    }

    /// Validates step 1 only (type and names), for the "Next" button.
    pub fn check_step1(&self) -> ValidationErrors {
        let mut errors = ValidationErrors::default();
        let name = text_field(&mut errors, "account.name", Label::AccountName, &self.name, false);
        if !name.is_empty() {
            check_account_name(&mut errors, "account.name", &name);
        }
        if self.kind == AccountType::Company {
            let company = text_field(
                &mut errors,
                "account.company_name",
                Label::CompanyName,
                &self.company_name,
                false,
            );
            if !company.is_empty() && name.is_empty() {
                check_account_name(&mut errors, "account.company_name", &company);
            }
        }
        errors
    }

    /// Validates everything and builds the records. Nothing is produced when
    /// any field is wrong; every problem is reported with its field.
    pub fn build(&self, ids: &mut impl IdSource, now: Timestamp) -> Result<NewAccount, ValidationErrors> {
        self.build_in(&Catalog::default(), ids, now)
    }

    /// [`NewAccountDraft::build`] with tags, folder template and custom
    /// values checked against the practice's catalog.
    pub fn build_in(
        &self,
        catalog: &Catalog,
        ids: &mut impl IdSource,
        now: Timestamp,
    ) -> Result<NewAccount, ValidationErrors> {
        let mut errors = self.check_step1();
        let (tags, custom) = catalog_values(
            &mut errors,
            "account.",
            catalog,
            FieldTarget::Account,
            &self.tags,
            &self.custom,
        );
        if let Some(t) = &self.folder_template {
            if catalog.template(t).is_none() {
                errors.push("account.folder_template", Problem::TemplateGone);
            }
        }
        if self.contacts.is_empty() {
            errors.push("contacts", Problem::NeedsContact);
        }
        let account_id = ids.account_id();
        let mut new_contacts = Vec::new();
        let mut links = Vec::new();
        let mut seen_emails: Vec<String> = Vec::new();
        let mut seen_contacts: Vec<ContactId> = Vec::new();
        for (i, draft) in self.contacts.iter().enumerate() {
            let at = |f: &str| format!("contacts[{i}].{f}");
            match draft {
                ContactDraft::New(c) => {
                    let (contact, link) = c.build_into(
                        &mut errors,
                        catalog,
                        &format!("contacts[{i}]."),
                        &account_id,
                        &mut seen_emails,
                        ids,
                        now,
                    );
                    links.push(link);
                    new_contacts.push(contact);
                }
                ContactDraft::Existing(c) => {
                    if seen_contacts.contains(&c.id) {
                        errors.push(at("contact"), Problem::LinkedTwice(c.display_name()));
                        continue;
                    }
                    seen_contacts.push(c.id.clone());
                    links.push(Link {
                        account_id: account_id.clone(),
                        contact_id: c.id.clone(),
                        description: String::new(),
                        signer_priority: None,
                        email_access: c
                            .emails
                            .iter()
                            .map(|e| EmailAccess::new(e.key(), false, false, false))
                            .collect(),
                    });
                }
            }
        }
        let name = self.account_name();
        if self.name.trim().is_empty() && errors.for_field("account.company_name").is_none() {
            // A generated name obeys the same rules as a typed one. When it
            // is empty because the first contact has no name yet, the
            // contact's own errors already say what to fill in.
            let first_contact_named = errors.for_field("contacts[0].first_name").is_none()
                && errors.for_field("contacts[0].last_name").is_none();
            if !name.is_empty() || (first_contact_named && !self.contacts.is_empty()) {
                check_account_name(&mut errors, "account.name", &name);
            }
        }
        let account = Account {
            id: account_id,
            name,
            kind: self.kind,
            company_name: if self.kind == AccountType::Company {
                self.company_name.trim().to_owned()
            } else {
                String::new()
            },
            address: Address::default(),
            tags,
            team: Vec::new(),
            roles: Vec::new(),
            custom,
            folder_template: self.folder_template.clone(),
            has_photo: false,
            archived: false,
            created_at: now,
            updated_at: now,
        };
        errors.into_result(NewAccount {
            account,
            new_contacts,
            links,
        })
    }
}

fn join_name(first: &str, last: &str) -> String {
    [first.trim(), last.trim()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
}

impl NewAccount {
    /// Contacts this account links to that must already be stored.
    pub fn linked_existing(&self) -> Vec<&ContactId> {
        self.links
            .iter()
            .map(|l| &l.contact_id)
            .filter(|id| !self.new_contacts.iter().any(|c| &c.id == *id))
            .collect()
    }

    /// Every email of the new contacts, with the field it was typed in.
    pub fn new_email_keys(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (i, c) in self.new_contacts.iter().enumerate() {
            for e in &c.emails {
                out.push((format!("contacts[{i}].email"), e.key()));
            }
        }
        out
    }

    /// Checks the draft against what is stored. `existing[i]` says whether
    /// `linked_existing()[i]` is stored; `owners[i]` is the contact that
    /// already has `new_email_keys()[i]`, if any.
    pub fn check_against_store(&self, existing: &[bool], owners: &[Option<ContactId>]) -> ValidationErrors {
        let mut errors = ValidationErrors::default();
        for (id, found) in self.linked_existing().into_iter().zip(existing) {
            if !found {
                errors.push("contacts", Problem::ContactGone(id.to_string()));
            }
        }
        for ((field, email), owner) in self.new_email_keys().into_iter().zip(owners) {
            if owner.is_some() {
                errors.push(field, Problem::EmailTaken(email));
            }
        }
        errors
    }
}

/// Builders shared by the domain's tests.
#[cfg(test)]
pub(crate) mod tests_support {
    use super::*;
    use crate::domain::ids::SeededIds;

    pub fn account(ids: &mut SeededIds, name: &str) -> Account {
        let d = NewAccountDraft {
            kind: AccountType::Individual,
            name: name.into(),
            company_name: String::new(),
            contacts: vec![ContactDraft::New(NewContactDraft {
                first_name: "A".into(),
                last_name: "B".into(),
                ..Default::default()
            })],
            ..Default::default()
        };
        match d.build(ids, Timestamp(0)) {
            Ok(new) => new.account,
            Err(e) => panic!("{e}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::SeededIds;

    fn person(first: &str, last: &str, email: &str) -> ContactDraft {
        ContactDraft::New(NewContactDraft {
            first_name: first.into(),
            last_name: last.into(),
            email: email.into(),
            ..Default::default()
        })
    }

    fn draft(kind: AccountType, name: &str, company: &str, contacts: Vec<ContactDraft>) -> NewAccountDraft {
        NewAccountDraft {
            kind,
            name: name.into(),
            company_name: company.into(),
            contacts,
            ..Default::default()
        }
    }

    fn build(d: &NewAccountDraft) -> Result<NewAccount, ValidationErrors> {
        d.build(&mut SeededIds::new(1), Timestamp(1000))
    }

    #[test]
    fn empty_name_is_generated_from_the_contact() {
        let d = draft(
            AccountType::Individual,
            "  ",
            "",
            vec![person(" Kate ", "Smith", "kate@example.com")],
        );
        let new = build(&d).expect("valid");
        assert_eq!(new.account.name, "Kate Smith");
        assert_eq!(new.new_contacts.len(), 1);
        assert_eq!(new.links.len(), 1);
        assert_eq!(new.links[0].contact_id, new.new_contacts[0].id);
        assert_eq!(new.links[0].account_id, new.account.id);
        assert_eq!(new.new_contacts[0].first_name, "Kate");
    }

    #[test]
    fn company_name_is_used_for_company_accounts() {
        let d = draft(
            AccountType::Company,
            "",
            "Kate's LLC",
            vec![person("Kate", "Smith", "")],
        );
        let new = build(&d).expect("valid");
        assert_eq!(new.account.name, "Kate's LLC");
        assert_eq!(new.account.company_name, "Kate's LLC");
        // Company name is dropped for other types.
        let d = draft(
            AccountType::Individual,
            "",
            "Kate's LLC",
            vec![person("Kate", "Smith", "")],
        );
        assert_eq!(build(&d).expect("valid").account.company_name, "");
    }

    #[test]
    fn a_typed_name_wins() {
        let d = draft(
            AccountType::Individual,
            "Smith Family",
            "",
            vec![person("Kate", "Smith", "")],
        );
        assert_eq!(build(&d).expect("valid").account.name, "Smith Family");
    }

    #[test]
    fn forbidden_characters_are_refused_typed_or_generated() {
        let d = draft(
            AccountType::Individual,
            "Smith/Family",
            "",
            vec![person("Kate", "Smith", "")],
        );
        let e = build(&d).expect_err("invalid");
        assert_eq!(
            e.for_field("account.name"),
            Some(&Problem::ForbiddenChar(Label::AccountName, '/'))
        );
        let d = draft(
            AccountType::Company,
            "",
            "What? Inc",
            vec![person("Kate", "Smith", "")],
        );
        let e = build(&d).expect_err("invalid");
        assert_eq!(
            e.for_field("account.company_name"),
            Some(&Problem::ForbiddenChar(Label::AccountName, '?')),
            "{e}"
        );
    }

    #[test]
    fn every_problem_is_reported_with_its_place() {
        let d = draft(
            AccountType::Individual,
            "",
            "",
            vec![person("", "Smith", "kate@"), person("Ann", "", "x")],
        );
        let e = build(&d).expect_err("invalid");
        assert_eq!(
            e.for_field("contacts[0].first_name"),
            Some(&Problem::Required(Label::FirstName))
        );
        assert_eq!(
            e.for_field("contacts[0].email"),
            Some(&Problem::Email(crate::domain::email::EmailError::Shape))
        );
        assert_eq!(
            e.for_field("contacts[1].last_name"),
            Some(&Problem::Required(Label::LastName))
        );
        assert!(e.for_field("contacts[1].email").is_some());
        // No generated name is possible yet, but that is the contact's problem.
        let d = draft(AccountType::Individual, "", "", vec![person("", "", "")]);
        let e = build(&d).expect_err("invalid");
        assert_eq!(e.for_field("account.name"), None);
        assert_eq!(e.0.len(), 2, "{e}");
    }

    #[test]
    fn a_contact_for_an_existing_account() {
        let account = AccountId::from_random([5; 16]);
        let draft = NewContactDraft {
            first_name: "Ann".into(),
            last_name: "Lee".into(),
            email: "ann@lee.example".into(),
            login: true,
            ..Default::default()
        };
        let (c, l) = draft
            .build_for(
                &account,
                &Catalog::default(),
                &mut SeededIds::new(3),
                Timestamp(1),
            )
            .expect("valid");
        assert_eq!((l.account_id, l.contact_id), (account.clone(), c.id));
        assert!(l.email_access[0].login && l.email_access[0].signatory);
        let bad = NewContactDraft {
            email: "x".into(),
            ..Default::default()
        };
        let e = bad
            .build_for(
                &account,
                &Catalog::default(),
                &mut SeededIds::new(3),
                Timestamp(1),
            )
            .expect_err("invalid");
        assert!(e.for_field("first_name").is_some() && e.for_field("email").is_some());
    }

    #[test]
    fn tags_template_and_custom_values_are_checked_against_the_catalog() {
        use crate::domain::catalog::{CatalogItem, FieldDef, FieldKind, FolderTemplate, Tag};
        let mut ids = SeededIds::new(12);
        let vip = Tag {
            id: ids.id(),
            name: "VIP".into(),
            color: "red".into(),
        };
        let year_end = FieldDef {
            id: ids.id(),
            target: FieldTarget::Account,
            label: "Year end".into(),
            kind: FieldKind::Date,
        };
        let birthday = FieldDef {
            id: ids.id(),
            target: FieldTarget::Contact,
            label: "Client since".into(),
            kind: FieldKind::Number,
        };
        let template = FolderTemplate {
            id: ids.id(),
            name: "Payroll".into(),
            folders: vec!["Payslips".into()],
        };
        let catalog = Catalog::from_items([
            CatalogItem::Tag(vip.clone()),
            CatalogItem::Field(year_end.clone()),
            CatalogItem::Field(birthday.clone()),
            CatalogItem::Template(template.clone()),
        ]);
        let mut contact = NewContactDraft {
            first_name: "A".into(),
            last_name: "B".into(),
            ..Default::default()
        };
        contact.tags.push(vip.id.clone());
        contact.custom.insert(birthday.id.clone(), "2019".into());
        let mut d = draft(AccountType::Individual, "", "", vec![ContactDraft::New(contact)]);
        d.tags.push(vip.id.clone());
        d.folder_template = Some(template.id.clone());
        d.custom.insert(year_end.id.clone(), "2025-12-31".into());
        let new = d
            .build_in(&catalog, &mut SeededIds::new(1), Timestamp(1))
            .expect("valid");
        assert_eq!(new.account.tags, vec![vip.id.clone()]);
        assert_eq!(new.account.folder_template, Some(template.id.clone()));
        assert_eq!(
            new.account.custom.get(&year_end.id).map(String::as_str),
            Some("2025-12-31")
        );
        assert_eq!(new.new_contacts[0].tags, vec![vip.id.clone()]);
        assert_eq!(
            new.new_contacts[0].custom.get(&birthday.id).map(String::as_str),
            Some("2019")
        );

        d.custom.insert(year_end.id.clone(), "31/12/2025".into());
        let e = d
            .build_in(&catalog, &mut SeededIds::new(1), Timestamp(1))
            .expect_err("invalid");
        assert!(e.for_field(&format!("account.custom.{}", year_end.id)).is_some());
        // Against an empty catalog nothing is dropped silently: it is refused.
        let e = d
            .build(&mut SeededIds::new(1), Timestamp(1))
            .expect_err("invalid");
        assert!(e.for_field("account.tags").is_some() && e.for_field("account.folder_template").is_some());
    }

    #[test]
    fn an_account_needs_a_contact() {
        let e = build(&draft(AccountType::Individual, "Lonely", "", vec![])).expect_err("invalid");
        assert!(e.for_field("contacts").is_some());
    }

    #[test]
    fn login_needs_an_email_and_turns_signatory_on() {
        let mut c = NewContactDraft {
            first_name: "A".into(),
            last_name: "B".into(),
            login: true,
            ..Default::default()
        };
        let e = build(&draft(
            AccountType::Individual,
            "",
            "",
            vec![ContactDraft::New(c.clone())],
        ))
        .expect_err("invalid");
        assert!(e.for_field("contacts[0].email").is_some());
        c.email = "A@B.example".into();
        let new = build(&draft(
            AccountType::Individual,
            "",
            "",
            vec![ContactDraft::New(c)],
        ))
        .expect("valid");
        let access = &new.links[0].email_access[0];
        assert_eq!(access.email, "a@b.example");
        assert!(access.login && access.signatory && !access.notify);
    }

    #[test]
    fn the_same_email_twice_in_one_account_is_refused() {
        let d = draft(
            AccountType::Individual,
            "",
            "",
            vec![person("A", "B", "x@y.io"), person("C", "D", "X@Y.io")],
        );
        let e = build(&d).expect_err("invalid");
        assert!(e.for_field("contacts[1].email").is_some());
    }

    #[test]
    fn linking_an_existing_contact() {
        let existing = build(&draft(
            AccountType::Individual,
            "",
            "",
            vec![person("Kate", "Smith", "k@s.io")],
        ))
        .expect("valid")
        .new_contacts
        .remove(0);
        let d = draft(
            AccountType::Company,
            "",
            "Kate's LLC",
            vec![ContactDraft::Existing(Box::new(existing.clone()))],
        );
        let new = build(&d).expect("valid");
        assert!(new.new_contacts.is_empty());
        assert_eq!(new.linked_existing(), vec![&existing.id]);
        assert_eq!(new.links[0].email_access[0].email, "k@s.io");
        let twice = draft(
            AccountType::Individual,
            "X",
            "",
            vec![
                ContactDraft::Existing(Box::new(existing.clone())),
                ContactDraft::Existing(Box::new(existing)),
            ],
        );
        assert!(build(&twice)
            .expect_err("invalid")
            .for_field("contacts[1].contact")
            .is_some());
    }

    #[test]
    fn store_facts_are_checked() {
        let new = build(&draft(
            AccountType::Individual,
            "",
            "",
            vec![person("Kate", "Smith", "k@s.io")],
        ))
        .expect("valid");
        assert_eq!(
            new.new_email_keys(),
            vec![("contacts[0].email".to_owned(), "k@s.io".to_owned())]
        );
        assert!(new.check_against_store(&[], &[None]).is_empty());
        let owner = Some(ContactId::from_random([1; 16]));
        let e = new.check_against_store(&[], &[owner]);
        assert_eq!(
            e.for_field("contacts[0].email"),
            Some(&Problem::EmailTaken("k@s.io".into()))
        );
    }
}
