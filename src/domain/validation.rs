//! Validation errors that say *where*: every problem carries the path of the
//! field it is about (`account.name`, `contacts[0].email`), so the UI can put
//! the message next to the input and imports can report the exact place.
//!
//! The domain says *what* is wrong as a [`Problem`]: a code and its data,
//! never words. The interface words it in the practitioner's language
//! (`src/error.rs`); paths stay as they are.

use super::email::EmailError;
use std::fmt;

/// The name of a field, in a problem about it. A custom field is named by
/// its own label (the practice's own words, never translated).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Label {
    AccountName,
    CompanyName,
    FirstName,
    MiddleName,
    LastName,
    Phone,
    DateOfBirth,
    Street,
    City,
    State,
    PostalCode,
    Country,
    TagName,
    MemberName,
    RoleName,
    FieldName,
    TemplateName,
    Custom(String),
}

/// Which kind of Settings item a problem is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemKind {
    Tag,
    Member,
    Role,
    Field,
    Template,
}

/// The lines of a list checked one by one (dropdown options, folders).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineKind {
    Option,
    Folder,
}

/// What is wrong, as a code with its data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    // Typed text.
    Required(Label),
    TooLong(Label, usize),
    ControlChar(Label),
    /// An account name with a character from `FORBIDDEN_NAME_CHARS`.
    ForbiddenChar(Label, char),
    // Emails.
    Email(EmailError),
    /// An email-type custom field (named by its label) that is not one.
    EmailField(Label, EmailError),
    /// The same email typed twice for one contact.
    EmailListedTwice(String),
    /// The same email typed for two contacts of one new account.
    EmailTwiceInAccount(String),
    /// An email that already belongs to a stored contact.
    EmailTaken(String),
    LoginNeedsEmail,
    MemberEmailTaken,
    // Values of custom fields (and the date of birth).
    NotANumber(Label),
    NotADate(Label),
    NotYesNo(Label),
    NotAnOption(Label, Vec<String>),
    NotAPhone(Label),
    // Things that are gone, or there twice.
    TagGone,
    FieldGone,
    TemplateGone,
    ContactGone(String),
    LinkedTwice(String),
    NeedsContact,
    LastContact,
    NoteEmpty,
    NoteTooLong(usize),
    /// A photo that could not be read or made square (the browser's words,
    /// if it gave any).
    Photo(PhotoProblem),
    // Settings.
    TagColor,
    NameTaken(ItemKind, String),
    OwnerExists,
    OwnerStays,
    OwnerNotRemovable,
    NeedsOption,
    NeedsFolder,
    FolderChar(char),
    LineTooLong(LineKind, String, usize),
    LineControlChar(LineKind, String),
    LineTwice(LineKind, String),
    KindChanged,
    /// A unique index refused a write (an email stored twice).
    StoredTwice,
    /// Contacts that cannot be merged as chosen.
    Merge(super::contact_merge::MergeError),
    /// Already worded, in the current language, through the catalogue: the
    /// problems of a CSV import, each with its row and column
    /// (`bundle::csv::plan`), which the repository refuses the import with.
    Worded(String),
    // Bundles (the file format: see `bundle`).
    Bundle(BundleProblem),
}

/// Why a chosen photo was not taken.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PhotoProblem {
    /// The file could not be read as an image.
    Unreadable,
    /// An image of no pixels.
    Empty,
    /// The browser cannot draw images (no canvas).
    CannotDraw,
    /// Not a `data:` URL of a JPEG, PNG, GIF or WebP image.
    NotAPhoto,
}

/// What is wrong in a bundle file, at a path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BundleProblem {
    Missing,
    NotAList,
    /// A field of the envelope given twice.
    FieldTwice,
    /// A record the reader could not read (and could not say why).
    Unreadable,
    /// The reader's own words about a value of the wrong type (serde).
    Malformed(String),
    Version,
    UnknownField,
    ExportedAt,
    AppVersion,
    CatalogShape,
    NotAnId,
    TooLong(usize),
    ControlChar,
    AccountType,
    ContactNeedsName,
    SpacesAroundEmail,
    DateOfBirth,
    NotLowerCaseEmail,
    EmptyNote,
    NeedsName(ItemKind),
    TagColor(String),
    MemberRole,
    FieldTarget,
    FieldNeedsLabel,
    NeedsOption,
    OnlyDropdownOptions,
    FieldKind,
    NeedsFolder,
    IdTwice(String),
    OwnerTwice,
    NoSuch(ItemKind, String),
    NoSuchAccount(String),
    NoSuchContact(String),
    NoSuchField(super::catalog::FieldTarget),
    ValueDoesNotFit(String, String),
    EmailOfOther(String, String),
    EmailTwice(String),
    LinkEmails,
    LinkedTwice,
    AccountWithoutContact,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {problem:?}")]
pub struct FieldError {
    /// Path of the field, e.g. `contacts[0].email`.
    pub field: String,
    /// What is wrong.
    pub problem: Problem,
}

impl FieldError {
    pub fn new(field: impl Into<String>, problem: Problem) -> Self {
        Self {
            field: field.into(),
            problem,
        }
    }
}

/// All the problems found in one piece of input. Never empty when returned as
/// an error.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ValidationErrors(pub Vec<FieldError>);

impl ValidationErrors {
    pub fn push(&mut self, field: impl Into<String>, problem: Problem) {
        self.0.push(FieldError::new(field, problem));
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// The problem with one field, if it has one.
    pub fn for_field(&self, field: &str) -> Option<&Problem> {
        self.0.iter().find(|e| e.field == field).map(|e| &e.problem)
    }
    /// `Ok(value)` when nothing was collected, otherwise the errors.
    pub fn into_result<T>(self, value: T) -> Result<T, Self> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }
}

/// For logs and test failures; the practitioner reads `src/error.rs`'s words.
impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationErrors {}

/// Longest name or free-text line we accept in a single-line field.
pub const MAX_NAME_CHARS: usize = 200;

/// Trims `value` and checks it is non-empty (when `required`) and not too long.
/// Returns the trimmed text.
pub fn text_field(
    errors: &mut ValidationErrors,
    field: &str,
    label: Label,
    value: &str,
    required: bool,
) -> String {
    let v = value.trim();
    if required && v.is_empty() {
        errors.push(field, Problem::Required(label));
    } else if v.chars().count() > MAX_NAME_CHARS {
        errors.push(field, Problem::TooLong(label, MAX_NAME_CHARS));
    } else if v.chars().any(char::is_control) {
        errors.push(field, Problem::ControlChar(label));
    }
    v.to_owned()
}
