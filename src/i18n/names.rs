//! The words for the kinds of things the domain knows (account types, team
//! roles, field types): the domain keeps codes, the interface shows these.

use super::{t, tf, tn, Key};
use crate::bundle::merge::{Differs, DiffersIn, PlanNote, SharedEmail};
use crate::domain::catalog::{FieldKind, TeamRole, Uses};
use crate::domain::history::{Change, DEFAULT_TEMPLATE, DELETED_FIELD};
use crate::domain::listing::{BulkOp, SortOrder};
use crate::domain::validation::ItemKind;
use crate::domain::AccountType;

pub fn account_type(kind: AccountType) -> &'static str {
    t(match kind {
        AccountType::Individual => Key::AccountTypeIndividual,
        AccountType::Company => Key::AccountTypeCompany,
        AccountType::Other => Key::AccountTypeOther,
    })
}

pub fn team_role(role: TeamRole) -> &'static str {
    t(match role {
        TeamRole::Owner => Key::RoleOwner,
        TeamRole::Admin => Key::RoleAdmin,
        TeamRole::Employee => Key::RoleEmployee,
    })
}

pub fn field_kind(kind: &FieldKind) -> &'static str {
    t(match kind {
        FieldKind::Text => Key::FieldKindText,
        FieldKind::Number => Key::FieldKindNumber,
        FieldKind::Date => Key::FieldKindDate,
        FieldKind::YesNo => Key::FieldKindYesNo,
        FieldKind::Dropdown(_) => Key::FieldKindDropdown,
        FieldKind::Email => Key::FieldKindEmail,
        FieldKind::Phone => Key::FieldKindPhone,
    })
}

/// A kind of Settings item, as a noun inside a sentence.
pub fn item_kind(kind: ItemKind) -> &'static str {
    t(match kind {
        ItemKind::Tag => Key::ItemTag,
        ItemKind::Member => Key::ItemMember,
        ItemKind::Role => Key::ItemRole,
        ItemKind::Field => Key::ItemField,
        ItemKind::Template => Key::ItemTemplate,
    })
}

/// "2 accounts, 1 contact", or "not used".
pub fn uses(uses: &Uses) -> String {
    let accounts = || tn(Key::UsesAccounts, uses.accounts, &[]);
    let contacts = || tn(Key::UsesContacts, uses.contacts, &[]);
    match (uses.accounts, uses.contacts) {
        (0, 0) => t(Key::UsesNone).to_owned(),
        (_, 0) => accounts(),
        (0, _) => contacts(),
        _ => tf(
            Key::UsesBoth,
            &[("accounts", &accounts()), ("contacts", &contacts())],
        ),
    }
}

/// A typed value quoted inside a sentence, or "(empty)".
fn quoted(s: &str) -> String {
    if s.is_empty() {
        t(Key::Empty).to_owned()
    } else {
        tf(Key::Quoted, &[("text", s)])
    }
}

/// Who did something: a team member's name, or "You" (the practitioner).
pub fn actor(by: &str) -> &str {
    if by == crate::domain::history::YOU {
        t(Key::You)
    } else {
        by
    }
}

/// One line of an account's history of changes.
pub fn history_change(change: &Change) -> String {
    let from_to = |key, from: &str, to: &str| tf(key, &[("from", &quoted(from)), ("to", &quoted(to))]);
    match change {
        Change::Created => t(Key::HistoryCreated).to_owned(),
        Change::Renamed { from, to } => from_to(Key::HistoryRenamed, from, to),
        Change::TypeChanged { from, to } => tf(
            Key::HistoryTypeChanged,
            &[("from", account_type(*from)), ("to", account_type(*to))],
        ),
        Change::CompanyNameChanged { from, to } => from_to(Key::HistoryCompanyNameChanged, from, to),
        Change::AddressChanged => t(Key::HistoryAddressChanged).to_owned(),
        Change::PhotoChanged => t(Key::HistoryPhotoChanged).to_owned(),
        Change::TagAdded { tag } => tf(Key::HistoryTagAdded, &[("tag", tag)]),
        Change::TagRemoved { tag } => tf(Key::HistoryTagRemoved, &[("tag", tag)]),
        Change::MemberAssigned { member } => tf(Key::HistoryMemberAssigned, &[("member", member)]),
        Change::MemberRemoved { member } => tf(Key::HistoryMemberRemoved, &[("member", member)]),
        Change::RoleAssigned { role, member } => {
            tf(Key::HistoryRoleAssigned, &[("member", member), ("role", role)])
        }
        Change::RoleRemoved { role, member } => {
            tf(Key::HistoryRoleRemoved, &[("member", member), ("role", role)])
        }
        Change::FieldChanged { field, from, to } => {
            let field = if field == DELETED_FIELD {
                t(Key::HistoryDeletedField)
            } else {
                field
            };
            tf(
                Key::HistoryFieldChanged,
                &[("field", field), ("from", &quoted(from)), ("to", &quoted(to))],
            )
        }
        Change::FolderTemplateChanged { to } => {
            let to = if to == DEFAULT_TEMPLATE {
                t(Key::HistoryDefaultTemplate)
            } else {
                to
            };
            tf(Key::HistoryTemplateChanged, &[("template", to)])
        }
        Change::Archived => t(Key::HistoryArchived).to_owned(),
        Change::Restored => t(Key::HistoryRestored).to_owned(),
        Change::ContactLinked { contact } => tf(Key::HistoryContactLinked, &[("contact", contact)]),
        Change::ContactUnlinked { contact } => tf(Key::HistoryContactUnlinked, &[("contact", contact)]),
        Change::EmailMoved { email, from, to } => tf(
            Key::HistoryEmailMoved,
            &[("email", email), ("from", &quoted(from)), ("to", &quoted(to))],
        ),
        Change::ContactPhotoChanged { contact } => {
            tf(Key::HistoryContactPhotoChanged, &[("contact", contact)])
        }
        Change::ContactPhotoRemoved { contact } => {
            tf(Key::HistoryContactPhotoRemoved, &[("contact", contact)])
        }
        Change::ContactsMerged { merged, into } => {
            tf(Key::HistoryContactsMerged, &[("merged", merged), ("into", into)])
        }
    }
}

/// A stored custom field value as the practitioner reads it: dates and
/// numbers in the language's format, yes/no in words, "—" when empty.
/// (Values are stored in one neutral form: `2025-12-31`, `1234.5`, `yes`.)
pub fn field_value(kind: &FieldKind, raw: &str) -> String {
    if raw.is_empty() {
        return "—".to_owned();
    }
    match kind {
        FieldKind::Date => super::iso_date(raw),
        FieldKind::YesNo => match raw {
            "yes" => t(Key::Yes).to_owned(),
            "no" => t(Key::No).to_owned(),
            other => other.to_owned(),
        },
        FieldKind::Number => match raw.parse::<f64>() {
            Ok(x) => {
                let places = raw.split_once('.').map_or(0, |(_, d)| d.len()) as u32;
                super::format::fixed(x, places)
            }
            Err(_) => raw.to_owned(),
        },
        _ => raw.to_owned(),
    }
}

/// The `mailto:` address of an invitation to the client portal for `email`
/// (of `contact_name`, for `account_name`), with an optional personal
/// message, written in the current language.
pub fn invitation_mailto(email: &str, contact_name: &str, account_name: &str, message: &str) -> String {
    use crate::domain::invite::{invitation_body, mailto};
    let subject = tf(Key::InviteSubject, &[("account", account_name)]);
    let body = invitation_body(
        &tf(Key::InviteGreeting, &[("name", contact_name)]),
        message,
        &tf(Key::InviteBody, &[("account", account_name), ("email", email)]),
        t(Key::InviteClosing),
    );
    mailto(email, &subject, &body)
}

/// Why contacts are probably one person: "Same email: a@b.c, A@b.c".
pub fn duplicate_reason(reason: &crate::domain::duplicates::Reason) -> String {
    use crate::domain::duplicates::Reason;
    let (key, values) = match reason {
        Reason::Email(v) => (Key::SameEmail, v),
        Reason::Phone(v) => (Key::SamePhone, v),
        Reason::Name(v) => (Key::SameName, v),
    };
    tf(key, &[("values", &values.join(", "))])
}

/// A field compared when merging contacts: built-in ones by their word,
/// custom ones by their label (or "(deleted field)").
pub fn merge_field<'a>(field: &crate::domain::contact_merge::MergeField, label: &'a str) -> &'a str {
    use crate::domain::contact_merge::MergeField;
    match field {
        MergeField::Name => t(Key::LabelName),
        MergeField::MainEmail => t(Key::MainEmail),
        MergeField::Address => t(Key::Address),
        MergeField::DateOfBirth => t(Key::LabelDateOfBirth),
        MergeField::Custom(_) if label.is_empty() => t(Key::HistoryDeletedField),
        MergeField::Custom(_) => label,
    }
}

/// What the one link left of several keeps, after a merge.
pub fn joined_link(kept: &crate::domain::contact_merge::JoinedLink) -> String {
    let mut parts = Vec::new();
    if !kept.description.is_empty() {
        parts.push(tf(Key::KeptDescription, &[("description", &kept.description)]));
    }
    if let Some(p) = kept.signer_priority {
        parts.push(tf(Key::KeptSignerPriority, &[("priority", &p.to_string())]));
    }
    parts.push(t(Key::KeptSwitches).to_owned());
    parts.join(", ")
}

/// Why a backup reminder is shown, in a sentence.
pub fn backup_reminder(reminder: &crate::domain::backup::Reminder) -> String {
    use crate::domain::backup::Reminder;
    match reminder {
        Reminder::NotPersistent { last_export: None } => t(Key::ReminderNotPersistentNoBackup).to_owned(),
        Reminder::NotPersistent {
            last_export: Some(at),
        } => tf(Key::ReminderNotPersistent, &[("date", &super::date(*at))]),
        Reminder::Overdue {
            last_export: None, ..
        } => t(Key::ReminderNoBackupYet).to_owned(),
        Reminder::Overdue {
            last_export: Some(at),
            days,
        } => tn(
            Key::ReminderOverdue,
            (*days).max(0) as usize,
            &[("date", &super::date(*at))],
        ),
    }
}

/// How the accounts list is sorted.
pub fn sort_order(order: SortOrder) -> &'static str {
    t(match order {
        SortOrder::Name => Key::SortName,
        SortOrder::Newest => Key::SortNewest,
    })
}

/// The confirmation shown after a bulk action that changed `n` accounts;
/// `name` is the tag's or team member's name.
pub fn bulk_message(op: &BulkOp, name: &str, n: usize) -> String {
    let key = match op {
        BulkOp::AddTag(_) => Key::BulkTagAdded,
        BulkOp::RemoveTag(_) => Key::BulkTagRemoved,
        BulkOp::Assign(_) => Key::BulkAssigned,
        BulkOp::Unassign(_) => Key::BulkUnassigned,
        BulkOp::Archive => Key::BulkArchived,
        BulkOp::Restore => Key::BulkRestored,
    };
    tn(key, n, &[("name", name)])
}

/// A record that differs here and in an imported file.
pub fn differs(d: &Differs) -> String {
    match d {
        Differs::Item(kind, name) => tf(Key::DiffersItem, &[("kind", item_kind(*kind)), ("name", name)]),
        Differs::Account(name) => tf(Key::DiffersAccount, &[("name", name)]),
        Differs::Contact(name) => tf(Key::DiffersContact, &[("name", name)]),
        Differs::Link => t(Key::DiffersLink).to_owned(),
        Differs::Note => t(Key::DiffersNote).to_owned(),
        Differs::History => t(Key::DiffersHistory).to_owned(),
        Differs::Card { card, here, fields } => {
            let fields: Vec<&str> = fields
                .iter()
                .map(|f| match f {
                    DiffersIn::Name => t(Key::DiffersInName),
                    DiffersIn::Address => t(Key::DiffersInAddress),
                    DiffersIn::DateOfBirth => t(Key::DiffersInDateOfBirth),
                    DiffersIn::Photo => t(Key::DiffersInPhoto),
                    DiffersIn::Field(label) => label,
                })
                .collect();
            tf(
                Key::DiffersCard,
                &[("card", card), ("here", here), ("fields", &fields.join(", "))],
            )
        }
    }
}

pub fn shared_email(s: &SharedEmail) -> String {
    tf(
        Key::SharedEmailLine,
        &[("email", &s.email), ("in_file", &s.in_file), ("here", &s.here)],
    )
}

pub fn plan_note(n: &PlanNote) -> String {
    match n {
        PlanNote::OwnerBecomesAdmin(name) => tf(Key::OwnerBecomesAdmin, &[("name", name)]),
        PlanNote::EmailMoves { email, from, to } => tf(
            Key::EmailMovesNote,
            &[("email", email), ("from", from), ("to", to)],
        ),
        PlanNote::ValueNotKept {
            card,
            value,
            problem,
            kind,
        } => tf(
            Key::ValueNotKept,
            &[
                ("card", card),
                ("value", value),
                ("problem", &crate::error::problem_text(problem)),
                ("kind", field_kind(kind)),
            ],
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{set_lang, Lang};

    #[test]
    fn history_reads_as_before_in_english_and_translates() {
        set_lang(Lang::En);
        let lines: Vec<String> = [
            Change::Renamed {
                from: "Smith".into(),
                to: "Smith Family".into(),
            },
            Change::TypeChanged {
                from: AccountType::Individual,
                to: AccountType::Other,
            },
            Change::TagAdded { tag: "VIP".into() },
            Change::MemberAssigned { member: "Ann".into() },
            Change::Archived,
            Change::CompanyNameChanged {
                from: String::new(),
                to: "Smith Ltd".into(),
            },
            Change::FolderTemplateChanged {
                to: DEFAULT_TEMPLATE.into(),
            },
        ]
        .iter()
        .map(history_change)
        .collect();
        assert_eq!(
            lines,
            [
                "Name changed from “Smith” to “Smith Family”",
                "Type changed from Individual to Other",
                "Tag VIP added",
                "Ann assigned",
                "Account archived",
                "Company name changed from (empty) to “Smith Ltd”",
                "Folder template set to default",
            ]
        );
        set_lang(Lang::De);
        assert_eq!(
            history_change(&Change::Renamed {
                from: "Smith".into(),
                to: "Smith Family".into()
            }),
            "Name von „Smith“ in „Smith Family“ geändert"
        );
        assert_eq!(actor(crate::domain::history::YOU), "Sie");
        assert_eq!(actor("Ann"), "Ann");
    }

    #[test]
    fn field_values_read_in_the_language() {
        set_lang(Lang::De);
        assert_eq!(field_value(&FieldKind::Date, "2025-12-31"), "31.12.2025");
        assert_eq!(field_value(&FieldKind::Number, "1234.50"), "1.234,50");
        assert_eq!(field_value(&FieldKind::Number, "-7"), "-7");
        assert_eq!(field_value(&FieldKind::YesNo, "yes"), "Ja");
        assert_eq!(field_value(&FieldKind::Text, ""), "—");
        assert_eq!(field_value(&FieldKind::Text, "2025-12-31"), "2025-12-31");
        set_lang(Lang::En);
        assert_eq!(field_value(&FieldKind::Date, "2025-12-31"), "Dec 31, 2025");
        assert_eq!(field_value(&FieldKind::Number, "1234.50"), "1,234.50");
    }

    #[test]
    fn backup_reminders_say_why_and_since_when() {
        use crate::domain::backup::Reminder;
        use crate::domain::Timestamp;
        set_lang(Lang::En);
        let at = Timestamp(1_795_305_600_000);
        assert_eq!(
            backup_reminder(&Reminder::Overdue {
                last_export: Some(at),
                days: 20
            }),
            "Your last backup is 20 days old (from Nov 22, 2026)."
        );
        assert!(backup_reminder(&Reminder::NotPersistent { last_export: None }).contains("no backup yet"));
        set_lang(Lang::Ro);
        assert_eq!(
            backup_reminder(&Reminder::Overdue {
                last_export: Some(at),
                days: 20
            }),
            "Ultima copie de siguranță are 20 de zile (din 22.11.2026)."
        );
        set_lang(Lang::En);
    }

    #[test]
    fn bulk_messages_read_well() {
        use crate::domain::ids::{IdSource, SeededIds};
        let mut ids = SeededIds::new(5);
        set_lang(Lang::En);
        assert_eq!(
            bulk_message(&BulkOp::AddTag(ids.id()), "VIP", 3),
            "Tag VIP added to 3 accounts"
        );
        assert_eq!(
            bulk_message(&BulkOp::RemoveTag(ids.id()), "VIP", 1),
            "Tag VIP removed from 1 account"
        );
        assert_eq!(
            bulk_message(&BulkOp::Assign(ids.id()), "Ann", 2),
            "Ann assigned to 2 accounts"
        );
        assert_eq!(bulk_message(&BulkOp::Archive, "", 2), "2 accounts archived");
        assert_eq!(bulk_message(&BulkOp::Restore, "", 1), "1 account restored");
        set_lang(Lang::De);
        assert_eq!(bulk_message(&BulkOp::Archive, "", 1), "1 Konto archiviert");
        set_lang(Lang::Ro);
        assert_eq!(
            bulk_message(&BulkOp::AddTag(ids.id()), "VIP", 21),
            "Eticheta VIP a fost adăugată la 21 de conturi"
        );
        set_lang(Lang::En);
    }

    #[test]
    fn uses_count_with_each_language_plurals() {
        let u = |accounts, contacts| Uses { accounts, contacts };
        set_lang(Lang::En);
        assert_eq!(uses(&u(0, 0)), "not used");
        assert_eq!(uses(&u(1, 0)), "1 account");
        assert_eq!(uses(&u(2, 1)), "2 accounts, 1 contact");
        set_lang(Lang::Ro);
        assert_eq!(uses(&u(1, 0)), "1 cont");
        assert_eq!(uses(&u(3, 0)), "3 conturi");
        assert_eq!(uses(&u(25, 0)), "25 de conturi");
        set_lang(Lang::Fr);
        assert_eq!(uses(&u(0, 1200)), "1\u{202f}200 contacts");
        set_lang(Lang::En);
    }
}
