//! Duplicate contacts (`#/clients/duplicates`): groups of contacts that are
//! probably one person (same email, phone or name; `domain::duplicates`),
//! each with why. "Compare and merge" shows the contacts side by side: the
//! practitioner picks the one that stays and, where they differ, whose
//! value wins; emails, phones, tags and every account link are kept from
//! all. One transaction (`Repo::merge_contacts`), history on every account
//! concerned, and "Undo merge" puts everything back. "Not duplicates"
//! hides a group for good (until another contact joins it).

use crate::domain::catalog::Catalog;
use crate::domain::contact_merge::{self, MergeChoices, MergeField};
use crate::domain::duplicates::{self, Group};
use crate::domain::{Account, AccountId, Contact, ContactId, Link, Timestamp};
use crate::error::AppError;
use crate::i18n::{names, t, tf, tn, Key};
use crate::route::{ClientsView, Route};
use crate::store::StoreError;
use crate::ui::components::{ErrorBanner, Loading, TagList};
use crate::ui::pages::clients::Shared;
use crate::ui::services::{change, failure, now, read, use_services, BrowserIds};
use leptos::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Groups shown at first (more on demand).
const PAGE: usize = 50;

struct Raw {
    contacts: Vec<Contact>,
    links: Vec<Link>,
    accounts: Vec<Account>,
    catalog: Catalog,
    dismissed: Vec<Vec<ContactId>>,
    last_merge: Option<(Timestamp, String)>,
}

/// What the page shows, for the current viewer.
struct Found {
    contacts: HashMap<ContactId, Contact>,
    /// Names of the accounts each contact is linked to.
    accounts_of: HashMap<ContactId, Vec<String>>,
    account_names: HashMap<AccountId, String>,
    links: Vec<Link>,
    catalog: Catalog,
    groups: Vec<Group>,
    checked: usize,
    dismissed: usize,
    last_merge: Option<(Timestamp, String)>,
}

impl Found {
    fn new(raw: &Raw, may_see: impl Fn(&Account) -> bool, sees_all: bool) -> Self {
        let visible: HashMap<&AccountId, &Account> = raw
            .accounts
            .iter()
            .filter(|a| may_see(a))
            .map(|a| (&a.id, a))
            .collect();
        let linked: HashSet<&ContactId> = raw.links.iter().map(|l| &l.contact_id).collect();
        let mut accounts_of: HashMap<ContactId, Vec<String>> = HashMap::new();
        for l in &raw.links {
            if let Some(a) = visible.get(&l.account_id) {
                accounts_of
                    .entry(l.contact_id.clone())
                    .or_default()
                    .push(a.name.clone());
            }
        }
        let contacts: Vec<Contact> = raw
            .contacts
            .iter()
            .filter(|c| accounts_of.contains_key(&c.id) || (sees_all && !linked.contains(&c.id)))
            .cloned()
            .collect();
        let performance = web_sys::window().and_then(|w| w.performance());
        if let Some(p) = &performance {
            let _ = p.mark("clientbook:find-duplicates:start");
        }
        let groups = duplicates::find(&contacts, &raw.dismissed);
        // Visible to the browser's performance tools (and the e2e timing).
        if let Some(p) = &performance {
            let _ =
                p.measure_with_start_mark("clientbook:find-duplicates", "clientbook:find-duplicates:start");
        }
        for names in accounts_of.values_mut() {
            crate::domain::sort::sort(names);
        }
        let shown: HashSet<&ContactId> = contacts.iter().map(|c| &c.id).collect();
        Self {
            checked: contacts.len(),
            links: raw
                .links
                .iter()
                .filter(|l| shown.contains(&l.contact_id))
                .cloned()
                .collect(),
            contacts: contacts.into_iter().map(|c| (c.id.clone(), c)).collect(),
            accounts_of,
            account_names: visible
                .iter()
                .map(|(id, a)| ((*id).clone(), a.name.clone()))
                .collect(),
            catalog: raw.catalog.clone(),
            groups,
            dismissed: raw.dismissed.len(),
            last_merge: raw.last_merge.clone(),
        }
    }

    fn name(&self, id: &ContactId) -> String {
        self.contacts
            .get(id)
            .map(Contact::display_name)
            .unwrap_or_default()
    }
}

#[component]
pub fn DuplicatesPage() -> impl IntoView {
    let services = use_services();
    let raw = read(|store| async move {
        Ok::<_, StoreError>(Shared::new(Raw {
            contacts: store.contacts().await?,
            links: store.links().await?,
            accounts: store.accounts().await?,
            catalog: store.catalog().await?,
            dismissed: store.dismissed_duplicates().await?,
            last_merge: store.last_merge().await?,
        }))
    });
    let found = Memo::new(move |_| match raw.get() {
        Some(Ok(raw)) => {
            let sees_all = services
                .viewing_as
                .with(|m| m.as_ref().is_none_or(|m| m.sees_all()));
            Some(Ok(Shared::new(Found::new(
                &raw,
                |a| services.may_see(a),
                sees_all,
            ))))
        }
        Some(Err(e)) => Some(Err(e)),
        None => None,
    });
    let open = RwSignal::new(None::<Vec<ContactId>>);
    let shown = RwSignal::new(PAGE);
    let notice = RwSignal::new(None::<String>);
    let undo = change(|store, (): ()| async move { store.undo_merge().await.map(|_| ()) });
    let dismiss = change(|store, ids: Vec<ContactId>| async move { store.dismiss_duplicates(&ids).await });
    Effect::new(move || {
        if let Some(Ok(())) = undo.value().get() {
            notice.set(Some(t(Key::MergeUndone).into()));
        }
    });

    view! {
        <header class="page-header">
            <h1>{t(Key::DuplicateContacts)}</h1>
            <a href=Route::Clients(ClientsView::Contacts).href()>{t(Key::BackToContacts)}</a>
        </header>
        <p class="notice" role="status">{move || notice.get()}</p>
        {move || failure(undo).get().or_else(|| failure(dismiss).get()).map(|e| view! { <ErrorBanner error=e /> })}
        {move || match found.get() {
            None => view! { <Loading /> }.into_any(),
            Some(Err(e)) => view! { <ErrorBanner error=e /> }.into_any(),
            Some(Ok(f)) => {
                let manage = services.may_manage();
                let last = f.last_merge.clone();
                let count = f.groups.len();
                let dismissed = f.dismissed;
                let data = f.clone();
                view! {
                    {last
                        .map(|(at, what)| {
                            view! {
                                <div class="banner info" role="region" aria-label=t(Key::LastMerge)>
                                    <span>{tf(Key::LastMergeWhat, &[("date", &crate::i18n::date(at)), ("what", &what)])}</span>
                                    <button
                                        type="button"
                                        class="btn"
                                        disabled=move || !manage || undo.pending().get()
                                        on:click=move |_| {
                                            notice.set(None);
                                            undo.dispatch_local(());
                                        }
                                    >
                                        {t(Key::UndoMerge)}
                                    </button>
                                </div>
                            }
                        })}
                    <p class="muted list-count">
                        {tn(Key::DuplicateGroups, count, &[("contacts", &tn(Key::UsesContacts, f.checked, &[]))])}
                    </p>
                    {(!manage).then(|| view! { <p class="muted">{t(Key::CannotMerge)}</p> })}
                    {(dismissed > 0)
                        .then(|| {
                            view! {
                                <p>
                                    <button
                                        type="button"
                                        class="btn link"
                                        disabled=!manage
                                        on:click=move |_| {
                                            dismiss.dispatch_local(Vec::new());
                                        }
                                    >
                                        {tn(Key::OfferAgain, dismissed, &[])}
                                    </button>
                                </p>
                            }
                        })}
                    {(count == 0).then(|| view! { <div class="empty"><p>{t(Key::NoDuplicates)}</p></div> })}
                    <ol class="dup-groups">
                        {move || {
                            let data = data.clone();
                            data.groups
                                .iter()
                                .take(shown.get())
                                .map(|g| view! { <GroupCard group=g.clone() data=data.clone() open notice dismiss manage /> })
                                .collect_view()
                        }}
                    </ol>
                    {move || {
                        (count > shown.get())
                            .then(|| {
                                view! {
                                    <button type="button" class="btn" on:click=move |_| shown.update(|n| *n += PAGE)>
                                        {tn(Key::ShowMore, (count - shown.get()).min(PAGE), &[])}
                                    </button>
                                }
                            })
                    }}
                }
                    .into_any()
            }
        }}
    }
}

#[component]
fn GroupCard(
    group: Group,
    data: Shared<Found>,
    open: RwSignal<Option<Vec<ContactId>>>,
    notice: RwSignal<Option<String>>,
    dismiss: Action<Vec<ContactId>, Result<(), AppError>>,
    manage: bool,
) -> impl IntoView {
    let ids = group.contacts.clone();
    let title = ids.iter().map(|id| data.name(id)).collect::<Vec<_>>().join(" · ");
    let heading = format!("dup-{}", ids.first().map(ToString::to_string).unwrap_or_default());
    let labelled_by = heading.clone();
    let is_open = {
        let ids = ids.clone();
        move || open.with(|o| o.as_ref() == Some(&ids))
    };
    let toggle = {
        let ids = ids.clone();
        move |_| {
            notice.set(None);
            open.update(|o| {
                *o = if o.as_ref() == Some(&ids) {
                    None
                } else {
                    Some(ids.clone())
                };
            })
        }
    };
    let not_duplicates = {
        let ids = ids.clone();
        move |_| {
            notice.set(Some(t(Key::MarkedNotDuplicates).into()));
            dismiss.dispatch_local(ids.clone());
        }
    };
    let is_open_label = is_open.clone();
    view! {
        <li class="card dup-group" aria-labelledby=labelled_by>
            <h2 id=heading>{title}</h2>
            <ul class="reasons">
                {group.reasons.iter().map(|r| view! { <li>{names::duplicate_reason(r)}</li> }).collect_view()}
            </ul>
            <div class="actions-row">
                <button type="button" class="btn" aria-expanded=move || is_open_label().to_string() on:click=toggle>
                    {t(Key::CompareAndMerge)}
                </button>
                <button type="button" class="btn" disabled=!manage on:click=not_duplicates>
                    {t(Key::NotDuplicates)}
                </button>
            </div>
            <Show when=is_open>
                <MergePanel ids=ids.clone() data=data.clone() open notice manage />
            </Show>
        </li>
    }
}

/// The side-by-side: who stays, whose value wins where they differ, what
/// is kept from all, and the Merge button.
#[component]
fn MergePanel(
    ids: Vec<ContactId>,
    data: Shared<Found>,
    open: RwSignal<Option<Vec<ContactId>>>,
    notice: RwSignal<Option<String>>,
    manage: bool,
) -> impl IntoView {
    let services = use_services();
    let contacts: Vec<Contact> = ids
        .iter()
        .filter_map(|id| data.contacts.get(id).cloned())
        .collect();
    // The contact with the most accounts stays by default, then the oldest.
    let default_survivor = contacts
        .iter()
        .max_by_key(|c| {
            (
                data.accounts_of.get(&c.id).map_or(0, Vec::len),
                std::cmp::Reverse(c.created_at),
            )
        })
        .map(|c| c.id.clone());
    let Some(default_survivor) = default_survivor else {
        return ().into_any();
    };
    let survivor = RwSignal::new(default_survivor);
    let included = RwSignal::new(ids.clone());
    let picks = RwSignal::new(BTreeMap::<MergeField, ContactId>::new());
    let all = StoredValue::new(contacts.clone());
    let catalog = StoredValue::new(data.catalog.clone());
    let links = StoredValue::new(data.links.clone());
    // The contacts being merged, the one that stays first.
    let chosen = Memo::new(move |_| {
        let s = survivor.get();
        let inc = included.get();
        all.with_value(|all| {
            let mut out: Vec<Contact> = all.iter().filter(|c| c.id == s).cloned().collect();
            out.extend(all.iter().filter(|c| c.id != s && inc.contains(&c.id)).cloned());
            out
        })
    });
    let choices = Memo::new(move |_| {
        let c = chosen.get();
        MergeChoices {
            survivor: survivor.get(),
            others: c.iter().skip(1).map(|c| c.id.clone()).collect(),
            picks: crate::domain::sort::map(
                picks
                    .get()
                    .into_iter()
                    .filter(|(_, id)| c.iter().any(|x| &x.id == id)),
            ),
        }
    });
    let preview = Memo::new(move |_| {
        let c = chosen.get();
        let ch = choices.get();
        links.with_value(|l| contact_merge::merge(&c, l, &ch, Timestamp(0)))
    });
    let differences = Memo::new(move |_| {
        let c = chosen.get();
        catalog.with_value(|cat| contact_merge::differences(&c, cat))
    });
    let merge = change(
        move |store, (seen, choices, by): (Vec<Contact>, MergeChoices, String)| async move {
            store
                .merge_contacts(&seen, &choices, now(), &by, &mut BrowserIds)
                .await
                .map(|_| ())
        },
    );
    Effect::new(move || {
        if let Some(Ok(())) = merge.value().get() {
            open.set(None);
            notice.set(Some(t(Key::ContactsMergedNotice).into()));
        }
    });
    let group_key = ids.first().map(ToString::to_string).unwrap_or_default();
    let names: HashMap<ContactId, String> = contacts
        .iter()
        .map(|c| (c.id.clone(), c.display_name()))
        .collect();
    let names = StoredValue::new(names);
    let accounts_of = StoredValue::new(data.accounts_of.clone());
    let account_names = StoredValue::new(data.account_names.clone());
    let tags_catalog = data.catalog.clone();
    let columns = contacts.clone();
    let do_merge = move |_| {
        let seen = chosen.get_untracked();
        merge.dispatch_local((seen, choices.get_untracked(), services.actor()));
    };
    view! {
        <div class="merge-panel">
            <div class="compare-scroll">
                <table class="compare">
                    <thead>
                        <tr>
                            <th scope="col">{t(Key::FieldColumn)}</th>
                            {columns
                                .iter()
                                .map(|c| {
                                    let id = c.id.clone();
                                    let (keep_id, in_id) = (format!("keep-{group_key}-{id}"), format!("in-{group_key}-{id}"));
                                    let (for_keep, for_in) = (keep_id.clone(), in_id.clone());
                                    let name = c.display_name();
                                    let (id1, id2, id3, id4) = (id.clone(), id.clone(), id.clone(), id.clone());
                                    view! {
                                        <th scope="col">
                                            <a href=Route::Contact(id.clone()).href()>{name.clone()}</a>
                                            <div class="choice">
                                                <input
                                                    id=keep_id
                                                    type="radio"
                                                    name=format!("keep-{group_key}")
                                                    prop:checked=move || survivor.get() == id1
                                                    on:change=move |_| {
                                                        survivor.set(id2.clone());
                                                        included.update(|i| {
                                                            if !i.contains(&id2) {
                                                                i.push(id2.clone());
                                                            }
                                                        });
                                                    }
                                                />
                                                <label for=for_keep>{t(Key::KeepThisContact)} <span class="sr-only">{format!(" {name}")}</span></label>
                                            </div>
                                            <div class="choice">
                                                <input
                                                    id=in_id
                                                    type="checkbox"
                                                    prop:checked=move || included.with(|i| i.contains(&id3)) || survivor.get() == id3
                                                    disabled=move || survivor.get() == id4
                                                    on:change={
                                                        let id = id.clone();
                                                        move |ev| {
                                                            let on = event_target_checked(&ev);
                                                            included.update(|i| {
                                                                i.retain(|x| x != &id);
                                                                if on {
                                                                    i.push(id.clone());
                                                                }
                                                            });
                                                        }
                                                    }
                                                />
                                                <label for=for_in>{t(Key::MergeVerb)} <span class="sr-only">{format!(" {name}")}</span></label>
                                            </div>
                                        </th>
                                    }
                                })
                                .collect_view()}
                        </tr>
                    </thead>
                    <tbody>
                        <tr>
                            <th scope="row">{t(Key::CsvEmails)}</th>
                            {columns.iter().map(|c| view! { <td>{c.emails.iter().map(|e| e.to_string()).collect::<Vec<_>>().join(", ")}</td> }).collect_view()}
                        </tr>
                        <tr>
                            <th scope="row">{t(Key::CsvPhones)}</th>
                            {columns.iter().map(|c| view! { <td>{c.phones.join(", ")}</td> }).collect_view()}
                        </tr>
                        <tr>
                            <th scope="row">{t(Key::Tags)}</th>
                            {columns
                                .iter()
                                .map(|c| view! { <td><TagList tags=c.tags.clone() catalog=tags_catalog.clone() /></td> })
                                .collect_view()}
                        </tr>
                        <tr>
                            <th scope="row">{t(Key::Accounts)}</th>
                            {columns
                                .iter()
                                .map(|c| {
                                    let list = accounts_of.with_value(|a| a.get(&c.id).cloned().unwrap_or_default());
                                    view! { <td>{if list.is_empty() { "—".to_owned() } else { list.join(", ") }}</td> }
                                })
                                .collect_view()}
                        </tr>
                        {move || {
                            let chosen_ids: Vec<ContactId> = chosen.with(|c| c.iter().map(|c| c.id.clone()).collect());
                            differences
                                .get()
                                .into_iter()
                                .enumerate()
                                .map(|(row, d)| {
                                    let field = d.field.clone();
                                    let label = names::merge_field(&d.field, &d.label).to_owned();
                                    let values: HashMap<ContactId, String> = d.values.into_iter().collect();
                                    let cells = all.with_value(|all| all.iter().map(|c| c.id.clone()).collect::<Vec<_>>());
                                    view! {
                                        <tr class="differs">
                                            <th scope="row">{label.clone()}</th>
                                            {cells
                                                .into_iter()
                                                .map(|id| {
                                                    let value = values.get(&id).cloned();
                                                    let Some(value) = value.filter(|_| chosen_ids.contains(&id)) else {
                                                        return view! { <td class="muted">"—"</td> }.into_any();
                                                    };
                                                    let input_id = format!("pick-{group_key}-{row}-{id}");
                                                    let for_id = input_id.clone();
                                                    let (f1, f2) = (field.clone(), field.clone());
                                                    let (id1, id2) = (id.clone(), id.clone());
                                                    let shown = if value.is_empty() { t(Key::Empty).to_owned() } else { value };
                                                    let who = names.with_value(|n| n.get(&id).cloned().unwrap_or_default());
                                                    view! {
                                                        <td>
                                                            <input
                                                                id=input_id
                                                                type="radio"
                                                                name=format!("pick-{group_key}-{row}")
                                                                prop:checked=move || {
                                                                    let c = chosen.get();
                                                                    let refs: Vec<&Contact> = c.iter().collect();
                                                                    contact_merge::winner(&f1, &refs, &choices.get()).is_some_and(|w| w.id == id1)
                                                                }
                                                                on:change=move |_| picks.update(|p| {
                                                                    p.insert(f2.clone(), id2.clone());
                                                                })
                                                            />
                                                            <label for=for_id>
                                                                {shown}
                                                                <span class="sr-only">" " {tf(Key::ValueOf, &[("field", &label), ("name", &who)])}</span>
                                                            </label>
                                                        </td>
                                                    }
                                                        .into_any()
                                                })
                                                .collect_view()}
                                        </tr>
                                    }
                                })
                                .collect_view()
                        }}
                    </tbody>
                </table>
            </div>
            {move || match preview.get() {
                Err(e) => view! { <p class="banner warning">{crate::error::problem_text(&crate::domain::validation::Problem::Merge(e))}</p> }.into_any(),
                Ok(out) => {
                    let joined: Vec<String> = out
                        .joined_links
                        .iter()
                        .map(|(a, kept)| {
                            let name = account_names
                                .with_value(|n| n.get(a).cloned())
                                .unwrap_or_else(|| t(Key::HiddenAccount).to_owned());
                            tf(Key::JoinedLinks, &[("account", &name), ("kept", &names::joined_link(kept))])
                        })
                        .collect();
                    view! {
                        <div class="merge-result">
                            <h3>{t(Key::MergedContact)}</h3>
                            <dl class="facts">
                                <dt>{t(Key::LabelName)}</dt>
                                <dd>{out.contact.display_name()}</dd>
                                <dt>{t(Key::CsvEmails)}</dt>
                                <dd>{out.contact.emails.iter().map(|e| e.to_string()).collect::<Vec<_>>().join(", ")}</dd>
                                <dt>{t(Key::CsvPhones)}</dt>
                                <dd>{out.contact.phones.join(", ")}</dd>
                                <dt>{t(Key::Accounts)}</dt>
                                <dd>{tn(Key::EveryLinkKept, out.accounts.len(), &[])}</dd>
                            </dl>
                            {(!joined.is_empty()).then(|| view! { <ul>{joined.into_iter().map(|j| view! { <li>{j}</li> }).collect_view()}</ul> })}
                        </div>
                    }
                        .into_any()
                }
            }}
            {move || failure(merge).get().map(|e| view! { <ErrorBanner error=e /> })}
            <button
                type="button"
                class="btn primary"
                disabled=move || !manage || merge.pending().get() || preview.with(Result::is_err)
                on:click=do_merge
            >
                {move || tn(Key::MergeNContacts, chosen.with(Vec::len), &[])}
            </button>
        </div>
    }
    .into_any()
}
