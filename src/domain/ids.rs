//! Identifiers. Ids are 128 random bits written as 32 lowercase hex digits, so
//! records made on different devices never collide when bundles are merged.
//! The randomness comes from the caller (the browser's crypto in the app, a
//! seeded generator in tests), which keeps this module pure.

use serde::{Deserialize, Serialize};
use std::fmt;

fn hex(bytes: [u8; 16]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(32);
    for b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 0x0f)] as char);
    }
    s
}

/// True when `s` has the shape of an id: 32 lowercase hex digits.
pub fn is_id(s: &str) -> bool {
    s.len() == 32
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub fn from_random(bytes: [u8; 16]) -> Self {
                Self(hex(bytes))
            }
            /// Accepts only well-formed ids (see [`is_id`]).
            pub fn parse(s: &str) -> Option<Self> {
                is_id(s).then(|| Self(s.to_owned()))
            }
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl FromRandom for $name {
            fn from_random_bytes(bytes: [u8; 16]) -> Self {
                Self::from_random(bytes)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

id_type!(
    /// Identifies a client account.
    AccountId
);
id_type!(
    /// Identifies a contact (a real person).
    ContactId
);

id_type!(
    /// Identifies a tag.
    TagId
);
id_type!(
    /// Identifies a team member.
    MemberId
);
id_type!(
    /// Identifies an account role (Bookkeeper, Reviewer, ...).
    RoleId
);
id_type!(
    /// Identifies a custom field definition.
    FieldId
);
id_type!(
    /// Identifies a folder template.
    TemplateId
);
id_type!(
    /// Identifies a note.
    NoteId
);
id_type!(
    /// Identifies a history entry.
    HistoryId
);

/// Hashes ids for maps keyed by them (an id as a number, see [`id_number`]).
/// Ids are random 128-bit numbers, so their bits are already mixed and a
/// multiply spreads them over the table; no protection against crafted
/// keys is needed (a bundle with ids chosen to collide is only slower).
#[derive(Default)]
pub struct IdHasher(u64);

impl std::hash::Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut b = [0u8; 8];
            b[..chunk.len()].copy_from_slice(chunk);
            self.mix(u64::from_le_bytes(b));
        }
    }
    fn write_u128(&mut self, n: u128) {
        self.mix(n as u64);
        self.mix((n >> 64) as u64);
    }
}

impl IdHasher {
    fn mix(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// A map keyed by ids as numbers.
pub type IdMap<V> = std::collections::HashMap<u128, V, std::hash::BuildHasherDefault<IdHasher>>;
/// A set of ids (or of tuples of them) as numbers.
pub type IdSet<K = u128> = std::collections::HashSet<K, std::hash::BuildHasherDefault<IdHasher>>;

/// The hex digits' values; 16 for anything else.
const HEX_VALUE: [u8; 256] = {
    let mut t = [16u8; 256];
    let mut i = 0;
    while i < 10 {
        t[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        t[b'a' as usize + i] = 10 + i as u8;
        i += 1;
    }
    t
};

/// An id (32 lower-case hex digits, see [`is_id`]) as a number; `None` for
/// anything else. Two 64-bit halves, one table look-up per digit: the
/// directory turns every account, contact and link id into a number when
/// the app starts (at 100,000 contacts, about 400,000 of them).
pub fn id_number(s: &str) -> Option<u128> {
    let b = s.as_bytes();
    if b.len() != 32 {
        return None;
    }
    let half = |digits: &[u8]| {
        let mut n = 0u64;
        let mut bad = 0u8;
        for &c in digits {
            let v = HEX_VALUE[c as usize];
            bad |= v;
            n = n << 4 | u64::from(v & 15);
        }
        // Every valid digit is below 16: bit 4 set means one was not.
        (bad & 16 == 0).then_some(n)
    };
    let (hi, lo) = b.split_at(16);
    Some(u128::from(half(hi)?) << 64 | u128::from(half(lo)?))
}

/// A source of fresh random ids. The app implements it with the browser's
/// `crypto.getRandomValues`; tests use [`SeededIds`].
pub trait IdSource {
    fn next_bytes(&mut self) -> [u8; 16];

    fn account_id(&mut self) -> AccountId {
        AccountId::from_random(self.next_bytes())
    }
    fn contact_id(&mut self) -> ContactId {
        ContactId::from_random(self.next_bytes())
    }
    /// Any id type.
    fn id<T: FromRandom>(&mut self) -> T {
        T::from_random_bytes(self.next_bytes())
    }
}

/// A borrowed source is a source (a caller lends its own to a longer task).
impl<T: IdSource + ?Sized> IdSource for &mut T {
    fn next_bytes(&mut self) -> [u8; 16] {
        (**self).next_bytes()
    }
}

/// Id types made from 16 random bytes.
pub trait FromRandom {
    fn from_random_bytes(bytes: [u8; 16]) -> Self;
}

/// Deterministic ids from a seed (splitmix64), for tests, demo data and benchmarks.
#[derive(Clone, Debug)]
pub struct SeededIds {
    state: u64,
}

impl SeededIds {
    pub fn new(seed: u64) -> Self {
        Self { state: seed }
    }
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

impl IdSource for SeededIds {
    fn next_bytes(&mut self) -> [u8; 16] {
        let mut out = [0u8; 16];
        out[..8].copy_from_slice(&self.next_u64().to_le_bytes());
        out[8..].copy_from_slice(&self.next_u64().to_le_bytes());
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_numbers_are_the_hex_value_and_only_of_ids() {
        let mut ids = SeededIds::new(11);
        for _ in 0..1000 {
            let id = ids.account_id();
            let s = id.as_str();
            assert_eq!(id_number(s), u128::from_str_radix(s, 16).ok(), "{s}");
        }
        assert_eq!(id_number(&"0".repeat(32)), Some(0));
        assert_eq!(id_number(&"f".repeat(32)), Some(u128::MAX));
        assert_eq!(
            id_number("0123456789abcdef0123456789abcdef"),
            Some(0x0123_4567_89ab_cdef_0123_4567_89ab_cdef)
        );
        for bad in [
            "",
            "0123456789abcdef0123456789abcde",
            "0123456789abcdef0123456789abcdef0",
            "0123456789ABCDEF0123456789abcdef",
            "0123456789abcdef0123456789abcdeg",
            "g123456789abcdef0123456789abcdef",
            "0123456789abcdef 123456789abcdef",
            "0123456789abcdef0123456789abcdé",
            "+123456789abcdef0123456789abcdef",
        ] {
            assert_eq!(id_number(bad), None, "{bad:?}");
            assert!(!is_id(bad), "{bad:?}");
        }
    }

    #[test]
    fn id_maps_keep_ids_apart_whatever_their_pattern() {
        // Random ids, and ids an import could carry: counting up, or with
        // equal halves.
        let mut ids = SeededIds::new(3);
        let mut keys: Vec<u128> = (0..2000)
            .map(|_| id_number(ids.contact_id().as_str()).unwrap_or(0))
            .collect();
        keys.extend(0..2000u128);
        keys.extend((1..2000u128).map(|n| n << 64 | n));
        let mut map: IdMap<usize> = IdMap::default();
        for (i, k) in keys.iter().enumerate() {
            map.insert(*k, i);
        }
        assert_eq!(map.len(), keys.len());
        for (i, k) in keys.iter().enumerate() {
            assert_eq!(map.get(k), Some(&i));
        }
        let pairs: IdSet<(u128, u128)> = keys.iter().map(|&k| (k, k ^ 1)).collect();
        assert_eq!(pairs.len(), keys.len());
    }

    #[test]
    fn ids_are_32_hex_digits_and_distinct() {
        let mut ids = SeededIds::new(7);
        let a = ids.account_id();
        let b = ids.account_id();
        assert_eq!(a.as_str().len(), 32);
        assert!(is_id(a.as_str()));
        assert_ne!(a, b);
        assert_eq!(AccountId::parse(a.as_str()), Some(a));
    }

    #[test]
    fn parse_rejects_malformed_ids() {
        assert_eq!(AccountId::parse(""), None);
        assert_eq!(AccountId::parse("XYZ"), None);
        assert_eq!(AccountId::parse(&"A".repeat(32)), None);
        assert!(ContactId::parse(&"0".repeat(32)).is_some());
    }

    #[test]
    fn seeded_ids_are_deterministic() {
        let mut a = SeededIds::new(42);
        let mut b = SeededIds::new(42);
        assert_eq!(a.contact_id(), b.contact_id());
    }
}
