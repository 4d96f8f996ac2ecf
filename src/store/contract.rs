//! The store contract: behaviour the repository must show over every backend.
//! Each function is one test case; [`store_contract_tests!`] turns the whole
//! list into tests for a given store (natively for the in-memory store, in
//! headless Chromium for IndexedDB). Test support, not used by the app.

use super::{Backend, Missing, Repo, StoreError};
use crate::domain::catalog::{
    uses, CatalogItem, FieldDef, FieldKind, FieldTarget, Refs, Tag, TeamMember, TeamRole,
};
use crate::domain::history::{self, Change};
use crate::domain::ids::{IdSource, SeededIds};
use crate::domain::new_account::ContactDraft;
use crate::domain::note::Note;
use crate::domain::Email;
use crate::domain::{
    AccountType, Contact, ContactId, NewAccount, NewAccountDraft, NewContactDraft, Timestamp,
};

/// Generates one test per contract case. `native` wraps each in a blocking
/// executor; `wasm` makes `wasm_bindgen_test` async tests. `$make` is an
/// expression giving a fresh, empty repository: the repository itself
/// (`native`), or a guard that derefs to it and may `.await` (`wasm`).
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
            unicode_and_markup_round_trip_unchanged,
            account_edit_records_history_and_detects_conflicts,
            bulk_edit_is_all_or_nothing,
            last_contact_cannot_be_unlinked,
            link_switches_and_description_round_trip,
            contact_added_to_an_account_needs_a_free_email,
            contact_edit_checks_emails_and_keeps_switches_in_step,
            catalog_items_are_checked_and_deleting_removes_every_use,
            catalog_edits_name_the_version_they_started_from,
            notes_newest_first_and_deletable,
            photos_are_stored_apart_and_removable,
            contact_photos_are_stored_apart_with_history_and_removable,
            vcard_photos_are_written_with_the_import_and_undo_puts_back,
            merging_contacts_keeps_one_photo_and_undo_restores_them,
            linked_accounts_share_a_contact,
            bundle_export_import_export_is_identical,
            import_twice_changes_nothing_the_second_time,
            import_conflicts_follow_the_choices_and_undo_restores,
            failed_import_leaves_everything_as_before,
            export_of_chosen_accounts_carries_only_what_they_use,
            undo_of_an_import_leaves_no_link_to_what_it_removes,
            take_theirs_moves_a_shared_email_with_history_and_undo_restores,
            take_theirs_for_a_contact_kept_as_here_moves_nothing,
            import_and_undo_report_progress_and_leave_other_records_alone,
            import_plan_reads_only_what_the_file_touches,
            backup_facts_are_kept_and_the_clock_starts_with_the_first_data,
            replacing_everything_leaves_only_the_new_practice_or_nothing,
            import_with_derives_from_what_is_stored_and_undo_restores,
            vcard_import_updates_by_email_and_undo_restores,
            csv_import_reads_only_what_the_file_matches_and_writes_what_the_check_made,
            csv_import_matches_what_was_added_after_the_check,
            vcard_import_reads_only_what_the_cards_match_and_matches_what_was_added,
            merging_contacts_keeps_every_link_records_history_and_undo_restores,
            merging_a_contact_changed_meanwhile_is_refused,
            groups_marked_not_duplicates_are_remembered,
            directory_follows_writes_and_is_rebuilt_when_missing,
            text_fields_of_every_record_read_back_as_written,
            lines_follow_writes_and_are_rebuilt_when_missing,
            lines_of_the_first_layout_are_rebuilt_at_the_next_export,
            lines_are_cut_into_small_chunks_that_stay_in_step,
            records_by_id_and_one_link,
            an_import_into_an_empty_store_is_written_in_stages_all_or_nothing,
            an_import_left_half_done_blocks_writes_until_it_is_rolled_back);
    };
    (@one native, $make:expr, $($case:ident),*) => {
        $(
            #[test]
            fn $case() {
                pollster::block_on(async {
                    let store = $make;
                    $crate::store::contract::directory_is_built(&store).await;
                    $crate::store::contract::$case(&store).await;
                    $crate::store::contract::directory_in_step(&store).await;
                    $crate::store::contract::lines_in_step(&store).await;
                });
            }
        )*
    };
    (@one wasm, $make:expr, $($case:ident),*) => {
        $(
            #[wasm_bindgen_test::wasm_bindgen_test]
            async fn $case() {
                let store = $make;
                $crate::store::contract::directory_is_built(&*store).await;
                $crate::store::contract::$case(&*store).await;
                $crate::store::contract::directory_in_step(&*store).await;
                $crate::store::contract::lines_in_step(&*store).await;
            }
        )*
    };
    ($mode:ident, $make:expr) => {
        $crate::store_contract_tests!(@cases $mode, $make);
    };
}

/// Run after every case: the stored bundle lines are current (never
/// rebuilt) and write exactly the bundle the records write.
pub async fn lines_in_step<B: Backend>(store: &Repo<B>) {
    let meta = crate::bundle::Meta {
        exported_at: Timestamp(9),
        app_version: "contract".into(),
    };
    let Some((catalog, lists)) = ok(store.stored_lines().await, "stored lines") else {
        panic!("the stored lines were lost (they would be rebuilt)");
    };
    let from_lines = lists.write(&catalog, &meta);
    let from_records = crate::bundle::write(&ok(store.export().await, "export"), &meta);
    assert_eq!(
        from_lines, from_records,
        "the stored lines differ from the records"
    );
}

/// Run before every case: a new store has a current (empty) stored
/// directory from its creation, before anything reads it, so every write of
/// the case must keep it in step. (Without it, an import into a new
/// database, say on a new device, left the directory to be rebuilt from
/// every record at the next start: 9.8 s at 100,000 contacts.)
pub async fn directory_is_built<B: Backend>(store: &Repo<B>) {
    let tx = ok(store.backend().read(&[super::schema::SUMMARY]), "raw read");
    let stored = ok(super::summary::read(&tx).await, "stored directory");
    assert!(
        stored.is_some(),
        "a new database has no current directory (it would be rebuilt at the first read)"
    );
    ok(store.directory().await, "directory");
}

/// Run after every case: the stored directory says what the records say.
pub async fn directory_in_step<B: Backend>(store: &Repo<B>) {
    let stored = ok(store.directory().await, "directory").rows().sorted();
    let records = ok(store.directory_from_records().await, "directory from records").sorted();
    assert_eq!(stored, records, "the stored directory differs from the records");
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
        ..Default::default()
    };
    ok(
        draft.build(
            &mut SeededIds::new(seed),
            Timestamp(1_795_305_600_000 + seed as i64),
        ),
        "valid draft",
    )
}

async fn create<B: Backend>(store: &Repo<B>, new: &NewAccount) {
    ok(store.create_account(new, &[]).await, "create_account");
}

async fn counts<B: Backend>(store: &Repo<B>) -> usize {
    ok(store.accounts().await, "accounts").len()
}

pub async fn empty_store_reads_nothing<B: Backend>(store: &Repo<B>) {
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

pub async fn created_account_reads_back_whole<B: Backend>(store: &Repo<B>) {
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

pub async fn accounts_are_sorted_ignoring_case_and_accents<B: Backend>(store: &Repo<B>) {
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

pub async fn contact_found_by_any_email_case_insensitively<B: Backend>(store: &Repo<B>) {
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

pub async fn email_of_another_contact_is_refused_and_nothing_written<B: Backend>(store: &Repo<B>) {
    create(
        store,
        &new_account(1, "", vec![person("Kate", "Smith", "kate@example.com")]),
    )
    .await;
    let clash = new_account(2, "Other", vec![person("Katie", "Smyth", "KATE@example.com")]);
    match store.create_account(&clash, &[]).await {
        Err(StoreError::Rejected(e)) => {
            assert_eq!(
                e.for_field("contacts[0].email"),
                Some(&crate::domain::validation::Problem::EmailTaken(
                    "kate@example.com".into()
                ))
            );
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(counts(store).await, 1);
    assert_eq!(
        ok(store.contact(&clash.new_contacts[0].id).await, "contact"),
        None
    );
}

pub async fn linking_a_missing_contact_is_refused_and_nothing_written<B: Backend>(store: &Repo<B>) {
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
        store.create_account(&new, &[]).await,
        Err(StoreError::Rejected(_))
    ));
    assert_eq!(counts(store).await, 0);
    assert_eq!(
        ok(store.contact_by_email("real@example.com").await, "by email"),
        None
    );
}

pub async fn same_account_twice_is_refused<B: Backend>(store: &Repo<B>) {
    let new = new_account(4, "Twice", vec![person("A", "B", "ab@example.com")]);
    create(store, &new).await;
    let mut again = new.clone();
    again.new_contacts.clear();
    again.links.clear();
    assert_eq!(
        store.create_account(&again, &[]).await,
        Err(StoreError::AlreadyExists)
    );
    assert_eq!(ok(store.accounts().await, "accounts"), vec![new.account]);
}

/// Two new contacts sharing an email pass the pre-checks (neither address is
/// stored yet) and fail when the second is written: the first must not stay.
pub async fn failure_part_way_writes_nothing<B: Backend>(store: &Repo<B>) {
    let mut new = new_account(
        5,
        "Half",
        vec![
            person("A", "One", "same@example.com"),
            person("B", "Two", "other@example.com"),
        ],
    );
    new.new_contacts[1].emails = new.new_contacts[0].emails.clone();
    assert!(store.create_account(&new, &[]).await.is_err());
    assert_eq!(counts(store).await, 0);
    assert_eq!(ok(store.contact(&new.new_contacts[0].id).await, "contact"), None);
    assert_eq!(
        ok(store.contact_by_email("same@example.com").await, "by email"),
        None
    );
}

pub async fn one_contact_in_several_accounts<B: Backend>(store: &Repo<B>) {
    let family = new_account(
        6,
        "Kate Smith Family",
        vec![person("Kate", "Smith", "kate@example.com")],
    );
    create(store, &family).await;
    let kate = family.new_contacts[0].clone();
    let llc = new_account(
        7,
        "Kate's LLC",
        vec![ContactDraft::Existing(Box::new(kate.clone()))],
    );
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

pub async fn contacts_of_an_account_are_alphabetical<B: Backend>(store: &Repo<B>) {
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

pub async fn unicode_and_markup_round_trip_unchanged<B: Backend>(store: &Repo<B>) {
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

pub async fn account_edit_records_history_and_detects_conflicts<B: Backend>(store: &Repo<B>) {
    let new = new_account(20, "Smith", vec![person("Kate", "Smith", "k20@example.com")]);
    create(store, &new).await;
    let before = new.account.clone();
    let mut after = before.clone();
    after.name = "Smith Family".into();
    after.updated_at = Timestamp(before.updated_at.0 + 1);
    let changes = history::account_changes(&before, &after, &Default::default());
    let mut ids = SeededIds::new(21);
    let entries = history::entries(&mut ids, &before.id, Timestamp(5), "Owner", changes);
    ok(store.update_account(&before, &after, &entries).await, "update");
    assert_eq!(
        ok(store.account(&before.id).await, "account"),
        Some(after.clone())
    );
    let log = ok(store.history(&before.id).await, "history");
    assert_eq!(log.len(), 1);
    assert_eq!(
        log[0].change,
        Change::Renamed {
            from: "Smith".into(),
            to: "Smith Family".into()
        }
    );
    // An edit that started from the old version is refused, not merged.
    let mut stale = before.clone();
    stale.name = "Other".into();
    assert_eq!(
        store.update_account(&before, &stale, &[]).await,
        Err(StoreError::Conflict)
    );
    assert_eq!(
        ok(store.account(&before.id).await, "account").map(|a| a.name),
        Some("Smith Family".into())
    );
    assert_eq!(ok(store.history(&before.id).await, "history").len(), 1);
}

pub async fn bulk_edit_is_all_or_nothing<B: Backend>(store: &Repo<B>) {
    let a = new_account(30, "A", vec![person("A", "A", "")]);
    let b = new_account(31, "B", vec![person("B", "B", "")]);
    create(store, &a).await;
    create(store, &b).await;
    let archived = |acc: &crate::domain::Account| {
        let mut x = acc.clone();
        x.archived = true;
        x
    };
    // The second pair starts from a version that is not stored: nothing changes.
    let mut stale_b = b.account.clone();
    stale_b.name = "Stale".into();
    let result = store
        .update_accounts(
            &[
                (a.account.clone(), archived(&a.account)),
                (stale_b.clone(), archived(&stale_b)),
            ],
            &[],
        )
        .await;
    assert_eq!(result, Err(StoreError::Conflict));
    assert!(ok(store.accounts().await, "accounts").iter().all(|x| !x.archived));
    ok(
        store
            .update_accounts(
                &[
                    (a.account.clone(), archived(&a.account)),
                    (b.account.clone(), archived(&b.account)),
                ],
                &[],
            )
            .await,
        "bulk",
    );
    assert!(ok(store.accounts().await, "accounts").iter().all(|x| x.archived));
}

pub async fn last_contact_cannot_be_unlinked<B: Backend>(store: &Repo<B>) {
    let new = new_account(
        40,
        "Pair",
        vec![
            person("A", "One", "a40@example.com"),
            person("B", "Two", "b40@example.com"),
        ],
    );
    create(store, &new).await;
    let (first, second) = (&new.new_contacts[0].id, &new.new_contacts[1].id);
    ok(
        store.unlink(&new.account.id, first, &[]).await,
        "unlink one of two",
    );
    match store.unlink(&new.account.id, second, &[]).await {
        Err(StoreError::Rejected(e)) => assert_eq!(
            e.for_field("contacts"),
            Some(&crate::domain::validation::Problem::LastContact),
            "{e}"
        ),
        other => panic!("expected a refusal, got {other:?}"),
    }
    let left = ok(store.account_contacts(&new.account.id).await, "contacts");
    assert_eq!(left.len(), 1);
    assert_eq!(&left[0].1.id, second);
    // The unlinked contact still exists on its own.
    assert!(ok(store.contact(first).await, "contact").is_some());
}

pub async fn link_switches_and_description_round_trip<B: Backend>(store: &Repo<B>) {
    let new = new_account(50, "Firm", vec![person("Ceo", "Person", "ceo50@example.com")]);
    create(store, &new).await;
    let mut link = new.links[0].clone();
    link.description = "CEO".into();
    link.signer_priority = Some(1);
    if let Some(a) = link.email_access.first_mut() {
        a.email_sync = true;
        a.invited_at = Some(Timestamp(7));
        a.notify_prefs.invoices = false;
    }
    ok(store.save_link(&link, &[]).await, "save_link");
    let stored = ok(store.account_contacts(&new.account.id).await, "contacts");
    assert_eq!(stored[0].0, link);
    assert!(stored[0].0.email_access[0].pending_activation());
    // A link to a contact that does not exist is refused.
    let mut ghost = link.clone();
    ghost.contact_id = ContactId::from_random([0xee; 16]);
    assert!(matches!(
        store.save_link(&ghost, &[]).await,
        Err(StoreError::NotFound(_))
    ));
}

pub async fn contact_added_to_an_account_needs_a_free_email<B: Backend>(store: &Repo<B>) {
    let new = new_account(60, "Family", vec![person("Mum", "Family", "mum60@example.com")]);
    create(store, &new).await;
    let mut ids = SeededIds::new(61);
    let kid = |email: &str, ids: &mut SeededIds| Contact {
        id: ids.contact_id(),
        first_name: "Kid".into(),
        middle_name: String::new(),
        last_name: "Family".into(),
        emails: vec![ok(Email::parse(email), "email")],
        phones: Vec::new(),
        address: Default::default(),
        date_of_birth: String::new(),
        tags: Vec::new(),
        custom: Default::default(),
        created_at: Timestamp(1),
        updated_at: Timestamp(1),
    };
    let link_for = |c: &Contact| crate::domain::Link {
        account_id: new.account.id.clone(),
        contact_id: c.id.clone(),
        description: String::new(),
        signer_priority: None,
        email_access: Vec::new(),
    };
    let taken = kid("MUM60@example.com", &mut ids);
    assert!(matches!(
        store.add_contact(&taken, &link_for(&taken), &[]).await,
        Err(StoreError::Rejected(_))
    ));
    assert_eq!(ok(store.contact(&taken.id).await, "contact"), None);
    let free = kid("kid60@example.com", &mut ids);
    ok(
        store.add_contact(&free, &link_for(&free), &[]).await,
        "add contact",
    );
    assert_eq!(
        ok(store.account_contacts(&new.account.id).await, "contacts").len(),
        2
    );
}

pub async fn contact_edit_checks_emails_and_keeps_switches_in_step<B: Backend>(store: &Repo<B>) {
    let one = new_account(70, "One", vec![person("Ann", "One", "ann70@example.com")]);
    let two = new_account(71, "Two", vec![person("Bob", "Two", "bob70@example.com")]);
    create(store, &one).await;
    create(store, &two).await;
    let ann = one.new_contacts[0].clone();
    let mut taken = ann.clone();
    taken.emails.push(ok(Email::parse("BOB70@example.com"), "email"));
    assert!(matches!(
        store.update_contact(&ann, &taken).await,
        Err(StoreError::Rejected(_))
    ));
    assert_eq!(ok(store.contact(&ann.id).await, "contact"), Some(ann.clone()));
    let mut more = ann.clone();
    more.emails
        .push(ok(Email::parse("ann.work@example.com"), "email"));
    ok(store.update_contact(&ann, &more).await, "add an email");
    let link = &ok(store.account_contacts(&one.account.id).await, "contacts")[0].0;
    let emails: Vec<&str> = link.email_access.iter().map(|a| a.email.as_str()).collect();
    assert_eq!(emails, ["ann70@example.com", "ann.work@example.com"]);
    assert!(link.email_access[0].login, "kept switches stay");
    assert!(!link.email_access[1].login, "new emails start switched off");
    assert_eq!(
        ok(store.contact_by_email("ann.work@example.com").await, "by email").map(|c| c.id),
        Some(ann.id.clone())
    );
    // Stale edits are refused.
    assert_eq!(store.update_contact(&ann, &more).await, Err(StoreError::Conflict));
}

pub async fn catalog_items_are_checked_and_deleting_removes_every_use<B: Backend>(store: &Repo<B>) {
    let mut ids = SeededIds::new(80);
    let vip = Tag {
        id: ids.id(),
        name: "VIP".into(),
        color: "red".into(),
    };
    ok(
        store.save_catalog_item(&CatalogItem::Tag(vip.clone())).await,
        "tag",
    );
    let dup = Tag {
        id: ids.id(),
        name: "vip".into(),
        color: "blue".into(),
    };
    assert!(matches!(
        store.save_catalog_item(&CatalogItem::Tag(dup)).await,
        Err(StoreError::Rejected(_))
    ));
    let owner = TeamMember {
        id: ids.id(),
        name: "Olga Owner".into(),
        email: "olga@firm.example".into(),
        role: TeamRole::Owner,
        view_all_accounts: true,
        manage_accounts: true,
    };
    let ann = TeamMember {
        id: ids.id(),
        name: "Ann".into(),
        email: "ann@firm.example".into(),
        role: TeamRole::Employee,
        ..owner.clone()
    };
    ok(
        store.save_catalog_item(&CatalogItem::Member(owner.clone())).await,
        "owner",
    );
    ok(
        store.save_catalog_item(&CatalogItem::Member(ann.clone())).await,
        "ann",
    );
    let field = FieldDef {
        id: ids.id(),
        target: FieldTarget::Account,
        label: "Tax id".into(),
        kind: FieldKind::Text,
    };
    ok(
        store.save_catalog_item(&CatalogItem::Field(field.clone())).await,
        "field",
    );
    let catalog = ok(store.catalog().await, "catalog");
    assert_eq!(catalog.tags, vec![vip.clone()]);
    assert_eq!(
        catalog
            .members
            .iter()
            .map(|m| m.name.as_str())
            .collect::<Vec<_>>(),
        ["Olga Owner", "Ann"]
    );

    let new = new_account(81, "Tagged", vec![person("T", "T", "")]);
    create(store, &new).await;
    let mut tagged = new.account.clone();
    tagged.tags.push(vip.id.clone());
    tagged.team.push(ann.id.clone());
    tagged.custom.insert(field.id.clone(), "RO123".into());
    ok(
        store.update_account(&new.account, &tagged, &[]).await,
        "tag the account",
    );
    // What Settings counts: each record's references, read without the rest.
    let (accounts, contacts) = ok(store.catalog_refs().await, "refs");
    assert_eq!(accounts, vec![Refs::of_account(&tagged)]);
    let stored = ok(store.contacts().await, "contacts");
    assert_eq!(contacts, stored.iter().map(Refs::of_contact).collect::<Vec<_>>());
    let counted = uses(&accounts, &contacts);
    assert_eq!(counted.get(vip.id.as_str()).map(|u| u.accounts), Some(1));
    assert_eq!(counted.get(ann.id.as_str()).map(|u| u.accounts), Some(1));
    assert_eq!(counted.get(field.id.as_str()).map(|u| u.accounts), Some(1));

    ok(store.delete_catalog_item(vip.id.as_str()).await, "delete tag");
    ok(store.delete_catalog_item(ann.id.as_str()).await, "delete member");
    ok(store.delete_catalog_item(field.id.as_str()).await, "delete field");
    let after = ok(store.account(&new.account.id).await, "account");
    assert_eq!(
        after.map(|a| (a.tags, a.team, a.custom.len())),
        Some((vec![], vec![], 0))
    );
    assert!(matches!(
        store.delete_catalog_item(owner.id.as_str()).await,
        Err(StoreError::Rejected(_))
    ));
    assert_eq!(ok(store.catalog().await, "catalog").members, vec![owner]);
    let (accounts, _) = ok(store.catalog_refs().await, "refs after the deletes");
    assert!(uses(&accounts, &[]).is_empty());
}

pub async fn catalog_edits_name_the_version_they_started_from<B: Backend>(store: &Repo<B>) {
    let mut ids = SeededIds::new(85);
    let vip = CatalogItem::Tag(Tag {
        id: ids.id(),
        name: "VIP".into(),
        color: "red".into(),
    });
    let late = CatalogItem::Tag(Tag {
        id: ids.id(),
        name: "Late payer".into(),
        color: "amber".into(),
    });
    ok(store.save_catalog_item(&vip).await, "vip");
    ok(store.save_catalog_item(&late).await, "late");
    let CatalogItem::Tag(v) = &vip else {
        panic!("a tag")
    };
    let renamed = CatalogItem::Tag(Tag {
        name: "Very important".into(),
        ..v.clone()
    });
    ok(store.update_catalog_item(&vip, &renamed).await, "rename");
    assert_eq!(
        ok(store.catalog().await, "catalog").tags[1].name,
        "Very important"
    );

    // An edit started from the old version (another tab) is refused.
    let recoloured = CatalogItem::Tag(Tag {
        color: "blue".into(),
        ..v.clone()
    });
    assert_eq!(
        store.update_catalog_item(&vip, &recoloured).await,
        Err(StoreError::Conflict)
    );
    // The new name is still checked against the others.
    let CatalogItem::Tag(r) = &renamed else {
        panic!("a tag")
    };
    let clash = CatalogItem::Tag(Tag {
        name: "late PAYER".into(),
        ..r.clone()
    });
    assert!(matches!(
        store.update_catalog_item(&renamed, &clash).await,
        Err(StoreError::Rejected(_))
    ));
    // An item cannot become another one.
    assert!(matches!(
        store.update_catalog_item(&renamed, &late).await,
        Err(StoreError::Rejected(_))
    ));
    // A deleted item is not brought back by an edit.
    ok(store.delete_catalog_item(r.id.as_str()).await, "delete");
    assert_eq!(
        store.update_catalog_item(&renamed, &recoloured).await,
        Err(StoreError::NotFound(Missing::Item))
    );
    let names: Vec<String> = ok(store.catalog().await, "catalog")
        .tags
        .into_iter()
        .map(|t| t.name)
        .collect();
    assert_eq!(names, ["Late payer"]);
}

pub async fn notes_newest_first_and_deletable<B: Backend>(store: &Repo<B>) {
    let new = new_account(90, "Noted", vec![person("N", "N", "")]);
    create(store, &new).await;
    let mut ids = SeededIds::new(91);
    let note = |text: &str, at: i64, ids: &mut SeededIds| Note {
        id: ids.id(),
        account_id: new.account.id.clone(),
        text: text.into(),
        by: "Owner".into(),
        created_at: Timestamp(at),
        updated_at: Timestamp(at),
    };
    let (old, recent) = (
        note("first call", 1, &mut ids),
        note("sent the organizer", 2, &mut ids),
    );
    ok(store.save_note(&old).await, "note");
    ok(store.save_note(&recent).await, "note");
    let texts: Vec<String> = ok(store.notes(&new.account.id).await, "notes")
        .into_iter()
        .map(|n| n.text)
        .collect();
    assert_eq!(texts, ["sent the organizer", "first call"]);
    let mut edited = old.clone();
    edited.text = "first call (edited)".into();
    ok(store.save_note(&edited).await, "edit");
    ok(store.delete_note(&recent.id).await, "delete");
    assert_eq!(ok(store.notes(&new.account.id).await, "notes"), vec![edited]);
    let mut orphan = note("nowhere", 3, &mut ids);
    orphan.account_id = crate::domain::AccountId::from_random([0xab; 16]);
    assert!(matches!(
        store.save_note(&orphan).await,
        Err(StoreError::NotFound(_))
    ));
}

pub async fn photos_are_stored_apart_and_removable<B: Backend>(store: &Repo<B>) {
    let new = new_account(100, "Pictured", vec![person("P", "P", "")]);
    create(store, &new).await;
    let data = "data:image/jpeg;base64,/9j/4AAQ";
    ok(store.set_photo(&new.account, Some(data), &[]).await, "photo");
    let with = ok(store.account(&new.account.id).await, "account").map(|a| a.has_photo);
    assert_eq!(with, Some(true));
    assert_eq!(
        ok(store.photo(&new.account.id).await, "photo").as_deref(),
        Some(data)
    );
    let current = match ok(store.account(&new.account.id).await, "account") {
        Some(a) => a,
        None => panic!("account vanished"),
    };
    ok(store.set_photo(&current, None, &[]).await, "remove");
    assert_eq!(ok(store.photo(&new.account.id).await, "photo"), None);
}

pub async fn contact_photos_are_stored_apart_with_history_and_removable<B: Backend>(store: &Repo<B>) {
    let new = new_account(101, "Pictured family", vec![person("Ana", "Pop", "ana@x.io")]);
    create(store, &new).await;
    let ana = new.new_contacts[0].id.clone();
    let before = export_text(store).await;
    assert_eq!(ok(store.contact_photo(&ana).await, "none yet"), None);
    let data = "data:image/png;base64,iVBORw0KGgo=";
    let line = history::entries(
        &mut SeededIds::new(4),
        &new.account.id,
        Timestamp(9),
        "You",
        vec![Change::ContactPhotoChanged {
            contact: "Ana Pop".into(),
        }],
    );
    ok(store.set_contact_photo(&ana, Some(data), &line).await, "photo");
    assert_eq!(
        ok(store.contact_photo(&ana).await, "photo").as_deref(),
        Some(data)
    );
    let lines: Vec<String> = ok(store.history(&new.account.id).await, "history")
        .iter()
        .map(|h| crate::i18n::names::history_change(&h.change))
        .collect();
    assert!(
        lines.contains(&"Photo of Ana Pop changed".to_owned()),
        "{lines:?}"
    );
    // Apart from the contact and from account photos.
    assert_eq!(ok(store.photo(&new.account.id).await, "account photo"), None);
    assert_eq!(
        ok(store.contacts_by_id(std::slice::from_ref(&ana)).await, "contact"),
        new.new_contacts
    );
    let stranger = ContactId::from_random([0xcd; 16]);
    let many = ok(
        store.contact_photos(&[stranger.clone(), ana.clone()]).await,
        "many",
    );
    assert_eq!(many.len(), 1);
    assert_eq!(many.get(&ana).map(String::as_str), Some(data));
    // Refused: a contact that does not exist, or something not a photo.
    assert_eq!(
        store.set_contact_photo(&stranger, Some(data), &[]).await,
        Err(StoreError::NotFound(Missing::Contact))
    );
    for not in ["https://example.com/a.jpg", "data:image/svg+xml;base64,PHN2Zz4="] {
        assert!(matches!(
            store.set_contact_photo(&ana, Some(not), &[]).await,
            Err(StoreError::Rejected(_))
        ));
    }
    assert_eq!(ok(store.contact_photo(&ana).await, "kept").as_deref(), Some(data));
    // Bundles carry no photos: only the history line differs.
    let after: String = export_text(store).await;
    assert!(!after.contains("iVBORw0KGgo"), "no photo in a bundle");
    ok(store.set_contact_photo(&ana, None, &[]).await, "remove");
    assert_eq!(ok(store.contact_photo(&ana).await, "removed"), None);
    ok(store.set_contact_photo(&ana, Some(data), &[]).await, "again");
    assert_ne!(after, before);
    // Replacing everything (the demo) leaves no photo behind.
    ok(
        store
            .replace_everything(&crate::bundle::Contents::default())
            .await,
        "replace",
    );
    assert_eq!(ok(store.contact_photo(&ana).await, "gone"), None);
}

pub async fn linked_accounts_share_a_contact<B: Backend>(store: &Repo<B>) {
    let family = new_account(
        110,
        "Kate Smith Family",
        vec![person("Kate", "Smith", "kate110@example.com")],
    );
    create(store, &family).await;
    let kate = family.new_contacts[0].clone();
    let llc = new_account(
        111,
        "Kate's LLC",
        vec![ContactDraft::Existing(Box::new(kate.clone()))],
    );
    let other = new_account(112, "Unrelated", vec![person("U", "R", "")]);
    create(store, &llc).await;
    create(store, &other).await;
    let linked: Vec<String> = ok(store.linked_accounts(&family.account.id).await, "linked")
        .into_iter()
        .map(|a| a.name)
        .collect();
    assert_eq!(linked, ["Kate's LLC"]);
}

// ----- bundles -----------------------------------------------------------

fn bundle_text(c: &crate::bundle::Contents) -> String {
    crate::bundle::write(
        c,
        &crate::bundle::Meta {
            exported_at: Timestamp(1),
            app_version: "test".into(),
        },
    )
}

async fn export_text<B: Backend>(store: &Repo<B>) -> String {
    bundle_text(&ok(store.export().await, "export"))
}

pub async fn bundle_export_import_export_is_identical<B: Backend>(store: &Repo<B>) {
    let sample = crate::bundle::fixtures::sample(20, 11);
    let text = bundle_text(&sample);
    let (read, _) = ok(crate::bundle::read(text.as_bytes()), "read");
    let plan = ok(
        store.import(&read, Default::default(), Timestamp(5)).await,
        "import",
    );
    assert_eq!(plan.accounts.created, 20);
    assert_eq!(plan.contacts.created, 20);
    assert_eq!(plan.links.created, 20);
    assert_eq!(export_text(store).await, text);
}

pub async fn import_twice_changes_nothing_the_second_time<B: Backend>(store: &Repo<B>) {
    let sample = crate::bundle::fixtures::sample(5, 12);
    ok(
        store.import(&sample, Default::default(), Timestamp(5)).await,
        "import",
    );
    let before = export_text(store).await;
    let plan = ok(store.import_plan(&sample, Default::default()).await, "plan");
    assert!(plan.changes_nothing(), "{plan:?}");
    assert_eq!(plan.accounts.unchanged, 5);
    let again = ok(
        store.import(&sample, Default::default(), Timestamp(6)).await,
        "import again",
    );
    assert!(again.changes_nothing());
    assert_eq!(export_text(store).await, before);
    // The snapshot of the first import is kept.
    assert_eq!(ok(store.last_import().await, "last"), Some(Timestamp(5)));
}

pub async fn import_conflicts_follow_the_choices_and_undo_restores<B: Backend>(store: &Repo<B>) {
    use crate::bundle::merge::{Choices, OnSameId, OnSharedEmail};
    let mine = new_account(1, "Mine", vec![person("Ana", "Pop", "ana@x.io")]);
    create(store, &mine).await;
    let original = export_text(store).await;
    let mut theirs = crate::bundle::fixtures::sample(3, 13);
    // Same id, different content: account 0 renamed in the file.
    let mut renamed = ok(store.export().await, "export");
    renamed.accounts[0].name = "Theirs".into();
    theirs.accounts.push(renamed.accounts[0].clone());
    theirs.contacts.extend(renamed.contacts.clone());
    theirs.links.extend(renamed.links.clone());
    // Same email on another contact: the file's contact 0 uses ana@x.io.
    theirs.contacts[0].emails = vec![ok(Email::parse("ANA@x.io"), "email")];
    let plan = ok(store.import_plan(&theirs, Choices::default()).await, "plan");
    assert_eq!(plan.same_id.len(), 1, "{plan:?}");
    assert_eq!(plan.shared_email.len(), 1, "{plan:?}");
    assert_eq!(plan.accounts.kept, 1);
    assert_eq!(
        plan.contacts.created, 2,
        "the clashing contact is replaced by mine"
    );

    // Keep mine: the name stays, the file's link goes to my contact.
    ok(
        store.import(&theirs, Choices::default(), Timestamp(7)).await,
        "import",
    );
    assert_eq!(
        ok(store.account(&mine.account.id).await, "read").map(|a| a.name),
        Some("Mine".into())
    );
    let ana = ok(store.contact_by_email("ana@x.io").await, "by email").map(|c| c.id);
    assert_eq!(ana, Some(mine.new_contacts[0].id.clone()));
    assert_eq!(
        ok(store.contact_accounts(&mine.new_contacts[0].id).await, "accounts").len(),
        2
    );
    assert!(ok(store.undo_import().await, "undo"));
    assert_eq!(export_text(store).await, original);
    assert!(!ok(store.undo_import().await, "nothing left to undo"));

    // Take theirs and keep both.
    let choices = Choices {
        same_id: OnSameId::TakeTheirs,
        shared_email: OnSharedEmail::KeepBoth,
    };
    let plan = ok(store.import(&theirs, choices, Timestamp(8)).await, "import");
    assert_eq!(plan.accounts.updated, 1);
    assert_eq!(plan.contacts.created, 3);
    assert_eq!(
        ok(store.account(&mine.account.id).await, "read").map(|a| a.name),
        Some("Theirs".into())
    );
    let kept_both = ok(store.contact(&theirs.contacts[0].id).await, "read");
    assert!(kept_both.is_some_and(|c| c.emails.is_empty()));
    assert!(ok(store.undo_import().await, "undo"));
    assert_eq!(export_text(store).await, original);
}

pub async fn failed_import_leaves_everything_as_before<B: Backend>(store: &Repo<B>) {
    let mine = new_account(1, "Mine", vec![person("Ana", "Pop", "ana@x.io")]);
    create(store, &mine).await;
    let before = export_text(store).await;
    // Two contacts of the file share an email (a file that skipped
    // validation): the unique email index fails the transaction part way.
    let mut bad = crate::bundle::fixtures::sample(10, 14);
    let shared = bad.contacts[0].emails.clone();
    bad.contacts[9].emails = shared;
    let r = store.import(&bad, Default::default(), Timestamp(9)).await;
    assert!(r.is_err(), "{r:?}");
    assert_eq!(export_text(store).await, before);
    assert_eq!(ok(store.last_import().await, "last"), None);
}

pub async fn export_of_chosen_accounts_carries_only_what_they_use<B: Backend>(store: &Repo<B>) {
    let mut sample = crate::bundle::fixtures::sample(4, 15);
    sample.catalog.push(CatalogItem::Tag(Tag {
        id: SeededIds::new(99).id(),
        name: "Unused".into(),
        color: "red".into(),
    }));
    ok(
        store.import(&sample, Default::default(), Timestamp(5)).await,
        "import",
    );
    let chosen = vec![sample.accounts[1].id.clone()];
    let part = ok(store.export_accounts(&chosen).await, "export part");
    assert_eq!(part.accounts.len(), 1);
    assert_eq!(part.contacts.len(), 1);
    assert_eq!(part.links.len(), 1);
    assert_eq!(part.notes.len(), 1);
    assert_eq!(
        part.catalog.len(),
        3,
        "the tag, the owner and the field; not the unused tag"
    );
    let text = bundle_text(&part);
    assert!(crate::bundle::read(text.as_bytes()).is_ok());
}

pub async fn undo_of_an_import_leaves_no_link_to_what_it_removes<B: Backend>(store: &Repo<B>) {
    let mine = new_account(1, "Mine", vec![person("Ana", "Pop", "ana@x.io")]);
    create(store, &mine).await;
    let before = export_text(store).await;
    let sample = crate::bundle::fixtures::sample(2, 16);
    ok(
        store.import(&sample, Default::default(), Timestamp(5)).await,
        "import",
    );
    // After the import, an imported contact is linked to my account.
    let link = crate::domain::Link {
        account_id: mine.account.id.clone(),
        contact_id: sample.contacts[0].id.clone(),
        description: String::new(),
        signer_priority: None,
        email_access: vec![],
    };
    ok(store.save_link(&link, &[]).await, "link");
    assert!(ok(store.undo_import().await, "undo"));
    assert_eq!(export_text(store).await, before);
    assert_eq!(ok(store.links().await, "links").len(), 1);
}

pub async fn take_theirs_moves_a_shared_email_with_history_and_undo_restores<B: Backend>(store: &Repo<B>) {
    use crate::bundle::merge::{Choices, OnSharedEmail};
    use crate::store::{Run, Stage};
    // Here: Ana Pop (ana@x.io and pop@x.io) in the account "Mine".
    let mine = new_account(1, "Mine", vec![person("Ana", "Pop", "ana@x.io")]);
    let mut ana = mine.new_contacts[0].clone();
    ana.emails.push(ok(Email::parse("pop@x.io"), "email"));
    let mut with_two = mine.clone();
    with_two.new_contacts[0] = ana.clone();
    with_two.links[0].sync_emails(&ana.email_keys());
    create(store, &with_two).await;
    let before = export_text(store).await;
    // The file: another contact with ANA@x.io, in an account of its own.
    let mut theirs = crate::bundle::fixtures::sample(1, 31);
    theirs.contacts[0].emails = vec![ok(Email::parse("ANA@x.io"), "email")];
    let keys = theirs.contacts[0].email_keys();
    theirs.links[0].sync_emails(&keys);
    let choices = Choices {
        shared_email: OnSharedEmail::TakeTheirs,
        ..Choices::default()
    };
    let plan = ok(store.import_plan(&theirs, choices).await, "plan");
    assert_eq!(plan.shared_email.len(), 1, "{plan:?}");
    let moves = crate::bundle::merge::PlanNote::EmailMoves {
        email: "ana@x.io".into(),
        from: "Ana Pop".into(),
        to: "Ana0 Müller".into(),
    };
    assert!(plan.notes.contains(&moves), "{plan:?}");
    assert_eq!((plan.contacts.created, plan.contacts.updated), (1, 1));
    let seen = std::cell::RefCell::new(Vec::new());
    let report = |stage: Stage, done: usize, total: usize| seen.borrow_mut().push((stage, done, total));
    let run = Run {
        at: Timestamp(40),
        by: "Olga".into(),
        ids: SeededIds::new(41),
        progress: &report,
    };
    ok(store.import_run(&theirs, choices, run).await, "import");
    // The email now belongs to the file's contact; Ana keeps her other one.
    let owner = ok(store.contact_by_email("ana@x.io").await, "by email").map(|c| c.id);
    assert_eq!(owner, Some(theirs.contacts[0].id.clone()));
    let ana_now = ok(store.contact(&ana.id).await, "ana").map(|c| c.email_keys());
    assert_eq!(ana_now, Some(vec!["pop@x.io".to_owned()]));
    // Her link lost the moved email's switches.
    let links = ok(store.contact_accounts(&ana.id).await, "links");
    let emails: Vec<&str> = links[0].0.email_access.iter().map(|a| a.email.as_str()).collect();
    assert_eq!(emails, ["pop@x.io"]);
    // Both accounts' history says so.
    for account in [&mine.account.id, &theirs.accounts[0].id] {
        let h = ok(store.history(account).await, "history");
        assert!(
            h.iter().any(|e| e.by == "Olga"
                && e.change
                    == Change::EmailMoved {
                        email: "ana@x.io".into(),
                        from: "Ana Pop".into(),
                        to: "Ana0 Müller".into(),
                    }),
            "{h:?}"
        );
    }
    let last = seen.borrow().last().copied();
    assert!(
        matches!(last, Some((Stage::Writing, d, t)) if d == t && t > 0),
        "{last:?}"
    );
    // Undo puts everything back, the email with Ana.
    assert!(ok(store.undo_import().await, "undo"));
    assert_eq!(export_text(store).await, before);
    let owner = ok(store.contact_by_email("ana@x.io").await, "by email").map(|c| c.id);
    assert_eq!(owner, Some(ana.id.clone()));
}

pub async fn take_theirs_for_a_contact_kept_as_here_moves_nothing<B: Backend>(store: &Repo<B>) {
    use crate::bundle::merge::{Choices, OnSharedEmail};
    // Here: Ana (ana@x.io) and Bo (bo@x.io).
    let mine = new_account(
        2,
        "Mine",
        vec![person("Ana", "Pop", "ana@x.io"), person("Bo", "Li", "bo@x.io")],
    );
    create(store, &mine).await;
    let before = export_text(store).await;
    // The file has Bo with Ana's email: Bo differs, and "keep mine" keeps him
    // as he is here, so nothing is written for him and the email stays.
    let mut file = ok(store.export().await, "export");
    let bo = file.contacts.iter_mut().find(|c| c.first_name == "Bo").map(|c| {
        c.emails = vec![ok(Email::parse("ana@x.io"), "email")];
        c.clone()
    });
    let bo = ok(bo.ok_or("no Bo"), "Bo");
    file.contacts.retain(|c| c.id == bo.id);
    file.links.retain(|l| l.contact_id == bo.id);
    for l in &mut file.links {
        l.sync_emails(&bo.email_keys());
    }
    let choices = Choices {
        shared_email: OnSharedEmail::TakeTheirs,
        ..Choices::default()
    };
    let plan = ok(store.import(&file, choices, Timestamp(9)).await, "import");
    assert_eq!(plan.contacts.kept, 1, "{plan:?}");
    assert_eq!(plan.contacts.updated, 0, "{plan:?}");
    let owner = ok(store.contact_by_email("ana@x.io").await, "by email").map(|c| c.first_name);
    assert_eq!(owner.as_deref(), Some("Ana"));
    let after = export_text(store).await;
    // Only the (unchanged) link may have been rewritten: nothing else moved.
    assert_eq!(after, before);
}

pub async fn import_and_undo_report_progress_and_leave_other_records_alone<B: Backend>(store: &Repo<B>) {
    use crate::store::{Run, Stage};
    // Records here whose ids fall between the imported ones (undo deletes
    // runs of neighbouring keys: these must survive).
    for seed in 0..6u64 {
        let a = new_account(
            100 + seed,
            &format!("Here {seed}"),
            vec![person("Kim", &format!("Here{seed}"), &format!("k{seed}@x.io"))],
        );
        create(store, &a).await;
    }
    let before = export_text(store).await;
    let big = crate::bundle::fixtures::sample(crate::store::STEP_RECORDS / 2 + 7, 33);
    let seen = std::cell::RefCell::new(Vec::new());
    let report = |stage: Stage, done: usize, total: usize| seen.borrow_mut().push((stage, done, total));
    let run = Run {
        at: Timestamp(50),
        by: "You".into(),
        ids: SeededIds::new(51),
        progress: &report,
    };
    let plan = ok(store.import_run(&big, Default::default(), run).await, "import");
    assert_eq!(plan.accounts.created, big.accounts.len());
    {
        let seen = seen.borrow();
        let writes: Vec<(usize, usize)> = seen
            .iter()
            .filter(|(s, _, _)| *s == Stage::Writing)
            .map(|(_, d, t)| (*d, *t))
            .collect();
        assert!(
            writes.len() >= 2,
            "progress during the write, not only at the end: {writes:?}"
        );
        assert!(writes.windows(2).all(|w| w[0].0 <= w[1].0), "{writes:?}");
        assert_eq!(writes.last().map(|w| w.0), Some(big.len()));
    }
    seen.borrow_mut().clear();
    assert!(ok(store.undo_import_with(&report).await, "undo"));
    assert_eq!(export_text(store).await, before);
    let last = seen.borrow().last().copied();
    assert!(
        matches!(last, Some((Stage::Writing, d, t)) if d == t && t >= big.len()),
        "{last:?}"
    );
}

pub async fn import_plan_reads_only_what_the_file_touches<B: Backend>(store: &Repo<B>) {
    use crate::store::Stage;
    let sample = crate::bundle::fixtures::sample(4, 34);
    ok(
        store.import(&sample, Default::default(), Timestamp(5)).await,
        "import",
    );
    // A second file: one account the same, one changed, one new, and a
    // contact with an email that is here already (on another contact).
    let mut file = crate::bundle::fixtures::sample(2, 35);
    file.accounts.push(sample.accounts[0].clone());
    let mut changed = sample.accounts[1].clone();
    changed.name = "Changed".into();
    file.accounts.push(changed);
    file.contacts[0].emails = vec![ok(Email::parse("new@x.io"), "email")];
    file.contacts[1].emails = sample.contacts[2].emails.clone();
    for c in &file.contacts {
        let keys = c.email_keys();
        for l in file.links.iter_mut().filter(|l| l.contact_id == c.id) {
            l.sync_emails(&keys);
        }
    }
    let seen = std::cell::RefCell::new(Vec::new());
    let report = |stage: Stage, done: usize, total: usize| seen.borrow_mut().push((stage, done, total));
    let plan = ok(
        store.import_plan_with(&file, Default::default(), &report).await,
        "plan",
    );
    assert_eq!(
        (plan.accounts.created, plan.accounts.unchanged, plan.accounts.kept),
        (2, 1, 1),
        "{plan:?}"
    );
    assert_eq!(plan.shared_email.len(), 1, "{plan:?}");
    assert!(seen.borrow().iter().all(|(s, _, _)| *s == Stage::Comparing));
    // The same plan as against everything stored.
    let everything = ok(store.export().await, "export");
    let (full, _) = crate::bundle::merge::merge(&everything, &file, Default::default());
    assert_eq!(plan, full);
}

pub async fn backup_facts_are_kept_and_the_clock_starts_with_the_first_data<B: Backend>(store: &Repo<B>) {
    use crate::domain::backup::{BackupState, RemindAfter};
    const DAY: i64 = 86_400_000;
    // No data: nothing starts.
    let (state, accounts) = ok(store.backup_status(Timestamp(10)).await, "status");
    assert_eq!((state, accounts), (BackupState::default(), false));
    let mine = new_account(1, "Mine", vec![person("Ana", "Pop", "ana@x.io")]);
    create(store, &mine).await;
    let (state, accounts) = ok(store.backup_status(Timestamp(20)).await, "status");
    assert_eq!(
        (state.since, state.last_export, accounts),
        (Some(Timestamp(20)), None, true)
    );
    // The clock started once.
    let (state, _) = ok(store.backup_status(Timestamp(30)).await, "status");
    assert_eq!(state.since, Some(Timestamp(20)));
    let bundle_before = export_text(store).await;
    ok(store.snooze_backup_reminder(Timestamp(40)).await, "snooze");
    let (state, _) = ok(store.backup_status(Timestamp(50)).await, "status");
    assert_eq!(state.snoozed_until, Some(Timestamp(40 + 3 * DAY)));
    ok(store.record_export(Timestamp(60)).await, "record export");
    ok(store.set_backup_reminder(RemindAfter::Never).await, "never");
    let (state, _) = ok(store.backup_status(Timestamp(70)).await, "status");
    assert_eq!(
        state,
        BackupState {
            last_export: Some(Timestamp(60)),
            since: Some(Timestamp(20)),
            snoozed_until: None,
            remind_after: RemindAfter::Never,
        }
    );
    // Backup facts belong to this device: bundles do not carry them.
    assert_eq!(export_text(store).await, bundle_before);
}

pub async fn replacing_everything_leaves_only_the_new_practice_or_nothing<B: Backend>(store: &Repo<B>) {
    use crate::domain::demo::{generate, DemoSize};
    let mine = new_account(1, "Mine", vec![person("Ana", "Pop", "ana@x.io")]);
    create(store, &mine).await;
    ok(
        store
            .set_photo(&mine.account, Some("data:image/jpeg;base64,/9j/"), &[])
            .await,
        "photo",
    );
    ok(store.record_export(Timestamp(5)).await, "record export");
    let sample = crate::bundle::fixtures::sample(3, 16);
    ok(
        store.import(&sample, Default::default(), Timestamp(6)).await,
        "import",
    );
    let practice: crate::bundle::Contents =
        generate(3, DemoSize::PRACTICE, Timestamp(1_795_305_600_000)).into();
    ok(store.replace_everything(&practice).await, "replace");
    let mut expected = practice.clone();
    expected.sort();
    assert_eq!(ok(store.export().await, "export"), expected);
    assert_eq!(ok(store.photo(&mine.account.id).await, "photo"), None);
    assert_eq!(ok(store.last_import().await, "last import"), None);
    let (backup, accounts) = ok(store.backup_status(Timestamp(7)).await, "status");
    assert_eq!((backup.last_export, accounts), (None, true));
    // A practice that cannot be stored (two contacts share an email) is
    // refused and the one before stays whole.
    let before = export_text(store).await;
    let mut bad = crate::bundle::fixtures::sample(5, 17);
    bad.contacts[4].emails = bad.contacts[0].emails.clone();
    assert!(store.replace_everything(&bad).await.is_err());
    assert_eq!(export_text(store).await, before);
}

/// `import_with` runs its maker on the stored records inside the write
/// transaction: a CSV file matched against them updates instead of
/// duplicating, a refusal writes nothing, and undo puts everything back.
pub async fn import_with_derives_from_what_is_stored_and_undo_restores<B: Backend>(store: &Repo<B>) {
    use crate::bundle::csv::{self, guess, plan};
    let mine = new_account(
        1,
        "Smith Family",
        vec![person("Kate", "Smith", "kate@example.com")],
    );
    create(store, &mine).await;
    let before = export_text(store).await;
    let table = ok(
        csv::read(
            "Account name;First name;Last name;E-Mail;Tags\n\
             Smith Family;;;KATE@example.com;Clients\n\
             Smith Family;John;Smith;john@example.com;\n\
             Pop SRL;Ana;Pop;ana@example.ro;Clients\n"
                .as_bytes(),
        ),
        "read",
    );
    let mapping = guess::guess(&table.headers, &Default::default());
    let settings = plan::Settings::default();
    let job = plan::Job {
        table: &table,
        mapping: &mapping,
        settings: &settings,
        by: "Olga",
    };
    let run = |seed: u64, at: i64| {
        store.import_with(
            move |stored: &crate::bundle::Contents| {
                plan::plan(stored, &job, &mut SeededIds::new(seed), Timestamp(at))
                    .map(|o| o.contents)
                    .map_err(plan::into_errors)
            },
            plan::CHOICES,
            Timestamp(at),
        )
    };
    let p = ok(run(40, 50).await, "import");
    assert_eq!((p.accounts.created, p.accounts.updated), (1, 1), "{p:?}");
    assert_eq!((p.contacts.created, p.contacts.unchanged), (2, 1), "{p:?}");
    assert_eq!(p.links.created, 2);
    let smith = ok(store.account(&mine.account.id).await, "read");
    assert_eq!(smith.map(|a| a.tags.len()), Some(1));
    assert_eq!(
        ok(store.account_contacts(&mine.account.id).await, "contacts").len(),
        2
    );
    let history = ok(store.history(&mine.account.id).await, "history");
    let changes: Vec<&Change> = history.iter().map(|h| &h.change).collect();
    assert!(
        changes.contains(&&Change::TagAdded {
            tag: "Clients".into()
        }),
        "{changes:?}"
    );
    assert!(
        changes.contains(&&Change::ContactLinked {
            contact: "John Smith".into()
        }),
        "{changes:?}"
    );
    let after = export_text(store).await;
    // The same file again changes nothing.
    let again = ok(run(41, 60).await, "again");
    assert!(again.changes_nothing(), "{again:?}");
    assert_eq!(export_text(store).await, after);
    // A refusal writes nothing.
    let refused = store
        .import_with(
            |_: &crate::bundle::Contents| {
                Err(plan::into_errors(vec![
                    "row 3, column \"Email\": not an email address".into(),
                ]))
            },
            plan::CHOICES,
            Timestamp(70),
        )
        .await;
    match refused {
        Err(StoreError::Rejected(e)) => {
            assert_eq!(
                e.for_field("file"),
                Some(&crate::domain::validation::Problem::Worded(
                    "row 3, column \"Email\": not an email address".into()
                ))
            )
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(export_text(store).await, after);
    assert_eq!(ok(store.last_import().await, "last"), Some(Timestamp(50)));
    assert!(ok(store.undo_import().await, "undo"));
    assert_eq!(export_text(store).await, before);
}

// ----- vCard import ------------------------------------------------------

fn vcard(text: &str) -> crate::bundle::vcard::VcardFile {
    ok(crate::bundle::vcard::read(text.as_bytes()), "read vCard")
}

pub async fn vcard_import_updates_by_email_and_undo_restores<B: Backend>(store: &Repo<B>) {
    use crate::bundle::vcard::import::OnMatch;
    let mine = new_account(1, "Mine", vec![person("Ana", "Pop", "ana@x.io")]);
    create(store, &mine).await;
    let before = export_text(store).await;
    let file = vcard(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Pop;Ana;;;\r\nEMAIL:ANA@x.io\r\nEMAIL:ana.work@x.io\r\nTEL:+40 721 000 111\r\nORG:Pop SRL\r\nEND:VCARD\r\n\
         BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Radu Ionescu\r\nEMAIL:radu@x.io\r\nCATEGORIES:Lead\r\nEND:VCARD\r\n",
    );
    let plan = ok(store.import_vcard_plan(&file, OnMatch::KeepMine).await, "plan");
    assert_eq!((plan.contacts.created, plan.contacts.updated), (1, 1), "{plan:?}");
    assert_eq!(plan.links.updated, 1, "Ana's link gets the new email");
    assert_eq!(plan.other.created, 2, "the field Company and the tag Lead");
    let done = ok(
        store
            .import_vcard(&file, OnMatch::KeepMine, Timestamp(5), &mut SeededIds::new(9))
            .await,
        "import",
    );
    assert_eq!(done, plan);
    let ana = ok(store.contact_by_email("ana.work@x.io").await, "by email");
    assert_eq!(ana.as_ref().map(|c| &c.id), Some(&mine.new_contacts[0].id));
    assert_eq!(ana.map(|c| c.phones), Some(vec!["+40 721 000 111".to_owned()]));
    let links = ok(store.account_contacts(&mine.account.id).await, "links");
    assert_eq!(links[0].0.email_access.len(), 2);
    // The new contact has no account, and is listed with the others.
    let radu = ok(store.contact_by_email("radu@x.io").await, "by email");
    let radu = match radu {
        Some(r) => r,
        None => panic!("Radu was not imported"),
    };
    assert!(ok(store.contact_accounts(&radu.id).await, "accounts").is_empty());
    assert_eq!(ok(store.contacts().await, "contacts").len(), 2);
    // The same file again changes nothing.
    let again = ok(
        store
            .import_vcard(&file, OnMatch::KeepMine, Timestamp(6), &mut SeededIds::new(10))
            .await,
        "again",
    );
    assert!(again.changes_nothing(), "{again:?}");
    assert_eq!(ok(store.last_import().await, "last"), Some(Timestamp(5)));
    assert!(ok(store.undo_import().await, "undo"));
    assert_eq!(export_text(store).await, before);
}

pub async fn vcard_photos_are_written_with_the_import_and_undo_puts_back<B: Backend>(store: &Repo<B>) {
    use crate::bundle::vcard::import::OnMatch;
    let mine = new_account(2, "Mine", vec![person("Ana", "Pop", "ana@x.io")]);
    create(store, &mine).await;
    let ana = mine.new_contacts[0].id.clone();
    let gif = "data:image/gif;base64,R0lGODlh";
    ok(store.set_contact_photo(&ana, Some(gif), &[]).await, "photo");
    let before = export_text(store).await;
    let file = vcard(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Pop;Ana;;;\r\nEMAIL:ana@x.io\r\nPHOTO;ENCODING=b;TYPE=PNG:iVBORw0K\r\n Ggo=\r\nEND:VCARD\r\n\
         BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Radu Ionescu\r\nEMAIL:radu@x.io\r\nPHOTO:data:image/jpeg;base64,/9j/4AAQ\r\nEND:VCARD\r\n",
    );
    let plan = ok(store.import_vcard_plan(&file, OnMatch::KeepMine).await, "plan");
    assert_eq!((plan.photos.created, plan.photos.kept), (1, 1), "{plan:?}");
    let plan = ok(store.import_vcard_plan(&file, OnMatch::TakeTheirs).await, "plan");
    assert_eq!((plan.photos.created, plan.photos.updated), (1, 1), "{plan:?}");
    let done = ok(
        store
            .import_vcard(&file, OnMatch::TakeTheirs, Timestamp(5), &mut SeededIds::new(9))
            .await,
        "import",
    );
    assert_eq!(done, plan);
    assert_eq!(
        ok(store.contact_photo(&ana).await, "Ana's").as_deref(),
        Some("data:image/png;base64,iVBORw0KGgo=")
    );
    let radu = match ok(store.contact_by_email("radu@x.io").await, "Radu") {
        Some(r) => r.id,
        None => panic!("Radu was not imported"),
    };
    assert_eq!(
        ok(store.contact_photo(&radu).await, "Radu's").as_deref(),
        Some("data:image/jpeg;base64,/9j/4AAQ")
    );
    // The same file again changes nothing (the photos are the same).
    let again = ok(
        store
            .import_vcard(&file, OnMatch::TakeTheirs, Timestamp(6), &mut SeededIds::new(10))
            .await,
        "again",
    );
    assert!(
        again.changes_nothing() && again.photos.unchanged == 2,
        "{again:?}"
    );
    assert!(ok(store.undo_import().await, "undo"));
    assert_eq!(export_text(store).await, before);
    assert_eq!(
        ok(store.contact_photo(&ana).await, "restored").as_deref(),
        Some(gif)
    );
    assert_eq!(ok(store.contact_photo(&radu).await, "removed"), None);

    // A photo added to a contact without one is removed by undo too.
    ok(store.set_contact_photo(&ana, None, &[]).await, "no photo");
    ok(
        store
            .import_vcard(&file, OnMatch::KeepMine, Timestamp(7), &mut SeededIds::new(11))
            .await,
        "import",
    );
    assert!(ok(store.contact_photo(&ana).await, "added").is_some());
    assert!(ok(store.undo_import().await, "undo"));
    assert_eq!(ok(store.contact_photo(&ana).await, "none again"), None);
}

// ----- CSV and vCard imports that read only what they match --------------

/// A run with no one watching (records each progress report in `seen`).
fn run_seen<'a>(
    at: i64,
    seed: u64,
    seen: &'a std::cell::RefCell<Vec<(super::Stage, usize, usize)>>,
    report: &'a dyn Fn(super::Stage, usize, usize),
) -> super::Run<'a, SeededIds> {
    let _ = seen;
    super::Run {
        at: Timestamp(at),
        by: "Olga".into(),
        ids: SeededIds::new(seed),
        progress: report,
    }
}

/// The CSV of `import_with_derives_from_what_is_stored_and_undo_restores`
/// and its job.
fn smith_table() -> crate::bundle::csv::Table {
    ok(
        crate::bundle::csv::read(
            "Account name;First name;Last name;E-Mail;Tags\n\
             Smith Family;;;KATE@example.com;Clients\n\
             Smith Family;John;Smith;john@example.com;\n\
             Pop SRL;Ana;Pop;ana@example.ro;Clients\n"
                .as_bytes(),
        ),
        "read",
    )
}

/// Checks a CSV job the way the page does: keys from the file, the stored
/// records they match, the rows made into records.
async fn check_csv<B: Backend>(
    store: &Repo<B>,
    job: &crate::bundle::csv::plan::Job<'_>,
    seed: u64,
    at: i64,
) -> crate::bundle::matching::Prepared<crate::bundle::Contents> {
    use crate::bundle::csv::plan;
    let never = |_: usize, _: usize| None::<std::future::Ready<()>>;
    let catalog = ok(store.catalog().await, "catalog");
    let keys = plan::match_keys_paced(job, &catalog, never).await;
    let stored = ok(store.stored_matching(&keys).await, "stored matching");
    let made = match plan::plan(&stored, job, &mut SeededIds::new(seed), Timestamp(at)) {
        Ok(o) => o.contents,
        Err(p) => panic!("plan refused: {p:?}"),
    };
    crate::bundle::matching::Prepared { keys, stored, made }
}

/// A CSV check reads only the accounts named in the file, the contacts with
/// its emails and what is linked to them; the import writes what the check
/// made (its ids), with the same results as matching against everything:
/// update instead of duplicate, the same file again changes nothing, undo
/// restores the canonical export. The write reports progress.
pub async fn csv_import_reads_only_what_the_file_matches_and_writes_what_the_check_made<B: Backend>(
    store: &Repo<B>,
) {
    use crate::bundle::csv::{guess, plan};
    let mine = new_account(
        1,
        "Smith Family",
        vec![person("Kate", "Smith", "kate@example.com")],
    );
    create(store, &mine).await;
    let other = new_account(2, "Other Ltd", vec![person("Olaf", "Other", "olaf@example.com")]);
    create(store, &other).await;
    let before = export_text(store).await;
    let table = smith_table();
    let mapping = guess::guess(&table.headers, &Default::default());
    let settings = plan::Settings::default();
    let job = plan::Job {
        table: &table,
        mapping: &mapping,
        settings: &settings,
        by: "Olga",
    };
    let prepared = check_csv(store, &job, 40, 50).await;
    assert_eq!(
        prepared.keys.account_names.iter().collect::<Vec<_>>(),
        ["Pop SRL", "Smith Family"]
    );
    assert!(!prepared.keys.everything);
    let names: Vec<&str> = prepared.stored.accounts.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["Smith Family"], "only the account the file names");
    assert_eq!(prepared.stored.contacts.len(), 1, "only Kate");
    assert_eq!(prepared.stored.links.len(), 1);
    let preview = ok(store.import_plan(&prepared.made, plan::CHOICES).await, "preview");
    let seen = std::cell::RefCell::new(Vec::new());
    let report = |stage, done, total| seen.borrow_mut().push((stage, done, total));
    let replan =
        |_: &crate::bundle::Contents| -> Result<crate::bundle::Contents, crate::domain::ValidationErrors> {
            panic!("nothing changed since the check: no new match is needed")
        };
    let p = ok(
        store
            .import_csv(&prepared, replan, plan::CHOICES, run_seen(50, 7, &seen, &report))
            .await,
        "import",
    );
    assert_eq!(p, preview);
    assert_eq!((p.accounts.created, p.accounts.updated), (1, 1), "{p:?}");
    assert_eq!((p.contacts.created, p.contacts.unchanged), (2, 1), "{p:?}");
    assert_eq!(p.links.created, 2);
    assert!(
        seen.borrow().iter().any(|(s, _, _)| *s == super::Stage::Writing),
        "the write reports progress"
    );
    // The records the check made are the ones written.
    let pop = prepared.made.accounts.iter().find(|a| a.name == "Pop SRL");
    let pop = match pop {
        Some(a) => a,
        None => panic!("the check made no Pop SRL"),
    };
    assert_eq!(
        ok(store.account(&pop.id).await, "read").map(|a| a.name),
        Some("Pop SRL".into())
    );
    assert_eq!(
        ok(store.account_contacts(&mine.account.id).await, "contacts").len(),
        2
    );
    assert_eq!(counts(store).await, 3);
    let after = export_text(store).await;
    // The same file again, checked again, changes nothing.
    let again = check_csv(store, &job, 41, 60).await;
    let p2 = ok(
        store
            .import_csv(&again, replan, plan::CHOICES, run_seen(60, 8, &seen, &report))
            .await,
        "again",
    );
    assert!(p2.changes_nothing(), "{p2:?}");
    assert_eq!(export_text(store).await, after);
    assert_eq!(ok(store.last_import().await, "last"), Some(Timestamp(50)));
    assert!(ok(store.undo_import().await, "undo"));
    assert_eq!(export_text(store).await, before);
}

/// Records added after the check that the file matches (an account with
/// one of its names, a contact with one of its emails) are matched inside
/// the write: updated, not duplicated. A match that now refuses writes
/// nothing.
pub async fn csv_import_matches_what_was_added_after_the_check<B: Backend>(store: &Repo<B>) {
    use crate::bundle::csv::{guess, plan};
    let mine = new_account(
        1,
        "Smith Family",
        vec![person("Kate", "Smith", "kate@example.com")],
    );
    create(store, &mine).await;
    let table = smith_table();
    let mapping = guess::guess(&table.headers, &Default::default());
    let settings = plan::Settings::default();
    let job = plan::Job {
        table: &table,
        mapping: &mapping,
        settings: &settings,
        by: "Olga",
    };
    let prepared = check_csv(store, &job, 40, 50).await;
    // Meanwhile (another tab): Pop SRL with Ana.
    let pop = new_account(3, "Pop SRL", vec![person("Ana", "Pop", "ana@example.ro")]);
    create(store, &pop).await;
    let replanned = std::cell::Cell::new(false);
    let replan = |stored: &crate::bundle::Contents| {
        replanned.set(true);
        plan::plan(stored, &job, &mut SeededIds::new(42), Timestamp(50))
            .map(|o| o.contents)
            .map_err(plan::into_errors)
    };
    let none = |_, _, _| {};
    let run = super::Run {
        at: Timestamp(50),
        by: "Olga".into(),
        ids: SeededIds::new(9),
        progress: &none,
    };
    let p = ok(
        store.import_csv(&prepared, replan, plan::CHOICES, run).await,
        "import",
    );
    assert!(
        replanned.get(),
        "what is stored changed: the rows are matched again"
    );
    assert_eq!((p.accounts.created, p.accounts.updated), (0, 2), "{p:?}");
    assert_eq!((p.contacts.created, p.contacts.unchanged), (1, 2), "{p:?}");
    assert_eq!(counts(store).await, 2, "Pop SRL is not made twice");
    let ana = ok(store.contact_by_email("ana@example.ro").await, "by email");
    assert_eq!(ana.map(|c| c.id), Some(pop.new_contacts[0].id.clone()));
    assert!(ok(store.undo_import().await, "undo"));
    // Checked again, then a second "Smith Family" appears: the rows now
    // name two accounts, the import is refused and writes nothing.
    let prepared = check_csv(store, &job, 43, 70).await;
    let twin = new_account(4, "Smith Family", vec![person("Sam", "Smith", "sam@example.com")]);
    create(store, &twin).await;
    let before = export_text(store).await;
    let replan = |stored: &crate::bundle::Contents| {
        plan::plan(stored, &job, &mut SeededIds::new(44), Timestamp(70))
            .map(|o| o.contents)
            .map_err(plan::into_errors)
    };
    let run = super::Run {
        at: Timestamp(70),
        by: "Olga".into(),
        ids: SeededIds::new(10),
        progress: &none,
    };
    match store.import_csv(&prepared, replan, plan::CHOICES, run).await {
        Err(StoreError::Rejected(e)) => assert!(!e.0.is_empty()),
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(export_text(store).await, before);
}

/// A vCard check reads only the contacts the cards name (UID, email) and
/// what is linked to them; the import writes what the check made when
/// nothing changed, and matches a contact added after the check.
pub async fn vcard_import_reads_only_what_the_cards_match_and_matches_what_was_added<B: Backend>(
    store: &Repo<B>,
) {
    use crate::bundle::matching::Prepared;
    use crate::bundle::vcard::import::{self as vi, OnMatch, VcardChecked};
    let mine = new_account(1, "Mine", vec![person("Ana", "Pop", "ana@x.io")]);
    create(store, &mine).await;
    let other = new_account(2, "Other", vec![person("Olaf", "Other", "olaf@x.io")]);
    create(store, &other).await;
    let before = export_text(store).await;
    let file = vcard(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Pop;Ana;;;\r\nEMAIL:ANA@x.io\r\nEMAIL:ana.work@x.io\r\nEND:VCARD\r\n\
         BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Radu Ionescu\r\nEMAIL:radu@x.io\r\nEND:VCARD\r\n",
    );
    let file = &file;
    let check = |seed: u64| async move {
        let keys = vi::match_keys(file);
        let (stored, photos) = ok(store.vcard_stored(file).await, "stored matching");
        let (plan, writes) = vi::plan(
            &stored,
            &photos,
            file,
            OnMatch::KeepMine,
            &mut SeededIds::new(seed),
            Timestamp(5),
        );
        Prepared {
            keys,
            stored,
            made: VcardChecked {
                on_match: OnMatch::KeepMine,
                plan,
                writes,
                photos,
            },
        }
    };
    let checked = check(70).await;
    let names: Vec<String> = checked.stored.contacts.iter().map(|c| c.display_name()).collect();
    assert_eq!(names, ["Ana Pop"], "only the contact the cards name");
    assert_eq!(checked.stored.accounts.len(), 1, "and her account");
    assert_eq!(
        ok(store.import_vcard_plan(file, OnMatch::KeepMine).await, "plan"),
        checked.made.plan
    );
    let none = |_, _, _| {};
    let run = |at: i64, seed: u64| super::Run {
        at: Timestamp(at),
        by: "Olga".into(),
        ids: SeededIds::new(seed),
        progress: &none,
    };
    let done = ok(
        store
            .import_vcard_run(file, OnMatch::KeepMine, Some(&checked), run(5, 71))
            .await,
        "import",
    );
    assert_eq!(done, checked.made.plan);
    // The new contact is the one the check made (its id).
    let radu = ok(store.contact_by_email("radu@x.io").await, "by email");
    let made: Vec<_> = checked
        .made
        .writes
        .create
        .contacts
        .iter()
        .map(|c| c.id.clone())
        .collect();
    assert_eq!(radu.map(|c| vec![c.id]), Some(made));
    assert!(ok(store.undo_import().await, "undo"));
    assert_eq!(export_text(store).await, before);
    // Checked, then Radu is added here: the import updates him.
    let checked = check(72).await;
    let radu = new_account(3, "Radu", vec![person("Radu", "Ionescu", "radu@x.io")]);
    create(store, &radu).await;
    let done = ok(
        store
            .import_vcard_run(file, OnMatch::KeepMine, Some(&checked), run(6, 73))
            .await,
        "import",
    );
    assert_eq!((done.contacts.created, done.contacts.updated), (0, 1), "{done:?}");
    assert_eq!(ok(store.contacts().await, "contacts").len(), 3);
    let again = ok(
        store
            .import_vcard_run(file, OnMatch::KeepMine, None, run(7, 74))
            .await,
        "again",
    );
    assert!(again.changes_nothing(), "{again:?}");
}

// ----- duplicates --------------------------------------------------------

/// Kate and Katie are one person: both linked to the family account, Katie
/// also to her LLC, Kate also to a trust.
async fn two_kates<B: Backend>(store: &Repo<B>) -> (NewAccount, NewAccount, NewAccount) {
    let family = new_account(
        1,
        "Smith family",
        vec![
            person("Kate", "Smith", "kate@x.io"),
            person("Katie", "Smith", "katie@y.io"),
        ],
    );
    create(store, &family).await;
    let (kate, katie) = (family.new_contacts[0].clone(), family.new_contacts[1].clone());
    let llc = new_account(
        2,
        "Katie's LLC",
        vec![ContactDraft::Existing(Box::new(katie.clone()))],
    );
    create(store, &llc).await;
    let trust = new_account(
        3,
        "Smith trust",
        vec![ContactDraft::Existing(Box::new(kate.clone()))],
    );
    create(store, &trust).await;
    let mut described = family.links[1].clone();
    described.description = "Primary contact".into();
    described.signer_priority = Some(1);
    ok(store.save_link(&described, &[]).await, "describe");
    (family, llc, trust)
}

pub async fn merging_contacts_keeps_every_link_records_history_and_undo_restores<B: Backend>(
    store: &Repo<B>,
) {
    use crate::domain::contact_merge::{MergeChoices, MergeField};
    let (family, llc, trust) = two_kates(store).await;
    let before = export_text(store).await;
    let (kate, katie) = (family.new_contacts[0].clone(), family.new_contacts[1].clone());
    let seen = ok(store.contacts().await, "contacts");
    let choices = MergeChoices {
        survivor: kate.id.clone(),
        others: vec![katie.id.clone()],
        picks: [(MergeField::Name, katie.id.clone())].into_iter().collect(),
    };
    let outcome = ok(
        store
            .merge_contacts(&seen, &choices, Timestamp(50), "Olga", &mut SeededIds::new(7))
            .await,
        "merge",
    );
    assert_eq!(outcome.joined_links.len(), 1, "both were on the family account");
    assert_eq!(ok(store.contact(&katie.id).await, "gone"), None);
    let merged = ok(store.contact_by_email("KATIE@y.io").await, "by email");
    assert_eq!(merged.as_ref().map(|c| c.id.clone()), Some(kate.id.clone()));
    assert_eq!(merged.map(|c| c.display_name()), Some("Katie Smith".to_owned()));
    let names: Vec<String> = ok(store.contact_accounts(&kate.id).await, "accounts")
        .into_iter()
        .map(|(_, a)| a.name)
        .collect();
    assert_eq!(names, ["Katie's LLC", "Smith family", "Smith trust"]);
    let on_family = ok(store.account_contacts(&family.account.id).await, "family");
    assert_eq!(on_family.len(), 1);
    assert_eq!(on_family[0].0.description, "Primary contact");
    assert_eq!(on_family[0].0.signer_priority, Some(1));
    for account in [&family.account.id, &llc.account.id, &trust.account.id] {
        let lines: Vec<String> = ok(store.history(account).await, "history")
            .iter()
            .map(|h| crate::i18n::names::history_change(&h.change))
            .collect();
        assert!(
            lines.contains(&"Contacts merged: Katie Smith into Kate Smith (now Katie Smith)".to_owned()),
            "{lines:?}"
        );
    }
    let last = ok(store.last_merge().await, "last merge");
    assert_eq!(
        last,
        Some((
            Timestamp(50),
            "Katie Smith into Kate Smith (now Katie Smith)".to_owned()
        ))
    );
    assert!(ok(store.undo_merge().await, "undo"));
    assert_eq!(export_text(store).await, before);
    assert_eq!(ok(store.last_merge().await, "last merge"), None);
    assert!(!ok(store.undo_merge().await, "nothing left"));
}

pub async fn merging_contacts_keeps_one_photo_and_undo_restores_them<B: Backend>(store: &Repo<B>) {
    use crate::domain::contact_merge::MergeChoices;
    let (family, _, _) = two_kates(store).await;
    let (kate, katie) = (family.new_contacts[0].clone(), family.new_contacts[1].clone());
    let katies = "data:image/png;base64,iVBORw0KGgo=";
    ok(
        store.set_contact_photo(&katie.id, Some(katies), &[]).await,
        "photo",
    );
    let seen = ok(store.contacts().await, "contacts");
    let choices = MergeChoices {
        survivor: kate.id.clone(),
        others: vec![katie.id.clone()],
        picks: Default::default(),
    };
    ok(
        store
            .merge_contacts(&seen, &choices, Timestamp(50), "Olga", &mut SeededIds::new(7))
            .await,
        "merge",
    );
    // Kate had none: she takes Katie's, and no photo is left without its contact.
    assert_eq!(
        ok(store.contact_photo(&kate.id).await, "kept").as_deref(),
        Some(katies)
    );
    assert_eq!(ok(store.contact_photo(&katie.id).await, "merged away"), None);
    assert!(ok(store.undo_merge().await, "undo"));
    assert_eq!(ok(store.contact_photo(&kate.id).await, "Kate's"), None);
    assert_eq!(
        ok(store.contact_photo(&katie.id).await, "Katie's").as_deref(),
        Some(katies)
    );

    // Both have one: the one that stays keeps its own.
    let kates = "data:image/gif;base64,R0lGODlh";
    ok(store.set_contact_photo(&kate.id, Some(kates), &[]).await, "photo");
    let seen = ok(store.contacts().await, "contacts");
    ok(
        store
            .merge_contacts(&seen, &choices, Timestamp(60), "Olga", &mut SeededIds::new(8))
            .await,
        "merge",
    );
    assert_eq!(
        ok(store.contact_photo(&kate.id).await, "own").as_deref(),
        Some(kates)
    );
    assert_eq!(ok(store.contact_photo(&katie.id).await, "gone"), None);
    assert!(ok(store.undo_merge().await, "undo"));
    assert_eq!(
        ok(store.contact_photo(&kate.id).await, "Kate's").as_deref(),
        Some(kates)
    );
    assert_eq!(
        ok(store.contact_photo(&katie.id).await, "Katie's").as_deref(),
        Some(katies)
    );
}

pub async fn merging_a_contact_changed_meanwhile_is_refused<B: Backend>(store: &Repo<B>) {
    use crate::domain::contact_merge::MergeChoices;
    let (family, _, _) = two_kates(store).await;
    let seen = ok(store.contacts().await, "contacts");
    let (kate, katie) = (family.new_contacts[0].clone(), family.new_contacts[1].clone());
    let mut edited = kate.clone();
    edited.phones.push("0721 000 000".into());
    ok(store.update_contact(&kate, &edited).await, "edit");
    let before = export_text(store).await;
    let choices = MergeChoices {
        survivor: kate.id.clone(),
        others: vec![katie.id.clone()],
        picks: Default::default(),
    };
    assert_eq!(
        store
            .merge_contacts(&seen, &choices, Timestamp(9), "Olga", &mut SeededIds::new(1))
            .await,
        Err(StoreError::Conflict)
    );
    assert_eq!(export_text(store).await, before);
    assert_eq!(ok(store.last_merge().await, "last"), None);
}

pub async fn groups_marked_not_duplicates_are_remembered<B: Backend>(store: &Repo<B>) {
    let (a, b, c) = (
        ContactId::from_random([2; 16]),
        ContactId::from_random([1; 16]),
        ContactId::from_random([3; 16]),
    );
    assert!(ok(store.dismissed_duplicates().await, "none").is_empty());
    ok(store.dismiss_duplicates(&[a.clone(), b.clone()]).await, "dismiss");
    ok(store.dismiss_duplicates(&[b.clone(), a.clone()]).await, "again");
    ok(store.dismiss_duplicates(&[c.clone(), a.clone()]).await, "another");
    assert_eq!(
        ok(store.dismissed_duplicates().await, "read"),
        vec![vec![b, a.clone()], vec![a, c]]
    );
    ok(store.dismiss_duplicates(&[]).await, "clear");
    assert!(ok(store.dismissed_duplicates().await, "cleared").is_empty());
}

pub async fn directory_follows_writes_and_is_rebuilt_when_missing<B: Backend>(store: &Repo<B>) {
    use super::{schema, Key, Tx};
    let first = new_account(77, "Zoë Adams", vec![person("Zoë", "Adams", "zoe@example.com")]);
    ok(store.create_account(&first, &[]).await, "create");
    let d = ok(store.directory().await, "directory").rows();
    assert_eq!(d.accounts.len(), 1);
    assert_eq!(d.accounts[0].name, "Zoë Adams");
    assert_eq!(d.contacts[0].emails, ["zoe@example.com"]);
    assert_eq!(d.links.len(), 1);

    // An edit shows at once; the other entries stay.
    let before = first.account.clone();
    let mut after = before.clone();
    after.archived = true;
    after.name = "Zoë Adams (old)".into();
    ok(store.update_account(&before, &after, &[]).await, "update");
    let second = new_account(78, "Acme", vec![person("Kate", "Smith", "kate@example.com")]);
    ok(store.create_account(&second, &[]).await, "create second");
    let d = ok(store.directory().await, "directory").rows();
    let row = d
        .accounts
        .iter()
        .find(|a| a.id == first.account.id)
        .map(|a| (a.name.clone(), a.archived));
    assert_eq!(row, Some(("Zoë Adams (old)".to_owned(), true)));
    assert_eq!(d.accounts.len(), 2);
    assert_eq!(d.contacts.len(), 2);
    directory_in_step(store).await;

    // Without its format marker (records written behind the app's back),
    // the directory is rebuilt from the records on the next read.
    let raw = ok(store.backend().write(&[schema::SUMMARY]), "raw write");
    ok(raw.delete(schema::SUMMARY, &Key::one("format")), "delete marker");
    ok(raw.commit().await, "commit");
    let rebuilt = ok(store.directory().await, "rebuilt").rows().sorted();
    let records = ok(store.directory_from_records().await, "records").sorted();
    assert_eq!(rebuilt, records);
    assert_eq!(rebuilt.accounts.len(), 2);

    // A directory of an older text format (no stored keys) is rebuilt in
    // the current one, and writes after that keep it in step.
    let raw = ok(store.backend().write(&[schema::SUMMARY]), "raw write");
    ok(
        raw.put(
            schema::SUMMARY,
            &super::summary::Chunk {
                chunk: "format".into(),
                text: "directory-1".into(),
            },
        ),
        "old marker",
    );
    for i in 0..super::summary::CHUNKS {
        ok(
            raw.put(
                schema::SUMMARY,
                &super::summary::Chunk {
                    chunk: format!("{i:02x}"),
                    text: "A\t0123456789abcdef0123456789abcdef\tOld\ti\t0\t1\t\t\n".to_owned(),
                },
            ),
            "old chunk",
        );
    }
    ok(raw.commit().await, "commit");
    let third = new_account(
        79,
        "Émile Blanc",
        vec![person("Émile", "Blanc", "emile@example.com")],
    );
    ok(store.create_account(&third, &[]).await, "create third");
    let d = ok(store.directory().await, "rebuilt from old").rows().sorted();
    let records = ok(store.directory_from_records().await, "records").sorted();
    assert_eq!(d, records);
    assert_eq!(d.accounts.len(), 3);
    let marker = ok(store.backend().read(&[schema::SUMMARY]), "raw read")
        .texts_of(schema::SUMMARY, &[Key::one("format")], "text")
        .await;
    assert_eq!(marker.ok(), Some(vec![Some(super::summary::FORMAT.to_owned())]));
}

/// `Tx::texts` (how the directory is read): every record's two text
/// fields, in key order, whatever characters they hold and however long;
/// a record without them is reported, not skipped.
pub async fn text_fields_of_every_record_read_back_as_written<B: Backend>(store: &Repo<B>) {
    use super::{schema, Key, Tx};
    let big: String = "Zoë\tȘtefan \u{1f}😀\n".repeat(40_000);
    let mut written: Vec<(String, &str)> = vec![
        ("a1".into(), "plain ASCII"),
        ("b2".into(), "Zoë\tMüller\nȘtefan \u{1f} 😀 \\ end"),
        ("c3".into(), ""),
        ("d4".into(), big.as_str()),
    ];
    // More than a page of `each_text` (8 values in IndexedDB), and not a
    // whole number of pages.
    written.extend((0..13).map(|i| (format!("p{i:02}"), "ș")));
    let raw = ok(store.backend().write(&[schema::SUMMARY]), "raw write");
    ok(raw.clear(schema::SUMMARY), "clear");
    // Written out of order: read back in key order. Every other one as a
    // plain record (as databases hold texts written before `put_text`
    // stored bytes), the others through `put_text`.
    for (i, (chunk, text)) in written.iter().rev().enumerate() {
        if i % 2 == 0 {
            ok(
                raw.put_text(schema::SUMMARY, ("chunk", chunk), ("text", text)),
                "put_text",
            );
        } else {
            ok(
                raw.put(
                    schema::SUMMARY,
                    &serde_json::json!({ "chunk": chunk, "text": text }),
                ),
                "put",
            );
        }
    }
    ok(raw.commit().await, "commit");
    let read = ok(store.backend().read(&[super::schema::SUMMARY]), "raw read");
    let pairs = ok(read.texts(schema::SUMMARY, "chunk", "text").await, "texts");
    let expected: Vec<(String, String)> = written
        .iter()
        .map(|(c, t)| ((*c).to_owned(), (*t).to_owned()))
        .collect();
    assert_eq!(pairs.len(), expected.len());
    assert!(pairs == expected, "texts differ from what was written");
    let mut each = Vec::new();
    ok(
        read.each_text(schema::SUMMARY, "chunk", "text", &mut |k, t| each.push((k, t)))
            .await,
        "each_text",
    );
    assert!(each == expected, "each_text differs from what was written");
    // The same texts one by one, with a key that has no record among them.
    let mut keys: Vec<Key> = written.iter().map(|(c, _)| Key::one(c)).collect();
    keys.insert(1, Key::one("zz"));
    let one_by_one = ok(read.texts_of(schema::SUMMARY, &keys, "text").await, "texts_of");
    let mut expected_of: Vec<Option<String>> = written.iter().map(|(_, t)| Some((*t).to_owned())).collect();
    expected_of.insert(1, None);
    assert!(
        one_by_one == expected_of,
        "texts_of differs from what was written"
    );
    drop(read);
    let raw = ok(store.backend().write(&[schema::SUMMARY]), "raw write");
    ok(
        raw.put(schema::SUMMARY, &serde_json::json!({ "chunk": "e5", "text": 5 })),
        "put a number",
    );
    ok(raw.commit().await, "commit");
    let read = ok(store.backend().read(&[super::schema::SUMMARY]), "raw read");
    assert!(matches!(
        read.texts(schema::SUMMARY, "chunk", "text").await,
        Err(StoreError::Corrupt { .. })
    ));
    assert!(matches!(
        read.each_text(schema::SUMMARY, "chunk", "text", &mut |_, _| {})
            .await,
        Err(StoreError::Corrupt { .. })
    ));
    drop(read);
    // Those were no directory: the next read builds it from the records.
    let raw = ok(store.backend().write(&[schema::SUMMARY]), "raw write");
    ok(raw.clear(schema::SUMMARY), "clear");
    ok(raw.commit().await, "commit");
}

pub async fn records_by_id_and_one_link<B: Backend>(store: &Repo<B>) {
    let a = new_account(91, "Anna Berg", vec![person("Anna", "Berg", "anna@example.com")]);
    let b = new_account(92, "Bo Lind", vec![person("Bo", "Lind", "bo@example.com")]);
    ok(store.create_account(&a, &[]).await, "create a");
    ok(store.create_account(&b, &[]).await, "create b");
    let missing = crate::domain::AccountId::from_random([7; 16]);
    let got = ok(
        store
            .accounts_by_id(&[b.account.id.clone(), missing, a.account.id.clone()])
            .await,
        "accounts by id",
    );
    assert_eq!(got, vec![b.account.clone(), a.account.clone()]);
    let (ca, cb) = (a.new_contacts[0].clone(), b.new_contacts[0].clone());
    let got = ok(
        store.contacts_by_id(&[cb.id.clone(), ca.id.clone()]).await,
        "contacts by id",
    );
    assert_eq!(got, vec![cb.clone(), ca.clone()]);
    let link = ok(store.link(&a.account.id, &ca.id).await, "link");
    assert_eq!(link.as_ref(), a.links.first());
    assert_eq!(ok(store.link(&a.account.id, &cb.id).await, "no link"), None);
}

pub async fn lines_follow_writes_and_are_rebuilt_when_missing<B: Backend>(store: &Repo<B>) {
    use super::{schema, Key, Tx};
    let meta = crate::bundle::Meta {
        exported_at: Timestamp(3),
        app_version: "x".into(),
    };
    let from_lines =
        |(catalog, lists): (Vec<CatalogItem>, super::lines::StoredLines)| lists.write(&catalog, &meta);
    // Empty: the lines say so.
    let empty = ok(store.export_lines().await, "export lines");
    assert!(empty.1.lists.iter().all(Vec::is_empty), "{:?}", empty.1);
    assert_eq!(empty.1.counts, [0; 5]);
    assert_eq!(
        from_lines(empty),
        crate::bundle::write(&crate::bundle::Contents::default(), &meta)
    );
    // Imported, edited, a note added and deleted: each write keeps them.
    let sample = crate::bundle::fixtures::sample(12, 41);
    ok(
        store.import(&sample, Default::default(), Timestamp(5)).await,
        "import",
    );
    lines_in_step(store).await;
    let accounts = ok(store.accounts().await, "accounts");
    let before = accounts[3].clone();
    let mut after = before.clone();
    after.name = "Łukasz \"Quote\" <b>".into();
    ok(store.update_account(&before, &after, &[]).await, "update");
    lines_in_step(store).await;
    let text = from_lines(ok(store.export_lines().await, "export lines"));
    assert!(text.contains("\"name\":\"Łukasz \\\"Quote\\\" <b>\""), "{text}");
    assert_eq!(text, bundle_text_at(&ok(store.export().await, "export"), &meta));

    // Without the format marker (an older line format, or the store cleared
    // behind the app's back) the next export rebuilds them; writes after that
    // keep them.
    let raw = ok(store.backend().write(&[schema::LINES]), "raw write");
    ok(raw.delete(schema::LINES, &Key::one("format")), "delete marker");
    ok(raw.commit().await, "commit");
    assert!(ok(store.stored_lines().await, "stored lines").is_none());
    let rebuilt = from_lines(ok(store.export_lines().await, "rebuilt"));
    assert_eq!(
        rebuilt,
        bundle_text_at(&ok(store.export().await, "export"), &meta)
    );
    assert!(ok(store.stored_lines().await, "stored lines").is_some());
    assert!(ok(store.undo_import().await, "undo"));
    lines_in_step(store).await;
}

/// A database whose lines have the first layout (marker `bundle-1`:
/// entries `key<TAB>line` in hash chunks, as strings) keeps working: writes
/// leave those lines alone, and the next export rebuilds them in the
/// current layout (no schema version needed), after which writes keep them.
pub async fn lines_of_the_first_layout_are_rebuilt_at_the_next_export<B: Backend>(store: &Repo<B>) {
    use super::{schema, Key, Tx};
    let meta = crate::bundle::Meta {
        exported_at: Timestamp(4),
        app_version: "x".into(),
    };
    let sample = crate::bundle::fixtures::sample(10, 43);
    ok(
        store.import(&sample, Default::default(), Timestamp(5)).await,
        "import",
    );
    // The first layout, written as that version did.
    let raw = ok(store.backend().write(&[schema::LINES]), "raw write");
    ok(raw.clear(schema::LINES), "clear");
    let old = format!(
        "{}\t{}\n",
        sample.contacts[0].id,
        crate::bundle::write::contact_line(&sample.contacts[0])
    );
    ok(
        raw.put_text(schema::LINES, ("chunk", "contacts/3f"), ("text", &old)),
        "old chunk",
    );
    ok(
        raw.put_text(schema::LINES, ("chunk", "format"), ("text", "bundle-1")),
        "old marker",
    );
    ok(raw.commit().await, "commit");
    assert!(ok(store.stored_lines().await, "stored lines").is_none());
    // A write before the export: the old lines are left as they are.
    let accounts = ok(store.accounts().await, "accounts");
    let mut after = accounts[2].clone();
    after.name = "Zoë before the export".into();
    ok(store.update_account(&accounts[2], &after, &[]).await, "update");
    assert!(ok(store.stored_lines().await, "stored lines").is_none());
    // The export rebuilds them in the current layout.
    let (catalog, lines) = ok(store.export_lines().await, "export lines");
    let records = bundle_text_at(&ok(store.export().await, "export"), &meta);
    assert_eq!(lines.write(&catalog, &meta), records);
    assert!(records.contains("Zoë before the export"));
    assert_eq!(lines.counts[0], sample.accounts.len());
    assert_eq!(lines.counts[1], sample.contacts.len());
    assert_eq!(lines.counts[2], sample.links.len());
    let raw = ok(store.backend().read(&[schema::LINES]), "raw read");
    let marker = ok(
        raw.texts_of(schema::LINES, &[Key::one("format")], "text").await,
        "marker",
    );
    assert_eq!(marker, vec![Some(super::lines::FORMAT.to_owned())]);
    // Each chunk's keys are its entries' keys, ascending, and every key is
    // in the chunk its range names.
    let pieces = ok(raw.pieces(schema::LINES).await, "pieces");
    let names: Vec<Key> = pieces.iter().map(|(n, _, _)| Key::one(n)).collect();
    let chunks = ok(raw.chunks_of(schema::LINES, &names).await, "chunks");
    drop(raw);
    let mut previous = String::new();
    for ((name, n, piece), chunk) in pieces.iter().zip(chunks) {
        let Some(chunk) = chunk else {
            panic!("{name} is no chunk");
        };
        assert_eq!(piece.to_text(), chunk.text);
        let keys: Vec<&str> = chunk.keys.lines().collect();
        assert_eq!(keys.len(), *n, "{name}");
        assert_eq!(chunk.text.lines().count(), *n, "{name}");
        assert!(chunk.text.len() <= super::lines::MAX_CHUNK, "{name}");
        let (store_name, lower) = name.split_once('/').unwrap_or_default();
        for k in keys {
            assert!(lower <= k, "{name}: {k}");
            if previous.starts_with(&format!("{store_name}/")) {
                assert!(
                    previous.split_once('/').map(|(_, p)| p) < Some(k),
                    "{previous} {k}"
                );
            }
            previous = format!("{store_name}/{k}");
        }
    }
    // Writes after that keep them.
    let mut again = after.clone();
    again.name = "Zoë after the export".into();
    ok(store.update_account(&after, &again, &[]).await, "update");
    lines_in_step(store).await;
    assert!(ok(store.undo_import().await, "undo"));
}

/// A large import cuts each list into chunks of at most `MAX_CHUNK`
/// bytes, in key order; edits, a new record and the undo keep them so.
pub async fn lines_are_cut_into_small_chunks_that_stay_in_step<B: Backend>(store: &Repo<B>) {
    use super::{schema, Tx};
    let sample = crate::bundle::fixtures::sample(900, 53);
    ok(
        store.import(&sample, Default::default(), Timestamp(5)).await,
        "import",
    );
    let sizes = || async {
        let raw = ok(store.backend().read(&[schema::LINES]), "raw read");
        let pieces = ok(raw.pieces(schema::LINES).await, "pieces");
        pieces
            .iter()
            .map(|(name, n, p)| (name.clone(), *n, p.len()))
            .collect::<Vec<_>>()
    };
    let after_import = sizes().await;
    let contacts: Vec<_> = after_import
        .iter()
        .filter(|(name, _, _)| name.starts_with("contacts/"))
        .collect();
    assert!(contacts.len() > 1, "{after_import:?}");
    assert!(after_import
        .iter()
        .all(|(_, n, len)| *n > 0 && *len <= super::lines::MAX_CHUNK));
    assert_eq!(
        contacts.iter().map(|(_, n, _)| n).sum::<usize>(),
        sample.contacts.len()
    );
    lines_in_step(store).await;
    // An edit in the middle of a list.
    let accounts = ok(store.accounts().await, "accounts");
    let mut after = accounts[450].clone();
    after.name = "Ana \"middle\" ".repeat(400);
    ok(store.update_account(&accounts[450], &after, &[]).await, "update");
    lines_in_step(store).await;
    assert!(sizes()
        .await
        .iter()
        .all(|(_, _, len)| *len <= super::lines::MAX_CHUNK));
    assert!(ok(store.undo_import().await, "undo"));
    lines_in_step(store).await;
    // The emptied chunks are gone.
    assert_eq!(sizes().await, vec![]);
}

fn bundle_text_at(c: &crate::bundle::Contents, meta: &crate::bundle::Meta) -> String {
    crate::bundle::write(c, meta)
}

/// Stages of a few records from any size (the app's: 2,000 records from
/// 20,000), so a small file takes several.
fn small_stages<B: Backend>(store: &Repo<B>) {
    store.set_staging(crate::store::Staging { min: 1, per_tx: 7 });
}

fn is_empty_store(c: &crate::bundle::Contents) -> bool {
    c.accounts.is_empty()
        && c.contacts.is_empty()
        && c.links.is_empty()
        && c.notes.is_empty()
        && c.history.is_empty()
}

pub async fn an_import_into_an_empty_store_is_written_in_stages_all_or_nothing<B: Backend>(store: &Repo<B>) {
    use crate::store::{Run, Stage};
    small_stages(store);
    let sample = crate::bundle::fixtures::sample(20, 11);
    let text = bundle_text(&sample);
    let (read, _) = ok(crate::bundle::read(text.as_bytes()), "read");
    let seen = std::cell::RefCell::new(Vec::new());
    let report = |stage: Stage, done: usize, total: usize| seen.borrow_mut().push((stage, done, total));
    let writes = || -> Vec<(usize, usize)> {
        seen.borrow()
            .iter()
            .filter(|(s, _, _)| *s == Stage::Writing)
            .map(|(_, d, t)| (*d, *t))
            .collect()
    };
    let run = Run {
        at: Timestamp(5),
        by: "You".into(),
        ids: SeededIds::new(6),
        progress: &report,
    };
    let plan = ok(store.import_run(&read, Default::default(), run).await, "import");
    assert_eq!(plan.accounts.created, 20);
    // A report after each stage of 7 records (one transaction reports
    // every 1,000 records, and at its end).
    let w = writes();
    assert!(w.len() > read.len() / 7, "{} records: {w:?}", read.len());
    assert!(w.windows(2).all(|p| p[0].0 <= p[1].0), "{w:?}");
    assert_eq!(w.last().map(|p| p.0), Some(read.len()));
    // The file as it was, directory and lines included (checked after
    // every case), the snapshot for undo, and no mark left.
    assert_eq!(export_text(store).await, text);
    assert_eq!(ok(store.last_import().await, "last"), Some(Timestamp(5)));
    assert!(!ok(store.recover_import().await, "nothing to recover"));
    let mine = new_account(1, "Mine", vec![person("Ana", "Pop", "ana@x.io")]);
    create(store, &mine).await;
    // Its undo deletes in stages too, and makes the directory and the
    // lines of what is left.
    seen.borrow_mut().clear();
    assert!(ok(store.undo_import_with(&report).await, "undo"));
    let w = writes();
    assert!(w.len() > read.len() / 7, "{w:?}");
    assert_eq!(w.last().map(|p| p.0 == p.1), Some(true), "{w:?}");
    assert_eq!(counts(store).await, 1, "undo leaves what was added since");
    directory_in_step(store).await;
    lines_in_step(store).await;
    assert_eq!(ok(store.last_import().await, "last"), None);
    assert!(!ok(store.recover_import().await, "nothing to recover"));
    let mine_only = export_text(store).await;

    // A stage that fails (two contacts of a file with the same email, in
    // different stages: the unique index refuses the second) is rolled
    // back at once: the store is as empty as it was.
    ok(
        store
            .replace_everything(&crate::bundle::Contents::default())
            .await,
        "empty the store",
    );
    let mut bad = crate::bundle::fixtures::sample(10, 14);
    bad.contacts[9].emails = bad.contacts[0].emails.clone();
    seen.borrow_mut().clear();
    let r = store.import(&bad, Default::default(), Timestamp(9)).await;
    assert!(r.is_err(), "{r:?}");
    assert!(is_empty_store(&ok(store.export().await, "export")));
    assert!(ok(store.directory().await, "directory")
        .rows()
        .accounts
        .is_empty());
    assert!(!ok(store.recover_import().await, "nothing left to recover"));
    create(store, &mine).await;
    assert_eq!(export_text(store).await, mine_only);

    // Into a store with records: one transaction, as before.
    seen.borrow_mut().clear();
    let run = Run {
        at: Timestamp(10),
        by: "You".into(),
        ids: SeededIds::new(11),
        progress: &report,
    };
    let more = crate::bundle::fixtures::sample(20, 12);
    ok(store.import_run(&more, Default::default(), run).await, "import");
    assert_eq!(writes().len(), 1, "{:?}", writes());
    assert_eq!(counts(store).await, 21);
}

pub async fn an_import_left_half_done_blocks_writes_until_it_is_rolled_back<B: Backend>(store: &Repo<B>) {
    use super::schema as s;
    use super::{Lock, Tx};
    small_stages(store);
    let sample = crate::bundle::fixtures::sample(3, 21);
    // What a tab that went away during an import in stages leaves: the
    // mark and some records, without their directory or lines.
    let half_done = || async {
        let tx = ok(
            store.backend().write(&[s::META, s::ACCOUNTS, s::CONTACTS]),
            "raw write",
        );
        let mark = serde_json::json!({"key": s::STAGED_IMPORT, "at": 5});
        ok(tx.put(s::META, &mark), "mark");
        ok(tx.put_many(s::ACCOUNTS, &sample.accounts), "accounts");
        ok(tx.put_many(s::CONTACTS, &sample.contacts), "contacts");
        ok(tx.commit().await, "commit");
    };
    half_done().await;
    // Lists and search show the store as it was.
    assert!(ok(store.directory().await, "directory")
        .rows()
        .accounts
        .is_empty());
    // No other change may write among its records.
    let mine = new_account(1, "Mine", vec![person("Ana", "Pop", "ana@x.io")]);
    assert_eq!(
        store.create_account(&mine, &[]).await,
        Err(StoreError::ImportRunning)
    );
    // Still being written (its tab holds the lock): left alone, and no
    // other import starts.
    let held = ok(store.backend().try_lock(s::IMPORT_LOCK).await, "lock");
    assert!(matches!(held, Lock::Held(_)));
    assert!(!ok(store.recover_import().await, "recover"));
    let other = store.import(&sample, Default::default(), Timestamp(6)).await;
    assert_eq!(other.err(), Some(StoreError::ImportRunning));
    drop(held);
    // Its tab gone: the next start empties the stores again.
    assert!(ok(store.recover_import().await, "recover"));
    assert!(is_empty_store(&ok(store.export().await, "export")));
    assert!(ok(store.directory().await, "directory")
        .rows()
        .accounts
        .is_empty());
    create(store, &mine).await;
    assert_eq!(counts(store).await, 1);
    ok(store.undo_import().await, "no import to undo");
    // An import does it first too (here before merging with what is stored).
    ok(
        store
            .replace_everything(&crate::bundle::Contents::default())
            .await,
        "empty",
    );
    half_done().await;
    ok(
        store.import(&sample, Default::default(), Timestamp(7)).await,
        "import",
    );
    assert_eq!(export_text(store).await, bundle_text(&sample));

    // An undo in stages left half done (its mark, some of the import's
    // records deleted) is finished, not rolled back.
    ok(
        store
            .replace_everything(&crate::bundle::Contents::default())
            .await,
        "empty",
    );
    ok(
        store.import(&sample, Default::default(), Timestamp(8)).await,
        "import",
    );
    {
        let tx = ok(store.backend().write(&[s::META, s::ACCOUNTS]), "raw write");
        let mark = serde_json::json!({"key": s::STAGED_IMPORT, "at": 8, "undo": true});
        ok(tx.put(s::META, &mark), "mark");
        ok(
            tx.delete(s::ACCOUNTS, &super::Key::one(sample.accounts[0].id.as_str())),
            "delete",
        );
        ok(tx.commit().await, "commit");
    }
    assert_eq!(
        store.create_account(&mine, &[]).await,
        Err(StoreError::ImportRunning)
    );
    assert!(ok(store.recover_import().await, "recover"));
    assert!(is_empty_store(&ok(store.export().await, "export")));
    assert_eq!(ok(store.last_import().await, "last"), None);
    create(store, &mine).await;
    // The same when the next undo is what finds it.
    ok(
        store.import(&sample, Default::default(), Timestamp(9)).await,
        "import",
    );
    {
        let tx = ok(store.backend().write(&[s::META]), "raw write");
        let mark = serde_json::json!({"key": s::STAGED_IMPORT, "at": 9, "undo": true});
        ok(tx.put(s::META, &mark), "mark");
        ok(tx.commit().await, "commit");
    }
    assert!(ok(
        store.undo_import().await,
        "undo finishes the one left half done"
    ));
    assert_eq!(counts(store).await, 1);
    assert!(!ok(store.undo_import().await, "nothing left to undo"));
    // A mark with nothing left to undo goes too.
    {
        let tx = ok(store.backend().write(&[s::META]), "raw write");
        let mark = serde_json::json!({"key": s::STAGED_IMPORT, "at": 10, "undo": true});
        ok(tx.put(s::META, &mark), "mark");
        ok(tx.commit().await, "commit");
    }
    assert!(ok(store.recover_import().await, "recover"));
    create(
        store,
        &new_account(2, "Later", vec![person("Lu", "Later", "lu@x.io")]),
    )
    .await;
    assert_eq!(counts(store).await, 2);
}
