//! Inputs for catalog values: tags (checkboxes with chips) and custom
//! fields (an input fitting the field's type).

use crate::domain::catalog::{FieldDef, FieldKind, Tag};
use crate::domain::ids::{FieldId, TagId};
use crate::i18n::{t, Key};
use crate::ui::components::TagChip;
use leptos::prelude::*;
use std::collections::BTreeMap;

/// Checkboxes for choosing tags; `prefix` keeps input ids unique per form.
#[component]
pub fn TagPicker(
    tags: Vec<Tag>,
    selected: RwSignal<Vec<TagId>>,
    #[prop(into)] prefix: String,
) -> impl IntoView {
    tags.into_iter()
        .map(|t| {
            let (id, id2) = (t.id.clone(), t.id.clone());
            let input_id = format!("{prefix}-tag-{}", t.id);
            let for_id = input_id.clone();
            view! {
                <label class="check" for=for_id>
                    <input
                        id=input_id
                        type="checkbox"
                        prop:checked=move || selected.with(|v| v.contains(&id))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            selected.update(|v| {
                                v.retain(|x| x != &id2);
                                if on {
                                    v.push(id2.clone());
                                }
                            });
                        }
                    />
                    <TagChip name=t.name.clone() color=t.color.clone() />
                </label>
            }
        })
        .collect_view()
}

/// An input fitting a custom field's type, bound to one text value.
#[component]
pub fn CustomFieldInput(
    def: FieldDef,
    value: RwSignal<String>,
    error: Signal<Option<String>>,
    /// Keeps input ids unique when several forms are on one page.
    #[prop(into, optional)]
    prefix: String,
) -> impl IntoView {
    let id = format!("{prefix}custom-{}", def.id);
    let error_id = format!("{id}-error");
    let (for_id, error_id2) = (id.clone(), error_id.clone());
    let input = match &def.kind {
        FieldKind::YesNo | FieldKind::Dropdown(_) => {
            let options: Vec<(String, String)> = match &def.kind {
                FieldKind::Dropdown(opts) => opts.iter().map(|o| (o.clone(), o.clone())).collect(),
                _ => vec![
                    ("yes".into(), t(Key::Yes).into()),
                    ("no".into(), t(Key::No).into()),
                ],
            };
            let current = value.get_untracked();
            view! {
                <select id=id on:change=move |ev| value.set(event_target_value(&ev)) aria-describedby=error_id>
                    <option value="" selected=current.is_empty()>"—"</option>
                    {options
                        .into_iter()
                        .map(|(v, text)| {
                            let selected = v == current;
                            view! { <option value=v selected=selected>{text}</option> }
                        })
                        .collect_view()}
                </select>
            }
                .into_any()
        }
        kind => {
            let input_type = match kind {
                FieldKind::Date => "date",
                FieldKind::Email => "email",
                FieldKind::Phone => "tel",
                _ => "text",
            };
            let mode = matches!(kind, FieldKind::Number).then_some("decimal");
            view! {
                <input
                    id=id
                    type=input_type
                    inputmode=mode
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))
                    aria-invalid=move || error.get().is_some().then_some("true")
                    aria-describedby=error_id
                />
            }
            .into_any()
        }
    };
    view! {
        <div class="field" class:invalid=move || error.get().is_some()>
            <label for=for_id>{def.label.clone()}</label>
            {input}
            <p class="error-text" id=error_id2 role="alert">
                {move || error.get()}
            </p>
        </div>
    }
}

/// A custom field input whose value lives in a map of raw values (which
/// outlives the input, e.g. across the steps of a form).
#[component]
pub fn MapFieldInput(
    def: FieldDef,
    values: RwSignal<BTreeMap<FieldId, String>>,
    error: Signal<Option<String>>,
    #[prop(into, optional)] prefix: String,
) -> impl IntoView {
    let key = def.id.clone();
    let value = RwSignal::new(values.with_untracked(|m| m.get(&key).cloned().unwrap_or_default()));
    Effect::new(move |_| {
        let v = value.get();
        values.update(|m| {
            m.insert(key.clone(), v);
        });
    });
    view! { <CustomFieldInput def value error prefix /> }
}

/// The custom-field inputs of an edit form: one per field the catalog has
/// for the record's kind, in the catalog's order.
#[derive(Clone)]
pub struct CustomInputs(Vec<(FieldDef, RwSignal<String>)>);

impl CustomInputs {
    /// The inputs, showing `values`.
    pub fn new(fields: impl IntoIterator<Item = FieldDef>, values: &BTreeMap<FieldId, String>) -> Self {
        Self(
            fields
                .into_iter()
                .map(|f| {
                    let value = values.get(&f.id).cloned().unwrap_or_default();
                    (f, RwSignal::new(value))
                })
                .collect(),
        )
    }

    /// `values` as these inputs show them: every field, set or empty.
    pub fn shown(&self, values: &BTreeMap<FieldId, String>) -> BTreeMap<FieldId, String> {
        crate::domain::sort::map(
            self.0
                .iter()
                .map(|(f, _)| (f.id.clone(), values.get(&f.id).cloned().unwrap_or_default())),
        )
    }

    /// What is typed now.
    pub fn typed(&self) -> BTreeMap<FieldId, String> {
        crate::domain::sort::map(self.0.iter().map(|(f, v)| (f.id.clone(), v.get_untracked())))
    }

    /// Shows `values` in the inputs.
    pub fn fill(&self, values: &BTreeMap<FieldId, String>) {
        for (f, v) in &self.0 {
            v.set(values.get(&f.id).cloned().unwrap_or_default());
        }
    }
}

/// The custom fields group of an edit form: one input per field, errors
/// read under `custom.<field id>`. Nothing when there are no fields.
#[component]
pub fn CustomFieldsGroup(
    inputs: CustomInputs,
    errors: RwSignal<crate::domain::ValidationErrors>,
) -> impl IntoView {
    let fields = inputs.0;
    (!fields.is_empty()).then(|| {
        view! {
            <fieldset class="group">
                <legend>{t(Key::CustomFields)}</legend>
                {fields
                    .into_iter()
                    .map(|(def, value)| {
                        let path = format!("custom.{}", def.id);
                        let error = Signal::derive(move || errors.with(|e| crate::error::field_message(e, &path)));
                        view! { <CustomFieldInput def value error /> }
                    })
                    .collect_view()}
            </fieldset>
        }
    })
}
