//! The interface language in the browser: the practitioner's choice (kept
//! in `localStorage`, per device like the data), else the first of the
//! browser's preferred languages that Clientbook has, else English. The
//! texts themselves are in `crate::i18n`; languages other than English are
//! files fetched (from the service worker's cache once installed) before
//! the interface switches to them.

use crate::i18n::{self, loaded, Lang};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

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

/// Loads the texts of the language the interface will start in, so that
/// it renders in that language from the first frame (`main` awaits this
/// before mounting the app).
pub async fn prepare() {
    load(stored_choice().unwrap_or_else(browser_language)).await;
}

impl Language {
    /// Reads the stored choice and the browser's languages, and applies
    /// the result before anything renders (English if that language's
    /// texts could not be loaded: see [`prepare`]).
    pub fn start() -> Self {
        let chosen = stored_choice();
        let wanted = chosen.unwrap_or_else(browser_language);
        let lang = if loaded::is_ready(wanted) {
            wanted
        } else {
            Lang::En
        };
        apply(lang);
        Self {
            current: RwSignal::new(lang),
            chosen: RwSignal::new(chosen),
        }
    }

    /// Chooses a language (`None`: the browser's): loads its texts, keeps
    /// the choice and switches the interface. If the texts cannot be
    /// loaded, nothing changes (and it says why in the console).
    pub async fn choose(self, choice: Option<Lang>) {
        let lang = choice.unwrap_or_else(browser_language);
        if !load(lang).await {
            return;
        }
        if let Some(storage) = local_storage() {
            let _ = match choice {
                Some(l) => storage.set_item(STORAGE_KEY, l.code()),
                None => storage.remove_item(STORAGE_KEY),
            };
        }
        apply(lang);
        self.chosen.set(choice);
        self.current.set(lang);
    }
}

/// Fetches and installs the texts of `lang` unless they are there;
/// whether they are there now.
async fn load(lang: Lang) -> bool {
    if loaded::is_ready(lang) {
        return true;
    }
    let path = loaded::file_path(lang);
    let result = match fetch_text(&path).await {
        Ok(content) => loaded::install(lang, content).map_err(|e| e.to_string()),
        Err(e) => Err(e.as_string().unwrap_or_else(|| format!("{e:?}"))),
    };
    match result {
        Ok(()) => true,
        Err(why) => {
            leptos::logging::warn!(
                "Clientbook: the texts of {} ({path}) were not loaded: {why}",
                lang.code()
            );
            false
        }
    }
}

/// The text of a file of the app (relative to `index.html`).
async fn fetch_text(path: &str) -> Result<String, wasm_bindgen::JsValue> {
    let window = web_sys::window().ok_or("no window")?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(path)).await?.dyn_into()?;
    if !response.ok() {
        return Err(format!("HTTP {}", response.status()).into());
    }
    JsFuture::from(response.text()?)
        .await?
        .as_string()
        .ok_or_else(|| "not text".into())
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
