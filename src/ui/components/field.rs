//! Form fields with a visible label and their error next to them.

use leptos::prelude::*;

/// A labelled text input. `error` shows under the input and marks it invalid.
#[component]
pub fn TextField(
    /// The input's id (also used to tie the label and the error to it).
    #[prop(into)]
    id: String,
    label: &'static str,
    value: RwSignal<String>,
    #[prop(into, optional)] error: MaybeProp<String>,
    #[prop(optional)] hint: Option<&'static str>,
    /// The input type: text, email, tel.
    #[prop(default = "text")]
    kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] on_blur: Option<Callback<()>>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described = {
        let (error_id, hint_id) = (error_id.clone(), hint_id.clone());
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if error.get().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let (for_id, name) = (id.clone(), id.clone());
    view! {
        <div class="field" class:invalid=move || error.get().is_some()>
            <label for=for_id>{label}</label>
            <input
                id=id
                name=name
                type=kind
                autocomplete=autocomplete
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
                on:blur=move |_| {
                    if let Some(cb) = on_blur {
                        cb.run(());
                    }
                }
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=described
            />
            {hint.map(|h| view! { <p class="hint" id=hint_id>{h}</p> })}
            <p class="error-text" id=error_id role="alert">
                {move || error.get()}
            </p>
        </div>
    }
}

/// A labelled checkbox (a switch, visually).
#[component]
pub fn CheckField(#[prop(into)] id: String, label: &'static str, value: RwSignal<bool>) -> impl IntoView {
    let for_id = id.clone();
    view! {
        <label class="switch" for=for_id>
            <input
                id=id
                type="checkbox"
                prop:checked=move || value.get()
                on:change=move |ev| value.set(event_target_checked(&ev))
            />
            <span>{label}</span>
        </label>
    }
}

/// The inputs of a new contact typed in (names, email, phone and the
/// switches of that email), as the new-account wizard and an account's
/// "Create contact" form both ask for them.
#[derive(Clone, Copy)]
pub struct NewContactInputs {
    pub first: RwSignal<String>,
    pub last: RwSignal<String>,
    pub email: RwSignal<String>,
    pub phone: RwSignal<String>,
    pub login: RwSignal<bool>,
    pub notify: RwSignal<bool>,
    pub sync: RwSignal<bool>,
}

impl NewContactInputs {
    pub fn new() -> Self {
        Self {
            first: RwSignal::new(String::new()),
            last: RwSignal::new(String::new()),
            email: RwSignal::new(String::new()),
            phone: RwSignal::new(String::new()),
            login: RwSignal::new(false),
            notify: RwSignal::new(false),
            sync: RwSignal::new(false),
        }
    }

    /// What is typed, as a draft (no tags, no custom fields).
    pub fn draft(&self) -> crate::domain::NewContactDraft {
        crate::domain::NewContactDraft {
            first_name: self.first.get_untracked(),
            last_name: self.last.get_untracked(),
            email: self.email.get_untracked(),
            phone: self.phone.get_untracked(),
            login: self.login.get_untracked(),
            notify: self.notify.get_untracked(),
            email_sync: self.sync.get_untracked(),
            ..Default::default()
        }
    }

    /// Everything emptied and switched off.
    pub fn clear(&self) {
        for s in [self.first, self.last, self.email, self.phone] {
            s.set(String::new());
        }
        for s in [self.login, self.notify, self.sync] {
            s.set(false);
        }
    }
}

impl Default for NewContactInputs {
    fn default() -> Self {
        Self::new()
    }
}
