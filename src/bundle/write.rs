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
enum Section {
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
    part: Section,
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
            part: Section::Head,
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
        let next = |part: Section, len: usize, this: &mut Self| {
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
            Section::Head => {
                head(out, self.meta, &c.catalog);
                self.done += c.catalog.len();
                self.part = Section::Accounts;
            }
            Section::Accounts => {
                list(out, "accounts", c.accounts.len(), from);
                lines(out, "    ", &c.accounts, from, to, AccountOut::from);
                if to >= c.accounts.len() {
                    close(out, c.accounts.len(), false);
                }
                let len = c.accounts.len();
                next(Section::Contacts, len, self);
            }
            Section::Contacts => {
                list(out, "contacts", c.contacts.len(), from);
                lines(out, "    ", &c.contacts, from, to, ContactOut::from);
                if to >= c.contacts.len() {
                    close(out, c.contacts.len(), false);
                }
                let len = c.contacts.len();
                next(Section::Links, len, self);
            }
            Section::Links => {
                list(out, "links", c.links.len(), from);
                lines(out, "    ", &c.links, from, to, LinkOut::from);
                if to >= c.links.len() {
                    close(out, c.links.len(), false);
                }
                let len = c.links.len();
                next(Section::Notes, len, self);
            }
            Section::Notes => {
                list(out, "notes", c.notes.len(), from);
                lines(out, "    ", &c.notes, from, to, |n| n);
                if to >= c.notes.len() {
                    close(out, c.notes.len(), false);
                }
                let len = c.notes.len();
                next(Section::History, len, self);
            }
            Section::History => {
                list(out, "history", c.history.len(), from);
                lines(out, "    ", &c.history, from, to, |h| h);
                if to >= c.history.len() {
                    close(out, c.history.len(), true);
                }
                let len = c.history.len();
                next(Section::Tail, len, self);
            }
            Section::Tail => {
                out.push_str("}\n");
                self.part = Section::Done;
            }
            Section::Done => {}
        }
        self.part == Section::Done
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

/// Something that writes a bundle's text piece by piece ([`Writer`]); a
/// page drives it.
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

/// What follows a record's line in the file, except after a list's last one.
pub const ENTRY_END: &str = ",\n";

/// Appends a record's entry as the file has it (and as a chunk of stored
/// lines keeps it, see `store::lines`): the line indented by four spaces,
/// then [`ENTRY_END`]. `line` is the record's bundle line ([`account_line`],
/// ...): compact JSON, which holds no raw newline.
pub fn push_entry(out: &mut String, line: &str) {
    out.push_str("    ");
    out.push_str(line);
    out.push_str(ENTRY_END);
}

/// A piece of the file [`assemble`] hands over.
#[derive(Debug, PartialEq, Eq)]
pub enum Part<'a, P> {
    /// Text of the envelope (the head, a list's brackets, the tail).
    Text(String),
    /// A chunk as it is.
    Whole(&'a P),
    /// The first so many bytes of a chunk (a list's last chunk, without the
    /// comma after its last entry).
    Start(&'a P, usize),
}

/// The canonical bundle as pieces, from each list's chunks (in [`LISTS`]
/// order): each chunk's text is entries as [`push_entry`] writes them, the
/// chunks of a list in order and the entries of each in key order (the
/// canonical order: ids; a link's account id, a space, its contact id), so
/// that one after another they are the list's lines. Empty chunks are
/// skipped; `len` gives a chunk's length in bytes. The pieces in order are
/// byte-identical to what [`Writer`] writes for the same records, and no
/// chunk's text is copied or even looked at.
pub fn assemble<'a, P>(
    catalog: &[CatalogItem],
    meta: &Meta,
    lists: &'a [Vec<P>; 5],
    len: impl Fn(&P) -> usize,
    mut emit: impl FnMut(Part<'a, P>),
) {
    let mut text = String::new();
    head(&mut text, meta, catalog);
    for (i, chunks) in lists.iter().enumerate() {
        text.push_str(&format!("  \"{}\": [", LISTS[i]));
        match chunks.iter().rposition(|c| len(c) > 0) {
            None => text.push(']'),
            Some(last) => {
                text.push('\n');
                for (k, chunk) in chunks.iter().enumerate().take(last + 1) {
                    let n = len(chunk);
                    if n == 0 {
                        continue;
                    }
                    if !text.is_empty() {
                        emit(Part::Text(std::mem::take(&mut text)));
                    }
                    if k == last {
                        emit(Part::Start(chunk, n.saturating_sub(ENTRY_END.len())));
                        text.push('\n');
                    } else {
                        emit(Part::Whole(chunk));
                    }
                }
                text.push_str("  ]");
            }
        }
        text.push_str(if i + 1 == LISTS.len() { "\n" } else { ",\n" });
    }
    text.push_str("}\n");
    emit(Part::Text(text));
}

/// The canonical bundle text from chunks of stored lines (see
/// [`assemble`]), in one go.
pub fn write_chunks(catalog: &[CatalogItem], lists: &[Vec<String>; 5], meta: &Meta) -> String {
    let mut out = String::new();
    assemble(catalog, meta, lists, String::len, |part| match part {
        Part::Text(t) => out.push_str(&t),
        Part::Whole(c) => out.push_str(c),
        Part::Start(c, n) => out.push_str(c.get(..n).unwrap_or_default()),
    });
    out
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

    /// Entries spread over chunks in key order (with empty chunks between,
    /// cut anywhere between entries) give the text the records give.
    #[test]
    fn chunks_write_what_the_records_write() {
        let mut c = sample(9, 31);
        c.accounts[1].name = "Ştefan \"Tab\there\" <b>".into();
        c.sort();
        let meta = Meta {
            exported_at: crate::domain::Timestamp(7),
            app_version: "1.2.3".into(),
        };
        let lines: [Vec<String>; 5] = [
            c.accounts.iter().map(account_line).collect(),
            c.contacts.iter().map(contact_line).collect(),
            c.links.iter().map(link_line).collect(),
            c.notes.iter().map(note_line).collect(),
            c.history.iter().map(history_line).collect(),
        ];
        let whole = write(&c, &meta);
        for per in [1, 2, 3, 1000] {
            let lists: [Vec<String>; 5] = std::array::from_fn(|i| {
                let mut chunks = vec![String::new()];
                for (k, line) in lines[i].iter().enumerate() {
                    if k % per == 0 {
                        // An empty chunk, then a new one.
                        chunks.push(String::new());
                        chunks.push(String::new());
                    }
                    if let Some(last) = chunks.last_mut() {
                        push_entry(last, line);
                    }
                }
                chunks.push(String::new());
                chunks
            });
            assert_eq!(write_chunks(&c.catalog, &lists, &meta), whole, "{per} per chunk");
        }
        let empty: [Vec<String>; 5] = Default::default();
        assert_eq!(
            write_chunks(&[], &empty, &meta),
            write(&Contents::default(), &meta)
        );
        let blank: [Vec<String>; 5] = std::array::from_fn(|_| vec![String::new()]);
        assert_eq!(
            write_chunks(&[], &blank, &meta),
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
