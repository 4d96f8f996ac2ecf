//! The current route as a signal, kept in step with `location.hash`.

use crate::route::Route;
use leptos::prelude::*;

fn current_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// Provides the route signal; call once in `App`.
pub fn provide_route() -> ReadSignal<Route> {
    let (route, set_route) = signal(Route::parse(&current_hash()));
    let handle = window_event_listener(leptos::ev::hashchange, move |_| {
        set_route.set(Route::parse(&current_hash()))
    });
    on_cleanup(move || handle.remove());
    provide_context(route);
    route
}

pub fn use_route() -> ReadSignal<Route> {
    use_context::<ReadSignal<Route>>().unwrap_or_else(provide_route)
}

/// Goes to `route` (adds a history entry, so Back works).
pub fn navigate(route: &Route) {
    if let Some(w) = web_sys::window() {
        let _ = w.location().set_hash(&route.href());
    }
}
