//! What a CSV or vCard import needs of the stored data, known from the file
//! alone: the exact account names, the emails and the contact ids (vCard
//! UIDs) its rows or cards can match. The repository reads only the stored
//! records these name (and the records linked to them), before the write
//! and again inside it, so an import into a big practice never reads
//! everything. See `Repo::stored_matching`.

use super::Contents;
use std::collections::BTreeSet;

/// The stored records a file can match.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MatchKeys {
    /// Account names, exactly as the rows give them (trimmed).
    pub account_names: BTreeSet<String>,
    /// Lower-cased emails (as `Email::key`).
    pub emails: BTreeSet<String>,
    /// Contact ids a card names (its UID).
    pub contact_ids: BTreeSet<String>,
    /// The file matches contacts by name alone, anywhere (a contacts-only
    /// CSV with rows without an email): every stored record is needed.
    pub everything: bool,
}

/// An import checked before its write: the keys of the file, the stored
/// records it was matched against, and what the check made of them. The
/// write reads the same keys again inside its transaction; when what is
/// stored there is still the same, it writes `made` as it is, otherwise it
/// matches the file again on what is stored at that moment.
#[derive(Clone, Debug)]
pub struct Prepared<T> {
    pub keys: MatchKeys,
    pub stored: Contents,
    pub made: T,
}
