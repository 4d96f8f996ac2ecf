//! A tag, shown as a small coloured chip.

use crate::domain::catalog::{Catalog, TAG_COLORS};
use crate::domain::ids::TagId;
use leptos::prelude::*;

/// The class of a tag's chip (`tag tag-<colour>`, grey for an unknown colour).
pub fn chip_class(color: &str) -> String {
    let known = TAG_COLORS.iter().find(|&&c| c == color);
    format!("tag tag-{}", known.copied().unwrap_or("grey"))
}

/// The chip for one tag; unknown (deleted) tags show nothing.
#[component]
pub fn TagChip(#[prop(into)] name: String, #[prop(into)] color: String) -> impl IntoView {
    view! { <span class=chip_class(&color)>{name}</span> }
}

/// The chips of `tags` in catalog order: class and name of each.
pub fn chip_list(tags: &[TagId], catalog: &Catalog) -> Vec<(String, String)> {
    catalog
        .tags
        .iter()
        .filter(|t| tags.contains(&t.id))
        .map(|t| (chip_class(&t.color), t.name.clone()))
        .collect()
}

/// Chips that follow a signal (a recycled list row): the list is made
/// again only when its chips change.
#[component]
pub fn TagChips(#[prop(into)] chips: Signal<Option<Vec<(String, String)>>>) -> impl IntoView {
    view! {
        <span class="tag-list">
            {move || {
                chips
                    .get()
                    .unwrap_or_default()
                    .into_iter()
                    .map(|(class, name)| view! { <span class=class>{name}</span> })
                    .collect::<Vec<_>>()
            }}
        </span>
    }
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
