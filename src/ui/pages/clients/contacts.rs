//! The Contacts tab: every contact the viewer may see, with main email,
//! phone, tags and how many accounts they belong to.

use super::virtual_rows::VirtualRows;
use super::{DataSignal, Shared};
use crate::domain::search::normalize;
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
                        d.contact_list()
                            .keys
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
    let total = Memo::new(move |_| data.with(|d| d.as_ref().map_or(0, |d| d.contact_count())));
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
            let row = *d.contact_list().rows.get(index)?;
            let c = d.contact_row(row)?;
            let accounts = d.per_contact.get(row as usize).copied().unwrap_or(0);
            Some(view! {
                <div role="cell" class="c-name">
                    <a href=Route::Contact(c.id.clone()).href()>{c.display_name()}</a>
                </div>
                <div role="cell" class="c-email">{c.main_email().unwrap_or_default().to_owned()}</div>
                <div role="cell">{c.phone.clone()}</div>
                <div role="cell" class="c-tags">
                    <TagList tags=c.tags.clone() catalog=d.catalog.clone() />
                </div>
                <div role="cell" class="c-number">{accounts.to_string()}</div>
            })
        }
    };

    view! {
        <div class="filters">
            <div class="field">
                <label for="filter-contacts">"Filter by name or email"</label>
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
                format!("{n} of {m} contact{}", if m == 1 { "" } else { "s" })
            }}
        </p>
        <Show
            when=move || { count.get() > 0 }
            fallback=move || {
                if total.get() > 0 {
                    view! {
                        <div class="empty">
                            <p>"No contacts match this filter."</p>
                            <button type="button" class="btn" on:click=move |_| text.set(String::new())>
                                "Clear filter"
                            </button>
                        </div>
                    }
                        .into_any()
                } else {
                    view! {
                        <div class="empty">
                            <p>"No contacts yet. Contacts are added with their accounts."</p>
                            <a class="btn primary" href=Route::NewAccount.href()>
                                "New account"
                            </a>
                        </div>
                    }
                        .into_any()
                }
            }
        >
            <VirtualRows label="Contacts" class="cols-contacts" count=count row scroller>
                <div role="columnheader" aria-sort="ascending">
                    "Name"
                </div>
                <div role="columnheader">"Email"</div>
                <div role="columnheader">"Phone"</div>
                <div role="columnheader">"Tags"</div>
                <div role="columnheader">"Accounts"</div>
            </VirtualRows>
        </Show>
    }
}
