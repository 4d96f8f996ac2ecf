//! The Active and Archived accounts lists: filters, sort, selection and
//! bulk actions.

use super::virtual_rows::VirtualRows;
use super::{DataSignal, Shared};
use crate::domain::catalog::Catalog;
use crate::domain::history::{self, HistoryEntry};
use crate::domain::ids::{MemberId, TagId};
use crate::domain::listing::{self, AccountFilter, BulkOp, SortOrder};
use crate::domain::{AccountId, AccountType};
use crate::error::AppError;
use crate::i18n::{t, tf, tn, Key};
use crate::route::Route;
use crate::ui::components::tag::{chip_list, TagChips};
use crate::ui::services::{now, use_services, BrowserIds};
use leptos::html::Div;
use leptos::prelude::*;
use std::collections::HashSet;
use wasm_bindgen::JsCast;

/// A bulk change to make: the accounts are read in full when it runs.
#[derive(Clone)]
struct BulkRequest {
    ids: Vec<AccountId>,
    op: BulkOp,
    /// The tag's or team member's name, for the message.
    name: String,
    catalog: Catalog,
    actor: String,
}

/// What a row of the list shows.
#[derive(Clone, PartialEq)]
struct AccountCells {
    id: AccountId,
    href: String,
    check_id: String,
    /// The checkbox's label.
    select: String,
    name: String,
    kind: &'static str,
    team: String,
    primary: String,
    created: String,
}

#[component]
pub fn AccountsList(archived: bool, data: DataSignal) -> impl IntoView {
    let kind = RwSignal::new(None::<AccountType>);
    let tag = RwSignal::new(None::<TagId>);
    let member = RwSignal::new(None::<MemberId>);
    let text = RwSignal::new(String::new());
    let sort = RwSignal::new(SortOrder::Name);
    let filter = Memo::new(move |_| AccountFilter {
        archived,
        kind: kind.get(),
        tag: tag.get(),
        member: member.get(),
        text: text.get(),
    });
    // The whole filtered, sorted list (positions in `accounts`), once per
    // data or filter change.
    let rows = Memo::new(move |_| {
        let (f, s) = (filter.get(), sort.get());
        data.with(|d| {
            Shared::new(
                d.as_ref()
                    .map(|d| listing::filter_accounts(&d.dir, &d.accounts, &f, s))
                    .unwrap_or_default(),
            )
        })
    });
    let total = Memo::new(move |_| {
        data.with(|d| {
            d.as_ref().map_or(0, |d| {
                if archived {
                    d.archived_count
                } else {
                    d.active_count
                }
            })
        })
    });
    let count = Memo::new(move |_| rows.with(|r| r.len()));
    let selected = RwSignal::new(HashSet::<AccountId>::new());
    let scroller = NodeRef::<Div>::new();
    // Other filters: back to the top, nothing selected.
    Effect::new(move |prev: Option<()>| {
        filter.track();
        sort.track();
        if prev.is_some() {
            selected.set(HashSet::new());
            if let Some(el) = scroller.get_untracked() {
                el.set_scroll_top(0);
            }
        }
    });
    let clear_filters = move |_| {
        kind.set(None);
        tag.set(None);
        member.set(None);
        text.set(String::new());
    };

    // Select-all state over every filtered row, not only the rendered ones.
    let all_state = Memo::new(move |_| {
        selected.with(|s| {
            if s.is_empty() {
                return (false, false);
            }
            data.with(|d| {
                let Some(d) = d else { return (false, false) };
                rows.with(|r| {
                    let n = r
                        .iter()
                        .filter(|&&i| {
                            d.accounts
                                .get(i)
                                .and_then(|&row| d.dir.account_id(row))
                                .is_some_and(|id| s.contains(&id))
                        })
                        .count();
                    (n > 0 && n == r.len(), n > 0 && n < r.len())
                })
            })
        })
    });
    let toggle_all = move |_| {
        if all_state.get_untracked().0 {
            selected.set(HashSet::new());
        } else if let Some(d) = data.get_untracked() {
            let ids = rows.with_untracked(|r| {
                r.iter()
                    .filter_map(|&i| d.accounts.get(i).and_then(|&row| d.dir.account_id(row)))
                    .collect()
            });
            selected.set(ids);
        }
    };

    // One slot of the table, made once: its elements stay and only their
    // text and attributes follow the row the slot shows (a whole-row view
    // rebuilt in place would set every attribute again). Checkboxes report
    // through `on_change`.
    let row = move |slot: Signal<Option<usize>>| {
        let cells = Memo::new(move |_| {
            let i = slot.get()?;
            data.with(|d| {
                let d = d.as_ref()?;
                let index = rows.with(|r| r.get(i).copied())?;
                let row = *d.accounts.get(index)?;
                let a = d.account_row(row)?;
                Some(AccountCells {
                    id: a.id.clone(),
                    href: Route::account(a.id.clone()).href(),
                    check_id: format!("select-{}", a.id),
                    select: tf(Key::SelectName, &[("name", &a.name)]),
                    name: a.name.clone(),
                    kind: crate::i18n::names::account_type(a.kind),
                    team: d.team_names(&a),
                    primary: d
                        .primary
                        .get(row as usize)
                        .and_then(|&c| d.contact_row(c))
                        .map(|c| c.display_name())
                        .unwrap_or_default(),
                    created: crate::i18n::date(a.created_at),
                })
            })
        });
        let chips = Memo::new(move |_| {
            let i = slot.get()?;
            data.with(|d| {
                let d = d.as_ref()?;
                let index = rows.with(|r| r.get(i).copied())?;
                let a = d.accounts.get(index).and_then(|&row| d.account_row(row))?;
                Some(chip_list(&a.tags, &d.catalog))
            })
        });
        let text = move |f: fn(&AccountCells) -> String| {
            move || cells.with(|c| c.as_ref().map(f).unwrap_or_default())
        };
        let checked =
            move || cells.with(|c| c.as_ref().is_some_and(|c| selected.with(|s| s.contains(&c.id))));
        view! {
            <div role="cell" class="c-check">
                <input id=text(|c| c.check_id.clone()) type="checkbox" prop:checked=checked />
                <label for=text(|c| c.check_id.clone()) class="sr-only">
                    {text(|c| c.select.clone())}
                </label>
            </div>
            <div role="cell" class="c-name">
                <a href=text(|c| c.href.clone())>{text(|c| c.name.clone())}</a>
            </div>
            <div role="cell">{move || cells.with(|c| c.as_ref().map_or("", |c| c.kind))}</div>
            <div role="cell" class="c-tags">
                <TagChips chips />
            </div>
            <div role="cell">{text(|c| c.team.clone())}</div>
            <div role="cell">{text(|c| c.primary.clone())}</div>
            <div role="cell">{text(|c| c.created.clone())}</div>
        }
    };
    let on_change = Callback::new(move |(i, ev): (usize, web_sys::Event)| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .filter(|el| el.type_() == "checkbox")
        else {
            return;
        };
        let on = input.checked();
        let id = data.with_untracked(|d| {
            let d = d.as_ref()?;
            let index = rows.with_untracked(|r| r.get(i).copied())?;
            d.accounts
                .get(index)
                .and_then(|&row| d.account_row(row))
                .map(|a| a.id.clone())
        });
        if let Some(id) = id {
            selected.update(|s| {
                if on {
                    s.insert(id);
                } else {
                    s.remove(&id);
                }
            });
        }
    });

    let sort_attr = move |order: SortOrder, dir: &'static str| move || (sort.get() == order).then_some(dir);

    view! {
        <Filters data kind tag member text sort />
        <super::export_csv::ExportCsv which=super::export_csv::Which::Accounts data rows />
        <p class="muted list-count" role="status">
            {move || {
                let (n, m) = (count.get(), total.get());
                tn(Key::AccountsShown, m, &[("shown", &crate::i18n::number(n as i64))])
            }}
        </p>
        <BulkBar archived data rows selected />
        <Show
            when=move || { count.get() > 0 }
            fallback=move || {
                view! {
                    <Empty
                        archived
                        narrowed=Signal::derive(move || filter.with(AccountFilter::is_narrowed) && total.get() > 0)
                        clear=Callback::new(clear_filters)
                    />
                }
            }
        >
            <VirtualRows label=t(Key::Accounts) class="cols-accounts" count=count row scroller on_change>
                <div role="columnheader" class="c-check">
                    <input
                        id="select-all"
                        type="checkbox"
                        prop:checked=move || all_state.get().0
                        prop:indeterminate=move || all_state.get().1
                        on:change=toggle_all
                    />
                    <label for="select-all" class="sr-only">
                        {move || tn(Key::SelectAllAccounts, count.get(), &[])}
                    </label>
                </div>
                <div role="columnheader" aria-sort=sort_attr(SortOrder::Name, "ascending")>
                    {t(Key::LabelName)}
                </div>
                <div role="columnheader">{t(Key::TypeColumn)}</div>
                <div role="columnheader">{t(Key::Tags)}</div>
                <div role="columnheader">{t(Key::Team)}</div>
                <div role="columnheader">{t(Key::PrimaryContact)}</div>
                <div role="columnheader" aria-sort=sort_attr(SortOrder::Newest, "descending")>
                    {t(Key::Created)}
                </div>
            </VirtualRows>
        </Show>
    }
}

#[component]
fn Empty(archived: bool, narrowed: Signal<bool>, clear: Callback<()>) -> impl IntoView {
    move || {
        if narrowed.get() {
            view! {
                <div class="empty">
                    <p>{t(Key::NoAccountsMatch)}</p>
                    <button type="button" class="btn" on:click=move |_| clear.run(())>
                        {t(Key::ClearFilters)}
                    </button>
                </div>
            }
            .into_any()
        } else if archived {
            view! {
                <div class="empty">
                    <p>{t(Key::NoArchivedAccounts)}</p>
                    <a href=Route::clients().href()>{t(Key::BackToActive)}</a>
                </div>
            }
            .into_any()
        } else {
            view! {
                <div class="empty">
                    <p>{t(Key::NoAccountsYet)}</p>
                    <a class="btn primary" href=Route::NewAccount.href()>
                        {t(Key::NewAccount)}
                    </a>
                </div>
            }
            .into_any()
        }
    }
}

/// A select over optional ids: the empty value means "any".
fn parse_opt<T>(value: &str, parse: impl Fn(&str) -> Option<T>) -> Option<T> {
    if value.is_empty() {
        None
    } else {
        parse(value)
    }
}

#[component]
fn Filters(
    data: DataSignal,
    kind: RwSignal<Option<AccountType>>,
    tag: RwSignal<Option<TagId>>,
    member: RwSignal<Option<MemberId>>,
    text: RwSignal<String>,
    sort: RwSignal<SortOrder>,
) -> impl IntoView {
    let tags = move || {
        data.with(|d| {
            d.as_ref()
                .map(|d| {
                    d.catalog
                        .tags
                        .iter()
                        .map(|t| (t.id.clone(), t.name.clone()))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let members = move || {
        data.with(|d| {
            d.as_ref()
                .map(|d| {
                    d.catalog
                        .members
                        .iter()
                        .map(|m| (m.id.clone(), m.name.clone()))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    view! {
        <div class="filters">
            <div class="field">
                <label for="filter-name">{t(Key::FilterByName)}</label>
                <input
                    id="filter-name"
                    type="search"
                    autocomplete="off"
                    prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))
                />
            </div>
            <div class="field">
                <label for="filter-type">{t(Key::FilterByType)}</label>
                <select id="filter-type" on:change=move |ev| kind.set(parse_opt(&event_target_value(&ev), AccountType::from_code))>
                    <option value="" prop:selected=move || kind.get().is_none()>
                        {t(Key::AllTypes)}
                    </option>
                    {AccountType::ALL
                        .into_iter()
                        .map(|t| {
                            view! {
                                <option value=t.code() prop:selected=move || kind.get() == Some(t)>
                                    {crate::i18n::names::account_type(t)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="filter-tag">{t(Key::FilterByTag)}</label>
                <select id="filter-tag" on:change=move |ev| tag.set(parse_opt(&event_target_value(&ev), TagId::parse))>
                    <option value="" prop:selected=move || tag.get().is_none()>
                        {t(Key::AllTags)}
                    </option>
                    {move || {
                        tags()
                            .into_iter()
                            .map(|(id, name)| {
                                let value = id.to_string();
                                view! {
                                    <option value=value prop:selected=move || tag.get().as_ref() == Some(&id)>
                                        {name}
                                    </option>
                                }
                            })
                            .collect_view()
                    }}
                </select>
            </div>
            <div class="field">
                <label for="filter-member">{t(Key::FilterByMember)}</label>
                <select id="filter-member" on:change=move |ev| member.set(parse_opt(&event_target_value(&ev), MemberId::parse))>
                    <option value="" prop:selected=move || member.get().is_none()>
                        {t(Key::AllMembers)}
                    </option>
                    {move || {
                        members()
                            .into_iter()
                            .map(|(id, name)| {
                                let value = id.to_string();
                                view! {
                                    <option value=value prop:selected=move || member.get().as_ref() == Some(&id)>
                                        {name}
                                    </option>
                                }
                            })
                            .collect_view()
                    }}
                </select>
            </div>
            <div class="field">
                <label for="sort-by">{t(Key::SortBy)}</label>
                <select id="sort-by" on:change=move |ev| sort.set(SortOrder::from_code(&event_target_value(&ev)))>
                    {SortOrder::ALL
                        .into_iter()
                        .map(|s| {
                            view! {
                                <option value=s.code() prop:selected=move || sort.get() == s>
                                    {crate::i18n::names::sort_order(s)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
        </div>
    }
}

/// Bulk actions on the selected accounts.
#[component]
fn BulkBar(
    archived: bool,
    data: DataSignal,
    rows: Memo<Shared<Vec<usize>>>,
    selected: RwSignal<HashSet<AccountId>>,
) -> impl IntoView {
    let services = use_services();
    let notice = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let bulk_tag = RwSignal::new(None::<TagId>);
    let bulk_member = RwSignal::new(None::<MemberId>);

    // Export of the selection as a bundle (reading only; nothing changes).
    // The previous download's object URL is released at the next export.
    let last_url = StoredValue::new(None::<String>);
    let export = Action::new_local(move |ids: &Vec<AccountId>| {
        let ids = ids.clone();
        async move {
            let store = services.store()?;
            let contents = store.export_accounts(&ids).await?;
            let (message, url) = crate::ui::pages::data::download_bundle(&contents, "clientbook-selection")?;
            if let Some(old) = last_url.get_value() {
                let _ = web_sys::Url::revoke_object_url(&old);
            }
            last_url.set_value(Some(url));
            Ok::<String, AppError>(message)
        }
    });
    Effect::new(move |_| match export.value().get() {
        Some(Ok(message)) => {
            error.set(None);
            notice.set(Some(message));
        }
        Some(Err(e)) => error.set(Some(e.user_message())),
        None => {}
    });
    // Reads the chosen accounts whole, changes them, writes them back (the
    // write refuses any that changed meanwhile). `false`: nothing to change.
    let save = Action::new_local(move |req: &BulkRequest| {
        let req = req.clone();
        async move {
            let store = services.store()?;
            let chosen = store.accounts_by_id(&req.ids).await?;
            let at = now();
            let pairs = listing::bulk_changes(&chosen, &req.op, at);
            if pairs.is_empty() {
                return Ok((false, t(Key::NothingToChange).to_owned()));
            }
            let history: Vec<HistoryEntry> = pairs
                .iter()
                .flat_map(|(before, after)| {
                    history::entries(
                        &mut BrowserIds,
                        &after.id,
                        at,
                        &req.actor,
                        history::account_changes(before, after, &req.catalog),
                    )
                })
                .collect();
            store.update_accounts(&pairs, &history).await?;
            Ok::<(bool, String), AppError>((
                true,
                crate::i18n::names::bulk_message(&req.op, &req.name, pairs.len()),
            ))
        }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok((changed, message))) => {
            if changed {
                services.changed();
                selected.set(HashSet::new());
            }
            error.set(None);
            notice.set(Some(message));
        }
        Some(Err(e)) => error.set(Some(e.user_message())),
        None => {}
    });

    // The tag / member the controls point at: the chosen one, else the first.
    let tag_choice = move || {
        data.with(|d| {
            let d = d.as_ref()?;
            let chosen = bulk_tag.get();
            chosen
                .filter(|t| d.catalog.tag(t).is_some())
                .or_else(|| d.catalog.tags.first().map(|t| t.id.clone()))
        })
    };
    let member_choice = move || {
        data.with(|d| {
            let d = d.as_ref()?;
            let chosen = bulk_member.get();
            chosen
                .filter(|m| d.catalog.member(m).is_some())
                .or_else(|| d.catalog.members.first().map(|m| m.id.clone()))
        })
    };

    let run = move |op: BulkOp| {
        let Some(d) = data.get_untracked() else {
            return;
        };
        let ids: Vec<AccountId> = selected.with_untracked(|s| {
            rows.with_untracked(|r| {
                r.iter()
                    .filter_map(|&i| d.accounts.get(i).and_then(|&row| d.dir.account_id(row)))
                    .filter(|id| s.contains(id))
                    .collect()
            })
        });
        let name = match &op {
            BulkOp::AddTag(t) | BulkOp::RemoveTag(t) => d.catalog.tag(t).map(|t| t.name.clone()),
            BulkOp::Assign(m) | BulkOp::Unassign(m) => d.catalog.member(m).map(|m| m.name.clone()),
            BulkOp::Archive | BulkOp::Restore => Some(String::new()),
        }
        .unwrap_or_default();
        notice.set(None);
        save.dispatch_local(BulkRequest {
            ids,
            op,
            name,
            catalog: d.catalog.clone(),
            actor: services.actor(),
        });
    };

    let count = move || selected.with(HashSet::len);
    let locked = move || !services.may_manage() || save.pending().get();

    view! {
        {move || {
            error.get().map(|m| view! { <div class="banner error" role="alert">{m}</div> })
        }}
        <p class="notice" role="status">
            {move || notice.get()}
        </p>
        <Show when=move || { count() > 0 }>
            <section class="bulk" aria-label=t(Key::BulkActions)>
                <p class="bulk-count">
                    <strong>{move || tn(Key::NSelected, count(), &[])}</strong>
                    <button type="button" class="btn link" on:click=move |_| selected.set(HashSet::new())>
                        {t(Key::ClearSelection)}
                    </button>
                </p>
                <Show when=move || !services.may_manage()>
                    <p class="muted">{t(Key::CanSeeNotChange)}</p>
                </Show>
                <PickAndApply
                    id="bulk-tag"
                    label=t(Key::TagColumn)
                    missing=t(Key::NoTagsYetDash)
                    missing_link=t(Key::CreateThemInSettings)
                    options=Signal::derive(move || {
                        data.with(|d| {
                            d.as_ref()
                                .map(|d| d.catalog.tags.iter().map(|t| (t.id.to_string(), t.name.clone())).collect())
                                .unwrap_or_default()
                        })
                    })
                    chosen=Signal::derive(move || tag_choice().map(|t| t.to_string()))
                    on_choose=Callback::new(move |v: String| bulk_tag.set(TagId::parse(&v)))
                    first=(t(Key::AddTag), Callback::new(move |_| {
                        if let Some(t) = tag_choice() {
                            run(BulkOp::AddTag(t));
                        }
                    }))
                    second=(t(Key::RemoveTag), Callback::new(move |_| {
                        if let Some(t) = tag_choice() {
                            run(BulkOp::RemoveTag(t));
                        }
                    }))
                    locked=Signal::derive(locked)
                />
                <PickAndApply
                    id="bulk-member"
                    label=t(Key::TeamMember)
                    missing=t(Key::NoMembersYetDash)
                    missing_link=t(Key::AddThemInSettings)
                    options=Signal::derive(move || {
                        data.with(|d| {
                            d.as_ref()
                                .map(|d| d.catalog.members.iter().map(|m| (m.id.to_string(), m.name.clone())).collect())
                                .unwrap_or_default()
                        })
                    })
                    chosen=Signal::derive(move || member_choice().map(|m| m.to_string()))
                    on_choose=Callback::new(move |v: String| bulk_member.set(MemberId::parse(&v)))
                    first=(t(Key::Assign), Callback::new(move |_| {
                        if let Some(m) = member_choice() {
                            run(BulkOp::Assign(m));
                        }
                    }))
                    second=(t(Key::Unassign), Callback::new(move |_| {
                        if let Some(m) = member_choice() {
                            run(BulkOp::Unassign(m));
                        }
                    }))
                    locked=Signal::derive(locked)
                />
                <div class="bulk-group">
                    <button
                        type="button"
                        class="btn"
                        disabled=locked
                        on:click=move |_| run(if archived { BulkOp::Restore } else { BulkOp::Archive })
                    >
                        {if archived { t(Key::Restore) } else { t(Key::Archive) }}
                    </button>
                </div>
                <div class="bulk-group">
                    <button
                        type="button"
                        class="btn"
                        title=t(Key::ExportSelectedTitle)
                        disabled=move || export.pending().get() || services.viewing_as.with(Option::is_some)
                        on:click=move |_| {
                            let ids: Vec<AccountId> = selected.with_untracked(|s| s.iter().cloned().collect());
                            export.dispatch_local(ids);
                        }
                    >
                        {t(Key::ExportSelected)}
                    </button>
                </div>
            </section>
        </Show>
    }
}

/// One bulk control: a labelled choice among catalog items (`options`: id
/// and name) and two buttons applying it; when there is nothing to choose, a
/// pointer to Settings instead.
#[component]
fn PickAndApply(
    id: &'static str,
    label: &'static str,
    missing: &'static str,
    missing_link: &'static str,
    options: Signal<Vec<(String, String)>>,
    chosen: Signal<Option<String>>,
    on_choose: Callback<String>,
    first: (&'static str, Callback<()>),
    second: (&'static str, Callback<()>),
    locked: Signal<bool>,
) -> impl IntoView {
    view! {
        <div class="bulk-group">
            <Show
                when=move || options.with(|o| !o.is_empty())
                fallback=move || {
                    view! {
                        <p class="muted">{missing} <a href=Route::Settings.href()>{missing_link}</a></p>
                    }
                }
            >
                <label for=id>{label}</label>
                <select id=id disabled=locked on:change=move |ev| on_choose.run(event_target_value(&ev))>
                    {move || {
                        let current = chosen.get();
                        options
                            .get()
                            .into_iter()
                            .map(|(value, name)| {
                                let on = current.as_deref() == Some(value.as_str());
                                view! { <option value=value prop:selected=on>{name}</option> }
                            })
                            .collect_view()
                    }}
                </select>
                <button type="button" class="btn" disabled=locked on:click=move |_| first.1.run(())>
                    {first.0}
                </button>
                <button type="button" class="btn" disabled=locked on:click=move |_| second.1.run(())>
                    {second.0}
                </button>
            </Show>
        </div>
    }
}
