//! Contacts that are probably the same person: the same email, the same
//! phone number or the same name, each compared in a normalised form.
//! Every contact is put in hash buckets by its keys (one pass), and
//! contacts sharing a bucket are joined (union-find), so 20,000 contacts
//! take milliseconds, never a comparison of every pair. A group says why
//! its contacts are in it.

use super::contact::Contact;
use super::email::Email;
use super::ids::ContactId;
use super::search::normalize;
use std::collections::{HashMap, HashSet};

/// An email compared the way mail servers deliver it: lower case, without
/// a `+label` after the name (`kate+tax@x.io` is `kate@x.io`), and for
/// Gmail without dots in the name.
pub fn email_key(e: &Email) -> String {
    let key = e.key();
    let Some((local, domain)) = key.rsplit_once('@') else {
        return key;
    };
    let local = match local.split_once('+') {
        Some((name, _)) if !name.is_empty() => name,
        _ => local,
    };
    match domain {
        "gmail.com" | "googlemail.com" => format!("{}@gmail.com", local.replace('.', "")),
        _ => format!("{local}@{domain}"),
    }
}

/// Two-digit country calling codes; `1` and `7` are one digit, the rest three.
const TWO_DIGIT_CODES: [u8; 43] = [
    20, 27, 30, 31, 32, 33, 34, 36, 39, 40, 41, 43, 44, 45, 46, 47, 48, 49, 51, 52, 53, 54, 55, 56, 57, 58,
    60, 61, 62, 63, 64, 65, 66, 81, 82, 84, 86, 90, 91, 92, 93, 94, 95,
];

/// A phone number's national part: digits only, an extension dropped, an
/// international prefix (`+` or `00`) and its country code dropped, then
/// leading zeros (the trunk prefix: `0721…` and `+40 721…` are the same
/// number). `None` for fewer than 6 digits (not a number to compare).
pub fn phone_key(phone: &str) -> Option<String> {
    let p = phone.trim();
    let p = if p.len() > 4 && p[..4].eq_ignore_ascii_case("tel:") {
        &p[4..]
    } else {
        p
    };
    let main = p
        .split(|c: char| c.is_alphabetic() || c == ';' || c == ',')
        .next()?;
    let digits: String = main.chars().filter(char::is_ascii_digit).collect();
    let international = main.trim_start().starts_with('+');
    let national = if international {
        strip_country_code(&digits)
    } else if let Some(rest) = digits.strip_prefix("00").filter(|r| !r.starts_with('0')) {
        strip_country_code(rest)
    } else {
        &digits
    };
    let key = national.trim_start_matches('0');
    (key.len() >= 6).then(|| key.to_owned())
}

fn strip_country_code(digits: &str) -> &str {
    let two = digits.get(..2).and_then(|d| d.parse::<u8>().ok());
    let len = match digits.as_bytes().first() {
        Some(b'1' | b'7') => 1,
        _ if two.is_some_and(|t| TWO_DIGIT_CODES.contains(&t)) => 2,
        _ => 3,
    };
    digits.get(len..).unwrap_or("")
}

/// The words of first and last name, normalised (case, accents) and
/// sorted, so "Dupont Marie" and "Marie Dupont" match. `None` for fewer
/// than two words (a first name alone says too little).
pub fn name_key(c: &Contact) -> Option<String> {
    let text = normalize(&format!("{} {}", c.first_name, c.last_name));
    let mut words: Vec<&str> = text
        .split(|ch: char| !ch.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    if words.len() < 2 {
        return None;
    }
    super::sort::sort(&mut words);
    Some(words.join(" "))
}

/// Why contacts are in a group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reason {
    /// The addresses as written (they share [`email_key`]).
    Email(Vec<String>),
    /// The numbers as written (they share [`phone_key`]).
    Phone(Vec<String>),
    /// The names as written (they share [`name_key`]).
    Name(Vec<String>),
}

/// Contacts that are probably one person, with the reasons.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    /// In alphabetical order.
    pub contacts: Vec<ContactId>,
    pub reasons: Vec<Reason>,
}

struct UnionFind(Vec<usize>);

impl UnionFind {
    fn root(&mut self, mut i: usize) -> usize {
        while self.0[i] != i {
            self.0[i] = self.0[self.0[i]];
            i = self.0[i];
        }
        i
    }
    fn join(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.root(a), self.root(b));
        if ra != rb {
            self.0[ra.max(rb)] = ra.min(rb);
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Email,
    Phone,
    Name,
}

/// Groups of probable duplicates among `contacts`, in alphabetical order of
/// their first contact. A group whose contacts were all marked "not
/// duplicates" together (`dismissed`) is left out; a new contact joining
/// it brings it back.
pub fn find(contacts: &[Contact], dismissed: &[Vec<ContactId>]) -> Vec<Group> {
    // One map per kind of key; a bucket holds contact positions (a contact
    // appears once per bucket even when two of its emails share a key).
    let mut emails: HashMap<String, Vec<usize>> = HashMap::new();
    let mut phones: HashMap<String, Vec<usize>> = HashMap::new();
    let mut names: HashMap<String, Vec<usize>> = HashMap::new();
    let add = |map: &mut HashMap<String, Vec<usize>>, key: String, i: usize| {
        let bucket = map.entry(key).or_default();
        if bucket.last() != Some(&i) {
            bucket.push(i);
        }
    };
    for (i, c) in contacts.iter().enumerate() {
        for e in &c.emails {
            add(&mut emails, email_key(e), i);
        }
        for p in &c.phones {
            if let Some(k) = phone_key(p) {
                add(&mut phones, k, i);
            }
        }
        if let Some(k) = name_key(c) {
            add(&mut names, k, i);
        }
    }
    let mut uf = UnionFind((0..contacts.len()).collect());
    // Buckets shared by several contacts: (kind, key, members).
    let mut shared: Vec<(Kind, String, Vec<usize>)> = Vec::new();
    for (kind, map) in [(Kind::Email, emails), (Kind::Phone, phones), (Kind::Name, names)] {
        for (key, members) in map {
            if members.len() < 2 {
                continue;
            }
            for &i in &members[1..] {
                uf.join(members[0], i);
            }
            shared.push((kind, key, members));
        }
    }
    // Reasons in a stable order: by kind, then by first contact.
    super::sort::sort_by_key(&mut shared, |(kind, _, m)| (*kind as u8, m[0]));
    let mut groups: HashMap<usize, (Vec<usize>, Vec<Reason>)> = HashMap::new();
    for (kind, key, members) in shared {
        // The values as written, each once, for the reason.
        let mut written: Vec<String> = Vec::new();
        for &i in &members {
            let c = &contacts[i];
            let forms: Vec<String> = match kind {
                Kind::Email => c
                    .emails
                    .iter()
                    .filter(|e| email_key(e) == key)
                    .map(ToString::to_string)
                    .collect(),
                Kind::Phone => c
                    .phones
                    .iter()
                    .filter(|p| phone_key(p).as_deref() == Some(key.as_str()))
                    .cloned()
                    .collect(),
                Kind::Name => vec![c.display_name()],
            };
            for f in forms {
                if !written.contains(&f) {
                    written.push(f);
                }
            }
        }
        let reason = match kind {
            Kind::Email => Reason::Email(written),
            Kind::Phone => Reason::Phone(written),
            Kind::Name => Reason::Name(written),
        };
        let g = groups.entry(uf.root(members[0])).or_default();
        if !g.1.contains(&reason) {
            g.1.push(reason);
        }
    }
    for i in 0..contacts.len() {
        let root = uf.root(i);
        if let Some(g) = groups.get_mut(&root) {
            g.0.push(i);
        }
    }
    let dismissed: Vec<HashSet<&ContactId>> = dismissed.iter().map(|d| d.iter().collect()).collect();
    let mut out: Vec<(String, Group)> = groups
        .into_values()
        .filter_map(|(members, reasons)| {
            let mut keyed: Vec<(String, usize)> =
                members.into_iter().map(|i| (contacts[i].sort_key(), i)).collect();
            super::sort::sort_by(&mut keyed, |a, b| {
                (&a.0, &contacts[a.1].id).cmp(&(&b.0, &contacts[b.1].id))
            });
            let ids: Vec<ContactId> = keyed.iter().map(|(_, i)| contacts[*i].id.clone()).collect();
            if dismissed.iter().any(|d| ids.iter().all(|id| d.contains(id))) {
                return None;
            }
            let first = keyed.into_iter().next().map(|(k, _)| k).unwrap_or_default();
            Some((
                first,
                Group {
                    contacts: ids,
                    reasons,
                },
            ))
        })
        .collect();
    super::sort::sort_by(&mut out, |a, b| {
        (&a.0, &a.1.contacts[0]).cmp(&(&b.0, &b.1.contacts[0]))
    });
    out.into_iter().map(|(_, g)| g).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::IdSource;
    use crate::domain::ids::SeededIds;
    use crate::domain::Timestamp;

    pub(crate) fn contact(
        ids: &mut SeededIds,
        first: &str,
        last: &str,
        emails: &[&str],
        phones: &[&str],
    ) -> Contact {
        Contact {
            id: ids.contact_id(),
            first_name: first.into(),
            middle_name: String::new(),
            last_name: last.into(),
            emails: emails.iter().map(|e| Email::parse(e).unwrap()).collect(),
            phones: phones.iter().map(|p| (*p).to_owned()).collect(),
            address: Default::default(),
            date_of_birth: String::new(),
            tags: vec![],
            custom: Default::default(),
            created_at: Timestamp(1),
            updated_at: Timestamp(1),
        }
    }

    #[test]
    fn email_keys_ignore_case_labels_and_gmail_dots() {
        let k = |s: &str| email_key(&Email::parse(s).unwrap());
        assert_eq!(k("Kate+Tax@Example.com"), "kate@example.com");
        assert_eq!(k("k.a.t.e@googlemail.com"), k("kate@gmail.com"));
        assert_ne!(k("k.ate@example.com"), k("kate@example.com"));
        assert_eq!(k("+x@example.com"), "+x@example.com");
    }

    #[test]
    fn phone_keys_ignore_formatting_country_codes_and_trunk_zeros() {
        let same = [
            "+40 721 234 567",
            "0040721234567",
            "0721-234-567",
            "(0721) 234 567",
            "tel:+40721234567",
        ];
        for p in same {
            assert_eq!(phone_key(p).as_deref(), Some("721234567"), "{p}");
        }
        assert_eq!(phone_key("+1 (212) 555-0100 ext. 12"), phone_key("212.555.0100"));
        assert_eq!(phone_key("+49 89 12345"), phone_key("089 12345"));
        assert_eq!(phone_key("+39 06 1234 5678"), phone_key("06 1234 5678"));
        assert_eq!(phone_key("+351 912 345 678"), phone_key("912 345 678"));
        assert_eq!(phone_key("112"), None);
        assert_ne!(phone_key("0721 234 567"), phone_key("0721 234 568"));
    }

    #[test]
    fn names_match_in_any_order_case_and_accents() {
        let mut ids = SeededIds::new(1);
        let a = contact(&mut ids, "Marie", "Dupont", &[], &[]);
        let b = contact(&mut ids, "DUPONT", "Marie", &[], &[]);
        let c = contact(&mut ids, "Mărie", "dupont", &[], &[]);
        assert_eq!(name_key(&a), name_key(&b));
        assert_eq!(name_key(&a), name_key(&c));
        assert_eq!(name_key(&contact(&mut ids, "Marie", "", &[], &[])), None);
        assert_eq!(
            name_key(&contact(&mut ids, "Jean-Luc", "Picard", &[], &[])),
            name_key(&contact(&mut ids, "Jean Luc", "Picard", &[], &[]))
        );
    }

    #[test]
    fn groups_join_transitively_and_say_why() {
        let mut ids = SeededIds::new(2);
        let list = vec![
            contact(
                &mut ids,
                "Kate",
                "Smith",
                &["kate@example.com"],
                &["+40 721 234 567"],
            ),
            contact(&mut ids, "Katherine", "Smyth", &["Kate+work@Example.com"], &[]),
            contact(&mut ids, "K", "S", &[], &["0721 234 567"]),
            contact(&mut ids, "Marie", "Dupont", &[], &[]),
            contact(&mut ids, "Dupont", "Marie", &["md@x.io"], &[]),
            contact(&mut ids, "Alone", "Person", &["alone@x.io"], &["0721 999 999"]),
        ];
        let groups = find(&list, &[]);
        assert_eq!(groups.len(), 2, "{groups:?}");
        let dupont = &groups[0];
        assert_eq!(dupont.contacts, vec![list[3].id.clone(), list[4].id.clone()]);
        assert_eq!(
            dupont.reasons,
            vec![Reason::Name(vec!["Marie Dupont".into(), "Dupont Marie".into()])]
        );
        let kate = &groups[1];
        assert_eq!(kate.contacts.len(), 3);
        assert_eq!(
            kate.reasons,
            [
                Reason::Email(vec!["kate@example.com".into(), "Kate+work@Example.com".into()]),
                Reason::Phone(vec!["+40 721 234 567".into(), "0721 234 567".into()])
            ]
        );
    }

    #[test]
    fn dismissed_groups_stay_hidden_until_someone_joins() {
        let mut ids = SeededIds::new(3);
        let mut list = vec![
            contact(&mut ids, "Ana", "Pop", &[], &[]),
            contact(&mut ids, "Pop", "Ana", &[], &[]),
        ];
        let dismissed = vec![vec![list[0].id.clone(), list[1].id.clone()]];
        assert!(find(&list, &dismissed).is_empty());
        list.push(contact(&mut ids, "ana", "POP", &[], &[]));
        assert_eq!(find(&list, &dismissed).len(), 1);
    }

    #[test]
    fn one_contact_alone_in_its_buckets_is_no_group() {
        let mut ids = SeededIds::new(4);
        let list = vec![contact(
            &mut ids,
            "Ana",
            "Pop",
            &["ana@x.io", "ana+1@x.io"],
            &["0721 234 567", "+40 721 234 567"],
        )];
        assert!(find(&list, &[]).is_empty());
    }

    /// 20,000 contacts with 1,000 planted pairs: every pair is found.
    #[test]
    fn finds_planted_pairs_among_many() {
        let mut ids = SeededIds::new(5);
        let mut list = Vec::new();
        for i in 0..19_000u32 {
            list.push(contact(
                &mut ids,
                &format!("First{i}"),
                &format!("Last{i}"),
                &[&format!("p{i}@example.com")],
                &[&format!("+40 7{i:08}")],
            ));
        }
        for i in 0..1_000u32 {
            list.push(contact(
                &mut ids,
                &format!("LAST{i}"),
                &format!("first{i}"),
                &[],
                &[],
            ));
        }
        let groups = find(&list, &[]);
        assert_eq!(groups.len(), 1_000);
        assert!(groups.iter().all(|g| g.contacts.len() == 2));
    }
}
