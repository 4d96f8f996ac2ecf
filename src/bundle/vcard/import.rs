//! What importing a checked vCard file does to the stored data, as a
//! [`Plan`] (the preview) and the records to write ([`Writes`]), the same
//! types a bundle import uses, so the repository writes both the same way
//! (one transaction, a snapshot for "Undo last import").
//!
//! A card names a stored contact by its UID (a contact exported from
//! Clientbook) or by an email (any of them, case-insensitive): that contact
//! is **updated instead of duplicated**. What a card adds (emails, phones,
//! tags, a value for an empty field) is always added; where the card and
//! the contact both have a value and they differ (name, address, date of
//! birth, a custom field), the practitioner's [`OnMatch`] decides.
//! Emails, phones and tags are never removed by an import.

use crate::bundle::matching::MatchKeys;
use crate::bundle::merge::{Differs, DiffersIn, Plan, PlanNote, SharedEmail, Writes};
use crate::bundle::Contents;
use crate::domain::catalog::{CatalogItem, FieldDef, FieldKind, FieldTarget, Tag};
use crate::domain::duplicates::phone_key;
use crate::domain::ids::{FieldId, IdSource, TagId};
use crate::domain::photo::ContactPhoto;
use crate::domain::search::normalize;
use crate::domain::{Contact, ContactId, Email, Timestamp};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use super::{Card, VcardFile};

/// What to do when a card and the contact it matches both have a value
/// for a field and the values differ.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum OnMatch {
    /// Keep the values here; only fill in what is empty here.
    #[default]
    KeepMine,
    /// The card's values replace the ones here.
    TakeTheirs,
    /// Add the card as a new contact (without the emails it shares).
    KeepBoth,
}

/// Tag and contact-field lookups by normalised name; missing ones are
/// made (and only kept if a written contact uses them).
struct Resolver {
    tags: HashMap<String, TagId>,
    fields: HashMap<String, FieldDef>,
    made: Vec<CatalogItem>,
}

impl Resolver {
    fn new(catalog: &[CatalogItem]) -> Self {
        let mut r = Self {
            tags: HashMap::new(),
            fields: HashMap::new(),
            made: Vec::new(),
        };
        for item in catalog {
            match item {
                CatalogItem::Tag(t) => {
                    r.tags.insert(normalize(&t.name), t.id.clone());
                }
                CatalogItem::Field(f) if f.target == FieldTarget::Contact => {
                    r.fields.insert(normalize(&f.label), f.clone());
                }
                _ => {}
            }
        }
        r
    }

    fn tag(&mut self, name: &str, ids: &mut impl IdSource) -> TagId {
        let key = normalize(name);
        if let Some(id) = self.tags.get(&key) {
            return id.clone();
        }
        let tag = Tag {
            id: ids.id(),
            name: name.to_owned(),
            color: "grey".into(),
        };
        self.tags.insert(key, tag.id.clone());
        let id = tag.id.clone();
        self.made.push(CatalogItem::Tag(tag));
        id
    }

    fn field(&mut self, label: &str, ids: &mut impl IdSource) -> FieldDef {
        let key = normalize(label);
        if let Some(f) = self.fields.get(&key) {
            return f.clone();
        }
        let f = FieldDef {
            id: ids.id(),
            target: FieldTarget::Contact,
            label: label.to_owned(),
            kind: FieldKind::Text,
        };
        self.fields.insert(key, f.clone());
        self.made.push(CatalogItem::Field(f.clone()));
        f
    }
}

/// A card's values as contact parts, tags and fields resolved.
struct Incoming {
    first_name: String,
    middle_name: String,
    last_name: String,
    emails: Vec<Email>,
    phones: Vec<String>,
    address: crate::domain::Address,
    date_of_birth: String,
    tags: Vec<TagId>,
    custom: BTreeMap<FieldId, (String, String)>,
}

fn incoming(card: &Card, r: &mut Resolver, ids: &mut impl IdSource, notes: &mut Vec<PlanNote>) -> Incoming {
    let tags = card.categories.iter().map(|c| r.tag(c, ids)).collect();
    let mut custom = BTreeMap::new();
    for (label, value) in &card.fields {
        let def = r.field(label, ids);
        match def.check_value(value) {
            Ok(v) if !v.is_empty() => {
                custom.insert(def.id.clone(), (def.label.clone(), v));
            }
            Ok(_) => {}
            Err(problem) => notes.push(PlanNote::ValueNotKept {
                card: card.label(),
                value: value.clone(),
                problem,
                kind: def.kind.clone(),
            }),
        }
    }
    Incoming {
        first_name: card.first_name.clone(),
        middle_name: card.middle_name.clone(),
        last_name: card.last_name.clone(),
        emails: card.emails.clone(),
        phones: card.phones.clone(),
        address: card.address.clone(),
        date_of_birth: card.date_of_birth.clone(),
        tags,
        custom,
    }
}

fn new_contact(id: ContactId, i: Incoming, at: Timestamp) -> Contact {
    Contact {
        id,
        first_name: i.first_name,
        middle_name: i.middle_name,
        last_name: i.last_name,
        emails: i.emails,
        phones: i.phones,
        address: i.address,
        date_of_birth: i.date_of_birth,
        tags: i.tags,
        custom: crate::domain::sort::map(i.custom.into_iter().map(|(k, (_, v))| (k, v))),
        created_at: at,
        updated_at: at,
    }
}

/// A new contact's photo, from its card.
fn new_photo(plan: &mut Plan, w: &mut Writes<'static>, id: &ContactId, card: &Card) {
    if let Some(data) = &card.photo {
        plan.photos.created += 1;
        w.photos.push(ContactPhoto {
            contact_id: id.clone(),
            data: data.clone(),
        });
    }
}

/// Fields where both have a value and the values differ.
fn differences(c: &Contact, i: &Incoming) -> Vec<DiffersIn> {
    let mut out = Vec::new();
    let names = |a: &str, b: &str, d: &str| (a.to_owned(), b.to_owned(), d.to_owned());
    if names(&c.first_name, &c.middle_name, &c.last_name)
        != names(&i.first_name, &i.middle_name, &i.last_name)
    {
        out.push(DiffersIn::Name);
    }
    if !c.address.is_empty() && !i.address.is_empty() && c.address != i.address {
        out.push(DiffersIn::Address);
    }
    if !c.date_of_birth.is_empty() && !i.date_of_birth.is_empty() && c.date_of_birth != i.date_of_birth {
        out.push(DiffersIn::DateOfBirth);
    }
    for (id, (label, v)) in &i.custom {
        if c.custom.get(id).is_some_and(|here| !here.is_empty() && here != v) {
            out.push(DiffersIn::Field(label.clone()));
        }
    }
    out
}

/// `c` with what the card adds; with `replace`, the card's values win
/// where both have one.
fn combine(c: &Contact, i: &Incoming, replace: bool) -> Contact {
    let mut out = c.clone();
    if replace {
        out.first_name = i.first_name.clone();
        out.middle_name = i.middle_name.clone();
        out.last_name = i.last_name.clone();
    }
    for e in &i.emails {
        if !out.emails.iter().any(|x| x.key() == e.key()) {
            out.emails.push(e.clone());
        }
    }
    for p in &i.phones {
        let key = phone_key(p);
        let known = out
            .phones
            .iter()
            .any(|x| x == p || (key.is_some() && phone_key(x) == key));
        if !known {
            out.phones.push(p.clone());
        }
    }
    if !i.address.is_empty() && (replace || out.address.is_empty()) {
        out.address = i.address.clone();
    }
    if !i.date_of_birth.is_empty() && (replace || out.date_of_birth.is_empty()) {
        out.date_of_birth = i.date_of_birth.clone();
    }
    for t in &i.tags {
        if !out.tags.contains(t) {
            out.tags.push(t.clone());
        }
    }
    for (id, (_, v)) in &i.custom {
        let empty_here = out.custom.get(id).is_none_or(String::is_empty);
        if replace || empty_here {
            out.custom.insert(id.clone(), v.clone());
        }
    }
    out
}

/// The stored photos [`plan`] needs: those of the stored contacts a card
/// with a photo names (by UID or email), so the rest are never read.
pub fn photo_candidates(stored: &Contents, file: &VcardFile) -> Vec<ContactId> {
    let with_photo: Vec<&Card> = file.cards.iter().filter(|c| c.photo.is_some()).collect();
    if with_photo.is_empty() {
        return Vec::new();
    }
    let uids: HashSet<&ContactId> = with_photo.iter().filter_map(|c| c.uid.as_ref()).collect();
    let emails: HashSet<String> = with_photo
        .iter()
        .flat_map(|c| c.emails.iter().map(Email::key))
        .collect();
    stored
        .contacts
        .iter()
        .filter(|c| uids.contains(&c.id) || c.emails.iter().any(|e| emails.contains(&e.key())))
        .map(|c| c.id.clone())
        .collect()
}

/// Stored contact photos by contact (at least those of
/// [`photo_candidates`]).
pub type StoredPhotos = HashMap<ContactId, String>;
/// What the check of a vCard file made (see
/// [`crate::bundle::matching::Prepared`]): the preview and the writes, for
/// the practitioner's choice.
#[derive(Clone, Debug)]
pub struct VcardChecked {
    pub on_match: OnMatch,
    pub plan: Plan,
    pub writes: Writes<'static>,
    /// The stored photos the check was made against.
    pub photos: StoredPhotos,
}

/// The stored records the cards of `file` can match (see
/// [`crate::bundle::matching`]): their UIDs and emails.
pub fn match_keys(file: &VcardFile) -> MatchKeys {
    let mut keys = MatchKeys::default();
    for card in &file.cards {
        keys.contact_ids
            .extend(card.uid.iter().map(|u| u.as_str().to_owned()));
        keys.emails.extend(card.emails.iter().map(Email::key));
    }
    keys
}

/// The preview and the writes for importing `file` into `stored` (which
/// needs the catalog, contacts and links) and the stored `photos` of the
/// [`photo_candidates`]. A card's photo goes to a contact without one; where
/// both have a different photo, `on_match` decides as for any field. New
/// ids come from `ids`.
pub fn plan(
    stored: &Contents,
    photos: &StoredPhotos,
    file: &VcardFile,
    on_match: OnMatch,
    ids: &mut impl IdSource,
    at: Timestamp,
) -> (Plan, Writes<'static>) {
    let never = |_: usize, _: usize| None::<std::future::Ready<()>>;
    let mut work = std::pin::pin!(plan_paced(stored, photos, file, on_match, ids, at, never));
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    // Never paused, so ready at the first poll (the loop only says so).
    loop {
        if let std::task::Poll::Ready(out) = std::future::Future::poll(work.as_mut(), &mut cx) {
            return out;
        }
    }
}

/// Cards planned between two calls of the `pause` of [`plan_paced`].
pub const CARDS_PER_STEP: usize = 200;

/// [`plan`], calling `pause(cards done, cards in all)` every
/// [`CARDS_PER_STEP`] cards and awaiting the future it gives, if any (the
/// page gives the browser a turn there and moves a progress bar).
pub async fn plan_paced<F: std::future::Future<Output = ()>>(
    stored: &Contents,
    photos: &StoredPhotos,
    file: &VcardFile,
    on_match: OnMatch,
    ids: &mut impl IdSource,
    at: Timestamp,
    mut pause: impl FnMut(usize, usize) -> Option<F>,
) -> (Plan, Writes<'static>) {
    let mut plan = Plan::default();
    let mut w = Writes::default();
    let mut resolver = Resolver::new(&stored.catalog);
    let by_id: HashMap<&ContactId, usize> = stored
        .contacts
        .iter()
        .enumerate()
        .map(|(i, c)| (&c.id, i))
        .collect();
    let email_owner: HashMap<String, usize> = stored
        .contacts
        .iter()
        .enumerate()
        .flat_map(|(i, c)| c.email_keys().into_iter().map(move |k| (k, i)))
        .collect();
    let mut taken: HashSet<ContactId> = stored.contacts.iter().map(|c| c.id.clone()).collect();
    // Stored contacts cards change: their current version.
    let mut current: BTreeMap<usize, Contact> = BTreeMap::new();
    let mut kept: BTreeSet<usize> = BTreeSet::new();
    // Stored contacts' photos as cards change them, and what happened.
    let mut photo_now: BTreeMap<usize, Option<String>> = BTreeMap::new();
    let mut photo_kept: BTreeSet<usize> = BTreeSet::new();

    let total = file.cards.len();
    for (i, card) in file.cards.iter().enumerate() {
        if i > 0 && i % CARDS_PER_STEP == 0 {
            if let Some(turn) = pause(i, total) {
                turn.await;
            }
        }
        let uid_match = card.uid.as_ref().and_then(|u| by_id.get(u)).copied();
        let email_matches: Vec<(&Email, usize)> = card
            .emails
            .iter()
            .filter_map(|e| email_owner.get(&e.key()).map(|&i| (e, i)))
            .collect();
        let mut inc = incoming(card, &mut resolver, ids, &mut plan.notes);
        let Some(target) = uid_match.or_else(|| email_matches.first().map(|(_, i)| *i)) else {
            let id = card
                .uid
                .clone()
                .filter(|u| !taken.contains(u))
                .unwrap_or_else(|| ids.contact_id());
            taken.insert(id.clone());
            plan.contacts.created += 1;
            new_photo(&mut plan, &mut w, &id, card);
            w.create.contacts.push(Cow::Owned(new_contact(id, inc, at)));
            continue;
        };
        // An email of another contact here stays with that contact.
        for (e, i) in &email_matches {
            if *i != target {
                plan.shared_email.push(SharedEmail {
                    email: e.to_string(),
                    in_file: card.label(),
                    here: stored.contacts[*i].display_name(),
                });
                inc.emails.retain(|x| x.key() != e.key());
            }
        }
        let now = current
            .get(&target)
            .cloned()
            .unwrap_or_else(|| stored.contacts[target].clone());
        let mut differ = differences(&now, &inc);
        let fields_differ = !differ.is_empty();
        let photo_here = photo_now
            .get(&target)
            .cloned()
            .unwrap_or_else(|| photos.get(&stored.contacts[target].id).cloned());
        let photo_differs = matches!((&photo_here, &card.photo), (Some(a), Some(b)) if a != b);
        if photo_differs {
            differ.push(DiffersIn::Photo);
        }
        if card.photo.is_some() && !photo_differs {
            photo_now.insert(target, photo_here.clone().or_else(|| card.photo.clone()));
        }
        if differ.is_empty() {
            current.insert(target, combine(&now, &inc, false));
            continue;
        }
        plan.same_id.push(Differs::Card {
            card: card.label(),
            here: now.display_name(),
            fields: differ,
        });
        match on_match {
            OnMatch::KeepMine => {
                if fields_differ {
                    kept.insert(target);
                }
                if photo_differs {
                    photo_kept.insert(target);
                    photo_now.insert(target, photo_here);
                }
                current.insert(target, combine(&now, &inc, false));
            }
            OnMatch::TakeTheirs => {
                if photo_differs {
                    photo_now.insert(target, card.photo.clone());
                }
                current.insert(target, combine(&now, &inc, true));
            }
            OnMatch::KeepBoth => {
                let mine: BTreeSet<String> = crate::domain::sort::set(stored.contacts[target].email_keys());
                inc.emails
                    .retain(|e| !mine.contains(&e.key()) && !email_owner.contains_key(&e.key()));
                let id = ids.contact_id();
                taken.insert(id.clone());
                plan.contacts.created += 1;
                new_photo(&mut plan, &mut w, &id, card);
                if photo_differs {
                    photo_now.insert(target, photo_here);
                }
                w.create.contacts.push(Cow::Owned(new_contact(id, inc, at)));
            }
        }
    }

    for (i, after) in photo_now {
        let contact_id = &stored.contacts[i].id;
        let before = photos.get(contact_id);
        match (before, after) {
            (_, None) => {}
            (Some(b), Some(a)) if *b == a => {
                if photo_kept.contains(&i) {
                    plan.photos.kept += 1;
                } else {
                    plan.photos.unchanged += 1;
                }
            }
            (before, Some(data)) => {
                match before {
                    Some(old) => {
                        plan.photos.updated += 1;
                        w.replaced_photos.push(ContactPhoto {
                            contact_id: contact_id.clone(),
                            data: old.clone(),
                        });
                    }
                    None => plan.photos.created += 1,
                }
                w.photos.push(ContactPhoto {
                    contact_id: contact_id.clone(),
                    data,
                });
            }
        }
    }

    for (i, mut after) in current {
        let before = &stored.contacts[i];
        if after == *before {
            if kept.contains(&i) {
                plan.contacts.kept += 1;
            } else {
                plan.contacts.unchanged += 1;
            }
            continue;
        }
        after.updated_at = at;
        plan.contacts.updated += 1;
        let keys = after.email_keys();
        if keys != before.email_keys() {
            for l in stored.links.iter().filter(|l| l.contact_id == before.id) {
                let mut synced = l.clone();
                synced.sync_emails(&keys);
                if synced != *l {
                    plan.links.updated += 1;
                    w.replaced.links.push(l.clone());
                    w.update.links.push(Cow::Owned(synced));
                }
            }
        }
        w.replaced.contacts.push(before.clone());
        w.update.contacts.push(Cow::Owned(after));
    }

    // Only the tags and fields a written contact uses are made.
    let used: BTreeSet<String> =
        crate::domain::sort::set(w.update.contacts.iter().chain(&w.create.contacts).flat_map(|c| {
            c.tags
                .iter()
                .map(ToString::to_string)
                .chain(c.custom.keys().map(ToString::to_string))
        }));
    for item in resolver.made {
        if used.contains(item.id()) {
            plan.other.created += 1;
            w.create.catalog.push(Cow::Owned(item));
        }
    }
    (plan, w)
}
