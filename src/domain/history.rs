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

/// Serialised as an object with its kind in `what` and its fields beside
/// it (`{"what":"Renamed","from":"A","to":"B"}`). Read back by
/// [`Change::deserialize`], written by hand: serde's derive for an
/// internally tagged enum buffers every value first and compiled to 36 KB
/// of WebAssembly; this reads the same objects in one pass.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
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
    /// Contacts of this account merged into one (`merged`: their names).
    ContactsMerged {
        merged: String,
        into: String,
    },
}

/// The kinds of change, as `what` names them. Kept in step with [`Change`]
/// by the compiler: `Kind::of` (tests) matches every change, and
/// [`Change::deserialize`] every kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
enum Kind {
    Created,
    Renamed,
    TypeChanged,
    CompanyNameChanged,
    AddressChanged,
    PhotoChanged,
    TagAdded,
    TagRemoved,
    MemberAssigned,
    MemberRemoved,
    RoleAssigned,
    RoleRemoved,
    FieldChanged,
    FolderTemplateChanged,
    Archived,
    Restored,
    ContactLinked,
    ContactUnlinked,
    EmailMoved,
    ContactsMerged,
}

#[cfg(test)]
impl Kind {
    /// The kind of a change (a new kind of change does not compile until
    /// it is added to [`Kind`], and then to the deserializer).
    fn of(change: &Change) -> Kind {
        match change {
            Change::Created => Kind::Created,
            Change::Renamed { .. } => Kind::Renamed,
            Change::TypeChanged { .. } => Kind::TypeChanged,
            Change::CompanyNameChanged { .. } => Kind::CompanyNameChanged,
            Change::AddressChanged => Kind::AddressChanged,
            Change::PhotoChanged => Kind::PhotoChanged,
            Change::TagAdded { .. } => Kind::TagAdded,
            Change::TagRemoved { .. } => Kind::TagRemoved,
            Change::MemberAssigned { .. } => Kind::MemberAssigned,
            Change::MemberRemoved { .. } => Kind::MemberRemoved,
            Change::RoleAssigned { .. } => Kind::RoleAssigned,
            Change::RoleRemoved { .. } => Kind::RoleRemoved,
            Change::FieldChanged { .. } => Kind::FieldChanged,
            Change::FolderTemplateChanged { .. } => Kind::FolderTemplateChanged,
            Change::Archived => Kind::Archived,
            Change::Restored => Kind::Restored,
            Change::ContactLinked { .. } => Kind::ContactLinked,
            Change::ContactUnlinked { .. } => Kind::ContactUnlinked,
            Change::EmailMoved { .. } => Kind::EmailMoved,
            Change::ContactsMerged { .. } => Kind::ContactsMerged,
        }
    }
}

impl<'de> Deserialize<'de> for Change {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::{value::StrDeserializer, Error};
        /// Every field any kind of change has; each kind takes its own.
        #[derive(Deserialize)]
        struct Fields {
            what: Kind,
            from: Option<String>,
            to: Option<String>,
            tag: Option<String>,
            member: Option<String>,
            role: Option<String>,
            field: Option<String>,
            contact: Option<String>,
            email: Option<String>,
            merged: Option<String>,
            into: Option<String>,
        }
        fn need<E: Error>(value: Option<String>, name: &'static str) -> Result<String, E> {
            value.ok_or_else(|| E::missing_field(name))
        }
        fn kind<E: Error>(value: Option<String>, name: &'static str) -> Result<AccountType, E> {
            AccountType::deserialize(StrDeserializer::<E>::new(&need::<E>(value, name)?))
        }
        let f = Fields::deserialize(deserializer)?;
        Ok(match f.what {
            Kind::Created => Change::Created,
            Kind::Renamed => Change::Renamed {
                from: need(f.from, "from")?,
                to: need(f.to, "to")?,
            },
            Kind::TypeChanged => Change::TypeChanged {
                from: kind(f.from, "from")?,
                to: kind(f.to, "to")?,
            },
            Kind::CompanyNameChanged => Change::CompanyNameChanged {
                from: need(f.from, "from")?,
                to: need(f.to, "to")?,
            },
            Kind::AddressChanged => Change::AddressChanged,
            Kind::PhotoChanged => Change::PhotoChanged,
            Kind::TagAdded => Change::TagAdded {
                tag: need(f.tag, "tag")?,
            },
            Kind::TagRemoved => Change::TagRemoved {
                tag: need(f.tag, "tag")?,
            },
            Kind::MemberAssigned => Change::MemberAssigned {
                member: need(f.member, "member")?,
            },
            Kind::MemberRemoved => Change::MemberRemoved {
                member: need(f.member, "member")?,
            },
            Kind::RoleAssigned => Change::RoleAssigned {
                role: need(f.role, "role")?,
                member: need(f.member, "member")?,
            },
            Kind::RoleRemoved => Change::RoleRemoved {
                role: need(f.role, "role")?,
                member: need(f.member, "member")?,
            },
            Kind::FieldChanged => Change::FieldChanged {
                field: need(f.field, "field")?,
                from: need(f.from, "from")?,
                to: need(f.to, "to")?,
            },
            Kind::FolderTemplateChanged => Change::FolderTemplateChanged {
                to: need(f.to, "to")?,
            },
            Kind::Archived => Change::Archived,
            Kind::Restored => Change::Restored,
            Kind::ContactLinked => Change::ContactLinked {
                contact: need(f.contact, "contact")?,
            },
            Kind::ContactUnlinked => Change::ContactUnlinked {
                contact: need(f.contact, "contact")?,
            },
            Kind::EmailMoved => Change::EmailMoved {
                email: need(f.email, "email")?,
                from: need(f.from, "from")?,
                to: need(f.to, "to")?,
            },
            Kind::ContactsMerged => Change::ContactsMerged {
                merged: need(f.merged, "merged")?,
                into: need(f.into, "into")?,
            },
        })
    }
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
    super::sort::sort(&mut field_ids);
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
    fn every_kind_of_change_reads_back_as_written() {
        let s = |x: &str| x.to_owned();
        let all = vec![
            Change::Created,
            Change::Renamed {
                from: s("A"),
                to: s("B"),
            },
            Change::TypeChanged {
                from: AccountType::Individual,
                to: AccountType::Company,
            },
            Change::CompanyNameChanged {
                from: s(""),
                to: s("Acme"),
            },
            Change::AddressChanged,
            Change::PhotoChanged,
            Change::TagAdded { tag: s("VIP") },
            Change::TagRemoved { tag: s("VIP") },
            Change::MemberAssigned { member: s("Ana") },
            Change::MemberRemoved { member: s("Ana") },
            Change::RoleAssigned {
                role: s("Preparer"),
                member: s("Ana"),
            },
            Change::RoleRemoved {
                role: s("Preparer"),
                member: s("Ana"),
            },
            Change::FieldChanged {
                field: s("Fiscal year"),
                from: s("2024"),
                to: s("2025"),
            },
            Change::FolderTemplateChanged { to: s("Standard") },
            Change::Archived,
            Change::Restored,
            Change::ContactLinked { contact: s("Bo") },
            Change::ContactUnlinked { contact: s("Bo") },
            Change::EmailMoved {
                email: s("bo@example.com"),
                from: s("Bo"),
                to: s("Bob"),
            },
            Change::ContactsMerged {
                merged: s("Bo, Bob"),
                into: s("Bo"),
            },
        ];
        // One of every kind: the list grows with `Kind`.
        let kinds: std::collections::HashSet<Kind> = all.iter().map(Kind::of).collect();
        assert_eq!(kinds.len(), all.len());
        for change in all {
            let json = serde_json::to_string(&change).unwrap();
            let back: Change = serde_json::from_str(&json).unwrap();
            assert_eq!(back, change, "{json}");
        }
        // The stored form, as written since the first release.
        let read = |j: &str| serde_json::from_str::<Change>(j).map_err(|e| e.to_string());
        assert_eq!(
            read(r#"{"what":"TypeChanged","from":"Company","to":"Other"}"#),
            Ok(Change::TypeChanged {
                from: AccountType::Company,
                to: AccountType::Other
            })
        );
        assert_eq!(
            read(r#"{"to":"B","what":"Renamed","from":"A","extra":1}"#),
            Ok(Change::Renamed {
                from: s("A"),
                to: s("B")
            })
        );
        assert!(read(r#"{"what":"Renamed","from":"A"}"#)
            .unwrap_err()
            .contains("missing field `to`"));
        assert!(read(r#"{"what":"Exploded"}"#)
            .unwrap_err()
            .contains("unknown variant `Exploded`"));
        assert!(read(r#"{"what":"TypeChanged","from":"Trust","to":"Other"}"#)
            .unwrap_err()
            .contains("unknown variant `Trust`"));
        assert!(read(r#"{"from":"A"}"#)
            .unwrap_err()
            .contains("missing field `what`"));
    }

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
