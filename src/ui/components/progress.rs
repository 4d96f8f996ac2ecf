//! Long work on the page (reading a file, importing, undoing): a progress
//! bar with counts, and the helpers that keep the page responsive while
//! the work runs in small steps.
//!
//! Use: hold an `RwSignal<Option<Progress>>`, render `<ProgressBar progress=.. />`,
//! and drive pure, resumable work with [`run_sliced`], which calls one step
//! after another and gives the browser a turn (to paint the bar, to handle
//! input) about every [`SLICE_MS`] milliseconds. Never use these helpers
//! inside an IndexedDB transaction: awaiting a timer there lets the browser
//! commit it half-done (the repository paces its writes itself).

use crate::i18n::{bytes, number, tf, tn, Key};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// How long a slice of work runs before the browser gets a turn.
pub const SLICE_MS: f64 = 30.0;

/// What a progress bar counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// "12,000 of 30,000 records".
    Records,
    /// Rows of a CSV file: "4,000 of 20,000 rows".
    Rows,
    /// Cards of a vCard file: "1,000 of 5,000 cards".
    Cards,
    /// Bytes, shown as sizes: "3.2 MB of 25 MB".
    Bytes,
}

/// How far a long piece of work has come.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Progress {
    /// What is being done ("Checking the records"), from the catalogue.
    pub what: String,
    pub done: usize,
    pub total: usize,
    pub unit: Unit,
}

impl Progress {
    pub fn new(what: impl Into<String>, done: usize, total: usize, unit: Unit) -> Self {
        Self {
            what: what.into(),
            done: done.min(total),
            total,
            unit,
        }
    }

    /// "12,000 of 30,000 records", in the current language.
    pub fn counts(&self) -> String {
        match self.unit {
            Unit::Records => tn(
                Key::ProgressRecords,
                self.total,
                &[("done", &number(self.done as i64))],
            ),
            Unit::Rows => tn(
                Key::ProgressRows,
                self.total,
                &[("done", &number(self.done as i64))],
            ),
            Unit::Cards => tn(
                Key::ProgressCards,
                self.total,
                &[("done", &number(self.done as i64))],
            ),
            Unit::Bytes => tf(
                Key::ProgressOf,
                &[
                    ("done", &bytes(self.done as f64)),
                    ("total", &bytes(self.total as f64)),
                ],
            ),
        }
    }
}

/// A labelled progress bar with counts; nothing while `progress` is `None`.
#[component]
pub fn ProgressBar(#[prop(into)] progress: Signal<Option<Progress>>) -> impl IntoView {
    move || {
        progress.get().map(|p| {
            let counts = p.counts();
            view! {
                <div class="progress">
                    <span class="progress-what">{p.what.clone()}</span>
                    <progress
                        max=p.total.max(1).to_string()
                        value=p.done.to_string()
                        aria-label=p.what.clone()
                        aria-valuetext=counts.clone()
                    ></progress>
                    <span class="progress-counts">{counts}</span>
                </div>
            }
        })
    }
}

/// Milliseconds since the page started (the browser's monotonic clock).
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Resolves in a later task, after the browser has had a turn to paint and
/// handle input. A `MessageChannel` message: measured with 30 ms slices of
/// work, it lets the browser paint once per slice at no cost, where
/// `scheduler.yield()` let it paint only every ~120 ms (its continuations
/// go before rendering), a zero-delay timer cost 7 % more time (and is
/// throttled in a background tab), and `requestAnimationFrame` stops in a
/// background tab.
pub async fn yield_to_browser() {
    let Ok(channel) = web_sys::MessageChannel::new() else {
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            if let Some(w) = web_sys::window() {
                let _ = w.set_timeout_with_callback(&resolve);
            }
        });
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
        return;
    };
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        channel.port1().set_onmessage(Some(&resolve));
        let _ = channel.port2().post_message(&wasm_bindgen::JsValue::UNDEFINED);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    channel.port1().set_onmessage(None);
    channel.port1().close();
}

/// Calls `step` on `work` (one small piece of work; `Ok(true)` once
/// everything is done) until it is done, giving the browser a turn about
/// every [`SLICE_MS`]; `report` runs before each turn and at the end (to
/// update a progress signal).
pub async fn run_sliced<S, E>(
    work: &mut S,
    mut step: impl FnMut(&mut S) -> Result<bool, E>,
    mut report: impl FnMut(&S),
) -> Result<(), E> {
    let mut started = now_ms();
    loop {
        if step(work)? {
            report(work);
            return Ok(());
        }
        if now_ms() - started >= SLICE_MS {
            report(work);
            yield_to_browser().await;
            started = now_ms();
        }
    }
}

/// The slices of a paced check (`plan_paced` and the like): its `pause` is
/// `slices.due().then(|| { show the progress; slices.turn() })`.
pub struct Slices {
    last: std::cell::Cell<f64>,
}

impl Slices {
    /// Slices timed from now.
    pub fn start() -> Self {
        Self {
            last: std::cell::Cell::new(now_ms()),
        }
    }

    /// Whether [`SLICE_MS`] have passed since the last turn.
    pub fn due(&self) -> bool {
        now_ms() - self.last.get() >= SLICE_MS
    }

    /// A turn for the browser; the next slice starts after it.
    pub async fn turn(&self) {
        yield_to_browser().await;
        self.last.set(now_ms());
    }
}

/// Records how long something took as a `performance.measure` entry named
/// `clientbook:<name>`, from `since` (a [`now_ms`] reading) to now, for
/// benchmarks and the browser's performance panel.
pub fn measure(name: &str, since: f64) {
    let Some(perf) = web_sys::window().and_then(|w| w.performance()) else {
        return;
    };
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"start".into(), &since.into());
    let _ = js_sys::Reflect::set(&options, &"end".into(), &perf.now().into());
    if let Ok(f) = js_sys::Reflect::get(&perf, &"measure".into()) {
        if let Some(f) = f.dyn_ref::<js_sys::Function>() {
            let _ = f.call2(&perf, &format!("clientbook:{name}").into(), &options);
        }
    }
}
