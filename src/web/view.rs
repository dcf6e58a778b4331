//! The widget's DOM: one `<rebound-widget>` host element with an open shadow root holding the feedback button
//! and the dialog. Styles go in as a constructable stylesheet (no CSP `style-src` needed), or as a `<style>` with
//! the page's nonce where constructable stylesheets are missing. Nothing outside the shadow root is styled.

use super::dom::{attrs, child, text_child};
use crate::config::Config;
use crate::locale::Texts;
use js_sys::{Array, Reflect};
use wasm_bindgen::JsValue;
use web_sys::{
    Document, Element, HtmlButtonElement, HtmlElement, HtmlFormElement, HtmlInputElement, HtmlTextAreaElement,
    ShadowRoot, ShadowRootInit, ShadowRootMode,
};

/// The widget's stylesheet, all of it scoped to the shadow root.
const CSS: &str = include_str!("../widget.css");

/// Handles on the elements the widget reads and changes.
pub struct View {
    /// The `<rebound-widget>` element in the page.
    pub host: Element,
    /// Its shadow root.
    pub root: ShadowRoot,
    /// The feedback button.
    pub launcher: HtmlButtonElement,
    /// The dialog.
    pub panel: HtmlElement,
    /// The form inside the dialog.
    pub form: HtmlFormElement,
    /// The message box.
    pub message: HtmlTextAreaElement,
    /// The contact consent checkbox.
    pub consent: HtmlInputElement,
    /// The label around the email field, shown only with consent.
    pub email_row: HtmlElement,
    /// The email field.
    pub email: HtmlInputElement,
    /// Live region for errors, present before it is used so screen readers announce changes.
    pub status: HtmlElement,
    /// The Send button.
    pub send: HtmlButtonElement,
    /// The thank-you view that replaces the form.
    pub done: HtmlElement,
    /// Both close buttons: the form's and the thank-you view's.
    pub closers: [HtmlButtonElement; 2],
}

impl View {
    /// Builds the widget and appends it to `<body>`; `None` if the page has no body or refuses the shadow root.
    pub fn build(doc: &Document, config: &Config, texts: &Texts) -> Option<View> {
        let host = doc.create_element("rebound-widget").ok()?;
        let root = host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open)).ok()?;
        style(doc, &root, config.nonce.as_deref())?;
        let frame: Element = doc.create_element("div").ok()?;
        frame.set_class_name(config.position.name());
        root.append_child(&frame).ok()?;

        let label = config.button_label.as_deref().unwrap_or(texts.button);
        let launcher: HtmlButtonElement = text_child(&frame, "button", "launcher", label)?;
        attrs(&launcher, &[("type", "button"), ("aria-haspopup", "dialog"), ("aria-expanded", "false")]);

        let panel: HtmlElement = child(&frame, "div", "panel")?;
        attrs(&panel, &[("role", "dialog"), ("aria-labelledby", "title")]);
        panel.set_hidden(true);

        let form: HtmlFormElement = child(&panel, "form", "")?;
        form.set_no_validate(true);
        let fieldset: Element = child(&form, "fieldset", "")?;
        let legend: Element = text_child(&fieldset, "legend", "", texts.title)?;
        legend.set_id("title");
        let stars: Element = child(&fieldset, "div", "stars")?;
        for (value, name) in ["1", "2", "3", "4", "5"].iter().zip(texts.ratings) {
            let label: Element = child(&stars, "label", "")?;
            let radio: Element = child(&label, "input", "")?;
            attrs(&radio, &[("type", "radio"), ("name", "rating"), ("value", value), ("aria-label", name)]);
            let star: Element = text_child(&label, "span", "", "\u{2605}")?;
            attrs(&star, &[("aria-hidden", "true")]);
        }

        let row: Element = text_child(&form, "label", "field", texts.message)?;
        let message: HtmlTextAreaElement = child(&row, "textarea", "")?;
        attrs(&message, &[("name", "message"), ("rows", "3"), ("maxlength", "5000")]);

        let row: Element = child(&form, "label", "check")?;
        let consent: HtmlInputElement = child(&row, "input", "")?;
        attrs(&consent, &[("type", "checkbox"), ("name", "consent")]);
        text_child::<Element>(&row, "span", "", texts.consent)?;

        let email_row: HtmlElement = text_child(&form, "label", "field", texts.email)?;
        email_row.set_hidden(true);
        let email: HtmlInputElement = child(&email_row, "input", "")?;
        attrs(&email, &[("type", "email"), ("name", "email"), ("autocomplete", "email"), ("maxlength", "254")]);

        let status: HtmlElement = child(&form, "p", "status")?;
        attrs(&status, &[("aria-live", "polite")]);

        let actions: Element = child(&form, "div", "actions")?;
        let close_form = close_button(&actions, texts)?;
        let send: HtmlButtonElement = text_child(&actions, "button", "primary", texts.send)?;
        attrs(&send, &[("type", "submit")]);

        let done: HtmlElement = child(&panel, "div", "done")?;
        done.set_hidden(true);
        let thanks: Element = text_child(&done, "p", "", texts.thanks)?;
        attrs(&thanks, &[("tabindex", "-1")]);
        let actions: Element = child(&done, "div", "actions")?;
        let close_done = close_button(&actions, texts)?;

        doc.body()?.append_child(&host).ok()?;
        Some(View {
            host,
            root,
            launcher,
            panel,
            form,
            message,
            consent,
            email_row,
            email,
            status,
            send,
            done,
            closers: [close_form, close_done],
        })
    }

    /// The rating the visitor chose, if any.
    pub fn rating(&self) -> Option<u8> {
        let checked = self.root.query_selector("input[name=rating]:checked").ok()??;
        let value = checked.get_attribute("value")?;
        value.bytes().next().map(|b| b.wrapping_sub(b'0'))
    }
}

/// A "Close" button in `parent`.
fn close_button(parent: &Element, texts: &Texts) -> Option<HtmlButtonElement> {
    let button: HtmlButtonElement = text_child(parent, "button", "", texts.close)?;
    attrs(&button, &[("type", "button")]);
    Some(button)
}

/// Puts the stylesheet into `root`: adopted when the browser can, otherwise a `<style>` carrying `nonce`.
fn style(doc: &Document, root: &ShadowRoot, nonce: Option<&str>) -> Option<()> {
    if let Ok(sheet) = web_sys::CssStyleSheet::new() {
        if sheet.replace_sync(CSS).is_ok() {
            let sheets = Array::of1(&sheet);
            if Reflect::set(root, &JsValue::from_str("adoptedStyleSheets"), &sheets).is_ok() {
                return Some(());
            }
        }
    }
    let style = doc.create_element("style").ok()?;
    if let Some(nonce) = nonce {
        attrs(&style, &[("nonce", nonce)]);
    }
    style.set_text_content(Some(CSS));
    root.append_child(&style).ok()?;
    Some(())
}
