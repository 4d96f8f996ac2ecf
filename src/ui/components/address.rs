//! The address inputs, shared by the account and contact forms.

use crate::domain::{Address, ValidationErrors};
use crate::i18n::{t, Key};
use crate::ui::components::TextField;
use leptos::prelude::*;

/// The five parts of an address being edited.
#[derive(Clone, Copy)]
pub struct AddressForm {
    street: RwSignal<String>,
    city: RwSignal<String>,
    state: RwSignal<String>,
    postal_code: RwSignal<String>,
    country: RwSignal<String>,
}

impl AddressForm {
    pub fn new(a: &Address) -> Self {
        Self {
            street: RwSignal::new(a.street.clone()),
            city: RwSignal::new(a.city.clone()),
            state: RwSignal::new(a.state.clone()),
            postal_code: RwSignal::new(a.postal_code.clone()),
            country: RwSignal::new(a.country.clone()),
        }
    }

    /// Shows `a` in the inputs.
    pub fn set(&self, a: &Address) {
        self.street.set(a.street.clone());
        self.city.set(a.city.clone());
        self.state.set(a.state.clone());
        self.postal_code.set(a.postal_code.clone());
        self.country.set(a.country.clone());
    }

    /// What is typed now.
    pub fn value(&self) -> Address {
        Address {
            street: self.street.get_untracked(),
            city: self.city.get_untracked(),
            state: self.state.get_untracked(),
            postal_code: self.postal_code.get_untracked(),
            country: self.country.get_untracked(),
        }
    }
}

/// The address fieldset; `prefix` keeps input ids unique, errors are read
/// under `address.<part>`.
#[component]
pub fn AddressFields(
    form: AddressForm,
    errors: RwSignal<ValidationErrors>,
    prefix: &'static str,
) -> impl IntoView {
    let err =
        move |f: &'static str| Signal::derive(move || errors.with(|e| crate::error::field_message(e, f)));
    let id = move |part: &str| format!("{prefix}-{part}");
    view! {
        <fieldset class="group">
            <legend>{t(Key::Address)}</legend>
            <TextField id=id("street") label=t(Key::LabelStreet) value=form.street error=err("address.street") />
            <div class="row">
                <TextField id=id("postal") label=t(Key::LabelPostalCode) value=form.postal_code error=err("address.postal_code") />
                <TextField id=id("city") label=t(Key::LabelCity) value=form.city error=err("address.city") />
            </div>
            <div class="row">
                <TextField id=id("state") label=t(Key::LabelState) value=form.state error=err("address.state") />
                <TextField id=id("country") label=t(Key::LabelCountry) value=form.country error=err("address.country") />
            </div>
        </fieldset>
    }
}
