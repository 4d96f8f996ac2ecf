//! The practice's own lists, managed in Settings: tags, team members, account
//! roles, custom field definitions and folder templates.

use super::account::{Account, RoleAssignment};
use super::contact::Contact;
use super::ids::{FieldId, MemberId, RoleId, TagId, TemplateId};
use super::search::normalize;
use super::validation::{text_field, ItemKind, Label, LineKind, Problem, ValidationErrors, MAX_NAME_CHARS};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Colours a tag can have (names are the CSS class suffixes).
pub const TAG_COLORS: [&str; 8] = ["blue", "green", "amber", "red", "purple", "teal", "pink", "grey"];

/// Longest tag name: tags are short labels.
pub const MAX_TAG_CHARS: usize = 40;

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Tag {
    pub id: TagId,
    pub name: String,
    /// One of [`TAG_COLORS`].
    pub color: String,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TeamRole {
    Owner,
    Admin,
    #[default]
    Employee,
}

impl TeamRole {
    pub const ALL: [TeamRole; 3] = [Self::Owner, Self::Admin, Self::Employee];
    pub fn code(self) -> &'static str {
        match self {
            Self::Owner => "owner",
            Self::Admin => "admin",
            Self::Employee => "employee",
        }
    }
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TeamMember {
    pub id: MemberId,
    pub name: String,
    pub email: String,
    pub role: TeamRole,
    /// Employees only: may see every account, not just assigned ones.
    #[serde(default)]
    pub view_all_accounts: bool,
    /// Employees only: may edit accounts they can see.
    #[serde(default)]
    pub manage_accounts: bool,
}

impl TeamMember {
    /// Owners and admins see everything; an employee sees accounts assigned
    /// to them, or all of them with "view all accounts".
    pub fn sees_all(&self) -> bool {
        self.role != TeamRole::Employee || self.view_all_accounts
    }
    pub fn can_manage(&self) -> bool {
        self.role != TeamRole::Employee || self.manage_accounts
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AccountRole {
    pub id: RoleId,
    pub name: String,
}

/// Which records a custom field belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FieldTarget {
    Account,
    Contact,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FieldKind {
    Text,
    Number,
    Date,
    YesNo,
    Dropdown(Vec<String>),
    Email,
    Phone,
}

impl FieldKind {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Number => "number",
            Self::Date => "date",
            Self::YesNo => "yesno",
            Self::Dropdown(_) => "dropdown",
            Self::Email => "email",
            Self::Phone => "phone",
        }
    }
    /// Codes of every kind, for pickers.
    pub const CODES: [&'static str; 7] = ["text", "number", "date", "yesno", "dropdown", "email", "phone"];
    pub fn from_code(code: &str, options: Vec<String>) -> Option<Self> {
        Some(match code {
            "text" => Self::Text,
            "number" => Self::Number,
            "date" => Self::Date,
            "yesno" => Self::YesNo,
            "dropdown" => Self::Dropdown(options),
            "email" => Self::Email,
            "phone" => Self::Phone,
            _ => return None,
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FieldDef {
    pub id: FieldId,
    pub target: FieldTarget,
    pub label: String,
    pub kind: FieldKind,
}

impl FieldDef {
    /// Checks and normalises a typed value. Empty means "not set" and is
    /// always accepted. Returns the value to store.
    pub fn check_value(&self, raw: &str) -> Result<String, Problem> {
        let label = || Label::Custom(self.label.clone());
        let v = raw.trim();
        if v.is_empty() {
            return Ok(String::new());
        }
        match &self.kind {
            FieldKind::Text => Ok(v.to_owned()),
            FieldKind::Number => {
                let normalised = v.replace([' ', '\u{a0}'], "").replace(',', ".");
                normalised
                    .parse::<f64>()
                    .ok()
                    .filter(|n| n.is_finite())
                    .map(|_| normalised)
                    .ok_or_else(|| Problem::NotANumber(label()))
            }
            FieldKind::Date => super::time::parse_date(v)
                .map(|_| v.to_owned())
                .ok_or_else(|| Problem::NotADate(label())),
            FieldKind::YesNo => match v {
                "yes" | "no" => Ok(v.to_owned()),
                _ => Err(Problem::NotYesNo(label())),
            },
            FieldKind::Dropdown(options) => options
                .iter()
                .find(|o| o.as_str() == v)
                .cloned()
                .ok_or_else(|| Problem::NotAnOption(label(), options.clone())),
            FieldKind::Email => super::email::Email::parse(v)
                .map(|e| e.to_string())
                .map_err(|e| Problem::EmailField(label(), e)),
            FieldKind::Phone => {
                if v.chars().all(|c| c.is_ascii_digit() || " +-()./".contains(c))
                    && v.chars().any(|c| c.is_ascii_digit())
                {
                    Ok(v.to_owned())
                } else {
                    Err(Problem::NotAPhone(label()))
                }
            }
        }
    }
}

/// The name of the folder every account gets when no template is chosen.
pub const DEFAULT_FOLDER: &str = "Client uploaded documents";

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FolderTemplate {
    pub id: TemplateId,
    pub name: String,
    /// Top-level folders, in order.
    pub folders: Vec<String>,
}

/// One item of the catalog, as stored: `{"item": "Tag", "id": ..., ...}`.
/// Read in one pass (see the `Deserialize` below), written by serde's
/// internally tagged form.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "item")]
pub enum CatalogItem {
    Tag(Tag),
    Member(TeamMember),
    Role(AccountRole),
    Field(FieldDef),
    Template(FolderTemplate),
}

/// Reads the stored form in one pass: every field any kind of item has,
/// then the kind's own. (serde's derive for an internally tagged enum
/// buffers the record first and compiles a second reader of every item
/// type for the buffer: about 20 KB of wasm.)
impl<'de> Deserialize<'de> for CatalogItem {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::{value::StringDeserializer, Error};
        #[derive(Deserialize)]
        enum Item {
            Tag,
            Member,
            Role,
            Field,
            Template,
        }
        /// Every field any kind of item has; each kind takes its own.
        #[derive(Deserialize)]
        struct Fields {
            item: Item,
            id: Option<String>,
            name: Option<String>,
            color: Option<String>,
            email: Option<String>,
            role: Option<TeamRole>,
            view_all_accounts: Option<bool>,
            manage_accounts: Option<bool>,
            target: Option<FieldTarget>,
            label: Option<String>,
            kind: Option<FieldKind>,
            folders: Option<Vec<String>>,
        }
        fn need<T, E: Error>(value: Option<T>, name: &'static str) -> Result<T, E> {
            value.ok_or_else(|| E::missing_field(name))
        }
        fn id<T: serde::de::DeserializeOwned, E: Error>(value: Option<String>) -> Result<T, E> {
            T::deserialize(StringDeserializer::<E>::new(need(value, "id")?))
        }
        let f = Fields::deserialize(deserializer)?;
        Ok(match f.item {
            Item::Tag => CatalogItem::Tag(Tag {
                id: id(f.id)?,
                name: need(f.name, "name")?,
                color: need(f.color, "color")?,
            }),
            Item::Member => CatalogItem::Member(TeamMember {
                id: id(f.id)?,
                name: need(f.name, "name")?,
                email: need(f.email, "email")?,
                role: need(f.role, "role")?,
                view_all_accounts: f.view_all_accounts.unwrap_or_default(),
                manage_accounts: f.manage_accounts.unwrap_or_default(),
            }),
            Item::Role => CatalogItem::Role(AccountRole {
                id: id(f.id)?,
                name: need(f.name, "name")?,
            }),
            Item::Field => CatalogItem::Field(FieldDef {
                id: id(f.id)?,
                target: need(f.target, "target")?,
                label: need(f.label, "label")?,
                kind: need(f.kind, "kind")?,
            }),
            Item::Template => CatalogItem::Template(FolderTemplate {
                id: id(f.id)?,
                name: need(f.name, "name")?,
                folders: need(f.folders, "folders")?,
            }),
        })
    }
}

impl CatalogItem {
    /// The item's id, as a string (ids are unique across kinds).
    pub fn id(&self) -> &str {
        match self {
            Self::Tag(t) => t.id.as_str(),
            Self::Member(m) => m.id.as_str(),
            Self::Role(r) => r.id.as_str(),
            Self::Field(f) => f.id.as_str(),
            Self::Template(t) => t.id.as_str(),
        }
    }
}

/// Everything in Settings, loaded together (it is small).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Catalog {
    pub tags: Vec<Tag>,
    pub members: Vec<TeamMember>,
    pub roles: Vec<AccountRole>,
    pub fields: Vec<FieldDef>,
    pub templates: Vec<FolderTemplate>,
}

impl Catalog {
    pub fn from_items(items: impl IntoIterator<Item = CatalogItem>) -> Self {
        let mut c = Catalog::default();
        for item in items {
            match item {
                CatalogItem::Tag(t) => c.tags.push(t),
                CatalogItem::Member(m) => c.members.push(m),
                CatalogItem::Role(r) => c.roles.push(r),
                CatalogItem::Field(f) => c.fields.push(f),
                CatalogItem::Template(t) => c.templates.push(t),
            }
        }
        use super::sort::sort_by_key;
        sort_by_key(&mut c.tags, |t| normalize(&t.name));
        sort_by_key(&mut c.members, |m| {
            (m.role != TeamRole::Owner, normalize(&m.name))
        });
        sort_by_key(&mut c.roles, |r| normalize(&r.name));
        sort_by_key(&mut c.fields, |f| {
            (f.target == FieldTarget::Contact, normalize(&f.label))
        });
        sort_by_key(&mut c.templates, |t| normalize(&t.name));
        c
    }
    pub fn tag(&self, id: &TagId) -> Option<&Tag> {
        self.tags.iter().find(|t| &t.id == id)
    }
    pub fn member(&self, id: &MemberId) -> Option<&TeamMember> {
        self.members.iter().find(|m| &m.id == id)
    }
    pub fn role(&self, id: &RoleId) -> Option<&AccountRole> {
        self.roles.iter().find(|r| &r.id == id)
    }
    pub fn field(&self, id: &FieldId) -> Option<&FieldDef> {
        self.fields.iter().find(|f| &f.id == id)
    }
    pub fn template(&self, id: &TemplateId) -> Option<&FolderTemplate> {
        self.templates.iter().find(|t| &t.id == id)
    }
    pub fn fields_for(&self, target: FieldTarget) -> impl Iterator<Item = &FieldDef> {
        self.fields.iter().filter(move |f| f.target == target)
    }
    /// The chosen tags that exist, in catalog order.
    pub fn known_tags(&self, chosen: &[TagId]) -> Vec<TagId> {
        self.tags
            .iter()
            .filter(|t| chosen.contains(&t.id))
            .map(|t| t.id.clone())
            .collect()
    }

    /// Checks typed custom values of `target`'s fields; returns the values to
    /// store (empty ones left out). Problems go under `<prefix>custom.<id>`.
    pub fn check_custom(
        &self,
        errors: &mut ValidationErrors,
        prefix: &str,
        target: FieldTarget,
        raw: &BTreeMap<FieldId, String>,
    ) -> BTreeMap<FieldId, String> {
        let mut values = BTreeMap::new();
        for def in self.fields_for(target) {
            match def.check_value(raw.get(&def.id).map(String::as_str).unwrap_or("")) {
                Ok(v) if v.is_empty() => {}
                Ok(v) => {
                    values.insert(def.id.clone(), v);
                }
                Err(problem) => errors.push(format!("{prefix}custom.{}", def.id), problem),
            }
        }
        values
    }

    /// The practice owner (the practitioner), if one is set up.
    pub fn owner(&self) -> Option<&TeamMember> {
        self.members.iter().find(|m| m.role == TeamRole::Owner)
    }
    /// The folders an account with this template gets.
    pub fn folders(&self, template: Option<&TemplateId>) -> Vec<String> {
        template
            .and_then(|t| self.template(t))
            .map(|t| t.folders.clone())
            .unwrap_or_else(|| vec![DEFAULT_FOLDER.to_owned()])
    }

    /// Checks an item about to be saved against the rest of the catalog
    /// (names unique, case- and accent-insensitively; required fields).
    pub fn check(&self, item: &CatalogItem) -> ValidationErrors {
        let mut e = ValidationErrors::default();
        let clash = |existing: &mut dyn Iterator<Item = (&str, &str)>, name: &str| {
            let key = normalize(name);
            existing
                .filter(|(id, n)| *id != item.id() && normalize(n) == key)
                .count()
                > 0
        };
        match item {
            CatalogItem::Tag(t) => {
                let name = text_field(&mut e, "name", Label::TagName, &t.name, true);
                if name.chars().count() > MAX_TAG_CHARS {
                    e.push("name", Problem::TooLong(Label::TagName, MAX_TAG_CHARS));
                }
                if !TAG_COLORS.contains(&t.color.as_str()) {
                    e.push("color", Problem::TagColor);
                }
                if clash(
                    &mut self.tags.iter().map(|x| (x.id.as_str(), x.name.as_str())),
                    &name,
                ) {
                    e.push("name", Problem::NameTaken(ItemKind::Tag, name));
                }
            }
            CatalogItem::Member(m) => {
                text_field(&mut e, "name", Label::MemberName, &m.name, true);
                if let Err(err) = super::email::Email::parse(&m.email) {
                    e.push("email", Problem::Email(err));
                } else if self
                    .members
                    .iter()
                    .any(|x| x.id != m.id && x.email.eq_ignore_ascii_case(m.email.trim()))
                {
                    e.push("email", Problem::MemberEmailTaken);
                }
                if m.role == TeamRole::Owner
                    && self
                        .members
                        .iter()
                        .any(|x| x.id != m.id && x.role == TeamRole::Owner)
                {
                    e.push("role", Problem::OwnerExists);
                }
                if m.role != TeamRole::Owner
                    && self
                        .members
                        .iter()
                        .any(|x| x.id == m.id && x.role == TeamRole::Owner)
                {
                    e.push("role", Problem::OwnerStays);
                }
            }
            CatalogItem::Role(r) => {
                let name = text_field(&mut e, "name", Label::RoleName, &r.name, true);
                if clash(
                    &mut self.roles.iter().map(|x| (x.id.as_str(), x.name.as_str())),
                    &name,
                ) {
                    e.push("name", Problem::NameTaken(ItemKind::Role, name));
                }
            }
            CatalogItem::Field(f) => {
                let label = text_field(&mut e, "label", Label::FieldName, &f.label, true);
                let same_target = self.fields.iter().filter(|x| x.target == f.target);
                if clash(
                    &mut same_target.map(|x| (x.id.as_str(), x.label.as_str())),
                    &label,
                ) {
                    e.push("label", Problem::NameTaken(ItemKind::Field, label));
                }
                if let FieldKind::Dropdown(options) = &f.kind {
                    if options.iter().all(|o| o.trim().is_empty()) {
                        e.push("options", Problem::NeedsOption);
                    }
                    check_lines(&mut e, "options", LineKind::Option, options);
                }
            }
            CatalogItem::Template(t) => {
                let name = text_field(&mut e, "name", Label::TemplateName, &t.name, true);
                if t.folders.iter().all(|f| f.trim().is_empty()) {
                    e.push("folders", Problem::NeedsFolder);
                }
                check_lines(&mut e, "folders", LineKind::Folder, &t.folders);
                for f in &t.folders {
                    if let Some(c) = f
                        .chars()
                        .find(|c| super::account::FORBIDDEN_NAME_CHARS.contains(c))
                    {
                        e.push("folders", Problem::FolderChar(c));
                    }
                }
                if clash(
                    &mut self.templates.iter().map(|x| (x.id.as_str(), x.name.as_str())),
                    &name,
                ) {
                    e.push("name", Problem::NameTaken(ItemKind::Template, name));
                }
            }
        }
        e
    }
}

/// Checks the lines of a list (dropdown options, template folders): each one
/// a plain, not too long line, none listed twice (ignoring case and accents).
/// Blank lines are ignored (they are dropped before saving).
fn check_lines(e: &mut ValidationErrors, field: &str, what: LineKind, lines: &[String]) {
    let mut seen = Vec::new();
    for line in lines.iter().map(|l| l.trim()).filter(|l| !l.is_empty()) {
        if line.chars().count() > MAX_NAME_CHARS {
            e.push(field, Problem::LineTooLong(what, line.to_owned(), MAX_NAME_CHARS));
        } else if line.chars().any(char::is_control) {
            e.push(field, Problem::LineControlChar(what, line.to_owned()));
        }
        let key = normalize(line);
        if seen.contains(&key) {
            e.push(field, Problem::LineTwice(what, line.to_owned()));
        } else {
            seen.push(key);
        }
    }
}

/// Trims every line and drops the blank ones.
fn tidy_lines(lines: Vec<String>) -> Vec<String> {
    lines
        .into_iter()
        .map(|l| l.trim().to_owned())
        .filter(|l| !l.is_empty())
        .collect()
}

impl CatalogItem {
    /// The item as it is stored: names and emails trimmed, blank dropdown
    /// options and folder lines dropped. Apply before [`Catalog::check`].
    pub fn tidied(self) -> Self {
        match self {
            Self::Tag(t) => Self::Tag(Tag {
                name: t.name.trim().to_owned(),
                ..t
            }),
            Self::Member(m) => {
                let employee = m.role == TeamRole::Employee;
                Self::Member(TeamMember {
                    name: m.name.trim().to_owned(),
                    email: m.email.trim().to_owned(),
                    // The switches only mean something for employees.
                    view_all_accounts: employee && m.view_all_accounts,
                    manage_accounts: employee && m.manage_accounts,
                    ..m
                })
            }
            Self::Role(r) => Self::Role(AccountRole {
                name: r.name.trim().to_owned(),
                ..r
            }),
            Self::Field(f) => Self::Field(FieldDef {
                label: f.label.trim().to_owned(),
                kind: match f.kind {
                    FieldKind::Dropdown(options) => FieldKind::Dropdown(tidy_lines(options)),
                    other => other,
                },
                ..f
            }),
            Self::Template(t) => Self::Template(FolderTemplate {
                name: t.name.trim().to_owned(),
                folders: tidy_lines(t.folders),
                ..t
            }),
        }
    }

    /// The name the practitioner knows the item by.
    pub fn name(&self) -> &str {
        match self {
            Self::Tag(t) => &t.name,
            Self::Member(m) => &m.name,
            Self::Role(r) => &r.name,
            Self::Field(f) => &f.label,
            Self::Template(t) => &t.name,
        }
    }

    /// What kind of item this is.
    pub fn kind(&self) -> ItemKind {
        match self {
            Self::Tag(_) => ItemKind::Tag,
            Self::Member(_) => ItemKind::Member,
            Self::Role(_) => ItemKind::Role,
            Self::Field(_) => ItemKind::Field,
            Self::Template(_) => ItemKind::Template,
        }
    }
}

/// How many records use a catalog item: the ones deleting it would change.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Uses {
    pub accounts: usize,
    pub contacts: usize,
}

impl Uses {
    pub fn is_none(&self) -> bool {
        self.accounts == 0 && self.contacts == 0
    }
}

/// What an account or a contact uses of the catalog, and nothing else: all
/// Settings needs of every record to count uses. It reads a stored account
/// or contact as it is (the same field names, every one optional; a contact
/// has no team, roles or template), so counting never builds whole records.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct Refs {
    #[serde(default)]
    pub tags: Vec<TagId>,
    #[serde(default)]
    pub team: Vec<MemberId>,
    #[serde(default)]
    pub roles: Vec<RoleAssignment>,
    #[serde(default)]
    pub custom: BTreeMap<FieldId, String>,
    #[serde(default)]
    pub folder_template: Option<TemplateId>,
}

impl Refs {
    pub fn of_account(a: &Account) -> Self {
        Self {
            tags: a.tags.clone(),
            team: a.team.clone(),
            roles: a.roles.clone(),
            custom: a.custom.clone(),
            folder_template: a.folder_template.clone(),
        }
    }

    pub fn of_contact(c: &Contact) -> Self {
        Self {
            tags: c.tags.clone(),
            custom: c.custom.clone(),
            ..Self::default()
        }
    }

    /// The ids of the catalog items used, each once.
    fn ids(&self) -> BTreeSet<&str> {
        let mut ids: BTreeSet<&str> = BTreeSet::new();
        ids.extend(self.tags.iter().map(|t| t.as_str()));
        ids.extend(self.team.iter().map(|m| m.as_str()));
        for r in &self.roles {
            ids.insert(r.role.as_str());
            ids.insert(r.member.as_str());
        }
        ids.extend(
            self.custom
                .iter()
                .filter(|(_, v)| !v.trim().is_empty())
                .map(|(f, _)| f.as_str()),
        );
        ids.extend(self.folder_template.as_ref().map(|t| t.as_str()));
        ids
    }
}

/// For every catalog item in use, how many accounts and contacts use it
/// (keyed by the item's id). Items nobody uses are absent.
pub fn uses<'a>(
    accounts: impl IntoIterator<Item = &'a Refs>,
    contacts: impl IntoIterator<Item = &'a Refs>,
) -> BTreeMap<String, Uses> {
    let mut out: BTreeMap<String, Uses> = BTreeMap::new();
    for a in accounts {
        for id in a.ids() {
            out.entry(id.to_owned()).or_default().accounts += 1;
        }
    }
    for c in contacts {
        for id in c.ids() {
            out.entry(id.to_owned()).or_default().contacts += 1;
        }
    }
    out
}

/// The values stored for a custom field, with how many records have each
/// (to see which dropdown options are in use).
pub fn field_values<'a>(
    field: &FieldId,
    accounts: impl IntoIterator<Item = &'a Refs>,
    contacts: impl IntoIterator<Item = &'a Refs>,
) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    let account_values = accounts.into_iter().filter_map(|a| a.custom.get(field));
    let contact_values = contacts.into_iter().filter_map(|c| c.custom.get(field));
    for v in account_values.chain(contact_values) {
        if !v.trim().is_empty() {
            *out.entry(v.clone()).or_insert(0) += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::{IdSource, SeededIds};

    fn def(kind: FieldKind) -> FieldDef {
        FieldDef {
            id: SeededIds::new(1).id(),
            target: FieldTarget::Account,
            label: "Value".into(),
            kind,
        }
    }

    /// The one-pass reader reads exactly what the derived writer writes,
    /// for every kind, and refuses what serde's internally tagged form
    /// refused (no kind, an unknown kind, a missing field).
    #[test]
    fn catalog_items_read_back_what_is_written() {
        let mut ids = SeededIds::new(7);
        let items = [
            CatalogItem::Tag(Tag {
                id: ids.id(),
                name: "VIP".into(),
                color: "teal".into(),
            }),
            CatalogItem::Member(TeamMember {
                id: ids.id(),
                name: "Ana Pop".into(),
                email: "ana@example.com".into(),
                role: TeamRole::Employee,
                view_all_accounts: true,
                manage_accounts: false,
            }),
            CatalogItem::Role(AccountRole {
                id: ids.id(),
                name: "Preparer".into(),
            }),
            CatalogItem::Field(def(FieldKind::Dropdown(vec!["a".into(), "b".into()]))),
            CatalogItem::Field(def(FieldKind::YesNo)),
            CatalogItem::Template(FolderTemplate {
                id: ids.id(),
                name: "Individual".into(),
                folders: vec!["Taxes".into(), "Payroll".into()],
            }),
        ];
        for item in items {
            let json = serde_json::to_string(&item).unwrap();
            assert_eq!(
                serde_json::from_str::<CatalogItem>(&json).unwrap(),
                item,
                "{json}"
            );
            let value = serde_json::to_value(&item).unwrap();
            assert_eq!(serde_json::from_value::<CatalogItem>(value).unwrap(), item);
        }
        let id = "0123456789abcdef0123456789abcdef";
        // The two permissions were added later: absent means false.
        let old =
            format!(r#"{{"item":"Member","id":"{id}","name":"B","email":"b@example.com","role":"Admin"}}"#);
        match serde_json::from_str::<CatalogItem>(&old).unwrap() {
            CatalogItem::Member(m) => assert!(!m.view_all_accounts && !m.manage_accounts),
            other => panic!("{other:?}"),
        }
        let err = |json: &str| serde_json::from_str::<CatalogItem>(json).unwrap_err().to_string();
        assert!(err(&format!(r#"{{"id":"{id}","name":"x"}}"#)).starts_with("missing field `item`"));
        assert!(err(&format!(r#"{{"item":"Folder","id":"{id}"}}"#)).starts_with("unknown variant `Folder`"));
        assert!(err(r#"{"item":"Role","name":"x"}"#).starts_with("missing field `id`"));
        assert!(
            err(&format!(r#"{{"item":"Tag","id":"{id}","name":"x"}}"#)).starts_with("missing field `color`")
        );
    }

    #[test]
    fn custom_field_values_are_checked_by_kind() {
        assert_eq!(
            def(FieldKind::Number).check_value(" 1 234,50 "),
            Ok("1234.50".into())
        );
        assert!(def(FieldKind::Number).check_value("lots").is_err());
        assert_eq!(
            def(FieldKind::Date).check_value("2024-02-29"),
            Ok("2024-02-29".into())
        );
        assert!(def(FieldKind::Date).check_value("2023-02-29").is_err());
        assert!(def(FieldKind::YesNo).check_value("maybe").is_err());
        let dd = def(FieldKind::Dropdown(vec!["Monthly".into(), "Yearly".into()]));
        assert_eq!(dd.check_value("Yearly"), Ok("Yearly".into()));
        assert_eq!(
            dd.check_value("Weekly"),
            Err(Problem::NotAnOption(
                Label::Custom("Value".into()),
                vec!["Monthly".into(), "Yearly".into()]
            ))
        );
        assert!(def(FieldKind::Email).check_value("x@").is_err());
        assert_eq!(
            def(FieldKind::Phone).check_value("+40 (21) 123-4567"),
            Ok("+40 (21) 123-4567".into())
        );
        assert!(def(FieldKind::Phone).check_value("call me").is_err());
        assert_eq!(def(FieldKind::Text).check_value("   "), Ok(String::new()));
    }

    #[test]
    fn visibility_rules() {
        let mut m = TeamMember {
            id: SeededIds::new(2).id(),
            name: "Ann".into(),
            email: "ann@firm.example".into(),
            role: TeamRole::Employee,
            view_all_accounts: false,
            manage_accounts: false,
        };
        assert!(!m.sees_all() && !m.can_manage());
        m.view_all_accounts = true;
        assert!(m.sees_all());
        m.role = TeamRole::Admin;
        m.view_all_accounts = false;
        assert!(m.sees_all() && m.can_manage());
    }

    #[test]
    fn names_are_unique_ignoring_case_and_accents() {
        let mut ids = SeededIds::new(3);
        let tag = Tag {
            id: ids.id(),
            name: "Prioritär".into(),
            color: "red".into(),
        };
        let catalog = Catalog::from_items([CatalogItem::Tag(tag.clone())]);
        let same = CatalogItem::Tag(Tag {
            id: ids.id(),
            name: "PRIORITAR".into(),
            color: "blue".into(),
        });
        assert!(catalog.check(&same).for_field("name").is_some());
        // Saving the tag itself again is fine.
        assert!(catalog.check(&CatalogItem::Tag(tag)).is_empty());
        let bad = CatalogItem::Tag(Tag {
            id: ids.id(),
            name: " ".into(),
            color: "mauve".into(),
        });
        let e = catalog.check(&bad);
        assert!(e.for_field("name").is_some() && e.for_field("color").is_some());
    }

    #[test]
    fn one_owner_only() {
        let mut ids = SeededIds::new(4);
        let owner = TeamMember {
            id: ids.id(),
            name: "Olga".into(),
            email: "olga@firm.example".into(),
            role: TeamRole::Owner,
            view_all_accounts: true,
            manage_accounts: true,
        };
        let catalog = Catalog::from_items([CatalogItem::Member(owner.clone())]);
        let second = TeamMember {
            id: ids.id(),
            email: "x@firm.example".into(),
            ..owner.clone()
        };
        assert!(catalog
            .check(&CatalogItem::Member(second))
            .for_field("role")
            .is_some());
        let demoted = TeamMember {
            role: TeamRole::Admin,
            ..owner
        };
        assert!(catalog
            .check(&CatalogItem::Member(demoted))
            .for_field("role")
            .is_some());
    }

    #[test]
    fn default_folder_without_template() {
        assert_eq!(Catalog::default().folders(None), vec![DEFAULT_FOLDER.to_owned()]);
    }

    #[test]
    fn tidied_items_are_trimmed_and_blank_lines_dropped() {
        let mut ids = SeededIds::new(5);
        let field = CatalogItem::Field(FieldDef {
            id: ids.id(),
            target: FieldTarget::Account,
            label: "  Billing  ".into(),
            kind: FieldKind::Dropdown(vec![" Monthly ".into(), "".into(), "  ".into(), "Yearly".into()]),
        })
        .tidied();
        let CatalogItem::Field(f) = &field else {
            panic!("still a field")
        };
        assert_eq!(f.label, "Billing");
        assert_eq!(
            f.kind,
            FieldKind::Dropdown(vec!["Monthly".into(), "Yearly".into()])
        );
        let member = CatalogItem::Member(TeamMember {
            id: ids.id(),
            name: " Ann ".into(),
            email: " ann@firm.example ".into(),
            role: TeamRole::Admin,
            view_all_accounts: true,
            manage_accounts: true,
        })
        .tidied();
        let CatalogItem::Member(m) = &member else {
            panic!("still a member")
        };
        assert_eq!((m.name.as_str(), m.email.as_str()), ("Ann", "ann@firm.example"));
        assert!(
            !m.view_all_accounts && !m.manage_accounts,
            "switches are for employees"
        );
        assert_eq!(member.name(), "Ann");
        assert_eq!(member.kind(), ItemKind::Member);
        let empty = CatalogItem::Template(FolderTemplate {
            id: ids.id(),
            name: "Tax".into(),
            folders: vec![" ".into()],
        })
        .tidied();
        assert!(Catalog::default().check(&empty).for_field("folders").is_some());
    }

    #[test]
    fn options_and_folders_are_plain_and_listed_once() {
        let mut ids = SeededIds::new(6);
        let dropdown = CatalogItem::Field(FieldDef {
            id: ids.id(),
            target: FieldTarget::Contact,
            label: "Frequency".into(),
            kind: FieldKind::Dropdown(vec!["Monthly".into(), "MONTHLY".into()]),
        });
        let e = Catalog::default().check(&dropdown);
        assert_eq!(
            e.for_field("options"),
            Some(&Problem::LineTwice(LineKind::Option, "MONTHLY".into()))
        );
        let template = CatalogItem::Template(FolderTemplate {
            id: ids.id(),
            name: "Payroll".into(),
            folders: vec!["Pay\tslips".into(), "Bank".into(), "Bänk".into(), "a/b".into()],
        });
        let e = Catalog::default().check(&template);
        let problems: Vec<&Problem> = e.0.iter().map(|x| &x.problem).collect();
        assert!(problems.contains(&&Problem::LineControlChar(LineKind::Folder, "Pay\tslips".into())));
        assert!(problems.contains(&&Problem::LineTwice(LineKind::Folder, "Bänk".into())));
        assert!(problems.contains(&&Problem::FolderChar('/')));
        let fine = CatalogItem::Template(FolderTemplate {
            id: ids.id(),
            name: "Payroll".into(),
            folders: vec!["Payslips".into(), "Bank statements".into()],
        });
        assert!(Catalog::default().check(&fine).is_empty());
    }

    #[test]
    fn fields_are_listed_by_target_then_label() {
        let mut ids = SeededIds::new(7);
        let field = |target, label: &str, ids: &mut SeededIds| {
            CatalogItem::Field(FieldDef {
                id: ids.id(),
                target,
                label: label.into(),
                kind: FieldKind::Text,
            })
        };
        let catalog = Catalog::from_items([
            field(FieldTarget::Contact, "SSN", &mut ids),
            field(FieldTarget::Account, "Zip", &mut ids),
            field(FieldTarget::Account, "ein", &mut ids),
        ]);
        let labels: Vec<&str> = catalog.fields.iter().map(|f| f.label.as_str()).collect();
        assert_eq!(labels, ["ein", "Zip", "SSN"]);
    }

    /// An account that uses nothing of the catalog.
    fn bare_account(ids: &mut SeededIds) -> Account {
        use crate::domain::account::{AccountType, Address};
        use crate::domain::time::Timestamp;
        Account {
            id: ids.id(),
            name: "A".into(),
            kind: AccountType::Individual,
            company_name: String::new(),
            address: Address::default(),
            tags: vec![],
            team: vec![],
            roles: vec![],
            custom: BTreeMap::new(),
            folder_template: None,
            has_photo: false,
            archived: false,
            created_at: Timestamp(0),
            updated_at: Timestamp(0),
        }
    }

    #[test]
    fn uses_count_every_record_once() {
        use crate::domain::account::{Address, RoleAssignment};
        use crate::domain::time::Timestamp;
        let mut ids = SeededIds::new(8);
        let (tag, member, role, field, template): (TagId, MemberId, RoleId, FieldId, TemplateId) =
            (ids.id(), ids.id(), ids.id(), ids.id(), ids.id());
        let mut a = bare_account(&mut ids);
        a.tags.push(tag.clone());
        a.team.push(member.clone());
        a.roles.push(RoleAssignment {
            role: role.clone(),
            member: member.clone(),
        });
        a.custom.insert(field.clone(), "Monthly".into());
        a.folder_template = Some(template.clone());
        let mut b = bare_account(&mut ids);
        b.custom.insert(field.clone(), "Monthly".into());
        b.tags.push(tag.clone());
        let mut c = bare_account(&mut ids);
        c.custom.insert(field.clone(), " ".into());
        let contact = Contact {
            id: ids.id(),
            first_name: "K".into(),
            middle_name: String::new(),
            last_name: "S".into(),
            emails: vec![],
            phones: vec![],
            address: Address::default(),
            date_of_birth: String::new(),
            tags: vec![tag.clone()],
            custom: BTreeMap::from([(field.clone(), "Yearly".into())]),
            created_at: Timestamp(0),
            updated_at: Timestamp(0),
        };
        let accounts: Vec<Refs> = [a, b, c].iter().map(Refs::of_account).collect();
        let contact = Refs::of_contact(&contact);
        let found = uses(&accounts, [&contact]);
        let of = |id: &str| found.get(id).copied().unwrap_or_default();
        assert_eq!(
            of(tag.as_str()),
            Uses {
                accounts: 2,
                contacts: 1
            }
        );
        assert_eq!(
            of(member.as_str()),
            Uses {
                accounts: 1,
                contacts: 0
            },
            "team and role count once"
        );
        assert_eq!(
            of(role.as_str()),
            Uses {
                accounts: 1,
                contacts: 0
            }
        );
        assert_eq!(
            of(field.as_str()),
            Uses {
                accounts: 2,
                contacts: 1
            }
        );
        assert_eq!(of(template.as_str()).accounts, 1);
        assert!(of("nothing").is_none());
        assert_eq!(
            field_values(&field, &accounts, [&contact]),
            BTreeMap::from([("Monthly".to_owned(), 2), ("Yearly".to_owned(), 1)])
        );
    }

    #[test]
    fn refs_read_from_a_stored_account_or_contact_are_what_it_uses() {
        let mut ids = SeededIds::new(9);
        let mut a = bare_account(&mut ids);
        a.tags.push(ids.id());
        a.team.push(ids.id());
        a.roles.push(crate::domain::account::RoleAssignment {
            role: ids.id(),
            member: ids.id(),
        });
        a.custom.insert(ids.id(), "Monthly".into());
        a.folder_template = Some(ids.id());
        let json = serde_json::to_string(&a).unwrap();
        let read: Refs = serde_json::from_str(&json).unwrap();
        assert_eq!(read, Refs::of_account(&a));
        // Tag, team member, role and its member, field, template.
        assert_eq!(read.ids().len(), 6);
        // A contact's record has none of an account's references.
        let contact = r#"{"id":"c1","first_name":"K","last_name":"S","tags":["t1"],"custom":{"f1":"x"},"emails":[],"created_at":0,"updated_at":0}"#;
        let read: Refs = serde_json::from_str(contact).unwrap();
        assert_eq!(read.tags.len(), 1);
        assert!(read.team.is_empty() && read.roles.is_empty() && read.folder_template.is_none());
    }
}
