//! Language: the interface in English, German, Dutch, French or Romanian,
//! or as the browser prefers. The choice is kept on this device and applies
//! at once (the shell renders anew; see `ui::lang`).

use super::widgets::focus_later;
use crate::domain::Timestamp;
use crate::i18n::{self, t, tf, Key, Lang};
use crate::ui::lang::browser_language;
use crate::ui::services::{now, use_services};
use leptos::prelude::*;

/// The value of the "as the browser" option.
const BROWSER: &str = "browser";

#[component]
pub(super) fn LanguageSection() -> impl IntoView {
    let language = use_services().language;
    let browser = browser_language();
    let chosen = language.chosen.get_untracked();
    let example = tf(
        Key::LanguageFormats,
        &[
            ("date", &i18n::date(Timestamp(now().0))),
            ("number", &i18n::decimal(1234.5, 1)),
        ],
    );
    let on_change = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        leptos::task::spawn_local(async move {
            language.choose(Lang::from_code(&value)).await;
            // The page renders anew in the new language: keep the place.
            focus_later("language-select".to_owned());
        });
    };
    view! {
        <section class="card settings-section" aria-labelledby="settings-language">
            <div class="section-header">
                <h2 id="settings-language" tabindex="-1">
                    {t(Key::LanguageTitle)}
                </h2>
            </div>
            <p class="intro muted">{t(Key::LanguageIntro)}</p>
            <div class="field">
                <label for="language-select">{t(Key::LanguageTitle)}</label>
                <select id="language-select" on:change=on_change>
                    <option value=BROWSER selected=chosen.is_none()>
                        {tf(Key::LanguageBrowser, &[("language", browser.native_name())])}
                    </option>
                    {Lang::ALL
                        .into_iter()
                        .map(|l| {
                            view! {
                                <option value=l.code() lang=l.code() selected=chosen == Some(l)>
                                    {l.native_name()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <p class="muted small" data-testid="locale-example">
                {example}
            </p>
        </section>
    }
}
