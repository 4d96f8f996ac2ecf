//! Loading and error states.

use crate::error::AppError;
use crate::i18n::{t, Key};
use leptos::prelude::*;

#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="muted" role="status">{t(Key::Loading)}</p> }
}

/// An error as one clear sentence.
#[component]
pub fn ErrorBanner(error: AppError) -> impl IntoView {
    view! {
        <div class="banner error" role="alert">
            {error.user_message()}
        </div>
    }
}
