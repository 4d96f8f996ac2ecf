//! Backups: how often Clientbook reminds the practitioner to export
//! everything (`domain::backup`), when the last backup was made, and an
//! "Export now" button. The reminder itself is `components::backup`.

use crate::domain::backup::{RemindAfter, REMIND_AFTER_CHOICES};
use crate::error::AppError;
use crate::i18n::{t, tf, tn, Key};
use crate::ui::components::backup::export_everything;
use crate::ui::components::{ErrorBanner, Loading};
use crate::ui::services::{change, failure, now, read, use_services};
use leptos::prelude::*;

fn code(every: RemindAfter) -> String {
    match every {
        RemindAfter::Days(d) => d.to_string(),
        RemindAfter::Never => "never".into(),
    }
}

#[component]
pub(super) fn BackupSection() -> impl IntoView {
    let services = use_services();
    let status = read(|store| async move { store.backup_status(now()).await });
    let set = change(|store, every: RemindAfter| async move { store.set_backup_reminder(every).await });
    let set_error = failure(set);
    let done = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<AppError>);
    let last_url = StoredValue::new(None::<String>);
    let export = Action::new_local(move |(): &()| async move {
        let outcome = match services.store() {
            Ok(store) => export_everything(services, &store, None).await,
            Err(e) => Err(e),
        };
        match outcome {
            Ok((message, url)) => {
                done.set(Some(message));
                error.set(None);
                if let Some(old) = last_url.get_value() {
                    let _ = web_sys::Url::revoke_object_url(&old);
                }
                last_url.set_value(Some(url));
            }
            Err(e) => error.set(Some(e)),
        }
    });
    let on_choice = move |ev: leptos::ev::Event| {
        let every = match event_target_value(&ev).as_str() {
            "never" => RemindAfter::Never,
            days => days
                .parse()
                .map_or_else(|_| RemindAfter::default(), RemindAfter::Days),
        };
        set.dispatch_local(every);
    };
    view! {
        <section class="card settings-section" aria-labelledby="settings-backups">
            <div class="section-header">
                <h2 id="settings-backups" tabindex="-1">
                    {t(Key::Backups)}
                </h2>
            </div>
            <p class="intro muted">
                {t(Key::BackupsIntro)}
            </p>
            <Show
                when=move || !services.demo.get()
                fallback=|| view! { <p>{t(Key::BackupsNotInDemo)}</p> }
            >
                {move || match status.get() {
                    None => view! { <Loading /> }.into_any(),
                    Some(Err(e)) => view! { <ErrorBanner error=e /> }.into_any(),
                    Some(Ok((state, _))) => {
                        let current = code(state.remind_after);
                        let last = match state.last_export {
                            Some(at) => tf(Key::LastBackup, &[("date", &crate::i18n::date(at))]),
                            None => t(Key::NoBackupYet).to_owned(),
                        };
                        view! {
                            <p data-testid="last-backup">{last}</p>
                            <label class="field">
                                <span>{t(Key::RemindWhenOlder)}</span>
                                <select on:change=on_choice prop:value=current.clone()>
                                    {REMIND_AFTER_CHOICES
                                        .into_iter()
                                        .map(|d| {
                                            let value = d.to_string();
                                            let selected = value == current;
                                            view! {
                                                <option value=value selected=selected>
                                                    {tn(Key::NDays, d as usize, &[])}
                                                </option>
                                            }
                                        })
                                        .collect_view()}
                                    <option value="never" selected=current == "never">
                                        {t(Key::NeverRemind)}
                                    </option>
                                </select>
                            </label>
                        }
                            .into_any()
                    }
                }}
                {move || set_error.get().map(|e| view! { <ErrorBanner error=e /> })}
                {move || error.get().map(|e| view! { <ErrorBanner error=e /> })}
                <button
                    type="button"
                    class="btn"
                    disabled=move || export.pending().get()
                    on:click=move |_| {
                        export.dispatch_local(());
                    }
                >
                    {t(Key::ExportBackupNow)}
                </button>
                <p class="muted" role="status">
                    {move || done.get()}
                </p>
            </Show>
        </section>
    }
}
