//! How long the sidebar search takes per key in wasm (Node's V8), at
//! 100,000 contacts and 50,000 accounts of the demo generator: 50 queries
//! typed key by key, as the benchmark types them. Not a test of behaviour
//! (timings are never assertions; `domain::listing`'s tests check the
//! results), so it is ignored unless asked for:
//!
//! ```sh
//! cargo test --release --target wasm32-unknown-unknown --test search_speed -- --include-ignored
//! ```
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test crate: a panic is a failed test

use clientbook::domain::demo::{generate, DemoSize};
use clientbook::domain::directory::Directory;
use clientbook::domain::listing::SearchIndex;
use clientbook::domain::search::normalize;
use clientbook::domain::Timestamp;
use std::sync::Arc;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{console_log, wasm_bindgen_test};

fn now() -> f64 {
    let performance = js_sys::Reflect::get(&js_sys::global(), &"performance".into()).unwrap();
    let f = js_sys::Reflect::get(&performance, &"now".into())
        .unwrap()
        .dyn_into::<js_sys::Function>()
        .unwrap();
    f.call0(&performance).unwrap().as_f64().unwrap()
}

fn pct(sorted: &[f64], p: usize) -> f64 {
    sorted[(sorted.len() * p).div_ceil(100).max(1) - 1]
}

#[wasm_bindgen_test]
#[ignore]
fn search_speed() {
    let n = 100_000;
    let p = generate(5, DemoSize::for_contacts(n), Timestamp(1_795_305_600_000));
    let dir = Arc::new(Directory::of(&p.accounts, &p.contacts, &p.links));
    let t = now();
    let index = SearchIndex::build(&dir, |_| true, true);
    console_log!("index built in {:.1} ms", now() - t);
    let queries: Vec<String> = (0..50)
        .map(|k| {
            let c = &p.contacts[(k * 7919) % n];
            let (first, last) = (normalize(&c.first_name), normalize(&c.last_name));
            let email = c
                .emails
                .first()
                .map(|e| normalize(e.as_str()))
                .unwrap_or_default();
            let at = email.find('@').unwrap_or(0);
            let chars =
                |s: &str, from: usize, count: usize| s.chars().skip(from).take(count).collect::<String>();
            match k % 5 {
                0 => chars(&last, 0, 5),
                1 => chars(&format!("{first} {last}"), 0, 10),
                2 => {
                    email[email.find('.').map_or(0, |d| d + 1).min(at)..(at + 4).min(email.len())].to_owned()
                }
                3 => email[(at + 1).min(email.len())..(at + 8).min(email.len())].to_owned(),
                _ => chars(&first, 0, 3),
            }
        })
        .collect();
    for prepared in [false, true] {
        if prepared {
            let t = now();
            index.prepare();
            console_log!("pair lists and one-byte answers prepared in {:.1} ms", now() - t);
        }
        let mut times = Vec::new();
        for _ in 0..2 {
            for q in &queries {
                let mut typed = String::new();
                for ch in q.chars() {
                    typed.push(ch);
                    let t = now();
                    let r = index.search(&typed, 8);
                    times.push((now() - t, typed.clone(), r.total_accounts + r.total_contacts));
                }
                index.search("", 8);
            }
        }
        console_log!("prepared: {prepared}");
        let report = |name: &str, keep: &dyn Fn(usize) -> bool| {
            let mut ms: Vec<f64> = times
                .iter()
                .filter(|t| keep(t.1.chars().count()))
                .map(|t| t.0)
                .collect();
            ms.sort_by(f64::total_cmp);
            console_log!(
                "{name}: {} keys: p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms, total {:.0} ms",
                ms.len(),
                pct(&ms, 50),
                pct(&ms, 95),
                pct(&ms, 100),
                ms.iter().sum::<f64>()
            );
        };
        report("every key", &|_| true);
        report("1st key", &|n| n == 1);
        report("2nd key", &|n| n == 2);
        report("3rd and later", &|n| n > 2);
        times.sort_by(|a, b| b.0.total_cmp(&a.0));
        for (t, q, m) in times.iter().take(8) {
            console_log!("{t:.2} ms {q:?} ({m} matches)");
        }
    }
}
