//! Pieces shared by pages.

pub mod field;
pub mod other_tabs;
pub mod pickers;
pub mod search;
pub mod sidebar;
pub mod status;
pub mod tag;
pub mod update;
pub mod viewing_as;

pub use field::{CheckField, TextField};
pub use other_tabs::RemoteChangesBanner;
pub use pickers::{CustomFieldInput, MapFieldInput, TagPicker};
pub use sidebar::Sidebar;
pub use status::{ErrorBanner, Loading};
pub use tag::{TagChip, TagList};
pub use update::UpdateBanner;
pub use viewing_as::ViewingAs;
