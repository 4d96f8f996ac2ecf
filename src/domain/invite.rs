//! Portal invitations, offline: Clientbook records the invitation and hands a
//! ready message to the practitioner's own mail program through `mailto:`.

/// Percent-encodes a `mailto:` component (RFC 6068): everything but
/// unreserved characters.
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The `mailto:` address of a message to `email` (the words of an
/// invitation come from the interface, in the practitioner's language).
pub fn mailto(email: &str, subject: &str, body: &str) -> String {
    format!(
        "mailto:{}?subject={}&body={}",
        encode(email),
        encode(subject),
        encode(body)
    )
}

/// The body of an invitation: greeting, the personal message (if any), the
/// invitation itself and the closing, separated by blank lines.
pub fn invitation_body(greeting: &str, message: &str, invitation: &str, closing: &str) -> String {
    let mut parts = vec![greeting];
    if !message.trim().is_empty() {
        parts.push(message.trim());
    }
    parts.push(invitation);
    parts.push(closing);
    parts.join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_an_encoded_mailto() {
        let body = invitation_body(
            "Dear Kate Müller,",
            " See you & thanks ",
            "Welcome.",
            "Kind regards",
        );
        assert_eq!(
            body,
            "Dear Kate Müller,\n\nSee you & thanks\n\nWelcome.\n\nKind regards"
        );
        assert_eq!(
            invitation_body("Hi,", "  ", "Welcome.", "Bye"),
            "Hi,\n\nWelcome.\n\nBye"
        );
        let url = mailto("kate+tax@example.com", "Portal for Kate's LLC", &body);
        assert!(
            url.starts_with("mailto:kate%2Btax%40example.com?subject=Portal%20for%20Kate%27s%20LLC&body=")
        );
        assert!(url.contains("M%C3%BCller"));
        assert!(url.contains("See%20you%20%26%20thanks"));
        assert!(!url.contains(' ') && !url.contains('\n'));
    }
}
