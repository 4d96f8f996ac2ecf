//! A resumable scan of a bundle's text that finds where each record is,
//! without parsing the records: the part of reading a file that used to be
//! one long parse, split into steps of a few hundred kilobytes.
//!
//! The scan checks the structure of the top two levels (the envelope
//! object; the lists of records in it), keeps every other value as the
//! range of bytes it spans, and refuses nesting deeper than
//! [`MAX_DEPTH`](super::MAX_DEPTH) (brackets inside strings do not count).
//! Brackets must match. Everything inside a kept value (its strings,
//! numbers, UTF-8) is checked later, when the value itself is parsed; a
//! value that is never parsed belongs to a field that is refused anyway.

use super::read::{Expected, Found, ReadError, Syntax};
use super::MAX_DEPTH;
use std::ops::Range;

/// A field's value: a list (the range of each element) or anything else.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Value {
    List(Vec<Range<usize>>),
    Other(Range<usize>),
}

/// One field of the top-level object: its key (with the quotes) and value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Field {
    pub key: Range<usize>,
    pub value: Value,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// Before the top-level value.
    Start,
    /// After `{`: a key or `}`.
    KeyOrEnd,
    /// After `,` in the object: a key.
    Key,
    /// After a key: `:`.
    Colon,
    /// After `:`: a value.
    FieldValue,
    /// After a field's value: `,` or `}`.
    AfterField,
    /// After `[` of a field's list: an element or `]`.
    ElemOrEnd,
    /// After `,` in a list: an element.
    Elem,
    /// After an element: `,` or `]`.
    AfterElem,
    /// After the top-level value: only whitespace.
    End,
}

/// What the value being skipped is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Top,
    Key,
    FieldValue,
    Elem,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    String,
    Scalar,
    Container,
}

/// A value being skipped over (possibly across steps).
#[derive(Clone, Debug)]
struct Skip {
    start: usize,
    role: Role,
    shape: Shape,
    /// Open brackets inside the value.
    open: Vec<u8>,
    /// Brackets open around the value.
    base: usize,
    in_string: bool,
    escaped: bool,
}

/// The scan's state; feed it the same bytes at every [`Scan::step`].
#[derive(Clone, Debug)]
pub(crate) struct Scan {
    pos: usize,
    state: State,
    skip: Option<Skip>,
    key: Range<usize>,
    list: Vec<Range<usize>>,
    /// Whether the top-level value is an object.
    object: bool,
    fields: Vec<Field>,
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// Bytes a number or `true`/`false`/`null` can be made of.
fn is_scalar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'+' | b'.')
}

/// `expected` was not at `pos`: what is there, at which line and column
/// (counted as serde_json counts them).
fn unexpected(bytes: &[u8], pos: usize, expected: Expected) -> ReadError {
    let found = match bytes.get(pos) {
        Some(b) if b.is_ascii_graphic() => Found::Char(*b as char),
        Some(b) => Found::Byte(*b),
        None => Found::EndOfFile,
    };
    let before = &bytes[..pos.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = pos - before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1) + 1;
    ReadError::Syntax(Syntax {
        expected,
        found,
        line,
        column,
    })
}

impl Scan {
    pub(crate) fn new() -> Self {
        Self {
            pos: 0,
            state: State::Start,
            skip: None,
            key: 0..0,
            list: Vec::new(),
            object: false,
            fields: Vec::new(),
        }
    }

    /// How far the scan has come, in bytes.
    pub(crate) fn position(&self) -> usize {
        self.pos
    }

    /// Starts skipping the value that begins at `pos`.
    fn begin(&mut self, bytes: &[u8], role: Role, base: usize, wanted: Expected) -> Result<(), ReadError> {
        let b = bytes[self.pos];
        let shape = match b {
            b'"' => Shape::String,
            b'{' | b'[' => Shape::Container,
            b if is_scalar(b) && role != Role::Key => Shape::Scalar,
            _ => return Err(unexpected(bytes, self.pos, wanted)),
        };
        self.skip = Some(Skip {
            start: self.pos,
            role,
            shape,
            open: Vec::new(),
            base,
            in_string: false,
            escaped: false,
        });
        Ok(())
    }

    /// Advances the skipped value by up to `limit` bytes; `Some(end)` once it ends.
    fn advance(
        skip: &mut Skip,
        bytes: &[u8],
        pos: &mut usize,
        limit: usize,
    ) -> Result<Option<usize>, ReadError> {
        while *pos < limit {
            let b = bytes[*pos];
            match skip.shape {
                Shape::Scalar => {
                    if !is_scalar(b) {
                        return Ok(Some(*pos));
                    }
                    *pos += 1;
                }
                Shape::String => {
                    // The opening quote is at `start`.
                    if *pos == skip.start {
                        *pos += 1;
                        continue;
                    }
                    *pos += 1;
                    if skip.escaped {
                        skip.escaped = false;
                    } else if b == b'\\' {
                        skip.escaped = true;
                    } else if b == b'"' {
                        return Ok(Some(*pos));
                    }
                }
                Shape::Container => {
                    *pos += 1;
                    if skip.in_string {
                        if skip.escaped {
                            skip.escaped = false;
                        } else if b == b'\\' {
                            skip.escaped = true;
                        } else if b == b'"' {
                            skip.in_string = false;
                        }
                        continue;
                    }
                    match b {
                        b'"' => skip.in_string = true,
                        b'{' | b'[' => {
                            skip.open.push(if b == b'{' { b'}' } else { b']' });
                            if skip.base + skip.open.len() > MAX_DEPTH {
                                return Err(ReadError::TooDeep);
                            }
                        }
                        b'}' | b']' => {
                            if skip.open.pop() != Some(b) {
                                return Err(unexpected(bytes, *pos - 1, Expected::MatchingBracket));
                            }
                            if skip.open.is_empty() {
                                return Ok(Some(*pos));
                            }
                        }
                        _ => {}
                    }
                }
            }
        }
        Ok(None)
    }

    /// Scans up to `budget` more bytes. `Ok(true)` once the whole text is
    /// scanned and well-formed at the levels the scan checks.
    pub(crate) fn step(&mut self, bytes: &[u8], budget: usize) -> Result<bool, ReadError> {
        let limit = bytes.len().min(self.pos.saturating_add(budget));
        while self.pos < limit {
            if let Some(skip) = &mut self.skip {
                let Some(end) = Self::advance(skip, bytes, &mut self.pos, limit)? else {
                    continue;
                };
                let (start, role) = (skip.start, skip.role);
                self.skip = None;
                self.finished(start..end, role);
                continue;
            }
            let b = bytes[self.pos];
            if is_space(b) {
                self.pos += 1;
                continue;
            }
            match self.state {
                State::Start => {
                    if b == b'{' {
                        self.object = true;
                        self.state = State::KeyOrEnd;
                        self.pos += 1;
                    } else {
                        self.begin(bytes, Role::Top, 0, Expected::JsonValue)?;
                    }
                }
                State::KeyOrEnd | State::Key => {
                    if b == b'}' && self.state == State::KeyOrEnd {
                        self.state = State::End;
                        self.pos += 1;
                    } else {
                        self.begin(bytes, Role::Key, 1, Expected::FieldName)?;
                    }
                }
                State::Colon => {
                    if b != b':' {
                        return Err(unexpected(bytes, self.pos, Expected::Char(':')));
                    }
                    self.state = State::FieldValue;
                    self.pos += 1;
                }
                State::FieldValue => {
                    if b == b'[' {
                        self.state = State::ElemOrEnd;
                        self.list = Vec::new();
                        self.pos += 1;
                    } else {
                        self.begin(bytes, Role::FieldValue, 1, Expected::Value)?;
                    }
                }
                State::AfterField => {
                    self.state = match b {
                        b',' => State::Key,
                        b'}' => State::End,
                        _ => return Err(unexpected(bytes, self.pos, Expected::EitherChar(',', '}'))),
                    };
                    self.pos += 1;
                }
                State::ElemOrEnd | State::Elem => {
                    if b == b']' && self.state == State::ElemOrEnd {
                        self.end_list();
                        self.pos += 1;
                    } else {
                        self.begin(bytes, Role::Elem, 2, Expected::Value)?;
                    }
                }
                State::AfterElem => {
                    match b {
                        b',' => self.state = State::Elem,
                        b']' => self.end_list(),
                        _ => return Err(unexpected(bytes, self.pos, Expected::EitherChar(',', ']'))),
                    }
                    self.pos += 1;
                }
                State::End => return Err(unexpected(bytes, self.pos, Expected::EndOfFile)),
            }
        }
        if self.pos < bytes.len() {
            return Ok(false);
        }
        // The end of the text: a number may end there; anything else open is cut short.
        if let Some(skip) = self.skip.take() {
            if skip.shape != Shape::Scalar {
                return Err(unexpected(bytes, bytes.len(), Expected::RestOfValue));
            }
            self.finished(skip.start..bytes.len(), skip.role);
        }
        match self.state {
            State::End => Ok(true),
            State::Start => Err(unexpected(bytes, bytes.len(), Expected::JsonValue)),
            _ => Err(unexpected(bytes, bytes.len(), Expected::RestOfObject)),
        }
    }

    fn end_list(&mut self) {
        let list = std::mem::take(&mut self.list);
        self.fields.push(Field {
            key: self.key.clone(),
            value: Value::List(list),
        });
        self.state = State::AfterField;
    }

    fn finished(&mut self, range: Range<usize>, role: Role) {
        match role {
            Role::Top => self.state = State::End,
            Role::Key => {
                self.key = range;
                self.state = State::Colon;
            }
            Role::FieldValue => {
                self.fields.push(Field {
                    key: self.key.clone(),
                    value: Value::Other(range),
                });
                self.state = State::AfterField;
            }
            Role::Elem => {
                self.list.push(range);
                self.state = State::AfterElem;
            }
        }
    }

    /// The fields of the top-level object, or `None` when it is not an object.
    pub(crate) fn into_fields(self) -> Option<Vec<Field>> {
        self.object.then_some(self.fields)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(text: &str, budget: usize) -> Result<Option<Vec<Field>>, ReadError> {
        let mut s = Scan::new();
        while !s.step(text.as_bytes(), budget)? {}
        Ok(s.into_fields())
    }

    fn texts(text: &str, fields: &[Field]) -> Vec<(String, Vec<String>)> {
        fields
            .iter()
            .map(|f| {
                let values = match &f.value {
                    Value::List(items) => items.iter().map(|r| text[r.clone()].to_owned()).collect(),
                    Value::Other(r) => vec![format!("={}", &text[r.clone()])],
                };
                (text[f.key.clone()].to_owned(), values)
            })
            .collect()
    }

    #[test]
    fn finds_every_record_whatever_the_step_size() {
        let text = r#" {"a": [ {"x": "[\"]}"}, 12, "s" ,[1,[2]] ], "b" : {"c": [1]}, "e": [], "n": -1.5e3, "t": true}  "#;
        let want = vec![
            (
                "\"a\"".to_owned(),
                vec![
                    r#"{"x": "[\"]}"}"#.to_owned(),
                    "12".into(),
                    "\"s\"".into(),
                    "[1,[2]]".into(),
                ],
            ),
            ("\"b\"".to_owned(), vec![r#"={"c": [1]}"#.to_owned()]),
            ("\"e\"".to_owned(), vec![]),
            ("\"n\"".to_owned(), vec!["=-1.5e3".to_owned()]),
            ("\"t\"".to_owned(), vec!["=true".to_owned()]),
        ];
        for budget in [1, 2, 3, 7, 1000] {
            let fields = scan(text, budget).unwrap().unwrap();
            assert_eq!(texts(text, &fields), want, "budget {budget}");
        }
    }

    #[test]
    fn refuses_broken_structure_with_a_place() {
        use Expected as E;
        use Found as F;
        for (text, expected, found, line, column) in [
            (r#"{"a": [1, 2}"#, E::EitherChar(',', ']'), F::Char('}'), 1, 12),
            ("{\"a\": 1,\n \"b\" 2}", E::Char(':'), F::Char('2'), 2, 6),
            (r#"{"a": [1, 2]"#, E::RestOfObject, F::EndOfFile, 1, 13),
            (r#"{"a": {"b": [}}"#, E::MatchingBracket, F::Char('}'), 1, 14),
            (r#"{"a": "open"#, E::RestOfValue, F::EndOfFile, 1, 12),
            (r#"{"a": 1} x"#, E::EndOfFile, F::Char('x'), 1, 10),
            (r#"{"a": 1,}"#, E::FieldName, F::Char('}'), 1, 9),
            (r#"{"a": [1,]}"#, E::Value, F::Char(']'), 1, 10),
            (r#"{a: 1}"#, E::FieldName, F::Char('a'), 1, 2),
            ("{\"a\": \u{1}}", E::Value, F::Byte(1), 1, 7),
            ("", E::JsonValue, F::EndOfFile, 1, 1),
        ] {
            let want = ReadError::Syntax(Syntax {
                expected,
                found,
                line,
                column,
            });
            assert_eq!(scan(text, 3), Err(want), "{text}");
        }
    }

    #[test]
    fn refuses_deep_nesting_but_not_brackets_in_strings() {
        let deep = format!("{{\"a\": [{}{}]}}", "[".repeat(20), "]".repeat(20));
        assert_eq!(scan(&deep, 64).unwrap_err(), ReadError::TooDeep);
        assert_eq!(scan(&"[".repeat(100_000), 64).unwrap_err(), ReadError::TooDeep);
        let fine = format!("{{\"a\": [\"{}\"]}}", "[".repeat(100));
        assert!(scan(&fine, 64).is_ok());
    }

    #[test]
    fn other_top_level_values_are_not_objects() {
        assert_eq!(scan("[1, 2]", 4).unwrap(), None);
        assert_eq!(scan(" 5 ", 4).unwrap(), None);
        assert_eq!(scan("\"x\"", 4).unwrap(), None);
    }
}
