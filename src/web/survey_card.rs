//! The survey card: a compact, non-blocking dialog in the widget's shadow root that asks one question at a time.
//! Scales and choices are native radio buttons and checkboxes inside a `<fieldset>` whose `<legend>` is the
//! question, so keyboards get arrow keys and screen readers read "4 of 5 stars: good, 4 of 5" for free. Like the
//! rest of the widget it is built with `createElement` and text only. Which question comes next is decided by
//! [`crate::survey::response`]; this module only shows a question and reads back what the visitor chose.

use crate::prelude::*;

use crate::locale::{Key, Texts, FACES as FACE_NAMES, STARS};
use crate::survey::answer::Answer;
use crate::survey::question::{Kind, Question};
use crate::survey::response::Problem;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement, HtmlInputElement, HtmlTextAreaElement};

/// The faces of a `rating` with `style: "faces"`, worst first.
const FACES: [&str; 5] = [
    "\u{1f61e}",
    "\u{1f641}",
    "\u{1f610}",
    "\u{1f642}",
    "\u{1f600}",
];

/// The card's elements that change or are listened to.
pub struct Card {
    /// The card itself (`role=dialog`), hidden while no survey is on screen.
    pub root: HtmlElement,
    /// The form of the question on screen.
    pub form: HtmlElement,
    /// A paragraph before the question (recovery's apology), empty and hidden otherwise.
    lead: HtmlElement,
    legend: Element,
    body: Element,
    status: Element,
    /// Skips an optional question.
    pub skip: HtmlElement,
    /// Next, or Send on the last question.
    pub next: HtmlElement,
    /// The thank-you view.
    done: HtmlElement,
    thanks: HtmlElement,
    /// What the site gives at once after a recovery (a voucher and its copy button, or a link).
    remedy: HtmlElement,
    /// A polite live region outside the card, which says that a survey appeared by itself.
    news: Element,
}

/// Creates a `tag` element with `class` under `parent`.
fn add(doc: &Document, parent: &Element, tag: &str, class: &str) -> Option<Element> {
    let el = doc.create_element(tag).ok()?;
    if !class.is_empty() {
        el.set_class_name(class);
    }
    parent.append_child(&el).ok()?;
    Some(el)
}

/// Sets several attributes, ignoring failures (names are constants).
fn attrs(el: &Element, pairs: &[(&str, &str)]) {
    for (name, value) in pairs {
        let _ = el.set_attribute(name, value);
    }
}

/// `el` as the element type its tag makes it.
fn cast<T: JsCast>(el: Element) -> T {
    el.unchecked_into()
}

impl Card {
    /// Builds the hidden card inside `frame`, the widget's positioned container.
    ///
    /// With `inside`, the card is built into the feedback dialog instead, for the steps of its recovery: part of
    /// that dialog, with no role, close button or label of its own.
    pub fn build(doc: &Document, frame: &Element, texts: &Texts, inside: bool) -> Option<Card> {
        let root = add(
            doc,
            frame,
            "div",
            if inside { "card" } else { "panel card" },
        )?;
        attrs(&root, &[("hidden", "")]);
        if !inside {
            attrs(&root, &[("role", "dialog"), ("aria-labelledby", "sq")]);
            let dismiss = add(doc, &root, "button", "dismiss")?;
            attrs(
                &dismiss,
                &[("type", "button"), ("aria-label", texts.get(Key::Close))],
            );
            dismiss.set_text_content(Some("\u{d7}"));
        }
        let form = add(doc, &root, "form", "")?;
        attrs(&form, &[("novalidate", "")]);
        let lead = add(doc, &form, "p", "lead")?;
        attrs(&lead, &[("hidden", "")]);
        let fieldset = add(doc, &form, "fieldset", "")?;
        let legend = add(doc, &fieldset, "legend", "")?;
        if !inside {
            attrs(&legend, &[("id", "sq")]);
        }
        let body = add(doc, &fieldset, "div", "")?;
        let status = add(doc, &form, "p", "status")?;
        attrs(&status, &[("aria-live", "polite")]);
        let actions = add(doc, &form, "div", "actions")?;
        let skip = add(doc, &actions, "button", "skip")?;
        attrs(&skip, &[("type", "button")]);
        skip.set_text_content(Some(texts.get(Key::Skip)));
        let next = add(doc, &actions, "button", "primary")?;
        attrs(&next, &[("type", "submit")]);
        let done = add(doc, &root, "div", "done")?;
        attrs(&done, &[("hidden", "")]);
        let thanks = add(doc, &done, "p", "")?;
        attrs(&thanks, &[("tabindex", "-1")]);
        let remedy = add(doc, &done, "div", "remedy")?;
        let close = add(doc, &add(doc, &done, "div", "actions")?, "button", "finish")?;
        attrs(&close, &[("type", "button")]);
        close.set_text_content(Some(texts.get(Key::Close)));
        let news = add(doc, frame, "p", "sr")?;
        attrs(&news, &[("aria-live", "polite")]);
        Some(Card {
            news,
            root: cast(root),
            form: cast(form),
            lead: cast(lead),
            legend,
            body,
            status,
            skip: cast(skip),
            next: cast(next),
            done: cast(done),
            thanks: cast(thanks),
            remedy: cast(remedy),
        })
    }

    /// Shows `question` in `locale`, after the paragraph `lead` when there is one; `last` when no question can
    /// follow it, so the button says Send. Focus moves to its first input only with `focus`: the visitor asked
    /// for the survey or is answering it.
    pub fn ask(
        &self,
        doc: &Document,
        (question, lead): (&Question, Option<&str>),
        locale: &str,
        texts: &Texts,
        (last, focus): (bool, bool),
    ) {
        self.lead.set_text_content(lead);
        self.lead.set_hidden(lead.is_none());
        self.remedy.set_text_content(None);
        self.legend
            .set_text_content(Some(question.text.get(locale)));
        self.body.set_text_content(None);
        self.status.set_text_content(None);
        self.skip.set_hidden(question.required);
        self.next
            .set_text_content(Some(texts.get(if last { Key::Send } else { Key::Next })));
        let _ = self.build_controls(doc, question, locale, texts);
        self.form.set_hidden(false);
        self.done.set_hidden(true);
        self.root.set_hidden(false);
        if focus {
            let _ = self.first_input().as_ref().unwrap_or(&self.next).focus();
        }
    }

    /// Tells screen readers, politely, that a survey appeared by itself and how to reach it.
    pub fn announce(&self, text: &str) {
        self.news.set_text_content(Some(text));
    }

    /// Whether focus is inside the card.
    pub fn has_focus(&self) -> bool {
        let active = self.root.get_root_node().dyn_into::<web_sys::ShadowRoot>();
        let active = active.ok().and_then(|root| root.active_element());
        active.is_some_and(|el| self.root.contains(Some(&el)))
    }

    /// The question's first input, which takes focus.
    fn first_input(&self) -> Option<HtmlElement> {
        self.body
            .query_selector("input, textarea")
            .ok()
            .flatten()
            .and_then(|f| f.dyn_into::<HtmlElement>().ok())
    }

    /// The inputs of `question`, all named `a` (the consent box and contact fields by their own names).
    fn build_controls(
        &self,
        doc: &Document,
        question: &Question,
        locale: &str,
        texts: &Texts,
    ) -> Option<()> {
        let body = &self.body;
        let option =
            |parent: &Element, kind: &str, value: &str, text: &str, label: Option<&str>| {
                let wrap = add(doc, parent, "label", "")?;
                let input = add(doc, &wrap, "input", "")?;
                attrs(&input, &[("type", kind), ("name", "a"), ("value", value)]);
                if let Some(label) = label {
                    attrs(&input, &[("aria-label", label)]);
                }
                add(doc, &wrap, "span", "")?.set_text_content(Some(text));
                Some(())
            };
        match &question.kind {
            Kind::Rating { faces } => {
                let scale = add(
                    doc,
                    body,
                    "div",
                    if *faces { "scale faces" } else { "stars" },
                )?;
                let names = if *faces { FACE_NAMES } else { STARS };
                for (i, key) in names.into_iter().enumerate() {
                    let symbol = if *faces {
                        FACES.get(i).copied().unwrap_or("")
                    } else {
                        texts.get(Key::Star)
                    };
                    option(
                        &scale,
                        "radio",
                        DIGITS.get(i + 1)?,
                        symbol,
                        Some(texts.get(key)),
                    )?;
                }
            }
            Kind::Nps => {
                let scale = add(doc, body, "div", "scale nps")?;
                for n in 0..=10 {
                    option(&scale, "radio", DIGITS.get(n)?, DIGITS.get(n)?, None)?;
                }
                let ends = add(doc, body, "p", "ends")?;
                attrs(&ends, &[("aria-hidden", "true")]);
                add(doc, &ends, "span", "")?.set_text_content(Some(texts.get(Key::NpsLow)));
                add(doc, &ends, "span", "")?.set_text_content(Some(texts.get(Key::NpsHigh)));
            }
            Kind::Csat => {
                let scale = add(doc, body, "div", "scale csat")?;
                for (i, key) in [Key::Csat1, Key::Csat2, Key::Csat3, Key::Csat4, Key::Csat5]
                    .into_iter()
                    .enumerate()
                {
                    option(&scale, "radio", DIGITS.get(i + 1)?, texts.get(key), None)?;
                }
            }
            Kind::Single(choices) | Kind::Multi(choices) => {
                let kind = if matches!(question.kind, Kind::Single(_)) {
                    "radio"
                } else {
                    "checkbox"
                };
                let list = add(doc, body, "div", "options")?;
                for (i, choice) in choices.options.iter().enumerate() {
                    option(&list, kind, DIGITS.get(i)?, choice.label.get(locale), None)?;
                }
                if let Some(other) = &choices.other {
                    option(&list, kind, "other", other.get(locale), None)?;
                    let text = add(doc, &list, "input", "other")?;
                    attrs(
                        &text,
                        &[
                            ("type", "text"),
                            ("name", "other"),
                            ("maxlength", "500"),
                            ("aria-label", texts.get(Key::OtherText)),
                        ],
                    );
                }
            }
            Kind::Text { max_length } => {
                let area = add(doc, body, "textarea", "")?;
                let max = crate::json::to_string(max_length);
                attrs(
                    &area,
                    &[
                        ("name", "a"),
                        ("rows", "3"),
                        ("aria-labelledby", "sq"),
                        ("maxlength", &max),
                    ],
                );
            }
            Kind::Contact { email, phone } => {
                let check = add(doc, body, "label", "check")?;
                attrs(
                    &add(doc, &check, "input", "")?,
                    &[("type", "checkbox"), ("name", "consent")],
                );
                add(doc, &check, "span", "")?.set_text_content(Some(texts.get(Key::Consent)));
                let fields = [
                    (*email, Key::Email, "email", "email"),
                    (*phone, Key::Phone, "tel", "tel"),
                ];
                for (asked, key, kind, autocomplete) in fields {
                    if asked {
                        let label = add(doc, body, "label", "field")?;
                        label.set_text_content(Some(texts.get(key)));
                        attrs(
                            &add(doc, &label, "input", "")?,
                            &[
                                ("type", kind),
                                ("name", kind),
                                ("autocomplete", autocomplete),
                                ("maxlength", "254"),
                            ],
                        );
                    }
                }
            }
        }
        Some(())
    }

    /// What the visitor entered for `question`; `None` when nothing was.
    pub fn read(&self, question: &Question) -> Option<Answer> {
        let value = |selector: &str| -> String {
            self.body
                .query_selector(selector)
                .ok()
                .flatten()
                .map(|el| match el.dyn_ref::<HtmlTextAreaElement>() {
                    Some(area) => area.value(),
                    None => el.unchecked_into::<HtmlInputElement>().value(),
                })
                .unwrap_or_default()
        };
        let checked = self.body.query_selector_all("[name=a]:checked").ok()?;
        // Loops rather than iterator chains with `collect`, which cost more wasm.
        let mut chosen: Vec<String> = Vec::new();
        for i in 0..checked.length() {
            if let Some(node) = checked.get(i) {
                chosen.push(node.unchecked_into::<HtmlInputElement>().value());
            }
        }
        match &question.kind {
            Kind::Rating { .. } | Kind::Nps | Kind::Csat => {
                Some(Answer::Score(number(chosen.first()?)? as u8))
            }
            Kind::Single(_) | Kind::Multi(_) => {
                let other = chosen
                    .iter()
                    .any(|v| v == "other")
                    .then(|| value("[name=other]"));
                let mut options: Vec<usize> = Vec::new();
                for v in &chosen {
                    options.extend(number(v));
                }
                (!options.is_empty() || other.is_some())
                    .then_some(Answer::Chosen { options, other })
            }
            Kind::Text { .. } => Some(value("textarea"))
                .filter(|t| !t.trim().is_empty())
                .map(Answer::Text),
            Kind::Contact { .. } => {
                let consent = self
                    .body
                    .query_selector("[name=consent]:checked")
                    .ok()
                    .flatten()
                    .is_some();
                let (email, phone) = (value("[name=email]"), value("[name=tel]"));
                let empty = email.trim().is_empty() && phone.trim().is_empty();
                (consent || !empty).then_some(Answer::Contact {
                    email,
                    phone,
                    consent,
                })
            }
        }
    }

    /// Says why the visitor cannot go on, in the live region, and puts focus back on the question.
    pub fn problem(&self, text: &str) {
        self.status.set_text_content(Some(text));
        if let Some(first) = self.first_input() {
            let _ = first.focus();
        }
    }

    /// Changes the text of the thank-you view, shown or not, without showing it or moving focus: an answer saved
    /// for later has now arrived, perhaps long after the visitor closed the card.
    pub fn amend(&self, text: &str) {
        self.thanks.set_text_content(Some(text));
    }

    /// Says in the card's status line why the answer does not let the visitor go on.
    pub fn tell(&self, problem: Problem, texts: &Texts) {
        self.problem(texts.get(match problem {
            Problem::Required => Key::Required,
            Problem::BadEmail => Key::BadEmail,
            Problem::BadPhone => Key::BadPhone,
        }));
    }

    /// Replaces the question with `text` (thanks, saved or refused) and focuses it.
    pub fn finish(&self, text: &str) {
        self.thanks.set_text_content(Some(text));
        self.form.set_hidden(true);
        self.done.set_hidden(false);
        self.root.set_hidden(false);
        let _ = self.thanks.focus();
    }

    /// Shows what the site gives at once, under the closing words: `text` and, for a voucher, a button labelled
    /// `copy` that copies `code`; for a link, a link to `url` that says `text`.
    pub fn remedy(
        &self,
        doc: &Document,
        text: &str,
        copy: Option<(&str, &str)>,
        url: Option<&str>,
    ) {
        let element = |tag| doc.create_element(tag).ok();
        let shown = match (copy, url) {
            (Some((code, label)), _) => element("p").zip(element("button")).map(|(p, button)| {
                p.set_text_content(Some(text));
                attrs(&button, &[("type", "button"), ("data-code", code)]);
                button.set_class_name("copycode");
                button.set_text_content(Some(label));
                let _ = self.remedy.append_with_node_2(&p, &button);
            }),
            (None, Some(url)) => element("a").map(|a| {
                attrs(
                    &a,
                    &[("href", url), ("target", "_blank"), ("rel", "noopener")],
                );
                a.set_text_content(Some(text));
                let _ = self.remedy.append_child(&a);
            }),
            (None, None) => None,
        };
        self.remedy.set_hidden(shown.is_none());
    }

    /// Disables the Send button while the last answer is on its way.
    pub fn busy(&self, busy: bool) {
        let _ = if busy {
            self.next.set_attribute("disabled", "")
        } else {
            self.next.remove_attribute("disabled")
        };
    }

    /// Hides the card.
    pub fn hide(&self) {
        self.news.set_text_content(None);
        self.root.set_hidden(true);
        self.body.set_text_content(None);
    }

    /// Whether the card is on screen.
    pub fn shown(&self) -> bool {
        !self.root.hidden()
    }
}

/// Option values and NPS labels, so numbers never need formatting code.
const DIGITS: [&str; 11] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"];

/// The number an option value stands for; `None` for "other".
fn number(value: &str) -> Option<usize> {
    if value.is_empty() || value.len() > 2 {
        return None;
    }
    value.bytes().try_fold(0, |n, b| {
        b.is_ascii_digit().then(|| n * 10 + usize::from(b - b'0'))
    })
}
