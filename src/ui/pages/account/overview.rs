//! The Overview tab: what matters about the client at a glance, one card
//! per kind of item, each with the five latest and "View all". New kinds of
//! items (documents, tasks, invoices, ...) become more cards in this grid.

use super::{Profile, ViewAll, LATEST};
use crate::domain::ids::IdSource;
use crate::domain::note::{check_note_text, Note};
use crate::domain::Timestamp;
use crate::error::AppError;
use crate::route::{AccountTab, Route};
use crate::ui::components::ErrorBanner;
use crate::ui::services::{change, failure, now, use_services, BrowserIds};
use leptos::prelude::*;

#[component]
pub fn Overview(profile: Profile) -> impl IntoView {
    view! {
        <div class="overview-grid">
            <Notes profile=profile.clone() />
            <LoginActivity profile=profile.clone() />
            <ContactsSummary profile=profile />
        </div>
    }
}

#[component]
fn Notes(profile: Profile) -> impl IntoView {
    let services = use_services();
    let account_id = profile.account.id.clone();
    let draft = RwSignal::new(String::new());
    let draft_error = RwSignal::new(None::<String>);
    let expanded = RwSignal::new(false);
    let save = change(|store, note: Note| async move { store.save_note(&note).await });
    let delete = change(|store, note: Note| async move { store.delete_note(&note.id).await });
    let add = move |_| match check_note_text(&draft.get_untracked()) {
        Ok(text) => {
            let at = now();
            save.dispatch_local(Note {
                id: BrowserIds.id(),
                account_id: account_id.clone(),
                text,
                by: services.actor(),
                created_at: at,
                updated_at: at,
            });
            draft.set(String::new());
            draft_error.set(None);
        }
        Err(e) => draft_error.set(e.0.first().map(|f| f.message.clone())),
    };
    let total = profile.notes.len();
    let notes = StoredValue::new(profile.notes);
    let editable = services.may_manage();
    view! {
        <section class="card" aria-labelledby="notes-heading">
            <h2 id="notes-heading">{format!("Notes ({total})")}</h2>
            {move || failure(save).get().or_else(|| failure(delete).get()).map(|e| view! { <ErrorBanner error=e /> })}
            <div class="field">
                <label for="new-note">"New note"</label>
                <textarea
                    id="new-note"
                    rows="3"
                    prop:value=move || draft.get()
                    on:input=move |ev| draft.set(event_target_value(&ev))
                    aria-invalid=move || draft_error.get().is_some().then_some("true")
                    aria-describedby="new-note-error"
                    disabled=!editable
                ></textarea>
                <p class="error-text" id="new-note-error" role="alert">
                    {move || draft_error.get()}
                </p>
            </div>
            <button type="button" class="btn primary" on:click=add disabled=!editable>
                "Add note"
            </button>
            <ul class="item-list">
                {move || {
                    let shown = if expanded.get() { total } else { LATEST };
                    notes
                        .get_value()
                        .into_iter()
                        .take(shown)
                        .map(|n| view! { <NoteItem note=n save delete editable /> })
                        .collect_view()
                }}
            </ul>
            <ViewAll total expanded what="notes" />
        </section>
    }
}

#[component]
fn NoteItem(
    note: Note,
    save: Action<Note, Result<(), AppError>>,
    delete: Action<Note, Result<(), AppError>>,
    editable: bool,
) -> impl IntoView {
    let editing = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let text = RwSignal::new(note.text.clone());
    let error = RwSignal::new(None::<String>);
    let note = StoredValue::new(note);
    let field_id = format!("note-{}", note.with_value(|n| n.id.to_string()));
    let meta = note.with_value(|n| {
        let edited = if n.updated_at != n.created_at {
            " (edited)"
        } else {
            ""
        };
        format!("{} · {}{edited}", n.by, n.created_at.date_iso())
    });
    let save_edit = move |_| match check_note_text(&text.get_untracked()) {
        Ok(t) => {
            let mut n = note.get_value();
            n.text = t;
            n.updated_at = Timestamp(now().0.max(n.created_at.0 + 1));
            save.dispatch_local(n);
            editing.set(false);
        }
        Err(e) => error.set(e.0.first().map(|f| f.message.clone())),
    };
    view! {
        <li class="note">
            <Show
                when=move || editing.get()
                fallback=move || {
                    view! {
                        <p class="note-text">{note.with_value(|n| n.text.clone())}</p>
                    }
                }
            >
                <label class="visually-hidden" for=field_id.clone()>
                    "Edit note"
                </label>
                <textarea
                    id=field_id.clone()
                    rows="3"
                    prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))
                ></textarea>
                <p class="error-text" role="alert">{move || error.get()}</p>
                <button type="button" class="btn primary" on:click=save_edit>
                    "Save note"
                </button>
                <button type="button" class="btn" on:click=move |_| editing.set(false)>
                    "Cancel"
                </button>
            </Show>
            <p class="muted small">{meta}</p>
            <Show when=move || editable && !editing.get()>
                <Show
                    when=move || confirming.get()
                    fallback=move || {
                        view! {
                            <button type="button" class="btn link" on:click=move |_| editing.set(true)>
                                "Edit"
                            </button>
                            " "
                            <button type="button" class="btn link danger" on:click=move |_| confirming.set(true)>
                                "Delete"
                            </button>
                        }
                    }
                >
                    <span role="group" aria-label="Confirm deleting the note">
                        "Delete this note? "
                        <button
                            type="button"
                            class="btn danger"
                            on:click=move |_| {
                                delete.dispatch_local(note.get_value());
                            }
                        >
                            "Delete note"
                        </button>
                        " "
                        <button type="button" class="btn" on:click=move |_| confirming.set(false)>
                            "Keep it"
                        </button>
                    </span>
                </Show>
            </Show>
        </li>
    }
}

/// One line of login activity: an email with portal access.
#[derive(Clone)]
struct Activity {
    who: String,
    email: String,
    status: String,
    at: Option<Timestamp>,
}

#[component]
fn LoginActivity(profile: Profile) -> impl IntoView {
    let mut rows: Vec<Activity> = Vec::new();
    for (link, contact) in &profile.contacts {
        for access in link.email_access.iter().filter(|a| a.login) {
            let (status, at) = match (access.activated_at, access.invited_at) {
                (Some(t), _) => (format!("Activated {}", t.date_iso()), Some(t)),
                (None, Some(t)) => (format!("Invited {} · not activated yet", t.date_iso()), Some(t)),
                (None, None) => ("Portal access on · not invited yet".to_owned(), None),
            };
            rows.push(Activity {
                who: contact.display_name(),
                email: access.email.clone(),
                status,
                at,
            });
        }
    }
    rows.sort_by_key(|r| std::cmp::Reverse(r.at));
    let total = rows.len();
    let expanded = RwSignal::new(false);
    let rows = StoredValue::new(rows);
    view! {
        <section class="card" aria-labelledby="login-heading">
            <h2 id="login-heading">"Login activity"</h2>
            {(total == 0)
                .then(|| {
                    view! { <p class="muted">"No contact of this account has portal access yet."</p> }
                })}
            <ul class="item-list">
                {move || {
                    let shown = if expanded.get() { total } else { LATEST };
                    rows.get_value()
                        .into_iter()
                        .take(shown)
                        .map(|r| {
                            view! {
                                <li>
                                    <strong>{r.who}</strong>
                                    " "
                                    <span class="muted">{r.email}</span>
                                    <br />
                                    <span>{r.status}</span>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
            <ViewAll total expanded what="logins" />
        </section>
    }
}

#[component]
fn ContactsSummary(profile: Profile) -> impl IntoView {
    let info = Route::Account(profile.account.id.clone(), AccountTab::Info).href();
    view! {
        <section class="card" aria-labelledby="contacts-summary-heading">
            <h2 id="contacts-summary-heading">{format!("Contacts ({})", profile.contacts.len())}</h2>
            <ul class="item-list">
                {profile
                    .contacts
                    .iter()
                    .map(|(link, c)| {
                        let email = c.main_email().map(|e| e.to_string()).unwrap_or_default();
                        let description = link.description.clone();
                        view! {
                            <li>
                                <a href=Route::Contact(c.id.clone()).href()>{c.display_name()}</a>
                                " "
                                <span class="muted">{email}</span>
                                {(!description.is_empty()).then(|| view! { " · " <em>{description}</em> })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <a href=info>"Manage contacts in Info"</a>
        </section>
    }
}
