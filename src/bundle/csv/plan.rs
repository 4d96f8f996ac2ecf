//! From rows to records: what a CSV import adds to and changes in the
//! stored data, as an incoming [`Contents`] that the bundle merge then
//! previews and writes (so counts, the one transaction, the snapshot and
//! "Undo last import" are the same as for bundles).
//!
//! One contact per row; rows with the same account name are one account;
//! a contact on several rows (same email) is one contact linked to each of
//! their accounts. Stored accounts are found by their exact name, stored
//! contacts by any of their emails, so importing a file again updates what
//! the first import made instead of making it twice. A cell left empty
//! never erases a stored value; tags, team members, roles, emails and
//! phones are added, never removed. Every problem is collected with its
//! row and column (`row 118, column "Email": not an email address`); a
//! file with any problem gives no records at all. See `docs/csv-import.md`.

use super::guess::{Part, Side, Target};
use super::{column_letter, Table};
use crate::bundle::matching::MatchKeys;
use crate::bundle::Contents;
use crate::domain::account::{check_account_name, RoleAssignment};
use crate::domain::catalog::{Catalog, CatalogItem, FieldDef, FieldKind, Tag, MAX_TAG_CHARS, TAG_COLORS};
use crate::domain::history::{self, Change};
use crate::domain::ids::{AccountId, ContactId, FieldId, IdSource, MemberId, TagId};
use crate::domain::note::{check_note_text, Note};
use crate::domain::search::normalize;
use crate::domain::time::parse_date;
use crate::domain::validation::{text_field, Label, Problem, ValidationErrors};
use crate::domain::{Account, AccountType, Address, Contact, Email, Link, Timestamp};
use crate::error::problem_text;
use crate::i18n::{t, tf, tn, Key};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// What an import makes of the rows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Mode {
    /// Accounts with their contacts (the usual first import).
    #[default]
    AccountsAndContacts,
    /// Changes existing accounts only (tags, team, roles, fields, ...).
    AccountsOnly,
    /// Contacts without accounts.
    ContactsOnly,
}

impl Mode {
    pub const ALL: [Mode; 3] = [Self::AccountsAndContacts, Self::AccountsOnly, Self::ContactsOnly];
    pub fn label(self) -> &'static str {
        t(match self {
            Self::AccountsAndContacts => Key::CsvModeBoth,
            Self::AccountsOnly => Key::CsvModeAccounts,
            Self::ContactsOnly => Key::CsvModeContacts,
        })
    }
    pub fn code(self) -> &'static str {
        match self {
            Self::AccountsAndContacts => "both",
            Self::AccountsOnly => "accounts",
            Self::ContactsOnly => "contacts",
        }
    }
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.code() == code)
    }
    /// Whether columns of `side` are imported in this mode.
    fn uses(self, side: Side) -> bool {
        match (self, side) {
            (_, Side::None) => false,
            (Self::AccountsAndContacts, _) => true,
            (Self::AccountsOnly, s) => s == Side::Account,
            (Self::ContactsOnly, s) => s == Side::Contact,
        }
    }
}

/// Settings for the whole import.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Settings {
    pub mode: Mode,
    /// Tag names added to every imported account (to every contact in
    /// "Contacts only"); missing tags are created.
    pub tags: Vec<String>,
    /// Turn on portal Login for the imported emails (on every link the
    /// import makes or touches).
    pub login: bool,
    /// Turn on Notify for the imported emails.
    pub notify: bool,
}

/// Everything an import needs besides the stored data.
#[derive(Clone, Copy, Debug)]
pub struct Job<'a> {
    pub table: &'a Table,
    /// The target of each column (same length as the header).
    pub mapping: &'a [Target],
    pub settings: &'a Settings,
    /// Who imports (for history and notes).
    pub by: &'a str,
}

/// The records to merge, and what the preview says besides the counts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    pub contents: Contents,
    /// Things the import leaves aside on purpose (ignored columns, ...).
    pub warnings: Vec<String>,
    /// Tags the import creates.
    pub new_tags: Vec<String>,
    /// Rows read (blank rows are not counted).
    pub rows: usize,
}

/// The problems of a file, each with its place, at most
/// [`crate::bundle::MAX_PROBLEMS`] of them (then "… and N more").
#[derive(Default)]
struct Problems {
    list: Vec<String>,
    count: usize,
}

impl Problems {
    fn push(&mut self, line: String) {
        self.count += 1;
        if self.list.len() < crate::bundle::MAX_PROBLEMS {
            self.list.push(line);
        }
    }
    fn finish(mut self) -> Vec<String> {
        if self.count > self.list.len() {
            let more = self.count - self.list.len();
            self.list.push(tn(Key::BundleMoreProblems, more, &[]));
        }
        self.list
    }
}

/// How a problem names a column: by its header, or by its letter.
pub fn column_name(table: &Table, col: usize) -> String {
    match table.headers.get(col) {
        Some(h) if !h.is_empty() => tf(Key::CsvColumnNamed, &[("name", h)]),
        _ => tf(Key::CsvColumnLetter, &[("letter", &column_letter(col))]),
    }
}

/// Turns the (worded) problems into validation errors, for the
/// repository, which refuses an import with them.
pub fn into_errors(problems: Vec<String>) -> ValidationErrors {
    let mut e = ValidationErrors::default();
    for p in problems {
        e.push("file", Problem::Worded(p));
    }
    e
}

/// "row 5, column "Email"" (or "row 5" when no column applies).
fn at_row(row: usize, column: Option<String>) -> String {
    match column {
        Some(c) => tf(Key::CsvAtRowColumn, &[("row", &row.to_string()), ("column", &c)]),
        None => tf(Key::CsvAtRow, &[("row", &row.to_string())]),
    }
}

/// A problem with its place: "row 5, column "Email": not an email address".
fn located(place: &str, message: &str) -> String {
    tf(Key::ProblemAt, &[("path", place), ("problem", message)])
}

// ----- values -------------------------------------------------------------

/// Splits a cell holding several values: Google's ` ::: `, else `;` and `,`.
fn split_list(cell: &str) -> Vec<&str> {
    let parts: Vec<&str> = if cell.contains(":::") {
        cell.split(":::").collect()
    } else {
        cell.split([';', ',']).collect()
    };
    parts
        .into_iter()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

/// Phone numbers in one cell: ` ::: `, `;` or line breaks between them.
fn split_phones(cell: &str) -> Vec<&str> {
    cell.split(":::")
        .flat_map(|p| p.split([';', '\n', '\r']))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

/// Email addresses in one cell: separated by ` ::: `, `;`, `,` or spaces.
fn split_emails(cell: &str) -> Vec<&str> {
    cell.split(":::")
        .flat_map(|p| p.split([';', ',']))
        .flat_map(str::split_whitespace)
        .collect()
}

fn key(s: &str) -> String {
    super::guess::key(s)
}

/// An account type written in any of the five languages.
pub fn parse_type(value: &str) -> Option<AccountType> {
    const INDIVIDUAL: &str = "individual person personal private family privat privatperson einzelperson naturlicheperson familie particulier persoon prive individu personnephysique famille persoanafizica fizica pf familia";
    const COMPANY: &str = "company business firm corporation organization organisation firma unternehmen gesellschaft juristischeperson bedrijf onderneming rechtspersoon entreprise societe personnemorale companie societate persoanajuridica juridica pj";
    const OTHER: &str =
        "other sonstige sonstiges andere anderes overig overige ander autre autres altele alta altul alt";
    let k = key(value);
    [
        (INDIVIDUAL, AccountType::Individual),
        (COMPANY, AccountType::Company),
        (OTHER, AccountType::Other),
    ]
    .into_iter()
    .find(|(words, _)| words.split(' ').any(|w| w == k))
    .map(|(_, t)| t)
}

/// For each column of dates written with `/`, whether its day comes first:
/// known when some date there reads only one way (`25/12/1980` or
/// `12/25/1980`) and none reads only the other.
fn date_orders(job: &Job) -> HashMap<usize, bool> {
    let mut out = HashMap::new();
    for (col, t) in job.mapping.iter().enumerate() {
        if !matches!(
            t,
            Target::DateOfBirth | Target::AccountField(_) | Target::ContactField(_)
        ) {
            continue;
        }
        let (mut day, mut month) = (false, false);
        for row in &job.table.rows {
            let v = row.cells.get(col).map(|c| c.trim()).unwrap_or("");
            let date = v.split(' ').next().unwrap_or("");
            let parts: Vec<&str> = date.split('/').collect();
            if let [a, b, y] = parts.as_slice() {
                if let (Ok(a), Ok(b), 4) = (a.parse::<u32>(), b.parse::<u32>(), y.len()) {
                    day |= a > 12 && b <= 12;
                    month |= b > 12 && a <= 12;
                }
            }
        }
        if day != month {
            out.insert(col, day);
        }
    }
    out
}

/// A yes/no cell in any of the five languages.
fn parse_yes_no(value: &str) -> Option<&'static str> {
    const YES: &str = "yes y true 1 x ja j wahr waar oui o vrai da adevarat";
    const NO: &str = "no n false 0 nein falsch nee onwaar non faux nu fals";
    let k = key(value);
    if YES.split(' ').any(|w| w == k) {
        Some("yes")
    } else if NO.split(' ').any(|w| w == k) {
        Some("no")
    } else {
        None
    }
}

/// A date as spreadsheets write it.
#[derive(Debug, PartialEq, Eq)]
pub enum DateCell {
    /// `YYYY-MM-DD`.
    Date(String),
    /// Empty, or Outlook's `0/0/00` (no date).
    Empty,
    /// Day and month without a year (Google's `--05-12`).
    NoYear,
}

/// Reads `1980-05-12`, `12.05.1980`, `12-05-1980`, `1980/05/12`, and
/// `12/05/1980` or `05/12/1980`: day first when `day_first` says so (the
/// column's other dates showed it), else when only one reading is a date.
/// A two-digit year or a date that could be read two ways is refused with
/// what to write instead.
pub fn parse_date_cell(value: &str, day_first: Option<bool>) -> Result<DateCell, String> {
    let v = value.trim();
    if v.is_empty() || v == "0/0/00" || v == "0/0/0000" || v == "00.00.0000" {
        return Ok(DateCell::Empty);
    }
    if v.starts_with("--") {
        return Ok(DateCell::NoYear);
    }
    // A time after the date (`1980-05-12T00:00:00`, `12.05.1980 00:00`).
    let date = v.split(['T', ' ']).next().unwrap_or(v);
    let iso = |y: u32, m: u32, d: u32| {
        let s = format!("{y:04}-{m:02}-{d:02}");
        parse_date(&s).map(|_| s)
    };
    let not_a_date = || tf(Key::CsvNotADate, &[("value", v)]);
    let sep = date.chars().find(|c| matches!(c, '-' | '.' | '/'));
    let parts: Vec<&str> = match sep {
        Some(s) => date.split(s).collect(),
        None => return Err(not_a_date()),
    };
    let nums: Vec<u32> = parts.iter().filter_map(|p| p.parse().ok()).collect();
    if parts.len() != 3 || nums.len() != 3 || parts.iter().any(|p| p.is_empty() || p.len() > 4) {
        return Err(not_a_date());
    }
    let (a, b, c) = (nums[0], nums[1], nums[2]);
    let found = if parts[0].len() == 4 {
        iso(a, b, c)
    } else if parts[2].len() != 4 {
        return Err(tf(Key::CsvYearDigits, &[("value", v)]));
    } else if sep == Some('/') {
        match (iso(c, b, a), iso(c, a, b)) {
            (Some(x), Some(y)) if x != y && day_first.is_some() => {
                if day_first == Some(true) {
                    Some(x)
                } else {
                    Some(y)
                }
            }
            (Some(x), Some(y)) if x != y => {
                return Err(tf(
                    Key::CsvAmbiguousDate,
                    &[("value", v), ("first", &x), ("second", &y)],
                ))
            }
            (x, y) => x.or(y),
        }
    } else {
        iso(c, b, a)
    };
    found.map(DateCell::Date).ok_or_else(not_a_date)
}

/// The value to store in a custom field, or why it does not fit. Yes/no,
/// dropdown options (any case) and dates are read as spreadsheets write them.
fn field_value(def: &FieldDef, raw: &str, day_first: Option<bool>) -> Result<String, String> {
    let v = raw.trim();
    match &def.kind {
        FieldKind::YesNo if !v.is_empty() => parse_yes_no(v)
            .map(str::to_owned)
            .ok_or_else(|| problem_text(&Problem::NotYesNo(Label::Custom(def.label.clone())))),
        FieldKind::Dropdown(options) if !v.is_empty() => {
            options.iter().find(|o| key(o) == key(v)).cloned().ok_or_else(|| {
                problem_text(&Problem::NotAnOption(
                    Label::Custom(def.label.clone()),
                    options.clone(),
                ))
            })
        }
        FieldKind::Date => match parse_date_cell(v, day_first)? {
            DateCell::Date(d) => Ok(d),
            DateCell::Empty => Ok(String::new()),
            DateCell::NoYear => Err(tf(Key::CsvNoYear, &[("value", v)])),
        },
        _ => def.check_value(v).map_err(|p| problem_text(&p)),
    }
}

/// A digits-only form of a phone number, to see the same number written
/// two ways.
fn phone_key(p: &str) -> String {
    p.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect()
}

// ----- the catalog as the import sees it ---------------------------------

/// Tags, team members, roles and fields, with the tags the import creates.
struct Lookup<'a> {
    catalog: &'a Catalog,
    tags: HashMap<String, TagId>,
    new_tags: Vec<Tag>,
    members: HashMap<String, MemberId>,
    fields: HashMap<&'a FieldId, &'a FieldDef>,
}

impl<'a> Lookup<'a> {
    fn new(catalog: &'a Catalog) -> Self {
        let mut members = HashMap::new();
        for m in &catalog.members {
            members.insert(normalize(&m.name), m.id.clone());
            members.insert(m.email.trim().to_lowercase(), m.id.clone());
        }
        Self {
            catalog,
            tags: catalog
                .tags
                .iter()
                .map(|t| (normalize(&t.name), t.id.clone()))
                .collect(),
            new_tags: Vec::new(),
            members,
            fields: catalog.fields.iter().map(|f| (&f.id, f)).collect(),
        }
    }

    /// The tag with this name (ignoring case and accents), created when missing.
    fn tag(&mut self, name: &str, ids: &mut impl IdSource) -> Result<TagId, String> {
        let name = name.trim();
        if let Some(id) = self.tags.get(&normalize(name)) {
            return Ok(id.clone());
        }
        if name.chars().count() > MAX_TAG_CHARS {
            return Err(tf(
                Key::CsvTagTooLong,
                &[("name", name), ("max", &MAX_TAG_CHARS.to_string())],
            ));
        }
        if name.chars().any(char::is_control) {
            return Err(tf(Key::CsvTagControlChar, &[("name", name)]));
        }
        let n = self.catalog.tags.len() + self.new_tags.len();
        let tag = Tag {
            id: ids.id(),
            name: name.to_owned(),
            color: TAG_COLORS[n % TAG_COLORS.len()].to_owned(),
        };
        self.tags.insert(normalize(name), tag.id.clone());
        let id = tag.id.clone();
        self.new_tags.push(tag);
        Ok(id)
    }

    /// The tags of a cell. Google's own labels (`* myContacts`, `* starred`)
    /// are not the practitioner's tags and are left out.
    fn tags(&mut self, cell: &str, ids: &mut impl IdSource) -> Result<Vec<TagId>, String> {
        let mut out = Vec::new();
        for name in split_list(cell) {
            if name.starts_with("* ") {
                continue;
            }
            let id = self.tag(name, ids)?;
            if !out.contains(&id) {
                out.push(id);
            }
        }
        Ok(out)
    }

    /// Team members named (by name or email) in a cell. The whole cell is
    /// tried first, so "Smith, Ann" can be one member.
    fn members(&self, cell: &str) -> Result<Vec<MemberId>, String> {
        let find = |s: &str| {
            self.members
                .get(&normalize(s))
                .or_else(|| self.members.get(&s.trim().to_lowercase()))
                .cloned()
        };
        if let Some(m) = find(cell) {
            return Ok(vec![m]);
        }
        let mut out = Vec::new();
        for name in split_list(cell) {
            match find(name) {
                Some(m) if !out.contains(&m) => out.push(m),
                Some(_) => {}
                None => return Err(tf(Key::CsvNoSuchMember, &[("name", name)])),
            }
        }
        Ok(out)
    }
}

// ----- one row ------------------------------------------------------------

/// A value with the column it came from.
#[derive(Clone, Debug)]
struct Cell<T> {
    value: T,
    col: usize,
}

/// What one row says, checked, before it is matched to records.
#[derive(Default)]
struct RowValues {
    account_name: Option<Cell<String>>,
    kind: Option<Cell<AccountType>>,
    company: Option<Cell<String>>,
    account_address: [Option<Cell<String>>; 5],
    account_tags: Vec<TagId>,
    team: Vec<MemberId>,
    roles: Vec<RoleAssignment>,
    account_custom: Vec<(FieldId, Cell<String>)>,
    notes: Vec<String>,
    first: Option<Cell<String>>,
    middle: Option<Cell<String>>,
    last: Option<Cell<String>>,
    emails: Vec<Email>,
    phones: Vec<String>,
    contact_address: [Option<Cell<String>>; 5],
    dob: Option<Cell<String>>,
    dob_without_year: bool,
    contact_tags: Vec<TagId>,
    contact_custom: Vec<(FieldId, Cell<String>)>,
    /// Any value for the account side / the contact side.
    has_account: bool,
    has_contact: bool,
}

impl RowValues {
    /// The contact's name for matching without email: normalised "first last".
    fn name_key(&self) -> String {
        let part = |c: &Option<Cell<String>>| c.as_ref().map(|c| c.value.clone()).unwrap_or_default();
        normalize(&format!("{} {}", part(&self.first), part(&self.last)))
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn person_name(&self) -> String {
        [&self.first, &self.last]
            .iter()
            .filter_map(|c| c.as_ref().map(|c| c.value.trim()))
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The account name when the row does not give one: the company name
    /// for a Company (or when there is no person's name), else the person's.
    fn generated_name(&self) -> Option<Cell<String>> {
        let company = self.company.clone().filter(|c| !c.value.is_empty());
        let is_company = self
            .kind
            .as_ref()
            .is_some_and(|k| k.value == AccountType::Company);
        let person = self.person_name();
        match (company, is_company) {
            (Some(c), true) => Some(c),
            (company, _) if person.is_empty() => company,
            _ => {
                let col = self.first.as_ref().or(self.last.as_ref()).map_or(0, |c| c.col);
                Some(Cell { value: person, col })
            }
        }
    }
}

fn address_index(p: Part) -> usize {
    match p {
        Part::Street => 0,
        Part::City => 1,
        Part::State => 2,
        Part::PostalCode => 3,
        Part::Country => 4,
    }
}

/// Reads and checks one row. Problems name the row and column.
fn parse_row(
    job: &Job,
    day_first: &HashMap<usize, bool>,
    cells: &[String],
    number: usize,
    lookup: &mut Lookup,
    ids: &mut impl IdSource,
    problems: &mut Problems,
) -> RowValues {
    let mode = job.settings.mode;
    let mut r = RowValues::default();
    let mut full_name: Option<Cell<String>> = None;
    let mut main_emails: Vec<Email> = Vec::new();
    let mut other_emails: Vec<Email> = Vec::new();
    for (col, (target, raw)) in job.mapping.iter().zip(cells).enumerate() {
        let raw = raw.trim();
        if raw.is_empty() || !mode.uses(target.side()) {
            continue;
        }
        let mut fail = |message: String| {
            problems.push(located(
                &at_row(number, Some(column_name(job.table, col))),
                &message,
            ))
        };
        // A one-line text value, checked like a typed one.
        let text = |label: Label, fail: &mut dyn FnMut(String)| {
            let mut e = ValidationErrors::default();
            let v = text_field(&mut e, "v", label, raw, false);
            match e.0.into_iter().next() {
                Some(err) => {
                    fail(problem_text(&err.problem));
                    None
                }
                None => Some(Cell { value: v, col }),
            }
        };
        match target.side() {
            Side::Account => r.has_account = true,
            Side::Contact => r.has_contact = true,
            Side::None => {}
        }
        match target {
            Target::Skip => {}
            Target::AccountName => {
                if let Some(c) = text(Label::AccountName, &mut fail) {
                    let mut e = ValidationErrors::default();
                    check_account_name(&mut e, "v", &c.value);
                    match e.0.into_iter().next() {
                        Some(err) => fail(problem_text(&err.problem)),
                        None => r.account_name = Some(c),
                    }
                }
            }
            Target::AccountType => match parse_type(raw) {
                Some(t) => r.kind = Some(Cell { value: t, col }),
                None => fail(tf(Key::CsvNotAType, &[("value", raw)])),
            },
            Target::CompanyName => r.company = text(Label::CompanyName, &mut fail),
            Target::AccountAddress(p) => {
                r.account_address[address_index(*p)] = text(p.field_label(), &mut fail)
            }
            Target::ContactAddress(p) => {
                r.contact_address[address_index(*p)] = text(p.field_label(), &mut fail)
            }
            Target::AccountTags => match lookup.tags(raw, ids) {
                Ok(t) => r.account_tags.extend(t),
                Err(m) => fail(m),
            },
            Target::ContactTags => match lookup.tags(raw, ids) {
                Ok(t) => r.contact_tags.extend(t),
                Err(m) => fail(m),
            },
            Target::TeamMembers => match lookup.members(raw) {
                Ok(m) => r.team.extend(m),
                Err(m) => fail(m),
            },
            Target::Role(role) => match lookup.members(raw) {
                Ok(members) => r.roles.extend(members.into_iter().map(|member| RoleAssignment {
                    role: role.clone(),
                    member,
                })),
                Err(m) => fail(m),
            },
            Target::AccountField(id) | Target::ContactField(id) => {
                let Some(def) = lookup.fields.get(id) else {
                    continue;
                };
                match field_value(def, raw, day_first.get(&col).copied()) {
                    Ok(v) if v.is_empty() => {}
                    Ok(v) => {
                        let cell = (id.clone(), Cell { value: v, col });
                        if matches!(target, Target::AccountField(_)) {
                            r.account_custom.push(cell);
                        } else {
                            r.contact_custom.push(cell);
                        }
                    }
                    Err(m) => fail(m),
                }
            }
            Target::AccountNote => match check_note_text(raw) {
                Ok(t) => r.notes.push(t),
                Err(e) => fail(e.0.first().map(|f| problem_text(&f.problem)).unwrap_or_default()),
            },
            Target::FirstName => r.first = text(Label::FirstName, &mut fail),
            Target::MiddleName => r.middle = text(Label::MiddleName, &mut fail),
            Target::LastName => r.last = text(Label::LastName, &mut fail),
            Target::FullName => full_name = text(Label::MemberName, &mut fail),
            Target::Email | Target::OtherEmails => {
                for part in split_emails(raw) {
                    match Email::parse(part) {
                        Ok(e) if *target == Target::Email => main_emails.push(e),
                        Ok(e) => other_emails.push(e),
                        Err(err) => fail(problem_text(&Problem::Email(err))),
                    }
                }
            }
            Target::Phone => {
                for part in split_phones(raw) {
                    let mut e = ValidationErrors::default();
                    let p = text_field(&mut e, "v", Label::Phone, part, false);
                    match e.0.into_iter().next() {
                        Some(err) => fail(problem_text(&err.problem)),
                        None => r.phones.push(p),
                    }
                }
            }
            Target::DateOfBirth => match parse_date_cell(raw, day_first.get(&col).copied()) {
                Ok(DateCell::Date(d)) => r.dob = Some(Cell { value: d, col }),
                Ok(DateCell::Empty) => {}
                Ok(DateCell::NoYear) => r.dob_without_year = true,
                Err(m) => fail(m),
            },
        }
    }
    // "Name" fills in a row without first and last name ("Last, First"
    // or "First ... Last").
    if let (Some(full), None, None) = (full_name, &r.first, &r.last) {
        let (first, last) = match full.value.split_once(',') {
            Some((last, first)) => (first.trim().to_owned(), last.trim().to_owned()),
            None => match full.value.rsplit_once(' ') {
                Some((first, last)) => (first.trim().to_owned(), last.trim().to_owned()),
                None => (full.value.clone(), String::new()),
            },
        };
        let col = full.col;
        r.first = (!first.is_empty()).then_some(Cell { value: first, col });
        r.last = (!last.is_empty()).then_some(Cell { value: last, col });
    }
    for e in main_emails.into_iter().chain(other_emails) {
        if !r.emails.iter().any(|x| x.key() == e.key()) {
            r.emails.push(e);
        }
    }
    r
}

// ----- matching rows to records -------------------------------------------

/// A value set by a row, to notice two rows giving one record two values.
#[derive(Clone)]
struct Set<T> {
    value: T,
    row: usize,
}

/// Sets `slot` to `value`; a different value from an earlier row is a problem.
fn set_once<T: PartialEq + std::fmt::Display + Clone>(
    slot: &mut Option<Set<T>>,
    value: T,
    row: usize,
    place: impl FnOnce() -> String,
    what: &str,
    problems: &mut Problems,
) {
    match slot {
        Some(s) if s.value != value => problems.push(located(
            &place(),
            &tf(
                Key::CsvDiffers,
                &[
                    ("value", &value.to_string()),
                    ("earlier", &s.value.to_string()),
                    ("row", &s.row.to_string()),
                    ("what", what),
                ],
            ),
        )),
        Some(_) => {}
        None => *slot = Some(Set { value, row }),
    }
}

#[derive(Default)]
struct AccountSlot {
    stored: Option<usize>,
    name: String,
    first_row: usize,
    name_col: Option<usize>,
    kind: Option<Set<AccountTypeShown>>,
    company: Option<Set<String>>,
    address: [Option<Set<String>>; 5],
    tags: Vec<TagId>,
    team: Vec<MemberId>,
    roles: Vec<RoleAssignment>,
    custom: BTreeMap<FieldId, Set<String>>,
    notes: Vec<String>,
}

#[derive(Default)]
struct ContactSlot {
    stored: Option<usize>,
    first_row: usize,
    first: Option<Set<String>>,
    middle: Option<Set<String>>,
    last: Option<Set<String>>,
    emails: Vec<Email>,
    phones: Vec<String>,
    address: [Option<Set<String>>; 5],
    dob: Option<Set<String>>,
    tags: Vec<TagId>,
    custom: BTreeMap<FieldId, Set<String>>,
}

impl std::fmt::Display for AccountTypeShown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(crate::i18n::names::account_type(self.0))
    }
}

/// An account type, shown by its label in problems.
#[derive(Clone, Copy, PartialEq, Eq)]
struct AccountTypeShown(AccountType);

fn push_new<T: PartialEq + Clone>(list: &mut Vec<T>, items: &[T]) {
    for i in items {
        if !list.contains(i) {
            list.push(i.clone());
        }
    }
}

/// What is stored, indexed for matching.
struct Stored<'a> {
    c: &'a Contents,
    accounts_by_name: HashMap<&'a str, Vec<usize>>,
    contact_by_email: HashMap<String, usize>,
    contact_index: HashMap<&'a ContactId, usize>,
    account_index: HashMap<&'a AccountId, usize>,
    links_of_contact: HashMap<&'a ContactId, Vec<usize>>,
    links_of_account: HashMap<&'a AccountId, Vec<usize>>,
    link_index: HashMap<(&'a AccountId, &'a ContactId), usize>,
}

impl<'a> Stored<'a> {
    fn new(c: &'a Contents) -> Self {
        let mut s = Stored {
            c,
            accounts_by_name: HashMap::new(),
            contact_by_email: HashMap::new(),
            contact_index: HashMap::new(),
            account_index: HashMap::new(),
            links_of_contact: HashMap::new(),
            links_of_account: HashMap::new(),
            link_index: HashMap::new(),
        };
        for (i, a) in c.accounts.iter().enumerate() {
            s.accounts_by_name.entry(a.name.trim()).or_default().push(i);
            s.account_index.insert(&a.id, i);
        }
        for (i, ct) in c.contacts.iter().enumerate() {
            s.contact_index.insert(&ct.id, i);
            for k in ct.email_keys() {
                s.contact_by_email.insert(k, i);
            }
        }
        for (i, l) in c.links.iter().enumerate() {
            s.links_of_contact.entry(&l.contact_id).or_default().push(i);
            s.links_of_account.entry(&l.account_id).or_default().push(i);
            s.link_index.insert((&l.account_id, &l.contact_id), i);
        }
        s
    }

    /// Stored contacts linked to account `a` whose name is `name_key`.
    fn contact_of_account_named(&self, a: usize, name_key: &str) -> Option<usize> {
        let account = &self.c.accounts[a].id;
        self.links_of_account
            .get(account)?
            .iter()
            .filter_map(|&l| self.contact_index.get(&self.c.links[l].contact_id).copied())
            .find(|&ci| contact_name_key(&self.c.contacts[ci]) == name_key)
    }
}

fn contact_name_key(c: &Contact) -> String {
    normalize(&format!("{} {}", c.first_name, c.last_name))
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Checks the mapping itself: one column per single field, targets that
/// still exist, and what the mode needs. Returns the columns the mode
/// leaves aside (for a warning).
fn check_mapping(job: &Job, catalog: &Catalog, problems: &mut Problems) -> Vec<String> {
    let table = job.table;
    if job.mapping.len() != table.headers.len() {
        problems.push(tf(
            Key::CsvMappingLength,
            &[
                ("mapped", &job.mapping.len().to_string()),
                ("columns", &table.headers.len().to_string()),
            ],
        ));
        return Vec::new();
    }
    let mut first_col: HashMap<&Target, usize> = HashMap::new();
    let mut ignored = Vec::new();
    for (col, t) in job.mapping.iter().enumerate() {
        if !t.repeatable() {
            if let Some(&other) = first_col.get(t) {
                problems.push(tf(
                    Key::CsvMappedTwice,
                    &[
                        ("first", &column_name(table, other)),
                        ("second", &column_name(table, col)),
                        ("target", &t.label(catalog)),
                    ],
                ));
            } else {
                first_col.insert(t, col);
            }
        }
        let gone = match t {
            Target::Role(id) => catalog.role(id).is_none(),
            Target::AccountField(id) | Target::ContactField(id) => catalog.field(id).is_none(),
            _ => false,
        };
        if gone {
            problems.push(located(
                &column_name(table, col),
                crate::i18n::t(Key::CsvMappedGone),
            ));
        }
        if *t != Target::Skip && !job.settings.mode.uses(t.side()) {
            ignored.push(column_name(table, col));
        }
    }
    let mapped = |t: &Target| job.mapping.contains(t);
    match job.settings.mode {
        Mode::AccountsOnly if !mapped(&Target::AccountName) => {
            problems.push(t(Key::CsvAccountsOnlyNeedsName).to_owned())
        }
        Mode::ContactsOnly
            if ![
                Target::Email,
                Target::FirstName,
                Target::LastName,
                Target::FullName,
            ]
            .iter()
            .any(mapped) =>
        {
            problems.push(t(Key::CsvContactsOnlyNeedsName).to_owned())
        }
        Mode::AccountsAndContacts
            if ![
                Target::AccountName,
                Target::CompanyName,
                Target::FirstName,
                Target::LastName,
                Target::FullName,
                Target::Email,
            ]
            .iter()
            .any(mapped) =>
        {
            problems.push(t(Key::CsvNeedsNameOrEmail).to_owned())
        }
        _ => {}
    }
    ignored
}

/// "rows 4, 9, 12" (at most ten, then "…").
fn rows_phrase(rows: &[usize]) -> String {
    let shown: Vec<String> = rows.iter().take(10).map(ToString::to_string).collect();
    let more = if rows.len() > 10 { ", …" } else { "" };
    let list = format!("{}{more}", shown.join(", "));
    tf(
        if rows.len() == 1 {
            Key::CsvOneRow
        } else {
            Key::CsvSeveralRows
        },
        &[("list", &list)],
    )
}

/// Plans an import of `job` into `stored` (see the module documentation).
/// `ids` makes the ids of new records; `at` is their time.
pub fn plan(
    stored: &Contents,
    job: &Job,
    ids: &mut impl IdSource,
    at: Timestamp,
) -> Result<Outcome, Vec<String>> {
    let never = |_: usize, _: usize| None::<std::future::Ready<()>>;
    let mut work = std::pin::pin!(plan_paced(stored, job, ids, at, never));
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    // Never paused, so ready at the first poll (the loop only says so).
    loop {
        if let std::task::Poll::Ready(out) = std::future::Future::poll(work.as_mut(), &mut cx) {
            return out;
        }
    }
}

/// Rows planned between two calls of the `pause` of [`plan_paced`].
pub const ROWS_PER_STEP: usize = 200;

/// [`plan`], calling `pause(rows done, rows in all)` every
/// [`ROWS_PER_STEP`] rows (and every as many records made from them, with
/// every row done) and awaiting the future it gives, if any (the page gives
/// the browser a turn there and moves a progress bar). Pure: the caller
/// decides what a pause is.
pub async fn plan_paced<F: std::future::Future<Output = ()>>(
    stored: &Contents,
    job: &Job<'_>,
    ids: &mut impl IdSource,
    at: Timestamp,
    mut pause: impl FnMut(usize, usize) -> Option<F>,
) -> Result<Outcome, Vec<String>> {
    let catalog = Catalog::from_items(stored.catalog.iter().cloned());
    let mut problems = Problems::default();
    let ignored = check_mapping(job, &catalog, &mut problems);
    if problems.count > 0 {
        return Err(problems.finish());
    }
    let mode = job.settings.mode;
    let mut warnings = Vec::new();
    if !ignored.is_empty() {
        warnings.push(tf(
            Key::CsvColumnsNotImported,
            &[("mode", mode.label()), ("columns", &ignored.join(", "))],
        ));
    }
    let mut lookup = Lookup::new(&catalog);
    let mut batch_tags = Vec::new();
    for name in &job.settings.tags {
        match lookup.tag(name, ids) {
            Ok(t) if !batch_tags.contains(&t) => batch_tags.push(t),
            Ok(_) => {}
            Err(m) => problems.push(located(t(Key::CsvBatchTags), &m)),
        }
    }
    let day_first = date_orders(job);
    let s = Stored::new(stored);
    let mut accounts: Vec<AccountSlot> = Vec::new();
    let mut contacts: Vec<ContactSlot> = Vec::new();
    // Links: (account slot, contact slot) → the emails the rows gave.
    let mut links: BTreeMap<(usize, usize), BTreeSet<String>> = BTreeMap::new();
    let mut account_by_stored: HashMap<usize, usize> = HashMap::new();
    let mut account_by_name: HashMap<String, usize> = HashMap::new();
    let mut account_by_person: HashMap<(String, String), usize> = HashMap::new();
    let mut contact_by_stored: HashMap<usize, usize> = HashMap::new();
    let mut contact_by_email: HashMap<String, (usize, usize)> = HashMap::new();
    let mut contact_by_name: HashMap<(Option<usize>, String), usize> = HashMap::new();
    let mut empty_rows = Vec::new();
    let mut no_year_rows = Vec::new();

    let total = job.table.rows.len();
    for (i, row) in job.table.rows.iter().enumerate() {
        if i > 0 && i % ROWS_PER_STEP == 0 {
            if let Some(turn) = pause(i, total) {
                turn.await;
            }
        }
        let n = row.number;
        let before = problems.count;
        let v = parse_row(job, &day_first, &row.cells, n, &mut lookup, ids, &mut problems);
        if v.dob_without_year {
            no_year_rows.push(n);
        }
        let has_contact = v.has_contact && mode != Mode::AccountsOnly;
        let has_account = (v.has_account || has_contact) && mode != Mode::ContactsOnly;
        if !has_contact && !has_account {
            empty_rows.push(n);
            continue;
        }
        if problems.count > before {
            continue;
        }
        let place = |col: Option<usize>| at_row(n, col.map(|c| column_name(job.table, c)));

        // The stored contact, by email.
        let keys: Vec<String> = v.emails.iter().map(Email::key).collect();
        let email_col = job
            .mapping
            .iter()
            .position(|t| *t == Target::Email)
            .or_else(|| job.mapping.iter().position(|t| *t == Target::OtherEmails));
        let mut stored_contact: Option<usize> = None;
        let mut clash = false;
        for k in &keys {
            if let Some(&ci) = s.contact_by_email.get(k) {
                match stored_contact {
                    Some(other) if other != ci => {
                        problems.push(located(
                            &place(email_col),
                            &tf(
                                Key::CsvEmailsOfTwoStored,
                                &[
                                    ("email", k),
                                    ("first", &stored.contacts[ci].display_name()),
                                    ("second", &stored.contacts[other].display_name()),
                                ],
                            ),
                        ));
                        clash = true;
                    }
                    _ => stored_contact = Some(ci),
                }
            }
        }
        let mut file_contact: Option<(usize, usize)> = None;
        for k in &keys {
            if let Some(&(slot, first)) = contact_by_email.get(k) {
                match file_contact {
                    Some((other, other_row)) if other != slot => {
                        problems.push(located(
                            &place(email_col),
                            &tf(
                                Key::CsvEmailsOfTwoRows,
                                &[("first", &other_row.to_string()), ("second", &first.to_string())],
                            ),
                        ));
                        clash = true;
                    }
                    _ => file_contact = Some((slot, first)),
                }
            }
        }
        if let (Some(ci), Some((slot, first))) = (stored_contact, file_contact) {
            if contact_by_stored.get(&ci).is_some_and(|&s2| s2 != slot) {
                problems.push(located(
                    &place(email_col),
                    &tf(
                        Key::CsvEmailsOfRowAndStored,
                        &[
                            ("row", &first.to_string()),
                            ("name", &stored.contacts[ci].display_name()),
                        ],
                    ),
                ));
                clash = true;
            }
        }
        if clash {
            continue;
        }
        let name_key = v.name_key();

        // The account.
        let mut account_slot = None;
        if has_account {
            let given = v.account_name.clone();
            let generated = if given.is_none() { v.generated_name() } else { None };
            let (name, name_col) = match (&given, &generated) {
                (Some(g), _) => (g.value.clone(), Some(g.col)),
                (None, Some(g)) if !g.value.is_empty() => {
                    let mut e = ValidationErrors::default();
                    check_account_name(&mut e, "v", &g.value);
                    if let Some(err) = e.0.into_iter().next() {
                        problems.push(located(
                            &place(Some(g.col)),
                            &tf(Key::CsvMadeName, &[("problem", &problem_text(&err.problem))]),
                        ));
                        continue;
                    }
                    (g.value.clone(), None)
                }
                _ => {
                    let col = job.mapping.iter().position(|t| *t == Target::AccountName);
                    problems.push(located(&place(col), t(Key::CsvNoAccountName)));
                    continue;
                }
            };
            // The stored account this row is about.
            let stored_account = if given.is_some() {
                match s.accounts_by_name.get(name.as_str()).map(Vec::as_slice) {
                    Some([one]) => Some(*one),
                    Some(several) if several.len() > 1 => {
                        problems.push(located(
                            &place(name_col),
                            &tn(Key::CsvSeveralNamed, several.len(), &[("name", &name)]),
                        ));
                        continue;
                    }
                    _ => None,
                }
            } else if let Some(ci) = stored_contact {
                // A made-up name belongs to the contact's own account.
                let id = &stored.contacts[ci].id;
                s.links_of_contact
                    .get(id)
                    .into_iter()
                    .flatten()
                    .filter_map(|&l| s.account_index.get(&stored.links[l].account_id).copied())
                    .find(|&a| stored.accounts[a].name.trim() == name)
            } else if keys.is_empty() && has_contact {
                s.accounts_by_name
                    .get(name.as_str())
                    .into_iter()
                    .flatten()
                    .copied()
                    .find(|&a| s.contact_of_account_named(a, &name_key).is_some())
            } else {
                None
            };
            if mode == Mode::AccountsOnly && stored_account.is_none() {
                problems.push(located(
                    &place(name_col),
                    &tf(Key::CsvNoAccountNamed, &[("name", &name)]),
                ));
                continue;
            }
            let person = keys.first().cloned().unwrap_or_else(|| name_key.clone());
            let existing = match stored_account {
                Some(a) => account_by_stored.get(&a).copied(),
                None if given.is_some() => account_by_name.get(&name).copied(),
                None => account_by_person.get(&(name.clone(), person.clone())).copied(),
            };
            let slot = existing.unwrap_or_else(|| {
                accounts.push(AccountSlot {
                    stored: stored_account,
                    name: name.clone(),
                    first_row: n,
                    name_col,
                    ..Default::default()
                });
                accounts.len() - 1
            });
            if let Some(a) = stored_account {
                account_by_stored.insert(a, slot);
            }
            if given.is_some() {
                account_by_name.insert(name.clone(), slot);
            } else {
                account_by_person.insert((name.clone(), person), slot);
            }
            account_slot = Some(slot);
        }

        // The contact.
        let mut contact_slot = None;
        if has_contact {
            let stored_contact = stored_contact.or_else(|| {
                if !keys.is_empty() || name_key.is_empty() {
                    return None;
                }
                match account_slot.and_then(|a| accounts[a].stored) {
                    Some(a) => s.contact_of_account_named(a, &name_key),
                    None if mode == Mode::ContactsOnly => stored
                        .contacts
                        .iter()
                        .position(|c| c.emails.is_empty() && contact_name_key(c) == name_key),
                    None => None,
                }
            });
            let by_name = (account_slot, name_key.clone());
            let existing = file_contact
                .map(|(slot, _)| slot)
                .or_else(|| stored_contact.and_then(|ci| contact_by_stored.get(&ci).copied()))
                .or_else(|| {
                    (keys.is_empty() && !name_key.is_empty())
                        .then(|| contact_by_name.get(&by_name).copied())
                        .flatten()
                });
            let slot = existing.unwrap_or_else(|| {
                contacts.push(ContactSlot {
                    stored: stored_contact,
                    first_row: n,
                    ..Default::default()
                });
                contacts.len() - 1
            });
            if let Some(ci) = stored_contact {
                contact_by_stored.insert(ci, slot);
                if contacts[slot].stored.is_none() {
                    contacts[slot].stored = Some(ci);
                }
            }
            for k in &keys {
                contact_by_email.entry(k.clone()).or_insert((slot, n));
            }
            if keys.is_empty() && !name_key.is_empty() {
                contact_by_name.insert(by_name, slot);
            }
            contact_slot = Some(slot);
        }

        // The row's values go to the slots.
        if let Some(a) = account_slot {
            let slot = &mut accounts[a];
            let what = tf(Key::CsvSameAccount, &[("name", &slot.name)]);
            if let Some(k) = &v.kind {
                let value = AccountTypeShown(k.value);
                set_once(
                    &mut slot.kind,
                    value,
                    n,
                    || place(Some(k.col)),
                    &what,
                    &mut problems,
                );
            }
            if let Some(c) = &v.company {
                set_once(
                    &mut slot.company,
                    c.value.clone(),
                    n,
                    || place(Some(c.col)),
                    &what,
                    &mut problems,
                );
            }
            for (i, part) in v.account_address.iter().enumerate() {
                if let Some(c) = part {
                    set_once(
                        &mut slot.address[i],
                        c.value.clone(),
                        n,
                        || place(Some(c.col)),
                        &what,
                        &mut problems,
                    );
                }
            }
            for (id, c) in &v.account_custom {
                let mut current = slot.custom.remove(id);
                set_once(
                    &mut current,
                    c.value.clone(),
                    n,
                    || place(Some(c.col)),
                    &what,
                    &mut problems,
                );
                if let Some(cur) = current {
                    slot.custom.insert(id.clone(), cur);
                }
            }
            push_new(&mut slot.tags, &v.account_tags);
            push_new(&mut slot.team, &v.team);
            push_new(&mut slot.roles, &v.roles);
            push_new(&mut slot.notes, &v.notes);
        }
        if let Some(c) = contact_slot {
            let slot = &mut contacts[c];
            let what = t(Key::CsvSameContact);
            for (field, value) in [
                (&mut slot.first, &v.first),
                (&mut slot.middle, &v.middle),
                (&mut slot.last, &v.last),
                (&mut slot.dob, &v.dob),
            ] {
                if let Some(x) = value {
                    set_once(
                        field,
                        x.value.clone(),
                        n,
                        || place(Some(x.col)),
                        what,
                        &mut problems,
                    );
                }
            }
            for (i, part) in v.contact_address.iter().enumerate() {
                if let Some(x) = part {
                    set_once(
                        &mut slot.address[i],
                        x.value.clone(),
                        n,
                        || place(Some(x.col)),
                        what,
                        &mut problems,
                    );
                }
            }
            for (id, x) in &v.contact_custom {
                let mut current = slot.custom.remove(id);
                set_once(
                    &mut current,
                    x.value.clone(),
                    n,
                    || place(Some(x.col)),
                    what,
                    &mut problems,
                );
                if let Some(cur) = current {
                    slot.custom.insert(id.clone(), cur);
                }
            }
            for e in &v.emails {
                if !slot.emails.iter().any(|x| x.key() == e.key()) {
                    slot.emails.push(e.clone());
                }
            }
            for p in &v.phones {
                if !slot.phones.iter().any(|x| phone_key(x) == phone_key(p)) {
                    slot.phones.push(p.clone());
                }
            }
            push_new(&mut slot.tags, &v.contact_tags);
        }
        if let (Some(a), Some(c)) = (account_slot, contact_slot) {
            links.entry((a, c)).or_default().extend(keys);
        }
    }
    if !empty_rows.is_empty() {
        warnings.push(tf(
            Key::CsvNothingOnRows,
            &[("mode", mode.label()), ("rows", &rows_phrase(&empty_rows))],
        ));
    }
    if !no_year_rows.is_empty() {
        warnings.push(tf(
            Key::CsvBirthdaysNoYear,
            &[("rows", &rows_phrase(&no_year_rows))],
        ));
    }
    if problems.count > 0 {
        return Err(problems.finish());
    }

    let slots = Slots {
        new_tags: lookup.new_tags,
        batch_tags,
        accounts,
        contacts,
        links,
    };
    match build(
        stored,
        &s,
        job,
        &catalog,
        slots,
        ids,
        at,
        &mut problems,
        &mut pause,
    )
    .await
    {
        Some(mut o) => {
            warnings.append(&mut o.warnings);
            o.warnings = warnings;
            Ok(o)
        }
        None => Err(problems.finish()),
    }
}

/// The stored records a plan of `job` can match, from the file alone (see
/// [`crate::bundle::matching`]): every account name a row gives or makes,
/// every email. A contacts-only file with a row that has a name but no
/// email matches contacts by name anywhere, so it needs everything.
/// Calls `pause` like [`plan_paced`].
pub async fn match_keys_paced<F: std::future::Future<Output = ()>>(
    job: &Job<'_>,
    catalog: &Catalog,
    mut pause: impl FnMut(usize, usize) -> Option<F>,
) -> MatchKeys {
    let mut keys = MatchKeys::default();
    // Problems and new tags are the plan's business; only the values count here.
    let mut lookup = Lookup::new(catalog);
    let mut ids = crate::domain::ids::SeededIds::new(0);
    let mut problems = Problems::default();
    let day_first = date_orders(job);
    let total = job.table.rows.len();
    for (i, row) in job.table.rows.iter().enumerate() {
        if i > 0 && i % ROWS_PER_STEP == 0 {
            if let Some(turn) = pause(i, total) {
                turn.await;
            }
        }
        let v = parse_row(
            job,
            &day_first,
            &row.cells,
            row.number,
            &mut lookup,
            &mut ids,
            &mut problems,
        );
        if let Some(name) = v.account_name.clone().or_else(|| v.generated_name()) {
            keys.account_names.insert(name.value);
        }
        if v.emails.is_empty() && job.settings.mode == Mode::ContactsOnly && !v.name_key().is_empty() {
            keys.everything = true;
        }
        keys.emails.extend(v.emails.iter().map(Email::key));
    }
    keys
}

/// The slots of [`plan`], ready to become records.
struct Slots {
    new_tags: Vec<Tag>,
    batch_tags: Vec<TagId>,
    accounts: Vec<AccountSlot>,
    contacts: Vec<ContactSlot>,
    /// (account slot, contact slot) → the emails the rows gave.
    links: BTreeMap<(usize, usize), BTreeSet<String>>,
}

/// "row 5, column "Last Name": ..." for a new contact without a name part.
fn missing_name(job: &Job, row: usize, target: &Target) -> String {
    let col = job
        .mapping
        .iter()
        .position(|t| t == target)
        .or_else(|| job.mapping.iter().position(|t| *t == Target::FullName));
    let first = *target == Target::FirstName;
    match col {
        Some(c) => located(
            &at_row(row, Some(column_name(job.table, c))),
            t(if first {
                Key::CsvNeedsFirstName
            } else {
                Key::CsvNeedsLastName
            }),
        ),
        None => located(
            &at_row(row, None),
            t(if first {
                Key::CsvNeedsFirstNameMap
            } else {
                Key::CsvNeedsLastNameMap
            }),
        ),
    }
}

/// Account, contact and link records from the slots, with history and
/// notes; `pause(rows, rows)` every [`ROWS_PER_STEP`] records (see
/// [`plan_paced`]).
#[allow(clippy::too_many_arguments)]
async fn build<F: std::future::Future<Output = ()>>(
    stored: &Contents,
    s: &Stored<'_>,
    job: &Job<'_>,
    catalog: &Catalog,
    slots: Slots,
    ids: &mut impl IdSource,
    at: Timestamp,
    problems: &mut Problems,
    pause: &mut impl FnMut(usize, usize) -> Option<F>,
) -> Option<Outcome> {
    let rows = job.table.rows.len();
    let mut made = 0usize;
    macro_rules! turn {
        () => {
            made += 1;
            if made % ROWS_PER_STEP == 0 {
                if let Some(turn) = pause(rows, rows) {
                    turn.await;
                }
            }
        };
    }
    let settings = job.settings;
    let mut names = catalog.clone();
    names.tags.extend(slots.new_tags.iter().cloned());
    let mut out = Contents {
        catalog: slots.new_tags.iter().cloned().map(CatalogItem::Tag).collect(),
        ..Default::default()
    };

    // Contacts first: links follow their final emails.
    let mut emails_changed = Vec::with_capacity(slots.contacts.len());
    for slot in &slots.contacts {
        turn!();
        let base = slot.stored.map(|i| &stored.contacts[i]);
        let mut c = base.cloned().unwrap_or_else(|| Contact {
            id: ids.contact_id(),
            first_name: String::new(),
            middle_name: String::new(),
            last_name: String::new(),
            emails: Vec::new(),
            phones: Vec::new(),
            address: Address::default(),
            date_of_birth: String::new(),
            tags: Vec::new(),
            custom: BTreeMap::new(),
            created_at: at,
            updated_at: at,
        });
        for (field, value) in [
            (&mut c.first_name, &slot.first),
            (&mut c.middle_name, &slot.middle),
            (&mut c.last_name, &slot.last),
            (&mut c.date_of_birth, &slot.dob),
        ] {
            if let Some(v) = value {
                field.clone_from(&v.value);
            }
        }
        if base.is_none() {
            if c.first_name.is_empty() {
                problems.push(missing_name(job, slot.first_row, &Target::FirstName));
            }
            if c.last_name.is_empty() {
                problems.push(missing_name(job, slot.first_row, &Target::LastName));
            }
        }
        for e in &slot.emails {
            if !c.emails.iter().any(|x| x.key() == e.key()) {
                c.emails.push(e.clone());
            }
        }
        for p in &slot.phones {
            if !c.phones.iter().any(|x| phone_key(x) == phone_key(p)) {
                c.phones.push(p.clone());
            }
        }
        set_address(&mut c.address, &slot.address);
        push_new(&mut c.tags, &slot.tags);
        if settings.mode == Mode::ContactsOnly {
            push_new(&mut c.tags, &slots.batch_tags);
        }
        for (id, v) in &slot.custom {
            c.custom.insert(id.clone(), v.value.clone());
        }
        if let Some(b) = base {
            if c != *b {
                c.updated_at = at;
            }
        }
        emails_changed.push(base.is_some_and(|b| b.email_keys() != c.email_keys()));
        out.contacts.push(c);
    }

    // Accounts.
    let linked: HashSet<usize> = slots.links.keys().map(|(a, _)| *a).collect();
    let mut company_dropped: Vec<usize> = Vec::new();
    let mut notes_here: HashMap<&AccountId, HashSet<&str>> = HashMap::new();
    for n in &stored.notes {
        notes_here.entry(&n.account_id).or_default().insert(n.text.trim());
    }
    for (i, slot) in slots.accounts.iter().enumerate() {
        turn!();
        let base = slot.stored.map(|i| &stored.accounts[i]);
        let mut a = base.cloned().unwrap_or_else(|| Account {
            id: ids.account_id(),
            name: slot.name.clone(),
            kind: AccountType::Individual,
            company_name: String::new(),
            address: Address::default(),
            tags: Vec::new(),
            team: Vec::new(),
            roles: Vec::new(),
            custom: BTreeMap::new(),
            folder_template: None,
            has_photo: false,
            archived: false,
            created_at: at,
            updated_at: at,
        });
        if let Some(k) = &slot.kind {
            a.kind = k.value.0;
        }
        if let Some(c) = &slot.company {
            if a.kind == AccountType::Company {
                a.company_name.clone_from(&c.value);
            } else {
                company_dropped.push(c.row);
            }
        }
        set_address(&mut a.address, &slot.address);
        push_new(&mut a.tags, &slot.tags);
        push_new(&mut a.tags, &slots.batch_tags);
        push_new(&mut a.team, &slot.team);
        push_new(&mut a.roles, &slot.roles);
        for (id, v) in &slot.custom {
            a.custom.insert(id.clone(), v.value.clone());
        }
        let changes = match base {
            None => {
                if !linked.contains(&i) {
                    let place = match slot.name_col {
                        Some(c) => at_row(slot.first_row, Some(column_name(job.table, c))),
                        None => at_row(slot.first_row, None),
                    };
                    problems.push(located(
                        &place,
                        &tf(Key::CsvAccountWithoutContact, &[("name", &a.name)]),
                    ));
                }
                vec![Change::Created]
            }
            Some(b) => {
                if a != *b {
                    a.updated_at = at;
                }
                history::account_changes(b, &a, &names)
            }
        };
        out.history
            .extend(history::entries(ids, &a.id, at, job.by, changes));
        let here = notes_here.get(&a.id);
        for text in &slot.notes {
            if here.is_some_and(|h| h.contains(text.as_str())) {
                continue;
            }
            out.notes.push(Note {
                id: ids.id(),
                account_id: a.id.clone(),
                text: text.clone(),
                by: job.by.to_owned(),
                created_at: at,
                updated_at: at,
            });
        }
        out.accounts.push(a);
    }

    // Links, with the switches for the imported emails.
    let mut written: HashSet<(AccountId, ContactId)> = HashSet::new();
    for (&(ai, ci), keys) in &slots.links {
        turn!();
        let (account, contact) = (&out.accounts[ai], &out.contacts[ci]);
        let found = s.link_index.get(&(&account.id, &contact.id));
        let mut l = found.map(|&i| stored.links[i].clone()).unwrap_or_else(|| Link {
            account_id: account.id.clone(),
            contact_id: contact.id.clone(),
            description: String::new(),
            signer_priority: None,
            email_access: Vec::new(),
        });
        l.sync_emails(&contact.email_keys());
        for k in keys {
            if let Some(access) = l.access_mut(k) {
                if settings.login {
                    access.login = true;
                    if found.is_none() {
                        access.signatory = true;
                    }
                }
                if settings.notify {
                    access.notify = true;
                }
            }
        }
        if found.is_none() && slots.accounts[ai].stored.is_some() {
            let change = Change::ContactLinked {
                contact: contact.display_name(),
            };
            out.history
                .extend(history::entries(ids, &account.id, at, job.by, vec![change]));
        }
        written.insert((l.account_id.clone(), l.contact_id.clone()));
        out.links.push(l);
    }
    // A stored contact with new emails: its other links follow them too.
    for (c, changed) in out.contacts.iter().zip(&emails_changed) {
        if !changed {
            continue;
        }
        let keys = c.email_keys();
        for &li in s.links_of_contact.get(&c.id).into_iter().flatten() {
            let mut l = stored.links[li].clone();
            if written.insert((l.account_id.clone(), l.contact_id.clone())) {
                l.sync_emails(&keys);
                out.links.push(l);
            }
        }
    }
    if problems.count > 0 {
        return None;
    }
    let mut warnings = Vec::new();
    if !company_dropped.is_empty() {
        warnings.push(tf(
            Key::CsvCompanyDropped,
            &[("rows", &rows_phrase(&company_dropped))],
        ));
    }
    Some(Outcome {
        new_tags: slots.new_tags.iter().map(|t| t.name.clone()).collect(),
        contents: out,
        warnings,
        rows: job.table.rows.len(),
    })
}

fn set_address(address: &mut Address, parts: &[Option<Set<String>>; 5]) {
    let fields = [
        &mut address.street,
        &mut address.city,
        &mut address.state,
        &mut address.postal_code,
        &mut address.country,
    ];
    for (field, part) in fields.into_iter().zip(parts) {
        if let Some(p) = part {
            field.clone_from(&p.value);
        }
    }
}

/// The conflict choices a CSV import is merged with: the records it
/// matched are updated (the file's values win where it has any), and an
/// email never moves to a new contact (contacts are matched by email, so
/// this does not happen).
pub const CHOICES: crate::bundle::merge::Choices = crate::bundle::merge::Choices {
    same_id: crate::bundle::merge::OnSameId::TakeTheirs,
    shared_email: crate::bundle::merge::OnSharedEmail::KeepMine,
};

/// One row as the mapping screen previews it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PreviewRow {
    pub number: usize,
    /// The account name (given or made up); empty in "Contacts only".
    pub account: String,
    pub kind: String,
    pub contact: String,
    pub emails: String,
    pub phones: String,
    pub tags: String,
    /// What is wrong with the row's cells.
    pub problems: Vec<String>,
}

/// The first `n` rows as they would be imported (without matching them
/// to stored records): what the mapping screen shows under the columns.
pub fn preview(
    table: &Table,
    mapping: &[Target],
    settings: &Settings,
    catalog: &Catalog,
    n: usize,
) -> Vec<PreviewRow> {
    if mapping.len() != table.headers.len() {
        return Vec::new();
    }
    let job = Job {
        table,
        mapping,
        settings,
        by: "",
    };
    let mut lookup = Lookup::new(catalog);
    let mut ids = crate::domain::ids::SeededIds::new(0);
    let day_first = date_orders(&job);
    let mut batch = Vec::new();
    for t in &settings.tags {
        if let Ok(id) = lookup.tag(t, &mut ids) {
            batch.push(id);
        }
    }
    table
        .rows
        .iter()
        .take(n)
        .map(|row| {
            let mut problems = Problems::default();
            let v = parse_row(
                &job,
                &day_first,
                &row.cells,
                row.number,
                &mut lookup,
                &mut ids,
                &mut problems,
            );
            let tag_name = |id: &TagId| {
                catalog
                    .tag(id)
                    .map(|t| t.name.clone())
                    .or_else(|| {
                        lookup
                            .new_tags
                            .iter()
                            .find(|t| &t.id == id)
                            .map(|t| t.name.clone())
                    })
                    .unwrap_or_default()
            };
            let mut tags = if settings.mode == Mode::ContactsOnly {
                v.contact_tags.clone()
            } else {
                v.account_tags.clone()
            };
            push_new(&mut tags, &batch);
            let account = match settings.mode {
                Mode::ContactsOnly => String::new(),
                _ => v
                    .account_name
                    .clone()
                    .or_else(|| v.generated_name())
                    .map(|c| c.value)
                    .unwrap_or_default(),
            };
            let contact = if settings.mode == Mode::AccountsOnly {
                String::new()
            } else {
                [&v.first, &v.middle, &v.last]
                    .iter()
                    .filter_map(|c| c.as_ref().map(|c| c.value.as_str()))
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            PreviewRow {
                number: row.number,
                account,
                kind: v
                    .kind
                    .as_ref()
                    .map_or("", |k| crate::i18n::names::account_type(k.value))
                    .to_owned(),
                contact,
                emails: v.emails.iter().map(|e| e.as_str()).collect::<Vec<_>>().join(", "),
                phones: v.phones.join(", "),
                tags: tags.iter().map(tag_name).collect::<Vec<_>>().join(", "),
                problems: problems.finish(),
            }
        })
        .collect()
}
