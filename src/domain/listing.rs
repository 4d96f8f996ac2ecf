//! The Clients lists and the sidebar search, as pure functions: which
//! accounts a set of filters keeps and in what order, who an account's
//! primary contact is, which invitations wait for activation, what a bulk
//! action changes, and how search results are found and ranked.
//!
//! Everything that runs per keystroke or per filter change works on strings
//! normalised once (see [`super::search::normalize`]), so a list of 10,000
//! accounts filters in a few milliseconds.

use super::account::{Account, AccountType};
use super::directory::{Directory, NONE};
use super::ids::{AccountId, ContactId, MemberId, TagId};
use super::search::{contains, normalize, TopK};
use super::time::Timestamp;

/// How the accounts list is ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortOrder {
    /// Alphabetical, ignoring case and accents.
    #[default]
    Name,
    /// Date created, newest first.
    Newest,
}

impl SortOrder {
    pub const ALL: [SortOrder; 2] = [Self::Name, Self::Newest];

    pub fn code(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Newest => "newest",
        }
    }

    pub fn from_code(code: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|s| s.code() == code)
            .unwrap_or_default()
    }
}

/// The filters of the accounts list; `None` means "any".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AccountFilter {
    /// Archived accounts (the Archived view) or the others (Active).
    pub archived: bool,
    pub kind: Option<AccountType>,
    pub tag: Option<TagId>,
    pub member: Option<MemberId>,
    /// Typed text; every word must occur in the name (normalised).
    pub text: String,
}

impl AccountFilter {
    /// Whether any filter beyond the view is set.
    pub fn is_narrowed(&self) -> bool {
        self.kind.is_some() || self.tag.is_some() || self.member.is_some() || !self.text.trim().is_empty()
    }
}

/// The positions in `rows` (account rows of `d`) that `filter` keeps, in
/// `order`. Names are compared by the keys stored in the directory.
pub fn filter_accounts(d: &Directory, rows: &[u32], filter: &AccountFilter, order: SortOrder) -> Vec<usize> {
    let words: Vec<String> = normalize(&filter.text)
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    let mut out: Vec<usize> = rows
        .iter()
        .enumerate()
        .filter(|&(_, &a)| {
            d.account_archived(a) == filter.archived
                && filter.kind.is_none_or(|k| d.account_kind(a) == k)
                && filter.tag.as_ref().is_none_or(|t| d.account_has_tag(a, t))
                && filter.member.as_ref().is_none_or(|m| d.account_has_member(a, m))
                && (words.is_empty() || {
                    let key = d.account_key(a);
                    words.iter().all(|w| key.contains(w.as_str()))
                })
        })
        .map(|(i, _)| i)
        .collect();
    let row = |i: usize| rows[i];
    match order {
        SortOrder::Name => d.sort_accounts_by(&mut out, row),
        SortOrder::Newest => crate::domain::sort::sort_by(&mut out, |&a, &b| {
            d.account_created(row(b))
                .cmp(&d.account_created(row(a)))
                .then_with(|| d.account_order(row(a), row(b)))
        }),
    }
    out
}

/// Each account's primary contact among `links` (link rows of `d`): the
/// contact whose link description says "primary" (or the same in German,
/// Dutch, French or Romanian), else the one with the lowest signer
/// priority, else the first alphabetically. Per account row, the contact
/// row (or [`NONE`]); links to a missing contact are ignored.
pub fn primary_contacts(d: &Directory, links: impl IntoIterator<Item = u32>) -> Vec<u32> {
    let mut best = vec![NONE; d.account_count()];
    let mut rank = vec![(true, u32::MAX); d.account_count()];
    for l in links {
        let (a, c) = d.link_ends(l);
        if c == NONE {
            continue;
        }
        let Some(current) = best.get(a as usize).copied() else {
            continue;
        };
        // Smaller is better.
        let r = (!d.link_primary(l), d.link_signer_priority(l).unwrap_or(u32::MAX));
        let better = current == NONE
            || r < rank[a as usize]
            || (r == rank[a as usize] && d.contact_order(c, current).is_lt());
        if better {
            best[a as usize] = c;
            rank[a as usize] = r;
        }
    }
    best
}

/// One invitation waiting for activation: the `link`-th of the links
/// asked about, for `email`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingInvite {
    pub link: usize,
    pub email: String,
    pub invited_at: Timestamp,
}

/// Every (account, contact, email) of `links` (link rows of `d`) whose
/// portal invitation is not activated, most recently invited first.
pub fn pending_invites(d: &Directory, links: &[u32]) -> Vec<PendingInvite> {
    let mut out: Vec<PendingInvite> = links
        .iter()
        .enumerate()
        .flat_map(|(i, &l)| {
            d.link_pending(l).map(move |(email, invited_at)| PendingInvite {
                link: i,
                email: email.to_owned(),
                invited_at,
            })
        })
        .collect();
    crate::domain::sort::sort_by(&mut out, |a, b| {
        b.invited_at
            .cmp(&a.invited_at)
            .then_with(|| a.email.cmp(&b.email))
    });
    out
}

/// A change applied to many accounts at once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BulkOp {
    AddTag(TagId),
    RemoveTag(TagId),
    Assign(MemberId),
    /// Also removes the member's account roles there.
    Unassign(MemberId),
    Archive,
    Restore,
}

/// The (before, after) pairs a bulk action changes; accounts it would not
/// change are left out. `after.updated_at` is `at`.
pub fn bulk_changes(accounts: &[Account], op: &BulkOp, at: Timestamp) -> Vec<(Account, Account)> {
    accounts
        .iter()
        .filter_map(|before| {
            let mut after = before.clone();
            match op {
                BulkOp::AddTag(t) => {
                    if !after.tags.contains(t) {
                        after.tags.push(t.clone());
                    }
                }
                BulkOp::RemoveTag(t) => after.tags.retain(|x| x != t),
                BulkOp::Assign(m) => {
                    if !after.team.contains(m) {
                        after.team.push(m.clone());
                    }
                }
                BulkOp::Unassign(m) => {
                    after.team.retain(|x| x != m);
                    after.roles.retain(|r| &r.member != m);
                }
                BulkOp::Archive => after.archived = true,
                BulkOp::Restore => after.archived = false,
            }
            (after != *before).then(|| {
                after.updated_at = at;
                (before.clone(), after)
            })
        })
        .collect()
}

// ----- search ---------------------------------------------------------------

/// An account as the search sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountEntry {
    pub id: AccountId,
    pub name: String,
    pub kind: AccountType,
    pub archived: bool,
}

/// A contact as the search sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContactEntry {
    pub id: ContactId,
    pub name: String,
    pub email: String,
    /// Names of the (visible) accounts the contact belongs to.
    pub accounts: Vec<String>,
}

/// Search results, at most `limit` of each kind, and how many there were.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchResults {
    pub accounts: Vec<AccountEntry>,
    pub contacts: Vec<ContactEntry>,
    pub total_accounts: usize,
    pub total_contacts: usize,
}

impl SearchResults {
    pub fn is_empty(&self) -> bool {
        self.accounts.is_empty() && self.contacts.is_empty()
    }
    pub fn len(&self) -> usize {
        self.accounts.len() + self.contacts.len()
    }
}

/// The entries of one kind, in display order: entry `i` is row `rows[i]`
/// of the directory. Their normalised keys (stored in the directory; for
/// contacts the name part, then after a separator the emails, see
/// [`Directory::contact_search_key`]) are copied side by side into one
/// buffer, in display order, so a scan reads memory in order: entry `i` is
/// `text[start[i]..start[i + 1]]`, its name part ends at `split[i]`.
/// `mask[i]` has a bit for every byte value class the key holds, so most
/// entries are ruled out without looking at their text.
#[derive(Clone, Debug, Default)]
struct Keys {
    rows: Vec<u32>,
    text: Vec<u8>,
    start: Vec<u32>,
    split: Vec<u32>,
    mask: Vec<u64>,
    name_mask: Vec<u64>,
}

/// The class of a byte (0 to 63): one per letter and digit and for `@ . -
/// _` and space, the other bytes sharing the rest. A mask has a bit per
/// class, and [`Pairs`] a list per pair of classes.
fn class(b: u8) -> u8 {
    match b {
        b'a'..=b'z' => b - b'a',
        b'0'..=b'9' => 26 + (b - b'0'),
        b'@' => 36,
        b'.' => 37,
        b'-' => 38,
        b'_' => 39,
        b' ' => 40,
        other => 41 + other % 23,
    }
}

/// The bit of a byte in a mask: one per letter and digit (so one letter
/// rules out exactly), the rest shared.
fn bit(b: u8) -> u64 {
    1 << class(b)
}

/// Whether byte `b` has a bit of its own in a mask.
fn mask_is_exact(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'@' | b'.' | b'-' | b'_' | b' ')
}

fn mask_of(s: &[u8]) -> u64 {
    s.iter().fold(0, |m, &b| m | bit(b))
}

/// One word of a query, as the scan needs it.
struct Word<'q> {
    text: &'q [u8],
    mask: u64,
    /// One byte with a mask bit of its own (a letter, a digit, `@`, `.`,
    /// ...): the mask alone says whether a key holds it.
    exact: bool,
}

impl<'q> Word<'q> {
    fn of(text: &'q [u8]) -> Self {
        Word {
            text,
            mask: mask_of(text),
            exact: matches!(text, [c] if mask_is_exact(*c)),
        }
    }
}

/// Whether every word occurs in `hay`, whose mask is `m`: the masks of all
/// the words first, then the text of those the mask cannot decide.
#[inline(always)]
fn has_words(hay: &[u8], m: u64, words: &[Word]) -> bool {
    // Plain loops: the release build optimises for size and would call
    // the iterator adaptors instead of inlining them.
    for w in words {
        if m & w.mask != w.mask {
            return false;
        }
    }
    for w in words {
        if !w.exact && !contains(hay, w.text) {
            return false;
        }
    }
    true
}

impl Keys {
    /// The keys of `rows` (in display order), copied into one buffer in
    /// that order. They are read in the directory's own order, one pass
    /// through its buffers, and each is written to its place: reading them
    /// in display order went to a random place of the directory's 34 MB
    /// (at 100,000 contacts) for every row, twice (the entry, then its key).
    fn new(d: &Directory, rows: Vec<u32>, contacts: bool) -> Self {
        let n = rows.len();
        let total = if contacts {
            d.contact_count()
        } else {
            d.account_count()
        };
        let key = |row: u32| {
            if contacts {
                d.contact_search_key(row)
            } else {
                let key = d.account_key(row);
                (key, key.len())
            }
        };
        let mut place = vec![NONE; total];
        for (i, &row) in rows.iter().enumerate() {
            if let Some(p) = place.get_mut(row as usize) {
                *p = i as u32;
            }
        }
        let (mut len, mut split) = (vec![0u32; n], vec![0u32; n]);
        let (mut mask, mut name_mask) = (vec![0u64; n], vec![0u64; n]);
        for (row, &p) in place.iter().enumerate() {
            let p = p as usize;
            if p >= n {
                continue;
            }
            let (whole, at) = key(row as u32);
            let bytes = whole.as_bytes();
            len[p] = bytes.len() as u32;
            split[p] = at as u32;
            name_mask[p] = mask_of(bytes.get(..at).unwrap_or(bytes));
            mask[p] = mask_of(bytes);
        }
        let mut start = Vec::with_capacity(n + 1);
        let mut at = 0u32;
        for (i, l) in len.iter().enumerate() {
            start.push(at);
            split[i] += at;
            at += l;
        }
        start.push(at);
        let mut text = vec![0u8; at as usize];
        for (row, &p) in place.iter().enumerate() {
            let p = p as usize;
            if p >= n {
                continue;
            }
            let bytes = key(row as u32).0.as_bytes();
            let from = start[p] as usize;
            if let Some(to) = text.get_mut(from..from + bytes.len()) {
                to.copy_from_slice(bytes);
            }
        }
        Self {
            rows,
            text,
            start,
            split,
            mask,
            name_mask,
        }
    }

    fn len(&self) -> usize {
        self.mask.len()
    }

    /// Entry `i`'s bytes: from its start, where its name part ends, and its end.
    #[inline(always)]
    fn bounds(&self, i: usize) -> (usize, usize, usize) {
        let start = self.start.get(i).map_or(0, |&x| x as usize);
        let end = self.start.get(i + 1).map_or(start, |&x| x as usize).max(start);
        let split = self.split.get(i).map_or(start, |&x| x as usize);
        (start, split.max(start).min(end), end)
    }

    #[inline(always)]
    fn whole(&self, i: usize) -> &[u8] {
        let (s, _, e) = self.bounds(i);
        self.text.get(s..e).unwrap_or_default()
    }

    #[inline(always)]
    fn name(&self, i: usize) -> &[u8] {
        let (s, n, _) = self.bounds(i);
        self.text.get(s..n).unwrap_or_default()
    }

    /// The emails (after the name part and its separator).
    #[inline(always)]
    fn rest(&self, i: usize) -> &[u8] {
        let (_, n, e) = self.bounds(i);
        self.text.get((n + 1).min(e)..e).unwrap_or_default()
    }

    /// Whether entry `i` holds every word anywhere.
    #[inline(always)]
    fn has(&self, i: usize, words: &[Word]) -> bool {
        let m = self.mask.get(i).copied().unwrap_or(0);
        has_words(self.whole(i), m, words)
    }
}

/// For every pair of byte classes ([`class`]: 64 × 64 pairs), the entries
/// of a kind whose key holds it, in display order: the entries that can
/// hold a word of two bytes or more are those of its rarest pair, so a
/// query's first scan reads those instead of every entry (the word is
/// still looked for in each, as pairs of shared classes are not exact).
/// With them, per entry, the bytes that start an inner word of its name
/// part and of its emails, so a match is ranked "a word starts with the
/// query" only after a look at the bytes where that can be. About four
/// bytes per distinct pair of each key: 20 MB at 100,000 contacts, built
/// a slice at a time in idle time ([`SearchIndex::prepare_step`]).
#[derive(Debug, Default, PartialEq)]
struct Pairs {
    /// The entries of pair `p` are `entries[from[p]..from[p + 1]]`.
    from: Vec<u32>,
    entries: Vec<u32>,
    /// Per entry, for its name part and its emails, a mask ([`bit`]) of
    /// the bytes that follow a byte other than an ASCII letter or digit
    /// (more than the bytes that start a word, never fewer: the first
    /// byte of the emails and the separator are in too).
    starts: Vec<[u64; 2]>,
}

const PAIRS: usize = 64 * 64;

/// The pair of the classes of bytes `a` then `b` (0 to [`PAIRS`] − 1).
fn pair(a: u8, b: u8) -> usize {
    usize::from(class(a)) << 6 | usize::from(class(b))
}

/// [`Pairs`] being built a slice at a time, so that no step holds the
/// page for long: first every entry's distinct pairs are found and
/// counted, then the lists are filled.
#[derive(Debug)]
struct PairsBuilder {
    /// The next entry to read, and (when filling) the next of `found`.
    i: usize,
    k: usize,
    filling: bool,
    /// Per pair, the last entry it was found in.
    seen: Vec<u32>,
    /// Per pair, how many entries hold it (counting), then where its list
    /// starts (filling).
    from: Vec<u32>,
    /// Every entry's distinct pairs, entry `i`'s ending at `ends[i]`.
    found: Vec<u16>,
    ends: Vec<u32>,
    starts: Vec<[u64; 2]>,
    next: Vec<u32>,
    entries: Vec<u32>,
}

impl PairsBuilder {
    fn new(keys: &Keys) -> Self {
        Self {
            i: 0,
            k: 0,
            filling: false,
            seen: vec![u32::MAX; PAIRS],
            from: vec![0; PAIRS + 1],
            found: Vec::with_capacity(keys.text.len()),
            ends: Vec::with_capacity(keys.len()),
            starts: Vec::with_capacity(keys.len()),
            next: Vec::new(),
            entries: Vec::new(),
        }
    }

    /// Goes on for about `budget` bytes of keys; the lists once they are
    /// complete. Plain loops: the release build optimises for size (see
    /// `Scan`).
    fn step(&mut self, keys: &Keys, budget: usize) -> Option<Pairs> {
        let (n, text) = (keys.len(), keys.text.as_slice());
        let mut done = 0;
        if !self.filling {
            while self.i < n && done < budget {
                let i = self.i;
                let (s, split, e) = keys.bounds(i);
                let mut words = [0u64; 2];
                let mut p = s + 1;
                while p < e {
                    let (before, b) = (text[p - 1], text[p]);
                    let pair = pair(before, b);
                    if self.seen[pair] != i as u32 {
                        self.seen[pair] = i as u32;
                        self.from[pair + 1] += 1;
                        self.found.push(pair as u16);
                    }
                    if !before.is_ascii_alphanumeric() {
                        words[usize::from(p > split)] |= bit(b);
                    }
                    p += 1;
                }
                self.ends.push(self.found.len() as u32);
                self.starts.push(words);
                done += e - s;
                self.i += 1;
            }
            if self.i < n {
                return None;
            }
            for p in 0..PAIRS {
                self.from[p + 1] += self.from[p];
            }
            self.next = self.from.clone();
            self.entries = vec![0; self.from[PAIRS] as usize];
            (self.i, self.filling) = (0, true);
        }
        while self.i < n && done < budget {
            let end = self.ends[self.i] as usize;
            done += end - self.k;
            while self.k < end {
                let pair = usize::from(self.found[self.k]);
                self.entries[self.next[pair] as usize] = self.i as u32;
                self.next[pair] += 1;
                self.k += 1;
            }
            self.i += 1;
        }
        (self.i == n).then(|| Pairs {
            from: std::mem::take(&mut self.from),
            entries: std::mem::take(&mut self.entries),
            starts: std::mem::take(&mut self.starts),
        })
    }
}

impl Pairs {
    /// Whether a word starting with a byte of mask `first` can start an
    /// inner word of part `part` (0 the name, 1 the emails) of entry `i`.
    #[inline(always)]
    fn may_start(&self, i: u32, part: usize, first: u64) -> bool {
        self.starts
            .get(i as usize)
            .and_then(|s| s.get(part))
            .is_none_or(|&m| m & first != 0)
    }

    /// The entries of the rarest pair among the words of two bytes or
    /// more (none when every word is a single byte).
    fn rarest(&self, words: &[Word]) -> Option<&[u32]> {
        let mut best: Option<&[u32]> = None;
        for w in words {
            for two in w.text.windows(2) {
                let p = pair(two[0], two[1]);
                let (s, e) = (self.from.get(p), self.from.get(p + 1));
                let list = match (s, e) {
                    (Some(&s), Some(&e)) => self.entries.get(s as usize..e as usize).unwrap_or_default(),
                    _ => &[],
                };
                if best.is_none_or(|b| list.len() < b.len()) {
                    best = Some(list);
                }
            }
        }
        best
    }
}

/// One pass over the entries of a kind: every match (counted, and kept for
/// narrowing the next key) and the best `limit` of each of two groups (for
/// accounts the others and the archived ones, for contacts those matched by
/// name and those matched by an email only).
///
/// The release build optimises for size, which leaves iterator adaptors and
/// closures as calls; the loops here are plain so that a key's pass over
/// 100,000 contacts stays a tight loop in wasm.
struct Scan<'q> {
    words: &'q [Word<'q>],
    first: &'q [u8],
    first_is_word: bool,
    /// The mask bit of the first word's first byte, and the pair lists'
    /// word starts when they are prepared.
    first_bit: u64,
    pairs: Option<&'q Pairs>,
    /// Every match, when `keep_matched` (else only counted).
    matched: Vec<u32>,
    keep_matched: bool,
    total: usize,
    best: [TopK; 2],
}

impl<'q> Scan<'q> {
    /// `capacity`: how many entries the pass can match at most; none are
    /// kept without `keep_matched`.
    fn new(
        words: &'q [Word<'q>],
        first: &'q str,
        limit: usize,
        (capacity, keep_matched): (usize, bool),
        pairs: Option<&'q Pairs>,
    ) -> Self {
        Self {
            words,
            first: first.as_bytes(),
            first_is_word: first.chars().all(char::is_alphanumeric),
            first_bit: first.bytes().next().map_or(0, bit),
            pairs,
            matched: Vec::with_capacity(if keep_matched { capacity } else { 0 }),
            keep_matched,
            total: 0,
            best: [TopK::new(limit), TopK::new(limit)],
        }
    }

    /// Offers entry `i` to group `group`, ranked by `key`, its part `part`
    /// (0 the name, 1 the emails).
    #[inline(always)]
    fn keep(&mut self, group: usize, (key, part): (&[u8], usize), i: u32) {
        self.total += 1;
        if self.keep_matched {
            self.matched.push(i);
        }
        if let Some(best) = self.best.get_mut(group) {
            // The word starts are read only when a word start could still
            // enter (`offer_key` asks no more then).
            let word = self.first_is_word
                && best.wants(1)
                && self.pairs.is_none_or(|p| p.may_start(i, part, self.first_bit));
            best.offer_key(key, self.first, word, i);
        }
    }

    /// Account entry `i`: ranked by its name, archived ones after the others.
    #[inline(always)]
    fn account(&mut self, keys: &Keys, archived: &[bool], i: u32) {
        let iu = i as usize;
        if keys.has(iu, self.words) {
            let group = usize::from(archived.get(iu).copied().unwrap_or(false));
            self.keep(group, (keys.whole(iu), 0), i);
        }
    }

    /// Contact entry `i`: by its name, else by its emails. A word holds no
    /// white space, so it occurs in the whole key exactly when it occurs in
    /// the name part or in the emails: each part is read at most once.
    #[inline(always)]
    fn contact(&mut self, keys: &Keys, i: u32) {
        let iu = i as usize;
        let (mask, name_mask) = (
            keys.mask.get(iu).copied().unwrap_or(0),
            keys.name_mask.get(iu).copied().unwrap_or(0),
        );
        for w in self.words {
            if mask & w.mask != w.mask {
                return;
            }
        }
        let (name, rest) = (keys.name(iu), keys.rest(iu));
        let mut by_name = true;
        for w in self.words {
            let in_name = name_mask & w.mask == w.mask && (w.exact || contains(name, w.text));
            if !in_name {
                by_name = false;
                if !w.exact && !contains(rest, w.text) {
                    return;
                }
            }
        }
        if by_name {
            self.keep(0, (name, 0), i);
        } else {
            self.keep(1, (rest, 1), i);
        }
    }

    /// How many matched, every match (if kept), and the best `limit`: the
    /// first group's, then the second's.
    fn finish(self, limit: usize) -> (usize, Vec<u32>, Vec<u32>) {
        let [first, second] = self.best;
        let mut hits = first.take();
        if hits.len() < limit {
            hits.extend(second.take().into_iter().take(limit - hits.len()));
        }
        (self.total, self.matched, hits)
    }
}

/// Calls `f` with every entry of `last` (the last matches) or, without
/// them, with every entry `0..n`.
#[inline(always)]
fn each(last: Option<&[u32]>, n: usize, mut f: impl FnMut(u32)) {
    let mut k = 0;
    match last {
        Some(list) => {
            while let Some(&i) = list.get(k) {
                f(i);
                k += 1;
            }
        }
        None => {
            while k < n {
                f(k as u32);
                k += 1;
            }
        }
    }
}

/// What a query found: how many accounts and contacts matched, and the
/// best of each (entries, best first).
#[derive(Clone, Debug, Default, PartialEq)]
struct Found {
    total: [usize; 2],
    hits: [Vec<u32>; 2],
}

/// The bytes whose one-byte queries are answered ahead
/// ([`SearchIndex::prepare_step`]): those with a class of their own (white
/// space is never a query), in class order.
const ONE_BYTES: &[u8; 40] = b"abcdefghijklmnopqrstuvwxyz0123456789@.-_";
/// How many results of each kind those answers keep (a search asking for
/// more scans).
const ONE_BYTE_KEPT: usize = 16;

/// What [`SearchIndex::prepare_step`] has done so far: the accounts' pair
/// lists once complete, the kind under way, and the one-byte answers.
#[derive(Debug, Default)]
struct Preparing {
    accounts: Option<Pairs>,
    current: Option<PairsBuilder>,
    answers: Vec<Found>,
}

/// The shorter of two lists of entries that can match (either may be
/// missing).
fn shorter<'a>(a: Option<&'a [u32]>, b: Option<&'a [u32]>) -> Option<&'a [u32]> {
    match (a, b) {
        (Some(a), Some(b)) => Some(if b.len() < a.len() { b } else { a }),
        (a, b) => a.or(b),
    }
}

/// The matches of the last query, for narrowing when the next query only
/// adds to it (typing key by key).
#[derive(Clone, Debug, Default)]
struct LastQuery {
    query: String,
    accounts: Vec<u32>,
    contacts: Vec<u32>,
}

/// Everything the sidebar search looks through: positions into the
/// directory in display order, and the keys (worked out when the directory
/// was written) side by side in one buffer per kind.
#[derive(Debug, Default)]
pub struct SearchIndex {
    account_keys: Keys,
    contact_keys: Keys,
    /// The visible accounts of contact `i`: `contact_accounts[from[i]..from[i + 1]]`
    /// (account entry positions, alphabetical).
    from: Vec<u32>,
    contact_accounts: Vec<u32>,
    directory: std::sync::Arc<Directory>,
    last: std::sync::Mutex<LastQuery>,
    /// The pair lists of the accounts and of the contacts, once prepared.
    pairs: std::sync::OnceLock<[Pairs; 2]>,
    /// The answers to the queries of one byte of [`ONE_BYTES`], by class,
    /// for up to [`ONE_BYTE_KEPT`] results, once prepared.
    one_byte: std::sync::OnceLock<Vec<Found>>,
    preparing: std::sync::Mutex<Preparing>,
    /// Whether account entry `i` is archived (read per match: the
    /// directory's rows are not in display order, so asking it costs a
    /// cache miss per account).
    archived: Vec<bool>,
}

impl SearchIndex {
    /// Builds the index. Account rows for which `visible` is false are left
    /// out, and so are contacts none of whose accounts are visible (a
    /// contact without any account is kept only when `show_unlinked`).
    pub fn build(
        directory: &std::sync::Arc<Directory>,
        visible: impl Fn(u32) -> bool,
        show_unlinked: bool,
    ) -> Self {
        let d = &**directory;
        let mut accounts: Vec<u32> = (0..d.account_count() as u32).filter(|&a| visible(a)).collect();
        d.sort_accounts_by(&mut accounts, |r| r);
        // Per account row, its position in the index (or NONE: hidden).
        let mut position = vec![NONE; d.account_count()];
        for (pos, &a) in accounts.iter().enumerate() {
            position[a as usize] = pos as u32;
        }
        // Per contact row: how many links, and (counted, then filled) the
        // positions of its visible accounts.
        let n = d.contact_count();
        let mut links = vec![0u32; n];
        let mut shown = vec![0u32; n + 1];
        for l in 0..d.link_count() as u32 {
            let (a, c) = d.link_ends(l);
            if let Some(x) = links.get_mut(c as usize) {
                *x += 1;
                if position.get(a as usize).is_some_and(|&p| p != NONE) {
                    shown[c as usize + 1] += 1;
                }
            }
        }
        for i in 0..n {
            shown[i + 1] += shown[i];
        }
        let mut filled = shown.clone();
        let mut by_contact = vec![0u32; shown[n] as usize];
        for l in 0..d.link_count() as u32 {
            let (a, c) = d.link_ends(l);
            let Some(&p) = position.get(a as usize) else {
                continue;
            };
            if p != NONE && (c as usize) < n {
                by_contact[filled[c as usize] as usize] = p;
                filled[c as usize] += 1;
            }
        }
        let mut contacts: Vec<u32> = (0..n as u32)
            .filter(|&c| {
                let i = c as usize;
                if links[i] == 0 {
                    show_unlinked
                } else {
                    shown[i + 1] > shown[i]
                }
            })
            .collect();
        d.sort_contacts(&mut contacts);
        let mut from = Vec::with_capacity(contacts.len() + 1);
        let mut contact_accounts = Vec::new();
        for &c in &contacts {
            from.push(contact_accounts.len() as u32);
            let mut mine = by_contact[shown[c as usize] as usize..shown[c as usize + 1] as usize].to_vec();
            mine.sort_unstable();
            mine.dedup();
            contact_accounts.extend(mine);
        }
        from.push(contact_accounts.len() as u32);
        Self {
            archived: accounts.iter().map(|&a| d.account_archived(a)).collect(),
            account_keys: Keys::new(d, accounts, false),
            contact_keys: Keys::new(d, contacts, true),
            from,
            contact_accounts,
            directory: directory.clone(),
            last: Default::default(),
            pairs: Default::default(),
            one_byte: Default::default(),
            preparing: Default::default(),
        }
    }

    /// Goes on preparing what makes a query's first key cheap, for about
    /// `budget` bytes of keys or one query of one byte; whether all of it
    /// is ready. First the pair lists ([`Pairs`]: the accounts', then the
    /// contacts'), after which a query's first scan reads only the entries
    /// that can match; then the answer to every query of one byte with a
    /// class of its own (`a`-`z`, `0`-`9`, `@ . - _`: [`ONE_BYTES`]), one
    /// per step. The results are the same either way: the search uses each
    /// only once it is ready, so building the index and its first query
    /// never wait for them, and the steps can run in idle time.
    pub fn prepare_step(&self, budget: usize) -> bool {
        if self.one_byte.get().is_some() {
            return true;
        }
        // A step that panicked left nothing usable: stop asking for more.
        let Ok(mut preparing) = self.preparing.lock() else {
            return true;
        };
        let Preparing {
            accounts,
            current,
            answers,
        } = &mut *preparing;
        if self.pairs.get().is_none() {
            let keys = if accounts.is_none() {
                &self.account_keys
            } else {
                &self.contact_keys
            };
            if let Some(done) = current
                .get_or_insert_with(|| PairsBuilder::new(keys))
                .step(keys, budget)
            {
                *current = None;
                match accounts.take() {
                    None => *accounts = Some(done),
                    Some(accounts) => {
                        let _ = self.pairs.set([accounts, done]);
                    }
                }
            }
            return false;
        }
        let Some(&byte) = ONE_BYTES.get(answers.len()) else {
            return true;
        };
        let text = [byte];
        let words = [Word::of(&text)];
        let first = std::str::from_utf8(&text).unwrap_or_default();
        let (found, _) = self.scan(&words, first, ONE_BYTE_KEPT, [None, None], false);
        answers.push(found);
        if answers.len() == ONE_BYTES.len() {
            let _ = self.one_byte.set(std::mem::take(answers));
            return true;
        }
        false
    }

    /// Prepares it all at once (see [`Self::prepare_step`]).
    pub fn prepare(&self) {
        while !self.prepare_step(usize::MAX) {}
    }

    pub fn account_count(&self) -> usize {
        self.account_keys.len()
    }

    pub fn contact_count(&self) -> usize {
        self.contact_keys.len()
    }

    /// Accounts whose name, and contacts whose name or any email, contain
    /// every word of `query` (case and accents ignored); best matches first:
    /// names that start with the query, then names with a word that does,
    /// then the rest, each alphabetically (contacts matched by an email
    /// only come after those matched by name, ranked by their emails;
    /// archived accounts after the others).
    ///
    /// One pass over the entries that can match counts the matches: when
    /// the query only adds to the last one, its matches; else, once the
    /// pair lists are prepared, the entries of the query's rarest pair of
    /// bytes (whichever is shorter); else every entry. A rank is worked out
    /// only for a match that could still be among the first `limit`
    /// ([`TopK`]). Matches are kept for the next key only when it could
    /// not start from a pair list (a query of one-byte words without
    /// them, or with a longer word).
    pub fn search(&self, query: &str, limit: usize) -> SearchResults {
        let q = normalize(query);
        let words: Vec<Word> = q.split_whitespace().map(|w| Word::of(w.as_bytes())).collect();
        let Some(first) = q.split_whitespace().next() else {
            return SearchResults::default();
        };
        // Typing on: only the last matches can still match.
        let last = match self.last.lock() {
            Ok(mut last) if !last.query.is_empty() && q.starts_with(&last.query) => [
                Some(std::mem::take(&mut last.accounts)),
                Some(std::mem::take(&mut last.contacts)),
            ],
            _ => [None, None],
        };
        // A query of one-byte words with the pair lists ready: its next key
        // starts from a pair list, so its matches are only counted.
        let keep = self.pairs.get().is_none() || words.iter().any(|w| w.text.len() > 1);
        let answer = match words.as_slice() {
            [w] if w.exact && limit <= ONE_BYTE_KEPT => w
                .text
                .first()
                .and_then(|&b| self.one_byte.get()?.get(usize::from(class(b)))),
            _ => None,
        };
        let (found, matched) = match answer {
            Some(found) => (found.clone(), Default::default()),
            None => self.scan(&words, first, limit, last, keep),
        };
        let [accounts, contacts] = found.hits;
        let results = SearchResults {
            total_accounts: found.total[0],
            total_contacts: found.total[1],
            accounts: accounts
                .iter()
                .take(limit)
                .filter_map(|&i| self.account_entry(i as usize))
                .collect(),
            contacts: contacts
                .iter()
                .take(limit)
                .filter_map(|&i| self.contact_entry(i as usize))
                .collect(),
        };
        if let Ok(mut last) = self.last.lock() {
            *last = match matched {
                [accounts, contacts] if keep => LastQuery {
                    query: q.clone(),
                    accounts,
                    contacts,
                },
                _ => LastQuery::default(),
            };
        }
        results
    }

    /// One pass over each kind: over the shorter of `last` (the last
    /// matches, when the query only adds to the last one) and the rarest
    /// pair's entries, else over every entry. What it found, and every
    /// match when `keep`.
    fn scan(
        &self,
        words: &[Word],
        first: &str,
        limit: usize,
        [last_accounts, last_contacts]: [Option<Vec<u32>>; 2],
        keep: bool,
    ) -> (Found, [Vec<u32>; 2]) {
        let (ak, ck) = (&self.account_keys, &self.contact_keys);
        let pairs = self.pairs.get();
        let kind = |k: usize| pairs.and_then(|p| p.get(k));
        let rare = |k: usize| kind(k).and_then(|p| p.rarest(words));
        let capacity = |from: Option<&[u32]>, keys: &Keys| (from.map_or(keys.len(), <[u32]>::len), keep);
        let account_from = shorter(last_accounts.as_deref(), rare(0));
        let mut accounts = Scan::new(words, first, limit, capacity(account_from, ak), kind(0));
        each(account_from, ak.len(), |i| {
            accounts.account(ak, &self.archived, i)
        });
        let (total_accounts, matched_accounts, account_hits) = accounts.finish(limit);
        let contact_from = shorter(last_contacts.as_deref(), rare(1));
        let mut contacts = Scan::new(words, first, limit, capacity(contact_from, ck), kind(1));
        each(contact_from, ck.len(), |i| contacts.contact(ck, i));
        let (total_contacts, matched_contacts, contact_hits) = contacts.finish(limit);
        (
            Found {
                total: [total_accounts, total_contacts],
                hits: [account_hits, contact_hits],
            },
            [matched_accounts, matched_contacts],
        )
    }

    fn account_entry(&self, i: usize) -> Option<AccountEntry> {
        let d = &*self.directory;
        let row = *self.account_keys.rows.get(i)?;
        Some(AccountEntry {
            id: d.account_id(row)?,
            name: d.account_name(row).to_owned(),
            kind: d.account_kind(row),
            archived: d.account_archived(row),
        })
    }

    fn contact_entry(&self, i: usize) -> Option<ContactEntry> {
        let d = &*self.directory;
        let row = *self.contact_keys.rows.get(i)?;
        let (s, e) = (*self.from.get(i)? as usize, *self.from.get(i + 1)? as usize);
        Some(ContactEntry {
            id: d.contact_id(row)?,
            name: d.contact_display_name(row),
            email: d.contact_main_email(row).to_owned(),
            accounts: self
                .contact_accounts
                .get(s..e)
                .unwrap_or_default()
                .iter()
                .filter_map(|&p| {
                    let row = *self.account_keys.rows.get(p as usize)?;
                    Some(d.account_name(row).to_owned())
                })
                .collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::contact::Contact;
    use crate::domain::email::Email;
    use crate::domain::link::Link;

    use crate::domain::directory::LinkRow;
    use crate::domain::ids::{IdSource, SeededIds};
    use crate::domain::link::EmailAccess;

    fn account(ids: &mut SeededIds, name: &str, kind: AccountType, created: i64) -> Account {
        Account {
            id: ids.account_id(),
            name: name.into(),
            kind,
            company_name: String::new(),
            address: Default::default(),
            tags: vec![],
            team: vec![],
            roles: vec![],
            custom: Default::default(),
            folder_template: None,
            has_photo: false,
            archived: false,
            created_at: Timestamp(created),
            updated_at: Timestamp(created),
        }
    }

    fn contact(ids: &mut SeededIds, first: &str, last: &str, emails: &[&str]) -> Contact {
        Contact {
            id: ids.contact_id(),
            first_name: first.into(),
            middle_name: String::new(),
            last_name: last.into(),
            emails: emails.iter().filter_map(|e| Email::parse(e).ok()).collect(),
            phones: vec![],
            address: Default::default(),
            date_of_birth: String::new(),
            tags: vec![],
            custom: Default::default(),
            created_at: Timestamp(0),
            updated_at: Timestamp(0),
        }
    }

    fn link(a: &Account, c: &Contact) -> Link {
        Link {
            account_id: a.id.clone(),
            contact_id: c.id.clone(),
            description: String::new(),
            signer_priority: None,
            email_access: c
                .email_keys()
                .into_iter()
                .map(|e| EmailAccess::new(e, false, false, false))
                .collect(),
        }
    }

    fn names(accounts: &[Account], picked: &[usize]) -> Vec<String> {
        picked.iter().map(|&i| accounts[i].name.clone()).collect()
    }

    #[test]
    fn filters_combine_and_sort_by_name_or_newest() {
        let mut ids = SeededIds::new(1);
        let vip: TagId = ids.id();
        let ann: MemberId = ids.id();
        let mut list = vec![
            account(&mut ids, "Zoë Adams", AccountType::Individual, 300),
            account(&mut ids, "acme", AccountType::Company, 100),
            account(&mut ids, "Émile Blanc", AccountType::Individual, 200),
            account(&mut ids, "Old Trust", AccountType::Other, 400),
        ];
        list[0].tags.push(vip.clone());
        list[2].tags.push(vip.clone());
        list[2].team.push(ann.clone());
        list[3].archived = true;
        let d = Directory::of(&list, &[], &[]);
        let k: Vec<u32> = (0..list.len() as u32).collect();

        let all = AccountFilter::default();
        assert_eq!(
            names(&list, &filter_accounts(&d, &k, &all, SortOrder::Name)),
            ["acme", "Émile Blanc", "Zoë Adams"]
        );
        assert_eq!(
            names(&list, &filter_accounts(&d, &k, &all, SortOrder::Newest)),
            ["Zoë Adams", "Émile Blanc", "acme"]
        );
        let individuals = AccountFilter {
            kind: Some(AccountType::Individual),
            ..Default::default()
        };
        assert_eq!(
            names(&list, &filter_accounts(&d, &k, &individuals, SortOrder::Name)),
            ["Émile Blanc", "Zoë Adams"]
        );
        let vip_and_ann = AccountFilter {
            tag: Some(vip.clone()),
            member: Some(ann),
            ..Default::default()
        };
        assert_eq!(
            names(&list, &filter_accounts(&d, &k, &vip_and_ann, SortOrder::Name)),
            ["Émile Blanc"]
        );
        let text = AccountFilter {
            text: "ZOE".into(),
            ..Default::default()
        };
        assert_eq!(
            names(&list, &filter_accounts(&d, &k, &text, SortOrder::Name)),
            ["Zoë Adams"]
        );
        assert!(text.is_narrowed() && !all.is_narrowed());
        let archived = AccountFilter {
            archived: true,
            ..Default::default()
        };
        assert_eq!(
            names(&list, &filter_accounts(&d, &k, &archived, SortOrder::Name)),
            ["Old Trust"]
        );
    }

    #[test]
    fn sort_codes_round_trip() {
        for s in SortOrder::ALL {
            assert_eq!(SortOrder::from_code(s.code()), s);
        }
        assert_eq!(SortOrder::from_code("nonsense"), SortOrder::Name);
    }

    #[test]
    fn primary_contact_prefers_description_then_priority_then_name() {
        let mut ids = SeededIds::new(2);
        let a = account(&mut ids, "A", AccountType::Individual, 0);
        let b = account(&mut ids, "B", AccountType::Individual, 0);
        let zed = contact(&mut ids, "Zed", "Zulu", &[]);
        let amy = contact(&mut ids, "Amy", "Alpha", &[]);
        let bob = contact(&mut ids, "Bob", "Bravo", &[]);
        let contacts = [zed.clone(), amy.clone(), bob.clone()];
        let accounts = [a.clone(), b.clone()];
        // Per account, its primary contact's id.
        let primary = |links: &[Link]| -> Vec<Option<ContactId>> {
            let d = Directory::of(&accounts, &contacts, links);
            primary_contacts(&d, 0..links.len() as u32)
                .into_iter()
                .map(|c| d.contact_id(c))
                .collect()
        };

        let mut links = vec![link(&a, &zed), link(&a, &amy), link(&b, &zed), link(&b, &bob)];
        assert_eq!(primary(&links), [Some(amy.id.clone()), Some(bob.id.clone())]);

        links[2].signer_priority = Some(1);
        links[0].description = "Primary contact".into();
        assert_eq!(primary(&links), [Some(zed.id.clone()), Some(zed.id.clone())]);

        // A link to a missing contact is ignored.
        let ghost = contact(&mut ids, "Ghost", "Gone", &[]);
        assert_eq!(primary(&[link(&a, &ghost)]), [None, None]);
        // Only the links asked about count.
        let d = Directory::of(&accounts, &contacts, &links);
        let only_b = primary_contacts(&d, [2, 3]);
        assert_eq!(only_b[0], NONE);
        assert_eq!(d.contact_id(only_b[1]), Some(zed.id.clone()));
        // "Primary" in the practitioners' other languages counts too.
        for word in [
            "Hauptkontakt",
            "Hoofdcontact",
            "Contact principal",
            "Persoană de contact principală",
        ] {
            let mut marked = link(&a, &zed);
            marked.description = word.into();
            assert!(LinkRow::of(&marked).primary, "{word}");
        }
    }

    #[test]
    fn pending_invites_are_invited_logins_not_activated_newest_first() {
        let mut ids = SeededIds::new(3);
        let a = account(&mut ids, "A", AccountType::Individual, 0);
        let c = contact(&mut ids, "Kate", "Smith", &["kate@x.io", "k2@x.io"]);
        let d = contact(&mut ids, "Dan", "Jones", &["dan@x.io"]);
        let mut l1 = link(&a, &c);
        let mut l2 = link(&a, &d);
        l1.email_access[0].login = true;
        l1.email_access[0].invited_at = Some(Timestamp(10));
        l1.email_access[1].invited_at = Some(Timestamp(20)); // no login: not pending
        l2.email_access[0].login = true;
        l2.email_access[0].invited_at = Some(Timestamp(30));
        let mut links = vec![l1, l2];
        let dir = |links: &[Link]| Directory::of(std::slice::from_ref(&a), &[c.clone(), d.clone()], links);
        let p = pending_invites(&dir(&links), &[0, 1]);
        assert_eq!(
            p.iter().map(|p| (p.link, p.email.as_str())).collect::<Vec<_>>(),
            [(1, "dan@x.io"), (0, "kate@x.io")]
        );
        links[1].email_access[0].activated_at = Some(Timestamp(40));
        assert_eq!(pending_invites(&dir(&links), &[0, 1]).len(), 1);
        assert!(pending_invites(&dir(&links), &[1]).is_empty());
    }

    #[test]
    fn bulk_changes_only_what_changes() {
        let mut ids = SeededIds::new(4);
        let vip: TagId = ids.id();
        let ann: MemberId = ids.id();
        let mut a = account(&mut ids, "A", AccountType::Individual, 0);
        let b = account(&mut ids, "B", AccountType::Individual, 0);
        a.tags.push(vip.clone());
        let both = [a.clone(), b.clone()];

        let added = bulk_changes(&both, &BulkOp::AddTag(vip.clone()), Timestamp(9));
        assert_eq!(added.len(), 1);
        assert_eq!(added[0].0, b);
        assert_eq!(added[0].1.tags, std::slice::from_ref(&vip));
        assert_eq!(added[0].1.updated_at, Timestamp(9));
        assert_eq!(
            bulk_changes(&both, &BulkOp::RemoveTag(vip.clone()), Timestamp(9)).len(),
            1
        );

        let mut assigned = bulk_changes(&both, &BulkOp::Assign(ann.clone()), Timestamp(9));
        assert_eq!(assigned.len(), 2);
        let mut with_role = assigned.remove(0).1;
        with_role.roles.push(crate::domain::account::RoleAssignment {
            role: ids.id(),
            member: ann.clone(),
        });
        let removed = bulk_changes(&[with_role], &BulkOp::Unassign(ann), Timestamp(10));
        assert!(removed[0].1.team.is_empty() && removed[0].1.roles.is_empty());

        let archived = bulk_changes(&both, &BulkOp::Archive, Timestamp(9));
        assert!(archived.iter().all(|(_, after)| after.archived));
        let back: Vec<Account> = archived.into_iter().map(|(_, a)| a).collect();
        assert_eq!(bulk_changes(&back, &BulkOp::Restore, Timestamp(9)).len(), 2);
        assert!(bulk_changes(&both, &BulkOp::Restore, Timestamp(9)).is_empty());
    }

    fn index(ids: &mut SeededIds) -> (SearchIndex, Vec<Account>) {
        let mut muller = account(ids, "Müller Family", AccountType::Individual, 0);
        let sofia = account(ids, "Sofía Ortega", AccountType::Individual, 0);
        let acme = account(ids, "Acme Müllerei GmbH", AccountType::Company, 0);
        let hidden = account(ids, "Hidden Müller", AccountType::Individual, 0);
        muller.team.push(ids.id());
        let kate = contact(
            ids,
            "Kate",
            "Müller",
            &["kate@mueller.example", "k.m@Work.example"],
        );
        let sofi = contact(ids, "Sofía", "Ortega", &["sofia@ortega.example"]);
        let lone = contact(ids, "Lone", "Müller", &["lone@x.example"]);
        let links = [
            link(&muller, &kate),
            link(&acme, &kate),
            link(&sofia, &sofi),
            link(&hidden, &lone),
        ];
        let accounts = vec![muller, sofia, acme, hidden];
        let dir = std::sync::Arc::new(Directory::of(&accounts, &[kate, sofi, lone], &links));
        let d = dir.clone();
        let idx = SearchIndex::build(&dir, move |a| !d.account_name(a).starts_with("Hidden"), true);
        (idx, accounts)
    }

    #[test]
    fn search_ignores_case_and_accents_and_ranks_prefixes_first() {
        let mut ids = SeededIds::new(6);
        let (idx, _) = index(&mut ids);
        assert_eq!(idx.account_count(), 3);
        // Lone is linked only to a hidden account: not searchable.
        assert_eq!(idx.contact_count(), 2);

        let r = idx.search("muller", 8);
        let accounts: Vec<&str> = r.accounts.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(accounts, ["Müller Family", "Acme Müllerei GmbH"]);
        assert_eq!(r.contacts.len(), 1);
        assert_eq!(r.contacts[0].name, "Kate Müller");
        assert_eq!(r.contacts[0].accounts, ["Acme Müllerei GmbH", "Müller Family"]);
        assert_eq!(r.contacts[0].email, "kate@mueller.example");

        let r = idx.search("SOFIA", 8);
        assert_eq!(r.accounts[0].name, "Sofía Ortega");
        assert_eq!(r.contacts[0].name, "Sofía Ortega");
        assert!(idx.search("   ", 8).is_empty());
        assert!(idx.search("nobody", 8).is_empty());
    }

    #[test]
    fn search_finds_any_part_of_any_email_after_name_matches() {
        let mut ids = SeededIds::new(7);
        let (idx, _) = index(&mut ids);
        let r = idx.search("work.exam", 8);
        assert!(r.accounts.is_empty());
        assert_eq!(
            r.contacts.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(),
            ["Kate Müller"]
        );
        // Name and email words combine.
        assert_eq!(idx.search("kate ortega.example", 8).len(), 0);
        assert_eq!(idx.search("sofia ortega.example", 8).contacts.len(), 1);
        // "ortega" matches Sofía by name (rank 1), before any email-only match.
        let r = idx.search("ortega", 8);
        assert_eq!(r.contacts[0].name, "Sofía Ortega");
    }

    #[test]
    fn search_limits_and_counts() {
        let mut ids = SeededIds::new(8);
        let accounts: Vec<Account> = (0..20)
            .map(|i| account(&mut ids, &format!("Client {i:02}"), AccountType::Other, 0))
            .collect();
        let idx = SearchIndex::build(
            &std::sync::Arc::new(Directory::of(&accounts, &[], &[])),
            |_| true,
            true,
        );
        let r = idx.search("client", 8);
        assert_eq!(r.accounts.len(), 8);
        assert_eq!(r.total_accounts, 20);
        assert_eq!(r.accounts[0].name, "Client 00");
        assert_eq!(r.len(), 8);
    }

    /// Prepares `what` of the index: "nothing", the "pairs" lists or "all".
    fn prepare(idx: &SearchIndex, what: &str) {
        match what {
            "pairs" => {
                while idx.pairs.get().is_none() {
                    idx.prepare_step(usize::MAX);
                }
                assert!(idx.one_byte.get().is_none());
            }
            "all" => idx.prepare(),
            _ => {}
        }
    }

    /// The search by its definition: every entry tested on its own, every
    /// match sorted by (group, rank, display order), the first `limit` kept.
    fn full_sort_search(idx: &SearchIndex, query: &str, limit: usize) -> SearchResults {
        let q = normalize(query);
        let words: Vec<&str> = q.split_whitespace().collect();
        let Some(&first) = words.first() else {
            return SearchResults::default();
        };
        let rank = |key: &str| -> u8 {
            let word = first.chars().all(char::is_alphanumeric);
            if key.starts_with(first) {
                0
            } else if word
                && (1..key.len()).any(|p| {
                    key.is_char_boundary(p)
                        && key[p..].starts_with(first)
                        && key[..p].chars().next_back().is_some_and(|c| !c.is_alphanumeric())
                })
            {
                1
            } else {
                2
            }
        };
        let has = |key: &str| words.iter().all(|w| key.contains(w));
        let text = |b: &[u8]| std::str::from_utf8(b).unwrap().to_owned();
        let d = &*idx.directory;
        let ak = &idx.account_keys;
        let mut accounts: Vec<(bool, u8, usize)> = (0..ak.len())
            .filter(|&i| has(&text(ak.whole(i))))
            .map(|i| (d.account_archived(ak.rows[i]), rank(&text(ak.whole(i))), i))
            .collect();
        accounts.sort();
        let ck = &idx.contact_keys;
        let mut contacts: Vec<(u8, u8, usize)> = (0..ck.len())
            .filter_map(|i| {
                let (name, rest) = (text(ck.name(i)), text(ck.rest(i)));
                if has(&name) {
                    Some((0, rank(&name), i))
                } else {
                    has(&text(ck.whole(i))).then(|| (1, rank(&rest), i))
                }
            })
            .collect();
        contacts.sort();
        SearchResults {
            total_accounts: accounts.len(),
            total_contacts: contacts.len(),
            accounts: accounts
                .iter()
                .take(limit)
                .filter_map(|&(_, _, i)| idx.account_entry(i))
                .collect(),
            contacts: contacts
                .iter()
                .take(limit)
                .filter_map(|&(_, _, i)| idx.contact_entry(i))
                .collect(),
        }
    }

    #[test]
    fn search_returns_exactly_the_first_matches_of_a_full_sort() {
        // Generated practice: few distinct names (so many equal keys and
        // ties), accents, hyphens, digits, another script, archived
        // accounts, contacts with several emails or none, hidden accounts.
        let firsts = [
            "Ana",
            "Anna",
            "Jürgen",
            "Sofía",
            "Jean-Luc",
            "Zoë",
            "Ελένη",
            "Kate",
            "Dan",
            "Ioana",
            "Ann",
        ];
        let lasts = [
            "Müller",
            "Mullerová",
            "Ortega",
            "de Vries",
            "O'Brien",
            "Ionescu",
            "Popescu",
            "Annan",
            "Lefèvre",
            "Dan",
            "X2",
        ];
        let domains = ["example.com", "mail.example", "work.example.org", "anna.example"];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let mut ids = SeededIds::new(11);
        let mut contacts = Vec::new();
        for k in 0..900 {
            let (f, l) = (firsts[next(firsts.len())], lasts[next(lasts.len())]);
            let emails: Vec<String> = (0..next(4))
                .map(|e| {
                    let local = normalize(&format!("{f}.{l}"))
                        .chars()
                        .filter(char::is_ascii_alphanumeric)
                        .collect::<String>();
                    format!("{local}{}{e}@{}", k % 7, domains[next(domains.len())])
                })
                .collect();
            let emails: Vec<&str> = emails.iter().map(String::as_str).collect();
            contacts.push(contact(&mut ids, f, l, &emails));
        }
        let mut accounts = Vec::new();
        let mut links = Vec::new();
        for k in 0..400 {
            let c = &contacts[next(contacts.len())];
            let name = match next(4) {
                0 => format!("{} GmbH", c.last_name),
                1 => format!("Hidden {}", c.first_name),
                _ => format!("{} {}", c.first_name, c.last_name),
            };
            let mut a = account(&mut ids, &name, AccountType::Individual, k);
            a.archived = next(6) == 0;
            links.push(link(&a, c));
            if next(3) == 0 {
                links.push(link(&a, &contacts[next(contacts.len())]));
            }
            accounts.push(a);
        }
        let dir = std::sync::Arc::new(Directory::of(&accounts, &contacts, &links));
        let d = dir.clone();
        let idx = SearchIndex::build(&dir, move |a| !d.account_name(a).starts_with("Hidden"), true);
        assert!(idx.contact_count() > 600 && idx.account_count() > 200);

        let typed = [
            "muller",
            "mul",
            "ann",
            "anna annan",
            "an",
            "jean-luc",
            "luc",
            "-luc",
            "o'brien",
            "brien",
            "ελένη",
            "ελ",
            "zoe",
            "zoë",
            "x2",
            "2",
            "dan dan",
            "dan",
            "@example",
            "work.ex",
            "anna.example",
            ".com",
            "sofia ort",
            "ionescu gmbh",
            "de vries",
            "e",
            "a",
            "nothing here",
            "lefevre",
            "ioana2",
        ];
        let mut keys = 0;
        // Scanning every entry (or the last matches); then, with the pair
        // lists prepared, the rarest pair's entries; then with the one-byte
        // answers too.
        for prepared in ["nothing", "pairs", "all"] {
            prepare(&idx, prepared);
            for limit in [8, 1, 3, 0, ONE_BYTE_KEPT + 4] {
                for q in typed {
                    // Key by key on the one index (each key narrows the last).
                    let mut so_far = String::new();
                    for ch in q.chars() {
                        so_far.push(ch);
                        assert_eq!(
                            idx.search(&so_far, limit),
                            full_sort_search(&idx, &so_far, limit),
                            "query {so_far:?}, limit {limit}, {prepared} prepared"
                        );
                        keys += 1;
                    }
                    idx.search("", limit);
                }
            }
            // Every letter and digit on its own (the mask alone decides),
            // and every pair of them, fresh and after the one before.
            let chars: Vec<char> = ('a'..='z').chain('0'..='9').chain(['@', '.', '-', 'ë']).collect();
            for &c in &chars {
                let q = c.to_string();
                assert_eq!(idx.search(&q, 8), full_sort_search(&idx, &q, 8), "query {q:?}");
                for &d in &chars {
                    let q = format!("{c}{d}");
                    assert_eq!(idx.search(&q, 8), full_sort_search(&idx, &q, 8), "query {q:?}");
                }
            }
        }
        assert!(keys > 800);
        // Ties (equal names) and every group are exercised.
        let r = idx.search("a", 8);
        assert_eq!(r.accounts.len(), 8);
        assert_eq!(r.contacts.len(), 8);
        assert!(full_sort_search(&idx, "example", 50).contacts.len() == 50);
    }

    #[test]
    fn pair_lists_built_in_small_steps_are_the_lists_built_at_once() {
        let mut ids = SeededIds::new(12);
        let (at_once, _) = index(&mut ids);
        let mut ids = SeededIds::new(12);
        let (stepped, _) = index(&mut ids);
        at_once.prepare();
        let mut steps = 1;
        while !stepped.prepare_step(7) {
            steps += 1;
            assert!(stepped.one_byte.get().is_none());
        }
        assert!(steps > 5 + ONE_BYTES.len(), "{steps} steps");
        assert_eq!(stepped.pairs.get(), at_once.pairs.get());
        assert_eq!(stepped.one_byte.get(), at_once.one_byte.get());
        assert!(stepped.prepare_step(7));
        // Every entry is in the list of each pair its key holds, once.
        let pairs = at_once.pairs.get().unwrap();
        for (keys, lists) in [
            (&at_once.account_keys, &pairs[0]),
            (&at_once.contact_keys, &pairs[1]),
        ] {
            for i in 0..keys.len() {
                for two in keys.whole(i).windows(2) {
                    let p = pair(two[0], two[1]);
                    let list = &lists.entries[lists.from[p] as usize..lists.from[p + 1] as usize];
                    assert_eq!(list.iter().filter(|&&e| e == i as u32).count(), 1);
                    assert!(list.windows(2).all(|w| w[0] < w[1]), "display order");
                }
            }
        }
    }

    #[test]
    fn typing_on_narrows_to_the_same_results_as_a_fresh_search() {
        for prepared in ["nothing", "pairs", "all"] {
            let mut ids = SeededIds::new(9);
            let (typed, _) = index(&mut ids);
            let mut ids = SeededIds::new(9);
            let (fresh, _) = index(&mut ids);
            prepare(&typed, prepared);
            for q in [
                "m", "mu", "mul", "mull", "mulle", "muller f", "s", "so", "k.m@w", "zz", "z",
            ] {
                let once = SearchIndex::search(&fresh, q, 8);
                // A fresh index each time would not narrow: compare with one that did.
                fresh.last.lock().map(|mut l| *l = LastQuery::default()).ok();
                assert_eq!(typed.search(q, 8), once, "query {q}, {prepared} prepared");
            }
        }
    }
}

/// Timing of the search at 100,000 contacts, natively (not a test of
/// behaviour: `cargo test --release -- --ignored search_timing --nocapture`).
#[cfg(test)]
mod timing {
    use super::*;
    use crate::domain::directory::{AccountRow, ContactRow, Directory, Rows};
    use crate::domain::ids::{IdSource, SeededIds};

    #[test]
    #[ignore]
    fn search_timing() {
        let firsts = [
            "Jürgen", "Sofía", "Zoë", "Émile", "Ștefan", "Ana", "Kate", "Dan", "Lucía", "Björn",
        ];
        let lasts = [
            "Müller",
            "Ortega",
            "Adams",
            "Blanc",
            "Popescu",
            "de Vries",
            "Smith",
            "Jones",
            "Schröder",
            "Dubois",
            "Țăran",
            "Jansen",
        ];
        let mut ids = SeededIds::new(1);
        let mut d = Rows::default();
        for i in 0..100_000usize {
            let (f, l) = (firsts[(i * 7) % firsts.len()], lasts[(i * 13) % lasts.len()]);
            d.contacts.push(ContactRow {
                id: ids.contact_id(),
                first_name: f.into(),
                middle_name: String::new(),
                last_name: l.into(),
                emails: vec![format!(
                    "{}.{}{i}@example.com",
                    normalize(f),
                    normalize(l).replace(' ', "")
                )],
                phone: String::new(),
                tags: vec![],
            });
        }
        for i in 0..50_000usize {
            d.accounts.push(AccountRow {
                id: ids.account_id(),
                name: format!("{} {}", d.contacts[2 * i].first_name, d.contacts[2 * i].last_name),
                kind: AccountType::Individual,
                archived: i % 20 == 0,
                created_at: Timestamp(0),
                tags: vec![],
                team: vec![],
            });
            for c in [2 * i, 2 * i + 1] {
                d.links.push(crate::domain::directory::LinkRow {
                    account_id: d.accounts[i].id.clone(),
                    contact_id: d.contacts[c].id.clone(),
                    primary: false,
                    signer_priority: None,
                    pending: vec![],
                });
            }
        }
        let d = std::sync::Arc::new(Directory::parse(vec![d.to_text()]).0);
        let t = std::time::Instant::now();
        let idx = SearchIndex::build(&d, |_| true, true);
        println!("build {:?}", t.elapsed());
        if std::env::var_os("SEARCH_PAIRS").is_some() {
            let t = std::time::Instant::now();
            idx.prepare();
            println!("pairs {:?}", t.elapsed());
        }
        let mut times = Vec::new();
        let reps: usize = std::env::var("SEARCH_REPS")
            .ok()
            .and_then(|r| r.parse().ok())
            .unwrap_or(1);
        for q in std::iter::repeat_n(
            [
                "muller",
                "sofia ort",
                "ortega123",
                "@example",
                "jan",
                "zoe",
                "e",
                "a",
            ],
            reps,
        )
        .flatten()
        {
            for n in 1..=q.len() {
                let t = std::time::Instant::now();
                let r = idx.search(&q[..n], 8);
                times.push((
                    t.elapsed(),
                    q[..n].to_owned(),
                    r.total_accounts + r.total_contacts,
                ));
            }
        }
        times.sort();
        for (t, q, n) in times.iter().rev().take(8) {
            println!("{t:?} {q:?} {n}");
        }
    }
}
