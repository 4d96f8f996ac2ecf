//! The one place where errors of every layer become text for the practitioner.

use crate::domain::ValidationErrors;
use crate::store::StoreError;

/// Any error the app can show.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Invalid(#[from] ValidationErrors),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl AppError {
    /// Field-level problems, when the error is about input (so the form can
    /// show each next to its field).
    pub fn field_errors(&self) -> Option<&ValidationErrors> {
        match self {
            Self::Invalid(e) | Self::Store(StoreError::Rejected(e)) => Some(e),
            Self::Store(_) => None,
        }
    }

    /// One sentence (or a list of them) for a banner.
    pub fn user_message(&self) -> String {
        match self.field_errors() {
            Some(e) if e.0.len() == 1 => format!("Please correct this: {}", e.0[0].message),
            Some(e) => format!(
                "Please correct {} fields marked below. Nothing was saved.",
                e.0.len()
            ),
            None => self.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_say_what_to_do() {
        let mut v = ValidationErrors::default();
        v.push("contacts[0].email", "not an email address");
        let e = AppError::from(v.clone());
        assert_eq!(e.user_message(), "Please correct this: not an email address");
        v.push("account.name", "Account name is required");
        assert!(AppError::from(StoreError::Rejected(v))
            .user_message()
            .contains("2 fields"));
        assert!(AppError::from(StoreError::QuotaExceeded)
            .user_message()
            .contains("Nothing was saved"));
    }
}
