//! The directory: what the Clients lists and the sidebar search need to know
//! about every account, contact and link, and nothing more (no addresses,
//! custom fields, notes, notification preferences). It is kept next to the
//! records as compact text (see `store::summary`), so the app starts by
//! reading a few large values instead of every record.
//!
//! The text format, one entry per line, fields separated by tabs, lists by
//! U+001F; `\`, tab, newline and U+001F inside a field are escaped as `\\`,
//! `\t`, `\n`, `\u`:
//!
//! ```text
//! A  id  name  kind(i|c|o)  archived(0|1)  created_at  tags  team
//! C  id  first  middle  last  emails  first-phone  tags
//! L  account_id  contact_id  primary(0|1)  signer_priority  pending(email, invited_at, ...)
//! ```
//!
//! `primary` says the link's description contains "primary"; `pending`
//! lists the emails invited to the portal and not activated yet.

use super::account::{Account, AccountType};
use super::contact::Contact;
use super::ids::{AccountId, ContactId, MemberId, TagId};
use super::link::Link;
use super::search::normalize;
use super::time::Timestamp;
use std::borrow::Cow;

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

impl ContactRow {
    /// "First Middle Last", skipping empty parts (as [`Contact::display_name`]).
    pub fn display_name(&self) -> String {
        [&self.first_name, &self.middle_name, &self.last_name]
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
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

/// Everything the lists and the search know, unordered.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Directory {
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

impl Directory {
    /// The directory of these records (tests, and rebuilding the stored one).
    pub fn of(accounts: &[Account], contacts: &[Contact], links: &[Link]) -> Self {
        Self {
            accounts: accounts.iter().map(AccountRow::of).collect(),
            contacts: contacts.iter().map(ContactRow::of).collect(),
            links: links.iter().map(LinkRow::of).collect(),
        }
    }

    /// Reads entries in the text format; lines it cannot read are skipped
    /// (and counted), so one damaged entry never hides the rest.
    pub fn parse(text: &str) -> (Self, usize) {
        let mut d = Self::default();
        let mut bad = 0;
        for line in text.split('\n').filter(|l| !l.is_empty()) {
            if d.parse_line(line).is_none() {
                bad += 1;
            }
        }
        (d, bad)
    }

    fn parse_line(&mut self, line: &str) -> Option<()> {
        let mut f = line.split('\t');
        match f.next()? {
            "A" => {
                let id = AccountId::parse(&unescape(f.next()?))?;
                let name = unescape(f.next()?).into_owned();
                let kind = match f.next()? {
                    "c" => AccountType::Company,
                    "o" => AccountType::Other,
                    _ => AccountType::Individual,
                };
                let archived = f.next()? == "1";
                let created_at = Timestamp(f.next()?.parse().ok()?);
                let tags = ids(f.next()?, TagId::parse);
                let team = ids(f.next()?, MemberId::parse);
                self.accounts.push(AccountRow {
                    id,
                    name,
                    kind,
                    archived,
                    created_at,
                    tags,
                    team,
                });
            }
            "C" => {
                let id = ContactId::parse(&unescape(f.next()?))?;
                let first_name = unescape(f.next()?).into_owned();
                let middle_name = unescape(f.next()?).into_owned();
                let last_name = unescape(f.next()?).into_owned();
                let emails = list(f.next()?).map(Cow::into_owned).collect();
                let phone = unescape(f.next()?).into_owned();
                let tags = ids(f.next()?, TagId::parse);
                self.contacts.push(ContactRow {
                    id,
                    first_name,
                    middle_name,
                    last_name,
                    emails,
                    phone,
                    tags,
                });
            }
            "L" => {
                let account_id = AccountId::parse(&unescape(f.next()?))?;
                let contact_id = ContactId::parse(&unescape(f.next()?))?;
                let primary = f.next()? == "1";
                let prio = f.next()?;
                let signer_priority = if prio.is_empty() {
                    None
                } else {
                    Some(prio.parse().ok()?)
                };
                let parts: Vec<Cow<str>> = list(f.next()?).collect();
                let mut pending = Vec::new();
                for pair in parts.chunks(2) {
                    if let [email, at] = pair {
                        pending.push(PendingLogin {
                            email: email.clone().into_owned(),
                            invited_at: Timestamp(at.parse().ok()?),
                        });
                    }
                }
                self.links.push(LinkRow {
                    account_id,
                    contact_id,
                    primary,
                    signer_priority,
                    pending,
                });
            }
            _ => return None,
        }
        Some(())
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

fn list(field: &str) -> impl Iterator<Item = Cow<'_, str>> {
    field.split(LIST).filter(|s| !s.is_empty()).map(unescape)
}

fn ids<T>(field: &str, parse: impl Fn(&str) -> Option<T>) -> Vec<T> {
    list(field).filter_map(|s| parse(&s)).collect()
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
        Self { key, line }
    }

    pub fn contact(c: &ContactRow) -> Self {
        let (key, mut line) = Self::start('C', &[c.id.as_str()]);
        for part in [&c.first_name, &c.middle_name, &c.last_name] {
            line.push('\t');
            escape_into(part, &mut line);
        }
        line.push('\t');
        push_list(c.emails.iter().map(String::as_str), &mut line);
        line.push('\t');
        escape_into(&c.phone, &mut line);
        line.push('\t');
        push_list(c.tags.iter().map(TagId::as_str), &mut line);
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

impl Directory {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundle::fixtures;

    #[test]
    fn text_round_trips_every_field_including_awkward_characters() {
        let mut c = fixtures::sample(12, 3);
        c.accounts[0].name = "Tab\there\nnew \\ line \u{1f} unit".into();
        c.contacts[0].first_name = "Zoë\t".into();
        c.contacts[0].phones = vec!["+1 \\ 2".into()];
        c.links[0].description = "PRIMARY contact".into();
        c.links[0].signer_priority = Some(3);
        if let Some(a) = c.links[0].email_access.first_mut() {
            a.login = true;
            a.invited_at = Some(Timestamp(77));
        }
        let d = Directory::of(&c.accounts, &c.contacts, &c.links);
        assert!(d.links[0].primary);
        assert_eq!(
            d.links[0].pending.len(),
            usize::from(!c.links[0].email_access.is_empty())
        );
        let (back, bad) = Directory::parse(&d.to_text());
        assert_eq!(bad, 0);
        assert_eq!(back, d);
    }

    #[test]
    fn keys_name_the_entry() {
        let c = fixtures::sample(3, 1);
        let d = Directory::of(&c.accounts, &c.contacts, &c.links);
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
        let d = Directory::of(&c.accounts, &c.contacts, &c.links);
        let text = format!("garbage\nA\tnot-an-id\tX\ti\t0\t1\t\t\n{}", d.to_text());
        let (back, bad) = Directory::parse(&text);
        assert_eq!(bad, 2);
        assert_eq!(back, d);
    }
}
