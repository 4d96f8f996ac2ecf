//! CSV files: the spreadsheets practitioners bring from other programs
//! (Excel, Google Contacts, Outlook, other CRMs), and the lists Clientbook
//! writes for them (`docs/csv-import.md`). Pure: no web crate, no storage.
//!
//! - [`read`] turns the bytes of a file into a [`Table`]: a header row and
//!   the rows under it, each with the row number a spreadsheet shows for it
//!   (the header is row 1). UTF-8 with or without BOM, UTF-16 with BOM
//!   (Excel's "Unicode text"), and otherwise Windows-1252 (Excel's "CSV" on
//!   Windows); comma, semicolon or tab, detected from the header (or from an
//!   Excel `sep=` line); quoted cells with separators, doubled quotes and
//!   line breaks; CRLF or LF. Every problem is collected with its row.
//! - [`write`] makes a file Excel, LibreOffice and Google Sheets open with
//!   accents intact (UTF-8 with BOM, CRLF), and never a formula: a cell that
//!   starts with `= + - @`, a tab or a carriage return (or with `'`) gets a
//!   leading `'`, which [`read`] takes away again.
//! - `guess` maps header names to fields, `plan` turns rows into records to
//!   import, `export` writes the Clients lists.

pub mod export;
pub mod guess;
pub mod plan;

use crate::i18n::{tf, tn, Key};

/// Files larger than this are refused before reading (about 100,000 rows
/// of a typical client list).
pub const MAX_CSV_BYTES: usize = 32 * 1024 * 1024;
/// Most rows read from one file.
pub const MAX_ROWS: usize = 200_000;
/// Most columns read from one file.
pub const MAX_COLUMNS: usize = 1_000;

/// How the bytes of the file were decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    /// Not valid UTF-8: read as Windows-1252 (Western European, Excel's
    /// default "CSV" on Windows).
    Windows1252,
}

/// One row under the header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// The row number a spreadsheet shows (the header is row 1; a cell with
    /// line breaks does not start a new row).
    pub number: usize,
    /// One cell per column of the header.
    pub cells: Vec<String>,
}

/// A whole file: the header and the rows that are not blank.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Row>,
    pub separator: char,
    pub encoding: Encoding,
}

/// Why a file was refused (`src/error.rs` words it). The problems of
/// `Invalid` are already worded, each with its row, in the current
/// language (through the catalogue, `crate::i18n`).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CsvError {
    /// Over [`MAX_CSV_BYTES`]; the file's size.
    #[error("{0} bytes: too large")]
    TooLarge(usize),
    /// No header row.
    #[error("empty")]
    Empty,
    /// An Excel workbook, not a CSV file.
    #[error("a workbook")]
    Workbook,
    /// Binary data, not text.
    #[error("binary")]
    Binary,
    /// More than [`MAX_ROWS`] rows.
    #[error("too many rows")]
    TooManyRows,
    /// More than [`MAX_COLUMNS`] columns.
    #[error("too many columns")]
    TooManyColumns,
    /// The problems, and how many more there were than listed.
    #[error("{} problem(s)", .0.len())]
    Invalid(Vec<String>),
}

impl CsvError {
    /// Every problem, one per line; empty for the whole-file errors.
    pub fn problems(&self) -> &[String] {
        match self {
            Self::Invalid(p) => p,
            _ => &[],
        }
    }
}

/// The first characters that make a spreadsheet run a cell as a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// What [`write`] puts in a file for a value: a leading `'` when the value
/// would start a formula (or starts with `'` itself, so [`unescape`] is
/// exact).
pub fn escape(value: &str) -> String {
    match value.chars().next() {
        Some(c) if FORMULA_STARTS.contains(&c) || c == '\'' => format!("'{value}"),
        _ => value.to_owned(),
    }
}

/// The value of a cell as read: a `'` put before a formula character (by
/// [`write`], or by a person typing in a spreadsheet) is taken away.
pub fn unescape(cell: String) -> String {
    let mut chars = cell.chars();
    if chars.next() == Some('\'') {
        if let Some(c) = chars.next() {
            if FORMULA_STARTS.contains(&c) || c == '\'' {
                return cell[1..].to_owned();
            }
        }
    }
    cell
}

/// Windows-1252 characters for the bytes 0x80..=0x9F (the rest of the
/// upper half is Latin-1). The five unassigned bytes stay as C1 controls,
/// which the importer reports as control characters.
const CP1252_HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}', '\u{90}',
    '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
];

fn decode(bytes: &[u8]) -> Result<(String, Encoding), CsvError> {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(CsvError::Workbook);
    }
    let utf16 = |rest: &[u8], le: bool| -> Result<String, CsvError> {
        let units = rest.chunks(2).map(|c| match (c, le) {
            ([a, b], true) => u16::from_le_bytes([*a, *b]),
            ([a, b], false) => u16::from_be_bytes([*a, *b]),
            _ => 0xFFFD,
        });
        char::decode_utf16(units)
            .map(|r| r.map_err(|_| CsvError::Binary))
            .collect()
    };
    let (text, encoding) = if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        let text = std::str::from_utf8(rest).map_err(|e| {
            let row = 1 + rest[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count();
            CsvError::Invalid(vec![tf(Key::CsvNotUtf8, &[("row", &row.to_string())])])
        })?;
        (text.to_owned(), Encoding::Utf8Bom)
    } else if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        (utf16(rest, true)?, Encoding::Utf16Le)
    } else if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        (utf16(rest, false)?, Encoding::Utf16Be)
    } else {
        match std::str::from_utf8(bytes) {
            Ok(t) => (t.to_owned(), Encoding::Utf8),
            Err(_) => {
                let text = bytes
                    .iter()
                    .map(|&b| match b {
                        0x80..=0x9F => CP1252_HIGH[usize::from(b - 0x80)],
                        _ => char::from(b),
                    })
                    .collect();
                (text, Encoding::Windows1252)
            }
        }
    };
    if text.contains('\0') {
        return Err(CsvError::Binary);
    }
    Ok((text, encoding))
}

/// The separator of a file: an Excel `sep=X` first line (returned with the
/// text after it), else the most frequent of comma, semicolon and tab
/// outside quotes on the header line (comma when there is none).
fn separator(text: &str) -> (char, &str) {
    if let Some(rest) = text.strip_prefix("sep=") {
        let mut chars = rest.chars();
        if let Some(sep) = chars.next() {
            let after = chars.as_str();
            let after = after
                .strip_prefix("\r\n")
                .or_else(|| after.strip_prefix('\n'))
                .or_else(|| after.strip_prefix('\r'));
            if let (Some(after), true) = (after, sep != '"' && sep != '\n' && sep != '\r') {
                return (sep, after);
            }
        }
    }
    let (mut counts, mut quoted) = ([0usize; 3], false);
    for c in text.trim_start_matches(['\r', '\n']).chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' | '\r' if !quoted => break,
            ',' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = [',', ';', '\t']
        .into_iter()
        .zip(counts)
        .fold((',', 0), |best, (c, n)| if n > best.1 { (c, n) } else { best });
    (best.0, text)
}

/// Splits the text into records of raw cells, each with its row number.
/// Problems (an unclosed quote) go to `problems`.
fn records(text: &str, sep: char, problems: &mut Vec<String>) -> Result<Vec<(usize, Vec<String>)>, CsvError> {
    let mut out = Vec::new();
    let mut record: Vec<String> = Vec::new();
    let mut cell = String::new();
    let (mut quoted, mut was_quoted) = (false, false);
    let mut number = 1;
    let mut chars = text.chars().peekable();
    let mut end_record = |record: &mut Vec<String>, cell: &mut String, number: &mut usize| {
        record.push(std::mem::take(cell));
        out.push((*number, std::mem::take(record)));
        *number += 1;
    };
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    cell.push('"');
                } else {
                    quoted = false;
                }
            } else {
                cell.push(c);
            }
            continue;
        }
        if c == sep {
            record.push(std::mem::take(&mut cell));
            was_quoted = false;
            if record.len() > MAX_COLUMNS {
                return Err(CsvError::TooManyColumns);
            }
        } else if c == '\n' || c == '\r' {
            if c == '\r' && chars.peek() == Some(&'\n') {
                chars.next();
            }
            end_record(&mut record, &mut cell, &mut number);
            was_quoted = false;
            if number > MAX_ROWS + 2 {
                return Err(CsvError::TooManyRows);
            }
        } else if c == '"' && cell.is_empty() && !was_quoted {
            quoted = true;
            was_quoted = true;
        } else {
            // Lenient, like spreadsheets: a quote inside an unquoted cell,
            // or text after a closing quote, is kept as it is.
            cell.push(c);
        }
    }
    if quoted {
        problems.push(tf(Key::CsvQuoteNotClosed, &[("row", &number.to_string())]));
    }
    if !record.is_empty() || !cell.is_empty() || quoted {
        end_record(&mut record, &mut cell, &mut number);
    }
    Ok(out)
}

/// Reads a whole CSV file (see the module documentation). Blank rows are
/// skipped; a row with more or fewer cells than the header is a problem
/// (extra cells that are all empty are ignored). Never panics, whatever
/// the bytes.
pub fn read(bytes: &[u8]) -> Result<Table, CsvError> {
    if bytes.len() > MAX_CSV_BYTES {
        return Err(CsvError::TooLarge(bytes.len()));
    }
    let (text, encoding) = decode(bytes)?;
    let (sep, body) = separator(&text);
    let mut problems = Vec::new();
    let mut records = records(body, sep, &mut problems)?.into_iter();
    let headers: Vec<String> = loop {
        match records.next() {
            None => return Err(CsvError::Empty),
            Some((_, cells)) if cells.iter().all(|c| c.trim().is_empty()) => {}
            Some((_, cells)) => break cells.into_iter().map(|c| unescape(c).trim().to_owned()).collect(),
        }
    };
    let width = headers.len();
    let mut rows = Vec::new();
    let mut more = 0usize;
    for (number, mut cells) in records {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if cells.len() > width && cells[width..].iter().all(|c| c.trim().is_empty()) {
            cells.truncate(width);
        }
        if cells.len() != width {
            if problems.len() < super::MAX_PROBLEMS {
                let key = if cells.len() > width {
                    Key::CsvTooManyCells
                } else {
                    Key::CsvTooFewCells
                };
                problems.push(tf(
                    key,
                    &[
                        ("row", &number.to_string()),
                        ("cells", &cells.len().to_string()),
                        ("columns", &width.to_string()),
                    ],
                ));
            } else {
                more += 1;
            }
            continue;
        }
        rows.push(Row {
            number,
            cells: cells.into_iter().map(unescape).collect(),
        });
    }
    if !problems.is_empty() {
        if more > 0 {
            problems.push(tn(Key::BundleMoreProblems, more, &[]));
        }
        return Err(CsvError::Invalid(problems));
    }
    Ok(Table {
        headers,
        rows,
        separator: sep,
        encoding,
    })
}

/// One cell as written: escaped (see [`escape`]) and quoted when it holds a
/// quote, a line break, or any of the separators a reader might detect.
fn cell(value: &str, out: &mut String) {
    let v = escape(value);
    let quote = v.contains(['"', ',', ';', '\t', '\n', '\r'])
        || v.starts_with("sep=")
        || v.starts_with(' ')
        || v.ends_with(' ');
    if quote {
        out.push('"');
        out.push_str(&v.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(&v);
    }
}

/// A CSV file of `rows` (the first is the header): UTF-8 with a BOM,
/// comma-separated, CRLF line ends, formula characters escaped.
pub fn write(rows: &[Vec<String>]) -> String {
    let mut out = String::from('\u{feff}');
    for row in rows {
        for (i, value) in row.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            cell(value, &mut out);
        }
        if row.len() == 1 && row[0].is_empty() {
            // A lone empty cell would be a blank line: quote it.
            out.push_str("\"\"");
        }
        out.push_str("\r\n");
    }
    out
}

/// The spreadsheet name of a column: A, B, ..., Z, AA, AB, ...
pub fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut s = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        s.push(char::from(b'A' + r as u8));
        n = (n - 1) / 26;
    }
    s.iter().rev().collect()
}

#[cfg(test)]
mod tests;
