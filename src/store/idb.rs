//! The IndexedDB backend, written directly on `web-sys`.
//!
//! Why not a wrapper crate: schema steps after version 1 must add indexes to
//! existing stores, which needs the upgrade transaction of the open request,
//! and bulk writes must issue every `put` before awaiting anything. A thin
//! bridge (requests and transactions awaited as promises) gives both, with
//! no JS closures allocated per request.
//!
//! Rules kept here:
//! - a change is one readwrite transaction; inside it only IndexedDB requests
//!   are awaited (awaiting anything else lets the browser commit it half-done);
//! - an [`IdbTx`] dropped without being committed is aborted, so `?` never leaves
//!   half a change behind;
//! - writes use `durability: "strict"`: committed means on disk.

use super::schema::{self, SchemaOp};
use super::{json, Backend, Key, StoreError};
use crate::domain::ValidationErrors;
use serde::{de::DeserializeOwned, Serialize};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    DomException, IdbDatabase, IdbIndexParameters, IdbObjectStore, IdbObjectStoreParameters,
    IdbOpenDbRequest, IdbRequest, IdbTransaction, IdbTransactionMode, IdbVersionChangeEvent,
};

// Bindings web-sys marks unstable or deprecated (durability options; explicit
// commit, which older engines lack: there the call throws, is ignored, and
// the transaction commits by itself once its requests are done).
#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// An `IDBDatabase`, seen through the bindings below.
    type RawDb;
    #[wasm_bindgen(catch, method, js_name = transaction)]
    fn transaction_with_options(
        this: &RawDb,
        store_names: &js_sys::Array,
        mode: &str,
        options: &js_sys::Object,
    ) -> Result<IdbTransaction, JsValue>;

    /// An `IDBTransaction`, seen through the binding below.
    type RawTx;
    #[wasm_bindgen(catch, method, js_name = commit)]
    fn commit_now(this: &RawTx) -> Result<(), JsValue>;
}

// ---------------------------------------------------------------------------
// Errors

/// Turns a value thrown by the IndexedDB API into a [`StoreError`].
fn js_error(e: &JsValue) -> StoreError {
    match e.dyn_ref::<DomException>() {
        Some(d) => match d.name().as_str() {
            "QuotaExceededError" => StoreError::QuotaExceeded,
            "VersionError" => StoreError::NewerVersion,
            "InvalidStateError" => StoreError::Closed,
            "ConstraintError" => {
                let mut v = ValidationErrors::default();
                v.push("contacts", crate::domain::validation::Problem::StoredTwice);
                StoreError::Rejected(v)
            }
            name => StoreError::Backend(format!("{name}: {}", d.message())),
        },
        None => StoreError::Backend(e.as_string().unwrap_or_else(|| format!("{e:?}"))),
    }
}

/// Field `name` of a stored record as text: a string, or UTF-8 bytes (as
/// [`Tx::put_text`] writes them; values written before that are strings).
fn text_field(
    store: &'static str,
    record: &JsValue,
    name: &JsValue,
    what: &str,
) -> Result<String, StoreError> {
    let value = js_sys::Reflect::get(record, name).unwrap_or(JsValue::UNDEFINED);
    if let Some(s) = value.as_string() {
        return Ok(s);
    }
    let bytes = if let Some(b) = value.dyn_ref::<js_sys::Uint8Array>() {
        Some(b.to_vec())
    } else {
        value
            .dyn_ref::<js_sys::ArrayBuffer>()
            .map(|b| js_sys::Uint8Array::new(b).to_vec())
    };
    bytes
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(|| corrupt(store, format!("no text in field {what}")))
}

fn corrupt(store: &'static str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt {
        store,
        reason: e.to_string(),
    }
}

// ---------------------------------------------------------------------------
// Requests and transactions as futures

/// Awaits one request: its result, or the error that failed it. The
/// request's own `resolve`/`reject` are the handlers, so no Rust closure is
/// allocated (or leaked) per request. The handlers are set at the call, so
/// a request may be issued now and awaited later (after other awaits).
fn request(r: &IdbRequest) -> impl std::future::Future<Output = Result<JsValue, StoreError>> {
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        r.set_onsuccess(Some(&resolve));
        r.set_onerror(Some(&reject));
    });
    let r = r.clone();
    async move {
        let outcome = JsFuture::from(promise).await;
        r.set_onsuccess(None);
        r.set_onerror(None);
        match outcome {
            Ok(_) => r.result().map_err(|e| js_error(&e)),
            Err(_) => Err(match r.error() {
                Ok(Some(d)) => js_error(&d.into()),
                _ => StoreError::Backend("a database request failed".into()),
            }),
        }
    }
}

/// A transaction that aborts when dropped unless committed.
pub struct IdbTx {
    tx: IdbTransaction,
    /// Resolves on `complete`, rejects on `abort`; only for readwrite.
    done: Option<JsFuture>,
    finished: bool,
    /// Object stores already looked up (a bulk write asks for the same one
    /// thousands of times).
    stores: RefCell<Vec<(&'static str, IdbObjectStore)>>,
}

impl IdbTx {
    fn read(db: &IdbDatabase, stores: &[&str]) -> Result<Self, StoreError> {
        let tx = db
            .transaction_with_str_sequence_and_mode(&names(stores), IdbTransactionMode::Readonly)
            .map_err(|e| js_error(&e))?;
        Ok(Self {
            tx,
            done: None,
            finished: false,
            stores: RefCell::default(),
        })
    }

    fn write(db: &IdbDatabase, stores: &[&str]) -> Result<Self, StoreError> {
        let options = js_sys::Object::new();
        js_sys::Reflect::set(&options, &"durability".into(), &"strict".into()).map_err(|e| js_error(&e))?;
        let tx = db
            .unchecked_ref::<RawDb>()
            .transaction_with_options(&names(stores), "readwrite", &options)
            .map_err(|e| js_error(&e))?;
        let promise = js_sys::Promise::new(&mut |resolve, reject| {
            tx.set_oncomplete(Some(&resolve));
            tx.set_onabort(Some(&reject));
        });
        Ok(Self {
            tx,
            done: Some(JsFuture::from(promise)),
            finished: false,
            stores: RefCell::default(),
        })
    }

    /// The upgrade transaction of an open request, for the steps that
    /// convert records. It commits by itself once its requests are done
    /// (never aborted on drop; the caller aborts it on failure).
    fn upgrade(tx: IdbTransaction) -> Self {
        Self {
            tx,
            done: None,
            finished: true,
            stores: RefCell::default(),
        }
    }

    fn store(&self, name: &'static str) -> Result<IdbObjectStore, StoreError> {
        if let Some((_, s)) = self.stores.borrow().iter().find(|(n, _)| *n == name) {
            return Ok(s.clone());
        }
        let s = self.tx.object_store(name).map_err(|e| js_error(&e))?;
        self.stores.borrow_mut().push((name, s.clone()));
        Ok(s)
    }

    /// Commits and waits until the browser reports the data durable.
    async fn finish(mut self) -> Result<(), StoreError> {
        self.finished = true;
        // `commit` throws when the transaction already finished (aborted by a
        // failed request); the outcome below says why.
        let _ = self.tx.unchecked_ref::<RawTx>().commit_now();
        let outcome = match self.done.take() {
            Some(done) => done.await,
            None => Ok(JsValue::UNDEFINED),
        };
        outcome.map(|_| ()).map_err(|_| match self.tx.error() {
            Some(d) => js_error(&d.into()),
            None => StoreError::Backend("the change was cancelled".into()),
        })
    }
}

impl Drop for IdbTx {
    fn drop(&mut self) {
        if !self.finished {
            // Throws only when the transaction already ended; nothing to undo then.
            let _ = self.tx.abort();
        }
    }
}

fn names(stores: &[&str]) -> js_sys::Array {
    stores.iter().map(|s| JsValue::from_str(s)).collect()
}

// ---------------------------------------------------------------------------
// Values
//
// Records cross between Rust and JavaScript as JSON text: many records are
// turned into one JSON array and parsed by `JSON.parse` in one call (a
// write), or a whole result is turned into text by `JSON.stringify` in one
// call and read by serde_json (a read). Both are several times faster than
// building or reading each object field by field across the boundary
// (README.md, "Performance notes").

/// Records per `JSON.parse` call of a bulk write.
const PUT_BATCH: usize = 256;

/// Records per request of a whole-store read.
const READ_PAGE: u32 = 2_000;

/// Values per page of [`Tx::each_text`]: the directory's 64 chunks in 8
/// pages of about 4 MB at 100,000 contacts, each parsed while the next is
/// read.
const EACH_PAGE: u32 = 8;

/// Chunks of lines per request of [`IdbTx::pieces`] (about 2 MB: the
/// browser turns each page into values in one go, on the main thread).
const PIECES_PAGE: u32 = 16;

/// Keys per request of a read of every key.
const KEYS_PAGE: u32 = 20_000;

/// A record's primary key, read through its store's key path.
fn key_of(store: &IdbObjectStore, record: &JsValue) -> Result<JsValue, StoreError> {
    let path = store.key_path().map_err(|e| js_error(&e))?;
    let get = |p: &JsValue| js_sys::Reflect::get(record, p).map_err(|e| js_error(&e));
    match path.dyn_ref::<js_sys::Array>() {
        Some(parts) => {
            let key = js_sys::Array::new();
            for p in parts.iter() {
                key.push(&get(&p)?);
            }
            Ok(key.into())
        }
        None => get(&path),
    }
}

fn serialize<T: Serialize + ?Sized>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Backend(format!("could not prepare a record: {e}")))
}

fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, StoreError> {
    js_sys::JSON::parse(&serialize(value)?).map_err(|e| js_error(&e))
}

/// Any JavaScript value that is plain data, as text (`undefined` becomes `null`).
fn js_text(store: &'static str, value: &JsValue) -> Result<String, StoreError> {
    if value.is_undefined() {
        return Ok("null".into());
    }
    js_sys::JSON::stringify(value)
        .map(String::from)
        .map_err(|e| corrupt(store, js_error(&e)))
}

fn from_js<T: DeserializeOwned>(store: &'static str, value: &JsValue) -> Result<T, StoreError> {
    json(&js_text(store, value)?).map_err(|e| corrupt(store, e))
}

fn key_js(key: &Key) -> JsValue {
    match key.0.as_slice() {
        [one] => JsValue::from_str(one),
        many => many
            .iter()
            .map(|s| JsValue::from_str(s))
            .collect::<js_sys::Array>()
            .into(),
    }
}

/// A key as IndexedDB gives it: one string, or an array of strings.
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum RawKey {
    One(String),
    Many(Vec<String>),
}

fn optional(value: JsValue) -> Option<JsValue> {
    (!value.is_undefined() && !value.is_null()).then_some(value)
}

// ---------------------------------------------------------------------------
// Opening, upgrading, and losing the connection

/// Called when the open connection stops being usable: another tab upgraded
/// the schema ([`StoreError::NewerVersion`]) or the database was deleted or
/// closed by the browser ([`StoreError::Closed`]).
pub type OnLost = Rc<dyn Fn(StoreError)>;

#[derive(Clone, Default)]
pub struct Hooks {
    /// Another tab holds an older version open and has not let go yet.
    pub on_blocked: Option<Rc<dyn Fn()>>,
    /// An existing database is being brought to this version's schema: the
    /// open takes longer than usual (once; seconds at 100,000 contacts,
    /// when the upgrade fills the stores it adds from the records).
    pub on_upgrade: Option<Rc<dyn Fn()>>,
    pub on_lost: Option<OnLost>,
}

pub struct IdbBackend {
    db: IdbDatabase,
    name: String,
    _on_versionchange: Closure<dyn FnMut(IdbVersionChangeEvent)>,
    _on_close: Closure<dyn FnMut()>,
}

fn factory() -> Result<web_sys::IdbFactory, StoreError> {
    let window = web_sys::window().ok_or_else(|| StoreError::Unavailable("no window".into()))?;
    match window.indexed_db() {
        Ok(Some(f)) => Ok(f),
        Ok(None) => Err(StoreError::Unavailable("IndexedDB is missing".into())),
        Err(e) => Err(StoreError::Unavailable(js_error(&e).to_string())),
    }
}

fn apply(op: &SchemaOp, db: &IdbDatabase, tx: &IdbTransaction) -> Result<(), JsValue> {
    match *op {
        SchemaOp::CreateStore { name, key_path } => {
            let params = IdbObjectStoreParameters::new();
            match key_path {
                [] => {}
                [one] => params.set_key_path(&JsValue::from_str(one)),
                many => params.set_key_path(&names(many)),
            }
            db.create_object_store_with_optional_parameters(name, &params)?;
        }
        SchemaOp::CreateIndex {
            store,
            name,
            key_path,
            unique,
            multi_entry,
        } => {
            let params = IdbIndexParameters::new();
            params.set_unique(unique);
            params.set_multi_entry(multi_entry);
            tx.object_store(store)?
                .create_index_with_str_and_optional_parameters(name, key_path, &params)?;
        }
        // Needs reads and writes: run by the upgrade handler after the steps.
        SchemaOp::FillLines | SchemaOp::FillDirectory => {}
    }
    Ok(())
}

impl IdbBackend {
    /// Opens (creating or upgrading as needed) the database `name`.
    pub async fn open(name: &str, hooks: Hooks) -> Result<Self, StoreError> {
        Self::open_version(name, schema::DB_VERSION, hooks).await
    }

    /// Opens the database at an older schema `version` (tests of upgrades).
    pub async fn open_version(name: &str, version: u32, hooks: Hooks) -> Result<Self, StoreError> {
        let open_req: IdbOpenDbRequest = factory()?
            .open_with_u32(name, version)
            .map_err(|e| js_error(&e))?;
        let upgrade_error: Rc<RefCell<Option<String>>> = Rc::default();
        let on_upgrade = {
            let req = open_req.clone();
            let upgrade_error = upgrade_error.clone();
            let hook = hooks.on_upgrade.clone();
            Closure::<dyn FnMut(IdbVersionChangeEvent)>::new(move |event: IdbVersionChangeEvent| {
                let old = event.old_version() as u32;
                if old > 0 {
                    if let Some(h) = &hook {
                        h();
                    }
                }
                let (Ok(db), Some(tx)) = (req.result(), req.transaction()) else {
                    return;
                };
                let db: IdbDatabase = db.unchecked_into();
                for op in schema::upgrade_ops(old, version) {
                    if let Err(e) = apply(op, &db, &tx) {
                        *upgrade_error.borrow_mut() = Some(format!("schema upgrade failed at {op:?}: {e:?}"));
                        let _ = tx.abort();
                        return;
                    }
                }
                let fill_lines = schema::upgrade_ops(old, version).any(|op| *op == SchemaOp::FillLines);
                let fill_directory =
                    schema::upgrade_ops(old, version).any(|op| *op == SchemaOp::FillDirectory);
                if fill_lines || fill_directory {
                    // Converts the stored records inside this upgrade
                    // transaction: it awaits only its own requests (the
                    // future starts in this event's microtasks, while the
                    // transaction is active), and the open request succeeds
                    // only once the transaction has committed.
                    let upgrade_error = upgrade_error.clone();
                    wasm_bindgen_futures::spawn_local(async move {
                        let work = IdbTx::upgrade(tx);
                        let filled = async {
                            if fill_lines {
                                super::lines::rebuild(&work)
                                    .await
                                    .map_err(|e| format!("filling the bundle lines: {e}"))?;
                            }
                            if fill_directory {
                                super::summary::ensure(&work)
                                    .await
                                    .map_err(|e| format!("building the directory: {e}"))?;
                            }
                            Ok::<(), String>(())
                        };
                        if let Err(e) = filled.await {
                            *upgrade_error.borrow_mut() = Some(format!("schema upgrade failed {e}"));
                            let _ = work.tx.abort();
                        }
                    });
                }
            })
        };
        let on_blocked = {
            let hook = hooks.on_blocked.clone();
            Closure::<dyn FnMut()>::new(move || {
                if let Some(h) = &hook {
                    h();
                }
            })
        };
        open_req.set_onupgradeneeded(Some(on_upgrade.as_ref().unchecked_ref()));
        open_req.set_onblocked(Some(on_blocked.as_ref().unchecked_ref()));
        let outcome = request(&open_req).await;
        open_req.set_onupgradeneeded(None);
        open_req.set_onblocked(None);
        if let Some(msg) = upgrade_error.borrow_mut().take() {
            return Err(StoreError::Backend(msg));
        }
        let db: IdbDatabase = outcome?.unchecked_into();

        let on_versionchange = {
            let db = db.clone();
            let hook = hooks.on_lost.clone();
            Closure::<dyn FnMut(IdbVersionChangeEvent)>::new(move |event: IdbVersionChangeEvent| {
                // Let the other tab upgrade or delete; this connection is done.
                db.close();
                if let Some(h) = &hook {
                    h(match event.new_version() {
                        Some(_) => StoreError::NewerVersion,
                        None => StoreError::Closed,
                    });
                }
            })
        };
        let on_close = {
            let hook = hooks.on_lost.clone();
            Closure::<dyn FnMut()>::new(move || {
                if let Some(h) = &hook {
                    h(StoreError::Closed);
                }
            })
        };
        db.set_onversionchange(Some(on_versionchange.as_ref().unchecked_ref()));
        db.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        Ok(Self {
            db,
            name: name.to_owned(),
            _on_versionchange: on_versionchange,
            _on_close: on_close,
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// Deletes a whole database (tests and "leave demo").
    pub async fn delete_database(name: &str) -> Result<(), StoreError> {
        let req = factory()?.delete_database(name).map_err(|e| js_error(&e))?;
        request(&req).await.map(|_| ())
    }
}

impl Drop for IdbBackend {
    fn drop(&mut self) {
        self.db.set_onversionchange(None);
        self.db.set_onclose(None);
        self.db.close();
    }
}

impl IdbTx {
    /// Puts an object made field by field (issued, not awaited, like `put`).
    fn put_fields<const N: usize>(
        &self,
        store: &'static str,
        fields: [(&str, JsValue); N],
    ) -> Result<(), StoreError> {
        let record = js_sys::Object::new();
        for (field, value) in fields {
            js_sys::Reflect::set(&record, &JsValue::from_str(field), &value).map_err(|e| js_error(&e))?;
        }
        self.store(store)?
            .put(&record)
            .map_err(|e| js_error(&e))
            .map(|_| ())
    }

    /// Issues `ask` for each item, awaits the last request (requests of a
    /// transaction finish in order), and gives every result as it is.
    async fn results<I>(
        items: &[I],
        ask: impl Fn(&I) -> Result<IdbRequest, JsValue>,
    ) -> Result<Vec<JsValue>, StoreError> {
        let mut requests = Vec::with_capacity(items.len());
        for item in items {
            requests.push(ask(item).map_err(|e| js_error(&e))?);
        }
        let Some(last) = requests.last() else {
            return Ok(Vec::new());
        };
        request(last).await?;
        requests
            .iter()
            .map(|r| r.result().map_err(|e| js_error(&e)))
            .collect()
    }

    /// [`Self::results`], every result read as JSON.
    async fn many<I, T: DeserializeOwned>(
        &self,
        store: &'static str,
        items: &[I],
        ask: impl Fn(&I) -> Result<IdbRequest, JsValue>,
    ) -> Result<Vec<Option<T>>, StoreError> {
        let results: js_sys::Array = Self::results(items, ask).await?.into_iter().collect();
        from_js(store, &results)
    }

    /// Every value of `store` in key order, in pages of `page` values: the
    /// next page is asked for before this one is handed to `each`, so the
    /// caller's work on a page overlaps IndexedDB's reading of the next.
    async fn each_value(
        &self,
        store: &'static str,
        page_size: u32,
        each: &mut dyn FnMut(JsValue) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let os = self.store(store)?;
        let mut req = os
            .get_all_with_key_and_limit(&JsValue::NULL, page_size)
            .map_err(|e| js_error(&e))?;
        loop {
            let page: js_sys::Array = request(&req).await?.unchecked_into();
            let n = page.length();
            let more = n == page_size;
            if more {
                let after =
                    web_sys::IdbKeyRange::lower_bound_with_open(&key_of(&os, &page.get(n - 1))?, true)
                        .map_err(|e| js_error(&e))?;
                req = os
                    .get_all_with_key_and_limit(&after, page_size)
                    .map_err(|e| js_error(&e))?;
            }
            for record in page.iter() {
                each(record)?;
            }
            if !more {
                return Ok(());
            }
        }
    }
}

impl super::Tx for IdbTx {
    async fn get<T: DeserializeOwned>(
        &self,
        store: &'static str,
        key: &Key,
    ) -> Result<Option<T>, StoreError> {
        let req = self.store(store)?.get(&key_js(key)).map_err(|e| js_error(&e))?;
        optional(request(&req).await?)
            .map(|v| from_js(store, &v))
            .transpose()
    }

    /// Reads the store in pages of [`READ_PAGE`] records (each page is
    /// turned into objects by the browser in one go: smaller pages, shorter
    /// pauses). The first page is asked for at the call, so several stores
    /// can be read at once.
    #[allow(clippy::manual_async_fn)]
    fn all<T: DeserializeOwned>(
        &self,
        store: &'static str,
    ) -> impl std::future::Future<Output = Result<Vec<T>, StoreError>> {
        let os = self.store(store);
        let first = os.clone().and_then(|s| {
            s.get_all_with_key_and_limit(&JsValue::NULL, READ_PAGE)
                .map_err(|e| js_error(&e))
        });
        let first = first.map(|req| request(&req));
        async move {
            let os = os?;
            let mut page = first?.await?;
            let mut out = Vec::new();
            loop {
                let array: js_sys::Array = page.unchecked_into();
                let n = array.length();
                let last = (n == READ_PAGE).then(|| array.get(n - 1));
                out.extend(from_js::<Vec<T>>(store, &array)?);
                let Some(last) = last else {
                    return Ok(out);
                };
                let after = web_sys::IdbKeyRange::lower_bound_with_open(&key_of(&os, &last)?, true)
                    .map_err(|e| js_error(&e))?;
                let req = os
                    .get_all_with_key_and_limit(&after, READ_PAGE)
                    .map_err(|e| js_error(&e))?;
                page = request(&req).await?;
            }
        }
    }

    /// Through [`Self::each_text`] (texts handed over as they are: no
    /// `JSON.stringify`, no escaping, no JSON parse).
    async fn texts(
        &self,
        store: &'static str,
        key: &'static str,
        text: &'static str,
    ) -> Result<Vec<(String, String)>, StoreError> {
        let mut out = Vec::new();
        self.each_text(store, key, text, &mut |k, t| out.push((k, t)))
            .await?;
        Ok(out)
    }

    /// In pages of [`EACH_PAGE`] values, the next page asked for before
    /// this one is handed over ([`IdbTx::each_value`]).
    async fn each_text(
        &self,
        store: &'static str,
        key: &'static str,
        text: &'static str,
        each: &mut dyn FnMut(String, String),
    ) -> Result<(), StoreError> {
        let (key_name, text_name) = (JsValue::from_str(key), JsValue::from_str(text));
        self.each_value(store, EACH_PAGE, &mut |record| {
            each(
                text_field(store, &record, &key_name, key)?,
                text_field(store, &record, &text_name, text)?,
            );
            Ok(())
        })
        .await
    }

    /// The gets are issued together and the last one awaited; each text
    /// is handed over as it is (no JSON).
    async fn texts_of(
        &self,
        store: &'static str,
        keys: &[Key],
        text: &'static str,
    ) -> Result<Vec<Option<String>>, StoreError> {
        let os = self.store(store)?;
        let name = JsValue::from_str(text);
        Self::results(keys, |k| os.get(&key_js(k)))
            .await?
            .into_iter()
            .map(|r| {
                optional(r)
                    .map(|record| text_field(store, &record, &name, text))
                    .transpose()
            })
            .collect()
    }

    /// Builds the object field by field, the text as its UTF-8 bytes (a
    /// `Uint8Array`): no JSON, and no JavaScript string. A string with a
    /// character outside Latin-1 (ș, ł, ő, an emoji) is kept by the browser
    /// as UTF-16, two bytes per character on disk and in every copy; the
    /// bytes are about half that for these texts, are read back as they
    /// were stored (a copy, no decoding), and cross into wasm in one copy
    /// (a string crosses through an encoder).
    fn put_text(
        &self,
        store: &'static str,
        key: (&'static str, &str),
        text: (&'static str, &str),
    ) -> Result<(), StoreError> {
        self.put_fields(
            store,
            [
                (key.0, JsValue::from_str(key.1)),
                (text.0, js_sys::Uint8Array::from(text.1.as_bytes()).into()),
            ],
        )
    }

    /// The text goes over as UTF-8 bytes (a `Uint8Array`: one copy out of
    /// wasm memory; IndexedDB clones bytes as they are).
    fn put_chunk(
        &self,
        store: &'static str,
        name: &str,
        chunk: &super::LineChunk,
        n: usize,
    ) -> Result<(), StoreError> {
        self.put_fields(
            store,
            [
                ("chunk", JsValue::from_str(name)),
                ("keys", JsValue::from_str(&chunk.keys)),
                ("text", js_sys::Uint8Array::from(chunk.text.as_bytes()).into()),
                ("n", JsValue::from_f64(n as f64)),
            ],
        )
    }

    /// The gets are issued together and the last one awaited.
    async fn chunks_of(
        &self,
        store: &'static str,
        names: &[Key],
    ) -> Result<Vec<Option<super::LineChunk>>, StoreError> {
        let os = self.store(store)?;
        let results = Self::results(names, |k| os.get(&key_js(k))).await?;
        let (keys_name, text_name) = (JsValue::from_str("keys"), JsValue::from_str("text"));
        let mut out = Vec::with_capacity(results.len());
        for r in results {
            let Some(record) = optional(r) else {
                out.push(None);
                continue;
            };
            let keys = js_sys::Reflect::get(&record, &keys_name)
                .ok()
                .and_then(|v| v.as_string());
            let text = js_sys::Reflect::get(&record, &text_name)
                .ok()
                .and_then(|v| v.dyn_into::<js_sys::Uint8Array>().ok());
            let (Some(keys), Some(text)) = (keys, text) else {
                out.push(None);
                continue;
            };
            let text = String::from_utf8(text.to_vec())
                .map_err(|_| corrupt(store, "a chunk of lines that is not UTF-8"))?;
            out.push(Some(super::LineChunk { keys, text }));
        }
        Ok(out)
    }

    /// In pages of [`PIECES_PAGE`] values ([`IdbTx::each_value`]); each text
    /// stays the `Uint8Array` IndexedDB made (nothing is copied into wasm
    /// memory).
    async fn pieces(&self, store: &'static str) -> Result<Vec<(String, usize, super::Piece)>, StoreError> {
        let names = ["chunk", "keys", "text", "n"].map(JsValue::from_str);
        let mut out = Vec::new();
        self.each_value(store, PIECES_PAGE, &mut |record| {
            let field = |i: usize| js_sys::Reflect::get(&record, &names[i]).unwrap_or(JsValue::UNDEFINED);
            if field(1).is_undefined() {
                return Ok(());
            }
            let (Some(name), Ok(text), Some(count)) = (
                field(0).as_string(),
                field(2).dyn_into::<js_sys::Uint8Array>(),
                field(3).as_f64(),
            ) else {
                return Err(corrupt(store, "a chunk without name, text or count"));
            };
            out.push((name, count as usize, super::Piece::Bytes(text)));
            Ok(())
        })
        .await?;
        Ok(out)
    }

    async fn by_index<T: DeserializeOwned>(
        &self,
        store: &'static str,
        index: &'static str,
        value: &str,
    ) -> Result<Vec<T>, StoreError> {
        let by = self.store(store)?.index(index).map_err(|e| js_error(&e))?;
        let req = by
            .get_all_with_key(&JsValue::from_str(value))
            .map_err(|e| js_error(&e))?;
        from_js(store, &request(&req).await?)
    }

    async fn exists(&self, store: &'static str, key: &Key) -> Result<bool, StoreError> {
        let req = self
            .store(store)?
            .count_with_key(&key_js(key))
            .map_err(|e| js_error(&e))?;
        Ok(request(&req).await?.as_f64().unwrap_or(0.0) > 0.0)
    }

    async fn any(&self, store: &'static str) -> Result<bool, StoreError> {
        // A key cursor on the first record, or none.
        let req = self.store(store)?.open_key_cursor().map_err(|e| js_error(&e))?;
        Ok(!request(&req).await?.is_null())
    }

    async fn key_by_index(
        &self,
        store: &'static str,
        index: &'static str,
        value: &str,
    ) -> Result<Option<String>, StoreError> {
        let by = self.store(store)?.index(index).map_err(|e| js_error(&e))?;
        let req = by.get_key(&JsValue::from_str(value)).map_err(|e| js_error(&e))?;
        Ok(optional(request(&req).await?).and_then(|v| v.as_string()))
    }

    /// In pages of [`KEYS_PAGE`] keys (shorter pauses for a big store).
    async fn keys(&self, store: &'static str) -> Result<Vec<Key>, StoreError> {
        let os = self.store(store)?;
        let mut range = JsValue::NULL;
        let mut out = Vec::new();
        loop {
            let req = os
                .get_all_keys_with_key_and_limit(&range, KEYS_PAGE)
                .map_err(|e| js_error(&e))?;
            let page: js_sys::Array = request(&req).await?.unchecked_into();
            let n = page.length();
            let keys: Vec<RawKey> = from_js(store, &page)?;
            out.extend(keys.into_iter().map(|k| match k {
                RawKey::One(one) => Key(vec![one]),
                RawKey::Many(many) => Key(many),
            }));
            if n < KEYS_PAGE {
                return Ok(out);
            }
            range = web_sys::IdbKeyRange::lower_bound_with_open(&page.get(n - 1), true)
                .map_err(|e| js_error(&e))?
                .into();
        }
    }

    async fn get_many<T: DeserializeOwned>(
        &self,
        store: &'static str,
        keys: &[Key],
    ) -> Result<Vec<Option<T>>, StoreError> {
        let os = self.store(store)?;
        self.many(store, keys, |k| os.get(&key_js(k))).await
    }

    async fn keys_by_index(
        &self,
        store: &'static str,
        index: &'static str,
        values: &[String],
    ) -> Result<Vec<Option<String>>, StoreError> {
        let by = self.store(store)?.index(index).map_err(|e| js_error(&e))?;
        self.many(store, values, |v| by.get_key(&JsValue::from_str(v)))
            .await
    }

    async fn by_index_many<T: DeserializeOwned>(
        &self,
        store: &'static str,
        index: &'static str,
        values: &[String],
    ) -> Result<Vec<Vec<T>>, StoreError> {
        let by = self.store(store)?.index(index).map_err(|e| js_error(&e))?;
        let found: Vec<Option<Vec<T>>> = self
            .many(store, values, |v| by.get_all_with_key(&JsValue::from_str(v)))
            .await?;
        Ok(found.into_iter().map(Option::unwrap_or_default).collect())
    }

    fn put<T: Serialize>(&self, store: &'static str, value: &T) -> Result<(), StoreError> {
        self.store(store)?
            .put(&to_js(value)?)
            .map_err(|e| js_error(&e))
            .map(|_| ())
    }

    fn put_many<T: Serialize>(&self, store: &'static str, values: &[T]) -> Result<(), StoreError> {
        let os = self.store(store)?;
        for batch in values.chunks(PUT_BATCH) {
            let array: js_sys::Array = to_js(batch)?.unchecked_into();
            for value in array.iter() {
                os.put(&value).map_err(|e| js_error(&e))?;
            }
        }
        Ok(())
    }

    fn delete(&self, store: &'static str, key: &Key) -> Result<(), StoreError> {
        self.store(store)?
            .delete(&key_js(key))
            .map_err(|e| js_error(&e))
            .map(|_| ())
    }

    fn delete_range(&self, store: &'static str, first: &Key, last: &Key) -> Result<(), StoreError> {
        let range = web_sys::IdbKeyRange::bound(&key_js(first), &key_js(last)).map_err(|e| js_error(&e))?;
        self.store(store)?
            .delete(&range)
            .map_err(|e| js_error(&e))
            .map(|_| ())
    }

    async fn settle(&self, store: &'static str) -> Result<(), StoreError> {
        // A request finishes after every request issued before it.
        let req = self
            .store(store)?
            .count_with_key(&JsValue::from_str(""))
            .map_err(|e| js_error(&e))?;
        request(&req).await.map(|_| ())
    }

    fn clear(&self, store: &'static str) -> Result<(), StoreError> {
        self.store(store)?.clear().map_err(|e| js_error(&e)).map(|_| ())
    }

    async fn commit(self) -> Result<(), StoreError> {
        self.finish().await
    }
}

/// A Web Lock held by this tab ([`Backend::try_lock`]): the browser keeps
/// it until the promise its callback returned settles, which dropping this
/// does (or until the tab goes away).
pub struct IdbHeld {
    release: js_sys::Function,
}

impl Drop for IdbHeld {
    fn drop(&mut self) {
        let _ = self.release.call0(&JsValue::UNDEFINED);
    }
}

/// How long [`try_web_lock`] waits for a lock someone holds: a lock this
/// tab has just let go of is released asynchronously, so the next import
/// or undo right after one would otherwise find it still held.
const LOCK_WAIT_MS: u32 = 1_000;

/// `navigator.locks.request(name, {signal: AbortSignal.timeout(..)},
/// callback)`, through `Reflect` (web-sys has the Web Locks API only behind
/// an unstable flag): the lock, or `Busy` when it is not granted within
/// [`LOCK_WAIT_MS`].
async fn try_web_lock(name: &str) -> Result<super::Lock<IdbHeld>, StoreError> {
    use super::Lock;
    use js_sys::{Function, Object, Promise, Reflect};
    let backend = |e: JsValue| js_error(&e);
    let key = JsValue::from_str;
    let Some(window) = web_sys::window() else {
        return Ok(Lock::Unsupported);
    };
    let locks = Reflect::get(&window.navigator(), &key("locks")).map_err(backend)?;
    let request = match Reflect::get(&locks, &key("request")) {
        Ok(f) if f.is_function() => Function::from(f),
        _ => return Ok(Lock::Unsupported),
    };
    let signal = Reflect::get(&window, &key("AbortSignal"))
        .and_then(|a| Ok((a.clone(), Reflect::get(&a, &key("timeout"))?)))
        .map_err(backend)?;
    let signal = match signal {
        (class, timeout) if timeout.is_function() => Function::from(timeout)
            .call1(&class, &JsValue::from(LOCK_WAIT_MS))
            .map_err(backend)?,
        _ => return Ok(Lock::Unsupported),
    };
    // The callback says the lock was granted, and keeps it by returning a
    // promise that only `release` settles; a request given up (the wait
    // is over) says it was not.
    let mut release = None;
    let kept = Promise::new(&mut |resolve, _| release = Some(resolve));
    let mut answer = None;
    let answered = Promise::new(&mut |resolve, _| answer = Some(resolve));
    let (Some(release), Some(answer)) = (release, answer) else {
        return Err(StoreError::Backend("a promise did not start".into()));
    };
    let refused = answer.clone();
    let callback = Closure::once_into_js(move |_lock: JsValue| -> JsValue {
        let _ = answer.call1(&JsValue::UNDEFINED, &JsValue::TRUE);
        kept.into()
    });
    let options = Object::new();
    Reflect::set(&options, &key("signal"), &signal).map_err(backend)?;
    let requested = request
        .call3(&locks, &key(name), &options, &callback)
        .map_err(backend)?;
    let on_refused = Closure::once_into_js(move |_e: JsValue| {
        let _ = refused.call1(&JsValue::UNDEFINED, &JsValue::FALSE);
    });
    let catch = Reflect::get(&requested, &key("catch")).map_err(backend)?;
    Function::from(catch)
        .call1(&requested, &on_refused)
        .map_err(backend)?;
    let granted = JsFuture::from(answered).await.map_err(backend)?;
    Ok(if granted.as_bool() == Some(true) {
        Lock::Held(IdbHeld { release })
    } else {
        Lock::Busy
    })
}

impl Backend for IdbBackend {
    type Tx<'a> = IdbTx;
    type Held = IdbHeld;

    /// A Web Lock named after the database and `name`.
    async fn try_lock(&self, name: &'static str) -> Result<super::Lock<IdbHeld>, StoreError> {
        try_web_lock(&format!("{}/{name}", self.name)).await
    }

    fn read(&self, stores: &[&'static str]) -> Result<IdbTx, StoreError> {
        IdbTx::read(&self.db, stores)
    }

    fn write(&self, stores: &[&'static str]) -> Result<IdbTx, StoreError> {
        IdbTx::write(&self.db, stores)
    }
}

/// The repository over IndexedDB: the app's store.
pub type IdbStore = super::Repo<IdbBackend>;

impl IdbStore {
    /// Opens (creating or upgrading as needed) the database `name`.
    pub async fn open(name: &str, hooks: Hooks) -> Result<Self, StoreError> {
        Ok(super::Repo::new(IdbBackend::open(name, hooks).await?))
    }

    pub fn name(&self) -> &str {
        self.backend().name()
    }

    /// Deletes a whole database (tests and "leave demo").
    pub async fn delete_database(name: &str) -> Result<(), StoreError> {
        IdbBackend::delete_database(name).await
    }
}
