//! Storage: whether the browser keeps Clientbook's data persistently, and
//! how much space it uses. Clientbook asks at the first save of a session
//! (`Services::changed`); here the practitioner sees the answer and can ask
//! again.

use crate::ui::components::Loading;
use crate::ui::services::use_services;
use crate::ui::storage::{estimate, persist, persisted, size_text};
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
                    "Storage"
                </h2>
            </div>
            <p class="intro muted">
                "Your data is kept in this browser, on this device. Browsers may clear a site's data when the device runs out of space, unless it is stored persistently."
            </p>
            {move || match state.get() {
                None => view! { <Loading /> }.into_any(),
                Some(s) => {
                    let persistence = match s.persisted {
                        Some(true) => "On: this browser will not clear Clientbook's data to free space.",
                        Some(false) => {
                            "Off: this browser may clear Clientbook's data when the device runs low on space. Keep a backup."
                        }
                        None => "Unknown: this browser does not say.",
                    };
                    let usage = match s.estimate {
                        Some((used, quota)) => {
                            format!("{} used of {} available to Clientbook.", size_text(used), size_text(quota))
                        }
                        None => "This browser does not say how much space is used.".to_owned(),
                    };
                    let not_kept = s.persisted == Some(false);
                    view! {
                        <dl class="storage-facts">
                            <dt>"Persistent storage"</dt>
                            <dd data-testid="persistence">{persistence}</dd>
                            <dt>"Space"</dt>
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
                                "Ask to keep the data"
                            </button>
                        </Show>
                    }
                        .into_any()
                }
            }}
            <p class="muted" role="status">
                {move || {
                    refused()
                        .then_some(
                            "The browser said no. Browsers usually agree once Clientbook is installed as an app or bookmarked, or after you have used it for a while.",
                        )
                }}
            </p>
        </section>
    }
}
