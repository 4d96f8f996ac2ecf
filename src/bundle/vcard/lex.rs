//! From bytes to content lines: text decoding (UTF-8, UTF-16 with a byte
//! order mark, else Windows-1252), physical lines (CRLF, LF or CR), folding
//! (a line starting with a space or a tab continues the previous one),
//! quoted-printable soft line breaks (a QP value ending in `=` continues on
//! the next line), then `[group.]NAME;PARAM=a,b:value`. Every step is one
//! pass over its input, so no input makes it slow.

/// One property as written, with the physical line it starts on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prop {
    pub line: usize,
    /// Upper case, without its group (`item1.EMAIL` is `EMAIL`).
    pub name: String,
    /// Names upper case; a vCard 2.1 bare parameter (`TEL;CELL:`) is a
    /// `TYPE` (or an `ENCODING` for `QUOTED-PRINTABLE`, `BASE64`, `8BIT`).
    pub params: Vec<(String, Vec<String>)>,
    /// The raw value: still escaped, still encoded.
    pub value: String,
}

impl Prop {
    /// Every value of a parameter, in order (a parameter may repeat).
    pub fn param<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.params
            .iter()
            .filter(move |(n, _)| n == name)
            .flat_map(|(_, v)| v.iter().map(String::as_str))
    }

    /// Whether `TYPE` (any case) includes `value`.
    pub fn has_type(&self, value: &str) -> bool {
        self.param("TYPE")
            .flat_map(|t| t.split(','))
            .any(|t| t.trim().eq_ignore_ascii_case(value))
    }

    pub fn encoding(&self) -> Option<String> {
        self.param("ENCODING").next().map(str::to_ascii_uppercase)
    }

    /// Preference rank: `PREF=1` (4.0) or `TYPE=pref` (3.0) first, then
    /// the others in file order.
    pub fn pref(&self) -> u32 {
        if let Some(p) = self.param("PREF").next() {
            return p.trim().parse().unwrap_or(100).clamp(1, 100);
        }
        if self.has_type("pref") {
            1
        } else {
            101
        }
    }
}

/// Windows-1252 code points of the bytes 0x80 to 0x9F (the rest of the
/// range is Latin-1, byte = code point).
const CP1252_HIGH: [u16; 32] = [
    0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152,
    0x8d, 0x017d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161,
    0x203a, 0x0153, 0x9d, 0x017e, 0x0178,
];

/// One byte as Windows-1252.
pub fn cp1252(b: u8) -> char {
    if (0x80..0xa0).contains(&b) {
        char::from_u32(u32::from(CP1252_HIGH[usize::from(b - 0x80)])).unwrap_or('\u{fffd}')
    } else {
        char::from(b)
    }
}

/// How the file's bytes were turned into text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Charset {
    Utf8,
    Utf16,
    /// Not valid UTF-8: read byte by byte as Windows-1252.
    Windows1252,
}

/// The file as text (a byte order mark is dropped).
pub fn decode(bytes: &[u8]) -> (String, Charset) {
    if let Some(rest) = bytes.strip_prefix(b"\xef\xbb\xbf") {
        return decode_utf8_or_1252(rest);
    }
    let utf16 = |rest: &[u8], le: bool| {
        let units = rest.chunks(2).map(|c| match (c, le) {
            ([a, b], true) => u16::from_le_bytes([*a, *b]),
            ([a, b], false) => u16::from_be_bytes([*a, *b]),
            _ => 0xfffd,
        });
        char::decode_utf16(units)
            .map(|c| c.unwrap_or('\u{fffd}'))
            .collect::<String>()
    };
    if let Some(rest) = bytes.strip_prefix(b"\xff\xfe") {
        return (utf16(rest, true), Charset::Utf16);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xfe\xff") {
        return (utf16(rest, false), Charset::Utf16);
    }
    decode_utf8_or_1252(bytes)
}

fn decode_utf8_or_1252(bytes: &[u8]) -> (String, Charset) {
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_owned(), Charset::Utf8),
        Err(_) => (bytes.iter().map(|&b| cp1252(b)).collect(), Charset::Windows1252),
    }
}

/// A logical line: physical lines joined, with the number of the first.
#[derive(Debug)]
pub struct Logical {
    pub line: usize,
    pub text: String,
    /// Where the first `:` is, once seen (found incrementally, so joining
    /// many continuation lines stays linear).
    colon: Option<usize>,
    /// Inside a quoted parameter value (while looking for the colon).
    quoted: bool,
    qp: bool,
}

impl Logical {
    fn new(line: usize, text: &str) -> Self {
        let mut l = Self {
            line,
            text: String::new(),
            colon: None,
            quoted: false,
            qp: false,
        };
        l.push(text);
        l
    }

    fn push(&mut self, segment: &str) {
        let start = self.text.len();
        self.text.push_str(segment);
        if self.colon.is_some() {
            return;
        }
        // The first colon outside a quoted parameter value ends the name
        // and parameters; each character is looked at once.
        for (i, c) in self.text[start..].char_indices() {
            match c {
                '"' => self.quoted = !self.quoted,
                ':' if !self.quoted => {
                    let at = start + i;
                    self.colon = Some(at);
                    self.qp = says_quoted_printable(&self.text[..at]);
                    return;
                }
                _ => {}
            }
        }
    }

    /// A quoted-printable value ending in `=`: the next line continues it.
    fn soft_break(&self) -> bool {
        self.qp && self.colon.is_some() && self.text.ends_with('=')
    }
}

/// Whether the name and parameters (`NOTE;ENCODING=QUOTED-PRINTABLE`, or
/// 2.1's bare `NOTE;QUOTED-PRINTABLE`) say the value is quoted-printable.
fn says_quoted_printable(head: &str) -> bool {
    let mut quoted = false;
    let mut segment = String::new();
    let mut found = false;
    let check = |segment: &str| {
        let s = segment.trim().to_ascii_uppercase();
        s == "QUOTED-PRINTABLE" || s == "ENCODING=QUOTED-PRINTABLE"
    };
    for c in head.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                segment.push(c);
            }
            ';' if !quoted => {
                found |= check(&segment);
                segment.clear();
            }
            c => segment.push(c),
        }
    }
    found || check(&segment)
}

/// Logical lines of `text`: physical lines (CRLF, LF or a lone CR end a
/// line) unfolded, blank ones skipped. An iterator, so a file of millions
/// of lines never sits in memory twice.
pub fn logical_lines(text: &str) -> LogicalLines<'_> {
    LogicalLines {
        physical: Box::new(
            text.split('\n')
                .flat_map(|raw| raw.strip_suffix('\r').unwrap_or(raw).split('\r')),
        ),
        pending: None,
        number: 0,
    }
}

pub struct LogicalLines<'a> {
    physical: Box<dyn Iterator<Item = &'a str> + 'a>,
    pending: Option<Logical>,
    number: usize,
}

impl Iterator for LogicalLines<'_> {
    type Item = Logical;

    fn next(&mut self) -> Option<Logical> {
        for physical in self.physical.by_ref() {
            self.number += 1;
            if let Some(last) = self.pending.as_mut() {
                if last.soft_break() {
                    last.text.pop();
                    last.push(physical);
                    continue;
                }
                if let Some(rest) = physical.strip_prefix(' ').or_else(|| physical.strip_prefix('\t')) {
                    last.push(rest);
                    continue;
                }
            }
            if physical.trim().is_empty() {
                continue;
            }
            let done = self.pending.replace(Logical::new(self.number, physical));
            if done.is_some() {
                return done;
            }
        }
        self.pending.take()
    }
}

/// At most this many parameters on one property.
const MAX_PARAMS: usize = 100;

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

/// Reads `[group.]NAME *(;param) : value`.
pub fn parse(line: &Logical) -> Result<Prop, String> {
    let s = line.text.as_str();
    let name_end = s.find([';', ':']).ok_or("not a property: no colon")?;
    let full = &s[..name_end];
    let name = full.rsplit('.').next().unwrap_or(full);
    if name.is_empty() || !name.chars().all(is_name_char) {
        let shown: String = full.chars().take(40).collect();
        return Err(crate::i18n::tf(
            crate::i18n::Key::VcardNotAPropertyName,
            &[("name", &format!("{shown:?}"))],
        ));
    }
    let mut params: Vec<(String, Vec<String>)> = Vec::new();
    let bytes = s.as_bytes();
    let mut i = name_end;
    while i < bytes.len() && bytes[i] == b';' {
        if params.len() == MAX_PARAMS {
            return Err(crate::i18n::tf(
                crate::i18n::Key::VcardTooManyParams,
                &[("max", &MAX_PARAMS.to_string())],
            ));
        }
        i += 1;
        let start = i;
        while i < bytes.len() && !matches!(bytes[i], b'=' | b';' | b':') {
            i += 1;
        }
        let pname = s[start..i].trim().to_ascii_uppercase();
        if i < bytes.len() && bytes[i] == b'=' {
            i += 1;
            let mut values = Vec::new();
            loop {
                if i < bytes.len() && bytes[i] == b'"' {
                    let close = s[i + 1..]
                        .find('"')
                        .map(|p| i + 1 + p)
                        .ok_or(crate::i18n::t(crate::i18n::Key::VcardUnclosedQuote))?;
                    values.push(caret_decode(&s[i + 1..close]));
                    i = close + 1;
                } else {
                    let start = i;
                    while i < bytes.len() && !matches!(bytes[i], b',' | b';' | b':') {
                        i += 1;
                    }
                    values.push(caret_decode(&s[start..i]));
                }
                if i < bytes.len() && bytes[i] == b',' {
                    i += 1;
                } else {
                    break;
                }
            }
            params.push((pname, values));
        } else if !pname.is_empty() {
            // vCard 2.1: `TEL;CELL;PREF:` or `NOTE;QUOTED-PRINTABLE:`.
            let key = match pname.as_str() {
                "QUOTED-PRINTABLE" | "BASE64" | "B" | "8BIT" | "7BIT" => "ENCODING",
                _ => "TYPE",
            };
            params.push((key.to_owned(), vec![pname]));
        }
    }
    if i >= bytes.len() || bytes[i] != b':' {
        return Err(crate::i18n::t(crate::i18n::Key::VcardNoColon).into());
    }
    Ok(Prop {
        line: line.line,
        name: name.to_ascii_uppercase(),
        params,
        value: s[i + 1..].to_owned(),
    })
}

/// RFC 6868 parameter values: `^n` newline, `^'` double quote, `^^` caret.
pub fn caret_decode(s: &str) -> String {
    if !s.contains('^') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '^' {
            match chars.peek() {
                Some('n') | Some('N') => {
                    out.push('\n');
                    chars.next();
                }
                Some('\'') => {
                    out.push('"');
                    chars.next();
                }
                Some('^') => {
                    out.push('^');
                    chars.next();
                }
                _ => out.push('^'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Splits on `sep` where it is not escaped by a backslash; the parts stay escaped.
pub fn split_unescaped(s: &str, sep: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == sep {
            parts.push(&s[start..i]);
            start = i + c.len_utf8();
        }
    }
    parts.push(&s[start..]);
    parts
}

/// Text value escapes: `\n` (or `\N`) newline, `\,` `\;` `\:` `\\`. A
/// backslash before anything else stays as it is.
pub fn unescape(s: &str) -> String {
    if !s.contains('\\') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') | Some('N') => out.push('\n'),
            Some(e @ (',' | ';' | ':' | '\\')) => out.push(e),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// Quoted-printable to bytes: `=XX` is a byte; an `=` not followed by two
/// hex digits is kept as it is (lenient, as mail readers are).
pub fn qp_decode(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    let hex = |c: u8| (c as char).to_digit(16);
    while i < b.len() {
        if b[i] == b'=' {
            if let (Some(h), Some(l)) = (
                b.get(i + 1).copied().and_then(hex),
                b.get(i + 2).copied().and_then(hex),
            ) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
            if i + 1 == b.len() {
                // A soft break at the very end.
                break;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_and_soft_breaks_join_lines() {
        let text = "BEGIN:VCARD\r\nNOTE:one\r\n  two\r\n\tthree\r\nNOTE;ENCODING=QUOTED-PRINTABLE:a=\r\nb=3D=\r\n\r\nEND:VCARD";
        let lines: Vec<Logical> = logical_lines(text).collect();
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "BEGIN:VCARD",
                "NOTE:one twothree",
                "NOTE;ENCODING=QUOTED-PRINTABLE:ab=3D",
                "END:VCARD"
            ]
        );
        assert_eq!(lines[3].line, 8);
    }

    #[test]
    fn params_groups_and_bare_types() {
        let p = parse(&Logical::new(
            3,
            "item1.EMAIL;type=INTERNET;TYPE=\"work,pref\":a@b.io",
        ))
        .unwrap();
        assert_eq!(p.name, "EMAIL");
        assert_eq!(p.value, "a@b.io");
        assert!(p.has_type("pref") && p.has_type("WORK"));
        assert_eq!(p.pref(), 1);
        let p = parse(&Logical::new(1, "TEL;CELL;QUOTED-PRINTABLE:1")).unwrap();
        assert!(p.has_type("cell"));
        assert_eq!(p.encoding().as_deref(), Some("QUOTED-PRINTABLE"));
        let p = parse(&Logical::new(1, "X-A;LABEL=\"a:b;c^'d^n\":v:w")).unwrap();
        assert_eq!(p.param("LABEL").next(), Some("a:b;c\"d\n"));
        assert_eq!(p.value, "v:w");
        assert!(parse(&Logical::new(1, "no colon here")).is_err());
        assert!(parse(&Logical::new(1, "BAD NAME:x")).is_err());
        assert!(parse(&Logical::new(1, "X;P=\"open:x")).is_err());
    }

    #[test]
    fn escapes_and_quoted_printable() {
        assert_eq!(unescape(r"a\,b\;c\nd\\e\x"), "a,b;c\nd\\e\\x");
        assert_eq!(split_unescaped(r"a\;b;c;", ';'), [r"a\;b", "c", ""]);
        assert_eq!(qp_decode("caf=C3=A9 =3D =ZZ="), "café = =ZZ".as_bytes());
        assert_eq!(cp1252(0x80), '€');
        assert_eq!(cp1252(0xe9), 'é');
        assert_eq!(decode(b"\xef\xbb\xbfA").0, "A");
        assert_eq!(decode(b"caf\xe9"), ("café".to_owned(), Charset::Windows1252));
        assert_eq!(decode(b"\xff\xfeA\x00").0, "A");
    }
}
