//! "Import contacts from vCard" on the Import & export page: the whole
//! `.vcf` file is read and checked before anything else (every problem
//! listed with its card, line and property); then a preview counts what
//! would be created, updated or left as it is, lists the cards that match
//! a contact here with different values (with a choice: keep mine, take
//! theirs, keep both) and what the file holds that Clientbook does not
//! keep; then one transaction, undone by "Undo last import".

use crate::bundle::matching::Prepared;
use crate::bundle::merge::Plan;
use crate::bundle::vcard::import::{OnMatch, VcardChecked};
use crate::bundle::vcard::{self, VcardFile};
use crate::error::AppError;
use crate::i18n::{names, t, tf, tn, Key};
use crate::store::{Run, StoreError};
use crate::ui::components::progress::{measure, now_ms, Slices, Unit};
use crate::ui::components::{ErrorBanner, Loading, Progress, ProgressBar};
use crate::ui::pages::data::{file_bytes, lines, plan_table, stage_progress};
use crate::ui::services::{now, use_services, BrowserIds};
use leptos::prelude::*;
use std::sync::Arc;
use wasm_bindgen::JsCast;

#[derive(Clone)]
enum Loaded {
    Nothing,
    Reading,
    Refused { message: String, problems: Vec<String> },
    Ready { name: String, file: Arc<VcardFile> },
}

#[component]
pub fn VcardImportCard() -> impl IntoView {
    let services = use_services();
    let loaded = RwSignal::new(Loaded::Nothing);
    let on_match = RwSignal::new(OnMatch::KeepMine);
    let summary = RwSignal::new(None::<Plan>);
    let checking = RwSignal::new(None::<Progress>);
    let writing = RwSignal::new(None::<Progress>);
    let plan = LocalResource::new(move || {
        services.revision.track();
        let l = loaded.get();
        let m = on_match.get();
        async move {
            match l {
                Loaded::Ready { file, .. } => {
                    // What `Repo::import_vcard_plan` does, with the cards
                    // checked in slices: the page paints the bar and answers
                    // between them. Only the stored contacts the cards can
                    // match are read; the writes made here are written as
                    // they are when those have not changed by the import.
                    let store = services.store()?;
                    let keys = vcard::import::match_keys(&file);
                    let (stored, photos) = store.vcard_stored(&file).await?;
                    let started = now_ms();
                    let slices = Slices::start();
                    let pause = |done: usize, total: usize| {
                        slices.due().then(|| {
                            let bar = Progress::new(t(Key::ProgressCheckingCards), done, total, Unit::Cards);
                            checking.set(Some(bar));
                            slices.turn()
                        })
                    };
                    let (plan, writes) =
                        vcard::import::plan_paced(&stored, &photos, &file, m, &mut BrowserIds, now(), pause)
                            .await;
                    checking.set(None);
                    measure("vcard-check", started);
                    Ok(Some(Arc::new(Prepared {
                        keys,
                        stored,
                        made: VcardChecked {
                            on_match: m,
                            plan,
                            writes,
                            photos,
                        },
                    })))
                }
                _ => Ok::<_, AppError>(None),
            }
        }
    });
    let import = Action::new_local(move |(): &()| {
        let l = loaded.get_untracked();
        let m = on_match.get_untracked();
        let checked = plan.get_untracked().and_then(Result::ok).flatten();
        async move {
            let Loaded::Ready { file, .. } = l else {
                return Err(AppError::from(StoreError::NotFound(crate::store::Missing::File)));
            };
            let store = services.store()?;
            let started = now_ms();
            let report = |stage, done, total| {
                writing.set(Some(stage_progress(stage, done, total, Key::ProgressImporting)));
            };
            let run = Run {
                at: now(),
                by: services.actor(),
                ids: BrowserIds,
                progress: &report,
            };
            let done = store.import_vcard_run(&file, m, checked.as_deref(), run).await;
            writing.set(None);
            measure("vcard-import", started);
            Ok::<_, AppError>(done?)
        }
    });
    Effect::new(move || {
        if let Some(Ok(p)) = import.value().get() {
            summary.set(Some(p));
            loaded.set(Loaded::Nothing);
            services.changed();
        }
    });
    let chosen = move |ev: leptos::ev::Event| {
        let input: Option<web_sys::HtmlInputElement> = ev.target().and_then(|t| t.dyn_into().ok());
        let Some(file) = input.as_ref().and_then(|i| i.files()).and_then(|f| f.get(0)) else {
            return;
        };
        if let Some(i) = &input {
            i.set_value("");
        }
        summary.set(None);
        import.value().set(None);
        if file.size() > vcard::MAX_BYTES as f64 {
            loaded.set(Loaded::Refused {
                message: crate::error::vcard_error_text(&vcard::ReadError::TooLarge(file.size() as usize)),
                problems: vec![],
            });
            return;
        }
        let name = file.name();
        loaded.set(Loaded::Reading);
        // Read and checked whole before any transaction starts.
        leptos::task::spawn_local(async move {
            let next = match file_bytes(&file).await {
                Err(e) => Loaded::Refused {
                    message: tf(Key::FileUnreadable, &[("reason", &e)]),
                    problems: vec![],
                },
                Ok(bytes) => match vcard::read(&bytes) {
                    Ok(file) => Loaded::Ready {
                        name,
                        file: Arc::new(file),
                    },
                    Err(e) => Loaded::Refused {
                        message: crate::error::vcard_error_text(&e),
                        problems: e.problems().to_vec(),
                    },
                },
            };
            loaded.set(next);
        });
    };
    let radio = move |id: &'static str, label: &'static str, value: OnMatch| {
        view! {
            <label for=id>
                <input
                    id=id
                    type="radio"
                    name="vcard-match"
                    prop:checked=move || on_match.get() == value
                    on:change=move |_| on_match.set(value)
                />
                {label}
            </label>
        }
    };
    view! {
        <section class="card" aria-labelledby="vcard-title">
            <h2 id="vcard-title">{t(Key::VcardImportTitle)}</h2>
            <p>
                {t(Key::VcardImportIntro)}
            </p>
            <label for="vcard-file">{t(Key::VcardFileLabel)}</label>
            " "
            <input id="vcard-file" type="file" accept=".vcf,.vcard,text/vcard,text/x-vcard" on:change=chosen />
            {move || match loaded.get() {
                Loaded::Nothing => ().into_any(),
                Loaded::Reading => view! { <p role="status">{t(Key::ReadingFile)}</p> }.into_any(),
                Loaded::Refused { message, problems } => {
                    view! {
                        <div class="banner error" role="alert">
                            <p>{message}</p>
                            {(!problems.is_empty())
                                .then(|| {
                                    view! {
                                        <ul class="problems">
                                            {problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
                                        </ul>
                                    }
                                })}
                        </div>
                    }
                        .into_any()
                }
                Loaded::Ready { name, file } => {
                    let cards = file.cards.len();
                    let left_out = file.left_out.clone();
                    view! {
                        <h3>{tf(Key::PreviewOf, &[("file", &name)])}</h3>
                        <p>{tn(Key::VcardCardsRead, cards, &[])}</p>
                        {move || match plan.get() {
                            None => view! { <Loading /> <ProgressBar progress=checking /> }.into_any(),
                            Some(Err(e)) => view! { <ErrorBanner error=e /> }.into_any(),
                            Some(Ok(None)) => ().into_any(),
                            Some(Ok(Some(checked))) => {
                                let p = &checked.made.plan;
                                let nothing = p.changes_nothing();
                                view! {
                                    {plan_table(p)}
                                    {lines(t(Key::VcardMatchesDiffer), p.same_id.iter().map(names::differs).collect())}
                                    {lines(t(Key::VcardEmailOfOther), p.shared_email.iter().map(names::shared_email).collect())}
                                    {lines(t(Key::PlanAlso), p.notes.iter().map(names::plan_note).collect())}
                                    {nothing.then(|| view! { <p role="status">{t(Key::NothingToImport)}</p> })}
                                }
                                    .into_any()
                            }
                        }}
                        {lines(t(Key::VcardNotKeptFromFile), left_out)}
                        <fieldset class="radio-group wrap">
                            <legend>{t(Key::VcardWhenMatch)}</legend>
                            {radio("vcard-match-mine", t(Key::VcardKeepMine), OnMatch::KeepMine)}
                            {radio("vcard-match-theirs", t(Key::VcardTakeTheirs), OnMatch::TakeTheirs)}
                            {radio("vcard-match-both", t(Key::VcardKeepBoth), OnMatch::KeepBoth)}
                        </fieldset>
                        {move || import.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorBanner error=e /> })}
                        <button
                            type="button"
                            class="btn primary"
                            disabled=move || import.pending().get()
                            on:click=move |_| {
                                import.dispatch_local(());
                            }
                        >
                            {move || if import.pending().get() { t(Key::Importing) } else { t(Key::ImportContacts) }}
                        </button>
                        <ProgressBar progress=writing />
                        " "
                        <button type="button" class="btn" on:click=move |_| loaded.set(Loaded::Nothing)>
                            {t(Key::Cancel)}
                        </button>
                    }
                        .into_any()
                }
            }}
            {move || {
                summary
                    .get()
                    .map(|p| {
                        view! {
                            <div class="banner success" role="status">
                                <p>{t(Key::VcardImportFinished)}</p>
                                {plan_table(&p)}
                            </div>
                        }
                    })
            }}
        </section>
    }
}
