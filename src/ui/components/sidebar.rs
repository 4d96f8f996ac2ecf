//! The left sidebar: the New menu and the main sections.

use super::ViewingAs;
use crate::i18n::{t, Key};
use crate::route::Route;
use crate::ui::nav::use_route;
use leptos::prelude::*;

#[component]
pub fn Sidebar() -> impl IntoView {
    let route = use_route();
    let open = RwSignal::new(false);
    let close_on_escape = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" {
            open.set(false);
        }
    };
    view! {
        <nav class="sidebar" aria-label=t(Key::NavMain)>
            <a class="brand" href=Route::clients().href()>
                "Clientbook"
                <super::DemoBadge />
            </a>
            <super::search::Search />
            <div class="new-menu" on:keydown=close_on_escape>
                <button
                    type="button"
                    class="btn primary new-button"
                    aria-haspopup="menu"
                    aria-expanded=move || open.get().to_string()
                    on:click=move |_| open.update(|o| *o = !*o)
                >
                    {t(Key::NavNew)}
                </button>
                <Show when=move || open.get()>
                    <div class="menu" role="menu" aria-label=t(Key::NavCreateNew)>
                        <a role="menuitem" href=Route::NewAccount.href() on:click=move |_| open.set(false)>
                            {t(Key::NavNewAccount)}
                        </a>
                    </div>
                </Show>
            </div>
            <ul class="nav-links">
                <li>
                    <a
                        href=Route::clients().href()
                        aria-current=move || {
                            matches!(
                                route.get(),
                                Route::Clients(_) | Route::Account(..) | Route::Contact(_) | Route::Duplicates
                            )
                                .then_some("page")
                        }
                    >
                        {t(Key::NavClients)}
                    </a>
                </li>
                <li>
                    <a
                        href=Route::Settings.href()
                        aria-current=move || matches!(route.get(), Route::Settings).then_some("page")
                    >
                        {t(Key::NavSettings)}
                    </a>
                </li>
                <li>
                    <a
                        href=Route::Data.href()
                        aria-current=move || matches!(route.get(), Route::Data).then_some("page")
                    >
                        {t(Key::NavData)}
                    </a>
                </li>
            </ul>
            <ViewingAs />
        </nav>
    }
}
