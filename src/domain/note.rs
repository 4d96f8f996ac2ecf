//! Notes the practitioner keeps on an account.

use super::ids::{AccountId, NoteId};
use super::time::Timestamp;
use super::validation::{Problem, ValidationErrors};
use serde::{Deserialize, Serialize};

/// Longest note we accept (about 20 pages of text).
pub const MAX_NOTE_CHARS: usize = 50_000;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub id: NoteId,
    pub account_id: AccountId,
    pub text: String,
    /// Who wrote it.
    pub by: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// Checks a note's text; returns it trimmed.
pub fn check_note_text(text: &str) -> Result<String, ValidationErrors> {
    let mut e = ValidationErrors::default();
    let t = text.trim();
    if t.is_empty() {
        e.push("text", Problem::NoteEmpty);
    } else if t.chars().count() > MAX_NOTE_CHARS {
        e.push("text", Problem::NoteTooLong(MAX_NOTE_CHARS));
    }
    e.into_result(t.to_owned())
}
