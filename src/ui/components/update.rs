//! "A new version is ready — reload": shown when a new release of the app
//! has been downloaded by the service worker and waits to take over.
//! `sw-register.js` (plain JavaScript, see ARCHITECTURE.md "Offline") sets
//! `window.clientbookUpdateReady` and fires `clientbook-update-ready`;
//! "Reload" calls its `window.clientbookApplyUpdate()`, which activates the
//! new worker and reloads every tab onto the new version.

use crate::i18n::{t, Key};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

fn window_value(name: &str) -> Option<wasm_bindgen::JsValue> {
    let window = web_sys::window()?;
    js_sys::Reflect::get(&window, &name.into()).ok()
}

fn apply_update() {
    let applied = window_value("clientbookApplyUpdate")
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .is_some_and(|f| f.call0(&wasm_bindgen::JsValue::NULL).is_ok());
    if !applied {
        if let Some(w) = web_sys::window() {
            let _ = w.location().reload();
        }
    }
}

#[component]
pub fn UpdateBanner() -> impl IntoView {
    let ready = RwSignal::new(window_value("clientbookUpdateReady").and_then(|v| v.as_bool()) == Some(true));
    let handle = window_event_listener_untyped("clientbook-update-ready", move |_| ready.set(true));
    on_cleanup(move || handle.remove());
    view! {
        <Show when=move || ready.get()>
            <div class="banner info update-banner" role="status">
                <span>{t(Key::UpdateReady)} " "</span>
                <button type="button" class="btn" on:click=move |_| apply_update()>
                    {t(Key::Reload)}
                </button>
            </div>
        </Show>
    }
}
