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
use crate::domain::ids::{FieldId, MemberId, TagId, TemplateId};
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
                out.push_str("{\n");
                out.push_str(&format!("  \"format\": {},\n", quoted(FORMAT)));
                out.push_str(&format!("  \"version\": {VERSION},\n"));
                out.push_str(&format!("  \"exported_at\": {},\n", self.meta.exported_at.0));
                out.push_str(&format!(
                    "  \"app_version\": {},\n",
                    quoted(&self.meta.app_version)
                ));
                let catalog = convert::catalog_dto(&c.catalog);
                out.push_str("  \"catalog\": {\n");
                catalog_list(out, "tags", &catalog.tags, false);
                catalog_list(out, "members", &catalog.members, false);
                catalog_list(out, "roles", &catalog.roles, false);
                catalog_list(out, "fields", &catalog.fields, false);
                catalog_list(out, "templates", &catalog.templates, true);
                out.push_str("  },\n");
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
