//! The history of changes of an account: who was assigned or removed, and
//! every edit of name, type, tags, custom fields, with its date. Entries keep
//! the names as they were, so they still read well after a tag or a team
//! member is deleted.

use super::account::{Account, AccountType};
use super::catalog::Catalog;
use super::ids::{AccountId, HistoryId, IdSource};
use super::time::Timestamp;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub id: HistoryId,
    pub account_id: AccountId,
    pub at: Timestamp,
    /// Who made the change (a team member's name).
    pub by: String,
    pub change: Change,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "what")]
pub enum Change {
    Created,
    Renamed {
        from: String,
        to: String,
    },
    TypeChanged {
        from: AccountType,
        to: AccountType,
    },
    CompanyNameChanged {
        from: String,
        to: String,
    },
    AddressChanged,
    PhotoChanged,
    TagAdded {
        tag: String,
    },
    TagRemoved {
        tag: String,
    },
    MemberAssigned {
        member: String,
    },
    MemberRemoved {
        member: String,
    },
    RoleAssigned {
        role: String,
        member: String,
    },
    RoleRemoved {
        role: String,
        member: String,
    },
    FieldChanged {
        field: String,
        from: String,
        to: String,
    },
    FolderTemplateChanged {
        to: String,
    },
    Archived,
    Restored,
    ContactLinked {
        contact: String,
    },
    ContactUnlinked {
        contact: String,
    },
    /// An import gave an email of one contact to another ("take theirs").
    EmailMoved {
        email: String,
        from: String,
        to: String,
    },
    /// A photo given to (or changed for) a contact of this account, named.
    ContactPhotoChanged {
        contact: String,
    },
    /// The photo of a contact of this account removed.
    ContactPhotoRemoved {
        contact: String,
    },
    /// Contacts of this account merged into one (`merged`: their names).
    ContactsMerged {
        merged: String,
        into: String,
    },
}

/// `by` when the practitioner made the change (not a team member they
/// view Clientbook as); the interface words it ("You").
pub const YOU: &str = "You";

/// In [`Change::FolderTemplateChanged`], the default template (entries made
/// before this was a code say `default`).
pub const DEFAULT_TEMPLATE: &str = "";
/// In [`Change::FieldChanged`], a field deleted since (entries made before
/// this was a code say `(deleted field)`).
pub const DELETED_FIELD: &str = "";

/// Everything that differs between two versions of an account, as history
/// changes, with names looked up in the catalog.
pub fn account_changes(before: &Account, after: &Account, catalog: &Catalog) -> Vec<Change> {
    let mut out = Vec::new();
    if before.name != after.name {
        out.push(Change::Renamed {
            from: before.name.clone(),
            to: after.name.clone(),
        });
    }
    if before.kind != after.kind {
        out.push(Change::TypeChanged {
            from: before.kind,
            to: after.kind,
        });
    }
    if before.company_name != after.company_name {
        out.push(Change::CompanyNameChanged {
            from: before.company_name.clone(),
            to: after.company_name.clone(),
        });
    }
    if before.address != after.address {
        out.push(Change::AddressChanged);
    }
    let tag_name = |id| {
        catalog
            .tag(id)
            .map_or_else(|| "(deleted tag)".to_owned(), |t| t.name.clone())
    };
    for t in after.tags.iter().filter(|t| !before.tags.contains(t)) {
        out.push(Change::TagAdded { tag: tag_name(t) });
    }
    for t in before.tags.iter().filter(|t| !after.tags.contains(t)) {
        out.push(Change::TagRemoved { tag: tag_name(t) });
    }
    let member_name = |id| {
        catalog
            .member(id)
            .map_or_else(|| "(former team member)".to_owned(), |m| m.name.clone())
    };
    for m in after.team.iter().filter(|m| !before.team.contains(m)) {
        out.push(Change::MemberAssigned {
            member: member_name(m),
        });
    }
    for m in before.team.iter().filter(|m| !after.team.contains(m)) {
        out.push(Change::MemberRemoved {
            member: member_name(m),
        });
    }
    let role_name = |id| {
        catalog
            .role(id)
            .map_or_else(|| "(deleted role)".to_owned(), |r| r.name.clone())
    };
    for r in after.roles.iter().filter(|r| !before.roles.contains(r)) {
        out.push(Change::RoleAssigned {
            role: role_name(&r.role),
            member: member_name(&r.member),
        });
    }
    for r in before.roles.iter().filter(|r| !after.roles.contains(r)) {
        out.push(Change::RoleRemoved {
            role: role_name(&r.role),
            member: member_name(&r.member),
        });
    }
    let mut field_ids: Vec<_> = before.custom.keys().chain(after.custom.keys()).collect();
    field_ids.sort();
    field_ids.dedup();
    for id in field_ids {
        let (from, to) = (
            before.custom.get(id).cloned().unwrap_or_default(),
            after.custom.get(id).cloned().unwrap_or_default(),
        );
        if from != to {
            let field = catalog
                .field(id)
                .map_or_else(|| DELETED_FIELD.to_owned(), |f| f.label.clone());
            out.push(Change::FieldChanged { field, from, to });
        }
    }
    if before.folder_template != after.folder_template {
        let to = after
            .folder_template
            .as_ref()
            .and_then(|t| catalog.template(t))
            .map_or_else(|| DEFAULT_TEMPLATE.to_owned(), |t| t.name.clone());
        out.push(Change::FolderTemplateChanged { to });
    }
    match (before.archived, after.archived) {
        (false, true) => out.push(Change::Archived),
        (true, false) => out.push(Change::Restored),
        _ => {}
    }
    out
}

/// Turns changes into history entries stamped with time and author.
pub fn entries(
    ids: &mut impl IdSource,
    account_id: &AccountId,
    at: Timestamp,
    by: &str,
    changes: Vec<Change>,
) -> Vec<HistoryEntry> {
    changes
        .into_iter()
        .map(|change| HistoryEntry {
            id: ids.id(),
            account_id: account_id.clone(),
            at,
            by: by.to_owned(),
            change,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalog::{CatalogItem, Tag, TeamMember, TeamRole};
    use crate::domain::ids::SeededIds;

    #[test]
    fn every_edit_is_recorded_with_names() {
        let mut ids = SeededIds::new(9);
        let tag = Tag {
            id: ids.id(),
            name: "VIP".into(),
            color: "red".into(),
        };
        let ann = TeamMember {
            id: ids.id(),
            name: "Ann".into(),
            email: "ann@firm.example".into(),
            role: TeamRole::Employee,
            view_all_accounts: false,
            manage_accounts: true,
        };
        let catalog = Catalog::from_items([CatalogItem::Tag(tag.clone()), CatalogItem::Member(ann.clone())]);
        let before = crate::domain::new_account::tests_support::account(&mut ids, "Smith");
        let mut after = before.clone();
        after.name = "Smith Family".into();
        after.kind = AccountType::Other;
        after.tags.push(tag.id.clone());
        after.team.push(ann.id.clone());
        after.archived = true;
        assert_eq!(
            account_changes(&before, &after, &catalog),
            [
                Change::Renamed {
                    from: "Smith".into(),
                    to: "Smith Family".into()
                },
                Change::TypeChanged {
                    from: AccountType::Individual,
                    to: AccountType::Other
                },
                Change::TagAdded { tag: "VIP".into() },
                Change::MemberAssigned { member: "Ann".into() },
                Change::Archived,
            ]
        );
        let back = account_changes(&after, &before, &catalog);
        assert!(
            back.contains(&Change::MemberRemoved { member: "Ann".into() })
                && back.contains(&Change::Restored)
        );
        assert!(account_changes(&before, &before, &catalog).is_empty());
    }
}
