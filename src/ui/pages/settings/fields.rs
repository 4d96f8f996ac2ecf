//! Custom fields: extra facts kept on accounts or on contacts (a tax id, a
//! billing frequency), each with a type that checks what is typed.

use super::widgets::{ConfirmDelete, Editor, SelectField, TextAreaField};
use super::{open_in, Kind, Open, Page, RowActions};
use crate::domain::catalog::{field_values, CatalogItem, FieldDef, FieldKind, FieldTarget};
use crate::domain::ids::IdSource;
use crate::ui::components::TextField;
use crate::ui::services::BrowserIds;
use leptos::prelude::*;

#[component]
pub(super) fn FieldsSection(page: Page) -> impl IntoView {
    view! {
        <section class="card settings-section" aria-labelledby="settings-fields">
            <div class="section-header">
                <h2 id="settings-fields" tabindex="-1">
                    "Custom fields"
                </h2>
            </div>
            <p class="muted intro">
                "Extra facts to keep on accounts or contacts, such as a tax id or a billing frequency. \
                 The type decides what may be typed in."
            </p>
            <FieldList page target=FieldTarget::Account />
            <FieldList page target=FieldTarget::Contact />
        </section>
    }
}

/// "Dropdown: Monthly, Yearly", "Text", ...
fn kind_text(kind: &FieldKind) -> String {
    match kind {
        FieldKind::Dropdown(options) => format!("Dropdown: {}", options.join(", ")),
        other => other.label().to_owned(),
    }
}

#[component]
fn FieldList(page: Page, target: FieldTarget) -> impl IntoView {
    let kind = Kind::Field(target);
    let open = open_in(page, move |k| k == kind);
    let fields = move || {
        page.catalog(|c| c.fields_for(target).cloned().collect::<Vec<_>>())
            .unwrap_or_default()
    };
    let (title, add_label, empty, heading_id) = match target {
        FieldTarget::Account => (
            "Account fields",
            "Add account field",
            "No account fields yet.",
            "settings-account-fields",
        ),
        FieldTarget::Contact => (
            "Contact fields",
            "Add contact field",
            "No contact fields yet.",
            "settings-contact-fields",
        ),
    };
    view! {
        <div class="subsection" role="group" aria-labelledby=heading_id>
            <div class="section-header">
                <h3 id=heading_id>{title}</h3>
                <Show when=move || page.may_edit.get()>
                    <button type="button" id=kind.add_button_id() class="btn" on:click=move |_| page.show(Open::New(kind))>
                        {add_label}
                    </button>
                </Show>
            </div>
            <Show when=move || !fields().is_empty() fallback=move || view! { <p class="empty-line">{empty}</p> }>
                <table class="list" aria-label=title>
                    <thead>
                        <tr>
                            <th scope="col">"Field"</th>
                            <th scope="col">"Type"</th>
                            <th scope="col">"Used by"</th>
                            <th scope="col">
                                <span class="visually-hidden">"Actions"</span>
                            </th>
                        </tr>
                    </thead>
                    <tbody>
                        <For each=fields key=|f| f.clone() let:field>
                            <tr>
                                <td>{field.label.clone()}</td>
                                <td>{kind_text(&field.kind)}</td>
                                <td>
                                    {
                                        let id = field.id.clone();
                                        move || page.uses_of(id.as_str()).describe()
                                    }
                                </td>
                                <td class="row-actions">
                                    <RowActions page item=CatalogItem::Field(field.clone()) />
                                </td>
                            </tr>
                        </For>
                    </tbody>
                </table>
            </Show>
            {move || {
                open.get()
                    .map(|o| match o {
                        Open::Delete(item) => view! { <ConfirmDelete page item /> }.into_any(),
                        Open::Edit(CatalogItem::Field(f)) => {
                            view! { <FieldForm page target before=Some(f) /> }.into_any()
                        }
                        _ => view! { <FieldForm page target before=None /> }.into_any(),
                    })
            }}
        </div>
    }
}

#[component]
fn FieldForm(page: Page, target: FieldTarget, before: Option<FieldDef>) -> impl IntoView {
    let label = RwSignal::new(before.as_ref().map(|f| f.label.clone()).unwrap_or_default());
    let kind = RwSignal::new(
        before
            .as_ref()
            .map_or(FieldKind::Text.code(), |f| f.kind.code())
            .to_owned(),
    );
    let options = RwSignal::new(match before.as_ref().map(|f| &f.kind) {
        Some(FieldKind::Dropdown(o)) => o.join("\n"),
        _ => String::new(),
    });
    // Values already stored keep their meaning: a field that holds values
    // keeps its type.
    let stored = before
        .as_ref()
        .and_then(|f| {
            page.data
                .with_untracked(|d| d.as_ref().map(|d| field_values(&f.id, &d.accounts, &d.contacts)))
        })
        .unwrap_or_default();
    let locked = !stored.is_empty();
    let stored = StoredValue::new(stored);
    let what = match target {
        FieldTarget::Account => "account",
        FieldTarget::Contact => "contact",
    };
    let title = before.as_ref().map_or_else(
        || format!("New {what} field"),
        |f| format!("Edit {what} field {}", f.label),
    );
    let submit = Callback::new(move |_| {
        let lines = options.get_untracked().lines().map(str::to_owned).collect();
        let Some(kind) = FieldKind::from_code(&kind.get_untracked(), lines) else {
            return;
        };
        let after = CatalogItem::Field(FieldDef {
            id: before.as_ref().map_or_else(|| BrowserIds.id(), |f| f.id.clone()),
            target,
            label: label.get_untracked(),
            kind,
        });
        page.submit(before.clone().map(CatalogItem::Field), after);
    });
    let dropdown = move || kind.get() == "dropdown";
    // Stored values that the edited options no longer offer.
    let orphans = move || {
        let offered: Vec<String> = options.get().lines().map(|l| l.trim().to_owned()).collect();
        stored.with_value(|stored| {
            stored
                .iter()
                .filter(|(v, _)| !offered.contains(v))
                .map(|(v, n)| format!("{v} ({n})"))
                .collect::<Vec<_>>()
        })
    };
    view! {
        <Editor page title submit>
            <TextField id="field-label" label="Field name" value=label error=page.error_for("label") autocomplete="off" />
            <SelectField
                id="field-kind"
                label="Type"
                value=kind
                options=FieldKind::CODES.to_vec()
                disabled=locked
                hint=if locked {
                    "Records already hold values for this field, so its type stays as it is."
                } else {
                    "What may be typed in: a number, a date as YYYY-MM-DD, yes or no, one option of a list..."
                }
            />
            <Show when=dropdown>
                <TextAreaField
                    id="field-options"
                    label="Options"
                    value=options
                    error=page.error_for("options")
                    hint="One option per line, in the order they are offered."
                />
                {move || {
                    let gone = orphans();
                    (locked && !gone.is_empty())
                        .then(|| {
                            view! {
                                <p class="banner warning" role="status">
                                    {format!(
                                        "Values in use that are no longer options: {}. Those records keep their value until it is edited.",
                                        gone.join(", "),
                                    )}
                                </p>
                            }
                        })
                }}
            </Show>
        </Editor>
    }
}
