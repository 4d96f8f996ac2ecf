//! Settings: the practice's tags, team, account roles, custom fields and
//! folder templates.

use leptos::prelude::*;

#[component]
pub fn SettingsPage() -> impl IntoView {
    view! { <h1>"Settings"</h1> }
}
