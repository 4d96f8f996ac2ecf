use crate::route::Route;
use leptos::prelude::*;

#[component]
pub fn NotFoundPage(path: String) -> impl IntoView {
    view! {
        <h1>"Page not found"</h1>
        <p>"There is no page at “" {path} "”."</p>
        <p>
            <a href=Route::clients().href()>"Go to Clients"</a>
        </p>
    }
}
