//! Search normalisation: lower case, accents folded, so `muller` finds
//! `Müller` and `sofia` finds `Sofía`. Works on the Latin scripts of the
//! languages Clientbook is used in (English, German, Dutch, French, Romanian)
//! and leaves every other character as it is, lower-cased.

/// Appends the unaccented form of one lower-case character to `out`;
/// combining marks disappear.
fn fold_char(c: char, out: &mut String) {
    let base = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'ĥ' | 'ħ' => "h",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
        'ĳ' => "ij",
        'ĵ' => "j",
        'ķ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
        'œ' => "oe",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' | 'ș' => "s",
        'ß' => "ss",
        'ţ' | 'ť' | 'ŧ' | 'ț' => "t",
        'þ' => "th",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
        'ŵ' => "w",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        // Combining diacritical marks (text typed in decomposed form).
        '\u{0300}'..='\u{036f}' => "",
        _ => {
            out.push(c);
            return;
        }
    };
    out.push_str(base);
}

/// The normalised form of `s` used for matching and sorting.
pub fn normalize(s: &str) -> String {
    let s = s.trim();
    // Most names and every email are ASCII: lower-case them byte by byte.
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        for lc in c.to_lowercase() {
            fold_char(lc, &mut out);
        }
    }
    out
}

/// True when every word of `query` is found in `haystack_normalized`.
pub fn matches(haystack_normalized: &str, query: &str) -> bool {
    normalize(query)
        .split_whitespace()
        .all(|w| haystack_normalized.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_and_accents() {
        assert_eq!(normalize("Müller"), "muller");
        assert_eq!(normalize("Sofía"), "sofia");
        assert_eq!(normalize("ȘTEFĂNESCU Țară"), "stefanescu tara");
        assert_eq!(normalize("Straße"), "strasse");
        assert_eq!(normalize("Œuvre Ærø"), "oeuvre aero");
        assert_eq!(normalize("  Zoë  "), "zoe");
        // Decomposed input: e + combining acute.
        assert_eq!(normalize("Jose\u{0301}"), "jose");
        // Non-Latin text is kept.
        assert_eq!(normalize("Ελένη"), "ελένη");
    }

    #[test]
    fn matches_every_word_anywhere() {
        let hay = normalize("Kate Müller kate.mueller@example.com");
        assert!(matches(&hay, "muller"));
        assert!(matches(&hay, "MÜLL kate"));
        assert!(matches(&hay, "example.com"));
        assert!(!matches(&hay, "sofia"));
    }
}
