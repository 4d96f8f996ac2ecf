//! t(Key::ExportCsv) of the Clients lists: the rows the current filters show,
//! as a spreadsheet file (`bundle::csv::export`) the importer reads back.

use super::{DataSignal, Shared};
use crate::bundle::csv::export;
use crate::domain::catalog::Catalog;
use crate::domain::{Account, Contact};
use crate::error::AppError;
use crate::i18n::{t, tf, tn, Key};
use crate::store::StoreError;
use crate::ui::pages::data::download;
use crate::ui::services::{now, use_services};
use leptos::prelude::*;
use std::collections::HashMap;

/// Which list is exported.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Which {
    Accounts,
    Contacts,
}

/// The button, and what happened. `rows` are the filtered positions in
/// `accounts` (or the Contacts tab's list) of the prepared data, in the
/// list's order.
#[component]
pub fn ExportCsv(which: Which, data: DataSignal, rows: Memo<Shared<Vec<usize>>>) -> impl IntoView {
    let services = use_services();
    let message = RwSignal::new(None::<String>);
    let last_url = StoredValue::new(None::<String>);
    // The lists hold only the directory: the file is made from the full
    // records, read (all in one transaction) when the button is pressed.
    let make = Action::new_local(move |ids: &Vec<String>| {
        let ids = ids.clone();
        async move {
            let store = services.store()?;
            let all = store.export().await?;
            let (stem, text, n) = match which {
                Which::Accounts => {
                    let by_id: HashMap<&str, &Account> =
                        all.accounts.iter().map(|a| (a.id.as_str(), a)).collect();
                    let chosen: Vec<&Account> = ids
                        .iter()
                        .filter_map(|id| by_id.get(id.as_str()).copied())
                        .collect();
                    let text = export::accounts(
                        &chosen,
                        &all.links,
                        &all.contacts,
                        &Catalog::from_items(all.catalog.clone()),
                    );
                    (
                        "clientbook-accounts",
                        text,
                        tn(Key::UsesAccounts, chosen.len(), &[]),
                    )
                }
                Which::Contacts => {
                    let by_id: HashMap<&str, &Contact> =
                        all.contacts.iter().map(|c| (c.id.as_str(), c)).collect();
                    let chosen: Vec<&Contact> = ids
                        .iter()
                        .filter_map(|id| by_id.get(id.as_str()).copied())
                        .collect();
                    let text = export::contacts(
                        &chosen,
                        &all.links,
                        &all.accounts,
                        &Catalog::from_items(all.catalog.clone()),
                    );
                    (
                        "clientbook-contacts",
                        text,
                        tn(Key::UsesContacts, chosen.len(), &[]),
                    )
                }
            };
            let name = format!("{stem}-{}.csv", now().date_iso());
            let url = download(&name, &text, "text/csv;charset=utf-8").map_err(|e| {
                AppError::from(StoreError::Backend(tf(Key::FileNotMadeReason, &[("reason", &e)])))
            })?;
            if let Some(old) = last_url.get_value() {
                let _ = web_sys::Url::revoke_object_url(&old);
            }
            last_url.set_value(Some(url));
            Ok::<String, AppError>(tf(Key::DownloadedCsv, &[("file", &name), ("what", &n)]))
        }
    });
    Effect::new(move |_| match make.value().get() {
        Some(Ok(m)) => message.set(Some(m)),
        Some(Err(e)) => message.set(Some(e.user_message())),
        None => {}
    });
    let run = move |_| {
        let Some(d) = data.get_untracked() else {
            return;
        };
        let positions = rows.get_untracked();
        let ids: Vec<String> = match which {
            Which::Accounts => positions
                .iter()
                .filter_map(|&i| d.accounts.get(i).and_then(|&row| d.dir.account_id(row)))
                .map(|id| id.to_string())
                .collect(),
            Which::Contacts => positions
                .iter()
                .filter_map(|&i| {
                    d.contact_list()
                        .rows
                        .get(i)
                        .and_then(|&row| d.dir.contact_id(row))
                })
                .map(|id| id.to_string())
                .collect(),
        };
        message.set(None);
        make.dispatch_local(ids);
    };
    view! {
        <div class="export-csv">
            <button
                type="button"
                class="btn"
                title=t(Key::ExportCsvTitle)
                disabled=move || {
                    services.viewing_as.with(Option::is_some) || rows.with(|r| r.is_empty()) || make.pending().get()
                }
                on:click=run
            >
                {t(Key::ExportCsv)}
            </button>
            <span class="muted" role="status">
                {move || message.get()}
            </span>
        </div>
    }
}
