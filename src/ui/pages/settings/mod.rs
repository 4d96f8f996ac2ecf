//! Settings: the practice's tags, team, account roles, custom fields and
//! folder templates.
//!
//! One page, one section per list. At most one form (add or edit) or delete
//! confirmation is open at a time; it is described by [`Open`]. Every change
//! is checked with `Catalog::check` before it is sent, and again by the
//! repository inside the write. Edits name the version they started from,
//! so an edit made meanwhile in another tab is never overwritten.
//!
//! While the practitioner views Clientbook as an employee, Settings are
//! read-only (only the owner and admins manage them).

mod backup;
mod demo;
mod fields;
mod language;
mod members;
mod roles;
mod storage;
mod tags;
mod templates;
mod widgets;

use crate::domain::catalog::{uses, Catalog, CatalogItem, FieldTarget, Refs, TeamRole, Uses};
use crate::domain::ValidationErrors;
use crate::error::AppError;
use crate::i18n::{t, tf, Key};
use crate::store::StoreError;
use crate::ui::components::{ErrorBanner, Loading};
use crate::ui::services::{read, use_services, Services};
use leptos::prelude::*;
use std::collections::BTreeMap;
use widgets::focus_later;

/// What Settings shows: the catalog.
#[derive(Clone, Debug, PartialEq)]
struct Snapshot {
    catalog: Catalog,
}

/// What every account and contact uses of the catalog, to say how many
/// records use each item. Read apart from the catalog, which the page shows
/// at once: at 100,000 contacts reading them takes seconds.
#[derive(Clone, Debug, PartialEq)]
struct Counted {
    accounts: Vec<Refs>,
    contacts: Vec<Refs>,
}

/// The sections of the page (custom fields have one list per target).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Tag,
    Member,
    Role,
    Field(FieldTarget),
    Template,
}

impl Kind {
    fn of(item: &CatalogItem) -> Kind {
        match item {
            CatalogItem::Tag(_) => Kind::Tag,
            CatalogItem::Member(_) => Kind::Member,
            CatalogItem::Role(_) => Kind::Role,
            CatalogItem::Field(f) => Kind::Field(f.target),
            CatalogItem::Template(_) => Kind::Template,
        }
    }

    /// Id of the section's "Add" button (where focus returns).
    fn add_button_id(self) -> &'static str {
        match self {
            Kind::Tag => "add-tag",
            Kind::Member => "add-member",
            Kind::Role => "add-role",
            Kind::Field(FieldTarget::Account) => "add-account-field",
            Kind::Field(FieldTarget::Contact) => "add-contact-field",
            Kind::Template => "add-template",
        }
    }

    /// Id of the first input of the section's form.
    fn first_input_id(self) -> &'static str {
        match self {
            Kind::Tag => "tag-name",
            Kind::Member => "member-name",
            Kind::Role => "role-name",
            Kind::Field(_) => "field-label",
            Kind::Template => "template-name",
        }
    }
}

/// "tag VIP": a Settings item in a sentence.
fn item_what(item: &CatalogItem) -> String {
    format!("{} {}", crate::i18n::names::item_kind(item.kind()), item.name())
}

/// Id of an item's Edit button (where focus returns after editing it).
fn edit_button_id(item_id: &str) -> String {
    format!("edit-{item_id}")
}

/// Id of an item's Delete button (where focus returns when not deleting).
fn delete_button_id(item_id: &str) -> String {
    format!("delete-{item_id}")
}

/// The one form or confirmation open on the page.
#[derive(Clone, Debug, PartialEq)]
enum Open {
    New(Kind),
    Edit(CatalogItem),
    Delete(CatalogItem),
}

impl Open {
    fn kind(&self) -> Kind {
        match self {
            Open::New(k) => *k,
            Open::Edit(item) | Open::Delete(item) => Kind::of(item),
        }
    }
}

/// A change to send: a new item (`before` is `None`) or an edit.
#[derive(Clone, Debug)]
struct Save {
    before: Option<CatalogItem>,
    after: CatalogItem,
}

/// The state of the page, shared by its sections.
#[derive(Clone, Copy)]
struct Page {
    services: Services,
    /// The last data loaded (kept while a reload is under way, so nothing
    /// on the page is redrawn until the new data is there).
    data: RwSignal<Option<Snapshot>>,
    /// The last references read (kept while a reload is under way).
    refs: RwSignal<Option<Counted>>,
    /// Whether the references have been read once.
    counted: Memo<bool>,
    /// Uses of every item, counting the accounts the viewer may see; `None`
    /// until the references are read.
    uses: Memo<Option<BTreeMap<String, Uses>>>,
    open: RwSignal<Option<Open>>,
    errors: RwSignal<ValidationErrors>,
    banner: RwSignal<Option<String>>,
    /// The last change made, said politely to screen readers and shown.
    status: RwSignal<String>,
    /// Where keyboard focus goes once the data has reloaded.
    focus_after_load: StoredValue<Option<String>>,
    save: Action<Save, Result<CatalogItem, AppError>>,
    delete: Action<CatalogItem, Result<CatalogItem, AppError>>,
    /// Only the owner and admins change Settings.
    may_edit: Signal<bool>,
}

impl Page {
    fn catalog<T>(&self, f: impl FnOnce(&Catalog) -> T) -> Option<T> {
        self.data.with(|d| d.as_ref().map(|d| f(&d.catalog)))
    }

    /// How many accounts and contacts use an item; `None` while counting.
    fn uses_of(&self, id: &str) -> Option<Uses> {
        self.uses
            .with(|u| u.as_ref().map(|u| u.get(id).copied().unwrap_or_default()))
    }

    /// "2 accounts, 1 contact", or "Loading…" while counting.
    fn uses_text(&self, id: &str) -> String {
        self.uses_of(id)
            .map_or_else(|| t(Key::Loading).to_owned(), |u| crate::i18n::names::uses(&u))
    }

    /// The problem with one field of the open form.
    fn error_for(&self, field: &'static str) -> Signal<Option<String>> {
        let errors = self.errors;
        Signal::derive(move || errors.with(|e| crate::error::field_message(e, field)))
    }

    fn clear_messages(&self) {
        self.errors.set(ValidationErrors::default());
        self.banner.set(None);
    }

    /// Opens a form or a confirmation and moves focus into it.
    fn show(&self, open: Open) {
        if !self.may_edit.get_untracked() {
            return;
        }
        self.clear_messages();
        self.status.set(String::new());
        let focus = match &open {
            Open::New(kind) => kind.first_input_id(),
            Open::Edit(item) => Kind::of(item).first_input_id(),
            Open::Delete(_) => "confirm-cancel",
        };
        self.open.set(Some(open));
        focus_later(focus.to_owned());
    }

    /// Closes the open form without saving; focus goes back to the button
    /// that opened it.
    fn cancel(&self) {
        let back = match self.open.get_untracked() {
            Some(Open::Edit(item)) => edit_button_id(item.id()),
            Some(Open::Delete(item)) => delete_button_id(item.id()),
            Some(Open::New(kind)) => kind.add_button_id().to_owned(),
            None => return,
        };
        self.clear_messages();
        self.open.set(None);
        focus_later(back);
    }

    /// Tidies and checks `after`, then saves it (or shows what is wrong).
    fn submit(&self, before: Option<CatalogItem>, after: CatalogItem) {
        if !self.may_edit.get_untracked() || self.save.pending().get_untracked() {
            return;
        }
        let after = after.tidied();
        let found = self.catalog(|c| c.check(&after)).unwrap_or_default();
        if found.is_empty() {
            self.clear_messages();
            self.save.dispatch_local(Save { before, after });
        } else {
            self.show_error(AppError::from(found));
        }
    }

    fn confirm_delete(&self, item: CatalogItem) {
        if self.may_edit.get_untracked() && !self.delete.pending().get_untracked() {
            self.delete.dispatch_local(item);
        }
    }

    fn show_error(&self, e: AppError) {
        if matches!(e, AppError::Store(StoreError::Conflict | StoreError::NotFound(_))) {
            // Show what is stored now; the form keeps what was typed.
            self.services.changed();
        }
        self.errors.set(e.field_errors().cloned().unwrap_or_default());
        self.banner.set(Some(e.user_message()));
    }
}

#[component]
pub fn SettingsPage() -> impl IntoView {
    let services = use_services();
    let loaded = read(|store| async move {
        let catalog = store.catalog().await?;
        Ok::<_, StoreError>(Snapshot { catalog })
    });
    // Adding or changing an item changes no record, so the reload after
    // it keeps the counts (reading them again took 3.3 s at 100,000
    // contacts); a delete, or a change from elsewhere, counts again.
    let recount = StoredValue::new(true);
    let read_refs = read(move |store| {
        let again = recount
            .try_update_value(|r| std::mem::replace(r, true))
            .unwrap_or(true);
        async move {
            if !again {
                return Ok(None);
            }
            let (accounts, contacts) = store.catalog_refs().await?;
            Ok::<_, StoreError>(Some(Counted { accounts, contacts }))
        }
    });
    let data = RwSignal::new(None::<Snapshot>);
    let refs = RwSignal::new(None::<Counted>);
    Effect::new(move |_| {
        if let Some(Ok(Some(counted))) = read_refs.get() {
            refs.set(Some(counted));
        }
    });
    let uses = Memo::new(move |_| {
        refs.with(|r| {
            r.as_ref().map(|r| {
                uses(
                    r.accounts.iter().filter(|a| services.may_see_team(&a.team)),
                    &r.contacts,
                )
            })
        })
    });
    let save = Action::new_local(move |s: &Save| {
        let s = s.clone();
        async move {
            let store = services.store()?;
            match &s.before {
                Some(before) => store.update_catalog_item(before, &s.after).await?,
                None => store.save_catalog_item(&s.after).await?,
            }
            Ok::<CatalogItem, AppError>(s.after)
        }
    });
    let delete = Action::new_local(move |item: &CatalogItem| {
        let item = item.clone();
        async move {
            let store = services.store()?;
            store.delete_catalog_item(item.id()).await?;
            Ok::<CatalogItem, AppError>(item)
        }
    });
    let page = Page {
        services,
        data,
        refs,
        counted: Memo::new(move |_| refs.with(Option::is_some)),
        uses,
        open: RwSignal::new(None),
        errors: RwSignal::new(ValidationErrors::default()),
        banner: RwSignal::new(None),
        status: RwSignal::new(String::new()),
        focus_after_load: StoredValue::new(None),
        save,
        delete,
        may_edit: Signal::derive(move || {
            services
                .viewing_as
                .with(|m| m.as_ref().is_none_or(|m| m.role != TeamRole::Employee))
        }),
    };

    // New data: show it, keep "viewing as" in step with the stored team
    // member, then move focus where the last change asked.
    Effect::new(move |_| {
        if let Some(Ok(snapshot)) = loaded.get() {
            if let Some(viewer) = services.viewing_as.get_untracked() {
                let stored = snapshot.catalog.member(&viewer.id).cloned();
                if stored.as_ref() != Some(&viewer) {
                    services.viewing_as.set(stored);
                }
            }
            data.set(Some(snapshot));
            if let Some(id) = page.focus_after_load.try_update_value(Option::take).flatten() {
                focus_later(id);
            }
        }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(item)) => {
            page.clear_messages();
            page.open.set(None);
            page.status
                .set(tf(Key::SavedWhat, &[("what", &item_what(&item))]));
            page.focus_after_load.set_value(Some(edit_button_id(item.id())));
            recount.set_value(false);
            services.changed();
        }
        Some(Err(e)) => page.show_error(e),
        None => {}
    });
    Effect::new(move |_| match delete.value().get() {
        Some(Ok(item)) => {
            page.clear_messages();
            page.open.set(None);
            page.status
                .set(tf(Key::DeletedWhat, &[("what", &item_what(&item))]));
            page.focus_after_load
                .set_value(Some(Kind::of(&item).add_button_id().to_owned()));
            services.changed();
        }
        Some(Err(e)) => page.show_error(e),
        None => {}
    });

    let sections: [(&str, &str); 7] = [
        ("settings-tags", t(Key::Tags)),
        ("settings-team", t(Key::Team)),
        ("settings-roles", t(Key::AccountRoles)),
        ("settings-fields", t(Key::CustomFields)),
        ("settings-templates", t(Key::FolderTemplates)),
        ("settings-language", t(Key::LanguageTitle)),
        ("settings-storage", t(Key::StorageTitle)),
    ];
    view! {
        <header class="page-header">
            <h1>{t(Key::SettingsTitle)}</h1>
        </header>
        <nav class="settings-nav" aria-label=t(Key::SettingsSections)>
            <ul>
                {sections
                    .into_iter()
                    .map(|(id, name)| {
                        view! {
                            <li>
                                <button type="button" class="btn link" on:click=move |_| focus_later(id.to_owned())>
                                    {name}
                                </button>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
        <ViewingAsNote page />
        <p class="status-line" role="status">
            {move || page.status.get()}
        </p>
        {move || match (loaded.get(), read_refs.get()) {
            (Some(Err(e)), _) | (_, Some(Err(e))) => Some(view! { <ErrorBanner error=e /> }.into_any()),
            (None, _) if data.with(Option::is_none) => Some(view! { <Loading /> }.into_any()),
            _ => None,
        }}
        <Show when=move || data.with(Option::is_some)>
            <tags::TagsSection page />
            <members::TeamSection page />
            <roles::RolesSection page />
            <fields::FieldsSection page />
            <templates::TemplatesSection page />
        </Show>
        <language::LanguageSection />
        <storage::StorageSection />
        <backup::BackupSection />
        <demo::DemoSection />
    }
}

/// Says when Settings are read-only because of who the viewer is.
#[component]
fn ViewingAsNote(page: Page) -> impl IntoView {
    let services = page.services;
    move || {
        services
            .viewing_as
            .get()
            .filter(|m| m.role == TeamRole::Employee)
            .map(|m| {
                view! {
                    <p class="banner warning">
                        {tf(Key::SettingsReadOnly, &[("name", &m.name), ("back", t(Key::ViewingAsBack))])}
                    </p>
                }
            })
    }
}

/// A section of the page: heading (focusable, for the section links), a
/// line saying what the list is for, and the "Add" button.
#[component]
fn SectionHeader(
    page: Page,
    kind: Kind,
    heading_id: &'static str,
    title: &'static str,
    intro: &'static str,
    add_label: &'static str,
) -> impl IntoView {
    view! {
        <div class="section-header">
            <h2 id=heading_id tabindex="-1">
                {title}
            </h2>
            <Show when=move || page.may_edit.get()>
                <button
                    type="button"
                    id=kind.add_button_id()
                    class="btn"
                    on:click=move |_| page.show(Open::New(kind))
                >
                    {add_label}
                </button>
            </Show>
        </div>
        <p class="muted intro">{intro}</p>
    }
}

/// The Edit and Delete buttons of a row (absent when read-only).
#[component]
fn RowActions(
    page: Page,
    item: CatalogItem,
    /// Some items (the owner) cannot be deleted.
    #[prop(default = true)]
    deletable: bool,
) -> impl IntoView {
    let what = item_what(&item);
    let (edit_item, delete_item) = (item.clone(), item.clone());
    let edit_id = edit_button_id(item.id());
    let delete_id = delete_button_id(item.id());
    view! {
        <Show when=move || page.may_edit.get()>
            <button
                type="button"
                class="btn small"
                id=edit_id.clone()
                aria-label=tf(Key::EditWhat, &[("what", &what)])
                on:click={
                    let item = edit_item.clone();
                    move |_| page.show(Open::Edit(item.clone()))
                }
            >
                {t(Key::Edit)}
            </button>
            {deletable
                .then(|| {
                    let item = delete_item.clone();
                    view! {
                        <button
                            type="button"
                            class="btn small danger"
                            id=delete_id.clone()
                            aria-label=tf(Key::DeleteWhat, &[("what", &what)])
                            on:click=move |_| page.show(Open::Delete(item.clone()))
                        >
                            {t(Key::Delete)}
                        </button>
                    }
                })}
        </Show>
    }
}

/// The form or confirmation of one section, when it is the one open.
fn open_in(page: Page, matches: impl Fn(Kind) -> bool + Send + Sync + 'static) -> Memo<Option<Open>> {
    Memo::new(move |_| page.open.get().filter(|o| matches(o.kind())))
}
