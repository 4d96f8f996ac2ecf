//! The catalogue's own checks. A key missing in a language does not
//! compile (each language is an exhaustive `match`); these catch the rest.

use super::*;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The `{name}` placeholders of a text (over all its plural forms).
fn placeholders(text: &str) -> BTreeSet<&str> {
    let mut out = BTreeSet::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        out.insert(&after[..close]);
        rest = &after[close + 1..];
    }
    out
}

/// A text with plural forms is one with a count: `{n}` in English.
fn is_plural(key: Key) -> bool {
    Lang::En.text(key).contains("{n}")
}

#[test]
fn every_language_has_the_placeholders_of_english() {
    let mut wrong = Vec::new();
    for &key in Key::ALL {
        let english = placeholders(Lang::En.text(key));
        for lang in Lang::ALL {
            let found = placeholders(lang.text(key));
            if found != english {
                wrong.push(format!(
                    "{:?} {}: {found:?}, English has {english:?}",
                    lang,
                    key.name()
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "placeholders differ:\n{}", wrong.join("\n"));
}

#[test]
fn plural_texts_have_the_forms_of_their_language() {
    let mut wrong = Vec::new();
    for &key in Key::ALL.iter().filter(|k| is_plural(**k)) {
        for lang in Lang::ALL {
            let forms = lang.text(key).split('|').count();
            let want = lang.plural_forms();
            if forms != want {
                wrong.push(format!("{lang:?} {}: {forms} forms, needs {want}", key.name()));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn no_text_is_empty_or_padded_unlike_english() {
    let mut wrong = Vec::new();
    for &key in Key::ALL {
        let en = Lang::En.text(key);
        for lang in Lang::ALL {
            let text = lang.text(key);
            let same_edges =
                text.starts_with(' ') == en.starts_with(' ') && text.ends_with(' ') == en.ends_with(' ');
            let empty_form = is_plural(key) && text.split('|').any(|f| f.trim().is_empty());
            if text.trim().is_empty() || !same_edges || empty_form {
                wrong.push(format!("{lang:?} {}: {text:?}", key.name()));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The source of the crate, without the catalogue's own files.
fn sources() -> Vec<(PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let catalogue = root.join("i18n");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    files
        .into_iter()
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            !(p.parent() == Some(&catalogue)
                && ["keys.rs", "en.rs", "de.rs", "nl.rs", "fr.rs", "ro.rs", "tests.rs"].contains(&name))
        })
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap_or_default();
            (p, text)
        })
        .collect()
}

/// Each `Key::Name` in `text`, with the name of the function it is the
/// first argument of (`t`, `tf`, `tn`), if any.
fn uses(text: &str) -> Vec<(&str, Option<&str>)> {
    let mut out = Vec::new();
    for (at, _) in text.match_indices("Key::") {
        let rest = &text[at + 5..];
        let end = rest
            .find(|c: char| !c.is_ascii_alphanumeric() && c != '_')
            .unwrap_or(rest.len());
        let name = &rest[..end];
        let before = text[..at].trim_end();
        let call = before.strip_suffix('(').map(|b| {
            let start = b
                .rfind(|c: char| !c.is_ascii_alphanumeric() && c != '_')
                .map_or(0, |i| i + 1);
            &b[start..]
        });
        out.push((name, call));
    }
    out
}

#[test]
fn every_key_is_used_and_plurals_go_through_tn() {
    let files = sources();
    let mut used = BTreeSet::new();
    let mut wrong = Vec::new();
    for (path, text) in &files {
        for (name, call) in uses(text) {
            used.insert(name.to_owned());
            let Some(key) = Key::ALL.iter().find(|k| k.name() == name) else {
                continue;
            };
            match call {
                Some("tn") if !is_plural(*key) => wrong.push(format!(
                    "{}: tn({name}) but it has no plural forms",
                    path.display()
                )),
                Some("t" | "tf") if is_plural(*key) => wrong.push(format!(
                    "{}: {}({name}) but it has plural forms: use tn",
                    path.display(),
                    call.unwrap_or_default()
                )),
                _ => {}
            }
        }
    }
    let unused: Vec<_> = Key::ALL
        .iter()
        .map(|k| k.name())
        .filter(|n| !used.contains(*n))
        .collect();
    assert!(unused.is_empty(), "keys used nowhere in src/: {unused:?}");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn plural_rules_follow_cldr() {
    let forms = |l: Lang| [0, 1, 2, 5, 19, 20, 21, 101, 102, 120].map(|n| l.plural_index(n));
    assert_eq!(forms(Lang::En), [1, 0, 1, 1, 1, 1, 1, 1, 1, 1]);
    assert_eq!(forms(Lang::De), forms(Lang::En));
    assert_eq!(forms(Lang::Nl), forms(Lang::En));
    // French: 0 and 1 are singular.
    assert_eq!(forms(Lang::Fr), [0, 0, 1, 1, 1, 1, 1, 1, 1, 1]);
    // Romanian: 1 cont, 2–19 conturi (and 0, 101–119), 20 de conturi.
    assert_eq!(forms(Lang::Ro), [1, 0, 1, 1, 1, 2, 2, 1, 1, 2]);
}

#[test]
fn the_browser_language_picks_the_first_one_we_have() {
    assert_eq!(Lang::from_preferences(&["de-DE", "en-US"]), Lang::De);
    assert_eq!(Lang::from_preferences(&["es-ES", "fr-CA", "de"]), Lang::Fr);
    assert_eq!(Lang::from_preferences(&["NL"]), Lang::Nl);
    assert_eq!(Lang::from_preferences(&["ro_RO"]), Lang::Ro);
    assert_eq!(Lang::from_preferences(&["es", "pt-BR"]), Lang::En);
    assert_eq!(Lang::from_preferences::<&str>(&[]), Lang::En);
    for l in Lang::ALL {
        assert_eq!(Lang::from_code(l.code()), Some(l));
    }
}

#[test]
fn texts_follow_the_current_language_and_fill_placeholders() {
    set_lang(Lang::De);
    assert_eq!(t(Key::NavSettings), "Einstellungen");
    assert_eq!(
        tf(Key::NotFoundText, &[("path", "/x")]),
        "Unter „/x“ gibt es keine Seite."
    );
    set_lang(Lang::En);
    assert_eq!(t(Key::NavSettings), "Settings");
    assert_eq!(
        fill("{a} and {b} {c", &[("a", "1"), ("b", "{a}")]),
        "1 and {a} {c"
    );
    assert_eq!(around(Key::ViewingAsName, "name"), ("Viewing as ", ""));
}

/// String literals in `src/ui` that would show as text: a literal alone on
/// its line or between tags (a view's child), or the value of an attribute
/// that people read. Literals without a letter (" · ", "—") are layout.
fn shown_literals(text: &str) -> Vec<String> {
    const READ_ATTRS: [&str; 11] = [
        "label=",
        "aria-label=",
        "title=",
        "placeholder=",
        "alt=",
        "hint=",
        "intro=",
        "add_label=",
        "missing=",
        "missing_link=",
        "heading=",
    ];
    let has_letter = |s: &str| s.chars().any(char::is_alphabetic);
    let mut out = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("//") {
            continue;
        }
        // A child: the whole line is one literal.
        if trimmed.len() >= 2 && trimmed.starts_with('"') && trimmed.ends_with('"') {
            let inner = &trimmed[1..trimmed.len() - 1];
            if !inner.contains('"') && has_letter(inner) {
                out.push(inner.to_owned());
            }
        }
        // Between tags on one line: `>"…"<`, and read attributes: `label="…"`.
        let mut rest = line;
        while let Some(at) = rest.find('"') {
            let before = &rest[..at];
            let after = &rest[at + 1..];
            let Some(end) = after.find('"') else { break };
            let inner = &after[..end];
            let next = after[end + 1..].trim_start();
            let child = before.ends_with('>') && !before.ends_with("=>") && next.starts_with('<');
            let read = READ_ATTRS.iter().any(|a| before.ends_with(a));
            if (child || read) && has_letter(inner) {
                out.push(inner.to_owned());
            }
            rest = &after[end + 1..];
        }
    }
    out
}

#[test]
fn the_interface_shows_no_literal_text() {
    // The product's name, and CSS classes a closure returns on their own line.
    const ALLOWED: [&str; 3] = ["Clientbook", "option active", "option"];
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join("ui");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    assert!(files.len() > 10, "src/ui not found");
    let mut found = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        for literal in shown_literals(&text) {
            if !ALLOWED.contains(&literal.as_str()) {
                found.push(format!("{}: {literal:?}", path.display()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "text shown without the catalogue (use t(Key::…)):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_literal_scan_finds_text() {
    let view = r#"
        <h1>"Settings"</h1>
        <p>
            "Loose text"
        </p>
        <input aria-label="Search" class="x" />
        <span class="sep">" · "</span>
        <a href=x>{t(Key::NavClients)}</a>
        // "a comment"
        Some(x) => "code, not a view",
    "#;
    assert_eq!(shown_literals(view), ["Settings", "Loose text", "Search"]);
}

/// `assets/i18n/<code>.txt`, the file the browser loads for a language.
fn language_file(lang: Lang) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets")
        .join("i18n")
        .join(format!("{}.txt", lang.code()))
}

/// The languages the browser loads as files (English is compiled in).
fn file_languages() -> impl Iterator<Item = Lang> {
    Lang::ALL.into_iter().filter(|l| *l != Lang::En)
}

#[test]
fn language_files_are_made_from_the_modules() {
    // `make i18n` sets this to (re)write the files.
    let write = std::env::var_os("CLIENTBOOK_WRITE_I18N").is_some();
    let mut stale = Vec::new();
    for lang in file_languages() {
        let path = language_file(lang);
        let want = loaded::file_content(lang, Key::ALL);
        if write {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &want).unwrap();
        }
        if std::fs::read_to_string(&path).ok().as_deref() != Some(want.as_str()) {
            stale.push(path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "language files differ from src/i18n/*.rs (run `make i18n`): {stale:?}"
    );
    assert!(
        !language_file(Lang::En).exists(),
        "English is compiled in, not a file"
    );
}

#[test]
fn a_language_file_gives_every_text_of_its_module() {
    for lang in file_languages() {
        let content = loaded::file_content(lang, Key::ALL);
        let texts = loaded::parse(lang, &content).unwrap();
        for &key in Key::ALL {
            assert!(
                !lang.text(key).contains('\n'),
                "{lang:?} {}: a line break",
                key.name()
            );
            assert_eq!(texts[key as usize], lang.text(key), "{lang:?} {}", key.name());
        }
        loaded::install(lang, content).unwrap();
        assert!(loaded::is_ready(lang));
        assert_eq!(
            loaded::text(lang, Key::NavSettings),
            Some(lang.text(Key::NavSettings))
        );
    }
}

#[test]
fn a_language_file_for_other_keys_or_language_is_refused() {
    use loaded::CatalogueError;
    let good = loaded::file_content(Lang::De, Key::ALL);
    assert_eq!(
        loaded::parse(Lang::De, "hello\nworld\n"),
        Err(CatalogueError::NotACatalogue)
    );
    assert!(matches!(
        loaded::parse(Lang::Fr, &good),
        Err(CatalogueError::OtherLanguage { .. })
    ));
    // Another list of keys: another fingerprint.
    let other = good.replacen(&format!("{:016x}", Key::FINGERPRINT), "0000000000000000", 1);
    assert_eq!(loaded::parse(Lang::De, &other), Err(CatalogueError::OtherKeys));
    // A text missing (the fingerprint right, the count wrong).
    let short = good.replacen("\nEinstellungen\n", "\n", 1);
    assert_ne!(short, good);
    assert_eq!(
        loaded::parse(Lang::De, &short),
        Err(CatalogueError::Count {
            found: Key::COUNT - 1,
            expected: Key::COUNT
        })
    );
}
