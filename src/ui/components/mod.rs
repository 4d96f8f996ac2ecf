//! Pieces shared by pages.

pub mod address;
pub mod backup;
pub mod demo_bar;
pub mod field;
pub mod finder;
pub mod kept;
pub mod other_tabs;
pub mod pickers;
pub mod progress;
pub mod search;
pub mod sidebar;
pub mod status;
pub mod tag;
pub mod update;
pub mod viewing_as;

pub use address::{AddressFields, AddressForm};
pub use backup::BackupReminder;
pub use demo_bar::{DemoBadge, DemoBar};
pub use field::{CheckField, NewContactInputs, TextField};
pub use finder::ContactFinder;
pub use kept::{kept, provide_kept, use_kept, Kept};
pub use other_tabs::RemoteChangesBanner;
pub use pickers::{CustomFieldInput, CustomFieldsGroup, CustomInputs, MapFieldInput, TagPicker};
pub use progress::{Progress, ProgressBar};
pub use sidebar::Sidebar;
pub use status::{ErrorBanner, Loading};
pub use tag::{TagChip, TagList};
pub use update::UpdateBanner;
pub use viewing_as::ViewingAs;
