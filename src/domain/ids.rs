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
