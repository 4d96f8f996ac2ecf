//! Fuzzing the file readers with proptest: whatever the bytes, a reader
//! returns (no panic), in a bounded number of steps (no hang), within a
//! bounded amount of memory.
//!
//! Inputs: arbitrary bytes, and valid files mutated (bytes flipped,
//! truncated, slices repeated or dropped, deep nesting, huge numbers, long
//! strings, stray tokens spliced in).
//!
//! Readers: the bundle reader (driven step by step, as the page does), the
//! CSV reader and the vCard reader. `cargo test` runs 256 cases per
//! reader; `make test` runs 10,000 (`CLIENTBOOK_FUZZ_CASES=10000`, see the
//! Makefile's `test-native`).
//!
//! Adding a reader is one line at the bottom of this file:
//! `fuzz_reader!(name, seeds, |bytes| steps)`, where `seeds` are valid
//! files to mutate and the closure reads `bytes` and returns how many steps
//! it took (1 for a reader that is not split into steps).
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test crate: a panic is a failed test

use clientbook::bundle::{self, fixtures::sample, Meta, Reader};
use clientbook::domain::Timestamp;
use proptest::prelude::*;
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

// ----- memory: the peak of live bytes allocated by this thread -----------

struct Counting;

thread_local! {
    static LIVE: Cell<usize> = const { Cell::new(0) };
    static PEAK: Cell<usize> = const { Cell::new(0) };
}

fn note_alloc(n: usize) {
    let _ = LIVE.try_with(|l| {
        let now = l.get() + n;
        l.set(now);
        let _ = PEAK.try_with(|p| p.set(p.get().max(now)));
    });
}

fn note_free(n: usize) {
    let _ = LIVE.try_with(|l| l.set(l.get().saturating_sub(n)));
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note_alloc(layout.size());
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        note_free(layout.size());
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note_free(layout.size());
        note_alloc(new_size);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// Runs `f` and gives its result and the most memory it had allocated at once.
fn peak_of<R>(f: impl FnOnce() -> R) -> (R, usize) {
    let base = LIVE.with(Cell::get);
    PEAK.with(|p| p.set(base));
    let r = f();
    (r, PEAK.with(Cell::get).saturating_sub(base))
}

// ----- inputs -------------------------------------------------------------

fn cases() -> u32 {
    std::env::var("CLIENTBOOK_FUZZ_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(256)
}

/// A change to a valid file.
#[derive(Clone, Debug)]
enum Mutation {
    Flip { at: usize, to: u8 },
    Truncate { at: usize },
    Drop { at: usize, len: usize },
    Repeat { at: usize, len: usize },
    Splice { at: usize, text: String },
}

fn splice_text() -> impl Strategy<Value = String> {
    prop_oneof![
        (1usize..5_000).prop_map(|n| "[".repeat(n)),
        (1usize..200).prop_map(|n| "{\"a\":".repeat(n)),
        (1usize..500).prop_map(|n| "9".repeat(n)),
        Just("1e999999".to_owned()),
        Just("-0.0e-400".to_owned()),
        Just("18446744073709551616".to_owned()),
        (1usize..50_000).prop_map(|n| format!("\"{}\"", "é".repeat(n))),
        Just("\"\\ud800\"".to_owned()),
        Just("\"\\u0000\"".to_owned()),
        Just("\u{feff}".to_owned()),
        prop::sample::select(vec![
            ",", ":", "]", "}", "\"", "\\", "null", "true", "{}", "[]", "\n"
        ])
        .prop_map(str::to_owned),
        "\\PC{0,30}",
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let at = any::<prop::sample::Index>();
    prop_oneof![
        (at.clone(), any::<u8>()).prop_map(|(i, to)| Mutation::Flip {
            at: i.index(usize::MAX),
            to
        }),
        at.clone().prop_map(|i| Mutation::Truncate {
            at: i.index(usize::MAX)
        }),
        (at.clone(), 1usize..400).prop_map(|(i, len)| Mutation::Drop {
            at: i.index(usize::MAX),
            len
        }),
        (at.clone(), 1usize..2_000).prop_map(|(i, len)| Mutation::Repeat {
            at: i.index(usize::MAX),
            len
        }),
        (at, splice_text()).prop_map(|(i, text)| Mutation::Splice {
            at: i.index(usize::MAX),
            text
        }),
    ]
}

fn apply(mut bytes: Vec<u8>, m: &Mutation) -> Vec<u8> {
    let n = bytes.len().max(1);
    match m {
        Mutation::Flip { at, to } => {
            if let Some(b) = bytes.get_mut(at % n) {
                *b = *to;
            }
        }
        Mutation::Truncate { at } => bytes.truncate(at % n),
        Mutation::Drop { at, len } => {
            let from = at % n;
            let to = (from + len).min(bytes.len());
            if from < to {
                bytes.drain(from..to);
            }
        }
        Mutation::Repeat { at, len } => {
            let from = (at % n).min(bytes.len());
            let to = (from + len).min(bytes.len());
            let copy = bytes[from..to].to_vec();
            bytes.splice(to..to, copy);
        }
        Mutation::Splice { at, text } => {
            let at = (at % n).min(bytes.len());
            bytes.splice(at..at, text.bytes());
        }
    }
    bytes
}

/// A value to put somewhere inside a valid file (it stays valid JSON).
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::{json, Value};
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|n| json!(n)),
        Just(json!(u64::MAX)),
        "\\PC{0,40}".prop_map(Value::String),
        (1usize..50_000).prop_map(|n| Value::String("ش".repeat(n))),
        (1usize..14).prop_map(|n| (0..n).fold(json!(1), |v, _| json!([v]))),
        Just(json!({})),
        Just(json!([])),
        Just(json!("not-an-email")),
        Just(json!("0123456789abcdef0123456789abcdef")),
    ]
}

/// A change that keeps a file valid JSON: replace, drop or copy a value
/// found by walking `path` (indexes into objects and arrays), or add a field.
#[derive(Clone, Debug)]
enum Edit {
    Replace(Vec<prop::sample::Index>, serde_json::Value),
    Remove(Vec<prop::sample::Index>),
    Duplicate(Vec<prop::sample::Index>),
    AddField(Vec<prop::sample::Index>, String, serde_json::Value),
}

fn edit() -> impl Strategy<Value = Edit> {
    let path = prop::collection::vec(any::<prop::sample::Index>(), 0..6);
    prop_oneof![
        (path.clone(), json_value()).prop_map(|(p, v)| Edit::Replace(p, v)),
        path.clone().prop_map(Edit::Remove),
        path.clone().prop_map(Edit::Duplicate),
        (path, "[a-z_]{1,12}", json_value()).prop_map(|(p, k, v)| Edit::AddField(p, k, v)),
    ]
}

/// The container a path leads to, and the index of the chosen child in it.
fn walk<'v>(
    v: &'v mut serde_json::Value,
    path: &[prop::sample::Index],
) -> Option<(&'v mut serde_json::Value, usize)> {
    use serde_json::Value;
    let (first, rest) = path.split_first()?;
    let len = match &*v {
        Value::Array(a) => a.len(),
        Value::Object(o) => o.len(),
        _ => 0,
    };
    if len == 0 {
        return None;
    }
    let i = first.index(len);
    let child_is_container = match &*v {
        Value::Array(a) => matches!(a[i], Value::Array(_) | Value::Object(_)),
        Value::Object(o) => o
            .values()
            .nth(i)
            .is_some_and(|c| matches!(c, Value::Array(_) | Value::Object(_))),
        _ => false,
    };
    if rest.is_empty() || !child_is_container {
        return Some((v, i));
    }
    match v {
        Value::Array(a) => walk(&mut a[i], rest),
        Value::Object(o) => o.values_mut().nth(i).and_then(|c| walk(c, rest)),
        _ => None,
    }
}

fn apply_edit(bytes: Vec<u8>, e: &Edit) -> Vec<u8> {
    use serde_json::Value;
    let Ok(mut v) = serde_json::from_slice::<Value>(&bytes) else {
        return bytes;
    };
    let path = match e {
        Edit::Replace(p, _) | Edit::Remove(p) | Edit::Duplicate(p) | Edit::AddField(p, _, _) => p,
    };
    if let Some((parent, i)) = walk(&mut v, path) {
        match (parent, e) {
            (Value::Array(a), Edit::Replace(_, x)) => a[i] = x.clone(),
            (Value::Array(a), Edit::Remove(_)) => {
                a.remove(i);
            }
            (Value::Array(a), Edit::Duplicate(_)) => {
                let copy = a[i].clone();
                a.insert(i, copy);
            }
            (Value::Array(a), Edit::AddField(_, k, x)) => {
                if let Value::Object(o) = &mut a[i] {
                    o.insert(k.clone(), x.clone());
                }
            }
            (Value::Object(o), Edit::Replace(_, x)) => {
                if let Some(c) = o.values_mut().nth(i) {
                    *c = x.clone();
                }
            }
            (Value::Object(o), Edit::Remove(_)) => {
                if let Some(k) = o.keys().nth(i).cloned() {
                    o.remove(&k);
                }
            }
            (Value::Object(o), Edit::Duplicate(_) | Edit::AddField(..)) => {
                if let Edit::AddField(_, k, x) = e {
                    o.insert(k.clone(), x.clone());
                }
            }
            _ => {}
        }
    }
    serde_json::to_vec(&v).unwrap_or(bytes)
}

/// Arbitrary bytes, or one of `seeds` changed: as bytes (which mostly
/// breaks its syntax) or as JSON (which reaches the checks of records).
fn inputs(seeds: Vec<Vec<u8>>) -> impl Strategy<Value = Vec<u8>> {
    let as_bytes = (
        prop::sample::select(seeds.clone()),
        prop::collection::vec(mutation(), 1..5),
    )
        .prop_map(|(seed, ms)| ms.iter().fold(seed, apply));
    let as_json = (prop::sample::select(seeds), prop::collection::vec(edit(), 1..4))
        .prop_map(|(seed, es)| es.iter().fold(seed, apply_edit));
    prop_oneof![
        1 => prop::collection::vec(any::<u8>(), 0..2_000),
        3 => as_bytes,
        4 => as_json,
    ]
}

// ----- the check ------------------------------------------------------------

/// Reads `bytes` with `read` (which returns the steps it took) and checks
/// the bounds: memory at most 64 bytes per input byte plus 8 MiB, and at
/// most one step per 256 KiB scanned plus one per record, plus a few.
fn check(bytes: &[u8], read: impl FnOnce(&[u8]) -> usize) -> Result<(), TestCaseError> {
    let (steps, peak) = peak_of(|| read(bytes));
    let memory_bound = 64 * bytes.len() + (8 << 20);
    prop_assert!(
        peak <= memory_bound,
        "{} bytes in, {} bytes at the peak",
        bytes.len(),
        peak
    );
    // A record is at least 2 bytes ("{}" or "1,"), so 1 step per byte is far above
    // what a reader that always moves forward needs.
    prop_assert!(
        steps <= bytes.len() + 16,
        "{} steps for {} bytes",
        steps,
        bytes.len()
    );
    Ok(())
}

/// Reads a bundle the way the page does, step by step; the steps taken.
fn read_bundle(bytes: &[u8]) -> usize {
    let Ok(mut reader) = Reader::new(bytes.to_vec()) else {
        return 1;
    };
    let mut steps = 1;
    loop {
        steps += 1;
        match reader.step() {
            Err(_) => return steps,
            Ok(true) => break,
            Ok(false) => {}
        }
        // Far beyond any bound `check` accepts: stop rather than spin.
        if steps > bytes.len() + 100 {
            return steps;
        }
    }
    let _ = reader.finish();
    steps
}

fn bundle_seeds() -> Vec<Vec<u8>> {
    let meta = Meta {
        exported_at: Timestamp(1_795_305_600_000),
        app_version: "0.1.0".into(),
    };
    let mut with_history = sample(3, 7);
    with_history.accounts[1].name = "Ștefănescu & Co 👋🏽 שלום".into();
    vec![
        bundle::write(&sample(1, 1), &meta).into_bytes(),
        bundle::write(&with_history, &meta).into_bytes(),
        bundle::write(&sample(12, 3), &meta).into_bytes(),
        bundle::write(&Default::default(), &meta).into_bytes(),
    ]
}

/// Defines a proptest that fuzzes one reader (see the module documentation).
macro_rules! fuzz_reader {
    ($name:ident, $seeds:expr, $read:expr) => {
        proptest! {
            #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]
            #[test]
            fn $name(input in inputs($seeds)) {
                check(&input, $read)?;
            }
        }
    };
}

fn csv_seeds() -> Vec<Vec<u8>> {
    let rows = vec![
        vec![
            "Account name".to_owned(),
            "First name".into(),
            "Email".into(),
            "Tags".into(),
        ],
        vec![
            "Ștefănescu & Co".into(),
            "Ana".into(),
            "ana@example.ro".into(),
            "VIP; Payroll".into(),
        ],
        vec![
            "Müller \"Mitte\"".into(),
            "Jörg\nLine two".into(),
            "j@example.de".into(),
            "=1+2".into(),
        ],
    ];
    vec![
        include_bytes!("../src/bundle/csv/samples/google.csv").to_vec(),
        include_bytes!("../src/bundle/csv/samples/outlook.csv").to_vec(),
        clientbook::bundle::csv::write(&rows).into_bytes(),
        b"Name;Email\r\nA;a@x.io\r\n\"B;\"\"q\"\"\";b@x.io\r\n".to_vec(),
    ]
}

fn vcard_seeds() -> Vec<Vec<u8>> {
    vec![
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nN:Pop;Ana;;;\r\nFN:Ana Pop\r\nEMAIL;TYPE=WORK:ana@example.ro\r\nTEL:+40 721 000 000\r\nNOTE:first\\, second\r\n  folded\r\nEND:VCARD\r\n".to_vec(),
        "BEGIN:VCARD\nVERSION:4.0\nFN:Zoë Ștefan\nEMAIL;PREF=1:zoe@example.com\nBDAY:19800412\nEND:VCARD\nBEGIN:VCARD\nVERSION:2.1\nN;ENCODING=QUOTED-PRINTABLE:Dupr=E9;Ren=E9\nEND:VCARD\n"
            .as_bytes()
            .to_vec(),
    ]
}

fuzz_reader!(bundle_reader_survives_any_input, bundle_seeds(), read_bundle);
fuzz_reader!(csv_reader_survives_any_input, csv_seeds(), |b: &[u8]| {
    let _ = clientbook::bundle::csv::read(b);
    1
});
fuzz_reader!(vcard_reader_survives_any_input, vcard_seeds(), |b: &[u8]| {
    let _ = clientbook::bundle::vcard::read(b);
    1
});

/// The harness itself: the bounds hold for valid files and catch a reader
/// that uses too much memory.
#[test]
fn the_bounds_hold_for_valid_files_and_catch_a_hungry_reader() {
    for seed in bundle_seeds() {
        assert!(check(&seed, read_bundle).is_ok());
        assert!(bundle::read(&seed).is_ok());
    }
    let hungry = check(b"{}", |b| {
        let v = vec![0u8; 64 * b.len() + (9 << 20)];
        v.len() / (v.len().max(1))
    });
    assert!(hungry.is_err());
}
