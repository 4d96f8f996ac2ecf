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
//! IndexedDB requests). The one exception is an import into an empty store
//! written in stages (`Repo::import_run`): its last transaction writes every
//! line ([`put_lists`]), and until then its mark in `meta` makes every other
//! change to these stores refused.
//!
//! **Layout: the chunks are the file.** The chunks of a store are ranges of
//! keys: chunk `<store>/<lower>` holds the keys from `lower` up to the next
//! chunk's (the first chunk's lower bound is ""), and a chunk's text is its entries in key order, each exactly as the file has
//! it (`    <line>,\n`, [`crate::bundle::write::push_entry`]), so the
//! chunks of a list one after another are the list's lines in the export's
//! order. An export puts the envelope around the chunks as IndexedDB hands
//! them over (UTF-8 bytes, never copied into wasm; only the comma after a
//! list's last entry is cut off, [`crate::bundle::write::assemble`]). Next
//! to the text a chunk keeps its entries' keys (`keys`: each key and a
//! newline, in the same order) and their number (`n`), which a write uses to
//! find and replace one entry ([`patch`]). A chunk that grows past
//! [`MAX_CHUNK`] is cut in pieces of about [`CHUNK_TARGET`] (the new ones
//! named by their first keys), one left empty is deleted: the ranges follow
//! the keys there are, random ids or not.
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
use serde::Serialize;
use std::cell::RefCell;
use std::collections::BTreeMap;

/// A chunk's text grows to at most this many bytes; a write that makes it
/// longer cuts it in pieces of about [`CHUNK_TARGET`]. So a one-record
/// change rewrites at most this much (whatever the keys), and an export
/// reads about 1,000 values at 100,000 contacts.
pub const MAX_CHUNK: usize = 256 * 1024;
/// What a rebuild and a split cut chunks to.
pub const CHUNK_TARGET: usize = 128 * 1024;
/// Chunks read, or written, at a commit between two awaited requests.
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

fn lined(store: &str) -> bool {
    STORES.contains(&store)
}

/// The name of the chunk of `store` whose keys start at `lower` (the first
/// chunk of a store has lower bound "" and any key may land in it).
pub fn chunk_name(store: &str, lower: &str) -> String {
    format!("{store}/{lower}")
}

/// Of the lower bounds of a store's chunks (ascending, byte order), the
/// one whose chunk `key` belongs in: the greatest at most `key`, or "".
fn lower_bound<'a>(bounds: &[&'a str], key: &str) -> &'a str {
    let i = bounds.partition_point(|b| *b <= key);
    i.checked_sub(1)
        .and_then(|i| bounds.get(i))
        .copied()
        .unwrap_or("")
}

/// The first key of a chunk.
fn first_key(chunk: &LineChunk) -> &str {
    chunk.keys.split('\n').next().unwrap_or_default()
}

/// A chunk over [`MAX_CHUNK`] bytes cut into pieces of about
/// [`CHUNK_TARGET`] (in order; each with its number of entries); a smaller
/// one as it is.
fn split(chunk: LineChunk, n: usize) -> Vec<(LineChunk, usize)> {
    if chunk.text.len() <= MAX_CHUNK {
        return vec![(chunk, n)];
    }
    let target = chunk.text.len() / chunk.text.len().div_ceil(CHUNK_TARGET);
    let mut out = Vec::new();
    let mut piece = LineChunk::default();
    let mut m = 0;
    for (key, text) in chunk
        .keys
        .split_terminator('\n')
        .zip(chunk.text.split_inclusive('\n'))
    {
        piece.keys.push_str(key);
        piece.keys.push('\n');
        piece.text.push_str(text);
        m += 1;
        if piece.text.len() >= target {
            out.push((std::mem::take(&mut piece), m));
            m = 0;
        }
    }
    if m > 0 {
        out.push((piece, m));
    }
    out
}

/// A change to one entry (by key): its new line, or `None` when removed.
type Change = (String, Option<String>);

/// (store, key, line) of a record.
type Entry = (&'static str, String, String);

/// A record that has a line: its entry key (the order of its list) and its
/// line.
pub trait HasLine {
    fn key_and_line(&self) -> (String, String);
}

impl HasLine for Account {
    fn key_and_line(&self) -> (String, String) {
        (self.id.to_string(), bw::account_line(self))
    }
}

impl HasLine for Contact {
    fn key_and_line(&self) -> (String, String) {
        (self.id.to_string(), bw::contact_line(self))
    }
}

impl HasLine for Link {
    fn key_and_line(&self) -> (String, String) {
        (
            format!("{} {}", self.account_id, self.contact_id),
            bw::link_line(self),
        )
    }
}

impl HasLine for Note {
    fn key_and_line(&self) -> (String, String) {
        (self.id.to_string(), bw::note_line(self))
    }
}

impl HasLine for HistoryEntry {
    fn key_and_line(&self) -> (String, String) {
        (self.id.to_string(), bw::history_line(self))
    }
}

/// The entry a record of a lined store stands for, from its stored JSON
/// (the derived fields indexes read are ignored).
fn entry_of_json(store: &'static str, json: &str) -> Result<Option<Entry>, StoreError> {
    fn decode<R: DeserializeOwned + HasLine>(store: &'static str, json: &str) -> Result<Entry, StoreError> {
        let r: R = super::json(json)
            .map_err(|e| StoreError::Backend(format!("could not prepare a {store} record: {e}")))?;
        let (key, line) = r.key_and_line();
        Ok((store, key, line))
    }
    Ok(Some(match store {
        s::ACCOUNTS => decode::<Account>(store, json)?,
        s::CONTACTS => decode::<Contact>(store, json)?,
        s::LINKS => decode::<Link>(store, json)?,
        s::NOTES => decode::<Note>(store, json)?,
        s::HISTORY => decode::<HistoryEntry>(store, json)?,
        _ => return Ok(None),
    }))
}

fn entry_of<T: Serialize>(store: &'static str, value: &T) -> Result<Option<Entry>, StoreError> {
    if !lined(store) {
        return Ok(None);
    }
    let json = serde_json::to_string(value)
        .map_err(|e| StoreError::Backend(format!("could not prepare a {store} record: {e}")))?;
    entry_of_json(store, &json)
}

/// The (store, entry key) a deleted record had.
fn key_of_deleted(store: &'static str, key: &Key) -> Option<(&'static str, String)> {
    let k = match (store, key.0.as_slice()) {
        (s::LINKS, [a, c]) => format!("{a} {c}"),
        (s::LINKS, _) => return None,
        (_, [id]) if lined(store) => id.clone(),
        _ => return None,
    };
    Some((store, k))
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
    pub fn write(
        &self,
        catalog: &[crate::domain::catalog::CatalogItem],
        meta: &crate::bundle::Meta,
    ) -> String {
        let texts: [Vec<String>; 5] =
            std::array::from_fn(|i| self.lists[i].iter().map(Piece::to_text).collect());
        bw::write_chunks(catalog, &texts, meta)
    }
}

/// The stored lines, or `None` when they must be rebuilt. Reads only the
/// `lines` store.
pub async fn read<T: Tx>(tx: &T) -> Result<Option<StoredLines>, StoreError> {
    let marker = tx.texts_of(s::LINES, &[Key::one(FORMAT_KEY)], "text").await?;
    if !matches!(marker.as_slice(), [Some(m)] if m == FORMAT) {
        return Ok(None);
    }
    let mut pieces = tx.pieces(s::LINES).await?;
    // In byte order of the names (IndexedDB orders strings by UTF-16 code
    // units, which differs beyond the Basic Multilingual Plane).
    pieces.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut lines = StoredLines::default();
    for (chunk, n, piece) in pieces {
        lines.add(&chunk, n, piece);
    }
    Ok(Some(lines))
}

/// Rebuilds every line from the records, in `tx` (which must include the
/// five record stores and `lines`, writable), and returns them. The upgrade
/// to schema version 5 runs it inside the upgrade transaction.
pub async fn rebuild<T: Tx>(tx: &T) -> Result<StoredLines, StoreError> {
    let accounts = tx.all::<Account>(s::ACCOUNTS);
    let contacts = tx.all::<Contact>(s::CONTACTS);
    let links = tx.all::<Link>(s::LINKS);
    let notes = tx.all::<Note>(s::NOTES);
    let history = tx.all::<HistoryEntry>(s::HISTORY);
    let (accounts, contacts, links) = (accounts.await?, contacts.await?, links.await?);
    let (notes, history) = (notes.await?, history.await?);
    let mut lines = StoredLines::default();
    put_lists(
        tx,
        [
            entries(&accounts),
            entries(&contacts),
            entries(&links),
            entries(&notes),
            entries(&history),
        ],
        &mut |name, n, text| lines.add(name, n, Piece::Text(text)),
    )?;
    Ok(lines)
}

/// The (key, line) entries of some records, in their order.
pub fn entries<R: std::borrow::Borrow<H>, H: HasLine + ?Sized>(records: &[R]) -> Vec<(String, String)> {
    records.iter().map(|r| r.borrow().key_and_line()).collect()
}

/// Writes these lists (in [`STORES`] order, each list's entries in any
/// order) as every line there is (whatever was stored is dropped), in `tx`
/// (which must include `lines`, writable): each list sorted by key and cut
/// into chunks of about [`CHUNK_TARGET`]. `each` gets every chunk put
/// (name, entries, text). What a rebuild writes, and what an import into
/// an empty store writes at its end (see `Repo::import_run`).
pub fn put_lists<T: Tx>(
    tx: &T,
    lists: [Vec<(String, String)>; 5],
    each: &mut dyn FnMut(&str, usize, String),
) -> Result<(), StoreError> {
    tx.clear(s::LINES)?;
    for (store, mut list) in STORES.into_iter().zip(lists) {
        list.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut chunk = LineChunk::default();
        let mut n = 0;
        let mut lower = "";
        let mut flush = |chunk: &mut LineChunk, n: &mut usize, lower: &str| -> Result<(), StoreError> {
            let name = chunk_name(store, lower);
            tx.put_chunk(s::LINES, &name, chunk, *n)?;
            each(&name, *n, std::mem::take(&mut chunk.text));
            chunk.keys.clear();
            *n = 0;
            Ok(())
        };
        for (i, (key, line)) in list.iter().enumerate() {
            if n == 0 && i > 0 {
                lower = key;
            }
            chunk.keys.push_str(key);
            chunk.keys.push('\n');
            bw::push_entry(&mut chunk.text, line);
            n += 1;
            if chunk.text.len() >= CHUNK_TARGET {
                flush(&mut chunk, &mut n, lower)?;
            }
        }
        if n > 0 {
            flush(&mut chunk, &mut n, lower)?;
        }
    }
    tx.put_text(s::LINES, ("chunk", FORMAT_KEY), ("text", FORMAT))
}

/// A backend whose write transactions keep the lines in step.
pub struct Lined<B>(pub B);

/// A transaction of [`Lined`]: forwards everything, and notes the changes
/// to lined stores for the commit.
pub struct LinedTx<T> {
    inner: T,
    /// Per store, the entry changes in order.
    changes: RefCell<BTreeMap<&'static str, Vec<Change>>>,
}

impl<T: Tx> LinedTx<T> {
    fn note(&self, store: &'static str, key: String, entry: Option<String>) {
        self.changes
            .borrow_mut()
            .entry(store)
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
        if let Some((store, key, line)) = e {
            self.note(store, key, Some(line));
        }
        Ok(())
    }

    fn put_many<R: Serialize>(&self, store: &'static str, values: &[R]) -> Result<(), StoreError> {
        if lined(store) {
            let mut changes = self.changes.borrow_mut();
            for v in values {
                if let Some((store, key, line)) = entry_of(store, v)? {
                    changes.entry(store).or_default().push((key, Some(line)));
                }
            }
        }
        self.inner.put_many(store, values)
    }

    fn delete(&self, store: &'static str, key: &Key) -> Result<(), StoreError> {
        self.inner.delete(store, key)?;
        if let Some((store, k)) = key_of_deleted(store, key) {
            self.note(store, k, None);
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
            if let Some((store, k)) = key_of_deleted(store, key) {
                self.note(store, k, None);
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
            self.changes.borrow_mut().remove(store);
            // Chunk names are `<store>/<lower bound>`; `<store>0` sorts
            // after all of them ('0' follows '/') and names no chunk.
            self.inner.delete_range(
                s::LINES,
                &Key::one(&chunk_name(store, "")),
                &Key::one(&format!("{store}0")),
            )?;
        }
        Ok(())
    }

    /// Refused while an import is written in stages (its mark is in
    /// `meta`): its records go in without their lines and their directory
    /// entries, which its last transaction writes whole, and a rollback
    /// empties the stores. The one check for both wrappers: every store
    /// of the directory has lines.
    async fn commit(self) -> Result<(), StoreError> {
        let changes = self.changes.into_inner();
        if !changes.is_empty() {
            if self.inner.exists(s::META, &Key::one(s::STAGED_IMPORT)).await? {
                return Err(StoreError::ImportRunning);
            }
            let marker = self
                .inner
                .texts_of(s::LINES, &[Key::one(FORMAT_KEY)], "text")
                .await?;
            // Lines of another format: the next export rebuilds them.
            if matches!(marker.as_slice(), [Some(m)] if m == FORMAT) {
                // Which chunk each change falls in: the one with the
                // greatest lower bound at most its key.
                let names: Vec<String> = self
                    .inner
                    .keys(s::LINES)
                    .await?
                    .into_iter()
                    .filter_map(|k| k.0.into_iter().next())
                    .collect();
                let mut by_chunk: BTreeMap<String, Vec<Change>> = BTreeMap::new();
                for (store, list) in changes {
                    let prefix = chunk_name(store, "");
                    let mut bounds: Vec<&str> = names
                        .iter()
                        .filter_map(|n| n.strip_prefix(prefix.as_str()))
                        .collect();
                    bounds.sort_unstable();
                    for change in list {
                        let lower = lower_bound(&bounds, &change.0);
                        by_chunk.entry(chunk_name(store, lower)).or_default().push(change);
                    }
                }
                // A few chunks at a time: each batch's reads are awaited, and
                // a settle after every few puts (IndexedDB requests, so the
                // page gets a turn during a large import or undo).
                let work: Vec<(String, Vec<Change>)> = by_chunk.into_iter().collect();
                let mut puts = 0usize;
                for batch in work.chunks(COMMIT_BATCH) {
                    let keys: Vec<Key> = batch.iter().map(|(c, _)| Key::one(c)).collect();
                    let stored = self.inner.chunks_of(s::LINES, &keys).await?;
                    for ((name, list), old) in batch.iter().zip(stored) {
                        let (chunk, n) = patch(&old.unwrap_or_default(), list)?;
                        if n == 0 {
                            self.inner.delete(s::LINES, &Key::one(name))?;
                            continue;
                        }
                        let store = name.split_once('/').map_or("", |(st, _)| st);
                        for (i, (piece, m)) in split(chunk, n).into_iter().enumerate() {
                            let piece_name = match i {
                                0 => name.clone(),
                                _ => chunk_name(store, first_key(&piece)),
                            };
                            self.inner.put_chunk(s::LINES, &piece_name, &piece, m)?;
                            puts += 1;
                            if puts.is_multiple_of(COMMIT_BATCH) {
                                self.inner.settle(s::LINES).await?;
                            }
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
    type Held = B::Held;

    async fn try_lock(&self, name: &'static str) -> Result<super::Lock<B::Held>, StoreError> {
        self.0.try_lock(name).await
    }

    fn read(&self, stores: &[&'static str]) -> Result<Self::Tx<'_>, StoreError> {
        Ok(LinedTx {
            inner: self.0.read(stores)?,
            changes: RefCell::default(),
        })
    }

    /// A write to a lined store also takes `lines` and `meta` (the mark
    /// of an import written in stages, see [`LinedTx::commit`]).
    fn write(&self, stores: &[&'static str]) -> Result<Self::Tx<'_>, StoreError> {
        let mut all = stores.to_vec();
        if stores.iter().any(|st| lined(st)) {
            for more in [s::LINES, s::META] {
                if !all.contains(&more) {
                    all.push(more);
                }
            }
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

    /// Any key (not only ids: empty, short, upper case, beyond ASCII) goes
    /// to the chunk with the greatest lower bound at most the key, so that
    /// the chunks in the order of their bounds hold the keys in order.
    #[test]
    fn keys_go_to_the_chunk_whose_range_holds_them() {
        let bounds = ["", "3a", "3a5", "c", "\u{e9}"];
        for (key, want) in [
            ("", ""),
            ("0", ""),
            ("3", ""),
            ("3a", "3a"),
            ("3a4f", "3a"),
            ("3a5", "3a5"),
            ("3b", "3a5"),
            ("A", "3a5"),
            ("b", "3a5"),
            ("c", "c"),
            ("c0 d1", "c"),
            ("z", "c"),
            ("\u{e9}t\u{e9}", "\u{e9}"),
            ("\u{1F600}", "\u{e9}"),
        ] {
            assert_eq!(lower_bound(&bounds, key), want, "{key:?}");
        }
        // Without a chunk "" yet, the smallest keys start one.
        assert_eq!(lower_bound(&["5"], "4"), "");
        assert_eq!(lower_bound(&[], "4"), "");
        assert_eq!(chunk_name(s::LINKS, "a1 c1"), "links/a1 c1");
    }

    #[test]
    fn large_chunks_are_cut_in_order_and_small_ones_kept() {
        let line = format!("{{\"id\":\"{}\"}}", "x".repeat(1000));
        let entries: Vec<(String, &str)> = (0..700).map(|i| (format!("{i:04}"), line.as_str())).collect();
        let refs: Vec<(&str, &str)> = entries.iter().map(|(k, l)| (k.as_str(), *l)).collect();
        let whole = chunk(&refs);
        assert!(whole.text.len() > MAX_CHUNK);
        let pieces = split(whole.clone(), 700);
        assert!(pieces.len() >= whole.text.len() / CHUNK_TARGET);
        assert!(pieces
            .iter()
            .all(|(p, _)| p.text.len() <= CHUNK_TARGET + line.len() + 8 && !p.keys.is_empty()));
        assert_eq!(pieces.iter().map(|(_, n)| n).sum::<usize>(), 700);
        let keys: String = pieces.iter().map(|(p, _)| p.keys.as_str()).collect();
        let text: String = pieces.iter().map(|(p, _)| p.text.as_str()).collect();
        assert_eq!((keys, text), (whole.keys, whole.text));
        for (p, n) in &pieces {
            assert_eq!(p.keys.lines().count(), *n);
        }
        let small = chunk(&refs[..10]);
        assert_eq!(split(small.clone(), 10), vec![(small, 10)]);
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
        let old = chunk(&[
            ("b", "{\"id\":\"b\"}"),
            ("d", "{\"id\":\"d\",\"n\":1}"),
            ("f", "{}"),
        ]);
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
        assert_eq!(
            (fresh.text.as_str(), fresh.keys.as_str(), n),
            ("    {},\n", "k\n", 1)
        );
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
            Some((s::LINKS, "a1 c1".into()))
        );
        assert_eq!(
            key_of_deleted(s::NOTES, &Key::one("n1")),
            Some((s::NOTES, "n1".into()))
        );
        assert_eq!(key_of_deleted(s::META, &Key::one("x")), None);
    }
}
