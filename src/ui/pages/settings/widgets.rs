//! Form pieces the Settings forms need beyond `TextField` and `CheckField`:
//! a multi-line field, a select, and the frame every editor shares.

use super::Page;
use crate::i18n::{names, t, tf, Key};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Moves keyboard focus to the element with this id once the page has been
/// redrawn (after the current reactive updates).
pub fn focus_later(id: String) {
    request_animation_frame(move || {
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(&id))
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    });
}

/// `aria-describedby` for a field with an optional hint and error.
fn described_by(
    hint: bool,
    hint_id: String,
    error: MaybeProp<String>,
    error_id: String,
) -> impl Fn() -> Option<String> + Send + Sync + 'static {
    move || {
        let mut ids = Vec::new();
        if hint {
            ids.push(hint_id.clone());
        }
        if error.get().is_some() {
            ids.push(error_id.clone());
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    }
}

/// A labelled multi-line text input (one item per line).
#[component]
pub fn TextAreaField(
    #[prop(into)] id: String,
    label: &'static str,
    value: RwSignal<String>,
    #[prop(into, optional)] error: MaybeProp<String>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(default = 5)] rows: u32,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described = described_by(hint.is_some(), hint_id.clone(), error, error_id.clone());
    let (for_id, name) = (id.clone(), id.clone());
    view! {
        <div class="field" class:invalid=move || error.get().is_some()>
            <label for=for_id>{label}</label>
            <textarea
                id=id
                name=name
                rows=rows
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=described
            ></textarea>
            {hint.map(|h| view! { <p class="hint" id=hint_id>{h}</p> })}
            <p class="error-text" id=error_id role="alert">
                {move || error.get()}
            </p>
        </div>
    }
}

/// A labelled select. `options` are `(value, label)` pairs.
#[component]
pub fn SelectField(
    #[prop(into)] id: String,
    label: &'static str,
    value: RwSignal<String>,
    options: Vec<(&'static str, &'static str)>,
    #[prop(into, optional)] error: MaybeProp<String>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(into, optional)] disabled: MaybeProp<bool>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described = described_by(hint.is_some(), hint_id.clone(), error, error_id.clone());
    let (for_id, name) = (id.clone(), id.clone());
    let initial = value.get_untracked();
    view! {
        <div class="field" class:invalid=move || error.get().is_some()>
            <label for=for_id>{label}</label>
            <select
                id=id
                name=name
                disabled=move || disabled.get().unwrap_or(false)
                on:change=move |ev| value.set(event_target_value(&ev))
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=described
            >
                {options
                    .into_iter()
                    .map(|(code, text)| view! { <option value=code selected=code == initial>{text}</option> })
                    .collect_view()}
            </select>
            {hint.map(|h| view! { <p class="hint" id=hint_id>{h}</p> })}
            <p class="error-text" id=error_id role="alert">
                {move || error.get()}
            </p>
        </div>
    }
}

/// The frame of every add/edit form: a heading, the error banner, the
/// fields, Cancel and Save. Escape cancels.
#[component]
pub fn Editor(
    page: Page,
    /// What the form does, e.g. "New tag" or "Edit tag VIP".
    title: String,
    /// Called when the form is submitted (Save or Enter).
    submit: Callback<()>,
    children: Children,
) -> impl IntoView {
    let pending = page.save.pending();
    view! {
        <form
            class="form editor"
            novalidate
            aria-labelledby="editor-heading"
            on:submit=move |ev| {
                ev.prevent_default();
                submit.run(());
            }
            on:keydown=move |ev| {
                if ev.key() == "Escape" {
                    ev.prevent_default();
                    page.cancel();
                }
            }
        >
            <h3 id="editor-heading">{title}</h3>
            {move || page.banner.get().map(|m| view! { <div class="banner error" role="alert">{m}</div> })}
            {children()}
            <div class="actions">
                <button type="button" class="btn" on:click=move |_| page.cancel()>
                    {t(Key::Cancel)}
                </button>
                <button type="submit" class="btn primary" disabled=move || pending.get()>
                    {move || if pending.get() { t(Key::Saving) } else { t(Key::Save) }}
                </button>
            </div>
        </form>
    }
}

/// Asks before deleting an item, saying what deleting it changes.
#[component]
pub fn ConfirmDelete(page: Page, item: crate::domain::catalog::CatalogItem) -> impl IntoView {
    let what = super::item_what(&item);
    // Until the uses are counted, it says so and the delete waits.
    let counting = move || !page.counted.get();
    let consequence = {
        let item = item.clone();
        move || {
            let Some(uses) = page.uses_of(item.id()) else {
                return t(Key::Loading).to_owned();
            };
            let used = names::uses(&uses);
            match &item {
                crate::domain::catalog::CatalogItem::Template(_) if !uses.is_none() => tf(
                    Key::DeleteTemplateConsequence,
                    &[("uses", &used), ("folder", t(Key::DefaultFolder))],
                ),
                crate::domain::catalog::CatalogItem::Field(_) if !uses.is_none() => {
                    tf(Key::DeleteFieldConsequence, &[("uses", &used)])
                }
                crate::domain::catalog::CatalogItem::Member(_) if !uses.is_none() => {
                    tf(Key::DeleteMemberConsequence, &[("uses", &used)])
                }
                _ if !uses.is_none() => tf(Key::DeleteItemConsequence, &[("uses", &used)]),
                _ => t(Key::DeleteUnused).to_owned(),
            }
        }
    };
    let pending = page.delete.pending();
    let confirm_label = tf(Key::DeleteWhat, &[("what", &what)]);
    view! {
        <div class="confirm" role="group" aria-labelledby="confirm-question" on:keydown=move |ev| {
            if ev.key() == "Escape" {
                ev.prevent_default();
                page.cancel();
            }
        }>
            <p id="confirm-question">
                <strong>{tf(Key::DeleteWhatQuestion, &[("what", &what)])}</strong>
                " "
                {consequence}
                " "
                {t(Key::CannotBeUndone)}
            </p>
            {move || page.banner.get().map(|m| view! { <div class="banner error" role="alert">{m}</div> })}
            <div class="actions">
                <button type="button" id="confirm-cancel" class="btn" on:click=move |_| page.cancel()>
                    {t(Key::Cancel)}
                </button>
                <button
                    type="button"
                    class="btn danger-fill"
                    disabled=move || pending.get() || counting()
                    on:click=move |_| page.confirm_delete(item.clone())
                >
                    {confirm_label}
                </button>
            </div>
        </div>
    }
}
