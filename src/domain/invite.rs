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

/// The `mailto:` address of an invitation to the client portal for
/// `email`, with an optional personal message.
pub fn invitation_mailto(email: &str, contact_name: &str, account_name: &str, message: &str) -> String {
    let subject = format!("Your client portal access for {account_name}");
    let mut body = format!("Dear {contact_name},\n\n");
    if !message.trim().is_empty() {
        body.push_str(message.trim());
        body.push_str("\n\n");
    }
    body.push_str(&format!(
        "You have been given access to our client portal for {account_name}. \
         Please activate your login with this email address ({email}).\n\nKind regards"
    ));
    format!(
        "mailto:{}?subject={}&body={}",
        encode(email),
        encode(&subject),
        encode(&body)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_an_encoded_mailto() {
        let url = invitation_mailto(
            "kate+tax@example.com",
            "Kate Müller",
            "Kate's LLC",
            "See you & thanks",
        );
        assert!(url.starts_with("mailto:kate%2Btax%40example.com?subject=Your%20client%20portal"));
        assert!(url.contains("Kate%27s%20LLC"));
        assert!(url.contains("M%C3%BCller"));
        assert!(url.contains("See%20you%20%26%20thanks"));
        assert!(!url.contains(' ') && !url.contains('\n'));
    }
}
