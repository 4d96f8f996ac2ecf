//! The store contract: behaviour every [`Store`] implementation must show.
//! Each function is one test case; [`store_contract_tests!`] turns the whole
//! list into tests for a given store (natively for the in-memory store, in
//! headless Chromium for IndexedDB). Test support, not used by the app.

use super::{Store, StoreError};
use crate::domain::ids::SeededIds;
use crate::domain::new_account::ContactDraft;
use crate::domain::{
    AccountType, Contact, ContactId, NewAccount, NewAccountDraft, NewContactDraft, Timestamp,
};

/// Generates one test per contract case. `native` wraps each in a blocking
/// executor; `wasm` makes `wasm_bindgen_test` async tests. `$make` is an
/// expression giving a fresh, empty store: the store itself (`native`), or a
/// guard that derefs to it and may `.await` (`wasm`).
#[macro_export]
macro_rules! store_contract_tests {
    (@cases $mode:ident, $make:expr) => {
        $crate::store_contract_tests!(@one $mode, $make,
            empty_store_reads_nothing,
            created_account_reads_back_whole,
            accounts_are_sorted_ignoring_case_and_accents,
            contact_found_by_any_email_case_insensitively,
            email_of_another_contact_is_refused_and_nothing_written,
            linking_a_missing_contact_is_refused_and_nothing_written,
            same_account_twice_is_refused,
            failure_part_way_writes_nothing,
            one_contact_in_several_accounts,
            contacts_of_an_account_are_alphabetical,
            unicode_and_markup_round_trip_unchanged);
    };
    (@one native, $make:expr, $($case:ident),*) => {
        $(
            #[test]
            fn $case() {
                pollster::block_on(async {
                    let store = $make;
                    $crate::store::contract::$case(&store).await;
                });
            }
        )*
    };
    (@one wasm, $make:expr, $($case:ident),*) => {
        $(
            #[wasm_bindgen_test::wasm_bindgen_test]
            async fn $case() {
                let store = $make;
                $crate::store::contract::$case(&*store).await;
            }
        )*
    };
    ($mode:ident, $make:expr) => {
        $crate::store_contract_tests!(@cases $mode, $make);
    };
}

fn ok<T, E: std::fmt::Debug>(r: Result<T, E>, what: &str) -> T {
    match r {
        Ok(v) => v,
        Err(e) => panic!("{what}: {e:?}"),
    }
}

fn person(first: &str, last: &str, email: &str) -> ContactDraft {
    ContactDraft::New(NewContactDraft {
        first_name: first.into(),
        last_name: last.into(),
        email: email.into(),
        login: !email.is_empty(),
        notify: true,
        ..Default::default()
    })
}

fn new_account(seed: u64, name: &str, contacts: Vec<ContactDraft>) -> NewAccount {
    let draft = NewAccountDraft {
        kind: AccountType::Individual,
        name: name.into(),
        company_name: String::new(),
        contacts,
    };
    ok(
        draft.build(
            &mut SeededIds::new(seed),
            Timestamp(1_795_305_600_000 + seed as i64),
        ),
        "valid draft",
    )
}

async fn create<S: Store>(store: &S, new: &NewAccount) {
    ok(store.create_account(new).await, "create_account");
}

async fn counts<S: Store>(store: &S) -> usize {
    ok(store.accounts().await, "accounts").len()
}

pub async fn empty_store_reads_nothing<S: Store>(store: &S) {
    assert!(ok(store.accounts().await, "accounts").is_empty());
    let id = crate::domain::AccountId::from_random([9; 16]);
    assert_eq!(ok(store.account(&id).await, "account"), None);
    assert!(ok(store.account_contacts(&id).await, "account_contacts").is_empty());
    assert_eq!(
        ok(store.contact_by_email("nobody@example.com").await, "by email"),
        None
    );
    assert_eq!(
        ok(store.contact(&ContactId::from_random([9; 16])).await, "contact"),
        None
    );
}

pub async fn created_account_reads_back_whole<S: Store>(store: &S) {
    let new = new_account(1, "", vec![person("Kate", "Smith", "Kate@Example.com")]);
    create(store, &new).await;
    assert_eq!(ok(store.accounts().await, "accounts"), vec![new.account.clone()]);
    assert_eq!(
        ok(store.account(&new.account.id).await, "account"),
        Some(new.account.clone())
    );
    let linked = ok(store.account_contacts(&new.account.id).await, "account_contacts");
    assert_eq!(linked, vec![(new.links[0].clone(), new.new_contacts[0].clone())]);
    assert_eq!(
        ok(store.contact(&new.new_contacts[0].id).await, "contact"),
        Some(new.new_contacts[0].clone())
    );
    let of_contact = ok(
        store.contact_accounts(&new.new_contacts[0].id).await,
        "contact_accounts",
    );
    assert_eq!(of_contact, vec![(new.links[0].clone(), new.account.clone())]);
}

pub async fn accounts_are_sorted_ignoring_case_and_accents<S: Store>(store: &S) {
    for (seed, name) in [
        (1, "zeta Ltd"),
        (2, "Ötzi Family"),
        (3, "anna Gmbh"),
        (4, "Émile"),
        (5, "Bob"),
    ] {
        let email = format!("p{seed}@example.com");
        create(store, &new_account(seed, name, vec![person("P", "Q", &email)])).await;
    }
    let names: Vec<String> = ok(store.accounts().await, "accounts")
        .into_iter()
        .map(|a| a.name)
        .collect();
    assert_eq!(names, ["anna Gmbh", "Bob", "Émile", "Ötzi Family", "zeta Ltd"]);
}

pub async fn contact_found_by_any_email_case_insensitively<S: Store>(store: &S) {
    let new = new_account(1, "", vec![person("Kate", "Smith", "Kate.Smith@Example.com")]);
    create(store, &new).await;
    let found = ok(
        store.contact_by_email(" kate.smith@example.COM ").await,
        "by email",
    );
    assert_eq!(found.map(|c| c.id), Some(new.new_contacts[0].id.clone()));
    assert_eq!(
        ok(store.contact_by_email("kate@example.com").await, "by email"),
        None
    );
}

pub async fn email_of_another_contact_is_refused_and_nothing_written<S: Store>(store: &S) {
    create(
        store,
        &new_account(1, "", vec![person("Kate", "Smith", "kate@example.com")]),
    )
    .await;
    let clash = new_account(2, "Other", vec![person("Katie", "Smyth", "KATE@example.com")]);
    match store.create_account(&clash).await {
        Err(StoreError::Rejected(e)) => {
            let msg = e.for_field("contacts[0].email").unwrap_or_default();
            assert!(msg.contains("kate@example.com"), "{msg}");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(counts(store).await, 1);
    assert_eq!(
        ok(store.contact(&clash.new_contacts[0].id).await, "contact"),
        None
    );
}

pub async fn linking_a_missing_contact_is_refused_and_nothing_written<S: Store>(store: &S) {
    let ghost = Contact {
        id: ContactId::from_random([7; 16]),
        first_name: "Ghost".into(),
        middle_name: String::new(),
        last_name: "Writer".into(),
        emails: Vec::new(),
        phones: Vec::new(),
        address: Default::default(),
        date_of_birth: String::new(),
        tags: Vec::new(),
        custom: Default::default(),
        created_at: Timestamp(0),
        updated_at: Timestamp(0),
    };
    let new = new_account(
        3,
        "",
        vec![
            person("Real", "Person", "real@example.com"),
            ContactDraft::Existing(Box::new(ghost)),
        ],
    );
    assert!(matches!(
        store.create_account(&new).await,
        Err(StoreError::Rejected(_))
    ));
    assert_eq!(counts(store).await, 0);
    assert_eq!(
        ok(store.contact_by_email("real@example.com").await, "by email"),
        None
    );
}

pub async fn same_account_twice_is_refused<S: Store>(store: &S) {
    let new = new_account(4, "Twice", vec![person("A", "B", "ab@example.com")]);
    create(store, &new).await;
    let mut again = new.clone();
    again.new_contacts.clear();
    again.links.clear();
    assert_eq!(store.create_account(&again).await, Err(StoreError::AlreadyExists));
    assert_eq!(ok(store.accounts().await, "accounts"), vec![new.account]);
}

/// Two new contacts sharing an email pass the pre-checks (neither address is
/// stored yet) and fail when the second is written: the first must not stay.
pub async fn failure_part_way_writes_nothing<S: Store>(store: &S) {
    let mut new = new_account(
        5,
        "Half",
        vec![
            person("A", "One", "same@example.com"),
            person("B", "Two", "other@example.com"),
        ],
    );
    new.new_contacts[1].emails = new.new_contacts[0].emails.clone();
    assert!(store.create_account(&new).await.is_err());
    assert_eq!(counts(store).await, 0);
    assert_eq!(ok(store.contact(&new.new_contacts[0].id).await, "contact"), None);
    assert_eq!(
        ok(store.contact_by_email("same@example.com").await, "by email"),
        None
    );
}

pub async fn one_contact_in_several_accounts<S: Store>(store: &S) {
    let family = new_account(
        6,
        "Kate Smith Family",
        vec![person("Kate", "Smith", "kate@example.com")],
    );
    create(store, &family).await;
    let kate = family.new_contacts[0].clone();
    let llc = new_account(7, "Kate's LLC", vec![ContactDraft::Existing(Box::new(kate.clone()))]);
    create(store, &llc).await;
    let accounts: Vec<String> = ok(store.contact_accounts(&kate.id).await, "contact_accounts")
        .into_iter()
        .map(|(_, a)| a.name)
        .collect();
    assert_eq!(accounts, ["Kate Smith Family", "Kate's LLC"]);
    let on_llc = ok(store.account_contacts(&llc.account.id).await, "account_contacts");
    assert_eq!(on_llc.len(), 1);
    assert_eq!(on_llc[0].1, kate);
    assert_eq!(on_llc[0].0.email_access[0].email, "kate@example.com");
}

pub async fn contacts_of_an_account_are_alphabetical<S: Store>(store: &S) {
    let new = new_account(
        8,
        "Family",
        vec![
            person("Zoe", "Young", ""),
            person("Adam", "Ölund", ""),
            person("Bea", "Adams", ""),
            person("Al", "Adams", ""),
        ],
    );
    create(store, &new).await;
    let names: Vec<String> = ok(store.account_contacts(&new.account.id).await, "account_contacts")
        .into_iter()
        .map(|(_, c)| c.display_name())
        .collect();
    assert_eq!(names, ["Al Adams", "Bea Adams", "Adam Ölund", "Zoe Young"]);
}

pub async fn unicode_and_markup_round_trip_unchanged<S: Store>(store: &S) {
    let tricky = [
        "<img src=x onerror=alert(1)>",
        "مريم الحداد",
        "👩‍👩‍👧 Family 🏠",
        "Ștefănescu Țară ß",
        "'; DROP TABLE accounts; --",
    ];
    for (i, text) in tricky.iter().enumerate() {
        let seed = 100 + i as u64;
        let email = format!("u{i}@example.com");
        let name = text.replace(['/', '?', '*', ':', '"', '\\', '|'], "");
        let new = new_account(seed, &name, vec![person(text, "Last", &email)]);
        create(store, &new).await;
        assert_eq!(
            ok(store.account(&new.account.id).await, "account"),
            Some(new.account.clone())
        );
        assert_eq!(
            ok(store.contact(&new.new_contacts[0].id).await, "contact"),
            Some(new.new_contacts[0].clone())
        );
    }
    assert_eq!(counts(store).await, tricky.len());
}
