//! The fields a CSV column can go to ([`Target`]) and the automatic guess
//! from header names, in English, German, Dutch, French and Romanian, with
//! the columns of Google Contacts and Outlook exports. Headers are compared
//! by [`key`]: lower case, accents folded, only letters and digits, so
//! `E-Mail`, `e-mail` and `EMAIL` are the same header.

use crate::domain::catalog::{Catalog, FieldTarget};
use crate::domain::ids::{FieldId, RoleId};
use crate::domain::search::normalize;
use crate::domain::validation::Label;
use crate::i18n::{t, tf, Key};

/// A part of a postal address.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Part {
    Street,
    City,
    State,
    PostalCode,
    Country,
}

impl Part {
    pub const ALL: [Part; 5] = [
        Self::Street,
        Self::City,
        Self::State,
        Self::PostalCode,
        Self::Country,
    ];
    fn code(self) -> &'static str {
        match self {
            Self::Street => "street",
            Self::City => "city",
            Self::State => "state",
            Self::PostalCode => "postal_code",
            Self::Country => "country",
        }
    }
    /// The part's name in problems about it.
    pub fn field_label(self) -> Label {
        match self {
            Self::Street => Label::Street,
            Self::City => Label::City,
            Self::State => Label::State,
            Self::PostalCode => Label::PostalCode,
            Self::Country => Label::Country,
        }
    }

    /// The part's name in the mapping screen.
    fn name(self) -> &'static str {
        t(match self {
            Self::Street => Key::LabelStreet,
            Self::City => Key::LabelCity,
            Self::State => Key::LabelState,
            Self::PostalCode => Key::LabelPostalCode,
            Self::Country => Key::LabelCountry,
        })
    }
}

/// Where the values of one column go.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    /// "Don't import".
    Skip,
    AccountName,
    AccountType,
    CompanyName,
    AccountAddress(Part),
    /// Tag names (several per cell); missing tags are created.
    AccountTags,
    /// Team members by name or email (several per cell).
    TeamMembers,
    /// Team members (by name or email) who have this account role.
    Role(RoleId),
    AccountField(FieldId),
    /// A note on the account.
    AccountNote,
    FirstName,
    MiddleName,
    LastName,
    /// "First Last" in one cell; used when the row has no first and last name.
    FullName,
    /// The main email (a second address in the cell is an additional one).
    Email,
    /// Additional emails (several per cell).
    OtherEmails,
    /// Phone numbers (several per cell).
    Phone,
    ContactAddress(Part),
    DateOfBirth,
    ContactTags,
    ContactField(FieldId),
}

/// Which records a target belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    None,
    Account,
    Contact,
}

impl Target {
    pub fn side(&self) -> Side {
        use Target::*;
        match self {
            Skip => Side::None,
            AccountName | AccountType | CompanyName | AccountAddress(_) | AccountTags | TeamMembers
            | Role(_) | AccountField(_) | AccountNote => Side::Account,
            _ => Side::Contact,
        }
    }

    /// Several columns may go to this target (their values add up).
    pub fn repeatable(&self) -> bool {
        use Target::*;
        matches!(
            self,
            Skip | AccountTags | TeamMembers | Role(_) | AccountNote | OtherEmails | Phone | ContactTags
        )
    }

    /// The value of the target's option in the mapping screen.
    pub fn code(&self) -> String {
        use Target::*;
        match self {
            Skip => "skip".into(),
            AccountName => "account_name".into(),
            AccountType => "account_type".into(),
            CompanyName => "company_name".into(),
            AccountAddress(p) => format!("account_{}", p.code()),
            AccountTags => "account_tags".into(),
            TeamMembers => "team".into(),
            Role(id) => format!("role:{id}"),
            AccountField(id) => format!("account_field:{id}"),
            AccountNote => "note".into(),
            FirstName => "first_name".into(),
            MiddleName => "middle_name".into(),
            LastName => "last_name".into(),
            FullName => "full_name".into(),
            Email => "email".into(),
            OtherEmails => "other_emails".into(),
            Phone => "phone".into(),
            ContactAddress(p) => format!("contact_{}", p.code()),
            DateOfBirth => "date_of_birth".into(),
            ContactTags => "contact_tags".into(),
            ContactField(id) => format!("contact_field:{id}"),
        }
    }

    pub fn from_code(code: &str) -> Option<Target> {
        use Target::*;
        if let Some(id) = code.strip_prefix("role:") {
            return RoleId::parse(id).map(Role);
        }
        if let Some(id) = code.strip_prefix("account_field:") {
            return FieldId::parse(id).map(AccountField);
        }
        if let Some(id) = code.strip_prefix("contact_field:") {
            return FieldId::parse(id).map(ContactField);
        }
        for p in Part::ALL {
            if code.strip_prefix("account_") == Some(p.code()) {
                return Some(AccountAddress(p));
            }
            if code.strip_prefix("contact_") == Some(p.code()) {
                return Some(ContactAddress(p));
            }
        }
        Some(match code {
            "skip" => Skip,
            "account_name" => AccountName,
            "account_type" => AccountType,
            "company_name" => CompanyName,
            "account_tags" => AccountTags,
            "team" => TeamMembers,
            "note" => AccountNote,
            "first_name" => FirstName,
            "middle_name" => MiddleName,
            "last_name" => LastName,
            "full_name" => FullName,
            "email" => Email,
            "other_emails" => OtherEmails,
            "phone" => Phone,
            "date_of_birth" => DateOfBirth,
            "contact_tags" => ContactTags,
            _ => return None,
        })
    }

    /// What the mapping screen calls the target.
    pub fn label(&self, catalog: &Catalog) -> String {
        use Target::*;
        let deleted_field = || t(Key::HistoryDeletedField);
        match self {
            Skip => t(Key::CsvDontImport).into(),
            AccountName => t(Key::LabelAccountName).into(),
            AccountType => t(Key::AccountType).into(),
            CompanyName => t(Key::LabelCompanyName).into(),
            AccountAddress(p) => tf(Key::CsvAccountPart, &[("part", p.name())]),
            AccountTags => t(Key::CsvAccountTags).into(),
            TeamMembers => t(Key::TeamMembers).into(),
            Role(id) => tf(
                Key::CsvAccountRole,
                &[(
                    "role",
                    catalog.role(id).map_or(t(Key::DeletedRole), |r| r.name.as_str()),
                )],
            ),
            AccountField(id) => tf(
                Key::CsvAccountField,
                &[(
                    "field",
                    catalog.field(id).map_or(deleted_field(), |f| f.label.as_str()),
                )],
            ),
            AccountNote => t(Key::CsvAccountNote).into(),
            FirstName => t(Key::LabelFirstName).into(),
            MiddleName => t(Key::LabelMiddleName).into(),
            LastName => t(Key::LabelLastName).into(),
            FullName => t(Key::CsvFullName).into(),
            Email => t(Key::FieldKindEmail).into(),
            OtherEmails => t(Key::CsvOtherEmails).into(),
            Phone => t(Key::LabelPhone).into(),
            ContactAddress(p) => p.name().into(),
            DateOfBirth => t(Key::LabelDateOfBirth).into(),
            ContactTags => t(Key::ContactTags).into(),
            ContactField(id) => tf(
                Key::CsvContactField,
                &[(
                    "field",
                    catalog.field(id).map_or(deleted_field(), |f| f.label.as_str()),
                )],
            ),
        }
    }
}

/// Every target the mapping screen offers, in groups (group title, targets).
pub fn choices(catalog: &Catalog) -> Vec<(&'static str, Vec<Target>)> {
    use Target::*;
    let mut account = vec![AccountName, AccountType, CompanyName];
    account.extend(Part::ALL.map(AccountAddress));
    account.extend([AccountTags, TeamMembers, AccountNote]);
    account.extend(catalog.roles.iter().map(|r| Role(r.id.clone())));
    account.extend(
        catalog
            .fields_for(FieldTarget::Account)
            .map(|f| AccountField(f.id.clone())),
    );
    let mut contact = vec![
        FirstName,
        MiddleName,
        LastName,
        FullName,
        Email,
        OtherEmails,
        Phone,
    ];
    contact.extend(Part::ALL.map(ContactAddress));
    contact.extend([DateOfBirth, ContactTags]);
    contact.extend(
        catalog
            .fields_for(FieldTarget::Contact)
            .map(|f| ContactField(f.id.clone())),
    );
    vec![(t(Key::NavNewAccount), account), (t(Key::ContactColumn), contact)]
}

/// The form headers are compared in: lower case, accents folded, only
/// letters and digits (`E-Mail-Adresse` → `emailadresse`).
pub fn key(header: &str) -> String {
    normalize(header)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// Header keys per target (space-separated), in the five languages. Google Contacts and
/// Outlook columns are included (numbered ones are handled in [`guess_one`]).
const ALIASES: &[(&str, Target)] = &[
    (
        "accountname account clientname client clientaccount customer customername kontoname konto kundenkonto kunde kundenname mandant mandantenname accountnaam klant klantnaam klantaccount nomducompte compte nomduclient comptedeclient numecont cont numeleclientului numeclient contclient",
        Target::AccountName,
    ),
    (
        "accounttype type clienttype typeofaccount kontotyp kontoart typ mandantentyp kundentyp soortaccount typeaccount soort soortklant typedecompte typedeclient tipcont tip tipdecont tipclient",
        Target::AccountType,
    ),
    (
        "companyname company organization organisation organizationname organisationname organization1name businessname firma firmenname unternehmen unternehmensname bedrijf bedrijfsnaam organisatie entreprise nomdelentreprise societe nomdelasociete raisonsociale companie numecompanie numefirma numelecompaniei societate denumire",
        Target::CompanyName,
    ),
    (
        "tags tag labels label groupmembership groups categories category accounttags schlagworter schlagwort stichworter kategorien kategorie etiketten etiket labelsvanaccount etiquettes etiquette motscles etichete eticheta categorii",
        Target::AccountTags,
    ),
    (
        "teammembers teammember team assignedto assignee assignees teammitglieder teammitglied zustandig bearbeiter betreuer teamleden teamlid medewerker toegewezenaan membresdelequipe membredelequipe equipe assignea membriiechipei membruechipa echipa responsabil",
        Target::TeamMembers,
    ),
    (
        "notes note description comments comment remarks notizen notiz bemerkungen bemerkung anmerkungen beschreibung kommentar opmerkingen opmerking notities notitie beschrijving remarques remarque commentaires commentaire notite nota observatii descriere mentiuni comentarii",
        Target::AccountNote,
    ),
    (
        "firstname givenname first forename vorname rufname voornaam roepnaam prenom prenume",
        Target::FirstName,
    ),
    (
        "middlename additionalname middle middleinitial zweitername weiterevornamen tussenvoegsel tweedenaam deuxiemeprenom secondprenom autresprenoms aldoileaprenume numemijlociu",
        Target::MiddleName,
    ),
    (
        "lastname familyname surname last nachname familienname achternaam familienaam nom nomdefamille nume numedefamilie",
        Target::LastName,
    ),
    (
        "name fullname displayname contactname contact contactperson person vollstandigername kontakt kontaktname ansprechpartner naam volledigenaam contactpersoon nomcomplet contactnom numecomplet numesiprenume persoanadecontact",
        Target::FullName,
    ),
    (
        "email emailaddress mail primaryemail mainemail emailadresse emailadres hauptemail courriel adressecourriel adresseemail adressemail emailprincipal adresseelectronique adresadeemail adresaemail postaelectronica emailprincipala",
        Target::Email,
    ),
    (
        "otheremails otheremail additionalemails additionalemail secondaryemail weitereemails weitereemailadressen andereemails andereemailadressen extraemail autresemails autrescourriels autresadressesemail alteemailuri emailsecundar emailuriaditionale",
        Target::OtherEmails,
    ),
    (
        "phone phones phonenumber telephone tel mobile mobilephone cell cellphone telefon telefonnummer handy mobil mobiltelefon mobilnummer telefoon telefoonnummer mobiel mobielnummer gsm numerodetelephone portable telephoneportable numardetelefon telefonmobil",
        Target::Phone,
    ),
    (
        "dateofbirth birthday birthdate dob born geburtsdatum geburtstag geboortedatum verjaardag datedenaissance anniversaire naissance datanasterii datadenastere ziuadenastere zinastere",
        Target::DateOfBirth,
    ),
    (
        "contacttags contacttag kontakttags kontaktschlagworter contactlabels etiquettesducontact etiquettescontact etichetecontact etichetelecontactului",
        Target::ContactTags,
    ),
];

/// Address part names (the rest of a header after an account or home prefix).
const ADDRESS: &[(&str, Part)] = &[
    (
        "street streetaddress address address1 addressline1 strasse strasseundhausnummer adresse anschrift straat adres straatnaam rue adressepostale strada adresa adresapostala",
        Part::Street,
    ),
    (
        "city town ort stadt wohnort plaats woonplaats stad ville oras localitate",
        Part::City,
    ),
    (
        "state region province county stateorregion stateprovince bundesland staat provincie etat departement judet regiune",
        Part::State,
    ),
    (
        "postalcode zip zipcode postcode plz postleitzahl codepostal codpostal",
        Part::PostalCode,
    ),
    (
        "country countryregion land pays tara",
        Part::Country,
    ),
];

/// Prefixes that put an address part on the account (Outlook's "Business").
const ACCOUNT_PREFIXES: &[&str] = &[
    "account",
    "business",
    "company",
    "work",
    "office",
    "billing",
    "konto",
    "firma",
    "firmen",
    "geschafts",
    "geschaft",
    "mandanten",
    "kunden",
    "bedrijfs",
    "bedrijf",
    "zakelijk",
    "zakelijke",
    "compte",
    "entreprise",
    "societe",
    "bureau",
    "cont",
    "companie",
    "firmei",
];

/// Prefixes that keep an address part on the contact (Outlook's "Home").
const HOME_PREFIXES: &[&str] = &[
    "home",
    "private",
    "personal",
    "contact",
    "privat",
    "privates",
    "wohn",
    "prive",
    "thuis",
    "domicile",
    "personnel",
    "personnelle",
    "acasa",
    "domiciliu",
];

/// Prefixes of account role columns ("Account role: Preparer").
const ROLE_PREFIXES: &[&str] = &[
    "accountrole",
    "role",
    "rolle",
    "kontorolle",
    "rol",
    "accountrol",
    "rolul",
];

/// Suffixes the export adds to a custom field whose label alone would be
/// guessed as something else.
pub const ACCOUNT_FIELD_SUFFIX: &str = " (account field)";
pub const CONTACT_FIELD_SUFFIX: &str = " (contact field)";

fn alias(k: &str) -> Option<Target> {
    ALIASES
        .iter()
        .find(|(keys, _)| keys.split(' ').any(|w| w == k))
        .map(|(_, t)| t.clone())
}

fn address_part(k: &str) -> Option<Part> {
    ADDRESS
        .iter()
        .find(|(keys, _)| keys.split(' ').any(|w| w == k))
        .map(|(_, p)| *p)
}

/// Outlook's "Business Phone", "Home Phone 2", "Mobile Phone", ...
fn is_phone(k: &str) -> bool {
    ["phone", "telefon", "telefoon", "telephone"]
        .iter()
        .any(|p| k.ends_with(p))
        && !k.contains("fax")
        && !k.contains("assistant")
}

/// The guess for one header, before duplicates are sorted out.
pub fn guess_one(header: &str, catalog: &Catalog) -> Target {
    let k = key(header);
    if k.is_empty() {
        return Target::Skip;
    }
    // Custom fields named with the export's suffix.
    for (suffix, target) in [
        (ACCOUNT_FIELD_SUFFIX, FieldTarget::Account),
        (CONTACT_FIELD_SUFFIX, FieldTarget::Contact),
    ] {
        if let Some(label) = header.trim().strip_suffix(suffix) {
            let lk = key(label);
            if let Some(f) = catalog.fields_for(target).find(|f| key(&f.label) == lk) {
                return match target {
                    FieldTarget::Account => Target::AccountField(f.id.clone()),
                    FieldTarget::Contact => Target::ContactField(f.id.clone()),
                };
            }
        }
    }
    if let Some(t) = alias(&k) {
        return t;
    }
    if let Some(p) = address_part(&k) {
        return Target::ContactAddress(p);
    }
    // Numbered columns: "E-mail 2 - Value", "Phone 1 - Value",
    // "Address 1 - City", "E-mail 3 Address", "Business Street 2".
    let base: String = k.chars().filter(|c| !c.is_ascii_digit()).collect();
    let number: usize = k
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap_or(1);
    if base != k {
        match base.as_str() {
            "emailvalue" | "emailaddress" | "email" | "mail" | "emailadresse" | "emailadres" | "courriel" => {
                return if number <= 1 {
                    Target::Email
                } else {
                    Target::OtherEmails
                };
            }
            "phonevalue" | "tel" => return Target::Phone,
            b if is_phone(b) => return Target::Phone,
            _ => {}
        }
        if let Some(rest) = base.strip_prefix("address") {
            if let Some(p) = address_part(rest) {
                return if number <= 1 {
                    Target::ContactAddress(p)
                } else {
                    Target::Skip
                };
            }
        }
        return Target::Skip;
    }
    // Outlook's "Business Street", "Home City", ... ("Home Address" there is
    // the whole address in one cell, so a prefixed "address" is no street).
    let prefixed = |prefixes: &[&str]| {
        prefixes.iter().find_map(|prefix| {
            k.strip_prefix(prefix)
                .filter(|rest| !rest.starts_with("address") && !rest.starts_with("adres"))
                .and_then(address_part)
        })
    };
    if let Some(p) = prefixed(ACCOUNT_PREFIXES) {
        return Target::AccountAddress(p);
    }
    if let Some(p) = prefixed(HOME_PREFIXES) {
        return Target::ContactAddress(p);
    }
    if is_phone(&k) {
        return Target::Phone;
    }
    for role in &catalog.roles {
        let rk = key(&role.name);
        if rk.is_empty() {
            continue;
        }
        if k == rk
            || ROLE_PREFIXES
                .iter()
                .any(|p| k.strip_prefix(p) == Some(rk.as_str()))
        {
            return Target::Role(role.id.clone());
        }
    }
    for target in [FieldTarget::Account, FieldTarget::Contact] {
        if let Some(f) = catalog.fields_for(target).find(|f| key(&f.label) == k) {
            return match target {
                FieldTarget::Account => Target::AccountField(f.id.clone()),
                FieldTarget::Contact => Target::ContactField(f.id.clone()),
            };
        }
    }
    Target::Skip
}

/// The guessed target of every column. A field that takes one value goes
/// to the first column guessed for it (a second "Email" column becomes
/// "Other emails"; any other second column is not imported). Team members
/// are only guessed when the practice has some.
pub fn guess(headers: &[String], catalog: &Catalog) -> Vec<Target> {
    let mut taken: Vec<Target> = Vec::new();
    headers
        .iter()
        .map(|h| {
            let mut t = guess_one(h, catalog);
            if t == Target::TeamMembers && catalog.members.is_empty() {
                t = Target::Skip;
            }
            if !t.repeatable() {
                if taken.contains(&t) {
                    t = if t == Target::Email {
                        Target::OtherEmails
                    } else {
                        Target::Skip
                    };
                } else {
                    taken.push(t.clone());
                }
            }
            t
        })
        .collect()
}
