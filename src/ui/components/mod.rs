//! Pieces shared by pages.

pub mod field;
pub mod sidebar;
pub mod status;
pub mod tag;
pub mod viewing_as;

pub use field::{CheckField, TextField};
pub use sidebar::Sidebar;
pub use status::{ErrorBanner, Loading};
pub use tag::{TagChip, TagList};
pub use viewing_as::ViewingAs;
