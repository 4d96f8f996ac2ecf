//! The Clients lists and the sidebar search, as pure functions: which
//! accounts a set of filters keeps and in what order, who an account's
//! primary contact is, which invitations wait for activation, what a bulk
//! action changes, and how search results are found and ranked.
//!
//! Everything that runs per keystroke or per filter change works on strings
//! normalised once (see [`super::search::normalize`]), so a list of 10,000
//! accounts filters in a few milliseconds.

use super::account::{Account, AccountType};
use super::contact::Contact;
use super::ids::{AccountId, ContactId, MemberId, TagId};
use super::link::Link;
use super::search::normalize;
use super::time::Timestamp;
use std::collections::HashMap;

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

/// The positions in `accounts` that `filter` keeps, in `order`.
/// `name_keys[i]` is the normalised name of `accounts[i]`.
pub fn filter_accounts(
    accounts: &[Account],
    name_keys: &[String],
    filter: &AccountFilter,
    order: SortOrder,
) -> Vec<usize> {
    let words: Vec<String> = normalize(&filter.text)
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    let mut out: Vec<usize> = accounts
        .iter()
        .enumerate()
        .filter(|(i, a)| {
            a.archived == filter.archived
                && filter.kind.is_none_or(|k| a.kind == k)
                && filter.tag.as_ref().is_none_or(|t| a.tags.contains(t))
                && filter.member.as_ref().is_none_or(|m| a.team.contains(m))
                && (words.is_empty()
                    || name_keys
                        .get(*i)
                        .is_some_and(|key| words.iter().all(|w| key.contains(w.as_str()))))
        })
        .map(|(i, _)| i)
        .collect();
    let key = |i: usize| name_keys.get(i).map_or("", String::as_str);
    match order {
        SortOrder::Name => out.sort_by(|&a, &b| {
            key(a)
                .cmp(key(b))
                .then_with(|| accounts[a].id.cmp(&accounts[b].id))
        }),
        SortOrder::Newest => out.sort_by(|&a, &b| {
            accounts[b]
                .created_at
                .cmp(&accounts[a].created_at)
                .then_with(|| key(a).cmp(key(b)))
        }),
    }
    out
}

/// Words that mark a link description as the primary contact, in the
/// practitioners' languages (matched after case and accent folding):
/// "primary", "Hauptkontakt", "hoofdcontact", "contact principal".
const PRIMARY_WORDS: [&str; 4] = ["primary", "haupt", "hoofd", "principal"];

/// Each account's primary contact: the contact whose link description says
/// "primary" (or the same in German, Dutch, French or Romanian), else the one with the lowest signer priority, else the first
/// alphabetically. `contact_key` gives a contact's sort key (or `None` if
/// the contact is missing, then the link is ignored).
pub fn primary_contacts<'a>(
    links: &[Link],
    contact_key: impl Fn(&ContactId) -> Option<&'a str>,
) -> HashMap<AccountId, ContactId> {
    let mut best: HashMap<AccountId, (bool, u32, &'a str, ContactId)> = HashMap::new();
    for link in links {
        let Some(key) = contact_key(&link.contact_id) else {
            continue;
        };
        // Smaller is better.
        let rank = (
            !PRIMARY_WORDS
                .iter()
                .any(|w| normalize(&link.description).contains(w)),
            link.signer_priority.unwrap_or(u32::MAX),
            key,
            link.contact_id.clone(),
        );
        match best.get(&link.account_id) {
            Some(current) if *current <= rank => {}
            _ => {
                best.insert(link.account_id.clone(), rank);
            }
        }
    }
    best.into_iter().map(|(a, (_, _, _, c))| (a, c)).collect()
}

/// How many accounts each contact belongs to.
pub fn accounts_per_contact(links: &[Link]) -> HashMap<ContactId, usize> {
    let mut out = HashMap::new();
    for link in links {
        *out.entry(link.contact_id.clone()).or_insert(0) += 1;
    }
    out
}

/// One invitation waiting for activation: `links[link]`, for `email`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingInvite {
    pub link: usize,
    pub email: String,
    pub invited_at: Timestamp,
}

/// Every (account, contact, email) whose portal invitation is not activated,
/// most recently invited first.
pub fn pending_invites(links: &[Link]) -> Vec<PendingInvite> {
    let mut out: Vec<PendingInvite> = links
        .iter()
        .enumerate()
        .flat_map(|(i, link)| {
            link.email_access
                .iter()
                .filter(|a| a.pending_activation())
                .filter_map(move |a| {
                    a.invited_at.map(|at| PendingInvite {
                        link: i,
                        email: a.email.clone(),
                        invited_at: at,
                    })
                })
        })
        .collect();
    out.sort_by(|a, b| {
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
    key: String,
}

/// A contact as the search sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContactEntry {
    pub id: ContactId,
    pub name: String,
    pub email: String,
    /// Names of the (visible) accounts the contact belongs to.
    pub accounts: Vec<String>,
    name_key: String,
    /// Every email, lower-cased and folded, separated by spaces.
    email_key: String,
    sort_key: String,
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

/// Everything the sidebar search looks through, normalised once.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchIndex {
    accounts: Vec<AccountEntry>,
    contacts: Vec<ContactEntry>,
}

/// How well `key` matches the query words: 0 the key starts with the first
/// word, 1 a word of the key does, 2 it occurs elsewhere.
fn rank(key: &str, first: &str) -> u8 {
    if key.starts_with(first) {
        0
    } else if key
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| w.starts_with(first))
    {
        1
    } else {
        2
    }
}

impl SearchIndex {
    /// Builds the index. Accounts for which `visible` is false are left out,
    /// and so are contacts none of whose accounts are visible (a contact
    /// without any account is kept only when `show_unlinked`).
    pub fn build(
        accounts: &[Account],
        contacts: &[Contact],
        links: &[Link],
        visible: impl Fn(&Account) -> bool,
        show_unlinked: bool,
    ) -> Self {
        let mut shown: HashMap<&AccountId, &Account> = HashMap::new();
        let mut account_entries = Vec::new();
        for a in accounts {
            if visible(a) {
                shown.insert(&a.id, a);
                account_entries.push(AccountEntry {
                    id: a.id.clone(),
                    name: a.name.clone(),
                    kind: a.kind,
                    archived: a.archived,
                    key: normalize(&a.name),
                });
            }
        }
        account_entries.sort_by(|a, b| a.key.cmp(&b.key));
        let mut linked: HashMap<&ContactId, (usize, Vec<&Account>)> = HashMap::new();
        for link in links {
            let entry = linked.entry(&link.contact_id).or_default();
            entry.0 += 1;
            if let Some(a) = shown.get(&link.account_id) {
                entry.1.push(a);
            }
        }
        let mut contact_entries = Vec::new();
        for c in contacts {
            let (count, mut accounts) = linked.remove(&c.id).unwrap_or_default();
            if accounts.is_empty() && !(count == 0 && show_unlinked) {
                continue;
            }
            accounts.sort_by_cached_key(|a| normalize(&a.name));
            let name = c.display_name();
            contact_entries.push(ContactEntry {
                id: c.id.clone(),
                email: c.main_email().map(|e| e.to_string()).unwrap_or_default(),
                accounts: accounts.iter().map(|a| a.name.clone()).collect(),
                name_key: normalize(&name),
                email_key: c
                    .emails
                    .iter()
                    .map(|e| normalize(&e.to_string()))
                    .collect::<Vec<_>>()
                    .join(" "),
                sort_key: c.sort_key(),
                name,
            });
        }
        contact_entries.sort_by(|a, b| a.sort_key.cmp(&b.sort_key));
        Self {
            accounts: account_entries,
            contacts: contact_entries,
        }
    }

    pub fn account_count(&self) -> usize {
        self.accounts.len()
    }

    pub fn contact_count(&self) -> usize {
        self.contacts.len()
    }

    /// Accounts whose name, and contacts whose name or any email, contain
    /// every word of `query` (case and accents ignored); best matches first:
    /// names that start with the query, then names with a word that does,
    /// then the rest, each alphabetically.
    pub fn search(&self, query: &str, limit: usize) -> SearchResults {
        let q = normalize(query);
        let words: Vec<&str> = q.split_whitespace().collect();
        let Some(first) = words.first().copied() else {
            return SearchResults::default();
        };
        let all = |key: &str| words.iter().all(|w| key.contains(w));

        let mut accounts: Vec<(u8, usize)> = self
            .accounts
            .iter()
            .enumerate()
            .filter(|(_, a)| all(&a.key))
            .map(|(i, a)| (rank(&a.key, first) + u8::from(a.archived) * 3, i))
            .collect();
        accounts.sort_unstable();
        let mut contacts: Vec<(u8, usize)> = self
            .contacts
            .iter()
            .enumerate()
            .filter_map(|(i, c)| {
                if all(&c.name_key) {
                    Some((rank(&c.name_key, first), i))
                } else {
                    let both = format!("{} {}", c.name_key, c.email_key);
                    all(&both).then(|| (3 + rank(&c.email_key, first), i))
                }
            })
            .collect();
        contacts.sort_unstable();
        SearchResults {
            total_accounts: accounts.len(),
            total_contacts: contacts.len(),
            accounts: accounts
                .iter()
                .take(limit)
                .filter_map(|&(_, i)| self.accounts.get(i).cloned())
                .collect(),
            contacts: contacts
                .iter()
                .take(limit)
                .filter_map(|&(_, i)| self.contacts.get(i).cloned())
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::email::Email;
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

    fn keys(accounts: &[Account]) -> Vec<String> {
        accounts.iter().map(|a| normalize(&a.name)).collect()
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
        let k = keys(&list);

        let all = AccountFilter::default();
        assert_eq!(
            names(&list, &filter_accounts(&list, &k, &all, SortOrder::Name)),
            ["acme", "Émile Blanc", "Zoë Adams"]
        );
        assert_eq!(
            names(&list, &filter_accounts(&list, &k, &all, SortOrder::Newest)),
            ["Zoë Adams", "Émile Blanc", "acme"]
        );
        let individuals = AccountFilter {
            kind: Some(AccountType::Individual),
            ..Default::default()
        };
        assert_eq!(
            names(&list, &filter_accounts(&list, &k, &individuals, SortOrder::Name)),
            ["Émile Blanc", "Zoë Adams"]
        );
        let vip_and_ann = AccountFilter {
            tag: Some(vip.clone()),
            member: Some(ann),
            ..Default::default()
        };
        assert_eq!(
            names(&list, &filter_accounts(&list, &k, &vip_and_ann, SortOrder::Name)),
            ["Émile Blanc"]
        );
        let text = AccountFilter {
            text: "ZOE".into(),
            ..Default::default()
        };
        assert_eq!(
            names(&list, &filter_accounts(&list, &k, &text, SortOrder::Name)),
            ["Zoë Adams"]
        );
        assert!(text.is_narrowed() && !all.is_narrowed());
        let archived = AccountFilter {
            archived: true,
            ..Default::default()
        };
        assert_eq!(
            names(&list, &filter_accounts(&list, &k, &archived, SortOrder::Name)),
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
        let keys: HashMap<ContactId, String> =
            contacts.iter().map(|c| (c.id.clone(), c.sort_key())).collect();
        let key = |id: &ContactId| keys.get(id).map(String::as_str);

        let mut links = vec![link(&a, &zed), link(&a, &amy), link(&b, &zed), link(&b, &bob)];
        let p = primary_contacts(&links, key);
        assert_eq!(p.get(&a.id), Some(&amy.id));
        assert_eq!(p.get(&b.id), Some(&bob.id));

        links[2].signer_priority = Some(1);
        links[0].description = "Primary contact".into();
        let p = primary_contacts(&links, key);
        assert_eq!(p.get(&a.id), Some(&zed.id));
        assert_eq!(p.get(&b.id), Some(&zed.id));

        // A link to a missing contact is ignored.
        let ghost = contact(&mut ids, "Ghost", "Gone", &[]);
        let p = primary_contacts(&[link(&a, &ghost)], key);
        assert!(p.is_empty());
        // "Primary" in the practitioners' other languages counts too.
        for word in [
            "Hauptkontakt",
            "Hoofdcontact",
            "Contact principal",
            "Persoană de contact principală",
        ] {
            let mut marked = link(&a, &zed);
            marked.description = word.into();
            let p = primary_contacts(&[link(&a, &amy), marked], key);
            assert_eq!(p.get(&a.id), Some(&zed.id), "{word}");
        }
        assert_eq!(accounts_per_contact(&links).get(&zed.id), Some(&2));
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
        let p = pending_invites(&links);
        assert_eq!(
            p.iter().map(|p| (p.link, p.email.as_str())).collect::<Vec<_>>(),
            [(1, "dan@x.io"), (0, "kate@x.io")]
        );
        links[1].email_access[0].activated_at = Some(Timestamp(40));
        assert_eq!(pending_invites(&links).len(), 1);
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
        let idx = SearchIndex::build(
            &accounts,
            &[kate, sofi, lone],
            &links,
            |a| !a.name.starts_with("Hidden"),
            true,
        );
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
        let idx = SearchIndex::build(&accounts, &[], &[], |_| true, true);
        let r = idx.search("client", 8);
        assert_eq!(r.accounts.len(), 8);
        assert_eq!(r.total_accounts, 20);
        assert_eq!(r.accounts[0].name, "Client 00");
        assert_eq!(r.len(), 8);
    }
}
