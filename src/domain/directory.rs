//! The directory: what the Clients lists and the sidebar search need to know
//! about every account, contact and link, and nothing more (no addresses,
//! custom fields, notes, notification preferences). It is kept next to the
//! records as compact text (see `store::summary`), so the app starts by
//! reading a few large values instead of every record.
//!
//! The text format (`directory-2`), one entry per line, fields separated by
//! tabs, lists by U+001F; `\`, tab, newline and U+001F inside a field are
//! escaped as `\\`, `\t`, `\n`, `\u`:
//!
//! ```text
//! A  id  name  kind(i|c|o)  archived(0|1)  created_at  tags  team  name-key
//! C  id  first  middle  last  first-phone  tags  sort-key  name-key  emails  emails-key
//! L  account_id  contact_id  primary(0|1)  signer_priority  pending(email, invited_at, ...)
//! ```
//!
//! `primary` says the link's description contains "primary"; `pending`
//! lists the emails invited to the portal and not activated yet. The keys
//! are worked out when a line is written, so starting the app never
//! normalises a name: `name-key` is the account name normalised (see
//! [`normalize`]), `sort-key` the contact's alphabetical key ("last first
//! middle"), `name-key` the contact's normalised display name, and
//! `emails-key` its normalised emails, left empty when they are the emails
//! as typed (almost always: then `name-key` and `emails`, side by side in
//! the line, are the contact's search key as they stand).
//!
//! In memory ([`Directory`]) the text is kept as read, one buffer per
//! chunk, and every entry is a small fixed-size struct of positions into
//! it (fields with an escape are unescaped into one side buffer), ids as
//! 128-bit numbers, tags and team members as small numbers into a table of
//! the distinct ones, and every link already resolved to the rows it
//! joins. Nothing is copied per field; the owned rows ([`AccountRow`] ...)
//! are made only for what is shown.

use super::account::{Account, AccountType};
use super::contact::Contact;
use super::ids::{id_number as id_num, AccountId, ContactId, IdMap, MemberId, TagId};
use super::link::Link;
use super::search::normalize;
use super::time::Timestamp;
use std::borrow::Cow;
use std::sync::OnceLock;

/// An account as the lists see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountRow {
    pub id: AccountId,
    pub name: String,
    pub kind: AccountType,
    pub archived: bool,
    pub created_at: Timestamp,
    pub tags: Vec<TagId>,
    pub team: Vec<MemberId>,
}

/// A contact as the lists see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContactRow {
    pub id: ContactId,
    pub first_name: String,
    pub middle_name: String,
    pub last_name: String,
    /// As typed; the first is the main one.
    pub emails: Vec<String>,
    /// The first phone number, or empty.
    pub phone: String,
    pub tags: Vec<TagId>,
}

/// "First Middle Last", skipping empty parts (as [`Contact::display_name`]).
fn display_name(first: &str, middle: &str, last: &str) -> String {
    [first, middle, last]
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

impl ContactRow {
    pub fn display_name(&self) -> String {
        display_name(&self.first_name, &self.middle_name, &self.last_name)
    }

    /// Key for alphabetical order (as [`Contact::sort_key`]).
    pub fn sort_key(&self) -> String {
        normalize(&format!(
            "{} {} {}",
            self.last_name, self.first_name, self.middle_name
        ))
    }

    pub fn main_email(&self) -> Option<&str> {
        self.emails.first().map(String::as_str)
    }

    /// The normalised emails, separated by U+001F.
    fn emails_key(&self) -> String {
        let keys: Vec<String> = self.emails.iter().map(|e| normalize(e)).collect();
        keys.join("\u{1f}")
    }

    /// The search key: the normalised display name, a tab, the normalised
    /// emails separated by U+001F; and the length of the name part.
    pub fn search_key(&self) -> (String, usize) {
        let mut key = normalize(&self.display_name());
        let split = key.len();
        key.push('\t');
        key.push_str(&self.emails_key());
        (key, split)
    }
}

/// An invitation sent and not activated yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingLogin {
    /// Lower-cased address.
    pub email: String,
    pub invited_at: Timestamp,
}

/// A link as the lists see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkRow {
    pub account_id: AccountId,
    pub contact_id: ContactId,
    /// The description says "primary" (any case, any accents).
    pub primary: bool,
    pub signer_priority: Option<u32>,
    pub pending: Vec<PendingLogin>,
}

/// Everything the lists and the search know as owned rows, unordered (for
/// writing the text, and for comparing a directory with the records).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rows {
    pub accounts: Vec<AccountRow>,
    pub contacts: Vec<ContactRow>,
    pub links: Vec<LinkRow>,
}

impl AccountRow {
    pub fn of(a: &Account) -> Self {
        Self {
            id: a.id.clone(),
            name: a.name.clone(),
            kind: a.kind,
            archived: a.archived,
            created_at: a.created_at,
            tags: a.tags.clone(),
            team: a.team.clone(),
        }
    }
}

impl ContactRow {
    pub fn of(c: &Contact) -> Self {
        Self {
            id: c.id.clone(),
            first_name: c.first_name.clone(),
            middle_name: c.middle_name.clone(),
            last_name: c.last_name.clone(),
            emails: c.emails.iter().map(ToString::to_string).collect(),
            phone: c.phones.first().cloned().unwrap_or_default(),
            tags: c.tags.clone(),
        }
    }
}

/// Words that mark a link description as the primary contact, in the
/// practitioners' languages (matched after case and accent folding):
/// "primary", "Hauptkontakt", "hoofdcontact", "contact principal".
const PRIMARY_WORDS: [&str; 4] = ["primary", "haupt", "hoofd", "principal"];

/// Whether a link's description says the contact is the primary one.
pub fn is_primary(description: &str) -> bool {
    let folded = normalize(description);
    PRIMARY_WORDS.iter().any(|w| folded.contains(w))
}

impl LinkRow {
    pub fn of(l: &Link) -> Self {
        Self {
            account_id: l.account_id.clone(),
            contact_id: l.contact_id.clone(),
            primary: is_primary(&l.description),
            signer_priority: l.signer_priority,
            pending: l
                .email_access
                .iter()
                .filter(|a| a.pending_activation())
                .filter_map(|a| {
                    a.invited_at.map(|at| PendingLogin {
                        email: a.email.clone(),
                        invited_at: at,
                    })
                })
                .collect(),
        }
    }
}

impl Rows {
    /// The rows of these records.
    pub fn of(accounts: &[Account], contacts: &[Contact], links: &[Link]) -> Self {
        Self {
            accounts: accounts.iter().map(AccountRow::of).collect(),
            contacts: contacts.iter().map(ContactRow::of).collect(),
            links: links.iter().map(LinkRow::of).collect(),
        }
    }

    /// The whole directory in the text format (entries in this order).
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for line in self
            .accounts
            .iter()
            .map(Entry::account)
            .chain(self.contacts.iter().map(Entry::contact))
            .chain(self.links.iter().map(Entry::link))
        {
            out.push_str(&line.line);
            out.push('\n');
        }
        out
    }

    /// The same entries in a canonical order (for comparing two directories).
    pub fn sorted(mut self) -> Self {
        self.accounts.sort_by(|a, b| a.id.cmp(&b.id));
        self.contacts.sort_by(|a, b| a.id.cmp(&b.id));
        self.links
            .sort_by(|a, b| (&a.account_id, &a.contact_id).cmp(&(&b.account_id, &b.contact_id)));
        self
    }
}

// ----- the parsed directory -------------------------------------------------

/// No row (a link whose account or contact is missing).
pub const NONE: u32 = u32::MAX;

/// A field: bytes `start..end` of buffer `buf`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Span {
    buf: u32,
    start: u32,
    end: u32,
}

/// Items `0..1` of a pool.
type Range = (u32, u32);

#[derive(Clone, Debug)]
struct Acc {
    id: u128,
    name: Span,
    key: Span,
    created_at: i64,
    tags: Range,
    team: Range,
    kind: AccountType,
    archived: bool,
}

#[derive(Clone, Debug)]
struct Con {
    id: u128,
    first: Span,
    middle: Span,
    last: Span,
    phone: Span,
    sort_key: Span,
    search_key: Span,
    /// Length of the name part of `search_key`.
    split: u32,
    emails: Range,
    tags: Range,
}

#[derive(Clone, Debug)]
struct Lnk {
    account_id: u128,
    contact_id: u128,
    /// Rows it joins, or [`NONE`].
    account: u32,
    contact: u32,
    primary: bool,
    signer_priority: Option<u32>,
    pending: Range,
}

/// Everything the lists and the search know, unordered, in the compact
/// layout described in the module documentation. Rows are numbered from 0
/// in the order read.
#[derive(Clone, Debug)]
pub struct Directory {
    /// `bufs[0]`: unescaped fields; then the text chunks as read.
    bufs: Vec<String>,
    accounts: Vec<Acc>,
    contacts: Vec<Con>,
    links: Vec<Lnk>,
    /// Email addresses of contacts.
    emails: Vec<Span>,
    /// Tags and team members, as positions in `tag_ids` / `member_ids`.
    small: Vec<u32>,
    tag_ids: Vec<TagId>,
    member_ids: Vec<MemberId>,
    pending: Vec<(Span, i64)>,
    /// Per account (contact) row, its place in alphabetical order: worked
    /// out at first use, then shared, so the accounts list, the search
    /// index and the Contacts tab each sort their rows by one number
    /// instead of comparing names again.
    account_ranks: OnceLock<Vec<u32>>,
    contact_ranks: OnceLock<Vec<u32>>,
}

impl Default for Directory {
    fn default() -> Self {
        Self {
            bufs: vec![String::new()],
            accounts: Vec::new(),
            contacts: Vec::new(),
            links: Vec::new(),
            emails: Vec::new(),
            small: Vec::new(),
            tag_ids: Vec::new(),
            member_ids: Vec::new(),
            pending: Vec::new(),
            account_ranks: OnceLock::new(),
            contact_ranks: OnceLock::new(),
        }
    }
}

fn id_text(n: u128) -> String {
    format!("{n:032x}")
}

/// Builds a [`Directory`] from its chunks as they arrive (the app parses
/// one page of chunks while IndexedDB reads the next), with what
/// [`Directory::parse`] does for all of them at once.
pub struct DirectoryBuilder {
    p: Parser,
    /// How many chunks are expected (to size the tables once).
    expected: usize,
}

impl DirectoryBuilder {
    pub fn new(expected_chunks: usize) -> Self {
        Self {
            p: Parser {
                d: Directory::default(),
                tag_pos: IdMap::default(),
                member_pos: IdMap::default(),
                bad: 0,
            },
            expected: expected_chunks.max(1),
        }
    }

    /// Reads one chunk (whole lines). Lines it cannot read are skipped (and
    /// counted). The chunk is kept as the buffer its entries point into.
    pub fn chunk(&mut self, text: String) {
        let d = &mut self.p.d;
        if d.bufs.len() == 1 {
            // Sized once from the first chunk (entries spread evenly over
            // the chunks): growing vectors of 100,000 entries copies them,
            // and wasm memory keeps its highest size. Later chunks are not
            // counted first (a pass over every byte); a vector still grows
            // if they hold more than the first suggested.
            let (mut accounts, mut contacts, mut links) = (0, 0, 0);
            for line in text.split('\n') {
                match line.as_bytes().first() {
                    Some(b'A') => accounts += 1,
                    Some(b'C') => contacts += 1,
                    Some(b'L') => links += 1,
                    _ => {}
                }
            }
            let n = self.expected;
            let room = |per_chunk: usize| per_chunk * n + per_chunk * n / 16 + 16;
            d.accounts.reserve_exact(room(accounts));
            d.contacts.reserve_exact(room(contacts));
            d.links.reserve_exact(room(links));
            d.emails.reserve_exact(room(contacts) * 2);
            d.bufs.reserve_exact(n + 1);
        }
        self.p.chunk(text);
    }

    /// The directory, and how many lines could not be read.
    pub fn finish(self) -> (Directory, usize) {
        self.p.finish()
    }
}

/// Builds a [`Directory`] chunk by chunk.
struct Parser {
    d: Directory,
    /// Tags and team members seen so far: their id as a number, and their
    /// place in `tag_ids` / `member_ids`.
    tag_pos: IdMap<u32>,
    member_pos: IdMap<u32>,
    bad: usize,
}

/// At most this many fields of a line are told apart (a contact line has
/// eleven; one with more is damaged).
const MAX_FIELDS: usize = 12;

/// The fields of one line, found in the one pass over the chunk's bytes:
/// where each starts and ends in the chunk, and (one bit per field) which
/// hold a `\` and so must be unescaped.
struct Fields {
    bounds: [(u32, u32); MAX_FIELDS],
    n: usize,
    escaped: u32,
    /// More fields than [`MAX_FIELDS`].
    over: bool,
    /// Where the field being read starts.
    from: u32,
}

impl Fields {
    fn new(from: usize) -> Self {
        Self {
            bounds: [(0, 0); MAX_FIELDS],
            n: 0,
            escaped: 0,
            over: false,
            from: from as u32,
        }
    }

    /// The field being read ends at `at` (a tab or the line's end).
    fn end(&mut self, at: usize) {
        match self.bounds.get_mut(self.n) {
            Some(b) => {
                *b = (self.from, at as u32);
                self.n += 1;
            }
            None => self.over = true,
        }
        self.from = at as u32 + 1;
    }

    fn escaped(&self, k: usize) -> bool {
        k < MAX_FIELDS && self.escaped & (1 << k) != 0
    }
}

/// Of eight bytes (little-endian), a mask whose lowest set bit is the top
/// bit of the first tab, newline or backslash among them, or 0 if there is
/// none (`x ^ byte` has a zero byte exactly where `x` holds that byte; the
/// borrow can mark bytes after a zero, never before it).
#[inline(always)]
fn specials(x: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    zero(x ^ (ONES * u64::from(b'\t')))
        | zero(x ^ (ONES * u64::from(b'\n')))
        | zero(x ^ (ONES * u64::from(b'\\')))
}

impl Parser {
    /// Field `k` of a line of `text`.
    fn text<'t>(text: &'t str, f: &Fields, k: usize) -> &'t str {
        let (s, e) = f.bounds.get(k).copied().unwrap_or((0, 0));
        text.get(s as usize..e as usize).unwrap_or("")
    }

    /// Field `k` of a line of buffer `buf` (whose text is `text`): a
    /// position in it, or in the side buffer when it had to be unescaped.
    fn span(&mut self, buf: u32, text: &str, f: &Fields, k: usize) -> Span {
        let (start, end) = f.bounds.get(k).copied().unwrap_or((0, 0));
        if f.escaped(k) {
            self.side(&unescape(Self::text(text, f, k)))
        } else {
            Span { buf, start, end }
        }
    }

    /// `s` appended to the side buffer of unescaped fields.
    fn side(&mut self, s: &str) -> Span {
        let side = &mut self.d.bufs[0];
        let start = side.len() as u32;
        side.push_str(s);
        Span {
            buf: 0,
            start,
            end: side.len() as u32,
        }
    }

    /// A list of tags (or team members, `member`), as places in the table
    /// of the distinct ones; items that are not ids are left out.
    fn small(&mut self, field: &str, member: bool) -> Range {
        let from = self.d.small.len() as u32;
        for item in field.split(LIST).filter(|s| !s.is_empty()) {
            let item = unescape(item);
            let Some(n) = id_num(&item) else {
                continue;
            };
            let known = if member {
                self.member_pos.get(&n)
            } else {
                self.tag_pos.get(&n)
            };
            let pos = match known.copied() {
                Some(p) => p,
                None if member => {
                    let Some(m) = MemberId::parse(&item) else {
                        continue;
                    };
                    self.d.member_ids.push(m);
                    let p = (self.d.member_ids.len() - 1) as u32;
                    self.member_pos.insert(n, p);
                    p
                }
                None => {
                    let Some(t) = TagId::parse(&item) else {
                        continue;
                    };
                    self.d.tag_ids.push(t);
                    let p = (self.d.tag_ids.len() - 1) as u32;
                    self.tag_pos.insert(n, p);
                    p
                }
            };
            self.d.small.push(pos);
        }
        (from, self.d.small.len() as u32)
    }

    /// Reads every line of a chunk in one pass over its bytes (eight at a
    /// time where none ends a field or escapes a character).
    fn chunk(&mut self, text: String) {
        let buf = self.d.bufs.len() as u32;
        let b = text.as_bytes();
        let mut f = Fields::new(0);
        let mut i = 0;
        while i < b.len() {
            if let Some(word) = b.get(i..i + 8) {
                let mut w = [0u8; 8];
                w.copy_from_slice(word);
                let m = specials(u64::from_le_bytes(w));
                if m == 0 {
                    i += 8;
                    continue;
                }
                i += (m.trailing_zeros() / 8) as usize;
            }
            match b[i] {
                b'\t' => f.end(i),
                b'\n' => {
                    self.end_line(buf, &text, f, i);
                    f = Fields::new(i + 1);
                }
                b'\\' if f.n < MAX_FIELDS => f.escaped |= 1 << f.n,
                _ => {}
            }
            i += 1;
        }
        self.end_line(buf, &text, f, b.len());
        self.d.bufs.push(text);
    }

    /// The line whose fields are `f` ends at `at`; an empty one is no entry.
    fn end_line(&mut self, buf: u32, text: &str, mut f: Fields, at: usize) {
        if f.n == 0 && f.from as usize >= at {
            return;
        }
        f.end(at);
        if self.line(buf, text, &f).is_none() {
            self.bad += 1;
        }
    }

    fn line(&mut self, buf: u32, text: &str, f: &Fields) -> Option<()> {
        let field = |k: usize| (k < f.n).then(|| Self::text(text, f, k));
        match field(0)? {
            "A" => {
                let id = id_num(field(1)?)?;
                let kind = match field(3)? {
                    "c" => AccountType::Company,
                    "o" => AccountType::Other,
                    _ => AccountType::Individual,
                };
                let archived = field(4)? == "1";
                let created_at = field(5)?.parse().ok()?;
                let (tags, team) = (field(6)?, field(7)?);
                field(8)?;
                let acc = Acc {
                    id,
                    name: self.span(buf, text, f, 2),
                    key: self.span(buf, text, f, 8),
                    created_at,
                    tags: self.small(tags, false),
                    team: self.small(team, true),
                    kind,
                    archived,
                };
                self.d.accounts.push(acc);
            }
            "C" => {
                if f.n != 11 || f.over {
                    return None;
                }
                let id = id_num(field(1)?)?;
                let (name_key, emails, emails_key) = (field(8)?, field(9)?, field(10)?);
                // The search key: name-key, tab, emails as they stand in the
                // line when it can (no escapes, emails already normalised).
                let (search_key, split) = if emails_key.is_empty() && !f.escaped(8) && !f.escaped(9) {
                    let (start, _) = f.bounds[8];
                    let (_, end) = f.bounds[9];
                    (Span { buf, start, end }, name_key.len() as u32)
                } else {
                    let name_key = unescape(name_key);
                    let emails_key = if emails_key.is_empty() { emails } else { emails_key };
                    let mut key = String::with_capacity(name_key.len() + 1 + emails_key.len());
                    key.push_str(&name_key);
                    key.push('\t');
                    key.push_str(&unescape(emails_key));
                    (self.side(&key), name_key.len() as u32)
                };
                if split > search_key.end - search_key.start {
                    return None;
                }
                let from = self.d.emails.len() as u32;
                let (emails_start, _) = f.bounds[9];
                let mut offset = 0;
                for e in emails.split(LIST) {
                    let start = emails_start + offset;
                    offset += e.len() as u32 + 1;
                    if e.is_empty() {
                        continue;
                    }
                    let s = if f.escaped(9) && e.contains('\\') {
                        self.side(&unescape(e))
                    } else {
                        Span {
                            buf,
                            start,
                            end: start + e.len() as u32,
                        }
                    };
                    self.d.emails.push(s);
                }
                let tags = field(6)?;
                let con = Con {
                    id,
                    first: self.span(buf, text, f, 2),
                    middle: self.span(buf, text, f, 3),
                    last: self.span(buf, text, f, 4),
                    phone: self.span(buf, text, f, 5),
                    sort_key: self.span(buf, text, f, 7),
                    search_key,
                    split,
                    emails: (from, self.d.emails.len() as u32),
                    tags: self.small(tags, false),
                };
                self.d.contacts.push(con);
            }
            "L" => {
                let account_id = id_num(field(1)?)?;
                let contact_id = id_num(field(2)?)?;
                let primary = field(3)? == "1";
                let prio = field(4)?;
                let signer_priority = if prio.is_empty() {
                    None
                } else {
                    Some(prio.parse().ok()?)
                };
                let pending_field = field(5)?;
                let mut found: Vec<(Span, i64)> = Vec::new();
                let mut parts = pending_field.split(LIST).filter(|s| !s.is_empty());
                while let (Some(email), Some(at)) = (parts.next(), parts.next()) {
                    let at = at.parse().ok()?;
                    let s = if email.contains('\\') {
                        self.side(&unescape(email))
                    } else {
                        let start = (email.as_ptr() as usize - text.as_ptr() as usize) as u32;
                        Span {
                            buf,
                            start,
                            end: start + email.len() as u32,
                        }
                    };
                    found.push((s, at));
                }
                let from = self.d.pending.len() as u32;
                self.d.pending.extend(found);
                self.d.links.push(Lnk {
                    account_id,
                    contact_id,
                    account: NONE,
                    contact: NONE,
                    primary,
                    signer_priority,
                    pending: (from, self.d.pending.len() as u32),
                });
            }
            _ => return None,
        }
        Some(())
    }

    fn finish(mut self) -> (Directory, usize) {
        let d = &mut self.d;
        let mut accounts: IdMap<u32> = IdMap::with_capacity_and_hasher(d.accounts.len(), Default::default());
        for (i, a) in d.accounts.iter().enumerate() {
            accounts.insert(a.id, i as u32);
        }
        let mut contacts: IdMap<u32> = IdMap::with_capacity_and_hasher(d.contacts.len(), Default::default());
        for (i, c) in d.contacts.iter().enumerate() {
            contacts.insert(c.id, i as u32);
        }
        for l in &mut d.links {
            l.account = accounts.get(&l.account_id).copied().unwrap_or(NONE);
            l.contact = contacts.get(&l.contact_id).copied().unwrap_or(NONE);
        }
        d.bufs[0].shrink_to_fit();
        d.emails.shrink_to_fit();
        d.small.shrink_to_fit();
        d.pending.shrink_to_fit();
        d.accounts.shrink_to_fit();
        d.contacts.shrink_to_fit();
        d.links.shrink_to_fit();
        (self.d, self.bad)
    }
}

impl Directory {
    /// Reads the chunks of the text format (each whole lines). Lines it
    /// cannot read are skipped (and counted), so one damaged entry never
    /// hides the rest. Each chunk is kept as the buffer its entries point
    /// into (nothing is copied).
    pub fn parse(chunks: Vec<String>) -> (Self, usize) {
        let mut b = DirectoryBuilder::new(chunks.len());
        for chunk in chunks {
            b.chunk(chunk);
        }
        b.finish()
    }

    /// The directory of these records (tests, and rebuilding the stored one).
    pub fn of(accounts: &[Account], contacts: &[Contact], links: &[Link]) -> Self {
        Self::parse(vec![Rows::of(accounts, contacts, links).to_text()]).0
    }

    fn text(&self, s: Span) -> &str {
        self.bufs
            .get(s.buf as usize)
            .and_then(|b| b.get(s.start as usize..s.end as usize))
            .unwrap_or("")
    }

    fn smalls(&self, r: Range) -> &[u32] {
        self.small.get(r.0 as usize..r.1 as usize).unwrap_or_default()
    }

    pub fn account_count(&self) -> usize {
        self.accounts.len()
    }
    pub fn contact_count(&self) -> usize {
        self.contacts.len()
    }
    pub fn link_count(&self) -> usize {
        self.links.len()
    }

    /// Account row `i` as an owned row (for showing it).
    pub fn account(&self, i: u32) -> Option<AccountRow> {
        let a = self.accounts.get(i as usize)?;
        Some(AccountRow {
            id: AccountId::parse(&id_text(a.id))?,
            name: self.text(a.name).to_owned(),
            kind: a.kind,
            archived: a.archived,
            created_at: Timestamp(a.created_at),
            tags: self.account_tags(i).cloned().collect(),
            team: self.account_team(i).cloned().collect(),
        })
    }
    pub fn account_id(&self, i: u32) -> Option<AccountId> {
        AccountId::parse(&id_text(self.accounts.get(i as usize)?.id))
    }
    pub fn account_name(&self, i: u32) -> &str {
        self.accounts.get(i as usize).map_or("", |a| self.text(a.name))
    }
    /// The normalised name.
    pub fn account_key(&self, i: u32) -> &str {
        self.accounts.get(i as usize).map_or("", |a| self.text(a.key))
    }
    pub fn account_kind(&self, i: u32) -> AccountType {
        self.accounts
            .get(i as usize)
            .map_or(AccountType::Individual, |a| a.kind)
    }
    pub fn account_archived(&self, i: u32) -> bool {
        self.accounts.get(i as usize).is_some_and(|a| a.archived)
    }
    pub fn account_created(&self, i: u32) -> Timestamp {
        Timestamp(self.accounts.get(i as usize).map_or(0, |a| a.created_at))
    }
    pub fn account_tags(&self, i: u32) -> impl Iterator<Item = &TagId> {
        let r = self.accounts.get(i as usize).map_or((0, 0), |a| a.tags);
        self.smalls(r)
            .iter()
            .filter_map(|&t| self.tag_ids.get(t as usize))
    }
    pub fn account_team(&self, i: u32) -> impl Iterator<Item = &MemberId> {
        let r = self.accounts.get(i as usize).map_or((0, 0), |a| a.team);
        self.smalls(r)
            .iter()
            .filter_map(|&m| self.member_ids.get(m as usize))
    }
    /// Whether account `i` has this tag.
    pub fn account_has_tag(&self, i: u32, tag: &TagId) -> bool {
        self.account_tags(i).any(|t| t == tag)
    }
    /// Whether `member` is on account `i`'s team.
    pub fn account_has_member(&self, i: u32, member: &MemberId) -> bool {
        self.account_team(i).any(|m| m == member)
    }

    /// Contact row `i` as an owned row (for showing it).
    pub fn contact(&self, i: u32) -> Option<ContactRow> {
        let c = self.contacts.get(i as usize)?;
        Some(ContactRow {
            id: ContactId::parse(&id_text(c.id))?,
            first_name: self.text(c.first).to_owned(),
            middle_name: self.text(c.middle).to_owned(),
            last_name: self.text(c.last).to_owned(),
            emails: self.contact_emails(i).map(str::to_owned).collect(),
            phone: self.text(c.phone).to_owned(),
            tags: self
                .smalls(c.tags)
                .iter()
                .filter_map(|&t| self.tag_ids.get(t as usize).cloned())
                .collect(),
        })
    }
    pub fn contact_id(&self, i: u32) -> Option<ContactId> {
        ContactId::parse(&id_text(self.contacts.get(i as usize)?.id))
    }
    pub fn contact_display_name(&self, i: u32) -> String {
        self.contacts.get(i as usize).map_or_else(String::new, |c| {
            display_name(self.text(c.first), self.text(c.middle), self.text(c.last))
        })
    }
    pub fn contact_emails(&self, i: u32) -> impl Iterator<Item = &str> {
        let r = self.contacts.get(i as usize).map_or((0, 0), |c| c.emails);
        self.emails
            .get(r.0 as usize..r.1 as usize)
            .unwrap_or_default()
            .iter()
            .map(|&s| self.text(s))
    }
    pub fn contact_main_email(&self, i: u32) -> &str {
        self.contact_emails(i).next().unwrap_or("")
    }
    /// Key for alphabetical order ("last first middle", normalised).
    pub fn contact_sort_key(&self, i: u32) -> &str {
        self.contacts
            .get(i as usize)
            .map_or("", |c| self.text(c.sort_key))
    }
    /// The search key (see the module documentation) and the length of its
    /// name part.
    pub fn contact_search_key(&self, i: u32) -> (&str, usize) {
        self.contacts.get(i as usize).map_or(("", 0), |c| {
            let key = self.text(c.search_key);
            (key, (c.split as usize).min(key.len()))
        })
    }

    /// The contact rows whose name or an email contains every word of
    /// `query` (accents and case aside), `keep` allows, in alphabetical
    /// order, at most `limit` of them: the type-ahead of "Find a contact".
    pub fn find_contacts(&self, query: &str, keep: impl Fn(u32) -> bool, limit: usize) -> Vec<u32> {
        let query = normalize(query);
        let words: Vec<&str> = query.split_whitespace().collect();
        if words.is_empty() {
            return Vec::new();
        }
        let mut rows: Vec<u32> = (0..self.contacts.len() as u32)
            .filter(|&j| {
                let (key, _) = self.contact_search_key(j);
                words.iter().all(|w| key.contains(w))
            })
            .filter(|&j| keep(j))
            .collect();
        self.sort_contacts(&mut rows);
        rows.truncate(limit);
        rows
    }

    /// The account rows whose name contains every word of `query` (accents
    /// and case aside), `keep` allows, in alphabetical order, at most `limit`
    /// of them.
    pub fn find_accounts(&self, query: &str, keep: impl Fn(u32) -> bool, limit: usize) -> Vec<u32> {
        let query = normalize(query);
        let words: Vec<&str> = query.split_whitespace().collect();
        if words.is_empty() {
            return Vec::new();
        }
        let mut rows: Vec<u32> = (0..self.accounts.len() as u32)
            .filter(|&i| {
                let key = self.account_key(i);
                words.iter().all(|w| key.contains(w))
            })
            .filter(|&i| keep(i))
            .collect();
        self.sort_accounts_by(&mut rows, |r| r);
        rows.truncate(limit);
        rows
    }

    /// The (account, contact) rows link `i` joins ([`NONE`] when missing).
    pub fn link_ends(&self, i: u32) -> (u32, u32) {
        self.links
            .get(i as usize)
            .map_or((NONE, NONE), |l| (l.account, l.contact))
    }
    pub fn link_primary(&self, i: u32) -> bool {
        self.links.get(i as usize).is_some_and(|l| l.primary)
    }
    pub fn link_signer_priority(&self, i: u32) -> Option<u32> {
        self.links.get(i as usize).and_then(|l| l.signer_priority)
    }
    /// The invitations of link `i` not activated yet.
    pub fn link_pending(&self, i: u32) -> impl Iterator<Item = (&str, Timestamp)> {
        let r = self.links.get(i as usize).map_or((0, 0), |l| l.pending);
        self.pending
            .get(r.0 as usize..r.1 as usize)
            .unwrap_or_default()
            .iter()
            .map(|&(s, at)| (self.text(s), Timestamp(at)))
    }

    /// Items in the alphabetical order of their account rows (see
    /// [`Self::account_order`]).
    pub fn sort_accounts_by<T: Copy>(&self, items: &mut [T], row: impl Fn(T) -> u32) {
        let ranks = self.account_ranks.get_or_init(|| {
            ranks(self.accounts.len(), |rows| {
                let id = |r: u32| self.accounts.get(r as usize).map_or(0, |a| a.id);
                sort_by_prefix(rows, |r| self.account_key(r), id, |a, b| self.account_order(a, b))
            })
        });
        sort_by_rank(items, ranks, row);
    }

    /// Contact rows in alphabetical order (see [`Self::contact_order`]).
    pub fn sort_contacts(&self, rows: &mut [u32]) {
        let ranks = self.contact_ranks.get_or_init(|| {
            ranks(self.contacts.len(), |rows| {
                let id = |r: u32| self.contacts.get(r as usize).map_or(0, |c| c.id);
                sort_by_prefix(
                    rows,
                    |r| self.contact_sort_key(r),
                    id,
                    |a, b| self.contact_order(a, b),
                )
            })
        });
        sort_by_rank(rows, ranks, |r| r);
    }

    /// Alphabetical order of account rows: normalised name, then id.
    pub fn account_order(&self, a: u32, b: u32) -> std::cmp::Ordering {
        let id = |i: u32| self.accounts.get(i as usize).map_or(0, |a| a.id);
        self.account_key(a)
            .cmp(self.account_key(b))
            .then_with(|| id(a).cmp(&id(b)))
    }

    /// Alphabetical order of contact rows: sort key, then id.
    pub fn contact_order(&self, a: u32, b: u32) -> std::cmp::Ordering {
        let id = |i: u32| self.contacts.get(i as usize).map_or(0, |c| c.id);
        self.contact_sort_key(a)
            .cmp(self.contact_sort_key(b))
            .then_with(|| id(a).cmp(&id(b)))
    }

    /// Every entry as owned rows (tests compare them with the records).
    pub fn rows(&self) -> Rows {
        let n = |x: usize| 0..x as u32;
        Rows {
            accounts: n(self.accounts.len()).filter_map(|i| self.account(i)).collect(),
            contacts: n(self.contacts.len()).filter_map(|i| self.contact(i)).collect(),
            links: self
                .links
                .iter()
                .enumerate()
                .filter_map(|(i, l)| {
                    Some(LinkRow {
                        account_id: AccountId::parse(&id_text(l.account_id))?,
                        contact_id: ContactId::parse(&id_text(l.contact_id))?,
                        primary: l.primary,
                        signer_priority: l.signer_priority,
                        pending: self
                            .link_pending(i as u32)
                            .map(|(email, invited_at)| PendingLogin {
                                email: email.to_owned(),
                                invited_at,
                            })
                            .collect(),
                    })
                })
                .collect(),
        }
    }

    /// Bytes held (buffers and tables), for measurements.
    pub fn heap_bytes(&self) -> usize {
        self.bufs.iter().map(String::capacity).sum::<usize>()
            + self.accounts.capacity() * std::mem::size_of::<Acc>()
            + self.contacts.capacity() * std::mem::size_of::<Con>()
            + self.links.capacity() * std::mem::size_of::<Lnk>()
            + self.emails.capacity() * std::mem::size_of::<Span>()
            + self.small.capacity() * 4
            + self.pending.capacity() * std::mem::size_of::<(Span, i64)>()
    }
}

/// Per row of `n`, its place once `sort` has ordered them all.
fn ranks(n: usize, sort: impl FnOnce(&mut [u32])) -> Vec<u32> {
    let mut rows: Vec<u32> = (0..n as u32).collect();
    sort(&mut rows);
    let mut ranks = vec![0u32; n];
    for (place, &r) in rows.iter().enumerate() {
        if let Some(x) = ranks.get_mut(r as usize) {
            *x = place as u32;
        }
    }
    ranks
}

/// Sorts items by the rank of their row (rows unknown to `ranks` last).
fn sort_by_rank<T: Copy>(items: &mut [T], ranks: &[u32], row: impl Fn(T) -> u32) {
    let mut keyed: Vec<(u32, T)> = items
        .iter()
        .map(|&t| (ranks.get(row(t) as usize).copied().unwrap_or(u32::MAX), t))
        .collect();
    keyed.sort_unstable_by_key(|k| k.0);
    for (item, (_, t)) in items.iter_mut().zip(keyed) {
        *item = t;
    }
}

/// Bytes of a key held next to each row while sorting.
const PREFIX: usize = 16;

/// Sorts rows by `order` (their key, then their id), comparing first the
/// first 16 bytes of their keys and their ids, held side by side: the
/// rows' text is spread over the whole directory, and reading it for a
/// comparison costs a cache miss each time. Names are short and many are
/// alike (the same first and last names), so most comparisons are settled
/// there; only keys longer than the prefix that share it read the text.
fn sort_by_prefix<'a>(
    rows: &mut [u32],
    key: impl Fn(u32) -> &'a str,
    id: impl Fn(u32) -> u128,
    order: impl Fn(u32, u32) -> std::cmp::Ordering,
) {
    struct Keyed {
        prefix: u128,
        id: u128,
        len: usize,
        row: u32,
    }
    let mut keyed: Vec<Keyed> = rows
        .iter()
        .map(|&row| {
            let k = key(row);
            let mut p = [0u8; PREFIX];
            for (d, s) in p.iter_mut().zip(k.bytes()) {
                *d = s;
            }
            Keyed {
                prefix: u128::from_be_bytes(p),
                id: id(row),
                len: k.len(),
                row,
            }
        })
        .collect();
    keyed.sort_unstable_by(|a, b| {
        a.prefix.cmp(&b.prefix).then_with(|| {
            if a.len <= PREFIX && b.len <= PREFIX {
                // Both keys whole in the prefix (zero-padded: of two keys
                // equal but for that padding, the shorter comes first).
                a.len.cmp(&b.len).then(a.id.cmp(&b.id))
            } else {
                order(a.row, b.row)
            }
        })
    });
    for (row, k) in rows.iter_mut().zip(keyed) {
        *row = k.row;
    }
}

const LIST: char = '\u{1f}';

/// Escapes one field (see the module documentation).
pub fn escape_into(s: &str, out: &mut String) {
    if !s.contains(['\\', '\t', '\n', LIST]) {
        out.push_str(s);
        return;
    }
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            LIST => out.push_str("\\u"),
            c => out.push(c),
        }
    }
}

fn unescape(s: &str) -> Cow<'_, str> {
    if !s.contains('\\') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('t') => out.push('\t'),
                Some('n') => out.push('\n'),
                Some('u') => out.push(LIST),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn push_list<'a>(items: impl Iterator<Item = &'a str>, out: &mut String) {
    for (i, item) in items.enumerate() {
        if i > 0 {
            out.push(LIST);
        }
        escape_into(item, out);
    }
}

/// One entry of the text format: its key (kind and id fields, which say
/// which entry a new one replaces) and the whole line (without newline).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub key: String,
    pub line: String,
}

impl Entry {
    fn start(kind: char, ids: &[&str]) -> (String, String) {
        let mut key = String::new();
        key.push(kind);
        for id in ids {
            key.push('\t');
            escape_into(id, &mut key);
        }
        (key.clone(), key)
    }

    /// The key of the account entry with this id.
    pub fn account_key(id: &str) -> String {
        Self::start('A', &[id]).0
    }
    pub fn contact_key(id: &str) -> String {
        Self::start('C', &[id]).0
    }
    pub fn link_key(account: &str, contact: &str) -> String {
        Self::start('L', &[account, contact]).0
    }

    pub fn account(a: &AccountRow) -> Self {
        let (key, mut line) = Self::start('A', &[a.id.as_str()]);
        line.push('\t');
        escape_into(&a.name, &mut line);
        line.push_str(match a.kind {
            AccountType::Individual => "\ti\t",
            AccountType::Company => "\tc\t",
            AccountType::Other => "\to\t",
        });
        line.push(if a.archived { '1' } else { '0' });
        line.push('\t');
        line.push_str(&a.created_at.0.to_string());
        line.push('\t');
        push_list(a.tags.iter().map(TagId::as_str), &mut line);
        line.push('\t');
        push_list(a.team.iter().map(MemberId::as_str), &mut line);
        line.push('\t');
        escape_into(&normalize(&a.name), &mut line);
        Self { key, line }
    }

    pub fn contact(c: &ContactRow) -> Self {
        let (key, mut line) = Self::start('C', &[c.id.as_str()]);
        for part in [&c.first_name, &c.middle_name, &c.last_name] {
            line.push('\t');
            escape_into(part, &mut line);
        }
        line.push('\t');
        escape_into(&c.phone, &mut line);
        line.push('\t');
        push_list(c.tags.iter().map(TagId::as_str), &mut line);
        line.push('\t');
        escape_into(&c.sort_key(), &mut line);
        line.push('\t');
        escape_into(&normalize(&c.display_name()), &mut line);
        line.push('\t');
        let start = line.len();
        push_list(c.emails.iter().map(String::as_str), &mut line);
        let typed = line[start..].to_owned();
        line.push('\t');
        // Left empty when the emails as typed are their keys already.
        let keys: Vec<String> = c.emails.iter().map(|e| normalize(e)).collect();
        let mut normalised = String::new();
        push_list(keys.iter().map(String::as_str), &mut normalised);
        if normalised != typed {
            line.push_str(&normalised);
        }
        Self { key, line }
    }

    pub fn link(l: &LinkRow) -> Self {
        let (key, mut line) = Self::start('L', &[l.account_id.as_str(), l.contact_id.as_str()]);
        line.push_str(if l.primary { "\t1\t" } else { "\t0\t" });
        if let Some(p) = l.signer_priority {
            line.push_str(&p.to_string());
        }
        line.push('\t');
        let stamps: Vec<String> = l.pending.iter().map(|p| p.invited_at.0.to_string()).collect();
        push_list(
            l.pending
                .iter()
                .zip(&stamps)
                .flat_map(|(p, at)| [p.email.as_str(), at.as_str()]),
            &mut line,
        );
        Self { key, line }
    }

    /// The key of a line of the text format (its first field, and the
    /// second for links).
    pub fn key_of(line: &str) -> &str {
        let ids = if line.starts_with('L') { 3 } else { 2 };
        match line.match_indices('\t').nth(ids - 1) {
            Some((end, _)) => &line[..end],
            None => line,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundle::fixtures;

    #[test]
    fn text_round_trips_every_field_including_awkward_characters() {
        let mut c = fixtures::sample(12, 3);
        c.accounts[0].name = "Tab\there\nnew \\ line \u{1f} unit".into();
        c.contacts[0].first_name = "Zoë\t".into();
        c.contacts[0].last_name = "Ștefan \\ Müller".into();
        c.contacts[0].phones = vec!["+1 \\ 2".into()];
        c.contacts[1].emails = vec![crate::domain::Email::parse("Kate.Smith@Example.COM").unwrap()];
        c.links[0].description = "PRIMARY contact".into();
        c.links[0].signer_priority = Some(3);
        if let Some(a) = c.links[0].email_access.first_mut() {
            a.login = true;
            a.invited_at = Some(Timestamp(77));
        }
        let rows = Rows::of(&c.accounts, &c.contacts, &c.links);
        assert!(rows.links[0].primary);
        assert_eq!(
            rows.links[0].pending.len(),
            usize::from(!c.links[0].email_access.is_empty())
        );
        let (back, bad) = Directory::parse(vec![rows.to_text()]);
        assert_eq!(bad, 0);
        assert_eq!(back.rows(), rows);
        // Search keys, whether read in place or put together (escapes,
        // emails with capitals).
        for j in 0..back.contact_count() as u32 {
            let row = back.contact(j).unwrap();
            let (key, split) = back.contact_search_key(j);
            assert_eq!((key.to_owned(), split), row.search_key(), "{row:?}");
        }
        let kate = back.contact(1).unwrap();
        assert!(
            back.contact_search_key(1).0.ends_with("kate.smith@example.com"),
            "{kate:?}"
        );
    }

    #[test]
    fn find_matches_every_word_in_names_and_emails_alphabetically() {
        let mut c = fixtures::sample(6, 1);
        let names = [
            ("Zoë", "Ortega", "zoe@ortega.example"),
            ("Ana", "Ștefan", "ana@stefan.example"),
            ("Ștefan", "Popa", "office@popa.example"),
            ("Mara", "Zinn", "mara@zinn.example"),
            ("Bob", "Stefani", "bob@work.example"),
            ("Eve", "Hall", "eve@hall.example"),
        ];
        for (contact, (first, last, email)) in c.contacts.iter_mut().zip(names) {
            contact.first_name = first.into();
            contact.middle_name = String::new();
            contact.last_name = last.into();
            contact.emails = vec![crate::domain::Email::parse(email).unwrap()];
        }
        let accounts = [
            "Ștefan Müller SRL",
            "Stefan & Sons",
            "Müller Bakery",
            "Hall Partners",
            "Ortega LLC",
            "Zinn GmbH",
        ];
        for (account, name) in c.accounts.iter_mut().zip(accounts) {
            account.name = name.into();
        }
        let d = Directory::of(&c.accounts, &c.contacts, &c.links);
        let names_of =
            |rows: Vec<u32>| -> Vec<String> { rows.into_iter().map(|j| d.contact_display_name(j)).collect() };
        // Without accents, in any case, in a name or an email; by last name.
        assert_eq!(
            names_of(d.find_contacts("STEF", |_| true, 8)),
            ["Ștefan Popa", "Ana Ștefan", "Bob Stefani"]
        );
        assert_eq!(names_of(d.find_contacts("zoe", |_| true, 8)), ["Zoë Ortega"]);
        assert_eq!(
            names_of(d.find_contacts(" popa.example ", |_| true, 8)),
            ["Ștefan Popa"]
        );
        // Every word must match, each anywhere.
        assert_eq!(
            names_of(d.find_contacts("ana stefan", |_| true, 8)),
            ["Ana Ștefan"]
        );
        assert!(d.find_contacts("ana zinn", |_| true, 8).is_empty());
        // Nothing for an empty query; `keep` and `limit` apply.
        assert!(d.find_contacts("  ", |_| true, 8).is_empty());
        let bob = d.find_contacts("bob", |_| true, 8)[0];
        assert_eq!(
            names_of(d.find_contacts("stef", |j| j != bob, 8)),
            ["Ștefan Popa", "Ana Ștefan"]
        );
        assert_eq!(names_of(d.find_contacts("stef", |_| true, 1)), ["Ștefan Popa"]);

        let accounts_of =
            |rows: Vec<u32>| -> Vec<&str> { rows.into_iter().map(|i| d.account_name(i)).collect() };
        assert_eq!(
            accounts_of(d.find_accounts("muller", |_| true, 8)),
            ["Müller Bakery", "Ștefan Müller SRL"]
        );
        assert_eq!(
            accounts_of(d.find_accounts("stefan", |_| true, 8)),
            ["Stefan & Sons", "Ștefan Müller SRL"]
        );
        assert_eq!(
            accounts_of(d.find_accounts("stefan srl", |_| true, 8)),
            ["Ștefan Müller SRL"]
        );
        let sons = d.find_accounts("sons", |_| true, 8)[0];
        assert_eq!(
            accounts_of(d.find_accounts("stefan", |i| i != sons, 8)),
            ["Ștefan Müller SRL"]
        );
        assert!(d.find_accounts("", |_| true, 8).is_empty());
    }

    #[test]
    fn entries_split_over_chunks_read_back_the_same() {
        let c = fixtures::sample(40, 3);
        let rows = Rows::of(&c.accounts, &c.contacts, &c.links);
        let text = rows.to_text();
        let lines: Vec<&str> = text.lines().collect();
        let chunks: Vec<String> = lines
            .chunks(7)
            .map(|ls| ls.iter().map(|l| format!("{l}\n")).collect())
            .collect();
        assert!(chunks.len() > 3);
        let (back, bad) = Directory::parse(chunks.clone());
        assert_eq!(bad, 0);
        assert_eq!(back.rows().sorted(), rows.clone().sorted());
        // Chunk by chunk, however many chunks were expected (the tables are
        // sized from the first one), with a damaged line and an empty chunk.
        for expected in [1, chunks.len(), 1000] {
            let mut b = DirectoryBuilder::new(expected);
            b.chunk(String::new());
            for chunk in &chunks {
                b.chunk(chunk.clone());
            }
            b.chunk("C\tnot an id\n".to_owned());
            let (built, bad) = b.finish();
            assert_eq!(bad, 1, "expected {expected}");
            assert_eq!(
                built.rows().sorted(),
                rows.clone().sorted(),
                "expected {expected}"
            );
        }
    }

    #[test]
    fn stored_keys_are_the_normalised_names_and_links_know_their_rows() {
        let mut c = fixtures::sample(3, 2);
        c.accounts[1].name = "Ștefan Müller SRL".into();
        c.contacts[0].first_name = "Zoë".into();
        c.contacts[0].middle_name = String::new();
        c.contacts[0].last_name = "Ortega".into();
        let d = Directory::of(&c.accounts, &c.contacts, &c.links);
        let i = (0..d.account_count() as u32)
            .find(|&i| d.account_name(i) == "Ștefan Müller SRL")
            .unwrap();
        assert_eq!(d.account_key(i), normalize("Ștefan Müller SRL"));
        let j = (0..d.contact_count() as u32)
            .find(|&j| d.contact_id(j).as_ref() == Some(&c.contacts[0].id))
            .unwrap();
        let row = ContactRow::of(&c.contacts[0]);
        assert_eq!(d.contact_sort_key(j), row.sort_key());
        let (key, split) = d.contact_search_key(j);
        assert_eq!(&key[..split], "zoe ortega");
        assert_eq!(key, row.search_key().0);
        assert_eq!(d.contact_display_name(j), "Zoë Ortega");
        for l in 0..d.link_count() as u32 {
            let (a, c2) = d.link_ends(l);
            let link = &c.links[l as usize];
            assert_eq!(d.account_id(a).as_ref(), Some(&link.account_id));
            assert_eq!(d.contact_id(c2).as_ref(), Some(&link.contact_id));
        }
    }

    #[test]
    fn sorting_by_shared_ranks_follows_the_name_then_id_order() {
        let mut c = fixtures::sample(60, 2);
        // Same names (ties broken by id), accents and case.
        for (i, a) in c.accounts.iter_mut().enumerate() {
            a.name = [
                "Zoë Adams",
                "zoe adams",
                "Émile",
                "Acme",
                "acme",
                "Acme Consulting Group East",
                "Acme Consulting Group",
                "Acme Consulting Group West",
                "",
            ][i % 9]
                .into();
        }
        for (i, k) in c.contacts.iter_mut().enumerate() {
            k.last_name = ["Müller", "muller", "Adams"][i % 3].into();
            k.first_name = ["Ana", "Zoë"][i % 2].into();
        }
        let d = Directory::of(&c.accounts, &c.contacts, &c.links);
        let mut every: Vec<u32> = (0..d.account_count() as u32).collect();
        let mut by_order = every.clone();
        by_order.sort_by(|&a, &b| d.account_order(a, b));
        d.sort_accounts_by(&mut every, |r| r);
        assert_eq!(every, by_order);
        // A subset, and items that carry their row.
        let mut some: Vec<(u32, char)> = (0..d.account_count() as u32)
            .rev()
            .step_by(3)
            .map(|r| (r, 'x'))
            .collect();
        let mut want: Vec<u32> = some.iter().map(|s| s.0).collect();
        want.sort_by(|&a, &b| d.account_order(a, b));
        d.sort_accounts_by(&mut some, |s| s.0);
        assert_eq!(some.iter().map(|s| s.0).collect::<Vec<_>>(), want);
        let mut contacts: Vec<u32> = (0..d.contact_count() as u32).rev().step_by(2).collect();
        let mut want = contacts.clone();
        want.sort_by(|&a, &b| d.contact_order(a, b));
        d.sort_contacts(&mut contacts);
        assert_eq!(contacts, want);
    }

    #[test]
    fn ids_are_read_as_numbers_only_when_they_are_ids() {
        let id = "0123456789abcdef0123456789abcdef";
        assert_eq!(id_num(id), u128::from_str_radix(id, 16).ok());
        assert_eq!(id_text(id_num(id).unwrap()), id);
        assert_eq!(id_num(&"f".repeat(32)), Some(u128::MAX));
        for bad in [
            "0123456789ABCDEF0123456789abcdef",
            "0123",
            "",
            &"0".repeat(33),
            "0123456789abcdef0123456789abcdeg",
        ] {
            assert_eq!(id_num(bad), None, "{bad}");
            assert!(!crate::domain::ids::is_id(bad));
        }
    }

    #[test]
    fn links_to_missing_entries_point_nowhere() {
        let c = fixtures::sample(2, 1);
        let d = Directory::of(&c.accounts[..1], &[], &c.links);
        assert!(d.link_count() > 0);
        assert_eq!(d.link_ends(0).1, NONE);
        assert_eq!(d.rows().links.len(), c.links.len());
    }

    #[test]
    fn keys_name_the_entry() {
        let c = fixtures::sample(3, 1);
        let d = Rows::of(&c.accounts, &c.contacts, &c.links);
        let a = Entry::account(&d.accounts[0]);
        assert_eq!(a.key, Entry::account_key(d.accounts[0].id.as_str()));
        assert_eq!(Entry::key_of(&a.line), a.key);
        let l = Entry::link(&d.links[0]);
        assert_eq!(Entry::key_of(&l.line), l.key);
        assert_eq!(
            l.key,
            Entry::link_key(d.links[0].account_id.as_str(), d.links[0].contact_id.as_str())
        );
    }

    #[test]
    fn damaged_lines_are_skipped_and_counted() {
        let c = fixtures::sample(2, 1);
        let d = Rows::of(&c.accounts, &c.contacts, &c.links);
        // An id that is not one, and a line of the old format (no keys).
        let text = format!(
            "garbage\nA\tnot-an-id\tX\ti\t0\t1\t\t\t\nC\t{}\tA\t\tB\t\t\t\n{}",
            "0".repeat(32),
            d.to_text()
        );
        let (back, bad) = Directory::parse(vec![text]);
        assert_eq!(bad, 3);
        assert_eq!(back.rows(), d);
    }

    #[test]
    fn the_byte_scan_finds_the_first_tab_newline_or_backslash_of_eight() {
        // Bytes next to the three (and the high ones) are where a
        // word-at-a-time test could go wrong.
        let alphabet = [
            b'\t', b'\n', b'\\', 0x08, 0x0b, 0x5b, 0x5d, 0x00, 0x01, 0x80, 0xff, b'a',
        ];
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..200_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let mut w = [0u8; 8];
            for (k, x) in w.iter_mut().enumerate() {
                *x = alphabet[((state >> (k * 4)) & 0xf) as usize % alphabet.len()];
            }
            let first = w.iter().position(|b| matches!(b, b'\t' | b'\n' | b'\\'));
            let m = specials(u64::from_le_bytes(w));
            let found = (m != 0).then(|| (m.trailing_zeros() / 8) as usize);
            assert_eq!(found, first, "{w:?}");
        }
    }

    #[test]
    fn lines_are_read_whatever_their_length_fields_and_escapes() {
        let c = fixtures::sample(6, 2);
        let rows = Rows::of(&c.accounts, &c.contacts, &c.links);
        let text = rows.to_text();
        // No newline after the last line, and lines of every length
        // against the eight-byte steps: the same entries.
        let trimmed = text.trim_end_matches('\n').to_owned();
        let (back, bad) = Directory::parse(vec![trimmed]);
        assert_eq!(bad, 0);
        assert_eq!(back.rows(), rows);
        // A contact line with a twelfth field is damaged; an account or a
        // link line with one more field than it knows is read.
        let contact = text.lines().find(|l| l.starts_with('C')).unwrap();
        let account = text.lines().find(|l| l.starts_with('A')).unwrap();
        let link = text.lines().find(|l| l.starts_with('L')).unwrap();
        let odd = format!("{contact}\textra\n{account}\textra\n{link}\textra\n\n\n");
        let (back, bad) = Directory::parse(vec![odd]);
        assert_eq!(
            (bad, back.contact_count(), back.account_count(), back.link_count()),
            (1, 0, 1, 1)
        );
        // Thirteen fields and escapes past the twelfth are no trouble.
        let many = format!("{account}{}\n", "\tx\\\\y".repeat(6));
        let (back, bad) = Directory::parse(vec![many]);
        assert_eq!((bad, back.account_count()), (0, 1));
    }
}
