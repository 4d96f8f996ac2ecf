//! Storage, in two halves:
//!
//! - a **backend** ([`Backend`], [`Tx`]): raw record operations inside one
//!   transaction, implemented twice: on IndexedDB (`idb.rs`, in the browser)
//!   and in memory (`memory.rs`, which emulates IndexedDB's keys, indexes and
//!   unique constraints from the same schema);
//! - the **repository** ([`Repo`]): every read and change the app makes,
//!   written once over any backend. Each change is one transaction.
//!
//! One contract test suite (`contract.rs`) runs the repository over both
//! backends: natively in memory, in headless Chromium on IndexedDB.
//!
//! Architecture invariant: every method that changes more than one record
//! does it in one transaction: all of it is written, or none of it.

pub mod contract;
pub mod lines;
pub mod memory;
mod records;
mod repo;
pub mod schema;
pub mod summary;

#[cfg(target_arch = "wasm32")]
pub mod idb;

pub use repo::{OnProgress, Repo, Run, Stage, Staging, STEP_RECORDS};

use crate::domain::validation::Problem;
use crate::domain::ValidationErrors;
use serde::{de::DeserializeOwned, Serialize};

/// A stored record (or list of them) from its JSON text. Read as bytes,
/// as a bundle's records are: serde_json compiles its reader once per
/// input kind, and the bundle reader already needs the byte one (the text
/// is UTF-8, so the result and the errors are those of `from_str`; about
/// 5 KB less gzipped wasm).
pub(crate) fn json<'a, T: serde::Deserialize<'a>>(text: &'a str) -> serde_json::Result<T> {
    serde_json::from_slice(text.as_bytes())
}

/// What can go wrong in storage. The practitioner reads the words
/// `src/error.rs` makes of it; these texts are for logs and tests.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// The change breaks a rule that depends on what is stored (an email
    /// already used, the last contact of an account). Nothing was written.
    #[error("{0}")]
    Rejected(ValidationErrors),
    #[error("an account with this id already exists")]
    AlreadyExists,
    /// Gone from this device (deleted in another tab?). Nothing was changed.
    #[error("{0:?} not found")]
    NotFound(Missing),
    /// Changed in another tab meanwhile. Nothing was saved.
    #[error("changed meanwhile")]
    Conflict,
    /// No IndexedDB here (private windows, settings); the reason.
    #[error("no local database: {0}")]
    Unavailable(String),
    /// Asked for the store before the database was open.
    #[error("the database is not open yet")]
    NotOpenYet,
    /// The data was saved by a newer Clientbook.
    #[error("data of a newer version")]
    NewerVersion,
    /// Another tab keeps an older version of the data open.
    #[error("blocked by another tab")]
    Blocked,
    /// The connection was closed (another tab upgraded, or the browser).
    #[error("database closed")]
    Closed,
    /// The device's storage is full. Nothing was saved.
    #[error("storage full")]
    QuotaExceeded,
    /// A large import is being written (in this tab or another), and this
    /// change would write among its records. Nothing was saved.
    #[error("an import is being written")]
    ImportRunning,
    #[error("a stored {store} record could not be read ({reason})")]
    Corrupt { store: &'static str, reason: String },
    /// Any other failure of the database; its own words. Nothing was changed.
    #[error("saving failed: {0}")]
    Backend(String),
}

/// What was not found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Missing {
    Account,
    Contact,
    Link,
    /// A Settings item.
    Item,
    /// A file chosen for import.
    File,
}

impl StoreError {
    /// A refusal about one field.
    pub fn rejected(field: &str, problem: Problem) -> Self {
        let mut e = ValidationErrors::default();
        e.push(field, problem);
        Self::Rejected(e)
    }
}

/// A record's primary key: the values of its store's key-path fields.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Key(pub Vec<String>);

impl Key {
    pub fn one(id: &str) -> Self {
        Self(vec![id.to_owned()])
    }
    pub fn pair(a: &str, b: &str) -> Self {
        Self(vec![a.to_owned(), b.to_owned()])
    }
}

/// A chunk of stored lines (`lines.rs`) as a write reads and rewrites it:
/// the keys of its entries (each followed by a newline) and the entries'
/// text, both in key order. Stored as a record `{chunk, keys, text, n}`
/// (`n`: how many entries), the text as UTF-8 bytes where the backend can.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineChunk {
    pub keys: String,
    pub text: String,
}

/// A stored chunk's text as an export gets it: in the browser the bytes
/// IndexedDB handed over (never copied into wasm memory; a `Blob` is made of
/// them as they are), or a text.
#[derive(Clone, Debug)]
pub enum Piece {
    Text(String),
    #[cfg(target_arch = "wasm32")]
    Bytes(js_sys::Uint8Array),
}

impl Piece {
    /// Its length in bytes.
    pub fn len(&self) -> usize {
        match self {
            Piece::Text(t) => t.len(),
            #[cfg(target_arch = "wasm32")]
            Piece::Bytes(b) => b.length() as usize,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Its text (copied out of the browser for bytes: for tests and checks).
    pub fn to_text(&self) -> String {
        match self {
            Piece::Text(t) => t.clone(),
            #[cfg(target_arch = "wasm32")]
            Piece::Bytes(b) => String::from_utf8_lossy(&b.to_vec()).into_owned(),
        }
    }
}

/// The read operations of a [`Tx`] that wraps another in a field `inner`
/// and only watches writes ([`summary::Summarised`], [`lines::Lined`]):
/// each is forwarded as it is, so a read through a wrapper costs what the
/// backend's own does (a trait default here would, say, read texts through
/// JSON or fetch a batch one record at a time).
macro_rules! forward_reads {
    () => {
        async fn get<R: serde::de::DeserializeOwned>(
            &self,
            store: &'static str,
            key: &$crate::store::Key,
        ) -> Result<Option<R>, $crate::store::StoreError> {
            self.inner.get(store, key).await
        }

        /// The inner future itself, so a backend that issues its request at
        /// the call (IndexedDB) still does.
        #[allow(clippy::manual_async_fn)]
        fn all<R: serde::de::DeserializeOwned>(
            &self,
            store: &'static str,
        ) -> impl std::future::Future<Output = Result<Vec<R>, $crate::store::StoreError>> {
            self.inner.all(store)
        }

        async fn by_index<R: serde::de::DeserializeOwned>(
            &self,
            store: &'static str,
            index: &'static str,
            value: &str,
        ) -> Result<Vec<R>, $crate::store::StoreError> {
            self.inner.by_index(store, index, value).await
        }

        async fn texts(
            &self,
            store: &'static str,
            key: &'static str,
            text: &'static str,
        ) -> Result<Vec<(String, String)>, $crate::store::StoreError> {
            self.inner.texts(store, key, text).await
        }

        async fn each_text(
            &self,
            store: &'static str,
            key: &'static str,
            text: &'static str,
            each: &mut dyn FnMut(String, String),
        ) -> Result<(), $crate::store::StoreError> {
            self.inner.each_text(store, key, text, each).await
        }

        async fn texts_of(
            &self,
            store: &'static str,
            keys: &[$crate::store::Key],
            text: &'static str,
        ) -> Result<Vec<Option<String>>, $crate::store::StoreError> {
            self.inner.texts_of(store, keys, text).await
        }

        async fn chunks_of(
            &self,
            store: &'static str,
            names: &[$crate::store::Key],
        ) -> Result<Vec<Option<$crate::store::LineChunk>>, $crate::store::StoreError> {
            self.inner.chunks_of(store, names).await
        }

        async fn pieces(
            &self,
            store: &'static str,
        ) -> Result<Vec<(String, usize, $crate::store::Piece)>, $crate::store::StoreError> {
            self.inner.pieces(store).await
        }

        async fn exists(
            &self,
            store: &'static str,
            key: &$crate::store::Key,
        ) -> Result<bool, $crate::store::StoreError> {
            self.inner.exists(store, key).await
        }

        async fn any(&self, store: &'static str) -> Result<bool, $crate::store::StoreError> {
            self.inner.any(store).await
        }

        async fn key_by_index(
            &self,
            store: &'static str,
            index: &'static str,
            value: &str,
        ) -> Result<Option<String>, $crate::store::StoreError> {
            self.inner.key_by_index(store, index, value).await
        }

        async fn keys(
            &self,
            store: &'static str,
        ) -> Result<Vec<$crate::store::Key>, $crate::store::StoreError> {
            self.inner.keys(store).await
        }

        async fn get_many<R: serde::de::DeserializeOwned>(
            &self,
            store: &'static str,
            keys: &[$crate::store::Key],
        ) -> Result<Vec<Option<R>>, $crate::store::StoreError> {
            self.inner.get_many(store, keys).await
        }

        async fn keys_by_index(
            &self,
            store: &'static str,
            index: &'static str,
            values: &[String],
        ) -> Result<Vec<Option<String>>, $crate::store::StoreError> {
            self.inner.keys_by_index(store, index, values).await
        }

        async fn by_index_many<R: serde::de::DeserializeOwned>(
            &self,
            store: &'static str,
            index: &'static str,
            values: &[String],
        ) -> Result<Vec<Vec<R>>, $crate::store::StoreError> {
            self.inner.by_index_many(store, index, values).await
        }
    };
}
pub(crate) use forward_reads;

/// Raw record operations inside one transaction. Reads are awaited; writes
/// are only issued (they land, or fail, at [`Tx::commit`]). Dropping a
/// transaction without committing it undoes everything it wrote.
#[allow(async_fn_in_trait)]
pub trait Tx {
    async fn get<T: DeserializeOwned>(&self, store: &'static str, key: &Key)
        -> Result<Option<T>, StoreError>;
    /// Every record of a store, in primary-key order.
    async fn all<T: DeserializeOwned>(&self, store: &'static str) -> Result<Vec<T>, StoreError>;
    /// Records whose `index` has `value`, in primary-key order.
    async fn by_index<T: DeserializeOwned>(
        &self,
        store: &'static str,
        index: &'static str,
        value: &str,
    ) -> Result<Vec<T>, StoreError>;
    /// Every record's two string fields `key` and `text`, in primary-key
    /// order: large texts read as they are (IndexedDB hands each string
    /// over directly instead of as JSON).
    async fn texts(
        &self,
        store: &'static str,
        key: &'static str,
        text: &'static str,
    ) -> Result<Vec<(String, String)>, StoreError> {
        let records: Vec<serde_json::Map<String, serde_json::Value>> = self.all(store).await?;
        records
            .into_iter()
            .map(|mut r| {
                let mut field = |f: &'static str| match r.remove(f) {
                    Some(serde_json::Value::String(s)) => Ok(s),
                    _ => Err(StoreError::Corrupt {
                        store,
                        reason: format!("no text in field {f}"),
                    }),
                };
                Ok((field(key)?, field(text)?))
            })
            .collect()
    }
    /// As [`Tx::texts`], each (key, text) handed to `each` as it arrives:
    /// a backend that reads in pages (IndexedDB) asks for the next page
    /// before handing over this one, so the caller's work on a page
    /// overlaps the reading of the next.
    async fn each_text(
        &self,
        store: &'static str,
        key: &'static str,
        text: &'static str,
        each: &mut dyn FnMut(String, String),
    ) -> Result<(), StoreError> {
        for (k, t) in self.texts(store, key, text).await? {
            each(k, t);
        }
        Ok(())
    }
    /// For each key, the record's string field `text` (`None` where there
    /// is no record), asked for together; texts handed over as they are.
    async fn texts_of(
        &self,
        store: &'static str,
        keys: &[Key],
        text: &'static str,
    ) -> Result<Vec<Option<String>>, StoreError> {
        let records: Vec<Option<serde_json::Map<String, serde_json::Value>>> =
            self.get_many(store, keys).await?;
        records
            .into_iter()
            .map(|r| match r.map(|mut r| r.remove(text)) {
                None => Ok(None),
                Some(Some(serde_json::Value::String(s))) => Ok(Some(s)),
                Some(_) => Err(StoreError::Corrupt {
                    store,
                    reason: format!("no text in field {text}"),
                }),
            })
            .collect()
    }
    /// Puts a record of two string fields, `key` (its primary key) and
    /// `text`, each a (field, value) pair; a large text is handed over as
    /// it is (issued like `put`).
    fn put_text(
        &self,
        store: &'static str,
        key: (&'static str, &str),
        text: (&'static str, &str),
    ) -> Result<(), StoreError> {
        let mut record = serde_json::Map::new();
        record.insert(key.0.into(), key.1.into());
        record.insert(text.0.into(), text.1.into());
        self.put(store, &record)
    }
    /// Puts a chunk of lines ([`LineChunk`]) as the record
    /// `{chunk: name, keys, text, n}` (issued like `put`).
    fn put_chunk(
        &self,
        store: &'static str,
        name: &str,
        chunk: &LineChunk,
        n: usize,
    ) -> Result<(), StoreError> {
        self.put(
            store,
            &serde_json::json!({"chunk": name, "keys": chunk.keys, "text": chunk.text, "n": n}),
        )
    }
    /// The chunks of lines with these names (`None` where there is none, or
    /// where the record is no chunk), asked for together.
    async fn chunks_of(
        &self,
        store: &'static str,
        names: &[Key],
    ) -> Result<Vec<Option<LineChunk>>, StoreError> {
        let records: Vec<Option<serde_json::Map<String, serde_json::Value>>> =
            self.get_many(store, names).await?;
        Ok(records
            .into_iter()
            .map(|r| match r.map(|mut r| (r.remove("keys"), r.remove("text"))) {
                Some((Some(serde_json::Value::String(keys)), Some(serde_json::Value::String(text)))) => {
                    Some(LineChunk { keys, text })
                }
                _ => None,
            })
            .collect())
    }
    /// Every chunk of lines of a store (records without `keys` are
    /// skipped), in primary-key order: (name, entries, text).
    async fn pieces(&self, store: &'static str) -> Result<Vec<(String, usize, Piece)>, StoreError> {
        let records: Vec<serde_json::Map<String, serde_json::Value>> = self.all(store).await?;
        let mut out = Vec::with_capacity(records.len());
        for mut r in records {
            if !r.contains_key("keys") {
                continue;
            }
            match (r.remove("chunk"), r.remove("text"), r.remove("n")) {
                (
                    Some(serde_json::Value::String(name)),
                    Some(serde_json::Value::String(text)),
                    Some(serde_json::Value::Number(n)),
                ) => out.push((name, n.as_u64().unwrap_or(0) as usize, Piece::Text(text))),
                _ => {
                    return Err(StoreError::Corrupt {
                        store,
                        reason: "a chunk without name, text or count".into(),
                    })
                }
            }
        }
        Ok(out)
    }
    async fn exists(&self, store: &'static str, key: &Key) -> Result<bool, StoreError>;
    /// Whether a store holds any record. (No count: Chromium's `count()`
    /// reads every record, 0.12 s for 50,000 accounts, and holds up the
    /// database's other requests meanwhile.)
    async fn any(&self, store: &'static str) -> Result<bool, StoreError>;
    /// The (single-field) primary key of the record whose index has `value`.
    async fn key_by_index(
        &self,
        store: &'static str,
        index: &'static str,
        value: &str,
    ) -> Result<Option<String>, StoreError>;
    /// Every primary key of a store, in order (no record is read).
    async fn keys(&self, store: &'static str) -> Result<Vec<Key>, StoreError>;
    /// Several records by key, asked for together; `None` where there is none.
    async fn get_many<T: DeserializeOwned>(
        &self,
        store: &'static str,
        keys: &[Key],
    ) -> Result<Vec<Option<T>>, StoreError>;
    /// For each value, the (single-field) primary key of the record whose
    /// index has it, asked for together.
    async fn keys_by_index(
        &self,
        store: &'static str,
        index: &'static str,
        values: &[String],
    ) -> Result<Vec<Option<String>>, StoreError>;
    /// For each value, the records whose `index` has it (as
    /// [`Tx::by_index`]), asked for together.
    async fn by_index_many<T: DeserializeOwned>(
        &self,
        store: &'static str,
        index: &'static str,
        values: &[String],
    ) -> Result<Vec<Vec<T>>, StoreError> {
        let mut out = Vec::with_capacity(values.len());
        for v in values {
            out.push(self.by_index(store, index, v).await?);
        }
        Ok(out)
    }
    fn put<T: Serialize>(&self, store: &'static str, value: &T) -> Result<(), StoreError>;
    /// Issues a put per value, in order (IndexedDB converts them together).
    fn put_many<T: Serialize>(&self, store: &'static str, values: &[T]) -> Result<(), StoreError> {
        values.iter().try_for_each(|v| self.put(store, v))
    }
    fn delete(&self, store: &'static str, key: &Key) -> Result<(), StoreError>;
    /// Deletes every record whose key is between `first` and `last`
    /// (inclusive, in the store's key order), with one request.
    fn delete_range(&self, store: &'static str, first: &Key, last: &Key) -> Result<(), StoreError>;
    /// Deletes a run of records: `keys` must be every key the store has
    /// from the first to the last (as [`Tx::keys`] gave them in this
    /// transaction). One request (a range), for any number of keys.
    fn delete_run(&self, store: &'static str, keys: &[Key]) -> Result<(), StoreError> {
        match (keys.first(), keys.last()) {
            (Some(first), Some(last)) => self.delete_range(store, first, last),
            _ => Ok(()),
        }
    }
    /// Waits (on an IndexedDB request of `store`, never a timer) until every
    /// request issued so far is done. A long write calls it every few
    /// thousand records, so the page can show its progress meanwhile.
    async fn settle(&self, store: &'static str) -> Result<(), StoreError>;
    /// Deletes every record of a store (issued like `put`).
    fn clear(&self, store: &'static str) -> Result<(), StoreError>;
    async fn commit(self) -> Result<(), StoreError>;
}

/// A lock shared by every tab of the database's origin ([`Backend::try_lock`]).
pub enum Lock<H> {
    /// Taken: held until this value is dropped (or the tab goes away).
    Held(H),
    /// Someone holds it (this tab or another).
    Busy,
    /// This browser has no such locks (Web Locks need a page served
    /// securely, or from this device).
    Unsupported,
}

/// Opens transactions on a database.
#[allow(async_fn_in_trait)]
pub trait Backend {
    type Tx<'a>: Tx
    where
        Self: 'a;
    /// What keeps a lock of [`Backend::try_lock`] held.
    type Held;
    fn read(&self, stores: &[&'static str]) -> Result<Self::Tx<'_>, StoreError>;
    fn write(&self, stores: &[&'static str]) -> Result<Self::Tx<'_>, StoreError>;
    /// Takes the lock `name`, waiting at most a moment (a lock is let go
    /// of asynchronously in a browser, so one this tab has just released
    /// may still be held for a few milliseconds); `Busy` when someone keeps
    /// it. A lock
    /// outlives no tab: one that closes or crashes lets go of it, which is
    /// how a tab tells a run of transactions still going (held) from one
    /// left half done (free).
    async fn try_lock(&self, name: &'static str) -> Result<Lock<Self::Held>, StoreError>;
}
