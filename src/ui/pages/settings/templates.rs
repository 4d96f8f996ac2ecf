//! Folder templates: the folders a new account's documents are sorted into.

use super::widgets::{ConfirmDelete, Editor, TextAreaField};
use super::{open_in, Kind, Open, Page, RowActions, SectionHeader};
use crate::domain::catalog::{CatalogItem, FolderTemplate, DEFAULT_FOLDER};
use crate::domain::ids::IdSource;
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
                title="Folder templates"
                intro="The folders an account's documents are sorted into. An account without a template has one folder."
                add_label="Add folder template"
            />
            <p class="muted">{format!("Default folder: {DEFAULT_FOLDER}")}</p>
            <Show
                when=move || !templates().is_empty()
                fallback=|| view! { <p class="empty-line">"No folder templates yet."</p> }
            >
                <table class="list" aria-label="Folder templates">
                    <thead>
                        <tr>
                            <th scope="col">"Template"</th>
                            <th scope="col">"Folders"</th>
                            <th scope="col">"Used by"</th>
                            <th scope="col">
                                <span class="visually-hidden">"Actions"</span>
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
                                        move || page.uses_of(id.as_str()).describe()
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
        || "New folder template".to_owned(),
        |t| format!("Edit folder template {}", t.name),
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
            <TextField id="template-name" label="Template name" value=name error=page.error_for("name") autocomplete="off" />
            <TextAreaField
                id="template-folders"
                label="Folders"
                value=folders
                error=page.error_for("folders")
                hint="One folder per line, in order. Not allowed in folder names: : \" / \\ | ? *"
                rows=6
            />
        </Editor>
    }
}
