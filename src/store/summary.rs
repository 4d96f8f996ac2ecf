//! The stored directory (see [`crate::domain::directory`]): every account,
//! contact and link as one line of compact text, kept in [`CHUNKS`] large
//! values of the `summary` store instead of one record each. Reading a
//! hundred thousand records one by one costs seconds in IndexedDB; reading
//! 64 values costs milliseconds, so the Clients lists and the search start
//! from here.
//!
//! **Invariant:** the directory changes in the same transaction as the
//! records. [`Summarised`] wraps the backend of every [`super::Repo`]: a
//! write transaction that includes `accounts`, `contacts` or `links` also
//! includes `summary`, notes every put and delete of those stores, and at
//! commit rewrites the chunks those entries live in (reading them inside
//! the transaction, awaiting only IndexedDB requests). So every write path,
//! present or future, keeps it up to date without doing anything. The one
//! exception is an import into an empty store written in stages
//! (`Repo::import_run`): its records go in under this wrapper, and its last
//! transaction writes the whole directory ([`put_rows`]); until then its
//! mark in `meta` makes every other change to these stores refused (by
//! `lines::LinedTx::commit`: these stores all have lines too).
//!
//! The `format` marker says which text format the chunks hold. A database
//! without it (made before the directory existed, or whose `summary` store
//! was cleared by something writing records behind the app's back) gets its
//! directory rebuilt from the records on the next read.

use super::schema as s;
use super::{Backend, Key, StoreError, Tx};
use crate::domain::directory::{AccountRow, ContactRow, Directory, DirectoryBuilder, Entry, LinkRow, Rows};
use crate::domain::{Account, Contact, Link};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};

/// How many values the directory is spread over. An entry's chunk follows
/// from its id, so a change rewrites one chunk (1/64 of the directory).
/// (512 chunks were tried: no less wasm memory at 100,000 contacts, and a
/// slower start.)
pub const CHUNKS: u32 = 64;
/// The key of the marker record.
pub const FORMAT_KEY: &str = "format";
/// The text format the chunks hold; another value means "rebuild" (so a
/// directory of an older format is rebuilt from the records at its first
/// read; `directory-1` had no stored keys).
pub const FORMAT: &str = "directory-2";

/// One value of the `summary` store: a chunk of the directory's text, or
/// the format marker. Written with [`Tx::put_text`] and read with
/// [`Tx::texts`] / [`Tx::texts_of`] only: IndexedDB keeps the text as UTF-8
/// bytes (see `IdbTx::put_text`), which this struct, through serde, would
/// not read. Values as this struct writes them (a string) are what older
/// databases hold; both are read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chunk {
    pub chunk: String,
    pub text: String,
}

/// The chunk an id's entries live in (FNV-1a, so any id spreads evenly).
pub fn chunk_of(id: &str) -> String {
    let mut h: u32 = 0x811c_9dc5;
    for b in id.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    format!("{:02x}", h % CHUNKS)
}

/// A change to one entry: its new line, or `None` when it is removed.
type Change = (String, Option<String>);

/// The stored directory, parsed, or `None` when it must be rebuilt. Read
/// with [`Tx::each_text`]: each chunk crosses into wasm on its own (read
/// through [`Tx::all`], the 34 MB of chunks at 100,000 contacts came in as
/// one JSON text that wasm-bindgen copies through a buffer of three bytes
/// per character: wasm memory grew by 100 MB for good), is parsed while
/// IndexedDB reads the next page, and is moved into the directory, never
/// copied.
pub async fn read<T: Tx>(tx: &T) -> Result<Option<Directory>, StoreError> {
    let mut builder = DirectoryBuilder::new(CHUNKS as usize);
    let mut current = false;
    let read = tx
        .each_text(s::SUMMARY, "chunk", "text", &mut |key, text| {
            if key == FORMAT_KEY {
                current = text == FORMAT;
            } else {
                builder.chunk(text);
            }
        })
        .await;
    match read {
        Ok(()) => Ok(current.then(|| builder.finish().0)),
        // A value that is no chunk: the directory is built again.
        Err(StoreError::Corrupt { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Makes the stored directory current in `tx` (which must include the
/// three record stores and `summary`, writable): nothing to do when it is,
/// else rebuilt. The upgrade to schema version 5 runs it, so a new database
/// starts with an (empty) current directory.
pub async fn ensure<T: Tx>(tx: &T) -> Result<(), StoreError> {
    if !is_current(tx).await? {
        rebuild(tx).await?;
    }
    Ok(())
}

/// Whether the stored directory holds the current format (its marker says so).
async fn is_current<T: Tx>(tx: &T) -> Result<bool, StoreError> {
    match tx.texts_of(s::SUMMARY, &[Key::one(FORMAT_KEY)], "text").await {
        Ok(marker) => Ok(matches!(marker.as_slice(), [Some(m)] if m == FORMAT)),
        // A marker that is no text: the directory is built again.
        Err(StoreError::Corrupt { .. }) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Rebuilds the stored directory from the records, in `tx` (which must
/// include the three record stores and `summary`); returns its chunks.
pub async fn rebuild<T: Tx>(tx: &T) -> Result<Vec<String>, StoreError> {
    let accounts = tx.all::<Account>(s::ACCOUNTS);
    let contacts = tx.all::<Contact>(s::CONTACTS);
    let links = tx.all::<Link>(s::LINKS);
    let (accounts, contacts, links) = (accounts.await?, contacts.await?, links.await?);
    put_rows(tx, &rows(&accounts, &contacts, &links))
}

/// The directory's rows of these records.
pub fn rows<'a, A, C, L>(accounts: &'a [A], contacts: &'a [C], links: &'a [L]) -> Rows
where
    A: std::borrow::Borrow<Account>,
    C: std::borrow::Borrow<Contact>,
    L: std::borrow::Borrow<Link>,
{
    Rows {
        accounts: accounts.iter().map(|a| AccountRow::of(a.borrow())).collect(),
        contacts: contacts.iter().map(|c| ContactRow::of(c.borrow())).collect(),
        links: links.iter().map(|l| LinkRow::of(l.borrow())).collect(),
    }
}

/// Writes `d` as the whole stored directory (whatever was stored is
/// dropped), in `tx` (which must include `summary`, writable); returns its
/// chunks. What a rebuild writes, and what an import into an empty store
/// writes at its end (see `Repo::import_run`).
pub fn put_rows<T: Tx>(tx: &T, d: &Rows) -> Result<Vec<String>, StoreError> {
    // Chunks of an older format may be named otherwise: none may remain.
    tx.clear(s::SUMMARY)?;
    let mut chunks: BTreeMap<String, String> =
        (0..CHUNKS).map(|i| (format!("{i:02x}"), String::new())).collect();
    let mut out = Vec::with_capacity(chunks.len());
    let lines = d
        .accounts
        .iter()
        .map(|a| (chunk_of(a.id.as_str()), Entry::account(a)))
        .chain(
            d.contacts
                .iter()
                .map(|c| (chunk_of(c.id.as_str()), Entry::contact(c))),
        )
        .chain(
            d.links
                .iter()
                .map(|l| (chunk_of(l.account_id.as_str()), Entry::link(l))),
        );
    for (chunk, e) in lines {
        if let Some(t) = chunks.get_mut(&chunk) {
            t.push_str(&e.line);
            t.push('\n');
        }
    }
    for (chunk, t) in chunks {
        tx.put_text(s::SUMMARY, ("chunk", &chunk), ("text", &t))?;
        out.push(t);
    }
    tx.put_text(s::SUMMARY, ("chunk", FORMAT_KEY), ("text", FORMAT))?;
    Ok(out)
}

/// Applies changes (in order; the last one for a key wins) to a chunk's text.
fn patch(text: &str, changes: &[Change]) -> String {
    let mut last: HashMap<&str, &Option<String>> = HashMap::new();
    for (key, line) in changes {
        last.insert(key.as_str(), line);
    }
    let mut out = String::with_capacity(text.len() + 128);
    for line in text.split('\n').filter(|l| !l.is_empty()) {
        if !last.contains_key(Entry::key_of(line)) {
            out.push_str(line);
            out.push('\n');
        }
    }
    let mut done: HashMap<&str, ()> = HashMap::new();
    // Each changed entry once, with its last value.
    for (key, _) in changes {
        if done.insert(key.as_str(), ()).is_some() {
            continue;
        }
        if let Some(Some(line)) = last.get(key.as_str()) {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// The entry a record of a summarised store stands for, from its JSON.
fn entry_of_json(store: &str, json: &str) -> Result<Option<(String, Entry)>, StoreError> {
    fn decode<R: DeserializeOwned>(json: &str) -> Result<R, StoreError> {
        super::json(json).map_err(|e| StoreError::Backend(format!("could not prepare a record: {e}")))
    }
    Ok(Some(match store {
        s::ACCOUNTS => {
            let a: Account = decode(json)?;
            (chunk_of(a.id.as_str()), Entry::account(&AccountRow::of(&a)))
        }
        s::CONTACTS => {
            let c: Contact = decode(json)?;
            (chunk_of(c.id.as_str()), Entry::contact(&ContactRow::of(&c)))
        }
        s::LINKS => {
            let l: Link = decode(json)?;
            (chunk_of(l.account_id.as_str()), Entry::link(&LinkRow::of(&l)))
        }
        _ => return Ok(None),
    }))
}

/// The entry key (and chunk) a deleted record had.
fn key_of_deleted(store: &str, key: &Key) -> Option<(String, String)> {
    match (store, key.0.as_slice()) {
        (s::ACCOUNTS, [id]) => Some((chunk_of(id), Entry::account_key(id))),
        (s::CONTACTS, [id]) => Some((chunk_of(id), Entry::contact_key(id))),
        (s::LINKS, [a, c]) => Some((chunk_of(a), Entry::link_key(a, c))),
        _ => None,
    }
}

fn summarised(store: &str) -> bool {
    store == s::ACCOUNTS || store == s::CONTACTS || store == s::LINKS
}

/// A backend whose write transactions keep the directory in step.
pub struct Summarised<B>(pub B);

/// A transaction of [`Summarised`]: forwards everything, and notes the
/// changes to summarised stores for the commit.
pub struct SummarisedTx<T> {
    inner: T,
    /// Per chunk, the entry changes in order.
    changes: RefCell<BTreeMap<String, Vec<Change>>>,
}

impl<T: Tx> Tx for SummarisedTx<T> {
    super::forward_reads!();

    /// Not for the directory's own stores (their records are no texts, and
    /// a put must be noted for the directory).
    fn put_text(
        &self,
        store: &'static str,
        key: (&'static str, &str),
        text: (&'static str, &str),
    ) -> Result<(), StoreError> {
        if summarised(store) {
            return Err(StoreError::Backend(format!("{store} records are not texts")));
        }
        self.inner.put_text(store, key, text)
    }

    /// Not for the directory's own stores (as [`Tx::put_text`]).
    fn put_chunk(
        &self,
        store: &'static str,
        name: &str,
        chunk: &super::LineChunk,
        n: usize,
    ) -> Result<(), StoreError> {
        if summarised(store) {
            return Err(StoreError::Backend(format!("{store} records are not chunks")));
        }
        self.inner.put_chunk(store, name, chunk, n)
    }

    /// Clearing a summarised store drops the directory too (in this
    /// transaction): the next read builds it again from the records.
    fn clear(&self, store: &'static str) -> Result<(), StoreError> {
        self.inner.clear(store)?;
        if summarised(store) {
            self.changes.borrow_mut().clear();
            self.inner.clear(s::SUMMARY)?;
        }
        Ok(())
    }

    /// The record is serialised once, here: its entry is read from the
    /// JSON, and the same JSON goes on to the inner backends (so they
    /// compile one `put`, for JSON text, rather than one per record type).
    fn put<R: Serialize>(&self, store: &'static str, value: &R) -> Result<(), StoreError> {
        let json = serde_json::value::to_raw_value(value)
            .map_err(|e| StoreError::Backend(format!("could not prepare a record: {e}")))?;
        let entry = if summarised(store) {
            entry_of_json(store, json.get())?
        } else {
            None
        };
        self.inner.put(store, &json)?;
        if let Some((chunk, e)) = entry {
            self.changes
                .borrow_mut()
                .entry(chunk)
                .or_default()
                .push((e.key, Some(e.line)));
        }
        Ok(())
    }

    /// The batch is serialised once: each record's entry is read from its
    /// JSON, and the same JSON goes on to the inner backend.
    fn put_many<R: Serialize>(&self, store: &'static str, values: &[R]) -> Result<(), StoreError> {
        if !summarised(store) {
            return self.inner.put_many(store, values);
        }
        let prepare = |e: serde_json::Error| StoreError::Backend(format!("could not prepare a record: {e}"));
        let text = serde_json::to_string(values).map_err(prepare)?;
        let raws: Vec<&serde_json::value::RawValue> = super::json(&text).map_err(prepare)?;
        {
            let mut changes = self.changes.borrow_mut();
            for raw in &raws {
                if let Some((chunk, e)) = entry_of_json(store, raw.get())? {
                    changes.entry(chunk).or_default().push((e.key, Some(e.line)));
                }
            }
        }
        self.inner.put_many(store, &raws)
    }

    /// Only for stores outside the directory: a range of a summarised
    /// store must be deleted with [`Tx::delete_run`], which names its keys.
    fn delete_range(&self, store: &'static str, first: &Key, last: &Key) -> Result<(), StoreError> {
        if summarised(store) {
            return Err(StoreError::Backend(format!(
                "a range of {store} must be deleted by its keys (delete_run)"
            )));
        }
        self.inner.delete_range(store, first, last)
    }

    fn delete_run(&self, store: &'static str, keys: &[Key]) -> Result<(), StoreError> {
        self.inner.delete_run(store, keys)?;
        let mut changes = self.changes.borrow_mut();
        for key in keys {
            if let Some((chunk, k)) = key_of_deleted(store, key) {
                changes.entry(chunk).or_default().push((k, None));
            }
        }
        Ok(())
    }

    async fn settle(&self, store: &'static str) -> Result<(), StoreError> {
        self.inner.settle(store).await
    }

    fn delete(&self, store: &'static str, key: &Key) -> Result<(), StoreError> {
        self.inner.delete(store, key)?;
        if let Some((chunk, k)) = key_of_deleted(store, key) {
            self.changes
                .borrow_mut()
                .entry(chunk)
                .or_default()
                .push((k, None));
        }
        Ok(())
    }

    /// (While an import is written in stages, `LinedTx::commit` refuses
    /// the change: every summarised store also has lines.)
    async fn commit(self) -> Result<(), StoreError> {
        let changes = self.changes.into_inner();
        if !changes.is_empty() {
            // The marker and every chunk touched, asked for together.
            let mut keys = vec![Key::one(FORMAT_KEY)];
            keys.extend(changes.keys().map(|c| Key::one(c)));
            let mut stored = self.inner.texts_of(s::SUMMARY, &keys, "text").await?.into_iter();
            // No directory yet: the next read builds it from the records.
            if stored.next().flatten().as_deref() == Some(FORMAT) {
                for ((chunk, list), text) in changes.into_iter().zip(stored) {
                    let text = patch(&text.unwrap_or_default(), &list);
                    self.inner
                        .put_text(s::SUMMARY, ("chunk", &chunk), ("text", &text))?;
                }
            }
        }
        self.inner.commit().await
    }
}

impl<B: Backend> Backend for Summarised<B> {
    type Tx<'a>
        = SummarisedTx<B::Tx<'a>>
    where
        Self: 'a;
    type Held = B::Held;

    async fn try_lock(&self, name: &'static str) -> Result<super::Lock<B::Held>, StoreError> {
        self.0.try_lock(name).await
    }

    fn read(&self, stores: &[&'static str]) -> Result<Self::Tx<'_>, StoreError> {
        Ok(SummarisedTx {
            inner: self.0.read(stores)?,
            changes: RefCell::default(),
        })
    }

    fn write(&self, stores: &[&'static str]) -> Result<Self::Tx<'_>, StoreError> {
        let mut all = stores.to_vec();
        if stores.iter().any(|st| summarised(st)) && !stores.contains(&s::SUMMARY) {
            all.push(s::SUMMARY);
        }
        Ok(SummarisedTx {
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
        let a = chunk_of("0123456789abcdef0123456789abcdef");
        assert_eq!(a, chunk_of("0123456789abcdef0123456789abcdef"));
        let mut seen = std::collections::HashSet::new();
        for i in 0..2000u32 {
            seen.insert(chunk_of(&format!("{i:032x}")));
        }
        assert_eq!(seen.len(), CHUNKS as usize);
    }

    #[test]
    fn patch_replaces_adds_and_removes_by_key() {
        let text = "A\tx\told\ti\t0\t1\t\t\nC\ty\tK\t\tM\t\t\t\n";
        let out = patch(
            text,
            &[
                ("A\tx".into(), Some("A\tx\tnew\ti\t0\t1\t\t".into())),
                ("C\ty".into(), None),
                ("C\tz".into(), Some("C\tz\tA\t\tB\t\t\t".into())),
                ("C\tz".into(), Some("C\tz\tA2\t\tB\t\t\t".into())),
            ],
        );
        assert_eq!(out, "A\tx\tnew\ti\t0\t1\t\t\nC\tz\tA2\t\tB\t\t\t\n");
    }
}
