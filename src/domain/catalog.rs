//! The practice's own lists, managed in Settings: tags, team members, account
//! roles, custom field definitions and folder templates.

use super::ids::{FieldId, MemberId, RoleId, TagId, TemplateId};
use super::search::normalize;
use super::validation::{text_field, ValidationErrors};
use serde::{Deserialize, Serialize};

/// Colours a tag can have (names are the CSS class suffixes).
pub const TAG_COLORS: [&str; 8] = ["blue", "green", "amber", "red", "purple", "teal", "pink", "grey"];

/// Longest tag name: tags are short labels.
pub const MAX_TAG_CHARS: usize = 40;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
    pub fn label(self) -> &'static str {
        match self {
            Self::Owner => "Owner",
            Self::Admin => "Admin",
            Self::Employee => "Employee",
        }
    }
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

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
    pub fn label(&self) -> &'static str {
        match self {
            Self::Text => "Text",
            Self::Number => "Number",
            Self::Date => "Date",
            Self::YesNo => "Yes/No",
            Self::Dropdown(_) => "Dropdown",
            Self::Email => "Email",
            Self::Phone => "Phone",
        }
    }
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
    pub const CODES: [(&'static str, &'static str); 7] = [
        ("text", "Text"),
        ("number", "Number"),
        ("date", "Date"),
        ("yesno", "Yes/No"),
        ("dropdown", "Dropdown"),
        ("email", "Email"),
        ("phone", "Phone"),
    ];
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

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldDef {
    pub id: FieldId,
    pub target: FieldTarget,
    pub label: String,
    pub kind: FieldKind,
}

impl FieldDef {
    /// Checks and normalises a typed value. Empty means "not set" and is
    /// always accepted. Returns the value to store.
    pub fn check_value(&self, raw: &str) -> Result<String, String> {
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
                    .ok_or_else(|| format!("{} must be a number", self.label))
            }
            FieldKind::Date => super::time::parse_date(v)
                .map(|_| v.to_owned())
                .ok_or_else(|| format!("{} must be a date as YYYY-MM-DD", self.label)),
            FieldKind::YesNo => match v {
                "yes" | "no" => Ok(v.to_owned()),
                _ => Err(format!("{} must be yes or no", self.label)),
            },
            FieldKind::Dropdown(options) => options
                .iter()
                .find(|o| o.as_str() == v)
                .cloned()
                .ok_or_else(|| format!("{} must be one of: {}", self.label, options.join(", "))),
            FieldKind::Email => super::email::Email::parse(v)
                .map(|e| e.to_string())
                .map_err(|e| format!("{}: {e}", self.label)),
            FieldKind::Phone => {
                if v.chars().all(|c| c.is_ascii_digit() || " +-()./".contains(c))
                    && v.chars().any(|c| c.is_ascii_digit())
                {
                    Ok(v.to_owned())
                } else {
                    Err(format!(
                        "{} must be a phone number (digits, spaces, + - ( ) . /)",
                        self.label
                    ))
                }
            }
        }
    }
}

/// The name of the folder every account gets when no template is chosen.
pub const DEFAULT_FOLDER: &str = "Client uploaded documents";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FolderTemplate {
    pub id: TemplateId,
    pub name: String,
    /// Top-level folders, in order.
    pub folders: Vec<String>,
}

/// One item of the catalog, as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "item")]
pub enum CatalogItem {
    Tag(Tag),
    Member(TeamMember),
    Role(AccountRole),
    Field(FieldDef),
    Template(FolderTemplate),
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
        c.tags.sort_by_key(|t| normalize(&t.name));
        c.members
            .sort_by_key(|m| (m.role != TeamRole::Owner, normalize(&m.name)));
        c.roles.sort_by_key(|r| normalize(&r.name));
        c.templates.sort_by_key(|t| normalize(&t.name));
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
                let name = text_field(&mut e, "name", "Tag name", &t.name, true);
                if name.chars().count() > MAX_TAG_CHARS {
                    e.push(
                        "name",
                        format!("Tag name is longer than {MAX_TAG_CHARS} characters"),
                    );
                }
                if !TAG_COLORS.contains(&t.color.as_str()) {
                    e.push("color", "Pick one of the tag colours");
                }
                if clash(
                    &mut self.tags.iter().map(|x| (x.id.as_str(), x.name.as_str())),
                    &name,
                ) {
                    e.push("name", format!("A tag named {name} already exists"));
                }
            }
            CatalogItem::Member(m) => {
                text_field(&mut e, "name", "Name", &m.name, true);
                if let Err(err) = super::email::Email::parse(&m.email) {
                    e.push("email", err.to_string());
                } else if self
                    .members
                    .iter()
                    .any(|x| x.id != m.id && x.email.eq_ignore_ascii_case(m.email.trim()))
                {
                    e.push("email", "Another team member has this email");
                }
                if m.role == TeamRole::Owner
                    && self
                        .members
                        .iter()
                        .any(|x| x.id != m.id && x.role == TeamRole::Owner)
                {
                    e.push("role", "The practice already has an owner");
                }
                if m.role != TeamRole::Owner
                    && self
                        .members
                        .iter()
                        .any(|x| x.id == m.id && x.role == TeamRole::Owner)
                {
                    e.push("role", "The owner stays the owner");
                }
            }
            CatalogItem::Role(r) => {
                let name = text_field(&mut e, "name", "Role name", &r.name, true);
                if clash(
                    &mut self.roles.iter().map(|x| (x.id.as_str(), x.name.as_str())),
                    &name,
                ) {
                    e.push("name", format!("A role named {name} already exists"));
                }
            }
            CatalogItem::Field(f) => {
                let label = text_field(&mut e, "label", "Field name", &f.label, true);
                let same_target = self.fields.iter().filter(|x| x.target == f.target);
                if clash(
                    &mut same_target.map(|x| (x.id.as_str(), x.label.as_str())),
                    &label,
                ) {
                    e.push("label", format!("A field named {label} already exists"));
                }
                if let FieldKind::Dropdown(options) = &f.kind {
                    if options.iter().all(|o| o.trim().is_empty()) {
                        e.push("options", "A dropdown needs at least one option");
                    }
                }
            }
            CatalogItem::Template(t) => {
                let name = text_field(&mut e, "name", "Template name", &t.name, true);
                if t.folders.iter().all(|f| f.trim().is_empty()) {
                    e.push("folders", "A template needs at least one folder");
                }
                for f in &t.folders {
                    if let Some(c) = f
                        .chars()
                        .find(|c| super::account::FORBIDDEN_NAME_CHARS.contains(c))
                    {
                        e.push(
                            "folders",
                            format!("Folder names cannot contain the character {c}"),
                        );
                    }
                }
                if clash(
                    &mut self.templates.iter().map(|x| (x.id.as_str(), x.name.as_str())),
                    &name,
                ) {
                    e.push("name", format!("A template named {name} already exists"));
                }
            }
        }
        e
    }
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
        assert!(dd.check_value("Weekly").unwrap_err().contains("Monthly, Yearly"));
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
}
