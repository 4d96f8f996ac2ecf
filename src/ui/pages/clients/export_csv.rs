//! "Export CSV" of the Clients lists: the rows the current filters show,
//! as a spreadsheet file (`bundle::csv::export`) the importer reads back.

use super::{DataSignal, Shared};
use crate::bundle::csv::export;
use crate::ui::pages::data::download;
use crate::ui::services::{now, use_services};
use leptos::prelude::*;

/// Which list is exported.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Which {
    Accounts,
    Contacts,
}

/// The button, and what happened. `rows` are the filtered positions in
/// `accounts` (or `contacts`) of the prepared data, in the list's order.
#[component]
pub fn ExportCsv(which: Which, data: DataSignal, rows: Memo<Shared<Vec<usize>>>) -> impl IntoView {
    let services = use_services();
    let message = RwSignal::new(None::<String>);
    let last_url = StoredValue::new(None::<String>);
    let run = move |_| {
        let Some(d) = data.get_untracked() else {
            return;
        };
        let positions = rows.get_untracked();
        let (stem, text, n) = match which {
            Which::Accounts => {
                let chosen: Vec<_> = positions.iter().filter_map(|&i| d.accounts.get(i)).collect();
                let text = export::accounts(&chosen, &d.links, &d.contacts, &d.catalog);
                ("clientbook-accounts", text, format!("{} accounts", chosen.len()))
            }
            Which::Contacts => {
                let chosen: Vec<_> = positions.iter().filter_map(|&i| d.contacts.get(i)).collect();
                let text = export::contacts(&chosen, &d.links, &d.accounts, &d.catalog);
                ("clientbook-contacts", text, format!("{} contacts", chosen.len()))
            }
        };
        let name = format!("{stem}-{}.csv", now().date_iso());
        match download(&name, &text, "text/csv;charset=utf-8") {
            Ok(url) => {
                if let Some(old) = last_url.get_value() {
                    let _ = web_sys::Url::revoke_object_url(&old);
                }
                last_url.set_value(Some(url));
                message.set(Some(format!("Downloaded {name}: {n}.")));
            }
            Err(e) => message.set(Some(format!("The file could not be made: {e}"))),
        }
    };
    view! {
        <div class="export-csv">
            <button
                type="button"
                class="btn"
                title="The rows these filters show, as a CSV file for spreadsheets (and for importing back)"
                disabled=move || services.viewing_as.with(Option::is_some) || rows.with(|r| r.is_empty())
                on:click=run
            >
                "Export CSV"
            </button>
            <span class="muted" role="status">
                {move || message.get()}
            </span>
        </div>
    }
}
