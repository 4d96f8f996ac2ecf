//! Entry point: set the panic hook and mount the app. Nothing else.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(clientbook::ui::App);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("Clientbook runs in the browser: `make serve`, then open http://127.0.0.1:8080");
}
