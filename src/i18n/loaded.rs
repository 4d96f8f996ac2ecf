//! Languages other than English as data files, loaded when chosen.
//!
//! English is compiled into the app; German, Dutch, French and Romanian are
//! files next to it (`i18n/de.txt`, ...; 10-11 KB gzip each), so the
//! practitioner who works in English does not download them with the app,
//! and the service worker still keeps them on the device for offline use
//! (it caches every file of the build). The files are made from the
//! language modules (`de.rs`, ...), which stay the one source of the texts:
//! `make i18n` writes `assets/i18n/*.txt`, and a native test fails when a
//! file differs from what the modules say (so a key missing in a language
//! still does not compile, and a file left behind does not pass the tests).
//!
//! A file is a header line `clientbook-texts <code> <fingerprint> <count>`
//! then one text per line, in the order of `keys.rs` (texts have no line
//! breaks). The fingerprint is [`Key::FINGERPRINT`]: a file made for
//! another list of keys is refused, never read with its texts in the wrong
//! places.

use super::{Key, Lang};
use std::cell::Cell;

/// Why a language file was refused (for the developer console: the
/// interface then stays in the language it was in).
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum CatalogueError {
    #[error("not a Clientbook language file")]
    NotACatalogue,
    #[error("the file is for {found}, not {expected}")]
    OtherLanguage { found: String, expected: &'static str },
    #[error("the file was made for another version of Clientbook (other keys)")]
    OtherKeys,
    #[error("the file has {found} texts, {expected} expected")]
    Count { found: usize, expected: usize },
}

/// Where a language's file is, relative to `index.html`.
pub fn file_path(lang: Lang) -> String {
    format!("i18n/{}.txt", lang.code())
}

/// The texts of `lang` in a file's content, in key order.
pub fn parse(lang: Lang, content: &str) -> Result<Vec<&str>, CatalogueError> {
    let mut lines = content.split('\n');
    let header = lines.next().unwrap_or_default();
    let mut fields = header.split(' ');
    if fields.next() != Some("clientbook-texts") {
        return Err(CatalogueError::NotACatalogue);
    }
    let code = fields.next().unwrap_or_default();
    if code != lang.code() {
        return Err(CatalogueError::OtherLanguage {
            found: code.to_owned(),
            expected: lang.code(),
        });
    }
    if fields.next() != Some(&fingerprint_hex()) {
        return Err(CatalogueError::OtherKeys);
    }
    let texts: Vec<&str> = lines.collect();
    // The file ends with a newline: one empty piece after the last text.
    let texts = match texts.split_last() {
        Some((&"", rest)) => rest.to_vec(),
        _ => texts,
    };
    if texts.len() != Key::COUNT {
        return Err(CatalogueError::Count {
            found: texts.len(),
            expected: Key::COUNT,
        });
    }
    Ok(texts)
}

fn fingerprint_hex() -> String {
    format!("{:016x}", Key::FINGERPRINT)
}

thread_local! {
    static LOADED: [Cell<Option<&'static [&'static str]>>; 5] = const {
        [Cell::new(None), Cell::new(None), Cell::new(None), Cell::new(None), Cell::new(None)]
    };
}

/// Makes the texts of a language file available to [`Lang::text`]. The
/// texts are kept for the life of the page (a language is loaded once).
pub fn install(lang: Lang, content: String) -> Result<(), CatalogueError> {
    let content: &'static str = Box::leak(content.into_boxed_str());
    let texts: &'static [&'static str] = Box::leak(parse(lang, content)?.into_boxed_slice());
    LOADED.with(|l| l[lang as usize].set(Some(texts)));
    Ok(())
}

/// Whether the texts of `lang` are there (English always is; natively, in
/// tests and tools, every language is compiled in).
pub fn is_ready(lang: Lang) -> bool {
    cfg!(not(target_arch = "wasm32")) || lang == Lang::En || LOADED.with(|l| l[lang as usize].get().is_some())
}

/// The text of `key` from the loaded file of `lang`, if loaded.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(super) fn text(lang: Lang, key: Key) -> Option<&'static str> {
    LOADED
        .with(|l| l[lang as usize].get())
        .and_then(|texts| texts.get(key as usize).copied())
}

/// The content of the file of `lang`, made from its module (`make i18n`
/// and the test that the files are current).
#[cfg(not(target_arch = "wasm32"))]
pub fn file_content(lang: Lang, keys: &[Key]) -> String {
    let mut out = format!(
        "clientbook-texts {} {} {}\n",
        lang.code(),
        fingerprint_hex(),
        keys.len()
    );
    for &key in keys {
        out.push_str(lang.text(key));
        out.push('\n');
    }
    out
}
