//! An in-memory [`Store`]: the reference the IndexedDB store is tested
//! against, and the store of native tests.

use super::{account_order, contact_order, Store, StoreError};
use crate::domain::{Account, AccountId, Contact, ContactId, Link, NewAccount, ValidationErrors};
use std::cell::RefCell;
use std::collections::BTreeMap;

#[derive(Clone, Debug, Default)]
struct State {
    accounts: BTreeMap<AccountId, Account>,
    contacts: BTreeMap<ContactId, Contact>,
    links: BTreeMap<(AccountId, ContactId), Link>,
}

impl State {
    fn email_owner(&self, key: &str) -> Option<ContactId> {
        self.contacts
            .values()
            .find(|c| c.email_keys().iter().any(|k| k == key))
            .map(|c| c.id.clone())
    }
}

#[derive(Debug, Default)]
pub struct MemoryStore {
    state: RefCell<State>,
}

impl MemoryStore {
    pub fn new() -> Self {
        Self::default()
    }
}

impl Store for MemoryStore {
    async fn create_account(&self, new: &NewAccount) -> Result<(), StoreError> {
        let mut state = self.state.borrow_mut();
        if state.accounts.contains_key(&new.account.id) {
            return Err(StoreError::AlreadyExists);
        }
        let existing: Vec<bool> = new
            .linked_existing()
            .into_iter()
            .map(|id| state.contacts.contains_key(id))
            .collect();
        let owners: Vec<Option<ContactId>> = new
            .new_email_keys()
            .iter()
            .map(|(_, key)| state.email_owner(key))
            .collect();
        let errors = new.check_against_store(&existing, &owners);
        if !errors.is_empty() {
            return Err(StoreError::Rejected(errors));
        }
        // Apply to a copy and swap, so a failure part-way changes nothing
        // (the same all-or-nothing a transaction gives IndexedDB).
        let mut next = state.clone();
        for c in &new.new_contacts {
            for key in c.email_keys() {
                if next.email_owner(&key).is_some() {
                    let mut e = ValidationErrors::default();
                    e.push("contacts", format!("{key} is used by two contacts"));
                    return Err(StoreError::Rejected(e));
                }
            }
            next.contacts.insert(c.id.clone(), c.clone());
        }
        next.accounts.insert(new.account.id.clone(), new.account.clone());
        for l in &new.links {
            next.links
                .insert((l.account_id.clone(), l.contact_id.clone()), l.clone());
        }
        *state = next;
        Ok(())
    }

    async fn accounts(&self) -> Result<Vec<Account>, StoreError> {
        let mut all: Vec<Account> = self.state.borrow().accounts.values().cloned().collect();
        all.sort_by(account_order);
        Ok(all)
    }

    async fn account(&self, id: &AccountId) -> Result<Option<Account>, StoreError> {
        Ok(self.state.borrow().accounts.get(id).cloned())
    }

    async fn account_contacts(&self, id: &AccountId) -> Result<Vec<(Link, Contact)>, StoreError> {
        let state = self.state.borrow();
        let mut out: Vec<(Link, Contact)> = state
            .links
            .values()
            .filter(|l| &l.account_id == id)
            .filter_map(|l| state.contacts.get(&l.contact_id).map(|c| (l.clone(), c.clone())))
            .collect();
        out.sort_by(|a, b| contact_order(&a.1, &b.1));
        Ok(out)
    }

    async fn contact(&self, id: &ContactId) -> Result<Option<Contact>, StoreError> {
        Ok(self.state.borrow().contacts.get(id).cloned())
    }

    async fn contact_by_email(&self, email: &str) -> Result<Option<Contact>, StoreError> {
        let state = self.state.borrow();
        let key = email.trim().to_lowercase();
        Ok(state
            .email_owner(&key)
            .and_then(|id| state.contacts.get(&id).cloned()))
    }

    async fn contact_accounts(&self, id: &ContactId) -> Result<Vec<(Link, Account)>, StoreError> {
        let state = self.state.borrow();
        let mut out: Vec<(Link, Account)> = state
            .links
            .values()
            .filter(|l| &l.contact_id == id)
            .filter_map(|l| state.accounts.get(&l.account_id).map(|a| (l.clone(), a.clone())))
            .collect();
        out.sort_by(|a, b| account_order(&a.1, &b.1));
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    crate::store_contract_tests!(native, crate::store::memory::MemoryStore::new());
}
