//! An account's profile: the header (photo and name, always visible) and
//! the tabs Overview and Info.

pub mod contacts;
pub mod info;
mod overview;
pub mod photo;

use crate::domain::catalog::Catalog;
use crate::domain::history::HistoryEntry;
use crate::domain::note::Note;
use crate::domain::{Account, AccountId, Contact, Link};
use crate::i18n::{t, tf, tn, Key};
use crate::route::{AccountTab, Route};
use crate::store::StoreError;
use crate::ui::components::{provide_kept, ErrorBanner, Loading, TagList};
use crate::ui::services::{read, use_services};
use leptos::prelude::*;

/// Everything the profile shows, read together.
#[derive(Clone)]
pub struct Profile {
    pub account: Account,
    pub contacts: Vec<(Link, Contact)>,
    pub catalog: Catalog,
    pub linked: Vec<Account>,
    pub history: Vec<HistoryEntry>,
    pub notes: Vec<Note>,
    pub photo: Option<String>,
}

#[component]
pub fn AccountPage(id: AccountId, tab: AccountTab) -> impl IntoView {
    let services = use_services();
    provide_kept();
    let profile = read(move |store| {
        let id = id.clone();
        async move {
            let Some(account) = store.account(&id).await? else {
                return Ok::<_, StoreError>(None);
            };
            Ok(Some(Profile {
                contacts: store.account_contacts(&id).await?,
                catalog: store.catalog().await?,
                linked: store.linked_accounts(&id).await?,
                history: store.history(&id).await?,
                notes: store.notes(&id).await?,
                photo: if account.has_photo {
                    store.photo(&id).await?
                } else {
                    None
                },
                account,
            }))
        }
    });
    move || match profile.get() {
        None => view! { <Loading /> }.into_any(),
        Some(Err(e)) => view! { <ErrorBanner error=e /> }.into_any(),
        Some(Ok(None)) => view! {
            <h1>{t(Key::AccountNotFound)}</h1>
            <p>{t(Key::AccountNotHere)}</p>
            <a href=Route::clients().href()>{t(Key::BackToClients)}</a>
        }
        .into_any(),
        Some(Ok(Some(p))) if !services.may_see(&p.account) => view! {
            <h1>{t(Key::NoAccess)}</h1>
            <p>{t(Key::NoAccessText)}</p>
            <a href=Route::clients().href()>{t(Key::BackToClients)}</a>
        }
        .into_any(),
        Some(Ok(Some(p))) => view! { <ProfileView profile=p tab=tab /> }.into_any(),
    }
}

/// Up to two initials, for the avatar.
pub fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|w| w.chars().next())
        .take(2)
        .flat_map(char::to_uppercase)
        .collect()
}

/// The photo, or the initials on a coloured disc.
#[component]
pub fn Avatar(#[prop(into)] name: String, #[prop(optional_no_strip)] photo: Option<String>) -> impl IntoView {
    match photo {
        Some(src) => {
            view! { <img class="avatar" src=src alt=tf(Key::PhotoOf, &[("name", &name)]) /> }.into_any()
        }
        None => view! { <div class="avatar" aria-hidden="true">{initials(&name)}</div> }.into_any(),
    }
}

#[component]
fn ProfileView(profile: Profile, tab: AccountTab) -> impl IntoView {
    let a = profile.account.clone();
    let id = a.id.clone();
    let tab_link = move |t: AccountTab, label: &'static str| {
        let href = Route::Account(id.clone(), t).href();
        view! {
            <a href=href aria-current=(tab == t).then_some("page")>
                {label}
            </a>
        }
    };
    view! {
        <header class="profile-header sticky">
            <Avatar name=a.name.clone() photo=profile.photo.clone() />
            <div class="profile-title">
                <h1>{a.name.clone()}</h1>
                <p class="muted">
                    <span class="badge">{crate::i18n::names::account_type(a.kind)}</span>
                    {a.archived.then(|| view! { " " <span class="badge archived">{t(Key::BadgeArchived)}</span> })}
                    " "
                    <TagList tags=a.tags.clone() catalog=profile.catalog.clone() />
                </p>
            </div>
        </header>
        <nav class="tabs" aria-label=t(Key::AccountSections)>
            {tab_link(AccountTab::Overview, t(Key::TabOverview))}
            {tab_link(AccountTab::Info, t(Key::TabInfo))}
        </nav>
        {match tab {
            AccountTab::Overview => view! { <overview::Overview profile=profile /> }.into_any(),
            AccountTab::Info => view! { <info::Info profile=profile /> }.into_any(),
        }}
    }
}

/// How many items an Overview or Info section shows before "View all".
pub const LATEST: usize = 5;

/// "View all (N)" / "Show fewer" for a section that shows the latest items.
#[component]
pub fn ViewAll(
    total: usize,
    expanded: RwSignal<bool>,
    /// "View all {n} notes": a text with plural forms.
    what: Key,
) -> impl IntoView {
    (total > LATEST).then(|| {
        view! {
            <button
                type="button"
                class="btn link"
                aria-expanded=move || expanded.get().to_string()
                on:click=move |_| expanded.update(|e| *e = !*e)
            >
                {move || if expanded.get() { t(Key::ShowFewer).to_owned() } else { tn(what, total, &[]) }}
            </button>
        }
    })
}
