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
pub mod merge;
pub mod vcard;

use crate::domain::catalog::{CatalogItem, FieldTarget, TeamRole};
use crate::domain::history::HistoryEntry;
use crate::domain::note::Note;
use crate::domain::{Account, Contact, Link, Timestamp, ValidationErrors};
use dto::*;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};

pub const FORMAT: &str = "clientbook-bundle";
/// The version this Clientbook writes and the newest it reads.
pub const VERSION: u32 = 1;
/// Files larger than this are refused before parsing.
pub const MAX_BYTES: usize = 64 * 1024 * 1024;
/// Deepest nesting of arrays and objects accepted (a version 1 bundle needs 5).
pub const MAX_DEPTH: usize = 16;
/// At most this many problems are listed (then "and N more").
pub const MAX_PROBLEMS: usize = 200;
/// Upgrades, one per older version: `UPGRADES[i]` turns a version `i + 1`
/// file into a version `i + 2` file. Empty while version 1 is the only one.
const UPGRADES: &[fn(&mut serde_json::Map<String, Value>)] = &[];

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
    /// Sorts every list by id (links by account then contact): the canonical order.
    pub fn sort(&mut self) {
        fn kind(i: &CatalogItem) -> u8 {
            match i {
                CatalogItem::Tag(_) => 0,
                CatalogItem::Member(_) => 1,
                CatalogItem::Role(_) => 2,
                CatalogItem::Field(_) => 3,
                CatalogItem::Template(_) => 4,
            }
        }
        self.catalog
            .sort_by(|a, b| (kind(a), a.id()).cmp(&(kind(b), b.id())));
        self.accounts.sort_by(|a, b| a.id.cmp(&b.id));
        self.contacts.sort_by(|a, b| a.id.cmp(&b.id));
        self.links
            .sort_by(|a, b| (&a.account_id, &a.contact_id).cmp(&(&b.account_id, &b.contact_id)));
        self.notes.sort_by(|a, b| a.id.cmp(&b.id));
        self.history.sort_by(|a, b| a.id.cmp(&b.id));
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

/// The canonical bundle text for `contents` (sorted here; pretty-printed
/// with two spaces and a final newline).
pub fn write(contents: &Contents, meta: &Meta) -> String {
    let mut c = contents.clone();
    c.sort();
    let out = BundleOut {
        format: FORMAT,
        version: VERSION,
        exported_at: meta.exported_at.0,
        app_version: &meta.app_version,
        catalog: convert::catalog_dto(&c.catalog),
        accounts: c.accounts.iter().map(Into::into).collect(),
        contacts: c.contacts.iter().map(Into::into).collect(),
        links: c.links.iter().map(Into::into).collect(),
        notes: c.notes.iter().map(Into::into).collect(),
        history: c.history.iter().map(Into::into).collect(),
    };
    let mut s = serde_json::to_string_pretty(&out).unwrap_or_default();
    s.push('\n');
    s
}

/// Why a file was refused. `problems` are `path: message` lines.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("The file is {0} bytes; bundles over {MAX_BYTES} bytes (64 MiB) are refused.")]
    TooLarge(usize),
    #[error(
        "The file nests arrays or objects deeper than {MAX_DEPTH} levels; it is not a Clientbook bundle."
    )]
    TooDeep,
    #[error("The file is not valid JSON: {0}")]
    NotJson(String),
    #[error("The file is not a Clientbook bundle (its \"format\" is not \"clientbook-bundle\").")]
    NotABundle,
    #[error("This bundle was made by a newer Clientbook (format version {0}; this one reads up to {VERSION}). Update Clientbook to import it.")]
    Newer(u64),
    #[error("The bundle has {} problem(s); nothing was imported.", .0.len())]
    Invalid(Vec<String>),
}

impl ReadError {
    /// Every problem, one per line (`path: message`); empty for the
    /// whole-file errors, whose message says it all.
    pub fn problems(&self) -> &[String] {
        match self {
            Self::Invalid(p) => p,
            _ => &[],
        }
    }
}

/// Refuses deep nesting by scanning the bytes (strings and escapes are
/// skipped), so the parser never sees a nesting bomb.
pub fn check_depth(bytes: &[u8]) -> Result<(), ReadError> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for &b in bytes {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(ReadError::TooDeep);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

struct Problems(Vec<String>, usize);

impl Problems {
    fn push(&mut self, path: impl std::fmt::Display, message: impl std::fmt::Display) {
        self.1 += 1;
        if self.0.len() < MAX_PROBLEMS {
            self.0.push(format!("{path}: {message}"));
        }
    }
    fn extend(&mut self, prefix: &str, e: ValidationErrors) {
        for f in e.0 {
            self.push(format!("{prefix}.{}", f.field), f.message);
        }
    }
}

/// Reads each element of the array `v` (at `path`) as a `D`, then as a
/// domain `T`, collecting problems.
fn records<D, T>(p: &mut Problems, path: &str, v: Option<Value>) -> Vec<T>
where
    D: DeserializeOwned,
    T: TryFrom<D, Error = ValidationErrors>,
{
    let Some(v) = v else {
        p.push(path, "missing");
        return Vec::new();
    };
    let Value::Array(items) = v else {
        p.push(path, "must be a list");
        return Vec::new();
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let at = format!("{path}[{i}]");
        match serde_path_to_error::deserialize::<_, D>(item) {
            Err(e) => {
                let inner = e.path().to_string();
                match inner.as_str() {
                    "." | "" => p.push(&at, e.inner()),
                    _ => p.push(format!("{at}.{inner}"), e.inner()),
                }
            }
            Ok(d) => match T::try_from(d) {
                Ok(t) => out.push(t),
                Err(e) => p.extend(&at, e),
            },
        }
    }
    out
}

/// Parses and validates a whole bundle. See the module documentation.
pub fn read(bytes: &[u8]) -> Result<(Contents, Meta), ReadError> {
    if bytes.len() > MAX_BYTES {
        return Err(ReadError::TooLarge(bytes.len()));
    }
    check_depth(bytes)?;
    let root: Value = serde_json::from_slice(bytes).map_err(|e| ReadError::NotJson(e.to_string()))?;
    let Value::Object(mut root) = root else {
        return Err(ReadError::NotABundle);
    };
    if root.get("format").and_then(Value::as_str) != Some(FORMAT) {
        return Err(ReadError::NotABundle);
    }
    let mut p = Problems(Vec::new(), 0);
    let version = match root.get("version").and_then(Value::as_u64) {
        Some(v) if v > u64::from(VERSION) => return Err(ReadError::Newer(v)),
        Some(v) if v >= 1 => v,
        _ => {
            p.push("version", "must be a whole number from 1");
            return Err(ReadError::Invalid(p.0));
        }
    };
    for step in UPGRADES.iter().skip((version - 1) as usize) {
        step(&mut root);
    }
    const KEYS: [&str; 10] = [
        "format",
        "version",
        "exported_at",
        "app_version",
        "catalog",
        "accounts",
        "contacts",
        "links",
        "notes",
        "history",
    ];
    for k in root.keys() {
        if !KEYS.contains(&k.as_str()) {
            p.push(
                k,
                "unknown field (this Clientbook does not know it; nothing is dropped silently)",
            );
        }
    }
    let exported_at = root
        .get("exported_at")
        .and_then(Value::as_i64)
        .unwrap_or_else(|| {
            p.push("exported_at", "must be a time in milliseconds");
            0
        });
    let app_version = match root.get("app_version") {
        Some(Value::String(s)) => s.clone(),
        _ => {
            p.push("app_version", "must be a string");
            String::new()
        }
    };
    let mut catalog = Vec::new();
    match root.remove("catalog") {
        Some(Value::Object(mut c)) => {
            for k in c.keys() {
                if !["tags", "members", "roles", "fields", "templates"].contains(&k.as_str()) {
                    p.push(format!("catalog.{k}"), "unknown field");
                }
            }
            let tags = records::<TagDto, _>(&mut p, "catalog.tags", c.remove("tags"));
            catalog.extend(tags.into_iter().map(CatalogItem::Tag));
            let members = records::<MemberDto, _>(&mut p, "catalog.members", c.remove("members"));
            catalog.extend(members.into_iter().map(CatalogItem::Member));
            let roles = records::<RoleDto, _>(&mut p, "catalog.roles", c.remove("roles"));
            catalog.extend(roles.into_iter().map(CatalogItem::Role));
            let fields = records::<FieldDto, _>(&mut p, "catalog.fields", c.remove("fields"));
            catalog.extend(fields.into_iter().map(CatalogItem::Field));
            let templates = records::<TemplateDto, _>(&mut p, "catalog.templates", c.remove("templates"));
            catalog.extend(templates.into_iter().map(CatalogItem::Template));
        }
        _ => p.push(
            "catalog",
            "must be an object with tags, members, roles, fields, templates",
        ),
    }
    let contents = Contents {
        catalog,
        accounts: records::<AccountDto, _>(&mut p, "accounts", root.remove("accounts")),
        contacts: records::<ContactDto, _>(&mut p, "contacts", root.remove("contacts")),
        links: records::<LinkDto, _>(&mut p, "links", root.remove("links")),
        notes: records::<NoteDto, _>(&mut p, "notes", root.remove("notes")),
        history: records::<HistoryDto, _>(&mut p, "history", root.remove("history")),
    };
    // Cross-record checks only make sense on a file whose records all read.
    if p.1 == 0 {
        check_references(&mut p, &contents);
    }
    if p.1 > 0 {
        if p.1 > p.0.len() {
            let more = p.1 - p.0.len();
            p.0.push(format!("… and {more} more problem(s)"));
        }
        return Err(ReadError::Invalid(p.0));
    }
    Ok((
        contents,
        Meta {
            exported_at: Timestamp(exported_at),
            app_version,
        },
    ))
}

/// Duplicate ids, dangling references, shared emails, accounts without a
/// contact, values that do not fit their custom field.
fn check_references(p: &mut Problems, c: &Contents) {
    fn dupes<'a>(p: &mut Problems, path: &str, ids: impl Iterator<Item = &'a str>) -> BTreeSet<&'a str> {
        let mut seen = BTreeSet::new();
        for (i, id) in ids.enumerate() {
            if !seen.insert(id) {
                p.push(format!("{path}[{i}].id"), format!("the id {id} is used twice"));
            }
        }
        seen
    }
    let mut catalog_ids = BTreeMap::new();
    let mut owners = 0;
    for (i, item) in c.catalog.iter().enumerate() {
        if catalog_ids.insert(item.id(), item).is_some() {
            p.push(
                format!("catalog (item {i}).id"),
                format!("the id {} is used twice", item.id()),
            );
        }
        if matches!(item, CatalogItem::Member(m) if m.role == TeamRole::Owner) {
            owners += 1;
        }
    }
    if owners > 1 {
        p.push("catalog.members", "more than one member is the owner");
    }
    let tag = |id: &str| matches!(catalog_ids.get(id), Some(CatalogItem::Tag(_)));
    let member = |id: &str| matches!(catalog_ids.get(id), Some(CatalogItem::Member(_)));
    let role = |id: &str| matches!(catalog_ids.get(id), Some(CatalogItem::Role(_)));
    let template = |id: &str| matches!(catalog_ids.get(id), Some(CatalogItem::Template(_)));
    let field = |id: &str, target: FieldTarget| match catalog_ids.get(id) {
        Some(CatalogItem::Field(f)) if f.target == target => Some(f),
        _ => None,
    };
    let accounts = dupes(p, "accounts", c.accounts.iter().map(|a| a.id.as_str()));
    let contacts = dupes(p, "contacts", c.contacts.iter().map(|a| a.id.as_str()));
    dupes(p, "notes", c.notes.iter().map(|a| a.id.as_str()));
    dupes(p, "history", c.history.iter().map(|a| a.id.as_str()));
    for (i, a) in c.accounts.iter().enumerate() {
        for (j, t) in a.tags.iter().enumerate() {
            if !tag(t.as_str()) {
                p.push(
                    format!("accounts[{i}].tags[{j}]"),
                    format!("no tag has the id {t}"),
                );
            }
        }
        for (j, m) in a.team.iter().enumerate() {
            if !member(m.as_str()) {
                p.push(
                    format!("accounts[{i}].team[{j}]"),
                    format!("no team member has the id {m}"),
                );
            }
        }
        for (j, r) in a.roles.iter().enumerate() {
            if !role(r.role.as_str()) {
                p.push(
                    format!("accounts[{i}].roles[{j}].role"),
                    format!("no role has the id {}", r.role),
                );
            }
            if !member(r.member.as_str()) {
                p.push(
                    format!("accounts[{i}].roles[{j}].member"),
                    format!("no team member has the id {}", r.member),
                );
            }
        }
        for (k, v) in &a.custom {
            match field(k.as_str(), FieldTarget::Account) {
                None => p.push(
                    format!("accounts[{i}].custom.{k}"),
                    "no account custom field has this id",
                ),
                Some(f) => {
                    if f.check_value(v).as_deref() != Ok(v.as_str()) {
                        p.push(
                            format!("accounts[{i}].custom.{k}"),
                            format!("{v:?} does not fit the field {}", f.label),
                        );
                    }
                }
            }
        }
        if let Some(t) = &a.folder_template {
            if !template(t.as_str()) {
                p.push(
                    format!("accounts[{i}].folder_template"),
                    format!("no folder template has the id {t}"),
                );
            }
        }
    }
    let mut email_owner: HashMap<String, usize> = HashMap::new();
    let mut contact_emails: HashMap<&str, Vec<String>> = HashMap::new();
    for (i, ct) in c.contacts.iter().enumerate() {
        for (j, e) in ct.emails.iter().enumerate() {
            match email_owner.get(&e.key()) {
                Some(&k) if k != i => p.push(
                    format!("contacts[{i}].emails[{j}]"),
                    format!("{e} is also an email of contacts[{k}]"),
                ),
                Some(_) => p.push(
                    format!("contacts[{i}].emails[{j}]"),
                    format!("{e} is listed twice"),
                ),
                None => {
                    email_owner.insert(e.key(), i);
                }
            }
        }
        contact_emails.insert(ct.id.as_str(), ct.email_keys());
        for (j, t) in ct.tags.iter().enumerate() {
            if !tag(t.as_str()) {
                p.push(
                    format!("contacts[{i}].tags[{j}]"),
                    format!("no tag has the id {t}"),
                );
            }
        }
        for (k, v) in &ct.custom {
            match field(k.as_str(), FieldTarget::Contact) {
                None => p.push(
                    format!("contacts[{i}].custom.{k}"),
                    "no contact custom field has this id",
                ),
                Some(f) => {
                    if f.check_value(v).as_deref() != Ok(v.as_str()) {
                        p.push(
                            format!("contacts[{i}].custom.{k}"),
                            format!("{v:?} does not fit the field {}", f.label),
                        );
                    }
                }
            }
        }
    }
    let mut linked = BTreeSet::new();
    let mut pairs = BTreeSet::new();
    for (i, l) in c.links.iter().enumerate() {
        if !accounts.contains(l.account_id.as_str()) {
            p.push(
                format!("links[{i}].account_id"),
                format!("no account has the id {}", l.account_id),
            );
        }
        match contact_emails.get(l.contact_id.as_str()) {
            None => p.push(
                format!("links[{i}].contact_id"),
                format!("no contact has the id {}", l.contact_id),
            ),
            Some(keys) => {
                let listed: Vec<&String> = l.email_access.iter().map(|a| &a.email).collect();
                if listed.len() != keys.len() || keys.iter().zip(&listed).any(|(k, l)| k != *l) {
                    p.push(
                        format!("links[{i}].emails"),
                        "must list the contact's emails, lower-cased, in the contact's order",
                    );
                }
            }
        }
        if !pairs.insert((l.account_id.as_str(), l.contact_id.as_str())) {
            p.push(format!("links[{i}]"), "this account and contact are linked twice");
        }
        linked.insert(l.account_id.as_str());
    }
    for (i, a) in c.accounts.iter().enumerate() {
        if !linked.contains(a.id.as_str()) {
            p.push(
                format!("accounts[{i}]"),
                "an account needs at least one contact (no link names it)",
            );
        }
    }
    let _ = contacts;
    for (i, n) in c.notes.iter().enumerate() {
        if !accounts.contains(n.account_id.as_str()) {
            p.push(
                format!("notes[{i}].account_id"),
                format!("no account has the id {}", n.account_id),
            );
        }
    }
    for (i, h) in c.history.iter().enumerate() {
        if !accounts.contains(h.account_id.as_str()) {
            p.push(
                format!("history[{i}].account_id"),
                format!("no account has the id {}", h.account_id),
            );
        }
    }
}

#[cfg(test)]
mod tests;
