//! Custom fields: extra facts kept on accounts or on contacts (a tax id, a
//! billing frequency), each with a type that checks what is typed.

use super::widgets::{ConfirmDelete, Editor, SelectField, TextAreaField};
use super::{open_in, Kind, Open, Page, RowActions};
use crate::domain::catalog::{field_values, CatalogItem, FieldDef, FieldKind, FieldTarget};
use crate::domain::ids::IdSource;
use crate::i18n::{names, t, tf, Key};
use crate::ui::components::TextField;
use crate::ui::services::BrowserIds;
use leptos::prelude::*;

#[component]
pub(super) fn FieldsSection(page: Page) -> impl IntoView {
    view! {
        <section class="card settings-section" aria-labelledby="settings-fields">
            <div class="section-header">
                <h2 id="settings-fields" tabindex="-1">
                    {t(Key::CustomFields)}
                </h2>
            </div>
            <p class="muted intro">
                {t(Key::FieldsIntro)}
            </p>
            <FieldList page target=FieldTarget::Account />
            <FieldList page target=FieldTarget::Contact />
        </section>
    }
}

/// "Dropdown: Monthly, Yearly", "Text", ...
fn kind_text(kind: &FieldKind) -> String {
    match kind {
        FieldKind::Dropdown(options) => tf(Key::DropdownOptions, &[("options", &options.join(", "))]),
        other => names::field_kind(other).to_owned(),
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
            t(Key::AccountFields),
            t(Key::AddAccountField),
            t(Key::NoAccountFields),
            "settings-account-fields",
        ),
        FieldTarget::Contact => (
            t(Key::ContactFields),
            t(Key::AddContactField),
            t(Key::NoContactFields),
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
                            <th scope="col">{t(Key::FieldColumn)}</th>
                            <th scope="col">{t(Key::TypeColumn)}</th>
                            <th scope="col">{t(Key::UsedBy)}</th>
                            <th scope="col">
                                <span class="visually-hidden">{t(Key::Actions)}</span>
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
                                        move || page.uses_text(id.as_str())
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
                        // Whether the field holds values decides what may change:
                        // its form waits for the references to be read.
                        Open::Edit(CatalogItem::Field(f)) => {
                            (move || {
                                if page.counted.get() {
                                    view! { <FieldForm page target before=Some(f.clone()) /> }.into_any()
                                } else {
                                    view! { <crate::ui::components::Loading /> }.into_any()
                                }
                            })
                                .into_any()
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
    // (The form of a stored field opens once they are read: see `FieldsSection`.)
    let stored = before
        .as_ref()
        .and_then(|f| {
            page.refs
                .with_untracked(|r| r.as_ref().map(|r| field_values(&f.id, &r.accounts, &r.contacts)))
        })
        .unwrap_or_default();
    let locked = !stored.is_empty();
    let stored = StoredValue::new(stored);
    let title = match (target, before.as_ref()) {
        (FieldTarget::Account, None) => t(Key::NewAccountField).to_owned(),
        (FieldTarget::Contact, None) => t(Key::NewContactField).to_owned(),
        (FieldTarget::Account, Some(f)) => tf(Key::EditAccountField, &[("name", &f.label)]),
        (FieldTarget::Contact, Some(f)) => tf(Key::EditContactField, &[("name", &f.label)]),
    };
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
            <TextField id="field-label" label=t(Key::LabelFieldName) value=label error=page.error_for("label") autocomplete="off" />
            <SelectField
                id="field-kind"
                label=t(Key::TypeColumn)
                value=kind
                options=FieldKind::CODES
                    .iter()
                    .map(|code| {
                        let kind = FieldKind::from_code(code, Vec::new()).unwrap_or(FieldKind::Text);
                        (*code, names::field_kind(&kind))
                    })
                    .collect()
                disabled=locked
                hint=if locked { t(Key::FieldTypeLocked) } else { t(Key::FieldTypeHint) }
            />
            <Show when=dropdown>
                <TextAreaField
                    id="field-options"
                    label=t(Key::Options)
                    value=options
                    error=page.error_for("options")
                    hint=t(Key::OptionsHint)
                />
                {move || {
                    let gone = orphans();
                    (locked && !gone.is_empty())
                        .then(|| {
                            view! {
                                <p class="banner warning" role="status">
                                    {tf(Key::OrphanValues, &[("values", &gone.join(", "))])}
                                </p>
                            }
                        })
                }}
            </Show>
        </Editor>
    }
}
