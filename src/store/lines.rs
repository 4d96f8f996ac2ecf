//! The records' bundle lines: every account, contact, link, note and
//! history entry as the line "Export everything" writes for it
//! (`bundle::write::account_line`, ...), kept in a few hundred large values
//! of the `lines` store. IndexedDB gives back large values fast and many
//! small ones slowly: at 100,000 contacts (275,000 records, 124 MB of text)
//! a `getAll` of the record stores takes 8–11 s on the build machine, the
//! same text in 275 values 1.2 s (`bench/scratch/layout.mjs`). So an export
//! reads these texts, orders them and copies the lines out, with no record
//! turned into a value or into JSON again.
//!
//! **Invariant:** the lines change in the same transaction as the records.
//! [`Lined`] wraps the backend of every [`super::Repo`]: a write transaction
//! that includes one of the five record stores also includes `lines`, notes
//! every put and delete of those stores, and at commit rewrites the chunks
//! those records live in (reading them inside the transaction, awaiting only
//! IndexedDB requests).
//!
//! A chunk holds entries `key<TAB>line<LF>` (see
//! [`crate::bundle::write::StoredLists`]); its name is `<store>/<hh>`, `hh`
//! following from the record's id (a link's: its account's). The `format`
//! marker names the line format; a database without the current one (lines
//! of an older bundle version, or a store cleared behind the app's back)
//! gets its lines rebuilt from the records at the next export.

use super::schema as s;
use super::{Backend, Key, StoreError, Tx};
use crate::bundle::write::{self as bw, StoredLists};
use crate::domain::history::HistoryEntry;
use crate::domain::note::Note;
use crate::domain::{Account, Contact, Link};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};

/// Chunks per record store: a one-record change rewrites 1/256 of its
/// store's lines (at 100,000 contacts, about 180 KB).
pub const CHUNKS: u32 = 256;
/// Chunks read and rewritten together at a commit.
const COMMIT_BATCH: usize = 32;
/// The key of the marker record.
pub const FORMAT_KEY: &str = "format";
/// The line format the chunks hold: bundle version 1's record lines.
/// Another value means "rebuild".
pub const FORMAT: &str = "bundle-1";

/// The record stores that have lines, in the order of a bundle's lists
/// ([`crate::bundle::write::LISTS`]).
pub const STORES: [&str; 5] = [s::ACCOUNTS, s::CONTACTS, s::LINKS, s::NOTES, s::HISTORY];

/// One value of the `lines` store: a chunk of entries, or the format marker.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chunk {
    pub chunk: String,
    pub text: String,
}

fn lined(store: &str) -> bool {
    STORES.contains(&store)
}

/// The chunk of `store` an id's record lives in (FNV-1a: any ids spread evenly).
pub fn chunk_of(store: &str, id: &str) -> String {
    let mut h: u32 = 0x811c_9dc5;
    for b in id.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    format!("{store}/{:02x}", h % CHUNKS)
}

/// A change to one entry (by key): its new entry text, or `None` when removed.
type Change = (String, Option<String>);

/// (chunk, key, entry text) of a record of `store`.
type Entry = (String, String, String);

fn entry(store: &str, id: &str, key: String, line: String) -> Entry {
    let text = format!("{key}\t{line}");
    (chunk_of(store, id), key, text)
}

/// The entry a record of a lined store stands for, from its stored JSON
/// (the derived fields indexes read are ignored).
fn entry_of_json(store: &str, json: &str) -> Result<Option<Entry>, StoreError> {
    fn decode<R: DeserializeOwned>(store: &str, json: &str) -> Result<R, StoreError> {
        super::json(json).map_err(|e| StoreError::Backend(format!("could not prepare a {store} record: {e}")))
    }
    Ok(Some(match store {
        s::ACCOUNTS => {
            let a: Account = decode(store, json)?;
            entry(store, a.id.as_str(), a.id.to_string(), bw::account_line(&a))
        }
        s::CONTACTS => {
            let c: Contact = decode(store, json)?;
            entry(store, c.id.as_str(), c.id.to_string(), bw::contact_line(&c))
        }
        s::LINKS => {
            let l: Link = decode(store, json)?;
            let key = format!("{} {}", l.account_id, l.contact_id);
            entry(store, l.account_id.as_str(), key, bw::link_line(&l))
        }
        s::NOTES => {
            let n: Note = decode(store, json)?;
            entry(store, n.id.as_str(), n.id.to_string(), bw::note_line(&n))
        }
        s::HISTORY => {
            let h: HistoryEntry = decode(store, json)?;
            entry(store, h.id.as_str(), h.id.to_string(), bw::history_line(&h))
        }
        _ => return Ok(None),
    }))
}

fn entry_of<T: Serialize>(store: &str, value: &T) -> Result<Option<Entry>, StoreError> {
    if !lined(store) {
        return Ok(None);
    }
    let json = serde_json::to_string(value)
        .map_err(|e| StoreError::Backend(format!("could not prepare a {store} record: {e}")))?;
    entry_of_json(store, &json)
}

/// The (chunk, entry key) a deleted record had.
fn key_of_deleted(store: &str, key: &Key) -> Option<(String, String)> {
    match (store, key.0.as_slice()) {
        (s::LINKS, [a, c]) => Some((chunk_of(store, a), format!("{a} {c}"))),
        (s::LINKS, _) => None,
        (_, [id]) if lined(store) => Some((chunk_of(store, id), id.clone())),
        _ => None,
    }
}

/// The key of an entry text.
fn key_of(entry: &str) -> &str {
    entry.split('\t').next().unwrap_or(entry)
}

/// Applies changes (in order; the last one for a key wins) to a chunk's text.
fn patch(text: &str, changes: &[Change]) -> String {
    let mut last: HashMap<&str, &Option<String>> = HashMap::new();
    for (key, e) in changes {
        last.insert(key.as_str(), e);
    }
    let mut out = String::with_capacity(text.len() + 256);
    for e in text.split('\n').filter(|l| !l.is_empty()) {
        if !last.contains_key(key_of(e)) {
            out.push_str(e);
            out.push('\n');
        }
    }
    let mut done: HashMap<&str, ()> = HashMap::new();
    for (key, _) in changes {
        if done.insert(key.as_str(), ()).is_some() {
            continue;
        }
        if let Some(Some(e)) = last.get(key.as_str()) {
            out.push_str(e);
            out.push('\n');
        }
    }
    out
}

/// The stored lines (each list's chunk texts), or `None` when they must be
/// rebuilt. Reads only the `lines` store.
pub async fn read<T: Tx>(tx: &T) -> Result<Option<StoredLists>, StoreError> {
    let chunks = tx.texts(s::LINES, "chunk", "text").await?;
    if !chunks.iter().any(|(c, t)| c == FORMAT_KEY && t == FORMAT) {
        return Ok(None);
    }
    let mut lists: StoredLists = Default::default();
    for (chunk, text) in chunks {
        let store = chunk.split('/').next().unwrap_or_default();
        if let Some(i) = STORES.iter().position(|st| *st == store) {
            lists[i].push(text);
        }
    }
    Ok(Some(lists))
}

/// Rebuilds every line from the records, in `tx` (which must include the
/// five record stores and `lines`, writable), and returns them. The upgrade
/// to schema version 5 runs it inside the upgrade transaction.
pub async fn rebuild<T: Tx>(tx: &T) -> Result<StoredLists, StoreError> {
    tx.clear(s::LINES)?;
    let accounts = tx.all::<Account>(s::ACCOUNTS);
    let contacts = tx.all::<Contact>(s::CONTACTS);
    let links = tx.all::<Link>(s::LINKS);
    let notes = tx.all::<Note>(s::NOTES);
    let history = tx.all::<HistoryEntry>(s::HISTORY);
    let mut chunks: BTreeMap<String, String> = BTreeMap::new();
    let mut add = |(chunk, _, text): Entry| {
        let t = chunks.entry(chunk).or_default();
        t.push_str(&text);
        t.push('\n');
    };
    for a in accounts.await? {
        add(entry(
            s::ACCOUNTS,
            a.id.as_str(),
            a.id.to_string(),
            bw::account_line(&a),
        ));
    }
    for c in contacts.await? {
        add(entry(
            s::CONTACTS,
            c.id.as_str(),
            c.id.to_string(),
            bw::contact_line(&c),
        ));
    }
    for l in links.await? {
        let key = format!("{} {}", l.account_id, l.contact_id);
        add(entry(s::LINKS, l.account_id.as_str(), key, bw::link_line(&l)));
    }
    for n in notes.await? {
        add(entry(
            s::NOTES,
            n.id.as_str(),
            n.id.to_string(),
            bw::note_line(&n),
        ));
    }
    for h in history.await? {
        add(entry(
            s::HISTORY,
            h.id.as_str(),
            h.id.to_string(),
            bw::history_line(&h),
        ));
    }
    let mut lists: StoredLists = Default::default();
    for (chunk, text) in chunks {
        tx.put_text(s::LINES, ("chunk", &chunk), ("text", &text))?;
        let store = chunk.split('/').next().unwrap_or_default();
        if let Some(i) = STORES.iter().position(|st| *st == store) {
            lists[i].push(text);
        }
    }
    tx.put_text(s::LINES, ("chunk", FORMAT_KEY), ("text", FORMAT))?;
    Ok(lists)
}

/// A backend whose write transactions keep the lines in step.
pub struct Lined<B>(pub B);

/// A transaction of [`Lined`]: forwards everything, and notes the changes
/// to lined stores for the commit.
pub struct LinedTx<T> {
    inner: T,
    /// Per chunk, the entry changes in order.
    changes: RefCell<BTreeMap<String, Vec<Change>>>,
}

impl<T: Tx> LinedTx<T> {
    fn note(&self, chunk: String, key: String, entry: Option<String>) {
        self.changes
            .borrow_mut()
            .entry(chunk)
            .or_default()
            .push((key, entry));
    }
}

impl<T: Tx> Tx for LinedTx<T> {
    super::forward_reads!();

    fn put_text(
        &self,
        store: &'static str,
        key: (&'static str, &str),
        text: (&'static str, &str),
    ) -> Result<(), StoreError> {
        if lined(store) {
            return Err(StoreError::Backend(format!("{store} records are not texts")));
        }
        self.inner.put_text(store, key, text)
    }

    fn put<R: Serialize>(&self, store: &'static str, value: &R) -> Result<(), StoreError> {
        let e = entry_of(store, value)?;
        self.inner.put(store, value)?;
        if let Some((chunk, key, text)) = e {
            self.note(chunk, key, Some(text));
        }
        Ok(())
    }

    fn put_many<R: Serialize>(&self, store: &'static str, values: &[R]) -> Result<(), StoreError> {
        if lined(store) {
            let mut changes = self.changes.borrow_mut();
            for v in values {
                if let Some((chunk, key, text)) = entry_of(store, v)? {
                    changes.entry(chunk).or_default().push((key, Some(text)));
                }
            }
        }
        self.inner.put_many(store, values)
    }

    fn delete(&self, store: &'static str, key: &Key) -> Result<(), StoreError> {
        self.inner.delete(store, key)?;
        if let Some((chunk, k)) = key_of_deleted(store, key) {
            self.note(chunk, k, None);
        }
        Ok(())
    }

    /// Only for stores without lines: a range of a lined store must be
    /// deleted with [`Tx::delete_run`], which names its keys.
    fn delete_range(&self, store: &'static str, first: &Key, last: &Key) -> Result<(), StoreError> {
        if lined(store) {
            return Err(StoreError::Backend(format!(
                "a range of {store} must be deleted by its keys (delete_run)"
            )));
        }
        self.inner.delete_range(store, first, last)
    }

    fn delete_run(&self, store: &'static str, keys: &[Key]) -> Result<(), StoreError> {
        self.inner.delete_run(store, keys)?;
        for key in keys {
            if let Some((chunk, k)) = key_of_deleted(store, key) {
                self.note(chunk, k, None);
            }
        }
        Ok(())
    }

    async fn settle(&self, store: &'static str) -> Result<(), StoreError> {
        self.inner.settle(store).await
    }

    /// Clearing a lined store clears its chunks too (in this transaction).
    fn clear(&self, store: &'static str) -> Result<(), StoreError> {
        self.inner.clear(store)?;
        if lined(store) {
            let prefix = format!("{store}/");
            self.changes.borrow_mut().retain(|c, _| !c.starts_with(&prefix));
            // Chunk names are `<store>/<two hex digits>`; '~' sorts after them.
            self.inner
                .delete_range(s::LINES, &Key::one(&prefix), &Key::one(&format!("{store}/~")))?;
        }
        Ok(())
    }

    async fn commit(self) -> Result<(), StoreError> {
        let changes = self.changes.into_inner();
        if !changes.is_empty() {
            let marker = self
                .inner
                .texts_of(s::LINES, &[Key::one(FORMAT_KEY)], "text")
                .await?;
            // Lines of another format: the next export rebuilds them.
            if matches!(marker.as_slice(), [Some(m)] if m == FORMAT) {
                // A few chunks at a time: each batch's reads are awaited (an
                // IndexedDB request, so the page gets a turn between
                // batches of a large import or undo).
                let changes: Vec<(String, Vec<Change>)> = changes.into_iter().collect();
                for batch in changes.chunks(COMMIT_BATCH) {
                    let keys: Vec<Key> = batch.iter().map(|(c, _)| Key::one(c)).collect();
                    let stored = self.inner.texts_of(s::LINES, &keys, "text").await?;
                    for ((chunk, list), old) in batch.iter().zip(stored) {
                        let text = patch(old.as_deref().unwrap_or_default(), list);
                        if text.is_empty() {
                            self.inner.delete(s::LINES, &Key::one(chunk))?;
                        } else {
                            self.inner.put_text(s::LINES, ("chunk", chunk), ("text", &text))?;
                        }
                    }
                }
            }
        }
        self.inner.commit().await
    }
}

impl<B: Backend> Backend for Lined<B> {
    type Tx<'a>
        = LinedTx<B::Tx<'a>>
    where
        Self: 'a;

    fn read(&self, stores: &[&'static str]) -> Result<Self::Tx<'_>, StoreError> {
        Ok(LinedTx {
            inner: self.0.read(stores)?,
            changes: RefCell::default(),
        })
    }

    fn write(&self, stores: &[&'static str]) -> Result<Self::Tx<'_>, StoreError> {
        let mut all = stores.to_vec();
        if stores.iter().any(|st| lined(st)) && !stores.contains(&s::LINES) {
            all.push(s::LINES);
        }
        Ok(LinedTx {
            inner: self.0.write(&all)?,
            changes: RefCell::default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_spread_and_stay_put() {
        let a = chunk_of(s::CONTACTS, "0123456789abcdef0123456789abcdef");
        assert_eq!(a, chunk_of(s::CONTACTS, "0123456789abcdef0123456789abcdef"));
        assert!(
            a.starts_with("contacts/") && a.len() == "contacts/".len() + 2,
            "{a}"
        );
        let mut seen = std::collections::HashSet::new();
        for i in 0..20_000u32 {
            seen.insert(chunk_of(s::ACCOUNTS, &format!("{i:032x}")));
        }
        assert_eq!(seen.len(), CHUNKS as usize);
        // Every chunk name sorts between "<store>/" and "<store>/~".
        assert!(seen
            .iter()
            .all(|c| c.as_str() > "accounts/" && c.as_str() < "accounts/~"));
    }

    #[test]
    fn patch_replaces_adds_and_removes_by_key() {
        let text = "a\t{\"id\":\"a\",\"n\":1}\nb\t{\"id\":\"b\"}\n";
        let out = patch(
            text,
            &[
                ("a".into(), Some("a\t{\"id\":\"a\",\"n\":2}".into())),
                ("b".into(), None),
                ("c".into(), Some("c\t{\"id\":\"c\",\"n\":1}".into())),
                ("c".into(), Some("c\t{\"id\":\"c\",\"n\":2}".into())),
            ],
        );
        assert_eq!(out, "a\t{\"id\":\"a\",\"n\":2}\nc\t{\"id\":\"c\",\"n\":2}\n");
    }

    #[test]
    fn deleted_keys_name_their_entries() {
        assert_eq!(
            key_of_deleted(s::LINKS, &Key::pair("a1", "c1")),
            Some((chunk_of(s::LINKS, "a1"), "a1 c1".into()))
        );
        assert_eq!(
            key_of_deleted(s::NOTES, &Key::one("n1")),
            Some((chunk_of(s::NOTES, "n1"), "n1".into()))
        );
        assert_eq!(key_of_deleted(s::META, &Key::one("x")), None);
    }
}
