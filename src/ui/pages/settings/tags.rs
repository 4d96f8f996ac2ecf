//! Tags: short coloured labels for accounts and contacts.

use super::widgets::{ConfirmDelete, Editor};
use super::{open_in, Kind, Open, Page, RowActions, SectionHeader};
use crate::domain::catalog::{CatalogItem, Tag, MAX_TAG_CHARS, TAG_COLORS};
use crate::domain::ids::IdSource;
use crate::i18n::{t, tf, Key};
use crate::ui::components::{TagChip, TextField};
use crate::ui::services::BrowserIds;
use leptos::prelude::*;

#[component]
pub(super) fn TagsSection(page: Page) -> impl IntoView {
    let open = open_in(page, |k| k == Kind::Tag);
    let tags = move || page.catalog(|c| c.tags.clone()).unwrap_or_default();
    view! {
        <section class="card settings-section" aria-labelledby="settings-tags">
            <SectionHeader
                page
                kind=Kind::Tag
                heading_id="settings-tags"
                title=t(Key::Tags)
                intro=t(Key::TagsIntro)
                add_label=t(Key::AddTag)
            />
            <Show
                when=move || !tags().is_empty()
                fallback=|| view! { <p class="empty-line">{t(Key::NoTagsYet)}</p> }
            >
                <table class="list" aria-label=t(Key::Tags)>
                    <thead>
                        <tr>
                            <th scope="col">{t(Key::TagColumn)}</th>
                            <th scope="col">{t(Key::UsedBy)}</th>
                            <th scope="col">
                                <span class="visually-hidden">{t(Key::Actions)}</span>
                            </th>
                        </tr>
                    </thead>
                    <tbody>
                        <For each=tags key=|t| t.clone() let:tag>
                            <tr>
                                <td>
                                    <TagChip name=tag.name.clone() color=tag.color.clone() />
                                </td>
                                <td>
                                    {
                                        let id = tag.id.clone();
                                        move || page.uses_text(id.as_str())
                                    }
                                </td>
                                <td class="row-actions">
                                    <RowActions page item=CatalogItem::Tag(tag.clone()) />
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
                        Open::Edit(CatalogItem::Tag(t)) => view! { <TagForm page before=Some(t) /> }.into_any(),
                        _ => view! { <TagForm page before=None /> }.into_any(),
                    })
            }}
        </section>
    }
}

#[component]
fn TagForm(page: Page, before: Option<Tag>) -> impl IntoView {
    let name = RwSignal::new(before.as_ref().map(|t| t.name.clone()).unwrap_or_default());
    let color = RwSignal::new(
        before
            .as_ref()
            .map(|t| t.color.clone())
            .unwrap_or_else(|| TAG_COLORS[0].to_owned()),
    );
    let title = before.as_ref().map_or_else(
        || t(Key::NewTag).to_owned(),
        |tag| tf(Key::EditTag, &[("name", &tag.name)]),
    );
    let submit = Callback::new(move |_| {
        let id = before.as_ref().map_or_else(|| BrowserIds.id(), |t| t.id.clone());
        let after = CatalogItem::Tag(Tag {
            id,
            name: name.get_untracked(),
            color: color.get_untracked(),
        });
        page.submit(before.clone().map(CatalogItem::Tag), after);
    });
    let color_error = page.error_for("color");
    view! {
        <Editor page title submit>
            <TextField
                id="tag-name"
                label=t(Key::LabelTagName)
                value=name
                error=page.error_for("name")
                hint=t(Key::TagNameHint)
                autocomplete="off"
            />
            <fieldset
                class="radio-group colors"
                aria-describedby=move || color_error.get().map(|_| "tag-color-error")
            >
                <legend>{t(Key::Colour)}</legend>
                {TAG_COLORS
                    .into_iter()
                    .map(|c| {
                        let id = format!("tag-color-{c}");
                        let for_id = id.clone();
                        view! {
                            <label for=for_id class="color-choice">
                                <input
                                    id=id
                                    type="radio"
                                    name="tag-color"
                                    value=c
                                    prop:checked=move || color.get() == c
                                    on:change=move |_| color.set(c.to_owned())
                                />
                                <span class=format!("swatch tag-{c}") aria-hidden="true"></span>
                                {color_name(c)}
                            </label>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <p class="error-text" id="tag-color-error" role="alert">
                {move || color_error.get()}
            </p>
            <p class="preview">
                {t(Key::Preview)}
                {move || {
                    let shown = name.get().trim().chars().take(MAX_TAG_CHARS).collect::<String>();
                    let shown = if shown.is_empty() { t(Key::LabelTagName).to_owned() } else { shown };
                    view! { <TagChip name=shown color=color.get() /> }
                }}
            </p>
        </Editor>
    }
}

/// The colour's name, for its label.
fn color_name(code: &str) -> &'static str {
    t(match code {
        "blue" => Key::ColorBlue,
        "green" => Key::ColorGreen,
        "amber" => Key::ColorAmber,
        "red" => Key::ColorRed,
        "purple" => Key::ColorPurple,
        "teal" => Key::ColorTeal,
        "pink" => Key::ColorPink,
        _ => Key::ColorGrey,
    })
}
