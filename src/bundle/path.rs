//! Where inside a record its parse stopped, as a path (`address.city`,
//! `emails[2]`, `roles[0].member`).
//!
//! serde_json says where it stopped as a line and column inside the
//! record's text. [`path_at`] walks that text again up to there, token by
//! token in the order serde_json reads it, and names the place the way
//! `serde_path_to_error` names it. (The reader used that crate before: a
//! second, tracking parse of a record that failed, which compiled a second
//! reader of every record type, about 30 KB of gzipped wasm.) Only records
//! with a problem are walked. A native test compares the two on thousands
//! of broken records.

use serde_json::error::Category;
use std::fmt::Write;

/// One step of a path.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Seg {
    Key(String),
    Index(usize),
    /// A key that could not be read (serde_path_to_error's `?`).
    Unknown,
}

/// An open object or list, and the member being read in it.
struct Frame {
    list: bool,
    /// Objects: the key of the member being read (`None` until its key is read).
    key: Option<String>,
    /// Lists: the index of the element being read.
    index: usize,
}

impl Frame {
    fn seg(&self) -> Seg {
        match (&self.key, self.list) {
            (_, true) => Seg::Index(self.index),
            (Some(k), false) => Seg::Key(k.clone()),
            (None, false) => Seg::Unknown,
        }
    }
}

/// What comes next where the walk is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Want {
    /// A value; `after_comma`: in a list, after a `,` (a `]` there is a trailing comma).
    Value {
        after_comma: bool,
    },
    /// A list's first element or its `]`.
    ElementOrEnd,
    /// An object's first key or its `}`.
    KeyOrEnd,
    /// A key after `,` (a `}` there is a trailing comma).
    Key,
    Colon,
    CommaOrEnd,
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\n' | b'\t' | b'\r')
}

/// The end (index of the closing quote, or the text's length) of the
/// string starting at `start`, and how far serde_json may read for it (a
/// `\u` escape takes four bytes, closing quote or not).
fn string_end(text: &[u8], start: usize) -> (usize, usize) {
    let mut i = start + 1;
    let mut reach = 0;
    while i < text.len() {
        match text[i] {
            b'\\' => {
                if text.get(i + 1) == Some(&b'u') {
                    reach = reach.max(i + 5);
                }
                i += 2;
            }
            b'"' => return (i, reach.max(i)),
            _ => i += 1,
        }
    }
    (text.len(), text.len())
}

/// A number, `true`, `false` or `null` starting at `start`, read as
/// serde_json reads it: `Ok(end)` when it ends before `end`, `Err(at)`
/// when serde_json refuses the byte at `at`.
fn scalar_end(text: &[u8], start: usize) -> Result<usize, usize> {
    let at = |i: usize| text.get(i).copied();
    let digit = |i: usize| at(i).is_some_and(|b| b.is_ascii_digit());
    let word: &[u8] = match at(start) {
        Some(b't') => b"true",
        Some(b'f') => b"false",
        Some(b'n') => b"null",
        _ => b"",
    };
    if !word.is_empty() {
        for (k, &w) in word.iter().enumerate().skip(1) {
            if at(start + k) != Some(w) {
                return Err(start + k);
            }
        }
        return Ok(start + word.len());
    }
    let mut i = start;
    if at(i) == Some(b'-') {
        i += 1;
    }
    match at(i) {
        Some(b'0') => {
            i += 1;
            if digit(i) {
                return Err(i);
            }
        }
        Some(b'1'..=b'9') => {
            while digit(i) {
                i += 1;
            }
        }
        _ => return Err(i),
    }
    if at(i) == Some(b'.') {
        i += 1;
        if !digit(i) {
            return Err(i);
        }
        while digit(i) {
            i += 1;
        }
    }
    if matches!(at(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(at(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if !digit(i) {
            return Err(i);
        }
        while digit(i) {
            i += 1;
        }
    }
    Ok(i)
}

fn render(segs: &[Seg]) -> String {
    let mut out = String::new();
    for (i, s) in segs.iter().enumerate() {
        if i > 0 && !matches!(s, Seg::Index(_)) {
            out.push('.');
        }
        let _ = match s {
            Seg::Key(k) => write!(out, "{k}"),
            Seg::Index(n) => write!(out, "[{n}]"),
            Seg::Unknown => write!(out, "?"),
        };
    }
    out
}

/// The path inside `text` (one record) where the parse that gave `error`
/// stopped; empty for the record itself.
pub(crate) fn path_at(text: &[u8], error: &serde_json::Error) -> String {
    render(&walk(text, error).unwrap_or_default())
}

fn walk(text: &[u8], error: &serde_json::Error) -> Option<Vec<Seg>> {
    if error.line() == 0 {
        return None;
    }
    // The byte offset serde_json had reached: the start of its line plus the column.
    let mut line_start = 0;
    for _ in 1..error.line() {
        line_start += text.get(line_start..)?.iter().position(|&b| b == b'\n')? + 1;
    }
    let at = (line_start + error.column()).min(text.len());
    let data = error.classify() == Category::Data;
    let message = error.to_string();
    // An error about an object's fields as a whole, or about a key that
    // names no variant of an enum, names the object.
    let whole_object = data
        && ["missing field", "duplicate field", "unknown variant"]
            .iter()
            .any(|m| message.starts_with(m));
    // A list or object of the wrong type is refused before it is read:
    // serde_json stops just before its bracket.
    let starts_here = data
        && matches!(text.get(at), Some(b'[' | b'{'))
        && at
            .checked_sub(1)
            .is_none_or(|p| is_space(text[p]) || matches!(text[p], b':' | b',' | b'['));
    // Otherwise the last byte it read (or looked at), spaces aside.
    let mut last = at.saturating_sub(1);
    while last > 0 && text.get(last).is_some_and(|&b| is_space(b)) {
        last -= 1;
    }
    if starts_here {
        last = at;
    }

    let mut stack: Vec<Frame> = Vec::new();
    let path = |stack: &[Frame]| stack.iter().map(Frame::seg).collect::<Vec<_>>();
    let container = |stack: &[Frame]| {
        let n = stack.len().saturating_sub(1);
        stack[..n].iter().map(Frame::seg).collect::<Vec<_>>()
    };
    let mut want = Want::Value { after_comma: false };
    let mut i = 0;
    loop {
        while i < text.len() && is_space(text[i]) {
            i += 1;
        }
        let s = i;
        let b = *text.get(s)?;
        if starts_here && s == at {
            return Some(path(&stack));
        }
        match want {
            Want::Value { .. } | Want::ElementOrEnd => {
                let end_here = want == Want::ElementOrEnd && b == b']';
                let trailing = want == (Want::Value { after_comma: true }) && b == b']';
                if end_here || trailing {
                    if s >= last {
                        return Some(container(&stack));
                    }
                    stack.pop();
                    i = s + 1;
                    want = Want::CommaOrEnd;
                    if stack.is_empty() {
                        return None;
                    }
                    continue;
                }
                match b {
                    b'{' | b'[' => {
                        if s >= last {
                            return Some(path(&stack));
                        }
                        let list = b == b'[';
                        stack.push(Frame {
                            list,
                            key: None,
                            index: 0,
                        });
                        want = if list { Want::ElementOrEnd } else { Want::KeyOrEnd };
                        i = s + 1;
                        continue;
                    }
                    b'"' => {
                        let (e, reach) = string_end(text, s);
                        if last <= reach {
                            return Some(path(&stack));
                        }
                        i = e + 1;
                    }
                    _ => match scalar_end(text, s) {
                        // Not a value, or a bad one: serde_json stopped in it.
                        Err(_) => return Some(path(&stack)),
                        Ok(e) if last < e => return Some(path(&stack)),
                        Ok(e) => i = e,
                    },
                }
                want = Want::CommaOrEnd;
                if stack.is_empty() {
                    return None;
                }
            }
            Want::KeyOrEnd | Want::Key => {
                if b == b'}' && want == Want::KeyOrEnd {
                    if s >= last {
                        return Some(container(&stack));
                    }
                    stack.pop();
                    i = s + 1;
                    want = Want::CommaOrEnd;
                    if stack.is_empty() {
                        return None;
                    }
                    continue;
                }
                if b != b'"' {
                    if s >= last {
                        let mut p = container(&stack);
                        p.push(Seg::Unknown);
                        return Some(p);
                    }
                    return None;
                }
                let (e, reach) = string_end(text, s);
                let key = text
                    .get(s..=e)
                    .and_then(|k| serde_json::from_slice::<String>(k).ok());
                if last <= reach {
                    let mut p = container(&stack);
                    if !whole_object {
                        p.push(match (data, key) {
                            (true, Some(k)) => Seg::Key(k),
                            _ => Seg::Unknown,
                        });
                    }
                    return Some(p);
                }
                stack.last_mut()?.key = key;
                i = e + 1;
                want = Want::Colon;
            }
            Want::Colon => {
                if b != b':' || s >= last {
                    return Some(container(&stack));
                }
                i = s + 1;
                want = Want::Value { after_comma: false };
            }
            Want::CommaOrEnd => {
                let top = stack.last_mut()?;
                let close = if top.list { b']' } else { b'}' };
                if b == close {
                    if s >= last {
                        return Some(container(&stack));
                    }
                    stack.pop();
                    i = s + 1;
                    if stack.is_empty() {
                        return None;
                    }
                    continue;
                }
                if b != b',' || s >= last {
                    // serde_json reads the separator before the next key
                    // (which is then unknown) or element (the list).
                    let mut p = container(&stack);
                    if !stack.last()?.list {
                        p.push(Seg::Unknown);
                    }
                    return Some(p);
                }
                i = s + 1;
                if top.list {
                    top.index += 1;
                    want = Want::Value { after_comma: true };
                } else {
                    top.key = None;
                    want = Want::Key;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::dto::*;
    use super::super::fixtures::sample;
    use super::super::{write::write, Meta};
    use super::*;
    use crate::domain::Timestamp;
    use serde::de::DeserializeOwned;
    use serde_json::Value;

    /// What the bundle scan lets through to a record's parse: brackets
    /// matched (outside strings), strings closed.
    fn balanced(raw: &[u8]) -> bool {
        let mut stack = Vec::new();
        let mut i = 0;
        while i < raw.len() {
            match raw[i] {
                b'"' => {
                    let (e, _) = string_end(raw, i);
                    if e >= raw.len() {
                        return false;
                    }
                    i = e;
                }
                b @ (b'[' | b'{') => stack.push(b),
                b']' if stack.pop() != Some(b'[') => return false,
                b'}' if stack.pop() != Some(b'{') => return false,
                _ => {}
            }
            i += 1;
        }
        stack.is_empty()
    }

    /// (ours, serde_path_to_error's) path of a record that does not read as a `D`.
    fn both<D: DeserializeOwned>(raw: &[u8]) -> Option<(String, String)> {
        let e = serde_json::from_slice::<D>(raw).err()?;
        let mut de = serde_json::Deserializer::from_slice(raw);
        let theirs = serde_path_to_error::deserialize::<_, D>(&mut de).err()?;
        assert_eq!(e.to_string(), theirs.inner().to_string());
        let t = theirs.path().to_string();
        Some((path_at(raw, &e), if t == "." { String::new() } else { t }))
    }

    /// Broken versions of a record: every byte replaced, removed, or with
    /// a byte put before it; every value swapped for one of another type;
    /// unknown and repeated fields.
    fn broken(record: &Value) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        for text in [
            serde_json::to_string(record).unwrap(),
            serde_json::to_string_pretty(record).unwrap(),
        ] {
            let t = text.as_bytes();
            for k in 0..t.len() {
                for &b in b"\"1}],x{[ \\:n-.t0e" {
                    let mut v = t.to_vec();
                    v[k] = b;
                    out.push(v);
                    let mut v = t.to_vec();
                    v.insert(k, b);
                    out.push(v);
                }
                let mut v = t.to_vec();
                v.remove(k);
                out.push(v);
                if t[k] == b'{' {
                    for extra in [&br#""zz":1,"#[..], br#""id":"x","#, br#""zz" : 1 , "#] {
                        let mut v = t.to_vec();
                        v.splice(k + 1..k + 1, extra.iter().copied());
                        out.push(v);
                    }
                }
            }
        }
        let mut values = Vec::new();
        swapped(record, &mut |v| values.push(v), &mut Vec::new());
        for v in values {
            let text = serde_json::to_string(&v).unwrap();
            // A number too large for any integer type.
            out.push(text.replace("-1", "1e999").into_bytes());
            out.push(serde_json::to_string_pretty(&v).unwrap().into_bytes());
        }
        out
    }

    /// Every version of `root` with one value (at any depth) swapped or removed.
    fn swapped(root: &Value, out: &mut dyn FnMut(Value), at: &mut Vec<Value>) {
        fn get<'a>(v: &'a mut Value, at: &[Value]) -> &'a mut Value {
            at.iter().fold(v, |v, k| match k {
                Value::String(k) => &mut v[k.as_str()],
                k => &mut v[k.as_u64().unwrap() as usize],
            })
        }
        let mut here = root.clone();
        let node = get(&mut here, at).clone();
        let replacements = [
            Value::from(5),
            Value::from(-1),
            Value::from(1.5),
            Value::from("s"),
            Value::Null,
            Value::Bool(true),
            Value::Array(vec![]),
            Value::Array(vec![Value::from(1)]),
            serde_json::json!({}),
            serde_json::json!({"a": 1}),
            Value::from(u64::MAX),
        ];
        for r in replacements {
            let mut v = root.clone();
            *get(&mut v, at) = r;
            out(v);
        }
        match node {
            Value::Object(m) => {
                for k in m.keys() {
                    let mut v = root.clone();
                    get(&mut v, at).as_object_mut().unwrap().remove(k);
                    out(v);
                    at.push(Value::from(k.as_str()));
                    swapped(root, out, at);
                    at.pop();
                }
            }
            Value::Array(a) => {
                for i in 0..a.len() {
                    at.push(Value::from(i));
                    swapped(root, out, at);
                    at.pop();
                }
            }
            _ => {}
        }
    }

    fn check<D: DeserializeOwned>(record: &Value, compared: &mut usize, wrong: &mut Vec<String>) {
        for raw in broken(record) {
            if !balanced(&raw) {
                continue;
            }
            if let Some((ours, theirs)) = both::<D>(&raw) {
                *compared += 1;
                if ours != theirs && wrong.len() < 20 {
                    wrong.push(format!(
                        "{}\n  ours {ours:?}, serde_path_to_error {theirs:?}",
                        String::from_utf8_lossy(&raw)
                    ));
                }
            }
        }
    }

    /// The paths named from serde_json's position are the paths
    /// serde_path_to_error names, for every kind of record and every kind
    /// of breakage above (the bundle's records of a sample practice).
    #[test]
    fn paths_are_those_serde_path_to_error_names() {
        let mut c = sample(2, 3);
        c.links[0].signer_priority = Some(2);
        let meta = Meta {
            exported_at: Timestamp(1),
            app_version: "test".into(),
        };
        let bundle: Value = serde_json::from_str(&write(&c, &meta)).unwrap();
        let (mut n, mut wrong) = (0, Vec::new());
        let first = |list: &Value| list[0].clone();
        let cat = &bundle["catalog"];
        check::<TagDto>(&first(&cat["tags"]), &mut n, &mut wrong);
        check::<MemberDto>(&first(&cat["members"]), &mut n, &mut wrong);
        check::<FieldDto>(&first(&cat["fields"]), &mut n, &mut wrong);
        check::<AccountDto>(&first(&bundle["accounts"]), &mut n, &mut wrong);
        check::<ContactDto>(&first(&bundle["contacts"]), &mut n, &mut wrong);
        check::<LinkDto>(&first(&bundle["links"]), &mut n, &mut wrong);
        check::<NoteDto>(&first(&bundle["notes"]), &mut n, &mut wrong);
        check::<HistoryDto>(&first(&bundle["history"]), &mut n, &mut wrong);
        let role = serde_json::json!({"id": "0123456789abcdef0123456789abcdef", "name": "Preparer"});
        check::<RoleDto>(&role, &mut n, &mut wrong);
        let template =
            serde_json::json!({"id": "0123456789abcdef0123456789abcdef", "name": "T", "folders": ["a", "b"]});
        check::<TemplateDto>(&template, &mut n, &mut wrong);
        assert!(n > 10_000, "{n} broken records compared");
        assert!(
            wrong.is_empty(),
            "{} of {n} differ:\n{}",
            wrong.len(),
            wrong.join("\n")
        );
    }
}
