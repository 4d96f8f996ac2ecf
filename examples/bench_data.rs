//! Writes the benchmark's data set to stdout: a bundle of N contacts
//! (accounts = N / 2) made by the demo generator (`domain::demo`),
//! deterministic for a given seed. Used by `make bench`
//! (bench/run.mjs), which caches the files under bench/data/:
//!
//! ```sh
//! cargo run --release --example bench_data -- 100000 > bench/data/n100000.json
//! ```
//!
//! Arguments: the number of contacts, then optionally the seed (default 5).

use clientbook::bundle::{self, Contents, Meta};
use clientbook::domain::demo::{generate, DemoSize};
use clientbook::domain::Timestamp;
use std::io::Write;
use std::process::ExitCode;

/// 2026-11-22 00:00 UTC: a fixed "now", so the same arguments give the same bytes.
const NOW: Timestamp = Timestamp(1_795_305_600_000);

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let contacts = args.first().and_then(|a| a.parse::<usize>().ok());
    let seed = args.get(1).map_or(Some(5), |a| a.parse::<u64>().ok());
    let (Some(contacts), Some(seed)) = (contacts, seed) else {
        eprintln!("usage: bench_data <contacts> [seed]");
        return ExitCode::from(2);
    };
    // The app's own demo generator (src/domain/demo.rs), at benchmark size.
    let contents = Contents::from(generate(seed, DemoSize::for_contacts(contacts), NOW));
    let text = bundle::write(
        &contents,
        &Meta {
            exported_at: NOW,
            app_version: env!("CARGO_PKG_VERSION").to_owned(),
        },
    );
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        eprintln!("bench_data: cannot write: {e}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
