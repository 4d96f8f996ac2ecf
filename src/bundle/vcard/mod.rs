//! vCard (`.vcf`) files: read 2.1, 3.0 and 4.0 into contacts, write 4.0.
//! Pure, our own code (`docs/vcard.md` says what maps to what).
//!
//! - [`read`] refuses files over [`MAX_BYTES`], then reads every card of
//!   the file (folded lines, quoted-printable, escapes, grouped
//!   properties), collecting every problem with its place
//!   (`card 3 (line 41), EMAIL: not an email address ...`). Only a file
//!   without a single problem becomes a [`VcardFile`]; what Clientbook has
//!   no place for (a photo given as a link, a second address, ...) is listed in
//!   [`VcardFile::left_out`] for the preview, never dropped silently.
//! - [`import::plan`] decides what importing the cards does to the stored
//!   data (match by UID or email: update instead of duplicate), the way
//!   `bundle::merge` does for bundles, so the same preview, transaction
//!   and undo serve both.
//! - [`write`] makes vCard 4.0 text for contacts.

pub mod import;
mod lex;
mod read;
pub mod write;

#[cfg(test)]
mod tests;

pub use read::{birthday, read, uid, Birthday};
pub use write::{write, write_contact, write_contact_with, write_with};

use crate::domain::{Address, ContactId, Email};

/// Files larger than this are refused before they are read.
pub const MAX_BYTES: usize = 32 * 1024 * 1024;
/// At most this many cards per file.
pub const MAX_CARDS: usize = 100_000;
/// At most this many problems are listed (then "and N more").
pub const MAX_PROBLEMS: usize = 200;

/// Contact custom fields vCard properties map to (made when missing).
pub const COMPANY: &str = "Company";
pub const JOB_TITLE: &str = "Job title";
pub const NOTE: &str = "Note";

/// One card, read and checked; values trimmed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Card {
    /// 1 for the first card of the file.
    pub number: usize,
    /// Line of its `BEGIN:VCARD`.
    pub line: usize,
    /// The contact id its UID names (a UUID or one of our ids), if any.
    pub uid: Option<ContactId>,
    pub first_name: String,
    pub middle_name: String,
    pub last_name: String,
    /// Preferred first, then in file order.
    pub emails: Vec<Email>,
    pub phones: Vec<String>,
    pub address: Address,
    /// `YYYY-MM-DD` or empty.
    pub date_of_birth: String,
    /// Tag names.
    pub categories: Vec<String>,
    /// Contact custom field values by field label (ORG → Company, TITLE →
    /// Job title, NOTE → Note, `X-CLIENTBOOK-FIELD;X-LABEL=...`).
    pub fields: Vec<(String, String)>,
    /// The photo, as a `data:image/...;base64,` URL of the type its bytes
    /// are (JPEG, PNG, GIF or WebP, at most
    /// [`crate::domain::photo::MAX_PHOTO_BYTES`] decoded).
    pub photo: Option<String>,
}

impl Card {
    pub fn display_name(&self) -> String {
        [&self.first_name, &self.middle_name, &self.last_name]
            .iter()
            .filter(|s| !s.is_empty())
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// `card 3 “Kate Smith”`, in the current language.
    pub fn label(&self) -> String {
        crate::i18n::tf(
            crate::i18n::Key::VcardCardLabel,
            &[("card", &self.number.to_string()), ("name", &self.display_name())],
        )
    }
}

/// A checked file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VcardFile {
    pub cards: Vec<Card>,
    /// What the file holds that Clientbook does not keep, one line per kind.
    pub left_out: Vec<String>,
}

/// Why a file was refused (`src/error.rs` words it; the problems of
/// `Invalid` are worded, each with its card and line, as they are found).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    /// Over [`MAX_BYTES`]; the file's size.
    #[error("{0} bytes: too large")]
    TooLarge(usize),
    /// No BEGIN:VCARD line.
    #[error("no cards")]
    NoCards,
    #[error("{} problem(s)", .0.len())]
    Invalid(Vec<String>),
}

impl ReadError {
    /// Every problem, one per line (`card 3 (line 41), EMAIL: ...`).
    pub fn problems(&self) -> &[String] {
        match self {
            Self::Invalid(p) => p,
            _ => &[],
        }
    }
}

#[derive(Default)]
struct Problems {
    lines: Vec<String>,
    count: usize,
}

impl Problems {
    fn push(&mut self, place: impl AsRef<str>, message: impl AsRef<str>) {
        self.count += 1;
        if self.lines.len() < MAX_PROBLEMS {
            self.lines.push(crate::i18n::tf(
                crate::i18n::Key::ProblemAt,
                &[("path", place.as_ref()), ("problem", message.as_ref())],
            ));
        }
    }

    fn finish(mut self) -> Vec<String> {
        if self.count > self.lines.len() {
            let more = self.count - self.lines.len();
            self.lines
                .push(crate::i18n::tn(crate::i18n::Key::BundleMoreProblems, more, &[]));
        }
        self.lines
    }
}

/// What was left out, by property and reason, with the cards it was in.
#[derive(Default)]
struct LeftOut(Vec<(String, Option<crate::i18n::Key>, Vec<usize>)>);

impl LeftOut {
    /// `what`: why it is not kept (`None`: Clientbook has no field for it).
    fn add(&mut self, prop: &str, what: Option<crate::i18n::Key>, card: usize) {
        match self.0.iter_mut().find(|(p, w, _)| p == prop && *w == what) {
            Some((_, _, cards)) => {
                if cards.last() != Some(&card) {
                    cards.push(card);
                }
            }
            None => self.0.push((prop.to_owned(), what, vec![card])),
        }
    }

    fn lines(self) -> Vec<String> {
        use crate::i18n::{t, tf, Key};
        self.0
            .into_iter()
            .map(|(prop, what, cards)| {
                let shown: Vec<String> = cards.iter().take(10).map(ToString::to_string).collect();
                let mut list = shown.join(", ");
                if cards.len() > 10 {
                    list = tf(
                        Key::VcardAndMore,
                        &[("list", &list), ("more", &(cards.len() - 10).to_string())],
                    );
                }
                let which = tf(
                    if cards.len() == 1 {
                        Key::VcardOneCard
                    } else {
                        Key::VcardSeveralCards
                    },
                    &[("list", &list)],
                );
                match what {
                    None => tf(Key::VcardNoFieldFor, &[("property", &prop), ("cards", &which)]),
                    Some(why) => tf(
                        Key::VcardNotKept,
                        &[("property", &prop), ("why", t(why)), ("cards", &which)],
                    ),
                }
            })
            .collect()
    }
}
