//! Folder templates: the folders a new account's documents are sorted into.

use super::widgets::{ConfirmDelete, Editor, TextAreaField};
use super::{open_in, Kind, Open, Page, RowActions, SectionHeader};
use crate::domain::catalog::{CatalogItem, FolderTemplate};
use crate::domain::ids::IdSource;
use crate::i18n::{t, tf, Key};
use crate::ui::components::TextField;
use crate::ui::services::BrowserIds;
use leptos::prelude::*;

#[component]
pub(super) fn TemplatesSection(page: Page) -> impl IntoView {
    let open = open_in(page, |k| k == Kind::Template);
    let templates = move || page.catalog(|c| c.templates.clone()).unwrap_or_default();
    view! {
        <section class="card settings-section" aria-labelledby="settings-templates">
            <SectionHeader
                page
                kind=Kind::Template
                heading_id="settings-templates"
                title=t(Key::FolderTemplates)
                intro=t(Key::TemplatesIntro)
                add_label=t(Key::AddFolderTemplate)
            />
            <p class="muted">{tf(Key::DefaultFolderIs, &[("folder", t(Key::DefaultFolder))])}</p>
            <Show
                when=move || !templates().is_empty()
                fallback=|| view! { <p class="empty-line">{t(Key::NoTemplatesYet)}</p> }
            >
                <table class="list" aria-label=t(Key::FolderTemplates)>
                    <thead>
                        <tr>
                            <th scope="col">{t(Key::TemplateColumn)}</th>
                            <th scope="col">{t(Key::FoldersColumn)}</th>
                            <th scope="col">{t(Key::UsedBy)}</th>
                            <th scope="col">
                                <span class="visually-hidden">{t(Key::Actions)}</span>
                            </th>
                        </tr>
                    </thead>
                    <tbody>
                        <For each=templates key=|t| t.clone() let:template>
                            <tr>
                                <td>{template.name.clone()}</td>
                                <td>
                                    <ol class="folder-list">
                                        {template
                                            .folders
                                            .iter()
                                            .map(|f| view! { <li>{f.clone()}</li> })
                                            .collect_view()}
                                    </ol>
                                </td>
                                <td>
                                    {
                                        let id = template.id.clone();
                                        move || page.uses_text(id.as_str())
                                    }
                                </td>
                                <td class="row-actions">
                                    <RowActions page item=CatalogItem::Template(template.clone()) />
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
                        Open::Edit(CatalogItem::Template(t)) => {
                            view! { <TemplateForm page before=Some(t) /> }.into_any()
                        }
                        _ => view! { <TemplateForm page before=None /> }.into_any(),
                    })
            }}
        </section>
    }
}

#[component]
fn TemplateForm(page: Page, before: Option<FolderTemplate>) -> impl IntoView {
    let name = RwSignal::new(before.as_ref().map(|t| t.name.clone()).unwrap_or_default());
    let folders = RwSignal::new(before.as_ref().map(|t| t.folders.join("\n")).unwrap_or_default());
    let title = before.as_ref().map_or_else(
        || t(Key::NewFolderTemplate).to_owned(),
        |template| tf(Key::EditFolderTemplate, &[("name", &template.name)]),
    );
    let submit = Callback::new(move |_| {
        let after = CatalogItem::Template(FolderTemplate {
            id: before.as_ref().map_or_else(|| BrowserIds.id(), |t| t.id.clone()),
            name: name.get_untracked(),
            folders: folders.get_untracked().lines().map(str::to_owned).collect(),
        });
        page.submit(before.clone().map(CatalogItem::Template), after);
    });
    view! {
        <Editor page title submit>
            <TextField id="template-name" label=t(Key::LabelTemplateName) value=name error=page.error_for("name") autocomplete="off" />
            <TextAreaField
                id="template-folders"
                label=t(Key::FoldersColumn)
                value=folders
                error=page.error_for("folders")
                hint=t(Key::FoldersHint)
                rows=6
            />
        </Editor>
    }
}
