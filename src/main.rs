//! Entry point: set the panic hook, load the interface language's texts,
//! and mount the app. Nothing else.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    // A language other than English is a file: load it first, so that the
    // app renders in it from the first frame.
    wasm_bindgen_futures::spawn_local(async {
        clientbook::ui::lang::prepare().await;
        leptos::mount::mount_to_body(clientbook::ui::App);
    });
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("Clientbook runs in the browser: `make serve`, then open http://127.0.0.1:8080");
}
