//! The IndexedDB store in headless Chromium: the shared store contract, plus
//! what only a real browser database has (persistence across connections,
//! schema versions, other tabs). Each test uses a fresh, uniquely named
//! database and deletes it afterwards.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test crate: a panic is a failed test

use clientbook::domain::ids::SeededIds;
use clientbook::domain::new_account::ContactDraft;
use clientbook::domain::{AccountType, NewAccountDraft, NewContactDraft, Timestamp};
use clientbook::store::idb::{Hooks, IdbStore};
use clientbook::store::{schema, StoreError};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

fn unique_name() -> String {
    format!(
        "clientbook-test-{}-{}",
        js_sys::Date::now() as u64,
        (js_sys::Math::random() * 1e12) as u64
    )
}

/// A fresh database that is deleted when the test's store is dropped.
struct Fresh(Option<IdbStore>);

impl std::ops::Deref for Fresh {
    type Target = IdbStore;
    fn deref(&self) -> &IdbStore {
        self.0.as_ref().expect("store is open")
    }
}

impl Drop for Fresh {
    fn drop(&mut self) {
        if let Some(store) = self.0.take() {
            let name = store.name().to_owned();
            drop(store);
            wasm_bindgen_futures::spawn_local(async move {
                let _ = IdbStore::delete_database(&name).await;
            });
        }
    }
}

async fn fresh() -> Fresh {
    Fresh(Some(
        IdbStore::open(&unique_name(), Hooks::default())
            .await
            .expect("open a fresh database"),
    ))
}

mod contract {
    use super::*;
    clientbook::store_contract_tests!(wasm, fresh().await);
}

fn sample(seed: u64) -> clientbook::domain::NewAccount {
    NewAccountDraft {
        kind: AccountType::Company,
        name: String::new(),
        company_name: "Müller GmbH".into(),
        tags: Vec::new(),
        folder_template: None,
        custom: Default::default(),
        contacts: vec![ContactDraft::New(NewContactDraft {
            first_name: "Jörg".into(),
            last_name: "Müller".into(),
            email: format!("joerg{seed}@example.de"),
            ..Default::default()
        })],
    }
    .build(&mut SeededIds::new(seed), Timestamp(1_795_305_600_000))
    .expect("valid sample")
}

#[wasm_bindgen_test]
async fn data_survives_closing_and_reopening() {
    let name = unique_name();
    let new = sample(1);
    {
        let store = IdbStore::open(&name, Hooks::default()).await.expect("open");
        store.create_account(&new, &[]).await.expect("create");
    }
    let store = IdbStore::open(&name, Hooks::default()).await.expect("reopen");
    assert_eq!(
        store.accounts().await.expect("accounts"),
        vec![new.account.clone()]
    );
    assert_eq!(
        store
            .account_contacts(&new.account.id)
            .await
            .expect("contacts")
            .len(),
        1
    );
    drop(store);
    IdbStore::delete_database(&name).await.expect("delete");
}

#[wasm_bindgen_test]
async fn fresh_database_has_the_current_schema() {
    let store = fresh().await;
    let db = raw_open(store.name(), None).await.expect("raw open");
    assert_eq!(db.version() as u32, schema::DB_VERSION);
    let names = db.object_store_names();
    for s in [
        schema::ACCOUNTS,
        schema::CONTACTS,
        schema::LINKS,
        schema::META,
        schema::SUMMARY,
        schema::PHOTOS,
        schema::CONTACT_PHOTOS,
    ] {
        assert!(names.contains(s), "missing store {s}");
    }
    db.close();
}

#[wasm_bindgen_test]
async fn a_database_from_a_newer_version_is_refused_clearly() {
    let name = unique_name();
    let db = raw_open(&name, Some(schema::DB_VERSION + 1))
        .await
        .expect("create newer");
    db.close();
    match IdbStore::open(&name, Hooks::default()).await {
        Err(StoreError::NewerVersion) => {}
        Err(other) => panic!("expected NewerVersion, got {other:?}"),
        Ok(_) => panic!("expected NewerVersion, got an open store"),
    }
    IdbStore::delete_database(&name).await.expect("delete");
}

#[wasm_bindgen_test]
async fn an_upgrade_in_another_tab_closes_this_connection_instead_of_blocking() {
    let lost: Rc<RefCell<Vec<StoreError>>> = Rc::default();
    let name = unique_name();
    let hooks = Hooks {
        on_blocked: None,
        on_upgrade: None,
        on_lost: Some({
            let lost = lost.clone();
            Rc::new(move |e| lost.borrow_mut().push(e))
        }),
    };
    let store = IdbStore::open(&name, hooks).await.expect("open");
    // "Another tab" opens a newer version: it must not be blocked.
    let newer = raw_open(&name, Some(schema::DB_VERSION + 1))
        .await
        .expect("newer version opens");
    assert_eq!(lost.borrow().as_slice(), &[StoreError::NewerVersion]);
    newer.close();
    // Our connection is closed: using it says so instead of hanging.
    assert_eq!(store.accounts().await, Err(StoreError::Closed));
    drop(store);
    IdbStore::delete_database(&name).await.expect("delete");
}

#[wasm_bindgen_test]
async fn a_version_1_database_is_upgraded_in_place_and_keeps_its_data() {
    use clientbook::store::idb::IdbBackend;
    use clientbook::store::{Backend, Tx};
    let name = unique_name();
    {
        let v1 = IdbBackend::open_version(&name, 1, Hooks::default())
            .await
            .expect("open v1");
        let tx = v1.write(&[schema::ACCOUNTS]).expect("tx");
        // An account as version 1 stored it: none of the later fields.
        let old = serde_json::json!({
            "id": "0123456789abcdef0123456789abcdef",
            "name": "Old Ltd",
            "type": "Company",
            "company_name": "Old Ltd",
            "created_at": 1,
            "updated_at": 1,
            "name_key": "old ltd"
        });
        tx.put(schema::ACCOUNTS, &old).expect("put");
        tx.commit().await.expect("commit");
    }
    let store = IdbStore::open(&name, Hooks::default())
        .await
        .expect("upgrade to current");
    let accounts = store.accounts().await.expect("accounts");
    assert_eq!(accounts.len(), 1);
    assert_eq!(accounts[0].name, "Old Ltd");
    assert!(accounts[0].tags.is_empty() && !accounts[0].has_photo);
    // The stores of later versions exist and work.
    assert!(store.catalog().await.expect("catalog").tags.is_empty());
    assert!(store.notes(&accounts[0].id).await.expect("notes").is_empty());
    // The directory (version 3) is built from the records it finds.
    let dir = store.directory().await.expect("directory");
    assert_eq!(dir.account_count(), 1);
    assert_eq!(dir.account_name(0), "Old Ltd");
    assert_eq!(dir.account_key(0), "old ltd");
    drop(store);
    IdbStore::delete_database(&name).await.expect("delete");
}

#[wasm_bindgen_test]
async fn a_version_3_database_gets_the_contact_photos_store_and_keeps_its_contacts() {
    use clientbook::store::idb::IdbBackend;
    use clientbook::store::{Backend, Tx};
    let name = unique_name();
    {
        let v3 = IdbBackend::open_version(&name, 3, Hooks::default())
            .await
            .expect("open v3");
        assert!(
            v3.write(&[schema::CONTACT_PHOTOS]).is_err(),
            "no such store in version 3"
        );
        let tx = v3.write(&[schema::CONTACTS]).expect("tx");
        let old = serde_json::json!({
            "id": "0123456789abcdef0123456789abcdef",
            "first_name": "Ana",
            "last_name": "Pop",
            "emails": ["ana@x.io"],
            "created_at": 1,
            "updated_at": 1,
            "name_key": "pop ana",
            "email_keys": ["ana@x.io"]
        });
        tx.put(schema::CONTACTS, &old).expect("put");
        tx.commit().await.expect("commit");
    }
    let store = IdbStore::open(&name, Hooks::default())
        .await
        .expect("upgrade to current");
    let ana = clientbook::domain::ContactId::parse("0123456789abcdef0123456789abcdef").expect("id");
    assert_eq!(
        store.contact(&ana).await.expect("contact").map(|c| c.first_name),
        Some("Ana".to_owned())
    );
    assert_eq!(store.contact_photo(&ana).await.expect("no photo"), None);
    let data = "data:image/png;base64,iVBORw0KGgo=";
    store
        .set_contact_photo(&ana, Some(data), &[])
        .await
        .expect("photo");
    assert_eq!(
        store.contact_photo(&ana).await.expect("photo").as_deref(),
        Some(data)
    );
    drop(store);
    IdbStore::delete_database(&name).await.expect("delete");
}

#[wasm_bindgen_test]
async fn a_version_4_database_gets_its_bundle_lines_in_the_upgrade_and_reads_back_the_same() {
    use clientbook::bundle::{self, Meta};
    use clientbook::store::idb::IdbBackend;
    use clientbook::store::{Backend, Tx};
    let name = unique_name();
    let mut sample = bundle::fixtures::sample(40, 17);
    sample.accounts[2].name = "Zoë \"Ünïcode\" <i>".into();
    sample.sort();
    {
        let v4 = IdbBackend::open_version(&name, 4, Hooks::default())
            .await
            .expect("open v4");
        assert!(v4.write(&[schema::LINES]).is_err(), "no such store in version 4");
        let tx = v4
            .write(&[
                schema::CATALOG,
                schema::ACCOUNTS,
                schema::CONTACTS,
                schema::LINKS,
                schema::NOTES,
                schema::HISTORY,
            ])
            .expect("tx");
        // Records as version 4 stored them: the domain values plus the
        // fields the indexes read.
        let with = |v: serde_json::Value, extra: &[(&str, serde_json::Value)]| {
            let mut v = v;
            for (k, x) in extra {
                v[*k] = x.clone();
            }
            v
        };
        for item in &sample.catalog {
            tx.put(schema::CATALOG, item).expect("put");
        }
        for a in &sample.accounts {
            let key = clientbook::domain::search::normalize(&a.name);
            let v = with(
                serde_json::to_value(a).expect("json"),
                &[("name_key", key.into())],
            );
            tx.put(schema::ACCOUNTS, &v).expect("put");
        }
        for c in &sample.contacts {
            let v = with(
                serde_json::to_value(c).expect("json"),
                &[
                    ("name_key", c.sort_key().into()),
                    ("email_keys", c.email_keys().into()),
                ],
            );
            tx.put(schema::CONTACTS, &v).expect("put");
        }
        tx.put_many(schema::LINKS, &sample.links).expect("put");
        tx.put_many(schema::NOTES, &sample.notes).expect("put");
        tx.put_many(schema::HISTORY, &sample.history).expect("put");
        tx.commit().await.expect("commit");
    }
    // The page is told that an existing database is being updated (it says
    // so instead of "Opening"); a new database, or one already current, is not.
    let upgrades = Rc::new(std::cell::Cell::new(0));
    let counting = || Hooks {
        on_upgrade: Some({
            let upgrades = upgrades.clone();
            Rc::new(move || upgrades.set(upgrades.get() + 1))
        }),
        ..Hooks::default()
    };
    let store = IdbStore::open(&name, counting())
        .await
        .expect("upgrade to current");
    assert_eq!(
        upgrades.get(),
        1,
        "the update of a version 4 database is announced once"
    );
    let again = IdbStore::open(&name, counting()).await.expect("open again");
    drop(again);
    let new_name = unique_name();
    let new = IdbStore::open(&new_name, counting()).await.expect("new database");
    drop(new);
    IdbStore::delete_database(&new_name).await.expect("delete");
    assert_eq!(
        upgrades.get(),
        1,
        "opening a current or a new database is no update"
    );
    // Every record reads back as it was.
    let read = store.export().await.expect("export");
    let meta = Meta {
        exported_at: Timestamp(1),
        app_version: "t".into(),
    };
    let expected = bundle::write(&sample, &meta);
    assert_eq!(bundle::write(&read, &meta), expected);
    // The upgrade filled the lines (nothing left to rebuild), and they write
    // the same file.
    let (catalog, lists) = store
        .stored_lines()
        .await
        .expect("read lines")
        .expect("filled by the upgrade");
    assert_eq!(lists.counts[0], 40);
    assert!(lists.lists[1]
        .iter()
        .all(|p| matches!(p, clientbook::store::Piece::Bytes(_))));
    assert_eq!(lists.write(&catalog, &meta), expected);
    // A write after the upgrade keeps them in step.
    let mut after = read.accounts[0].clone();
    after.name = "Renamed".into();
    store
        .update_account(&read.accounts[0], &after, &[])
        .await
        .expect("update");
    let (catalog, lists) = store.stored_lines().await.expect("lines").expect("kept");
    let now = bundle::write(&store.export().await.expect("export"), &meta);
    assert_eq!(lists.write(&catalog, &meta), now);
    assert!(now.contains("\"name\":\"Renamed\""));
    drop(store);
    IdbStore::delete_database(&name).await.expect("delete");
}

/// Opens a database with the plain API, as another tab or another version would.
async fn raw_open(name: &str, version: Option<u32>) -> Result<web_sys::IdbDatabase, wasm_bindgen::JsValue> {
    let factory = web_sys::window()
        .expect("window")
        .indexed_db()?
        .expect("indexedDB");
    let req = match version {
        Some(v) => factory.open_with_u32(name, v)?,
        None => factory.open(name)?,
    };
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        req.set_onsuccess(Some(&resolve));
        req.set_onerror(Some(&reject));
    });
    wasm_bindgen_futures::JsFuture::from(promise).await?;
    Ok(req.result()?.unchecked_into())
}

/// Records cross into JavaScript as JSON text (one `JSON.parse` per batch
/// on writes, one `JSON.stringify` per page on reads). This checks that the
/// objects are exactly those `serde-wasm-bindgen` (the previous way) made,
/// so stored records keep their shape, and logs what each way costs for
/// 10,000 contacts, the best of three rounds (README.md, "Performance
/// notes"; no time is asserted).
#[wasm_bindgen_test]
async fn records_cross_to_javascript_the_same_whichever_way() {
    use serde::Serialize;
    use wasm_bindgen::JsValue;
    let now = || {
        web_sys::window()
            .and_then(|w| w.performance())
            .map_or(0.0, |p| p.now())
    };
    let contacts = clientbook::bundle::fixtures::sample(10_000, 8).contacts;
    let by_fields = || -> Vec<JsValue> {
        contacts
            .iter()
            .map(|c| {
                c.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
                    .expect("to js")
            })
            .collect()
    };
    let one_by_one = || -> Vec<JsValue> {
        contacts
            .iter()
            .map(|c| js_sys::JSON::parse(&serde_json::to_string(c).expect("json")).expect("parse"))
            .collect()
    };
    let batched = || -> Vec<JsValue> {
        let mut out = Vec::new();
        for batch in contacts.chunks(256) {
            let array: js_sys::Array = js_sys::JSON::parse(&serde_json::to_string(batch).expect("json"))
                .expect("parse")
                .unchecked_into();
            out.extend(array.iter());
        }
        out
    };
    let text = |v: &JsValue| String::from(js_sys::JSON::stringify(v).expect("stringify"));
    let (a, b, c) = (by_fields(), one_by_one(), batched());
    for i in 0..contacts.len() {
        assert_eq!(text(&a[i]), text(&b[i]));
        assert_eq!(text(&a[i]), text(&c[i]));
    }
    let all: js_sys::Array = c.iter().collect();
    let read_by_fields = || -> Vec<clientbook::domain::Contact> {
        all.iter()
            .map(|v| serde_wasm_bindgen::from_value(v).expect("from js"))
            .collect()
    };
    let read_as_text = || -> Vec<clientbook::domain::Contact> {
        serde_json::from_str(&text(&all.clone().into())).expect("from json")
    };
    assert_eq!(read_by_fields(), contacts);
    assert_eq!(read_as_text(), contacts);
    let mut best = [f64::MAX; 5];
    for _ in 0..3 {
        let t = now();
        drop(by_fields());
        best[0] = best[0].min(now() - t);
        let t = now();
        drop(one_by_one());
        best[1] = best[1].min(now() - t);
        let t = now();
        drop(batched());
        best[2] = best[2].min(now() - t);
        let t = now();
        drop(read_by_fields());
        best[3] = best[3].min(now() - t);
        let t = now();
        drop(read_as_text());
        best[4] = best[4].min(now() - t);
    }
    web_sys::console::log_1(
        &format!(
            "10,000 contacts to JS: field by field {:.0} ms, JSON.parse each {:.0} ms, JSON.parse per 256 {:.0} ms; \
             back: field by field {:.0} ms, one JSON.stringify {:.0} ms",
            best[0], best[1], best[2], best[3], best[4]
        )
        .into(),
    );
}
