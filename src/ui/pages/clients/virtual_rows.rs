//! A virtualised table: every row has the same height, the scroll container
//! holds a spacer as tall as all rows, and only the rows in (and just
//! around) the viewport are in the DOM, positioned by their index. Scrolling
//! changes which indices are rendered; nothing else re-renders.
//!
//! Accessibility: an ARIA `table` with `aria-rowcount` (all rows, header
//! included) and `aria-rowindex` on each rendered row, so assistive
//! technology knows where a row sits in the whole list. Rows hold ordinary
//! links and checkboxes (Tab reaches them; focusing one scrolls it into
//! view, which renders its neighbours); ArrowUp / ArrowDown move focus to the
//! same kind of control in the previous / next row, scrolling as needed.

use leptos::html::Div;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Height of one row in pixels (the CSS uses the same value).
pub const ROW_HEIGHT: f64 = 44.0;
/// Rows rendered above and below the viewport.
const OVERSCAN: usize = 6;

#[component]
pub fn VirtualRows<R, V>(
    /// The table's accessible name; also makes its DOM id.
    label: &'static str,
    /// Class that sets the grid columns (`cols-accounts`, ...).
    class: &'static str,
    /// Number of body rows.
    #[prop(into)]
    count: Signal<usize>,
    /// The cells of body row `i`.
    row: R,
    /// The scroll container (the caller scrolls it back to the top when its
    /// filters change).
    scroller: NodeRef<Div>,
    /// The header cells.
    children: Children,
) -> impl IntoView
where
    R: Fn(usize) -> V + Send + Sync + Clone + 'static,
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
    Effect::new(move |_| {
        if scroller.get().is_some() {
            measure();
        }
    });
    let resize = window_event_listener(leptos::ev::resize, move |_| measure());
    on_cleanup(move || resize.remove());

    let range = Memo::new(move |_| {
        let n = count.get();
        let (t, h) = (top.get(), height.get());
        let first = ((t / ROW_HEIGHT).floor() as usize)
            .saturating_sub(OVERSCAN)
            .min(n);
        let last = (((t + h) / ROW_HEIGHT).ceil() as usize + OVERSCAN).min(n);
        (first, last)
    });

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
        let Some(index) = target
            .closest("[data-row]")
            .ok()
            .flatten()
            .and_then(|r| r.get_attribute("data-row"))
            .and_then(|r| r.parse::<usize>().ok())
        else {
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
                >
                    <For
                        each=move || {
                            let (a, b) = range.get();
                            a..b
                        }
                        key=|i| *i
                        children=move |i| {
                            view! {
                                <div
                                    role="row"
                                    class="vrow"
                                    data-row=i.to_string()
                                    aria-rowindex=(i + 2).to_string()
                                    style:top=format!("{}px", i as f64 * ROW_HEIGHT)
                                >
                                    {row(i)}
                                </div>
                            }
                        }
                    />
                </div>
            </div>
        </div>
    }
}
