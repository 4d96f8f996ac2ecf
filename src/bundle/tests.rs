use super::fixtures::sample;
use super::*;
use crate::domain::EmailAccess;
use serde_json::Value;

fn meta() -> Meta {
    Meta {
        exported_at: Timestamp(1_795_305_600_000),
        app_version: "0.1.0".into(),
    }
}

/// The problems of a refused file, as the practitioner reads them in English.
fn problems(text: &str) -> Vec<String> {
    crate::i18n::set_lang(crate::i18n::Lang::En);
    match read(text.as_bytes()) {
        Err(e @ ReadError::Invalid { .. }) => e.problems().iter().map(crate::error::located).collect(),
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
    v["contacts"][0]["address"]["city"] = true.into();
    v["catalog"]["tags"][0].as_object_mut().unwrap().remove("color");
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
            .any(|l| l.starts_with("accounts[2].colour: unknown field `colour`")),
        "{p:?}"
    );
    assert!(
        p.iter()
            .any(|l| l.starts_with("links[0].description: invalid type: integer `5`, expected a string")),
        "{p:?}"
    );
    assert!(
        p.iter()
            .any(|l| l.starts_with("contacts[0].address.city: invalid type: boolean")),
        "{p:?}"
    );
    assert!(
        p.iter()
            .any(|l| l.starts_with("catalog.tags[0]: missing field `color`")),
        "{p:?}"
    );
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
    crate::i18n::set_lang(crate::i18n::Lang::En);
    let text = crate::error::read_error_text(&e);
    assert!(text.contains("made by a newer Clientbook"), "{text}");
    let bomb = "[".repeat(100_000);
    assert_eq!(read(bomb.as_bytes()), Err(ReadError::TooDeep));
    let deep_in_string = format!("{{\"format\": \"{}\"}}", "[".repeat(100));
    assert_eq!(read(deep_in_string.as_bytes()), Err(ReadError::NotABundle));
    let big = vec![b' '; MAX_BYTES + 1];
    assert_eq!(read(&big), Err(ReadError::TooLarge(MAX_BYTES + 1)));
    let syntax = crate::bundle::read::Syntax {
        expected: crate::bundle::read::Expected::RestOfObject,
        found: crate::bundle::read::Found::EndOfFile,
        line: 1,
        column: 12,
    };
    assert_eq!(read(b"{\"format\": "), Err(ReadError::Syntax(syntax)));
    assert_eq!(read(b"[1, 2]"), Err(ReadError::NotABundle));
}

#[test]
fn problem_list_is_capped() {
    let c = sample(300, 7);
    let mut v: Value = serde_json::from_str(&write(&c, &meta())).unwrap();
    for i in 0..300 {
        v["contacts"][i]["emails"][0] = "x".into();
    }
    let e = read(v.to_string().as_bytes()).unwrap_err();
    assert_eq!(e.problems().len(), MAX_PROBLEMS);
    assert_eq!(e.problem_count(), 300);
    crate::i18n::set_lang(crate::i18n::Lang::En);
    assert_eq!(
        crate::error::more_problems(&e).as_deref(),
        Some("… and 100 more problems")
    );
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

    /// Cases: 256 by default; `make test` runs more (`CLIENTBOOK_ROUNDTRIP_CASES`).
    fn cases() -> u32 {
        std::env::var("CLIENTBOOK_ROUNDTRIP_CASES")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(256)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]
        #[test]
        fn export_import_export_is_byte_identical(
            names in proptest::collection::vec((name(), name(), name(), note()), 1..6),
            texts in proptest::collection::vec(name(), 3),
            seed in any::<u64>(),
        ) {
            let mut c = sample(names.len(), seed);
            for (i, (account, first, last, text)) in names.into_iter().enumerate() {
                c.accounts[i].name = account;
                c.contacts[i].first_name = first;
                c.contacts[i].last_name = last;
                c.notes[i].text = text;
            }
            c.accounts[0].address.city = texts[0].clone();
            c.links[0].description = texts[1].clone();
            c.history[0].by = texts[2].clone();
            let text = write(&c, &meta());
            let (read_back, m) = read(text.as_bytes()).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
            let store = MemoryStore::in_memory();
            pollster::block_on(store.import(&read_back, Default::default(), Timestamp(1)))
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            let again = pollster::block_on(store.export()).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(write(&again, &m), text);
        }

    }
}

/// A small JSON Schema checker: the keywords `docs/bundle.schema.json`
/// uses (a full validator crate would add dozens of dependencies). Any
/// other keyword fails the test, so the schema cannot silently outgrow it.
mod schema {
    use serde_json::Value;

    const SCHEMA: &str = include_str!("../../docs/bundle.schema.json");

    fn check(root: &Value, s: &Value, v: &Value, path: &str, out: &mut Vec<String>) {
        let Some(s) = s.as_object() else {
            panic!("schema at {path} is not an object");
        };
        for (k, rule) in s {
            match k.as_str() {
                "$schema" | "$id" | "title" | "description" | "$defs" => {}
                "$ref" => {
                    let name = rule.as_str().and_then(|r| r.strip_prefix("#/$defs/")).unwrap();
                    check(root, &root["$defs"][name], v, path, out);
                }
                "type" => {
                    let ok = match rule.as_str().unwrap() {
                        "object" => v.is_object(),
                        "array" => v.is_array(),
                        "string" => v.is_string(),
                        "integer" => v.is_i64() || v.is_u64(),
                        "boolean" => v.is_boolean(),
                        "null" => v.is_null(),
                        t => panic!("type {t}"),
                    };
                    if !ok {
                        out.push(format!("{path}: not {rule}"));
                    }
                }
                "const" if v != rule => out.push(format!("{path}: not {rule}")),
                "enum" if !rule.as_array().unwrap().contains(v) => {
                    out.push(format!("{path}: {v} not in enum"))
                }
                "const" | "enum" => {}
                "pattern" => {
                    assert_eq!(rule, "^[0-9a-f]{32}$", "only the id pattern is supported");
                    if !v.as_str().is_some_and(crate::domain::ids::is_id) {
                        out.push(format!("{path}: not an id"));
                    }
                }
                "minimum" if v.as_f64() < rule.as_f64() => out.push(format!("{path}: below minimum")),
                "minimum" => {}
                "required" => {
                    for r in rule.as_array().unwrap() {
                        if v.get(r.as_str().unwrap()).is_none() {
                            out.push(format!("{path}: missing {r}"));
                        }
                    }
                }
                "properties" => {
                    for (name, sub) in rule.as_object().unwrap() {
                        if let Some(x) = v.get(name) {
                            check(root, sub, x, &format!("{path}.{name}"), out);
                        }
                    }
                }
                "additionalProperties" => {
                    let known = s.get("properties").and_then(Value::as_object);
                    for (name, x) in v.as_object().into_iter().flatten() {
                        if known.is_some_and(|p| p.contains_key(name)) {
                            continue;
                        }
                        match rule {
                            Value::Bool(false) => out.push(format!("{path}: unexpected {name}")),
                            Value::Bool(true) => {}
                            sub => check(root, sub, x, &format!("{path}.{name}"), out),
                        }
                    }
                }
                "items" => {
                    for (i, x) in v.as_array().into_iter().flatten().enumerate() {
                        check(root, rule, x, &format!("{path}[{i}]"), out);
                    }
                }
                "oneOf" => {
                    let passing = rule
                        .as_array()
                        .unwrap()
                        .iter()
                        .filter(|sub| {
                            let mut e = Vec::new();
                            check(root, sub, v, path, &mut e);
                            e.is_empty()
                        })
                        .count();
                    if passing != 1 {
                        out.push(format!("{path}: matches {passing} of oneOf"));
                    }
                }
                other => panic!("unsupported schema keyword {other}"),
            }
        }
    }

    fn problems(v: &Value) -> Vec<String> {
        let root: Value = serde_json::from_str(SCHEMA).unwrap();
        let mut out = Vec::new();
        check(&root, &root, v, "$", &mut out);
        out
    }

    #[test]
    fn real_exports_follow_the_published_schema() {
        let mut c = super::sample(3, 21);
        c.catalog.push(crate::domain::catalog::CatalogItem::Template(
            crate::domain::catalog::FolderTemplate {
                id: crate::domain::ids::TemplateId::from_random([5; 16]),
                name: "Tax".into(),
                folders: vec!["2025".into()],
            },
        ));
        c.accounts[0].folder_template = Some(crate::domain::ids::TemplateId::from_random([5; 16]));
        let text = super::write(&c, &super::meta());
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(problems(&v), Vec::<String>::new());
        // And the checker does catch what the schema forbids.
        let mut bad = v.clone();
        bad["accounts"][0]["colour"] = "red".into();
        bad["contacts"][1]["id"] = "XYZ".into();
        assert_eq!(
            problems(&bad),
            ["$.accounts[0]: unexpected colour", "$.contacts[1].id: not an id"]
        );
    }

    #[test]
    fn the_documented_example_is_a_valid_bundle() {
        let doc = include_str!("../../docs/bundle-format.md");
        let start = doc.find("```json\n").unwrap() + 8;
        let end = start + doc[start..].find("```").unwrap();
        let example = &doc[start..end];
        let v: Value = serde_json::from_str(example).unwrap();
        assert_eq!(problems(&v), Vec::<String>::new());
        assert!(
            super::read(example.as_bytes()).is_ok(),
            "{:?}",
            super::read(example.as_bytes())
        );
    }
}

/// The demo generator's practices are valid bundles at every size: they
/// write, read back equal (nothing refused) and rewrite identically.
#[test]
fn demo_practices_pass_the_bundle_validator() {
    use crate::domain::demo::{generate, DemoSize};
    for (seed, size) in [
        (1, DemoSize::for_contacts(0)),
        (2, DemoSize::for_contacts(1)),
        (
            3,
            DemoSize {
                accounts: 1,
                contacts: 1,
            },
        ),
        (4, DemoSize::PRACTICE),
        (5, DemoSize::for_contacts(10_000)),
    ] {
        let mut contents = Contents::from(generate(seed, size, Timestamp(1_795_305_600_000)));
        contents.sort();
        let text = write(&contents, &meta());
        let (back, _) = match read(text.as_bytes()) {
            Ok(r) => r,
            Err(e) => panic!(
                "{size:?}: {e} {:?}",
                e.problems().iter().take(5).collect::<Vec<_>>()
            ),
        };
        assert_eq!(back, contents, "{size:?}");
        assert_eq!(write(&back, &meta()), text);
        assert_eq!(
            back.accounts.len(),
            size.accounts.min(size.contacts * size.accounts)
        );
    }
}
