//! The Overview tab: what matters about the client at a glance, one card
//! per kind of item, each with the five latest and "View all". New kinds of
//! items (documents, tasks, invoices, ...) become more cards in this grid.

use super::{Profile, ViewAll, LATEST};
use crate::domain::ids::IdSource;
use crate::domain::note::{check_note_text, Note};
use crate::domain::Timestamp;
use crate::error::AppError;
use crate::i18n::{t, tf, Key};
use crate::route::{AccountTab, Route};
use crate::ui::components::{kept, ErrorBanner};
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
    let (draft, draft_error, expanded) = kept("notes", || {
        (
            RwSignal::new(String::new()),
            RwSignal::new(None::<String>),
            RwSignal::new(false),
        )
    });
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
        Err(e) => draft_error.set(e.0.first().map(|f| crate::error::problem_text(&f.problem))),
    };
    let total = profile.notes.len();
    let notes = StoredValue::new(profile.notes);
    let editable = services.may_manage();
    view! {
        <section class="card" aria-labelledby="notes-heading">
            <h2 id="notes-heading">{tf(Key::NotesCount, &[("count", &crate::i18n::number(total as i64))])}</h2>
            {move || failure(save).get().or_else(|| failure(delete).get()).map(|e| view! { <ErrorBanner error=e /> })}
            <div class="field">
                <label for="new-note">{t(Key::NewNote)}</label>
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
                {t(Key::AddNote)}
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
            <ViewAll total expanded what=Key::ViewAllNotes />
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
    let (editing, confirming, text, error) = kept(format!("note/{}", note.id), || {
        (
            RwSignal::new(false),
            RwSignal::new(false),
            RwSignal::new(String::new()),
            RwSignal::new(None::<String>),
        )
    });
    let note = StoredValue::new(note);
    let edit = move |_| {
        text.set(note.with_value(|n| n.text.clone()));
        error.set(None);
        editing.set(true);
    };
    let field_id = format!("note-{}", note.with_value(|n| n.id.to_string()));
    let meta = note.with_value(|n| {
        let (by, date) = (crate::i18n::names::actor(&n.by), crate::i18n::date(n.created_at));
        if n.updated_at != n.created_at {
            tf(Key::NoteMetaEdited, &[("by", by), ("date", &date)])
        } else {
            tf(Key::NoteMeta, &[("by", by), ("date", &date)])
        }
    });
    let save_edit = move |_| match check_note_text(&text.get_untracked()) {
        Ok(t) => {
            let mut n = note.get_value();
            n.text = t;
            n.updated_at = Timestamp(now().0.max(n.created_at.0 + 1));
            save.dispatch_local(n);
            editing.set(false);
        }
        Err(e) => error.set(e.0.first().map(|f| crate::error::problem_text(&f.problem))),
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
                    {t(Key::EditNote)}
                </label>
                <textarea
                    id=field_id.clone()
                    rows="3"
                    prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))
                ></textarea>
                <p class="error-text" role="alert">{move || error.get()}</p>
                <button type="button" class="btn primary" on:click=save_edit>
                    {t(Key::SaveNote)}
                </button>
                <button type="button" class="btn" on:click=move |_| editing.set(false)>
                    {t(Key::Cancel)}
                </button>
            </Show>
            <p class="muted small">{meta}</p>
            <Show when=move || editable && !editing.get()>
                <Show
                    when=move || confirming.get()
                    fallback=move || {
                        view! {
                            <button type="button" class="btn link" on:click=edit>
                                {t(Key::Edit)}
                            </button>
                            " "
                            <button type="button" class="btn link danger" on:click=move |_| confirming.set(true)>
                                {t(Key::Delete)}
                            </button>
                        }
                    }
                >
                    <span role="group" aria-label=t(Key::ConfirmDeleteNote)>
                        {t(Key::DeleteThisNote)}
                        " "
                        <button
                            type="button"
                            class="btn danger"
                            on:click=move |_| {
                                delete.dispatch_local(note.get_value());
                            }
                        >
                            {t(Key::DeleteNote)}
                        </button>
                        " "
                        <button type="button" class="btn" on:click=move |_| confirming.set(false)>
                            {t(Key::KeepIt)}
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
                (Some(at), _) => (
                    tf(Key::ActivatedOn, &[("date", &crate::i18n::date(at))]),
                    Some(at),
                ),
                (None, Some(at)) => (
                    tf(Key::InvitedNotActivated, &[("date", &crate::i18n::date(at))]),
                    Some(at),
                ),
                (None, None) => (t(Key::PortalOnNotInvited).to_owned(), None),
            };
            rows.push(Activity {
                who: contact.display_name(),
                email: access.email.clone(),
                status,
                at,
            });
        }
    }
    crate::domain::sort::sort_by_key(&mut rows, |r| std::cmp::Reverse(r.at));
    let total = rows.len();
    let expanded = kept("logins/expanded", || RwSignal::new(false));
    let rows = StoredValue::new(rows);
    view! {
        <section class="card" aria-labelledby="login-heading">
            <h2 id="login-heading">{t(Key::LoginActivity)}</h2>
            {(total == 0)
                .then(|| {
                    view! { <p class="muted">{t(Key::NoPortalAccessYet)}</p> }
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
            <ViewAll total expanded what=Key::ViewAllLogins />
        </section>
    }
}

#[component]
fn ContactsSummary(profile: Profile) -> impl IntoView {
    let info = Route::Account(profile.account.id.clone(), AccountTab::Info).href();
    view! {
        <section class="card" aria-labelledby="contacts-summary-heading">
            <h2 id="contacts-summary-heading">
                {tf(Key::ContactsCount, &[("count", &crate::i18n::number(profile.contacts.len() as i64))])}
            </h2>
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
            <a href=info>{t(Key::ManageContactsInInfo)}</a>
        </section>
    }
}
