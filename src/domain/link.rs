//! The many-to-many link between an account and a contact, with what is
//! specific to that pair: a description, a signer priority and, per email of
//! the contact, the portal and notification switches.

use super::ids::{AccountId, ContactId};
use super::time::Timestamp;
use serde::{Deserialize, Serialize};

/// Switches for one email address of a contact, valid for one account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailAccess {
    /// Lower-cased address this applies to.
    pub email: String,
    /// Portal access.
    pub login: bool,
    /// System notifications.
    pub notify: bool,
    /// Emails from this address are synced to the account.
    pub email_sync: bool,
    /// May sign proposals, engagement letters and recurring invoices.
    pub signatory: bool,
    /// Which system notifications this address gets when Notify is on.
    #[serde(default)]
    pub notify_prefs: NotifyPrefs,
    /// When a portal invitation was last sent (opened in the mail program).
    #[serde(default)]
    pub invited_at: Option<Timestamp>,
    /// When the practitioner marked the portal login as activated.
    #[serde(default)]
    pub activated_at: Option<Timestamp>,
}

/// Per-type notification preferences.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NotifyPrefs {
    pub messages: bool,
    pub documents: bool,
    pub organizers: bool,
    pub invoices: bool,
    pub signatures: bool,
}

impl Default for NotifyPrefs {
    fn default() -> Self {
        Self {
            messages: true,
            documents: true,
            organizers: true,
            invoices: true,
            signatures: true,
        }
    }
}

impl EmailAccess {
    /// The switches a new email starts with: Signatory follows Login.
    pub fn new(email: String, login: bool, notify: bool, email_sync: bool) -> Self {
        Self {
            email,
            login,
            notify,
            email_sync,
            signatory: login,
            notify_prefs: NotifyPrefs::default(),
            invited_at: None,
            activated_at: None,
        }
    }

    /// Invited to the portal and not activated yet.
    pub fn pending_activation(&self) -> bool {
        self.login && self.invited_at.is_some() && self.activated_at.is_none()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    pub account_id: AccountId,
    pub contact_id: ContactId,
    /// Valid for this account only ("primary contact" here, "CEO" there).
    #[serde(default)]
    pub description: String,
    /// Default order of signers; `None` means no particular order.
    #[serde(default)]
    pub signer_priority: Option<u32>,
    #[serde(default)]
    pub email_access: Vec<EmailAccess>,
}

impl Link {
    /// Makes the per-email switches match the contact's current emails:
    /// switches of kept emails stay, new emails start switched off, removed
    /// emails lose theirs.
    pub fn sync_emails(&mut self, email_keys: &[String]) {
        self.email_access.retain(|a| email_keys.contains(&a.email));
        for key in email_keys {
            if !self.email_access.iter().any(|a| &a.email == key) {
                self.email_access
                    .push(EmailAccess::new(key.clone(), false, false, false));
            }
        }
        super::sort::sort_by_key(&mut self.email_access, |a| {
            email_keys.iter().position(|k| k == &a.email)
        });
    }

    pub fn access(&self, email_key: &str) -> Option<&EmailAccess> {
        self.email_access.iter().find(|a| a.email == email_key)
    }

    pub fn access_mut(&mut self, email_key: &str) -> Option<&mut EmailAccess> {
        self.email_access.iter_mut().find(|a| a.email == email_key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_switches_follow_the_contacts_emails() {
        let mut link = Link {
            account_id: AccountId::from_random([1; 16]),
            contact_id: ContactId::from_random([2; 16]),
            description: String::new(),
            signer_priority: None,
            email_access: vec![
                EmailAccess::new("a@x.io".into(), true, true, false),
                EmailAccess::new("b@x.io".into(), false, true, false),
            ],
        };
        link.sync_emails(&["c@x.io".into(), "a@x.io".into()]);
        let emails: Vec<&str> = link.email_access.iter().map(|a| a.email.as_str()).collect();
        assert_eq!(emails, ["c@x.io", "a@x.io"]);
        assert!(link.access("a@x.io").is_some_and(|a| a.login && a.signatory));
        assert!(link.access("c@x.io").is_some_and(|a| !a.login && !a.notify));
    }

    #[test]
    fn pending_means_invited_with_login_and_not_activated() {
        let mut a = EmailAccess::new("a@x.io".into(), true, false, false);
        assert!(!a.pending_activation());
        a.invited_at = Some(Timestamp(1));
        assert!(a.pending_activation());
        a.activated_at = Some(Timestamp(2));
        assert!(!a.pending_activation());
    }
}
