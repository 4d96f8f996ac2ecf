//! Pieces shared by pages.

pub mod field;
pub mod search;
pub mod sidebar;
pub mod status;
pub mod tag;

pub use field::{CheckField, TextField};
pub use sidebar::Sidebar;
pub use status::{ErrorBanner, Loading};
pub use tag::{TagChip, TagList};
