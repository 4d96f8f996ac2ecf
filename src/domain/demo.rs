//! Demo data: a realistic small practice made deterministically from a seed.
//!
//! Settings → "Load demo practice" fills the separate demo database with
//! [`generate`]`(seed, DemoSize::PRACTICE, now)`; tests and benchmarks use the
//! same generator at other sizes, so they all exercise the shapes of data a
//! real firm has: accounts of every type, people with accented names in
//! five languages, one to three emails each (unique across contacts), phones
//! and addresses, contacts shared between accounts (a couple's joint
//! account, a company and its owner's personal account, a parent on an
//! adult child's account, a trustee of a foundation who is also a client),
//! tags, a team (one owner and employees) assigned to accounts, account
//! roles, custom fields with values, per-link switches, notes, history,
//! archived accounts and pending portal invitations.
//!
//! Pure and deterministic: every choice and every id comes from one
//! [`SeededIds`] stream, so the same seed, size and `now` always give the
//! same practice. Email domains are under `.example` (reserved, RFC 2606),
//! so an invitation sent from a demo never reaches a real person.

use super::account::{Account, AccountType, Address, RoleAssignment};
use super::catalog::{
    AccountRole, CatalogItem, FieldDef, FieldKind, FieldTarget, FolderTemplate, Tag, TeamMember, TeamRole,
    DEFAULT_FOLDER,
};
use super::contact::Contact;
use super::email::Email;
use super::history::{Change, HistoryEntry};
use super::ids::{FromRandom, IdSource, SeededIds};
use super::link::{EmailAccess, Link};
use super::note::Note;
use super::search::normalize;
use super::time::Timestamp;
use std::collections::{BTreeMap, HashMap, HashSet};

/// How many accounts and contacts to make.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DemoSize {
    pub accounts: usize,
    pub contacts: usize,
}

impl DemoSize {
    /// The demo firm of Settings → "Load demo practice".
    pub const PRACTICE: DemoSize = DemoSize {
        accounts: 30,
        contacts: 50,
    };

    /// `contacts` contacts and half as many accounts (benchmarks).
    pub fn for_contacts(contacts: usize) -> DemoSize {
        DemoSize {
            accounts: contacts / 2,
            contacts,
        }
    }
}

/// Everything a practice holds, as domain values (the same six lists as
/// `bundle::Contents`, which has `From<Practice>`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Practice {
    pub catalog: Vec<CatalogItem>,
    pub accounts: Vec<Account>,
    pub contacts: Vec<Contact>,
    pub links: Vec<Link>,
    pub notes: Vec<Note>,
    pub history: Vec<HistoryEntry>,
}

/// A practice of exactly `size.accounts` accounts and `size.contacts`
/// contacts, except that with no contacts there are no accounts either
/// (every account has at least one contact). Every contact is linked to at
/// least one account when there is any account. Times are before `now`.
pub fn generate(seed: u64, size: DemoSize, now: Timestamp) -> Practice {
    let accounts = if size.contacts == 0 { 0 } else { size.accounts };
    let mut g = Gen::new(seed, now, accounts, size.contacts);
    g.catalog();
    g.stories(accounts, size.contacts);
    g.finish()
}

const DAY: i64 = 86_400_000;

// ---------------------------------------------------------------------------
// The five languages: names, places, phone numbers, firms.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Lang {
    De,
    Nl,
    Fr,
    Ro,
    En,
}

const LANGS: [Lang; 5] = [Lang::De, Lang::Nl, Lang::Fr, Lang::Ro, Lang::En];

/// A city: name, region, postal code pattern (`#` digit, `@` letter).
type City = (&'static str, &'static str, &'static str);

struct Tables {
    female: &'static [&'static str],
    male: &'static [&'static str],
    last: &'static [&'static str],
    cities: &'static [City],
    streets: &'static [&'static str],
    /// The house number comes before the street name.
    number_first: bool,
    country: &'static str,
    /// Phone number pattern (`#` digit).
    phones: &'static [&'static str],
    /// Firm name patterns (`{L}` a last name).
    companies: &'static [&'static str],
    /// Foundations, associations, estates (`{L}` a last name, `{C}` a city).
    others: &'static [&'static str],
    /// Personal mail domains.
    mail: &'static [&'static str],
    language: &'static str,
    tax_id: &'static str,
    vat: &'static str,
}

fn tables(lang: Lang) -> &'static Tables {
    match lang {
        Lang::De => &DE,
        Lang::Nl => &NL,
        Lang::Fr => &FR,
        Lang::Ro => &RO,
        Lang::En => &EN,
    }
}

#[rustfmt::skip]
static DE: Tables = Tables {
    female: &[
        "Käthe", "Sophie", "Lena", "Brigitte", "Hannah", "Ursula", "Anneliese", "Marlene", "Jutta",
        "Bärbel",
    ],
    male: &[
        "Jürgen", "Lukas", "Matthias", "Jörg", "Felix", "Tobias", "Maximilian", "Günther", "Björn",
        "Jonas",
    ],
    last: &[
        "Müller", "Schäfer", "Weiß", "Krüger", "Böhm", "Schröder", "Groß", "Köhler", "Fuchs", "Weber",
        "Hoffmann", "Becker", "Märkl", "Vogt", "Jäger", "Löffler",
    ],
    cities: &[
        ("Berlin", "Berlin", "10###"), ("München", "Bayern", "80###"),
        ("Köln", "Nordrhein-Westfalen", "50###"), ("Düsseldorf", "Nordrhein-Westfalen", "40###"),
        ("Nürnberg", "Bayern", "90###"), ("Lübeck", "Schleswig-Holstein", "23###"),
    ],
    streets: &[
        "Hauptstraße", "Königsallee", "Gartenweg", "Schillerstraße", "Am Mühlbach", "Lindenstraße",
    ],
    number_first: false,
    country: "Deutschland",
    phones: &[
        "+49 30 ### ####", "+49 89 #### ###", "+49 151 #### ####", "+49 172 ### ####",
    ],
    companies: &[
        "{L} Holzbau GmbH", "{L} & Söhne KG", "Bäckerei {L}", "{L} Steuer- & Unternehmensberatung GmbH",
        "Autohaus {L} GmbH",
    ],
    others: &[
        "Familienstiftung {L}", "Förderverein Musikschule {C} e.V.", "Nachlass {L}",
    ],
    mail: &["post.example", "mailbox.example", "web.example"],
    language: "Deutsch",
    tax_id: "## ### ### ###",
    vat: "DE#########",
};

#[rustfmt::skip]
static NL: Tables = Tables {
    female: &[
        "Sanne", "Femke", "Anouk", "Maartje", "Zoë", "Chloë", "Joëlle", "Ineke",
    ],
    male: &[
        "Daan", "Bram", "Ruben", "Thijs", "Daniël", "Noël", "Sietse", "Gijs",
    ],
    last: &[
        "de Vries", "van den Berg", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "van Dijk",
        "Mulder", "Hendriks", "van 't Hof", "Brouwer", "de Jong",
    ],
    cities: &[
        ("Amsterdam", "Noord-Holland", "10## @@"), ("Utrecht", "Utrecht", "35## @@"),
        ("Rotterdam", "Zuid-Holland", "30## @@"), ("Den Haag", "Zuid-Holland", "25## @@"),
        ("Groningen", "Groningen", "97## @@"),
    ],
    streets: &[
        "Prinsengracht", "Kerkstraat", "Oudegracht", "Molenweg", "Dorpsstraat",
    ],
    number_first: false,
    country: "Nederland",
    phones: &["+31 20 ### ####", "+31 6 #### ####", "+31 30 ### ####"],
    companies: &[
        "{L} Installatietechniek B.V.", "Bakkerij {L}", "{L} Advies", "Fietsenmakerij {L} B.V.",
    ],
    others: &["Stichting {L}", "Vereniging Vrienden van {C}", "Nalatenschap {L}"],
    mail: &["mail.example", "thuis.example", "inbox.example"],
    language: "Nederlands",
    tax_id: "#########",
    vat: "NL#########B01",
};

#[rustfmt::skip]
static FR: Tables = Tables {
    female: &[
        "Élodie", "Hélène", "Chloé", "Amélie", "Gaëlle", "Cécile", "Anaïs", "Maëlys", "Noémie",
    ],
    male: &[
        "François", "Jérôme", "Benoît", "Théo", "Loïc", "Stéphane", "Raphaël", "Jérémie",
    ],
    last: &[
        "Fournier", "Lefèvre", "Girard", "Bérenger", "Rousseau", "Mercier", "Dubois", "Lemaître",
        "Gauthier", "Brunet", "Faure", "Chevalier", "Bélanger", "Pâris",
    ],
    cities: &[
        ("Lyon", "Auvergne-Rhône-Alpes", "6900#"), ("Paris", "Île-de-France", "750##"),
        ("Nantes", "Pays de la Loire", "440##"), ("Strasbourg", "Grand Est", "670##"),
        ("Besançon", "Bourgogne-Franche-Comté", "250##"),
    ],
    streets: &[
        "rue de la République", "avenue des Champs", "rue du Général Leclerc", "place de l'Église",
        "chemin des Vignes",
    ],
    number_first: true,
    country: "France",
    phones: &["+33 1 ## ## ## ##", "+33 6 ## ## ## ##", "+33 4 ## ## ## ##"],
    companies: &[
        "Boulangerie {L}", "{L} Électricité SARL", "Atelier {L} SAS", "Cabinet {L} & Associés",
    ],
    others: &["Fondation {L}", "Association Les Amis de {C}", "Succession {L}"],
    mail: &["courriel.example", "courrier.example", "messagerie.example"],
    language: "Français",
    tax_id: "## ## ### ### ###",
    vat: "FR## #########",
};

#[rustfmt::skip]
static RO: Tables = Tables {
    female: &[
        "Ioana", "Mihaela", "Alexandra", "Irina", "Cătălina", "Ilinca", "Smaranda", "Oana",
    ],
    male: &[
        "Andrei", "Ștefan", "Răzvan", "Bogdan", "Radu", "Tudor", "Ionuț", "Sorin",
    ],
    last: &[
        "Popescu", "Ionescu", "Ștefănescu", "Dumitrescu", "Munteanu", "Țurcanu", "Constantinescu",
        "Stoica", "Bălan", "Păunescu", "Rădulescu", "Sârbu", "Lupașcu",
    ],
    cities: &[
        ("Cluj-Napoca", "Cluj", "400###"), ("București", "București", "0#####"),
        ("Iași", "Iași", "700###"), ("Timișoara", "Timiș", "300###"), ("Brașov", "Brașov", "500###"),
    ],
    streets: &[
        "Strada Memorandumului", "Bulevardul Ștefan cel Mare", "Strada Mihai Eminescu", "Calea Victoriei",
        "Strada Avram Iancu",
    ],
    number_first: false,
    country: "România",
    phones: &["+40 721 ### ###", "+40 744 ### ###", "+40 264 ### ###"],
    companies: &[
        "{L} Construct SRL", "Atelierul {L} SRL", "Cofetăria {L}", "{L} Consultanță Fiscală SRL",
    ],
    others: &["Fundația {L}", "Asociația Culturală {C}", "Succesiunea {L}"],
    mail: &["posta.example", "mail-ro.example", "inbox-ro.example"],
    language: "Română",
    tax_id: "#############",
    vat: "RO########",
};

#[rustfmt::skip]
static EN: Tables = Tables {
    female: &[
        "Charlotte", "Emily", "Grace", "Amelia", "Olivia", "Siobhán", "Chloe", "Renée", "Eleanor",
    ],
    male: &[
        "Oliver", "James", "Harry", "George", "Thomas", "Seán", "Jack", "Rhys",
    ],
    last: &[
        "Smith", "Barker", "O'Connor", "Whitfield", "Taylor", "Hughes", "Clarke", "Evans", "Walsh",
        "Morgan", "Fletcher", "Price", "Ó Briain",
    ],
    cities: &[
        ("Manchester", "Greater Manchester", "M# #@@"), ("London", "Greater London", "SE# #@@"),
        ("Bristol", "Bristol", "BS# #@@"), ("York", "North Yorkshire", "YO# #@@"),
    ],
    streets: &[
        "High Street", "Church Lane", "Station Road", "Victoria Road", "Mill Lane",
    ],
    number_first: true,
    country: "United Kingdom",
    phones: &["+44 20 #### ####", "+44 7700 ######", "+44 161 ### ####"],
    companies: &[
        "{L} & Sons Ltd", "{L} Joinery Ltd", "The {L} Bakery Ltd", "{L} Property Services Ltd",
    ],
    others: &[
        "The {L} Family Trust", "Estate of the late Mr {L}", "{C} Community Choir",
    ],
    mail: &["mail-uk.example", "postbox.example", "inbox-uk.example"],
    language: "English",
    tax_id: "@@ ## ## ## @",
    vat: "GB### #### ##",
};

/// Relations a contact has to an account (per-link descriptions).
const STAFF: [&str; 4] = [
    "Bookkeeper",
    "Office manager",
    "Finance assistant",
    "Payroll contact",
];

const NOTES: [&str; 10] = [
    "Called about the {Y} return: bank statements will come by Friday.",
    "Engagement letter for {Y} sent.",
    "{F} prefers to be called in the morning.",
    "{F} asked whether home-office costs are deductible. Answered by email.",
    "Payroll changes from next month: two new hires.",
    "Reminder: VAT return due on the 10th.",
    "Meeting notes:\n- March bank statements missing\n- new lease contract to review\n- next meeting after the summer",
    "Moved house; address updated.",
    "Fee for {Y} agreed with {F}.",
    "Documents received, nothing missing. Return can be prepared.",
];

// ---------------------------------------------------------------------------

/// The choices and ids of one practice, all from one seeded stream.
struct Rng(SeededIds);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0.next_u64()
    }
    /// A number in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    /// True with the given chance in percent.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a>(&mut self, items: &'a [&'static str]) -> &'a str {
        items.get(self.below(items.len())).copied().unwrap_or("")
    }
    fn id<T: FromRandom>(&mut self) -> T {
        self.0.id()
    }
    /// A time in `from..=to` (milliseconds).
    fn between(&mut self, from: i64, to: i64) -> Timestamp {
        let span = (to - from).max(0) as u64 + 1;
        Timestamp(from + (self.next() % span) as i64)
    }
    /// `pattern` with every `#` a digit and every `@` a capital letter.
    fn fill(&mut self, pattern: &str) -> String {
        pattern
            .chars()
            .map(|c| match c {
                '#' => char::from(b'0' + (self.next() % 10) as u8),
                '@' => char::from(b'A' + (self.next() % 26) as u8),
                c => c,
            })
            .collect()
    }
}

/// Lower-case ASCII letters and digits of `s` (accents folded, the rest dropped).
fn slug(s: &str, sep: &str) -> String {
    let folded = normalize(s);
    let mut out = String::with_capacity(folded.len());
    let mut pending = false;
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            if pending && !out.is_empty() {
                out.push_str(sep);
            }
            pending = false;
            out.push(c);
        } else if c == ' ' || c == '-' || c == '&' {
            pending = true;
        }
    }
    out
}

/// A 64-bit fingerprint of a (lower-case) address, FNV-1a. The generator
/// treats two addresses with the same fingerprint as the same one: at worst
/// an address gets a number it did not need, never a duplicate. Much faster
/// than a set of strings at 100,000 contacts.
fn fingerprint(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// Catalog entries the stories refer to.
struct Refs {
    tags: Vec<Tag>,
    members: Vec<TeamMember>,
    roles: Vec<AccountRole>,
    account_fields: Vec<FieldDef>,
    contact_fields: Vec<FieldDef>,
    templates: Vec<FolderTemplate>,
}

struct Gen {
    rng: Rng,
    now: i64,
    out: Practice,
    refs: Refs,
    /// Fingerprints of the addresses given out (see [`fingerprint`]).
    used_emails: HashSet<u64>,
    email_counters: HashMap<u64, u32>,
    /// Per contact: its language and how many accounts it is linked to.
    langs: Vec<Lang>,
    link_counts: Vec<u8>,
    /// Per account: history changes after creation, with their times, and
    /// the first name of its first contact (for notes).
    events: Vec<Vec<(Timestamp, Change)>>,
    first_names: Vec<Option<String>>,
}

impl Gen {
    fn new(seed: u64, now: Timestamp, accounts: usize, contacts: usize) -> Self {
        Gen {
            rng: Rng(SeededIds::new(seed)),
            now: now.0,
            // Room for what a practice of this size usually has.
            out: Practice {
                catalog: Vec::new(),
                accounts: Vec::with_capacity(accounts),
                contacts: Vec::with_capacity(contacts),
                links: Vec::with_capacity(contacts + accounts / 2),
                notes: Vec::with_capacity(accounts * 6 / 5),
                history: Vec::with_capacity(accounts * 5),
            },
            refs: Refs {
                tags: Vec::new(),
                members: Vec::new(),
                roles: Vec::new(),
                account_fields: Vec::new(),
                contact_fields: Vec::new(),
                templates: Vec::new(),
            },
            used_emails: HashSet::with_capacity(contacts * 2),
            email_counters: HashMap::new(),
            langs: Vec::with_capacity(contacts),
            link_counts: Vec::with_capacity(contacts),
            events: Vec::with_capacity(accounts),
            first_names: Vec::with_capacity(accounts),
        }
    }

    fn catalog(&mut self) {
        let r = &mut self.rng;
        for (name, color) in [
            ("VIP", "amber"),
            ("Payroll", "blue"),
            ("VAT quarterly", "green"),
            ("New client", "teal"),
            ("Late payer", "red"),
            ("Non-profit", "purple"),
            ("Year-end rush", "pink"),
            ("Dormant", "grey"),
        ] {
            self.refs.tags.push(Tag {
                id: r.id(),
                name: name.into(),
                color: color.into(),
            });
        }
        for (name, email, role, view_all, manage) in [
            (
                "Ioana Rădulescu",
                "ioana@radulescu-tax.example",
                TeamRole::Owner,
                true,
                true,
            ),
            (
                "Pieter van der Meer",
                "pieter@radulescu-tax.example",
                TeamRole::Admin,
                true,
                true,
            ),
            (
                "Élodie Marchand",
                "elodie@radulescu-tax.example",
                TeamRole::Employee,
                true,
                true,
            ),
            (
                "Jonas Weiß",
                "jonas@radulescu-tax.example",
                TeamRole::Employee,
                false,
                true,
            ),
            (
                "Hannah Clarke",
                "hannah@radulescu-tax.example",
                TeamRole::Employee,
                false,
                false,
            ),
        ] {
            self.refs.members.push(TeamMember {
                id: r.id(),
                name: name.into(),
                email: email.into(),
                role,
                view_all_accounts: view_all && role == TeamRole::Employee,
                manage_accounts: manage && role == TeamRole::Employee,
            });
        }
        for name in ["Bookkeeper", "Reviewer", "Payroll lead", "Tax preparer"] {
            self.refs.roles.push(AccountRole {
                id: r.id(),
                name: name.into(),
            });
        }
        let months = ["December", "March", "June", "September"]
            .map(String::from)
            .to_vec();
        for (label, kind) in [
            ("Fiscal year end", FieldKind::Dropdown(months)),
            ("VAT number", FieldKind::Text),
            ("Annual fee", FieldKind::Number),
            ("Engagement letter signed", FieldKind::YesNo),
            ("Next deadline", FieldKind::Date),
            ("Invoice email", FieldKind::Email),
            ("Office phone", FieldKind::Phone),
        ] {
            self.refs.account_fields.push(FieldDef {
                id: r.id(),
                target: FieldTarget::Account,
                label: label.into(),
                kind,
            });
        }
        let languages = LANGS.map(|l| tables(l).language.to_owned()).to_vec();
        for (label, kind) in [
            ("Preferred language", FieldKind::Dropdown(languages)),
            ("Tax ID", FieldKind::Text),
            ("Client since", FieldKind::Date),
            ("Newsletter", FieldKind::YesNo),
        ] {
            self.refs.contact_fields.push(FieldDef {
                id: r.id(),
                target: FieldTarget::Contact,
                label: label.into(),
                kind,
            });
        }
        for (name, folders) in [
            (
                "Personal tax return",
                &[DEFAULT_FOLDER, "Tax returns", "Receipts", "Correspondence"][..],
            ),
            (
                "Company bookkeeping",
                &[
                    DEFAULT_FOLDER,
                    "Bank statements",
                    "Invoices",
                    "Payroll",
                    "Annual accounts",
                ][..],
            ),
        ] {
            self.refs.templates.push(FolderTemplate {
                id: r.id(),
                name: name.into(),
                folders: folders.iter().map(|f| (*f).to_owned()).collect(),
            });
        }
        let refs = &self.refs;
        let catalog = &mut self.out.catalog;
        catalog.extend(refs.tags.iter().cloned().map(CatalogItem::Tag));
        catalog.extend(refs.members.iter().cloned().map(CatalogItem::Member));
        catalog.extend(refs.roles.iter().cloned().map(CatalogItem::Role));
        catalog.extend(refs.account_fields.iter().cloned().map(CatalogItem::Field));
        catalog.extend(refs.contact_fields.iter().cloned().map(CatalogItem::Field));
        catalog.extend(refs.templates.iter().cloned().map(CatalogItem::Template));
    }

    // -- stories -------------------------------------------------------------

    /// Makes `accounts` accounts and `contacts` contacts as small stories
    /// (households, firms, foundations), then uses up what is left.
    fn stories(&mut self, accounts: usize, contacts: usize) {
        // The opening stories give every practice of 7 accounts or more each
        // shape at least once; then the mix follows the remaining budget.
        const OPENING: [Story; 5] = [
            Story::Company { staff: true },
            Story::Couple,
            Story::Other,
            Story::Family,
            Story::Single,
        ];
        let mut next = 0;
        loop {
            let left_a = accounts - self.out.accounts.len();
            let left_c = contacts - self.out.contacts.len();
            if left_a == 0 || left_c == 0 {
                break;
            }
            let (story, opening) = match OPENING.get(next) {
                Some(s) => {
                    next += 1;
                    (*s, true)
                }
                None => (self.pick_story(left_a, left_c), false),
            };
            let (a, c) = story.needs();
            if a <= left_a && c <= left_c {
                self.tell(story);
            } else if !opening {
                // One account and one contact always fit.
                self.tell(Story::Single);
            }
        }
        // Accounts left but no contacts: more accounts of people we know.
        while self.out.accounts.len() < accounts {
            let owner = self.shared_contact();
            let lang = self.langs.get(owner).copied().unwrap_or(Lang::En);
            if self.rng.chance(50) {
                let (name, _) = self.company_name(lang, owner);
                let acc = self.account(AccountType::Company, name.clone(), name, lang, None);
                self.link(acc, owner, "Owner", Some(1), true);
            } else {
                let name = self.other_name(lang, owner);
                let acc = self.account(AccountType::Other, name, String::new(), lang, None);
                self.link(acc, owner, "Trustee", Some(1), true);
            }
        }
        // Contacts left: more people on the accounts we have (or on none).
        while self.out.contacts.len() < contacts {
            if self.out.accounts.is_empty() {
                let lang = LANGS[self.rng.below(LANGS.len())];
                self.contact(lang, Person::default());
                continue;
            }
            let acc = self.rng.below(self.out.accounts.len());
            let lang = self.account_lang(acc);
            let c = self.contact(lang, Person::default());
            let role = self.rng.pick(&STAFF).to_owned();
            self.link(acc, c, &role, None, false);
        }
    }

    fn pick_story(&mut self, left_a: usize, left_c: usize) -> Story {
        // Contacts per account still to make, in tenths.
        let ratio = left_c * 10 / left_a.max(1);
        let weights: [(Story, usize); 6] = if ratio >= 20 {
            [
                (Story::Single, 1),
                (Story::Couple, 4),
                (Story::Company { staff: true }, 4),
                (Story::Company { staff: false }, 1),
                (Story::Family, 3),
                (Story::Other, 0),
            ]
        } else if ratio >= 14 {
            [
                (Story::Single, 3),
                (Story::Couple, 3),
                (Story::Company { staff: true }, 2),
                (Story::Company { staff: false }, 1),
                (Story::Family, 2),
                (Story::Other, 2),
            ]
        } else {
            [
                (Story::Single, 5),
                (Story::Couple, 1),
                (Story::Company { staff: true }, 0),
                (Story::Company { staff: false }, 1),
                (Story::Family, 0),
                (Story::Other, 3),
            ]
        };
        let total: usize = weights.iter().map(|w| w.1).sum();
        let mut n = self.rng.below(total);
        for (story, w) in weights {
            if n < w {
                return story;
            }
            n -= w;
        }
        Story::Single
    }

    fn tell(&mut self, story: Story) {
        let lang = LANGS[self.rng.below(LANGS.len())];
        match story {
            Story::Single => {
                let c = self.contact(lang, Person::default());
                let acc = self.individual(c, lang);
                self.link(acc, c, "", Some(1), true);
            }
            Story::Couple => {
                let (a, b) = self.couple(lang);
                let acc = self.joint(a, b, lang);
                self.link(acc, a, "Spouse", Some(1), true);
                self.link(acc, b, "Spouse", Some(2), false);
            }
            Story::Company { staff } => {
                let founder = self.contact(lang, Person::default());
                let (name, domain) = self.company_name(lang, founder);
                self.add_work_email(founder, &domain);
                let company = self.account(AccountType::Company, name.clone(), name, lang, None);
                self.link(company, founder, "Owner and managing director", Some(1), true);
                if staff {
                    let s = self.contact(
                        lang,
                        Person {
                            work: Some(&domain),
                            ..Person::default()
                        },
                    );
                    let role = self.rng.pick(&STAFF).to_owned();
                    self.link(company, s, &role, None, false);
                }
                // The owner's own tax return: their personal account.
                let personal = self.individual(founder, lang);
                self.link(personal, founder, "Primary contact", Some(1), true);
            }
            Story::Family => {
                let (a, b) = self.couple(lang);
                let joint = self.joint(a, b, lang);
                self.link(joint, a, "Spouse", Some(1), true);
                self.link(joint, b, "Spouse", Some(2), false);
                let last = self.out.contacts.get(a).map(|c| c.last_name.clone());
                let address = self.out.contacts.get(a).map(|c| c.address.clone());
                let parents = [a, b].map(|p| {
                    self.out
                        .contacts
                        .get(p)
                        .map(|c| c.first_name.clone())
                        .unwrap_or_default()
                });
                let child = self.contact(
                    lang,
                    Person {
                        last: last.as_deref(),
                        address,
                        not_named: &[&parents[0], &parents[1]],
                        ..Person::default()
                    },
                );
                let own = self.individual(child, lang);
                self.link(own, child, "Primary contact", Some(1), true);
                self.link(own, a, "Parent, holds power of attorney", None, false);
            }
            Story::Other => {
                let trustee = self.contact(lang, Person::default());
                let name = self.other_name(lang, trustee);
                let acc = self.account(AccountType::Other, name, String::new(), lang, None);
                self.link(acc, trustee, "Trustee", Some(1), true);
                // A client we already know sits on the board too.
                let known = self.shared_contact();
                if known != trustee {
                    self.link(acc, known, "Board member", Some(2), false);
                }
            }
        }
    }

    /// A contact to share: preferably one linked to fewer than three accounts.
    fn shared_contact(&mut self) -> usize {
        let n = self.out.contacts.len();
        let mut pick = self.rng.below(n);
        for _ in 0..4 {
            if self.link_counts.get(pick).is_some_and(|&k| k < 3) {
                break;
            }
            pick = self.rng.below(n);
        }
        pick
    }

    fn couple(&mut self, lang: Lang) -> (usize, usize) {
        let female = self.rng.chance(50);
        let a = self.contact(
            lang,
            Person {
                female: Some(female),
                ..Person::default()
            },
        );
        // Most couples share a last name; some are from two countries.
        let (last, lang_b) = if self.rng.chance(70) {
            (self.out.contacts.get(a).map(|c| c.last_name.clone()), lang)
        } else {
            (None, LANGS[self.rng.below(LANGS.len())])
        };
        let (address, name_a) = match self.out.contacts.get(a) {
            Some(c) => (Some(c.address.clone()), c.first_name.clone()),
            None => (None, String::new()),
        };
        let female_b = if self.rng.chance(90) { !female } else { female };
        let b = self.contact(
            lang_b,
            Person {
                female: Some(female_b),
                last: last.as_deref(),
                address,
                not_named: &[&name_a],
                ..Person::default()
            },
        );
        (a, b)
    }

    fn individual(&mut self, c: usize, lang: Lang) -> usize {
        let (name, address) = match self.out.contacts.get(c) {
            Some(p) => (format!("{} {}", p.first_name, p.last_name), p.address.clone()),
            None => (String::new(), Address::default()),
        };
        self.account(AccountType::Individual, name, String::new(), lang, Some(address))
    }

    fn joint(&mut self, a: usize, b: usize, lang: Lang) -> usize {
        let (pa, pb) = match (self.out.contacts.get(a), self.out.contacts.get(b)) {
            (Some(pa), Some(pb)) => (pa, pb),
            _ => return self.individual(a, lang),
        };
        let name = if pa.last_name == pb.last_name {
            format!("{} & {} {}", pa.first_name, pb.first_name, pa.last_name)
        } else {
            format!(
                "{} {} & {} {}",
                pa.first_name, pa.last_name, pb.first_name, pb.last_name
            )
        };
        let address = pa.address.clone();
        self.account(AccountType::Individual, name, String::new(), lang, Some(address))
    }

    fn company_name(&mut self, lang: Lang, founder: usize) -> (String, String) {
        let t = tables(lang);
        let last = self
            .out
            .contacts
            .get(founder)
            .map(|c| c.last_name.clone())
            .unwrap_or_default();
        let name = capitalised(&self.rng.pick(t.companies).replace("{L}", &last));
        let domain = format!("{}.example", slug(&name, "-"));
        (name, domain)
    }

    fn other_name(&mut self, lang: Lang, person: usize) -> String {
        let t = tables(lang);
        let last = self
            .out
            .contacts
            .get(person)
            .map(|c| c.last_name.clone())
            .unwrap_or_default();
        let city = t.cities.get(self.rng.below(t.cities.len())).map_or("", |c| c.0);
        capitalised(&self.rng.pick(t.others).replace("{L}", &last).replace("{C}", city))
    }

    fn account_lang(&self, acc: usize) -> Lang {
        let country = self
            .out
            .accounts
            .get(acc)
            .map(|a| a.address.country.as_str())
            .unwrap_or("");
        LANGS
            .into_iter()
            .find(|l| tables(*l).country == country)
            .unwrap_or(Lang::En)
    }

    // -- records -------------------------------------------------------------

    fn address(&mut self, lang: Lang) -> Address {
        let t = tables(lang);
        let (city, state, postal) = t
            .cities
            .get(self.rng.below(t.cities.len()))
            .copied()
            .unwrap_or_default();
        let street = self.rng.pick(t.streets);
        let number = 1 + self.rng.below(180);
        Address {
            street: if t.number_first {
                format!("{number} {street}")
            } else {
                format!("{street} {number}")
            },
            city: city.into(),
            state: state.into(),
            postal_code: self.rng.fill(postal),
            country: t.country.into(),
        }
    }

    /// Reserves `local@domain` (or a numbered variant when taken) and adds it
    /// to the contact's emails.
    fn add_email(&mut self, c: usize, local: &str, domain: &str) {
        let mut candidate = format!("{local}@{domain}");
        let mut print = fingerprint(&candidate);
        if self.used_emails.contains(&print) {
            // Taken: `local2`, `local3`, ... (counted per address, so a
            // common name does not try every number again).
            let n = self.email_counters.entry(print).or_insert(1);
            loop {
                *n += 1;
                candidate = format!("{local}{n}@{domain}");
                print = fingerprint(&candidate);
                if !self.used_emails.contains(&print) {
                    break;
                }
            }
        }
        let typed = if self.rng.chance(10) {
            capitalised(&candidate)
        } else {
            candidate.clone()
        };
        if let (Ok(email), Some(contact)) = (Email::parse(&typed), self.out.contacts.get_mut(c)) {
            self.used_emails.insert(print);
            contact.emails.push(email);
        }
    }

    fn add_work_email(&mut self, c: usize, domain: &str) {
        let first = self
            .out
            .contacts
            .get(c)
            .map(|x| slug(&x.first_name, ""))
            .unwrap_or_default();
        // The work address becomes the main one (at most three in all).
        if let Some(contact) = self.out.contacts.get_mut(c) {
            contact.emails.truncate(2);
        }
        self.add_email(c, &first, domain);
        if let Some(contact) = self.out.contacts.get_mut(c) {
            if let Some(work) = contact.emails.pop() {
                contact.emails.insert(0, work);
            }
        }
    }

    /// A new person, with 1–3 emails (one at `work` if given), phones, an
    /// address (`address` if given: same household), custom values.
    fn contact(&mut self, lang: Lang, p: Person) -> usize {
        let t = tables(lang);
        let female = p.female.unwrap_or_else(|| self.rng.chance(50));
        let names = if female { t.female } else { t.male };
        let mut first = self.rng.pick(names).to_owned();
        // Not the name of a spouse or a parent (the pools are larger than that).
        for _ in 0..names.len() {
            if !p.not_named.contains(&first.as_str()) {
                break;
            }
            let i = names.iter().position(|n| *n == first).unwrap_or(0);
            first = names.get((i + 1) % names.len()).copied().unwrap_or("").to_owned();
        }
        let Person {
            last, work, address, ..
        } = p;
        let last = match last {
            Some(l) => l.to_owned(),
            None => self.rng.pick(t.last).to_owned(),
        };
        let middle = if lang != Lang::Nl && self.rng.chance(15) {
            let m = self.rng.pick(names);
            if m == first {
                String::new()
            } else {
                m.to_owned()
            }
        } else {
            String::new()
        };
        let address = match address {
            Some(a) => a,
            None => self.address(lang),
        };
        let phones = match self.rng.below(20) {
            0..=1 => 0,
            2..=16 => 1,
            _ => 2,
        };
        let phones = (0..phones)
            .map(|_| {
                let p = self.rng.pick(t.phones);
                self.rng.fill(p)
            })
            .collect();
        let date_of_birth = if self.rng.chance(70) {
            let age_days = self.rng.between(20 * 365, 85 * 365).0;
            Timestamp(self.now - age_days * DAY).date_iso()
        } else {
            String::new()
        };
        let created = self.rng.between(self.now - 1100 * DAY, self.now - DAY);
        let mut custom = BTreeMap::new();
        let fields = &self.refs.contact_fields;
        if let Some(f) = fields.first() {
            if self.rng.chance(80) {
                custom.insert(f.id.clone(), t.language.to_owned());
            }
        }
        if let Some(f) = fields.get(1) {
            if self.rng.chance(50) {
                custom.insert(f.id.clone(), self.rng.fill(t.tax_id));
            }
        }
        if let Some(f) = fields.get(2) {
            if self.rng.chance(40) {
                custom.insert(f.id.clone(), created.date_iso());
            }
        }
        if let Some(f) = fields.get(3) {
            if self.rng.chance(60) {
                let v = if self.rng.chance(50) { "yes" } else { "no" };
                custom.insert(f.id.clone(), v.to_owned());
            }
        }
        let mut tags = Vec::new();
        if self.rng.chance(12) {
            if let Some(vip) = self.refs.tags.first() {
                tags.push(vip.id.clone());
            }
        }
        let index = self.out.contacts.len();
        self.out.contacts.push(Contact {
            id: self.rng.id(),
            first_name: first.clone(),
            middle_name: middle,
            last_name: last.clone(),
            emails: Vec::new(),
            phones,
            address,
            date_of_birth,
            tags,
            custom,
            created_at: created,
            updated_at: created,
        });
        self.langs.push(lang);
        self.link_counts.push(0);
        let first_slug = slug(&first, "");
        let local = format!("{first_slug}.{}", slug(&last, ""));
        let main = self.rng.pick(t.mail);
        self.add_email(index, &local, work.unwrap_or(main));
        let extra = match self.rng.below(10) {
            0..=5 => 0,
            6..=8 => 1,
            _ => 2,
        };
        for k in 0..extra {
            let domain = t.mail.get((k + 1) % t.mail.len()).copied().unwrap_or(main);
            let local = if k == 0 {
                format!("{first_slug}{}", 1950 + self.rng.below(55))
            } else {
                format!("{local}.tax")
            };
            self.add_email(index, &local, domain);
        }
        if self.rng.chance(20) {
            let touched = self.rng.between(created.0, self.now);
            if let Some(c) = self.out.contacts.get_mut(index) {
                c.updated_at = touched;
            }
        }
        index
    }

    /// A new account with tags, team, roles, custom values and a folder
    /// template chosen to fit its type; its history is written at the end.
    fn account(
        &mut self,
        kind: AccountType,
        name: String,
        company_name: String,
        lang: Lang,
        address: Option<Address>,
    ) -> usize {
        let t = tables(lang);
        let index = self.out.accounts.len();
        let address = match address {
            Some(a) => a,
            None => self.address(lang),
        };
        let created = self.rng.between(self.now - 1000 * DAY, self.now - 2 * DAY);
        let mut later = Vec::new();
        let mut tags = Vec::new();
        let mut want = |i: usize, percent: u64, rng: &mut Rng| {
            if rng.chance(percent) {
                if let Some(tag) = self.refs.tags.get(i) {
                    tags.push(tag.clone());
                }
            }
        };
        want(0, 10, &mut self.rng);
        match kind {
            AccountType::Company => {
                want(1, 60, &mut self.rng);
                want(2, 50, &mut self.rng);
                want(6, 25, &mut self.rng);
            }
            AccountType::Other => want(5, 80, &mut self.rng),
            AccountType::Individual => want(6, 15, &mut self.rng),
        }
        if created.0 > self.now - 90 * DAY {
            want(3, 100, &mut self.rng);
        }
        want(4, 6, &mut self.rng);
        // Team: one or two members; sometimes assigned after creation.
        let members = &self.refs.members;
        let mut team = Vec::new();
        let first = self.rng.below(members.len());
        let second = self.rng.below(members.len());
        for m in [first, second] {
            if let Some(member) = members.get(m) {
                if !team.iter().any(|x: &TeamMember| x.id == member.id) {
                    team.push(member.clone());
                }
            }
            if self.rng.chance(50) {
                break;
            }
        }
        let mut roles = Vec::new();
        if self.rng.chance(60) {
            if let (Some(role), Some(member)) = (self.refs.roles.get(self.rng.below(4)), team.first()) {
                roles.push((role.clone(), member.clone()));
            }
        }
        if self.rng.chance(30) {
            if let (Some(role), Some(owner)) = (self.refs.roles.get(1), members.first()) {
                if !roles.iter().any(|(r, _)| r.id == role.id) {
                    roles.push((role.clone(), owner.clone()));
                }
            }
        }
        // Custom values.
        let f = &self.refs.account_fields;
        let mut custom = BTreeMap::new();
        let company = kind == AccountType::Company;
        let mut set = |i: usize, value: String| {
            if let Some(def) = f.get(i) {
                custom.insert(def.id.clone(), value);
            }
        };
        if company || self.rng.chance(20) {
            let month = ["December", "March", "June", "September"][self.rng.below(4)];
            set(0, month.to_owned());
        }
        if company {
            set(1, self.rng.fill(t.vat));
        }
        let fee = if self.rng.chance(70) {
            let base = if company { 1500 } else { 300 };
            let fee = base + 50 * self.rng.below(60);
            set(2, fee.to_string());
            Some(fee)
        } else {
            None
        };
        if self.rng.chance(70) {
            set(3, if self.rng.chance(85) { "yes" } else { "no" }.to_owned());
        }
        if self.rng.chance(50) {
            let due = Timestamp(self.now + self.rng.below(120) as i64 * DAY);
            set(4, due.date_iso());
        }
        if company && self.rng.chance(60) {
            set(5, format!("invoices@{}.example", slug(&company_name, "-")));
        }
        if company && self.rng.chance(50) {
            let p = self.rng.pick(t.phones);
            set(6, self.rng.fill(p));
        }
        let template = match kind {
            AccountType::Company if self.rng.chance(80) => self.refs.templates.get(1),
            AccountType::Individual if self.rng.chance(50) => self.refs.templates.first(),
            _ => None,
        };
        let folder_template = template.map(|t| t.id.clone());
        // Archived: every twelfth account from the eighth on, so a practice
        // of 8 accounts or more has one.
        let archived = index % 12 == 7 || (index > 12 && self.rng.chance(3));
        // What happened after creation, for the history.
        let span = self.now - created.0;
        let at = |rng: &mut Rng| rng.between(created.0 + 1, created.0 + span * 9 / 10);
        for tag in &tags {
            if self.rng.chance(40) {
                later.push((
                    at(&mut self.rng),
                    Change::TagAdded {
                        tag: tag.name.clone(),
                    },
                ));
            }
        }
        for m in &team {
            if self.rng.chance(40) {
                later.push((
                    at(&mut self.rng),
                    Change::MemberAssigned {
                        member: m.name.clone(),
                    },
                ));
            }
        }
        for (role, member) in &roles {
            later.push((
                at(&mut self.rng),
                Change::RoleAssigned {
                    role: role.name.clone(),
                    member: member.name.clone(),
                },
            ));
        }
        if let (Some(fee), Some(def)) = (fee, f.get(2)) {
            if self.rng.chance(30) {
                later.push((
                    at(&mut self.rng),
                    Change::FieldChanged {
                        field: def.label.clone(),
                        from: (fee - 100).to_string(),
                        to: fee.to_string(),
                    },
                ));
            }
        }
        if let Some(tpl) = template {
            if self.rng.chance(30) {
                later.push((
                    at(&mut self.rng),
                    Change::FolderTemplateChanged { to: tpl.name.clone() },
                ));
            }
        }
        if self.rng.chance(8) {
            later.push((at(&mut self.rng), Change::AddressChanged));
        }
        if archived {
            later.push((Timestamp(created.0 + span * 19 / 20), Change::Archived));
        }
        self.out.accounts.push(Account {
            id: self.rng.id(),
            name,
            kind,
            company_name,
            address,
            tags: tags.into_iter().map(|t| t.id).collect(),
            team: team.iter().map(|m| m.id.clone()).collect(),
            roles: roles
                .into_iter()
                .map(|(role, member)| RoleAssignment {
                    role: role.id,
                    member: member.id,
                })
                .collect(),
            custom,
            folder_template,
            has_photo: false,
            archived,
            created_at: created,
            updated_at: created,
        });
        self.events.push(later);
        self.first_names.push(None);
        index
    }

    /// Links contact `c` to account `acc`, with switches for each of its
    /// emails. The `primary` contact usually has portal access (some
    /// invitations still pending).
    fn link(&mut self, acc: usize, c: usize, description: &str, signer_priority: Option<u32>, primary: bool) {
        let (Some(account), Some(contact)) = (self.out.accounts.get(acc), self.out.contacts.get(c)) else {
            return;
        };
        let (account_id, created) = (account.id.clone(), account.created_at);
        let (contact_id, name, keys) = (contact.id.clone(), contact.display_name(), contact.email_keys());
        let first_name = contact.first_name.clone();
        // A person is on file from their first account on.
        if let Some(contact) = self.out.contacts.get_mut(c) {
            if contact.created_at > created {
                contact.created_at = created;
                contact.updated_at = contact.updated_at.max(created);
            }
        }
        let mut access = Vec::with_capacity(keys.len());
        for (k, email) in keys.into_iter().enumerate() {
            let main = k == 0;
            let login = main && self.rng.chance(if primary { 70 } else { 30 });
            let notify = login || self.rng.chance(if main { 50 } else { 15 });
            let sync = self.rng.chance(if main { 30 } else { 40 });
            let mut a = EmailAccess::new(email, login, notify, sync);
            a.signatory = login && signer_priority.is_some();
            if notify && self.rng.chance(25) {
                a.notify_prefs.organizers = false;
                a.notify_prefs.messages = self.rng.chance(50);
            }
            if login {
                let invited = self.rng.between(created.0, self.now - DAY);
                a.invited_at = Some(invited);
                if self.rng.chance(80) {
                    a.activated_at = Some(self.rng.between(invited.0 + 3_600_000, self.now));
                }
            }
            access.push(a);
        }
        if let Some(k) = self.link_counts.get_mut(c) {
            *k = k.saturating_add(1);
        }
        let slot = self.first_names.get_mut(acc);
        if let Some(slot @ None) = slot {
            *slot = Some(first_name);
        } else {
            // Not the account's first contact: linked after it was made.
            let at = self.rng.between(created.0 + 1, self.now - DAY);
            if let Some(events) = self.events.get_mut(acc) {
                events.push((at, Change::ContactLinked { contact: name }));
            }
        }
        self.out.links.push(Link {
            account_id,
            contact_id,
            description: description.to_owned(),
            signer_priority,
            email_access: access,
        });
    }

    /// Notes and history for every account, then the finished practice.
    fn finish(mut self) -> Practice {
        let authors: Vec<String> = self.refs.members.iter().map(|m| m.name.clone()).collect();
        let first_names = std::mem::take(&mut self.first_names);
        let events = std::mem::take(&mut self.events);
        for (i, mut later) in events.into_iter().enumerate() {
            let Some(account) = self.out.accounts.get(i) else {
                continue;
            };
            let (account_id, created) = (account.id.clone(), account.created_at);
            let pick = |rng: &mut Rng| authors.get(rng.below(authors.len())).cloned().unwrap_or_default();
            let creator = pick(&mut self.rng);
            self.out.history.push(HistoryEntry {
                id: self.rng.id(),
                account_id: account_id.clone(),
                at: created,
                by: creator,
                change: Change::Created,
            });
            super::sort::sort_by_key(&mut later, |(t, _)| *t);
            let mut updated = created;
            for (at, change) in later {
                updated = updated.max(at);
                let by = pick(&mut self.rng);
                self.out.history.push(HistoryEntry {
                    id: self.rng.id(),
                    account_id: account_id.clone(),
                    at,
                    by,
                    change,
                });
            }
            let notes = match self.rng.below(10) {
                0..=2 => 0,
                3..=6 => 1,
                7..=8 => 2,
                _ => 3,
            };
            let first = first_names.get(i).cloned().flatten().unwrap_or_default();
            for _ in 0..notes {
                let at = self.rng.between(created.0, self.now);
                let year = at
                    .date_iso()
                    .get(..4)
                    .map_or(2024, |y| y.parse::<i32>().unwrap_or(2024))
                    - 1;
                let text = self
                    .rng
                    .pick(&NOTES)
                    .replace("{Y}", &year.to_string())
                    .replace("{F}", if first.is_empty() { "The client" } else { &first });
                let by = pick(&mut self.rng);
                let edited = if self.rng.chance(15) {
                    self.rng.between(at.0, self.now)
                } else {
                    at
                };
                self.out.notes.push(Note {
                    id: self.rng.id(),
                    account_id: account_id.clone(),
                    text,
                    by,
                    created_at: at,
                    updated_at: edited,
                });
            }
            if let Some(account) = self.out.accounts.get_mut(i) {
                account.updated_at = updated;
            }
        }
        self.out
    }
}

/// What is already decided about a new person.
#[derive(Default)]
struct Person<'a> {
    female: Option<bool>,
    /// Same family.
    last: Option<&'a str>,
    /// The domain of their employer: their main email is there.
    work: Option<&'a str>,
    /// Same household.
    address: Option<Address>,
    /// First names of a spouse or parents, not to be repeated.
    not_named: &'a [&'a str],
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Story {
    /// One person, one individual account.
    Single,
    /// Two people, one joint account.
    Couple,
    /// A firm (owner, maybe a member of staff) and the owner's personal account.
    Company { staff: bool },
    /// A couple's joint account and their adult child's account, with one
    /// parent linked to it too.
    Family,
    /// A foundation, association or estate: a trustee, and a client we
    /// already know on the board.
    Other,
}

impl Story {
    /// (accounts, new contacts) the story makes.
    fn needs(self) -> (usize, usize) {
        match self {
            Self::Single => (1, 1),
            Self::Couple => (1, 2),
            Self::Company { staff: true } => (2, 2),
            Self::Company { staff: false } => (2, 1),
            Self::Family => (2, 3),
            Self::Other => (1, 1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    const NOW: Timestamp = Timestamp(1_795_305_600_000);

    fn links_per_contact(p: &Practice) -> HashMap<&str, usize> {
        let mut m = HashMap::new();
        for l in &p.links {
            *m.entry(l.contact_id.as_str()).or_insert(0) += 1;
        }
        m
    }

    #[test]
    fn same_seed_same_practice_other_seed_other_practice() {
        let a = generate(7, DemoSize::PRACTICE, NOW);
        let b = generate(7, DemoSize::PRACTICE, NOW);
        assert_eq!(a, b);
        let c = generate(8, DemoSize::PRACTICE, NOW);
        assert_ne!(a.accounts, c.accounts);
        assert_ne!(a.contacts, c.contacts);
        let ids_a: BTreeSet<_> = a.accounts.iter().map(|x| x.id.clone()).collect();
        assert!(c.accounts.iter().all(|x| !ids_a.contains(&x.id)));
    }

    #[test]
    fn sizes_are_exact() {
        for (seed, size) in [
            (1, DemoSize::PRACTICE),
            (2, DemoSize::for_contacts(1)),
            (3, DemoSize::for_contacts(3)),
            (4, DemoSize::for_contacts(1001)),
            (
                5,
                DemoSize {
                    accounts: 10,
                    contacts: 3,
                },
            ),
            (
                6,
                DemoSize {
                    accounts: 2,
                    contacts: 40,
                },
            ),
            (
                7,
                DemoSize {
                    accounts: 1,
                    contacts: 1,
                },
            ),
        ] {
            let p = generate(seed, size, NOW);
            assert_eq!(p.accounts.len(), size.accounts, "{size:?}");
            assert_eq!(p.contacts.len(), size.contacts, "{size:?}");
        }
        let none = generate(
            1,
            DemoSize {
                accounts: 5,
                contacts: 0,
            },
            NOW,
        );
        assert!(none.accounts.is_empty() && none.contacts.is_empty() && none.links.is_empty());
        assert_eq!(
            DemoSize::for_contacts(100_000),
            DemoSize {
                accounts: 50_000,
                contacts: 100_000
            }
        );
    }

    /// Every account has a contact, every contact an account, ids and emails
    /// are unique, links list the contact's emails in order, times are past.
    fn check_invariants(p: &Practice) {
        let accounts: HashSet<&str> = p.accounts.iter().map(|a| a.id.as_str()).collect();
        let contacts: HashSet<&str> = p.contacts.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(accounts.len(), p.accounts.len(), "account ids unique");
        assert_eq!(contacts.len(), p.contacts.len(), "contact ids unique");
        let mut all_ids: HashSet<&str> = accounts.union(&contacts).copied().collect();
        for id in p
            .catalog
            .iter()
            .map(CatalogItem::id)
            .chain(p.notes.iter().map(|n| n.id.as_str()))
            .chain(p.history.iter().map(|h| h.id.as_str()))
        {
            assert!(all_ids.insert(id), "id {id} used twice");
        }
        let mut emails = HashSet::new();
        for c in &p.contacts {
            assert!((1..=3).contains(&c.emails.len()), "{c:?}");
            for e in &c.emails {
                assert!(emails.insert(e.key()), "{e} used twice");
                assert!(e.key().ends_with(".example"), "{e}");
            }
            assert!(!c.first_name.is_empty() && !c.last_name.is_empty());
            assert!(c.created_at <= c.updated_at && c.updated_at <= NOW);
        }
        let by_contact: HashMap<&str, &Contact> = p.contacts.iter().map(|c| (c.id.as_str(), c)).collect();
        let mut linked_accounts = HashSet::new();
        let mut linked_contacts = HashSet::new();
        let mut pairs = HashSet::new();
        for l in &p.links {
            assert!(accounts.contains(l.account_id.as_str()));
            let c = by_contact[l.contact_id.as_str()];
            let keys: Vec<&str> = l.email_access.iter().map(|a| a.email.as_str()).collect();
            assert_eq!(
                keys,
                c.email_keys().iter().map(String::as_str).collect::<Vec<_>>()
            );
            assert!(
                pairs.insert((l.account_id.as_str(), l.contact_id.as_str())),
                "linked twice"
            );
            linked_accounts.insert(l.account_id.as_str());
            linked_contacts.insert(l.contact_id.as_str());
        }
        assert_eq!(
            linked_accounts.len(),
            p.accounts.len(),
            "every account has a contact"
        );
        if !p.accounts.is_empty() {
            assert_eq!(
                linked_contacts.len(),
                p.contacts.len(),
                "every contact has an account"
            );
        }
        for a in &p.accounts {
            assert!(a.created_at <= a.updated_at && a.updated_at <= NOW, "{a:?}");
            let mut e = crate::domain::ValidationErrors::default();
            crate::domain::account::check_account_name(&mut e, "name", &a.name);
            assert!(e.is_empty(), "{}: {e}", a.name);
        }
        for n in &p.notes {
            assert!(accounts.contains(n.account_id.as_str()) && n.updated_at <= NOW);
        }
        for h in &p.history {
            assert!(accounts.contains(h.account_id.as_str()) && h.at <= NOW);
        }
    }

    #[test]
    fn invariants_hold_at_every_size() {
        for (seed, n) in [(1, 0), (2, 1), (3, 2), (4, 7), (5, 50), (6, 333), (7, 10_000)] {
            check_invariants(&generate(seed, DemoSize::for_contacts(n), NOW));
        }
        for seed in 0..20 {
            check_invariants(&generate(seed, DemoSize::PRACTICE, NOW));
        }
    }

    #[test]
    fn the_demo_firm_has_every_shape_of_data() {
        for seed in 0..20 {
            let p = generate(seed, DemoSize::PRACTICE, NOW);
            for kind in AccountType::ALL {
                assert!(
                    p.accounts.iter().any(|a| a.kind == kind),
                    "seed {seed}: no {kind:?}"
                );
            }
            let shared = links_per_contact(&p);
            assert!(shared.values().any(|&n| n >= 2), "seed {seed}: no shared contact");
            assert!(shared.values().all(|&n| n <= 4), "seed {seed}: {shared:?}");
            // A couple's joint account: an individual account with two contacts.
            let mut per_account: HashMap<&str, usize> = HashMap::new();
            for l in &p.links {
                *per_account.entry(l.account_id.as_str()).or_insert(0) += 1;
            }
            assert!(p
                .accounts
                .iter()
                .any(|a| a.kind == AccountType::Individual && per_account[a.id.as_str()] >= 2));
            assert!(p.accounts.iter().any(|a| a.archived), "seed {seed}");
            assert!(p.accounts.iter().any(|a| !a.archived));
            let pending = p
                .links
                .iter()
                .flat_map(|l| &l.email_access)
                .any(|a| a.pending_activation());
            assert!(pending, "seed {seed}: no pending invitation");
            assert!(p.contacts.iter().any(|c| c.emails.len() == 1));
            assert!(p.contacts.iter().any(|c| c.emails.len() >= 2));
            assert!(p
                .contacts
                .iter()
                .any(|c| !c.first_name.is_ascii() || !c.last_name.is_ascii()));
            assert!(p.accounts.iter().any(|a| !a.custom.is_empty()));
            assert!(p.contacts.iter().any(|c| !c.custom.is_empty()));
            assert!(p.accounts.iter().any(|a| !a.roles.is_empty()));
            assert!(p.accounts.iter().any(|a| !a.tags.is_empty()));
            assert!(p.links.iter().any(|l| !l.description.is_empty()));
            assert!(!p.notes.is_empty());
            assert!(p.history.len() > p.accounts.len());
            let countries: HashSet<&str> = p.contacts.iter().map(|c| c.address.country.as_str()).collect();
            assert!(countries.len() >= 3, "seed {seed}: {countries:?}");
        }
    }

    #[test]
    fn the_team_has_one_owner_and_employees_assigned_to_accounts() {
        let p = generate(3, DemoSize::PRACTICE, NOW);
        let members: Vec<&TeamMember> = p
            .catalog
            .iter()
            .filter_map(|i| match i {
                CatalogItem::Member(m) => Some(m),
                _ => None,
            })
            .collect();
        assert_eq!(members.iter().filter(|m| m.role == TeamRole::Owner).count(), 1);
        for m in members.iter().filter(|m| m.role == TeamRole::Employee) {
            assert!(
                p.accounts.iter().any(|a| a.team.contains(&m.id)),
                "{} has no account",
                m.name
            );
        }
        let tags: Vec<&Tag> = p
            .catalog
            .iter()
            .filter_map(|i| match i {
                CatalogItem::Tag(t) => Some(t),
                _ => None,
            })
            .collect();
        let colours: HashSet<&str> = tags.iter().map(|t| t.color.as_str()).collect();
        assert!(colours.len() >= 5);
    }

    #[test]
    fn a_hundred_thousand_contacts_have_unique_emails_and_ids() {
        let p = generate(11, DemoSize::for_contacts(100_000), NOW);
        assert_eq!(p.contacts.len(), 100_000);
        assert_eq!(p.accounts.len(), 50_000);
        let emails: HashSet<String> = p.contacts.iter().flat_map(Contact::email_keys).collect();
        assert_eq!(
            emails.len(),
            p.contacts.iter().map(|c| c.emails.len()).sum::<usize>()
        );
        let ids: HashSet<&str> = p.contacts.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids.len(), 100_000);
        let kinds: HashSet<AccountType> = p.accounts.iter().map(|a| a.kind).collect();
        assert_eq!(kinds.len(), 3);
    }
}
