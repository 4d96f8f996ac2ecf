//! The backup reminder: a gentle banner above every page when the data has
//! no recent backup (the rule is `domain::backup::reminder`), with "Export
//! now" (downloads everything as a bundle, like Import & export → Export
//! everything) and "Remind me later". Never in the demo practice, never
//! before there is data, never while viewing as a team member.

use crate::domain::backup::{reminder, Facts};
use crate::error::AppError;
use crate::i18n::{t, Key};
use crate::ui::components::progress::{measure, now_ms, Progress};
use crate::ui::components::ErrorBanner;
use crate::ui::pages::data::write_and_download;
use crate::ui::services::{now, use_services, AppStore, Services};
use leptos::prelude::*;

/// Exports everything as a bundle file and records it as the latest backup
/// (every tab's reminder then hides). Returns what to tell the practitioner
/// and the object URL of the download (to revoke later). With `progress`,
/// the file is written in slices and the bar shows how far it has come.
pub async fn export_everything(
    services: Services,
    store: &AppStore,
    progress: Option<RwSignal<Option<Progress>>>,
) -> Result<(String, String), AppError> {
    let started = now_ms();
    let (catalog, lists) = store.export_lines().await?;
    measure("export-read", started);
    let written = now_ms();
    let (message, url) = write_and_download(&catalog, &lists, "clientbook", progress).await?;
    measure("export-write", written);
    measure("export", started);
    store.record_export(now()).await?;
    services.changed();
    Ok((message, url))
}

#[component]
pub fn BackupReminder() -> impl IntoView {
    let services = use_services();
    let due = LocalResource::new(move || {
        services.revision.track();
        services.persist_answer.track();
        let ready = services.db.with(|d| *d == crate::ui::services::DbState::Ready);
        let demo = services.demo.get();
        let owner = services.viewing_as.with(Option::is_none);
        let store = services.store();
        async move {
            let store = store.ok().filter(|_| ready && owner && !demo)?;
            let at = now();
            let (state, accounts) = store.backup_status(at).await.ok()?;
            let facts = Facts {
                now: at,
                has_data: accounts,
                demo,
                persistent: crate::ui::storage::persisted().await,
            };
            reminder(&state, &facts)
        }
    });
    let error = RwSignal::new(None::<AppError>);
    let last_url = StoredValue::new(None::<String>);
    let export = Action::new_local(move |(): &()| async move {
        let outcome = match services.store() {
            Ok(store) => export_everything(services, &store, None).await,
            Err(e) => Err(e),
        };
        match outcome {
            Ok((_, url)) => {
                if let Some(old) = last_url.get_value() {
                    let _ = web_sys::Url::revoke_object_url(&old);
                }
                last_url.set_value(Some(url));
                error.set(None);
            }
            Err(e) => error.set(Some(e)),
        }
    });
    let snooze = Action::new_local(move |(): &()| async move {
        let outcome = match services.store() {
            Ok(store) => store.snooze_backup_reminder(now()).await.map_err(AppError::from),
            Err(e) => Err(e),
        };
        match outcome {
            // Every tab's reminder hides.
            Ok(()) => services.changed(),
            Err(e) => error.set(Some(e)),
        }
    });
    let busy = move || export.pending().get() || snooze.pending().get();
    view! {
        {move || {
            due.get()
                .flatten()
                .map(|why| {
                    view! {
                        <div class="banner warning backup-reminder" role="region" aria-label=t(Key::BackupReminder)>
                            <span>{crate::i18n::names::backup_reminder(&why)}</span>
                            <span class="backup-actions">
                                <button
                                    type="button"
                                    class="btn primary"
                                    disabled=busy
                                    on:click=move |_| {
                                        export.dispatch_local(());
                                    }
                                >
                                    {t(Key::ExportNow)}
                                </button>
                                <button
                                    type="button"
                                    class="btn"
                                    disabled=busy
                                    on:click=move |_| {
                                        snooze.dispatch_local(());
                                    }
                                >
                                    {t(Key::RemindMeLater)}
                                </button>
                            </span>
                        </div>
                    }
                })
        }}
        {move || error.get().map(|e| view! { <ErrorBanner error=e /> })}
    }
}
