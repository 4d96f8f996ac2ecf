//! The Clients lists as CSV files, with headers the importer guesses back:
//! exporting and importing the file into an empty Clientbook gives the same
//! accounts, contacts and tags (team members, roles and custom fields are
//! matched to those in Settings).

use super::guess::{self, Target, ACCOUNT_FIELD_SUFFIX, CONTACT_FIELD_SUFFIX};
use crate::domain::catalog::{Catalog, FieldDef, FieldTarget};
use crate::domain::{Account, Contact, Link};
use std::collections::HashMap;

/// Names in one cell: `, ` between them, or ` ::: ` when a name holds a
/// comma or semicolon (the importer splits on whichever it finds).
fn joined<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let names: Vec<&str> = names.collect();
    let sep = if names.iter().any(|n| n.contains([',', ';'])) {
        " ::: "
    } else {
        ", "
    };
    names.join(sep)
}

/// The header of a custom field: its label, with " (account field)" or
/// " (contact field)" when the label alone would be guessed as another field.
fn field_header(f: &FieldDef, catalog: &Catalog) -> String {
    let plain = match f.target {
        FieldTarget::Account => Target::AccountField(f.id.clone()),
        FieldTarget::Contact => Target::ContactField(f.id.clone()),
    };
    if guess::guess_one(&f.label, catalog) == plain {
        f.label.clone()
    } else {
        let suffix = match f.target {
            FieldTarget::Account => ACCOUNT_FIELD_SUFFIX,
            FieldTarget::Contact => CONTACT_FIELD_SUFFIX,
        };
        format!("{}{suffix}", f.label)
    }
}

const CONTACT_HEADERS: [&str; 13] = [
    "First name",
    "Middle name",
    "Last name",
    "Email",
    "Other emails",
    "Phone",
    "Street",
    "City",
    "State",
    "Postal code",
    "Country",
    "Date of birth",
    "Contact tags",
];

fn contact_cells(c: Option<&Contact>, catalog: &Catalog, out: &mut Vec<String>) {
    let Some(c) = c else {
        let n = CONTACT_HEADERS.len() + catalog.fields_for(FieldTarget::Contact).count();
        out.extend(std::iter::repeat_n(String::new(), n));
        return;
    };
    out.extend([
        c.first_name.clone(),
        c.middle_name.clone(),
        c.last_name.clone(),
        c.emails.first().map(ToString::to_string).unwrap_or_default(),
        c.emails
            .iter()
            .skip(1)
            .map(|e| e.as_str())
            .collect::<Vec<_>>()
            .join("; "),
        c.phones.join("; "),
        c.address.street.clone(),
        c.address.city.clone(),
        c.address.state.clone(),
        c.address.postal_code.clone(),
        c.address.country.clone(),
        c.date_of_birth.clone(),
        joined(
            c.tags
                .iter()
                .filter_map(|t| catalog.tag(t))
                .map(|t| t.name.as_str()),
        ),
    ]);
    out.extend(
        catalog
            .fields_for(FieldTarget::Contact)
            .map(|f| c.custom.get(&f.id).cloned().unwrap_or_default()),
    );
}

fn contact_headers(catalog: &Catalog, out: &mut Vec<String>) {
    out.extend(CONTACT_HEADERS.map(str::to_owned));
    out.extend(
        catalog
            .fields_for(FieldTarget::Contact)
            .map(|f| field_header(f, catalog)),
    );
}

/// The accounts list: one row per account and contact (an account with
/// several contacts has several rows), accounts in the given order, each
/// one's contacts in the order of `contacts` (the Clients page passes them
/// alphabetical). `links` and `contacts` may hold more than these accounts
/// use.
pub fn accounts(accounts: &[&Account], links: &[Link], contacts: &[Contact], catalog: &Catalog) -> String {
    // Each account's contacts, in the order of `contacts`.
    let accounts_of: HashMap<&str, Vec<&str>> = links.iter().fold(HashMap::new(), |mut m, l| {
        m.entry(l.contact_id.as_str())
            .or_default()
            .push(l.account_id.as_str());
        m
    });
    let mut of_account: HashMap<&str, Vec<&Contact>> = HashMap::new();
    for c in contacts {
        for a in accounts_of.get(c.id.as_str()).into_iter().flatten() {
            of_account.entry(a).or_default().push(c);
        }
    }
    let mut header: Vec<String> = [
        "Account name",
        "Account type",
        "Company name",
        "Account street",
        "Account city",
        "Account state",
        "Account postal code",
        "Account country",
        "Tags",
        "Team members",
    ]
    .map(str::to_owned)
    .to_vec();
    header.extend(catalog.roles.iter().map(|r| format!("Account role: {}", r.name)));
    header.extend(
        catalog
            .fields_for(FieldTarget::Account)
            .map(|f| field_header(f, catalog)),
    );
    contact_headers(catalog, &mut header);
    let mut rows = vec![header];
    for a in accounts {
        let mut cells = vec![
            a.name.clone(),
            type_name(a.kind).to_owned(),
            a.company_name.clone(),
            a.address.street.clone(),
            a.address.city.clone(),
            a.address.state.clone(),
            a.address.postal_code.clone(),
            a.address.country.clone(),
            joined(
                a.tags
                    .iter()
                    .filter_map(|t| catalog.tag(t))
                    .map(|t| t.name.as_str()),
            ),
            joined(
                catalog
                    .members
                    .iter()
                    .filter(|m| a.team.contains(&m.id))
                    .map(|m| m.name.as_str()),
            ),
        ];
        for role in &catalog.roles {
            cells.push(joined(
                catalog
                    .members
                    .iter()
                    .filter(|m| a.roles.iter().any(|r| r.role == role.id && r.member == m.id))
                    .map(|m| m.name.as_str()),
            ));
        }
        cells.extend(
            catalog
                .fields_for(FieldTarget::Account)
                .map(|f| a.custom.get(&f.id).cloned().unwrap_or_default()),
        );
        let people = of_account.get(a.id.as_str()).cloned().unwrap_or_default();
        if people.is_empty() {
            contact_cells(None, catalog, &mut cells);
            rows.push(cells);
        } else {
            for c in people {
                let mut row = cells.clone();
                contact_cells(Some(c), catalog, &mut row);
                rows.push(row);
            }
        }
    }
    super::write(&rows)
}

/// The contacts list: one row per contact, in the given order, with the
/// names of their accounts (in the order of `links`; for reading, the
/// importer does not use it).
pub fn contacts(contacts: &[&Contact], links: &[Link], accounts: &[Account], catalog: &Catalog) -> String {
    let names: HashMap<&str, &str> = accounts
        .iter()
        .map(|a| (a.id.as_str(), a.name.as_str()))
        .collect();
    let mut of_contact: HashMap<&str, Vec<&str>> = HashMap::new();
    for l in links {
        if let Some(n) = names.get(l.account_id.as_str()) {
            of_contact.entry(l.contact_id.as_str()).or_default().push(n);
        }
    }
    let mut header = Vec::new();
    contact_headers(catalog, &mut header);
    header.push("Accounts".to_owned());
    let mut rows = vec![header];
    for c in contacts {
        let mut row = Vec::new();
        contact_cells(Some(c), catalog, &mut row);
        let of = of_contact.get(c.id.as_str()).cloned().unwrap_or_default();
        row.push(joined(of.into_iter()));
        rows.push(row);
    }
    super::write(&rows)
}

/// The account type as the file writes it: English, like the header (the
/// file is data to exchange, read back by `plan::parse_type`).
fn type_name(kind: crate::domain::AccountType) -> &'static str {
    match kind {
        crate::domain::AccountType::Individual => "Individual",
        crate::domain::AccountType::Company => "Company",
        crate::domain::AccountType::Other => "Other",
    }
}
