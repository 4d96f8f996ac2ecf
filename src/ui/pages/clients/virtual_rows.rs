//! A virtualised table: every row has the same height, the scroll container
//! holds a spacer as tall as all rows, and only the rows in (and just
//! around) the viewport are in the DOM, positioned by their index.
//!
//! The rows are a fixed pool of slots, made once (again only when the pool
//! size changes: another viewport height, or a list shorter than it). The
//! pool always shows consecutive rows; row `i` lives in slot `i % slots`, so
//! while a row stays in the window it keeps its slot and elements, and a
//! slot whose row left the window takes a row that entered: its cells are
//! updated in place (text, attributes), nothing is created. To keep the DOM
//! in row order (Tab order, reading order), the slots that changed ends move
//! to the other end of the body, the fewer of the two possible ways. Events
//! are delegated: one `change` and one `click` listener on the body hand the
//! row index to the list ([`VirtualRows`]'s `on_change` / `on_click`), so
//! rows hold no closures of their own.
//!
//! Accessibility: an ARIA `table` with `aria-rowcount` (all rows, header
//! included) and `aria-rowindex` on each rendered row, so assistive
//! technology knows where a row sits in the whole list. Rows hold ordinary
//! links and checkboxes (Tab reaches them; focusing one scrolls it into
//! view, which renders its neighbours); ArrowUp / ArrowDown move focus to the
//! same kind of control in the previous / next row, scrolling as needed. A
//! slot that takes another row while focus is inside it gives up the focus
//! (as a removed row did), so a key press never acts on a row the user did
//! not choose.

use leptos::html::Div;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Height of one row in pixels (the CSS uses the same value).
pub const ROW_HEIGHT: f64 = 44.0;
/// Rows kept above and below the viewport.
const OVERSCAN: usize = 6;

/// The rows the pool shows: `slots` consecutive rows from `first`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Window {
    first: usize,
    slots: usize,
}

impl Window {
    /// The window for `n` rows, scrolled to `top`, with `height` pixels visible.
    fn new(n: usize, top: f64, height: f64) -> Self {
        let visible = (height.max(0.0) / ROW_HEIGHT).ceil() as usize + 1;
        let slots = (visible + 2 * OVERSCAN).min(n);
        let first = ((top.max(0.0) / ROW_HEIGHT).floor() as usize)
            .saturating_sub(OVERSCAN)
            .min(n - slots);
        Self { first, slots }
    }

    /// The row slot `k` shows (row `i` is in slot `i % slots`).
    fn row(self, k: usize) -> Option<usize> {
        (k < self.slots).then(|| self.first + (k + self.slots - self.first % self.slots) % self.slots)
    }

    /// The slot of the first row, first in the DOM.
    fn head(self) -> usize {
        if self.slots == 0 {
            0
        } else {
            self.first % self.slots
        }
    }
}

/// The row index of the row an event happened in.
fn event_row(ev: &web_sys::Event) -> Option<usize> {
    ev.target()?
        .dyn_into::<web_sys::Element>()
        .ok()?
        .closest("[data-row]")
        .ok()??
        .get_attribute("data-row")?
        .parse()
        .ok()
}

/// Puts the slots' elements in row order again: the DOM order is the slots'
/// order rotated to start at `from`; it becomes the rotation starting at
/// `to`, moving the fewer elements. Returns whether it could.
fn rotate(nodes: &[NodeRef<Div>], from: usize, to: usize) -> bool {
    let p = nodes.len();
    if from == to || p == 0 {
        return true;
    }
    let el = |k: usize| nodes[k % p].get_untracked();
    let Some(parent) = el(from).and_then(|e| e.parent_node()) else {
        return false;
    };
    let down = (to + p - from) % p;
    if down <= p - down {
        // Slots from .. to-1 go after the last one (slot from-1), in order.
        let Some(mut last) = el(from + p - 1) else {
            return false;
        };
        for j in 0..down {
            let Some(e) = el(from + j) else {
                return false;
            };
            if parent.insert_before(&e, last.next_sibling().as_ref()).is_err() {
                return false;
            }
            last = e;
        }
    } else {
        // Slots to .. from-1 go before the first one (slot from), last first.
        let Some(mut first) = el(from) else {
            return false;
        };
        for j in 0..p - down {
            let Some(e) = el(from + p - 1 - j) else {
                return false;
            };
            if parent.insert_before(&e, Some(&first)).is_err() {
                return false;
            }
            first = e;
        }
    }
    true
}

/// A virtualised table. `row` is called once per slot with the row index
/// the slot shows (it changes as the list scrolls) and returns its cells,
/// which should update in place from that signal; `on_change` / `on_click`
/// get the row index and the event of every `change` / `click` inside a row.
#[component]
pub fn VirtualRows<R, V>(
    /// The table's accessible name; also makes its DOM id.
    label: &'static str,
    /// Class that sets the grid columns (`cols-accounts`, ...).
    class: &'static str,
    /// Number of body rows.
    #[prop(into)]
    count: Signal<usize>,
    /// The cells of a slot, given the row it shows.
    row: R,
    /// The scroll container (the caller scrolls it back to the top when its
    /// filters change).
    scroller: NodeRef<Div>,
    /// A `change` event in row `i` (checkboxes).
    #[prop(optional)]
    on_change: Option<Callback<(usize, web_sys::Event)>>,
    /// A `click` event in row `i` (buttons).
    #[prop(optional)]
    on_click: Option<Callback<(usize, web_sys::Event)>>,
    /// The header cells.
    children: Children,
) -> impl IntoView
where
    R: Fn(Signal<Option<usize>>) -> V + Send + Sync + Clone + 'static,
    V: IntoView + 'static,
{
    let id = format!("rows-{}", class.trim_start_matches("cols-"));
    let top = RwSignal::new(0.0_f64);
    let height = RwSignal::new(640.0_f64);
    let measure = move || {
        if let Some(el) = scroller.get_untracked() {
            top.set(f64::from(el.scroll_top()));
            let h = f64::from(el.client_height());
            if h > 0.0 {
                height.set(h);
            }
        }
    };
    // Once mounted, and when the number of rows changes (a short list's
    // container grows with it).
    Effect::new(move |_| {
        count.track();
        if scroller.get().is_some() {
            measure();
        }
    });
    let resize = window_event_listener(leptos::ev::resize, move |_| measure());
    on_cleanup(move || resize.remove());

    let window = Memo::new(move |_| Window::new(count.get(), top.get(), height.get()));
    let slots = Memo::new(move |_| window.get().slots);

    let list_id = id.clone();
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let step: isize = match ev.key().as_str() {
            "ArrowDown" => 1,
            "ArrowUp" => -1,
            _ => return,
        };
        let Some(target) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
        else {
            return;
        };
        let tag = target.tag_name().to_lowercase();
        if tag == "select" || (tag == "input" && target.get_attribute("type").as_deref() != Some("checkbox"))
        {
            return;
        }
        let Some(index) = event_row(&ev) else {
            return;
        };
        let n = count.get_untracked();
        let Some(next) = index.checked_add_signed(step).filter(|&i| i < n) else {
            return;
        };
        ev.prevent_default();
        // Scroll so the next row is in view, and render it now.
        if let Some(el) = scroller.get_untracked() {
            let row_top = next as f64 * ROW_HEIGHT;
            let (t, h) = (f64::from(el.scroll_top()), f64::from(el.client_height()));
            if row_top < t {
                el.set_scroll_top(row_top as i32);
            } else if row_top + ROW_HEIGHT > t + h {
                el.set_scroll_top((row_top + ROW_HEIGHT - h).ceil() as i32);
            }
            measure();
        }
        let row = format!("#{list_id} [data-row=\"{next}\"]");
        let query = if tag == "input" {
            format!("{row} input[type=checkbox]")
        } else {
            format!("{row} a[href], {row} button")
        };
        request_animation_frame(move || {
            if let Some(el) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.query_selector(&query).ok().flatten())
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = el.focus();
            }
        });
    };

    // The pool: made again only when its size changes.
    let pool = move |p: usize| {
        let nodes: Vec<NodeRef<Div>> = (0..p).map(|_| NodeRef::new()).collect();
        // The slot first in the DOM (made in slot order).
        let head = StoredValue::new(0_usize);
        let order = nodes.clone();
        Effect::new(move |_| {
            let w = window.get();
            if w.slots == p && rotate(&order, head.get_value(), w.head()) {
                head.set_value(w.head());
            }
        });
        nodes
            .into_iter()
            .enumerate()
            .map(|(k, node)| {
                let shows = Memo::new(move |_| window.get().row(k));
                // A slot taking another row lets go of the focus.
                Effect::new(move |prev: Option<Option<usize>>| {
                    let now = shows.get();
                    if prev.is_some_and(|p| p != now) {
                        let active = web_sys::window()
                            .and_then(|w| w.document())
                            .and_then(|d| d.active_element());
                        if let (Some(el), Some(active)) = (node.get_untracked(), active) {
                            if el.contains(Some(&active)) {
                                if let Ok(active) = active.dyn_into::<web_sys::HtmlElement>() {
                                    let _ = active.blur();
                                }
                            }
                        }
                    }
                    now
                });
                let cells = row.clone()(shows.into());
                view! {
                    <div
                        node_ref=node
                        role="row"
                        class="vrow"
                        data-row=move || shows.get().map(|i| i.to_string())
                        aria-rowindex=move || shows.get().map(|i| (i + 2).to_string())
                        style:top=move || format!("{}px", shows.get().unwrap_or(0) as f64 * ROW_HEIGHT)
                    >
                        {cells}
                    </div>
                }
            })
            .collect_view()
    };

    view! {
        <div
            id=id
            class=format!("vtable {class}")
            role="table"
            aria-label=label
            aria-rowcount=move || (count.get() + 1).to_string()
        >
            <div role="rowgroup" class="vhead">
                <div role="row" aria-rowindex="1" class="vrow">
                    {children()}
                </div>
            </div>
            <div class="vscroll" node_ref=scroller on:scroll=move |_| measure() on:keydown=on_keydown>
                <div
                    role="rowgroup"
                    class="vbody"
                    style:height=move || format!("{}px", count.get() as f64 * ROW_HEIGHT)
                    on:change=move |ev| {
                        if let (Some(f), Some(i)) = (on_change, event_row(&ev)) {
                            f.run((i, ev));
                        }
                    }
                    on:click=move |ev| {
                        if let (Some(f), Some(i)) = (on_click, event_row(&ev)) {
                            f.run((i, ev.into()));
                        }
                    }
                >
                    <For each=move || [slots.get()] key=|p| *p children=pool />
                </div>
            </div>
        </div>
    }
}
