//! Sample data for tests (native and in the browser). Not used by the app.

use super::Contents;
use crate::domain::catalog::{CatalogItem, FieldDef, FieldKind, FieldTarget, Tag, TeamMember, TeamRole};
use crate::domain::history::{Change, HistoryEntry};
use crate::domain::ids::{IdSource, SeededIds};
use crate::domain::note::Note;
use crate::domain::{Account, AccountType, Contact, Email, EmailAccess, Link, Timestamp};

/// A small practice: `n` accounts, each with one contact, a tag, a custom
/// field value, a note and a history entry.
pub fn sample(n: usize, seed: u64) -> Contents {
    let mut ids = SeededIds::new(seed);
    let tag = Tag {
        id: ids.id(),
        name: "VIP".into(),
        color: "blue".into(),
    };
    let owner = TeamMember {
        id: ids.id(),
        name: "Olga Owner".into(),
        email: "olga@example.com".into(),
        role: TeamRole::Owner,
        view_all_accounts: false,
        manage_accounts: false,
    };
    let field = FieldDef {
        id: ids.id(),
        target: FieldTarget::Account,
        label: "Tax year".into(),
        kind: FieldKind::Dropdown(vec!["2024".into(), "2025".into()]),
    };
    let mut c = Contents {
        catalog: vec![
            CatalogItem::Tag(tag.clone()),
            CatalogItem::Member(owner.clone()),
            CatalogItem::Field(field.clone()),
        ],
        ..Default::default()
    };
    for i in 0..n {
        let t = Timestamp(1_795_305_600_000 + i as i64);
        let contact = Contact {
            id: ids.contact_id(),
            first_name: format!("Ana{i}"),
            middle_name: String::new(),
            last_name: "Müller".into(),
            emails: Email::parse(&format!("Ana{i}@Example.com")).into_iter().collect(),
            phones: vec!["+40 721 000 000".into()],
            address: Default::default(),
            date_of_birth: "1980-02-29".into(),
            tags: vec![tag.id.clone()],
            custom: Default::default(),
            created_at: t,
            updated_at: t,
        };
        let account = Account {
            id: ids.account_id(),
            name: format!("Müller family {i}"),
            kind: AccountType::Individual,
            company_name: String::new(),
            address: Default::default(),
            tags: vec![tag.id.clone()],
            team: vec![owner.id.clone()],
            roles: vec![],
            custom: [(field.id.clone(), "2025".to_owned())].into_iter().collect(),
            folder_template: None,
            has_photo: false,
            archived: false,
            created_at: t,
            updated_at: t,
        };
        let mut access = EmailAccess::new(contact.email_keys()[0].clone(), true, true, false);
        access.invited_at = Some(t);
        c.links.push(Link {
            account_id: account.id.clone(),
            contact_id: contact.id.clone(),
            description: "Spouse".into(),
            signer_priority: Some(1),
            email_access: vec![access],
        });
        c.notes.push(Note {
            id: ids.id(),
            account_id: account.id.clone(),
            text: "Called\nabout the return".into(),
            by: "Olga Owner".into(),
            created_at: t,
            updated_at: t,
        });
        c.history.push(HistoryEntry {
            id: ids.id(),
            account_id: account.id.clone(),
            at: t,
            by: "Olga Owner".into(),
            change: Change::Renamed {
                from: "Ana".into(),
                to: account.name.clone(),
            },
        });
        c.contacts.push(contact);
        c.accounts.push(account);
    }
    c.sort();
    c
}
