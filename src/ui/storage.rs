//! The browser's storage manager: whether Clientbook's data is kept
//! persistently (not cleared by the browser to free space) and how much
//! space it uses. Every function answers `None` where the browser does not
//! say (no `navigator.storage`, or the promise failed).

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

fn manager() -> Option<web_sys::StorageManager> {
    let navigator = web_sys::window()?.navigator();
    // Older browsers have no `navigator.storage` at all.
    let storage = js_sys::Reflect::get(&navigator, &"storage".into()).ok()?;
    storage.dyn_into::<web_sys::StorageManager>().ok()
}

async fn boolean(promise: Result<js_sys::Promise, wasm_bindgen::JsValue>) -> Option<bool> {
    JsFuture::from(promise.ok()?).await.ok()?.as_bool()
}

/// Whether the data is already kept persistently.
pub async fn persisted() -> Option<bool> {
    boolean(manager()?.persisted()).await
}

/// Asks the browser to keep the data persistently; the answer. Chromium
/// decides by itself (site engagement, installed app); Firefox asks the
/// person once and remembers.
pub async fn persist() -> Option<bool> {
    boolean(manager()?.persist()).await
}

/// Space used and space available to Clientbook, in bytes (the browser's
/// estimate, including the offline copy of the app).
pub async fn estimate() -> Option<(f64, f64)> {
    let value = JsFuture::from(manager()?.estimate().ok()?).await.ok()?;
    let estimate: web_sys::StorageEstimate = value.unchecked_into();
    Some((estimate.get_usage()?, estimate.get_quota()?))
}
