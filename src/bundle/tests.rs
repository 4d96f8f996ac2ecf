use super::fixtures::sample;
use super::*;
use crate::domain::EmailAccess;

fn meta() -> Meta {
    Meta {
        exported_at: Timestamp(1_795_305_600_000),
        app_version: "0.1.0".into(),
    }
}

fn problems(text: &str) -> Vec<String> {
    match read(text.as_bytes()) {
        Err(ReadError::Invalid(p)) => p,
        other => panic!("expected problems, got {other:?}"),
    }
}

#[test]
fn written_bundle_reads_back_equal_and_rewrites_identically() {
    let c = sample(5, 1);
    let text = write(&c, &meta());
    let (back, m) = read(text.as_bytes()).unwrap();
    assert_eq!(back, c);
    assert_eq!(m, meta());
    assert_eq!(write(&back, &m), text);
    assert!(text.starts_with("{\n  \"format\": \"clientbook-bundle\",\n  \"version\": 1,"));
}

#[test]
fn one_bad_email_among_many_is_reported_with_its_index() {
    let c = sample(50, 2);
    let mut v: Value = serde_json::from_str(&write(&c, &meta())).unwrap();
    v["contacts"][37]["emails"][0] = "not-an-email".into();
    let p = problems(&v.to_string());
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(
        p[0].starts_with("contacts[37].emails[0]: not an email address"),
        "{p:?}"
    );
}

#[test]
fn every_problem_is_listed_with_its_path() {
    let c = sample(3, 3);
    let mut v: Value = serde_json::from_str(&write(&c, &meta())).unwrap();
    v["accounts"][1]["name"] = "A/B".into();
    v["accounts"][2]["colour"] = "red".into();
    v["links"][0]["description"] = 5.into();
    v["surprise"] = true.into();
    let p = problems(&v.to_string());
    assert!(
        p.iter().any(|l| l.starts_with("surprise: unknown field")),
        "{p:?}"
    );
    assert!(
        p.iter()
            .any(|l| l.starts_with("accounts[1].name: Account name cannot contain the character /")),
        "{p:?}"
    );
    assert!(
        p.iter()
            .any(|l| l.starts_with("accounts[2]: unknown field `colour`")),
        "{p:?}"
    );
    assert!(p.iter().any(|l| l.starts_with("links[0]: invalid type")), "{p:?}");
}

#[test]
fn dangling_references_and_contactless_accounts_are_errors() {
    let mut c = sample(3, 4);
    c.links.remove(0);
    let lost = c.contacts[0].id.clone();
    c.links[0].contact_id = lost.clone();
    c.links[0].email_access = vec![EmailAccess::new("nobody@example.com".into(), false, false, false)];
    c.accounts[2]
        .tags
        .push(crate::domain::ids::TagId::from_random([9; 16]));
    c.contacts.remove(0);
    let p = problems(&write(&c, &meta()));
    assert!(
        p.iter()
            .any(|l| l.starts_with("links[0].contact_id: no contact has the id")),
        "{p:?}"
    );
    assert!(
        p.iter().any(|l| l.contains(".tags[1]: no tag has the id")),
        "{p:?}"
    );
    assert!(
        p.iter()
            .any(|l| l.contains("an account needs at least one contact")),
        "{p:?}"
    );
}

#[test]
fn shared_emails_between_contacts_are_errors() {
    let mut c = sample(2, 5);
    c.contacts[1].emails = c.contacts[0].emails.clone();
    c.links.iter_mut().for_each(|l| l.email_access.clear());
    let p = problems(&write(&c, &meta()));
    assert!(
        p.iter().any(|l| l.contains("is also an email of contacts[0]")),
        "{p:?}"
    );
}

#[test]
fn newer_versions_big_files_and_nesting_bombs_are_refused_cleanly() {
    let newer = write(&sample(1, 6), &meta()).replace("\"version\": 1", "\"version\": 2");
    let e = read(newer.as_bytes()).unwrap_err();
    assert!(e.to_string().contains("made by a newer Clientbook"), "{e}");
    let bomb = "[".repeat(100_000);
    assert_eq!(read(bomb.as_bytes()), Err(ReadError::TooDeep));
    let deep_in_string = format!("{{\"format\": \"{}\"}}", "[".repeat(100));
    assert_eq!(read(deep_in_string.as_bytes()), Err(ReadError::NotABundle));
    let big = vec![b' '; MAX_BYTES + 1];
    assert_eq!(read(&big), Err(ReadError::TooLarge(MAX_BYTES + 1)));
    assert!(matches!(read(b"{\"format\": "), Err(ReadError::NotJson(_))));
    assert_eq!(read(b"[1, 2]"), Err(ReadError::NotABundle));
}

#[test]
fn problem_list_is_capped() {
    let c = sample(300, 7);
    let mut v: Value = serde_json::from_str(&write(&c, &meta())).unwrap();
    for i in 0..300 {
        v["contacts"][i]["emails"][0] = "x".into();
    }
    let p = problems(&v.to_string());
    assert_eq!(p.len(), MAX_PROBLEMS + 1);
    assert_eq!(p[MAX_PROBLEMS], "… and 100 more problem(s)");
}

#[cfg(not(target_arch = "wasm32"))]
mod property {
    use super::*;
    use crate::store::memory::MemoryStore;
    use proptest::prelude::*;

    /// Any printable text (RTL, emoji, combining marks), minus what names forbid.
    fn name() -> impl Strategy<Value = String> {
        "[\\PC&&[^:\"/\\\\|?*]]{1,40}".prop_filter("not blank", |s| !s.trim().is_empty())
    }

    fn note() -> impl Strategy<Value = String> {
        prop_oneof!["[\\PC\n]{1,200}", Just("שלום עולם 👋🏽 مرحبا".repeat(500)),]
            .prop_filter("not blank", |s| !s.trim().is_empty())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn export_import_export_is_byte_identical(
            names in proptest::collection::vec((name(), name(), note()), 1..6),
            seed in any::<u64>(),
        ) {
            let mut c = sample(names.len(), seed);
            for (i, (account, first, text)) in names.into_iter().enumerate() {
                c.accounts[i].name = account;
                c.contacts[i].first_name = first;
                c.notes[i].text = text;
            }
            let text = write(&c, &meta());
            let (read_back, m) = read(text.as_bytes()).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
            let store = MemoryStore::in_memory();
            pollster::block_on(store.import(&read_back, Default::default(), Timestamp(1)))
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            let again = pollster::block_on(store.export()).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(write(&again, &m), text);
        }

        #[test]
        fn reading_arbitrary_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let _ = read(&bytes);
        }
    }
}
