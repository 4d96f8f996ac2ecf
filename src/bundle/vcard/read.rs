//! Properties of one card → a [`Card`]: what maps where (`docs/vcard.md`),
//! each problem with its card, line and property.

use super::lex::{self, Charset, Prop};
use super::{Card, LeftOut, Problems, ReadError, VcardFile, COMPANY, JOB_TITLE, MAX_BYTES, MAX_CARDS, NOTE};
use crate::domain::catalog::MAX_TAG_CHARS;
use crate::domain::search::normalize;
use crate::domain::validation::MAX_NAME_CHARS;
use crate::domain::{Address, ContactId, Email};
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
                    Some((n, begin, _)) => {
                        problems.push(format!("card {n} (line {begin}), line {}", logical.line), message)
                    }
                    None => problems.push(format!("line {}", logical.line), message),
                }
                continue;
            }
        };
        let is_vcard = prop.value.trim().eq_ignore_ascii_case("VCARD");
        match (prop.name.as_str(), &mut open) {
            ("BEGIN", Some((n, begin, _))) if is_vcard => {
                problems.push(
                    format!("card {n} (line {begin})"),
                    format!("no END:VCARD before the next BEGIN:VCARD (line {})", prop.line),
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
                        format!("line {}", prop.line),
                        format!("more than {MAX_CARDS} cards; split the file"),
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
                problems.push(format!("line {}", prop.line), "END:VCARD without BEGIN:VCARD");
            }
            (_, Some((n, begin, props))) => {
                if props.len() == MAX_PROPERTIES {
                    problems.push(
                        format!("card {n} (line {begin})"),
                        format!("more than {MAX_PROPERTIES} properties"),
                    );
                }
                if props.len() <= MAX_PROPERTIES {
                    props.push(prop);
                }
            }
            (_, None) => problems.push(
                format!("line {}", prop.line),
                format!("{} outside a card (expected BEGIN:VCARD)", prop.name),
            ),
        }
    }
    if let Some((n, begin, _)) = open {
        problems.push(
            format!("card {n} (line {begin})"),
            "no END:VCARD before the end of the file",
        );
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
        notes.push(
            "The file is not UTF-8 text: it was read as Windows-1252 (Western European). Check accented letters in the preview.".to_owned(),
        );
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
                    format!("card {} (line {}), EMAIL", c.number, c.line),
                    format!("{e} is also on card {first}"),
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
        Some(other) => Err(format!(
            "CHARSET={other} is not supported (UTF-8, ISO-8859-1 and Windows-1252 are)"
        )),
    }
}

/// One line of text: line breaks and tabs become `joiner`/spaces, then
/// checked for length and other control characters.
fn one_line(s: &str, joiner: &str, max: usize) -> Result<String, String> {
    let joined = s
        .split(['\n', '\r'])
        .map(|l| l.replace('\t', " ").trim().to_owned())
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(joiner);
    if joined.chars().any(char::is_control) {
        return Err("contains a control character".into());
    }
    if joined.chars().count() > max {
        return Err(format!("longer than {max} characters"));
    }
    Ok(joined)
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
            format!("card {number} (line {}), {}", prop.line, prop.name),
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
    for prop in props {
        if prop.name == "VERSION" {
            let v = prop.value.trim();
            if !["2.1", "3.0", "4.0"].contains(&v) {
                report(
                    prop,
                    format!("{v:?} is not a vCard version Clientbook reads (2.1, 3.0, 4.0)"),
                );
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
            left_out.add("PHOTO", "photos: contacts in Clientbook have no photo", number);
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
                    left_out.add("N", "name prefixes and suffixes (Dr., Jr., ...)", number);
                }
                let checked: Result<Vec<String>, String> = [first, middle, last]
                    .iter()
                    .map(|p| one_line(p, " ", MAX_NAME_CHARS))
                    .collect();
                match checked {
                    Ok(v) => n_name = Some((v[0].clone(), v[1].clone(), v[2].clone())),
                    Err(m) => report(prop, format!("a name part is {m}")),
                }
            }
            "FN" => match one_line(&lex::unescape(&value), " ", MAX_NAME_CHARS) {
                Ok(v) => full_name = v,
                Err(m) => report(prop, format!("the name is {m}")),
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
                    Err(err) => report(prop, err.to_string()),
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
                    Err(m) => report(prop, format!("the phone number is {m}")),
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
                let checked: Result<Vec<String>, String> = [street, city, state, postal_code, country]
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
                    Err(m) => report(prop, format!("an address part is {m}")),
                }
            }
            "BDAY" => {
                let text = prop
                    .param("VALUE")
                    .next()
                    .is_some_and(|v| v.eq_ignore_ascii_case("text"));
                if text {
                    left_out.add("BDAY", "birthdays written as text", number);
                    continue;
                }
                match birthday(&lex::unescape(&value)) {
                    Birthday::Date(d) => card.date_of_birth = d,
                    Birthday::NoYear => left_out.add("BDAY", "birthdays without a year", number),
                    Birthday::NotADate => report(
                        prop,
                        format!(
                            "{:?} is not a date (expected YYYY-MM-DD or YYYYMMDD)",
                            value.trim()
                        ),
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
                    Err(m) => report(prop, format!("the organisation is {m}")),
                }
            }
            "TITLE" => match one_line(&lex::unescape(&value), " ", MAX_NAME_CHARS) {
                Ok(t) if t.is_empty() => {}
                Ok(t) => titles.push(t),
                Err(m) => report(prop, format!("the title is {m}")),
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
                            report(prop, format!("a category (tag name) is {m}"));
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
                        report(prop, "needs a field name in X-LABEL".into());
                        continue;
                    }
                    Err(m) => {
                        report(prop, format!("the field name (X-LABEL) is {m}"));
                        continue;
                    }
                };
                match one_line(&lex::unescape(&value), " ", MAX_NAME_CHARS) {
                    Ok(v) if v.is_empty() => {}
                    Ok(v) => card.fields.push((label, v)),
                    Err(m) => report(prop, format!("the value is {m}")),
                }
            }
            other => left_out.add(other, "", number),
        }
    }
    // Names: N first, else the formatted name split at its last word.
    let (mut first, mut middle, mut last) = n_name.unwrap_or_default();
    if first.is_empty() && last.is_empty() {
        (first, last) = split_full_name(&full_name);
        middle.clear();
    }
    if first.is_empty() && last.is_empty() {
        problems.push(
            format!("card {number} (line {line})"),
            "no name: a card needs N or FN",
        );
    }
    (card.first_name, card.middle_name, card.last_name) = (first, middle, last);
    emails.sort_by_key(|(p, _)| *p);
    card.emails = emails.into_iter().map(|(_, e)| e).collect();
    phones.sort_by_key(|(p, _)| *p);
    card.phones = phones.into_iter().map(|(_, p)| p).collect();
    addresses.sort_by_key(|(p, _)| *p);
    if addresses.len() > 1 {
        left_out.add(
            "ADR",
            "further addresses: a contact has one address (the preferred or first is kept)",
            number,
        );
    }
    card.address = addresses.into_iter().next().map(|(_, a)| a).unwrap_or_default();
    orgs.sort_by_key(|(p, _)| *p);
    if orgs.len() > 1 {
        left_out.add(
            "ORG",
            "further organisations (the preferred or first is kept)",
            number,
        );
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
            left_out.add(
                "NOTE",
                "the end of notes longer than 200 characters (the field keeps the first 200)",
                number,
            );
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
