//! What importing a bundle into stored data does: the dry-run plan (counts,
//! conflicts) and the records to write, computed from the stored records and
//! the bundle's, with the practitioner's choice per kind of conflict. Pure,
//! so the repository runs the very same function for the preview and inside
//! the write transaction.
//!
//! `stored` need not be everything on the device: [`merge`] only looks at
//! the whole catalog, the stored records that have the id of a record in
//! the file, and the stored contacts that have one of the file's emails,
//! with all their links. [`wanted`] says which records those are, given the
//! keys of what is stored, so the repository reads only them.

use super::Contents;
use crate::domain::catalog::{CatalogItem, TeamRole};
use crate::domain::history::HistoryEntry;
use crate::domain::note::Note;
use crate::domain::photo::ContactPhoto;
use crate::domain::validation::ItemKind;
use crate::domain::{Account, AccountId, Contact, ContactId, Link};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};

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
    /// Import the file's contact with the email; the contact here loses it
    /// (its accounts' history says so).
    TakeTheirs,
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
    /// Contact photos (only vCard files carry them).
    pub photos: Counts,
    /// Records that differ on this device and in the file.
    pub same_id: Vec<Differs>,
    /// Emails of a contact in the file that belong to another contact here.
    pub shared_email: Vec<SharedEmail>,
    /// Other things the import changes on the way (an owner made an admin,
    /// an email that moves from one contact to another).
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
    Photo,
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
    /// "Take theirs": `email` moves from the contact `from` here to the
    /// contact `to` of the file (the history of their accounts records it).
    EmailMoves { email: String, from: String, to: String },
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
        [self.accounts, self.contacts, self.links, self.other, self.photos]
            .iter()
            .all(|c| c.created == 0 && c.updated == 0)
    }
}

/// Records to write: the file's own (borrowed) or changed on the way.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Records<'a> {
    pub catalog: Vec<Cow<'a, CatalogItem>>,
    pub accounts: Vec<Cow<'a, Account>>,
    pub contacts: Vec<Cow<'a, Contact>>,
    pub links: Vec<Cow<'a, Link>>,
    pub notes: Vec<Cow<'a, Note>>,
    pub history: Vec<Cow<'a, HistoryEntry>>,
}

impl<'a> From<&'a Contents> for Records<'a> {
    fn from(c: &'a Contents) -> Self {
        fn all<T: Clone>(v: &[T]) -> Vec<Cow<'_, T>> {
            v.iter().map(Cow::Borrowed).collect()
        }
        Self {
            catalog: all(&c.catalog),
            accounts: all(&c.accounts),
            contacts: all(&c.contacts),
            links: all(&c.links),
            notes: all(&c.notes),
            history: all(&c.history),
        }
    }
}

impl Records<'_> {
    /// How many records there are.
    pub fn len(&self) -> usize {
        self.catalog.len()
            + self.accounts.len()
            + self.contacts.len()
            + self.links.len()
            + self.notes.len()
            + self.history.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The records to write: `update` replaces stored records (whose old
/// versions are in `replaced`), `create` adds new ones. Contacts that give
/// up an email come first in `update.contacts`, so the email is free before
/// another contact takes it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Writes<'a> {
    pub update: Records<'a>,
    pub create: Records<'a>,
    pub replaced: Contents,
    /// Emails that move from a contact here to one from the file.
    pub moved: Vec<EmailMove>,
    /// Contact photos to store (vCard files only), and the stored photos
    /// they replace, as they were.
    pub photos: Vec<ContactPhoto>,
    pub replaced_photos: Vec<ContactPhoto>,
}

impl Writes<'_> {
    /// How many records will be written.
    pub fn len(&self) -> usize {
        self.update.len() + self.create.len() + self.photos.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// An email that an import moves from one contact to another, and the
/// accounts of either contact (whose history records it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmailMove {
    pub email: String,
    /// The contact here that had it, by name.
    pub from: String,
    /// The contact from the file that gets it, by name.
    pub to: String,
    pub accounts: Vec<AccountId>,
}

/// Where one kind of record goes: counts, conflict lines, and the lists.
struct Sink<'p, 'w, 'a, T: Clone> {
    counts: &'p mut Counts,
    conflicts: &'p mut Vec<Differs>,
    update: &'w mut Vec<Cow<'a, T>>,
    create: &'w mut Vec<Cow<'a, T>>,
    replaced: &'w mut Vec<T>,
}

impl<'a, T: Clone + PartialEq> Sink<'_, '_, 'a, T> {
    /// One decision: create, leave unchanged, replace or keep (same id,
    /// different content, per `choice`). `describe` is only called for a conflict.
    fn decide(
        &mut self,
        stored: Option<&T>,
        incoming: Cow<'a, T>,
        choice: OnSameId,
        describe: impl FnOnce(&T) -> Differs,
    ) {
        match stored {
            None => {
                self.counts.created += 1;
                self.create.push(incoming);
            }
            Some(s) if *s == *incoming => self.counts.unchanged += 1,
            Some(s) => {
                self.conflicts.push(describe(&incoming));
                match choice {
                    OnSameId::KeepMine => self.counts.kept += 1,
                    OnSameId::TakeTheirs => {
                        self.counts.updated += 1;
                        self.replaced.push(s.clone());
                        self.update.push(incoming);
                    }
                }
            }
        }
    }
}

/// Merges `incoming` (a validated bundle) into `stored` (see the module
/// documentation for what it must hold). Records only here are never
/// touched. The records to write borrow from `incoming` where they are the
/// file's own.
pub fn merge<'a>(stored: &Contents, incoming: &'a Contents, choices: Choices) -> (Plan, Writes<'a>) {
    let mut plan = Plan::default();
    let mut w = Writes::default();
    let same = choices.same_id;
    macro_rules! sink {
        ($counts:ident, $kind:ident) => {
            Sink {
                counts: &mut plan.$counts,
                conflicts: &mut plan.same_id,
                update: &mut w.update.$kind,
                create: &mut w.create.$kind,
                replaced: &mut w.replaced.$kind,
            }
        };
    }

    // Catalog. A second owner becomes an admin.
    let stored_catalog: HashMap<&str, &CatalogItem> = stored.catalog.iter().map(|i| (i.id(), i)).collect();
    let owner = stored.catalog.iter().find_map(|i| match i {
        CatalogItem::Member(m) if m.role == TeamRole::Owner => Some(m.id.clone()),
        _ => None,
    });
    for item in &incoming.catalog {
        let mut item = Cow::Borrowed(item);
        if let CatalogItem::Member(m) = &*item {
            if m.role == TeamRole::Owner && owner.as_ref().is_some_and(|o| o != &m.id) {
                plan.notes.push(PlanNote::OwnerBecomesAdmin(m.name.clone()));
                if let CatalogItem::Member(m) = item.to_mut() {
                    m.role = TeamRole::Admin;
                }
            }
        }
        let s = stored_catalog.get(item.id()).copied();
        sink!(other, catalog).decide(s, item, same, |i| Differs::Item(i.kind(), i.name().to_owned()));
    }

    // Accounts (a stored account keeps its photo).
    let stored_accounts: HashMap<_, _> = stored.accounts.iter().map(|a| (&a.id, a)).collect();
    let accounts: &[Account] = if stored.accounts.is_empty() {
        all_new(&mut plan.accounts, &mut w.create.accounts, &incoming.accounts);
        &[]
    } else {
        &incoming.accounts
    };
    for a in accounts {
        let s = stored_accounts.get(&a.id).copied();
        let mut a = Cow::Borrowed(a);
        if s.is_some_and(|s| s.has_photo != a.has_photo) {
            a.to_mut().has_photo = s.is_some_and(|s| s.has_photo);
        }
        sink!(accounts, accounts).decide(s, a, same, |a| Differs::Account(a.name.clone()));
    }

    // Contacts: shared emails first (they decide which contact a link ends at).
    let stored_contacts: HashMap<_, _> = stored.contacts.iter().map(|c| (&c.id, c)).collect();
    let email_owner: HashMap<String, &ContactId> = stored
        .contacts
        .iter()
        .flat_map(|c| c.email_keys().into_iter().map(move |k| (k, &c.id)))
        .collect();
    let mut redirect: HashMap<&ContactId, &ContactId> = HashMap::new();
    // The emails a contact ends up with, where they are not those the
    // file gives it (links follow them).
    let mut emails_after: HashMap<ContactId, Vec<String>> = HashMap::new();
    // "Take theirs": contacts here that give up emails (their new version),
    // and which email goes to which contact of the file.
    let mut losers: BTreeMap<&ContactId, Contact> = BTreeMap::new();
    let mut moves: Vec<(String, &ContactId, &ContactId, String)> = Vec::new();
    let contacts: &[Contact] = if stored.contacts.is_empty() {
        all_new(&mut plan.contacts, &mut w.create.contacts, &incoming.contacts);
        &[]
    } else {
        &incoming.contacts
    };
    for orig in contacts {
        let s = stored_contacts.get(&orig.id).copied();
        // Whether the file's version of this contact is written.
        let written = match s {
            None => true,
            Some(s) => s != orig && same == OnSameId::TakeTheirs,
        };
        let mut c = Cow::Borrowed(orig);
        let keys = if email_owner.is_empty() {
            Vec::new()
        } else {
            c.email_keys()
        };
        let clashes: Vec<(&String, &ContactId)> = keys
            .iter()
            .filter_map(|k| match email_owner.get(k) {
                Some(o) if **o != c.id => Some((k, *o)),
                _ => None,
            })
            .collect();
        if let Some(&(_, first_owner)) = clashes.first() {
            for (k, o) in &clashes {
                let here = stored_contacts
                    .get(o)
                    .map(|s| s.display_name())
                    .unwrap_or_default();
                plan.shared_email.push(SharedEmail {
                    email: (*k).clone(),
                    in_file: c.display_name(),
                    here,
                });
            }
            match choices.shared_email {
                OnSharedEmail::KeepMine => {
                    redirect.insert(&orig.id, first_owner);
                    continue;
                }
                OnSharedEmail::KeepBoth => {
                    let gone: HashSet<&String> = clashes.iter().map(|(k, _)| *k).collect();
                    c.to_mut().emails.retain(|e| !gone.contains(&e.key()));
                }
                OnSharedEmail::TakeTheirs if written => {
                    for (k, o) in &clashes {
                        let Some(owner) = stored_contacts.get(o) else {
                            continue;
                        };
                        let loser = losers.entry(*o).or_insert_with(|| (*owner).clone());
                        loser.emails.retain(|e| e.key() != **k);
                        let (from, to) = (owner.display_name(), c.display_name());
                        plan.notes.push(PlanNote::EmailMoves {
                            email: (*k).clone(),
                            from: from.clone(),
                            to,
                        });
                        moves.push(((*k).clone(), *o, &orig.id, from));
                    }
                }
                // The file's contact is not written (kept as here): nothing moves.
                OnSharedEmail::TakeTheirs => {}
            }
        }
        if written {
            if matches!(c, Cow::Owned(_)) {
                emails_after.insert(c.id.clone(), c.email_keys());
            }
        } else if let Some(s) = s {
            emails_after.insert(s.id.clone(), s.email_keys());
        }
        sink!(contacts, contacts).decide(s, c, same, |c| Differs::Contact(c.display_name()));
    }
    // A contact that gives up an email is saved without it, before anyone
    // takes it, unless the file's version of it (which cannot have the
    // email: a file has each email once) replaces it anyway.
    let mut first = Vec::new();
    for (id, loser) in losers {
        if w.update.contacts.iter().any(|c| &c.id == id) {
            continue;
        }
        if let Some(s) = stored_contacts.get(id) {
            emails_after.insert(id.clone(), loser.email_keys());
            plan.contacts.updated += 1;
            w.replaced.contacts.push((*s).clone());
            first.push(Cow::Owned(loser));
        }
    }
    first.append(&mut w.update.contacts);
    w.update.contacts = first;
    // Contacts here that the file's links are redirected to keep their emails.
    for to in redirect.values() {
        if !emails_after.contains_key(*to) {
            if let Some(s) = stored_contacts.get(to) {
                emails_after.insert((*to).clone(), s.email_keys());
            }
        }
    }

    // Links: follow redirects, then the per-email switches follow the
    // emails the contact ends up with.
    let stored_links: HashMap<_, _> = stored
        .links
        .iter()
        .map(|l| ((&l.account_id, &l.contact_id), l))
        .collect();
    // The file has each pair once: only a redirect can make a pair twice.
    let mut seen: HashSet<(&AccountId, &ContactId)> = HashSet::new();
    let track = !redirect.is_empty() || !moves.is_empty();
    let links: &[Link] = if stored.links.is_empty() && !track && emails_after.is_empty() {
        all_new(&mut plan.links, &mut w.create.links, &incoming.links);
        &[]
    } else {
        &incoming.links
    };
    for l in links {
        let to = redirect.get(&l.contact_id).copied();
        if track && !seen.insert((&l.account_id, to.unwrap_or(&l.contact_id))) {
            continue;
        }
        let mut l = Cow::Borrowed(l);
        if let Some(to) = to {
            l.to_mut().contact_id = to.clone();
        }
        if let Some(keys) = emails_after.get(&l.contact_id) {
            let current = l.email_access.iter().map(|a| &a.email);
            if !current.eq(keys.iter()) {
                l.to_mut().sync_emails(keys);
            }
        }
        let s = stored_links.get(&(&l.account_id, &l.contact_id)).copied();
        sink!(links, links).decide(s, l, same, |_| Differs::Link);
    }
    // The stored links of contacts that gave up an email lose its switches.
    if !moves.is_empty() {
        for l in &stored.links {
            if seen.contains(&(&l.account_id, &l.contact_id)) || moves.iter().all(|m| m.1 != &l.contact_id) {
                continue;
            }
            let mut after = l.clone();
            if let Some(keys) = emails_after.get(&l.contact_id) {
                after.sync_emails(keys);
            }
            if after != *l {
                plan.links.updated += 1;
                w.replaced.links.push(l.clone());
                w.update.links.push(Cow::Owned(after));
            }
        }
        let names: HashMap<&ContactId, String> = incoming
            .contacts
            .iter()
            .map(|c| (&c.id, c.display_name()))
            .collect();
        for (email, from_id, to_id, from) in moves {
            let mut accounts: Vec<AccountId> = Vec::new();
            let on = stored.links.iter().filter(|l| &l.contact_id == from_id);
            let to = incoming.links.iter().filter(|l| &l.contact_id == to_id);
            for l in on.chain(to) {
                if !accounts.contains(&l.account_id) {
                    accounts.push(l.account_id.clone());
                }
            }
            w.moved.push(EmailMove {
                email,
                from,
                to: names.get(to_id).cloned().unwrap_or_default(),
                accounts,
            });
        }
    }

    let stored_notes: HashMap<_, _> = stored.notes.iter().map(|n| (&n.id, n)).collect();
    let notes: &[Note] = if stored.notes.is_empty() {
        all_new(&mut plan.other, &mut w.create.notes, &incoming.notes);
        &[]
    } else {
        &incoming.notes
    };
    for n in notes {
        let s = stored_notes.get(&n.id).copied();
        sink!(other, notes).decide(s, Cow::Borrowed(n), same, |_| Differs::Note);
    }
    let stored_history: HashMap<_, _> = stored.history.iter().map(|h| (&h.id, h)).collect();
    let history: &[HistoryEntry] = if stored.history.is_empty() {
        all_new(&mut plan.other, &mut w.create.history, &incoming.history);
        &[]
    } else {
        &incoming.history
    };
    for h in history {
        let s = stored_history.get(&h.id).copied();
        sink!(other, history).decide(s, Cow::Borrowed(h), same, |_| Differs::History);
    }
    (plan, w)
}

/// Records of a kind none of which is stored (the usual case: new data):
/// all created as they are in the file, with no lookups.
fn all_new<'a, T: Clone>(counts: &mut Counts, create: &mut Vec<Cow<'a, T>>, items: &'a [T]) {
    counts.created += items.len();
    create.extend(items.iter().map(Cow::Borrowed));
}

/// Every (lower-cased) email of the file's contacts.
pub fn incoming_email_keys(incoming: &Contents) -> Vec<String> {
    incoming.contacts.iter().flat_map(Contact::email_keys).collect()
}

/// What is stored, as cheap to read as possible: primary keys only, and
/// which stored contact has each of the file's emails.
#[derive(Clone, Debug, Default)]
pub struct StoredKeys {
    pub accounts: HashSet<String>,
    pub contacts: HashSet<String>,
    /// Every stored link, as (account id, contact id).
    pub links: Vec<(String, String)>,
    pub notes: HashSet<String>,
    pub history: HashSet<String>,
    /// Email (lower-cased) → the id of the stored contact that has it, for
    /// the file's emails.
    pub email_owners: HashMap<String, String>,
}

/// The stored records [`merge`] needs (by key), given what is stored.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Wanted {
    pub accounts: Vec<String>,
    pub contacts: Vec<String>,
    pub links: Vec<(String, String)>,
    pub notes: Vec<String>,
    pub history: Vec<String>,
}

/// Which stored records an import of `incoming` must read: those with the
/// id of a record in the file, the contacts that have one of the file's
/// emails, and every link of those contacts.
pub fn wanted(incoming: &Contents, keys: &StoredKeys) -> Wanted {
    fn both<'a>(ids: impl Iterator<Item = &'a str>, stored: &HashSet<String>) -> Vec<String> {
        let mut out: Vec<String> = ids.filter(|id| stored.contains(*id)).map(str::to_owned).collect();
        crate::domain::sort::sort(&mut out);
        out.dedup();
        out
    }
    let mut contacts = both(incoming.contacts.iter().map(|c| c.id.as_str()), &keys.contacts);
    let owners: HashSet<&str> = keys.email_owners.values().map(String::as_str).collect();
    contacts.extend(owners.iter().map(|o| (*o).to_owned()));
    crate::domain::sort::sort(&mut contacts);
    contacts.dedup();
    let pairs: HashSet<(&str, &str)> = incoming
        .links
        .iter()
        .map(|l| (l.account_id.as_str(), l.contact_id.as_str()))
        .collect();
    let links = keys
        .links
        .iter()
        .filter(|(a, c)| pairs.contains(&(a.as_str(), c.as_str())) || owners.contains(c.as_str()))
        .cloned()
        .collect();
    Wanted {
        accounts: both(incoming.accounts.iter().map(|a| a.id.as_str()), &keys.accounts),
        contacts,
        links,
        notes: both(incoming.notes.iter().map(|n| n.id.as_str()), &keys.notes),
        history: both(incoming.history.iter().map(|h| h.id.as_str()), &keys.history),
    }
}
