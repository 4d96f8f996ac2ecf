use super::import::{plan, OnMatch};
use super::*;
use crate::bundle::Contents;
use crate::domain::catalog::{Catalog, CatalogItem, FieldDef, FieldKind, FieldTarget, Tag};
use crate::domain::ids::{IdSource, SeededIds};
use crate::domain::{Contact, EmailAccess, Link, Timestamp};
use std::collections::HashMap;

fn problems(text: &str) -> Vec<String> {
    match read(text.as_bytes()) {
        Err(ReadError::Invalid(p)) => p,
        other => panic!("expected problems, got {other:?}"),
    }
}

/// A vCard 3.0 card as address books export them (Apple, Google):
/// grouped properties, TYPE=pref, a folded base64 photo, a
/// quoted-printable note with a soft line break, escapes.
const V3: &str = "BEGIN:VCARD\r
VERSION:3.0\r
PRODID:-//Apple Inc.//iPhone OS 17.0//EN\r
N:Müller;Anna;Maria;Dr.;\r
FN:Dr. Anna Maria Müller\r
EMAIL;TYPE=INTERNET,WORK:Anna.Mueller@Firm.example\r
item1.EMAIL;type=INTERNET;type=pref:anna@example.com\r
item1.X-ABLabel:private\r
TEL;TYPE=CELL:+49 170 1234567\r
TEL;TYPE=HOME:+49 30 123456\r
ADR;TYPE=HOME:;;Hauptstraße 5\\, Hinterhaus;Berlin;;10115;Germany\r
ADR;TYPE=WORK:;;Am Markt 1;Potsdam;;14467;Germany\r
BDAY:1980-04-12\r
ORG:Müller & Partner;Tax\r
TITLE:Partner\r
NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:Erstes Gespr=C3=A4ch am Montag=0D=0A=\r
Zweite Zeile\r
CATEGORIES:VIP,Berlin\\, Mitte\r
PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAEBAQEBAQEBAQEBAQEB\r
 AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQH/wAALCAABAAEBAREA/8QAFAABAAAA\r
URL:https://example.com\r
END:VCARD\r
";

/// vCard 4.0: PREF=, a tel: URI, a basic-format date, a data: URI photo, a UID.
const V4: &str = "BEGIN:VCARD
VERSION:4.0
FN:Ștefan Popescu
EMAIL;PREF=2:stefan@work.example
EMAIL;PREF=1:stefan@home.example
TEL;VALUE=uri;TYPE=cell:tel:+40-721-234-567
BDAY:19850412
PHOTO:data:image/png;base64,iVBORw0KGgo=
UID:urn:uuid:0a1b2c3d-0000-4000-8000-00000000abcd
END:VCARD
";

/// vCard 2.1 from Outlook: bare types, quoted-printable in ISO-8859-1.
const V21: &str = "BEGIN:VCARD\r
VERSION:2.1\r
N;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:Dupr=E9;Ren=E9\r
TEL;CELL;PREF:0721 234 567\r
TEL;WORK:0721 000 111\r
BDAY:--0412\r
NOTE;QUOTED-PRINTABLE:Line one=0D=0A=\r
line two=\r
 continued\r
END:VCARD\r
";

#[test]
fn reads_a_3_0_card_with_everything() {
    let f = read(V3.as_bytes()).unwrap();
    assert_eq!(f.cards.len(), 1);
    let c = &f.cards[0];
    assert_eq!((c.number, c.line), (1, 1));
    assert_eq!(
        (
            c.first_name.as_str(),
            c.middle_name.as_str(),
            c.last_name.as_str()
        ),
        ("Anna", "Maria", "Müller")
    );
    let emails: Vec<&str> = c.emails.iter().map(|e| e.as_str()).collect();
    assert_eq!(
        emails,
        ["anna@example.com", "Anna.Mueller@Firm.example"],
        "pref first"
    );
    assert_eq!(c.phones, ["+49 170 1234567", "+49 30 123456"]);
    assert_eq!(c.address.street, "Hauptstraße 5, Hinterhaus");
    assert_eq!(
        (
            c.address.city.as_str(),
            c.address.postal_code.as_str(),
            c.address.country.as_str()
        ),
        ("Berlin", "10115", "Germany")
    );
    assert_eq!(c.date_of_birth, "1980-04-12");
    assert_eq!(c.categories, ["VIP", "Berlin, Mitte"]);
    assert_eq!(
        c.fields,
        [
            ("Company".to_owned(), "Müller & Partner, Tax".to_owned()),
            ("Job title".to_owned(), "Partner".to_owned()),
            (
                "Note".to_owned(),
                "Erstes Gespräch am Montag / Zweite Zeile".to_owned()
            ),
        ]
    );
    assert_eq!(
        c.photo.as_deref(),
        Some(
            "data:image/jpeg;base64,/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAEBAQEBAQEBAQEBAQEB\
             AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQH/wAALCAABAAEBAREA/8QAFAABAAAA"
        ),
        "the folded base64 photo, unfolded"
    );
    let left = f.left_out.join("\n");
    assert!(!left.contains("PHOTO"), "{left}");
    for expected in [
        "N: not kept — name prefixes and suffixes",
        "URL: Clientbook has no field for it (card 1)",
        "ADR: not kept — further addresses",
    ] {
        assert!(left.contains(expected), "{expected} in {left}");
    }
    assert!(!left.contains("PRODID") && !left.contains("X-ABLABEL"), "{left}");
}

#[test]
fn reads_4_0_and_2_1_cards() {
    let f = read(format!("{V4}{V21}").as_bytes()).unwrap();
    let (s, r) = (&f.cards[0], &f.cards[1]);
    assert_eq!(
        (s.first_name.as_str(), s.last_name.as_str()),
        ("Ștefan", "Popescu")
    );
    let emails: Vec<&str> = s.emails.iter().map(|e| e.as_str()).collect();
    assert_eq!(emails, ["stefan@home.example", "stefan@work.example"]);
    assert_eq!(s.phones, ["+40-721-234-567"]);
    assert_eq!(s.date_of_birth, "1985-04-12");
    assert_eq!(
        s.uid.as_ref().map(|u| u.as_str()),
        Some("0a1b2c3d00004000800000000000abcd")
    );
    assert_eq!((r.number, r.line), (2, 11));
    assert_eq!((r.first_name.as_str(), r.last_name.as_str()), ("René", "Dupré"));
    assert_eq!(r.phones, ["0721 234 567", "0721 000 111"]);
    assert_eq!(r.date_of_birth, "");
    assert_eq!(
        r.fields,
        [("Note".to_owned(), "Line one / line two continued".to_owned())]
    );
    assert_eq!(s.photo.as_deref(), Some("data:image/png;base64,iVBORw0KGgo="));
    assert_eq!(r.photo, None);
    let left = f.left_out.join("\n");
    assert!(!left.contains("PHOTO"), "{left}");
    assert!(
        left.contains("BDAY: not kept — birthdays without a year (card 2)"),
        "{left}"
    );
}

#[test]
fn birthdays_in_several_forms() {
    let date = |d: &str| Birthday::Date(d.to_owned());
    for (raw, want) in [
        ("1980-04-12", date("1980-04-12")),
        ("19800412", date("1980-04-12")),
        ("1980-04-12T00:00:00Z", date("1980-04-12")),
        ("19800412T000000", date("1980-04-12")),
        ("--0412", Birthday::NoYear),
        ("--04-12", Birthday::NoYear),
        ("1980-02-30", Birthday::NotADate),
        ("12.04.1980", Birthday::NotADate),
        ("1980", Birthday::NotADate),
        ("", Birthday::NotADate),
    ] {
        assert_eq!(birthday(raw), want, "{raw}");
    }
}

#[test]
fn every_problem_is_reported_with_card_line_and_property() {
    let text = "BEGIN:VCARD
VERSION:3.0
FN:Good One
END:VCARD
BEGIN:VCARD
VERSION:3.0
FN:Bad Email
EMAIL:not an email
BDAY:1980-02-30
END:VCARD
BEGIN:VCARD
VERSION:9.9
EMAIL:x@y.io
END:VCARD
STRAY:line
BEGIN:VCARD
VERSION:4.0
N:Open;Card
EMAIL:X@Y.io
";
    let p = problems(text);
    assert_eq!(
        p,
        [
            "card 2 (line 8), EMAIL: not an email address: it contains a space",
            "card 2 (line 9), BDAY: \"1980-02-30\" is not a date (expected YYYY-MM-DD or YYYYMMDD)",
            "card 3 (line 12), VERSION: \"9.9\" is not a vCard version Clientbook reads (2.1, 3.0, 4.0)",
            "card 3 (line 11): no name: a card needs N or FN",
            "line 15: STRAY outside a card (expected BEGIN:VCARD)",
            "card 4 (line 16): no END:VCARD before the end of the file",
        ]
    );
}

#[test]
fn an_email_on_two_cards_is_refused() {
    let text = "BEGIN:VCARD\nFN:A B\nEMAIL:a@x.io\nEND:VCARD\nBEGIN:VCARD\nFN:C D\nEMAIL:A@X.io\nEND:VCARD\n";
    assert_eq!(
        problems(text),
        ["card 2 (line 5), EMAIL: A@X.io is also on card 1"]
    );
}

#[test]
fn whole_file_refusals() {
    assert_eq!(read(b""), Err(ReadError::NoCards));
    assert_eq!(
        read(b"hello"),
        Err(ReadError::Invalid(
            vec!["line 1: not a property: no colon".into()]
        ))
    );
    let big = vec![b'a'; MAX_BYTES + 1];
    assert_eq!(read(&big), Err(ReadError::TooLarge(MAX_BYTES + 1)));
    let mut many = String::new();
    for i in 0..250 {
        many.push_str(&format!("BEGIN:VCARD\nFN:P {i}\nEMAIL:bad {i}\nEND:VCARD\n"));
    }
    let p = problems(&many);
    assert_eq!(p.len(), MAX_PROBLEMS + 1);
    assert_eq!(p[MAX_PROBLEMS], "… and 50 more problems");
}

#[test]
fn a_file_that_is_not_utf8_is_read_as_windows_1252_and_said_so() {
    let f = read(b"BEGIN:VCARD\nN:Dupr\xe9;Ren\xe9\nEND:VCARD\n").unwrap();
    assert_eq!(f.cards[0].last_name, "Dupré");
    assert!(f.left_out[0].contains("not UTF-8"), "{:?}", f.left_out);
}

#[test]
fn hostile_inputs_end_quickly_without_panicking() {
    // A million continuation lines; a million parameters; an endless quote;
    // a quoted-printable value that keeps asking for the next line.
    let folded = format!("BEGIN:VCARD\nNOTE:x\n{}END:VCARD\n", " y\n".repeat(1_000_000));
    assert!(read(folded.as_bytes()).is_err(), "no name");
    let params = format!("BEGIN:VCARD\nFN;{}:x\nEND:VCARD\n", "A=b;".repeat(1_000_000));
    assert!(read(params.as_bytes()).is_err(), "more than 100 parameters");
    let props = format!("BEGIN:VCARD\nFN:x y\n{}END:VCARD\n", "X-A:b\n".repeat(1_000_000));
    assert!(read(props.as_bytes()).is_err(), "more than 10,000 properties");
    let quote = format!("BEGIN:VCARD\nFN;X=\"{}\nEND:VCARD\n", "a".repeat(1_000_000));
    assert!(read(quote.as_bytes()).is_err());
    let soft = format!(
        "BEGIN:VCARD\nFN:A\nNOTE;QUOTED-PRINTABLE:{}",
        "=\n".repeat(1_000_000)
    );
    assert!(read(soft.as_bytes()).is_err(), "never ended");
    let cards = "BEGIN:VCARD\n".repeat(200_000);
    assert!(read(cards.as_bytes()).is_err());
}

#[test]
fn a_quoted_label_never_starts_a_soft_line_break() {
    let text = "BEGIN:VCARD\nFN:A B\nX-CLIENTBOOK-FIELD;X-LABEL=\"x;QUOTED-PRINTABLE\":1=\nEND:VCARD\n";
    let f = read(text.as_bytes()).unwrap();
    assert_eq!(
        f.cards[0].fields,
        [("x;QUOTED-PRINTABLE".to_owned(), "1=".to_owned())]
    );
}

fn field(ids: &mut SeededIds, label: &str) -> FieldDef {
    FieldDef {
        id: ids.id(),
        target: FieldTarget::Contact,
        label: label.into(),
        kind: FieldKind::Text,
    }
}

fn kate(ids: &mut SeededIds, catalog: &Catalog) -> Contact {
    let mut c = Contact {
        id: ids.contact_id(),
        first_name: "Kate; \"K\"".into(),
        middle_name: String::new(),
        last_name: "Smith, Jr\\".into(),
        emails: vec![
            Email::parse("Kate@Example.com").unwrap(),
            Email::parse("k@x.io").unwrap(),
        ],
        phones: vec!["+40 721 234 567".into()],
        address: Address {
            street: "Str. Lungă 5, ap. 2".into(),
            city: "Brașov".into(),
            ..Default::default()
        },
        date_of_birth: "1980-02-29".into(),
        tags: catalog.tags.iter().map(|t| t.id.clone()).collect(),
        custom: Default::default(),
        created_at: Timestamp(1),
        updated_at: Timestamp(1_795_305_600_000),
    };
    for f in &catalog.fields {
        c.custom
            .insert(f.id.clone(), format!("{} value; with, commas", f.label));
    }
    c
}

fn sample_catalog(ids: &mut SeededIds) -> Catalog {
    Catalog::from_items([
        CatalogItem::Tag(Tag {
            id: ids.id(),
            name: "VIP, gold".into(),
            color: "blue".into(),
        }),
        CatalogItem::Field(field(ids, "Company")),
        CatalogItem::Field(field(ids, "Note")),
        CatalogItem::Field(field(ids, "Tax \"ID\" ^ no")),
    ])
}

#[test]
fn writes_vcard_4_folded_and_escaped() {
    let mut ids = SeededIds::new(1);
    let catalog = sample_catalog(&mut ids);
    let mut c = kate(&mut ids, &catalog);
    c.custom.insert(catalog.fields[1].id.clone(), "ü".repeat(100));
    let text = write_contact(&c, &catalog);
    assert!(
        text.starts_with("BEGIN:VCARD\r\nVERSION:4.0\r\nUID:urn:uuid:"),
        "{text}"
    );
    assert!(text.ends_with("REV:20261122T000000Z\r\nEND:VCARD\r\n"), "{text}");
    for l in text.split("\r\n") {
        assert!(l.len() <= 75, "{l:?} is {} octets", l.len());
    }
    assert!(
        text.contains("\r\nN:Smith\\, Jr\\\\;Kate\\; \"K\";;;\r\n"),
        "{text}"
    );
    assert!(
        text.contains("\r\nEMAIL;PREF=1:Kate@Example.com\r\nEMAIL:k@x.io\r\n"),
        "{text}"
    );
    assert!(
        text.contains("\r\nTEL;VALUE=text;PREF=1:+40 721 234 567\r\n"),
        "{text}"
    );
    assert!(
        text.contains("\r\nADR:;;Str. Lungă 5\\, ap. 2;Brașov;;;\r\n"),
        "{text}"
    );
    assert!(text.contains("\r\nBDAY:19800229\r\n"), "{text}");
    assert!(text.contains("\r\nCATEGORIES:VIP\\, gold\r\n"), "{text}");
    assert!(
        text.contains("X-CLIENTBOOK-FIELD;X-LABEL=\"Tax ^'ID^' ^^ no\":Tax"),
        "{text}"
    );
    // Read back: the same values.
    let back = read(text.as_bytes()).unwrap();
    let card = &back.cards[0];
    assert_eq!(card.uid.as_ref(), Some(&c.id));
    assert_eq!(
        (card.first_name.as_str(), card.last_name.as_str()),
        ("Kate; \"K\"", "Smith, Jr\\")
    );
    assert_eq!(card.categories, ["VIP, gold"]);
    assert!(card.fields.contains(&("Note".to_owned(), "ü".repeat(100))));
    assert!(card.fields.contains(&(
        "Tax \"ID\" ^ no".to_owned(),
        "Tax \"ID\" ^ no value; with, commas".to_owned()
    )));
    assert!(back.left_out.is_empty(), "{:?}", back.left_out);
}

#[test]
fn file_names_are_safe() {
    let mut ids = SeededIds::new(2);
    let mut c = kate(&mut ids, &Catalog::default());
    c.first_name = "A/B: C?".into();
    c.last_name = "D*".into();
    assert_eq!(write::file_name(&c), "A_B_ C_ D_.vcf");
    c.first_name = "..".into();
    c.last_name = String::new();
    assert_eq!(write::file_name(&c), "contact.vcf");
}

fn stored_with(contacts: Vec<Contact>, catalog: Vec<CatalogItem>, links: Vec<Link>) -> Contents {
    Contents {
        catalog,
        contacts,
        links,
        ..Default::default()
    }
}

fn card_text(body: &str) -> VcardFile {
    read(format!("BEGIN:VCARD\nVERSION:4.0\n{body}\nEND:VCARD\n").as_bytes()).unwrap()
}

#[test]
fn a_card_with_a_known_email_updates_that_contact() {
    let mut ids = SeededIds::new(3);
    let catalog = sample_catalog(&mut ids);
    let here = kate(&mut ids, &catalog);
    let account = ids.account_id();
    let link = Link {
        account_id: account,
        contact_id: here.id.clone(),
        description: "Owner".into(),
        signer_priority: None,
        email_access: here
            .email_keys()
            .into_iter()
            .map(|e| EmailAccess::new(e, true, true, false))
            .collect(),
    };
    let items: Vec<CatalogItem> = catalog
        .tags
        .iter()
        .cloned()
        .map(CatalogItem::Tag)
        .chain(catalog.fields.iter().cloned().map(CatalogItem::Field))
        .collect();
    let stored = stored_with(vec![here.clone()], items, vec![link.clone()]);
    // Only adds: a new email, a phone (not the same number written
    // differently), a tag. No choice needed.
    let f = card_text("FN:Someone Else\nN:Smith\\, Jr\\\\;Kate\\; \"K\";;;\nEMAIL:KATE@example.com\nEMAIL:new@x.io\nTEL:0721 234 567\nTEL:555 0101\nCATEGORIES:New tag");
    let (p, w) = plan(
        &stored,
        &HashMap::new(),
        &f,
        OnMatch::KeepMine,
        &mut ids,
        Timestamp(50),
    );
    assert_eq!((p.contacts.updated, p.contacts.created), (1, 0), "{p:?}");
    assert!(p.same_id.is_empty(), "{p:?}");
    let after = &w.update.contacts[0];
    assert_eq!(after.id, here.id);
    assert_eq!(after.email_keys(), ["kate@example.com", "k@x.io", "new@x.io"]);
    assert_eq!(after.phones, ["+40 721 234 567", "555 0101"]);
    assert_eq!(after.tags.len(), 2);
    assert_eq!(after.updated_at, Timestamp(50));
    assert_eq!(w.create.catalog.len(), 1, "the new tag");
    assert_eq!(p.other.created, 1);
    // The link's switches follow the new email (off), the others kept.
    assert_eq!(p.links.updated, 1);
    let synced = &w.update.links[0];
    assert!(synced.access("kate@example.com").is_some_and(|a| a.login));
    assert!(synced.access("new@x.io").is_some_and(|a| !a.login));
    assert_eq!(w.replaced.contacts, vec![here.clone()]);
    assert_eq!(w.replaced.links, vec![link]);
}

#[test]
fn differing_values_follow_the_choice() {
    let mut ids = SeededIds::new(4);
    let here = kate(&mut ids, &Catalog::default());
    let stored = stored_with(vec![here.clone()], vec![], vec![]);
    let f = card_text("N:Smyth;Katherine;;;\nEMAIL:k@x.io\nEMAIL:other@x.io\nBDAY:1981-01-01");
    let (p, w) = plan(
        &stored,
        &HashMap::new(),
        &f,
        OnMatch::KeepMine,
        &mut ids,
        Timestamp(9),
    );
    let same: Vec<String> = p.same_id.iter().map(crate::i18n::names::differs).collect();
    assert_eq!(
        same,
        ["card 1 “Katherine Smyth” and “Kate; \"K\" Smith, Jr\\” here differ in: name, date of birth"]
    );
    assert_eq!(
        (p.contacts.updated, p.contacts.kept),
        (1, 0),
        "the new email is still added"
    );
    assert_eq!(w.update.contacts[0].first_name, here.first_name);
    assert_eq!(w.update.contacts[0].date_of_birth, "1980-02-29");

    let (p, w) = plan(
        &stored,
        &HashMap::new(),
        &f,
        OnMatch::TakeTheirs,
        &mut ids,
        Timestamp(9),
    );
    assert_eq!(p.contacts.updated, 1);
    let after = &w.update.contacts[0];
    assert_eq!(
        (after.first_name.as_str(), after.date_of_birth.as_str()),
        ("Katherine", "1981-01-01")
    );
    assert_eq!(after.email_keys(), ["kate@example.com", "k@x.io", "other@x.io"]);

    let (p, w) = plan(
        &stored,
        &HashMap::new(),
        &f,
        OnMatch::KeepBoth,
        &mut ids,
        Timestamp(9),
    );
    assert_eq!((p.contacts.created, p.contacts.updated), (1, 0));
    let twin = &w.create.contacts[0];
    assert_ne!(twin.id, here.id);
    assert_eq!(twin.email_keys(), ["other@x.io"], "without the email it shares");

    // Only the same values: nothing to do.
    let same = card_text("N:Smith\\, Jr\\\\;Kate\\; \"K\";;;\nEMAIL:k@x.io");
    let (p, _) = plan(
        &stored,
        &HashMap::new(),
        &same,
        OnMatch::KeepMine,
        &mut ids,
        Timestamp(9),
    );
    assert!(p.changes_nothing() && p.contacts.unchanged == 1, "{p:?}");
}

#[test]
fn an_email_of_another_contact_stays_with_it() {
    let mut ids = SeededIds::new(5);
    let mut a = kate(&mut ids, &Catalog::default());
    a.emails = vec![Email::parse("a@x.io").unwrap()];
    let mut b = kate(&mut ids, &Catalog::default());
    b.emails = vec![Email::parse("b@x.io").unwrap()];
    let stored = stored_with(vec![a.clone(), b.clone()], vec![], vec![]);
    let f = card_text("N:Smith\\, Jr\\\\;Kate\\; \"K\";;;\nEMAIL:a@x.io\nEMAIL:b@x.io");
    let (p, w) = plan(
        &stored,
        &HashMap::new(),
        &f,
        OnMatch::KeepMine,
        &mut ids,
        Timestamp(9),
    );
    assert_eq!(p.shared_email.len(), 1, "{p:?}");
    assert_eq!(p.shared_email[0].email, "b@x.io", "{p:?}");
    assert!(p.shared_email[0].in_file.starts_with("card 1"), "{p:?}");
    assert!(p.changes_nothing(), "{p:?}");
    assert!(w.update.contacts.is_empty());
}

#[test]
fn a_uid_names_the_contact_and_new_cards_keep_it() {
    let mut ids = SeededIds::new(6);
    let here = kate(&mut ids, &Catalog::default());
    let stored = stored_with(vec![here.clone()], vec![], vec![]);
    let text = write_contact(&here, &Catalog::default())
        .replace("EMAIL;PREF=1:Kate@Example.com", "EMAIL:kate2@example.com");
    let f = read(text.as_bytes()).unwrap();
    let (p, w) = plan(
        &stored,
        &HashMap::new(),
        &f,
        OnMatch::KeepMine,
        &mut ids,
        Timestamp(9),
    );
    assert_eq!(p.contacts.updated, 1, "{p:?}");
    assert_eq!(w.update.contacts[0].id, here.id);
    let (p, w) = plan(
        &Contents::default(),
        &HashMap::new(),
        &f,
        OnMatch::KeepMine,
        &mut ids,
        Timestamp(9),
    );
    assert_eq!(p.contacts.created, 1);
    assert_eq!(w.create.contacts[0].id, here.id, "the UID becomes the id");
}

#[test]
fn fields_and_tags_are_made_once_and_values_must_fit() {
    let mut ids = SeededIds::new(7);
    let number = FieldDef {
        id: ids.id(),
        target: FieldTarget::Contact,
        label: "Company".into(),
        kind: FieldKind::Number,
    };
    let stored = stored_with(vec![], vec![CatalogItem::Field(number)], vec![]);
    let f = read(
        "BEGIN:VCARD\nFN:A B\nORG:Acme\nTITLE:Boss\nCATEGORIES:x,X\nEND:VCARD\nBEGIN:VCARD\nFN:C D\nTITLE:Clerk\nCATEGORIES:x\nEND:VCARD\n"
            .as_bytes(),
    )
    .unwrap();
    let (p, w) = plan(
        &stored,
        &HashMap::new(),
        &f,
        OnMatch::KeepMine,
        &mut ids,
        Timestamp(9),
    );
    assert_eq!(p.contacts.created, 2);
    assert_eq!(
        w.create.catalog.len(),
        2,
        "Job title and the tag x: {:?}",
        w.create.catalog
    );
    let notes: Vec<String> = p.notes.iter().map(crate::i18n::names::plan_note).collect();
    assert_eq!(
        notes,
        ["card 1 “A B”: “Acme” is not kept (Company must be a number; the field here is Number)."]
    );
}

/// Round trip: contacts written as vCard 4.0 and imported into an empty
/// store come back equal (ids through UID, tags and custom fields by name).
#[cfg(not(target_arch = "wasm32"))]
mod round_trip {
    use super::*;
    use crate::store::memory::MemoryStore;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    fn text(max: usize) -> impl Strategy<Value = String> {
        let ch = prop_oneof![
            8 => any::<char>().prop_filter("no control", |c| !c.is_control()),
            1 => prop::sample::select(vec![',', ';', '\\', ':', '"', '^', '=', '\u{200f}', 'ש', '😀', ' ']),
        ];
        proptest::collection::vec(ch, 1..max)
            .prop_map(|v| v.into_iter().collect::<String>().trim().to_owned())
            .prop_filter("not empty", |s| !s.is_empty())
    }

    fn maybe(max: usize) -> impl Strategy<Value = String> {
        prop_oneof![Just(String::new()), text(max)]
    }

    type Person = (
        String,
        String,
        String,
        Vec<String>,
        [String; 5],
        Option<(u16, u8, u8)>,
        Vec<bool>,
        Vec<String>,
    );

    fn person() -> impl Strategy<Value = Person> {
        (
            text(40),
            maybe(20),
            maybe(40),
            proptest::collection::vec(text(30), 0..3),
            [maybe(50), maybe(20), maybe(20), maybe(10), maybe(20)],
            proptest::option::of((1900u16..2100, 1u8..13, 1u8..29)),
            proptest::collection::vec(any::<bool>(), 3),
            proptest::collection::vec(maybe(200), 4),
        )
    }

    /// What must survive: everything but timestamps; tags and fields by name.
    fn view(c: &Contact, cat: &Catalog) -> (String, Vec<String>, BTreeMap<String, String>) {
        let mut tags: Vec<String> = c
            .tags
            .iter()
            .filter_map(|t| cat.tag(t).map(|t| t.name.clone()))
            .collect();
        tags.sort();
        let custom = c
            .custom
            .iter()
            .filter_map(|(k, v)| cat.field(k).map(|f| (f.label.clone(), v.clone())))
            .collect();
        let plain = format!(
            "{:?}",
            (
                &c.id,
                &c.first_name,
                &c.middle_name,
                &c.last_name,
                c.emails.iter().map(|e| e.as_str()).collect::<Vec<_>>(),
                &c.phones,
                &c.address,
                &c.date_of_birth
            )
        );
        (plain, tags, custom)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        #[test]
        fn export_then_import_into_an_empty_store_gives_equal_contacts(
            people in proptest::collection::vec(person(), 1..4),
            tag_names in proptest::collection::vec(text(40), 3),
            label in text(30),
        ) {
            let mut ids = SeededIds::new(42);
            // Tags and a free field with distinct names (as Settings ensures).
            let mut items = Vec::new();
            let mut seen = Vec::new();
            for name in tag_names.iter().take(3) {
                let key = crate::domain::search::normalize(name);
                if !seen.contains(&key) {
                    seen.push(key);
                    items.push(CatalogItem::Tag(Tag { id: ids.id(), name: name.clone(), color: "blue".into() }));
                }
            }
            let mut labels = vec!["Company".to_owned(), "Job title".to_owned(), "Note".to_owned()];
            let key = crate::domain::search::normalize(&label);
            if !labels.iter().any(|l| crate::domain::search::normalize(l) == key) {
                labels.push(label.clone());
            }
            for l in &labels {
                items.push(CatalogItem::Field(field(&mut ids, l)));
            }
            let catalog = Catalog::from_items(items);
            let mut contacts = Vec::new();
            for (i, (first, middle, last, phones, addr, dob, tag_on, values)) in people.into_iter().enumerate() {
                let mut phones_unique: Vec<String> = Vec::new();
                for p in phones {
                    if !phones_unique.contains(&p) {
                        phones_unique.push(p);
                    }
                }
                let mut c = Contact {
                    id: ids.contact_id(),
                    first_name: first,
                    middle_name: middle,
                    last_name: last,
                    emails: vec![
                        Email::parse(&format!("Person{i}.X@Example.com")).unwrap(),
                        Email::parse(&format!("p{i}+tax@mail.example.ro")).unwrap(),
                    ],
                    phones: phones_unique,
                    address: Address {
                        street: addr[0].clone(),
                        city: addr[1].clone(),
                        state: addr[2].clone(),
                        postal_code: addr[3].clone(),
                        country: addr[4].clone(),
                    },
                    date_of_birth: dob.map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")).unwrap_or_default(),
                    tags: catalog.tags.iter().zip(&tag_on).filter(|(_, on)| **on).map(|(t, _)| t.id.clone()).collect(),
                    custom: Default::default(),
                    created_at: Timestamp(1),
                    updated_at: Timestamp(2),
                };
                for (f, v) in catalog.fields.iter().zip(&values) {
                    if !v.is_empty() {
                        c.custom.insert(f.id.clone(), v.clone());
                    }
                }
                contacts.push(c);
            }
            let file_text = write(&contacts, &catalog);
            let file = read(file_text.as_bytes()).map_err(|e| TestCaseError::fail(format!("{e:?}\n{file_text}")))?;
            prop_assert!(file.left_out.is_empty(), "{:?}", file.left_out);
            let store = MemoryStore::in_memory();
            let plan = pollster::block_on(store.import_vcard(&file, OnMatch::KeepMine, Timestamp(3), &mut ids)).unwrap();
            prop_assert_eq!(plan.contacts.created, contacts.len());
            let back = pollster::block_on(store.contacts()).unwrap();
            let back_catalog = pollster::block_on(store.catalog()).unwrap();
            let mut got: Vec<_> = back.iter().map(|c| view(c, &back_catalog)).collect();
            let mut want: Vec<_> = contacts.iter().map(|c| view(c, &catalog)).collect();
            got.sort();
            want.sort();
            prop_assert_eq!(got, want);
        }

        #[test]
        fn reading_arbitrary_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            let _ = read(&bytes);
        }

        #[test]
        fn reading_vcard_like_text_never_panics(parts in proptest::collection::vec(prop::sample::select(vec![
            "BEGIN:VCARD", "END:VCARD", "VERSION:4.0", "VERSION:2.1", "\r\n", "\n", " ", "\t", "=", "=\r\n",
            "NOTE;ENCODING=QUOTED-PRINTABLE:", "N:", "FN:", ";", ",", ":", "\\", "\"", "EMAIL:", "a@b.io", "TEL:",
            "ADR:", "BDAY:", "--", "19800101", "CATEGORIES:", "X-CLIENTBOOK-FIELD;X-LABEL=\"", "^", "é", "=C3=A9",
            "CHARSET=", "item1.", "PHOTO;ENCODING=b:", "UID:urn:uuid:", "ORG:", "\u{0}",
        ]), 0..60)) {
            let text: String = parts.concat();
            let _ = read(text.as_bytes());
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(10_000))]

        /// The fuzz target of the quality bar: 10,000 cases of short
        /// vCard-ish byte strings.
        #[test]
        fn ten_thousand_small_files_never_panic(bytes in proptest::collection::vec(
            prop_oneof![any::<u8>(), prop::sample::select(b"BEGIN:VCARD\r\n;:=,\\\"QP-".to_vec())], 0..120)) {
            let _ = read(&bytes);
        }
    }
}

/// Found by the fuzz target (`tests/fuzz_readers.rs`): values with a
/// character of several bytes where a `mailto:`, `tel:` or `urn:uuid:`
/// prefix is looked for used to cut it in two and panic.
#[test]
fn several_byte_characters_where_a_prefix_is_looked_for_do_not_panic() {
    let card = "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Zoë\r\nEMAIL:zoe@ex”mple.com\r\nTEL:+4éé\r\nUID:urn:uu”d:1\r\nEND:VCARD\r\n";
    let _ = read(card.as_bytes());
    let ok = "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Zoë\r\nEMAIL:MAILTO:zoe@example.com\r\nEND:VCARD\r\n";
    let f = read(ok.as_bytes()).unwrap();
    assert_eq!(f.cards[0].emails[0].as_str(), "zoe@example.com");
    assert_eq!(uid("urn:uuid:é"), None);
}

#[test]
fn a_paced_plan_pauses_every_few_hundred_cards_and_gives_the_same_plan() {
    use crate::bundle::vcard::import::{plan, plan_paced, OnMatch};
    use crate::domain::ids::SeededIds;
    use crate::domain::Timestamp;
    let mut text = String::new();
    for i in 0..450 {
        text.push_str(&format!(
            "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:P{i} Person\r\nN:Person;P{i};;;\r\nEMAIL:p{i}@example.com\r\nEND:VCARD\r\n"
        ));
    }
    let file = crate::bundle::vcard::read(text.as_bytes()).unwrap();
    let stored = crate::bundle::Contents::default();
    let whole = plan(
        &stored,
        &Default::default(),
        &file,
        OnMatch::KeepMine,
        &mut SeededIds::new(3),
        Timestamp(5),
    );
    let mut pauses = Vec::new();
    let mut ids = SeededIds::new(3);
    let no_photos = HashMap::new();
    let paced = {
        let work = plan_paced(
            &stored,
            &no_photos,
            &file,
            OnMatch::KeepMine,
            &mut ids,
            Timestamp(5),
            |done, total| {
                pauses.push((done, total));
                Some(std::future::ready(()))
            },
        );
        let mut work = std::pin::pin!(work);
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        loop {
            if let std::task::Poll::Ready(out) = std::future::Future::poll(work.as_mut(), &mut cx) {
                break out;
            }
        }
    };
    assert_eq!(paced, whole);
    assert_eq!(whole.0.contacts.created, 450);
    assert_eq!(pauses, [(200, 450), (400, 450)]);
}

// ----- photos ---------------------------------------------------------------

/// A tiny JPEG's first bytes (enough for the type to be told).
fn jpeg_bytes(n: usize) -> Vec<u8> {
    let mut b = vec![0xff, 0xd8, 0xff, 0xe0];
    b.extend((0..n.saturating_sub(4)).map(|i| (i * 7 % 251) as u8));
    b
}

fn base64(bytes: &[u8]) -> String {
    crate::domain::photo::base64_encode(bytes)
}

/// `text` folded as address books do (a space starts each continuation).
fn folded(text: &str, width: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    chars
        .chunks(width)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("\r\n ")
}

#[test]
fn photos_in_2_1_3_0_and_4_0_forms_become_data_urls() {
    let jpeg = jpeg_bytes(300);
    let png = b"\x89PNG\r\n\x1a\n0000IHDR".to_vec();
    let gif = b"GIF89a\x01\x00\x01\x00".to_vec();
    let webp = b"RIFF\x10\x00\x00\x00WEBPVP8 ".to_vec();
    let text = format!(
        "BEGIN:VCARD\r\nVERSION:2.1\r\nN:One;Ann\r\nPHOTO;JPEG;ENCODING=BASE64:{}\r\n\r\nEND:VCARD\r\n\
         BEGIN:VCARD\r\nVERSION:3.0\r\nN:Two;Bea\r\nPHOTO;ENCODING=b;TYPE=PNG:{}\r\nEND:VCARD\r\n\
         BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Cat Three\r\nPHOTO;MEDIATYPE=image/gif:data:image/gif;base64,{}\r\nEND:VCARD\r\n\
         BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Dan Four\r\nPHOTO:data:image/webp;base64\\,{}\r\nEND:VCARD\r\n\
         BEGIN:VCARD\r\nVERSION:3.0\r\nN:Five;Eve\r\nPHOTO;VALUE=uri:data:image/jpeg;base64,{}\r\nEND:VCARD\r\n",
        folded(&base64(&jpeg), 60).replace("\r\n ", "\r\n  "),
        folded(&base64(&png), 20),
        base64(&gif),
        base64(&webp),
        base64(&jpeg),
    );
    let f = read(text.as_bytes()).unwrap();
    let photos: Vec<Option<&str>> = f.cards.iter().map(|c| c.photo.as_deref()).collect();
    let jpeg_url = format!("data:image/jpeg;base64,{}", base64(&jpeg));
    assert_eq!(
        photos,
        [
            Some(jpeg_url.as_str()),
            Some(format!("data:image/png;base64,{}", base64(&png)).as_str()),
            Some(format!("data:image/gif;base64,{}", base64(&gif)).as_str()),
            Some(format!("data:image/webp;base64,{}", base64(&webp)).as_str()),
            Some(jpeg_url.as_str()),
        ]
    );
    assert!(f.left_out.is_empty(), "{:?}", f.left_out);
}

#[test]
fn photos_that_are_links_other_types_too_large_or_extra_are_listed_not_kept() {
    use crate::domain::photo::MAX_PHOTO_BYTES;
    let tiff = base64(b"II*\x00\x08\x00\x00\x00");
    let just_right = base64(&jpeg_bytes(MAX_PHOTO_BYTES));
    let too_big = base64(&jpeg_bytes(MAX_PHOTO_BYTES + 1));
    let text = format!(
        "BEGIN:VCARD\nVERSION:4.0\nFN:A Link\nPHOTO:https://example.com/a.jpg\nEND:VCARD\n\
         BEGIN:VCARD\nVERSION:3.0\nFN:B Link\nPHOTO;VALUE=uri:http://example.com/b.png\nEND:VCARD\n\
         BEGIN:VCARD\nVERSION:3.0\nFN:C Tiff\nPHOTO;ENCODING=b;TYPE=TIFF:{tiff}\nEND:VCARD\n\
         BEGIN:VCARD\nVERSION:4.0\nFN:D Svg\nPHOTO:data:image/svg+xml,%3Csvg%3E\nEND:VCARD\n\
         BEGIN:VCARD\nVERSION:3.0\nFN:E Big\nPHOTO;ENCODING=b;TYPE=JPEG:{too_big}\nEND:VCARD\n\
         BEGIN:VCARD\nVERSION:4.0\nFN:F Two\nPHOTO:data:image/png;base64,iVBORw0KGgo=\n\
         PHOTO;PREF=1:data:image/gif;base64,R0lGODlh\nEND:VCARD\n\
         BEGIN:VCARD\nVERSION:3.0\nFN:G Limit\nPHOTO;ENCODING=b:{just_right}\nPHOTO:\nEND:VCARD\n"
    );
    let f = read(text.as_bytes()).unwrap();
    let kept: Vec<bool> = f.cards.iter().map(|c| c.photo.is_some()).collect();
    assert_eq!(kept, [false, false, false, false, false, true, true]);
    assert_eq!(
        f.cards[5].photo.as_deref(),
        Some("data:image/gif;base64,R0lGODlh"),
        "the preferred one"
    );
    assert_eq!(
        f.left_out,
        [
            "PHOTO: not kept — photos given as a link to elsewhere: only photos inside the file are kept (cards 1, 2)",
            "PHOTO: not kept — photos that are not JPEG, PNG, GIF or WebP images (cards 3, 4)",
            "PHOTO: not kept — photos larger than 1 MB (card 5)",
            "PHOTO: not kept — further photos: a contact has one photo (the preferred or first is kept) (card 6)",
        ]
    );
}

#[test]
fn a_photo_that_is_not_base64_is_a_problem_with_its_place() {
    let p = problems(
        "BEGIN:VCARD\nVERSION:3.0\nFN:Ann Bad\nPHOTO;ENCODING=b;TYPE=JPEG:/9j/\n 4A*Q\nEND:VCARD\n\
         BEGIN:VCARD\nVERSION:4.0\nFN:Bea Cut\nPHOTO:data:image/png;base64,iVBORw0KGgo=A\nEND:VCARD\n",
    );
    assert_eq!(
        p,
        [
            "card 1 (line 4), PHOTO: the photo is not valid base64: '*' at character 7",
            "card 2 (line 10), PHOTO: the photo is not valid base64: it is cut short or has text after its end",
        ]
    );
}

#[test]
fn exported_photos_are_folded_and_come_back_equal() {
    let mut ids = SeededIds::new(21);
    let catalog = sample_catalog(&mut ids);
    let c = kate(&mut ids, &catalog);
    let photo = format!("data:image/jpeg;base64,{}", base64(&jpeg_bytes(5_000)));
    let text = crate::bundle::vcard::write_contact_with(&c, &catalog, Some(&photo));
    assert!(text.contains("\r\nPHOTO:data:image/jpeg;base64,/9j/"), "{text}");
    assert!(text.split("\r\n").all(|l| l.len() <= 75), "folded at 75 octets");
    // A value that is not a photo is never written.
    let not = crate::bundle::vcard::write_contact_with(&c, &catalog, Some("https://example.com/x.jpg"));
    assert!(!not.contains("PHOTO"));

    // import → export → import: the same contact and photo.
    let first = read(text.as_bytes()).unwrap();
    assert_eq!(first.cards[0].photo.as_deref(), Some(photo.as_str()));
    let (p, w) = plan(
        &Contents::default(),
        &HashMap::new(),
        &first,
        OnMatch::KeepMine,
        &mut ids,
        Timestamp(3),
    );
    assert_eq!(p.photos.created, 1);
    let imported = w.create.contacts[0].clone().into_owned();
    assert_eq!(w.photos.len(), 1);
    assert_eq!(
        (&w.photos[0].contact_id, w.photos[0].data.as_str()),
        (&imported.id, photo.as_str())
    );
    let made: Vec<CatalogItem> = w.create.catalog.iter().map(|c| c.clone().into_owned()).collect();
    let again = crate::bundle::vcard::write_with(
        std::slice::from_ref(&imported),
        &Catalog::from_items(made),
        &HashMap::from([(imported.id.clone(), w.photos[0].data.clone())]),
    );
    let second = read(again.as_bytes()).unwrap();
    assert_eq!(second.cards, first.cards);
}

#[test]
fn a_card_photo_fills_an_empty_one_and_follows_the_choice_where_both_differ() {
    let mut ids = SeededIds::new(22);
    let here = kate(&mut ids, &Catalog::default());
    let stored = stored_with(vec![here.clone()], vec![], vec![]);
    let png = "data:image/png;base64,iVBORw0KGgo=";
    let gif = "data:image/gif;base64,R0lGODlh";
    let f = card_text(&format!(
        "N:Smith\\, Jr\\\\;Kate\\; \"K\";;;\nEMAIL:k@x.io\nPHOTO:{png}"
    ));
    assert_eq!(
        super::import::photo_candidates(&stored, &f),
        std::slice::from_ref(&here.id)
    );
    assert!(super::import::photo_candidates(&stored, &card_text("FN:No Photo\nEMAIL:k@x.io")).is_empty());

    // No photo here: the card's is added (the contact itself unchanged).
    let (p, w) = plan(
        &stored,
        &HashMap::new(),
        &f,
        OnMatch::KeepMine,
        &mut ids,
        Timestamp(9),
    );
    assert_eq!((p.photos.created, p.contacts.unchanged), (1, 1), "{p:?}");
    assert!(!p.changes_nothing() && p.same_id.is_empty());
    assert_eq!(w.photos[0].contact_id, here.id);
    assert!(w.replaced_photos.is_empty());

    // The same photo here: nothing to do.
    let same = HashMap::from([(here.id.clone(), png.to_owned())]);
    let (p, w) = plan(&stored, &same, &f, OnMatch::TakeTheirs, &mut ids, Timestamp(9));
    assert!(p.changes_nothing() && p.photos.unchanged == 1, "{p:?}");
    assert!(w.photos.is_empty());

    // Another photo here: listed as a difference, and the choice decides.
    let other = HashMap::from([(here.id.clone(), gif.to_owned())]);
    let (p, w) = plan(&stored, &other, &f, OnMatch::KeepMine, &mut ids, Timestamp(9));
    let same_id: Vec<String> = p.same_id.iter().map(crate::i18n::names::differs).collect();
    assert_eq!(
        same_id,
        ["card 1 “Kate; \"K\" Smith, Jr\\” and “Kate; \"K\" Smith, Jr\\” here differ in: photo"]
    );
    assert_eq!((p.photos.kept, p.contacts.kept, p.contacts.unchanged), (1, 0, 1));
    assert!(p.changes_nothing() && w.photos.is_empty());

    let (p, w) = plan(&stored, &other, &f, OnMatch::TakeTheirs, &mut ids, Timestamp(9));
    assert_eq!(p.photos.updated, 1);
    assert_eq!(w.photos[0].data, png);
    assert_eq!(w.replaced_photos[0].data, gif, "kept for undo");

    let (p, w) = plan(&stored, &other, &f, OnMatch::KeepBoth, &mut ids, Timestamp(9));
    assert_eq!((p.contacts.created, p.photos.created), (1, 1));
    assert_eq!(w.photos.len(), 1);
    assert_eq!(
        w.photos[0].contact_id, w.create.contacts[0].id,
        "the new contact gets it"
    );
    assert!(w.replaced_photos.is_empty());
}
