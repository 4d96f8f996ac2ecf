//! Contacts as vCard 4.0 (RFC 6350): CRLF line ends, lines folded at 75
//! octets (never inside a character), text escaped (`\\ \, \; \n`),
//! parameter values quoted with RFC 6868 carets.

use super::{COMPANY, JOB_TITLE, NOTE};
use crate::domain::catalog::{Catalog, FieldTarget};
use crate::domain::search::normalize;
use crate::domain::{Contact, ContactId, Timestamp};
use std::collections::HashMap;

/// Longest physical line, in octets, before folding.
const FOLD_AT: usize = 75;

/// Escapes a text value (or one component of a structured value).
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ',' => out.push_str("\\,"),
            ';' => out.push_str("\\;"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// A quoted parameter value (RFC 6868: `^^`, `^'`, `^n`).
fn param(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '^' => out.push_str("^^"),
            '"' => out.push_str("^'"),
            '\n' => out.push_str("^n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Appends one content line, folded, with its CRLF.
fn line(out: &mut String, content: &str) {
    let mut room = FOLD_AT;
    let mut used = 0;
    for c in content.chars() {
        let n = c.len_utf8();
        if used + n > room {
            out.push_str("\r\n ");
            room = FOLD_AT - 1;
            used = 0;
        }
        out.push(c);
        used += n;
    }
    out.push_str("\r\n");
}

/// `YYYYMMDDTHHMMSSZ`.
fn timestamp(t: Timestamp) -> String {
    let date = t.date_iso().replace('-', "");
    let secs = t.millis().div_euclid(1000).rem_euclid(86_400);
    format!("{date}T{:02}{:02}{:02}Z", secs / 3600, secs / 60 % 60, secs % 60)
}

/// The contact's id as a UUID URN (our ids are 32 hex digits).
fn uid(c: &Contact) -> String {
    let h = c.id.as_str();
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}

/// One card for `contact`; tag names and custom field labels come from `catalog`.
pub fn write_contact(contact: &Contact, catalog: &Catalog) -> String {
    write_contact_with(contact, catalog, None)
}

/// [`write_contact`] with the contact's photo (a `data:image/...;base64,`
/// URL, written as `PHOTO:data:...` and folded like every line).
pub fn write_contact_with(contact: &Contact, catalog: &Catalog, photo: Option<&str>) -> String {
    let c = contact;
    let mut out = String::new();
    line(&mut out, "BEGIN:VCARD");
    line(&mut out, "VERSION:4.0");
    if c.id.as_str().len() == 32 {
        line(&mut out, &format!("UID:{}", uid(c)));
    }
    line(&mut out, &format!("FN:{}", text(&c.display_name())));
    line(
        &mut out,
        &format!(
            "N:{};{};{};;",
            text(c.last_name.trim()),
            text(c.first_name.trim()),
            text(c.middle_name.trim())
        ),
    );
    for (i, e) in c.emails.iter().enumerate() {
        let pref = if i == 0 { ";PREF=1" } else { "" };
        line(&mut out, &format!("EMAIL{pref}:{}", text(e.as_str())));
    }
    for (i, p) in c.phones.iter().enumerate() {
        let pref = if i == 0 { ";PREF=1" } else { "" };
        line(&mut out, &format!("TEL;VALUE=text{pref}:{}", text(p)));
    }
    let a = &c.address;
    if !a.is_empty() {
        line(
            &mut out,
            &format!(
                "ADR:;;{};{};{};{};{}",
                text(&a.street),
                text(&a.city),
                text(&a.state),
                text(&a.postal_code),
                text(&a.country)
            ),
        );
    }
    if !c.date_of_birth.is_empty() {
        line(&mut out, &format!("BDAY:{}", c.date_of_birth.replace('-', "")));
    }
    let mut others = Vec::new();
    for f in catalog.fields_for(FieldTarget::Contact) {
        let Some(v) = c.custom.get(&f.id).filter(|v| !v.is_empty()) else {
            continue;
        };
        let label = normalize(&f.label);
        if label == normalize(COMPANY) {
            line(&mut out, &format!("ORG:{}", text(v)));
        } else if label == normalize(JOB_TITLE) {
            line(&mut out, &format!("TITLE:{}", text(v)));
        } else if label == normalize(NOTE) {
            line(&mut out, &format!("NOTE:{}", text(v)));
        } else {
            others.push(format!(
                "X-CLIENTBOOK-FIELD;X-LABEL={}:{}",
                param(&f.label),
                text(v)
            ));
        }
    }
    let tags: Vec<String> = catalog
        .tags
        .iter()
        .filter(|t| c.tags.contains(&t.id))
        .map(|t| text(&t.name))
        .collect();
    if !tags.is_empty() {
        line(&mut out, &format!("CATEGORIES:{}", tags.join(",")));
    }
    for o in others {
        line(&mut out, &o);
    }
    if let Some(p) = photo.filter(|p| crate::domain::photo::is_photo_data_url(p)) {
        line(&mut out, &format!("PHOTO:{p}"));
    }
    line(&mut out, &format!("REV:{}", timestamp(c.updated_at)));
    line(&mut out, "END:VCARD");
    out
}

/// Every contact, one card each, in the given order.
pub fn write(contacts: &[Contact], catalog: &Catalog) -> String {
    contacts.iter().map(|c| write_contact(c, catalog)).collect()
}

/// [`write`] with the contacts' photos (by contact id; a contact without
/// one has no `PHOTO`).
pub fn write_with(contacts: &[Contact], catalog: &Catalog, photos: &HashMap<ContactId, String>) -> String {
    contacts
        .iter()
        .map(|c| write_contact_with(c, catalog, photos.get(&c.id).map(String::as_str)))
        .collect()
}

/// `<name>.vcf`, with characters that file systems refuse replaced.
pub fn file_name(contact: &Contact) -> String {
    let name: String = contact
        .display_name()
        .chars()
        .map(|c| {
            if c.is_control() || "\\/:*?\"<>|".contains(c) {
                '_'
            } else {
                c
            }
        })
        .take(100)
        .collect();
    let name = name.trim().trim_start_matches('.');
    if name.is_empty() {
        "contact.vcf".to_owned()
    } else {
        format!("{name}.vcf")
    }
}
