//! An in-memory backend that behaves like IndexedDB where the repository can
//! tell: records keyed by their key-path fields, indexes (unique and
//! multi-entry) built from the same schema, transactions that see only
//! their stores and change nothing unless committed. Used by native tests.

use super::schema::{self, SchemaOp};
use super::{Backend, Key, Lock, StoreError, Tx};
use serde::{de::DeserializeOwned, Serialize};
use serde_json::Value;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

#[derive(Clone, Debug)]
struct Index {
    name: &'static str,
    field: &'static str,
    unique: bool,
    multi_entry: bool,
}

#[derive(Clone, Debug)]
struct Table {
    key_path: &'static [&'static str],
    indexes: Vec<Index>,
    records: BTreeMap<Key, Value>,
}

impl Table {
    fn index(&self, name: &str) -> Result<&Index, StoreError> {
        self.indexes
            .iter()
            .find(|i| i.name == name)
            .ok_or_else(|| StoreError::Backend(format!("no index {name}")))
    }

    /// The index keys a record has (several for a multi-entry array).
    fn index_values(index: &Index, record: &Value) -> Vec<String> {
        match record.get(index.field) {
            Some(Value::String(s)) => vec![s.clone()],
            Some(Value::Array(items)) if index.multi_entry => items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect(),
            _ => Vec::new(),
        }
    }
}

type Db = BTreeMap<&'static str, Table>;

/// Stores a chunked store's format marker (`{chunk, text}`): its (empty)
/// chunks are current.
fn mark_current(db: &mut Db, store: &'static str, key: &str, format: &str) {
    if let Some(t) = db.get_mut(store) {
        t.records
            .insert(Key::one(key), serde_json::json!({ "chunk": key, "text": format }));
    }
}

/// The whole database, as the schema's upgrade steps build it.
fn empty_db() -> Db {
    let mut db = Db::new();
    for op in schema::upgrade_ops(0, schema::DB_VERSION) {
        match *op {
            // A new database: nothing to fill, only the format marker.
            SchemaOp::FillLines => mark_current(
                &mut db,
                schema::LINES,
                super::lines::FORMAT_KEY,
                super::lines::FORMAT,
            ),
            // A new database: an empty directory, current.
            SchemaOp::FillDirectory => mark_current(
                &mut db,
                schema::SUMMARY,
                super::summary::FORMAT_KEY,
                super::summary::FORMAT,
            ),
            SchemaOp::CreateStore { name, key_path } => {
                db.insert(
                    name,
                    Table {
                        key_path,
                        indexes: Vec::new(),
                        records: BTreeMap::new(),
                    },
                );
            }
            SchemaOp::CreateIndex {
                store,
                name,
                key_path,
                unique,
                multi_entry,
            } => {
                if let Some(t) = db.get_mut(store) {
                    t.indexes.push(Index {
                        name,
                        field: key_path,
                        unique,
                        multi_entry,
                    });
                }
            }
        }
    }
    db
}

#[derive(Debug)]
pub struct MemoryBackend {
    db: RefCell<Db>,
    /// The locks held ([`Backend::try_lock`]): one page holds them all.
    locks: Rc<RefCell<BTreeSet<&'static str>>>,
}

impl Default for MemoryBackend {
    fn default() -> Self {
        Self {
            db: RefCell::new(empty_db()),
            locks: Rc::default(),
        }
    }
}

/// A lock of [`MemoryBackend`], let go of when dropped.
pub struct MemoryHeld {
    locks: Rc<RefCell<BTreeSet<&'static str>>>,
    name: &'static str,
}

impl Drop for MemoryHeld {
    fn drop(&mut self) {
        self.locks.borrow_mut().remove(self.name);
    }
}

impl MemoryBackend {
    pub fn new() -> Self {
        Self::default()
    }
}

/// A transaction works on its own copy and swaps it in on commit.
pub struct MemoryTx<'a> {
    db: &'a RefCell<Db>,
    work: RefCell<Db>,
    stores: Vec<&'static str>,
    writable: bool,
}

impl MemoryTx<'_> {
    fn table<R>(
        &self,
        store: &'static str,
        f: impl FnOnce(&Table) -> Result<R, StoreError>,
    ) -> Result<R, StoreError> {
        if !self.stores.contains(&store) {
            return Err(StoreError::Backend(format!(
                "store {store} is not part of this transaction"
            )));
        }
        let work = self.work.borrow();
        f(work
            .get(store)
            .ok_or_else(|| StoreError::Backend(format!("no store {store}")))?)
    }
}

fn decode<T: DeserializeOwned>(store: &'static str, v: &Value) -> Result<T, StoreError> {
    serde_json::from_value(v.clone()).map_err(|e| StoreError::Corrupt {
        store,
        reason: e.to_string(),
    })
}

impl Tx for MemoryTx<'_> {
    async fn get<T: DeserializeOwned>(
        &self,
        store: &'static str,
        key: &Key,
    ) -> Result<Option<T>, StoreError> {
        self.table(store, |t| {
            t.records.get(key).map(|v| decode(store, v)).transpose()
        })
    }

    async fn all<T: DeserializeOwned>(&self, store: &'static str) -> Result<Vec<T>, StoreError> {
        self.table(store, |t| t.records.values().map(|v| decode(store, v)).collect())
    }

    async fn by_index<T: DeserializeOwned>(
        &self,
        store: &'static str,
        index: &'static str,
        value: &str,
    ) -> Result<Vec<T>, StoreError> {
        self.table(store, |t| {
            let index = t.index(index)?;
            t.records
                .values()
                .filter(|r| Table::index_values(index, r).iter().any(|k| k == value))
                .map(|v| decode(store, v))
                .collect()
        })
    }

    async fn exists(&self, store: &'static str, key: &Key) -> Result<bool, StoreError> {
        self.table(store, |t| Ok(t.records.contains_key(key)))
    }

    async fn any(&self, store: &'static str) -> Result<bool, StoreError> {
        self.table(store, |t| Ok(!t.records.is_empty()))
    }

    async fn key_by_index(
        &self,
        store: &'static str,
        index: &'static str,
        value: &str,
    ) -> Result<Option<String>, StoreError> {
        self.table(store, |t| {
            let index = t.index(index)?;
            Ok(t.records
                .iter()
                .find(|(_, r)| Table::index_values(index, r).iter().any(|k| k == value))
                .and_then(|(k, _)| k.0.first().cloned()))
        })
    }

    async fn keys(&self, store: &'static str) -> Result<Vec<Key>, StoreError> {
        self.table(store, |t| Ok(t.records.keys().cloned().collect()))
    }

    async fn get_many<T: DeserializeOwned>(
        &self,
        store: &'static str,
        keys: &[Key],
    ) -> Result<Vec<Option<T>>, StoreError> {
        self.table(store, |t| {
            keys.iter()
                .map(|k| t.records.get(k).map(|v| decode(store, v)).transpose())
                .collect()
        })
    }

    async fn keys_by_index(
        &self,
        store: &'static str,
        index: &'static str,
        values: &[String],
    ) -> Result<Vec<Option<String>>, StoreError> {
        let mut out = Vec::with_capacity(values.len());
        for v in values {
            out.push(self.key_by_index(store, index, v).await?);
        }
        Ok(out)
    }

    async fn settle(&self, store: &'static str) -> Result<(), StoreError> {
        self.table(store, |_| Ok(()))
    }

    fn put<T: Serialize>(&self, store: &'static str, value: &T) -> Result<(), StoreError> {
        if !self.writable {
            return Err(StoreError::Backend("write in a read-only transaction".into()));
        }
        let record = serde_json::to_value(value).map_err(|e| StoreError::Backend(e.to_string()))?;
        // Check inside `table`, then write.
        let key = self.table(store, |t| {
            let mut parts = Vec::new();
            for field in t.key_path {
                match record.get(*field) {
                    Some(Value::String(s)) => parts.push(s.clone()),
                    _ => {
                        return Err(StoreError::Backend(format!(
                            "record for {store} has no key {field}"
                        )))
                    }
                }
            }
            let key = Key(parts);
            for index in t.indexes.iter().filter(|i| i.unique) {
                for v in Table::index_values(index, &record) {
                    let clash = t
                        .records
                        .iter()
                        .any(|(k, r)| k != &key && Table::index_values(index, r).contains(&v));
                    if clash {
                        // IndexedDB's ConstraintError, as the IndexedDB backend reports it.
                        return Err(StoreError::rejected(
                            "contacts",
                            crate::domain::validation::Problem::StoredTwice,
                        ));
                    }
                }
            }
            Ok(key)
        })?;
        if let Some(t) = self.work.borrow_mut().get_mut(store) {
            t.records.insert(key, record);
        }
        Ok(())
    }

    fn delete(&self, store: &'static str, key: &Key) -> Result<(), StoreError> {
        if !self.writable {
            return Err(StoreError::Backend("write in a read-only transaction".into()));
        }
        self.table(store, |_| Ok(()))?;
        if let Some(t) = self.work.borrow_mut().get_mut(store) {
            t.records.remove(key);
        }
        Ok(())
    }

    fn delete_range(&self, store: &'static str, first: &Key, last: &Key) -> Result<(), StoreError> {
        if !self.writable {
            return Err(StoreError::Backend("write in a read-only transaction".into()));
        }
        self.table(store, |_| Ok(()))?;
        if first > last {
            return Ok(());
        }
        if let Some(t) = self.work.borrow_mut().get_mut(store) {
            let gone: Vec<Key> = t
                .records
                .range(first.clone()..=last.clone())
                .map(|(k, _)| k.clone())
                .collect();
            for k in gone {
                t.records.remove(&k);
            }
        }
        Ok(())
    }

    fn clear(&self, store: &'static str) -> Result<(), StoreError> {
        if !self.writable {
            return Err(StoreError::Backend("write in a read-only transaction".into()));
        }
        self.table(store, |_| Ok(()))?;
        if let Some(t) = self.work.borrow_mut().get_mut(store) {
            t.records.clear();
        }
        Ok(())
    }

    async fn commit(self) -> Result<(), StoreError> {
        if self.writable {
            *self.db.borrow_mut() = self.work.into_inner();
        }
        Ok(())
    }
}

impl Backend for MemoryBackend {
    type Tx<'a> = MemoryTx<'a>;
    type Held = MemoryHeld;

    async fn try_lock(&self, name: &'static str) -> Result<Lock<MemoryHeld>, StoreError> {
        if !self.locks.borrow_mut().insert(name) {
            return Ok(Lock::Busy);
        }
        Ok(Lock::Held(MemoryHeld {
            locks: self.locks.clone(),
            name,
        }))
    }

    fn read(&self, stores: &[&'static str]) -> Result<MemoryTx<'_>, StoreError> {
        Ok(MemoryTx {
            db: &self.db,
            work: RefCell::new(self.db.borrow().clone()),
            stores: stores.to_vec(),
            writable: false,
        })
    }

    fn write(&self, stores: &[&'static str]) -> Result<MemoryTx<'_>, StoreError> {
        Ok(MemoryTx {
            work: RefCell::new(self.db.borrow().clone()),
            db: &self.db,
            stores: stores.to_vec(),
            writable: true,
        })
    }
}

/// The repository over memory: the store of native tests.
pub type MemoryStore = super::Repo<MemoryBackend>;

impl MemoryStore {
    pub fn in_memory() -> Self {
        super::Repo::new(MemoryBackend::new())
    }
}

#[cfg(test)]
mod tests {
    crate::store_contract_tests!(native, crate::store::memory::MemoryStore::in_memory());
}
