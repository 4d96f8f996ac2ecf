//! Merging two or more contacts into one. The practitioner picks the
//! contact that stays (its id is kept) and, for each field where the
//! contacts differ, whose value wins; everything else is kept from all of
//! them: every email, phone and tag, and every account link with its
//! description, signer priority and per-email switches. When several of the
//! contacts were linked to the same account, the links become one (and the
//! outcome says how). A photo is kept too: the contact that stays keeps
//! its own, or takes the first of the others' ([`kept_photo`]). Pure: the
//! repository runs it inside the write transaction on the stored records.

use super::catalog::{Catalog, FieldTarget};
use super::contact::Contact;
use super::duplicates::phone_key;
use super::ids::{AccountId, ContactId, FieldId};
use super::link::Link;
use super::photo::ContactPhoto;
use super::sort;
use super::time::Timestamp;
use std::collections::{BTreeMap, BTreeSet};

/// A field whose value comes from one contact.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MergeField {
    /// First, middle and last name together.
    Name,
    /// Which email is the main one (every email is kept).
    MainEmail,
    Address,
    DateOfBirth,
    Custom(FieldId),
}

/// What the practitioner chose.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MergeChoices {
    /// The contact that stays.
    pub survivor: ContactId,
    /// The contacts merged into it (they are removed).
    pub others: Vec<ContactId>,
    /// Whose value wins, per field; a field not named here takes the
    /// survivor's value, or when it is empty the first other's that is not.
    pub picks: BTreeMap<MergeField, ContactId>,
}

/// A field where the contacts have different values, for the side-by-side.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Difference {
    pub field: MergeField,
    pub label: String,
    /// Each contact's value, as shown (empty when it has none), in the
    /// order the contacts were given.
    pub values: Vec<(ContactId, String)>,
}

/// What a merge does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MergeOutcome {
    /// The contact that stays, as it will be.
    pub contact: Contact,
    /// The contacts removed.
    pub removed: Vec<ContactId>,
    /// Links to write (the survivor's, new or changed).
    pub put_links: Vec<Link>,
    /// Links to delete (those of the removed contacts).
    pub delete_links: Vec<(AccountId, ContactId)>,
    /// Every account linked to any of the contacts, in id order.
    pub accounts: Vec<AccountId>,
    /// Accounts several of the contacts were linked to, with what the one
    /// link keeps (its description and signer priority, and each email's
    /// switches).
    pub joined_links: Vec<(AccountId, JoinedLink)>,
}

/// What the one link left of several keeps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JoinedLink {
    /// The descriptions joined (empty when there were none).
    pub description: String,
    pub signer_priority: Option<u32>,
}

/// Why a merge cannot be done (the interface words it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MergeError {
    /// Fewer than two contacts.
    #[error("too few contacts")]
    TooFew,
    /// A contact chosen twice, or both kept and merged.
    #[error("a contact repeated")]
    Repeated,
    /// A chosen value of a contact not being merged.
    #[error("unknown pick")]
    UnknownPick,
    /// A contact to merge is missing.
    #[error("missing contact")]
    Missing,
}

fn address_text(c: &Contact) -> String {
    let a = &c.address;
    [&a.street, &a.postal_code, &a.city, &a.state, &a.country]
        .iter()
        .filter(|s| !s.trim().is_empty())
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The value of `field` on `c`, as text (empty when it has none).
pub fn value(c: &Contact, field: &MergeField) -> String {
    match field {
        MergeField::Name => c.display_name(),
        MergeField::MainEmail => c.main_email().map(ToString::to_string).unwrap_or_default(),
        MergeField::Address => address_text(c),
        MergeField::DateOfBirth => c.date_of_birth.clone(),
        MergeField::Custom(id) => c.custom.get(id).cloned().unwrap_or_default(),
    }
}

/// Fields where at least two contacts have different non-empty values.
/// `contacts` in the order to show them (the survivor first, say).
pub fn differences(contacts: &[Contact], catalog: &Catalog) -> Vec<Difference> {
    let mut fields = vec![
        // Built-in fields have no label of the practice's: the interface
        // names them.
        (MergeField::Name, String::new()),
        (MergeField::MainEmail, String::new()),
        (MergeField::Address, String::new()),
        (MergeField::DateOfBirth, String::new()),
    ];
    let used: BTreeSet<&FieldId> = sort::set(contacts.iter().flat_map(|c| c.custom.keys()));
    for f in catalog.fields_for(FieldTarget::Contact) {
        if used.contains(&f.id) {
            fields.push((MergeField::Custom(f.id.clone()), f.label.clone()));
        }
    }
    // Values of fields no longer in the catalog still merge; they show by id.
    for id in used {
        if catalog.field(id).is_none() {
            fields.push((MergeField::Custom(id.clone()), String::new()));
        }
    }
    fields
        .into_iter()
        .filter_map(|(field, label)| {
            let values: Vec<(ContactId, String)> = contacts
                .iter()
                .map(|c| (c.id.clone(), value(c, &field)))
                .collect();
            let distinct: BTreeSet<&str> =
                sort::set(values.iter().map(|(_, v)| v.as_str()).filter(|v| !v.is_empty()));
            (distinct.len() > 1).then_some(Difference { field, label, values })
        })
        .collect()
}

/// The contact whose value of `field` wins: the pick, else the first (the
/// survivor first) with a value, else the first. `None` only for no contacts.
pub fn winner<'a>(field: &MergeField, all: &[&'a Contact], choices: &MergeChoices) -> Option<&'a Contact> {
    if let Some(id) = choices.picks.get(field) {
        if let Some(c) = all.iter().find(|c| &c.id == id) {
            return Some(c);
        }
    }
    all.iter()
        .find(|c| !value(c, field).is_empty())
        .or_else(|| all.first())
        .copied()
}

/// Merges `contacts` (every contact named in `choices`, any order) with
/// `links` (every link of those contacts) as `choices` say.
pub fn merge(
    contacts: &[Contact],
    links: &[Link],
    choices: &MergeChoices,
    at: Timestamp,
) -> Result<MergeOutcome, MergeError> {
    if choices.others.is_empty() {
        return Err(MergeError::TooFew);
    }
    let mut order = vec![&choices.survivor];
    for o in &choices.others {
        if order.contains(&o) {
            return Err(MergeError::Repeated);
        }
        order.push(o);
    }
    let all: Vec<&Contact> = order
        .iter()
        .map(|id| contacts.iter().find(|c| &&c.id == id).ok_or(MergeError::Missing))
        .collect::<Result<_, _>>()?;
    if choices.picks.values().any(|id| !order.contains(&id)) {
        return Err(MergeError::UnknownPick);
    }
    let survivor = all[0];
    let winner = |field: &MergeField| winner(field, &all, choices).unwrap_or(survivor);
    let mut out = survivor.clone();
    let name = winner(&MergeField::Name);
    out.first_name = name.first_name.clone();
    out.middle_name = name.middle_name.clone();
    out.last_name = name.last_name.clone();
    out.address = winner(&MergeField::Address).address.clone();
    out.date_of_birth = winner(&MergeField::DateOfBirth).date_of_birth.clone();
    // Every email, the chosen main one first.
    out.emails = Vec::new();
    if let Some(main) = winner(&MergeField::MainEmail).main_email() {
        out.emails.push(main.clone());
    }
    for e in all.iter().flat_map(|c| &c.emails) {
        if !out.emails.iter().any(|x| x.key() == e.key()) {
            out.emails.push(e.clone());
        }
    }
    // Every phone, the same number written twice kept once.
    out.phones = Vec::new();
    for p in all.iter().flat_map(|c| &c.phones) {
        let key = phone_key(p);
        if !out
            .phones
            .iter()
            .any(|x| x == p || (key.is_some() && phone_key(x) == key))
        {
            out.phones.push(p.clone());
        }
    }
    out.tags = Vec::new();
    for t in all.iter().flat_map(|c| &c.tags) {
        if !out.tags.contains(t) {
            out.tags.push(t.clone());
        }
    }
    let field_ids: BTreeSet<&FieldId> = sort::set(all.iter().flat_map(|c| c.custom.keys()));
    out.custom = BTreeMap::new();
    for id in field_ids {
        let field = MergeField::Custom(id.clone());
        let v = value(winner(&field), &field);
        if !v.is_empty() {
            out.custom.insert(id.clone(), v);
        }
    }
    out.created_at = all.iter().map(|c| c.created_at).min().unwrap_or(at);
    out.updated_at = at;

    // Links, per account: one link to the survivor.
    let keys = out.email_keys();
    let mut per_account: BTreeMap<&AccountId, Vec<&Link>> = BTreeMap::new();
    for id in &order {
        for l in links.iter().filter(|l| &&l.contact_id == id) {
            per_account.entry(&l.account_id).or_default().push(l);
        }
    }
    let mut put_links = Vec::new();
    let mut delete_links = Vec::new();
    let mut joined_links = Vec::new();
    for (account, ls) in &per_account {
        let mut link = Link {
            account_id: (*account).clone(),
            contact_id: survivor.id.clone(),
            description: String::new(),
            signer_priority: ls.iter().filter_map(|l| l.signer_priority).min(),
            email_access: Vec::new(),
        };
        let mut descriptions: Vec<&str> = Vec::new();
        for l in ls {
            let d = l.description.trim();
            if !d.is_empty() && !descriptions.contains(&d) {
                descriptions.push(d);
            }
            for a in &l.email_access {
                if !link.email_access.iter().any(|x| x.email == a.email) {
                    link.email_access.push(a.clone());
                }
            }
            if l.contact_id != survivor.id {
                delete_links.push((l.account_id.clone(), l.contact_id.clone()));
            }
        }
        link.description = descriptions.join(" / ");
        link.sync_emails(&keys);
        if ls.len() > 1 {
            joined_links.push((
                (*account).clone(),
                JoinedLink {
                    description: link.description.clone(),
                    signer_priority: link.signer_priority,
                },
            ));
        }
        let unchanged = ls.len() == 1 && ls[0].contact_id == survivor.id && *ls[0] == link;
        if !unchanged {
            put_links.push(link);
        }
    }
    Ok(MergeOutcome {
        contact: out,
        removed: choices.others.clone(),
        put_links,
        delete_links,
        accounts: per_account.keys().map(|a| (*a).clone()).collect(),
        joined_links,
    })
}

/// The photo the merged contact has: that of the first of `order` (the
/// one that stays, then the others in the order chosen) that has one.
pub fn kept_photo<'a>(order: &[ContactId], photos: &'a [ContactPhoto]) -> Option<&'a str> {
    order.iter().find_map(|id| {
        photos
            .iter()
            .find(|p| &p.contact_id == id)
            .map(|p| p.data.as_str())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_contact_that_stays_keeps_its_photo_or_takes_the_first_other() {
        let mut ids = SeededIds::new(3);
        let (a, b, c): (ContactId, ContactId, ContactId) =
            (ids.contact_id(), ids.contact_id(), ids.contact_id());
        let photo = |id: &ContactId, d: &str| ContactPhoto {
            contact_id: id.clone(),
            data: d.to_owned(),
        };
        let order = [a.clone(), b.clone(), c.clone()];
        assert_eq!(kept_photo(&order, &[]), None);
        let all = [photo(&c, "C"), photo(&a, "A"), photo(&b, "B")];
        assert_eq!(kept_photo(&order, &all), Some("A"));
        assert_eq!(kept_photo(&order, &all[..1]), Some("C"));
        assert_eq!(kept_photo(&order, &[photo(&c, "C"), photo(&b, "B")]), Some("B"));
    }
    use crate::domain::catalog::{CatalogItem, FieldDef, FieldKind};
    use crate::domain::ids::{IdSource, SeededIds};
    use crate::domain::{Email, EmailAccess};

    fn person(ids: &mut SeededIds, first: &str, last: &str, emails: &[&str], phones: &[&str]) -> Contact {
        Contact {
            id: ids.contact_id(),
            first_name: first.into(),
            middle_name: String::new(),
            last_name: last.into(),
            emails: emails.iter().map(|e| Email::parse(e).unwrap()).collect(),
            phones: phones.iter().map(|p| (*p).to_owned()).collect(),
            address: Default::default(),
            date_of_birth: String::new(),
            tags: vec![],
            custom: Default::default(),
            created_at: Timestamp(10),
            updated_at: Timestamp(10),
        }
    }

    fn link(account: &AccountId, c: &Contact, description: &str, priority: Option<u32>) -> Link {
        Link {
            account_id: account.clone(),
            contact_id: c.id.clone(),
            description: description.into(),
            signer_priority: priority,
            email_access: c
                .email_keys()
                .into_iter()
                .map(|e| EmailAccess::new(e, true, true, false))
                .collect(),
        }
    }

    #[test]
    fn chosen_values_win_and_everything_else_is_united() {
        let mut ids = SeededIds::new(1);
        let note = FieldDef {
            id: ids.id(),
            target: FieldTarget::Contact,
            label: "Company".into(),
            kind: FieldKind::Text,
        };
        let catalog = Catalog::from_items([CatalogItem::Field(note.clone())]);
        let mut kate = person(&mut ids, "Kate", "Smith", &["kate@x.io"], &["+40 721 234 567"]);
        kate.date_of_birth = "1980-01-02".into();
        kate.custom.insert(note.id.clone(), "Acme".into());
        let mut katie = person(
            &mut ids,
            "Katherine",
            "Smith",
            &["k.smith@y.io"],
            &["0721 234 567", "555 0101"],
        );
        katie.date_of_birth = "1980-02-01".into();
        katie.address.city = "Cluj".into();
        katie.custom.insert(note.id.clone(), "Acme Ltd".into());
        katie.created_at = Timestamp(5);
        let diffs: Vec<(MergeField, String)> = differences(&[kate.clone(), katie.clone()], &catalog)
            .into_iter()
            .map(|d| (d.field, d.label))
            .collect();
        assert_eq!(
            diffs,
            [
                (MergeField::Name, String::new()),
                (MergeField::MainEmail, String::new()),
                (MergeField::DateOfBirth, String::new()),
                (MergeField::Custom(note.id.clone()), "Company".into())
            ]
        );
        let choices = MergeChoices {
            survivor: kate.id.clone(),
            others: vec![katie.id.clone()],
            picks: [
                (MergeField::Name, katie.id.clone()),
                (MergeField::MainEmail, katie.id.clone()),
            ]
            .into_iter()
            .collect(),
        };
        let out = merge(&[katie.clone(), kate.clone()], &[], &choices, Timestamp(99)).unwrap();
        let c = &out.contact;
        assert_eq!(c.id, kate.id);
        assert_eq!(c.display_name(), "Katherine Smith");
        assert_eq!(c.email_keys(), ["k.smith@y.io", "kate@x.io"]);
        assert_eq!(c.phones, ["+40 721 234 567", "555 0101"]);
        assert_eq!(c.date_of_birth, "1980-01-02", "not picked: the survivor's");
        assert_eq!(c.address.city, "Cluj", "empty on the survivor: the other's");
        assert_eq!(c.custom.get(&note.id).map(String::as_str), Some("Acme"));
        assert_eq!((c.created_at, c.updated_at), (Timestamp(5), Timestamp(99)));
        assert_eq!(out.removed, vec![katie.id.clone()]);
    }

    #[test]
    fn every_link_moves_and_shared_accounts_get_one_link() {
        let mut ids = SeededIds::new(2);
        let (family, llc, trust): (AccountId, AccountId, AccountId) = (ids.id(), ids.id(), ids.id());
        let kate = person(&mut ids, "Kate", "Smith", &["kate@x.io"], &[]);
        let katie = person(&mut ids, "Katie", "Smith", &["katie@x.io"], &[]);
        let links = vec![
            link(&family, &kate, "", Some(3)),
            link(&family, &katie, "Primary contact", Some(1)),
            link(&llc, &katie, "CEO", None),
            link(&trust, &kate, "Trustee", None),
        ];
        let choices = MergeChoices {
            survivor: kate.id.clone(),
            others: vec![katie.id.clone()],
            picks: BTreeMap::new(),
        };
        let out = merge(&[kate.clone(), katie.clone()], &links, &choices, Timestamp(9)).unwrap();
        let mut expected_accounts = vec![family.clone(), llc.clone(), trust.clone()];
        expected_accounts.sort();
        assert_eq!(out.accounts, expected_accounts);
        let by_account = |a: &AccountId| out.put_links.iter().find(|l| &l.account_id == a);
        let fam = by_account(&family).unwrap();
        assert_eq!(fam.contact_id, kate.id);
        assert_eq!(fam.description, "Primary contact");
        assert_eq!(fam.signer_priority, Some(1));
        let emails: Vec<&str> = fam.email_access.iter().map(|a| a.email.as_str()).collect();
        assert_eq!(emails, ["kate@x.io", "katie@x.io"]);
        assert!(fam.email_access.iter().all(|a| a.login));
        let l = by_account(&llc).unwrap();
        assert_eq!(
            (l.description.as_str(), l.contact_id.clone()),
            ("CEO", kate.id.clone())
        );
        // Kate's own email had no switches for the LLC: they start off.
        assert!(l.access("kate@x.io").is_some_and(|a| !a.login));
        assert!(l.access("katie@x.io").is_some_and(|a| a.login));
        // The trust link gains katie@x.io (off) so it changes too.
        assert!(by_account(&trust).is_some());
        let mut deleted = out.delete_links.clone();
        deleted.sort();
        let mut expected = vec![
            (family.clone(), katie.id.clone()),
            (llc.clone(), katie.id.clone()),
        ];
        expected.sort();
        assert_eq!(deleted, expected);
        assert_eq!(out.joined_links.len(), 1);
        assert_eq!(
            out.joined_links[0],
            (
                family,
                JoinedLink {
                    description: "Primary contact".into(),
                    signer_priority: Some(1),
                }
            )
        );
    }

    #[test]
    fn bad_choices_are_refused() {
        let mut ids = SeededIds::new(3);
        let a = person(&mut ids, "A", "A", &[], &[]);
        let b = person(&mut ids, "B", "B", &[], &[]);
        let stranger: ContactId = ids.contact_id();
        let base = MergeChoices {
            survivor: a.id.clone(),
            others: vec![b.id.clone()],
            picks: BTreeMap::new(),
        };
        let both = [a.clone(), b.clone()];
        assert!(merge(&both, &[], &base, Timestamp(1)).is_ok());
        let mut c = base.clone();
        c.others.clear();
        assert_eq!(merge(&both, &[], &c, Timestamp(1)), Err(MergeError::TooFew));
        let mut c = base.clone();
        c.others.push(a.id.clone());
        assert_eq!(merge(&both, &[], &c, Timestamp(1)), Err(MergeError::Repeated));
        let mut c = base.clone();
        c.picks.insert(MergeField::Name, stranger.clone());
        assert_eq!(merge(&both, &[], &c, Timestamp(1)), Err(MergeError::UnknownPick));
        let mut c = base;
        c.others = vec![stranger];
        assert_eq!(merge(&both, &[], &c, Timestamp(1)), Err(MergeError::Missing));
    }
}
