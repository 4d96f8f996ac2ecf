use crate::i18n::{t, tf, Key};
use crate::route::Route;
use leptos::prelude::*;

#[component]
pub fn NotFoundPage(path: String) -> impl IntoView {
    view! {
        <h1>{t(Key::NotFoundTitle)}</h1>
        <p>{tf(Key::NotFoundText, &[("path", &path)])}</p>
        <p>
            <a href=Route::clients().href()>{t(Key::NotFoundGoClients)}</a>
        </p>
    }
}
