//! The Contacts tab: every contact the viewer may see, with main email,
//! phone, tags and how many accounts they belong to; select contacts (or
//! every filtered one) to export them as vCard; a link to the duplicates.

use super::virtual_rows::VirtualRows;
use super::{DataSignal, Shared};
use crate::bundle::vcard;
use crate::domain::search::normalize;
use crate::domain::{Contact, ContactId};
use crate::error::AppError;
use crate::i18n::{t, tf, tn, Key};
use crate::route::Route;
use crate::store::StoreError;
use crate::ui::components::tag::{chip_list, TagChips};
use crate::ui::pages::data::download;
use crate::ui::services::{now, use_services};
use leptos::html::Div;
use leptos::prelude::*;
use std::collections::HashSet;
use wasm_bindgen::JsCast;

/// What a row of the list shows.
#[derive(Clone, PartialEq)]
struct ContactCells {
    id: ContactId,
    href: String,
    check_id: String,
    /// The checkbox's label.
    select: String,
    name: String,
    email: String,
    phone: String,
    accounts: String,
}

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
                            .rows
                            .iter()
                            .enumerate()
                            .filter(|&(_, &row)| {
                                let key = d.dir.contact_search_key(row).0;
                                words.iter().all(|w| key.contains(w))
                            })
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
    let selected = RwSignal::new(HashSet::<ContactId>::new());
    Effect::new(move |prev: Option<()>| {
        text.track();
        if prev.is_some() {
            selected.set(HashSet::new());
            if let Some(el) = scroller.get_untracked() {
                el.set_scroll_top(0);
            }
        }
    });
    // Select-all over every filtered row, not only the rendered ones.
    let all_state = Memo::new(move |_| {
        selected.with(|s| {
            if s.is_empty() {
                return (false, false);
            }
            data.with(|d| {
                let Some(d) = d else { return (false, false) };
                rows.with(|r| {
                    let n = r
                        .iter()
                        .filter(|&&i| {
                            d.contact_list()
                                .rows
                                .get(i)
                                .and_then(|&row| d.dir.contact_id(row))
                                .is_some_and(|id| s.contains(&id))
                        })
                        .count();
                    (n > 0 && n == r.len(), n > 0 && n < r.len())
                })
            })
        })
    });
    let toggle_all = move |_| {
        if all_state.get_untracked().0 {
            selected.set(HashSet::new());
        } else if let Some(d) = data.get_untracked() {
            let ids = rows.with_untracked(|r| {
                r.iter()
                    .filter_map(|&i| {
                        d.contact_list()
                            .rows
                            .get(i)
                            .and_then(|&row| d.dir.contact_id(row))
                    })
                    .collect()
            });
            selected.set(ids);
        }
    };

    // One slot of the table, made once; its cells follow the row it shows
    // (see the Accounts list).
    let row = move |slot: Signal<Option<usize>>| {
        let cells = Memo::new(move |_| {
            let i = slot.get()?;
            data.with(|d| {
                let d = d.as_ref()?;
                let index = rows.with(|r| r.get(i).copied())?;
                let row = *d.contact_list().rows.get(index)?;
                let c = d.contact_row(row)?;
                let name = c.display_name();
                Some(ContactCells {
                    id: c.id.clone(),
                    href: Route::Contact(c.id.clone()).href(),
                    check_id: format!("select-contact-{}", c.id),
                    select: tf(Key::SelectName, &[("name", &name)]),
                    name,
                    email: c.main_email().unwrap_or_default().to_owned(),
                    phone: c.phone.clone(),
                    accounts: crate::i18n::number(
                        d.per_contact.get(row as usize).copied().unwrap_or(0) as i64
                    ),
                })
            })
        });
        let chips = Memo::new(move |_| {
            let i = slot.get()?;
            data.with(|d| {
                let d = d.as_ref()?;
                let index = rows.with(|r| r.get(i).copied())?;
                let c = d
                    .contact_list()
                    .rows
                    .get(index)
                    .and_then(|&row| d.contact_row(row))?;
                Some(chip_list(&c.tags, &d.catalog))
            })
        });
        let text = move |f: fn(&ContactCells) -> String| {
            move || cells.with(|c| c.as_ref().map(f).unwrap_or_default())
        };
        let checked =
            move || cells.with(|c| c.as_ref().is_some_and(|c| selected.with(|s| s.contains(&c.id))));
        view! {
            <div role="cell" class="c-check">
                <input id=text(|c| c.check_id.clone()) type="checkbox" prop:checked=checked />
                <label for=text(|c| c.check_id.clone()) class="sr-only">
                    {text(|c| c.select.clone())}
                </label>
            </div>
            <div role="cell" class="c-name">
                <a href=text(|c| c.href.clone())>{text(|c| c.name.clone())}</a>
            </div>
            <div role="cell" class="c-email">{text(|c| c.email.clone())}</div>
            <div role="cell">{text(|c| c.phone.clone())}</div>
            <div role="cell" class="c-tags">
                <TagChips chips />
            </div>
            <div role="cell" class="c-number">{text(|c| c.accounts.clone())}</div>
        }
    };
    let on_change = Callback::new(move |(i, ev): (usize, web_sys::Event)| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .filter(|el| el.type_() == "checkbox")
        else {
            return;
        };
        let on = input.checked();
        let id = data.with_untracked(|d| {
            let d = d.as_ref()?;
            let index = rows.with_untracked(|r| r.get(i).copied())?;
            d.contact_list()
                .rows
                .get(index)
                .and_then(|&row| d.contact_row(row))
                .map(|c| c.id.clone())
        });
        if let Some(id) = id {
            selected.update(|s| {
                if on {
                    s.insert(id);
                } else {
                    s.remove(&id);
                }
            });
        }
    });

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
            " · "
            <a href=Route::Duplicates.href()>{t(Key::FindDuplicates)}</a>
        </p>
        <ExportBar data rows selected />
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
                            " "
                            <a class="btn" href=Route::Data.href()>
                                {t(Key::ImportContacts)}
                            </a>
                        </div>
                    }
                        .into_any()
                }
            }
        >
            <VirtualRows label=t(Key::Contacts) class="cols-contacts" count=count row scroller on_change>
                <div role="columnheader" class="c-check">
                    <input
                        id="select-all-contacts"
                        type="checkbox"
                        prop:checked=move || all_state.get().0
                        prop:indeterminate=move || all_state.get().1
                        on:change=toggle_all
                    />
                    <label for="select-all-contacts" class="sr-only">
                        {move || tn(Key::SelectAllContacts, count.get(), &[])}
                    </label>
                </div>
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

/// What to do with the selected contacts: export them as one vCard file.
#[component]
fn ExportBar(
    data: super::DataSignal,
    rows: Memo<Shared<Vec<usize>>>,
    selected: RwSignal<HashSet<ContactId>>,
) -> impl IntoView {
    let notice = RwSignal::new(None::<String>);
    // The previous download's object URL is released at the next export.
    let last_url = StoredValue::new(None::<String>);
    // The list holds only the directory: the selected contacts are read
    // whole when the button is pressed.
    let services = use_services();
    let make = Action::new_local(move |ids: &Vec<ContactId>| {
        let ids = ids.clone();
        async move {
            let store = services.store()?;
            let chosen: Vec<Contact> = store.contacts_by_id(&ids).await?;
            let catalog = store.catalog().await?;
            let text = vcard::write(&chosen, &catalog);
            let name = format!("clientbook-contacts-{}.vcf", now().date_iso());
            let url = download(&name, &text, "text/vcard").map_err(|e| {
                AppError::from(StoreError::Backend(tf(Key::FileNotMadeReason, &[("reason", &e)])))
            })?;
            if let Some(old) = last_url.get_value() {
                let _ = web_sys::Url::revoke_object_url(&old);
            }
            last_url.set_value(Some(url));
            Ok::<String, AppError>(tf(
                Key::DownloadedCsv,
                &[
                    ("file", &name),
                    ("what", &tn(Key::UsesContacts, chosen.len(), &[])),
                ],
            ))
        }
    });
    Effect::new(move |_| match make.value().get() {
        Some(Ok(m)) => notice.set(Some(m)),
        Some(Err(e)) => notice.set(Some(e.user_message())),
        None => {}
    });
    let export = move |_| {
        let Some(d) = data.get_untracked() else {
            return;
        };
        let ids: Vec<ContactId> = selected.with_untracked(|s| {
            rows.with_untracked(|r| {
                r.iter()
                    .filter_map(|&i| {
                        d.contact_list()
                            .rows
                            .get(i)
                            .and_then(|&row| d.dir.contact_id(row))
                    })
                    .filter(|id| s.contains(id))
                    .collect()
            })
        });
        notice.set(None);
        make.dispatch_local(ids);
    };
    let count = move || selected.with(HashSet::len);
    view! {
        <p class="notice" role="status">
            {move || notice.get()}
        </p>
        <Show when=move || { count() > 0 }>
            <section class="bulk" aria-label=t(Key::SelectedContacts)>
                <p class="bulk-count">
                    <strong>{move || tn(Key::NSelected, count(), &[])}</strong>
                    <button type="button" class="btn link" on:click=move |_| selected.set(HashSet::new())>
                        {t(Key::ClearSelection)}
                    </button>
                </p>
                <div class="bulk-group">
                    <button type="button" class="btn" title=t(Key::ExportVcardTitle) on:click=export>
                        {t(Key::ExportVcard)}
                    </button>
                </div>
            </section>
        </Show>
    }
}
