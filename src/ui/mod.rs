//! The Leptos UI: the shell (sidebar + page), one file per page, shared
//! components. Reads go through `LocalResource` (see [`services::read`]),
//! writes through actions; the store comes from the [`services::Services`]
//! context.
//!
//! Architecture invariant: user text is always rendered as text (never
//! `inner_html`), and pages never talk to IndexedDB except through the
//! `Store` trait.

pub mod components;
pub mod demo;
pub mod lang;
pub mod nav;
pub mod pages;
pub mod services;
pub mod storage;

use crate::i18n::{t, Key};
use crate::route::Route;
use components::{BackupReminder, DemoBar, RemoteChangesBanner, Sidebar, UpdateBanner};
use leptos::prelude::*;
use services::{DbState, Services};

#[component]
pub fn App() -> impl IntoView {
    let services = Services::provide();
    let route = nav::provide_route();
    // Another page: changes saved meanwhile in other tabs show now.
    Effect::new(move |_| {
        route.track();
        services.page_changed();
    });
    // A new language renders the whole shell anew: every text is read from
    // the catalogue as it renders.
    move || {
        services.language.current.track();
        shell(services, route)
    }
}

fn shell(services: Services, route: ReadSignal<Route>) -> impl IntoView {
    let reload = move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.location().reload();
        }
    };
    view! {
        <a class="skip-link" href="#main" on:click=|ev| {
            ev.prevent_default();
            focus_main();
        }>
            {t(Key::SkipToContent)}
        </a>
        <div class="shell">
            <Sidebar />
            <main id="main" class="content" tabindex="-1">
                <DemoBar />
                <UpdateBanner />
                <RemoteChangesBanner />
                <BackupReminder />
                {move || match services.db.get() {
                    DbState::Opening => view! { <p class="muted" role="status">{t(Key::OpeningData)}</p> }.into_any(),
                    DbState::Updating => view! { <p class="muted" role="status">{t(Key::UpdatingData)}</p> }.into_any(),
                    DbState::Blocked => {
                        view! {
                            <div class="banner warning" role="alert">
                                {t(Key::DbBlocked)}
                            </div>
                        }
                            .into_any()
                    }
                    DbState::Failed(error) => {
                        view! {
                            <div class="banner error" role="alert">
                                <p>{error.user_message()}</p>
                                <button type="button" class="btn" on:click=reload>
                                    {t(Key::Reload)}
                                </button>
                            </div>
                        }
                            .into_any()
                    }
                    DbState::Ready => view! { <Page route=route /> }.into_any(),
                }}
            </main>
        </div>
    }
}

#[component]
fn Page(route: ReadSignal<Route>) -> impl IntoView {
    let services = services::use_services();
    move || {
        // Viewing as another team member changes what every page shows and
        // allows: render the page anew.
        services.viewing_as.track();
        match route.get() {
            Route::Clients(view) => view! { <pages::clients::ClientsPage view=view /> }.into_any(),
            Route::NewAccount => view! { <pages::new_account::NewAccountPage /> }.into_any(),
            Route::Account(id, tab) => view! { <pages::account::AccountPage id=id tab=tab /> }.into_any(),
            Route::Settings => view! { <pages::settings::SettingsPage /> }.into_any(),
            Route::Data => view! { <pages::data::DataPage /> }.into_any(),
            Route::Contact(id) => view! { <pages::contact::ContactPage id=id /> }.into_any(),
            Route::Duplicates => view! { <pages::duplicates::DuplicatesPage /> }.into_any(),
            Route::NotFound(path) => view! { <pages::not_found::NotFoundPage path=path /> }.into_any(),
        }
    }
}

/// Moves keyboard focus to the page content.
pub fn focus_main() {
    use wasm_bindgen::JsCast;
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("main"))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

/// The text of `key` with `middle` (bold text, a link) in place of its
/// placeholder `{name}`.
pub fn around(key: crate::i18n::Key, name: &str, middle: impl IntoView) -> impl IntoView {
    let (before, after) = crate::i18n::around(key, name);
    (before, middle, after)
}
