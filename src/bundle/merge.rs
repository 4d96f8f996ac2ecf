//! What importing a bundle into stored data does: the dry-run plan (counts,
//! conflicts) and the records to write, computed from the stored records and
//! the bundle's, with the practitioner's choice per kind of conflict. Pure,
//! so the repository runs the very same function for the preview and inside
//! the write transaction.

use super::Contents;
use crate::domain::catalog::{CatalogItem, TeamRole};
use crate::domain::validation::ItemKind;
use crate::domain::{ContactId, Link};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A record with the same id in the file and on this device, with different content.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum OnSameId {
    /// Keep the version on this device.
    #[default]
    KeepMine,
    /// Overwrite it with the file's version.
    TakeTheirs,
}

/// A contact in the file has an email that belongs to another contact here.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum OnSharedEmail {
    /// Use the contact on this device instead: the file's links go to it.
    #[default]
    KeepMine,
    /// Import the file's contact too, without the shared email(s).
    KeepBoth,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choices {
    pub same_id: OnSameId,
    pub shared_email: OnSharedEmail,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Same id, different content, kept as it is here.
    pub kept: usize,
}

/// The dry-run result.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    pub accounts: Counts,
    pub contacts: Counts,
    pub links: Counts,
    /// Catalog items, notes and history entries together.
    pub other: Counts,
    /// Records that differ on this device and in the file.
    pub same_id: Vec<Differs>,
    /// Emails of a contact in the file that belong to another contact here.
    pub shared_email: Vec<SharedEmail>,
    /// Other things the import changes on the way (an owner made an admin).
    pub notes: Vec<PlanNote>,
}

/// A record with the same id here and in the file, with different content
/// (named, when it has a name).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Differs {
    Item(ItemKind, String),
    Account(String),
    Contact(String),
    Link,
    Note,
    History,
    /// A vCard (`card`, its label) and the contact `here` it matched, with
    /// the fields where both have different values.
    Card {
        card: String,
        here: String,
        fields: Vec<DiffersIn>,
    },
}

/// A field of a contact whose value differs in a file and here.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DiffersIn {
    Name,
    Address,
    DateOfBirth,
    /// A custom field, by its label.
    Field(String),
}

/// `email` is the file's contact `in_file`'s, and the contact `here`'s on
/// this device.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SharedEmail {
    pub email: String,
    pub in_file: String,
    pub here: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PlanNote {
    /// The owner in the file (named) becomes an admin: this device has its own.
    OwnerBecomesAdmin(String),
    /// A value of a vCard (`card`, its label) that does not fit the custom
    /// field of the same name here (of `kind`), so is not kept.
    ValueNotKept {
        card: String,
        value: String,
        problem: crate::domain::validation::Problem,
        kind: crate::domain::catalog::FieldKind,
    },
}

impl Plan {
    pub fn changes_nothing(&self) -> bool {
        [self.accounts, self.contacts, self.links, self.other]
            .iter()
            .all(|c| c.created == 0 && c.updated == 0)
    }
}

/// The records to write: `update` replaces stored records (whose old
/// versions are in `replaced`), `create` adds new ones.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Writes {
    pub update: Contents,
    pub create: Contents,
    pub replaced: Contents,
}

// One decision, with the lists it feeds; a struct would only rename them.
#[allow(clippy::too_many_arguments)]
fn decide<T: Clone + PartialEq>(
    stored: Option<&T>,
    incoming: T,
    choice: OnSameId,
    counts: &mut Counts,
    conflicts: &mut Vec<Differs>,
    describe: impl FnOnce() -> Differs,
    update: &mut Vec<T>,
    create: &mut Vec<T>,
    replaced: &mut Vec<T>,
) {
    match stored {
        None => {
            counts.created += 1;
            create.push(incoming);
        }
        Some(s) if *s == incoming => counts.unchanged += 1,
        Some(s) => {
            conflicts.push(describe());
            match choice {
                OnSameId::KeepMine => counts.kept += 1,
                OnSameId::TakeTheirs => {
                    counts.updated += 1;
                    replaced.push(s.clone());
                    update.push(incoming);
                }
            }
        }
    }
}

/// Merges `incoming` (a validated bundle) into `stored` (everything on the
/// device). Records only here are never touched.
pub fn merge(stored: &Contents, incoming: &Contents, choices: Choices) -> (Plan, Writes) {
    let mut plan = Plan::default();
    let mut w = Writes::default();
    let same = choices.same_id;

    // Catalog. A second owner becomes an admin.
    let stored_catalog: HashMap<&str, &CatalogItem> = stored.catalog.iter().map(|i| (i.id(), i)).collect();
    let owner = stored.catalog.iter().find_map(|i| match i {
        CatalogItem::Member(m) if m.role == TeamRole::Owner => Some(m.id.clone()),
        _ => None,
    });
    for item in &incoming.catalog {
        let mut item = item.clone();
        if let CatalogItem::Member(m) = &mut item {
            if m.role == TeamRole::Owner && owner.as_ref().is_some_and(|o| o != &m.id) {
                m.role = TeamRole::Admin;
                plan.notes.push(PlanNote::OwnerBecomesAdmin(m.name.clone()));
            }
        }
        let name = item.name().to_owned();
        let kind = item.kind();
        decide(
            stored_catalog.get(item.id()).copied(),
            item,
            same,
            &mut plan.other,
            &mut plan.same_id,
            || Differs::Item(kind, name),
            &mut w.update.catalog,
            &mut w.create.catalog,
            &mut w.replaced.catalog,
        );
    }

    // Accounts (a stored account keeps its photo).
    let stored_accounts: HashMap<_, _> = stored.accounts.iter().map(|a| (&a.id, a)).collect();
    for a in &incoming.accounts {
        let mut a = a.clone();
        let s = stored_accounts.get(&a.id).copied();
        a.has_photo = s.is_some_and(|s| s.has_photo);
        let name = a.name.clone();
        decide(
            s,
            a,
            same,
            &mut plan.accounts,
            &mut plan.same_id,
            || Differs::Account(name),
            &mut w.update.accounts,
            &mut w.create.accounts,
            &mut w.replaced.accounts,
        );
    }

    // Contacts: shared emails first (they decide which contact a link ends at).
    let stored_contacts: HashMap<_, _> = stored.contacts.iter().map(|c| (&c.id, c)).collect();
    let email_owner: HashMap<String, &ContactId> = stored
        .contacts
        .iter()
        .flat_map(|c| c.email_keys().into_iter().map(move |k| (k, &c.id)))
        .collect();
    let mut redirect: HashMap<ContactId, ContactId> = HashMap::new();
    // The emails each contact will have after the import.
    let mut final_emails: HashMap<ContactId, Vec<String>> = stored
        .contacts
        .iter()
        .map(|c| (c.id.clone(), c.email_keys()))
        .collect();
    for c in &incoming.contacts {
        let mut c = c.clone();
        let clashes: Vec<(String, ContactId)> = c
            .email_keys()
            .into_iter()
            .filter_map(|k| match email_owner.get(&k) {
                Some(o) if **o != c.id => Some((k, (*o).clone())),
                _ => None,
            })
            .collect();
        if let Some((_, first_owner)) = clashes.first() {
            for (k, o) in &clashes {
                let here = stored_contacts
                    .get(o)
                    .map(|s| s.display_name())
                    .unwrap_or_default();
                plan.shared_email.push(SharedEmail {
                    email: k.clone(),
                    in_file: c.display_name(),
                    here,
                });
            }
            match choices.shared_email {
                OnSharedEmail::KeepMine => {
                    redirect.insert(c.id.clone(), first_owner.clone());
                    continue;
                }
                OnSharedEmail::KeepBoth => {
                    let keys: BTreeSet<&String> = clashes.iter().map(|(k, _)| k).collect();
                    c.emails.retain(|e| !keys.contains(&e.key()));
                }
            }
        }
        let s = stored_contacts.get(&c.id).copied();
        let taken = s.is_none() || same == OnSameId::TakeTheirs;
        if taken {
            final_emails.insert(c.id.clone(), c.email_keys());
        }
        let name = c.display_name();
        decide(
            s,
            c,
            same,
            &mut plan.contacts,
            &mut plan.same_id,
            || Differs::Contact(name),
            &mut w.update.contacts,
            &mut w.create.contacts,
            &mut w.replaced.contacts,
        );
    }

    // Links: follow redirects, then the per-email switches follow the
    // emails the contact ends up with.
    let stored_links: BTreeMap<_, _> = stored
        .links
        .iter()
        .map(|l| ((&l.account_id, &l.contact_id), l))
        .collect();
    let mut seen = BTreeSet::new();
    for l in &incoming.links {
        let mut l: Link = l.clone();
        if let Some(to) = redirect.get(&l.contact_id) {
            l.contact_id = to.clone();
        }
        if !seen.insert((l.account_id.clone(), l.contact_id.clone())) {
            continue;
        }
        if let Some(keys) = final_emails.get(&l.contact_id) {
            l.sync_emails(keys);
        }
        let s = stored_links.get(&(&l.account_id, &l.contact_id)).copied();
        decide(
            s,
            l,
            same,
            &mut plan.links,
            &mut plan.same_id,
            || Differs::Link,
            &mut w.update.links,
            &mut w.create.links,
            &mut w.replaced.links,
        );
    }

    let stored_notes: HashMap<_, _> = stored.notes.iter().map(|n| (&n.id, n)).collect();
    for n in &incoming.notes {
        decide(
            stored_notes.get(&n.id).copied(),
            n.clone(),
            same,
            &mut plan.other,
            &mut plan.same_id,
            || Differs::Note,
            &mut w.update.notes,
            &mut w.create.notes,
            &mut w.replaced.notes,
        );
    }
    let stored_history: HashMap<_, _> = stored.history.iter().map(|h| (&h.id, h)).collect();
    for h in &incoming.history {
        decide(
            stored_history.get(&h.id).copied(),
            h.clone(),
            same,
            &mut plan.other,
            &mut plan.same_id,
            || Differs::History,
            &mut w.update.history,
            &mut w.create.history,
            &mut w.replaced.history,
        );
    }
    (plan, w)
}
