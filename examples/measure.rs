//! Timings for the report (not a test: timings are never assertions).
//! `cargo run --release --example measure`
//!
//! - duplicate detection over 20,000 contacts with 1,000 planted pairs;
//! - reading, checking and planning the import of a 5,000-card vCard file;
//! - writing those contacts back as vCard 4.0.

use clientbook::bundle::vcard::{self, import::OnMatch};
use clientbook::bundle::Contents;
use clientbook::domain::catalog::Catalog;
use clientbook::domain::duplicates;
use clientbook::domain::ids::{IdSource, SeededIds};
use clientbook::domain::{Contact, Email, Timestamp};
use std::time::Instant;

fn person(ids: &mut SeededIds, i: usize, twin: bool) -> Contact {
    let k = if twin { i % 1_000 } else { i };
    Contact {
        id: ids.contact_id(),
        first_name: format!("First{i}"),
        middle_name: String::new(),
        last_name: format!("Last{i}"),
        emails: Email::parse(&format!("person{i}@example.com"))
            .into_iter()
            .collect(),
        phones: vec![if twin {
            format!("0{}", 700_000_000 + k)
        } else {
            format!("+40 {}", 700_000_000 + k)
        }],
        address: Default::default(),
        date_of_birth: String::new(),
        tags: vec![],
        custom: Default::default(),
        created_at: Timestamp(1),
        updated_at: Timestamp(1),
    }
}

fn main() {
    let mut ids = SeededIds::new(1);
    let contacts: Vec<Contact> = (0..20_000).map(|i| person(&mut ids, i, i >= 19_000)).collect();
    let mut best = f64::MAX;
    let mut groups = 0;
    for _ in 0..5 {
        let t = Instant::now();
        groups = duplicates::find(&contacts, &[]).len();
        best = best.min(t.elapsed().as_secs_f64() * 1000.0);
    }
    println!(
        "duplicates::find over {} contacts: {groups} groups, best of 5: {best:.1} ms",
        contacts.len()
    );

    let mut text = String::new();
    for i in 0..5_000 {
        text.push_str(&format!(
            "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Nume{i};Prenume;;;\r\nFN:Prenume Nume{i}\r\nEMAIL;TYPE=INTERNET:person{i}@example.com\r\nTEL;TYPE=CELL:+40 7{i:08}\r\nADR;TYPE=HOME:;;Strada {i}\\, bl. 3;Cluj-Napoca;;400000;Romania\r\nORG:Example SRL\r\nNOTE;ENCODING=QUOTED-PRINTABLE:Client din 2019=0D=0A=\r\nprima consulta=C8=9Bie\r\nEND:VCARD\r\n"
        ));
    }
    let t = Instant::now();
    let file = match vcard::read(text.as_bytes()) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("{e}");
            return;
        }
    };
    let read_ms = t.elapsed().as_secs_f64() * 1000.0;
    let t = Instant::now();
    let (plan, writes) = vcard::import::plan(
        &Contents::default(),
        &Default::default(),
        &file,
        OnMatch::KeepMine,
        &mut ids,
        Timestamp(1),
    );
    let plan_ms = t.elapsed().as_secs_f64() * 1000.0;
    println!(
        "vCard of 5,000 cards ({} bytes): read and checked in {read_ms:.1} ms, import planned in {plan_ms:.1} ms ({} contacts to create)",
        text.len(),
        plan.contacts.created
    );
    let created: Vec<_> = writes
        .create
        .contacts
        .into_iter()
        .map(|c| c.into_owned())
        .collect();
    let t = Instant::now();
    let out = vcard::write(&created, &Catalog::default());
    println!(
        "vCard 4.0 of 5,000 contacts written in {:.1} ms ({} bytes)",
        t.elapsed().as_secs_f64() * 1000.0,
        out.len()
    );
}
