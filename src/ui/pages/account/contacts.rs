//! Info → Contacts: the account's contacts in alphabetical order, with the
//! per-account description, signer priority and, per email, the switches
//! Login, Notify, Email sync and Signatory; portal invitations; unlink (never
//! the last contact); create a contact; link an existing one.

use super::Profile;
use crate::domain::history::{self, Change, HistoryEntry};
use crate::domain::link::NotifyPrefs;
use crate::domain::{Account, Contact, EmailAccess, Link, ValidationErrors};
use crate::error::AppError;
use crate::i18n::names::invitation_mailto;
use crate::i18n::{t, tf, Key};
use crate::route::Route;
use crate::ui::components::{kept, CheckField, ContactFinder, ErrorBanner, NewContactInputs, TextField};
use crate::ui::services::{change, failure, now, use_services, BrowserIds};
use leptos::prelude::*;

pub type LinkChange = (Link, Vec<HistoryEntry>);

fn log(account: &Account, by: &str, change: Change) -> Vec<HistoryEntry> {
    history::entries(&mut BrowserIds, &account.id, now(), by, vec![change])
}

/// What the practitioner has open or typed in the section's forms, kept by
/// the page (see `components::kept`) through the rebuilds that every save
/// causes.
#[derive(Clone, Copy)]
struct ContactForms {
    creating: RwSignal<bool>,
    typed: NewContactInputs,
    errors: RwSignal<ValidationErrors>,
    linking: RwSignal<bool>,
}

fn forms() -> ContactForms {
    kept("contacts/forms", || ContactForms {
        creating: RwSignal::new(false),
        typed: NewContactInputs::new(),
        errors: RwSignal::new(ValidationErrors::default()),
        linking: RwSignal::new(false),
    })
}

/// Opens the practitioner's mail program with a ready message.
fn open_mail(url: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.location().set_href(url);
    }
}

#[component]
pub fn Contacts(profile: Profile) -> impl IntoView {
    let services = use_services();
    let manage = services.may_manage();
    let save_link =
        change(|store, (link, log): LinkChange| async move { store.save_link(&link, &log).await });
    let unlink = change(|store, (link, log): LinkChange| async move {
        store.unlink(&link.account_id, &link.contact_id, &log).await
    });
    let count = profile.contacts.len();
    let account = StoredValue::new(profile.account.clone());
    let catalog = StoredValue::new(profile.catalog.clone());
    let linked_ids: Vec<_> = profile.contacts.iter().map(|(_, c)| c.id.clone()).collect();
    view! {
        <section class="card" aria-labelledby="contacts-heading">
            <h2 id="contacts-heading">{tf(Key::ContactsCount, &[("count", &crate::i18n::number(count as i64))])}</h2>
            {move || {
                failure(save_link).get().or_else(|| failure(unlink).get()).map(|e| view! { <ErrorBanner error=e /> })
            }}
            <ul class="contact-cards">
                {profile
                    .contacts
                    .iter()
                    .map(|(link, contact)| {
                        view! {
                            <ContactCard
                                link=link.clone()
                                contact=contact.clone()
                                account=account.get_value()
                                count
                                save_link
                                unlink
                                manage
                            />
                        }
                    })
                    .collect_view()}
            </ul>
            <Show when=move || manage>
                <CreateContact account=account.get_value() catalog=catalog.get_value() />
                <LinkExisting account=account.get_value() linked=linked_ids.clone() save_link />
            </Show>
        </section>
    }
}

#[component]
fn ContactCard(
    link: Link,
    contact: Contact,
    account: Account,
    count: usize,
    save_link: Action<LinkChange, Result<(), AppError>>,
    unlink: Action<LinkChange, Result<(), AppError>>,
    manage: bool,
) -> impl IntoView {
    let services = use_services();
    let name = contact.display_name();
    let link = StoredValue::new(link);
    let account = StoredValue::new(account);
    let key = contact.id.to_string();
    let (editing, description) = kept(format!("contact-card/{key}"), || {
        (RwSignal::new(false), RwSignal::new(String::new()))
    });
    let edit_description = move |_| {
        description.set(link.with_value(|l| l.description.clone()));
        editing.set(true);
    };
    // Changes apply to the local copy first, so quick successive changes
    // build on each other instead of on the version first shown.
    let save_description = move |_| {
        link.update_value(|l| l.description = description.get_untracked().trim().to_owned());
        save_link.dispatch_local((link.get_value(), Vec::new()));
        editing.set(false);
    };
    let set_priority = move |ev: leptos::ev::Event| {
        let priority = event_target_value(&ev).parse().ok();
        link.update_value(|l| l.signer_priority = priority);
        save_link.dispatch_local((link.get_value(), Vec::new()));
    };
    let unlink_name = name.clone();
    let do_unlink = move |_| {
        let l = link.get_value();
        let entries = account.with_value(|a| {
            log(
                a,
                &services.actor(),
                Change::ContactUnlinked {
                    contact: unlink_name.clone(),
                },
            )
        });
        unlink.dispatch_local((l, entries));
    };
    let priority = link.with_value(|l| l.signer_priority);
    let description_id = format!("description-{key}");
    let priority_id = format!("priority-{key}");
    let phones = contact.phones.join(", ");
    let contact_name = StoredValue::new(name.clone());
    view! {
        <li class="contact-card">
            <div class="contact-card-head">
                <a class="contact-name" href=Route::Contact(contact.id.clone()).href()>
                    {name.clone()}
                </a>
                {(!phones.is_empty()).then(|| view! { <span class="muted">{phones}</span> })}
                <Show when=move || manage>
                    <button
                        type="button"
                        class="btn link danger"
                        aria-label=tf(Key::UnlinkName, &[("name", &contact_name.get_value())])
                        title=(count == 1).then_some(t(Key::EveryAccountNeedsContact))
                        on:click=do_unlink.clone()
                    >
                        {t(Key::Unlink)}
                    </button>
                </Show>
            </div>
            <div class="contact-card-meta">
                <Show
                    when=move || editing.get()
                    fallback=move || {
                        view! {
                            <span>
                                {move || {
                                    let d = link.with_value(|l| l.description.clone());
                                    if d.is_empty() { t(Key::NoDescription).to_owned() } else { d }
                                }}
                            </span>
                            <Show when=move || manage>
                                " "
                                <button type="button" class="btn link" on:click=edit_description>
                                    {t(Key::EditDescription)}
                                </button>
                            </Show>
                        }
                    }
                >
                    <div class="inline-form">
                        <TextField id=description_id.clone() label=t(Key::DescriptionForAccount) value=description />
                        <button type="button" class="btn primary" on:click=save_description>
                            {t(Key::SaveDescription)}
                        </button>
                        <button type="button" class="btn" on:click=move |_| editing.set(false)>
                            {t(Key::Cancel)}
                        </button>
                    </div>
                </Show>
                <div class="field inline">
                    <label for=priority_id.clone()>{t(Key::SignerPriority)}</label>
                    <select id=priority_id on:change=set_priority disabled=!manage>
                        <option value="" selected=priority.is_none()>"—"</option>
                        {(1..=count.max(5) as u32)
                            .map(|p| view! { <option value=p.to_string() selected=priority == Some(p)>{p.to_string()}</option> })
                            .collect_view()}
                    </select>
                </div>
            </div>
            <EmailSwitches link account contact=contact.clone() save_link manage />
        </li>
    }
}

/// The per-email switches of one contact for one account, as a table.
#[component]
pub fn EmailSwitches(
    link: StoredValue<Link>,
    account: StoredValue<Account>,
    contact: Contact,
    save_link: Action<LinkChange, Result<(), AppError>>,
    manage: bool,
) -> impl IntoView {
    let name = contact.display_name();
    let contact_name = StoredValue::new(name.clone());
    {
        if contact.emails.is_empty() {
            view! { <p class="muted">{t(Key::NoEmailNoPortal)}</p> }.into_any()
        } else {
            view! {
                <table class="email-switches">
                    <caption class="visually-hidden">{tf(Key::EmailSettingsOf, &[("name", &name)])}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t(Key::FieldKindEmail)}</th>
                            <th scope="col">{t(Key::SwitchLogin)}</th>
                            <th scope="col">{t(Key::SwitchNotify)}</th>
                            <th scope="col">{t(Key::SwitchEmailSync)}</th>
                            <th scope="col">{t(Key::SwitchSignatory)}</th>
                            <th scope="col">{t(Key::Portal)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {contact
                            .email_keys()
                            .into_iter()
                            .map(|email| {
                                view! { <EmailRow email link account contact_name save_link manage /> }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            }
            .into_any()
        }
    }
}

#[component]
fn EmailRow(
    email: String,
    link: StoredValue<Link>,
    account: StoredValue<Account>,
    contact_name: StoredValue<String>,
    save_link: Action<LinkChange, Result<(), AppError>>,
    manage: bool,
) -> impl IntoView {
    let access = link
        .with_value(|l| l.access(&email).cloned())
        .unwrap_or_else(|| EmailAccess::new(email.clone(), false, false, false));
    // The invitation box, its message and the notification types stay open
    // while each switch flipped in them is saved.
    let key = link.with_value(|l| format!("email/{}/{}/{email}", l.account_id, l.contact_id));
    let (asking, message, prefs_open) = kept(key, || {
        (
            RwSignal::new(false),
            RwSignal::new(String::new()),
            RwSignal::new(false),
        )
    });
    let email = StoredValue::new(email);
    // Applies `f` to this email's switches in the card's copy of the link
    // (so a second switch flipped before the first save is back builds on
    // it, instead of saving the link as first shown without the first
    // change) and saves the link.
    let update = move |f: &dyn Fn(&mut EmailAccess)| {
        let key = email.get_value();
        link.update_value(|l| {
            if l.access(&key).is_none() {
                l.email_access
                    .push(EmailAccess::new(key.clone(), false, false, false));
            }
            if let Some(a) = l.access_mut(&key) {
                f(a);
            }
        });
        save_link.dispatch_local((link.get_value(), Vec::new()));
    };
    let invite = move |_| {
        let at = now();
        update(&|a| {
            a.login = true;
            a.signatory = true;
            a.invited_at = Some(at);
        });
        asking.set(false);
        let url = invitation_mailto(
            &email.get_value(),
            &contact_name.get_value(),
            &account.with_value(|a| a.name.clone()),
            &message.get_untracked(),
        );
        open_mail(&url);
    };
    let skip = move |_| {
        update(&|a| {
            a.login = true;
            a.signatory = true;
        });
        asking.set(false);
    };
    let activate = move |_| {
        let at = now();
        update(&|a| a.activated_at = Some(at));
    };
    let label = move |what: Key| {
        tf(
            Key::SwitchFor,
            &[("switch", t(what)), ("email", &email.get_value())],
        )
    };
    let login_switch = move |ev: leptos::ev::Event| {
        if event_target_checked(&ev) {
            asking.set(true);
        } else {
            asking.set(false);
            update(&|a| a.login = false);
        }
    };
    let status = match (access.login, access.invited_at, access.activated_at) {
        (false, _, _) => t(Key::NoPortalAccess).to_owned(),
        (true, _, Some(at)) => tf(Key::ActivatedOn, &[("date", &crate::i18n::date(at))]),
        (true, Some(at), None) => tf(Key::InvitedPending, &[("date", &crate::i18n::date(at))]),
        (true, None, None) => t(Key::NotInvitedYet).to_owned(),
    };
    let message_id = format!(
        "invite-message-{}",
        email.get_value().replace(['@', '.', '+'], "-")
    );
    let prefs = access.notify_prefs.clone();
    view! {
        <tr>
            <th scope="row">{email.get_value()}</th>
            <td>
                <input
                    type="checkbox"
                    aria-label=label(Key::SwitchLogin)
                    prop:checked=move || access.login || asking.get()
                    on:change=login_switch
                    disabled=!manage
                />
            </td>
            <td>
                {switch(label(Key::SwitchNotify), access.notify, manage, move |on| update(&|a| a.notify = on))}
                <details
                    class="prefs"
                    prop:open=move || prefs_open.get()
                    on:toggle=move |ev| prefs_open.set(event_target::<web_sys::Element>(&ev).has_attribute("open"))
                >
                    <summary>{t(Key::NotifyTypes)}</summary>
                    {[
                        (t(Key::NotifyMessages), prefs.messages, (|p, on| p.messages = on) as fn(&mut NotifyPrefs, bool)),
                        (t(Key::NotifyDocuments), prefs.documents, |p, on| p.documents = on),
                        (t(Key::NotifyOrganizers), prefs.organizers, |p, on| p.organizers = on),
                        (t(Key::NotifyInvoices), prefs.invoices, |p, on| p.invoices = on),
                        (t(Key::NotifySignatures), prefs.signatures, |p, on| p.signatures = on),
                    ]
                        .into_iter()
                        .map(|(text, on, set)| {
                            view! {
                                <label class="check">
                                    <input
                                        type="checkbox"
                                        prop:checked=on
                                        disabled=!manage
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            update(&|a| set(&mut a.notify_prefs, on));
                                        }
                                    />
                                    {text}
                                </label>
                            }
                        })
                        .collect_view()}
                </details>
            </td>
            <td>{switch(label(Key::SwitchEmailSync), access.email_sync, manage, move |on| update(&|a| a.email_sync = on))}</td>
            <td>{switch(label(Key::SwitchSignatory), access.signatory, manage, move |on| update(&|a| a.signatory = on))}</td>
            <td class="portal">
                <span>{status}</span>
                {(access.login && manage)
                    .then(|| {
                        view! {
                            " "
                            <button type="button" class="btn link" on:click=move |_| asking.set(true)>
                                {if access.invited_at.is_some() { t(Key::ResendInvitation) } else { t(Key::Invite) }}
                            </button>
                        }
                    })}
                {(access.login && access.invited_at.is_some() && access.activated_at.is_none() && manage)
                    .then(|| {
                        view! {
                            " "
                            <button type="button" class="btn link" on:click=activate>
                                {t(Key::MarkAsActivated)}
                            </button>
                        }
                    })}
                <Show when=move || asking.get()>
                    <div class="invite-box" role="group" aria-label=label(Key::PortalInvitation)>
                        <p>{tf(Key::InviteNow, &[("email", &email.get_value())])}</p>
                        <label for=message_id.clone()>{t(Key::PersonalMessage)}</label>
                        <textarea
                            id=message_id.clone()
                            rows="2"
                            prop:value=move || message.get()
                            on:input=move |ev| message.set(event_target_value(&ev))
                        ></textarea>
                        <div class="actions">
                            <button type="button" class="btn" on:click=skip>
                                {t(Key::Skip)}
                            </button>
                            <button type="button" class="btn primary" on:click=invite>
                                {t(Key::SendInvitation)}
                            </button>
                        </div>
                    </div>
                </Show>
            </td>
        </tr>
    }
}

/// One of an email's switches: a checkbox named for screen readers.
fn switch(label: String, checked: bool, manage: bool, set: impl Fn(bool) + 'static) -> impl IntoView {
    view! {
        <input
            type="checkbox"
            aria-label=label
            prop:checked=checked
            on:change=move |ev| set(event_target_checked(&ev))
            disabled=!manage
        />
    }
}

#[component]
fn CreateContact(account: Account, catalog: crate::domain::catalog::Catalog) -> impl IntoView {
    let catalog = StoredValue::new(catalog);
    let services = use_services();
    let ContactForms {
        creating: open,
        typed,
        errors,
        ..
    } = forms();
    let NewContactInputs {
        first,
        last,
        email,
        phone,
        login,
        notify,
        sync,
    } = typed;
    let add = change(
        |store, (c, l, log): (Contact, Link, Vec<HistoryEntry>)| async move {
            store.add_contact(&c, &l, &log).await
        },
    );
    let account = StoredValue::new(account);
    Effect::new(move |_| match add.value().get() {
        Some(Ok(())) => {
            open.set(false);
            typed.clear();
        }
        Some(Err(e)) => errors.set(e.field_errors().cloned().unwrap_or_default()),
        None => {}
    });
    let err =
        move |f: &'static str| Signal::derive(move || errors.with(|e| crate::error::field_message(e, f)));
    let submit = move || {
        let draft = typed.draft();
        let acc = account.get_value();
        match catalog.with_value(|cat| draft.build_for(&acc.id, cat, &mut BrowserIds, now())) {
            Err(e) => errors.set(e),
            Ok((c, l)) => {
                errors.set(ValidationErrors::default());
                let entries = log(
                    &acc,
                    &services.actor(),
                    Change::ContactLinked {
                        contact: c.display_name(),
                    },
                );
                add.dispatch_local((c, l, entries));
            }
        }
    };
    view! {
        <Show
            when=move || open.get()
            fallback=move || {
                view! {
                    <button type="button" class="btn" on:click=move |_| open.set(true)>
                        {t(Key::CreateContact)}
                    </button>
                }
            }
        >
            <form
                class="sub-form"
                novalidate
                on:submit=move |ev| {
                    ev.prevent_default();
                    submit();
                }
            >
                <h3>{t(Key::NewContact)}</h3>
                {move || {
                    failure(add)
                        .get()
                        .filter(|e| e.field_errors().is_none())
                        .map(|e| view! { <ErrorBanner error=e /> })
                }}
                <div class="row">
                    <TextField id="new-contact-first" label=t(Key::LabelFirstName) value=first error=err("first_name") />
                    <TextField id="new-contact-last" label=t(Key::LabelLastName) value=last error=err("last_name") />
                </div>
                <div class="row">
                    <TextField id="new-contact-email" label=t(Key::FieldKindEmail) kind="email" value=email error=err("email") />
                    <TextField id="new-contact-phone" label=t(Key::LabelPhone) kind="tel" value=phone error=err("phone") />
                </div>
                <div class="switches">
                    <CheckField id="new-contact-login" label=t(Key::LoginPortalAccess) value=login />
                    <CheckField id="new-contact-notify" label=t(Key::SwitchNotify) value=notify />
                    <CheckField id="new-contact-sync" label=t(Key::SwitchEmailSync) value=sync />
                </div>
                <div class="actions">
                    <button type="button" class="btn" on:click=move |_| open.set(false)>
                        {t(Key::Cancel)}
                    </button>
                    <button type="submit" class="btn primary">
                        {t(Key::AddContact)}
                    </button>
                </div>
            </form>
        </Show>
    }
}

#[component]
fn LinkExisting(
    account: Account,
    linked: Vec<crate::domain::ContactId>,
    save_link: Action<LinkChange, Result<(), AppError>>,
) -> impl IntoView {
    let services = use_services();
    let open = forms().linking;
    let account = StoredValue::new(account);
    let linked = StoredValue::new(linked);
    let link_contact = Callback::new(move |c: Contact| {
        let acc = account.get_value();
        let l = Link {
            account_id: acc.id.clone(),
            contact_id: c.id.clone(),
            description: String::new(),
            signer_priority: None,
            email_access: c
                .email_keys()
                .into_iter()
                .map(|e| EmailAccess::new(e, false, false, false))
                .collect(),
        };
        let entries = log(
            &acc,
            &services.actor(),
            Change::ContactLinked {
                contact: c.display_name(),
            },
        );
        save_link.dispatch_local((l, entries));
        open.set(false);
    });
    view! {
        <Show
            when=move || open.get()
            fallback=move || {
                view! {
                    <button type="button" class="btn" on:click=move |_| open.set(true)>
                        {t(Key::LinkExistingContact)}
                    </button>
                }
            }
        >
            <div class="sub-form">
                <h3>{t(Key::LinkAnExistingContact)}</h3>
                <ContactFinder id="link-contact-query" exclude=linked.get_value() on_pick=link_contact />
                <button type="button" class="btn" on:click=move |_| open.set(false)>
                    {t(Key::Cancel)}
                </button>
            </div>
        </Show>
    }
}
