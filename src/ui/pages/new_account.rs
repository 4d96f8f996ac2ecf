//! New → Account, in two steps: (1) type and names, (2) contacts.
//! Everything is validated before anything is written; problems show next to
//! their fields and nothing is saved until all of them are fixed.

use crate::domain::catalog::{Catalog, FieldTarget};
use crate::domain::history::{self, Change};
use crate::domain::ids::{FieldId, TagId, TemplateId};
use crate::domain::new_account::ContactDraft;
use crate::domain::{AccountType, Contact, NewAccount, NewAccountDraft, NewContactDraft, ValidationErrors};
use crate::error::AppError;
use crate::i18n::{t, tf, Key};
use crate::route::Route;
use crate::ui::components::{
    CheckField, ContactFinder, MapFieldInput, NewContactInputs, TagPicker, TextField,
};
use crate::ui::nav::navigate;
use crate::ui::services::{now, read, use_services, BrowserIds};
use leptos::prelude::*;
use std::collections::BTreeMap;

/// The inputs of one contact in step 2.
#[derive(Clone, Copy)]
struct ContactForm {
    key: u32,
    typed: NewContactInputs,
    /// An existing contact linked instead of a new one.
    linked: RwSignal<Option<Contact>>,
    /// A stored contact that already has the typed email.
    email_owner: RwSignal<Option<Contact>>,
    tags: RwSignal<Vec<TagId>>,
    custom: RwSignal<BTreeMap<FieldId, String>>,
}

impl ContactForm {
    fn new(key: u32) -> Self {
        Self {
            key,
            typed: NewContactInputs::new(),
            linked: RwSignal::new(None),
            email_owner: RwSignal::new(None),
            tags: RwSignal::new(Vec::new()),
            custom: RwSignal::new(BTreeMap::new()),
        }
    }

    fn draft(&self) -> ContactDraft {
        match self.linked.get_untracked() {
            Some(c) => ContactDraft::Existing(Box::new(c)),
            None => ContactDraft::New(NewContactDraft {
                tags: self.tags.get_untracked(),
                custom: self.custom.get_untracked(),
                ..self.typed.draft()
            }),
        }
    }
}

#[component]
pub fn NewAccountPage() -> impl IntoView {
    let services = use_services();
    if !services.may_manage() {
        return view! {
            <h1>{t(Key::NewAccount)}</h1>
            <div class="banner warning" role="alert">
                {t(Key::CannotCreateAccount)}
            </div>
        }
        .into_any();
    }
    let step = RwSignal::new(1u8);
    let kind = RwSignal::new(AccountType::Individual);
    let name = RwSignal::new(String::new());
    let company = RwSignal::new(String::new());
    let next_key = StoredValue::new(1u32);
    let contacts = RwSignal::new(vec![ContactForm::new(0)]);
    let errors = RwSignal::new(ValidationErrors::default());
    let banner = RwSignal::new(None::<String>);
    let tags = RwSignal::new(Vec::<TagId>::new());
    let template = RwSignal::new(None::<TemplateId>);
    let custom = RwSignal::new(BTreeMap::<FieldId, String>::new());
    let catalog = read(|store| async move { store.catalog().await });
    let cat = move || catalog.get().and_then(|r| r.ok()).unwrap_or_default();
    // After creation: the new account, while its portal invitations are offered.
    let created = RwSignal::new(None::<NewAccount>);

    let draft = move || NewAccountDraft {
        kind: kind.get_untracked(),
        name: name.get_untracked(),
        company_name: company.get_untracked(),
        tags: tags.get_untracked(),
        folder_template: template.get_untracked(),
        custom: custom.get_untracked(),
        contacts: contacts.get_untracked().iter().map(ContactForm::draft).collect(),
    };
    let error_for = move |field: &'static str| {
        Signal::derive(move || errors.with(|e| crate::error::field_message(e, field)))
    };

    let create = Action::new_local(move |new: &NewAccount| {
        let new = new.clone();
        async move {
            let store = services.store()?;
            let created = history::entries(
                &mut BrowserIds,
                &new.account.id,
                now(),
                &services.actor(),
                vec![Change::Created],
            );
            store.create_account(&new, &created).await?;
            Ok::<NewAccount, AppError>(new)
        }
    });
    Effect::new(move |_| match create.value().get() {
        Some(Ok(new)) => {
            services.changed();
            // Login switched on: offer to invite now (TaxDome does the same).
            if new.links.iter().any(|l| l.email_access.iter().any(|a| a.login)) {
                created.set(Some(new));
                step.set(3);
            } else {
                navigate(&Route::account(new.account.id));
            }
        }
        Some(Err(e)) => show_errors(e, errors, banner, step),
        None => {}
    });

    let go_next = move || {
        let mut found = draft().check_step1();
        // Custom values and chosen tags of the account are checked now too.
        if let Err(all) = draft().build_in(&cat(), &mut BrowserIds, now()) {
            let extra: Vec<_> = all
                .0
                .into_iter()
                .filter(|e| e.field.starts_with("account.") && found.for_field(&e.field).is_none())
                .collect();
            found.0.extend(extra);
        }
        if found.is_empty() {
            errors.set(ValidationErrors::default());
            banner.set(None);
            step.set(2);
        } else {
            show_errors(AppError::from(found), errors, banner, step);
        }
    };
    let submit = move || {
        if step.get_untracked() == 1 {
            go_next();
            return;
        }
        match draft().build_in(&cat(), &mut BrowserIds, now()) {
            Ok(new) => {
                errors.set(ValidationErrors::default());
                banner.set(None);
                create.dispatch_local(new);
            }
            Err(found) => show_errors(AppError::from(found), errors, banner, step),
        }
    };
    let add_contact = move |_| {
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        contacts.update(|c| c.push(ContactForm::new(key)));
    };

    view! {
        <header class="page-header">
            <h1>{t(Key::NewAccount)}</h1>
            <p class="steps" aria-live="polite">
                {move || match step.get() {
                    1 => t(Key::Step1),
                    2 => t(Key::Step2),
                    _ => t(Key::StepInvite),
                }}
            </p>
        </header>
        {move || banner.get().map(|m| view! { <div class="banner error" role="alert">{m}</div> })}
        <form
            class="form"
            novalidate
            on:submit=move |ev| {
                ev.prevent_default();
                submit();
            }
        >
            <Show when=move || step.get() == 1>
                <fieldset class="radio-group">
                    <legend>{t(Key::AccountType)}</legend>
                    {AccountType::ALL
                        .into_iter()
                        .map(|t| {
                            let id = format!("account-type-{}", t.code());
                            let for_id = id.clone();
                            view! {
                                <label for=for_id>
                                    <input
                                        id=id
                                        type="radio"
                                        name="account-type"
                                        value=t.code()
                                        prop:checked=move || kind.get() == t
                                        on:change=move |_| kind.set(t)
                                    />
                                    {crate::i18n::names::account_type(t)}
                                </label>
                            }
                        })
                        .collect_view()}
                </fieldset>
                <TextField
                    id="account-name"
                    label=t(Key::LabelAccountName)
                    value=name
                    error=error_for("account.name")
                    hint=t(Key::AccountNameHint)
                />
                <Show when=move || kind.get() == AccountType::Company>
                    <TextField
                        id="company-name"
                        label=t(Key::LabelCompanyName)
                        value=company
                        error=error_for("account.company_name")
                        autocomplete="organization"
                    />
                </Show>
                {move || {
                    let c = cat();
                    let has_tags = !c.tags.is_empty();
                    let fields: Vec<_> = c.fields_for(FieldTarget::Account).cloned().collect();
                    let templates = c.templates.clone();
                    view! {
                        {has_tags
                            .then(|| {
                                view! {
                                    <fieldset class="group">
                                        <legend>{t(Key::Tags)}</legend>
                                        <TagPicker tags=c.tags.clone() selected=tags prefix="new-account" />
                                        <p class="error-text" role="alert">{error_for("account.tags")}</p>
                                    </fieldset>
                                }
                            })}
                        <div class="field">
                            <label for="folder-template">{t(Key::FolderTemplate)}</label>
                            <select
                                id="folder-template"
                                aria-describedby="folder-template-hint"
                                on:change=move |ev| {
                                    let v = event_target_value(&ev);
                                    template.set(TemplateId::parse(&v));
                                }
                            >
                                <option value="" selected=template.get_untracked().is_none()>
                                    {t(Key::DefaultTemplate)}
                                </option>
                                {templates
                                    .into_iter()
                                    .map(|t| {
                                        let selected = template.get_untracked().as_ref() == Some(&t.id);
                                        view! { <option value=t.id.to_string() selected=selected>{t.name}</option> }
                                    })
                                    .collect_view()}
                            </select>
                            <p class="hint" id="folder-template-hint">
                                {tf(Key::DefaultFolderHint, &[("folder", t(Key::DefaultFolder))])}
                            </p>
                            <p class="error-text" role="alert">{error_for("account.folder_template")}</p>
                        </div>
                        {(!fields.is_empty())
                            .then(|| {
                                view! {
                                    <fieldset class="group">
                                        <legend>{t(Key::CustomFields)}</legend>
                                        {fields
                                            .into_iter()
                                            .map(|def| {
                                                let path = format!("account.custom.{}", def.id);
                                                let error = Signal::derive(move || {
                                                    errors.with(|e| crate::error::field_message(e, &path))
                                                });
                                                view! { <MapFieldInput def values=custom error prefix="account-" /> }
                                            })
                                            .collect_view()}
                                    </fieldset>
                                }
                            })}
                    }
                }}
                <div class="actions">
                    <a class="btn" href=Route::clients().href()>
                        {t(Key::Cancel)}
                    </a>
                    <button type="submit" class="btn primary">
                        {t(Key::Continue)}
                    </button>
                </div>
            </Show>
            <Show when=move || step.get() == 2>
                <p class="error-text" role="alert">
                    {move || errors.with(|e| crate::error::field_message(e, "contacts"))}
                </p>
                <For each=move || contacts.get() key=|c| c.key let:form>
                    <ContactFields form contacts errors catalog=Signal::derive(cat) />
                </For>
                <button type="button" class="btn link" on:click=add_contact>
                    {t(Key::AddAnotherContact)}
                </button>
                <div class="actions">
                    <button type="button" class="btn" on:click=move |_| step.set(1)>
                        {t(Key::Back)}
                    </button>
                    <button type="submit" class="btn primary" disabled=move || create.pending().get()>
                        {move || if create.pending().get() { t(Key::Creating) } else { t(Key::CreateAccount) }}
                    </button>
                </div>
            </Show>
        </form>
        <Show when=move || step.get() == 3>
            {move || created.get().map(|new| view! { <InviteStep new /> })}
        </Show>
    }
    .into_any()
}

/// After creation, for every email with Login on: invite now (records the
/// invitation and opens the mail program) or skip.
#[component]
fn InviteStep(new: NewAccount) -> impl IntoView {
    let message = RwSignal::new(String::new());
    let account = StoredValue::new(new.account.clone());
    let save = crate::ui::services::change(|store, link: crate::domain::Link| async move {
        store.save_link(&link, &[]).await
    });
    let rows: Vec<(crate::domain::Link, String, String)> = new
        .links
        .iter()
        .flat_map(|l| {
            let name = new
                .new_contacts
                .iter()
                .find(|c| c.id == l.contact_id)
                .map(|c| c.display_name())
                .unwrap_or_default();
            l.email_access
                .iter()
                .filter(|a| a.login)
                .map(move |a| (l.clone(), name.clone(), a.email.clone()))
        })
        .collect();
    view! {
        <section class="form" aria-labelledby="invite-heading">
            <h2 id="invite-heading">{t(Key::InviteToPortal)}</h2>
            <p>{t(Key::InviteStepText)}</p>
            {move || crate::ui::services::failure(save).get().map(|e| view! { <crate::ui::components::ErrorBanner error=e /> })}
            <div class="field">
                <label for="invite-message">{t(Key::PersonalMessage)}</label>
                <textarea
                    id="invite-message"
                    rows="3"
                    prop:value=move || message.get()
                    on:input=move |ev| message.set(event_target_value(&ev))
                ></textarea>
            </div>
            <ul class="item-list">
                {rows
                    .into_iter()
                    .map(|(link, name, email)| {
                        let sent = RwSignal::new(false);
                        let label = tf(Key::InviteEmail, &[("email", &email)]);
                        let (name2, email2) = (name.clone(), email.clone());
                        let link = StoredValue::new(link);
                        let invite = move |_| {
                            let mut l = link.get_value();
                            if let Some(a) = l.access_mut(&email2) {
                                a.invited_at = Some(now());
                            }
                            save.dispatch_local(l);
                            sent.set(true);
                            let url = crate::i18n::names::invitation_mailto(
                                &email2,
                                &name2,
                                &account.with_value(|a| a.name.clone()),
                                &message.get_untracked(),
                            );
                            if let Some(w) = web_sys::window() {
                                let _ = w.location().set_href(&url);
                            }
                        };
                        view! {
                            <li>
                                <strong>{name}</strong>
                                " "
                                <span class="muted">{email.clone()}</span>
                                " "
                                <Show
                                    when=move || sent.get()
                                    fallback=move || {
                                        view! {
                                            <button type="button" class="btn primary" aria-label=label.clone() on:click=invite.clone()>
                                                {t(Key::Invite)}
                                            </button>
                                        }
                                    }
                                >
                                    <span class="badge">{t(Key::InvitationRecorded)}</span>
                                </Show>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <div class="actions">
                <a class="btn" href=Route::account(new.account.id.clone()).href()>
                    {t(Key::Skip)}
                </a>
                <a class="btn primary" href=Route::account(new.account.id.clone()).href()>
                    {t(Key::DoneOpenAccount)}
                </a>
            </div>
        </section>
    }
}

/// Puts errors next to their fields, sums them up in the banner, and goes
/// back to step 1 when a problem is there.
fn show_errors(
    e: AppError,
    errors: RwSignal<ValidationErrors>,
    banner: RwSignal<Option<String>>,
    step: RwSignal<u8>,
) {
    let fields = e.field_errors().cloned().unwrap_or_default();
    if fields.0.iter().any(|f| f.field.starts_with("account.")) {
        step.set(1);
    }
    banner.set(Some(e.user_message()));
    errors.set(fields);
}

#[component]
fn ContactFields(
    form: ContactForm,
    contacts: RwSignal<Vec<ContactForm>>,
    errors: RwSignal<ValidationErrors>,
    catalog: Signal<Catalog>,
) -> impl IntoView {
    let services = use_services();
    let key = form.key;
    let index = Signal::derive(move || contacts.with(|c| c.iter().position(|f| f.key == key).unwrap_or(0)));
    let error_for = move |field: &'static str| {
        Signal::derive(move || {
            let path = format!("contacts[{}].{field}", index.get());
            errors.with(|e| crate::error::field_message(e, &path))
        })
    };
    let id = move |field: &str| format!("contact-{key}-{field}");
    // Points out an email that already belongs to a stored contact.
    let check_email = Callback::new(move |_| {
        let typed = form.typed.email.get_untracked();
        let Ok(store) = services.store() else { return };
        leptos::task::spawn_local(async move {
            let owner = if typed.trim().is_empty() {
                None
            } else {
                store.contact_by_email(&typed).await.ok().flatten()
            };
            form.email_owner.set(owner);
        });
    });
    let remove = move |_| contacts.update(|c| c.retain(|f| f.key != key));
    let link_owner = move |_| {
        form.linked.set(form.email_owner.get_untracked());
        form.email_owner.set(None);
    };
    view! {
        <fieldset class="contact-form">
            <legend>{move || tf(Key::ContactN, &[("number", &(index.get() + 1).to_string())])}</legend>
            {move || match form.linked.get() {
                Some(c) => {
                    let emails = c.emails.iter().map(|e| e.to_string()).collect::<Vec<_>>().join(", ");
                    view! {
                        <p class="linked">
                            <strong>{c.display_name()}</strong>
                            " "
                            <span class="muted">{emails}</span>
                            " "
                            {t(Key::ExistingWillBeLinked)}
                            " "
                            <button type="button" class="btn link" on:click=move |_| form.linked.set(None)>
                                {t(Key::EnterNewInstead)}
                            </button>
                        </p>
                        <p class="error-text" role="alert">{error_for("contact")}</p>
                    }
                        .into_any()
                }
                None => {
                    view! {
                        <FindExisting form key />
                        <div class="row">
                            <TextField
                                id=id("first-name")
                                label=t(Key::LabelFirstName)
                                value=form.typed.first
                                error=error_for("first_name")
                                autocomplete="off"
                            />
                            <TextField
                                id=id("last-name")
                                label=t(Key::LabelLastName)
                                value=form.typed.last
                                error=error_for("last_name")
                                autocomplete="off"
                            />
                        </div>
                        <div class="row">
                            <TextField
                                id=id("email")
                                label=t(Key::FieldKindEmail)
                                kind="email"
                                value=form.typed.email
                                error=error_for("email")
                                autocomplete="off"
                                on_blur=check_email
                            />
                            <TextField
                                id=id("phone")
                                label=t(Key::LabelPhone)
                                kind="tel"
                                value=form.typed.phone
                                error=error_for("phone")
                                autocomplete="off"
                            />
                        </div>
                        {move || {
                            form.email_owner
                                .get()
                                .map(|owner| {
                                    view! {
                                        <p class="banner warning" role="status">
                                            {tf(
                                                Key::EmailBelongsTo,
                                                &[("email", form.typed.email.get_untracked().trim()), ("name", &owner.display_name())],
                                            )}
                                            " "
                                            <button type="button" class="btn link" on:click=link_owner>
                                                {tf(Key::LinkInstead, &[("name", &owner.display_name())])}
                                            </button>
                                        </p>
                                    }
                                })
                        }}
                        {move || {
                            let c = catalog.get();
                            let fields: Vec<_> = c.fields_for(FieldTarget::Contact).cloned().collect();
                            view! {
                                {(!c.tags.is_empty())
                                    .then(|| {
                                        view! {
                                            <fieldset class="group">
                                                <legend>{t(Key::ContactTags)}</legend>
                                                <TagPicker tags=c.tags.clone() selected=form.tags prefix=format!("contact-{key}") />
                                            </fieldset>
                                        }
                                    })}
                                {fields
                                    .into_iter()
                                    .map(|def| {
                                        let def_id = def.id.clone();
                                        let error = Signal::derive(move || {
                                            let path = format!("contacts[{}].custom.{}", index.get(), def_id);
                                            errors.with(|e| crate::error::field_message(e, &path))
                                        });
                                        view! { <MapFieldInput def values=form.custom error prefix=format!("contact-{key}-") /> }
                                    })
                                    .collect_view()}
                            }
                        }}
                        <div class="switches" role="group" aria-label=t(Key::PortalAndNotifications)>
                            <CheckField id=id("login") label=t(Key::LoginPortalAccess) value=form.typed.login />
                            <CheckField id=id("notify") label=t(Key::SwitchNotify) value=form.typed.notify />
                            <CheckField id=id("sync") label=t(Key::SwitchEmailSync) value=form.typed.sync />
                        </div>
                    }
                        .into_any()
                }
            }}
            <Show when=move || { contacts.with(|c| c.len() > 1) }>
                <button type="button" class="btn link danger" on:click=remove>
                    {move || tf(Key::RemoveContactN, &[("number", &(index.get() + 1).to_string())])}
                </button>
            </Show>
        </fieldset>
    }
}

/// "Link an existing contact instead": type-ahead by name or any part of an email.
#[component]
fn FindExisting(form: ContactForm, key: u32) -> impl IntoView {
    let open = RwSignal::new(false);
    let pick = Callback::new(move |c: Contact| {
        form.linked.set(Some(c));
        open.set(false);
    });
    view! {
        <Show
            when=move || open.get()
            fallback=move || {
                view! {
                    <button type="button" class="btn link" on:click=move |_| open.set(true)>
                        {t(Key::LinkExistingInstead)}
                    </button>
                }
            }
        >
            <div class="sub-form">
                <ContactFinder id=format!("contact-{key}-find") on_pick=pick />
                <button type="button" class="btn" on:click=move |_| open.set(false)>
                    {t(Key::Cancel)}
                </button>
            </div>
        </Show>
    }
}
