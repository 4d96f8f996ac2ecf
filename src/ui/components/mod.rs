//! Pieces shared by pages.

pub mod address;
pub mod field;
pub mod finder;
pub mod pickers;
pub mod search;
pub mod sidebar;
pub mod status;
pub mod tag;
pub mod viewing_as;

pub use address::{AddressFields, AddressForm};
pub use field::{CheckField, TextField};
pub use finder::ContactFinder;
pub use pickers::{CustomFieldInput, CustomFieldsGroup, MapFieldInput, TagPicker};
pub use sidebar::Sidebar;
pub use status::{ErrorBanner, Loading};
pub use tag::{TagChip, TagList};
pub use viewing_as::ViewingAs;
