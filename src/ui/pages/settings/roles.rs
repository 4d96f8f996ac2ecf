//! Account roles: what a team member does for a given account (for example
//! Preparer or Reviewer), assigned on each account.

use super::widgets::{ConfirmDelete, Editor};
use super::{open_in, Kind, Open, Page, RowActions, SectionHeader};
use crate::domain::catalog::{AccountRole, CatalogItem};
use crate::domain::ids::IdSource;
use crate::i18n::{t, tf, Key};
use crate::ui::components::TextField;
use crate::ui::services::BrowserIds;
use leptos::prelude::*;

#[component]
pub(super) fn RolesSection(page: Page) -> impl IntoView {
    let open = open_in(page, |k| k == Kind::Role);
    let roles = move || page.catalog(|c| c.roles.clone()).unwrap_or_default();
    view! {
        <section class="card settings-section" aria-labelledby="settings-roles">
            <SectionHeader
                page
                kind=Kind::Role
                heading_id="settings-roles"
                title=t(Key::AccountRoles)
                intro=t(Key::RolesIntro)
                add_label=t(Key::AddAccountRole)
            />
            <Show
                when=move || !roles().is_empty()
                fallback=|| view! { <p class="empty-line">{t(Key::NoRolesYet)}</p> }
            >
                <table class="list" aria-label=t(Key::AccountRoles)>
                    <thead>
                        <tr>
                            <th scope="col">{t(Key::RoleColumn)}</th>
                            <th scope="col">{t(Key::UsedBy)}</th>
                            <th scope="col">
                                <span class="visually-hidden">{t(Key::Actions)}</span>
                            </th>
                        </tr>
                    </thead>
                    <tbody>
                        <For each=roles key=|r| r.clone() let:role>
                            <tr>
                                <td>{role.name.clone()}</td>
                                <td>
                                    {
                                        let id = role.id.clone();
                                        move || page.uses_text(id.as_str())
                                    }
                                </td>
                                <td class="row-actions">
                                    <RowActions page item=CatalogItem::Role(role.clone()) />
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
                        Open::Edit(CatalogItem::Role(r)) => view! { <RoleForm page before=Some(r) /> }.into_any(),
                        _ => view! { <RoleForm page before=None /> }.into_any(),
                    })
            }}
        </section>
    }
}

#[component]
fn RoleForm(page: Page, before: Option<AccountRole>) -> impl IntoView {
    let name = RwSignal::new(before.as_ref().map(|r| r.name.clone()).unwrap_or_default());
    let title = before.as_ref().map_or_else(
        || t(Key::NewAccountRole).to_owned(),
        |r| tf(Key::EditAccountRole, &[("name", &r.name)]),
    );
    let submit = Callback::new(move |_| {
        let id = before.as_ref().map_or_else(|| BrowserIds.id(), |r| r.id.clone());
        let after = CatalogItem::Role(AccountRole {
            id,
            name: name.get_untracked(),
        });
        page.submit(before.clone().map(CatalogItem::Role), after);
    });
    view! {
        <Editor page title submit>
            <TextField id="role-name" label=t(Key::LabelRoleName) value=name error=page.error_for("name") autocomplete="off" />
        </Editor>
    }
}
