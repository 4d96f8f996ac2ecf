//! What every page needs, from one context: the open store, a revision
//! counter that reads depend on (bumped after every write, so lists reload),
//! and the state of the database connection.
//!
//! Several tabs: after every write, this tab posts on the `clientbook`
//! `BroadcastChannel`; every other tab of Clientbook (same origin) bumps its
//! own revision when it hears it, so its reads reload too. Pages render anew
//! when their data reloads; what the practitioner has open or typed is kept
//! by the page (`components::kept`), but a form should not change under
//! their eyes; so while they type in a form (or a note), the reload waits
//! and `remote_changes` is set instead: the shell offers to show the changes
//! (the forms stay as typed, and an edit form then saves only what was
//! changed in it, see `domain::edit`), and the next save here or the next
//! page shows them anyway.
//!
//! The demo practice: [`Services::load_demo`] and [`Services::leave_demo`]
//! switch to the separate demo database and back without reloading the
//! page (the old connection is closed, the pages render anew). Each database
//! has its own `BroadcastChannel` (named like the database), so a write in
//! the demo never reloads a tab showing the real data. The choice is kept in
//! `localStorage` (`ui::demo`): a reload keeps it, and the other tabs follow
//! (right away, or at their next page if something is being typed).

use crate::domain::catalog::TeamMember;
use crate::domain::directory::Directory;
use crate::domain::ids::IdSource;
use crate::domain::ids::MemberId;
use crate::domain::Timestamp;
use crate::error::AppError;
use crate::store::idb::{Hooks, IdbStore};
use crate::store::StoreError;
use leptos::prelude::*;
use std::rc::Rc;
use std::sync::Arc;

/// The store the app runs on.
pub type AppStore = IdbStore;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DbState {
    Opening,
    /// An existing database is being brought to this version's schema
    /// (once; seconds with many clients).
    Updating,
    /// Another tab keeps an older version open; we wait for it.
    Blocked,
    Ready,
    /// Could not open, or the connection was lost: the message says what to do.
    Failed(AppError),
}

#[derive(Clone, Copy)]
pub struct Services {
    store: StoredValue<Option<Rc<AppStore>>, LocalStorage>,
    /// Bumped after every write; reads that track it reload.
    pub revision: RwSignal<u64>,
    pub db: RwSignal<DbState>,
    /// "Viewing as" a team member: `None` is the practitioner (the owner).
    pub viewing_as: RwSignal<Option<TeamMember>>,
    /// Tells the other tabs about each write (`None`: not supported).
    channel: StoredValue<Option<web_sys::BroadcastChannel>, LocalStorage>,
    /// The browser's answer to "keep the data persistently", asked at the
    /// first save of the session (`None`: not asked yet, or no answer).
    pub persist_answer: RwSignal<Option<bool>>,
    persist_asked: StoredValue<bool>,
    /// Another tab changed data while this one was being typed in.
    pub remote_changes: RwSignal<bool>,
    /// Typed into a form or a note since the last reload.
    typing: StoredValue<bool>,
    /// The interface language (chosen in Settings, or the browser's).
    pub language: crate::ui::lang::Language,
    /// The demo practice is open (its own database).
    pub demo: RwSignal<bool>,
    /// Counts database openings: hooks and openings of an earlier one
    /// (before a switch) are ignored.
    generation: StoredValue<u64>,
    /// The channel's message handler (kept for the channel of the next database).
    on_message: StoredValue<Option<js_sys::Function>, LocalStorage>,
    /// Another tab switched to or from the demo while this one was being
    /// typed in: this one follows at its next page.
    switch_pending: StoredValue<bool>,
    /// Set (for good) once the Clients page or the search needs the
    /// directory; from then on it reloads after every write.
    wants_directory: RwSignal<bool>,
    /// The directory (see [`crate::domain::directory`]) the Clients lists and
    /// the search share: read once per revision. `None` until wanted and loaded.
    pub directory: LocalResource<Option<Result<Arc<Directory>, AppError>>>,
}

/// What to put into the database once it is open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fill {
    Nothing,
    /// A fresh demo practice, if the database has no account.
    DemoIfEmpty,
    /// A fresh demo practice, replacing everything in it.
    Demo,
}

/// The channel Clientbook tabs on the same database listen on: named like
/// the database. Channels, like databases, belong to the origin, so every
/// tab that shares the data hears it.
fn channel_name(demo: bool) -> &'static str {
    crate::ui::demo::database(demo)
}

impl Services {
    /// Creates the services, provides them as context and starts opening the
    /// database.
    pub fn provide() -> Self {
        let store: StoredValue<Option<Rc<AppStore>>, LocalStorage> = StoredValue::new_local(None);
        let revision = RwSignal::new(0);
        let db = RwSignal::new(DbState::Opening);
        let wants_directory = RwSignal::new(false);
        let directory = LocalResource::new(move || {
            revision.track();
            let ready = db.with(|d| *d == DbState::Ready);
            let store = (wants_directory.get() && ready)
                .then(|| store.with_value(|s| s.clone()))
                .flatten();
            async move {
                let store = store?;
                Some(store.directory().await.map(Arc::new).map_err(AppError::from))
            }
        });
        let services = Self {
            store,
            revision,
            db,
            wants_directory,
            directory,
            viewing_as: RwSignal::new(None),
            channel: StoredValue::new_local(None),
            persist_answer: RwSignal::new(None),
            persist_asked: StoredValue::new(false),
            remote_changes: RwSignal::new(false),
            typing: StoredValue::new(false),
            language: crate::ui::lang::Language::start(),
            demo: RwSignal::new(crate::ui::demo::remembered()),
            generation: StoredValue::new(0),
            on_message: StoredValue::new_local(None),
            switch_pending: StoredValue::new(false),
        };
        provide_context(services);
        let fill = if services.demo.get_untracked() {
            Fill::DemoIfEmpty
        } else {
            Fill::Nothing
        };
        services.open(fill);
        services.listen_to_other_tabs();
        services
    }

    /// Opens the demo practice: a fresh one, in its own database. The
    /// practitioner's database is not touched.
    pub fn load_demo(self) {
        crate::ui::demo::remember(true);
        self.switch_database(true, Fill::Demo);
    }

    /// Back to the practitioner's own data (the demo database stays, and is
    /// filled afresh by the next "Load demo practice").
    pub fn leave_demo(self) {
        crate::ui::demo::remember(false);
        self.switch_database(false, Fill::Nothing);
    }

    fn switch_database(self, demo: bool, fill: Fill) {
        self.switch_pending.set_value(false);
        self.generation.update_value(|g| *g += 1);
        self.demo.set(demo);
        // Team members differ between the two practices.
        self.viewing_as.set(None);
        self.typing.set_value(false);
        self.remote_changes.set(false);
        self.db.set(DbState::Opening);
        // Our handle goes; the connection closes when the last read holding
        // it is done.
        self.store.set_value(None);
        self.join_channel();
        self.open(fill);
    }

    /// Follows a switch made in another tab (the `storage` event).
    fn follow_other_tab(self) {
        let wanted = crate::ui::demo::remembered();
        if wanted == self.demo.get_untracked() {
            return;
        }
        if self.typing.get_value() && editing_on_page() {
            self.switch_pending.set_value(true);
        } else {
            let fill = if wanted { Fill::DemoIfEmpty } else { Fill::Nothing };
            self.switch_database(wanted, fill);
        }
    }

    /// Listens on the channel of the database now open (leaving the old one).
    fn join_channel(self) {
        self.channel.update_value(|old| {
            if let Some(old) = old.take() {
                old.set_onmessage(None);
                old.close();
            }
        });
        let Ok(channel) = web_sys::BroadcastChannel::new(channel_name(self.demo.get_untracked())) else {
            return;
        };
        self.on_message.with_value(|f| channel.set_onmessage(f.as_ref()));
        self.channel.set_value(Some(channel));
    }

    /// Joins the channel: a write in another tab reloads this tab's reads.
    fn listen_to_other_tabs(self) {
        use wasm_bindgen::{closure::Closure, JsCast};
        let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |_: web_sys::MessageEvent| {
            if self.typing.get_value() && editing_on_page() {
                self.remote_changes.set(true);
            } else {
                self.reload_all();
            }
        });
        // The page keeps the handler for as long as it lives.
        self.on_message
            .set_value(Some(on_message.into_js_value().unchecked_into()));
        self.join_channel();
        // Another tab loaded or left the demo.
        let on_storage = Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
            let key = js_sys::Reflect::get(&ev, &"key".into())
                .ok()
                .and_then(|k| k.as_string());
            // No key: the whole localStorage was cleared.
            if key.as_deref().is_none_or(|k| k == crate::ui::demo::MODE_KEY) {
                self.follow_other_tab();
            }
        });
        if let Some(window) = web_sys::window() {
            let _ = window.add_event_listener_with_callback("storage", on_storage.as_ref().unchecked_ref());
        }
        on_storage.forget();
        // Typing in a form or a note: found by the `input` events that
        // bubble up to the document.
        let on_input = Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
            let in_form = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|e| e.closest(EDITING).ok().flatten())
                .is_some();
            if in_form {
                self.typing.set_value(true);
            }
        });
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            let _ = document.add_event_listener_with_callback("input", on_input.as_ref().unchecked_ref());
        }
        // The services live as long as the page: so do the listeners.
        on_input.forget();
    }

    /// Asks for the directory (the Clients page, the search box). Only the
    /// first call changes anything: setting the signal again, even to the
    /// same value, would read the whole directory again (seconds and, while
    /// the one in use is still held, twice its memory, at 100,000 contacts).
    pub fn want_directory(&self) {
        if !self.wants_directory.get_untracked() {
            self.wants_directory.set(true);
        }
    }

    /// Reloads every read (after changes made elsewhere, or when the
    /// practitioner asks to see them).
    pub fn reload_all(&self) {
        self.typing.set_value(false);
        self.remote_changes.set(false);
        self.revision.update(|r| *r += 1);
    }

    /// Another page is shown: what was typed is gone, and the new page
    /// reads the data afresh; changes from other tabs wait no longer.
    pub fn page_changed(&self) {
        self.typing.set_value(false);
        if self.switch_pending.get_value() {
            self.follow_other_tab();
            return;
        }
        if self.remote_changes.get_untracked() {
            self.reload_all();
        }
    }

    fn open(self, fill: Fill) {
        let db = self.db;
        let generation = self.generation.get_value();
        // Still the database this tab should show (no switch since)?
        let current = move || self.generation.get_value() == generation;
        let hooks = Hooks {
            on_blocked: Some(Rc::new(move || {
                if current() {
                    db.set(DbState::Blocked)
                }
            })),
            on_upgrade: Some(Rc::new(move || {
                if current() {
                    db.set(DbState::Updating)
                }
            })),
            on_lost: Some(Rc::new(move |e: StoreError| {
                if current() {
                    db.set(DbState::Failed(AppError::from(e)))
                }
            })),
        };
        let demo = self.demo.get_untracked();
        let name = crate::ui::demo::database(demo);
        // The practitioner's own database is never filled with the demo.
        let fill = if demo { fill } else { Fill::Nothing };
        leptos::task::spawn_local(async move {
            let opened = match IdbStore::open(name, hooks).await {
                Ok(store) => fill_with(&store, fill).await.map(|filled| (store, filled)),
                Err(e) => Err(e),
            };
            if !current() {
                // Switched meanwhile: this connection closes as it drops.
                return;
            }
            match opened {
                Ok((store, filled)) => {
                    let store = Rc::new(store);
                    self.store.set_value(Some(store.clone()));
                    db.set(DbState::Ready);
                    self.revision.update(|r| *r += 1);
                    if filled {
                        self.post_changed();
                    }
                    // An import in stages whose tab went away before its
                    // end is undone (the stores were empty before it).
                    if let Ok(true) = store.recover_import().await {
                        if current() {
                            self.revision.update(|r| *r += 1);
                            self.post_changed();
                        }
                    }
                }
                Err(e) => db.set(DbState::Failed(AppError::from(e))),
            }
        });
    }

    /// Tells the other tabs on this database that something changed.
    fn post_changed(&self) {
        self.channel.with_value(|c| {
            if let Some(c) = c {
                // Nothing useful to do if posting fails: the other tabs
                // then show their data as of their last reload.
                let _ = c.post_message(&"changed".into());
            }
        });
    }

    /// The open store, or why there is none.
    pub fn store(&self) -> Result<Rc<AppStore>, AppError> {
        self.store
            .with_value(|s| s.clone())
            .ok_or_else(|| AppError::from(StoreError::NotOpenYet))
    }

    /// Who is making changes, for history entries and notes.
    pub fn actor(&self) -> String {
        self.viewing_as.with_untracked(|m| {
            m.as_ref()
                .map_or_else(|| crate::domain::history::YOU.to_owned(), |m| m.name.clone())
        })
    }

    /// Whether the current viewer may see this account (owner: everything).
    pub fn may_see(&self, account: &crate::domain::Account) -> bool {
        self.may_see_team(&account.team)
    }

    /// Whether the current viewer may see an account with this team.
    /// The member the app is viewed as when they see only the accounts
    /// assigned to them (`None`: every account is visible).
    pub fn limited_viewer(&self) -> Option<MemberId> {
        self.viewing_as
            .with(|m| m.as_ref().filter(|m| !m.sees_all()).map(|m| m.id.clone()))
    }

    pub fn may_see_team(&self, team: &[MemberId]) -> bool {
        self.viewing_as
            .with(|m| m.as_ref().is_none_or(|m| m.sees_all() || team.contains(&m.id)))
    }

    /// Whether the current viewer may change accounts.
    pub fn may_manage(&self) -> bool {
        self.viewing_as
            .with(|m| m.as_ref().is_none_or(|m| m.can_manage()))
    }

    /// Call after a successful write: reloads every read, here and in the
    /// other tabs, and at the first write asks to keep the data.
    pub fn changed(&self) {
        self.typing.set_value(false);
        self.remote_changes.set(false);
        self.revision.update(|r| *r += 1);
        self.post_changed();
        // Demo data is not worth keeping.
        if !self.persist_asked.get_value() && !self.demo.get_untracked() {
            self.persist_asked.set_value(true);
            let answer = self.persist_answer;
            leptos::task::spawn_local(async move {
                let kept = match crate::ui::storage::persisted().await {
                    Some(true) => Some(true),
                    _ => crate::ui::storage::persist().await,
                };
                answer.set(kept);
            });
        }
    }
}

/// Puts a demo practice into a just opened database, as `fill` says;
/// whether it did.
async fn fill_with(store: &AppStore, fill: Fill) -> Result<bool, StoreError> {
    let wanted = match fill {
        Fill::Nothing => false,
        Fill::Demo => true,
        Fill::DemoIfEmpty => store.accounts().await?.is_empty(),
    };
    if wanted {
        store.replace_everything(&crate::ui::demo::practice()).await?;
    }
    Ok(wanted)
}

/// Where typing means work in progress: edit forms and notes in the page.
const EDITING: &str = "main form, main textarea";

/// Whether the page still shows a form or a note being written.
fn editing_on_page() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector(EDITING).ok().flatten())
        .is_some()
}

pub fn use_services() -> Services {
    // Provided by `App` before any page renders.
    use_context::<Services>().unwrap_or_else(Services::provide)
}

/// The current time.
pub fn now() -> Timestamp {
    Timestamp(js_sys::Date::now() as i64)
}

/// Ids from the browser's cryptographic random source.
pub struct BrowserIds;

impl IdSource for BrowserIds {
    fn next_bytes(&mut self) -> [u8; 16] {
        let mut bytes = [0u8; 16];
        let filled = web_sys::window()
            .and_then(|w| w.crypto().ok())
            .map(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok())
            .unwrap_or(false);
        if !filled {
            // No crypto (very old browser): fall back to Math.random and the clock.
            for (i, b) in bytes.iter_mut().enumerate() {
                *b = ((js_sys::Math::random() * 256.0) as u8)
                    ^ ((js_sys::Date::now() as u64 >> (i % 8)) as u8);
            }
        }
        bytes
    }
}

/// A read that reloads after every write: `fetch` gets the store and returns
/// the future to await. Reactive values read inside `fetch` (before its
/// future) are tracked too.
pub fn read<T, Fut>(fetch: impl Fn(Rc<AppStore>) -> Fut + 'static) -> LocalResource<Result<T, AppError>>
where
    T: 'static,
    Fut: std::future::Future<Output = Result<T, StoreError>> + 'static,
{
    let services = use_services();
    LocalResource::new(move || {
        services.revision.track();
        let fut = services.store().map(&fetch);
        async move {
            match fut {
                Ok(fut) => fut.await.map_err(AppError::from),
                Err(e) => Err(e),
            }
        }
    })
}

/// A change against the store, as an action: on success every read reloads.
/// Its value holds the outcome, for showing errors.
pub fn change<I, Fut>(run: impl Fn(Rc<AppStore>, I) -> Fut + 'static) -> Action<I, Result<(), AppError>>
where
    I: Clone + 'static,
    Fut: std::future::Future<Output = Result<(), StoreError>> + 'static,
{
    let services = use_services();
    Action::new_local(move |input: &I| {
        let fut = services.store().map(|store| run(store, input.clone()));
        async move {
            let outcome = match fut {
                Ok(fut) => fut.await.map_err(AppError::from),
                Err(e) => Err(e),
            };
            if outcome.is_ok() {
                services.changed();
            }
            outcome
        }
    })
}

/// What an edit form does with its save's outcome: `saved` once it
/// succeeded; otherwise the form stays open with what was typed, the
/// problems go next to their fields or into `notice`, and after a conflict
/// the record is read again (so saving again saves what was changed in the
/// form over what is stored now).
pub fn on_saved<I: 'static>(
    save: Action<I, Result<(), AppError>>,
    saved: impl Fn() + 'static,
    errors: RwSignal<crate::domain::ValidationErrors>,
    notice: RwSignal<Option<String>>,
) {
    let services = use_services();
    Effect::new(move |_| match save.value().get() {
        Some(Ok(())) => saved(),
        Some(Err(e)) => {
            if matches!(e, AppError::Store(StoreError::Conflict)) {
                services.changed();
            }
            match e.field_errors() {
                Some(found) => errors.set(found.clone()),
                None => notice.set(Some(e.user_message())),
            }
        }
        None => {}
    });
}

/// The error of an action's last run, if it failed.
pub fn failure<I: 'static>(action: Action<I, Result<(), AppError>>) -> Signal<Option<AppError>> {
    Signal::derive(move || action.value().get().and_then(|r| r.err()))
}
