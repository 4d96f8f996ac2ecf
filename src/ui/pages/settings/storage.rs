//! Storage: whether the browser keeps Clientbook's data persistently, and
//! how much space it uses. Clientbook asks at the first save of a session
//! (`Services::changed`); here the practitioner sees the answer and can ask
//! again.

use crate::i18n::{bytes, t, tf, Key};
use crate::ui::components::Loading;
use crate::ui::services::use_services;
use crate::ui::storage::{estimate, persist, persisted};
use leptos::prelude::*;

#[derive(Clone, Debug, PartialEq)]
struct State {
    persisted: Option<bool>,
    estimate: Option<(f64, f64)>,
}

#[component]
pub(super) fn StorageSection() -> impl IntoView {
    let services = use_services();
    let asked = RwSignal::new(0u32);
    let state = LocalResource::new(move || {
        // Again after every write (usage grows) and every answer.
        services.revision.track();
        services.persist_answer.track();
        asked.track();
        async move {
            State {
                persisted: persisted().await,
                estimate: estimate().await,
            }
        }
    });
    let ask = Action::new_local(move |_: &()| async move {
        let answer = persist().await;
        services.persist_answer.set(answer);
        asked.update(|n| *n += 1);
        answer
    });
    let refused = move || ask.value().get() == Some(Some(false));
    view! {
        <section class="card settings-section" aria-labelledby="settings-storage">
            <div class="section-header">
                <h2 id="settings-storage" tabindex="-1">
                    {t(Key::StorageTitle)}
                </h2>
            </div>
            <p class="intro muted">
                {t(Key::StorageIntro)}
            </p>
            {move || match state.get() {
                None => view! { <Loading /> }.into_any(),
                Some(s) => {
                    let persistence = match s.persisted {
                        Some(true) => t(Key::PersistOn),
                        Some(false) => t(Key::PersistOff),
                        None => t(Key::PersistUnknown),
                    };
                    let usage = match s.estimate {
                        Some((used, quota)) => {
                            tf(Key::StorageUsage, &[("used", &bytes(used)), ("quota", &bytes(quota))])
                        }
                        None => t(Key::StorageUsageUnknown).to_owned(),
                    };
                    let not_kept = s.persisted == Some(false);
                    view! {
                        <dl class="storage-facts">
                            <dt>{t(Key::PersistentStorage)}</dt>
                            <dd data-testid="persistence">{persistence}</dd>
                            <dt>{t(Key::Space)}</dt>
                            <dd data-testid="storage-usage">{usage}</dd>
                        </dl>
                        <Show when=move || not_kept>
                            <button
                                type="button"
                                class="btn"
                                disabled=move || ask.pending().get()
                                on:click=move |_| {
                                    ask.dispatch_local(());
                                }
                            >
                                {t(Key::AskToKeep)}
                            </button>
                        </Show>
                    }
                        .into_any()
                }
            }}
            <p class="muted" role="status">
                {move || {
                    refused()
                        .then_some(t(Key::PersistRefused))
                }}
            </p>
        </section>
    }
}
