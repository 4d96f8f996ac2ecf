//! Domain values ↔ wire types. Export is `From` (it cannot fail); import is
//! `TryFrom`, checking everything a record can check on its own (ids,
//! codes, emails, names) and naming each problem by its field path relative
//! to the record (`emails[0]`). Checks across records (references,
//! duplicates) are in `super::validate`.

use super::dto::*;
use crate::domain::account::{check_account_name, RoleAssignment};
use crate::domain::catalog::{
    AccountRole, CatalogItem, FieldDef, FieldKind, FieldTarget, FolderTemplate, Tag, TeamMember, TeamRole,
    MAX_TAG_CHARS, TAG_COLORS,
};
use crate::domain::history::HistoryEntry;
use crate::domain::ids::{is_id, FieldId, HistoryId, MemberId, NoteId, RoleId, TagId, TemplateId};
use crate::domain::link::NotifyPrefs;
use crate::domain::note::{Note, MAX_NOTE_CHARS};
use crate::domain::validation::{BundleProblem as B, ItemKind, Problem, MAX_NAME_CHARS};
use crate::domain::{Account, AccountId, AccountType, Address, Contact, ContactId, Email, EmailAccess, Link};
use crate::domain::{Timestamp, ValidationErrors};

/// Longest free text (descriptions, author names, history values) accepted.
pub const MAX_TEXT_CHARS: usize = MAX_NOTE_CHARS;

fn id<T>(e: &mut ValidationErrors, field: &str, s: &str, make: fn(&str) -> Option<T>) -> Option<T> {
    let v = make(s);
    if v.is_none() {
        e.push(field, Problem::Bundle(B::NotAnId));
    }
    v
}

fn ids<T>(e: &mut ValidationErrors, field: &str, list: &[String], make: fn(&str) -> Option<T>) -> Vec<T> {
    list.iter()
        .enumerate()
        .filter_map(|(i, s)| id(e, &format!("{field}[{i}]"), s, make))
        .collect()
}

/// A short line of text: no control characters, not too long.
fn line(e: &mut ValidationErrors, field: &str, s: &str, max: usize) {
    if s.chars().count() > max {
        e.push(field, Problem::Bundle(B::TooLong(max)));
    } else if s.chars().any(char::is_control) {
        e.push(field, Problem::Bundle(B::ControlChar));
    }
}

/// Free text (notes, descriptions): newlines and tabs allowed.
fn text(e: &mut ValidationErrors, field: &str, s: &str, max: usize) {
    if s.chars().count() > max {
        e.push(field, Problem::Bundle(B::TooLong(max)));
    } else if s
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        e.push(field, Problem::Bundle(B::ControlChar));
    }
}

impl From<&Address> for AddressDto {
    fn from(a: &Address) -> Self {
        Self {
            street: a.street.clone(),
            city: a.city.clone(),
            state: a.state.clone(),
            postal_code: a.postal_code.clone(),
            country: a.country.clone(),
        }
    }
}

fn address(e: &mut ValidationErrors, field: &str, a: AddressDto) -> Address {
    for (name, v) in [
        ("street", &a.street),
        ("city", &a.city),
        ("state", &a.state),
        ("postal_code", &a.postal_code),
        ("country", &a.country),
    ] {
        line(e, &format!("{field}.{name}"), v, MAX_NAME_CHARS);
    }
    Address {
        street: a.street,
        city: a.city,
        state: a.state,
        postal_code: a.postal_code,
        country: a.country,
    }
}

fn custom<K: Ord>(
    e: &mut ValidationErrors,
    map: std::collections::BTreeMap<String, String>,
    make: fn(&str) -> Option<K>,
) -> std::collections::BTreeMap<K, String> {
    let mut out = std::collections::BTreeMap::new();
    for (k, v) in map {
        let field = format!("custom.{k}");
        line(e, &field, &v, MAX_NAME_CHARS);
        if let Some(k) = id(e, &field, &k, make) {
            out.insert(k, v);
        }
    }
    out
}

impl From<&Account> for AccountDto {
    fn from(a: &Account) -> Self {
        Self {
            id: a.id.to_string(),
            name: a.name.clone(),
            kind: a.kind.code().to_owned(),
            company_name: a.company_name.clone(),
            address: (&a.address).into(),
            tags: a.tags.iter().map(ToString::to_string).collect(),
            team: a.team.iter().map(ToString::to_string).collect(),
            roles: a
                .roles
                .iter()
                .map(|r| RoleAssignmentDto {
                    role: r.role.to_string(),
                    member: r.member.to_string(),
                })
                .collect(),
            custom: crate::domain::sort::map(a.custom.iter().map(|(k, v)| (k.to_string(), v.clone()))),
            folder_template: a.folder_template.as_ref().map(ToString::to_string),
            archived: a.archived,
            created_at: a.created_at.0,
            updated_at: a.updated_at.0,
        }
    }
}

/// Photos are not carried by bundles: `has_photo` comes out false (the
/// import keeps a stored account's photo).
impl TryFrom<AccountDto> for Account {
    type Error = ValidationErrors;
    fn try_from(d: AccountDto) -> Result<Self, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let account_id = id(&mut e, "id", &d.id, AccountId::parse);
        check_account_name(&mut e, "name", &d.name);
        let kind = AccountType::from_code(&d.kind);
        if kind.is_none() {
            e.push("type", Problem::Bundle(B::AccountType));
        }
        line(&mut e, "company_name", &d.company_name, MAX_NAME_CHARS);
        let address = address(&mut e, "address", d.address);
        let tags = ids(&mut e, "tags", &d.tags, TagId::parse);
        let team = ids(&mut e, "team", &d.team, MemberId::parse);
        let mut roles = Vec::new();
        for (i, r) in d.roles.iter().enumerate() {
            let role = id(&mut e, &format!("roles[{i}].role"), &r.role, RoleId::parse);
            let member = id(&mut e, &format!("roles[{i}].member"), &r.member, MemberId::parse);
            if let (Some(role), Some(member)) = (role, member) {
                roles.push(RoleAssignment { role, member });
            }
        }
        let custom = custom(&mut e, d.custom, FieldId::parse);
        let folder_template = d
            .folder_template
            .as_deref()
            .and_then(|t| id(&mut e, "folder_template", t, TemplateId::parse));
        match (account_id, kind, e.is_empty()) {
            (Some(id), Some(kind), true) => Ok(Account {
                id,
                name: d.name,
                kind,
                company_name: d.company_name,
                address,
                tags,
                team,
                roles,
                custom,
                folder_template,
                has_photo: false,
                archived: d.archived,
                created_at: Timestamp(d.created_at),
                updated_at: Timestamp(d.updated_at),
            }),
            _ => Err(e),
        }
    }
}

impl From<&Contact> for ContactDto {
    fn from(c: &Contact) -> Self {
        Self {
            id: c.id.to_string(),
            first_name: c.first_name.clone(),
            middle_name: c.middle_name.clone(),
            last_name: c.last_name.clone(),
            emails: c.emails.iter().map(ToString::to_string).collect(),
            phones: c.phones.clone(),
            address: (&c.address).into(),
            date_of_birth: c.date_of_birth.clone(),
            tags: c.tags.iter().map(ToString::to_string).collect(),
            custom: crate::domain::sort::map(c.custom.iter().map(|(k, v)| (k.to_string(), v.clone()))),
            created_at: c.created_at.0,
            updated_at: c.updated_at.0,
        }
    }
}

impl TryFrom<ContactDto> for Contact {
    type Error = ValidationErrors;
    fn try_from(d: ContactDto) -> Result<Self, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let contact_id = id(&mut e, "id", &d.id, ContactId::parse);
        for (name, v) in [
            ("first_name", &d.first_name),
            ("middle_name", &d.middle_name),
            ("last_name", &d.last_name),
        ] {
            line(&mut e, name, v, MAX_NAME_CHARS);
        }
        if d.first_name.trim().is_empty() && d.last_name.trim().is_empty() {
            e.push("first_name", Problem::Bundle(B::ContactNeedsName));
        }
        let mut emails = Vec::new();
        for (i, s) in d.emails.iter().enumerate() {
            match Email::parse(s) {
                Ok(m) if m.as_str() == s => emails.push(m),
                Ok(_) => e.push(format!("emails[{i}]"), Problem::Bundle(B::SpacesAroundEmail)),
                Err(err) => e.push(format!("emails[{i}]"), Problem::Email(err)),
            }
        }
        for (i, p) in d.phones.iter().enumerate() {
            line(&mut e, &format!("phones[{i}]"), p, MAX_NAME_CHARS);
        }
        if !d.date_of_birth.is_empty() && crate::domain::time::parse_date(&d.date_of_birth).is_none() {
            e.push("date_of_birth", Problem::Bundle(B::DateOfBirth));
        }
        let address = address(&mut e, "address", d.address);
        let tags = ids(&mut e, "tags", &d.tags, TagId::parse);
        let custom = custom(&mut e, d.custom, FieldId::parse);
        match (contact_id, e.is_empty()) {
            (Some(id), true) => Ok(Contact {
                id,
                first_name: d.first_name,
                middle_name: d.middle_name,
                last_name: d.last_name,
                emails,
                phones: d.phones,
                address,
                date_of_birth: d.date_of_birth,
                tags,
                custom,
                created_at: Timestamp(d.created_at),
                updated_at: Timestamp(d.updated_at),
            }),
            _ => Err(e),
        }
    }
}

impl From<&Link> for LinkDto {
    fn from(l: &Link) -> Self {
        Self {
            account_id: l.account_id.to_string(),
            contact_id: l.contact_id.to_string(),
            description: l.description.clone(),
            signer_priority: l.signer_priority,
            emails: l
                .email_access
                .iter()
                .map(|a| EmailAccessDto {
                    email: a.email.clone(),
                    login: a.login,
                    notify: a.notify,
                    email_sync: a.email_sync,
                    signatory: a.signatory,
                    notify_prefs: NotifyPrefsDto {
                        messages: a.notify_prefs.messages,
                        documents: a.notify_prefs.documents,
                        organizers: a.notify_prefs.organizers,
                        invoices: a.notify_prefs.invoices,
                        signatures: a.notify_prefs.signatures,
                    },
                    invited_at: a.invited_at.map(|t| t.0),
                    activated_at: a.activated_at.map(|t| t.0),
                })
                .collect(),
        }
    }
}

impl TryFrom<LinkDto> for Link {
    type Error = ValidationErrors;
    fn try_from(d: LinkDto) -> Result<Self, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let account_id = id(&mut e, "account_id", &d.account_id, AccountId::parse);
        let contact_id = id(&mut e, "contact_id", &d.contact_id, ContactId::parse);
        text(&mut e, "description", &d.description, MAX_TEXT_CHARS);
        let mut access = Vec::new();
        for (i, a) in d.emails.into_iter().enumerate() {
            if a.email != a.email.to_lowercase() || Email::parse(&a.email).is_err() {
                e.push(
                    format!("emails[{i}].email"),
                    Problem::Bundle(B::NotLowerCaseEmail),
                );
            }
            let p = a.notify_prefs;
            access.push(EmailAccess {
                email: a.email,
                login: a.login,
                notify: a.notify,
                email_sync: a.email_sync,
                signatory: a.signatory,
                notify_prefs: NotifyPrefs {
                    messages: p.messages,
                    documents: p.documents,
                    organizers: p.organizers,
                    invoices: p.invoices,
                    signatures: p.signatures,
                },
                invited_at: a.invited_at.map(Timestamp),
                activated_at: a.activated_at.map(Timestamp),
            });
        }
        match (account_id, contact_id, e.is_empty()) {
            (Some(account_id), Some(contact_id), true) => Ok(Link {
                account_id,
                contact_id,
                description: d.description,
                signer_priority: d.signer_priority,
                email_access: access,
            }),
            _ => Err(e),
        }
    }
}

impl From<&Note> for NoteDto {
    fn from(n: &Note) -> Self {
        Self {
            id: n.id.to_string(),
            account_id: n.account_id.to_string(),
            text: n.text.clone(),
            by: n.by.clone(),
            created_at: n.created_at.0,
            updated_at: n.updated_at.0,
        }
    }
}

impl TryFrom<NoteDto> for Note {
    type Error = ValidationErrors;
    fn try_from(d: NoteDto) -> Result<Self, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let note_id = id(&mut e, "id", &d.id, NoteId::parse);
        let account_id = id(&mut e, "account_id", &d.account_id, AccountId::parse);
        if d.text.trim().is_empty() {
            e.push("text", Problem::Bundle(B::EmptyNote));
        }
        text(&mut e, "text", &d.text, MAX_NOTE_CHARS);
        line(&mut e, "by", &d.by, MAX_NAME_CHARS);
        match (note_id, account_id, e.is_empty()) {
            (Some(id), Some(account_id), true) => Ok(Note {
                id,
                account_id,
                text: d.text,
                by: d.by,
                created_at: Timestamp(d.created_at),
                updated_at: Timestamp(d.updated_at),
            }),
            _ => Err(e),
        }
    }
}

impl From<&HistoryEntry> for HistoryDto {
    fn from(h: &HistoryEntry) -> Self {
        Self {
            id: h.id.to_string(),
            account_id: h.account_id.to_string(),
            at: h.at.0,
            by: h.by.clone(),
            change: h.change.clone(),
        }
    }
}

impl TryFrom<HistoryDto> for HistoryEntry {
    type Error = ValidationErrors;
    fn try_from(d: HistoryDto) -> Result<Self, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let hid = id(&mut e, "id", &d.id, HistoryId::parse);
        let account_id = id(&mut e, "account_id", &d.account_id, AccountId::parse);
        line(&mut e, "by", &d.by, MAX_NAME_CHARS);
        match (hid, account_id, e.is_empty()) {
            (Some(id), Some(account_id), true) => Ok(HistoryEntry {
                id,
                account_id,
                at: Timestamp(d.at),
                by: d.by,
                change: d.change,
            }),
            _ => Err(e),
        }
    }
}

impl From<&Tag> for TagDto {
    fn from(t: &Tag) -> Self {
        Self {
            id: t.id.to_string(),
            name: t.name.clone(),
            color: t.color.clone(),
        }
    }
}

impl TryFrom<TagDto> for Tag {
    type Error = ValidationErrors;
    fn try_from(d: TagDto) -> Result<Self, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let tid = id(&mut e, "id", &d.id, TagId::parse);
        if d.name.trim().is_empty() {
            e.push("name", Problem::Bundle(B::NeedsName(ItemKind::Tag)));
        }
        line(&mut e, "name", &d.name, MAX_TAG_CHARS);
        if !TAG_COLORS.contains(&d.color.as_str()) {
            e.push("color", Problem::Bundle(B::TagColor(TAG_COLORS.join(", "))));
        }
        match (tid, e.is_empty()) {
            (Some(id), true) => Ok(Tag {
                id,
                name: d.name,
                color: d.color,
            }),
            _ => Err(e),
        }
    }
}

impl From<&TeamMember> for MemberDto {
    fn from(m: &TeamMember) -> Self {
        Self {
            id: m.id.to_string(),
            name: m.name.clone(),
            email: m.email.clone(),
            role: m.role.code().to_owned(),
            view_all_accounts: m.view_all_accounts,
            manage_accounts: m.manage_accounts,
        }
    }
}

impl TryFrom<MemberDto> for TeamMember {
    type Error = ValidationErrors;
    fn try_from(d: MemberDto) -> Result<Self, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let mid = id(&mut e, "id", &d.id, MemberId::parse);
        if d.name.trim().is_empty() {
            e.push("name", Problem::Bundle(B::NeedsName(ItemKind::Member)));
        }
        line(&mut e, "name", &d.name, MAX_NAME_CHARS);
        if let Err(err) = Email::parse(&d.email) {
            e.push("email", Problem::Email(err));
        }
        let role = TeamRole::from_code(&d.role);
        if role.is_none() {
            e.push("role", Problem::Bundle(B::MemberRole));
        }
        match (mid, role, e.is_empty()) {
            (Some(id), Some(role), true) => Ok(TeamMember {
                id,
                name: d.name,
                email: d.email,
                role,
                view_all_accounts: d.view_all_accounts,
                manage_accounts: d.manage_accounts,
            }),
            _ => Err(e),
        }
    }
}

impl From<&AccountRole> for RoleDto {
    fn from(r: &AccountRole) -> Self {
        Self {
            id: r.id.to_string(),
            name: r.name.clone(),
        }
    }
}

impl TryFrom<RoleDto> for AccountRole {
    type Error = ValidationErrors;
    fn try_from(d: RoleDto) -> Result<Self, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let rid = id(&mut e, "id", &d.id, RoleId::parse);
        if d.name.trim().is_empty() {
            e.push("name", Problem::Bundle(B::NeedsName(ItemKind::Role)));
        }
        line(&mut e, "name", &d.name, MAX_NAME_CHARS);
        match (rid, e.is_empty()) {
            (Some(id), true) => Ok(AccountRole { id, name: d.name }),
            _ => Err(e),
        }
    }
}

impl From<&FieldDef> for FieldDto {
    fn from(f: &FieldDef) -> Self {
        Self {
            id: f.id.to_string(),
            target: match f.target {
                FieldTarget::Account => "account",
                FieldTarget::Contact => "contact",
            }
            .to_owned(),
            label: f.label.clone(),
            kind: f.kind.code().to_owned(),
            options: match &f.kind {
                FieldKind::Dropdown(o) => o.clone(),
                _ => Vec::new(),
            },
        }
    }
}

impl TryFrom<FieldDto> for FieldDef {
    type Error = ValidationErrors;
    fn try_from(d: FieldDto) -> Result<Self, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let fid = id(&mut e, "id", &d.id, FieldId::parse);
        let target = match d.target.as_str() {
            "account" => Some(FieldTarget::Account),
            "contact" => Some(FieldTarget::Contact),
            _ => {
                e.push("target", Problem::Bundle(B::FieldTarget));
                None
            }
        };
        if d.label.trim().is_empty() {
            e.push("label", Problem::Bundle(B::FieldNeedsLabel));
        }
        line(&mut e, "label", &d.label, MAX_NAME_CHARS);
        for (i, o) in d.options.iter().enumerate() {
            line(&mut e, &format!("options[{i}]"), o, MAX_NAME_CHARS);
        }
        let is_dropdown = d.kind == "dropdown";
        if is_dropdown && d.options.is_empty() {
            e.push("options", Problem::Bundle(B::NeedsOption));
        }
        if !is_dropdown && !d.options.is_empty() {
            e.push("options", Problem::Bundle(B::OnlyDropdownOptions));
        }
        let kind = FieldKind::from_code(&d.kind, d.options);
        if kind.is_none() {
            e.push("kind", Problem::Bundle(B::FieldKind));
        }
        match (fid, target, kind, e.is_empty()) {
            (Some(id), Some(target), Some(kind), true) => Ok(FieldDef {
                id,
                target,
                label: d.label,
                kind,
            }),
            _ => Err(e),
        }
    }
}

impl From<&FolderTemplate> for TemplateDto {
    fn from(t: &FolderTemplate) -> Self {
        Self {
            id: t.id.to_string(),
            name: t.name.clone(),
            folders: t.folders.clone(),
        }
    }
}

impl TryFrom<TemplateDto> for FolderTemplate {
    type Error = ValidationErrors;
    fn try_from(d: TemplateDto) -> Result<Self, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let tid = id(&mut e, "id", &d.id, TemplateId::parse);
        if d.name.trim().is_empty() {
            e.push("name", Problem::Bundle(B::NeedsName(ItemKind::Template)));
        }
        line(&mut e, "name", &d.name, MAX_NAME_CHARS);
        if d.folders.is_empty() {
            e.push("folders", Problem::Bundle(B::NeedsFolder));
        }
        for (i, f) in d.folders.iter().enumerate() {
            line(&mut e, &format!("folders[{i}]"), f, MAX_NAME_CHARS);
        }
        match (tid, e.is_empty()) {
            (Some(id), true) => Ok(FolderTemplate {
                id,
                name: d.name,
                folders: d.folders,
            }),
            _ => Err(e),
        }
    }
}

/// The catalog as the bundle carries it: one list per kind.
pub fn catalog_dto(items: &[CatalogItem]) -> CatalogDto {
    let mut c = CatalogDto::default();
    for item in items {
        match item {
            CatalogItem::Tag(t) => c.tags.push(t.into()),
            CatalogItem::Member(m) => c.members.push(m.into()),
            CatalogItem::Role(r) => c.roles.push(r.into()),
            CatalogItem::Field(f) => c.fields.push(f.into()),
            CatalogItem::Template(t) => c.templates.push(t.into()),
        }
    }
    c
}

/// Whether a string is an id (re-exported for the validator).
pub fn looks_like_id(s: &str) -> bool {
    is_id(s)
}
