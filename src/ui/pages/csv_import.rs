//! CSV import on the Import & export page, TaxDome-style mass upload:
//! choose a file (read and checked whole, before anything else), match each
//! column to a field (pre-filled by the guesses from its header), see the
//! first rows as they would be imported, choose what to import and the
//! settings for the whole import, then the same dry-run preview and
//! confirm as for bundles, then the summary. The import is one transaction
//! with a snapshot, so "Undo last import" undoes it. The rules are in
//! `bundle::csv::plan` and `docs/csv-import.md`.

use super::data::{file_bytes, lines, plan_table, stage_progress};
use crate::bundle::csv::guess::{self, Target};
use crate::bundle::csv::plan::{self, Job, Mode, Settings};
use crate::bundle::csv::{self, Table};
use crate::bundle::matching::Prepared;
use crate::bundle::merge::Plan;
use crate::bundle::Contents;
use crate::domain::catalog::Catalog;
use crate::error::AppError;
use crate::i18n::{t, tf, tn, Key};
use crate::store::{Run, StoreError};
use crate::ui::components::progress::{measure, now_ms, yield_to_browser, Slices, Unit};
use crate::ui::components::{ErrorBanner, Progress, ProgressBar};
use crate::ui::services::{now, use_services, BrowserIds};
use leptos::prelude::*;
use std::sync::Arc;
use wasm_bindgen::JsCast;

/// The chosen file, once read.
#[derive(Clone)]
enum Picked {
    Nothing,
    Reading,
    Refused { message: String, problems: Vec<String> },
    Ready { name: String, table: Arc<Table> },
}

/// Why a check or an import did not go ahead.
#[derive(Clone)]
enum Failure {
    /// Problems with their places; nothing was written.
    Problems(Vec<String>),
    App(AppError),
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Rejected(v) => Self::Problems(v.0.iter().map(ToString::to_string).collect()),
            e => Self::App(e.into()),
        }
    }
}

impl From<AppError> for Failure {
    fn from(e: AppError) -> Self {
        Self::App(e)
    }
}

/// The dry run: the merge plan and what the CSV plan says besides.
#[derive(Clone)]
struct Checked {
    plan: Plan,
    warnings: Vec<String>,
    new_tags: Vec<String>,
    rows: usize,
    /// What the rows made, and of which stored records: the import
    /// writes it when those are still the same.
    prepared: Arc<Prepared<Contents>>,
}

fn failure_view(f: Failure) -> AnyView {
    match f {
        Failure::App(e) => view! { <ErrorBanner error=e /> }.into_any(),
        Failure::Problems(p) => {
            let n = p.iter().filter(|l| !l.starts_with('…')).count();
            view! {
                <div class="banner error" role="alert">
                    <p>
                        {tn(Key::CsvProblemsCheckAgain, n, &[])}
                    </p>
                    <ul class="problems">{p.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
                </div>
            }
            .into_any()
        }
    }
}

/// Tags typed for the whole import: comma- or semicolon-separated.
fn tag_names(text: &str) -> Vec<String> {
    text.split([',', ';'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The file's encoding, as the mapping screen names it.
fn encoding_name(e: csv::Encoding) -> &'static str {
    match e {
        csv::Encoding::Utf8 => "UTF-8",
        csv::Encoding::Utf8Bom => t(Key::EncodingUtf8Bom),
        csv::Encoding::Utf16Le | csv::Encoding::Utf16Be => "UTF-16",
        csv::Encoding::Windows1252 => t(Key::EncodingWindows1252),
    }
}

fn separator_name(c: char) -> &'static str {
    match c {
        ',' => t(Key::SepCommas),
        ';' => t(Key::SepSemicolons),
        '\t' => t(Key::SepTabs),
        _ => t(Key::SepOther),
    }
}

#[component]
pub fn CsvImportCard() -> impl IntoView {
    let services = use_services();
    let picked = RwSignal::new(Picked::Nothing);
    let catalog = RwSignal::new(Arc::new(Catalog::default()));
    let mapping = RwSignal::new(Vec::<Target>::new());
    let mode = RwSignal::new(Mode::default());
    let tags = RwSignal::new(String::new());
    let login = RwSignal::new(false);
    let notify = RwSignal::new(false);
    let summary = RwSignal::new(None::<Plan>);
    let checking = RwSignal::new(None::<Progress>);
    let writing = RwSignal::new(None::<Progress>);
    let settings = Memo::new(move |_| {
        let both = mode.get() == Mode::AccountsAndContacts;
        Settings {
            mode: mode.get(),
            tags: tag_names(&tags.get()),
            login: both && login.get(),
            notify: both && notify.get(),
        }
    });

    let check = Action::new_local(move |(): &()| {
        let ready = picked.get_untracked();
        let mapping = mapping.get_untracked();
        let settings = settings.get_untracked();
        let by = services.actor();
        async move {
            let Picked::Ready { table, .. } = ready else {
                return Err(Failure::App(
                    StoreError::NotFound(crate::store::Missing::File).into(),
                ));
            };
            let store = services.store()?;
            let job = Job {
                table: &table,
                mapping: &mapping,
                settings: &settings,
                by: &by,
            };
            // The rows are checked in slices: the page paints the bar and
            // answers between them.
            let started = now_ms();
            let slices = Slices::start();
            let pause = |done: usize, total: usize| {
                slices.due().then(|| {
                    let bar = Progress::new(t(Key::ProgressCheckingRows), done, total, Unit::Rows);
                    checking.set(Some(bar));
                    slices.turn()
                })
            };
            // The rows are read twice: once for what they can match (the
            // stored records read are only those), once to make records.
            let catalog = store.catalog().await?;
            let keys = plan::match_keys_paced(&job, &catalog, |d, n| pause(d / 2, n)).await;
            let stored = store.stored_matching(&keys).await?;
            let planned = plan::plan_paced(&stored, &job, &mut BrowserIds, now(), |d, n| {
                pause(n / 2 + d / 2, n)
            })
            .await;
            // The preview in a task of its own.
            yield_to_browser().await;
            let checked = match planned {
                Ok(o) => match store.import_plan(&o.contents, plan::CHOICES).await {
                    Ok(preview) => Ok(Checked {
                        plan: preview,
                        warnings: o.warnings,
                        new_tags: o.new_tags,
                        rows: o.rows,
                        prepared: Arc::new(Prepared {
                            keys,
                            stored,
                            made: o.contents,
                        }),
                    }),
                    Err(e) => Err(Failure::from(e)),
                },
                Err(problems) => Err(Failure::Problems(problems)),
            };
            checking.set(None);
            measure("csv-check", started);
            checked
        }
    });
    let import = Action::new_local(move |(): &()| {
        let ready = picked.get_untracked();
        let mapping = mapping.get_untracked();
        let settings = settings.get_untracked();
        let by = services.actor();
        let checked = check.value().get_untracked().and_then(Result::ok);
        async move {
            let (Picked::Ready { table, .. }, Some(checked)) = (ready, checked) else {
                return Err(Failure::App(
                    StoreError::NotFound(crate::store::Missing::File).into(),
                ));
            };
            let store = services.store()?;
            let at = now();
            let job = Job {
                table: &table,
                mapping: &mapping,
                settings: &settings,
                by: &by,
            };
            // The stored records the rows match are read again inside the
            // write transaction; only when they changed since the check are
            // the rows matched again, on what is stored at that moment.
            let started = now_ms();
            let report = |stage, done, total| {
                writing.set(Some(stage_progress(stage, done, total, Key::ProgressImporting)));
            };
            let run = Run {
                at,
                by: by.clone(),
                ids: BrowserIds,
                progress: &report,
            };
            let plan = store
                .import_csv(
                    &checked.prepared,
                    |stored| {
                        plan::plan(stored, &job, &mut BrowserIds, at)
                            .map(|o| o.contents)
                            .map_err(plan::into_errors)
                    },
                    plan::CHOICES,
                    run,
                )
                .await;
            writing.set(None);
            measure("csv-import", started);
            Ok::<_, Failure>(plan?)
        }
    });
    Effect::new(move || {
        if let Some(Ok(p)) = import.value().get() {
            summary.set(Some(p));
            picked.set(Picked::Nothing);
            services.changed();
        }
    });
    // Another column choice or setting: the last check no longer holds.
    Effect::new(move |prev: Option<()>| {
        mapping.track();
        settings.track();
        if prev.is_some() {
            check.value().set(None);
            import.value().set(None);
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
        check.value().set(None);
        import.value().set(None);
        if file.size() > csv::MAX_CSV_BYTES as f64 {
            picked.set(Picked::Refused {
                message: crate::error::csv_error_text(&csv::CsvError::TooLarge(file.size() as usize)),
                problems: vec![],
            });
            return;
        }
        picked.set(Picked::Reading);
        let name = file.name();
        leptos::task::spawn_local(async move {
            let read = match file_bytes(&file).await {
                Err(e) => Err((tf(Key::FileUnreadable, &[("reason", &e)]), vec![])),
                Ok(bytes) => {
                    csv::read(&bytes).map_err(|e| (crate::error::csv_error_text(&e), e.problems().to_vec()))
                }
            };
            let next = match read {
                Err((message, problems)) => Picked::Refused { message, problems },
                Ok(table) => {
                    let c = match services.store() {
                        Ok(store) => store.catalog().await.unwrap_or_default(),
                        Err(_) => Catalog::default(),
                    };
                    mapping.set(guess::guess(&table.headers, &c));
                    catalog.set(Arc::new(c));
                    Picked::Ready {
                        name,
                        table: Arc::new(table),
                    }
                }
            };
            picked.set(next);
        });
    };

    view! {
        <section class="card" aria-labelledby="csv-title">
            <h2 id="csv-title">{t(Key::CsvImportTitle)}</h2>
            <p>{t(Key::CsvImportIntro)}</p>
            <label for="csv-file">{t(Key::CsvFileLabel)}</label>
            " "
            <input id="csv-file" type="file" accept=".csv,text/csv,.tsv,.txt,text/plain" on:change=chosen />
            {move || match picked.get() {
                Picked::Nothing => ().into_any(),
                Picked::Reading => view! { <p role="status">{t(Key::CsvReading)}</p> }.into_any(),
                Picked::Refused { message, problems } => {
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
                Picked::Ready { name, table } => {
                    view! {
                        <MappingStep
                            name
                            table
                            catalog
                            mapping
                            mode
                            tags
                            login
                            notify
                            settings
                        />
                        <div class="actions">
                            <button
                                type="button"
                                class="btn primary"
                                disabled=move || check.pending().get()
                                on:click=move |_| {
                                    check.dispatch_local(());
                                }
                            >
                                {move || if check.pending().get() { t(Key::CsvChecking) } else { t(Key::CsvCheckAndPreview) }}
                            </button>
                            " "
                            <button type="button" class="btn" on:click=move |_| picked.set(Picked::Nothing)>
                                {t(Key::Cancel)}
                            </button>
                        </div>
                        <ProgressBar progress=checking />
                        {move || {
                            check
                                .value()
                                .get()
                                .map(|r| match r {
                                    Err(f) => failure_view(f),
                                    Ok(c) => view! { <CheckedStep checked=c import writing /> }.into_any(),
                                })
                        }}
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
                                <p>{t(Key::CsvImportFinished)}</p>
                                {plan_table(&p)}
                            </div>
                        }
                    })
            }}
        </section>
    }
}

/// The preview of a checked file, and the button that imports it.
#[component]
fn CheckedStep(
    checked: Checked,
    import: Action<(), Result<Plan, Failure>>,
    writing: RwSignal<Option<Progress>>,
) -> impl IntoView {
    let nothing = checked.plan.changes_nothing();
    view! {
        <h3>{t(Key::CsvWhatItWouldDo)}</h3>
        <p>{tn(Key::CsvRowsChecked, checked.rows, &[])}</p>
        {plan_table(&checked.plan)}
        {(!checked.new_tags.is_empty())
            .then(|| view! { <p>{tf(Key::CsvNewTags, &[("tags", &checked.new_tags.join(", "))])}</p> })}
        {lines(t(Key::CsvLeftAside), checked.warnings.clone())}
        {lines(t(Key::PlanAlso), checked.plan.notes.iter().map(crate::i18n::names::plan_note).collect())}
        {nothing
            .then(|| {
                view! {
                    <p role="status">{t(Key::NothingToImport)}</p>
                }
            })}
        {move || import.value().get().and_then(|r| r.err()).map(failure_view)}
        <button
            type="button"
            class="btn primary"
            disabled=move || import.pending().get()
            on:click=move |_| {
                import.dispatch_local(());
            }
        >
            {move || if import.pending().get() { t(Key::Importing) } else { t(Key::Import) }}
        </button>
        <ProgressBar progress=writing />
    }
}

/// Column choices, the first rows as they would be imported, the mode and
/// the settings for the whole import.
#[component]
fn MappingStep(
    name: String,
    table: Arc<Table>,
    catalog: RwSignal<Arc<Catalog>>,
    mapping: RwSignal<Vec<Target>>,
    mode: RwSignal<Mode>,
    tags: RwSignal<String>,
    login: RwSignal<bool>,
    notify: RwSignal<bool>,
    settings: Memo<Settings>,
) -> impl IntoView {
    let about = tn(
        Key::CsvAbout,
        table.rows.len(),
        &[
            ("encoding", encoding_name(table.encoding)),
            ("separator", separator_name(table.separator)),
        ],
    );
    let groups = Memo::new(move |_| catalog.with(|c| guess::choices(c)));
    let columns = table
        .headers
        .iter()
        .enumerate()
        .map(|(i, header)| {
            let title = if header.is_empty() {
                tf(Key::CsvColumnTitle, &[("letter", &csv::column_letter(i))])
            } else {
                header.clone()
            };
            let samples: Vec<String> = table
                .rows
                .iter()
                .filter_map(|r| r.cells.get(i))
                .map(|c| c.trim())
                .filter(|c| !c.is_empty())
                .take(3)
                .map(|c| {
                    let short: String = c.chars().take(40).collect();
                    if short.len() < c.len() {
                        format!("{short}…")
                    } else {
                        short
                    }
                })
                .collect();
            let label = tf(Key::CsvImportColumnAs, &[("column", &title)]);
            view! {
                <tr>
                    <th scope="row">{title}</th>
                    <td class="samples">{samples.join(" · ")}</td>
                    <td>
                        <select
                            aria-label=label
                            on:change=move |ev| {
                                let t = Target::from_code(&event_target_value(&ev)).unwrap_or(Target::Skip);
                                mapping
                                    .update(|m| {
                                        if let Some(slot) = m.get_mut(i) {
                                            *slot = t;
                                        }
                                    });
                            }
                        >
                            <option value="skip" prop:selected=move || mapping.with(|m| m.get(i) == Some(&Target::Skip))>
                                {t(Key::CsvDontImport)}
                            </option>
                            {move || {
                                let c = catalog.get();
                                groups
                                    .get()
                                    .into_iter()
                                    .map(|(group, targets)| {
                                        view! {
                                            <optgroup label=group>
                                                {targets
                                                    .into_iter()
                                                    .map(|t| {
                                                        let label = t.label(&c);
                                                        let code = t.code();
                                                        view! {
                                                            <option
                                                                value=code
                                                                prop:selected=move || mapping.with(|m| m.get(i) == Some(&t))
                                                            >
                                                                {label}
                                                            </option>
                                                        }
                                                    })
                                                    .collect_view()}
                                            </optgroup>
                                        }
                                    })
                                    .collect_view()
                            }}
                        </select>
                    </td>
                </tr>
            }
        })
        .collect_view();
    let preview_table = table.clone();
    let preview = Memo::new(move |_| {
        let m = mapping.get();
        let s = settings.get();
        catalog.with(|c| plan::preview(&preview_table, &m, &s, c, 5))
    });
    let radio = move |m: Mode, hint: &'static str| {
        let id = format!("csv-mode-{}", m.code());
        view! {
            <label for=id.clone()>
                <input
                    id=id.clone()
                    type="radio"
                    name="csv-mode"
                    prop:checked=move || mode.get() == m
                    on:change=move |_| mode.set(m)
                />
                {m.label()}
                " — "
                <span class="muted">{hint}</span>
            </label>
        }
    };
    let links_off = move || mode.get() != Mode::AccountsAndContacts;
    view! {
        <h3>{tf(Key::CsvMatchColumns, &[("file", &name)])}</h3>
        <p class="muted">{about}</p>
        <div class="table-scroll">
            <table class="mapping">
                <thead>
                    <tr>
                        <th scope="col">{t(Key::CsvColumn)}</th>
                        <th scope="col">{t(Key::CsvFirstValues)}</th>
                        <th scope="col">{t(Key::CsvImportAs)}</th>
                    </tr>
                </thead>
                <tbody>{columns}</tbody>
            </table>
        </div>
        <fieldset class="radio-group">
            <legend>{t(Key::CsvWhatToImport)}</legend>
            {radio(Mode::AccountsAndContacts, t(Key::CsvModeBothHint))}
            {radio(Mode::AccountsOnly, t(Key::CsvModeAccountsHint))}
            {radio(Mode::ContactsOnly, t(Key::CsvModeContactsHint))}
        </fieldset>
        <fieldset class="batch">
            <legend>{t(Key::CsvForWholeImport)}</legend>
            <label for="csv-tags">
                {move || {
                    if mode.get() == Mode::ContactsOnly {
                        t(Key::CsvTagsEveryContact)
                    } else {
                        t(Key::CsvTagsEveryAccount)
                    }
                }}
            </label>
            <input
                id="csv-tags"
                type="text"
                autocomplete="off"
                prop:value=move || tags.get()
                on:change=move |ev| tags.set(event_target_value(&ev))
            />
            <label for="csv-login">
                <input
                    id="csv-login"
                    type="checkbox"
                    disabled=links_off
                    prop:checked=move || login.get()
                    on:change=move |ev| login.set(event_target_checked(&ev))
                />
                {t(Key::CsvLoginForAll)}
            </label>
            <label for="csv-notify">
                <input
                    id="csv-notify"
                    type="checkbox"
                    disabled=links_off
                    prop:checked=move || notify.get()
                    on:change=move |ev| notify.set(event_target_checked(&ev))
                />
                {t(Key::CsvNotifyForAll)}
            </label>
        </fieldset>
        <h3>{t(Key::CsvFirstRows)}</h3>
        <div class="table-scroll">
            <table class="csv-preview">
                <thead>
                    <tr>
                        <th scope="col">{t(Key::CsvRow)}</th>
                        <th scope="col">{t(Key::NavNewAccount)}</th>
                        <th scope="col">{t(Key::TypeColumn)}</th>
                        <th scope="col">{t(Key::ContactColumn)}</th>
                        <th scope="col">{t(Key::CsvEmails)}</th>
                        <th scope="col">{t(Key::CsvPhones)}</th>
                        <th scope="col">{t(Key::Tags)}</th>
                        <th scope="col">{t(Key::CsvProblems)}</th>
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        preview
                            .get()
                            .into_iter()
                            .map(|r| {
                                view! {
                                    <tr>
                                        <td>{r.number}</td>
                                        <td>{r.account}</td>
                                        <td>{r.kind}</td>
                                        <td>{r.contact}</td>
                                        <td>{r.emails}</td>
                                        <td>{r.phones}</td>
                                        <td>{r.tags}</td>
                                        <td class="problem">{r.problems.join("; ")}</td>
                                    </tr>
                                }
                            })
                            .collect_view()
                    }}
                </tbody>
            </table>
        </div>
    }
}
