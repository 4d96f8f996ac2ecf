//! A contact's own page: personal details (editable), emails, tags, custom
//! fields, and every account the person belongs to, with the switches of
//! each email for that account; link to another account or unlink; export
//! the contact as a vCard.

use crate::bundle::vcard;
use crate::domain::catalog::{Catalog, FieldTarget};
use crate::domain::edit::ContactEdit;
use crate::domain::history::{self, Change};
use crate::domain::{Account, AccountId, Contact, ContactId, EmailAccess, Link, ValidationErrors};
use crate::i18n::{t, tf, tn, Key};
use crate::route::Route;
use crate::store::StoreError;
use crate::ui::components::{
    kept, provide_kept, use_kept, AddressFields, AddressForm, CustomFieldsGroup, CustomInputs, ErrorBanner,
    Kept, Loading, TagList, TagPicker, TextField,
};
use crate::ui::pages::account::contacts::{EmailSwitches, LinkChange};
use crate::ui::pages::account::photo::ContactPhotoControls;
use crate::ui::pages::account::Avatar;
use crate::ui::services::{change, failure, now, on_saved, read, use_services, BrowserIds};
use leptos::prelude::*;

#[derive(Clone)]
struct Details {
    contact: Contact,
    photo: Option<String>,
    accounts: Vec<(Link, Account)>,
    catalog: Catalog,
}

#[component]
pub fn ContactPage(id: ContactId) -> impl IntoView {
    // What is open or typed outlives the view built anew after every write.
    provide_kept();
    let details = read(move |store| {
        let id = id.clone();
        async move {
            let Some(contact) = store.contact(&id).await? else {
                return Ok::<_, StoreError>(None);
            };
            Ok(Some(Details {
                photo: store.contact_photo(&id).await?,
                accounts: store.contact_accounts(&id).await?,
                catalog: store.catalog().await?,
                contact,
            }))
        }
    });
    move || match details.get() {
        None => view! { <Loading /> }.into_any(),
        Some(Err(e)) => view! { <ErrorBanner error=e /> }.into_any(),
        Some(Ok(None)) => view! {
            <h1>{t(Key::ContactNotFound)}</h1>
            <a href=Route::clients().href()>{t(Key::BackToClients)}</a>
        }
        .into_any(),
        Some(Ok(Some(d))) => view! { <ContactView details=d /> }.into_any(),
    }
}

#[component]
fn ContactView(details: Details) -> impl IntoView {
    let services = use_services();
    let manage = services.may_manage();
    let editing = kept("details/editing", || RwSignal::new(false));
    let c = details.contact.clone();
    let contact = StoredValue::new(details.contact.clone());
    let catalog = StoredValue::new(details.catalog.clone());
    let photo = StoredValue::new(details.photo.clone());
    let exported = RwSignal::new(None::<String>);
    // The previous download's object URL is released at the next export.
    let last_url = StoredValue::new(None::<String>);
    let export = move |_| {
        let (name, text) = contact.with_value(|c| {
            (
                vcard::write::file_name(c),
                catalog
                    .with_value(|cat| photo.with_value(|p| vcard::write_contact_with(c, cat, p.as_deref()))),
            )
        });
        match crate::ui::pages::data::download(&name, &text, "text/vcard") {
            Ok(url) => {
                if let Some(old) = last_url.get_value() {
                    let _ = web_sys::Url::revoke_object_url(&old);
                }
                last_url.set_value(Some(url));
                exported.set(Some(tf(Key::DownloadedFile, &[("file", &name)])));
            }
            Err(e) => exported.set(Some(tf(Key::FileNotMade, &[("reason", &e)]))),
        }
    };
    view! {
        <header class="profile-header">
            <Avatar name=c.display_name() photo=details.photo.clone() />
            <div class="profile-title">
                <h1>{c.display_name()}</h1>
                <p class="muted">
                    {t(Key::ContactColumn)}
                    " · "
                    {tn(Key::UsesAccounts, details.accounts.len(), &[])}
                    " "
                    <TagList tags=c.tags.clone() catalog=details.catalog.clone() />
                </p>
            </div>
            <div class="profile-actions">
                <button type="button" class="btn" title=t(Key::ExportContactVcardTitle) on:click=export>
                    {t(Key::ExportVcard)}
                </button>
                <p class="notice" role="status">{move || exported.get()}</p>
            </div>
        </header>
        <ContactPhotoControls
            contact=c.clone()
            accounts=details.accounts.iter().map(|(l, _)| l.account_id.clone()).collect()
            photo=details.photo.clone()
            manage=manage
        />
        <section class="card" aria-labelledby="contact-details">
            <div class="card-header">
                <h2 id="contact-details">{t(Key::PersonalDetails)}</h2>
                <Show when=move || !editing.get()>
                    <button
                        type="button"
                        class="btn"
                        aria-label=t(Key::EditPersonalDetails)
                        on:click=move |_| editing.set(true)
                        disabled=!manage
                    >
                        {t(Key::Edit)}
                    </button>
                </Show>
            </div>
            {move || {
                if editing.get() {
                    view! { <EditContact contact=contact.get_value() catalog=catalog.get_value() editing /> }.into_any()
                } else {
                    view! { <ContactFacts contact=contact.get_value() catalog=catalog.get_value() /> }.into_any()
                }
            }}
        </section>
        <ContactAccounts details=details />
    }
}

#[component]
fn ContactFacts(contact: Contact, catalog: Catalog) -> impl IntoView {
    let c = contact;
    let address = [
        &c.address.street,
        &c.address.postal_code,
        &c.address.city,
        &c.address.state,
        &c.address.country,
    ]
    .iter()
    .filter(|s| !s.trim().is_empty())
    .map(|s| s.as_str())
    .collect::<Vec<_>>()
    .join(", ");
    let dash = |s: String| if s.is_empty() { "—".to_owned() } else { s };
    let main = c.emails.first().map(|e| e.to_string()).unwrap_or_default();
    let more = c
        .emails
        .iter()
        .skip(1)
        .map(|e| e.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let custom: Vec<(String, String)> = catalog
        .fields_for(FieldTarget::Contact)
        .map(|f| {
            let raw = c.custom.get(&f.id).map(String::as_str).unwrap_or_default();
            (f.label.clone(), crate::i18n::names::field_value(&f.kind, raw))
        })
        .collect();
    view! {
        <dl class="facts">
            <dt>{t(Key::LabelName)}</dt>
            <dd>{c.display_name()}</dd>
            <dt>{t(Key::MainEmail)}</dt>
            <dd>{dash(main)}</dd>
            <dt>{t(Key::AdditionalEmails)}</dt>
            <dd>{dash(more)}</dd>
            <dt>{t(Key::LabelPhone)}</dt>
            <dd>{dash(c.phones.join(", "))}</dd>
            <dt>{t(Key::Address)}</dt>
            <dd>{dash(address)}</dd>
            <dt>{t(Key::LabelDateOfBirth)}</dt>
            <dd>{dash(crate::i18n::iso_date(&c.date_of_birth))}</dd>
            {custom
                .into_iter()
                .map(|(label, value)| view! { <dt>{label}</dt> <dd>{value}</dd> })
                .collect_view()}
        </dl>
    }
}

/// A growable list of text inputs (emails, phones).
#[component]
fn ListField(
    #[prop(into)] id: String,
    label: &'static str,
    add_label: &'static str,
    values: RwSignal<Vec<RwSignal<String>>>,
    errors: RwSignal<ValidationErrors>,
    /// Error path prefix, e.g. `emails`.
    path: &'static str,
    #[prop(default = "text")] kind: &'static str,
) -> impl IntoView {
    // An added input lives as long as the list kept by the page.
    let keep = use_kept();
    view! {
        <fieldset class="group">
            <legend>{label}</legend>
            {move || {
                let id = id.clone();
                values
                    .get()
                    .into_iter()
                    .enumerate()
                    .map(|(i, v)| {
                        let field_label = if path == "emails" && i == 0 { t(Key::MainEmail).to_owned() } else { format!("{label} {}", i + 1) };
                        let input_id = format!("{id}-{i}");
                        let error_path = format!("{path}[{i}]");
                        let error = Signal::derive(move || errors.with(|e| crate::error::field_message(e, &error_path)));
                        let remove_label = tf(Key::RemoveWhat, &[("what", &field_label)]);
                        view! {
                            <div class="list-row">
                                <div class="field">
                                    <label for=input_id.clone()>{field_label}</label>
                                    <input
                                        id=input_id.clone()
                                        type=kind
                                        prop:value=move || v.get()
                                        on:input=move |ev| v.set(event_target_value(&ev))
                                        aria-invalid=move || error.get().is_some().then_some("true")
                                        aria-describedby=format!("{input_id}-error")
                                    />
                                    <p class="error-text" id=format!("{input_id}-error") role="alert">
                                        {move || error.get()}
                                    </p>
                                </div>
                                <button
                                    type="button"
                                    class="btn link danger"
                                    aria-label=remove_label
                                    on:click=move |_| values.update(|list| {
                                        if i < list.len() {
                                            list.remove(i);
                                        }
                                    })
                                >
                                    {t(Key::Remove)}
                                </button>
                            </div>
                        }
                    })
                    .collect_view()
            }}
            <button type="button" class="btn link" on:click=move |_| values.update(|l| l.push(keep.owned(|| RwSignal::new(String::new()))))>
                {add_label}
            </button>
        </fieldset>
    }
}

/// The key of the Edit personal details form's kept state.
const EDIT_FORM: &str = "details/form";

/// The Edit personal details form's inputs, filled from the contact when
/// the form opens, and that contact as the form showed it (`base`: what a
/// save compares with what is stored then, see `ContactEdit::rebase`).
#[derive(Clone)]
struct ContactForm {
    first: RwSignal<String>,
    middle: RwSignal<String>,
    last: RwSignal<String>,
    emails: RwSignal<Vec<RwSignal<String>>>,
    phones: RwSignal<Vec<RwSignal<String>>>,
    address: AddressForm,
    dob: RwSignal<String>,
    tags: RwSignal<Vec<crate::domain::ids::TagId>>,
    custom: CustomInputs,
    errors: RwSignal<ValidationErrors>,
    /// A problem with the last save that belongs to no one field.
    notice: RwSignal<Option<String>>,
    base: RwSignal<ContactEdit>,
}

impl ContactForm {
    fn new(contact: &Contact, catalog: &Catalog) -> Self {
        let custom = CustomInputs::new(catalog.fields_for(FieldTarget::Contact).cloned(), &contact.custom);
        let form = Self::project(&custom, contact);
        Self {
            first: RwSignal::new(form.first_name.clone()),
            middle: RwSignal::new(form.middle_name.clone()),
            last: RwSignal::new(form.last_name.clone()),
            emails: RwSignal::new(form.emails.iter().cloned().map(RwSignal::new).collect()),
            phones: RwSignal::new(form.phones.iter().cloned().map(RwSignal::new).collect()),
            address: AddressForm::new(&form.address),
            dob: RwSignal::new(form.date_of_birth.clone()),
            tags: RwSignal::new(form.tags.clone()),
            custom,
            errors: RwSignal::new(ValidationErrors::default()),
            notice: RwSignal::new(None),
            base: RwSignal::new(form),
        }
    }

    /// A contact as this form shows it.
    fn project(custom: &CustomInputs, contact: &Contact) -> ContactEdit {
        ContactEdit {
            custom: custom.shown(&contact.custom),
            ..ContactEdit::from_contact(contact)
        }
    }

    /// What is typed now.
    fn typed(&self) -> ContactEdit {
        let list = |l: RwSignal<Vec<RwSignal<String>>>| {
            l.get_untracked().iter().map(|s| s.get_untracked()).collect()
        };
        ContactEdit {
            first_name: self.first.get_untracked(),
            middle_name: self.middle.get_untracked(),
            last_name: self.last.get_untracked(),
            emails: list(self.emails),
            phones: list(self.phones),
            address: self.address.value(),
            date_of_birth: self.dob.get_untracked(),
            tags: self.tags.get_untracked(),
            custom: self.custom.typed(),
        }
    }

    /// Shows `edit` in the inputs (new list inputs made by the page, see
    /// `kept`).
    fn fill(&self, edit: &ContactEdit, keep: Kept) {
        self.first.set(edit.first_name.clone());
        self.middle.set(edit.middle_name.clone());
        self.last.set(edit.last_name.clone());
        let list = |values: &[String]| keep.owned(|| values.iter().cloned().map(RwSignal::new).collect());
        self.emails.set(list(&edit.emails));
        self.phones.set(list(&edit.phones));
        self.address.set(&edit.address);
        self.dob.set(edit.date_of_birth.clone());
        self.tags.set(edit.tags.clone());
        self.custom.fill(&edit.custom);
    }
}

#[component]
fn EditContact(contact: Contact, catalog: Catalog, editing: RwSignal<bool>) -> impl IntoView {
    // What is typed survives the view being built anew (a save, another
    // tab's change) until the form is saved or cancelled.
    let keep = use_kept();
    let form = keep.get(EDIT_FORM, || ContactForm::new(&contact, &catalog));
    let ContactForm {
        first,
        middle,
        last,
        emails,
        phones,
        address,
        dob,
        tags,
        ref custom,
        errors,
        notice,
        base,
    } = form;
    let custom = custom.clone();
    let form = StoredValue::new(form);
    let close = move || {
        keep.forget(EDIT_FORM);
        editing.set(false);
    };
    let save = change(|store, (before, after): (Contact, Contact)| async move {
        store.update_contact(&before, &after).await
    });
    on_saved(save, close, errors, notice);
    // The contact as stored now (read again after every change).
    let before = StoredValue::new(contact);
    let cat = StoredValue::new(catalog.clone());
    let err =
        move |f: &'static str| Signal::derive(move || errors.with(|e| crate::error::field_message(e, f)));
    let submit = move || {
        let stored = before.get_value();
        let current = form.with_value(|f| ContactForm::project(&f.custom, &stored));
        // Only what was changed here is saved over what is stored now.
        let (edit, conflicts) = form
            .with_value(|f| f.typed())
            .rebase(&base.get_untracked(), &current);
        if !conflicts.is_empty() {
            form.with_value(|f| f.fill(&edit, keep));
            base.set(current);
            notice.set(Some(t(Key::EditConflict).to_owned()));
            return;
        }
        match cat.with_value(|c| edit.apply(&stored, c, now())) {
            Err(e) => errors.set(e),
            Ok(after) if after == stored => close(),
            Ok(after) => {
                errors.set(ValidationErrors::default());
                notice.set(None);
                save.dispatch_local((stored, after));
            }
        }
    };
    view! {
        <form
            class="edit-form"
            novalidate
            on:submit=move |ev| {
                ev.prevent_default();
                submit();
            }
        >
            {move || notice.get().map(|m| view! { <div class="banner error" role="alert">{m}</div> })}
            {move || {
                errors
                    .with(|e| crate::error::field_message(e, "emails"))
                    .map(|m| view! { <div class="banner error" role="alert">{m}</div> })
            }}
            <div class="row">
                <TextField id="contact-first" label=t(Key::LabelFirstName) value=first error=err("first_name") />
                <TextField id="contact-middle" label=t(Key::LabelMiddleName) value=middle error=err("middle_name") />
                <TextField id="contact-last" label=t(Key::LabelLastName) value=last error=err("last_name") />
            </div>
            <ListField id="contact-email" label=t(Key::FieldKindEmail) add_label=t(Key::AddEmail) values=emails errors path="emails" kind="email" />
            <ListField id="contact-phone" label=t(Key::LabelPhone) add_label=t(Key::AddPhone) values=phones errors path="phones" kind="tel" />
            <div class="field">
                <label for="contact-dob">{t(Key::LabelDateOfBirth)}</label>
                <input
                    id="contact-dob"
                    type="date"
                    prop:value=move || dob.get()
                    on:input=move |ev| dob.set(event_target_value(&ev))
                    aria-describedby="contact-dob-error"
                />
                <p class="error-text" id="contact-dob-error" role="alert">
                    {move || errors.with(|e| crate::error::field_message(e, "date_of_birth"))}
                </p>
            </div>
            <AddressFields form=address errors prefix="contact" />
            {(!catalog.tags.is_empty())
                .then(|| {
                    view! {
                        <fieldset class="group">
                            <legend>{t(Key::Tags)}</legend>
                            <TagPicker tags=catalog.tags.clone() selected=tags prefix="contact" />
                        </fieldset>
                    }
                })}
            <CustomFieldsGroup inputs=custom.clone() errors />
            <div class="actions">
                <button type="button" class="btn" on:click=move |_| close()>
                    {t(Key::Cancel)}
                </button>
                <button type="submit" class="btn primary" disabled=move || save.pending().get()>
                    {t(Key::SavePersonalDetails)}
                </button>
            </div>
        </form>
    }
}

#[component]
fn ContactAccounts(details: Details) -> impl IntoView {
    let services = use_services();
    let manage = services.may_manage();
    let save_link =
        change(|store, (link, log): LinkChange| async move { store.save_link(&link, &log).await });
    let unlink = change(|store, (link, log): LinkChange| async move {
        store.unlink(&link.account_id, &link.contact_id, &log).await
    });
    let contact = StoredValue::new(details.contact.clone());
    let linked: Vec<_> = details.accounts.iter().map(|(_, a)| a.id.clone()).collect();
    let (picking, query) = kept("accounts/link", || {
        (RwSignal::new(false), RwSignal::new(String::new()))
    });
    // Accounts are looked up in the directory the Clients lists share
    // (asked for once the picker opens), not read from the store: 50,000
    // accounts took seconds to read, again after every save.
    Effect::new(move |_| {
        if picking.get() {
            services.want_directory();
        }
    });
    let linked = StoredValue::new(linked);
    let candidates = move || {
        let q = query.get();
        let viewer = services.limited_viewer();
        services.directory.with(|d| match d {
            Some(Some(Ok(dir))) => dir
                .find_accounts(
                    &q,
                    |i| {
                        viewer.as_ref().is_none_or(|m| dir.account_has_member(i, m))
                            && dir
                                .account_id(i)
                                .is_some_and(|id| !linked.with_value(|l| l.contains(&id)))
                    },
                    8,
                )
                .into_iter()
                .filter_map(|i| Some((dir.account_id(i)?, dir.account_name(i).to_owned())))
                .collect::<Vec<_>>(),
            _ => Vec::new(),
        })
    };
    let link_to = move |account: AccountId| {
        let c = contact.get_value();
        let l = Link {
            account_id: account.clone(),
            contact_id: c.id.clone(),
            description: String::new(),
            signer_priority: None,
            email_access: c
                .email_keys()
                .into_iter()
                .map(|e| EmailAccess::new(e, false, false, false))
                .collect(),
        };
        let log = history::entries(
            &mut BrowserIds,
            &account,
            now(),
            &services.actor(),
            vec![Change::ContactLinked {
                contact: c.display_name(),
            }],
        );
        save_link.dispatch_local((l, log));
        picking.set(false);
        query.set(String::new());
    };
    view! {
        <section class="card" aria-labelledby="contact-accounts">
            <h2 id="contact-accounts">{t(Key::Accounts)}</h2>
            {move || {
                failure(save_link).get().or_else(|| failure(unlink).get()).map(|e| view! { <ErrorBanner error=e /> })
            }}
            <ul class="contact-cards">
                {details
                    .accounts
                    .into_iter()
                    .map(|(link, account)| {
                        let name = account.name.clone();
                        let description = link.description.clone();
                        let link = StoredValue::new(link);
                        let acc = StoredValue::new(account.clone());
                        let do_unlink = move |_| {
                            let c = contact.get_value();
                            let log = history::entries(&mut BrowserIds, &acc.with_value(|a| a.id.clone()), now(), &services.actor(), vec![
                                Change::ContactUnlinked { contact: c.display_name() },
                            ]);
                            unlink.dispatch_local((link.get_value(), log));
                        };
                        view! {
                            <li class="contact-card">
                                <div class="contact-card-head">
                                    <a class="contact-name" href=Route::account(account.id.clone()).href()>{name.clone()}</a>
                                    <span class="badge">{crate::i18n::names::account_type(account.kind)}</span>
                                    {(!description.is_empty()).then(|| view! { <em>{description}</em> })}
                                    <Show when=move || manage>
                                        <button type="button" class="btn link danger" aria-label=tf(Key::UnlinkFrom, &[("name", &name)]) on:click=do_unlink>
                                            {t(Key::Unlink)}
                                        </button>
                                    </Show>
                                </div>
                                <EmailSwitches link account=acc contact=contact.get_value() save_link manage />
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <Show when=move || manage>
                <Show
                    when=move || picking.get()
                    fallback=move || {
                        view! {
                            <button type="button" class="btn" on:click=move |_| picking.set(true)>
                                {t(Key::LinkToAnotherAccount)}
                            </button>
                        }
                    }
                >
                    <div class="sub-form">
                        <TextField id="link-account-query" label=t(Key::FindAccountByName) value=query />
                        {move || match services.directory.with(|d| d.clone().flatten()) {
                            Some(Err(e)) => Some(view! { <ErrorBanner error=e /> }.into_any()),
                            None => Some(view! { <Loading /> }.into_any()),
                            Some(Ok(_)) => None,
                        }}
                        <ul class="item-list" aria-live="polite">
                            {move || {
                                candidates()
                                    .into_iter()
                                    .map(|(id, name)| {
                                        let label = tf(Key::LinkTo, &[("name", &name)]);
                                        view! {
                                            <li>
                                                {name}
                                                " "
                                                <button type="button" class="btn link" on:click=move |_| link_to(id.clone())>
                                                    {label}
                                                </button>
                                            </li>
                                        }
                                    })
                                    .collect_view()
                            }}
                        </ul>
                        <button type="button" class="btn" on:click=move |_| picking.set(false)>
                            {t(Key::Cancel)}
                        </button>
                    </div>
                </Show>
            </Show>
        </section>
    }
}
