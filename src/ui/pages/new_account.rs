//! New → Account, in two steps: (1) type and names, (2) contacts.
//! Everything is validated before anything is written; problems show next to
//! their fields and nothing is saved until all of them are fixed.

use crate::domain::history::{self, Change};
use crate::domain::new_account::ContactDraft;
use crate::domain::{
    AccountId, AccountType, Contact, NewAccount, NewAccountDraft, NewContactDraft, ValidationErrors,
};
use crate::error::AppError;
use crate::route::Route;
use crate::ui::components::{CheckField, TextField};
use crate::ui::nav::navigate;
use crate::ui::services::{now, use_services, BrowserIds};
use leptos::prelude::*;

/// The inputs of one contact in step 2.
#[derive(Clone, Copy)]
struct ContactForm {
    key: u32,
    first: RwSignal<String>,
    last: RwSignal<String>,
    email: RwSignal<String>,
    phone: RwSignal<String>,
    login: RwSignal<bool>,
    notify: RwSignal<bool>,
    sync: RwSignal<bool>,
    /// An existing contact linked instead of a new one.
    linked: RwSignal<Option<Contact>>,
    /// A stored contact that already has the typed email.
    email_owner: RwSignal<Option<Contact>>,
}

impl ContactForm {
    fn new(key: u32) -> Self {
        Self {
            key,
            first: RwSignal::new(String::new()),
            last: RwSignal::new(String::new()),
            email: RwSignal::new(String::new()),
            phone: RwSignal::new(String::new()),
            login: RwSignal::new(false),
            notify: RwSignal::new(false),
            sync: RwSignal::new(false),
            linked: RwSignal::new(None),
            email_owner: RwSignal::new(None),
        }
    }

    fn draft(&self) -> ContactDraft {
        match self.linked.get_untracked() {
            Some(c) => ContactDraft::Existing(Box::new(c)),
            None => ContactDraft::New(NewContactDraft {
                first_name: self.first.get_untracked(),
                last_name: self.last.get_untracked(),
                email: self.email.get_untracked(),
                phone: self.phone.get_untracked(),
                login: self.login.get_untracked(),
                notify: self.notify.get_untracked(),
                email_sync: self.sync.get_untracked(),
            }),
        }
    }
}

#[component]
pub fn NewAccountPage() -> impl IntoView {
    let services = use_services();
    let step = RwSignal::new(1u8);
    let kind = RwSignal::new(AccountType::Individual);
    let name = RwSignal::new(String::new());
    let company = RwSignal::new(String::new());
    let next_key = StoredValue::new(1u32);
    let contacts = RwSignal::new(vec![ContactForm::new(0)]);
    let errors = RwSignal::new(ValidationErrors::default());
    let banner = RwSignal::new(None::<String>);

    let draft = move || NewAccountDraft {
        kind: kind.get_untracked(),
        name: name.get_untracked(),
        company_name: company.get_untracked(),
        contacts: contacts.get_untracked().iter().map(ContactForm::draft).collect(),
    };
    let error_for = move |field: &'static str| {
        Signal::derive(move || errors.with(|e| e.for_field(field).map(str::to_owned)))
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
            Ok::<AccountId, AppError>(new.account.id)
        }
    });
    Effect::new(move |_| match create.value().get() {
        Some(Ok(id)) => {
            services.changed();
            navigate(&Route::account(id));
        }
        Some(Err(e)) => show_errors(e, errors, banner, step),
        None => {}
    });

    let go_next = move || {
        let found = draft().check_step1();
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
        match draft().build(&mut BrowserIds, now()) {
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
            <h1>"New account"</h1>
            <p class="steps" aria-live="polite">
                {move || if step.get() == 1 { "Step 1 of 2: account info" } else { "Step 2 of 2: contacts" }}
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
                    <legend>"Account type"</legend>
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
                                    {t.label()}
                                </label>
                            }
                        })
                        .collect_view()}
                </fieldset>
                <TextField
                    id="account-name"
                    label="Account name"
                    value=name
                    error=error_for("account.name")
                    hint="Leave empty to use the contact's name (or the company name)."
                />
                <Show when=move || kind.get() == AccountType::Company>
                    <TextField
                        id="company-name"
                        label="Company name"
                        value=company
                        error=error_for("account.company_name")
                        autocomplete="organization"
                    />
                </Show>
                <div class="actions">
                    <a class="btn" href=Route::clients().href()>
                        "Cancel"
                    </a>
                    <button type="submit" class="btn primary">
                        "Continue"
                    </button>
                </div>
            </Show>
            <Show when=move || step.get() == 2>
                <p class="error-text" role="alert">
                    {move || errors.with(|e| e.for_field("contacts").map(str::to_owned))}
                </p>
                <For each=move || contacts.get() key=|c| c.key let:form>
                    <ContactFields form contacts errors />
                </For>
                <button type="button" class="btn link" on:click=add_contact>
                    "+ Add another contact"
                </button>
                <div class="actions">
                    <button type="button" class="btn" on:click=move |_| step.set(1)>
                        "Back"
                    </button>
                    <button type="submit" class="btn primary" disabled=move || create.pending().get()>
                        {move || if create.pending().get() { "Creating…" } else { "Create account" }}
                    </button>
                </div>
            </Show>
        </form>
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
) -> impl IntoView {
    let services = use_services();
    let key = form.key;
    let index = Signal::derive(move || contacts.with(|c| c.iter().position(|f| f.key == key).unwrap_or(0)));
    let error_for = move |field: &'static str| {
        Signal::derive(move || {
            let path = format!("contacts[{}].{field}", index.get());
            errors.with(|e| e.for_field(&path).map(str::to_owned))
        })
    };
    let id = move |field: &str| format!("contact-{key}-{field}");
    // Points out an email that already belongs to a stored contact.
    let check_email = Callback::new(move |_| {
        let typed = form.email.get_untracked();
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
            <legend>{move || format!("Contact {}", index.get() + 1)}</legend>
            {move || match form.linked.get() {
                Some(c) => {
                    let emails = c.emails.iter().map(|e| e.to_string()).collect::<Vec<_>>().join(", ");
                    view! {
                        <p class="linked">
                            <strong>{c.display_name()}</strong>
                            " "
                            <span class="muted">{emails}</span>
                            " (existing contact, will be linked) "
                            <button type="button" class="btn link" on:click=move |_| form.linked.set(None)>
                                "Enter a new contact instead"
                            </button>
                        </p>
                        <p class="error-text" role="alert">{error_for("contact")}</p>
                    }
                        .into_any()
                }
                None => {
                    view! {
                        <div class="row">
                            <TextField
                                id=id("first-name")
                                label="First name"
                                value=form.first
                                error=error_for("first_name")
                                autocomplete="off"
                            />
                            <TextField
                                id=id("last-name")
                                label="Last name"
                                value=form.last
                                error=error_for("last_name")
                                autocomplete="off"
                            />
                        </div>
                        <div class="row">
                            <TextField
                                id=id("email")
                                label="Email"
                                kind="email"
                                value=form.email
                                error=error_for("email")
                                autocomplete="off"
                                on_blur=check_email
                            />
                            <TextField
                                id=id("phone")
                                label="Phone"
                                kind="tel"
                                value=form.phone
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
                                            {format!(
                                                "{} already belongs to {}. ",
                                                form.email.get_untracked().trim(),
                                                owner.display_name(),
                                            )}
                                            <button type="button" class="btn link" on:click=link_owner>
                                                {format!("Link {} instead", owner.display_name())}
                                            </button>
                                        </p>
                                    }
                                })
                        }}
                        <div class="switches" role="group" aria-label="Portal and notifications">
                            <CheckField id=id("login") label="Login (portal access)" value=form.login />
                            <CheckField id=id("notify") label="Notify" value=form.notify />
                            <CheckField id=id("sync") label="Email sync" value=form.sync />
                        </div>
                    }
                        .into_any()
                }
            }}
            <Show when=move || { contacts.with(|c| c.len() > 1) }>
                <button type="button" class="btn link danger" on:click=remove>
                    {move || format!("Remove contact {}", index.get() + 1)}
                </button>
            </Show>
        </fieldset>
    }
}
