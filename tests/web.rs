//! Browser tests of the widget's DOM, run by wasm-bindgen-test in headless Chromium: mounting into one shadow
//! root, opening and closing, the form's own checks, events, and leaving the page as it was on `destroy()`.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;
use web_sys::{Document, HtmlElement, ShadowRoot};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> Document {
    web_sys::window().unwrap().document().unwrap()
}

/// `rebound::start`, waited for: the widget, or `None` when it stays off.
async fn start(script: JsValue, config: JsValue) -> Option<rebound::Widget> {
    use wasm_bindgen::convert::TryFromJsValue;
    let value = wasm_bindgen_futures::JsFuture::from(rebound::start(
        script,
        config,
        None,
        None,
        JsValue::UNDEFINED,
        JsValue::UNDEFINED,
    ))
    .await
    .expect("start never rejects");
    rebound::Widget::try_from_js_value(value).ok()
}

/// Waits for a later task, by which a part the widget asked for (the feedback dialog) has arrived.
async fn next_task() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let window = web_sys::window().unwrap();
        window
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

fn options(json: &str) -> JsValue {
    js_sys::JSON::parse(json).unwrap()
}

fn shadow() -> ShadowRoot {
    document()
        .query_selector("rebound-widget")
        .unwrap()
        .expect("host element")
        .shadow_root()
        .expect("open root")
}

fn find(root: &ShadowRoot, selector: &str) -> HtmlElement {
    root.query_selector(selector)
        .unwrap()
        .expect(selector)
        .dyn_into()
        .unwrap()
}

/// Records the `detail` of every `rebound:<name>` event until dropped.
struct Recorder {
    seen: Rc<RefCell<Vec<(String, JsValue)>>>,
    _listeners: Vec<gloo_events::EventListener>,
}

fn record(names: &[&'static str]) -> Recorder {
    let seen = Rc::new(RefCell::new(Vec::new()));
    let listeners = names
        .iter()
        .map(|&name| {
            let seen = seen.clone();
            gloo_events::EventListener::new(&document(), ["rebound:", name].concat(), move |e| {
                let detail = e.dyn_ref::<web_sys::CustomEvent>().unwrap().detail();
                seen.borrow_mut().push((name.to_string(), detail));
            })
        })
        .collect();
    Recorder {
        seen,
        _listeners: listeners,
    }
}

#[wasm_bindgen_test]
async fn mounts_in_one_shadow_root_and_destroy_leaves_the_page_as_it_was() {
    let body = document().body().unwrap();
    let before = body.inner_html();
    let events = record(&["ready", "open", "close"]);
    let widget = start(
        JsValue::NULL,
        options(r#"{"endpoint":"/collect","buttonLabel":"Tell us","position":"top-left"}"#),
    )
    .await
    .expect("a widget");
    let root = shadow();
    let launcher = find(&root, "button.launcher");
    assert_eq!(launcher.text_content().unwrap(), "Tell us");
    assert!(root.query_selector(".top-left").unwrap().is_some());
    // The dialog is an on-demand part: not there until the visitor asks for it.
    assert!(root.query_selector("[role=dialog]").unwrap().is_none());

    launcher.click();
    next_task().await;
    let panel = find(&root, "[role=dialog]");
    assert!(!panel.hidden());
    assert_eq!(
        launcher.get_attribute("aria-expanded").as_deref(),
        Some("true")
    );
    // Focus moved into the dialog, onto the first rating choice.
    let focused = root.active_element().expect("focus inside the widget");
    assert_eq!(focused.get_attribute("name").as_deref(), Some("rating"));

    widget.close();
    assert!(panel.hidden());
    widget.open();
    assert!(!panel.hidden());

    widget.destroy();
    assert!(document()
        .query_selector("rebound-widget")
        .unwrap()
        .is_none());
    assert_eq!(body.inner_html(), before);
    // Destroyed means inert: nothing happens and nothing throws.
    widget.open();
    launcher.click();

    let seen: Vec<(String, Option<String>)> = events
        .seen
        .borrow()
        .iter()
        .map(|(name, detail)| {
            let trigger = js_sys::Reflect::get(detail, &"trigger".into())
                .ok()
                .and_then(|t| t.as_string());
            (name.clone(), trigger)
        })
        .collect();
    let expected = [
        ("ready", None),
        ("open", Some("button")),
        ("close", None),
        ("open", Some("api")),
    ];
    let expected: Vec<(String, Option<String>)> = expected
        .iter()
        .map(|(n, t)| (n.to_string(), t.map(String::from)))
        .collect();
    assert_eq!(seen, expected);
}

#[wasm_bindgen_test]
async fn without_an_endpoint_nothing_is_added() {
    let missing = start(JsValue::NULL, options(r#"{"site":"x"}"#)).await;
    assert!(missing.is_none());
    let not_http = start(
        JsValue::NULL,
        options(r#"{"endpoint":"javascript:alert(1)"}"#),
    )
    .await;
    assert!(not_http.is_none());
    assert!(document()
        .query_selector("rebound-widget")
        .unwrap()
        .is_none());
}

#[wasm_bindgen_test]
async fn a_second_start_gives_no_second_widget() {
    let first = start(JsValue::NULL, options(r#"{"endpoint":"/a"}"#))
        .await
        .expect("first");
    assert!(start(JsValue::NULL, options(r#"{"endpoint":"/b"}"#))
        .await
        .is_none());
    assert_eq!(
        document()
            .query_selector_all("rebound-widget")
            .unwrap()
            .length(),
        1
    );
    first.destroy();
}

#[wasm_bindgen_test]
async fn send_checks_the_form_before_anything_leaves() {
    let events = record(&["submit"]);
    let widget = start(JsValue::NULL, options(r#"{"endpoint":"/collect"}"#))
        .await
        .expect("widget");
    widget.open();
    next_task().await;
    let root = shadow();
    let status = find(&root, ".status");
    assert_eq!(status.get_attribute("aria-live").as_deref(), Some("polite"));
    let send = find(&root, "button[type=submit]");
    let en = rebound::locale::texts(["en"], Vec::new());

    send.click();
    assert_eq!(
        status.text_content().unwrap(),
        en.get(rebound::locale::Key::Empty)
    );
    assert_eq!(root.active_element().unwrap().tag_name(), "TEXTAREA");

    // Consent reveals the email field; a bad address keeps the answer here.
    let email_row = find(&root, "label:has(input[type=email])");
    assert!(email_row.hidden());
    find(&root, "input[value='2']").click();
    find(&root, "input[name=consent]").click();
    assert!(!email_row.hidden());
    send.click();
    assert_eq!(
        status.text_content().unwrap(),
        en.get(rebound::locale::Key::BadEmail)
    );
    assert!(
        events.seen.borrow().is_empty(),
        "nothing may be submitted before the form is valid"
    );
    widget.destroy();
}

#[wasm_bindgen_test]
async fn the_shadow_root_holds_every_style() {
    let sheets_in_page = document().style_sheets().length();
    let widget = start(JsValue::NULL, options(r#"{"endpoint":"/collect"}"#))
        .await
        .expect("widget");
    let root = shadow();
    let adopted = js_sys::Reflect::get(&root, &"adoptedStyleSheets".into()).unwrap();
    // The button's stylesheet and the card's, which the full widget adds after it.
    assert_eq!(js_sys::Array::from(&adopted).length(), 2);
    assert_eq!(
        document().style_sheets().length(),
        sheets_in_page,
        "no stylesheet reached the page"
    );
    // The widget's rules apply inside: the launcher is fixed to the viewport, so it shifts no layout.
    let style = web_sys::window()
        .unwrap()
        .get_computed_style(&find(&root, ".launcher"))
        .unwrap()
        .unwrap();
    assert_eq!(style.get_property_value("position").unwrap(), "fixed");
    widget.destroy();
}
