use super::guess::{guess, Part, Target};
use super::plan::{self, Job, Mode, Settings};
use super::*;
use crate::bundle::Contents;
use crate::domain::catalog::{
    AccountRole, Catalog, CatalogItem, FieldDef, FieldKind, FieldTarget, Tag, TeamMember, TeamRole,
};
use crate::domain::ids::{IdSource, SeededIds};
use crate::domain::{AccountType, Timestamp};
use crate::store::memory::MemoryStore;

const GOOGLE: &[u8] = include_bytes!("samples/google.csv");
const GOOGLE_LEGACY: &[u8] = include_bytes!("samples/google-legacy.csv");
const OUTLOOK: &[u8] = include_bytes!("samples/outlook.csv");

fn table(text: &str) -> Table {
    match read(text.as_bytes()) {
        Ok(t) => t,
        Err(e) => panic!("{e}: {:?}", e.problems()),
    }
}

fn cells(t: &Table) -> Vec<Vec<&str>> {
    t.rows
        .iter()
        .map(|r| r.cells.iter().map(String::as_str).collect())
        .collect()
}

fn problems_of(bytes: &[u8]) -> Vec<String> {
    match read(bytes) {
        Err(CsvError::Invalid(p)) => p,
        other => panic!("expected problems, got {other:?}"),
    }
}

// ----- reading ------------------------------------------------------------

#[test]
fn quoted_cells_keep_separators_quotes_and_line_breaks() {
    let t =
        table("Name,Notes,City\r\n\"Smith, Kate\",\"She said \"\"hi\"\"\r\nand left\",Cluj\r\nBob,,\"\"\r\n");
    assert_eq!(t.headers, ["Name", "Notes", "City"]);
    assert_eq!(t.separator, ',');
    assert_eq!(
        cells(&t),
        [
            vec!["Smith, Kate", "She said \"hi\"\r\nand left", "Cluj"],
            vec!["Bob", "", ""]
        ]
    );
    // The line break inside a cell does not start a row: Bob is row 3.
    assert_eq!(t.rows[1].number, 3);
}

#[test]
fn separator_is_found_from_the_header() {
    let t = table("Vorname;Nachname;E-Mail\nJürgen;Müller;j@example.de\n");
    assert_eq!(t.separator, ';');
    assert_eq!(cells(&t), [vec!["Jürgen", "Müller", "j@example.de"]]);
    let t = table("a\tb\n1\t2, 3\n");
    assert_eq!(t.separator, '\t');
    assert_eq!(cells(&t), [vec!["1", "2, 3"]]);
    // Semicolons inside quotes do not count.
    let t = table("\"a;b;c\",d\n1,2\n");
    assert_eq!((t.separator, t.headers.len()), (',', 2));
    // Excel's hint line.
    let t = table("sep=;\r\nName;Email\r\nAna;a@x.ro\r\n");
    assert_eq!(t.separator, ';');
    assert_eq!(t.headers, ["Name", "Email"]);
    assert_eq!(t.rows[0].number, 2);
    // A single column.
    let t = table("Email\na@x.io\n");
    assert_eq!(cells(&t), [vec!["a@x.io"]]);
}

#[test]
fn encodings_bom_utf16_and_windows_1252() {
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice("Prénom,Nom\nChloé,Martin\n".as_bytes());
    let t = read(&bytes).unwrap();
    assert_eq!(t.encoding, Encoding::Utf8Bom);
    assert_eq!(t.headers, ["Prénom", "Nom"]);

    let text = "Vorname\tNachname\r\nJürgen\tMüller\r\n";
    let mut le = vec![0xFF, 0xFE];
    le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let t = read(&le).unwrap();
    assert_eq!((t.encoding, t.separator), (Encoding::Utf16Le, '\t'));
    assert_eq!(cells(&t), [vec!["Jürgen", "Müller"]]);
    let mut be = vec![0xFE, 0xFF];
    be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
    assert_eq!(cells(&read(&be).unwrap()), [vec!["Jürgen", "Müller"]]);

    // "Müller;Straße;5 €" in Windows-1252.
    let t = read(b"Name;Street;Fee\nM\xfcller;Stra\xdfe;5 \x80\n").unwrap();
    assert_eq!(t.encoding, Encoding::Windows1252);
    assert_eq!(cells(&t), [vec!["Müller", "Straße", "5 €"]]);

    // A UTF-8 mark on bytes that are not UTF-8 is a clear problem.
    let p = problems_of(b"\xEF\xBB\xBFName\nM\xfcller\n");
    assert!(p[0].contains("not valid UTF-8"), "{p:?}");
}

#[test]
fn ragged_rows_are_reported_with_their_row_numbers() {
    let p = problems_of(b"a,b,c\n1,2,3\n1,2\n\n1,2,3,4\n1,2,3,,\n\"x\ny\",2,3\n1\n");
    assert_eq!(
        p,
        [
            "row 3: 2 cells, but the header has 3 columns",
            "row 5: 4 cells, but the header has 3 columns (is a cell with a separator not in quotes?)",
            "row 8: 1 cells, but the header has 3 columns",
        ]
    );
}

#[test]
fn an_unclosed_quote_is_reported() {
    let p = problems_of(b"a,b\n1,2\n\"3,4\n5,6\n");
    assert!(
        p.iter()
            .any(|l| l.starts_with("row 3: a quoted cell is not closed")),
        "{p:?}"
    );
}

#[test]
fn blank_rows_are_skipped_but_counted() {
    let t = table("a;b\n\n;\n 1 ;2\n\n");
    assert_eq!(t.rows.len(), 1);
    assert_eq!(t.rows[0].number, 4);
    assert_eq!(t.rows[0].cells, [" 1 ", "2"]);
}

#[test]
fn whole_file_refusals() {
    assert_eq!(read(b""), Err(CsvError::Empty));
    assert_eq!(read(b"\n\n;;\n"), Err(CsvError::Empty));
    assert_eq!(read(b"PK\x03\x04rest of a zip"), Err(CsvError::Workbook));
    assert_eq!(read(b"a,b\n1,\x002\n"), Err(CsvError::Binary));
    let big = vec![b'a'; MAX_CSV_BYTES + 1];
    assert_eq!(read(&big), Err(CsvError::TooLarge(MAX_CSV_BYTES + 1)));
    let wide = format!("{}\n", vec!["x"; MAX_COLUMNS + 2].join(","));
    assert_eq!(read(wide.as_bytes()), Err(CsvError::TooManyColumns));
    let long = "a\n1\n".repeat(MAX_ROWS / 2 + 2);
    assert_eq!(read(long.as_bytes()), Err(CsvError::TooManyRows));
    crate::i18n::set_lang(crate::i18n::Lang::En);
    assert!(crate::error::csv_error_text(&CsvError::TooLarge(1)).contains("32 MiB"));
}

// ----- writing ------------------------------------------------------------

#[test]
fn written_files_open_in_spreadsheets_without_running_anything() {
    let rows: Vec<Vec<String>> = vec![
        vec!["Name".into(), "Phone".into(), "Note".into()],
        vec!["=SUM(A1:A9)".into(), "+40 721 123 456".into(), "-5".into()],
        vec!["@cmd".into(), "\tx".into(), "\rx".into()],
        vec![
            "'t Hooft".into(),
            "Ștefănescu, Ana".into(),
            "line\nbreak \"q\"".into(),
        ],
    ];
    let text = write(&rows);
    assert!(text.starts_with('\u{feff}'));
    assert!(
        text.contains("\r\n'=SUM(A1:A9),'+40 721 123 456,'-5\r\n"),
        "{text}"
    );
    assert!(text.contains("'@cmd,\"'\tx\",\"'\rx\""), "{text}");
    assert!(
        text.contains("''t Hooft,\"Ștefănescu, Ana\",\"line\nbreak \"\"q\"\"\""),
        "{text}"
    );
    // No cell of the file starts with a formula character.
    for line in text.split("\r\n") {
        for cell in line.split(',') {
            let c = cell.trim_start_matches('"');
            assert!(!c.starts_with(['=', '+', '-', '@']), "{cell:?} in {text}");
        }
    }
    let back = read(text.as_bytes()).unwrap();
    assert_eq!(back.encoding, Encoding::Utf8Bom);
    assert_eq!(back.headers, rows[0]);
    let read_rows: Vec<Vec<String>> = back.rows.into_iter().map(|r| r.cells).collect();
    assert_eq!(read_rows, rows[1..]);
}

#[test]
fn a_typed_apostrophe_before_a_formula_character_is_dropped() {
    let t = table("Phone,Name\n'+40 721,'t Hooft\n");
    assert_eq!(cells(&t), [vec!["+40 721", "'t Hooft"]]);
}

#[test]
fn column_letters() {
    assert_eq!(column_letter(0), "A");
    assert_eq!(column_letter(25), "Z");
    assert_eq!(column_letter(26), "AA");
    assert_eq!(column_letter(701), "ZZ");
    assert_eq!(column_letter(702), "AAA");
}

#[cfg(not(target_arch = "wasm32"))]
mod property {
    use super::*;
    use proptest::prelude::*;

    /// Any text, with the characters that matter to CSV made likely.
    fn value() -> impl Strategy<Value = String> {
        prop_oneof![
            "[\\PC]{0,12}",
            "[,;\t\"\r\n '=+@a-]{0,8}",
            Just(String::new()),
            "[\\PC\r\n\"]{0,30}",
        ]
    }

    fn any_csv() -> impl Strategy<Value = Vec<u8>> {
        proptest::collection::vec(
            prop_oneof![
                Just(b','),
                Just(b';'),
                Just(b'\t'),
                Just(b'"'),
                Just(b'\r'),
                Just(b'\n'),
                Just(b'\''),
                Just(b'a'),
                Just(0xC3),
                Just(0xA9),
                Just(0xEF),
                Just(0xBB),
                Just(0xBF),
                Just(0xFF),
                Just(0xFE),
                Just(0x00),
                any::<u8>(),
            ],
            0..300,
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]
        #[test]
        fn rows_written_then_read_back_are_equal(
            width in 1usize..5,
            raw in proptest::collection::vec(proptest::collection::vec(value(), 4), 1..8),
        ) {
            let rows: Vec<Vec<String>> = raw
                .into_iter()
                .map(|r| r.into_iter().take(width).collect::<Vec<_>>())
                // Blank rows are skipped by design; a header has a name.
                .filter(|r: &Vec<String>| r.iter().any(|c| !c.trim().is_empty()))
                .collect();
            prop_assume!(!rows.is_empty());
            let back = read(write(&rows).as_bytes()).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
            let header: Vec<String> = rows[0].iter().map(|h| h.trim().to_owned()).collect();
            prop_assert_eq!(back.headers, header);
            let read_rows: Vec<Vec<String>> = back.rows.into_iter().map(|r| r.cells).collect();
            prop_assert_eq!(read_rows, rows[1..].to_vec());
        }

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let _ = read(&bytes);
        }

        #[test]
        fn arbitrary_csv_like_bytes_never_panic_and_plan_safely(bytes in any_csv()) {
            if let Ok(t) = read(&bytes) {
                for r in &t.rows {
                    prop_assert_eq!(r.cells.len(), t.headers.len());
                }
                let catalog = Catalog::default();
                let mapping = guess(&t.headers, &catalog);
                let settings = Settings::default();
                let job = Job { table: &t, mapping: &mapping, settings: &settings, by: "" };
                let _ = plan::plan(&Contents::default(), &job, &mut SeededIds::new(1), Timestamp(0));
                let _ = plan::preview(&t, &mapping, &settings, &catalog, 5);
            }
        }
    }
}

// ----- guessing -----------------------------------------------------------

fn guessed(headers: &[&str], catalog: &Catalog) -> Vec<Target> {
    let h: Vec<String> = headers.iter().map(|s| s.to_string()).collect();
    guess(&h, catalog)
}

fn practice() -> (Catalog, Contents) {
    let mut ids = SeededIds::new(77);
    let items = vec![
        CatalogItem::Member(TeamMember {
            id: ids.id(),
            name: "Olga Owner".into(),
            email: "olga@firm.example".into(),
            role: TeamRole::Owner,
            view_all_accounts: true,
            manage_accounts: true,
        }),
        CatalogItem::Member(TeamMember {
            id: ids.id(),
            name: "Ann Lee".into(),
            email: "ann@firm.example".into(),
            role: TeamRole::Employee,
            view_all_accounts: false,
            manage_accounts: true,
        }),
        CatalogItem::Role(AccountRole {
            id: ids.id(),
            name: "Preparer".into(),
        }),
        CatalogItem::Field(FieldDef {
            id: ids.id(),
            target: FieldTarget::Account,
            label: "Tax ID".into(),
            kind: FieldKind::Text,
        }),
        CatalogItem::Field(FieldDef {
            id: ids.id(),
            target: FieldTarget::Account,
            label: "Billing".into(),
            kind: FieldKind::Dropdown(vec!["Monthly".into(), "Yearly".into()]),
        }),
        CatalogItem::Field(FieldDef {
            id: ids.id(),
            target: FieldTarget::Contact,
            label: "Newsletter".into(),
            kind: FieldKind::YesNo,
        }),
        CatalogItem::Field(FieldDef {
            id: ids.id(),
            target: FieldTarget::Contact,
            label: "Phone".into(),
            kind: FieldKind::Phone,
        }),
        CatalogItem::Tag(Tag {
            id: ids.id(),
            name: "VIP".into(),
            color: "red".into(),
        }),
    ];
    let contents = Contents {
        catalog: items.clone(),
        ..Default::default()
    };
    (Catalog::from_items(items), contents)
}

#[test]
fn headers_are_guessed_in_five_languages() {
    use Target::*;
    let c = Catalog::default();
    let expect = [
        AccountName,
        AccountType,
        CompanyName,
        FirstName,
        MiddleName,
        LastName,
        Email,
        Phone,
        ContactAddress(Part::Street),
        ContactAddress(Part::City),
        ContactAddress(Part::PostalCode),
        ContactAddress(Part::Country),
        DateOfBirth,
        AccountTags,
        AccountNote,
    ];
    let languages: [[&str; 15]; 5] = [
        [
            "Account Name",
            "Account Type",
            "Company Name",
            "First Name",
            "Middle Name",
            "Last Name",
            "Email Address",
            "Phone Number",
            "Street",
            "City",
            "ZIP",
            "Country",
            "Date of Birth",
            "Tags",
            "Notes",
        ],
        [
            "Kontoname",
            "Kontotyp",
            "Firmenname",
            "Vorname",
            "Zweiter Name",
            "Nachname",
            "E-Mail-Adresse",
            "Telefonnummer",
            "Straße",
            "Ort",
            "PLZ",
            "Land",
            "Geburtsdatum",
            "Schlagwörter",
            "Notizen",
        ],
        [
            "Accountnaam",
            "Soort account",
            "Bedrijfsnaam",
            "Voornaam",
            "Tussenvoegsel",
            "Achternaam",
            "E-mailadres",
            "Telefoonnummer",
            "Straat",
            "Woonplaats",
            "Postcode",
            "Land",
            "Geboortedatum",
            "Labels",
            "Opmerkingen",
        ],
        [
            "Nom du compte",
            "Type de compte",
            "Nom de l'entreprise",
            "Prénom",
            "Deuxième prénom",
            "Nom",
            "Courriel",
            "Téléphone",
            "Adresse",
            "Ville",
            "Code postal",
            "Pays",
            "Date de naissance",
            "Étiquettes",
            "Remarques",
        ],
        [
            "Nume cont",
            "Tip cont",
            "Nume companie",
            "Prenume",
            "Al doilea prenume",
            "Nume",
            "Adresă de e-mail",
            "Număr de telefon",
            "Adresă",
            "Oraș",
            "Cod poștal",
            "Țară",
            "Data nașterii",
            "Etichete",
            "Notițe",
        ],
    ];
    for headers in languages {
        assert_eq!(guessed(&headers, &c), expect, "{headers:?}");
    }
    // Case, accents and punctuation do not matter.
    assert_eq!(
        guessed(&["E-MAIL", "e mail", "PRENOM", "Straße und Hausnummer"], &c),
        [Email, OtherEmails, FirstName, ContactAddress(Part::Street)]
    );
    assert_eq!(
        guessed(&["Kontakt-Tags", "Numele clientului", "Mandant", "Județ"], &c),
        [ContactTags, AccountName, Skip, ContactAddress(Part::State)],
        "a second account name column is not imported"
    );
    assert_eq!(guessed(&["Something else", ""], &c), [Skip, Skip]);
}

#[test]
fn google_contacts_columns_map_sensibly() {
    use Target::*;
    let c = Catalog::default();
    let t = read(GOOGLE).unwrap();
    let m = guess(&t.headers, &c);
    let at = |h: &str| m[t.headers.iter().position(|x| x == h).unwrap()].clone();
    assert_eq!(at("First Name"), FirstName);
    assert_eq!(at("Middle Name"), MiddleName);
    assert_eq!(at("Last Name"), LastName);
    assert_eq!(at("Phonetic First Name"), Skip);
    assert_eq!(at("Organization Name"), CompanyName);
    assert_eq!(at("Organization Title"), Skip);
    assert_eq!(at("Birthday"), DateOfBirth);
    assert_eq!(at("Notes"), AccountNote);
    assert_eq!(at("Labels"), AccountTags);
    assert_eq!(at("E-mail 1 - Label"), Skip);
    assert_eq!(at("E-mail 1 - Value"), Email);
    assert_eq!(at("E-mail 2 - Value"), OtherEmails);
    assert_eq!(at("Phone 1 - Value"), Phone);
    assert_eq!(at("Phone 2 - Value"), Phone);
    assert_eq!(at("Address 1 - Formatted"), Skip);
    assert_eq!(at("Address 1 - Street"), ContactAddress(Part::Street));
    assert_eq!(at("Address 1 - Region"), ContactAddress(Part::State));
    assert_eq!(at("Address 1 - Postal Code"), ContactAddress(Part::PostalCode));
    assert_eq!(at("Address 1 - PO Box"), Skip);
    assert_eq!(at("Website 1 - Value"), Skip);

    let t = read(GOOGLE_LEGACY).unwrap();
    let m = guess(&t.headers, &c);
    let at = |h: &str| m[t.headers.iter().position(|x| x == h).unwrap()].clone();
    assert_eq!(at("Name"), FullName);
    assert_eq!(at("Given Name"), FirstName);
    assert_eq!(at("Additional Name"), MiddleName);
    assert_eq!(at("Family Name"), LastName);
    assert_eq!(at("Given Name Yomi"), Skip);
    assert_eq!(at("Group Membership"), AccountTags);
    assert_eq!(at("Billing Information"), Skip);
    assert_eq!(at("E-mail 1 - Type"), Skip);
    assert_eq!(at("E-mail 1 - Value"), Email);
    assert_eq!(at("E-mail 2 - Value"), OtherEmails);
    assert_eq!(at("Organization 1 - Name"), CompanyName);
    assert_eq!(at("Organization 1 - Type"), Skip);
}

#[test]
fn outlook_columns_map_sensibly() {
    use Target::*;
    let c = Catalog::default();
    let t = read(OUTLOOK).unwrap();
    assert_eq!(t.encoding, Encoding::Windows1252);
    let m = guess(&t.headers, &c);
    let at = |h: &str| m[t.headers.iter().position(|x| x == h).unwrap()].clone();
    assert_eq!(at("E-mail Address"), Email);
    assert_eq!(at("E-mail 2 Address"), OtherEmails);
    assert_eq!(at("Mobile Phone"), Phone);
    assert_eq!(at("Home Phone 2"), Phone);
    assert_eq!(at("Business Phone"), Phone);
    assert_eq!(at("Business Fax"), Skip);
    assert_eq!(at("Assistant's Phone"), Skip);
    assert_eq!(at("Home Address"), Skip, "the whole address in one cell");
    assert_eq!(at("Home Street"), ContactAddress(Part::Street));
    assert_eq!(at("Home Street 2"), Skip);
    assert_eq!(at("Home City"), ContactAddress(Part::City));
    assert_eq!(at("Business Street"), AccountAddress(Part::Street));
    assert_eq!(at("Business Country"), AccountAddress(Part::Country));
    assert_eq!(at("Other Street"), Skip);
    assert_eq!(at("Company"), CompanyName);
    assert_eq!(at("Job Title"), Skip);
    assert_eq!(at("Categories"), AccountTags);
    assert_eq!(at("Birthday"), DateOfBirth);
    assert_eq!(at("Anniversary"), Skip);
    assert_eq!(at("Private"), Skip);
    assert_eq!(at("User 1"), Skip);
}

#[test]
fn roles_fields_and_team_are_guessed_from_settings() {
    use Target::*;
    let (catalog, _) = practice();
    let role = catalog.roles[0].id.clone();
    let tax = catalog.fields[1].id.clone();
    assert_eq!(catalog.fields[1].label, "Tax ID");
    let newsletter = catalog.fields[2].id.clone();
    let m = guessed(
        &[
            "Preparer",
            "Account role: Preparer",
            "TAX-ID",
            "Newsletter",
            "Team",
            "Phone",
            "Phone (contact field)",
        ],
        &catalog,
    );
    assert_eq!(
        m,
        [
            Role(role.clone()),
            Role(role),
            AccountField(tax),
            ContactField(newsletter),
            TeamMembers,
            Phone,
            ContactField(catalog.fields[3].id.clone()),
        ]
    );
    // Without team members there is nobody to assign: not guessed.
    assert_eq!(guessed(&["Team members"], &Catalog::default()), [Skip]);
}

#[test]
fn target_codes_round_trip() {
    let (catalog, _) = practice();
    for (_, targets) in guess::choices(&catalog) {
        for t in targets {
            assert_eq!(Target::from_code(&t.code()), Some(t.clone()), "{t:?}");
            assert!(!t.label(&catalog).is_empty());
        }
    }
    assert_eq!(Target::from_code("skip"), Some(Target::Skip));
    assert_eq!(Target::from_code("role:nope"), None);
    assert_eq!(Target::from_code("whatever"), None);
}

// ----- planning -----------------------------------------------------------

fn settings(mode: Mode) -> Settings {
    Settings {
        mode,
        ..Default::default()
    }
}

/// Imports `text` with the guessed mapping into `store`; the problems if refused.
fn import(
    store: &MemoryStore,
    text: &[u8],
    s: &Settings,
    at: i64,
) -> Result<crate::bundle::merge::Plan, Vec<String>> {
    let t = read(text).map_err(|e| vec![crate::error::csv_error_text(&e)])?;
    let catalog = pollster::block_on(store.catalog()).unwrap();
    let mapping = guess(&t.headers, &catalog);
    import_mapped(store, &t, &mapping, s, at)
}

fn import_mapped(
    store: &MemoryStore,
    t: &Table,
    mapping: &[Target],
    s: &Settings,
    at: i64,
) -> Result<crate::bundle::merge::Plan, Vec<String>> {
    let job = Job {
        table: t,
        mapping,
        settings: s,
        by: "Olga Owner",
    };
    let mut ids = SeededIds::new(at as u64);
    let r = pollster::block_on(store.import_with(
        |stored| {
            plan::plan(stored, &job, &mut ids, Timestamp(at))
                .map(|o| o.contents)
                .map_err(plan::into_errors)
        },
        plan::CHOICES,
        Timestamp(at),
    ));
    match r {
        Ok(p) => Ok(p),
        Err(crate::store::StoreError::Rejected(e)) => Err(e
            .0
            .iter()
            .map(|f| crate::error::problem_text(&f.problem))
            .collect()),
        Err(e) => panic!("{e}"),
    }
}

fn outcome(stored: &Contents, text: &str, s: &Settings) -> Result<plan::Outcome, Vec<String>> {
    let t = table(text);
    let catalog = Catalog::from_items(stored.catalog.iter().cloned());
    let mapping = guess(&t.headers, &catalog);
    let job = Job {
        table: &t,
        mapping: &mapping,
        settings: s,
        by: "Olga Owner",
    };
    plan::plan(stored, &job, &mut SeededIds::new(5), Timestamp(1000))
}

fn export(store: &MemoryStore) -> Contents {
    pollster::block_on(store.export()).unwrap()
}

fn store_with(contents: &Contents) -> MemoryStore {
    let store = MemoryStore::in_memory();
    pollster::block_on(store.import(contents, Default::default(), Timestamp(1))).unwrap();
    store
}

fn tag_names(c: &Contents, tags: &[crate::domain::ids::TagId]) -> Vec<String> {
    let catalog = Catalog::from_items(c.catalog.iter().cloned());
    tags.iter()
        .map(|t| catalog.tag(t).map(|t| t.name.clone()).unwrap_or_default())
        .collect()
}

#[test]
fn a_google_contacts_file_imports_one_account_per_person() {
    let store = MemoryStore::in_memory();
    let plan = import(&store, GOOGLE, &settings(Mode::AccountsAndContacts), 10).unwrap();
    assert_eq!(plan.accounts.created, 5);
    assert_eq!(plan.contacts.created, 5);
    assert_eq!(plan.links.created, 5);
    let c = export(&store);
    let mut names: Vec<&str> = c.accounts.iter().map(|a| a.name.as_str()).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "Ana Ștefănescu",
            "Jan Vries",
            "Jürgen Müller",
            "Kate Smith",
            "Marie Dupont"
        ]
    );
    let mut tags: Vec<&str> = c
        .catalog
        .iter()
        .filter_map(|i| match i {
            CatalogItem::Tag(t) => Some(t.name.as_str()),
            _ => None,
        })
        .collect();
    tags.sort_unstable();
    assert_eq!(tags, ["Clients", "VIP"], "Google's own “* myContacts” is no tag");
    let jan = c.contacts.iter().find(|x| x.first_name == "Jan").unwrap();
    assert_eq!(jan.middle_name, "de");
    assert_eq!(
        jan.email_keys(),
        ["jan@devries.example.nl", "jan.privé@example.nl"]
    );
    assert_eq!(jan.phones, ["+31 6 12345678", "+31 20 1234567"]);
    assert_eq!(jan.address.city, "Utrecht");
    let ana = c.contacts.iter().find(|x| x.first_name == "Ana").unwrap();
    assert_eq!(ana.date_of_birth, "1985-03-14");
    assert_eq!(ana.address.street, "Strada Lipscani 12");
    assert_eq!(ana.address.postal_code, "030031");
    let kate = c.contacts.iter().find(|x| x.first_name == "Kate").unwrap();
    assert_eq!(
        kate.email_keys(),
        ["kate@example.com", "k.smith@firm.example.com"]
    );
    let jan_account = c.accounts.iter().find(|a| a.name == "Jan Vries").unwrap();
    assert_eq!(tag_names(&c, &jan_account.tags), ["Clients", "VIP"]);
    // Marie's note, with its line break.
    assert_eq!(c.notes.len(), 1);
    assert_eq!(
        c.notes[0].text,
        "Prefers calls, not e-mail.\nSends papers in March."
    );
    assert_eq!(c.notes[0].by, "Olga Owner");
    // Each new account has its "created" history.
    assert_eq!(c.history.len(), 5);

    // Importing the same file again changes nothing.
    let before = export(&store);
    let again = import(&store, GOOGLE, &settings(Mode::AccountsAndContacts), 20).unwrap();
    assert!(again.changes_nothing(), "{again:?}");
    assert_eq!(again.accounts.unchanged, 5);
    assert_eq!(export(&store), before);
    assert_eq!(
        pollster::block_on(store.last_import()).unwrap(),
        Some(Timestamp(10))
    );
}

#[test]
fn the_preview_says_what_is_left_aside() {
    let t = read(GOOGLE).unwrap();
    let catalog = Catalog::default();
    let mapping = guess(&t.headers, &catalog);
    let s = settings(Mode::AccountsAndContacts);
    let job = Job {
        table: &t,
        mapping: &mapping,
        settings: &s,
        by: "",
    };
    let o = plan::plan(&Contents::default(), &job, &mut SeededIds::new(1), Timestamp(1)).unwrap();
    assert_eq!(o.rows, 5);
    assert_eq!(o.new_tags, ["Clients", "VIP"]);
    assert!(
        o.warnings
            .iter()
            .any(|w| w.contains("Birthdays without a year") && w.contains("row 4")),
        "{:?}",
        o.warnings
    );
    assert!(
        o.warnings
            .iter()
            .any(|w| w.contains("company name is kept only for Company accounts") && w.contains("row 4")),
        "{:?}",
        o.warnings
    );
    let rows = plan::preview(&t, &mapping, &s, &catalog, 3);
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0].number, 2);
    assert_eq!(rows[0].account, "Ana Ștefănescu");
    assert_eq!(rows[0].contact, "Ana Ștefănescu");
    assert_eq!(rows[0].emails, "ana.stefanescu@example.ro");
    assert_eq!(rows[0].tags, "Clients");
    assert_eq!(rows[1].contact, "Jan de Vries");
    assert_eq!(rows[1].phones, "+31 6 12345678, +31 20 1234567");
}

#[test]
fn legacy_google_and_outlook_files_import() {
    let store = MemoryStore::in_memory();
    let plan = import(&store, GOOGLE_LEGACY, &settings(Mode::AccountsAndContacts), 10).unwrap();
    assert_eq!((plan.accounts.created, plan.contacts.created), (2, 2));
    let c = export(&store);
    let tom = c.contacts.iter().find(|x| x.first_name == "Tom").unwrap();
    assert_eq!(tom.last_name, "O'Brien");
    assert_eq!(tom.email_keys(), ["tom@obrien.example.ie", "tommy@example.ie"]);
    assert!(c.accounts.iter().any(|a| a.name == "Sofía García"));

    let plan = import(&store, OUTLOOK, &settings(Mode::AccountsAndContacts), 11).unwrap();
    assert_eq!((plan.accounts.created, plan.contacts.created), (3, 3));
    let c = export(&store);
    let chloe = c.contacts.iter().find(|x| x.first_name == "Chloé").unwrap();
    assert_eq!(chloe.date_of_birth, "1980-05-13");
    assert_eq!(chloe.address.city, "Montréal");
    // "3/4/1975" in a column whose other date is month first (5/13/1980).
    let peter = c.contacts.iter().find(|x| x.first_name == "Peter").unwrap();
    assert_eq!(peter.last_name, "Müller");
    assert_eq!(peter.date_of_birth, "1975-03-04");
    assert_eq!(peter.phones, ["+49 30 1234567"]);
    let peters = c.accounts.iter().find(|a| a.name == "Peter Müller").unwrap();
    assert_eq!(peters.address.street, "Friedrichstraße 10");
    assert_eq!(peters.address.country, "Germany");
    let chloes = c.accounts.iter().find(|a| a.name == "Chloé Martin").unwrap();
    assert_eq!(tag_names(&c, &chloes.tags), ["Clients", "VIP"]);
}

const FIRM: &str = "Account name;Account type;Company name;First name;Last name;Email;Phone;Tags\n\
    Smith Family;Individual;;Kate;Smith;kate@example.com;+1 555 0100;Clients\n\
    Smith Family;;;John;Smith;john@example.com;;Clients, 2024\n\
    Acme GmbH;Firma;Acme GmbH;Kate;Smith;KATE@example.com;;Business\n";

#[test]
fn rows_with_one_account_name_are_one_account_and_one_email_is_one_contact() {
    let (_, practice) = practice();
    let o = outcome(&practice, FIRM, &settings(Mode::AccountsAndContacts)).unwrap();
    let c = &o.contents;
    assert_eq!(c.accounts.len(), 2);
    assert_eq!(c.contacts.len(), 2, "Kate is on two rows, one contact");
    assert_eq!(c.links.len(), 3);
    let smith = c.accounts.iter().find(|a| a.name == "Smith Family").unwrap();
    let acme = c.accounts.iter().find(|a| a.name == "Acme GmbH").unwrap();
    assert_eq!(acme.kind, AccountType::Company);
    assert_eq!(acme.company_name, "Acme GmbH");
    assert_eq!(smith.kind, AccountType::Individual);
    assert_eq!(o.new_tags, ["Clients", "2024", "Business"]);
    let kate = c.contacts.iter().find(|x| x.first_name == "Kate").unwrap();
    let kates: Vec<_> = c.links.iter().filter(|l| l.contact_id == kate.id).collect();
    assert_eq!(kates.len(), 2);
    assert_eq!(kate.phones, ["+1 555 0100"]);
}

#[test]
fn batch_tags_and_switches_apply_to_the_whole_import() {
    let (_, practice) = practice();
    let s = Settings {
        mode: Mode::AccountsAndContacts,
        tags: vec!["vip".into(), "Imported 2025".into()],
        login: true,
        notify: true,
    };
    let o = outcome(&practice, FIRM, &s).unwrap();
    let c = &o.contents;
    let mut all = c.catalog.clone();
    all.extend(practice.catalog.clone());
    let with = Contents {
        catalog: all,
        ..Default::default()
    };
    for a in &c.accounts {
        let names = tag_names(&with, &a.tags);
        assert!(
            names.contains(&"VIP".to_owned()),
            "existing tag, any case: {names:?}"
        );
        assert!(names.contains(&"Imported 2025".to_owned()), "{names:?}");
    }
    for l in &c.links {
        assert!(!l.email_access.is_empty());
        for a in &l.email_access {
            assert!(a.login && a.notify && a.signatory, "{a:?}");
        }
    }
    // Without the switches, new emails start switched off.
    let o = outcome(&practice, FIRM, &settings(Mode::AccountsAndContacts)).unwrap();
    assert!(o
        .contents
        .links
        .iter()
        .all(|l| l.email_access.iter().all(|a| !a.login && !a.notify)));
}

#[test]
fn accounts_only_changes_existing_accounts_and_creates_none() {
    let (catalog, practice) = practice();
    let store = store_with(&practice);
    import(&store, FIRM.as_bytes(), &settings(Mode::AccountsAndContacts), 10).unwrap();
    let before = export(&store);
    let text = "Account name,Tags,Team,Account role: Preparer,Tax ID,Billing\n\
        Smith Family,Priority,Ann Lee,ann@firm.example,RO123,monthly\n\
        Acme GmbH,,\"Ann Lee, Olga Owner\",,,\n";
    let plan = import(&store, text.as_bytes(), &settings(Mode::AccountsOnly), 20).unwrap();
    assert_eq!(plan.accounts.updated, 2);
    assert_eq!(
        (plan.accounts.created, plan.contacts.created, plan.links.created),
        (0, 0, 0)
    );
    let c = export(&store);
    let smith = c.accounts.iter().find(|a| a.name == "Smith Family").unwrap();
    let ann = catalog.members.iter().find(|m| m.name == "Ann Lee").unwrap();
    assert_eq!(smith.team, std::slice::from_ref(&ann.id));
    assert_eq!(smith.roles.len(), 1);
    assert_eq!(smith.roles[0].member, ann.id);
    assert_eq!(
        tag_names(&c, &smith.tags),
        ["Clients", "2024", "Priority"],
        "tags are added, never removed"
    );
    assert_eq!(
        smith.custom.get(&catalog.fields[1].id).map(String::as_str),
        Some("RO123")
    );
    assert_eq!(
        smith.custom.get(&catalog.fields[0].id).map(String::as_str),
        Some("Monthly"),
        "dropdown option in any case"
    );
    let acme = c.accounts.iter().find(|a| a.name == "Acme GmbH").unwrap();
    assert_eq!(acme.team.len(), 2);
    // The history says what changed, by whom.
    let lines: Vec<String> = c
        .history
        .iter()
        .filter(|h| h.account_id == smith.id && h.at == Timestamp(20))
        .map(|h| crate::i18n::names::history_change(&h.change))
        .collect();
    assert!(lines.contains(&"Tag Priority added".to_owned()), "{lines:?}");
    assert!(lines.contains(&"Ann Lee assigned".to_owned()), "{lines:?}");
    assert!(
        lines.contains(&"Ann Lee assigned as Preparer".to_owned()),
        "{lines:?}"
    );
    assert_eq!(c.contacts, before.contacts);
    assert_eq!(c.links, before.links);

    // An account that is not there is a problem, and nothing is written.
    let now = export(&store);
    let p = import(
        &store,
        b"Account name,Tags\nSmith Family,X\nNobody Ltd,Y\n",
        &settings(Mode::AccountsOnly),
        30,
    )
    .unwrap_err();
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(
        p[0].starts_with("row 3, column \"Account name\": no account is named “Nobody Ltd” here"),
        "{p:?}"
    );
    assert_eq!(export(&store), now);
}

#[test]
fn contacts_only_makes_contacts_without_accounts() {
    let (_, practice) = practice();
    let store = store_with(&practice);
    let s = Settings {
        mode: Mode::ContactsOnly,
        tags: vec!["Leads".into()],
        ..Default::default()
    };
    let text = "Account name,First name,Last name,Email,Newsletter\n\
        Ignored Ltd,Ana,Pop,ana@x.ro,Ja\n\
        ,Ion,Ionescu,,nu\n";
    let plan = import(&store, text.as_bytes(), &s, 10).unwrap();
    assert_eq!(
        (plan.accounts.created, plan.contacts.created, plan.links.created),
        (0, 2, 0)
    );
    let c = export(&store);
    assert!(c.accounts.is_empty());
    let ana = c.contacts.iter().find(|x| x.first_name == "Ana").unwrap();
    assert_eq!(tag_names(&c, &ana.tags), ["Leads"]);
    assert_eq!(ana.custom.values().collect::<Vec<_>>(), ["yes"]);
    // Again: the contact without email is found by name, nothing doubles.
    let again = import(&store, text.as_bytes(), &s, 20).unwrap();
    assert!(again.changes_nothing(), "{again:?}");
    let t = table(text);
    let catalog = Catalog::from_items(c.catalog.iter().cloned());
    let mapping = guess(&t.headers, &catalog);
    let job = Job {
        table: &t,
        mapping: &mapping,
        settings: &s,
        by: "",
    };
    let o = plan::plan(&c, &job, &mut SeededIds::new(1), Timestamp(1)).unwrap();
    assert!(
        o.warnings[0].contains("these columns are not imported: column \"Account name\""),
        "{:?}",
        o.warnings
    );
}

#[test]
fn a_stored_contact_is_updated_never_emptied_and_its_other_links_follow_new_emails() {
    let (_, practice) = practice();
    let store = store_with(&practice);
    let first = "Account name,First name,Last name,Email,Phone,City\n\
        Smith Family,Kate,Smith,kate@example.com,+1 555 0100,Cluj\n\
        Kate's LLC,Kate,Smith,kate@example.com,,\n";
    import(&store, first.as_bytes(), &settings(Mode::AccountsAndContacts), 10).unwrap();
    let second = "Account name,First name,Last name,Email,Other emails,Phone,City\n\
        Smith Family,,,KATE@example.com,kate@work.example,+1-555-0100; +40 1 234,\n";
    let plan = import(
        &store,
        second.as_bytes(),
        &settings(Mode::AccountsAndContacts),
        20,
    )
    .unwrap();
    assert_eq!((plan.contacts.updated, plan.contacts.created), (1, 0));
    let c = export(&store);
    let kate = &c.contacts[0];
    assert_eq!(c.contacts.len(), 1);
    assert_eq!(
        (kate.first_name.as_str(), kate.last_name.as_str()),
        ("Kate", "Smith")
    );
    assert_eq!(kate.address.city, "Cluj", "an empty cell erases nothing");
    assert_eq!(
        kate.phones,
        ["+1 555 0100", "+40 1 234"],
        "the same number written another way is not added"
    );
    assert_eq!(kate.email_keys(), ["kate@example.com", "kate@work.example"]);
    assert_eq!(c.links.len(), 2);
    for l in &c.links {
        let emails: Vec<&str> = l.email_access.iter().map(|a| a.email.as_str()).collect();
        assert_eq!(
            emails,
            ["kate@example.com", "kate@work.example"],
            "every link follows"
        );
    }
}

#[test]
fn the_login_switch_turns_on_for_an_existing_link() {
    let store = MemoryStore::in_memory();
    let text = "Account name,First name,Last name,Email\nSmith Family,Kate,Smith,kate@example.com\n";
    import(&store, text.as_bytes(), &settings(Mode::AccountsAndContacts), 10).unwrap();
    let s = Settings {
        login: true,
        ..settings(Mode::AccountsAndContacts)
    };
    let plan = import(&store, text.as_bytes(), &s, 20).unwrap();
    assert_eq!(plan.links.updated, 1);
    assert!(export(&store).links[0].email_access[0].login);
    // Switches are only turned on: importing without them leaves them on.
    let plan = import(&store, text.as_bytes(), &settings(Mode::AccountsAndContacts), 30).unwrap();
    assert!(plan.changes_nothing());
}

#[test]
fn every_problem_is_reported_with_its_row_and_column_and_nothing_is_written() {
    let (_, practice) = practice();
    let store = store_with(&practice);
    let before = export(&store);
    let text = "Account name,Type,First name,Last name,Email,Team,Tags,Birthday,Newsletter\n\
        Good One,Individual,Ana,Pop,ana@x.ro,Ann Lee,,1980-01-02,yes\n\
        Bad/Name,Individual,Ion,Pop,ion@x.ro,,,,\n\
        Third,Trust fund,Eva,Pop,not-an-email,Bob,,31/31/1990,maybe\n\
        Good One,Company,Dan,,dan@x.ro,,,03/04/1990,\n\
        ,,,,,,Only tags,,\n";
    let p = import(&store, text.as_bytes(), &settings(Mode::AccountsAndContacts), 10).unwrap_err();
    let expected = [
        "row 3, column \"Account name\": Account name cannot contain the character /",
        "row 4, column \"Type\": “Trust fund” is not an account type (Individual, Company or Other)",
        "row 4, column \"Email\": not an email address",
        "row 4, column \"Team\": no team member is called “Bob”",
        "row 4, column \"Birthday\": “31/31/1990” is not a date",
        "row 4, column \"Newsletter\": Newsletter must be yes or no",
        "row 5, column \"Birthday\": “03/04/1990” could be 1990-04-03 or 1990-03-04",
        "row 6, column \"Account name\": no account name, and no contact or company name to make one from",
    ];
    for e in expected {
        assert!(p.iter().any(|l| l.starts_with(e)), "missing {e:?} in {p:#?}");
    }
    assert_eq!(p.len(), expected.len(), "{p:#?}");
    assert_eq!(export(&store), before);

    // Problems found once the rows are matched: different values for one
    // account, a new contact without a last name, an account with no contact.
    let text = "Account name,Type,First name,Last name,Email\n\
        Good One,Individual,Ana,Pop,ana@x.ro\n\
        Good One,Company,Dan,,dan@x.ro\n\
        Lonely,Other,,,\n";
    let p = import(&store, text.as_bytes(), &settings(Mode::AccountsAndContacts), 10).unwrap_err();
    assert!(
        p.contains(&"row 3, column \"Type\": “Company” differs from “Individual” on row 2 for the same account “Good One”".to_owned()),
        "{p:#?}"
    );
    let p = import(
        &store,
        b"Account name,First name,Last name,Email\nGood One,Dan,,dan@x.ro\nLonely,,,\n",
        &settings(Mode::AccountsAndContacts),
        10,
    )
    .unwrap_err();
    assert_eq!(
        p,
        [
            "row 2, column \"Last name\": a new contact needs a last name",
            "row 3, column \"Account name\": the new account “Lonely” has no contact; every account needs one (fill in a contact's name or email on one of its rows)",
        ]
    );
    assert_eq!(export(&store), before);
}

#[test]
fn the_mapping_itself_is_checked() {
    let (catalog, practice) = practice();
    let t = table("Vorname,First,E-Mail\nAna,Ana,a@x.ro\n");
    let mapping = vec![Target::FirstName, Target::FirstName, Target::Email];
    let s = settings(Mode::AccountsAndContacts);
    let job = Job {
        table: &t,
        mapping: &mapping,
        settings: &s,
        by: "",
    };
    let p = plan::plan(&practice, &job, &mut SeededIds::new(1), Timestamp(1)).unwrap_err();
    assert_eq!(
        p,
        ["column \"Vorname\" and column \"First\" are both mapped to First name; choose one of them"]
    );
    let s = settings(Mode::AccountsOnly);
    let mapping = vec![Target::FirstName, Target::Skip, Target::Email];
    let job = Job {
        table: &t,
        mapping: &mapping,
        settings: &s,
        by: "",
    };
    let p = plan::plan(&practice, &job, &mut SeededIds::new(1), Timestamp(1)).unwrap_err();
    assert!(p[0].contains("map a column to Account name"), "{p:?}");
    let _ = catalog;
}

#[test]
fn too_many_problems_are_cut_short() {
    let mut text = String::from("Account name,First name,Last name,Email\n");
    for i in 0..500 {
        text.push_str(&format!("A{i},F,L,bad{i}\n"));
    }
    let e = outcome(&Contents::default(), &text, &settings(Mode::AccountsAndContacts)).unwrap_err();
    assert_eq!(e.len(), crate::bundle::MAX_PROBLEMS + 1);
    assert_eq!(e.last().unwrap(), "… and 300 more problems");
    assert!(
        e[117].starts_with("row 119, column \"Email\": not an email address"),
        "{}",
        e[117]
    );
}

#[test]
fn dates_are_read_as_spreadsheets_write_them() {
    use plan::{parse_date_cell, DateCell};
    let d = |s: &str| DateCell::Date(s.to_owned());
    assert_eq!(parse_date_cell("1980-05-12", None), Ok(d("1980-05-12")));
    assert_eq!(parse_date_cell("1980-05-12T00:00:00", None), Ok(d("1980-05-12")));
    assert_eq!(parse_date_cell("12.05.1980", None), Ok(d("1980-05-12")));
    assert_eq!(parse_date_cell("12-05-1980", None), Ok(d("1980-05-12")));
    assert_eq!(parse_date_cell("1980/05/12", None), Ok(d("1980-05-12")));
    assert_eq!(parse_date_cell("25/12/1980", None), Ok(d("1980-12-25")));
    assert_eq!(parse_date_cell("12/25/1980", None), Ok(d("1980-12-25")));
    assert_eq!(parse_date_cell("05/05/1980", None), Ok(d("1980-05-05")));
    assert_eq!(parse_date_cell("03/04/1980", Some(true)), Ok(d("1980-04-03")));
    assert_eq!(parse_date_cell("03/04/1980", Some(false)), Ok(d("1980-03-04")));
    assert!(parse_date_cell("03/04/1980", None).is_err());
    assert!(parse_date_cell("12.05.80", None)
        .unwrap_err()
        .contains("four digits"));
    assert!(parse_date_cell("29.02.2023", None).is_err());
    assert!(parse_date_cell("soon", None).is_err());
    assert_eq!(parse_date_cell("0/0/00", None), Ok(DateCell::Empty));
    assert_eq!(parse_date_cell("--05-12", None), Ok(DateCell::NoYear));
}

#[test]
fn account_types_in_five_languages() {
    use plan::parse_type;
    for (words, t) in [
        (
            [
                "Individual",
                "Privatperson",
                "Particulier",
                "particulier",
                "Persoană fizică",
            ],
            AccountType::Individual,
        ),
        (
            ["Company", "Firma", "Bedrijf", "Société", "Persoană juridică"],
            AccountType::Company,
        ),
        (
            ["Other", "Sonstige", "Overig", "Autre", "Altele"],
            AccountType::Other,
        ),
    ] {
        for w in words {
            assert_eq!(parse_type(w), Some(t), "{w}");
        }
    }
    assert_eq!(parse_type("Trust fund"), None);
}

// ----- export -------------------------------------------------------------

/// The parts of data a CSV carries, without ids and times, for comparing.
fn essence(c: &Contents) -> (Vec<String>, Vec<String>, Vec<String>) {
    let catalog = Catalog::from_items(c.catalog.iter().cloned());
    let tag = |t: &crate::domain::ids::TagId| catalog.tag(t).map(|t| t.name.clone()).unwrap_or_default();
    let contact = |id: &crate::domain::ContactId| c.contacts.iter().find(|x| &x.id == id);
    let mut accounts: Vec<String> = c
        .accounts
        .iter()
        .map(|a| {
            let mut people: Vec<String> = c
                .links
                .iter()
                .filter(|l| l.account_id == a.id)
                .filter_map(|l| contact(&l.contact_id))
                .map(|p| p.display_name())
                .collect();
            people.sort();
            format!(
                "{} | {:?} | {} | {:?} | {:?} | {:?} | {:?} | {:?} | {people:?}",
                a.name,
                a.kind,
                a.company_name,
                a.address,
                a.tags.iter().map(tag).collect::<Vec<_>>(),
                a.team,
                a.roles,
                a.custom
            )
        })
        .collect();
    accounts.sort();
    let mut contacts: Vec<String> = c
        .contacts
        .iter()
        .map(|p| {
            format!(
                "{} {} {} | {:?} | {:?} | {:?} | {} | {:?} | {:?}",
                p.first_name,
                p.middle_name,
                p.last_name,
                p.emails,
                p.phones,
                p.address,
                p.date_of_birth,
                p.tags.iter().map(tag).collect::<Vec<_>>(),
                p.custom
            )
        })
        .collect();
    contacts.sort();
    let mut tags: Vec<String> = catalog.tags.iter().map(|t| t.name.clone()).collect();
    tags.sort();
    (accounts, contacts, tags)
}

#[test]
fn exported_accounts_import_into_an_empty_clientbook_as_they_were() {
    let (catalog, practice) = practice();
    let store = store_with(&practice);
    let text = "Account name,Account type,Company name,Account street,Account city,Tags,Team members,Preparer,Tax ID,Billing,First name,Middle name,Last name,Email,Other emails,Phone,City,Date of birth,Contact tags,Newsletter,Phone (contact field)\n\
        =SUM(A1),Company,=SUM(A1),Str. Lipscani 1,București,\"VIP, Clients\",Ann Lee,Olga Owner,RO1,Yearly,Ana,Maria,Pop,ana@x.ro,a2@x.ro,+40 721 000 000; -5,Cluj,1980-02-29,Friends,yes,+40 1\n\
        =SUM(A1),,,,,,,,,,'t,,Hooft,t@x.nl,,,,,,,\n\
        Müller & Söhne,Other,,,,\"a;b ::: c,d\",,,,,Jürgen,,Müller,j@x.de,,,,,,no,\n";
    let plan = import(&store, text.as_bytes(), &settings(Mode::AccountsAndContacts), 10).unwrap();
    assert_eq!((plan.accounts.created, plan.contacts.created), (2, 3));
    let original = export(&store);
    let everything: Vec<&crate::domain::Account> = original.accounts.iter().collect();
    let csv = export::accounts(
        &everything,
        &original.links,
        &original.contacts,
        &Catalog::from_items(original.catalog.iter().cloned()),
    );
    assert!(csv.starts_with("\u{feff}Account name,Account type,"));
    assert!(csv.contains("'=SUM(A1)"), "formulas are escaped: {csv}");
    assert!(csv.contains("'+40 721 000 000; -5"), "{csv}");
    assert!(csv.contains("Account role: Preparer"));
    assert!(
        csv.contains(",Phone (contact field)"),
        "a field label that names another field gets its suffix"
    );
    assert!(
        !csv.contains(",Tax ID (account field)"),
        "a field label alone where it is unambiguous"
    );
    // Into a Clientbook with the same settings but no clients.
    let fresh = store_with(&practice);
    let plan = import(&fresh, csv.as_bytes(), &settings(Mode::AccountsAndContacts), 20).unwrap();
    assert_eq!(
        (plan.accounts.created, plan.contacts.created, plan.links.created),
        (2, 3, 3)
    );
    assert_eq!(essence(&export(&fresh)), essence(&original));
    // And once more into the original: nothing changes.
    let again = import(&store, csv.as_bytes(), &settings(Mode::AccountsAndContacts), 30).unwrap();
    assert!(again.changes_nothing(), "{again:?}");
    let _ = catalog;

    // The contacts list imports back as the same contacts.
    let people: Vec<&crate::domain::Contact> = original.contacts.iter().collect();
    let csv = export::contacts(
        &people,
        &original.links,
        &original.accounts,
        &Catalog::from_items(original.catalog.iter().cloned()),
    );
    assert!(csv.lines().next().unwrap().ends_with(",Accounts"));
    let fresh = store_with(&practice);
    import(&fresh, csv.as_bytes(), &settings(Mode::ContactsOnly), 20).unwrap();
    assert_eq!(essence(&export(&fresh)).1, essence(&original).1);
}

#[test]
fn an_empty_clientbook_gets_the_same_accounts_contacts_and_tags() {
    // No settings at all there: the team column is not guessed, the rest is.
    let store = MemoryStore::in_memory();
    import(&store, FIRM.as_bytes(), &settings(Mode::AccountsAndContacts), 10).unwrap();
    let original = export(&store);
    let all: Vec<&crate::domain::Account> = original.accounts.iter().collect();
    let csv = export::accounts(
        &all,
        &original.links,
        &original.contacts,
        &Catalog::from_items(original.catalog.iter().cloned()),
    );
    let fresh = MemoryStore::in_memory();
    import(&fresh, csv.as_bytes(), &settings(Mode::AccountsAndContacts), 20).unwrap();
    assert_eq!(essence(&export(&fresh)), essence(&original));
}

#[test]
fn a_paced_plan_pauses_every_few_hundred_rows_and_gives_the_same_records() {
    let mut text = String::from("Account name,First name,Last name,Email\n");
    for i in 0..1_050 {
        text.push_str(&format!("Account {},P{i},Person,p{i}@example.com\n", i / 2));
    }
    let t = table(&text);
    let mapping = guess(&t.headers, &Catalog::default());
    let s = settings(Mode::AccountsAndContacts);
    let job = Job {
        table: &t,
        mapping: &mapping,
        settings: &s,
        by: "",
    };
    let whole = plan::plan(&Contents::default(), &job, &mut SeededIds::new(1), Timestamp(1)).unwrap();
    // Each pause is a future that is pending once (as a turn for the
    // browser would be), polled by hand.
    struct Turn(bool);
    impl std::future::Future for Turn {
        type Output = ();
        fn poll(mut self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<()> {
            if self.0 {
                std::task::Poll::Ready(())
            } else {
                self.0 = true;
                cx.waker().wake_by_ref();
                std::task::Poll::Pending
            }
        }
    }
    let mut pauses = Vec::new();
    let mut ids = SeededIds::new(1);
    let empty = Contents::default();
    let mut polls = 0;
    let out = {
        let paced = plan::plan_paced(&empty, &job, &mut ids, Timestamp(1), |done, total| {
            pauses.push((done, total));
            Some(Turn(false))
        });
        let mut paced = std::pin::pin!(paced);
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        loop {
            polls += 1;
            if let std::task::Poll::Ready(out) = std::future::Future::poll(paced.as_mut(), &mut cx) {
                break out;
            }
        }
    };
    assert_eq!(out.unwrap(), whole);
    // Rows: at 200, 400, ... 1,000; then the 525 accounts, 1,050 contacts
    // and 1,050 links made of them, every 200 records, all rows done.
    assert_eq!(
        pauses[..5],
        [
            (200, 1_050),
            (400, 1_050),
            (600, 1_050),
            (800, 1_050),
            (1_000, 1_050)
        ]
    );
    assert_eq!(pauses[5..], [(1_050, 1_050); 2_625 / 200]);
    assert_eq!(polls, pauses.len() + 1);
}

// ----- what a file can match ------------------------------------------------

fn keys_of(text: &str, mode: Mode) -> crate::bundle::matching::MatchKeys {
    let t = table(text);
    let mapping = guess(&t.headers, &Default::default());
    let settings = Settings {
        mode,
        ..Default::default()
    };
    let job = Job {
        table: &t,
        mapping: &mapping,
        settings: &settings,
        by: "Olga",
    };
    let never = |_: usize, _: usize| None::<std::future::Ready<()>>;
    pollster::block_on(plan::match_keys_paced(&job, &Catalog::default(), never))
}

#[test]
fn match_keys_are_the_names_and_emails_the_rows_give_or_make() {
    let k = keys_of(
        "Account name,First name,Last name,Email\n\
         \" Smith Family \",Kate,Smith,KATE@Example.com; kate@work.example\n\
         ,John,Doe,john@example.com\n\
         ,Ana,Pop,\n",
        Mode::AccountsAndContacts,
    );
    let names: Vec<&str> = k.account_names.iter().map(String::as_str).collect();
    assert_eq!(names, ["Ana Pop", "John Doe", "Smith Family"]);
    let emails: Vec<&str> = k.emails.iter().map(String::as_str).collect();
    assert_eq!(
        emails,
        ["john@example.com", "kate@example.com", "kate@work.example"]
    );
    assert!(k.contact_ids.is_empty());
    assert!(!k.everything, "matching by name stays within the named accounts");
    // Contacts only, a row without an email: a contact by name, anywhere.
    let k = keys_of("First name,Last name,Email\nAna,Pop,\n", Mode::ContactsOnly);
    assert!(k.everything);
    let k = keys_of(
        "First name,Last name,Email\nAna,Pop,ana@example.ro\n",
        Mode::ContactsOnly,
    );
    assert!(!k.everything);
}
