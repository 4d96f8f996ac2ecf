//! The interface language in the browser: the practitioner's choice (kept
//! in `localStorage`, per device like the data), else the first of the
//! browser's preferred languages that Clientbook has, else English. The
//! texts themselves are in `crate::i18n`.

use crate::i18n::{self, Lang};
use leptos::prelude::*;

/// Where the choice is kept; absent means "as the browser".
const STORAGE_KEY: &str = "clientbook-language";

/// The language, and whether it was chosen or follows the browser.
#[derive(Clone, Copy)]
pub struct Language {
    /// The language the interface is in now.
    pub current: RwSignal<Lang>,
    /// The practitioner's choice; `None`: follow the browser.
    pub chosen: RwSignal<Option<Lang>>,
}

impl Language {
    /// Reads the stored choice and the browser's languages, and applies
    /// the result before anything renders.
    pub fn start() -> Self {
        let chosen = stored_choice();
        let lang = chosen.unwrap_or_else(browser_language);
        apply(lang);
        Self {
            current: RwSignal::new(lang),
            chosen: RwSignal::new(chosen),
        }
    }

    /// Chooses a language (`None`: the browser's), keeps the choice and
    /// switches the interface at once.
    pub fn choose(&self, choice: Option<Lang>) {
        if let Some(storage) = local_storage() {
            let _ = match choice {
                Some(l) => storage.set_item(STORAGE_KEY, l.code()),
                None => storage.remove_item(STORAGE_KEY),
            };
        }
        let lang = choice.unwrap_or_else(browser_language);
        apply(lang);
        self.chosen.set(choice);
        self.current.set(lang);
    }
}

/// The first of the browser's preferred languages that Clientbook has.
pub fn browser_language() -> Lang {
    let Some(navigator) = web_sys::window().map(|w| w.navigator()) else {
        return Lang::default();
    };
    let mut preferred: Vec<String> = navigator
        .languages()
        .iter()
        .filter_map(|v| v.as_string())
        .collect();
    if preferred.is_empty() {
        preferred.extend(navigator.language());
    }
    Lang::from_preferences(&preferred)
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn stored_choice() -> Option<Lang> {
    local_storage()?
        .get_item(STORAGE_KEY)
        .ok()
        .flatten()
        .and_then(|code| Lang::from_code(&code))
}

/// Makes `lang` the language of the texts and of the page (`<html lang>`,
/// which screen readers and the browser's own controls follow).
fn apply(lang: Lang) {
    i18n::set_lang(lang);
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("lang", lang.code());
    }
}
