//! The IndexedDB schema in one place: database name, version, object stores,
//! indexes, and the cumulative steps that take a database from any older
//! version to the current one. Pure data, so it is checked natively.
//!
//! To change the schema: append a step to [`STEPS`] (never edit a shipped
//! one); [`DB_VERSION`] follows from its length.

/// Name of the practitioner's database.
pub const DB_NAME: &str = "clientbook";
/// Name of the demo practice's database (Settings → "Load demo practice"):
/// same schema, never the practitioner's data.
pub const DEMO_DB_NAME: &str = "clientbook-demo";

pub const ACCOUNTS: &str = "accounts";
pub const CONTACTS: &str = "contacts";
pub const LINKS: &str = "links";
pub const META: &str = "meta";
pub const CATALOG: &str = "catalog";
pub const NOTES: &str = "notes";
pub const HISTORY: &str = "history";
pub const PHOTOS: &str = "photos";
/// Contacts' photos, keyed by `contact_id` (apart from account photos:
/// a contact and an account could be given the same id by a file).
pub const CONTACT_PHOTOS: &str = "contact_photos";
/// The directory: every account, contact and link as compact text, in a
/// few large values (see `store::summary`).
pub const SUMMARY: &str = "summary";
/// Every account, contact, link, note and history entry as its bundle line,
/// in a few hundred large values (see `store::lines`): what "Export
/// everything" reads.
pub const LINES: &str = "lines";

/// The `meta` record that marks an import written in stages, from its
/// first transaction to its last (see `Repo::import_run`): while it is
/// there, no other change may write accounts, contacts or links.
pub const STAGED_IMPORT: &str = "staged_import";
/// The lock (shared by the tabs of the origin, named after the database
/// too) an import holds from before it reads until it has written.
pub const IMPORT_LOCK: &str = "import";

/// Accounts by normalised name (sort order of the clients list).
pub const ACCOUNTS_BY_NAME: &str = "by_name";
/// Contacts by every lower-cased email (unique, multi-entry).
pub const CONTACTS_BY_EMAIL: &str = "by_email";
/// Contacts by normalised "last first middle".
pub const CONTACTS_BY_NAME: &str = "by_name";
pub const LINKS_BY_ACCOUNT: &str = "by_account";
pub const LINKS_BY_CONTACT: &str = "by_contact";
pub const NOTES_BY_ACCOUNT: &str = "by_account";
pub const HISTORY_BY_ACCOUNT: &str = "by_account";

/// Record fields the indexes read (written by the store next to the domain fields).
pub const FIELD_NAME_KEY: &str = "name_key";
pub const FIELD_EMAIL_KEYS: &str = "email_keys";

/// One schema change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SchemaOp {
    /// A new object store, keyed by the record's `key_path` fields (one
    /// field: a string key; several: an array key).
    CreateStore {
        name: &'static str,
        key_path: &'static [&'static str],
    },
    /// A new index on an existing (or just created) store.
    CreateIndex {
        store: &'static str,
        name: &'static str,
        key_path: &'static str,
        unique: bool,
        multi_entry: bool,
    },
    /// Fills the `lines` store from the records already stored (inside the
    /// upgrade, after the steps' stores exist); in a new database, only its
    /// format marker.
    FillLines,
    /// Makes the directory current (`store::summary`): in a new database an
    /// empty one, so the first import keeps it in step instead of leaving
    /// every record to be read again at the next start; a database that has
    /// none (never opened on the Clients page) gets it built from its records.
    FillDirectory,
}

/// `STEPS[n]` takes a database from version `n` to version `n + 1`.
pub const STEPS: &[&[SchemaOp]] = &[
    // Version 1: accounts, contacts, the links between them, and app metadata.
    &[
        SchemaOp::CreateStore {
            name: ACCOUNTS,
            key_path: &["id"],
        },
        SchemaOp::CreateIndex {
            store: ACCOUNTS,
            name: ACCOUNTS_BY_NAME,
            key_path: FIELD_NAME_KEY,
            unique: false,
            multi_entry: false,
        },
        SchemaOp::CreateStore {
            name: CONTACTS,
            key_path: &["id"],
        },
        SchemaOp::CreateIndex {
            store: CONTACTS,
            name: CONTACTS_BY_EMAIL,
            key_path: FIELD_EMAIL_KEYS,
            unique: true,
            multi_entry: true,
        },
        SchemaOp::CreateIndex {
            store: CONTACTS,
            name: CONTACTS_BY_NAME,
            key_path: FIELD_NAME_KEY,
            unique: false,
            multi_entry: false,
        },
        SchemaOp::CreateStore {
            name: LINKS,
            key_path: &["account_id", "contact_id"],
        },
        SchemaOp::CreateIndex {
            store: LINKS,
            name: LINKS_BY_ACCOUNT,
            key_path: "account_id",
            unique: false,
            multi_entry: false,
        },
        SchemaOp::CreateIndex {
            store: LINKS,
            name: LINKS_BY_CONTACT,
            key_path: "contact_id",
            unique: false,
            multi_entry: false,
        },
        SchemaOp::CreateStore {
            name: META,
            key_path: &["key"],
        },
    ],
    // Version 2: the practice's lists (tags, team, roles, custom fields,
    // folder templates), notes, history of changes, account photos.
    &[
        SchemaOp::CreateStore {
            name: CATALOG,
            key_path: &["id"],
        },
        SchemaOp::CreateStore {
            name: NOTES,
            key_path: &["id"],
        },
        SchemaOp::CreateIndex {
            store: NOTES,
            name: NOTES_BY_ACCOUNT,
            key_path: "account_id",
            unique: false,
            multi_entry: false,
        },
        SchemaOp::CreateStore {
            name: HISTORY,
            key_path: &["id"],
        },
        SchemaOp::CreateIndex {
            store: HISTORY,
            name: HISTORY_BY_ACCOUNT,
            key_path: "account_id",
            unique: false,
            multi_entry: false,
        },
        SchemaOp::CreateStore {
            name: PHOTOS,
            key_path: &["account_id"],
        },
    ],
    // Version 3: the directory the lists and the search start from.
    &[SchemaOp::CreateStore {
        name: SUMMARY,
        key_path: &["chunk"],
    }],
    // Version 4: contact photos.
    &[SchemaOp::CreateStore {
        name: CONTACT_PHOTOS,
        key_path: &["contact_id"],
    }],
    // Version 5: the records' bundle lines, filled from what is stored;
    // the directory current from here on, even in a new database.
    &[
        SchemaOp::CreateStore {
            name: LINES,
            key_path: &["chunk"],
        },
        SchemaOp::FillLines,
        SchemaOp::FillDirectory,
    ],
];

/// The schema version this build of Clientbook reads and writes.
pub const DB_VERSION: u32 = STEPS.len() as u32;

/// The operations that upgrade a database from version `old` to `new`, in order.
pub fn upgrade_ops(old: u32, new: u32) -> impl Iterator<Item = &'static SchemaOp> {
    STEPS
        .iter()
        .take(new as usize)
        .skip(old as usize)
        .flat_map(|step| step.iter())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_matches_steps() {
        assert_eq!(DB_VERSION, 5);
        assert_eq!(
            upgrade_ops(0, DB_VERSION).count(),
            STEPS.iter().map(|s| s.len()).sum::<usize>()
        );
        assert_eq!(upgrade_ops(4, 5).count(), 3);
        assert_eq!(upgrade_ops(3, 5).count(), 4, "cumulative");
        assert_eq!(upgrade_ops(2, 3).count(), 1);
        assert_eq!(upgrade_ops(3, 4).count(), 1);
        assert_eq!(upgrade_ops(2, 4).count(), 2, "cumulative");
        assert_eq!(upgrade_ops(1, 2).count(), STEPS[1].len());
        assert_eq!(upgrade_ops(0, 1).count(), STEPS[0].len());
        assert_eq!(upgrade_ops(DB_VERSION, DB_VERSION).count(), 0);
    }

    #[test]
    fn every_index_is_on_a_store_created_no_later() {
        let mut stores: Vec<&str> = Vec::new();
        for op in upgrade_ops(0, DB_VERSION) {
            match op {
                SchemaOp::CreateStore { name, .. } => {
                    assert!(!stores.contains(name), "store {name} created twice");
                    stores.push(name);
                }
                SchemaOp::CreateIndex { store, name, .. } => {
                    assert!(stores.contains(store), "index {name} on unknown store {store}");
                }
                SchemaOp::FillLines => {
                    for st in [LINES, ACCOUNTS, CONTACTS, LINKS, NOTES, HISTORY] {
                        assert!(stores.contains(&st), "lines filled before {st} exists");
                    }
                }
                SchemaOp::FillDirectory => {
                    for st in [SUMMARY, ACCOUNTS, CONTACTS, LINKS] {
                        assert!(stores.contains(&st), "directory filled before {st} exists");
                    }
                }
            }
        }
    }
}
