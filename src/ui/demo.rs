//! The demo practice: which database the app shows (the practitioner's own,
//! or the separate demo database), remembered in `localStorage` so that a
//! reload keeps it and the other tabs follow (they hear the `storage`
//! event). The switching itself is [`super::services::Services::use_demo`].

use crate::bundle::Contents;
use crate::domain::demo::{generate, DemoSize};
use crate::store::schema;

/// The `localStorage` key; its value is `demo` while the demo is open.
pub const MODE_KEY: &str = "clientbook-mode";
const DEMO: &str = "demo";
/// The demo firm is the same every time (dates follow the clock).
pub const DEMO_SEED: u64 = 2024;

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Whether the demo was open when this browser last used Clientbook.
pub fn remembered() -> bool {
    local_storage()
        .and_then(|s| s.get_item(MODE_KEY).ok().flatten())
        .is_some_and(|v| v == DEMO)
}

/// Remembers the choice (the other tabs hear it).
pub fn remember(demo: bool) {
    if let Some(s) = local_storage() {
        // Without localStorage (blocked by the browser) the choice lasts
        // until the page is reloaded; nothing else to do.
        let _ = if demo {
            s.set_item(MODE_KEY, DEMO)
        } else {
            s.remove_item(MODE_KEY)
        };
    }
}

/// The database to open.
pub fn database(demo: bool) -> &'static str {
    if demo {
        schema::DEMO_DB_NAME
    } else {
        schema::DB_NAME
    }
}

/// A fresh demo practice, as of now.
pub fn practice() -> Contents {
    generate(DEMO_SEED, DemoSize::PRACTICE, super::services::now()).into()
}
