//! The records' bundle lines: every account, contact, link, note and
//! history entry as the line "Export everything" writes for it
//! (`bundle::write::account_line`, ...), kept in a few hundred large values
//! of the `lines` store. IndexedDB gives back large values fast and many
//! small ones slowly: at 100,000 contacts (275,000 records, 124 MB of text)
//! a `getAll` of the record stores takes 8–11 s on the build machine, the
//! same text in 275 values 1.2 s (`bench/scratch/layout.mjs`). So an export
//! reads these chunks and makes the file of them, with no record turned
//! into a value or into JSON again.
//!
//! **Invariant:** the lines change in the same transaction as the records.
//! [`Lined`] wraps the backend of every [`super::Repo`]: a write transaction
//! that includes one of the five record stores also includes `lines`, notes
//! every put and delete of those stores, and at commit rewrites the chunks
//! those records live in (reading them inside the transaction, awaiting only
//! IndexedDB requests).
//!
//! **Layout: the chunks are the file.** The chunks of a store are ranges of
//! keys in order (`<store>/00` .. `<store>/ff`, see [`chunk_of`]), and a
//! chunk's text is its entries in key order, each exactly as the file has
//! it (`    <line>,\n`, [`crate::bundle::write::push_entry`]), so the
//! chunks of a list one after another are the list's lines in the export's
//! order. An export puts the envelope around the chunks as IndexedDB hands
//! them over (UTF-8 bytes, never copied into wasm; only the comma after a
//! list's last entry is cut off, [`crate::bundle::write::assemble`]). Next
//! to the text a chunk keeps its entries' keys (`keys`: each key and a
//! newline, in the same order) and their number (`n`), which a write uses to
//! find and replace one entry ([`patch`]).
//!
//! The `format` marker names this layout; a database without the current
//! one (an older layout, or a store cleared behind the app's back) gets its
//! lines rebuilt from the records at the next export, and until then writes
//! leave the lines alone.

use super::schema as s;
use super::{Backend, Key, LineChunk, Piece, StoreError, Tx};
use crate::bundle::write as bw;
use crate::domain::history::HistoryEntry;
use crate::domain::note::Note;
use crate::domain::{Account, Contact, Link};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::collections::BTreeMap;

/// Chunks per record store: a one-record change rewrites 1/256 of its
/// store's lines (at 100,000 contacts, about 180 KB).
pub const CHUNKS: u32 = 256;
/// Chunks read and rewritten together at a commit.
const COMMIT_BATCH: usize = 32;
/// The key of the marker record.
pub const FORMAT_KEY: &str = "format";
/// The layout the chunks have: bundle version 1's entries, chunks as key
/// ranges, entries sorted, texts as bytes. Another value means "rebuild"
/// (`bundle-1` was the first layout: entries `key<TAB>line` in chunks by
/// a hash of the key, in any order, as strings).
pub const FORMAT: &str = "bundle-1/ranges";

/// The record stores that have lines, in the order of a bundle's lists
/// ([`crate::bundle::write::LISTS`]).
pub const STORES: [&str; 5] = [s::ACCOUNTS, s::CONTACTS, s::LINKS, s::NOTES, s::HISTORY];

/// The format marker's record (`{chunk: "format", text: FORMAT}`); the
/// chunks are records `{chunk, keys, text, n}` ([`LineChunk`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chunk {
    pub chunk: String,
    pub text: String,
}

fn lined(store: &str) -> bool {
    STORES.contains(&store)
}

/// The lower bound of range `i` (1..=255): its two hex digits.
fn bound(i: u32) -> [u8; 2] {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    [HEX[(i >> 4 & 15) as usize], HEX[(i & 15) as usize]]
}

/// Which range a key falls in: how many of the bounds `01`, `02`, .., `ff`
/// are at most the key (byte order, the export's order). Ids (32 hex
/// digits) spread evenly over the 256 ranges by their first two digits; any
/// other key still lands in the range that keeps the chunks in key order.
fn range_of(key: &str) -> u32 {
    let key = key.as_bytes();
    // The first bound above the key, by bisection over 1..=255.
    let (mut lo, mut hi) = (1u32, CHUNKS);
    while lo < hi {
        let mid = (lo + hi) / 2;
        if bound(mid).as_slice() <= key {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo - 1
}

/// The chunk of `store` an entry's key lives in (chunks of a store in name
/// order hold ascending keys).
pub fn chunk_of(store: &str, key: &str) -> String {
    format!("{store}/{:02x}", range_of(key))
}

/// A change to one entry (by key): its new line, or `None` when removed.
type Change = (String, Option<String>);

/// (chunk, key, line) of a record of `store`.
type Entry = (String, String, String);

fn entry(store: &str, key: String, line: String) -> Entry {
    (chunk_of(store, &key), key, line)
}

/// The entry a record of a lined store stands for, from its stored JSON
/// (the derived fields indexes read are ignored).
fn entry_of_json(store: &str, json: &str) -> Result<Option<Entry>, StoreError> {
    fn decode<R: DeserializeOwned>(store: &str, json: &str) -> Result<R, StoreError> {
        serde_json::from_str(json)
            .map_err(|e| StoreError::Backend(format!("could not prepare a {store} record: {e}")))
    }
    Ok(Some(match store {
        s::ACCOUNTS => {
            let a: Account = decode(store, json)?;
            entry(store, a.id.to_string(), bw::account_line(&a))
        }
        s::CONTACTS => {
            let c: Contact = decode(store, json)?;
            entry(store, c.id.to_string(), bw::contact_line(&c))
        }
        s::LINKS => {
            let l: Link = decode(store, json)?;
            let key = format!("{} {}", l.account_id, l.contact_id);
            entry(store, key, bw::link_line(&l))
        }
        s::NOTES => {
            let n: Note = decode(store, json)?;
            entry(store, n.id.to_string(), bw::note_line(&n))
        }
        s::HISTORY => {
            let h: HistoryEntry = decode(store, json)?;
            entry(store, h.id.to_string(), bw::history_line(&h))
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
    let k = match (store, key.0.as_slice()) {
        (s::LINKS, [a, c]) => format!("{a} {c}"),
        (s::LINKS, _) => return None,
        (_, [id]) if lined(store) => id.clone(),
        _ => return None,
    };
    Some((chunk_of(store, &k), k))
}

/// Applies changes (in order; the last one for a key wins) to a chunk,
/// keeping its entries in key order; returns the new chunk and its number
/// of entries.
fn patch(old: &LineChunk, changes: &[Change]) -> Result<(LineChunk, usize), StoreError> {
    let mut last: BTreeMap<&str, Option<&str>> = BTreeMap::new();
    for (key, line) in changes {
        last.insert(key.as_str(), line.as_deref());
    }
    let keys: Vec<&str> = old.keys.split_terminator('\n').collect();
    let texts: Vec<&str> = old.text.split_inclusive('\n').collect();
    if keys.len() != texts.len() {
        return Err(StoreError::Corrupt {
            store: s::LINES,
            reason: format!("a chunk with {} keys and {} entries", keys.len(), texts.len()),
        });
    }
    let mut out = LineChunk {
        keys: String::with_capacity(old.keys.len() + 40 * last.len()),
        text: String::with_capacity(old.text.len() + 512 * last.len()),
    };
    let add = |out: &mut LineChunk, key: &str, line: Option<&str>| {
        if let Some(line) = line {
            out.keys.push_str(key);
            out.keys.push('\n');
            bw::push_entry(&mut out.text, line);
        }
    };
    let mut news = last.into_iter().peekable();
    for (key, text) in keys.into_iter().zip(texts) {
        while let Some((k, line)) = news.next_if(|(k, _)| *k < key) {
            add(&mut out, k, line);
        }
        match news.next_if(|(k, _)| *k == key) {
            Some((k, line)) => add(&mut out, k, line),
            None => {
                out.keys.push_str(key);
                out.keys.push('\n');
                out.text.push_str(text);
            }
        }
    }
    for (k, line) in news {
        add(&mut out, k, line);
    }
    let n = out.keys.bytes().filter(|b| *b == b'\n').count();
    Ok((out, n))
}

/// Each list's chunks (in [`STORES`] order, each in key order) and how many
/// entries each list has.
#[derive(Clone, Debug, Default)]
pub struct StoredLines {
    pub lists: [Vec<Piece>; 5],
    pub counts: [usize; 5],
}

impl StoredLines {
    fn add(&mut self, chunk: &str, n: usize, piece: Piece) {
        let store = chunk.split('/').next().unwrap_or_default();
        if let Some(i) = STORES.iter().position(|st| *st == store) {
            self.lists[i].push(piece);
            self.counts[i] += n;
        }
    }

    /// The canonical bundle text (copied together: for tests and checks;
    /// the app makes a `Blob` of the pieces).
    pub fn write(&self, catalog: &[crate::domain::catalog::CatalogItem], meta: &crate::bundle::Meta) -> String {
        let texts: [Vec<String>; 5] =
            std::array::from_fn(|i| self.lists[i].iter().map(Piece::to_text).collect());
        bw::write_chunks(catalog, &texts, meta)
    }
}

/// The stored lines, or `None` when they must be rebuilt. Reads only the
/// `lines` store.
pub async fn read<T: Tx>(tx: &T) -> Result<Option<StoredLines>, StoreError> {
    let marker = tx.get::<Chunk>(s::LINES, &Key::one(FORMAT_KEY)).await?;
    if !marker.is_some_and(|m| m.text == FORMAT) {
        return Ok(None);
    }
    let mut lines = StoredLines::default();
    for (chunk, n, piece) in tx.pieces(s::LINES).await? {
        lines.add(&chunk, n, piece);
    }
    Ok(Some(lines))
}

/// Rebuilds every line from the records, in `tx` (which must include the
/// five record stores and `lines`, writable), and returns them. The upgrade
/// to schema version 5 runs it inside the upgrade transaction.
pub async fn rebuild<T: Tx>(tx: &T) -> Result<StoredLines, StoreError> {
    tx.clear(s::LINES)?;
    let accounts = tx.all::<Account>(s::ACCOUNTS);
    let contacts = tx.all::<Contact>(s::CONTACTS);
    let links = tx.all::<Link>(s::LINKS);
    let notes = tx.all::<Note>(s::NOTES);
    let history = tx.all::<HistoryEntry>(s::HISTORY);
    let mut chunks: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    let mut add = |(chunk, key, line): Entry| chunks.entry(chunk).or_default().push((key, line));
    for a in accounts.await? {
        add(entry(s::ACCOUNTS, a.id.to_string(), bw::account_line(&a)));
    }
    for c in contacts.await? {
        add(entry(s::CONTACTS, c.id.to_string(), bw::contact_line(&c)));
    }
    for l in links.await? {
        let key = format!("{} {}", l.account_id, l.contact_id);
        add(entry(s::LINKS, key, bw::link_line(&l)));
    }
    for n in notes.await? {
        add(entry(s::NOTES, n.id.to_string(), bw::note_line(&n)));
    }
    for h in history.await? {
        add(entry(s::HISTORY, h.id.to_string(), bw::history_line(&h)));
    }
    let mut lines = StoredLines::default();
    for (name, mut entries) in chunks {
        entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut chunk = LineChunk::default();
        for (key, line) in &entries {
            chunk.keys.push_str(key);
            chunk.keys.push('\n');
            bw::push_entry(&mut chunk.text, line);
        }
        tx.put_chunk(s::LINES, &name, &chunk, entries.len())?;
        lines.add(&name, entries.len(), Piece::Text(chunk.text));
    }
    tx.put_text(s::LINES, ("chunk", FORMAT_KEY), ("text", FORMAT))?;
    Ok(lines)
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

    fn put_chunk(
        &self,
        store: &'static str,
        name: &str,
        chunk: &LineChunk,
        n: usize,
    ) -> Result<(), StoreError> {
        if lined(store) {
            return Err(StoreError::Backend(format!("{store} records are not chunks")));
        }
        self.inner.put_chunk(store, name, chunk, n)
    }

    fn put<R: Serialize>(&self, store: &'static str, value: &R) -> Result<(), StoreError> {
        let e = entry_of(store, value)?;
        self.inner.put(store, value)?;
        if let Some((chunk, key, line)) = e {
            self.note(chunk, key, Some(line));
        }
        Ok(())
    }

    fn put_many<R: Serialize>(&self, store: &'static str, values: &[R]) -> Result<(), StoreError> {
        if lined(store) {
            let mut changes = self.changes.borrow_mut();
            for v in values {
                if let Some((chunk, key, line)) = entry_of(store, v)? {
                    changes.entry(chunk).or_default().push((key, Some(line)));
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
            let marker = self.inner.get::<Chunk>(s::LINES, &Key::one(FORMAT_KEY)).await?;
            // Lines of another format: the next export rebuilds them.
            if marker.is_some_and(|m| m.text == FORMAT) {
                // A few chunks at a time: each batch's reads are awaited (an
                // IndexedDB request, so the page gets a turn between
                // batches of a large import or undo).
                let changes: Vec<(String, Vec<Change>)> = changes.into_iter().collect();
                for batch in changes.chunks(COMMIT_BATCH) {
                    let keys: Vec<Key> = batch.iter().map(|(c, _)| Key::one(c)).collect();
                    let stored = self.inner.chunks_of(s::LINES, &keys).await?;
                    for ((name, list), old) in batch.iter().zip(stored) {
                        let (chunk, n) = patch(&old.unwrap_or_default(), list)?;
                        if n == 0 {
                            self.inner.delete(s::LINES, &Key::one(name))?;
                        } else {
                            self.inner.put_chunk(s::LINES, name, &chunk, n)?;
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
    fn ids_spread_over_every_range_by_their_first_digits() {
        assert_eq!(chunk_of(s::CONTACTS, "00ff"), "contacts/00");
        assert_eq!(chunk_of(s::CONTACTS, "3a0123456789abcdef0123456789abcd"), "contacts/3a");
        assert_eq!(chunk_of(s::CONTACTS, "ffffffff"), "contacts/ff");
        let mut seen = std::collections::HashSet::new();
        for i in 0..20_000u32 {
            seen.insert(chunk_of(s::ACCOUNTS, &format!("{:08x}{i:024x}", i.wrapping_mul(2_654_435_761))));
        }
        assert_eq!(seen.len(), CHUNKS as usize);
        // Every chunk name sorts between "<store>/" and "<store>/~".
        assert!(seen
            .iter()
            .all(|c| c.as_str() > "accounts/" && c.as_str() < "accounts/~"));
    }

    /// For any keys (not only ids: empty, short, upper case, punctuation,
    /// beyond ASCII), a smaller key never lands in a later chunk, so the
    /// chunks in name order hold the keys in order.
    #[test]
    fn ranges_keep_any_keys_in_order() {
        let mut keys: Vec<String> = vec![
            "".into(),
            "0".into(),
            "00".into(),
            "0/".into(),
            "01".into(),
            "0g".into(),
            "0~".into(),
            "1".into(),
            "9z".into(),
            ":".into(),
            "A".into(),
            "FF".into(),
            "a".into(),
            "a ".into(),
            "a b".into(),
            "a0".into(),
            "ag".into(),
            "b".into(),
            "fe".into(),
            "ff".into(),
            "fg".into(),
            "g".into(),
            "zz".into(),
            "ü".into(),
            "\u{1F600}".into(),
        ];
        let mut x: u32 = 7;
        for _ in 0..2_000 {
            let mut k = String::new();
            for _ in 0..(x % 4) {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                k.push(char::from(b' ' + (x >> 16) as u8 % 95));
            }
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            keys.push(k);
        }
        keys.sort();
        for pair in keys.windows(2) {
            assert!(
                chunk_of(s::NOTES, &pair[0]) <= chunk_of(s::NOTES, &pair[1]),
                "{:?} {:?}",
                pair[0],
                pair[1]
            );
        }
        assert_eq!(chunk_of(s::NOTES, ""), "notes/00");
        assert_eq!(chunk_of(s::NOTES, "\u{1F600}"), "notes/ff");
    }

    fn chunk(entries: &[(&str, &str)]) -> LineChunk {
        let mut c = LineChunk::default();
        for (k, line) in entries {
            c.keys.push_str(k);
            c.keys.push('\n');
            bw::push_entry(&mut c.text, line);
        }
        c
    }

    #[test]
    fn patch_replaces_adds_and_removes_in_key_order() {
        let old = chunk(&[("b", "{\"id\":\"b\"}"), ("d", "{\"id\":\"d\",\"n\":1}"), ("f", "{}")]);
        let (out, n) = patch(
            &old,
            &[
                ("d".into(), Some("{\"id\":\"d\",\"n\":2}".into())),
                ("f".into(), None),
                ("e".into(), Some("{\"id\":\"e\",\"n\":1}".into())),
                ("a".into(), Some("{\"id\":\"a\"}".into())),
                ("e".into(), Some("{\"id\":\"e\",\"n\":2}".into())),
                ("g".into(), Some("{\"id\":\"g\"}".into())),
                ("g".into(), None),
                ("x".into(), None),
            ],
        )
        .unwrap();
        assert_eq!(
            out,
            chunk(&[
                ("a", "{\"id\":\"a\"}"),
                ("b", "{\"id\":\"b\"}"),
                ("d", "{\"id\":\"d\",\"n\":2}"),
                ("e", "{\"id\":\"e\",\"n\":2}"),
            ])
        );
        assert_eq!(n, 4);
        // Into nothing; and everything removed.
        let (fresh, n) = patch(&LineChunk::default(), &[("k".into(), Some("{}".into()))]).unwrap();
        assert_eq!((fresh.text.as_str(), fresh.keys.as_str(), n), ("    {},\n", "k\n", 1));
        let (gone, n) = patch(&fresh, &[("k".into(), None)]).unwrap();
        assert_eq!((gone, n), (LineChunk::default(), 0));
        // Keys and entries that do not pair up are refused.
        let broken = LineChunk {
            keys: "a\nb\n".into(),
            text: "    {},\n".into(),
        };
        assert!(patch(&broken, &[]).is_err());
    }

    #[test]
    fn deleted_keys_name_their_entries() {
        assert_eq!(
            key_of_deleted(s::LINKS, &Key::pair("a1", "c1")),
            Some((chunk_of(s::LINKS, "a1 c1"), "a1 c1".into()))
        );
        assert_eq!(
            key_of_deleted(s::NOTES, &Key::one("n1")),
            Some((chunk_of(s::NOTES, "n1"), "n1".into()))
        );
        assert_eq!(key_of_deleted(s::META, &Key::one("x")), None);
    }
}
