//! Validation errors that say *where*: every problem carries the path of the
//! field it is about (`account.name`, `contacts[0].email`), so the UI can put
//! the message next to the input and imports can report the exact place.

use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct FieldError {
    /// Path of the field, e.g. `contacts[0].email`.
    pub field: String,
    /// What is wrong, in plain words.
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// All the problems found in one piece of input. Never empty when returned as
/// an error.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ValidationErrors(pub Vec<FieldError>);

impl ValidationErrors {
    pub fn push(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldError::new(field, message));
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// The message for one field, if it has a problem.
    pub fn for_field(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }
    /// `Ok(value)` when nothing was collected, otherwise the errors.
    pub fn into_result<T>(self, value: T) -> Result<T, Self> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationErrors {}

/// Longest name or free-text line we accept in a single-line field.
pub const MAX_NAME_CHARS: usize = 200;

/// Trims `value` and checks it is non-empty (when `required`) and not too long.
/// Returns the trimmed text.
pub fn text_field(
    errors: &mut ValidationErrors,
    field: &str,
    label: &str,
    value: &str,
    required: bool,
) -> String {
    let v = value.trim();
    if required && v.is_empty() {
        errors.push(field, format!("{label} is required"));
    } else if v.chars().count() > MAX_NAME_CHARS {
        errors.push(
            field,
            format!("{label} is longer than {MAX_NAME_CHARS} characters"),
        );
    } else if v.chars().any(char::is_control) {
        errors.push(field, format!("{label} contains a control character"));
    }
    v.to_owned()
}
