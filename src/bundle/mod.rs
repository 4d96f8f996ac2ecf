//! JSON bundles: the file format that moves a practice's data between
//! devices (`docs/bundle-format.md`). Pure: no web crate, no storage.
//!
//! - [`write`] makes the canonical file: records sorted by id, fields in the
//!   order of the wire types in `dto.rs`, so the same data always gives the
//!   same bytes.
//! - [`read`] refuses oversized files and nesting bombs before parsing,
//!   checks the envelope (format, version; older versions are upgraded step
//!   by step), then reads and validates **every** record, collecting every
//!   problem with its path (`contacts[7342].emails[0]: ...`). Only a file
//!   without a single problem becomes [`Contents`].

pub mod convert;
pub mod csv;
pub mod dto;
pub mod fixtures;
pub mod matching;
pub mod merge;
mod path;
pub mod read;
mod scan;
pub mod vcard;
pub mod write;

pub use read::{read, ReadError, Reader, Stage, FORMAT};
pub use write::{write, Writer};

use crate::domain::catalog::CatalogItem;
use crate::domain::history::HistoryEntry;
use crate::domain::note::Note;
use crate::domain::{Account, Contact, Link, Timestamp};

/// The version this Clientbook writes and the newest it reads.
pub const VERSION: u32 = 1;
/// Files larger than this are refused before parsing (a practice with
/// 100,000 contacts and 50,000 accounts writes about 130 MB).
pub const MAX_BYTES: usize = 256 * 1024 * 1024;
/// Deepest nesting of arrays and objects accepted (a version 1 bundle needs 5).
pub const MAX_DEPTH: usize = 16;
/// At most this many problems are listed (then "and N more").
pub const MAX_PROBLEMS: usize = 200;
/// Upgrades, one per older version: `UPGRADES[i]` turns a version `i + 1`
/// file into a version `i + 2` file. Empty while version 1 is the only one.
const UPGRADES: &[fn(&mut serde_json::Map<String, serde_json::Value>)] = &[];

/// The canonical order of catalog items: by kind, then id.
fn kind(i: &CatalogItem) -> u8 {
    match i {
        CatalogItem::Tag(_) => 0,
        CatalogItem::Member(_) => 1,
        CatalogItem::Role(_) => 2,
        CatalogItem::Field(_) => 3,
        CatalogItem::Template(_) => 4,
    }
}

/// What a bundle holds, as domain values.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Contents {
    pub catalog: Vec<CatalogItem>,
    pub accounts: Vec<Account>,
    pub contacts: Vec<Contact>,
    pub links: Vec<Link>,
    pub notes: Vec<Note>,
    pub history: Vec<HistoryEntry>,
}

impl Contents {
    /// Moves every record of `more` to the end of its list here.
    pub fn append(&mut self, mut more: Contents) {
        self.catalog.append(&mut more.catalog);
        self.accounts.append(&mut more.accounts);
        self.contacts.append(&mut more.contacts);
        self.links.append(&mut more.links);
        self.notes.append(&mut more.notes);
        self.history.append(&mut more.history);
    }

    /// How many records it holds.
    pub fn len(&self) -> usize {
        self.catalog.len()
            + self.accounts.len()
            + self.contacts.len()
            + self.links.len()
            + self.notes.len()
            + self.history.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether every list is in the canonical order (see [`Contents::sort`]).
    pub fn is_sorted(&self) -> bool {
        self.catalog
            .windows(2)
            .all(|w| (kind(&w[0]), w[0].id()) <= (kind(&w[1]), w[1].id()))
            && self.accounts.windows(2).all(|w| w[0].id <= w[1].id)
            && self.contacts.windows(2).all(|w| w[0].id <= w[1].id)
            && self
                .links
                .windows(2)
                .all(|w| (&w[0].account_id, &w[0].contact_id) <= (&w[1].account_id, &w[1].contact_id))
            && self.notes.windows(2).all(|w| w[0].id <= w[1].id)
            && self.history.windows(2).all(|w| w[0].id <= w[1].id)
    }

    /// Sorts every list by id (links by account then contact): the canonical order.
    pub fn sort(&mut self) {
        use crate::domain::sort::sort_by;
        sort_by(&mut self.catalog, |a, b| {
            (kind(a), a.id()).cmp(&(kind(b), b.id()))
        });
        sort_by(&mut self.accounts, |a, b| a.id.cmp(&b.id));
        sort_by(&mut self.contacts, |a, b| a.id.cmp(&b.id));
        sort_by(&mut self.links, |a, b| {
            (&a.account_id, &a.contact_id).cmp(&(&b.account_id, &b.contact_id))
        });
        sort_by(&mut self.notes, |a, b| a.id.cmp(&b.id));
        sort_by(&mut self.history, |a, b| a.id.cmp(&b.id));
    }
}

/// A generated demo practice as bundle contents (same six lists).
impl From<crate::domain::demo::Practice> for Contents {
    fn from(p: crate::domain::demo::Practice) -> Self {
        Contents {
            catalog: p.catalog,
            accounts: p.accounts,
            contacts: p.contacts,
            links: p.links,
            notes: p.notes,
            history: p.history,
        }
    }
}

/// Who wrote the file and when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Meta {
    pub exported_at: Timestamp,
    pub app_version: String,
}

#[cfg(test)]
mod tests;
