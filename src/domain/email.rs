//! Email addresses: checked for a plausible shape (what a practitioner would
//! type), kept as typed, compared case-insensitively.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Email(String);

/// Why a string is not an email address (the interface words it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("empty")]
    Empty,
    /// Not one @ with a name before it and a domain after it.
    #[error("no name@domain shape")]
    Shape,
    #[error("contains a space")]
    Space,
    /// The domain after @ has no dot.
    #[error("domain without a dot")]
    Domain,
    /// Longer than 254 characters.
    #[error("too long")]
    TooLong,
}

impl Email {
    /// Parses a typed address (surrounding spaces are ignored).
    pub fn parse(input: &str) -> Result<Self, EmailError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(EmailError::Empty);
        }
        if s.len() > 254 {
            return Err(EmailError::TooLong);
        }
        if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(EmailError::Space);
        }
        let (local, domain) = s.rsplit_once('@').ok_or(EmailError::Shape)?;
        if local.is_empty() || domain.is_empty() || local.contains('@') {
            return Err(EmailError::Shape);
        }
        let labels: Vec<&str> = domain.split('.').collect();
        if labels.len() < 2
            || labels
                .iter()
                .any(|l| l.is_empty() || l.starts_with('-') || l.ends_with('-'))
        {
            return Err(EmailError::Domain);
        }
        Ok(Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The form used to compare and look up addresses: lower case.
    pub fn key(&self) -> String {
        self.0.to_lowercase()
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_addresses() {
        for ok in [
            "kate@example.com",
            " Kate.Smith+tax@mail.example.co.uk ",
            "ana@sofía.es",
        ] {
            assert!(Email::parse(ok).is_ok(), "{ok}");
        }
        assert_eq!(Email::parse(" A@B.io ").map(|e| e.key()), Ok("a@b.io".to_owned()));
    }

    #[test]
    fn rejects_malformed_addresses() {
        assert_eq!(Email::parse("   "), Err(EmailError::Empty));
        assert_eq!(Email::parse("kate"), Err(EmailError::Shape));
        assert_eq!(Email::parse("@example.com"), Err(EmailError::Shape));
        assert_eq!(Email::parse("kate@"), Err(EmailError::Shape));
        assert_eq!(Email::parse("kate@@example.com"), Err(EmailError::Shape));
        assert_eq!(Email::parse("kate smith@example.com"), Err(EmailError::Space));
        assert_eq!(Email::parse("kate@localhost"), Err(EmailError::Domain));
        assert_eq!(Email::parse("kate@example..com"), Err(EmailError::Domain));
        assert_eq!(
            Email::parse(&format!("{}@example.com", "a".repeat(250))),
            Err(EmailError::TooLong)
        );
    }
}
