//! Pending activation: portal invitations sent but not activated, one row
//! per account, contact and email, with Resend invitation and Mark as
//! activated.

use super::virtual_rows::VirtualRows;
use super::DataSignal;
use crate::domain::{AccountId, ContactId};
use crate::error::AppError;
use crate::i18n::names::invitation_mailto;
use crate::i18n::{t, tf, tn, Key};
use crate::route::Route;
use crate::store::StoreError;
use crate::ui::services::{now, use_services};
use leptos::html::Div;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// A change to one email's switches on a link (read whole when it runs),
/// and what to say when it is saved.
#[derive(Clone)]
struct LinkChange {
    account: AccountId,
    contact: ContactId,
    email: String,
    /// Invitation sent again (else: marked as activated).
    resend: bool,
    message: String,
}

/// What a row of the list shows.
#[derive(Clone, PartialEq)]
struct PendingCells {
    account_href: String,
    account: String,
    contact_href: String,
    contact: String,
    email: String,
    invited: String,
    resend_label: String,
    activated_label: String,
}

#[component]
pub fn PendingList(data: DataSignal) -> impl IntoView {
    let services = use_services();
    let notice = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let save = Action::new_local(move |change: &LinkChange| {
        let change = change.clone();
        async move {
            let store = services.store()?;
            let mut link = store
                .link(&change.account, &change.contact)
                .await?
                .ok_or(StoreError::NotFound(crate::store::Missing::Link))?;
            let access = link
                .access_mut(&change.email)
                .ok_or(StoreError::NotFound(crate::store::Missing::Link))?;
            if change.resend {
                access.invited_at = Some(now());
            } else {
                access.activated_at = Some(now());
            }
            store.save_link(&link, &[]).await?;
            Ok::<String, AppError>(change.message)
        }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(message)) => {
            services.changed();
            error.set(None);
            notice.set(Some(message));
        }
        Some(Err(e)) => error.set(Some(e.user_message())),
        None => {}
    });
    let count = Memo::new(move |_| data.with(|d| d.as_ref().map_or(0, |d| d.pending.len())));
    let locked = move || !services.may_manage() || save.pending().get();

    // `resend`: opens the invitation in the mail program and records it;
    // otherwise marks the login as activated.
    let act = move |i: usize, resend: bool| {
        let Some(d) = data.get_untracked() else {
            return;
        };
        let Some(p) = d.pending.get(i) else {
            return;
        };
        let Some(&(a, c)) = d.ends.get(p.link) else {
            return;
        };
        let (Some(account), Some(contact)) = (d.account_row(a), d.contact_row(c)) else {
            return;
        };
        let message = if resend {
            let url = invitation_mailto(&p.email, &contact.display_name(), &account.name, "");
            if let Some(w) = web_sys::window() {
                let _ = w.location().set_href(&url);
            }
            tf(Key::InvitationOpened, &[("email", &p.email)])
        } else {
            tf(Key::LoginMarkedActivated, &[("email", &p.email)])
        };
        notice.set(None);
        save.dispatch_local(LinkChange {
            account: account.id.clone(),
            contact: contact.id.clone(),
            email: p.email.clone(),
            resend,
            message,
        });
    };

    // One slot of the table, made once; its cells follow the row it shows
    // (see the Accounts list); its buttons report through `on_click` with
    // `data-act`.
    let row = move |slot: Signal<Option<usize>>| {
        let cells = Memo::new(move |_| {
            let i = slot.get()?;
            data.with(|d| {
                let d = d.as_ref()?;
                let p = d.pending.get(i)?;
                let &(a, c) = d.ends.get(p.link)?;
                let account = d.account_row(a)?;
                let contact = d.contact_row(c)?;
                Some(PendingCells {
                    account_href: Route::account(account.id.clone()).href(),
                    account: account.name.clone(),
                    contact_href: Route::Contact(contact.id.clone()).href(),
                    contact: contact.display_name(),
                    email: p.email.clone(),
                    invited: crate::i18n::date(p.invited_at),
                    resend_label: tf(
                        Key::ResendInvitationTo,
                        &[("email", &p.email), ("account", &account.name)],
                    ),
                    activated_label: tf(
                        Key::MarkActivatedFor,
                        &[("email", &p.email), ("account", &account.name)],
                    ),
                })
            })
        });
        let text = move |f: fn(&PendingCells) -> String| {
            move || cells.with(|c| c.as_ref().map(f).unwrap_or_default())
        };
        view! {
            <div role="cell" class="c-name">
                <a href=text(|c| c.account_href.clone())>{text(|c| c.account.clone())}</a>
            </div>
            <div role="cell">
                <a href=text(|c| c.contact_href.clone())>{text(|c| c.contact.clone())}</a>
            </div>
            <div role="cell" class="c-email">{text(|c| c.email.clone())}</div>
            <div role="cell">{text(|c| c.invited.clone())}</div>
            <div role="cell" class="c-actions">
                <button
                    type="button"
                    class="btn small"
                    data-act="resend"
                    aria-label=text(|c| c.resend_label.clone())
                    disabled=locked
                >
                    {t(Key::ResendInvitation)}
                </button>
                <button
                    type="button"
                    class="btn small"
                    data-act="activated"
                    aria-label=text(|c| c.activated_label.clone())
                    disabled=locked
                >
                    {t(Key::MarkAsActivated)}
                </button>
            </div>
        }
    };
    let on_click = Callback::new(move |(i, ev): (usize, web_sys::Event)| {
        let act_of = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest("button[data-act]").ok().flatten())
            .and_then(|b| b.get_attribute("data-act"));
        match act_of.as_deref() {
            Some("resend") => act(i, true),
            Some("activated") => act(i, false),
            _ => {}
        }
    });
    let scroller = NodeRef::<Div>::new();

    view! {
        {move || error.get().map(|m| view! { <div class="banner error" role="alert">{m}</div> })}
        <p class="notice" role="status">
            {move || notice.get()}
        </p>
        <p class="muted list-count">
            {move || {
                let n = count.get();
                tn(Key::InvitationsWaiting, n, &[])
            }}
        </p>
        <Show
            when=move || { count.get() > 0 }
            fallback=|| {
                view! {
                    <div class="empty">
                        <p>{t(Key::NoInvitationsWaiting)}</p>
                        <a class="btn primary" href=Route::NewAccount.href()>
                            {t(Key::NewAccount)}
                        </a>
                    </div>
                }
            }
        >
            <VirtualRows label=t(Key::ViewPending) class="cols-pending" count=count row scroller on_click>
                <div role="columnheader">{t(Key::NavNewAccount)}</div>
                <div role="columnheader">{t(Key::ContactColumn)}</div>
                <div role="columnheader">{t(Key::FieldKindEmail)}</div>
                <div role="columnheader" aria-sort="descending">
                    {t(Key::Invited)}
                </div>
                <div role="columnheader">{t(Key::Actions)}</div>
            </VirtualRows>
        </Show>
    }
}
