//! The sidebar search: accounts by name, contacts by name or any part of
//! any email, ignoring case and accents. An ARIA combobox with a listbox of
//! grouped options: `/` focuses it, ArrowUp / ArrowDown move through the
//! results (wrapping across the groups), Enter opens one, Escape clears.
//!
//! The index (normalised strings in one buffer per kind) is built once per
//! load of the directory, which reloads after every write; a keystroke only
//! scans it, and typing on only narrows the last matches. Its pair lists
//! (the entries holding each pair of letters, so a query's first scan reads
//! only those of its rarest pair) and the answers to one-letter queries
//! follow in idle steps. The directory is
//! first loaded when the box gets focus (or the Clients page shows), so
//! pages that never search never pay for it.
//!
//! Rendering a key costs only what changed: the popup is mounted once (and
//! hidden), each group's options are slots by position whose text follows
//! the result there, and one click listener on the listbox serves them all.

use crate::domain::listing::{SearchIndex, SearchResults};
use crate::i18n::{t, tf, tn, Key};
use crate::route::Route;
use crate::ui::components::progress::yield_to_browser;
use crate::ui::nav::navigate;
use crate::ui::services::use_services;
use leptos::html::Input;
use leptos::prelude::*;
use std::sync::Arc;
use wasm_bindgen::JsCast;

/// Results shown per group.
const LIMIT: usize = 8;
/// How long after the index is built its pair lists and one-byte answers
/// start to be prepared (after the frames that show the list and a first
/// query), and how much of the keys each step reads
/// ([`SearchIndex::prepare_step`]: a few milliseconds each; about 250 ms in
/// all at 100,000 contacts).
const PREPARE_AFTER: std::time::Duration = std::time::Duration::from_millis(150);
const PREPARE_STEP: usize = 256 * 1024;
const INPUT_ID: &str = "client-search";
const LISTBOX_ID: &str = "client-search-results";

#[derive(Clone)]
struct Index(Arc<SearchIndex>);

impl PartialEq for Index {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

const OPTION_PREFIX: &str = "client-search-option-";

fn option_id(i: usize) -> String {
    format!("{OPTION_PREFIX}{i}")
}

/// Whether a key press happened in a place that takes text.
fn typing_in(ev: &web_sys::KeyboardEvent) -> bool {
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
        .is_some_and(|el| {
            matches!(
                el.tag_name().to_lowercase().as_str(),
                "input" | "textarea" | "select"
            ) || el.is_content_editable()
        })
}

/// `performance.mark("clientbook:search-rendered", { detail: query })`
/// (see the effect in [`Search`]). Called through `Reflect` because the
/// options form of `mark` is an unstable API in web-sys.
fn mark_search_rendered(query: &str) {
    const MARK: &str = "clientbook:search-rendered";
    let Some(performance) = web_sys::window().and_then(|w| w.performance()) else {
        return;
    };
    performance.clear_marks_with_mark_name(MARK);
    let options = js_sys::Object::new();
    let mark = js_sys::Reflect::set(&options, &"detail".into(), &query.into())
        .and_then(|_| js_sys::Reflect::get(&performance, &"mark".into()))
        .and_then(|f| f.dyn_into::<js_sys::Function>());
    if let Ok(mark) = mark {
        let _ = mark.call2(&performance, &MARK.into(), &options);
    }
}

/// Prepares the pair lists and one-byte answers of the current index a step
/// at a time from `PREPARE_AFTER` on, giving the browser a turn after each
/// (typing and painting go on between them).
fn prepare_index(index: Memo<Option<Result<Index, crate::error::AppError>>>) {
    set_timeout(
        move || {
            leptos::task::spawn_local(async move {
                // Done, too, when the search is gone (its index disposed).
                while !index
                    .try_with_untracked(|i| match i {
                        Some(Ok(i)) => i.0.prepare_step(PREPARE_STEP),
                        _ => true,
                    })
                    .unwrap_or(true)
                {
                    yield_to_browser().await;
                }
            })
        },
        PREPARE_AFTER,
    );
}

#[component]
pub fn Search() -> impl IntoView {
    let services = use_services();
    let query = RwSignal::new(String::new());
    let open = RwSignal::new(false);
    let active = RwSignal::new(None::<usize>);
    let input = NodeRef::<Input>::new();

    // The directory the Clients page shares, loaded on first use here (or
    // by that page), then after every write; the index is rebuilt when it or
    // the viewer changes, never per keystroke.
    let index = Memo::new(move |_| match services.directory.get().flatten() {
        Some(Ok(dir)) => {
            let viewer = services.limited_viewer();
            let visible = {
                let dir = dir.clone();
                move |a: u32| viewer.as_ref().is_none_or(|m| dir.account_has_member(a, m))
            };
            let sees_all = services.limited_viewer().is_none();
            Some(Ok(Index(Arc::new(SearchIndex::build(&dir, visible, sees_all)))))
        }
        Some(Err(e)) => Some(Err(e)),
        None => None,
    });
    // Built once the list is painted, so the first key finds it ready; its
    // pair lists and one-byte answers a little later (a query typed at once
    // does not wait for them, and finds the same results without them).
    Effect::new(move |_| {
        if services.directory.with(|d| matches!(d, Some(Some(Ok(_))))) {
            request_animation_frame(move || {
                set_timeout(
                    move || {
                        // Not when the search is gone meanwhile (a new
                        // language mounts the app again).
                        if index.try_with_untracked(|_| ()).is_some() {
                            prepare_index(index);
                        }
                    },
                    std::time::Duration::ZERO,
                );
            });
        }
    });
    let results = Memo::new(move |_| {
        let q = query.get();
        index.with(|i| match i {
            Some(Ok(i)) => i.0.search(&q, LIMIT),
            _ => SearchResults::default(),
        })
    });
    // For the benchmark harness (bench/, docs/benchmarks.md): once the
    // results of a query are computed, a performance mark
    // `clientbook:search-rendered` with the query as its detail; the harness
    // then takes the next painted frame as "results rendered". Only the
    // latest mark is kept, so they never pile up.
    Effect::new(move |_| {
        let q = query.get();
        results.track();
        if index.with(|i| i.is_some()) {
            mark_search_rendered(&q);
        }
    });
    // How many options: accounts first, then contacts.
    let options_n = Memo::new(move |_| results.with(SearchResults::len));
    // The route option `i` opens.
    let route_of = move |i: usize| {
        results.with_untracked(|r| match r.accounts.get(i) {
            Some(a) => Some(Route::account(a.id.clone())),
            None => r
                .contacts
                .get(i - r.accounts.len())
                .map(|c| Route::Contact(c.id.clone())),
        })
    };
    let expanded = Memo::new(move |_| open.get() && !query.with(|q| q.trim().is_empty()));
    // The active option, if it is still among the results (they change when
    // the data reloads, not only when the query does).
    let current = move || active.get().filter(|&i| i < options_n.get());

    // Keeps the active option in view when the results scroll.
    Effect::new(move |_| {
        let Some(i) = active.get() else {
            return;
        };
        request_animation_frame(move || {
            let option = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id(&option_id(i)))
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
            let Some(option) = option else {
                return;
            };
            let Some(popup) = option
                .closest(".search-popup")
                .ok()
                .flatten()
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            else {
                return;
            };
            let (top, bottom) = (option.offset_top(), option.offset_top() + option.offset_height());
            if top < popup.scroll_top() {
                popup.set_scroll_top(top);
            } else if bottom > popup.scroll_top() + popup.client_height() {
                popup.set_scroll_top(bottom - popup.client_height());
            }
        });
    });

    let close = move || {
        query.set(String::new());
        open.set(false);
        active.set(None);
    };
    let go = move |i: usize| {
        if let Some(route) = route_of(i) {
            close();
            navigate(&route);
        }
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let n = options_n.get_untracked();
        match ev.key().as_str() {
            "ArrowDown" | "ArrowUp" => {
                ev.prevent_default();
                open.set(true);
                if n == 0 {
                    return;
                }
                let down = ev.key() == "ArrowDown";
                let now = active.get_untracked().filter(|&i| i < n);
                active.set(Some(match (now, down) {
                    (None, true) => 0,
                    (None, false) => n - 1,
                    (Some(i), true) => (i + 1) % n,
                    (Some(i), false) => (i + n - 1) % n,
                }));
            }
            "Enter" if expanded.get_untracked() && n > 0 => {
                ev.prevent_default();
                go(active.get_untracked().filter(|&i| i < n).unwrap_or(0));
            }
            "Escape" => {
                ev.prevent_default();
                close();
            }
            _ => {}
        }
    };

    // `/` anywhere outside a text field focuses the search.
    let slash = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "/" && !ev.ctrl_key() && !ev.meta_key() && !ev.alt_key() && !typing_in(&ev) {
            if let Some(el) = input.get_untracked() {
                ev.prevent_default();
                let _ = el.focus();
            }
        }
    });
    on_cleanup(move || slash.remove());

    let status = Memo::new(move |_| {
        if !expanded.get() {
            return String::new();
        }
        match index.get() {
            None => t(Key::Searching).to_owned(),
            Some(Err(e)) => tf(Key::SearchUnavailable, &[("reason", &e.user_message())]),
            Some(Ok(_)) => results.with(|r| {
                if r.is_empty() {
                    t(Key::SearchNoMatch).to_owned()
                } else {
                    tf(
                        Key::UsesBoth,
                        &[
                            ("accounts", &tn(Key::UsesAccounts, r.total_accounts, &[])),
                            ("contacts", &tn(Key::UsesContacts, r.total_contacts, &[])),
                        ],
                    )
                }
            }),
        }
    });

    // The options are slots kept from key to key: one per position in each
    // group, made when a group grows and dropped when it shrinks; a slot's
    // text follows the result at its position (updated in place), and one
    // click listener on the listbox serves them all. The options exist only
    // while the list is expanded.
    let accounts_n = Memo::new(move |_| {
        if expanded.get() {
            results.with(|r| r.accounts.len())
        } else {
            0
        }
    });
    let contacts_n = Memo::new(move |_| {
        if expanded.get() {
            results.with(|r| r.contacts.len())
        } else {
            0
        }
    });
    let more_accounts =
        Memo::new(move |_| results.with(|r| r.total_accounts.saturating_sub(r.accounts.len())));
    let more_contacts =
        Memo::new(move |_| results.with(|r| r.total_contacts.saturating_sub(r.contacts.len())));
    let option_class = move |i: usize| {
        if current() == Some(i) {
            "option active"
        } else {
            "option"
        }
    };
    // An option's elements stay; their text follows the result at its
    // position (a whole option rebuilt in place would set every attribute
    // again).
    let account_option = move |i: usize| {
        let entry = Memo::new(move |_| {
            results.with(|r| {
                r.accounts.get(i).map(|a| {
                    let kind = crate::i18n::names::account_type(a.kind);
                    let detail = if a.archived {
                        tf(Key::SearchArchived, &[("type", kind)])
                    } else {
                        kind.to_owned()
                    };
                    (a.name.clone(), detail)
                })
            })
        });
        view! {
            <div
                id=option_id(i)
                role="option"
                class=move || option_class(i)
                aria-selected=move || (current() == Some(i)).to_string()
            >
                <span class="option-name">{move || entry.with(|e| e.as_ref().map(|e| e.0.clone()).unwrap_or_default())}</span>
                <span class="option-detail">{move || entry.with(|e| e.as_ref().map(|e| e.1.clone()).unwrap_or_default())}</span>
            </div>
        }
    };
    // Contact `j` is option `accounts + j`.
    let contact_option = move |j: usize| {
        let i = move || accounts_n.get() + j;
        let entry = Memo::new(move |_| {
            results.with(|r| {
                r.contacts.get(j).map(|c| {
                    let accounts = if c.accounts.is_empty() {
                        String::new()
                    } else {
                        tf(
                            Key::SearchContactAccounts,
                            &[("accounts", &c.accounts.join(", "))],
                        )
                    };
                    (c.name.clone(), c.email.clone(), accounts)
                })
            })
        });
        view! {
            <div
                id=move || option_id(i())
                role="option"
                class=move || option_class(i())
                aria-selected=move || (current() == Some(i())).to_string()
            >
                <span class="option-name">{move || entry.with(|e| e.as_ref().map(|e| e.0.clone()).unwrap_or_default())}</span>
                <span class="option-detail">{move || entry.with(|e| e.as_ref().map(|e| e.1.clone()).unwrap_or_default())}</span>
                <span class="option-detail">{move || entry.with(|e| e.as_ref().map(|e| e.2.clone()).unwrap_or_default())}</span>
            </div>
        }
    };
    let on_option_click = move |ev: leptos::ev::MouseEvent| {
        let index = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest("[role=option]").ok().flatten())
            .and_then(|el| el.id().strip_prefix(OPTION_PREFIX)?.parse::<usize>().ok());
        if let Some(i) = index {
            go(i);
        }
    };

    view! {
        <div class="search" role="search">
            <label for=INPUT_ID class="search-label">
                {t(Key::SearchClients)}
            </label>
            <input
                id=INPUT_ID
                node_ref=input
                type="text"
                role="combobox"
                autocomplete="off"
                spellcheck="false"
                placeholder=t(Key::SearchPlaceholder)
                aria-keyshortcuts="/"
                aria-autocomplete="list"
                aria-expanded=move || expanded.get().to_string()
                aria-controls=move || expanded.get().then_some(LISTBOX_ID)
                aria-activedescendant=move || current().filter(|_| expanded.get()).map(option_id)
                prop:value=move || query.get()
                on:focus=move |_| {
                    services.want_directory();
                    open.set(true);
                }
                on:blur=move |_| open.set(false)
                on:input=move |ev| {
                    query.set(event_target_value(&ev));
                    // Only what changes: each option's class and state
                    // follow `active`, so setting it to what it is would
                    // redo them all on every key.
                    if active.get_untracked().is_some() {
                        active.set(None);
                    }
                    if !open.get_untracked() {
                        open.set(true);
                    }
                }
                on:keydown=on_keydown
            />
            <p class="sr-only" role="status" aria-live="polite">
                {move || status.get()}
            </p>
            <div class="search-popup" hidden=move || !expanded.get() on:mousedown=|ev| ev.prevent_default()>
                <p class="search-status">{move || status.get()}</p>
                <div id=LISTBOX_ID role="listbox" aria-label=t(Key::SearchResults) on:click=on_option_click>
                    <div role="group" aria-labelledby="client-search-accounts" hidden=move || accounts_n.get() == 0>
                        <div id="client-search-accounts" class="search-group" role="presentation">
                            {t(Key::Accounts)}
                        </div>
                        <For each=move || 0..accounts_n.get() key=|i| *i children=account_option />
                        <div class="search-more" role="presentation" hidden=move || more_accounts.get() == 0>
                            {move || tn(Key::SearchMore, more_accounts.get(), &[])}
                        </div>
                    </div>
                    <div role="group" aria-labelledby="client-search-contacts" hidden=move || contacts_n.get() == 0>
                        <div id="client-search-contacts" class="search-group" role="presentation">
                            {t(Key::Contacts)}
                        </div>
                        <For each=move || 0..contacts_n.get() key=|j| *j children=contact_option />
                        <div class="search-more" role="presentation" hidden=move || more_contacts.get() == 0>
                            {move || tn(Key::SearchMore, more_contacts.get(), &[])}
                        </div>
                    </div>
                </div>
            </div>
        </div>
    }
}
