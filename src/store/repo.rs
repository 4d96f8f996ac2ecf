//! Every read and change the app makes, written once over any [`Backend`].

use super::lines::{self, Lined};
use super::records::{AccountRecord, ContactRecord, PhotoRecord};
use super::schema::{self as s};
use super::summary::{self, Summarised};
use super::{Backend, Key, Lock, Missing, StoreError, Tx};
use crate::bundle::matching::{MatchKeys, Prepared};
use crate::bundle::merge::{incoming_email_keys, merge, wanted, Choices, Plan, Records, StoredKeys, Writes};
use crate::bundle::vcard::import::{OnMatch, VcardChecked};
use crate::bundle::vcard::{self, VcardFile};
use crate::bundle::Contents;
use crate::domain::backup::{BackupState, RemindAfter};
use crate::domain::catalog::{Catalog, CatalogItem, Refs, TeamRole};
use crate::domain::contact_merge::{self, MergeChoices, MergeOutcome};
use crate::domain::directory::{Directory, Rows};
use crate::domain::history::{self, Change, HistoryEntry};
use crate::domain::ids::{IdSource, NoteId, SeededIds};
use crate::domain::note::Note;
use crate::domain::photo::{is_photo_data_url, ContactPhoto};
use crate::domain::search::normalize;
use crate::domain::validation::{PhotoProblem, Problem};
use crate::domain::{Account, AccountId, Contact, ContactId, Link, NewAccount};
use crate::domain::{Timestamp, ValidationErrors};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap, HashSet};

/// The order of every account list: normalised name, then id. A key, so a
/// sort normalises each name once, not once per comparison.
fn account_key(a: &Account) -> (String, AccountId) {
    (normalize(&a.name), a.id.clone())
}

/// Alphabetical order of contacts: last name, first, middle, then id.
fn contact_key(c: &Contact) -> (String, ContactId) {
    (c.sort_key(), c.id.clone())
}

pub struct Repo<B> {
    /// Every transaction goes through [`Summarised`], which keeps the
    /// directory in step with the records (see `summary.rs`), and
    /// [`Lined`], which keeps the records' bundle lines (see `lines.rs`).
    backend: Summarised<Lined<B>>,
    staging: std::cell::Cell<Staging>,
}

/// Reads inside a transaction, shared by reads and checks before writes.
async fn account_in<T: Tx>(tx: &T, id: &AccountId) -> Result<Option<Account>, StoreError> {
    tx.get::<Account>(s::ACCOUNTS, &Key::one(id.as_str())).await
}

async fn contact_in<T: Tx>(tx: &T, id: &ContactId) -> Result<Option<Contact>, StoreError> {
    tx.get::<Contact>(s::CONTACTS, &Key::one(id.as_str())).await
}

async fn catalog_in<T: Tx>(tx: &T) -> Result<Catalog, StoreError> {
    Ok(Catalog::from_items(tx.all::<CatalogItem>(s::CATALOG).await?))
}

/// Refuses emails of `contact` that belong to another stored contact.
async fn check_emails_free<T: Tx>(tx: &T, contact: &Contact, field: &str) -> Result<(), StoreError> {
    for key in contact.email_keys() {
        if let Some(owner) = tx.key_by_index(s::CONTACTS, s::CONTACTS_BY_EMAIL, &key).await? {
            if owner != contact.id.as_str() {
                return Err(StoreError::rejected(field, Problem::EmailTaken(key)));
            }
        }
    }
    Ok(())
}

/// Catalog items in the canonical order of a bundle.
fn canonical_catalog(catalog: Vec<CatalogItem>) -> Vec<CatalogItem> {
    let mut c = Contents {
        catalog,
        ..Contents::default()
    };
    c.sort();
    c.catalog
}

/// Every record of the stores a bundle carries, in one transaction.
async fn everything_in<T: Tx>(tx: &T) -> Result<Contents, StoreError> {
    // Every read is asked for before the first is awaited (IndexedDB reads
    // the next store while this one is converted).
    let catalog = tx.all::<CatalogItem>(s::CATALOG);
    let accounts = tx.all::<Account>(s::ACCOUNTS);
    let contacts = tx.all::<Contact>(s::CONTACTS);
    let links = tx.all::<Link>(s::LINKS);
    let notes = tx.all::<Note>(s::NOTES);
    let history = tx.all::<HistoryEntry>(s::HISTORY);
    let mut c = Contents {
        catalog: catalog.await?,
        accounts: accounts.await?,
        contacts: contacts.await?,
        links: links.await?,
        notes: notes.await?,
        history: history.await?,
    };
    c.sort();
    Ok(c)
}

/// The stored records a CSV or vCard file can match (see
/// [`crate::bundle::matching`]), in canonical order: the whole catalog; the
/// accounts with one of the names; the contacts with one of the emails or
/// ids; every link of those accounts and contacts, with the records at
/// their other end; the notes of those accounts. Everything when the keys
/// say so.
async fn matching_in<T: Tx>(tx: &T, keys: &MatchKeys) -> Result<Contents, StoreError> {
    if keys.everything {
        return everything_in(tx).await;
    }
    let catalog = tx.all::<CatalogItem>(s::CATALOG).await?;
    let names: BTreeSet<String> = keys.account_names.iter().map(|n| normalize(n)).collect();
    let mut accounts: Vec<Account> = by_index_in(tx, s::ACCOUNTS, s::ACCOUNTS_BY_NAME, names).await?;
    let mut wanted: BTreeSet<String> = keys.contact_ids.clone();
    let emails: Vec<String> = keys.emails.iter().cloned().collect();
    for batch in emails.chunks(STEP_RECORDS) {
        let owners = tx.keys_by_index(s::CONTACTS, s::CONTACTS_BY_EMAIL, batch).await?;
        wanted.extend(owners.into_iter().flatten());
    }
    let mut contacts: Vec<Contact> = by_id_in(tx, s::CONTACTS, &wanted, &BTreeSet::new()).await?;
    let mut have_contacts: BTreeSet<String> = contacts.iter().map(|c| c.id.as_str().to_owned()).collect();
    let mut links: Vec<Link> = by_index_in(tx, s::LINKS, s::LINKS_BY_CONTACT, have_contacts.clone()).await?;
    let mut have_accounts: BTreeSet<String> = accounts.iter().map(|a| a.id.as_str().to_owned()).collect();
    let theirs: BTreeSet<String> = links.iter().map(|l| l.account_id.as_str().to_owned()).collect();
    accounts.extend(by_id_in::<_, Account>(tx, s::ACCOUNTS, &theirs, &have_accounts).await?);
    have_accounts.extend(theirs);
    links.extend(by_index_in::<_, Link>(tx, s::LINKS, s::LINKS_BY_ACCOUNT, have_accounts.clone()).await?);
    let notes: Vec<Note> = by_index_in(tx, s::NOTES, s::NOTES_BY_ACCOUNT, have_accounts).await?;
    let linked: BTreeSet<String> = links.iter().map(|l| l.contact_id.as_str().to_owned()).collect();
    contacts.extend(by_id_in::<_, Contact>(tx, s::CONTACTS, &linked, &have_contacts).await?);
    have_contacts.extend(linked);
    let mut c = Contents {
        catalog,
        accounts,
        contacts,
        links,
        notes,
        history: Vec::new(),
    };
    c.sort();
    c.links.dedup();
    Ok(c)
}

/// The records whose `index` has one of `values`, asked for
/// [`STEP_RECORDS`] values at a time (the page may paint in between).
async fn by_index_in<T: Tx, R: DeserializeOwned>(
    tx: &T,
    store: &'static str,
    index: &'static str,
    values: BTreeSet<String>,
) -> Result<Vec<R>, StoreError> {
    let values: Vec<String> = values.into_iter().collect();
    let mut out = Vec::new();
    for batch in values.chunks(STEP_RECORDS) {
        out.extend(
            tx.by_index_many::<R>(store, index, batch)
                .await?
                .into_iter()
                .flatten(),
        );
    }
    Ok(out)
}

/// The records with the ids of `ids` not in `have`, asked for
/// [`STEP_RECORDS`] at a time.
async fn by_id_in<T: Tx, R: DeserializeOwned>(
    tx: &T,
    store: &'static str,
    ids: &BTreeSet<String>,
    have: &BTreeSet<String>,
) -> Result<Vec<R>, StoreError> {
    let keys: Vec<Key> = ids.difference(have).map(|k| Key::one(k)).collect();
    let mut out = Vec::new();
    for batch in keys.chunks(STEP_RECORDS) {
        out.extend(tx.get_many::<R>(store, batch).await?.into_iter().flatten());
    }
    Ok(out)
}

/// Records per lookup batch and per write step of an import or undo: the
/// page gets a chance to paint (and to show progress) between steps.
pub const STEP_RECORDS: usize = 1_000;

/// The part of the stored data an import of `incoming` needs (see
/// [`crate::bundle::merge`]): the whole catalog, the stored records with
/// the ids of the file's records, and the stored contacts that have one of
/// the file's emails, with all their links. Reads keys first, then only
/// those records.
async fn stored_for<T: Tx>(
    tx: &T,
    incoming: &Contents,
    progress: OnProgress<'_>,
) -> Result<Contents, StoreError> {
    fn ones(keys: Vec<Key>) -> HashSet<String> {
        keys.into_iter().filter_map(|k| k.0.into_iter().next()).collect()
    }
    let contacts = ones(tx.keys(s::CONTACTS).await?);
    let mut email_owners = HashMap::new();
    if !contacts.is_empty() {
        let emails = incoming_email_keys(incoming);
        for (i, batch) in emails.chunks(STEP_RECORDS).enumerate() {
            progress(Stage::Comparing, i * STEP_RECORDS, emails.len());
            let owners = tx.keys_by_index(s::CONTACTS, s::CONTACTS_BY_EMAIL, batch).await?;
            for (email, owner) in batch.iter().zip(owners) {
                if let Some(o) = owner {
                    email_owners.insert(email.clone(), o);
                }
            }
        }
    }
    let keys = StoredKeys {
        accounts: ones(tx.keys(s::ACCOUNTS).await?),
        contacts,
        links: tx
            .keys(s::LINKS)
            .await?
            .into_iter()
            .filter_map(|k| match <[String; 2]>::try_from(k.0) {
                Ok([a, c]) => Some((a, c)),
                Err(_) => None,
            })
            .collect(),
        notes: ones(tx.keys(s::NOTES).await?),
        history: ones(tx.keys(s::HISTORY).await?),
        email_owners,
    };
    let want = wanted(incoming, &keys);
    let mut got = Got {
        tx,
        done: 0,
        total: want.accounts.len()
            + want.contacts.len()
            + want.links.len()
            + want.notes.len()
            + want.history.len(),
        progress,
    };
    Ok(Contents {
        catalog: tx.all::<CatalogItem>(s::CATALOG).await?,
        accounts: got
            .many(s::ACCOUNTS, want.accounts.iter().map(|k| Key::one(k)))
            .await?,
        contacts: got
            .many(s::CONTACTS, want.contacts.iter().map(|k| Key::one(k)))
            .await?,
        links: got
            .many(s::LINKS, want.links.iter().map(|(a, c)| Key::pair(a, c)))
            .await?,
        notes: got.many(s::NOTES, want.notes.iter().map(|k| Key::one(k))).await?,
        history: got
            .many(s::HISTORY, want.history.iter().map(|k| Key::one(k)))
            .await?,
    })
}

/// Reads records by key in batches, reporting progress.
struct Got<'a, T> {
    tx: &'a T,
    done: usize,
    total: usize,
    progress: OnProgress<'a>,
}

impl<T: Tx> Got<'_, T> {
    async fn many<R: DeserializeOwned>(
        &mut self,
        store: &'static str,
        keys: impl Iterator<Item = Key>,
    ) -> Result<Vec<R>, StoreError> {
        let keys: Vec<Key> = keys.collect();
        let mut out = Vec::new();
        for batch in keys.chunks(STEP_RECORDS) {
            (self.progress)(Stage::Comparing, self.done, self.total);
            out.extend(self.tx.get_many::<R>(store, batch).await?.into_iter().flatten());
            self.done += batch.len();
        }
        Ok(out)
    }
}

/// The stores an import writes.
const IMPORT_STORES: [&str; 9] = [
    s::CATALOG,
    s::ACCOUNTS,
    s::CONTACTS,
    s::LINKS,
    s::NOTES,
    s::HISTORY,
    s::PHOTOS,
    s::CONTACT_PHOTOS,
    s::META,
];

/// Contact photos per write request and per part of an import's undo
/// snapshot (a photo may be up to 1 MiB).
const PHOTOS_PER_STEP: usize = 16;

/// The stored photos of `ids` (those that have one).
async fn contact_photos_in<T: Tx>(tx: &T, ids: &[ContactId]) -> Result<Vec<ContactPhoto>, StoreError> {
    let mut out = Vec::new();
    for batch in ids.chunks(STEP_RECORDS) {
        let keys: Vec<Key> = batch.iter().map(|id| Key::one(id.as_str())).collect();
        out.extend(
            tx.get_many::<ContactPhoto>(s::CONTACT_PHOTOS, &keys)
                .await?
                .into_iter()
                .flatten(),
        );
    }
    Ok(out)
}

/// The `meta` key of the last import's snapshot.
const LAST_IMPORT: &str = "last_import";

/// The `meta` key of part `i` of the last import's snapshot.
fn part_key(i: usize) -> String {
    format!("{LAST_IMPORT}/{i:06}")
}

/// Every part key sorts between these two.
fn snapshot_parts() -> (Key, Key) {
    (
        Key::one(&format!("{LAST_IMPORT}/")),
        Key::one(&format!("{LAST_IMPORT}/~")),
    )
}

/// The stores a merge of contacts writes.
const MERGE_STORES: [&str; 5] = [s::CONTACTS, s::LINKS, s::HISTORY, s::CONTACT_PHOTOS, s::META];

/// The `meta` key of the last merge's snapshot.
const LAST_MERGE: &str = "last_merge";

/// What "Undo merge" needs: every record the merge changed, as it was.
#[derive(Serialize, Deserialize)]
struct MergeSnapshot {
    key: String,
    at: Timestamp,
    /// The merged contact's name, and the names of those merged into it.
    into: String,
    merged: String,
    survivor: ContactId,
    /// Every merged contact before the merge, the survivor first.
    contacts: Vec<Contact>,
    /// Every link of those contacts before the merge.
    links: Vec<Link>,
    /// Accounts the survivor was linked to by the merge.
    created_links: Vec<AccountId>,
    /// Ids of the history entries the merge wrote.
    history: Vec<String>,
    /// The merged contacts' photos before the merge.
    #[serde(default)]
    photos: Vec<ContactPhoto>,
}

/// The `meta` key of the groups marked "not duplicates".
const DISMISSED: &str = "dismissed_duplicates";

#[derive(Default, Serialize, Deserialize)]
struct Dismissed {
    key: String,
    groups: Vec<Vec<ContactId>>,
}

/// Keys of the records an import created.
#[derive(Default, Serialize, Deserialize)]
struct CreatedKeys {
    catalog: Vec<String>,
    accounts: Vec<String>,
    contacts: Vec<String>,
    links: Vec<(String, String)>,
    notes: Vec<String>,
    history: Vec<String>,
    /// Contacts that had no photo and got one.
    #[serde(default)]
    photos: Vec<String>,
}

impl CreatedKeys {
    fn append(&mut self, mut more: CreatedKeys) {
        self.catalog.append(&mut more.catalog);
        self.accounts.append(&mut more.accounts);
        self.contacts.append(&mut more.contacts);
        self.links.append(&mut more.links);
        self.notes.append(&mut more.notes);
        self.history.append(&mut more.history);
        self.photos.append(&mut more.photos);
    }
}

/// What "Undo last import" needs: what the import created (to delete) and
/// the records it overwrote, as they were (only those: a snapshot of an
/// import into an empty device is just a list of keys). The lists are kept
/// in `parts` records of at most [`STEP_RECORDS`] entries per list (keys
/// `last_import/000000`, ...), so no single record is huge: reading or
/// writing one never blocks the page for long. (A snapshot written before
/// parts existed has its lists inline.)
#[derive(Serialize, Deserialize)]
struct ImportSnapshot {
    key: String,
    at: Timestamp,
    #[serde(default)]
    parts: usize,
    /// Written in stages into an empty store: its undo deletes in stages.
    #[serde(default)]
    staged: bool,
    #[serde(default)]
    created: CreatedKeys,
    #[serde(default)]
    replaced: Contents,
}

/// One part of a snapshot.
#[derive(Serialize, Deserialize)]
struct SnapshotPart {
    key: String,
    created: CreatedKeys,
    replaced: Contents,
    /// Contact photos the import replaced, as they were (at most
    /// [`PHOTOS_PER_STEP`] per part).
    #[serde(default)]
    replaced_photos: Vec<ContactPhoto>,
}

/// The contact photos an import writes: those it adds (keys) and those it
/// replaces (as they were).
struct PhotoChanges<'a> {
    created: Vec<String>,
    replaced: &'a [ContactPhoto],
}

/// Part `i` of a snapshot: entries `i * n ..` of each list, at most `n`
/// per list. Made part by part while the snapshot is written (making all
/// the keys of a big import at once would hold up the page).
fn snapshot_piece(
    create: &Records<'_>,
    replaced: &Contents,
    photos: &PhotoChanges<'_>,
    i: usize,
    n: usize,
) -> SnapshotPart {
    fn slice<T>(v: &[T], i: usize, n: usize) -> &[T] {
        let from = i.saturating_mul(n).min(v.len());
        &v[from..from.saturating_add(n).min(v.len())]
    }
    fn ids<T>(v: &[T], i: usize, n: usize, id: impl Fn(&T) -> String) -> Vec<String> {
        slice(v, i, n).iter().map(id).collect()
    }
    let c = create;
    SnapshotPart {
        key: part_key(i),
        created: CreatedKeys {
            catalog: ids(&c.catalog, i, n, |x| x.id().to_owned()),
            accounts: ids(&c.accounts, i, n, |x| x.id.to_string()),
            contacts: ids(&c.contacts, i, n, |x| x.id.to_string()),
            links: slice(&c.links, i, n)
                .iter()
                .map(|l| (l.account_id.to_string(), l.contact_id.to_string()))
                .collect(),
            notes: ids(&c.notes, i, n, |x| x.id.to_string()),
            history: ids(&c.history, i, n, |x| x.id.to_string()),
            photos: slice(&photos.created, i, n).to_vec(),
        },
        replaced: Contents {
            catalog: slice(&replaced.catalog, i, n).to_vec(),
            accounts: slice(&replaced.accounts, i, n).to_vec(),
            contacts: slice(&replaced.contacts, i, n).to_vec(),
            links: slice(&replaced.links, i, n).to_vec(),
            notes: slice(&replaced.notes, i, n).to_vec(),
            history: slice(&replaced.history, i, n).to_vec(),
        },
        replaced_photos: slice(photos.replaced, i, PHOTOS_PER_STEP).to_vec(),
    }
}

/// How many parts a snapshot of these lists takes, at most `n` entries per list.
fn snapshot_pieces(create: &Records<'_>, replaced: &Contents, photos: &PhotoChanges<'_>, n: usize) -> usize {
    let photo_parts = photos
        .created
        .len()
        .div_ceil(n)
        .max(photos.replaced.len().div_ceil(PHOTOS_PER_STEP));
    [
        create.catalog.len(),
        create.accounts.len(),
        create.contacts.len(),
        create.links.len(),
        create.notes.len(),
        create.history.len(),
        replaced.catalog.len(),
        replaced.accounts.len(),
        replaced.contacts.len(),
        replaced.links.len(),
        replaced.notes.len(),
        replaced.history.len(),
    ]
    .into_iter()
    .map(|len| len.div_ceil(n))
    .max()
    .unwrap_or(0)
    .max(photo_parts)
}

/// Runs of neighbouring keys (in the store's order) for which `gone` holds:
/// each run is deleted with one request ([`Tx::delete_run`]).
fn runs(keys: Vec<Key>, gone: impl Fn(&Key) -> bool) -> Vec<Vec<Key>> {
    let mut out: Vec<Vec<Key>> = Vec::new();
    let mut open = false;
    for k in keys {
        if !gone(&k) {
            open = false;
            continue;
        }
        match out.last_mut() {
            Some(run) if open => run.push(k),
            _ => {
                out.push(vec![k]);
                open = true;
            }
        }
    }
    out
}

/// A record's id and account (what undo needs of notes and history).
#[derive(Deserialize)]
struct OfAccount {
    id: String,
    account_id: String,
}

/// The ids of the records of `store` (notes or history) that belong to one of `accounts`.
async fn of_accounts<T: Tx>(
    tx: &T,
    store: &'static str,
    accounts: &HashSet<&str>,
) -> Result<Vec<String>, StoreError> {
    let all: Vec<OfAccount> = tx.all(store).await?;
    Ok(all
        .into_iter()
        .filter(|r| accounts.contains(r.account_id.as_str()))
        .map(|r| r.id)
        .collect())
}

/// What a long import or undo is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Reading the stored records the change touches.
    Comparing,
    /// Writing.
    Writing,
}

/// Called with the stage, how many records are done and how many there are.
pub type OnProgress<'a> = &'a dyn Fn(Stage, usize, usize);

/// Who runs a long change, and who watches it.
pub struct Run<'a, I> {
    pub at: Timestamp,
    /// The name history entries give as the author.
    pub by: String,
    /// Fresh ids for the history entries the change writes.
    pub ids: I,
    pub progress: OnProgress<'a>,
}

/// Issues a long run of writes in steps of [`STEP_RECORDS`], letting the
/// page paint and reporting progress between steps. Between steps it awaits
/// one IndexedDB request, never a timer.
struct Pacer<'a, T> {
    tx: &'a T,
    done: usize,
    total: usize,
    since: usize,
    progress: OnProgress<'a>,
}

impl<T: Tx> Pacer<'_, T> {
    async fn wrote(&mut self, n: usize) -> Result<(), StoreError> {
        self.done += n;
        self.since += n;
        if self.since >= STEP_RECORDS {
            self.since = 0;
            (self.progress)(Stage::Writing, self.done.min(self.total), self.total);
            self.tx.settle(s::META).await?;
        }
        Ok(())
    }

    async fn put<R: Serialize>(&mut self, store: &'static str, records: &[R]) -> Result<(), StoreError> {
        for batch in records.chunks(STEP_RECORDS) {
            self.tx.put_many(store, batch)?;
            self.wrote(batch.len()).await?;
        }
        Ok(())
    }

    async fn put_all(&mut self, c: &Records<'_>) -> Result<(), StoreError> {
        self.put(s::CATALOG, &c.catalog).await?;
        for batch in c.accounts.chunks(STEP_RECORDS) {
            let records: Vec<AccountRecord> = batch.iter().map(|a| AccountRecord::new(a)).collect();
            self.put(s::ACCOUNTS, &records).await?;
        }
        for batch in c.contacts.chunks(STEP_RECORDS) {
            let records: Vec<ContactRecord> = batch.iter().map(|c| ContactRecord::new(c)).collect();
            self.put(s::CONTACTS, &records).await?;
        }
        self.put(s::LINKS, &c.links).await?;
        self.put(s::NOTES, &c.notes).await?;
        self.put(s::HISTORY, &c.history).await
    }
}

fn put_history<T: Tx>(tx: &T, history: &[HistoryEntry]) -> Result<(), StoreError> {
    history.iter().try_for_each(|h| tx.put(s::HISTORY, h))
}

/// Issues the puts of `c` (no awaiting: they land at the commit).
fn put_all<T: Tx>(tx: &T, c: &Contents) -> Result<(), StoreError> {
    tx.put_many(s::CATALOG, &c.catalog)?;
    let accounts: Vec<AccountRecord> = c.accounts.iter().map(AccountRecord::new).collect();
    tx.put_many(s::ACCOUNTS, &accounts)?;
    let contacts: Vec<ContactRecord> = c.contacts.iter().map(ContactRecord::new).collect();
    tx.put_many(s::CONTACTS, &contacts)?;
    tx.put_many(s::LINKS, &c.links)?;
    tx.put_many(s::NOTES, &c.notes)?;
    put_history(tx, &c.history)
}

/// Writes an import's records (bundle, CSV or vCard) and its undo snapshot
/// (in parts), then commits; an import that changes nothing writes nothing
/// and keeps the old snapshot. Emails that move to a contact of the file
/// ("take theirs") get a history entry on the accounts of both contacts.
/// Progress is reported, and the page may paint, every [`STEP_RECORDS`].
async fn write_import<T: Tx, I: IdSource>(
    tx: T,
    plan: &Plan,
    mut w: Writes<'_>,
    mut run: Run<'_, I>,
) -> Result<(), StoreError> {
    if plan.changes_nothing() {
        return Ok(());
    }
    for m in std::mem::take(&mut w.moved) {
        let change = Change::EmailMoved {
            email: m.email,
            from: m.from,
            to: m.to,
        };
        for account in &m.accounts {
            let entries = history::entries(&mut run.ids, account, run.at, &run.by, vec![change.clone()]);
            w.create.history.extend(entries.into_iter().map(Cow::Owned));
        }
    }
    let mut pacer = Pacer {
        tx: &tx,
        done: 0,
        total: w.len(),
        since: 0,
        progress: run.progress,
    };
    // Contacts that give up an email are saved without it first, so it is
    // free (the unique email index) before another contact takes it.
    let freeing: Vec<Contact> = w
        .update
        .contacts
        .iter()
        .filter_map(|after| {
            let before = w.replaced.contacts.iter().find(|b| b.id == after.id)?;
            let keep = after.email_keys();
            let mut interim = before.clone();
            interim.emails.retain(|e| keep.contains(&e.key()));
            (interim.emails.len() < before.emails.len()).then_some(interim)
        })
        .collect();
    let freeing: Vec<ContactRecord> = freeing.iter().map(ContactRecord::new).collect();
    tx.put_many(s::CONTACTS, &freeing)?;
    pacer.put_all(&w.update).await?;
    pacer.put_all(&w.create).await?;
    for batch in w.photos.chunks(PHOTOS_PER_STEP) {
        tx.put_many(s::CONTACT_PHOTOS, batch)?;
        pacer.wrote(batch.len()).await?;
    }
    put_snapshot(&tx, &w, run.at, false).await?;
    (run.progress)(Stage::Writing, pacer.total, pacer.total);
    tx.commit().await
}

/// Puts the undo snapshot of an import's writes `w` (in parts), replacing
/// the previous one and its parts.
async fn put_snapshot<T: Tx>(tx: &T, w: &Writes<'_>, at: Timestamp, staged: bool) -> Result<(), StoreError> {
    let (first, last) = snapshot_parts();
    tx.delete_range(s::META, &first, &last)?;
    let had: HashSet<&ContactId> = w.replaced_photos.iter().map(|p| &p.contact_id).collect();
    let photos = PhotoChanges {
        created: w
            .photos
            .iter()
            .filter(|p| !had.contains(&p.contact_id))
            .map(|p| p.contact_id.to_string())
            .collect(),
        replaced: &w.replaced_photos,
    };
    let parts = snapshot_pieces(&w.create, &w.replaced, &photos, STEP_RECORDS);
    for i in 0..parts {
        tx.put(
            s::META,
            &snapshot_piece(&w.create, &w.replaced, &photos, i, STEP_RECORDS),
        )?;
        tx.settle(s::META).await?;
    }
    let snapshot = ImportSnapshot {
        key: LAST_IMPORT.to_owned(),
        at,
        parts,
        staged,
        created: CreatedKeys::default(),
        replaced: Contents::default(),
    };
    tx.put(s::META, &snapshot)
}

// ----- imports in stages ---------------------------------------------------

/// When an import is written in stages rather than in one transaction.
///
/// Chromium keeps the undo log of a transaction too large for memory on
/// disk, one entry per key, and deletes it after the commit; every later
/// open of the database steps over those deletion marks until LevelDB
/// compacts them, which on a profile that is mostly read takes a long time
/// (README.md, "Seventh pass": 0.9-1.6 s per start after one transaction of
/// 556,110 records, 0.23-0.25 s after transactions of 2,000). So an import
/// of at least `min` records into a store without accounts, contacts,
/// links, notes, history or photos (a practice moved to this device) puts
/// them in transactions of `per_tx` records, and its last transaction
/// writes the catalog, the directory, the lines and the undo snapshot, and
/// removes its mark ([`s::STAGED_IMPORT`]). It stays all or nothing:
///
/// - the mark is written, in the transaction that found the store empty,
///   before any record; while it is there every other change to the record
///   stores is refused ([`StoreError::ImportRunning`]), and lists and
///   search show the store as it was (the directory comes last);
/// - the importing tab holds a lock shared by the tabs ([`Backend::try_lock`])
///   until the end; a mark without the lock held is an import whose tab
///   went away, and [`Repo::recover_import`] (at every start, and before
///   every import) empties the stores again;
/// - a stage that fails rolls back at once, the same way.
///
/// Without locks (a page not served securely) every import is one
/// transaction, as is every import into a store that holds records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Staging {
    pub min: usize,
    pub per_tx: usize,
}

impl Default for Staging {
    fn default() -> Self {
        Self {
            min: 20_000,
            per_tx: 2_000,
        }
    }
}

/// The mark of an import written in stages.
#[derive(Serialize, Deserialize)]
struct StagedMark {
    key: String,
    at: Timestamp,
    /// The undo of such an import, in stages: a half-done one is finished,
    /// not rolled back.
    #[serde(default)]
    undo: bool,
}

impl StagedMark {
    /// Puts the mark of the import (or, `undo`, of its undo) made at `at`.
    fn put<T: Tx>(tx: &T, at: Timestamp, undo: bool) -> Result<(), StoreError> {
        let mark = StagedMark {
            key: s::STAGED_IMPORT.to_owned(),
            at,
            undo,
        };
        tx.put(s::META, &mark)
    }

    /// Goes on only while the mark a run of stages wrote is still there:
    /// another tab that found it without its lock has rolled the run back
    /// (or finished it) meanwhile.
    async fn still_there<T: Tx>(tx: &T, at: Timestamp, undo: bool) -> Result<(), StoreError> {
        match tx.get::<StagedMark>(s::META, &Key::one(s::STAGED_IMPORT)).await? {
            Some(mark) if mark.at == at && mark.undo == undo => Ok(()),
            _ => Err(StoreError::Backend(
                if undo {
                    "the undo was stopped from another tab"
                } else {
                    "the import was stopped from another tab"
                }
                .into(),
            )),
        }
    }
}

/// The stores an import written in stages puts records in: empty when it
/// starts, emptied again when it is rolled back.
const STAGED_STORES: [&str; 7] = [
    s::ACCOUNTS,
    s::CONTACTS,
    s::LINKS,
    s::NOTES,
    s::HISTORY,
    s::PHOTOS,
    s::CONTACT_PHOTOS,
];

/// Whether none of [`STAGED_STORES`] holds a record.
async fn empty_in<T: Tx>(tx: &T) -> Result<bool, StoreError> {
    for store in STAGED_STORES {
        if tx.any(store).await? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Puts entries `range` of list `list` of what an import creates (accounts,
/// contacts, links, notes, history, photos).
fn put_range<T: Tx>(
    tx: &T,
    w: &Writes<'_>,
    list: usize,
    range: std::ops::Range<usize>,
) -> Result<(), StoreError> {
    fn part<X>(v: &[X], range: std::ops::Range<usize>) -> &[X] {
        v.get(range).unwrap_or_default()
    }
    let c = &w.create;
    match list {
        0 => {
            let records: Vec<AccountRecord> = part(&c.accounts, range)
                .iter()
                .map(|a| AccountRecord::new(a))
                .collect();
            tx.put_many(s::ACCOUNTS, &records)
        }
        1 => {
            let records: Vec<ContactRecord> = part(&c.contacts, range)
                .iter()
                .map(|c| ContactRecord::new(c))
                .collect();
            tx.put_many(s::CONTACTS, &records)
        }
        2 => tx.put_many(s::LINKS, part(&c.links, range)),
        3 => tx.put_many(s::NOTES, part(&c.notes, range)),
        4 => tx.put_many(s::HISTORY, part(&c.history, range)),
        _ => tx.put_many(s::CONTACT_PHOTOS, part(&w.photos, range)),
    }
}

/// Puts the records `w` creates (and its photos) in transactions of about
/// `per_tx` records on `raw`, the backend under the directory and the lines
/// (both are written once, at the end). Each transaction first checks that
/// the import's mark is still there.
async fn put_in_stages<B: Backend>(
    raw: &B,
    w: &Writes<'_>,
    at: Timestamp,
    per_tx: usize,
    progress: OnProgress<'_>,
) -> Result<(), StoreError> {
    let c = &w.create;
    let lists = [
        c.accounts.len(),
        c.contacts.len(),
        c.links.len(),
        c.notes.len(),
        c.history.len(),
        w.photos.len(),
    ];
    let mut stores = STAGED_STORES.to_vec();
    stores.push(s::META);
    let (total, mut done) = (w.len(), 0);
    let (mut list, mut i) = (0, 0);
    while list < lists.len() {
        let tx = raw.write(&stores)?;
        StagedMark::still_there(&tx, at, false).await?;
        let mut room = per_tx.max(1);
        while room > 0 && list < lists.len() {
            let left = lists[list].saturating_sub(i);
            if left == 0 {
                (list, i) = (list + 1, 0);
                continue;
            }
            // A photo may be up to 1 MiB: a transaction holds few.
            let weight = if list == 5 {
                (per_tx / PHOTOS_PER_STEP).max(1)
            } else {
                1
            };
            let n = (room / weight).max(1).min(left);
            put_range(&tx, w, list, i..i + n)?;
            i += n;
            done += n;
            room = room.saturating_sub(n * weight);
        }
        tx.commit().await?;
        progress(Stage::Writing, done.min(total), total);
    }
    Ok(())
}

/// Deletes the runs of keys an undo of an import in stages found, in
/// transactions of about `per_tx` keys on `raw` (the directory and the
/// lines are made again at its end). Each transaction first checks that
/// the undo's mark is still there.
async fn delete_in_stages<B: Backend>(
    raw: &B,
    deletes: Vec<(&'static str, Vec<Vec<Key>>)>,
    at: Timestamp,
    per_tx: usize,
    progress: OnProgress<'_>,
    total: usize,
) -> Result<(), StoreError> {
    let mut stores = STAGED_STORES.to_vec();
    stores.extend([s::CATALOG, s::META]);
    let pieces: Vec<(&'static str, &[Key])> = deletes
        .iter()
        .flat_map(|(store, runs)| {
            runs.iter()
                .flat_map(|run| run.chunks(per_tx.max(1)).map(|p| (*store, p)))
        })
        .collect();
    let mut done = 0;
    let mut rest = pieces.as_slice();
    while !rest.is_empty() {
        let tx = raw.write(&stores)?;
        StagedMark::still_there(&tx, at, true).await?;
        let mut room = per_tx.max(1);
        while let Some(((store, keys), more)) = rest.split_first() {
            if keys.len() > room && room < per_tx.max(1) {
                break;
            }
            tx.delete_run(store, keys)?;
            room = room.saturating_sub(keys.len());
            done += keys.len();
            rest = more;
        }
        tx.commit().await?;
        progress(Stage::Writing, done.min(total), total);
    }
    Ok(())
}

/// The end of an undo of an import, in `tx`: what the import overwrote
/// put back (progress from `done` of `total`), its snapshot removed, and
/// with `unmark` the mark of an undo in stages.
async fn put_back<T: Tx>(
    tx: &T,
    replaced: &Contents,
    replaced_photos: &[ContactPhoto],
    (done, total): (usize, usize),
    progress: OnProgress<'_>,
    unmark: bool,
) -> Result<(), StoreError> {
    let mut pacer = Pacer {
        tx,
        done,
        total,
        since: 0,
        progress,
    };
    pacer.put_all(&Records::from(replaced)).await?;
    for batch in replaced_photos.chunks(PHOTOS_PER_STEP) {
        tx.put_many(s::CONTACT_PHOTOS, batch)?;
        pacer.wrote(batch.len()).await?;
    }
    tx.delete(s::META, &Key::one(LAST_IMPORT))?;
    let (first, last) = snapshot_parts();
    tx.delete_range(s::META, &first, &last)?;
    if unmark {
        tx.delete(s::META, &Key::one(s::STAGED_IMPORT))?;
    }
    progress(Stage::Writing, total, total);
    Ok(())
}

/// A run with no one watching, by "You", with ids derived from `at` and
/// `salt` (for callers that pass none).
fn quiet_run(at: Timestamp, salt: usize) -> Run<'static, SeededIds> {
    Run {
        at,
        by: history::YOU.into(),
        ids: SeededIds::new(at.0 as u64 ^ 0x1e55_0a7e_u64 ^ ((salt as u64) << 32)),
        progress: &|_, _, _| {},
    }
}

impl<B: Backend> Repo<B> {
    pub fn new(backend: B) -> Self {
        Self {
            backend: Summarised(Lined(backend)),
            staging: Default::default(),
        }
    }

    /// Other thresholds for imports written in stages (tests: stages of a
    /// few records).
    pub fn set_staging(&self, staging: Staging) {
        self.staging.set(staging);
    }

    pub fn backend(&self) -> &B {
        &self.backend.0 .0
    }

    /// What the Clients lists and the search show of every account, contact
    /// and link, read from the stored directory (a few large values); built
    /// from the records, and stored, when there is none yet.
    pub async fn directory(&self) -> Result<Directory, StoreError> {
        if let Some(directory) = summary::read(&self.backend.read(&[s::SUMMARY])?).await? {
            return Ok(directory);
        }
        let tx = self
            .backend
            .write(&[s::ACCOUNTS, s::CONTACTS, s::LINKS, s::SUMMARY])?;
        let chunks = summary::rebuild(&tx).await?;
        tx.commit().await?;
        Ok(Directory::parse(chunks).0)
    }

    /// The directory as the records say it should be (tests: the stored one
    /// must always equal it).
    pub async fn directory_from_records(&self) -> Result<Rows, StoreError> {
        let tx = self.backend.read(&[s::ACCOUNTS, s::CONTACTS, s::LINKS])?;
        let accounts: Vec<Account> = tx.all(s::ACCOUNTS).await?;
        let contacts: Vec<Contact> = tx.all(s::CONTACTS).await?;
        let links: Vec<Link> = tx.all(s::LINKS).await?;
        Ok(Rows::of(&accounts, &contacts, &links))
    }

    /// Full accounts by id (those that exist), in the order asked.
    pub async fn accounts_by_id(&self, ids: &[AccountId]) -> Result<Vec<Account>, StoreError> {
        let tx = self.backend.read(&[s::ACCOUNTS])?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(a) = account_in(&tx, id).await? {
                out.push(a);
            }
        }
        Ok(out)
    }

    /// Full contacts by id (those that exist), in the order asked.
    pub async fn contacts_by_id(&self, ids: &[ContactId]) -> Result<Vec<Contact>, StoreError> {
        let tx = self.backend.read(&[s::CONTACTS])?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(c) = contact_in(&tx, id).await? {
                out.push(c);
            }
        }
        Ok(out)
    }

    /// The link between an account and a contact, if there is one.
    pub async fn link(&self, account: &AccountId, contact: &ContactId) -> Result<Option<Link>, StoreError> {
        self.backend
            .read(&[s::LINKS])?
            .get::<Link>(s::LINKS, &Key::pair(account.as_str(), contact.as_str()))
            .await
    }

    // ----- reads ---------------------------------------------------------

    /// All accounts, ordered by accent- and case-insensitive name.
    pub async fn accounts(&self) -> Result<Vec<Account>, StoreError> {
        let tx = self.backend.read(&[s::ACCOUNTS])?;
        let mut all: Vec<Account> = tx.all::<Account>(s::ACCOUNTS).await?;
        all.sort_by_cached_key(account_key);
        Ok(all)
    }

    pub async fn account(&self, id: &AccountId) -> Result<Option<Account>, StoreError> {
        account_in(&self.backend.read(&[s::ACCOUNTS])?, id).await
    }

    /// All contacts, alphabetical.
    pub async fn contacts(&self) -> Result<Vec<Contact>, StoreError> {
        let tx = self.backend.read(&[s::CONTACTS])?;
        let mut all: Vec<Contact> = tx.all::<Contact>(s::CONTACTS).await?;
        all.sort_by_cached_key(contact_key);
        Ok(all)
    }

    pub async fn contact(&self, id: &ContactId) -> Result<Option<Contact>, StoreError> {
        contact_in(&self.backend.read(&[s::CONTACTS])?, id).await
    }

    /// The contact that has this email (main or additional), case-insensitive.
    pub async fn contact_by_email(&self, email: &str) -> Result<Option<Contact>, StoreError> {
        let tx = self.backend.read(&[s::CONTACTS])?;
        let key = email.trim().to_lowercase();
        match tx.key_by_index(s::CONTACTS, s::CONTACTS_BY_EMAIL, &key).await? {
            Some(id) => tx.get::<Contact>(s::CONTACTS, &Key::one(&id)).await,
            None => Ok(None),
        }
    }

    /// Every link (for lists that show portal status).
    pub async fn links(&self) -> Result<Vec<Link>, StoreError> {
        self.backend.read(&[s::LINKS])?.all::<Link>(s::LINKS).await
    }

    /// The contacts of an account with their links, alphabetical.
    pub async fn account_contacts(&self, id: &AccountId) -> Result<Vec<(Link, Contact)>, StoreError> {
        let tx = self.backend.read(&[s::LINKS, s::CONTACTS])?;
        let mut out = Vec::new();
        for link in tx
            .by_index::<Link>(s::LINKS, s::LINKS_BY_ACCOUNT, id.as_str())
            .await?
        {
            // A link whose contact is missing is skipped, never shown half.
            if let Some(c) = contact_in(&tx, &link.contact_id).await? {
                out.push((link, c));
            }
        }
        out.sort_by_cached_key(|(_, c)| contact_key(c));
        Ok(out)
    }

    /// The accounts a contact belongs to, with the links, ordered by name.
    pub async fn contact_accounts(&self, id: &ContactId) -> Result<Vec<(Link, Account)>, StoreError> {
        let tx = self.backend.read(&[s::LINKS, s::ACCOUNTS])?;
        let mut out = Vec::new();
        for link in tx
            .by_index::<Link>(s::LINKS, s::LINKS_BY_CONTACT, id.as_str())
            .await?
        {
            if let Some(a) = account_in(&tx, &link.account_id).await? {
                out.push((link, a));
            }
        }
        out.sort_by_cached_key(|(_, a)| account_key(a));
        Ok(out)
    }

    /// Other accounts sharing a contact with this one, ordered by name.
    pub async fn linked_accounts(&self, id: &AccountId) -> Result<Vec<Account>, StoreError> {
        let tx = self.backend.read(&[s::LINKS, s::ACCOUNTS])?;
        let mut ids: Vec<AccountId> = Vec::new();
        for link in tx
            .by_index::<Link>(s::LINKS, s::LINKS_BY_ACCOUNT, id.as_str())
            .await?
        {
            for other in tx
                .by_index::<Link>(s::LINKS, s::LINKS_BY_CONTACT, link.contact_id.as_str())
                .await?
            {
                if &other.account_id != id && !ids.contains(&other.account_id) {
                    ids.push(other.account_id);
                }
            }
        }
        let mut out = Vec::new();
        for other in ids {
            if let Some(a) = account_in(&tx, &other).await? {
                out.push(a);
            }
        }
        out.sort_by_cached_key(account_key);
        Ok(out)
    }

    pub async fn catalog(&self) -> Result<Catalog, StoreError> {
        catalog_in(&self.backend.read(&[s::CATALOG])?).await
    }

    /// What every account and every contact uses of the catalog (in no
    /// particular order): read from the records without building them
    /// whole, for counting uses in Settings.
    pub async fn catalog_refs(&self) -> Result<(Vec<Refs>, Vec<Refs>), StoreError> {
        let tx = self.backend.read(&[s::ACCOUNTS, s::CONTACTS])?;
        let accounts = tx.all::<Refs>(s::ACCOUNTS);
        let contacts = tx.all::<Refs>(s::CONTACTS);
        Ok((accounts.await?, contacts.await?))
    }

    /// An account's history, newest first.
    pub async fn history(&self, id: &AccountId) -> Result<Vec<HistoryEntry>, StoreError> {
        let tx = self.backend.read(&[s::HISTORY])?;
        let mut all = tx
            .by_index::<HistoryEntry>(s::HISTORY, s::HISTORY_BY_ACCOUNT, id.as_str())
            .await?;
        all.sort_by(|a, b| b.at.cmp(&a.at).then_with(|| b.id.cmp(&a.id)));
        Ok(all)
    }

    /// An account's notes, newest first.
    pub async fn notes(&self, id: &AccountId) -> Result<Vec<Note>, StoreError> {
        let tx = self.backend.read(&[s::NOTES])?;
        let mut all = tx
            .by_index::<Note>(s::NOTES, s::NOTES_BY_ACCOUNT, id.as_str())
            .await?;
        all.sort_by(|a, b| b.created_at.cmp(&a.created_at).then_with(|| b.id.cmp(&a.id)));
        Ok(all)
    }

    pub async fn photo(&self, id: &AccountId) -> Result<Option<String>, StoreError> {
        let tx = self.backend.read(&[s::PHOTOS])?;
        Ok(tx
            .get::<PhotoRecord>(s::PHOTOS, &Key::one(id.as_str()))
            .await?
            .map(|p| p.data))
    }

    /// A contact's photo (a `data:image/...;base64,` URL), if it has one.
    pub async fn contact_photo(&self, id: &ContactId) -> Result<Option<String>, StoreError> {
        let tx = self.backend.read(&[s::CONTACT_PHOTOS])?;
        Ok(tx
            .get::<ContactPhoto>(s::CONTACT_PHOTOS, &Key::one(id.as_str()))
            .await?
            .map(|p| p.data))
    }

    /// The photos of these contacts (those that have one), by contact.
    pub async fn contact_photos(&self, ids: &[ContactId]) -> Result<HashMap<ContactId, String>, StoreError> {
        let tx = self.backend.read(&[s::CONTACT_PHOTOS])?;
        Ok(contact_photos_in(&tx, ids)
            .await?
            .into_iter()
            .map(|p| (p.contact_id, p.data))
            .collect())
    }

    // ----- bundles -------------------------------------------------------

    /// Everything a bundle carries, read in one transaction (canonical order).
    pub async fn export(&self) -> Result<Contents, StoreError> {
        let tx = self.backend.read(&IMPORT_STORES[..6])?;
        everything_in(&tx).await
    }

    /// Everything a bundle carries as the stored bundle lines ("Export
    /// everything" puts the envelope around them with
    /// [`crate::bundle::write::assemble`]): the catalog in canonical order
    /// and each list's chunks of lines, in order. Reads two stores; rebuilds the
    /// lines from the records first if they are missing or of another
    /// format (one write transaction).
    pub async fn export_lines(&self) -> Result<(Vec<CatalogItem>, lines::StoredLines), StoreError> {
        if let Some(found) = self.stored_lines().await? {
            return Ok(found);
        }
        let tx = self.backend.0.write(&[
            s::CATALOG,
            s::ACCOUNTS,
            s::CONTACTS,
            s::LINKS,
            s::NOTES,
            s::HISTORY,
            s::LINES,
        ])?;
        let catalog = tx.all::<CatalogItem>(s::CATALOG);
        let lists = lines::rebuild(&tx).await?;
        let catalog = catalog.await?;
        tx.commit().await?;
        Ok((canonical_catalog(catalog), lists))
    }

    /// The stored bundle lines as [`Repo::export_lines`] gives them, or
    /// `None` when they would have to be rebuilt first.
    pub async fn stored_lines(&self) -> Result<Option<(Vec<CatalogItem>, lines::StoredLines)>, StoreError> {
        let tx = self.backend.0.read(&[s::CATALOG, s::LINES])?;
        let catalog = tx.all::<CatalogItem>(s::CATALOG);
        let found = lines::read(&tx).await?;
        let catalog = catalog.await?;
        Ok(found.map(|l| (canonical_catalog(catalog), l)))
    }

    /// The chosen accounts with all their contacts, links, notes and history,
    /// and only the catalog items they (and their contacts) use.
    pub async fn export_accounts(&self, ids: &[AccountId]) -> Result<Contents, StoreError> {
        let all = self.export().await?;
        let chosen: BTreeSet<&AccountId> = ids.iter().collect();
        let links: Vec<Link> = all
            .links
            .iter()
            .filter(|l| chosen.contains(&l.account_id))
            .cloned()
            .collect();
        let contact_ids: BTreeSet<&ContactId> = links.iter().map(|l| &l.contact_id).collect();
        let accounts: Vec<Account> = all
            .accounts
            .iter()
            .filter(|a| chosen.contains(&a.id))
            .cloned()
            .collect();
        let contacts: Vec<Contact> = all
            .contacts
            .iter()
            .filter(|c| contact_ids.contains(&c.id))
            .cloned()
            .collect();
        let mut used: BTreeSet<String> = BTreeSet::new();
        for a in &accounts {
            used.extend(a.tags.iter().map(ToString::to_string));
            used.extend(a.team.iter().map(ToString::to_string));
            for r in &a.roles {
                used.insert(r.role.to_string());
                used.insert(r.member.to_string());
            }
            used.extend(a.custom.keys().map(ToString::to_string));
            used.extend(a.folder_template.iter().map(ToString::to_string));
        }
        for c in &contacts {
            used.extend(c.tags.iter().map(ToString::to_string));
            used.extend(c.custom.keys().map(ToString::to_string));
        }
        Ok(Contents {
            catalog: all
                .catalog
                .into_iter()
                .filter(|i| used.contains(i.id()))
                .collect(),
            notes: all
                .notes
                .into_iter()
                .filter(|n| chosen.contains(&n.account_id))
                .collect(),
            history: all
                .history
                .into_iter()
                .filter(|h| chosen.contains(&h.account_id))
                .collect(),
            accounts,
            contacts,
            links,
        })
    }

    /// The dry run: what [`Repo::import`] would do with these choices.
    /// Reads only the stored records the file touches.
    pub async fn import_plan(&self, bundle: &Contents, choices: Choices) -> Result<Plan, StoreError> {
        self.import_plan_with(bundle, choices, &|_, _, _| {}).await
    }

    /// [`Repo::import_plan`], reporting how far the reading has come.
    pub async fn import_plan_with(
        &self,
        bundle: &Contents,
        choices: Choices,
        progress: OnProgress<'_>,
    ) -> Result<Plan, StoreError> {
        let tx = self.backend.read(&IMPORT_STORES[..6])?;
        let stored = stored_for(&tx, bundle, progress).await?;
        Ok(merge(&stored, bundle, choices).0)
    }

    /// [`Repo::import_run`] without progress, by "You", with ids for its
    /// history entries derived from `at` (the app passes random ones).
    pub async fn import(
        &self,
        bundle: &Contents,
        choices: Choices,
        at: Timestamp,
    ) -> Result<Plan, StoreError> {
        self.import_run(bundle, choices, quiet_run(at, bundle.len()))
            .await
    }

    /// Imports a validated bundle in one transaction, keeping a snapshot of
    /// what it overwrites for [`Repo::undo_import`] (replacing the previous
    /// snapshot; an import that changes nothing keeps it). The plan is made
    /// again inside the transaction, so it matches what is written. Emails
    /// that move to a contact of the file ("take theirs") get a history
    /// entry on the accounts of both contacts.
    pub async fn import_run<I: IdSource>(
        &self,
        bundle: &Contents,
        choices: Choices,
        run: Run<'_, I>,
    ) -> Result<Plan, StoreError> {
        let held = self.import_lock().await?;
        let tx = self.backend.write(&IMPORT_STORES)?;
        let stored = stored_for(&tx, bundle, run.progress).await?;
        let (plan, w) = merge(&stored, bundle, choices);
        self.write_planned(tx, &plan, w, run, held).await?;
        Ok(plan)
    }

    /// Imports what `make` derives from the stored records (a CSV file
    /// matched against them), exactly like [`Repo::import`]: `make` runs
    /// inside the write transaction on what is stored at that moment, so the
    /// records it matches cannot change in between. When `make` refuses
    /// (problems with their places), nothing is written.
    pub async fn import_with<F>(&self, make: F, choices: Choices, at: Timestamp) -> Result<Plan, StoreError>
    where
        F: FnOnce(&Contents) -> Result<Contents, ValidationErrors>,
    {
        let held = self.import_lock().await?;
        let tx = self.backend.write(&IMPORT_STORES)?;
        let stored = everything_in(&tx).await?;
        let incoming = make(&stored).map_err(StoreError::Rejected)?;
        let (plan, w) = merge(&stored, &incoming, choices);
        self.write_planned(tx, &plan, w, quiet_run(at, incoming.len()), held)
            .await?;
        Ok(plan)
    }

    /// The stored records a CSV or vCard file can match (what its check is
    /// made against), read in one transaction. See
    /// [`crate::bundle::matching`].
    pub async fn stored_matching(&self, keys: &MatchKeys) -> Result<Contents, StoreError> {
        let tx = self.backend.read(&IMPORT_STORES[..6])?;
        matching_in(&tx, keys).await
    }

    /// Imports a checked CSV file: `prepared.made` is what its rows made of
    /// `prepared.stored`. Inside the write transaction the same keys are
    /// read again; when what is stored has changed meanwhile, `replan`
    /// matches the rows again on what is stored now (its refusal writes
    /// nothing). Then it is written like a bundle (only the stored records
    /// the records touch are read, the write reports progress, the same
    /// snapshot for "Undo last import").
    pub async fn import_csv<I: IdSource, F>(
        &self,
        prepared: &Prepared<Contents>,
        replan: F,
        choices: Choices,
        run: Run<'_, I>,
    ) -> Result<Plan, StoreError>
    where
        F: FnOnce(&Contents) -> Result<Contents, ValidationErrors>,
    {
        let held = self.import_lock().await?;
        let tx = self.backend.write(&IMPORT_STORES)?;
        (run.progress)(Stage::Comparing, 0, prepared.made.len());
        let now = matching_in(&tx, &prepared.keys).await?;
        let again;
        let incoming = if now == prepared.stored {
            &prepared.made
        } else {
            again = replan(&now).map_err(StoreError::Rejected)?;
            &again
        };
        let stored = stored_for(&tx, incoming, run.progress).await?;
        let (plan, w) = merge(&stored, incoming, choices);
        self.write_planned(tx, &plan, w, run, held).await?;
        Ok(plan)
    }

    /// The dry run of a vCard import: what [`Repo::import_vcard`] would do.
    /// Reads only the stored records the cards can match.
    pub async fn import_vcard_plan(&self, file: &VcardFile, on_match: OnMatch) -> Result<Plan, StoreError> {
        let (stored, photos) = self.vcard_stored(file).await?;
        Ok(vcard::import::plan(
            &stored,
            &photos,
            file,
            on_match,
            &mut SeededIds::new(0),
            Timestamp(0),
        )
        .0)
    }

    /// What a vCard import's plan reads: the stored records the cards can
    /// match (see [`crate::bundle::matching`]), and the photos of the stored
    /// contacts the file's cards with a photo name.
    pub async fn vcard_stored(
        &self,
        file: &VcardFile,
    ) -> Result<(Contents, vcard::import::StoredPhotos), StoreError> {
        let mut stores = IMPORT_STORES[..6].to_vec();
        stores.push(s::CONTACT_PHOTOS);
        let tx = self.backend.read(&stores)?;
        let stored = matching_in(&tx, &vcard::import::match_keys(file)).await?;
        let photos = vcard_photos_in(&tx, &stored, file).await?;
        Ok((stored, photos))
    }

    /// [`Repo::import_vcard_run`] without a check made before and without
    /// progress, by "You".
    pub async fn import_vcard(
        &self,
        file: &VcardFile,
        on_match: OnMatch,
        at: Timestamp,
        ids: &mut impl IdSource,
    ) -> Result<Plan, StoreError> {
        let run = Run {
            at,
            by: history::YOU.into(),
            ids,
            progress: &|_, _, _| {},
        };
        self.import_vcard_run(file, on_match, None, run).await
    }

    /// Imports the cards of a checked vCard file as contacts (a card that
    /// names a stored contact by UID or email updates it), in one
    /// transaction, with the same snapshot as a bundle import, so "Undo last
    /// import" reverts it. Reads only the stored records the cards can
    /// match; when they are what `checked` was made against (with the same
    /// choice), its writes are written as they are, otherwise the cards are
    /// matched again on what is stored now. New ids come from `run.ids`.
    pub async fn import_vcard_run<I: IdSource>(
        &self,
        file: &VcardFile,
        on_match: OnMatch,
        checked: Option<&Prepared<VcardChecked>>,
        mut run: Run<'_, I>,
    ) -> Result<Plan, StoreError> {
        let held = self.import_lock().await?;
        let tx = self.backend.write(&IMPORT_STORES)?;
        let keys = vcard::import::match_keys(file);
        (run.progress)(Stage::Comparing, 0, file.cards.len());
        let stored = matching_in(&tx, &keys).await?;
        let photos = vcard_photos_in(&tx, &stored, file).await?;
        let (plan, w) = match checked {
            Some(c)
                if c.keys == keys
                    && c.stored == stored
                    && c.made.photos == photos
                    && c.made.on_match == on_match =>
            {
                (c.made.plan.clone(), c.made.writes.clone())
            }
            _ => vcard::import::plan(&stored, &photos, file, on_match, &mut run.ids, run.at),
        };
        self.write_planned(tx, &plan, w, run, held).await?;
        Ok(plan)
    }

    /// When the last import that can be undone happened.
    pub async fn last_import(&self) -> Result<Option<Timestamp>, StoreError> {
        #[derive(Deserialize)]
        struct At {
            at: Timestamp,
        }
        let tx = self.backend.read(&[s::META])?;
        Ok(tx.get::<At>(s::META, &Key::one(LAST_IMPORT)).await?.map(|s| s.at))
    }

    /// Takes the import lock before an import reads anything, rolling back
    /// what an import left half done: `None` when this browser has no
    /// locks; refused while another import runs.
    async fn import_lock(&self) -> Result<Option<B::Held>, StoreError> {
        match self.backend.try_lock(s::IMPORT_LOCK).await? {
            Lock::Held(held) => {
                self.settle_staged(&|_, _, _| {}).await?;
                Ok(Some(held))
            }
            Lock::Busy => Err(StoreError::ImportRunning),
            Lock::Unsupported => Ok(None),
        }
    }

    /// Writes an import's plan: in stages when it may be (see [`Staging`]),
    /// else in `tx`, the transaction it was planned in.
    async fn write_planned<I: IdSource>(
        &self,
        tx: <Summarised<Lined<B>> as Backend>::Tx<'_>,
        plan: &Plan,
        w: Writes<'_>,
        run: Run<'_, I>,
        held: Option<B::Held>,
    ) -> Result<(), StoreError> {
        let staged = held.is_some()
            && !plan.changes_nothing()
            && w.len() >= self.staging.get().min
            && empty_in(&tx).await?;
        if !staged {
            return write_import(tx, plan, w, run).await;
        }
        StagedMark::put(&tx, run.at, false)?;
        tx.commit().await?;
        if let Err(e) = self.write_staged(&w, &run).await {
            // If even this fails, the next start (or import) does it.
            let _ = self.settle_staged(&|_, _, _| {}).await;
            return Err(e);
        }
        drop(held);
        Ok(())
    }

    /// The stages of an import into an empty store, then its last
    /// transaction: the catalog, the directory and the lines of everything
    /// it created, its undo snapshot, and its mark removed.
    async fn write_staged<I: IdSource>(&self, w: &Writes<'_>, run: &Run<'_, I>) -> Result<(), StoreError> {
        put_in_stages(
            &self.backend.0 .0,
            w,
            run.at,
            self.staging.get().per_tx,
            run.progress,
        )
        .await?;
        let tx = self.backend.write(&[s::CATALOG, s::SUMMARY, s::LINES, s::META])?;
        let c = &w.create;
        tx.put_many(s::CATALOG, &w.update.catalog)?;
        tx.put_many(s::CATALOG, &c.catalog)?;
        summary::put_rows(&tx, &summary::rows(&c.accounts, &c.contacts, &c.links))?;
        let lists = [
            lines::entries::<_, Account>(&c.accounts),
            lines::entries::<_, Contact>(&c.contacts),
            lines::entries::<_, Link>(&c.links),
            lines::entries::<_, Note>(&c.notes),
            lines::entries::<_, HistoryEntry>(&c.history),
        ];
        lines::put_lists(&tx, lists, &mut |_, _, _| {})?;
        put_snapshot(&tx, w, run.at, true).await?;
        tx.delete(s::META, &Key::one(s::STAGED_IMPORT))?;
        tx.commit().await?;
        (run.progress)(Stage::Writing, w.len(), w.len());
        Ok(())
    }

    /// Settles what an import or undo in stages left half done (only for
    /// whoever holds the import lock): an import's stores are emptied again,
    /// with an empty directory and no lines (`Some(false)`); an undo is
    /// finished (`Some(true)`). `None` when there is no mark.
    async fn settle_staged(&self, progress: OnProgress<'_>) -> Result<Option<bool>, StoreError> {
        let mut stores = STAGED_STORES.to_vec();
        stores.push(s::META);
        let tx = self.backend.write(&stores)?;
        let Some(mark) = tx.get::<StagedMark>(s::META, &Key::one(s::STAGED_IMPORT)).await? else {
            return Ok(None);
        };
        if mark.undo {
            drop(tx);
            if !self.undo_locked(progress, true).await? {
                // No snapshot left to undo: only the mark remains.
                let tx = self.backend.write(&[s::META])?;
                tx.delete(s::META, &Key::one(s::STAGED_IMPORT))?;
                tx.commit().await?;
            }
            return Ok(Some(true));
        }
        for store in STAGED_STORES {
            tx.clear(store)?;
        }
        summary::put_rows(&tx, &Rows::default())?;
        lines::put_lists(&tx, Default::default(), &mut |_, _, _| {})?;
        tx.delete(s::META, &Key::one(s::STAGED_IMPORT))?;
        tx.commit().await?;
        Ok(Some(false))
    }

    /// Rolls back an import written in stages whose tab went away before
    /// its end (closed, crashed, the device switched off): the stores are
    /// empty again, as before it; or finishes such an import's undo. `true`
    /// when there was one. One still being written (its tab holds the
    /// lock) is left alone. The app runs this at start; every import and
    /// undo runs it first.
    pub async fn recover_import(&self) -> Result<bool, StoreError> {
        {
            let tx = self.backend.read(&[s::META])?;
            if !tx.exists(s::META, &Key::one(s::STAGED_IMPORT)).await? {
                return Ok(false);
            }
        }
        match self.backend.try_lock(s::IMPORT_LOCK).await? {
            Lock::Held(_held) => Ok(self.settle_staged(&|_, _, _| {}).await?.is_some()),
            Lock::Busy | Lock::Unsupported => Ok(false),
        }
    }

    /// [`Repo::undo_import_with`] without progress.
    pub async fn undo_import(&self) -> Result<bool, StoreError> {
        self.undo_import_with(&|_, _, _| {}).await
    }

    /// Puts back what the last import changed, in one transaction: deletes
    /// what it created, restores what it overwrote. `false` when there is
    /// nothing to undo. `progress` is called with (records done, records to
    /// do) every few thousand records. The undo of an import written in
    /// stages deletes in stages too (its own transaction would leave an undo
    /// log as large as the import's), under the same mark and lock; if its
    /// tab goes away part way, [`Repo::recover_import`] finishes it.
    pub async fn undo_import_with(&self, progress: OnProgress<'_>) -> Result<bool, StoreError> {
        let held = match self.backend.try_lock(s::IMPORT_LOCK).await? {
            Lock::Held(held) => Some(held),
            Lock::Busy => return Err(StoreError::ImportRunning),
            Lock::Unsupported => None,
        };
        let finished = held.is_some() && self.settle_staged(progress).await? == Some(true);
        let undone = self.undo_locked(progress, held.is_some()).await?;
        Ok(finished || undone)
    }

    /// The body of [`Repo::undo_import_with`], for whoever holds the import
    /// lock (`staging`: it may write in stages).
    async fn undo_locked(&self, progress: OnProgress<'_>, staging: bool) -> Result<bool, StoreError> {
        let tx = self.backend.write(&IMPORT_STORES)?;
        let Some(mut snap) = tx.get::<ImportSnapshot>(s::META, &Key::one(LAST_IMPORT)).await? else {
            return Ok(false);
        };
        let mut replaced_photos: Vec<ContactPhoto> = Vec::new();
        for i in 0..snap.parts {
            let part = tx.get::<SnapshotPart>(s::META, &Key::one(&part_key(i))).await?;
            let part = part.ok_or_else(|| StoreError::Corrupt {
                store: s::META,
                reason: format!("part {i} of the last import's snapshot is missing"),
            })?;
            snap.created.append(part.created);
            snap.replaced.append(part.replaced);
            replaced_photos.extend(part.replaced_photos);
        }
        let c = &snap.created;
        // Links, notes and history made since on records the import created
        // go with them (never a link to a missing contact).
        let gone_accounts: HashSet<&str> = c.accounts.iter().map(String::as_str).collect();
        let gone_contacts: HashSet<&str> = c.contacts.iter().map(String::as_str).collect();
        let created_links: HashSet<(&str, &str)> =
            c.links.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let notes_since = of_accounts(&tx, s::NOTES, &gone_accounts).await?;
        let history_since = of_accounts(&tx, s::HISTORY, &gone_accounts).await?;
        let set = |ids: &[String], more: &[String]| -> HashSet<String> {
            ids.iter().chain(more).cloned().collect()
        };
        let (notes, history) = (set(&c.notes, &notes_since), set(&c.history, &history_since));
        let (contacts, catalog) = (set(&c.contacts, &[]), set(&c.catalog, &[]));
        let one = |set: &HashSet<String>, k: &Key| k.0.first().is_some_and(|id| set.contains(id));
        let accounts = set(&c.accounts, &[]);
        // Photos the import added, and those of contacts it created.
        let photos = set(&c.photos, &c.contacts);
        let mut deletes = Vec::new();
        deletes.push((
            s::LINKS,
            runs(tx.keys(s::LINKS).await?, |k| match k.0.as_slice() {
                [a, ct] => {
                    gone_accounts.contains(a.as_str())
                        || gone_contacts.contains(ct.as_str())
                        || created_links.contains(&(a.as_str(), ct.as_str()))
                }
                _ => false,
            }),
        ));
        for (store, gone) in [
            (s::NOTES, &notes),
            (s::HISTORY, &history),
            (s::CONTACTS, &contacts),
            (s::ACCOUNTS, &accounts),
            (s::PHOTOS, &accounts),
            (s::CONTACT_PHOTOS, &photos),
            (s::CATALOG, &catalog),
        ] {
            deletes.push((store, runs(tx.keys(store).await?, |k| one(gone, k))));
        }
        let total = deletes
            .iter()
            .flat_map(|(_, runs)| runs.iter().map(Vec::len))
            .sum::<usize>()
            + snap.replaced.len()
            + replaced_photos.len();
        if staging && snap.staged && total >= self.staging.get().min {
            StagedMark::put(&tx, snap.at, true)?;
            tx.commit().await?;
            delete_in_stages(
                &self.backend.0 .0,
                deletes,
                snap.at,
                self.staging.get().per_tx,
                progress,
                total,
            )
            .await?;
            let mut stores = IMPORT_STORES.to_vec();
            stores.extend([s::SUMMARY, s::LINES]);
            let tx = self.backend.write(&stores)?;
            // What is left (records added since) makes the directory and
            // the lines; then what the import overwrote is put back.
            summary::rebuild(&tx).await?;
            lines::rebuild(&tx).await?;
            let done = total - snap.replaced.len() - replaced_photos.len();
            put_back(
                &tx,
                &snap.replaced,
                &replaced_photos,
                (done, total),
                progress,
                true,
            )
            .await?;
            tx.commit().await?;
            return Ok(true);
        }
        let mut pacer = Pacer {
            tx: &tx,
            done: 0,
            total,
            since: 0,
            progress,
        };
        for (store, runs) in deletes {
            for run in runs {
                tx.delete_run(store, &run)?;
                pacer.wrote(run.len()).await?;
            }
        }
        // With the lock held, an undo mark may be left for a snapshot this
        // undo does in one go.
        put_back(
            &tx,
            &snap.replaced,
            &replaced_photos,
            (pacer.done, total),
            progress,
            staging,
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    // ----- changes -------------------------------------------------------

    /// Creates an account with its new contacts and links. Refused (nothing
    /// written) when an email of a new contact already belongs to a stored
    /// contact or a linked contact does not exist.
    pub async fn create_account(&self, new: &NewAccount, history: &[HistoryEntry]) -> Result<(), StoreError> {
        let tx = self
            .backend
            .write(&[s::ACCOUNTS, s::CONTACTS, s::LINKS, s::HISTORY])?;
        if tx.exists(s::ACCOUNTS, &Key::one(new.account.id.as_str())).await? {
            return Err(StoreError::AlreadyExists);
        }
        let mut existing = Vec::new();
        for id in new.linked_existing() {
            existing.push(tx.exists(s::CONTACTS, &Key::one(id.as_str())).await?);
        }
        let mut owners = Vec::new();
        for (_, key) in new.new_email_keys() {
            let owner = tx.key_by_index(s::CONTACTS, s::CONTACTS_BY_EMAIL, &key).await?;
            owners.push(owner.and_then(|id| ContactId::parse(&id)));
        }
        let errors = new.check_against_store(&existing, &owners);
        if !errors.is_empty() {
            return Err(StoreError::Rejected(errors));
        }
        for c in &new.new_contacts {
            tx.put(s::CONTACTS, &ContactRecord::new(c))?;
        }
        tx.put(s::ACCOUNTS, &AccountRecord::new(&new.account))?;
        for l in &new.links {
            tx.put(s::LINKS, l)?;
        }
        put_history(&tx, history)?;
        tx.commit().await
    }

    /// Saves an edited account. `before` is the version the edit started
    /// from: if the stored one differs (edited in another tab), nothing is
    /// saved and [`StoreError::Conflict`] says so.
    pub async fn update_account(
        &self,
        before: &Account,
        after: &Account,
        history: &[HistoryEntry],
    ) -> Result<(), StoreError> {
        self.update_accounts(&[(before.clone(), after.clone())], history)
            .await
    }

    /// Saves several edited accounts at once (bulk actions), all or none.
    pub async fn update_accounts(
        &self,
        changes: &[(Account, Account)],
        history: &[HistoryEntry],
    ) -> Result<(), StoreError> {
        let tx = self.backend.write(&[s::ACCOUNTS, s::HISTORY])?;
        for (before, after) in changes {
            match account_in(&tx, &before.id).await? {
                None => return Err(StoreError::NotFound(Missing::Account)),
                Some(stored) if &stored != before => return Err(StoreError::Conflict),
                Some(_) => {}
            }
            if after.id != before.id {
                return Err(StoreError::Backend("an account cannot change its id".into()));
            }
        }
        for (_, after) in changes {
            tx.put(s::ACCOUNTS, &AccountRecord::new(after))?;
        }
        put_history(&tx, history)?;
        tx.commit().await
    }

    /// Stores (or with `None` removes) an account's photo.
    pub async fn set_photo(
        &self,
        before: &Account,
        photo: Option<&str>,
        history: &[HistoryEntry],
    ) -> Result<(), StoreError> {
        let tx = self.backend.write(&[s::ACCOUNTS, s::PHOTOS, s::HISTORY])?;
        match account_in(&tx, &before.id).await? {
            None => return Err(StoreError::NotFound(Missing::Account)),
            Some(stored) if &stored != before => return Err(StoreError::Conflict),
            Some(_) => {}
        }
        let mut after = before.clone();
        after.has_photo = photo.is_some();
        match photo {
            Some(data) => tx.put(
                s::PHOTOS,
                &PhotoRecord {
                    account_id: before.id.to_string(),
                    data: data.to_owned(),
                },
            )?,
            None => tx.delete(s::PHOTOS, &Key::one(before.id.as_str()))?,
        }
        tx.put(s::ACCOUNTS, &AccountRecord::new(&after))?;
        put_history(&tx, history)?;
        tx.commit().await
    }

    /// Stores (or with `None` removes) a contact's photo, a
    /// `data:image/...;base64,` URL of a JPEG, PNG, GIF or WebP image;
    /// `history`: the line on each of the contact's accounts.
    pub async fn set_contact_photo(
        &self,
        contact: &ContactId,
        photo: Option<&str>,
        history: &[HistoryEntry],
    ) -> Result<(), StoreError> {
        if photo.is_some_and(|p| !is_photo_data_url(p)) {
            return Err(StoreError::rejected(
                "photo",
                Problem::Photo(PhotoProblem::NotAPhoto),
            ));
        }
        let tx = self
            .backend
            .write(&[s::CONTACTS, s::CONTACT_PHOTOS, s::HISTORY])?;
        if !tx.exists(s::CONTACTS, &Key::one(contact.as_str())).await? {
            return Err(StoreError::NotFound(Missing::Contact));
        }
        match photo {
            Some(data) => tx.put(
                s::CONTACT_PHOTOS,
                &ContactPhoto {
                    contact_id: contact.clone(),
                    data: data.to_owned(),
                },
            )?,
            None => tx.delete(s::CONTACT_PHOTOS, &Key::one(contact.as_str()))?,
        }
        put_history(&tx, history)?;
        tx.commit().await
    }

    /// Adds or changes a link (description, signer priority, switches).
    /// Both ends must exist.
    pub async fn save_link(&self, link: &Link, history: &[HistoryEntry]) -> Result<(), StoreError> {
        let tx = self
            .backend
            .write(&[s::ACCOUNTS, s::CONTACTS, s::LINKS, s::HISTORY])?;
        if !tx
            .exists(s::ACCOUNTS, &Key::one(link.account_id.as_str()))
            .await?
        {
            return Err(StoreError::NotFound(Missing::Account));
        }
        if !tx
            .exists(s::CONTACTS, &Key::one(link.contact_id.as_str()))
            .await?
        {
            return Err(StoreError::NotFound(Missing::Contact));
        }
        tx.put(s::LINKS, link)?;
        put_history(&tx, history)?;
        tx.commit().await
    }

    /// Unlinks a contact from an account; refused for the account's last
    /// contact (every account keeps at least one).
    pub async fn unlink(
        &self,
        account: &AccountId,
        contact: &ContactId,
        history: &[HistoryEntry],
    ) -> Result<(), StoreError> {
        let tx = self.backend.write(&[s::LINKS, s::HISTORY])?;
        let links = tx
            .by_index::<Link>(s::LINKS, s::LINKS_BY_ACCOUNT, account.as_str())
            .await?;
        if !links.iter().any(|l| &l.contact_id == contact) {
            return Err(StoreError::NotFound(Missing::Link));
        }
        if links.len() == 1 {
            return Err(StoreError::rejected("contacts", Problem::LastContact));
        }
        tx.delete(s::LINKS, &Key::pair(account.as_str(), contact.as_str()))?;
        put_history(&tx, history)?;
        tx.commit().await
    }

    /// Creates a contact and links it to an existing account.
    pub async fn add_contact(
        &self,
        contact: &Contact,
        link: &Link,
        history: &[HistoryEntry],
    ) -> Result<(), StoreError> {
        let tx = self
            .backend
            .write(&[s::ACCOUNTS, s::CONTACTS, s::LINKS, s::HISTORY])?;
        if !tx
            .exists(s::ACCOUNTS, &Key::one(link.account_id.as_str()))
            .await?
        {
            return Err(StoreError::NotFound(Missing::Account));
        }
        if tx.exists(s::CONTACTS, &Key::one(contact.id.as_str())).await? {
            return Err(StoreError::AlreadyExists);
        }
        check_emails_free(&tx, contact, "email").await?;
        tx.put(s::CONTACTS, &ContactRecord::new(contact))?;
        tx.put(s::LINKS, link)?;
        put_history(&tx, history)?;
        tx.commit().await
    }

    /// Saves an edited contact. Its emails must not belong to another
    /// contact; the per-email switches of every link follow the new emails.
    pub async fn update_contact(&self, before: &Contact, after: &Contact) -> Result<(), StoreError> {
        let tx = self.backend.write(&[s::CONTACTS, s::LINKS])?;
        match contact_in(&tx, &before.id).await? {
            None => return Err(StoreError::NotFound(Missing::Contact)),
            Some(stored) if &stored != before => return Err(StoreError::Conflict),
            Some(_) => {}
        }
        check_emails_free(&tx, after, "emails").await?;
        tx.put(s::CONTACTS, &ContactRecord::new(after))?;
        let keys = after.email_keys();
        if keys != before.email_keys() {
            for mut link in tx
                .by_index::<Link>(s::LINKS, s::LINKS_BY_CONTACT, after.id.as_str())
                .await?
            {
                let old = link.clone();
                link.sync_emails(&keys);
                if link != old {
                    tx.put(s::LINKS, &link)?;
                }
            }
        }
        tx.commit().await
    }

    /// Adds or changes a tag, team member, role, custom field or folder
    /// template, checked against the rest of the catalog in the same
    /// transaction.
    pub async fn save_catalog_item(&self, item: &CatalogItem) -> Result<(), StoreError> {
        let tx = self.backend.write(&[s::CATALOG])?;
        let errors = catalog_in(&tx).await?.check(item);
        if !errors.is_empty() {
            return Err(StoreError::Rejected(errors));
        }
        tx.put(s::CATALOG, item)?;
        tx.commit().await
    }

    /// Changes a catalog item that was read as `before`. Refused (nothing
    /// written) when the stored item differs from `before` (changed in
    /// another tab: [`StoreError::Conflict`]) or is gone
    /// ([`StoreError::NotFound`]), so an edit never silently undoes another
    /// one or brings a deleted item back.
    pub async fn update_catalog_item(
        &self,
        before: &CatalogItem,
        after: &CatalogItem,
    ) -> Result<(), StoreError> {
        if before.id() != after.id() || std::mem::discriminant(before) != std::mem::discriminant(after) {
            return Err(StoreError::rejected("item", Problem::KindChanged));
        }
        let tx = self.backend.write(&[s::CATALOG])?;
        match tx.get::<CatalogItem>(s::CATALOG, &Key::one(before.id())).await? {
            None => return Err(StoreError::NotFound(Missing::Item)),
            Some(stored) if &stored != before => return Err(StoreError::Conflict),
            Some(_) => {}
        }
        let errors = catalog_in(&tx).await?.check(after);
        if !errors.is_empty() {
            return Err(StoreError::Rejected(errors));
        }
        tx.put(s::CATALOG, after)?;
        tx.commit().await
    }

    /// Deletes a catalog item and every use of it (a tag disappears from
    /// accounts and contacts, a team member from assignments, ...), in one
    /// transaction. The practice owner cannot be deleted.
    pub async fn delete_catalog_item(&self, id: &str) -> Result<(), StoreError> {
        let tx = self.backend.write(&[s::CATALOG, s::ACCOUNTS, s::CONTACTS])?;
        let Some(item) = tx.get::<CatalogItem>(s::CATALOG, &Key::one(id)).await? else {
            return Err(StoreError::NotFound(Missing::Item));
        };
        if let CatalogItem::Member(m) = &item {
            if m.role == TeamRole::Owner {
                return Err(StoreError::rejected("role", Problem::OwnerNotRemovable));
            }
        }
        for mut a in tx.all::<Account>(s::ACCOUNTS).await? {
            let before = a.clone();
            match &item {
                CatalogItem::Tag(t) => a.tags.retain(|x| x != &t.id),
                CatalogItem::Member(m) => {
                    a.team.retain(|x| x != &m.id);
                    a.roles.retain(|r| r.member != m.id);
                }
                CatalogItem::Role(r) => a.roles.retain(|x| x.role != r.id),
                CatalogItem::Field(f) => {
                    a.custom.remove(&f.id);
                }
                CatalogItem::Template(t) => {
                    if a.folder_template.as_ref() == Some(&t.id) {
                        a.folder_template = None;
                    }
                }
            }
            if a != before {
                tx.put(s::ACCOUNTS, &AccountRecord::new(&a))?;
            }
        }
        if matches!(item, CatalogItem::Tag(_) | CatalogItem::Field(_)) {
            for mut c in tx.all::<Contact>(s::CONTACTS).await? {
                let before = c.clone();
                match &item {
                    CatalogItem::Tag(t) => c.tags.retain(|x| x != &t.id),
                    CatalogItem::Field(f) => {
                        c.custom.remove(&f.id);
                    }
                    _ => {}
                }
                if c != before {
                    tx.put(s::CONTACTS, &ContactRecord::new(&c))?;
                }
            }
        }
        tx.delete(s::CATALOG, &Key::one(id))?;
        tx.commit().await
    }

    /// Adds or changes a note; its account must exist.
    pub async fn save_note(&self, note: &Note) -> Result<(), StoreError> {
        let tx = self.backend.write(&[s::ACCOUNTS, s::NOTES])?;
        if !tx
            .exists(s::ACCOUNTS, &Key::one(note.account_id.as_str()))
            .await?
        {
            return Err(StoreError::NotFound(Missing::Account));
        }
        tx.put(s::NOTES, note)?;
        tx.commit().await
    }

    pub async fn delete_note(&self, id: &NoteId) -> Result<(), StoreError> {
        let tx = self.backend.write(&[s::NOTES])?;
        tx.delete(s::NOTES, &Key::one(id.as_str()))?;
        tx.commit().await
    }

    // ----- duplicates ----------------------------------------------------

    /// Merges contacts into one (see [`contact_merge`]) in one transaction:
    /// the contacts must still be as the practitioner saw them (`seen`),
    /// else [`StoreError::Conflict`]. Every account linked to any of them
    /// gets a history entry, and a snapshot of everything the merge touches
    /// is kept for [`Repo::undo_merge`] (replacing the previous one).
    pub async fn merge_contacts(
        &self,
        seen: &[Contact],
        choices: &MergeChoices,
        at: Timestamp,
        by: &str,
        ids: &mut impl IdSource,
    ) -> Result<MergeOutcome, StoreError> {
        let tx = self.backend.write(&MERGE_STORES)?;
        let mut contacts = Vec::new();
        let mut links = Vec::new();
        for id in std::iter::once(&choices.survivor).chain(&choices.others) {
            let Some(c) = contact_in(&tx, id).await? else {
                return Err(StoreError::NotFound(Missing::Contact));
            };
            if !seen.contains(&c) {
                return Err(StoreError::Conflict);
            }
            links.extend(
                tx.by_index::<Link>(s::LINKS, s::LINKS_BY_CONTACT, id.as_str())
                    .await?,
            );
            contacts.push(c);
        }
        let outcome = contact_merge::merge(&contacts, &links, choices, at)
            .map_err(|e| StoreError::rejected("contacts", Problem::Merge(e)))?;
        let ids_merged: Vec<ContactId> = contacts.iter().map(|c| c.id.clone()).collect();
        let photos = contact_photos_in(&tx, &ids_merged).await?;
        let kept_photo = contact_merge::kept_photo(&ids_merged, &photos);
        // "Katie Smith into Kate Smith (now Katie Smith)" when the kept
        // contact takes another's name.
        let (was, now) = (contacts[0].display_name(), outcome.contact.display_name());
        let into = if was == now {
            was
        } else {
            crate::i18n::tf(crate::i18n::Key::MergedNowNamed, &[("was", &was), ("now", &now)])
        };
        let merged = contacts[1..]
            .iter()
            .map(Contact::display_name)
            .collect::<Vec<_>>()
            .join(", ");
        let mut history = Vec::new();
        for account in &outcome.accounts {
            history.extend(history::entries(
                ids,
                account,
                at,
                by,
                vec![Change::ContactsMerged {
                    merged: merged.clone(),
                    into: into.clone(),
                }],
            ));
        }
        let before: BTreeSet<(&AccountId, &ContactId)> =
            links.iter().map(|l| (&l.account_id, &l.contact_id)).collect();
        let snapshot = MergeSnapshot {
            key: LAST_MERGE.to_owned(),
            at,
            into: into.clone(),
            merged: merged.clone(),
            survivor: choices.survivor.clone(),
            contacts: contacts.clone(),
            links: links.clone(),
            created_links: outcome
                .put_links
                .iter()
                .filter(|l| !before.contains(&(&l.account_id, &l.contact_id)))
                .map(|l| l.account_id.clone())
                .collect(),
            history: history.iter().map(|h| h.id.to_string()).collect(),
            photos: photos.clone(),
        };
        // The others go first, so their emails are free for the survivor.
        for id in &outcome.removed {
            tx.delete(s::CONTACTS, &Key::one(id.as_str()))?;
        }
        for (a, c) in &outcome.delete_links {
            tx.delete(s::LINKS, &Key::pair(a.as_str(), c.as_str()))?;
        }
        // The one that stays keeps its photo, or takes the first other's.
        for p in &photos {
            tx.delete(s::CONTACT_PHOTOS, &Key::one(p.contact_id.as_str()))?;
        }
        if let Some(data) = kept_photo {
            tx.put(
                s::CONTACT_PHOTOS,
                &ContactPhoto {
                    contact_id: outcome.contact.id.clone(),
                    data: data.to_owned(),
                },
            )?;
        }
        tx.put(s::CONTACTS, &ContactRecord::new(&outcome.contact))?;
        for l in &outcome.put_links {
            tx.put(s::LINKS, l)?;
        }
        put_history(&tx, &history)?;
        tx.put(s::META, &snapshot)?;
        tx.commit().await?;
        Ok(outcome)
    }

    /// The last merge that can be undone: when, and "X, Y into Z".
    pub async fn last_merge(&self) -> Result<Option<(Timestamp, String)>, StoreError> {
        let tx = self.backend.read(&[s::META])?;
        Ok(tx
            .get::<MergeSnapshot>(s::META, &Key::one(LAST_MERGE))
            .await?
            .map(|m| (m.at, format!("{} into {}", m.merged, m.into))))
    }

    /// Puts back everything the last merge changed, in one transaction: the
    /// contacts and their links as they were, the links the merge made
    /// removed, its history entries deleted. `false` when there is nothing
    /// to undo.
    pub async fn undo_merge(&self) -> Result<bool, StoreError> {
        let tx = self.backend.write(&MERGE_STORES)?;
        let Some(snap) = tx.get::<MergeSnapshot>(s::META, &Key::one(LAST_MERGE)).await? else {
            return Ok(false);
        };
        for a in &snap.created_links {
            tx.delete(s::LINKS, &Key::pair(a.as_str(), snap.survivor.as_str()))?;
        }
        for h in &snap.history {
            tx.delete(s::HISTORY, &Key::one(h))?;
        }
        // The survivor first: it gives the others' emails back.
        for c in &snap.contacts {
            tx.put(s::CONTACTS, &ContactRecord::new(c))?;
        }
        // Photos as they were (the survivor's too: it may have had none).
        tx.delete(s::CONTACT_PHOTOS, &Key::one(snap.survivor.as_str()))?;
        tx.put_many(s::CONTACT_PHOTOS, &snap.photos)?;
        for l in &snap.links {
            tx.put(s::LINKS, l)?;
        }
        tx.delete(s::META, &Key::one(LAST_MERGE))?;
        tx.commit().await?;
        Ok(true)
    }

    /// Groups the practitioner marked "not duplicates".
    pub async fn dismissed_duplicates(&self) -> Result<Vec<Vec<ContactId>>, StoreError> {
        let tx = self.backend.read(&[s::META])?;
        Ok(tx
            .get::<Dismissed>(s::META, &Key::one(DISMISSED))
            .await?
            .map(|d| d.groups)
            .unwrap_or_default())
    }

    /// Marks these contacts as not duplicates of each other (their group is
    /// no longer offered). With an empty list, every group marked so far is
    /// offered again.
    pub async fn dismiss_duplicates(&self, contacts: &[ContactId]) -> Result<(), StoreError> {
        let tx = self.backend.write(&[s::META])?;
        let mut d = tx
            .get::<Dismissed>(s::META, &Key::one(DISMISSED))
            .await?
            .unwrap_or_default();
        if contacts.is_empty() {
            d.groups.clear();
        } else {
            let mut group = contacts.to_vec();
            group.sort();
            group.dedup();
            if !d.groups.contains(&group) {
                d.groups.push(group);
            }
        }
        d.key = DISMISSED.to_owned();
        tx.put(s::META, &d)?;
        tx.commit().await
    }
}

/// The `meta` key of what is kept about backups.
const BACKUP: &str = "backup";

#[derive(Serialize, Deserialize)]
struct BackupRecord {
    key: String,
    state: BackupState,
}

/// Backups (the reminder's facts) and replacing a whole practice (the demo).
impl<B: Backend> Repo<B> {
    /// What is kept about backups, and whether any account is stored. The
    /// first time there is data and no backup, the reminder's clock starts
    /// at `now` (saved).
    pub async fn backup_status(&self, now: Timestamp) -> Result<(BackupState, bool), StoreError> {
        let (state, accounts) = {
            let tx = self.backend.read(&[s::META, s::ACCOUNTS])?;
            (backup_in(&tx).await?, tx.any(s::ACCOUNTS).await?)
        };
        if accounts && state.clone().data_seen(now) {
            let state = self
                .change_backup(|b| {
                    b.data_seen(now);
                })
                .await?;
            return Ok((state, accounts));
        }
        Ok((state, accounts))
    }

    /// Records a full export (a backup) made at `at`.
    pub async fn record_export(&self, at: Timestamp) -> Result<(), StoreError> {
        self.change_backup(|b| b.exported(at)).await.map(|_| ())
    }

    /// "Remind me later", pressed at `now`.
    pub async fn snooze_backup_reminder(&self, now: Timestamp) -> Result<(), StoreError> {
        self.change_backup(|b| b.snooze(now)).await.map(|_| ())
    }

    /// How often to remind (Settings).
    pub async fn set_backup_reminder(&self, every: RemindAfter) -> Result<(), StoreError> {
        self.change_backup(|b| b.remind_after = every).await.map(|_| ())
    }

    async fn change_backup(&self, f: impl FnOnce(&mut BackupState)) -> Result<BackupState, StoreError> {
        let tx = self.backend.write(&[s::META])?;
        let mut state = backup_in(&tx).await?;
        f(&mut state);
        tx.put(
            s::META,
            &BackupRecord {
                key: BACKUP.to_owned(),
                state: state.clone(),
            },
        )?;
        tx.commit().await?;
        Ok(state)
    }

    /// Replaces everything with `contents`, in one transaction: every record
    /// of every store goes (photos, the undo snapshot and the backup facts
    /// too), then `contents` is written. Only for the demo practice (loaded
    /// and reset); the practitioner's own database never gets this.
    pub async fn replace_everything(&self, contents: &Contents) -> Result<(), StoreError> {
        let tx = self.backend.write(&IMPORT_STORES)?;
        for store in IMPORT_STORES {
            tx.clear(store)?;
        }
        put_all(&tx, contents)?;
        tx.commit().await
    }
}

/// The stored photos a vCard import of `file` needs (see
/// [`vcard::import::photo_candidates`]).
async fn vcard_photos_in<T: Tx>(
    tx: &T,
    stored: &Contents,
    file: &VcardFile,
) -> Result<vcard::import::StoredPhotos, StoreError> {
    let ids = vcard::import::photo_candidates(stored, file);
    Ok(contact_photos_in(tx, &ids)
        .await?
        .into_iter()
        .map(|p| (p.contact_id, p.data))
        .collect())
}

async fn backup_in<T: Tx>(tx: &T) -> Result<BackupState, StoreError> {
    Ok(tx
        .get::<BackupRecord>(s::META, &Key::one(BACKUP))
        .await?
        .map(|r| r.state)
        .unwrap_or_default())
}
