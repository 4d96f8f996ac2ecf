//! Form state a page keeps while the view it builds from a read is built
//! anew.
//!
//! A page such as an account's profile builds its view from one read, and
//! every write (the practitioner's own, or another tab's) reloads that read
//! and builds the view again, with fresh signals. Whatever the practitioner
//! has open or typed (an edit form, a note, an invitation message, which
//! sections are expanded) must not live in those signals, or a save landing
//! while they type closes the form and empties the text.
//!
//! The page calls [`provide_kept`] once, outside what is rebuilt; a piece of
//! the view asks for its state with [`kept`] under a key naming it (with the
//! record's id where there is one per record), and gets the same signals back
//! after every rebuild. The state is created under the page's owner, so it
//! lives as long as the page does. [`Kept::forget`] drops a form's state when it
//! closes, so it opens next time with what is stored.

use leptos::prelude::*;
use std::any::Any;
use std::collections::HashMap;

/// Where kept state lives: the page's owner and its state by key.
struct Slots {
    owner: Owner,
    by_key: HashMap<String, Box<dyn Any>>,
}

/// A handle on the current page's kept state (none where no page keeps
/// state: then [`Kept::get`] makes the state each time). Take it while the
/// view is built, and use the handle in event handlers.
#[derive(Clone, Copy)]
pub struct Kept(Option<StoredValue<Slots, LocalStorage>>);

/// Gives the current page a place for its kept state (call it in the page's
/// component, outside the view built from its read).
pub fn provide_kept() {
    provide_context(Kept(Some(StoredValue::new_local(Slots {
        owner: Owner::current().unwrap_or_default(),
        by_key: HashMap::new(),
    }))));
}

/// The current page's kept state.
pub fn use_kept() -> Kept {
    use_context::<Kept>().unwrap_or(Kept(None))
}

/// The state kept under `key` on the current page: see [`Kept::get`].
pub fn kept<T: Clone + 'static>(key: impl Into<String>, init: impl FnOnce() -> T) -> T {
    use_kept().get(key, init)
}

impl Kept {
    /// The state kept under `key`, made by `init` the first time (or after
    /// [`Kept::forget`]). `init` runs under the page's owner, so signals it
    /// creates live as long as the page.
    pub fn get<T: Clone + 'static>(&self, key: impl Into<String>, init: impl FnOnce() -> T) -> T {
        let Some(slots) = self.0 else {
            return init();
        };
        let key = key.into();
        let found = slots
            .try_with_value(|s| s.by_key.get(&key).and_then(|v| v.downcast_ref::<T>()).cloned())
            .flatten();
        if let Some(found) = found {
            return found;
        }
        let made = self.owned(init);
        slots.update_value(|s| _ = s.by_key.insert(key, Box::new(made.clone())));
        made
    }

    /// Runs `f` under the page's owner, for state made after the form was
    /// kept (a field added to a list) that must live as long as the rest.
    pub fn owned<T>(&self, f: impl FnOnce() -> T) -> T {
        match self.0.and_then(|slots| slots.try_with_value(|s| s.owner.clone())) {
            Some(owner) => owner.with(f),
            None => f(),
        }
    }

    /// Drops the state kept under every key starting with `prefix`: the next
    /// [`Kept::get`] of such a key makes it anew, from what is stored then.
    pub fn forget(&self, prefix: &str) {
        if let Some(slots) = self.0 {
            slots.update_value(|s| s.by_key.retain(|key, _| !key.starts_with(prefix)));
        }
    }
}
