//! Import & export (`#/data`): download everything as a JSON bundle, import
//! a bundle (whole-file check, then a preview with a choice per kind of
//! conflict, then one write), and undo the last import. Long steps show a
//! progress bar and keep the page responsive: the file is read and checked
//! in slices of about 30 ms (`bundle::Reader`), the write reports progress
//! every 1,000 records (`Repo::import_run`).
//!
//! The CSV and vCard imports reuse `plan_table`, `lines`, `file_bytes` and
//! `download` from here, and `ui::components::progress` for their bars.

use crate::bundle::merge::{Choices, Counts, OnSameId, OnSharedEmail, Plan};
use crate::bundle::write::{assemble, Part};
use crate::bundle::{self, Contents, Meta, ReadError, Reader};
use crate::domain::catalog::CatalogItem;
use crate::error::AppError;
use crate::error::{located, more_problems, read_error_text};
use crate::i18n::number;
use crate::i18n::{names, t, tf, tn, Key};
use crate::store::lines::StoredLines;
use crate::store::{Missing, Piece, Run, Stage, StoreError};
use crate::ui::components::progress::{measure, now_ms, run_sliced, yield_to_browser, Unit};
use crate::ui::components::{ErrorBanner, Loading, Progress, ProgressBar};
use crate::ui::services::{now, read, use_services, BrowserIds};
use leptos::prelude::*;
use std::sync::Arc;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The file picked for import, once read and checked.
#[derive(Clone)]
enum Loaded {
    Nothing,
    Reading,
    /// Why the file was refused, and its problems (with their paths).
    Refused {
        message: String,
        problems: Vec<String>,
    },
    Ready {
        name: String,
        contents: Arc<Contents>,
    },
}

/// A store's progress report as the bar shows it.
pub(crate) fn stage_progress(stage: Stage, done: usize, total: usize, writing: Key) -> Progress {
    let what = match stage {
        Stage::Comparing => Key::ProgressComparing,
        Stage::Writing => writing,
    };
    Progress::new(t(what), done, total, Unit::Records)
}

pub(crate) fn js_error(e: JsValue) -> String {
    e.as_string()
        .or_else(|| js_sys::JSON::stringify(&e).ok().and_then(|s| s.as_string()))
        .unwrap_or_else(|| t(Key::UnknownError).into())
}

/// Starts a download of `text` (of type `mime`) as `name`; returns the
/// object URL to revoke later.
pub(crate) fn download(name: &str, text: &str, mime: &str) -> Result<String, String> {
    download_parts(name, &js_sys::Array::of1(&JsValue::from_str(text)), mime)
}

/// Starts a download of a file made of the strings or blobs in `parts` (a
/// `Blob` joins them: no single string the size of the whole file is ever
/// made); returns the object URL to revoke later.
pub(crate) fn download_parts(name: &str, parts: &js_sys::Array, mime: &str) -> Result<String, String> {
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_blob_sequence_and_options(parts, &options).map_err(js_error)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(js_error)?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let a: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(js_error)?
        .dyn_into()
        .map_err(|_| "no link element")?;
    a.set_href(&url);
    a.set_download(name);
    let body = document.body().ok_or("no page body")?;
    body.append_child(&a).map_err(js_error)?;
    a.click();
    a.remove();
    Ok(url)
}

/// Parts of the file per `Blob` made on the way (a few MB each).
const PARTS_PER_BLOB: usize = 64;

/// A chunk's bytes for a `Blob`: the `Uint8Array` IndexedDB handed over
/// (its first `len` bytes: a view, nothing copied), or a text's bytes.
fn piece_js(piece: &Piece, len: usize) -> JsValue {
    match piece {
        Piece::Bytes(b) if len == b.length() as usize => b.clone().into(),
        Piece::Bytes(b) => b.subarray(0, len as u32).into(),
        Piece::Text(t) => js_sys::Uint8Array::from(t.as_bytes().get(..len).unwrap_or_default()).into(),
    }
}

/// Writes the bundle of everything from the stored bundle lines
/// (`Repo::export_lines`) and downloads it as `<stem>-YYYY-MM-DD.json`:
/// the file is a `Blob` of the envelope's texts and the chunks' bytes as
/// IndexedDB handed them over (`bundle::write::assemble`); nothing of the
/// records passes through wasm. With `progress` the `Blob` is made a few
/// MB at a time with a turn for the browser between (and the bar shows
/// how far). Returns what to tell the practitioner and the object URL (to
/// revoke later).
pub(crate) async fn write_and_download(
    catalog: &[CatalogItem],
    lines: &StoredLines,
    stem: &str,
    progress: Option<RwSignal<Option<Progress>>>,
) -> Result<(String, String), StoreError> {
    let at = now();
    let meta = Meta {
        exported_at: at,
        app_version: env!("CARGO_PKG_VERSION").to_owned(),
    };
    let mut parts: Vec<(JsValue, usize)> = Vec::new();
    assemble(catalog, &meta, &lines.lists, Piece::len, |part| match part {
        Part::Text(t) => parts.push((JsValue::from_str(&t), t.len())),
        Part::Whole(p) => parts.push((piece_js(p, p.len()), p.len())),
        Part::Start(p, n) => parts.push((piece_js(p, n), n)),
    });
    let bytes: usize = parts.iter().map(|(_, n)| n).sum();
    let blobs = js_sys::Array::new();
    let mut done = 0usize;
    let mut started = now_ms();
    for group in parts.chunks(PARTS_PER_BLOB) {
        let sequence = js_sys::Array::new();
        for (part, n) in group {
            sequence.push(part);
            done += n;
        }
        let blob = web_sys::Blob::new_with_u8_array_sequence(&sequence)
            .map_err(|e| StoreError::Backend(js_error(e)))?;
        blobs.push(&blob);
        if let Some(p) = progress {
            if now_ms() - started >= crate::ui::components::progress::SLICE_MS {
                p.set(Some(Progress::new(
                    t(Key::ProgressWritingFile),
                    done,
                    bytes,
                    Unit::Bytes,
                )));
                yield_to_browser().await;
                started = now_ms();
            }
        }
    }
    if let Some(p) = progress {
        p.set(None);
    }
    let name = format!("{stem}-{}.json", at.date_iso());
    let url = download_parts(&name, &blobs, "application/json").map_err(StoreError::Backend)?;
    let counts = (lines.counts[0], lines.counts[1]);
    Ok((downloaded(&name, counts, bytes), url))
}

/// "Downloaded clientbook-2025-01-31.json: 3 accounts, 4 contacts (2.1 KB)."
fn downloaded(name: &str, (accounts, contacts): (usize, usize), size: usize) -> String {
    tf(
        Key::Downloaded,
        &[
            ("file", name),
            ("accounts", &tn(Key::UsesAccounts, accounts, &[])),
            ("contacts", &tn(Key::UsesContacts, contacts, &[])),
            ("size", &crate::i18n::bytes(size as f64)),
        ],
    )
}

/// [`write_and_download`] in one go (small exports, e.g. chosen accounts).
pub(crate) fn download_bundle(contents: &Contents, stem: &str) -> Result<(String, String), StoreError> {
    let at = now();
    let meta = Meta {
        exported_at: at,
        app_version: env!("CARGO_PKG_VERSION").to_owned(),
    };
    let text = bundle::write(contents, &meta);
    let name = format!("{stem}-{}.json", at.date_iso());
    let url = download(&name, &text, "application/json").map_err(StoreError::Backend)?;
    let counts = (contents.accounts.len(), contents.contacts.len());
    Ok((downloaded(&name, counts, text.len()), url))
}

/// Reads the whole file into memory (before any transaction starts), in
/// slices of 8 MiB with a turn for the browser between them.
pub(crate) async fn file_bytes(file: &web_sys::File) -> Result<Vec<u8>, String> {
    const SLICE: u32 = 8 << 20;
    let buffer = JsFuture::from(file.array_buffer()).await.map_err(js_error)?;
    let all = js_sys::Uint8Array::new(&buffer);
    let len = all.length();
    let mut bytes = vec![0u8; len as usize];
    let mut at = 0u32;
    while at < len {
        let end = at.saturating_add(SLICE).min(len);
        all.subarray(at, end)
            .copy_to(&mut bytes[at as usize..end as usize]);
        at = end;
        if at < len {
            yield_to_browser().await;
        }
    }
    Ok(bytes)
}

fn counts_row(what: &'static str, c: bundle::merge::Counts) -> impl IntoView {
    view! {
        <tr>
            <th scope="row">{what}</th>
            <td>{number(c.created as i64)}</td>
            <td>{number(c.updated as i64)}</td>
            <td>{number(c.unchanged as i64)}</td>
            <td>{number(c.kept as i64)}</td>
        </tr>
    }
}

/// The preview's (or summary's) counts per kind of record.
pub(crate) fn plan_table(plan: &Plan) -> impl IntoView {
    view! {
        <table class="plan">
            <thead>
                <tr>
                    <th scope="col">{t(Key::Records)}</th>
                    <th scope="col">{t(Key::PlanCreated)}</th>
                    <th scope="col">{t(Key::Updated)}</th>
                    <th scope="col">{t(Key::Unchanged)}</th>
                    <th scope="col">{t(Key::KeptAsHere)}</th>
                </tr>
            </thead>
            <tbody>
                {counts_row(t(Key::Accounts), plan.accounts)}
                {counts_row(t(Key::Contacts), plan.contacts)}
                {counts_row(t(Key::Links), plan.links)}
                {counts_row(t(Key::OtherRecords), plan.other)}
                {(plan.photos != Counts::default()).then(|| counts_row(t(Key::PlanPhotos), plan.photos))}
            </tbody>
        </table>
    }
}

/// A titled list of lines (at most 50 shown), or nothing when empty.
pub(crate) fn lines(title: &'static str, items: Vec<String>) -> impl IntoView {
    (!items.is_empty()).then(|| {
        let shown = items.len().min(50);
        let more = items.len() - shown;
        view! {
            <h3>{tf(Key::TitleCount, &[("title", title), ("count", &number(items.len() as i64))])}</h3>
            <ul class="problems">
                {items.into_iter().take(shown).map(|l| view! { <li>{l}</li> }).collect_view()}
                {(more > 0).then(|| view! { <li>{tn(Key::AndMore, more, &[])}</li> })}
            </ul>
        }
    })
}

#[component]
pub fn DataPage() -> impl IntoView {
    let services = use_services();
    let owner_view = move || services.viewing_as.with(Option::is_none);
    view! {
        <header class="page-header">
            <h1>{t(Key::NavData)}</h1>
        </header>
        {move || {
            if owner_view() {
                view! {
                    <ExportCard />
                    <ImportCard />
                    <super::csv_import::CsvImportCard />
                    <crate::ui::pages::vcard_import::VcardImportCard />
                    <UndoCard />
                }
                    .into_any()
            } else {
                view! {
                    <p class="banner warning">
                        {t(Key::DataOwnerOnly)}
                    </p>
                }
                    .into_any()
            }
        }}
    }
}

#[component]
fn ExportCard() -> impl IntoView {
    let services = use_services();
    let error = RwSignal::new(None::<AppError>);
    let done = RwSignal::new(None::<String>);
    let last_url = StoredValue::new(None::<String>);
    let progress = RwSignal::new(None::<Progress>);
    let export = Action::new_local(move |(): &()| async move {
        let store = services.store()?;
        // Also recorded as the latest backup (the backup reminder).
        let (message, url) =
            crate::ui::components::backup::export_everything(services, &store, Some(progress)).await?;
        if let Some(old) = last_url.get_value() {
            let _ = web_sys::Url::revoke_object_url(&old);
        }
        last_url.set_value(Some(url));
        Ok::<_, AppError>(message)
    });
    Effect::new(move || match export.value().get() {
        Some(Ok(msg)) => {
            error.set(None);
            done.set(Some(msg));
        }
        Some(Err(e)) => {
            done.set(None);
            error.set(Some(e));
        }
        None => {}
    });
    view! {
        <section class="card" aria-labelledby="export-title">
            <h2 id="export-title">{t(Key::Export)}</h2>
            <p>
                {t(Key::ExportIntro)}
            </p>
            {move || error.get().map(|e| view! { <ErrorBanner error=e /> })}
            <ProgressBar progress=progress />
            <button
                type="button"
                class="btn primary"
                disabled=move || export.pending().get()
                on:click=move |_| {
                    export.dispatch_local(());
                }
            >
                {t(Key::ExportEverything)}
            </button>
            {move || {
                (export.pending().get() && progress.with(Option::is_none))
                    .then(|| view! { <p class="muted">{t(Key::ReadingEverything)}</p> })
            }}
            {move || done.get().map(|m| view! { <p role="status">{m}</p> })}
        </section>
    }
}

/// Reads and checks a whole bundle in slices, showing progress.
async fn read_bundle(bytes: Vec<u8>, progress: RwSignal<Option<Progress>>) -> Result<Contents, ReadError> {
    let started = now_ms();
    let mut reader = Reader::new(bytes)?;
    let report = |r: &Reader| {
        progress.set(Some(match r.stage() {
            bundle::Stage::Scanning { done, total } => {
                Progress::new(t(Key::ProgressReadingFile), done, total, Unit::Bytes)
            }
            bundle::Stage::Checking { done, total } => {
                Progress::new(t(Key::ProgressChecking), done, total, Unit::Records)
            }
        }));
    };
    run_sliced(&mut reader, Reader::step, report).await?;
    measure("read", started);
    let finished = now_ms();
    let out = reader.finish().map(|(contents, _)| contents);
    measure("read-finish", finished);
    out
}

#[component]
fn ImportCard() -> impl IntoView {
    let services = use_services();
    let loaded = RwSignal::new(Loaded::Nothing);
    let choices = RwSignal::new(Choices::default());
    let summary = RwSignal::new(None::<Plan>);
    let reading = RwSignal::new(None::<Progress>);
    let planning = RwSignal::new(None::<Progress>);
    let writing = RwSignal::new(None::<Progress>);
    let plan = LocalResource::new(move || {
        services.revision.track();
        let l = loaded.get();
        let ch = choices.get();
        async move {
            match l {
                Loaded::Ready { contents, .. } => {
                    let store = services.store()?;
                    let started = now_ms();
                    let report = |stage, done, total| {
                        planning.set(Some(stage_progress(stage, done, total, Key::ProgressComparing)));
                    };
                    let plan = store.import_plan_with(&contents, ch, &report).await;
                    planning.set(None);
                    measure("plan", started);
                    Ok(Some(plan?))
                }
                _ => Ok::<_, AppError>(None),
            }
        }
    });
    let import = Action::new_local(move |(): &()| {
        let l = loaded.get_untracked();
        let ch = choices.get_untracked();
        async move {
            let Loaded::Ready { contents, .. } = l else {
                return Err(AppError::from(StoreError::NotFound(Missing::File)));
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
            let plan = store.import_run(&contents, ch, run).await;
            writing.set(None);
            measure("import", started);
            Ok::<_, AppError>(plan?)
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
        let name = file.name();
        if file.size() > bundle::MAX_BYTES as f64 {
            loaded.set(Loaded::Refused {
                message: read_error_text(&ReadError::TooLarge(file.size() as usize)),
                problems: vec![],
            });
            return;
        }
        loaded.set(Loaded::Reading);
        reading.set(Some(Progress::new(
            t(Key::ProgressReadingFile),
            0,
            file.size() as usize,
            Unit::Bytes,
        )));
        // The file is read and checked whole before any transaction starts.
        leptos::task::spawn_local(async move {
            // Let the bar show before the file is copied in.
            yield_to_browser().await;
            let next = match file_bytes(&file).await {
                Err(e) => Loaded::Refused {
                    message: tf(Key::FileUnreadable, &[("reason", &e)]),
                    problems: vec![],
                },
                Ok(bytes) => match read_bundle(bytes, reading).await {
                    Ok(contents) => Loaded::Ready {
                        name,
                        contents: Arc::new(contents),
                    },
                    Err(e) => Loaded::Refused {
                        message: read_error_text(&e),
                        problems: e
                            .problems()
                            .iter()
                            .map(located)
                            .chain(more_problems(&e))
                            .collect(),
                    },
                },
            };
            reading.set(None);
            // A newer choice of file wins.
            if matches!(loaded.get_untracked(), Loaded::Reading) {
                loaded.set(next);
            }
        });
    };
    let radio = move |group: &'static str,
                      id: &'static str,
                      label: &'static str,
                      is: fn(Choices) -> bool,
                      set: fn(&mut Choices)| {
        view! {
            <label for=id>
                <input
                    id=id
                    type="radio"
                    name=group
                    prop:checked=move || is(choices.get())
                    prop:disabled=move || import.pending().get()
                    on:change=move |_| choices.update(set)
                />
                {label}
            </label>
        }
    };
    view! {
        <section class="card" aria-labelledby="import-title">
            <h2 id="import-title">{t(Key::Import)}</h2>
            <p>
                {t(Key::ImportIntro)}
            </p>
            <label for="import-file">{t(Key::BundleFile)}</label>
            " "
            <input
                id="import-file"
                type="file"
                accept=".json,application/json"
                on:change=chosen
                prop:disabled=move || import.pending().get()
            />
            {move || match loaded.get() {
                Loaded::Nothing => ().into_any(),
                Loaded::Reading => {
                    view! {
                        <p role="status">{t(Key::ReadingFile)}</p>
                        <ProgressBar progress=reading />
                    }
                        .into_any()
                }
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
                Loaded::Ready { name, .. } => {
                    view! {
                        <h3>{tf(Key::PreviewOf, &[("file", &name)])}</h3>
                        {move || match plan.get() {
                            None => view! { <Loading /> <ProgressBar progress=planning /> }.into_any(),
                            Some(Err(e)) => view! { <ErrorBanner error=e /> }.into_any(),
                            Some(Ok(None)) => ().into_any(),
                            Some(Ok(Some(p))) => {
                                let nothing = p.changes_nothing();
                                view! {
                                    {plan_table(&p)}
                                    {lines(t(Key::SameRecordDiffers), p.same_id.iter().map(names::differs).collect())}
                                    {lines(t(Key::EmailUsedByOther), p.shared_email.iter().map(names::shared_email).collect())}
                                    {lines(t(Key::PlanAlso), p.notes.iter().map(names::plan_note).collect())}
                                    {nothing.then(|| view! { <p role="status">{t(Key::NothingToImport)}</p> })}
                                }
                                    .into_any()
                            }
                        }}
                        <fieldset class="radio-group">
                            <legend>{t(Key::WhenSameId)}</legend>
                            {radio("same-id", "same-id-mine", t(Key::KeepMine), |c| c.same_id == OnSameId::KeepMine, |c| c.same_id = OnSameId::KeepMine)}
                            {radio("same-id", "same-id-theirs", t(Key::TakeTheirs), |c| c.same_id == OnSameId::TakeTheirs, |c| c.same_id = OnSameId::TakeTheirs)}
                        </fieldset>
                        <fieldset class="radio-group">
                            <legend>{t(Key::WhenSharedEmail)}</legend>
                            {radio("shared-email", "shared-email-mine", t(Key::KeepMineLink), |c| c.shared_email == OnSharedEmail::KeepMine, |c| c.shared_email = OnSharedEmail::KeepMine)}
                            {radio("shared-email", "shared-email-both", t(Key::KeepBoth), |c| c.shared_email == OnSharedEmail::KeepBoth, |c| c.shared_email = OnSharedEmail::KeepBoth)}
                            {radio("shared-email", "shared-email-theirs", t(Key::TakeTheirsEmail), |c| c.shared_email == OnSharedEmail::TakeTheirs, |c| c.shared_email = OnSharedEmail::TakeTheirs)}
                        </fieldset>
                        {move || import.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorBanner error=e /> })}
                        <ProgressBar progress=writing />
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
                        " "
                        <button
                            type="button"
                            class="btn"
                            disabled=move || import.pending().get()
                            on:click=move |_| loaded.set(Loaded::Nothing)
                        >
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
                                <p>{t(Key::ImportFinished)}</p>
                                {plan_table(&p)}
                            </div>
                        }
                    })
            }}
        </section>
    }
}

#[component]
fn UndoCard() -> impl IntoView {
    let services = use_services();
    let last = read(|store| async move { store.last_import().await });
    let done = RwSignal::new(false);
    let progress = RwSignal::new(None::<Progress>);
    let undo = Action::new_local(move |(): &()| async move {
        let store = services.store()?;
        let started = now_ms();
        let report = |stage, done, total| {
            progress.set(Some(stage_progress(stage, done, total, Key::ProgressUndoing)));
        };
        let undone = store.undo_import_with(&report).await;
        progress.set(None);
        measure("undo", started);
        Ok::<_, AppError>(undone?)
    });
    Effect::new(move || {
        if let Some(Ok(_)) = undo.value().get() {
            done.set(true);
            services.changed();
        }
    });
    view! {
        <section class="card" aria-labelledby="undo-title">
            <h2 id="undo-title">{t(Key::UndoLastImport)}</h2>
            {move || undo.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorBanner error=e /> })}
            {move || match last.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(e)) => view! { <ErrorBanner error=e /> }.into_any(),
                Some(Ok(None)) => {
                    view! {
                        <p>
                            {move || if done.get() { t(Key::ImportUndone) } else { t(Key::NoImportToUndo) }}
                        </p>
                    }
                        .into_any()
                }
                Some(Ok(Some(at))) => {
                    view! {
                        <p>
                            {tf(Key::UndoExplained, &[("date", &crate::i18n::date(at))])}
                        </p>
                        <ProgressBar progress=progress />
                        <button
                            type="button"
                            class="btn danger"
                            disabled=move || undo.pending().get()
                            on:click=move |_| {
                                undo.dispatch_local(());
                            }
                        >
                            {t(Key::UndoLastImport)}
                        </button>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}
