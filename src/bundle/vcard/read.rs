//! Properties of one card → a [`Card`]: what maps where (`docs/vcard.md`),
//! each problem with its card, line and property.

use super::lex::{self, Charset, Prop};
use super::{Card, LeftOut, Problems, ReadError, VcardFile, COMPANY, JOB_TITLE, MAX_BYTES, MAX_CARDS, NOTE};
use crate::domain::catalog::MAX_TAG_CHARS;
use crate::domain::search::normalize;
use crate::domain::sort::sort_by_key;
use crate::domain::validation::{Problem, MAX_NAME_CHARS};
use crate::domain::{Address, ContactId, Email};
use crate::error::problem_text;
use crate::i18n::{t, tf, Key};
use std::collections::HashMap;

/// Properties that only describe the file or the card itself, or repeat
/// what another property says: skipped without a word.
const METADATA: [&str; 14] = [
    "VERSION",
    "PRODID",
    "REV",
    "KIND",
    "SOURCE",
    "CLIENTPIDMAP",
    "LABEL",
    "X-ABLABEL",
    "X-ABUID",
    "X-ABSHOWAS",
    "SORT-STRING",
    "NAME",
    "PROFILE",
    "UID",
];

/// At most this many properties in one card.
const MAX_PROPERTIES: usize = 10_000;

/// Parses and checks a whole `.vcf` file (see the module documentation).
pub fn read(bytes: &[u8]) -> Result<VcardFile, ReadError> {
    if bytes.len() > MAX_BYTES {
        return Err(ReadError::TooLarge(bytes.len()));
    }
    let (text, charset) = lex::decode(bytes);
    let mut problems = Problems::default();
    let mut left_out = LeftOut::default();
    let mut cards: Vec<Card> = Vec::new();
    // The card being read: its number, BEGIN line and properties.
    let mut open: Option<(usize, usize, Vec<Prop>)> = None;
    let mut numbered = 0usize;
    for logical in lex::logical_lines(&text) {
        let prop = match lex::parse(&logical) {
            Ok(p) => p,
            Err(message) => {
                match &open {
                    Some((n, begin, _)) => problems.push(card_line(*n, *begin, logical.line), message),
                    None => problems.push(line_at(logical.line), message),
                }
                continue;
            }
        };
        let is_vcard = prop.value.trim().eq_ignore_ascii_case("VCARD");
        match (prop.name.as_str(), &mut open) {
            ("BEGIN", Some((n, begin, _))) if is_vcard => {
                problems.push(
                    card_at(*n, *begin),
                    tf(Key::VcardNoEndBeforeBegin, &[("line", &prop.line.to_string())]),
                );
                numbered += 1;
                if numbered > MAX_CARDS {
                    break;
                }
                open = Some((numbered, prop.line, Vec::new()));
            }
            ("BEGIN", None) if is_vcard => {
                numbered += 1;
                if numbered > MAX_CARDS {
                    problems.push(
                        line_at(prop.line),
                        tf(
                            Key::VcardTooManyCards,
                            &[("max", &crate::i18n::number(MAX_CARDS as i64))],
                        ),
                    );
                    break;
                }
                open = Some((numbered, prop.line, Vec::new()));
            }
            ("END", Some(_)) if is_vcard => {
                if let Some((n, begin, props)) = open.take() {
                    if let Some(card) = build(n, begin, &props, &mut problems, &mut left_out) {
                        cards.push(card);
                    }
                }
            }
            ("END", None) if is_vcard => {
                problems.push(line_at(prop.line), t(Key::VcardEndWithoutBegin));
            }
            (_, Some((n, begin, props))) => {
                if props.len() == MAX_PROPERTIES {
                    problems.push(
                        card_at(*n, *begin),
                        tf(
                            Key::VcardTooManyProperties,
                            &[("max", &crate::i18n::number(MAX_PROPERTIES as i64))],
                        ),
                    );
                }
                if props.len() <= MAX_PROPERTIES {
                    props.push(prop);
                }
            }
            (_, None) => problems.push(
                line_at(prop.line),
                tf(Key::VcardOutsideCard, &[("property", &prop.name)]),
            ),
        }
    }
    if let Some((n, begin, _)) = open {
        problems.push(card_at(n, begin), t(Key::VcardNoEndAtEnd));
    }
    check_across(&cards, &mut problems);
    if problems.count > 0 {
        return Err(ReadError::Invalid(problems.finish()));
    }
    if cards.is_empty() {
        return Err(ReadError::NoCards);
    }
    let mut notes = Vec::new();
    if charset == Charset::Windows1252 {
        notes.push(t(Key::VcardReadAsWindows1252).to_owned());
    }
    notes.extend(left_out.lines());
    Ok(VcardFile {
        cards,
        left_out: notes,
    })
}

/// An email on two cards is refused: the file must say which person it is.
fn check_across(cards: &[Card], problems: &mut Problems) {
    let mut owner: HashMap<String, usize> = HashMap::new();
    for c in cards {
        for e in &c.emails {
            match owner.get(&e.key()) {
                Some(&first) => problems.push(
                    tf(
                        Key::VcardCardProperty,
                        &[("card", &card_at(c.number, c.line)), ("property", "EMAIL")],
                    ),
                    tf(
                        Key::VcardEmailOnTwoCards,
                        &[("email", e.as_str()), ("card", &first.to_string())],
                    ),
                ),
                None => {
                    owner.insert(e.key(), c.number);
                }
            }
        }
    }
}

/// The decoded text of a value (quoted-printable undone), still escaped.
fn decoded(prop: &Prop) -> Result<String, String> {
    if prop.encoding().as_deref() != Some("QUOTED-PRINTABLE") {
        return Ok(prop.value.clone());
    }
    let bytes = lex::qp_decode(&prop.value);
    let charset = prop
        .param("CHARSET")
        .next()
        .map(|c| c.trim().to_ascii_lowercase());
    match charset.as_deref() {
        None | Some("utf-8") | Some("utf8") => Ok(String::from_utf8(bytes)
            .unwrap_or_else(|e| e.as_bytes().iter().map(|&b| lex::cp1252(b)).collect())),
        Some("iso-8859-1" | "latin1" | "iso-8859-15" | "windows-1252" | "cp1252" | "us-ascii") => {
            Ok(bytes.iter().map(|&b| lex::cp1252(b)).collect())
        }
        Some(other) => Err(tf(Key::VcardCharset, &[("charset", other)])),
    }
}

/// One line of text: line breaks and tabs become `joiner`/spaces, then
/// checked for length and other control characters.
fn one_line(s: &str, joiner: &str, max: usize) -> Result<String, LineIssue> {
    let joined = s
        .split(['\n', '\r'])
        .map(|l| l.replace('\t', " ").trim().to_owned())
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(joiner);
    if joined.chars().any(char::is_control) {
        return Err(LineIssue::ControlChar);
    }
    if joined.chars().count() > max {
        return Err(LineIssue::TooLong(max));
    }
    Ok(joined)
}

/// What is wrong with a line of text.
#[derive(Clone, Copy, Debug)]
enum LineIssue {
    ControlChar,
    TooLong(usize),
}

impl LineIssue {
    /// "the name is longer than 200 characters", with `subject` (a key
    /// naming what the line is) in the current language.
    fn about(self, subject: Key) -> String {
        match self {
            LineIssue::ControlChar => tf(Key::VcardControlChar, &[("subject", t(subject))]),
            LineIssue::TooLong(max) => tf(
                Key::VcardTooLong,
                &[("subject", t(subject)), ("max", &max.to_string())],
            ),
        }
    }
}

/// A structured value's components (`;`), each a list (`,`) of escaped
/// texts, unescaped and joined with `joiner`.
fn components(value: &str, joiner: &str) -> Vec<String> {
    lex::split_unescaped(value, ';')
        .into_iter()
        .map(|c| {
            lex::split_unescaped(c, ',')
                .into_iter()
                .map(|v| lex::unescape(v).trim().to_owned())
                .filter(|v| !v.is_empty())
                .collect::<Vec<_>>()
                .join(joiner)
        })
        .collect()
}

/// What a `BDAY` value says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Birthday {
    /// `YYYY-MM-DD`.
    Date(String),
    /// A day without a year (`--0412`): nothing to store.
    NoYear,
    NotADate,
}

/// Reads `YYYY-MM-DD`, `YYYYMMDD` (either with a time after `T`), or a
/// date without a year.
pub fn birthday(raw: &str) -> Birthday {
    let v = raw.trim();
    if v.starts_with("--") {
        return Birthday::NoYear;
    }
    let date = v.split(['T', 't', ' ']).next().unwrap_or("");
    let digits: String = date.chars().filter(|c| *c != '-').collect();
    let well_formed = match date.len() {
        8 => date.chars().all(|c| c.is_ascii_digit()),
        10 => {
            let b = date.as_bytes();
            b[4] == b'-' && b[7] == b'-' && digits.len() == 8 && digits.chars().all(|c| c.is_ascii_digit())
        }
        _ => false,
    };
    if !well_formed {
        return Birthday::NotADate;
    }
    let iso = format!("{}-{}-{}", &digits[..4], &digits[4..6], &digits[6..8]);
    match crate::domain::time::parse_date(&iso) {
        Some(_) => Birthday::Date(iso),
        None => Birthday::NotADate,
    }
}

/// `s` without a leading ASCII `prefix` (any case), if it starts with it.
/// (Slicing `s` at the prefix's length could cut a character in two.)
fn strip_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| s.get(prefix.len()..))
        .flatten()
}

/// The contact id a UID names, when it is one of ours or a UUID.
pub fn uid(raw: &str) -> Option<ContactId> {
    let v = raw.trim();
    let v = strip_ci(v, "urn:uuid:").unwrap_or(v);
    let hex: String = v
        .chars()
        .filter(|c| *c != '-')
        .collect::<String>()
        .to_ascii_lowercase();
    ContactId::parse(&hex)
}

/// Splits a formatted name: the last word is the last name.
fn split_full_name(full: &str) -> (String, String) {
    let words: Vec<&str> = full.split_whitespace().collect();
    match words.as_slice() {
        [] => (String::new(), String::new()),
        [one] => ((*one).to_owned(), String::new()),
        [rest @ .., last] => (rest.join(" "), (*last).to_owned()),
    }
}

fn build(
    number: usize,
    line: usize,
    props: &[Prop],
    problems: &mut Problems,
    left_out: &mut LeftOut,
) -> Option<Card> {
    let before = problems.count;
    let mut card = Card {
        number,
        line,
        ..Card::default()
    };
    let mut report = |prop: &Prop, message: String| {
        problems.push(
            tf(
                Key::VcardCardProperty,
                &[("card", &card_at(number, prop.line)), ("property", &prop.name)],
            ),
            message,
        );
    };
    let mut full_name = String::new();
    let mut n_name: Option<(String, String, String)> = None;
    let mut emails: Vec<(u32, Email)> = Vec::new();
    let mut phones: Vec<(u32, String)> = Vec::new();
    let mut addresses: Vec<(u32, Address)> = Vec::new();
    let mut orgs: Vec<(u32, String)> = Vec::new();
    let mut titles: Vec<String> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    let mut photos: Vec<(u32, String)> = Vec::new();
    for prop in props {
        if prop.name == "VERSION" {
            let v = prop.value.trim();
            if !["2.1", "3.0", "4.0"].contains(&v) {
                report(prop, tf(Key::VcardVersion, &[("version", &format!("{v:?}"))]));
            }
            continue;
        }
        if prop.name == "UID" {
            card.uid = uid(&prop.value);
            continue;
        }
        if METADATA.contains(&prop.name.as_str()) {
            continue;
        }
        if prop.name == "PHOTO" {
            match photo(prop) {
                Ok(None) => {}
                Ok(Some(url)) => photos.push((prop.pref(), url)),
                Err(PhotoLeft::Kept(why)) => left_out.add("PHOTO", Some(why), number),
                Err(PhotoLeft::Problem(message)) => report(prop, message),
            }
            continue;
        }
        let value = match decoded(prop) {
            Ok(v) => v,
            Err(message) => {
                report(prop, message);
                continue;
            }
        };
        match prop.name.as_str() {
            "N" => {
                let mut parts = components(&value, " ").into_iter();
                let mut next = || parts.next().unwrap_or_default();
                let (last, first, middle, prefix, suffix) = (next(), next(), next(), next(), next());
                if !prefix.is_empty() || !suffix.is_empty() {
                    left_out.add("N", Some(Key::VcardLeftNameAffixes), number);
                }
                let checked: Result<Vec<String>, LineIssue> = [first, middle, last]
                    .iter()
                    .map(|p| one_line(p, " ", MAX_NAME_CHARS))
                    .collect();
                match checked {
                    Ok(v) => n_name = Some((v[0].clone(), v[1].clone(), v[2].clone())),
                    Err(m) => report(prop, m.about(Key::VcardNamePart)),
                }
            }
            "FN" => match one_line(&lex::unescape(&value), " ", MAX_NAME_CHARS) {
                Ok(v) => full_name = v,
                Err(m) => report(prop, m.about(Key::VcardTheName)),
            },
            "EMAIL" => {
                let text = lex::unescape(&value);
                let text = text.trim();
                let text = strip_ci(text, "mailto:")
                    .filter(|rest| !rest.is_empty())
                    .unwrap_or(text);
                if text.is_empty() {
                    continue;
                }
                match Email::parse(text) {
                    Ok(e) => {
                        if !emails.iter().any(|(_, x)| x.key() == e.key()) {
                            emails.push((prop.pref(), e));
                        }
                    }
                    Err(err) => report(prop, problem_text(&Problem::Email(err))),
                }
            }
            "TEL" => {
                let text = lex::unescape(&value);
                let uri = prop
                    .param("VALUE")
                    .next()
                    .is_none_or(|v| !v.eq_ignore_ascii_case("text"));
                let text = text.trim();
                let text = strip_ci(text, "tel:")
                    .filter(|rest| uri && !rest.is_empty())
                    .unwrap_or(text);
                match one_line(text, " ", MAX_NAME_CHARS) {
                    Ok(t) if t.is_empty() => {}
                    Ok(t) => {
                        if !phones.iter().any(|(_, x)| *x == t) {
                            phones.push((prop.pref(), t));
                        }
                    }
                    Err(m) => report(prop, m.about(Key::VcardThePhone)),
                }
            }
            "ADR" => {
                let mut parts = components(&value, ", ").into_iter();
                let mut next = || parts.next().unwrap_or_default();
                let (pobox, extended, street) = (next(), next(), next());
                let street = [street, extended, pobox]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(", ");
                let (city, state, postal_code, country) = (next(), next(), next(), next());
                let checked: Result<Vec<String>, LineIssue> = [street, city, state, postal_code, country]
                    .iter()
                    .map(|p| one_line(p, ", ", MAX_NAME_CHARS))
                    .collect();
                match checked {
                    Ok(v) => {
                        let a = Address {
                            street: v[0].clone(),
                            city: v[1].clone(),
                            state: v[2].clone(),
                            postal_code: v[3].clone(),
                            country: v[4].clone(),
                        };
                        if !a.is_empty() {
                            addresses.push((prop.pref(), a));
                        }
                    }
                    Err(m) => report(prop, m.about(Key::VcardAddressPart)),
                }
            }
            "BDAY" => {
                let text = prop
                    .param("VALUE")
                    .next()
                    .is_some_and(|v| v.eq_ignore_ascii_case("text"));
                if text {
                    left_out.add("BDAY", Some(Key::VcardLeftBirthdayText), number);
                    continue;
                }
                match birthday(&lex::unescape(&value)) {
                    Birthday::Date(d) => card.date_of_birth = d,
                    Birthday::NoYear => left_out.add("BDAY", Some(Key::VcardLeftBirthdayNoYear), number),
                    Birthday::NotADate => report(
                        prop,
                        tf(Key::VcardNotADate, &[("value", &format!("{:?}", value.trim()))]),
                    ),
                }
            }
            "ORG" => {
                let org = components(&value, ", ")
                    .into_iter()
                    .filter(|c| !c.is_empty())
                    .collect::<Vec<_>>()
                    .join(", ");
                match one_line(&org, " ", MAX_NAME_CHARS) {
                    Ok(o) if o.is_empty() => {}
                    Ok(o) => orgs.push((prop.pref(), o)),
                    Err(m) => report(prop, m.about(Key::VcardTheOrganisation)),
                }
            }
            "TITLE" => match one_line(&lex::unescape(&value), " ", MAX_NAME_CHARS) {
                Ok(t) if t.is_empty() => {}
                Ok(t) => titles.push(t),
                Err(m) => report(prop, m.about(Key::VcardTheTitle)),
            },
            "NOTE" => {
                let n = lex::unescape(&value);
                if !n.trim().is_empty() {
                    notes.push(n);
                }
            }
            "CATEGORIES" => {
                for raw in lex::split_unescaped(&value, ',') {
                    let name = match one_line(&lex::unescape(raw), " ", MAX_TAG_CHARS) {
                        Ok(n) => n,
                        Err(m) => {
                            report(prop, m.about(Key::VcardCategory));
                            continue;
                        }
                    };
                    let key = normalize(&name);
                    if !name.is_empty() && !card.categories.iter().any(|c| normalize(c) == key) {
                        card.categories.push(name);
                    }
                }
            }
            "X-CLIENTBOOK-FIELD" => {
                let label = prop.param("X-LABEL").next().unwrap_or_default();
                let label = match one_line(label, " ", MAX_NAME_CHARS) {
                    Ok(l) if !l.is_empty() => l,
                    Ok(_) => {
                        report(prop, t(Key::VcardNeedsLabel).to_owned());
                        continue;
                    }
                    Err(m) => {
                        report(prop, m.about(Key::VcardFieldName));
                        continue;
                    }
                };
                match one_line(&lex::unescape(&value), " ", MAX_NAME_CHARS) {
                    Ok(v) if v.is_empty() => {}
                    Ok(v) => card.fields.push((label, v)),
                    Err(m) => report(prop, m.about(Key::VcardTheValue)),
                }
            }
            other => left_out.add(other, None, number),
        }
    }
    // Names: N first, else the formatted name split at its last word.
    let (mut first, mut middle, mut last) = n_name.unwrap_or_default();
    if first.is_empty() && last.is_empty() {
        (first, last) = split_full_name(&full_name);
        middle.clear();
    }
    if first.is_empty() && last.is_empty() {
        problems.push(card_at(number, line), t(Key::VcardNoName));
    }
    (card.first_name, card.middle_name, card.last_name) = (first, middle, last);
    sort_by_key(&mut emails, |(p, _)| *p);
    card.emails = emails.into_iter().map(|(_, e)| e).collect();
    sort_by_key(&mut phones, |(p, _)| *p);
    card.phones = phones.into_iter().map(|(_, p)| p).collect();
    sort_by_key(&mut addresses, |(p, _)| *p);
    if addresses.len() > 1 {
        left_out.add("ADR", Some(Key::VcardLeftAddresses), number);
    }
    card.address = addresses.into_iter().next().map(|(_, a)| a).unwrap_or_default();
    sort_by_key(&mut photos, |(p, _)| *p);
    if photos.len() > 1 {
        left_out.add("PHOTO", Some(Key::VcardLeftPhotoMore), number);
    }
    card.photo = photos.into_iter().next().map(|(_, p)| p);
    sort_by_key(&mut orgs, |(p, _)| *p);
    if orgs.len() > 1 {
        left_out.add("ORG", Some(Key::VcardLeftOrganisations), number);
    }
    if let Some((_, org)) = orgs.into_iter().next() {
        card.fields.push((COMPANY.to_owned(), org));
    }
    if !titles.is_empty() {
        card.fields.push((JOB_TITLE.to_owned(), titles.join(" / ")));
    }
    if !notes.is_empty() {
        let joined = notes.join("\n");
        let flat = joined
            .split(['\n', '\r'])
            .map(|l| l.replace('\t', " ").trim().to_owned())
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(" / ")
            .chars()
            .filter(|c| !c.is_control())
            .collect::<String>();
        let note = if flat.chars().count() > MAX_NAME_CHARS {
            left_out.add("NOTE", Some(Key::VcardLeftLongNotes), number);
            let mut cut: String = flat.chars().take(MAX_NAME_CHARS - 1).collect();
            cut = cut.trim_end().to_owned();
            cut.push('…');
            cut
        } else {
            flat
        };
        card.fields.push((NOTE.to_owned(), note));
    }
    (problems.count == before).then_some(card)
}

/// Why a `PHOTO` is not kept: a reason for the list of what is left out,
/// or a problem with the file (base64 that is not base64).
enum PhotoLeft {
    Kept(Key),
    Problem(String),
}

/// A `PHOTO` property: base64 with `ENCODING=b` (3.0) or `BASE64` (2.1),
/// or a `data:` URI (4.0, or `VALUE=uri` in 3.0). `None` when empty.
/// Anything else is a link to elsewhere.
fn photo(prop: &Prop) -> Result<Option<String>, PhotoLeft> {
    use crate::domain::photo::{photo_from_base64, Base64Error, PhotoIssue};
    let value = prop.value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let base64 = match prop.encoding().as_deref() {
        Some("B" | "BASE64") => value.to_owned(),
        _ => {
            // Some writers escape the comma of the URI as if it were text.
            let uri = value.replace("\\,", ",");
            match crate::domain::photo::data_url_base64(&uri) {
                Some(Ok(data)) => data.to_owned(),
                Some(Err(())) => return Err(PhotoLeft::Kept(Key::VcardLeftPhotoTypes)),
                None => return Err(PhotoLeft::Kept(Key::VcardLeftPhotoLinks)),
            }
        }
    };
    match photo_from_base64(&base64) {
        Ok(url) => Ok(Some(url)),
        Err(PhotoIssue::TooLarge(_)) => Err(PhotoLeft::Kept(Key::VcardLeftPhotoTooLarge)),
        Err(PhotoIssue::NotAnImage) => Err(PhotoLeft::Kept(Key::VcardLeftPhotoTypes)),
        Err(PhotoIssue::NotBase64(Base64Error::BadChar(c, at))) => Err(PhotoLeft::Problem(tf(
            Key::VcardPhotoBadChar,
            &[("char", &format!("{c:?}")), ("position", &at.to_string())],
        ))),
        Err(PhotoIssue::NotBase64(Base64Error::BadLength)) => {
            Err(PhotoLeft::Problem(t(Key::VcardPhotoBadLength).to_owned()))
        }
    }
}

/// "line 12".
fn line_at(line: usize) -> String {
    tf(Key::VcardLine, &[("line", &line.to_string())])
}

/// "card 3 (line 41)".
fn card_at(card: usize, line: usize) -> String {
    tf(
        Key::VcardCardAt,
        &[("card", &card.to_string()), ("line", &line.to_string())],
    )
}

/// "card 3 (line 41), line 45".
fn card_line(card: usize, begin: usize, line: usize) -> String {
    tf(
        Key::VcardCardLine,
        &[("card", &card_at(card, begin)), ("line", &line.to_string())],
    )
}
