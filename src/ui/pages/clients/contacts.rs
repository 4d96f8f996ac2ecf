//! The Contacts tab: every contact the viewer may see, with main email,
//! phone, tags and how many accounts they belong to.

use super::virtual_rows::VirtualRows;
use super::{DataSignal, Shared};
use crate::domain::search::normalize;
use crate::i18n::{t, tn, Key};
use crate::route::Route;
use crate::ui::components::TagList;
use leptos::html::Div;
use leptos::prelude::*;

#[component]
pub fn ContactsList(data: DataSignal) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let rows = Memo::new(move |_| {
        let query = normalize(&text.get());
        let words: Vec<&str> = query.split_whitespace().collect();
        data.with(|d| {
            Shared::new(
                d.as_ref()
                    .map(|d| {
                        d.contact_keys
                            .iter()
                            .enumerate()
                            .filter(|(_, key)| words.iter().all(|w| key.contains(w)))
                            .map(|(i, _)| i)
                            .collect::<Vec<_>>()
                    })
                    .unwrap_or_default(),
            )
        })
    });
    let count = Memo::new(move |_| rows.with(|r| r.len()));
    let total = Memo::new(move |_| data.with(|d| d.as_ref().map_or(0, |d| d.contacts.len())));
    let scroller = NodeRef::<Div>::new();
    Effect::new(move |prev: Option<()>| {
        text.track();
        if prev.is_some() {
            if let Some(el) = scroller.get_untracked() {
                el.set_scroll_top(0);
            }
        }
    });

    let row = move |i: usize| {
        move || {
            let d = data.get()?;
            let index = rows.with(|r| r.get(i).copied())?;
            let c = d.contacts.get(index)?;
            let accounts = d.per_contact.get(&c.id).copied().unwrap_or(0);
            Some(view! {
                <div role="cell" class="c-name">
                    <a href=Route::Contact(c.id.clone()).href()>{c.display_name()}</a>
                </div>
                <div role="cell" class="c-email">{c.main_email().map(|e| e.to_string()).unwrap_or_default()}</div>
                <div role="cell">{c.phones.first().cloned().unwrap_or_default()}</div>
                <div role="cell" class="c-tags">
                    <TagList tags=c.tags.clone() catalog=d.catalog.clone() />
                </div>
                <div role="cell" class="c-number">{crate::i18n::number(accounts as i64)}</div>
            })
        }
    };

    view! {
        <div class="filters">
            <div class="field">
                <label for="filter-contacts">{t(Key::FilterContacts)}</label>
                <input
                    id="filter-contacts"
                    type="search"
                    autocomplete="off"
                    prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))
                />
            </div>
        </div>
        <super::export_csv::ExportCsv which=super::export_csv::Which::Contacts data rows />
        <p class="muted list-count" role="status">
            {move || {
                let (n, m) = (count.get(), total.get());
                tn(Key::ContactsShown, m, &[("shown", &crate::i18n::number(n as i64))])
            }}
        </p>
        <Show
            when=move || { count.get() > 0 }
            fallback=move || {
                if total.get() > 0 {
                    view! {
                        <div class="empty">
                            <p>{t(Key::NoContactsMatch)}</p>
                            <button type="button" class="btn" on:click=move |_| text.set(String::new())>
                                {t(Key::ClearFilter)}
                            </button>
                        </div>
                    }
                        .into_any()
                } else {
                    view! {
                        <div class="empty">
                            <p>{t(Key::NoContactsYet)}</p>
                            <a class="btn primary" href=Route::NewAccount.href()>
                                {t(Key::NewAccount)}
                            </a>
                        </div>
                    }
                        .into_any()
                }
            }
        >
            <VirtualRows label=t(Key::Contacts) class="cols-contacts" count=count row scroller>
                <div role="columnheader" aria-sort="ascending">
                    {t(Key::LabelName)}
                </div>
                <div role="columnheader">{t(Key::FieldKindEmail)}</div>
                <div role="columnheader">{t(Key::LabelPhone)}</div>
                <div role="columnheader">{t(Key::Tags)}</div>
                <div role="columnheader">{t(Key::Accounts)}</div>
            </VirtualRows>
        </Show>
    }
}
