//! Account and contact photos: chosen from a file, cropped to a centred
//! square and scaled down in the browser, stored locally (nothing is
//! uploaded anywhere).

use crate::domain::history::{self, Change, HistoryEntry};
use crate::domain::validation::{PhotoProblem, Problem};
use crate::domain::{Account, AccountId, Contact, ContactId};
use crate::error::AppError;
use crate::i18n::{t, Key};
use crate::store::StoreError;
use crate::ui::components::ErrorBanner;
use crate::ui::services::{change, failure, now, use_services, BrowserIds};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Side of the stored square photo, in pixels.
const PHOTO_SIDE: u32 = 192;

/// Reads an image file and returns it as a square JPEG `data:` URL.
pub async fn square_photo(file: web_sys::File) -> Result<String, PhotoProblem> {
    let unreadable = |_| PhotoProblem::Unreadable;
    let url = web_sys::Url::create_object_url_with_blob(&file).map_err(unreadable)?;
    let img = web_sys::HtmlImageElement::new().map_err(unreadable)?;
    img.set_src(&url);
    let decoded = JsFuture::from(img.decode()).await;
    let _ = web_sys::Url::revoke_object_url(&url);
    decoded.map_err(unreadable)?;
    let (w, h) = (f64::from(img.natural_width()), f64::from(img.natural_height()));
    if w < 1.0 || h < 1.0 {
        return Err(PhotoProblem::Empty);
    }
    let side = w.min(h);
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or(PhotoProblem::CannotDraw)?;
    let canvas: web_sys::HtmlCanvasElement = document
        .create_element("canvas")
        .map_err(unreadable)?
        .dyn_into()
        .map_err(|_| PhotoProblem::CannotDraw)?;
    canvas.set_width(PHOTO_SIDE);
    canvas.set_height(PHOTO_SIDE);
    let ctx: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into().ok())
        .ok_or(PhotoProblem::CannotDraw)?;
    let target = f64::from(PHOTO_SIDE);
    ctx.draw_image_with_html_image_element_and_sw_and_sh_and_dx_and_dy_and_dw_and_dh(
        &img,
        (w - side) / 2.0,
        (h - side) / 2.0,
        side,
        side,
        0.0,
        0.0,
        target,
        target,
    )
    .map_err(unreadable)?;
    canvas
        .to_data_url_with_type_and_encoder_options("image/jpeg", &0.85.into())
        .map_err(unreadable)
}

type PhotoChange = (Account, Option<String>, Vec<HistoryEntry>);

#[component]
pub fn PhotoControls(account: Account, photo: Option<String>, manage: bool) -> impl IntoView {
    let services = use_services();
    let save = change(|store, (before, photo, log): PhotoChange| async move {
        store.set_photo(&before, photo.as_deref(), &log).await
    });
    let problem = RwSignal::new(None::<PhotoProblem>);
    let account = StoredValue::new(account);
    let stamp = move || {
        account.with_value(|a| {
            history::entries(
                &mut BrowserIds,
                &a.id,
                now(),
                &services.actor(),
                vec![Change::PhotoChanged],
            )
        })
    };
    let chosen = move |ev: leptos::ev::Event| {
        let input: Option<web_sys::HtmlInputElement> = ev.target().and_then(|t| t.dyn_into().ok());
        let Some(file) = input.as_ref().and_then(|i| i.files()).and_then(|f| f.get(0)) else {
            return;
        };
        if let Some(i) = &input {
            i.set_value("");
        }
        // Reading the file happens before (never inside) the write transaction.
        leptos::task::spawn_local(async move {
            match square_photo(file).await {
                Ok(data) => {
                    problem.set(None);
                    save.dispatch_local((account.get_value(), Some(data), stamp()));
                }
                Err(msg) => problem.set(Some(msg)),
            }
        });
    };
    let has_photo = photo.is_some();
    let error: Signal<Option<AppError>> = failure(save);
    view! {
        <div class="photo-controls">
            {move || error.get().map(|e| view! { <ErrorBanner error=e /> })}
            {move || {
                problem
                    .get()
                    .map(|m| view! { <ErrorBanner error=AppError::from(StoreError::rejected("photo", Problem::Photo(m))) /> })
            }}
            <Show when=move || manage>
                <label class="btn" for="photo-file">
                    {if has_photo { t(Key::ChangePhoto) } else { t(Key::UploadPhoto) }}
                </label>
                <input id="photo-file" class="visually-hidden" type="file" accept="image/*" on:change=chosen />
                {has_photo
                    .then(|| {
                        view! {
                            " "
                            <button
                                type="button"
                                class="btn link danger"
                                on:click=move |_| {
                                    save.dispatch_local((account.get_value(), None, stamp()));
                                }
                            >
                                {t(Key::RemovePhoto)}
                            </button>
                        }
                    })}
            </Show>
        </div>
    }
}

type ContactPhotoChange = (ContactId, Option<String>, Vec<HistoryEntry>);

/// Upload, replace or remove a contact's photo; the history of each of the
/// contact's `accounts` says so.
#[component]
pub fn ContactPhotoControls(
    contact: Contact,
    accounts: Vec<AccountId>,
    photo: Option<String>,
    manage: bool,
) -> impl IntoView {
    let services = use_services();
    let save = change(|store, (id, photo, log): ContactPhotoChange| async move {
        store.set_contact_photo(&id, photo.as_deref(), &log).await
    });
    let problem = RwSignal::new(None::<PhotoProblem>);
    let (id, name) = (contact.id.clone(), contact.display_name());
    let id = StoredValue::new(id);
    let accounts = StoredValue::new(accounts);
    let stamp = move |removed: bool| {
        let contact = name.clone();
        let what = if removed {
            Change::ContactPhotoRemoved { contact }
        } else {
            Change::ContactPhotoChanged { contact }
        };
        accounts.with_value(|all| {
            all.iter()
                .flat_map(|a| {
                    history::entries(&mut BrowserIds, a, now(), &services.actor(), vec![what.clone()])
                })
                .collect::<Vec<_>>()
        })
    };
    let stamp = StoredValue::new(stamp);
    let chosen = move |ev: leptos::ev::Event| {
        let input: Option<web_sys::HtmlInputElement> = ev.target().and_then(|t| t.dyn_into().ok());
        let Some(file) = input.as_ref().and_then(|i| i.files()).and_then(|f| f.get(0)) else {
            return;
        };
        if let Some(i) = &input {
            i.set_value("");
        }
        // Reading the file happens before (never inside) the write transaction.
        leptos::task::spawn_local(async move {
            match square_photo(file).await {
                Ok(data) => {
                    problem.set(None);
                    let log = stamp.with_value(|s| s(false));
                    save.dispatch_local((id.get_value(), Some(data), log));
                }
                Err(msg) => problem.set(Some(msg)),
            }
        });
    };
    let has_photo = photo.is_some();
    let error: Signal<Option<AppError>> = failure(save);
    view! {
        <div class="photo-controls">
            {move || error.get().map(|e| view! { <ErrorBanner error=e /> })}
            {move || {
                problem
                    .get()
                    .map(|m| view! { <ErrorBanner error=AppError::from(StoreError::rejected("photo", Problem::Photo(m))) /> })
            }}
            <Show when=move || manage>
                <label class="btn" for="contact-photo-file">
                    {if has_photo { t(Key::ChangePhoto) } else { t(Key::UploadPhoto) }}
                </label>
                <input id="contact-photo-file" class="visually-hidden" type="file" accept="image/*" on:change=chosen />
                {has_photo
                    .then(|| {
                        view! {
                            " "
                            <button
                                type="button"
                                class="btn link danger"
                                on:click=move |_| {
                                    let log = stamp.with_value(|s| s(true));
                                    save.dispatch_local((id.get_value(), None, log));
                                }
                            >
                                {t(Key::RemovePhoto)}
                            </button>
                        }
                    })}
            </Show>
        </div>
    }
}
