//! The Info tab: account info (view and edit), account roles, linked
//! accounts, history of changes, and the contacts section.

use super::{Profile, ViewAll, LATEST};
use crate::domain::account::AccountType;
use crate::domain::catalog::{AccountRole, CatalogItem, FieldTarget};
use crate::domain::edit::AccountEdit;
use crate::domain::history::{self, account_changes, Change, HistoryEntry};
use crate::domain::ids::{IdSource, MemberId, RoleId};
use crate::domain::{Account, ValidationErrors};
use crate::error::AppError;
use crate::i18n::{t, tf, Key};
use crate::route::Route;
use crate::ui::components::{
    kept, use_kept, AddressFields, AddressForm, CustomFieldsGroup, CustomInputs, ErrorBanner, TagList,
    TagPicker, TextField,
};
use crate::ui::services::{change, failure, now, on_saved, use_services, BrowserIds};
use leptos::prelude::*;

/// A whole-account change: before, after, history.
type AccountChange = (Account, Account, Vec<HistoryEntry>);

#[component]
pub fn Info(profile: Profile) -> impl IntoView {
    view! {
        <div class="info-grid">
            <div class="info-main">
                <AccountInfo profile=profile.clone() />
                <super::contacts::Contacts profile=profile.clone() />
            </div>
            <div class="info-side">
                <Roles profile=profile.clone() />
                <LinkedAccounts profile=profile.clone() />
                <History profile=profile />
            </div>
        </div>
    }
}

/// Saves an edited account with the history it implies.
fn save_account() -> Action<AccountChange, Result<(), AppError>> {
    change(|store, (before, after, log): AccountChange| async move {
        store.update_account(&before, &after, &log).await
    })
}

fn stamped(account: &Account, by: &str, changes: Vec<Change>) -> Vec<HistoryEntry> {
    history::entries(&mut BrowserIds, &account.id, now(), by, changes)
}

#[component]
fn AccountInfo(profile: Profile) -> impl IntoView {
    let services = use_services();
    let editing = kept("account-info/editing", || RwSignal::new(false));
    let save = save_account();
    let manage = services.may_manage();
    let account = StoredValue::new(profile.account.clone());
    let catalog = StoredValue::new(profile.catalog.clone());
    let archive = move |_| {
        let before = account.get_value();
        let mut after = before.clone();
        after.archived = !before.archived;
        after.updated_at = now();
        let log = stamped(
            &before,
            &services.actor(),
            catalog.with_value(|c| account_changes(&before, &after, c)),
        );
        save.dispatch_local((before, after, log));
    };
    let archived = profile.account.archived;
    let photo = profile.photo.clone();
    view! {
        <section class="card" aria-labelledby="account-info">
            <div class="card-header">
                <h2 id="account-info">{t(Key::AccountInfo)}</h2>
                <div class="card-actions">
                    <Show when=move || !editing.get()>
                        <button
                            type="button"
                            class="btn"
                            aria-label=t(Key::EditAccountInfo)
                            on:click=move |_| editing.set(true)
                            disabled=!manage
                        >
                            {t(Key::Edit)}
                        </button>
                    </Show>
                    <button type="button" class="btn" on:click=archive disabled=!manage>
                        {if archived { t(Key::RestoreAccount) } else { t(Key::ArchiveAccount) }}
                    </button>
                </div>
            </div>
            {move || failure(save).get().map(|e| view! { <ErrorBanner error=e /> })}
            {move || {
                if editing.get() {
                    view! { <EditAccount account=account.get_value() catalog=catalog.get_value() editing /> }.into_any()
                } else {
                    view! { <AccountFacts account=account.get_value() catalog=catalog.get_value() /> }.into_any()
                }
            }}
            <super::photo::PhotoControls account=profile.account.clone() photo=photo manage=manage />
        </section>
    }
}

#[component]
fn AccountFacts(account: Account, catalog: crate::domain::catalog::Catalog) -> impl IntoView {
    let a = account;
    let team: Vec<String> = a
        .team
        .iter()
        .filter_map(|m| catalog.member(m))
        .map(|m| m.name.clone())
        .collect();
    let address = [
        &a.address.street,
        &a.address.postal_code,
        &a.address.city,
        &a.address.state,
        &a.address.country,
    ]
    .iter()
    .filter(|s| !s.trim().is_empty())
    .map(|s| s.as_str())
    .collect::<Vec<_>>()
    .join(", ");
    let folders = match a.folder_template.as_ref().and_then(|id| catalog.template(id)) {
        Some(template) => tf(
            Key::TemplateFolders,
            &[
                ("template", &template.name),
                ("folders", &template.folders.join(", ")),
            ],
        ),
        None => tf(
            Key::TemplateFolders,
            &[
                ("template", t(Key::DefaultTemplate)),
                ("folders", t(Key::DefaultFolder)),
            ],
        ),
    };
    let custom: Vec<(String, String)> = catalog
        .fields_for(FieldTarget::Account)
        .map(|f| {
            let raw = a.custom.get(&f.id).map(String::as_str).unwrap_or_default();
            (f.label.clone(), crate::i18n::names::field_value(&f.kind, raw))
        })
        .collect();
    view! {
        <dl class="facts">
            <dt>{t(Key::LabelName)}</dt>
            <dd>{a.name.clone()}</dd>
            <dt>{t(Key::TypeColumn)}</dt>
            <dd>{crate::i18n::names::account_type(a.kind)}</dd>
            {(a.kind == AccountType::Company)
                .then(|| view! {
                    <dt>{t(Key::LabelCompanyName)}</dt>
                    <dd>{a.company_name.clone()}</dd>
                })}
            <dt>{t(Key::Address)}</dt>
            <dd>{if address.is_empty() { "—".to_owned() } else { address }}</dd>
            <dt>{t(Key::Tags)}</dt>
            <dd>
                {if a.tags.is_empty() {
                    view! { "—" }.into_any()
                } else {
                    view! { <TagList tags=a.tags.clone() catalog=catalog.clone() /> }.into_any()
                }}
            </dd>
            <dt>{t(Key::TeamMembers)}</dt>
            <dd>{if team.is_empty() { "—".to_owned() } else { team.join(", ") }}</dd>
            <dt>{t(Key::FoldersColumn)}</dt>
            <dd>{folders}</dd>
            {custom
                .into_iter()
                .map(|(label, value)| {
                    view! {
                        <dt>{label}</dt>
                        <dd>{value}</dd>
                    }
                })
                .collect_view()}
            <dt>{t(Key::Created)}</dt>
            <dd>{crate::i18n::date(a.created_at)}</dd>
        </dl>
    }
}

/// The key of the Edit account info form's kept state.
const EDIT_FORM: &str = "account-info/form";

/// The Edit account info form's inputs, filled from the account when the
/// form opens, and that account as the form showed it (`base`: what a save
/// compares with what is stored then, see `AccountEdit::rebase`).
#[derive(Clone)]
struct AccountForm {
    kind: RwSignal<AccountType>,
    name: RwSignal<String>,
    company: RwSignal<String>,
    address: AddressForm,
    tags: RwSignal<Vec<crate::domain::ids::TagId>>,
    team: RwSignal<Vec<MemberId>>,
    template: RwSignal<Option<crate::domain::ids::TemplateId>>,
    custom: CustomInputs,
    errors: RwSignal<ValidationErrors>,
    /// A problem with the last save that belongs to no one field.
    notice: RwSignal<Option<String>>,
    base: RwSignal<AccountEdit>,
}

impl AccountForm {
    fn new(account: &Account, catalog: &crate::domain::catalog::Catalog) -> Self {
        let custom = CustomInputs::new(catalog.fields_for(FieldTarget::Account).cloned(), &account.custom);
        let form = Self::project(&custom, account);
        Self {
            kind: RwSignal::new(form.kind),
            name: RwSignal::new(form.name.clone()),
            company: RwSignal::new(form.company_name.clone()),
            address: AddressForm::new(&form.address),
            tags: RwSignal::new(form.tags.clone()),
            team: RwSignal::new(form.team.clone()),
            template: RwSignal::new(form.folder_template.clone()),
            custom,
            errors: RwSignal::new(ValidationErrors::default()),
            notice: RwSignal::new(None),
            base: RwSignal::new(form),
        }
    }

    /// An account as this form shows it.
    fn project(custom: &CustomInputs, account: &Account) -> AccountEdit {
        AccountEdit {
            custom: custom.shown(&account.custom),
            ..AccountEdit::from_account(account)
        }
    }

    /// What is typed now.
    fn typed(&self) -> AccountEdit {
        AccountEdit {
            kind: self.kind.get_untracked(),
            name: self.name.get_untracked(),
            company_name: self.company.get_untracked(),
            address: self.address.value(),
            tags: self.tags.get_untracked(),
            team: self.team.get_untracked(),
            custom: self.custom.typed(),
            folder_template: self.template.get_untracked(),
        }
    }

    /// Shows `edit` in the inputs.
    fn fill(&self, edit: &AccountEdit) {
        self.kind.set(edit.kind);
        self.name.set(edit.name.clone());
        self.company.set(edit.company_name.clone());
        self.address.set(&edit.address);
        self.tags.set(edit.tags.clone());
        self.team.set(edit.team.clone());
        self.template.set(edit.folder_template.clone());
        self.custom.fill(&edit.custom);
    }
}

#[component]
fn EditAccount(
    account: Account,
    catalog: crate::domain::catalog::Catalog,
    editing: RwSignal<bool>,
) -> impl IntoView {
    let services = use_services();
    // What is typed survives the view being built anew (a save, another
    // tab's change) until the form is saved or cancelled.
    let keep = use_kept();
    let form = keep.get(EDIT_FORM, || AccountForm::new(&account, &catalog));
    let AccountForm {
        kind,
        name,
        company,
        address,
        tags,
        team,
        template,
        ref custom,
        errors,
        notice,
        base,
    } = form;
    let custom = custom.clone();
    let form = StoredValue::new(form);
    let close = move || {
        keep.forget(EDIT_FORM);
        editing.set(false);
    };
    let save = save_account();
    on_saved(save, close, errors, notice);
    // The account as stored now (read again after every change).
    let before = StoredValue::new(account);
    let cat = StoredValue::new(catalog.clone());
    let err =
        move |f: &'static str| Signal::derive(move || errors.with(|e| crate::error::field_message(e, f)));

    let submit = move || {
        let stored = before.get_value();
        let current = form.with_value(|f| AccountForm::project(&f.custom, &stored));
        // Only what was changed here is saved over what is stored now.
        let (edit, conflicts) = form
            .with_value(|f| f.typed())
            .rebase(&base.get_untracked(), &current);
        if !conflicts.is_empty() {
            form.with_value(|f| f.fill(&edit));
            base.set(current);
            notice.set(Some(t(Key::EditConflict).to_owned()));
            return;
        }
        match cat.with_value(|c| edit.apply(&stored, c, now())) {
            Err(e) => errors.set(e),
            Ok(after) => {
                errors.set(ValidationErrors::default());
                notice.set(None);
                let changes = cat.with_value(|c| account_changes(&stored, &after, c));
                if changes.is_empty() {
                    close();
                } else {
                    let log = stamped(&stored, &services.actor(), changes);
                    save.dispatch_local((stored, after, log));
                }
            }
        }
    };
    view! {
        <form
            class="edit-form"
            novalidate
            on:submit=move |ev| {
                ev.prevent_default();
                submit();
            }
        >
            {move || notice.get().map(|m| view! { <div class="banner error" role="alert">{m}</div> })}
            <fieldset class="radio-group">
                <legend>{t(Key::AccountType)}</legend>
                {AccountType::ALL
                    .into_iter()
                    .map(|t| {
                        let id = format!("edit-type-{}", t.code());
                        let for_id = id.clone();
                        view! {
                            <label for=for_id>
                                <input
                                    id=id
                                    type="radio"
                                    name="edit-type"
                                    prop:checked=move || kind.get() == t
                                    on:change=move |_| kind.set(t)
                                />
                                {crate::i18n::names::account_type(t)}
                            </label>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <TextField id="edit-name" label=t(Key::LabelAccountName) value=name error=err("name") />
            <Show when=move || kind.get() == AccountType::Company>
                <TextField id="edit-company" label=t(Key::LabelCompanyName) value=company error=err("company_name") />
            </Show>
            <AddressFields form=address errors prefix="edit" />
            <fieldset class="group">
                <legend>{t(Key::Tags)}</legend>
                {if catalog.tags.is_empty() {
                    view! {
                        <p class="muted">
                            {t(Key::NoTagsYet)} " " <a href=Route::Settings.href()>{t(Key::CreateTagsInSettings)}</a>
                        </p>
                    }
                        .into_any()
                } else {
                    view! { <TagPicker tags=catalog.tags.clone() selected=tags prefix="edit" /> }.into_any()
                }}
            </fieldset>
            <fieldset class="group">
                <legend>{t(Key::TeamMembersWithAccess)}</legend>
                {if catalog.members.is_empty() {
                    view! {
                        <p class="muted">
                            {t(Key::NoMembersYet)} " " <a href=Route::Settings.href()>{t(Key::AddMembersInSettings)}</a>
                        </p>
                    }
                        .into_any()
                } else {
                    catalog
                        .members
                        .iter()
                        .map(|m| {
                            let (id, id2) = (m.id.clone(), m.id.clone());
                            let input_id = format!("edit-member-{}", m.id);
                            let for_id = input_id.clone();
                            view! {
                                <label class="check" for=for_id>
                                    <input
                                        id=input_id
                                        type="checkbox"
                                        prop:checked=move || team.with(|v| v.contains(&id))
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            team.update(|v| {
                                                v.retain(|x| x != &id2);
                                                if on {
                                                    v.push(id2.clone());
                                                }
                                            });
                                        }
                                    />
                                    {format!("{} ({})", m.name, crate::i18n::names::team_role(m.role))}
                                </label>
                            }
                        })
                        .collect_view()
                        .into_any()
                }}
            </fieldset>
            <div class="field">
                <label for="edit-template">{t(Key::FolderTemplate)}</label>
                <select
                    id="edit-template"
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        template.set(cat.with_value(|c| c.templates.iter().find(|t| t.id.as_str() == v).map(|t| t.id.clone())));
                    }
                >
                    <option value="" prop:selected=move || template.with(Option::is_none)>
                        {tf(Key::DefaultTemplateOption, &[("folder", t(Key::DefaultFolder))])}
                    </option>
                    {catalog
                        .templates
                        .iter()
                        .map(|t| {
                            let id = t.id.clone();
                            let selected = move || template.with(|x| x.as_ref() == Some(&id));
                            view! {
                                <option value=t.id.to_string() prop:selected=selected>
                                    {t.name.clone()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <CustomFieldsGroup inputs=custom.clone() errors />
            <div class="actions">
                <button type="button" class="btn" on:click=move |_| close()>
                    {t(Key::Cancel)}
                </button>
                <button type="submit" class="btn primary" disabled=move || save.pending().get()>
                    {t(Key::SaveAccountInfo)}
                </button>
            </div>
        </form>
    }
}

#[component]
fn Roles(profile: Profile) -> impl IntoView {
    let services = use_services();
    let manage = services.may_manage();
    let save = save_account();
    let create_role =
        change(
            |store, role: AccountRole| async move { store.save_catalog_item(&CatalogItem::Role(role)).await },
        );
    let catalog = StoredValue::new(profile.catalog.clone());
    let account = StoredValue::new(profile.account.clone());
    let (pick_role, pick_member, new_role) = kept("roles", || {
        (
            RwSignal::new(String::new()),
            RwSignal::new(String::new()),
            RwSignal::new(String::new()),
        )
    });
    let assign = move |_| {
        let (role, member) = (pick_role.get_untracked(), pick_member.get_untracked());
        let (Some(role), Some(member)) = (RoleId::parse(&role), MemberId::parse(&member)) else {
            return;
        };
        let before = account.get_value();
        let mut after = before.clone();
        let assignment = crate::domain::account::RoleAssignment {
            role,
            member: member.clone(),
        };
        if after.roles.contains(&assignment) {
            return;
        }
        after.roles.push(assignment);
        // A role gives access to the account.
        if !after.team.contains(&member) {
            after.team.push(member);
        }
        after.updated_at = now();
        let log = stamped(
            &before,
            &services.actor(),
            catalog.with_value(|c| account_changes(&before, &after, c)),
        );
        save.dispatch_local((before, after, log));
    };
    let add_role = move |_| {
        let name = new_role.get_untracked();
        create_role.dispatch_local(AccountRole {
            id: BrowserIds.id(),
            name,
        });
        new_role.set(String::new());
    };
    let assignments: Vec<_> = profile
        .account
        .roles
        .iter()
        .map(|r| {
            let role = profile
                .catalog
                .role(&r.role)
                .map_or_else(|| t(Key::DeletedRole).to_owned(), |x| x.name.clone());
            let member = profile
                .catalog
                .member(&r.member)
                .map_or_else(|| t(Key::FormerMember).to_owned(), |x| x.name.clone());
            (r.clone(), role, member)
        })
        .collect();
    let role_error = Signal::derive(move || {
        failure(create_role).get().map(|e| {
            e.field_errors()
                .and_then(|f| f.0.first())
                .map_or_else(|| e.user_message(), |f| crate::error::problem_text(&f.problem))
        })
    });
    view! {
        <section class="card" aria-labelledby="roles-heading">
            <h2 id="roles-heading">{t(Key::AccountRoles)}</h2>
            {move || failure(save).get().map(|e| view! { <ErrorBanner error=e /> })}
            {(assignments.is_empty()).then(|| view! { <p class="muted">{t(Key::NoRolesAssigned)}</p> })}
            <ul class="item-list">
                {assignments
                    .into_iter()
                    .map(|(assignment, role, member)| {
                        let label = tf(Key::RemoveMemberAsRole, &[("member", &member), ("role", &role)]);
                        let remove = move |_| {
                            let before = account.get_value();
                            let mut after = before.clone();
                            after.roles.retain(|r| r != &assignment);
                            after.updated_at = now();
                            let log = stamped(&before, &services.actor(), catalog.with_value(|c| account_changes(&before, &after, c)));
                            save.dispatch_local((before, after, log));
                        };
                        view! {
                            <li>
                                <strong>{role}</strong>
                                ": "
                                {member}
                                " "
                                <button type="button" class="btn link danger" aria-label=label on:click=remove disabled=!manage>
                                    {t(Key::Remove)}
                                </button>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <div class="row compact">
                <div class="field">
                    <label for="assign-role">{t(Key::RoleColumn)}</label>
                    <select id="assign-role" on:change=move |ev| pick_role.set(event_target_value(&ev))>
                        <option value="">{t(Key::ChooseRole)}</option>
                        {profile
                            .catalog
                            .roles
                            .iter()
                            .map(|r| {
                                let id = r.id.to_string();
                                let selected = pick_role.with_untracked(|p| p == &id);
                                view! { <option value=id selected=selected>{r.name.clone()}</option> }
                            })
                            .collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="assign-member">{t(Key::TeamMember)}</label>
                    <select id="assign-member" on:change=move |ev| pick_member.set(event_target_value(&ev))>
                        <option value="">{t(Key::ChooseMember)}</option>
                        {profile
                            .catalog
                            .members
                            .iter()
                            .map(|m| {
                                let id = m.id.to_string();
                                let selected = pick_member.with_untracked(|p| p == &id);
                                view! { <option value=id selected=selected>{m.name.clone()}</option> }
                            })
                            .collect_view()}
                    </select>
                </div>
            </div>
            <button type="button" class="btn" on:click=assign disabled=!manage>
                {t(Key::AssignRole)}
            </button>
            <div class="inline-form">
                <TextField id="new-role" label=t(Key::NewRole) value=new_role error=role_error />
                <button type="button" class="btn" on:click=add_role disabled=!manage>
                    {t(Key::CreateRole)}
                </button>
            </div>
        </section>
    }
}

#[component]
fn LinkedAccounts(profile: Profile) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="linked-heading">
            <h2 id="linked-heading">{t(Key::LinkedAccounts)}</h2>
            {if profile.linked.is_empty() {
                view! { <p class="muted">{t(Key::NoLinkedAccounts)}</p> }.into_any()
            } else {
                view! {
                    <ul class="item-list">
                        {profile
                            .linked
                            .iter()
                            .map(|a| {
                                view! {
                                    <li>
                                        <a href=Route::account(a.id.clone()).href()>{a.name.clone()}</a>
                                        " "
                                        <span class="badge">{crate::i18n::names::account_type(a.kind)}</span>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </section>
    }
}

#[component]
fn History(profile: Profile) -> impl IntoView {
    let total = profile.history.len();
    let expanded = kept("history/expanded", || RwSignal::new(false));
    let entries = StoredValue::new(profile.history);
    view! {
        <section class="card" aria-labelledby="history-heading">
            <h2 id="history-heading">{t(Key::HistoryOfChanges)}</h2>
            <ol class="item-list history">
                {move || {
                    let shown = if expanded.get() { total } else { LATEST };
                    entries
                        .get_value()
                        .into_iter()
                        .take(shown)
                        .map(|h| {
                            view! {
                                <li>
                                    <span>{crate::i18n::names::history_change(&h.change)}</span>
                                    <br />
                                    <span class="muted small">
                                        {tf(
                                            Key::NoteMeta,
                                            &[("by", crate::i18n::names::actor(&h.by)), ("date", &crate::i18n::date(h.at))],
                                        )}
                                    </span>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ol>
            <ViewAll total expanded what=Key::ViewAllChanges />
        </section>
    }
}
