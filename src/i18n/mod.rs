//! The one catalogue of interface text, in English, German, Dutch, French
//! and Romanian, and the locale formats of dates and numbers. Pure Rust (no
//! web crate): the UI sets the language, then asks for text by [`Key`].
//!
//! - Every text has a [`Key`] (`keys.rs`); each language is one file
//!   (`en.rs`, `de.rs`, ...) with one exhaustive `match`, so a key missing
//!   in any language does not compile, and the tests below check that the
//!   placeholders and plural forms agree and that every key is used.
//! - Only English is compiled into the app; the other languages reach the
//!   browser as data files made from their modules (`loaded.rs`,
//!   `make i18n`), fetched when the language is chosen.
//! - Placeholders are `{name}`, filled by [`tf`]. A text with a count (`{n}`
//!   in English) has plural forms separated by `|`, in the order of
//!   [`Lang::plural_forms`] (`one|other`; Romanian `one|few|other`), chosen
//!   by [`tn`], which also fills `{n}` with the count formatted for the
//!   language. Other texts may contain `|` freely.
//! - User data (names, tags, field labels) is never translated: it is passed
//!   in through placeholders.
//!
//! The current language is kept here (per thread, so native tests are
//! independent); the UI keeps it in a signal too and renders anew when it
//! changes, so a switch applies at once.

mod format;
mod keys;
pub mod names;

// English is compiled in; the other languages are compiled in natively
// (tests, `make i18n`) and are data files in the browser (`loaded.rs`).
#[cfg(not(target_arch = "wasm32"))]
mod de;
mod en;
#[cfg(not(target_arch = "wasm32"))]
mod fr;
pub mod loaded;
#[cfg(not(target_arch = "wasm32"))]
mod nl;
#[cfg(not(target_arch = "wasm32"))]
mod ro;

pub use format::{bytes, date, date_ymd, decimal, iso_date, number};
pub use keys::Key;

use std::cell::Cell;

/// The languages of the interface.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    En,
    De,
    Nl,
    Fr,
    Ro,
}

impl Lang {
    pub const ALL: [Lang; 5] = [Lang::En, Lang::De, Lang::Nl, Lang::Fr, Lang::Ro];

    /// The BCP 47 code (`<html lang>`, storage).
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::De => "de",
            Lang::Nl => "nl",
            Lang::Fr => "fr",
            Lang::Ro => "ro",
        }
    }

    /// The language's name in itself, as language pickers show it.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::De => "Deutsch",
            Lang::Nl => "Nederlands",
            Lang::Fr => "Français",
            Lang::Ro => "Română",
        }
    }

    /// The language of a code such as `de`, `de-AT` or `pt_BR` (only the
    /// primary subtag counts, in any case); `None` when we do not have it.
    pub fn from_code(code: &str) -> Option<Lang> {
        let primary = code.split(['-', '_']).next().unwrap_or_default();
        Lang::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(primary.trim()))
    }

    /// The first of the browser's preferred languages (in order) that we
    /// have; English when none is.
    pub fn from_preferences<S: AsRef<str>>(preferred: &[S]) -> Lang {
        preferred
            .iter()
            .find_map(|c| Lang::from_code(c.as_ref()))
            .unwrap_or_default()
    }

    /// How many plural forms a text has in this language.
    pub fn plural_forms(self) -> usize {
        match self {
            Lang::Ro => 3,
            _ => 2,
        }
    }

    /// Which plural form a count takes (CLDR rules for whole numbers).
    pub fn plural_index(self, n: u64) -> usize {
        match self {
            Lang::En | Lang::De | Lang::Nl => usize::from(n != 1),
            Lang::Fr => usize::from(n > 1),
            Lang::Ro => match n {
                1 => 0,
                0 => 1,
                _ if (1..=19).contains(&(n % 100)) => 1,
                _ => 2,
            },
        }
    }

    /// The text of `key` in this language (all plural forms, if it has any).
    /// In the browser, a language whose file is not loaded yet
    /// ([`loaded::is_ready`]) gives the English text.
    pub fn text(self, key: Key) -> &'static str {
        match self {
            Lang::En => en::text(key),
            #[cfg(not(target_arch = "wasm32"))]
            Lang::De => de::text(key),
            #[cfg(not(target_arch = "wasm32"))]
            Lang::Nl => nl::text(key),
            #[cfg(not(target_arch = "wasm32"))]
            Lang::Fr => fr::text(key),
            #[cfg(not(target_arch = "wasm32"))]
            Lang::Ro => ro::text(key),
            #[cfg(target_arch = "wasm32")]
            _ => loaded::text(self, key).unwrap_or_else(|| en::text(key)),
        }
    }
}

thread_local! {
    static CURRENT: Cell<Lang> = const { Cell::new(Lang::En) };
}

/// Makes `lang` the language of every text asked for from now on.
pub fn set_lang(lang: Lang) {
    CURRENT.with(|c| c.set(lang));
}

/// The current language.
pub fn lang() -> Lang {
    CURRENT.with(Cell::get)
}

/// The text of `key` in the current language.
pub fn t(key: Key) -> &'static str {
    lang().text(key)
}

/// The text of `key` with its `{name}` placeholders filled in.
pub fn tf(key: Key, args: &[(&str, &str)]) -> String {
    fill(t(key), args)
}

/// The plural form of `key` for `n`, with `{n}` (the count, formatted for
/// the language) and `args` filled in.
pub fn tn(key: Key, n: usize, args: &[(&str, &str)]) -> String {
    let l = lang();
    let count = n as u64;
    let text = l.text(key);
    let form = text
        .split('|')
        .nth(l.plural_index(count))
        .or_else(|| text.split('|').next_back())
        .unwrap_or_default();
    let n_text = format::number_in(l, count as i64);
    let mut all = Vec::with_capacity(args.len() + 1);
    all.push(("n", n_text.as_str()));
    all.extend_from_slice(args);
    fill(form, &all)
}

/// The text of `key` before and after its placeholder `{name}`, for
/// putting something other than text there (a link, bold text).
pub fn around(key: Key, name: &str) -> (&'static str, &'static str) {
    let text = t(key);
    let mark = format!("{{{name}}}");
    match text.find(&mark) {
        Some(at) => (&text[..at], &text[at + mark.len()..]),
        None => (text, ""),
    }
}

/// Replaces each `{name}` of `text` by its value in `args`; unknown names
/// stay as they are.
fn fill(text: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match args.iter().find(|(k, _)| *k == name) {
                    Some((_, v)) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

// Natively only: they read the other languages from their modules.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
