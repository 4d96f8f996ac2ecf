//! A tag, shown as a small coloured chip.

use crate::domain::catalog::{Catalog, TAG_COLORS};
use crate::domain::ids::TagId;
use leptos::prelude::*;

/// The chip for one tag; unknown (deleted) tags show nothing.
#[component]
pub fn TagChip(#[prop(into)] name: String, #[prop(into)] color: String) -> impl IntoView {
    let color = if TAG_COLORS.contains(&color.as_str()) {
        color
    } else {
        "grey".to_owned()
    };
    view! { <span class=format!("tag tag-{color}")>{name}</span> }
}

/// Chips for a list of tag ids, in catalog order.
#[component]
pub fn TagList(tags: Vec<TagId>, catalog: Catalog) -> impl IntoView {
    view! {
        <span class="tag-list">
            {catalog
                .tags
                .iter()
                .filter(|t| tags.contains(&t.id))
                .map(|t| view! { <TagChip name=t.name.clone() color=t.color.clone() /> })
                .collect_view()}
        </span>
    }
}
