//! The team: the owner (the practitioner), admins and employees. Employees
//! see the accounts they are assigned to (or all of them) and may or may
//! not edit them. t(Key::ViewAs) previews Clientbook as that person sees it.

use super::widgets::{ConfirmDelete, Editor, SelectField};
use super::{open_in, Kind, Open, Page, RowActions, SectionHeader};
use crate::domain::catalog::{CatalogItem, TeamMember, TeamRole};
use crate::domain::ids::IdSource;
use crate::i18n::{t, tf, Key};
use crate::ui::components::{CheckField, TextField};
use crate::ui::services::BrowserIds;
use leptos::prelude::*;

/// What a member may do, in words.
fn access(m: &TeamMember) -> &'static str {
    match (m.sees_all(), m.can_manage()) {
        _ if m.role != TeamRole::Employee => t(Key::AccessAllEdit),
        (true, true) => t(Key::AccessAllEdit),
        (true, false) => t(Key::AccessAllView),
        (false, true) => t(Key::AccessAssignedEdit),
        (false, false) => t(Key::AccessAssignedView),
    }
}

#[component]
pub(super) fn TeamSection(page: Page) -> impl IntoView {
    let open = open_in(page, |k| k == Kind::Member);
    let members = move || page.catalog(|c| c.members.clone()).unwrap_or_default();
    let no_owner = move || page.catalog(|c| c.owner().is_none()).unwrap_or(false);
    view! {
        <section class="card settings-section" aria-labelledby="settings-team">
            <SectionHeader
                page
                kind=Kind::Member
                heading_id="settings-team"
                title=t(Key::Team)
                intro=t(Key::TeamIntro)
                add_label=t(Key::AddTeamMember)
            />
            <Show when=no_owner>
                <p class="hint-box">
                    {t(Key::StartWithYourself)}
                </p>
            </Show>
            <Show when=move || !members().is_empty()>
                <table class="list" aria-label=t(Key::Team)>
                    <thead>
                        <tr>
                            <th scope="col">{t(Key::LabelName)}</th>
                            <th scope="col">{t(Key::FieldKindEmail)}</th>
                            <th scope="col">{t(Key::RoleColumn)}</th>
                            <th scope="col">{t(Key::AccessColumn)}</th>
                            <th scope="col">{t(Key::AssignedTo)}</th>
                            <th scope="col">
                                <span class="visually-hidden">{t(Key::Actions)}</span>
                            </th>
                        </tr>
                    </thead>
                    <tbody>
                        <For each=members key=|m| m.clone() let:member>
                            <MemberRow page member />
                        </For>
                    </tbody>
                </table>
            </Show>
            {move || {
                open.get()
                    .map(|o| match o {
                        Open::Delete(item) => view! { <ConfirmDelete page item /> }.into_any(),
                        Open::Edit(CatalogItem::Member(m)) => {
                            view! { <MemberForm page before=Some(m) /> }.into_any()
                        }
                        _ => view! { <MemberForm page before=None /> }.into_any(),
                    })
            }}
        </section>
    }
}

#[component]
fn MemberRow(page: Page, member: TeamMember) -> impl IntoView {
    let services = page.services;
    let is_owner = member.role == TeamRole::Owner;
    let id = member.id.clone();
    let viewing = {
        let id = id.clone();
        move || {
            services
                .viewing_as
                .with(|v| v.as_ref().is_some_and(|v| v.id == id))
        }
    };
    let view_as = {
        let member = member.clone();
        move |_| {
            page.status.set(tf(Key::NowViewingAs, &[("name", &member.name)]));
            services.viewing_as.set(Some(member.clone()));
        }
    };
    let stop = move |_| {
        page.status.set(t(Key::BackToOwnView).to_owned());
        services.viewing_as.set(None);
    };
    let name = member.name.clone();
    let assigned = {
        let id = id.clone();
        move || match page.uses_of(id.as_str()) {
            None => t(Key::Loading).to_owned(),
            Some(uses) if uses.is_none() => t(Key::NoAccounts).to_owned(),
            Some(uses) => crate::i18n::names::uses(&uses),
        }
    };
    view! {
        <tr>
            <td>{member.name.clone()}</td>
            <td>{member.email.clone()}</td>
            <td>{crate::i18n::names::team_role(member.role)}</td>
            <td>{access(&member)}</td>
            <td>{move || if is_owner { t(Key::EveryAccount).to_owned() } else { assigned() }}</td>
            <td class="row-actions">
                {(!is_owner)
                    .then(|| {
                        let name = name.clone();
                        view! {
                            <Show
                                when=viewing.clone()
                                fallback={
                                    let name = name.clone();
                                    let view_as = view_as.clone();
                                    move || {
                                        view! {
                                            <button
                                                type="button"
                                                class="btn small"
                                                aria-label=tf(Key::ViewAsName, &[("name", &name)])
                                                on:click=view_as.clone()
                                            >
                                                {t(Key::ViewAs)}
                                            </button>
                                        }
                                    }
                                }
                            >
                                <button
                                    type="button"
                                    class="btn small"
                                    aria-label=tf(Key::StopViewingAsName, &[("name", &name)])
                                    on:click=stop
                                >
                                    {t(Key::StopViewingAs)}
                                </button>
                            </Show>
                        }
                    })}
                <RowActions page item=CatalogItem::Member(member.clone()) deletable=!is_owner />
            </td>
        </tr>
    }
}

#[component]
fn MemberForm(page: Page, before: Option<TeamMember>) -> impl IntoView {
    let start = before.clone().unwrap_or_else(|| TeamMember {
        id: BrowserIds.id(),
        name: String::new(),
        email: String::new(),
        // The first member is the practitioner.
        role: if page.catalog(|c| c.owner().is_none()).unwrap_or(false) {
            TeamRole::Owner
        } else {
            TeamRole::Employee
        },
        view_all_accounts: false,
        manage_accounts: false,
    });
    let is_owner = start.role == TeamRole::Owner && before.is_some();
    let name = RwSignal::new(start.name.clone());
    let email = RwSignal::new(start.email.clone());
    let role = RwSignal::new(start.role.code().to_owned());
    let view_all = RwSignal::new(start.view_all_accounts);
    let manage = RwSignal::new(start.manage_accounts);
    // Owner is offered only while there is none (or to the owner).
    let owner_free = page
        .catalog(|c| c.owner().is_none_or(|o| o.id == start.id))
        .unwrap_or(true);
    let roles: Vec<(&'static str, &'static str)> = TeamRole::ALL
        .into_iter()
        .filter(|r| *r != TeamRole::Owner || owner_free)
        .map(|r| (r.code(), crate::i18n::names::team_role(r)))
        .collect();
    let title = before.as_ref().map_or_else(
        || t(Key::NewTeamMember).to_owned(),
        |m| tf(Key::EditTeamMember, &[("name", &m.name)]),
    );
    let submit = Callback::new(move |_| {
        let after = CatalogItem::Member(TeamMember {
            id: start.id.clone(),
            name: name.get_untracked(),
            email: email.get_untracked(),
            role: TeamRole::from_code(&role.get_untracked()).unwrap_or_default(),
            view_all_accounts: view_all.get_untracked(),
            manage_accounts: manage.get_untracked(),
        });
        page.submit(before.clone().map(CatalogItem::Member), after);
    });
    let employee = move || role.get() == TeamRole::Employee.code();
    view! {
        <Editor page title submit>
            <div class="row">
                <TextField id="member-name" label=t(Key::LabelName) value=name error=page.error_for("name") autocomplete="off" />
                <TextField
                    id="member-email"
                    label=t(Key::FieldKindEmail)
                    kind="email"
                    value=email
                    error=page.error_for("email")
                    autocomplete="off"
                />
            </div>
            <SelectField
                id="member-role"
                label=t(Key::RoleColumn)
                value=role
                options=roles
                error=page.error_for("role")
                disabled=is_owner
                hint=if is_owner { t(Key::OwnerStaysHint) } else { t(Key::RoleHint) }
            />
            <Show when=employee>
                <div class="switches" role="group" aria-label=t(Key::EmployeeMay)>
                    <CheckField id="member-view-all" label=t(Key::SeesAllAccounts) value=view_all />
                    <CheckField id="member-manage" label=t(Key::CanEditAccounts) value=manage />
                </div>
            </Show>
        </Editor>
    }
}
