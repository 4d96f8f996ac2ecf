//! Reading a bundle, in steps a page can spread over many frames.
//!
//! A [`Reader`] owns the file's bytes. Each [`Reader::step`] does a small,
//! bounded piece of work, so a page can read a 100 MB file without freezing:
//!
//! 1. **Scan** (`scan.rs`), 256 KiB per step: the structure of the envelope
//!    and where each record starts and ends, nesting depth, brackets.
//! 2. **Envelope**, once: format, version (older files are upgraded here),
//!    unknown fields, the catalog.
//! 3. **Records**, [`RECORDS_PER_STEP`] per step: each record straight from
//!    its bytes into its wire type, then its domain type, and the checks
//!    across records that can be made as records arrive (duplicate ids,
//!    references to what came before, shared emails).
//!
//! [`Reader::finish`] makes the last checks (an account no link names) and
//! gives the contents or every problem, each with its path. [`read`] does
//! all of it at once.

use super::dto::*;
use super::scan::{Scan, Value as Part};
use super::{Contents, Meta, MAX_BYTES, MAX_PROBLEMS, UPGRADES, VERSION};
use crate::domain::catalog::{CatalogItem, FieldTarget, TeamRole};
use crate::domain::history::HistoryEntry;
use crate::domain::ids::{id_number, FieldId, IdMap, IdSet};
use crate::domain::note::Note;
use crate::domain::validation::{BundleProblem as B, FieldError, ItemKind, Problem};
use crate::domain::{Account, Contact, Link, Timestamp, ValidationErrors};
use serde::de::{DeserializeOwned, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::ops::Range;

/// Bytes scanned per [`Reader::step`].
pub const SCAN_BYTES_PER_STEP: usize = 256 * 1024;
/// Records read and checked per [`Reader::step`].
pub const RECORDS_PER_STEP: usize = 250;

pub const FORMAT: &str = "clientbook-bundle";

/// Why a file was refused (the interface words it: `src/error.rs`).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    /// Over [`MAX_BYTES`]; the file's size.
    #[error("{0} bytes: too large")]
    TooLarge(usize),
    /// Nested deeper than [`MAX_DEPTH`](super::MAX_DEPTH).
    #[error("nested too deep")]
    TooDeep,
    /// Not JSON; the parser's own words.
    #[error("not JSON: {0}")]
    NotJson(String),
    /// Not JSON, as the scan found it: what it expected, what it found, where.
    #[error("not JSON: expected {:?}, found {:?} at line {} column {}", .0.expected, .0.found, .0.line, .0.column)]
    Syntax(Syntax),
    /// A field name of the envelope that is not a valid JSON string; the
    /// parser's own words.
    #[error("not JSON: a field name: {0}")]
    FieldName(String),
    #[error("not a Clientbook bundle")]
    NotABundle,
    /// Made by a newer Clientbook: its format version.
    #[error("format version {0} is newer")]
    Newer(u64),
    /// Problems with their paths (at most [`MAX_PROBLEMS`]), and how many
    /// more there were.
    #[error("{} problem(s)", .problems.len() + .more)]
    Invalid { problems: Vec<FieldError>, more: usize },
}

/// Where the scan found the file is not JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Syntax {
    pub expected: Expected,
    pub found: Found,
    /// Line and column (from 1; the column counts bytes), as JSON parsers say it.
    pub line: usize,
    pub column: usize,
}

/// What the scan expected at a place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expected {
    /// The file's one value (at the start).
    JsonValue,
    /// A field's or list element's value.
    Value,
    FieldName,
    /// This character.
    Char(char),
    /// One of these two characters.
    EitherChar(char, char),
    MatchingBracket,
    EndOfFile,
    RestOfValue,
    RestOfObject,
}

/// What the scan found instead.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Found {
    /// A printable ASCII character.
    Char(char),
    /// Any other byte.
    Byte(u8),
    EndOfFile,
}

impl ReadError {
    /// Every problem listed, with its path; empty for the whole-file
    /// errors, whose message says it all.
    pub fn problems(&self) -> &[FieldError] {
        match self {
            Self::Invalid { problems, .. } => problems,
            _ => &[],
        }
    }

    /// Every problem, listed or not.
    pub fn problem_count(&self) -> usize {
        match self {
            Self::Invalid { problems, more } => problems.len() + more,
            _ => 0,
        }
    }
}

/// Problems found so far: the first [`MAX_PROBLEMS`], and how many in all.
#[derive(Default)]
pub(crate) struct Problems(Vec<FieldError>, usize);

impl Problems {
    pub(crate) fn push(&mut self, path: impl fmt::Display, problem: Problem) {
        self.1 += 1;
        if self.0.len() < MAX_PROBLEMS {
            self.0.push(FieldError::new(path.to_string(), problem));
        }
    }
    fn bundle(&mut self, path: impl fmt::Display, problem: B) {
        self.push(path, Problem::Bundle(problem));
    }
    fn extend(&mut self, prefix: &dyn fmt::Display, e: ValidationErrors) {
        for f in e.0 {
            self.push(format_args!("{prefix}.{}", f.field), f.problem);
        }
    }
    fn count(&self) -> usize {
        self.1
    }
    /// The refusal listing every problem (capped), or `None` when there is none.
    fn into_error(self) -> Option<ReadError> {
        if self.1 == 0 {
            return None;
        }
        let more = self.1 - self.0.len();
        Some(ReadError::Invalid {
            problems: self.0,
            more,
        })
    }
}

/// A serde_json message without its "at line 1 column 57": positions are
/// inside the record, and the path says where the record is.
fn json_message(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match (e.line(), s.rfind(" at line ")) {
        (1.., Some(i)) => s[..i].to_owned(),
        _ => s,
    }
}

// ---------------------------------------------------------------------------
// The catalog (small: parsed in one go once the scan has found it)

/// Deserialises a list as the raw text of each element, and anything else
/// as not-a-list (skipped without building it).
struct ListOrNot<'a>(Option<Vec<&'a RawValue>>);

impl<'de> Deserialize<'de> for ListOrNot<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ListOrNot<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<&'de RawValue>()? {
                    items.push(item);
                }
                Ok(ListOrNot(Some(items)))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(ListOrNot(None))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
                Ok(ListOrNot(None))
            }
            fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
                Ok(ListOrNot(None))
            }
            fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
                Ok(ListOrNot(None))
            }
            fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
                Ok(ListOrNot(None))
            }
            fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
                Ok(ListOrNot(None))
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(ListOrNot(None))
            }
        }
        d.deserialize_any(V)
    }
}

/// The catalog object, field by field, its lists split into records.
struct CatalogParts<'a>(Vec<(String, Option<Vec<&'a RawValue>>)>);

impl<'de> Deserialize<'de> for CatalogParts<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = CatalogParts<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut parts = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    let value = map.next_value::<ListOrNot<'de>>()?;
                    parts.push((key, value.0));
                }
                Ok(CatalogParts(parts))
            }
        }
        d.deserialize_map(V)
    }
}

// ---------------------------------------------------------------------------
// The reader

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

/// The record kinds, in the order they are read (each kind's checks may
/// look at the kinds before it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Tag,
    Member,
    Role,
    Field,
    Template,
    Account,
    Contact,
    Link,
    Note,
    History,
}

/// One list of records: its path and where each record is in the text.
struct Section {
    path: &'static str,
    kind: Kind,
    items: Vec<Range<usize>>,
}

enum Phase {
    Scanning(Scan),
    Records,
}

/// How far a [`Reader`] has come.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Finding the records: `done` of `total` bytes.
    Scanning { done: usize, total: usize },
    /// Reading and checking them: `done` of `total` records.
    Checking { done: usize, total: usize },
}

/// A bundle being read: see the module documentation.
pub struct Reader {
    bytes: Vec<u8>,
    phase: Phase,
    sections: Vec<Section>,
    /// The next record: section, then index in it.
    at: (usize, usize),
    done: usize,
    total: usize,
    /// Problems of single records (and of the envelope).
    problems: Problems,
    /// Problems across records; only reported when every record read.
    cross: Problems,
    checks: Checks,
    contents: Contents,
    meta: Meta,
}

/// The place of `part` inside `whole` (a sub-slice of it).
fn range_in(whole: &[u8], part: &str) -> Range<usize> {
    let start = part.as_ptr() as usize - whole.as_ptr() as usize;
    start..start + part.len()
}

impl Reader {
    /// Takes the file's bytes; refuses files over [`MAX_BYTES`]. The work
    /// is done by [`Reader::step`].
    pub fn new(mut bytes: Vec<u8>) -> Result<Self, ReadError> {
        if bytes.len() > MAX_BYTES {
            return Err(ReadError::TooLarge(bytes.len()));
        }
        // Some editors start UTF-8 files with a byte order mark.
        if bytes.starts_with(&[0xef, 0xbb, 0xbf]) {
            bytes.drain(..3);
        }
        Ok(Self {
            bytes,
            phase: Phase::Scanning(Scan::new()),
            sections: Vec::new(),
            at: (0, 0),
            done: 0,
            total: 0,
            problems: Problems::default(),
            cross: Problems::default(),
            checks: Checks::default(),
            contents: Contents::default(),
            meta: Meta {
                exported_at: Timestamp(0),
                app_version: String::new(),
            },
        })
    }

    pub fn stage(&self) -> Stage {
        match &self.phase {
            Phase::Scanning(scan) => Stage::Scanning {
                done: scan.position(),
                total: self.bytes.len(),
            },
            Phase::Records => Stage::Checking {
                done: self.done,
                total: self.total,
            },
        }
    }

    /// How many problems have been found so far.
    pub fn problem_count(&self) -> usize {
        self.problems.count()
    }

    /// Does the next small piece of work: scans [`SCAN_BYTES_PER_STEP`]
    /// bytes or reads [`RECORDS_PER_STEP`] records. `Ok(true)` once every
    /// record is read; an error refuses the whole file (not JSON, too deep,
    /// not a bundle, too new).
    pub fn step(&mut self) -> Result<bool, ReadError> {
        self.step_by(SCAN_BYTES_PER_STEP, RECORDS_PER_STEP)
    }

    fn step_by(&mut self, bytes: usize, records: usize) -> Result<bool, ReadError> {
        match &mut self.phase {
            Phase::Scanning(scan) => {
                if scan.step(&self.bytes, bytes)? {
                    let Phase::Scanning(scan) = std::mem::replace(&mut self.phase, Phase::Records) else {
                        return Ok(false);
                    };
                    self.envelope(scan)?;
                }
                Ok(false)
            }
            Phase::Records => Ok(self.records(records)),
        }
    }

    /// Format, version (an older file is upgraded and scanned again),
    /// unknown fields, the catalog, and the lists of records.
    fn envelope(&mut self, scan: Scan) -> Result<(), ReadError> {
        let Some(fields) = scan.into_fields() else {
            return Err(ReadError::NotABundle);
        };
        let bytes = &self.bytes;
        let mut named = Vec::with_capacity(fields.len());
        for f in fields {
            let key: String = serde_json::from_slice(&bytes[f.key.clone()])
                .map_err(|e| ReadError::FieldName(json_message(&e)))?;
            named.push((key, f.value));
        }
        let field = |name: &str| named.iter().find(|(k, _)| k == name).map(|(_, v)| v);
        let scalar = |name: &str| match field(name) {
            Some(Part::Other(r)) => Some(&bytes[r.clone()]),
            _ => None,
        };
        match scalar("format").and_then(|b| serde_json::from_slice::<String>(b).ok()) {
            Some(f) if f == FORMAT => {}
            _ => return Err(ReadError::NotABundle),
        }
        let version = match scalar("version").and_then(|b| serde_json::from_slice::<u64>(b).ok()) {
            Some(v) if v > u64::from(VERSION) => return Err(ReadError::Newer(v)),
            Some(v) if v >= 1 => v,
            _ => {
                let mut p = Problems::default();
                p.bundle("version", B::Version);
                return Err(p.into_error().unwrap_or(ReadError::NotABundle));
            }
        };
        if version < u64::from(VERSION) {
            self.bytes = upgrade(&self.bytes, version)?;
            self.phase = Phase::Scanning(Scan::new());
            return Ok(());
        }
        let p = &mut self.problems;
        let mut seen = HashSet::new();
        for (key, _) in &named {
            if !seen.insert(key.as_str()) {
                p.bundle(key, B::FieldTwice);
            } else if !KEYS.contains(&key.as_str()) {
                p.bundle(key, B::UnknownField);
            }
        }
        match scalar("exported_at").and_then(|b| serde_json::from_slice::<i64>(b).ok()) {
            Some(t) => self.meta.exported_at = Timestamp(t),
            None => p.bundle("exported_at", B::ExportedAt),
        }
        match scalar("app_version").and_then(|b| serde_json::from_slice::<String>(b).ok()) {
            Some(v) => self.meta.app_version = v,
            None => p.bundle("app_version", B::AppVersion),
        }
        let catalog = match field("catalog") {
            Some(Part::Other(r)) => serde_json::from_slice::<CatalogParts>(&bytes[r.clone()]).ok(),
            _ => None,
        };
        match catalog {
            None => p.bundle("catalog", B::CatalogShape),
            Some(CatalogParts(parts)) => {
                for (k, _) in &parts {
                    if !["tags", "members", "roles", "fields", "templates"].contains(&k.as_str()) {
                        p.bundle(format_args!("catalog.{k}"), B::UnknownField);
                    }
                }
                for (key, path, kind) in [
                    ("tags", "catalog.tags", Kind::Tag),
                    ("members", "catalog.members", Kind::Member),
                    ("roles", "catalog.roles", Kind::Role),
                    ("fields", "catalog.fields", Kind::Field),
                    ("templates", "catalog.templates", Kind::Template),
                ] {
                    match parts.iter().find(|(k, _)| k == key) {
                        None => p.bundle(path, B::Missing),
                        Some((_, None)) => p.bundle(path, B::NotAList),
                        Some((_, Some(items))) => self.sections.push(Section {
                            path,
                            kind,
                            items: items.iter().map(|r| range_in(bytes, r.get())).collect(),
                        }),
                    }
                }
            }
        }
        for (path, kind) in [
            ("accounts", Kind::Account),
            ("contacts", Kind::Contact),
            ("links", Kind::Link),
            ("notes", Kind::Note),
            ("history", Kind::History),
        ] {
            match field(path) {
                None => p.bundle(path, B::Missing),
                Some(Part::Other(_)) => p.bundle(path, B::NotAList),
                Some(Part::List(items)) => self.sections.push(Section {
                    path,
                    kind,
                    items: items.clone(),
                }),
            }
        }
        self.total = self.sections.iter().map(|s| s.items.len()).sum();
        let n = |k: Kind| {
            self.sections
                .iter()
                .filter(|s| s.kind == k)
                .map(|s| s.items.len())
                .sum::<usize>()
        };
        self.contents.accounts.reserve(n(Kind::Account));
        self.contents.contacts.reserve(n(Kind::Contact));
        self.contents.links.reserve(n(Kind::Link));
        Ok(())
    }

    /// Reads up to `n` records; `true` once every record is read.
    fn records(&mut self, n: usize) -> bool {
        let mut left = n;
        while left > 0 {
            let Some(section) = self.sections.get(self.at.0) else {
                return true;
            };
            let Some(range) = section.items.get(self.at.1).cloned() else {
                self.at = (self.at.0 + 1, 0);
                continue;
            };
            let (path, kind, i) = (section.path, section.kind, self.at.1);
            let raw = &self.bytes[range];
            let p = &mut self.problems;
            let c = &mut self.contents;
            let x = &mut self.cross;
            let k = &mut self.checks;
            match kind {
                Kind::Tag => one::<TagDto, _>(p, path, i, raw, |t| k.catalog(x, c, CatalogItem::Tag(t))),
                Kind::Member => {
                    one::<MemberDto, _>(p, path, i, raw, |t| k.catalog(x, c, CatalogItem::Member(t)))
                }
                Kind::Role => one::<RoleDto, _>(p, path, i, raw, |t| k.catalog(x, c, CatalogItem::Role(t))),
                Kind::Field => {
                    one::<FieldDto, _>(p, path, i, raw, |t| k.catalog(x, c, CatalogItem::Field(t)))
                }
                Kind::Template => {
                    one::<TemplateDto, _>(p, path, i, raw, |t| k.catalog(x, c, CatalogItem::Template(t)))
                }
                Kind::Account => one::<AccountDto, _>(p, path, i, raw, |t| k.account(x, c, i, t)),
                Kind::Contact => one::<ContactDto, _>(p, path, i, raw, |t| k.contact(x, c, i, t)),
                Kind::Link => one::<LinkDto, _>(p, path, i, raw, |t| k.link(x, c, i, t)),
                Kind::Note => one::<NoteDto, _>(p, path, i, raw, |t| k.note(x, c, i, t)),
                Kind::History => one::<HistoryDto, _>(p, path, i, raw, |t| k.history(x, c, i, t)),
            }
            self.at.1 += 1;
            self.done += 1;
            left -= 1;
        }
        self.done >= self.total
    }

    /// Does whatever is left, makes the last checks, and gives the contents,
    /// or every problem found.
    pub fn finish(mut self) -> Result<(Contents, Meta), ReadError> {
        while !self.step_by(usize::MAX, usize::MAX)? {}
        if self.problems.count() > 0 {
            return Err(self.problems.into_error().unwrap_or(ReadError::Invalid {
                problems: Vec::new(),
                more: 0,
            }));
        }
        self.checks.finish(&mut self.cross, &self.contents);
        match self.cross.into_error() {
            Some(e) => Err(e),
            None => Ok((self.contents, self.meta)),
        }
    }
}

/// An older file, brought to the current version step by step (a slow
/// path: the whole file as a tree; only files from older versions take it).
fn upgrade(bytes: &[u8], version: u64) -> Result<Vec<u8>, ReadError> {
    let mut root: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(bytes).map_err(|e| ReadError::NotJson(e.to_string()))?;
    for step in UPGRADES.iter().skip(version.saturating_sub(1) as usize) {
        step(&mut root);
    }
    root.insert("version".into(), VERSION.into());
    serde_json::to_vec(&root).map_err(|e| ReadError::NotJson(e.to_string()))
}

/// Reads one record from its text as a `D`, then as a domain `T`. The
/// path of a problem inside the record is only worked out for a record
/// that has one (a second, tracking parse).
fn one<D, T>(p: &mut Problems, path: &str, i: usize, raw: &[u8], keep: impl FnOnce(T))
where
    D: DeserializeOwned,
    T: TryFrom<D, Error = ValidationErrors>,
{
    let d = match serde_json::from_slice::<D>(raw) {
        Ok(d) => d,
        Err(_) => {
            let mut de = serde_json::Deserializer::from_slice(raw);
            let e = match serde_path_to_error::deserialize::<_, D>(&mut de) {
                Err(e) => e,
                // Cannot happen (the same parse failed above); said plainly if it does.
                Ok(_) => {
                    p.bundle(format_args!("{path}[{i}]"), B::Unreadable);
                    return;
                }
            };
            let inner = e.path().to_string();
            let message = json_message(e.inner());
            match inner.as_str() {
                "." | "" => p.bundle(format_args!("{path}[{i}]"), B::Malformed(message)),
                _ => p.bundle(format_args!("{path}[{i}].{inner}"), B::Malformed(message)),
            }
            return;
        }
    };
    match T::try_from(d) {
        Ok(t) => keep(t),
        Err(e) => p.extend(&format_args!("{path}[{i}]"), e),
    }
}

/// Parses and validates a whole bundle at once. See the module documentation.
pub fn read(bytes: &[u8]) -> Result<(Contents, Meta), ReadError> {
    if bytes.len() > MAX_BYTES {
        return Err(ReadError::TooLarge(bytes.len()));
    }
    Reader::new(bytes.to_vec())?.finish()
}

// ---------------------------------------------------------------------------
// Checks across records, made as the records arrive

/// An id (32 hex digits, already checked) as a number.
fn num(id: &str) -> u128 {
    id_number(id).unwrap_or(0)
}

#[derive(Default)]
struct Checks {
    /// Catalog item id → its index in `contents.catalog`.
    catalog: IdMap<usize>,
    owners: usize,
    accounts: IdSet,
    /// Contact id → its index in `contents.contacts`.
    contacts: IdMap<usize>,
    /// Lower-cased email → index of the contact that has it.
    emails: HashMap<String, usize>,
    pairs: IdSet<(u128, u128)>,
    linked: IdSet,
    notes: IdSet,
    history: IdSet,
}

impl Checks {
    fn catalog(&mut self, p: &mut Problems, c: &mut Contents, item: CatalogItem) {
        let i = c.catalog.len();
        if self.catalog.insert(num(item.id()), i).is_some() {
            p.bundle(
                format_args!("catalog (item {i}).id"),
                B::IdTwice(item.id().to_owned()),
            );
        }
        if matches!(&item, CatalogItem::Member(m) if m.role == TeamRole::Owner) {
            self.owners += 1;
            if self.owners == 2 {
                p.bundle("catalog.members", B::OwnerTwice);
            }
        }
        c.catalog.push(item);
    }

    fn item<'c>(&self, c: &'c Contents, id: &str) -> Option<&'c CatalogItem> {
        self.catalog.get(&num(id)).and_then(|&i| c.catalog.get(i))
    }

    fn custom<'a>(
        &self,
        p: &mut Problems,
        c: &Contents,
        at: fmt::Arguments,
        target: FieldTarget,
        values: impl Iterator<Item = (&'a FieldId, &'a String)>,
    ) {
        for (k, v) in values {
            match self.item(c, k.as_str()) {
                Some(CatalogItem::Field(f)) if f.target == target => {
                    if f.check_value(v).as_deref() != Ok(v.as_str()) {
                        p.bundle(
                            format_args!("{at}.custom.{k}"),
                            B::ValueDoesNotFit(v.clone(), f.label.clone()),
                        );
                    }
                }
                _ => p.bundle(format_args!("{at}.custom.{k}"), B::NoSuchField(target)),
            }
        }
    }

    fn account(&mut self, p: &mut Problems, c: &mut Contents, i: usize, a: Account) {
        if !self.accounts.insert(num(a.id.as_str())) {
            p.bundle(format_args!("accounts[{i}].id"), B::IdTwice(a.id.to_string()));
        }
        let is = |id: &str, want: fn(&CatalogItem) -> bool| self.item(c, id).is_some_and(want);
        for (j, t) in a.tags.iter().enumerate() {
            if !is(t.as_str(), |x| matches!(x, CatalogItem::Tag(_))) {
                p.bundle(
                    format_args!("accounts[{i}].tags[{j}]"),
                    B::NoSuch(ItemKind::Tag, t.to_string()),
                );
            }
        }
        let member = |x: &CatalogItem| matches!(x, CatalogItem::Member(_));
        for (j, m) in a.team.iter().enumerate() {
            if !is(m.as_str(), member) {
                p.bundle(
                    format_args!("accounts[{i}].team[{j}]"),
                    B::NoSuch(ItemKind::Member, m.to_string()),
                );
            }
        }
        for (j, r) in a.roles.iter().enumerate() {
            if !is(r.role.as_str(), |x| matches!(x, CatalogItem::Role(_))) {
                p.bundle(
                    format_args!("accounts[{i}].roles[{j}].role"),
                    B::NoSuch(ItemKind::Role, r.role.to_string()),
                );
            }
            if !is(r.member.as_str(), member) {
                p.bundle(
                    format_args!("accounts[{i}].roles[{j}].member"),
                    B::NoSuch(ItemKind::Member, r.member.to_string()),
                );
            }
        }
        self.custom(
            p,
            c,
            format_args!("accounts[{i}]"),
            FieldTarget::Account,
            a.custom.iter(),
        );
        if let Some(t) = &a.folder_template {
            if !is(t.as_str(), |x| matches!(x, CatalogItem::Template(_))) {
                p.bundle(
                    format_args!("accounts[{i}].folder_template"),
                    B::NoSuch(ItemKind::Template, t.to_string()),
                );
            }
        }
        c.accounts.push(a);
    }

    fn contact(&mut self, p: &mut Problems, c: &mut Contents, i: usize, ct: Contact) {
        let at = c.contacts.len();
        if self.contacts.insert(num(ct.id.as_str()), at).is_some() {
            p.bundle(format_args!("contacts[{i}].id"), B::IdTwice(ct.id.to_string()));
        }
        for (j, e) in ct.emails.iter().enumerate() {
            match self.emails.get(&e.key()) {
                Some(&k) if k != at => p.bundle(
                    format_args!("contacts[{i}].emails[{j}]"),
                    B::EmailOfOther(e.to_string(), format!("contacts[{k}]")),
                ),
                Some(_) => p.bundle(
                    format_args!("contacts[{i}].emails[{j}]"),
                    B::EmailTwice(e.to_string()),
                ),
                None => {
                    self.emails.insert(e.key(), at);
                }
            }
        }
        for (j, t) in ct.tags.iter().enumerate() {
            if !self
                .item(c, t.as_str())
                .is_some_and(|x| matches!(x, CatalogItem::Tag(_)))
            {
                p.bundle(
                    format_args!("contacts[{i}].tags[{j}]"),
                    B::NoSuch(ItemKind::Tag, t.to_string()),
                );
            }
        }
        self.custom(
            p,
            c,
            format_args!("contacts[{i}]"),
            FieldTarget::Contact,
            ct.custom.iter(),
        );
        c.contacts.push(ct);
    }

    fn link(&mut self, p: &mut Problems, c: &mut Contents, i: usize, l: Link) {
        let (a, k) = (num(l.account_id.as_str()), num(l.contact_id.as_str()));
        if !self.accounts.contains(&a) {
            p.bundle(
                format_args!("links[{i}].account_id"),
                B::NoSuchAccount(l.account_id.to_string()),
            );
        }
        match self.contacts.get(&k).and_then(|&x| c.contacts.get(x)) {
            None => p.bundle(
                format_args!("links[{i}].contact_id"),
                B::NoSuchContact(l.contact_id.to_string()),
            ),
            Some(contact) => {
                let emails = &contact.emails;
                let same = emails.len() == l.email_access.len()
                    && emails
                        .iter()
                        .zip(&l.email_access)
                        .all(|(e, x)| e.key() == x.email);
                if !same {
                    p.bundle(format_args!("links[{i}].emails"), B::LinkEmails);
                }
            }
        }
        if !self.pairs.insert((a, k)) {
            p.bundle(format_args!("links[{i}]"), B::LinkedTwice);
        }
        self.linked.insert(a);
        c.links.push(l);
    }

    fn note(&mut self, p: &mut Problems, c: &mut Contents, i: usize, n: Note) {
        if !self.notes.insert(num(n.id.as_str())) {
            p.bundle(format_args!("notes[{i}].id"), B::IdTwice(n.id.to_string()));
        }
        if !self.accounts.contains(&num(n.account_id.as_str())) {
            p.bundle(
                format_args!("notes[{i}].account_id"),
                B::NoSuchAccount(n.account_id.to_string()),
            );
        }
        c.notes.push(n);
    }

    fn history(&mut self, p: &mut Problems, c: &mut Contents, i: usize, h: HistoryEntry) {
        if !self.history.insert(num(h.id.as_str())) {
            p.bundle(format_args!("history[{i}].id"), B::IdTwice(h.id.to_string()));
        }
        if !self.accounts.contains(&num(h.account_id.as_str())) {
            p.bundle(
                format_args!("history[{i}].account_id"),
                B::NoSuchAccount(h.account_id.to_string()),
            );
        }
        c.history.push(h);
    }

    /// What can only be checked at the end: every account has a link.
    fn finish(&self, p: &mut Problems, c: &Contents) {
        for (i, a) in c.accounts.iter().enumerate() {
            if !self.linked.contains(&num(a.id.as_str())) {
                p.bundle(format_args!("accounts[{i}]"), B::AccountWithoutContact);
            }
        }
    }
}
