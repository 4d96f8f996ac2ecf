//! Writing the canonical bundle text, in steps a page can spread over many
//! frames.
//!
//! The canonical form: the envelope indented by two spaces, each record on
//! a line of its own (compact JSON), records sorted by id (links by account,
//! then contact), fields in the order of the wire types in `dto.rs`, a final
//! newline. One record per line keeps files small and lets a diff show
//! which records changed. The records are written straight from the domain
//! values through borrowing mirrors of the wire types (nothing is copied);
//! a test checks that each mirror writes exactly what its wire type writes.

use super::{convert, Contents, Meta, FORMAT, VERSION};
use crate::domain::account::RoleAssignment;
use crate::domain::catalog::CatalogItem;
use crate::domain::history::HistoryEntry;
use crate::domain::ids::{FieldId, MemberId, TagId, TemplateId};
use crate::domain::note::Note;
use crate::domain::{Account, Address, Contact, Email, EmailAccess, Link};
use serde::Serialize;
use std::borrow::Cow;
use std::collections::BTreeMap;

#[derive(Serialize)]
struct AddressOut<'a> {
    street: &'a str,
    city: &'a str,
    state: &'a str,
    postal_code: &'a str,
    country: &'a str,
}

impl<'a> From<&'a Address> for AddressOut<'a> {
    fn from(a: &'a Address) -> Self {
        Self {
            street: &a.street,
            city: &a.city,
            state: &a.state,
            postal_code: &a.postal_code,
            country: &a.country,
        }
    }
}

/// [`super::dto::AccountDto`], borrowed.
#[derive(Serialize)]
struct AccountOut<'a> {
    id: &'a str,
    name: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    company_name: &'a str,
    address: AddressOut<'a>,
    tags: &'a [TagId],
    team: &'a [MemberId],
    roles: &'a [RoleAssignment],
    custom: &'a BTreeMap<FieldId, String>,
    folder_template: &'a Option<TemplateId>,
    archived: bool,
    created_at: i64,
    updated_at: i64,
}

impl<'a> From<&'a Account> for AccountOut<'a> {
    fn from(a: &'a Account) -> Self {
        Self {
            id: a.id.as_str(),
            name: &a.name,
            kind: a.kind.code(),
            company_name: &a.company_name,
            address: (&a.address).into(),
            tags: &a.tags,
            team: &a.team,
            roles: &a.roles,
            custom: &a.custom,
            folder_template: &a.folder_template,
            archived: a.archived,
            created_at: a.created_at.0,
            updated_at: a.updated_at.0,
        }
    }
}

/// [`super::dto::ContactDto`], borrowed.
#[derive(Serialize)]
struct ContactOut<'a> {
    id: &'a str,
    first_name: &'a str,
    middle_name: &'a str,
    last_name: &'a str,
    emails: &'a [Email],
    phones: &'a [String],
    address: AddressOut<'a>,
    date_of_birth: &'a str,
    tags: &'a [TagId],
    custom: &'a BTreeMap<FieldId, String>,
    created_at: i64,
    updated_at: i64,
}

impl<'a> From<&'a Contact> for ContactOut<'a> {
    fn from(c: &'a Contact) -> Self {
        Self {
            id: c.id.as_str(),
            first_name: &c.first_name,
            middle_name: &c.middle_name,
            last_name: &c.last_name,
            emails: &c.emails,
            phones: &c.phones,
            address: (&c.address).into(),
            date_of_birth: &c.date_of_birth,
            tags: &c.tags,
            custom: &c.custom,
            created_at: c.created_at.0,
            updated_at: c.updated_at.0,
        }
    }
}

/// [`super::dto::LinkDto`], borrowed (an [`EmailAccess`] is written as
/// its wire type is).
#[derive(Serialize)]
struct LinkOut<'a> {
    account_id: &'a str,
    contact_id: &'a str,
    description: &'a str,
    signer_priority: Option<u32>,
    emails: &'a [EmailAccess],
}

impl<'a> From<&'a Link> for LinkOut<'a> {
    fn from(l: &'a Link) -> Self {
        Self {
            account_id: l.account_id.as_str(),
            contact_id: l.contact_id.as_str(),
            description: &l.description,
            signer_priority: l.signer_priority,
            emails: &l.email_access,
        }
    }
}

/// Records per [`Writer::step`].
pub const RECORDS_PER_STEP: usize = 500;

/// Which part of the file comes next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Part {
    Head,
    Accounts,
    Contacts,
    Links,
    Notes,
    History,
    Tail,
    Done,
}

/// A bundle being written: each [`Writer::step`] appends the next few
/// hundred records to the text; [`Writer::take`] hands over what is
/// written so far (a page passes the pieces to a `Blob` one by one).
pub struct Writer<'a> {
    contents: Cow<'a, Contents>,
    meta: &'a Meta,
    part: Part,
    at: usize,
    out: String,
    done: usize,
}

/// Writes `items` as lines `indent{json},` (no comma after the last).
fn lines<'t, T, O: Serialize>(
    out: &mut String,
    indent: &str,
    items: &'t [T],
    from: usize,
    to: usize,
    make: impl Fn(&'t T) -> O,
) {
    for (i, item) in items.iter().enumerate().take(to).skip(from) {
        out.push_str(indent);
        // Serialising plain data into a String cannot fail.
        if let Ok(s) = serde_json::to_string(&make(item)) {
            out.push_str(&s);
        }
        if i + 1 < items.len() {
            out.push(',');
        }
        out.push('\n');
    }
}

/// A JSON string literal.
fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

impl<'a> Writer<'a> {
    /// Sorts a copy of `contents` only if it is not in canonical order yet.
    pub fn new(contents: &'a Contents, meta: &'a Meta) -> Self {
        let contents = if contents.is_sorted() {
            Cow::Borrowed(contents)
        } else {
            let mut c = contents.clone();
            c.sort();
            Cow::Owned(c)
        };
        Self {
            contents,
            meta,
            part: Part::Head,
            at: 0,
            out: String::new(),
            done: 0,
        }
    }

    /// Records to write in all.
    pub fn total(&self) -> usize {
        self.contents.len()
    }

    /// Records written so far.
    pub fn done(&self) -> usize {
        self.done
    }

    /// Appends up to [`RECORDS_PER_STEP`] records; `true` once the text is complete.
    pub fn step(&mut self) -> bool {
        self.step_by(RECORDS_PER_STEP)
    }

    fn step_by(&mut self, n: usize) -> bool {
        let c: &Contents = &self.contents;
        let out = &mut self.out;
        let list = |out: &mut String, name: &str, len: usize, at: usize| {
            if at == 0 {
                out.push_str(&format!("  \"{name}\": ["));
                out.push_str(if len == 0 { "" } else { "\n" });
            }
        };
        let close = |out: &mut String, len: usize, last: bool| {
            out.push_str(if len == 0 { "]" } else { "  ]" });
            out.push_str(if last { "\n" } else { ",\n" });
        };
        let (from, to) = (self.at, self.at.saturating_add(n));
        let next = |part: Part, len: usize, this: &mut Self| {
            if to >= len {
                this.part = part;
                this.at = 0;
                this.done += len - from.min(len);
            } else {
                this.at = to;
                this.done += to - from;
            }
        };
        match self.part {
            Part::Head => {
                head(out, self.meta, &c.catalog);
                self.done += c.catalog.len();
                self.part = Part::Accounts;
            }
            Part::Accounts => {
                list(out, "accounts", c.accounts.len(), from);
                lines(out, "    ", &c.accounts, from, to, AccountOut::from);
                if to >= c.accounts.len() {
                    close(out, c.accounts.len(), false);
                }
                let len = c.accounts.len();
                next(Part::Contacts, len, self);
            }
            Part::Contacts => {
                list(out, "contacts", c.contacts.len(), from);
                lines(out, "    ", &c.contacts, from, to, ContactOut::from);
                if to >= c.contacts.len() {
                    close(out, c.contacts.len(), false);
                }
                let len = c.contacts.len();
                next(Part::Links, len, self);
            }
            Part::Links => {
                list(out, "links", c.links.len(), from);
                lines(out, "    ", &c.links, from, to, LinkOut::from);
                if to >= c.links.len() {
                    close(out, c.links.len(), false);
                }
                let len = c.links.len();
                next(Part::Notes, len, self);
            }
            Part::Notes => {
                list(out, "notes", c.notes.len(), from);
                lines(out, "    ", &c.notes, from, to, |n| n);
                if to >= c.notes.len() {
                    close(out, c.notes.len(), false);
                }
                let len = c.notes.len();
                next(Part::History, len, self);
            }
            Part::History => {
                list(out, "history", c.history.len(), from);
                lines(out, "    ", &c.history, from, to, |h| h);
                if to >= c.history.len() {
                    close(out, c.history.len(), true);
                }
                let len = c.history.len();
                next(Part::Tail, len, self);
            }
            Part::Tail => {
                out.push_str("}\n");
                self.part = Part::Done;
            }
            Part::Done => {}
        }
        self.part == Part::Done
    }

    /// What has been written since the last call.
    pub fn take(&mut self) -> String {
        std::mem::take(&mut self.out)
    }
}

/// Compact JSON of plain data (serialising it into a String cannot fail).
fn compact<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// An account's line in a bundle, exactly as [`Writer`] writes it.
pub fn account_line(a: &Account) -> String {
    compact(&AccountOut::from(a))
}

/// A contact's line in a bundle, exactly as [`Writer`] writes it.
pub fn contact_line(c: &Contact) -> String {
    compact(&ContactOut::from(c))
}

/// A link's line in a bundle, exactly as [`Writer`] writes it.
pub fn link_line(l: &Link) -> String {
    compact(&LinkOut::from(l))
}

/// A note's line in a bundle, exactly as [`Writer`] writes it.
pub fn note_line(n: &Note) -> String {
    compact(n)
}

/// A history entry's line in a bundle, exactly as [`Writer`] writes it.
pub fn history_line(h: &HistoryEntry) -> String {
    compact(h)
}

/// Something that writes a bundle's text piece by piece ([`Writer`] from
/// records, [`LinesWriter`] from stored lines); a page drives either.
pub trait Steps {
    /// Appends the next piece; `true` once the text is complete.
    fn step(&mut self) -> bool;
    /// What has been written since the last call.
    fn take(&mut self) -> String;
    /// Records written so far.
    fn done(&self) -> usize;
    /// Records to write in all.
    fn total(&self) -> usize;
}

impl Steps for Writer<'_> {
    fn step(&mut self) -> bool {
        Writer::step(self)
    }
    fn take(&mut self) -> String {
        Writer::take(self)
    }
    fn done(&self) -> usize {
        Writer::done(self)
    }
    fn total(&self) -> usize {
        Writer::total(self)
    }
}

/// The names of the record lists, in the order a bundle has them.
pub const LISTS: [&str; 5] = ["accounts", "contacts", "links", "notes", "history"];

/// Stored lines of each record list (in [`LISTS`] order): texts of entries
/// `key<TAB>line<LF>` in any order, where `line` is the record's bundle line
/// ([`account_line`], ...) and `key` orders it (an id; a link's account id,
/// a space, its contact id). Ids never hold a tab, a space or a newline, and
/// compact JSON holds no raw tab or newline.
pub type StoredLists = [Vec<String>; 5];

/// Where one entry's parts are: (text, key start, tab, end of line).
type Place = (u32, u32, u32, u32);

/// Lines per [`LinesWriter`] step (about 1 MB of text at 100,000 contacts).
pub const LINES_PER_STEP: usize = 2_000;

/// Writes the canonical bundle text from stored lines: no record is read
/// back into a value or serialised again; each list's entries are put in
/// key order (the canonical order) and their lines copied out, with the
/// same envelope, indentation and commas as [`Writer`]. The text is
/// byte-identical to what [`Writer`] writes for the same records.
pub struct LinesWriter<'a> {
    catalog: &'a [CatalogItem],
    meta: &'a Meta,
    lists: &'a StoredLists,
    counts: [usize; 5],
    /// 0: the head; 1..=5: the lists; 6: the tail; 7: done.
    part: usize,
    /// The current list's entries in key order (made when it starts).
    order: Vec<Place>,
    at: usize,
    out: String,
    done: usize,
}

fn entries(texts: &[String]) -> Vec<Place> {
    let mut places = Vec::new();
    for (t, text) in texts.iter().enumerate() {
        let mut start = 0usize;
        for line in text.split_inclusive('\n') {
            let end = start + line.len() - usize::from(line.ends_with('\n'));
            if end > start {
                let tab = line.find('\t').map_or(start, |i| start + i);
                places.push((t as u32, start as u32, tab as u32, end as u32));
            }
            start += line.len();
        }
    }
    places
}

impl<'a> LinesWriter<'a> {
    pub fn new(catalog: &'a [CatalogItem], lists: &'a StoredLists, meta: &'a Meta) -> Self {
        let counts = std::array::from_fn(|i| {
            lists[i]
                .iter()
                .map(|t| t.split('\n').filter(|l| !l.is_empty()).count())
                .sum()
        });
        Self {
            catalog,
            meta,
            lists,
            counts,
            part: 0,
            order: Vec::new(),
            at: 0,
            out: String::new(),
            done: 0,
        }
    }

    /// How many records list `i` (in [`LISTS`] order) has.
    pub fn count(&self, i: usize) -> usize {
        self.counts.get(i).copied().unwrap_or(0)
    }

    fn step_by(&mut self, n: usize) -> bool {
        match self.part {
            0 => {
                head(&mut self.out, self.meta, self.catalog);
                self.done += self.catalog.len();
                self.part = 1;
            }
            1..=5 => {
                let i = self.part - 1;
                let texts = &self.lists[i];
                let len = self.counts[i];
                if self.at == 0 {
                    self.out.push_str(&format!("  \"{}\": [", LISTS[i]));
                    self.out.push_str(if len == 0 { "" } else { "\n" });
                    self.order = entries(texts);
                    let key = |p: &Place| &texts[p.0 as usize][p.1 as usize..p.2 as usize];
                    self.order.sort_unstable_by(|a, b| key(a).cmp(key(b)));
                }
                let to = self.at.saturating_add(n).min(self.order.len());
                for k in self.at..to {
                    let (t, _, tab, end) = self.order[k];
                    self.out.push_str("    ");
                    self.out
                        .push_str(&texts[t as usize][tab as usize + 1..end as usize]);
                    if k + 1 < self.order.len() {
                        self.out.push(',');
                    }
                    self.out.push('\n');
                }
                self.done += to - self.at;
                self.at = to;
                if to >= self.order.len() {
                    self.out.push_str(if len == 0 { "]" } else { "  ]" });
                    self.out.push_str(if i == 4 { "\n" } else { ",\n" });
                    self.part += 1;
                    self.at = 0;
                    self.order = Vec::new();
                }
            }
            6 => {
                self.out.push_str("}\n");
                self.part = 7;
            }
            _ => {}
        }
        self.part == 7
    }
}

impl Steps for LinesWriter<'_> {
    fn step(&mut self) -> bool {
        self.step_by(LINES_PER_STEP)
    }
    fn take(&mut self) -> String {
        std::mem::take(&mut self.out)
    }
    fn done(&self) -> usize {
        self.done
    }
    fn total(&self) -> usize {
        self.catalog.len() + self.counts.iter().sum::<usize>()
    }
}

/// The canonical bundle text from stored lines, in one go.
pub fn write_lines(catalog: &[CatalogItem], lists: &StoredLists, meta: &Meta) -> String {
    let mut w = LinesWriter::new(catalog, lists, meta);
    let mut text = String::new();
    while !w.step_by(usize::MAX) {
        text.push_str(&Steps::take(&mut w));
    }
    text.push_str(&Steps::take(&mut w));
    text
}

/// The envelope and the catalog, up to the first record list.
fn head(out: &mut String, meta: &Meta, items: &[CatalogItem]) {
    out.push_str("{\n");
    out.push_str(&format!("  \"format\": {},\n", quoted(FORMAT)));
    out.push_str(&format!("  \"version\": {VERSION},\n"));
    out.push_str(&format!("  \"exported_at\": {},\n", meta.exported_at.0));
    out.push_str(&format!("  \"app_version\": {},\n", quoted(&meta.app_version)));
    let catalog = convert::catalog_dto(items);
    out.push_str("  \"catalog\": {\n");
    catalog_list(out, "tags", &catalog.tags, false);
    catalog_list(out, "members", &catalog.members, false);
    catalog_list(out, "roles", &catalog.roles, false);
    catalog_list(out, "fields", &catalog.fields, false);
    catalog_list(out, "templates", &catalog.templates, true);
    out.push_str("  },\n");
}

/// One list of the catalog object.
fn catalog_list<T: Serialize>(out: &mut String, name: &str, items: &[T], last: bool) {
    out.push_str(&format!("    \"{name}\": ["));
    if !items.is_empty() {
        out.push('\n');
        lines(out, "      ", items, 0, items.len(), |t| t);
        out.push_str("    ");
    }
    out.push_str(if last { "]\n" } else { "],\n" });
}

#[cfg(test)]
fn json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// The canonical bundle text for `contents` (see the module documentation).
pub fn write(contents: &Contents, meta: &Meta) -> String {
    let mut w = Writer::new(contents, meta);
    let mut text = String::new();
    while !w.step_by(usize::MAX) {
        text.push_str(&w.take());
    }
    text.push_str(&w.take());
    text
}

#[cfg(test)]
mod tests {
    use super::super::dto::*;
    use super::super::fixtures::sample;
    use super::*;

    /// Each borrowing mirror writes exactly what its wire type writes.
    #[test]
    fn mirrors_write_what_the_wire_types_write() {
        let mut c = sample(6, 21);
        c.accounts[0].address.city = "Köln \"Mitte\"".into();
        c.links[1].signer_priority = Some(2);
        for a in &c.accounts {
            assert_eq!(json(&AccountOut::from(a)), json(&AccountDto::from(a)));
        }
        for x in &c.contacts {
            assert_eq!(json(&ContactOut::from(x)), json(&ContactDto::from(x)));
        }
        for l in &c.links {
            assert_eq!(json(&LinkOut::from(l)), json(&LinkDto::from(l)));
        }
        for n in &c.notes {
            assert_eq!(json(n), json(&NoteDto::from(n)));
        }
        for h in &c.history {
            assert_eq!(json(h), json(&HistoryDto::from(h)));
        }
    }

    /// Lines stored in any order and spread over several texts give the
    /// text the records give, at any step size.
    #[test]
    fn lines_write_what_the_records_write() {
        let mut c = sample(9, 31);
        c.accounts[1].name = "Ştefan \"Tab\there\" <b>".into();
        c.sort();
        let meta = Meta {
            exported_at: crate::domain::Timestamp(7),
            app_version: "1.2.3".into(),
        };
        let mut lists: StoredLists = Default::default();
        // Entries dealt round-robin over three texts, backwards.
        let mut deal = |i: usize, entries: Vec<(String, String)>| {
            lists[i] = vec![String::new(); 3];
            for (n, (key, line)) in entries.into_iter().rev().enumerate() {
                let t = &mut lists[i][n % 3];
                t.push_str(&format!("{key}\t{line}\n"));
            }
        };
        deal(
            0,
            c.accounts
                .iter()
                .map(|a| (a.id.to_string(), account_line(a)))
                .collect(),
        );
        deal(
            1,
            c.contacts
                .iter()
                .map(|x| (x.id.to_string(), contact_line(x)))
                .collect(),
        );
        deal(
            2,
            c.links
                .iter()
                .map(|l| (format!("{} {}", l.account_id, l.contact_id), link_line(l)))
                .collect(),
        );
        deal(
            3,
            c.notes.iter().map(|n| (n.id.to_string(), note_line(n))).collect(),
        );
        deal(
            4,
            c.history
                .iter()
                .map(|h| (h.id.to_string(), history_line(h)))
                .collect(),
        );
        let whole = write(&c, &meta);
        assert_eq!(write_lines(&c.catalog, &lists, &meta), whole);
        for n in [1, 2, 7] {
            let mut w = LinesWriter::new(&c.catalog, &lists, &meta);
            let mut text = String::new();
            while !w.step_by(n) {
                text.push_str(&Steps::take(&mut w));
            }
            text.push_str(&Steps::take(&mut w));
            assert_eq!(text, whole, "step {n}");
            assert_eq!(Steps::done(&w), Steps::total(&w));
            assert_eq!(w.count(0), c.accounts.len());
            assert_eq!(w.count(2), c.links.len());
        }
        let empty: StoredLists = Default::default();
        assert_eq!(
            write_lines(&[], &empty, &meta),
            write(&Contents::default(), &meta)
        );
    }

    #[test]
    fn steps_of_any_size_write_the_same_text() {
        let c = sample(7, 22);
        let meta = Meta {
            exported_at: crate::domain::Timestamp(5),
            app_version: "x".into(),
        };
        let whole = write(&c, &meta);
        for n in [1, 2, 3, 100] {
            let mut w = Writer::new(&c, &meta);
            let mut text = String::new();
            while !w.step_by(n) {
                text.push_str(&w.take());
            }
            text.push_str(&w.take());
            assert_eq!(text, whole, "step {n}");
            assert_eq!(w.done(), w.total());
        }
        let empty = write(&Contents::default(), &meta);
        let v: serde_json::Value = serde_json::from_str(&empty).unwrap();
        assert_eq!(v["accounts"], serde_json::json!([]));
        assert!(whole.contains("\n  \"accounts\": [\n    {\"id\":"), "{whole}");
    }
}
