//! The one place where errors of every layer become text for the
//! practitioner, in their language. The domain, the store and the bundle
//! reader say what is wrong as codes with data (`Problem`, `StoreError`,
//! `ReadError`); here each becomes a sentence from the catalogue
//! (`crate::i18n`). Field paths (`contacts[3].emails[0]`) and the
//! practitioner's own data (names, labels) are never translated.

use crate::bundle::csv::CsvError;
use crate::bundle::read::{Expected, Found, Syntax};
use crate::bundle::ReadError;
use crate::domain::account::FORBIDDEN_NAME_CHARS;
use crate::domain::catalog::FieldTarget;
use crate::domain::contact_merge::MergeError;
use crate::domain::email::EmailError;
use crate::domain::validation::{
    BundleProblem, FieldError, ItemKind, Label, LineKind, PhotoProblem, Problem,
};
use crate::domain::ValidationErrors;
use crate::i18n::{self, t, tf, tn, Key};
use crate::store::{Missing, StoreError};

/// Any error the app can show.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Invalid(#[from] ValidationErrors),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl AppError {
    /// Field-level problems, when the error is about input (so the form can
    /// show each next to its field).
    pub fn field_errors(&self) -> Option<&ValidationErrors> {
        match self {
            Self::Invalid(e) | Self::Store(StoreError::Rejected(e)) => Some(e),
            Self::Store(_) => None,
        }
    }

    /// One sentence (or a list of them) for a banner.
    pub fn user_message(&self) -> String {
        match (self.field_errors(), self) {
            (Some(e), _) if e.0.len() == 1 => tf(
                Key::PleaseCorrectThis,
                &[("problem", &problem_text(&e.0[0].problem))],
            ),
            (Some(e), _) => tn(Key::PleaseCorrectFields, e.0.len(), &[]),
            (None, Self::Store(e)) => store_text(e),
            (None, Self::Invalid(_)) => String::new(),
        }
    }
}

/// The words for the problem with `field`, if it has one (for the text
/// under an input).
pub fn field_message(errors: &ValidationErrors, field: &str) -> Option<String> {
    errors.for_field(field).map(problem_text)
}

/// A problem with where it is: `contacts[2].emails[0]: not an email address`.
pub fn located(e: &FieldError) -> String {
    tf(
        Key::ProblemAt,
        &[("path", &e.field), ("problem", &problem_text(&e.problem))],
    )
}

fn label(l: &Label) -> &str {
    match l {
        Label::AccountName => t(Key::LabelAccountName),
        Label::CompanyName => t(Key::LabelCompanyName),
        Label::FirstName => t(Key::LabelFirstName),
        Label::MiddleName => t(Key::LabelMiddleName),
        Label::LastName => t(Key::LabelLastName),
        Label::Phone => t(Key::LabelPhone),
        Label::DateOfBirth => t(Key::LabelDateOfBirth),
        Label::Street => t(Key::LabelStreet),
        Label::City => t(Key::LabelCity),
        Label::State => t(Key::LabelState),
        Label::PostalCode => t(Key::LabelPostalCode),
        Label::Country => t(Key::LabelCountry),
        Label::TagName => t(Key::LabelTagName),
        Label::MemberName => t(Key::LabelName),
        Label::RoleName => t(Key::LabelRoleName),
        Label::FieldName => t(Key::LabelFieldName),
        Label::TemplateName => t(Key::LabelTemplateName),
        Label::Custom(own) => own,
    }
}

fn email_text(e: EmailError) -> &'static str {
    t(match e {
        EmailError::Empty => Key::EmailEmpty,
        EmailError::Shape => Key::EmailShape,
        EmailError::Space => Key::EmailSpace,
        EmailError::Domain => Key::EmailDomain,
        EmailError::TooLong => Key::EmailTooLong,
    })
}

/// The words for one problem.
pub fn problem_text(p: &Problem) -> String {
    let with_label = |key, l: &Label| tf(key, &[("label", label(l))]);
    let line = |kind: &LineKind, option, folder, text: &str, max: Option<usize>| {
        let key = match kind {
            LineKind::Option => option,
            LineKind::Folder => folder,
        };
        let max = max.map(|m| i18n::number(m as i64)).unwrap_or_default();
        tf(key, &[("line", text), ("max", &max)])
    };
    match p {
        Problem::Required(l) => with_label(Key::ProblemRequired, l),
        Problem::TooLong(l, max) => tf(
            Key::ProblemTooLong,
            &[("label", label(l)), ("max", &i18n::number(*max as i64))],
        ),
        Problem::ControlChar(l) => with_label(Key::ProblemControlChar, l),
        Problem::ForbiddenChar(l, c) => {
            let all: Vec<String> = FORBIDDEN_NAME_CHARS.iter().map(char::to_string).collect();
            tf(
                Key::ProblemForbiddenChar,
                &[
                    ("label", label(l)),
                    ("char", &c.to_string()),
                    ("chars", &all.join(" ")),
                ],
            )
        }
        Problem::Email(e) => email_text(*e).to_owned(),
        Problem::EmailField(l, e) => tf(
            Key::ProblemOfField,
            &[("label", label(l)), ("problem", email_text(*e))],
        ),
        Problem::EmailListedTwice(email) => tf(Key::ProblemEmailListedTwice, &[("email", email)]),
        Problem::EmailTwiceInAccount(email) => tf(Key::ProblemEmailTwiceInAccount, &[("email", email)]),
        Problem::EmailTaken(email) => tf(Key::ProblemEmailTaken, &[("email", email)]),
        Problem::LoginNeedsEmail => t(Key::ProblemLoginNeedsEmail).to_owned(),
        Problem::MemberEmailTaken => t(Key::ProblemMemberEmailTaken).to_owned(),
        Problem::NotANumber(l) => with_label(Key::ProblemNotANumber, l),
        Problem::NotADate(l) => with_label(Key::ProblemNotADate, l),
        Problem::NotYesNo(l) => with_label(Key::ProblemNotYesNo, l),
        Problem::NotAnOption(l, options) => tf(
            Key::ProblemNotAnOption,
            &[("label", label(l)), ("options", &options.join(", "))],
        ),
        Problem::NotAPhone(l) => with_label(Key::ProblemNotAPhone, l),
        Problem::TagGone => t(Key::ProblemTagGone).to_owned(),
        Problem::FieldGone => t(Key::ProblemFieldGone).to_owned(),
        Problem::TemplateGone => t(Key::ProblemTemplateGone).to_owned(),
        Problem::ContactGone(id) => tf(Key::ProblemContactGone, &[("id", id)]),
        Problem::LinkedTwice(name) => tf(Key::ProblemLinkedTwice, &[("name", name)]),
        Problem::NeedsContact => t(Key::ProblemNeedsContact).to_owned(),
        Problem::LastContact => t(Key::ProblemLastContact).to_owned(),
        Problem::NoteEmpty => t(Key::ProblemNoteEmpty).to_owned(),
        Problem::NoteTooLong(max) => tf(Key::ProblemNoteTooLong, &[("max", &i18n::number(*max as i64))]),
        Problem::Photo(p) => photo_text(p),
        Problem::TagColor => t(Key::ProblemTagColor).to_owned(),
        Problem::NameTaken(kind, name) => {
            let key = match kind {
                ItemKind::Tag => Key::ProblemTagTaken,
                ItemKind::Member => Key::ProblemMemberTaken,
                ItemKind::Role => Key::ProblemRoleTaken,
                ItemKind::Field => Key::ProblemFieldTaken,
                ItemKind::Template => Key::ProblemTemplateTaken,
            };
            tf(key, &[("name", name)])
        }
        Problem::OwnerExists => t(Key::ProblemOwnerExists).to_owned(),
        Problem::OwnerStays => t(Key::ProblemOwnerStays).to_owned(),
        Problem::OwnerNotRemovable => t(Key::ProblemOwnerNotRemovable).to_owned(),
        Problem::NeedsOption => t(Key::ProblemNeedsOption).to_owned(),
        Problem::NeedsFolder => t(Key::ProblemNeedsFolder).to_owned(),
        Problem::FolderChar(c) => tf(Key::ProblemFolderChar, &[("char", &c.to_string())]),
        Problem::LineTooLong(kind, text, max) => line(
            kind,
            Key::ProblemOptionTooLong,
            Key::ProblemFolderTooLong,
            text,
            Some(*max),
        ),
        Problem::LineControlChar(kind, text) => line(
            kind,
            Key::ProblemOptionControlChar,
            Key::ProblemFolderControlChar,
            text,
            None,
        ),
        Problem::LineTwice(kind, text) => {
            line(kind, Key::ProblemOptionTwice, Key::ProblemFolderTwice, text, None)
        }
        Problem::KindChanged => t(Key::ProblemKindChanged).to_owned(),
        Problem::StoredTwice => t(Key::ProblemStoredTwice).to_owned(),
        Problem::Merge(e) => t(match e {
            MergeError::TooFew => Key::MergeTooFew,
            MergeError::Repeated => Key::MergeRepeated,
            MergeError::UnknownPick => Key::MergeUnknownPick,
            MergeError::Missing => Key::MergeMissing,
        })
        .to_owned(),
        Problem::Worded(text) => text.clone(),
        Problem::Bundle(b) => bundle_problem_text(b),
    }
}

fn photo_text(p: &PhotoProblem) -> String {
    match p {
        PhotoProblem::Unreadable => t(Key::PhotoUnreadable).to_owned(),
        PhotoProblem::Empty => t(Key::PhotoEmpty).to_owned(),
        PhotoProblem::CannotDraw => t(Key::PhotoCannotDraw).to_owned(),
        PhotoProblem::NotAPhoto => t(Key::PhotoNotAPhoto).to_owned(),
    }
}

fn bundle_problem_text(b: &BundleProblem) -> String {
    type B = BundleProblem;
    let id = |key, id: &str| tf(key, &[("id", id)]);
    match b {
        B::Missing => t(Key::BundleMissing).to_owned(),
        B::NotAList => t(Key::BundleNotAList).to_owned(),
        B::FieldTwice => t(Key::BundleFieldTwice).to_owned(),
        B::Unreadable => t(Key::BundleUnreadable).to_owned(),
        B::Malformed(detail) => tf(Key::BundleMalformed, &[("detail", detail)]),
        B::Version => t(Key::BundleVersion).to_owned(),
        B::UnknownField => t(Key::BundleUnknownField).to_owned(),
        B::ExportedAt => t(Key::BundleExportedAt).to_owned(),
        B::AppVersion => t(Key::BundleAppVersion).to_owned(),
        B::CatalogShape => t(Key::BundleCatalogShape).to_owned(),
        B::NotAnId => t(Key::BundleNotAnId).to_owned(),
        B::TooLong(max) => tf(Key::BundleTooLong, &[("max", &i18n::number(*max as i64))]),
        B::ControlChar => t(Key::BundleControlChar).to_owned(),
        B::AccountType => t(Key::BundleAccountType).to_owned(),
        B::ContactNeedsName => t(Key::BundleContactNeedsName).to_owned(),
        B::SpacesAroundEmail => t(Key::BundleSpacesAroundEmail).to_owned(),
        B::DateOfBirth => t(Key::BundleDateOfBirth).to_owned(),
        B::NotLowerCaseEmail => t(Key::BundleNotLowerCaseEmail).to_owned(),
        B::EmptyNote => t(Key::BundleEmptyNote).to_owned(),
        B::NeedsName(kind) => t(match kind {
            ItemKind::Tag => Key::BundleTagNeedsName,
            ItemKind::Member => Key::BundleMemberNeedsName,
            ItemKind::Role => Key::BundleRoleNeedsName,
            ItemKind::Field => Key::BundleFieldNeedsLabel,
            ItemKind::Template => Key::BundleTemplateNeedsName,
        })
        .to_owned(),
        B::TagColor(colors) => tf(Key::BundleTagColor, &[("colors", colors)]),
        B::MemberRole => t(Key::BundleMemberRole).to_owned(),
        B::FieldTarget => t(Key::BundleFieldTarget).to_owned(),
        B::FieldNeedsLabel => t(Key::BundleFieldNeedsLabel).to_owned(),
        B::NeedsOption => t(Key::BundleNeedsOption).to_owned(),
        B::OnlyDropdownOptions => t(Key::BundleOnlyDropdownOptions).to_owned(),
        B::FieldKind => t(Key::BundleFieldKind).to_owned(),
        B::NeedsFolder => t(Key::BundleNeedsFolder).to_owned(),
        B::IdTwice(i) => id(Key::BundleIdTwice, i),
        B::OwnerTwice => t(Key::BundleOwnerTwice).to_owned(),
        B::NoSuch(kind, i) => id(
            match kind {
                ItemKind::Tag => Key::BundleNoTag,
                ItemKind::Member => Key::BundleNoMember,
                ItemKind::Role => Key::BundleNoRole,
                ItemKind::Field => Key::BundleNoField,
                ItemKind::Template => Key::BundleNoTemplate,
            },
            i,
        ),
        B::NoSuchAccount(i) => id(Key::BundleNoAccount, i),
        B::NoSuchContact(i) => id(Key::BundleNoContact, i),
        B::NoSuchField(FieldTarget::Account) => t(Key::BundleNoAccountField).to_owned(),
        B::NoSuchField(FieldTarget::Contact) => t(Key::BundleNoContactField).to_owned(),
        B::ValueDoesNotFit(value, field) => tf(
            Key::BundleValueDoesNotFit,
            &[("value", &format!("{value:?}")), ("field", field)],
        ),
        B::EmailOfOther(email, other) => tf(Key::BundleEmailOfOther, &[("email", email), ("other", other)]),
        B::EmailTwice(email) => tf(Key::ProblemEmailListedTwice, &[("email", email)]),
        B::LinkEmails => t(Key::BundleLinkEmails).to_owned(),
        B::LinkedTwice => t(Key::BundleLinkedTwice).to_owned(),
        B::AccountWithoutContact => t(Key::BundleAccountWithoutContact).to_owned(),
    }
}

/// The words for a storage error.
pub fn store_text(e: &StoreError) -> String {
    match e {
        StoreError::Rejected(v) => v.0.iter().map(located).collect::<Vec<_>>().join("; "),
        StoreError::AlreadyExists => t(Key::StoreAlreadyExists).to_owned(),
        StoreError::NotFound(what) => t(match what {
            Missing::Account => Key::StoreAccountGone,
            Missing::Contact => Key::StoreContactGone,
            Missing::Link => Key::StoreLinkGone,
            Missing::Item => Key::StoreItemGone,
            Missing::File => Key::StoreFileGone,
        })
        .to_owned(),
        StoreError::Conflict => t(Key::StoreConflict).to_owned(),
        StoreError::Unavailable(reason) => tf(Key::StoreUnavailable, &[("reason", reason)]),
        StoreError::NotOpenYet => tf(Key::StoreUnavailable, &[("reason", t(Key::StoreNotOpenYet))]),
        StoreError::NewerVersion => t(Key::StoreNewerVersion).to_owned(),
        StoreError::Blocked => t(Key::StoreBlocked).to_owned(),
        StoreError::Closed => t(Key::StoreClosed).to_owned(),
        StoreError::QuotaExceeded => t(Key::StoreQuotaExceeded).to_owned(),
        StoreError::ImportRunning => t(Key::StoreImportRunning).to_owned(),
        StoreError::Corrupt { store, reason } => {
            tf(Key::StoreCorrupt, &[("store", store), ("reason", reason)])
        }
        StoreError::Backend(reason) => tf(Key::StoreBackend, &[("reason", reason)]),
    }
}

/// The words for a refused bundle file (the problems, if any, are listed
/// apart: [`ReadError::problems`] with [`located`]).
pub fn read_error_text(e: &ReadError) -> String {
    use crate::bundle::{MAX_BYTES, MAX_DEPTH, VERSION};
    match e {
        ReadError::TooLarge(size) => tf(
            Key::BundleTooLarge,
            &[
                ("size", &i18n::number(*size as i64)),
                ("max", &i18n::number(MAX_BYTES as i64)),
            ],
        ),
        ReadError::TooDeep => tf(Key::BundleTooDeep, &[("max", &MAX_DEPTH.to_string())]),
        ReadError::NotJson(reason) => tf(Key::BundleNotJson, &[("reason", reason)]),
        ReadError::Syntax(at) => tf(Key::BundleNotJson, &[("reason", &syntax_text(at))]),
        ReadError::FieldName(reason) => tf(
            Key::BundleNotJson,
            &[("reason", &tf(Key::JsonFieldNameUnreadable, &[("reason", reason)]))],
        ),
        ReadError::NotABundle => t(Key::BundleNotABundle).to_owned(),
        ReadError::Newer(v) => tf(
            Key::BundleNewer,
            &[("version", &v.to_string()), ("max", &VERSION.to_string())],
        ),
        ReadError::Invalid { .. } => tn(Key::BundleInvalid, e.problem_count(), &[]),
    }
}

/// Where and why the scan of a bundle found it is not JSON: "expected `,`
/// or `]`, found `}` at line 1, column 12".
fn syntax_text(at: &Syntax) -> String {
    let char = |c: char| tf(Key::JsonChar, &[("char", &c.to_string())]);
    let expected = match at.expected {
        Expected::JsonValue => t(Key::JsonExpectJsonValue).to_owned(),
        Expected::Value => t(Key::JsonExpectValue).to_owned(),
        Expected::FieldName => t(Key::JsonExpectFieldName).to_owned(),
        Expected::Char(c) => char(c),
        Expected::EitherChar(a, b) => tf(Key::JsonEither, &[("a", &char(a)), ("b", &char(b))]),
        Expected::MatchingBracket => t(Key::JsonExpectMatchingBracket).to_owned(),
        Expected::EndOfFile => t(Key::JsonEndOfFile).to_owned(),
        Expected::RestOfValue => t(Key::JsonExpectRestOfValue).to_owned(),
        Expected::RestOfObject => t(Key::JsonExpectRestOfObject).to_owned(),
    };
    let found = match at.found {
        Found::Char(c) => char(c),
        Found::Byte(b) => tf(Key::JsonByte, &[("byte", &format!("{b:#04x}"))]),
        Found::EndOfFile => t(Key::JsonEndOfFile).to_owned(),
    };
    tf(
        Key::JsonSyntax,
        &[
            ("expected", &expected),
            ("found", &found),
            ("line", &i18n::number(at.line as i64)),
            ("column", &i18n::number(at.column as i64)),
        ],
    )
}

/// The words for a refused CSV file (its problems, if any, are listed
/// apart: [`CsvError::problems`]).
pub fn csv_error_text(e: &CsvError) -> String {
    use crate::bundle::csv::{MAX_COLUMNS, MAX_CSV_BYTES, MAX_ROWS};
    let max = |m: usize| i18n::number(m as i64);
    match e {
        CsvError::TooLarge(size) => tf(
            Key::CsvTooLarge,
            &[
                ("size", &i18n::number(*size as i64)),
                ("max", &max(MAX_CSV_BYTES)),
            ],
        ),
        CsvError::Empty => t(Key::CsvEmpty).to_owned(),
        CsvError::Workbook => t(Key::CsvWorkbook).to_owned(),
        CsvError::Binary => t(Key::CsvBinary).to_owned(),
        CsvError::TooManyRows => tf(Key::CsvTooManyRows, &[("max", &max(MAX_ROWS))]),
        CsvError::TooManyColumns => tf(Key::CsvTooManyColumns, &[("max", &max(MAX_COLUMNS))]),
        CsvError::Invalid(problems) => tn(Key::CsvInvalid, problems.len(), &[]),
    }
}

/// The words for a refused vCard file (its problems, if any, are listed
/// apart).
pub fn vcard_error_text(e: &crate::bundle::vcard::ReadError) -> String {
    use crate::bundle::vcard::{ReadError as V, MAX_BYTES};
    match e {
        V::TooLarge(size) => tf(
            Key::VcardTooLarge,
            &[
                ("size", &i18n::number(*size as i64)),
                ("max", &i18n::number(MAX_BYTES as i64)),
            ],
        ),
        V::NoCards => t(Key::VcardNoCards).to_owned(),
        V::Invalid(problems) => tn(Key::CsvInvalid, problems.len(), &[]),
    }
}

/// "… and 12 more problems", when not every problem is listed.
pub fn more_problems(e: &ReadError) -> Option<String> {
    match e {
        ReadError::Invalid { more, .. } if *more > 0 => Some(tn(Key::BundleMoreProblems, *more, &[])),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{set_lang, Lang};

    #[test]
    fn messages_say_what_to_do() {
        set_lang(Lang::En);
        let mut v = ValidationErrors::default();
        v.push("contacts[0].email", Problem::Email(EmailError::Shape));
        let e = AppError::from(v.clone());
        assert_eq!(
            e.user_message(),
            "Please correct this: not an email address: it needs one @ with a name before it and a domain after it"
        );
        v.push("account.name", Problem::Required(Label::AccountName));
        assert_eq!(
            AppError::from(StoreError::Rejected(v)).user_message(),
            "Please correct 2 fields marked below. Nothing was saved."
        );
        assert!(AppError::from(StoreError::QuotaExceeded)
            .user_message()
            .contains("Nothing was saved"));
    }

    #[test]
    fn problems_keep_their_path_and_the_practice_words() {
        let at = FieldError::new(
            "contacts[3].custom.f1",
            Problem::NotANumber(Label::Custom("Honorar".into())),
        );
        set_lang(Lang::En);
        assert_eq!(located(&at), "contacts[3].custom.f1: Honorar must be a number");
        set_lang(Lang::De);
        assert_eq!(located(&at), "contacts[3].custom.f1: Honorar muss eine Zahl sein");
        set_lang(Lang::Fr);
        assert_eq!(
            located(&at),
            "contacts[3].custom.f1\u{a0}: Le champ «\u{a0}Honorar\u{a0}» doit être un nombre"
        );
        set_lang(Lang::Ro);
        assert_eq!(
            problem_text(&Problem::Required(Label::FirstName)),
            "Câmpul „Prenume” este obligatoriu"
        );
        set_lang(Lang::En);
        assert_eq!(
            problem_text(&Problem::ForbiddenChar(Label::AccountName, '/')),
            "Account name cannot contain the character / (not allowed: : \" / \\ | ? *)"
        );
    }

    #[test]
    fn broken_json_says_where_in_every_language() {
        let e = ReadError::Syntax(Syntax {
            expected: Expected::EitherChar(',', ']'),
            found: Found::Char('}'),
            line: 1,
            column: 12,
        });
        set_lang(Lang::En);
        assert_eq!(
            read_error_text(&e),
            "The file is not valid JSON: expected `,` or `]`, found `}` at line 1, column 12"
        );
        set_lang(Lang::De);
        assert_eq!(
            read_error_text(&e),
            "Die Datei ist kein gültiges JSON: erwartet: `,` oder `]`, gefunden: `}` (Zeile 1, Spalte 12)"
        );
        let e = ReadError::Syntax(Syntax {
            expected: Expected::Value,
            found: Found::Byte(1),
            line: 12_000,
            column: 7,
        });
        set_lang(Lang::Ro);
        assert_eq!(
            read_error_text(&e),
            "Fișierul nu este JSON valid: așteptat: o valoare, găsit: octetul 0x01 (linia 12.000, coloana 7)"
        );
        set_lang(Lang::En);
        let twice = FieldError::new("version", Problem::Bundle(BundleProblem::FieldTwice));
        assert_eq!(located(&twice), "version: appears twice");
    }

    #[test]
    fn bundle_errors_count_their_problems() {
        set_lang(Lang::En);
        let e = ReadError::Invalid {
            problems: vec![FieldError::new(
                "accounts[0]",
                Problem::Bundle(BundleProblem::AccountWithoutContact),
            )],
            more: 0,
        };
        assert_eq!(
            read_error_text(&e),
            "The bundle has 1 problem; nothing was imported."
        );
        assert_eq!(more_problems(&e), None);
        let e = ReadError::Invalid {
            problems: vec![],
            more: 1500,
        };
        assert_eq!(
            read_error_text(&e),
            "The bundle has 1,500 problems; nothing was imported."
        );
        set_lang(Lang::De);
        assert_eq!(more_problems(&e).as_deref(), Some("… und 1.500 weitere Probleme"));
        set_lang(Lang::En);
    }
}
