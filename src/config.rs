//! The widget's options: which keys exist, what each accepts, and the order in which the three places a web team
//! can set them win. Script-tag `data-*` attributes beat `window.ReboundConfig`, which beats the JSON file named by
//! the `config` option. Every wrong key or value becomes one [`ConfigError`], reported on its own console line; the
//! rest of the configuration still applies.

use crate::prelude::*;

use crate::diagnostics::Watch;
use crate::locale::{self, Key};
use crate::value::Value;

/// Where a layer of options came from; error messages name a key the way the web team wrote it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Source {
    /// `data-*` attributes of the script tag, keys in the camelCase `dataset` gives.
    Attribute,
    /// The `window.ReboundConfig` object.
    Global,
    /// The JSON file at the `config` URL.
    File,
}

/// Where on the viewport's edge the feedback button sits.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub enum Position {
    /// Bottom right, the default.
    #[default]
    BottomRight,
    /// Bottom left.
    BottomLeft,
    /// Top right.
    TopRight,
    /// Top left.
    TopLeft,
    /// A vertical tab in the middle of the right edge; the dialog opens beside it.
    SideRight,
    /// A vertical tab in the middle of the left edge.
    SideLeft,
}

/// The names `position` accepts, in the order of [`Position`]'s variants.
const POSITIONS: [(&str, Position); 6] = [
    ("bottom-right", Position::BottomRight),
    ("bottom-left", Position::BottomLeft),
    ("top-right", Position::TopRight),
    ("top-left", Position::TopLeft),
    ("side-right", Position::SideRight),
    ("side-left", Position::SideLeft),
];

impl Position {
    /// The option's spelling, also used as the CSS class that places the button.
    pub fn name(self) -> &'static str {
        POSITIONS[self as usize].0
    }
}

/// The widget's colour scheme.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub enum Theme {
    /// Light: the default, right for the many sites without a dark mode.
    #[default]
    Light,
    /// Dark.
    Dark,
    /// Follows the visitor's system setting (`prefers-color-scheme`).
    Auto,
}

/// The names `theme` accepts.
const THEMES: [(&str, Theme); 3] = [
    ("light", Theme::Light),
    ("dark", Theme::Dark),
    ("auto", Theme::Auto),
];

impl Theme {
    /// The option's spelling, also the value of the widget's own `data-theme` that the stylesheet reads.
    pub fn name(self) -> &'static str {
        THEMES[self as usize].0
    }

    /// The theme to show when the host page's theme attribute (named by `themeAttribute`) has the value `page`:
    /// a value that is, or has among its space-separated words, `dark` or `light` decides (the first of them
    /// wins); anything else, or no attribute, leaves it to this option.
    pub fn with_page(self, page: Option<&str>) -> Theme {
        for word in page.unwrap_or_default().split(' ') {
            match word {
                "dark" => return Theme::Dark,
                "light" => return Theme::Light,
                _ => {}
            }
        }
        self
    }
}

/// Whether the visitor agreed to the widget keeping anything in the browser's storage.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub enum Consent {
    /// Storage may be used: the default for sites without a consent banner.
    #[default]
    Granted,
    /// Not decided yet: answers the visitor sends still go out, but nothing is stored until granted.
    Pending,
    /// Refused: nothing is ever stored.
    Denied,
}

/// The names `consent` accepts.
const CONSENTS: [(&str, Consent); 3] = [
    ("granted", Consent::Granted),
    ("pending", Consent::Pending),
    ("denied", Consent::Denied),
];

/// Complete, valid configuration: what the widget runs with.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// Where answers are posted, as the web team wrote it (the browser layer resolves it against the page).
    pub endpoint: String,
    /// Site id echoed in every payload; `None` means the page's host name.
    pub site: Option<String>,
    /// Preferred language; `None` means the page's and then the browser's.
    pub locale: Option<String>,
    /// Where the feedback button sits.
    pub position: Position,
    /// Whether the site chose the corner: only the default one mirrors in right-to-left languages.
    pub position_chosen: bool,
    /// Colour scheme.
    pub theme: Theme,
    /// An attribute of the page's `<html>` element whose `dark` or `light` value the widget follows live.
    pub theme_attribute: Option<String>,
    /// `buttonLabel` as the site wrote it; the widget reads the button's text from [`Config::strings`], where it is too.
    pub button_label: Option<String>,
    /// CSP nonce for the widget's `<style>` where constructable stylesheets are missing.
    pub nonce: Option<String>,
    /// Storage consent.
    pub consent: Consent,
    /// Treat the browser's Global Privacy Control signal as a refusal of storage.
    pub respect_gpc: bool,
    /// Extra request headers for the endpoint (this makes requests need a CORS preflight).
    pub headers: Vec<(String, String)>,
    /// The survey definitions as given, checked one by one by [`crate::survey::definition::parse_surveys`].
    pub surveys: Value,
    /// The feedback form's recovery as given: `null` for the default, `false` for none, or a plan read by
    /// [`crate::recovery::plan::Plan::for_feedback`].
    pub recovery: Value,
    /// The `followUp` option as given: `null` for the status URL next to the endpoint, `false` for none, or a
    /// URL; the full widget checks it.
    pub follow_up: Value,
    /// The site's own texts, each replacing the built-in one in every language (`buttonLabel` among them).
    pub strings: Vec<(Key, String)>,
    /// Which diagnostics go with every answer.
    pub signals: Watch,
    /// Query parameter names removed from the page URL and referrer; `None` means the default rule.
    pub strip_params: Option<Vec<String>>,
    /// Days an answer may wait in the outbox before it is given up.
    pub expiry_days: u32,
    /// Days between two surveys for one visitor, across all surveys (seen or answered); 0 turns the rule off.
    pub survey_cooldown_days: u32,
    /// The config file the options named (`config`), as written.
    pub config_url: Option<String>,
    /// The `configVersion` option as given (the collector's `config.json` carries it), `null` for none; the
    /// full widget reads it with [`Config::reported_version`] and reports it in every answer.
    pub config_version: Value,
    /// The `reportViews` option as given, `null` for off; the full widget reads it with [`Config::reports_views`].
    pub report_views: Value,
}

impl Config {
    /// The published version of the configuration to report in every answer: a whole number from 1 (a JSON
    /// number: whoever publishes the configuration file writes the key), or `None`; a wrong one is the console
    /// line.
    pub fn reported_version(&self) -> Result<Option<u32>, String> {
        match self.config_version {
            Value::Null => Ok(None),
            Value::Num(n) if n.fract() == 0.0 && (1.0..=999_999_999.0).contains(&n) => {
                Ok(Some(n as u32))
            }
            _ => Err(
                "rebound: option configVersion must be a whole number from 1; it is ignored".into(),
            ),
        }
    }

    /// Whether the surveys report when they were shown and dismissed, to the `views` URL next to the endpoint:
    /// `true` (or `"true"`); a wrong value is the console line, and nothing is reported.
    pub fn reports_views(&self) -> Result<bool, String> {
        match &self.report_views {
            Value::Null => Ok(false),
            Value::Bool(on) => Ok(*on),
            Value::Str(s) if s == "true" || s == "false" => Ok(s == "true"),
            _ => Err("rebound: option reportViews must be true or false; it is ignored".into()),
        }
    }
}

/// `text`, which only a console message uses; the eager core (the `core` feature) says no option's message, only
/// whether there were problems (the full widget then says each), so its build leaves the text out.
const fn said(text: &'static str) -> &'static str {
    if cfg!(feature = "core") {
        ""
    } else {
        text
    }
}

/// Days an answer waits in the outbox by default.
pub const DEFAULT_EXPIRY_DAYS: u32 = 7;

/// Days between two surveys for one visitor by default.
pub const DEFAULT_SURVEY_COOLDOWN_DAYS: u32 = 14;

/// One wrong option; [`ConfigError::message`] is the console line.
#[derive(Clone, Debug, PartialEq)]
pub enum ConfigError {
    /// A key the widget does not know.
    Unknown(String),
    /// A key whose value must be a non-empty string.
    NotText(String, &'static str),
    /// A key whose value must be one of a few names, listed in the message.
    BadChoice(String, &'static str),
    /// A key whose value must be `true` or `false`.
    NotBool(String),
    /// `headers` that is not an object of strings.
    BadHeaders(String),
    /// `strings` that is not an object.
    BadStrings(String),
    /// A key whose value is not what it must be, described in the message ("a list of errors, requests").
    BadValue(String, &'static str),
    /// `config` set inside the config file itself.
    NestedConfig,
    /// A layer that is not an object: which layer, and what it was instead.
    NotObject(Source, &'static str),
    /// No endpoint anywhere: the widget stays off.
    NoEndpoint,
}

/// What the console says when no layer sets an endpoint: the one problem the eager core says itself, since the
/// widget then stays off and the full widget, which says the others, never comes.
pub const NO_ENDPOINT: &str =
    "rebound: endpoint is missing (set data-endpoint on the script tag or \
                               ReboundConfig.endpoint); the widget is off";

impl ConfigError {
    /// The console line for this error, starting with `rebound:`.
    pub fn message(&self) -> String {
        match self {
            ConfigError::Unknown(name) => {
                ["rebound: ", name, " is not a known option; it is ignored"].concat()
            }
            ConfigError::NotText(name, got) => [
                "rebound: ",
                name,
                " must be a non-empty string, got ",
                got,
                "; it is ignored",
            ]
            .concat(),
            ConfigError::BadChoice(name, choices) => {
                ["rebound: ", name, " must be one of ", choices].concat()
            }
            ConfigError::NotBool(name) => {
                ["rebound: ", name, " must be true or false; it is ignored"].concat()
            }
            ConfigError::BadHeaders(name) => [
                "rebound: ",
                name,
                " must be an object of header names and string values; it is ignored",
            ]
            .concat(),
            ConfigError::BadStrings(name) => [
                "rebound: ",
                name,
                " must be an object of texts by name, like {\"button\": \"Help us improve\"}; it is ignored",
            ]
            .concat(),
            ConfigError::BadValue(name, what) => {
                ["rebound: ", name, " must be ", what, "; it is ignored"].concat()
            }
            ConfigError::NestedConfig => {
                "rebound: config cannot be set inside the config file; it is ignored".into()
            }
            ConfigError::NotObject(source, got) => {
                let what = match source {
                    Source::Attribute => "the script tag's data attributes",
                    Source::Global => "ReboundConfig",
                    Source::File => "the config file",
                };
                [
                    "rebound: ",
                    what,
                    " must be an object, got ",
                    got,
                    "; it is ignored",
                ]
                .concat()
            }
            ConfigError::NoEndpoint => NO_ENDPOINT.into(),
        }
    }
}

/// Configuration gathered layer by layer; the first layer to set a key keeps it.
#[derive(Debug, Default)]
pub struct Draft {
    endpoint: Option<String>,
    site: Option<String>,
    locale: Option<String>,
    position: Option<Position>,
    theme: Option<Theme>,
    theme_attribute: Option<String>,
    button_label: Option<String>,
    nonce: Option<String>,
    consent: Option<Consent>,
    respect_gpc: Option<bool>,
    headers: Option<Vec<(String, String)>>,
    surveys: Option<Value>,
    recovery: Option<Value>,
    follow_up: Option<Value>,
    strings: Vec<(Key, String)>,
    config_url: Option<String>,
    signals: Option<Watch>,
    strip_params: Option<Vec<String>>,
    expiry_days: Option<u32>,
    survey_cooldown_days: Option<u32>,
    config_version: Option<Value>,
    report_views: Option<Value>,
}

impl Draft {
    /// Applies one layer, highest precedence first: a key already set by an earlier layer is still checked but
    /// keeps its earlier value. A missing layer (`null`, `undefined`) is fine except for the config file, which
    /// was asked for. Returns the errors found in this layer.
    pub fn apply_layer(&mut self, source: Source, layer: &Value) -> Vec<ConfigError> {
        match layer {
            Value::Map(entries) => self.apply(source, entries),
            Value::Null if source != Source::File => Vec::new(),
            other => vec![ConfigError::NotObject(source, said(other.kind()))],
        }
    }

    /// Applies one layer's entries; see [`Draft::apply_layer`].
    fn apply(&mut self, source: Source, entries: &[(String, Value)]) -> Vec<ConfigError> {
        let mut errors = Vec::new();
        for (key, value) in entries {
            let name = || name_of(source, key);
            // Read whole from the first layer that has them: the survey parser reports what is wrong in the
            // surveys, and the full widget checks the others (`recovery`, `followUp`, and
            // [`Config::reported_version`], [`Config::reports_views`]), so that the eager core stays small.
            let whole = match key.as_str() {
                "surveys" => Some(&mut self.surveys),
                "recovery" => Some(&mut self.recovery),
                "followUp" => Some(&mut self.follow_up),
                "configVersion" => Some(&mut self.config_version),
                "reportViews" => Some(&mut self.report_views),
                _ => None,
            };
            if let Some(slot) = whole {
                slot.get_or_insert_with(|| value.clone());
                continue;
            }
            let slot = match key.as_str() {
                "endpoint" => &mut self.endpoint,
                "site" => &mut self.site,
                "locale" => &mut self.locale,
                "buttonLabel" => &mut self.button_label,
                "nonce" => &mut self.nonce,
                "themeAttribute" => &mut self.theme_attribute,
                "config" if source == Source::File => {
                    errors.push(ConfigError::NestedConfig);
                    continue;
                }
                "config" => &mut self.config_url,
                "position" => {
                    let choice = choose(value, &POSITIONS, &mut errors, || {
                        ConfigError::BadChoice(
                            name(),
                            said(
                                "bottom-right, bottom-left, top-right, top-left, side-right, \
                                 side-left; using bottom-right",
                            ),
                        )
                    });
                    self.position = self.position.or(choice);
                    continue;
                }
                "theme" => {
                    let choice = choose(value, &THEMES, &mut errors, || {
                        ConfigError::BadChoice(name(), said("light, dark, auto; using light"))
                    });
                    self.theme = self.theme.or(choice);
                    continue;
                }
                "consent" => {
                    let choice = choose(value, &CONSENTS, &mut errors, || {
                        ConfigError::BadChoice(
                            name(),
                            said("granted, pending, denied; using pending"),
                        )
                    });
                    // A wrong consent value must not turn storage on: it counts as pending.
                    self.consent = self.consent.or(Some(choice.unwrap_or(Consent::Pending)));
                    continue;
                }
                "respectGpc" => {
                    match value {
                        Value::Bool(b) => self.respect_gpc = self.respect_gpc.or(Some(*b)),
                        Value::Str(s) if s == "true" || s == "false" => {
                            self.respect_gpc = self.respect_gpc.or(Some(s == "true"))
                        }
                        _ => errors.push(ConfigError::NotBool(name())),
                    }
                    continue;
                }
                "headers" => {
                    match value {
                        Value::Map(entries)
                            if entries.iter().all(|(_, v)| v.as_str().is_some()) =>
                        {
                            let pairs = entries
                                .iter()
                                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.into())));
                            self.headers = self.headers.take().or(Some(pairs.collect()));
                        }
                        _ => errors.push(ConfigError::BadHeaders(name())),
                    }
                    continue;
                }
                "strings" => {
                    match value {
                        Value::Map(texts) => {
                            for (text_name, text) in texts {
                                let name = || name_of(source, &["strings.", text_name].concat());
                                match (locale::named(text_name), non_empty(text)) {
                                    (None, _) => errors.push(ConfigError::Unknown(name())),
                                    (Some(key), Ok(text)) => {
                                        if !self.strings.iter().any(|(k, _)| *k == key) {
                                            self.strings.push((key, text));
                                        }
                                    }
                                    (Some(_), Err(got)) => {
                                        errors.push(ConfigError::NotText(name(), got))
                                    }
                                }
                            }
                        }
                        _ => errors.push(ConfigError::BadStrings(name())),
                    }
                    continue;
                }
                "signals" | "stripParams" | "expiryDays" | "surveyCooldownDays" => {
                    if let Err(what) = self.apply_host_option(key, value) {
                        errors.push(ConfigError::BadValue(name(), what));
                    }
                    continue;
                }
                _ => {
                    errors.push(ConfigError::Unknown(name()));
                    continue;
                }
            };
            match non_empty(value) {
                Ok(text) => {
                    slot.get_or_insert(text);
                }
                Err(got) => errors.push(ConfigError::NotText(name(), got)),
            }
        }
        errors
    }

    /// The `config` URL set so far, to fetch before the file layer is applied.
    pub fn config_url(&self) -> Option<&str> {
        self.config_url.as_deref()
    }

    /// The finished configuration, or why the widget must stay off.
    pub fn finish(mut self) -> Result<Config, ConfigError> {
        // `buttonLabel` is the older name of `strings.button`; a `strings.button` anywhere wins.
        if let Some(label) = &self.button_label {
            if !self.strings.iter().any(|(k, _)| *k == Key::Button) {
                self.strings.push((Key::Button, label.clone()));
            }
        }
        Ok(Config {
            endpoint: self.endpoint.ok_or(ConfigError::NoEndpoint)?,
            site: self.site,
            locale: self.locale,
            position: self.position.unwrap_or_default(),
            position_chosen: self.position.is_some(),
            theme: self.theme.unwrap_or_default(),
            theme_attribute: self.theme_attribute,
            button_label: self.button_label,
            nonce: self.nonce,
            consent: self.consent.unwrap_or_default(),
            respect_gpc: self.respect_gpc.unwrap_or(false),
            headers: self.headers.unwrap_or_default(),
            surveys: self.surveys.unwrap_or(Value::Null),
            recovery: self.recovery.unwrap_or(Value::Null),
            follow_up: self.follow_up.unwrap_or(Value::Null),
            strings: self.strings,
            signals: self.signals.unwrap_or_default(),
            strip_params: self.strip_params,
            expiry_days: self.expiry_days.unwrap_or(DEFAULT_EXPIRY_DAYS),
            survey_cooldown_days: self
                .survey_cooldown_days
                .unwrap_or(DEFAULT_SURVEY_COOLDOWN_DAYS),
            config_url: self.config_url,
            config_version: self.config_version.unwrap_or(Value::Null),
            report_views: self.report_views.unwrap_or(Value::Null),
        })
    }

    /// Applies `signals`, `stripParams`, `expiryDays` or `surveyCooldownDays` unless an earlier layer set it; a
    /// wrong value is
    /// reported with what the option must be.
    fn apply_host_option(&mut self, key: &str, value: &Value) -> Result<(), &'static str> {
        match key {
            "signals" => {
                const SIGNALS: &str = said("a list of errors, requests");
                let names = names(value).ok_or(SIGNALS)?;
                let watch = Watch::parse(names.iter().map(String::as_str)).map_err(|_| SIGNALS)?;
                self.signals = self.signals.or(Some(watch));
            }
            "stripParams" => {
                let names = names(value).ok_or(said("a list of query parameter names"))?;
                self.strip_params = self.strip_params.take().or(Some(names));
            }
            "expiryDays" => {
                let days =
                    whole_days(value, 1).ok_or(said("a whole number of days from 1 to 365"))?;
                self.expiry_days = self.expiry_days.or(Some(days));
            }
            _ => {
                let days =
                    whole_days(value, 0).ok_or(said("a whole number of days from 0 to 365"))?;
                self.survey_cooldown_days = self.survey_cooldown_days.or(Some(days));
            }
        }
        Ok(())
    }
}

/// A whole number of days from `min` to 365, as a number or a string of digits (a `data-*` attribute).
fn whole_days(value: &Value, min: u32) -> Option<u32> {
    match value {
        Value::Num(n) => Some(*n),
        // Digits only, read by hand: a float parser would cost kilobytes of wasm.
        Value::Str(s) if (1..=3).contains(&s.trim().len()) => {
            s.trim().bytes().try_fold(0.0, |n, b| {
                b.is_ascii_digit().then(|| n * 10.0 + f64::from(b - b'0'))
            })
        }
        _ => None,
    }
    .filter(|d| d.fract() == 0.0 && (f64::from(min)..=365.0).contains(d))
    .map(|d| d as u32)
}

/// The names a list option holds: a list of strings, or one string of names separated by spaces (as a `data-*`
/// attribute gives it).
fn names(value: &Value) -> Option<Vec<String>> {
    let mut names = Vec::new();
    match value {
        Value::Str(s) => names.extend(s.split_ascii_whitespace().map(String::from)),
        Value::List(items) => {
            for item in items {
                names.push(item.as_str()?.into());
            }
        }
        _ => return None,
    }
    Some(names)
}

/// A text option's value, trimmed, or what it was instead of a non-empty string.
fn non_empty(value: &Value) -> Result<String, &'static str> {
    match value {
        Value::Str(s) if !s.trim().is_empty() => Ok(s.trim().into()),
        Value::Str(_) => Err(said("an empty string")),
        other => Err(said(other.kind())),
    }
}

/// The option among `choices` that `value` names; otherwise records `error()` and returns `None`.
fn choose<T: Copy>(
    value: &Value,
    choices: &[(&str, T)],
    errors: &mut Vec<ConfigError>,
    error: impl FnOnce() -> ConfigError,
) -> Option<T> {
    let found = value
        .as_str()
        .and_then(|s| choices.iter().find(|(n, _)| *n == s))
        .map(|&(_, c)| c);
    if found.is_none() {
        errors.push(error());
    }
    found
}

/// A key as the web team wrote it: `data-button-label`, `ReboundConfig.buttonLabel`, `buttonLabel in the config file`.
fn name_of(source: Source, key: &str) -> String {
    if cfg!(feature = "core") {
        return String::new();
    }
    match source {
        Source::Attribute => {
            let mut name = String::from("data-");
            for c in key.chars() {
                if c.is_ascii_uppercase() {
                    name.push('-');
                }
                name.push(c.to_ascii_lowercase());
            }
            name
        }
        Source::Global => ["ReboundConfig.", key].concat(),
        Source::File => [key, " in the config file"].concat(),
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn s(v: &str) -> Value {
        Value::Str(v.into())
    }

    fn entries(pairs: &[(&str, Value)]) -> Vec<(String, Value)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).into(), v.clone()))
            .collect()
    }

    #[test]
    fn surveys_are_kept_whole_from_the_first_layer_that_has_them() {
        let mut d = Draft::default();
        let inline = Value::List(vec![s("inline")]);
        let file = Value::List(vec![s("file")]);
        let global = entries(&[("endpoint", s("/e")), ("surveys", inline.clone())]);
        assert_eq!(d.apply(Source::Global, &global), []);
        assert_eq!(d.apply(Source::File, &entries(&[("surveys", file)])), []);
        assert_eq!(d.finish().unwrap().surveys, inline);
    }

    #[test]
    fn attributes_alone_make_a_config() {
        let mut d = Draft::default();
        let errors = d.apply(
            Source::Attribute,
            &entries(&[
                ("endpoint", s("/api/feedback")),
                ("site", s("shop")),
                ("position", s("top-left")),
                ("buttonLabel", s(" Tell us ")),
                ("locale", s("de-AT")),
                ("nonce", s("abc")),
            ]),
        );
        assert_eq!(errors, vec![]);
        let c = d.finish().unwrap();
        assert_eq!(c.endpoint, "/api/feedback");
        assert_eq!(c.site.as_deref(), Some("shop"));
        assert_eq!(c.position, Position::TopLeft);
        assert_eq!(c.button_label.as_deref(), Some("Tell us"));
        assert_eq!(c.locale.as_deref(), Some("de-AT"));
        assert_eq!(c.nonce.as_deref(), Some("abc"));
    }

    #[test]
    fn earlier_layers_win_and_later_layers_fill_gaps() {
        let mut d = Draft::default();
        d.apply(
            Source::Attribute,
            &entries(&[("endpoint", s("/a")), ("config", s("/c.json"))]),
        );
        d.apply(
            Source::Global,
            &entries(&[("endpoint", s("/b")), ("site", s("g"))]),
        );
        assert_eq!(d.config_url(), Some("/c.json"));
        let file = Value::Map(entries(&[("site", s("f")), ("position", s("bottom-left"))]));
        assert_eq!(d.apply_layer(Source::File, &file), vec![]);
        let c = d.finish().unwrap();
        assert_eq!(c.endpoint, "/a");
        assert_eq!(c.site.as_deref(), Some("g"));
        assert_eq!(c.position, Position::BottomLeft);
    }

    #[test]
    fn unknown_keys_and_wrong_types_name_the_key_as_written() {
        let mut d = Draft::default();
        let errors = d.apply(
            Source::Attribute,
            &entries(&[
                ("endpoint", s("/a")),
                ("buttonColour", s("red")),
                ("position", s("middle")),
            ]),
        );
        assert_eq!(
            errors.iter().map(ConfigError::message).collect::<Vec<_>>(),
            vec![
                "rebound: data-button-colour is not a known option; it is ignored",
                "rebound: data-position must be one of bottom-right, bottom-left, top-right, top-left, side-right, \
                 side-left; using bottom-right",
            ]
        );
        let errors = d.apply(
            Source::Global,
            &entries(&[("site", Value::Num(3.0)), ("locale", s("  "))]),
        );
        assert_eq!(
            errors.iter().map(ConfigError::message).collect::<Vec<_>>(),
            vec![
                "rebound: ReboundConfig.site must be a non-empty string, got a number; it is ignored",
                "rebound: ReboundConfig.locale must be a non-empty string, got an empty string; it is ignored",
            ]
        );
        // The wrong values were not taken: the defaults stand.
        let c = d.finish().unwrap();
        assert_eq!(
            (c.site, c.locale, c.position),
            (None, None, Position::BottomRight)
        );
    }

    #[test]
    fn a_wrong_value_in_a_higher_layer_leaves_room_for_a_lower_one() {
        let mut d = Draft::default();
        d.apply(Source::Global, &entries(&[("endpoint", Value::Bool(true))]));
        d.apply_layer(
            Source::File,
            &Value::Map(entries(&[("endpoint", s("/from-file"))])),
        );
        assert_eq!(d.finish().unwrap().endpoint, "/from-file");
    }

    #[test]
    fn the_file_layer_cannot_chain_or_be_a_list() {
        let mut d = Draft::default();
        let errors = d.apply_layer(
            Source::File,
            &Value::Map(entries(&[("config", s("/other.json"))])),
        );
        assert_eq!(errors, vec![ConfigError::NestedConfig]);
        assert_eq!(d.config_url(), None);
        let errors = d.apply_layer(Source::File, &Value::List(vec![]));
        assert_eq!(
            errors[0].message(),
            "rebound: the config file must be an object, got a list; it is ignored"
        );
        assert_eq!(
            d.apply_layer(Source::File, &Value::Null),
            vec![ConfigError::NotObject(Source::File, "null")]
        );
        assert_eq!(d.apply_layer(Source::Global, &Value::Null), vec![]);
        let errors = d.apply_layer(Source::Global, &Value::Str("x".into()));
        assert_eq!(
            errors[0].message(),
            "rebound: ReboundConfig must be an object, got a string; it is ignored"
        );
        let errors = d.apply(Source::File, &entries(&[("sites", s("x"))]));
        assert_eq!(
            errors[0].message(),
            "rebound: sites in the config file is not a known option; it is ignored"
        );
    }

    #[test]
    fn no_endpoint_turns_the_widget_off() {
        let mut d = Draft::default();
        d.apply(
            Source::Global,
            &entries(&[("site", s("x")), ("endpoint", Value::Other)]),
        );
        let err = d.finish().unwrap_err();
        assert_eq!(err, ConfigError::NoEndpoint);
        assert!(err.message().starts_with("rebound: endpoint is missing"));
    }

    #[test]
    fn consent_gpc_and_headers() {
        let mut d = Draft::default();
        let errors = d.apply(
            Source::Attribute,
            &entries(&[
                ("endpoint", s("/a")),
                ("consent", s("maybe")),
                ("respectGpc", s("true")),
                ("headers", s("x")),
            ]),
        );
        assert_eq!(
            errors.iter().map(ConfigError::message).collect::<Vec<_>>(),
            vec![
                "rebound: data-consent must be one of granted, pending, denied; using pending",
                "rebound: data-headers must be an object of header names and string values; it is ignored",
            ]
        );
        let headers = Value::Map(entries(&[("X-Site-Key", s("k1"))]));
        d.apply(
            Source::Global,
            &entries(&[("consent", s("granted")), ("headers", headers)]),
        );
        let c = d.finish().unwrap();
        assert_eq!(
            c.consent,
            Consent::Pending,
            "a wrong consent is never read as granted"
        );
        assert!(c.respect_gpc);
        assert_eq!(
            c.headers,
            vec![("X-Site-Key".to_string(), "k1".to_string())]
        );
        let mut d = Draft::default();
        d.apply(
            Source::Global,
            &entries(&[("endpoint", s("/a")), ("respectGpc", Value::Num(1.0))]),
        );
        let c = d.finish().unwrap();
        assert_eq!(
            (c.consent, c.respect_gpc, c.headers.len()),
            (Consent::Granted, false, 0)
        );
    }

    #[test]
    fn strings_override_texts_by_name_and_report_each_wrong_one() {
        let mut d = Draft::default();
        let strings = Value::Map(entries(&[
            ("button", s(" Help us improve ")),
            ("buton", s("typo")),
            ("thanks", Value::Num(1.0)),
            ("next", s("")),
            ("badEmail", s("Check the address")),
        ]));
        let errors = d.apply(
            Source::Global,
            &entries(&[("endpoint", s("/a")), ("strings", strings)]),
        );
        assert_eq!(
            errors.iter().map(ConfigError::message).collect::<Vec<_>>(),
            vec![
                "rebound: ReboundConfig.strings.buton is not a known option; it is ignored",
                "rebound: ReboundConfig.strings.thanks must be a non-empty string, got a number; it is ignored",
                "rebound: ReboundConfig.strings.next must be a non-empty string, got an empty string; it is ignored",
            ]
        );
        // The file fills texts the page did not set, and cannot replace those it did.
        let file = Value::Map(entries(&[(
            "strings",
            Value::Map(entries(&[
                ("button", s("From file")),
                ("thanks", s("Merci")),
            ])),
        )]));
        assert_eq!(d.apply_layer(Source::File, &file), vec![]);
        let c = d.finish().unwrap();
        assert_eq!(
            c.strings,
            vec![
                (Key::Button, "Help us improve".to_string()),
                (Key::BadEmail, "Check the address".to_string()),
                (Key::Thanks, "Merci".to_string()),
            ]
        );
    }

    #[test]
    fn strings_must_be_an_object() {
        let mut d = Draft::default();
        let errors = d.apply(Source::Attribute, &entries(&[("strings", s("{}"))]));
        assert_eq!(
            errors[0].message(),
            "rebound: data-strings must be an object of texts by name, like {\"button\": \"Help us improve\"}; it is ignored"
        );
        let errors = d.apply(
            Source::File,
            &entries(&[("strings", Value::Map(entries(&[("sendd", s("Go"))])))]),
        );
        assert_eq!(
            errors[0].message(),
            "rebound: strings.sendd in the config file is not a known option; it is ignored"
        );
    }

    #[test]
    fn button_label_is_strings_button_and_loses_to_it() {
        let mut d = Draft::default();
        d.apply(
            Source::Attribute,
            &entries(&[("endpoint", s("/a")), ("buttonLabel", s("Tell us"))]),
        );
        let c = d.finish().unwrap();
        assert_eq!(c.strings, vec![(Key::Button, "Tell us".to_string())]);
        let mut d = Draft::default();
        d.apply(
            Source::Attribute,
            &entries(&[("endpoint", s("/a")), ("buttonLabel", s("Tell us"))]),
        );
        let strings = Value::Map(entries(&[("button", s("Help us improve"))]));
        d.apply(Source::File, &entries(&[("strings", strings)]));
        let c = d.finish().unwrap();
        assert_eq!(
            c.strings,
            vec![(Key::Button, "Help us improve".to_string())]
        );
    }

    #[test]
    fn only_a_position_the_site_chose_counts_as_chosen() {
        let chosen = |pairs: &[(&str, Value)]| {
            let mut d = Draft::default();
            d.apply(Source::Global, &entries(pairs));
            d.finish().unwrap().position_chosen
        };
        assert!(!chosen(&[("endpoint", s("/a"))]));
        assert!(!chosen(&[("endpoint", s("/a")), ("position", s("middle"))]));
        assert!(chosen(&[
            ("endpoint", s("/a")),
            ("position", s("bottom-right"))
        ]));
    }

    #[test]
    fn signals_strip_params_and_expiry_days() {
        let mut d = Draft::default();
        let errors = d.apply(
            Source::Attribute,
            &entries(&[
                ("endpoint", s("/a")),
                ("signals", s("errors requests")),
                ("stripParams", s(" ref  campaign")),
                ("expiryDays", s("30")),
            ]),
        );
        assert_eq!(errors, vec![]);
        let c = d.finish().unwrap();
        assert_eq!(
            c.signals,
            Watch {
                errors: true,
                requests: true
            }
        );
        assert_eq!(
            c.strip_params,
            Some(vec!["ref".to_string(), "campaign".to_string()])
        );
        assert_eq!(c.expiry_days, 30);

        let mut d = Draft::default();
        let list = Value::List(vec![s("requests")]);
        d.apply(
            Source::Global,
            &entries(&[("endpoint", s("/a")), ("signals", list)]),
        );
        let c = d.finish().unwrap();
        assert_eq!((c.signals.errors, c.signals.requests), (false, true));
        assert_eq!((c.strip_params, c.expiry_days), (None, DEFAULT_EXPIRY_DAYS));
    }

    #[test]
    fn survey_cooldown_days_from_0_to_365_and_14_by_default() {
        let config = |value: Value| {
            let mut d = Draft::default();
            let errors = d.apply(
                Source::Attribute,
                &entries(&[("endpoint", s("/a")), ("surveyCooldownDays", value)]),
            );
            let messages: Vec<String> = errors.iter().map(ConfigError::message).collect();
            (d.finish().unwrap().survey_cooldown_days, messages)
        };
        assert_eq!(config(s("0")), (0, vec![]), "0 turns the rule off");
        assert_eq!(config(Value::Num(30.0)), (30, vec![]));
        assert_eq!(
            config(s("400")),
            (
                DEFAULT_SURVEY_COOLDOWN_DAYS,
                vec!["rebound: data-survey-cooldown-days must be a whole number of days from 0 to 365; it is ignored"
                    .to_string()]
            )
        );
        assert_eq!(config(Value::Null).0, 14);
    }

    #[test]
    fn wrong_signals_strip_params_and_expiry_days_name_the_key() {
        let mut d = Draft::default();
        let errors = d.apply(
            Source::Global,
            &entries(&[
                ("endpoint", s("/a")),
                ("signals", Value::List(vec![s("errors"), s("clicks")])),
                ("stripParams", Value::List(vec![Value::Num(1.0)])),
                ("expiryDays", Value::Num(0.5)),
            ]),
        );
        assert_eq!(
            errors.iter().map(ConfigError::message).collect::<Vec<_>>(),
            vec![
                "rebound: ReboundConfig.signals must be a list of errors, requests; it is ignored",
                "rebound: ReboundConfig.stripParams must be a list of query parameter names; it is ignored",
                "rebound: ReboundConfig.expiryDays must be a whole number of days from 1 to 365; it is ignored",
            ]
        );
        for days in [Value::Num(400.0), s("1e2"), s("-3"), s("1000")] {
            let errors = d.apply(Source::File, &entries(&[("expiryDays", days)]));
            assert_eq!(errors.len(), 1);
        }
        let c = d.finish().unwrap();
        assert_eq!(
            (c.signals, c.expiry_days),
            (Watch::default(), DEFAULT_EXPIRY_DAYS)
        );
    }

    #[test]
    fn config_version_and_report_views_are_known_options() {
        let mut d = Draft::default();
        let errors = d.apply(
            Source::File,
            &entries(&[
                ("configVersion", Value::Num(12.0)),
                ("reportViews", Value::Bool(true)),
            ]),
        );
        assert_eq!(errors, vec![]);
        d.apply(Source::Global, &entries(&[("endpoint", s("/a"))]));
        let c = d.finish().unwrap();
        assert_eq!(
            (c.reported_version(), c.reports_views()),
            (Ok(Some(12)), Ok(true))
        );

        let mut d = Draft::default();
        let errors = d.apply(
            Source::Global,
            &entries(&[
                ("endpoint", s("/a")),
                ("configVersion", Value::Num(0.0)),
                ("reportViews", s("yes")),
            ]),
        );
        assert_eq!(errors, vec![], "the full widget checks them");
        let c = d.finish().unwrap();
        assert_eq!(
            c.reported_version(),
            Err(
                "rebound: option configVersion must be a whole number from 1; it is ignored".into()
            )
        );
        assert_eq!(
            c.reports_views(),
            Err("rebound: option reportViews must be true or false; it is ignored".into())
        );
        let mut d = Draft::default();
        d.apply(
            Source::Attribute,
            &entries(&[("endpoint", s("/a")), ("reportViews", s("true"))]),
        );
        let c = d.finish().unwrap();
        assert_eq!(
            (c.reported_version(), c.reports_views()),
            (Ok(None), Ok(true))
        );
    }

    #[test]
    fn positions_round_trip_their_names() {
        for (name, p) in POSITIONS {
            assert_eq!(p.name(), name);
        }
    }

    #[test]
    fn theme_and_its_attribute() {
        let mut d = Draft::default();
        let errors = d.apply(
            Source::Attribute,
            &entries(&[
                ("endpoint", s("/a")),
                ("theme", s("night")),
                ("position", s("side-left")),
            ]),
        );
        assert_eq!(
            errors.iter().map(ConfigError::message).collect::<Vec<_>>(),
            vec!["rebound: data-theme must be one of light, dark, auto; using light"]
        );
        d.apply(
            Source::Global,
            &entries(&[("theme", s("auto")), ("themeAttribute", s(" data-theme "))]),
        );
        let c = d.finish().unwrap();
        assert_eq!(c.position, Position::SideLeft);
        assert_eq!(c.position.name(), "side-left");
        assert_eq!(
            (c.theme, c.theme_attribute.as_deref()),
            (Theme::Auto, Some("data-theme"))
        );
        let errors = Draft::default().apply(
            Source::File,
            &entries(&[("theme", Value::Bool(true)), ("themeAttribute", s(""))]),
        );
        assert_eq!(
            errors.iter().map(ConfigError::message).collect::<Vec<_>>(),
            vec![
                "rebound: theme in the config file must be one of light, dark, auto; using light",
                "rebound: themeAttribute in the config file must be a non-empty string, got an empty string; \
                 it is ignored",
            ]
        );
        let mut d = Draft::default();
        d.apply(Source::Global, &entries(&[("endpoint", s("/a"))]));
        let c = d.finish().unwrap();
        assert_eq!((c.theme, c.theme_attribute), (Theme::Light, None));
    }

    #[test]
    fn the_page_attribute_decides_when_it_says_dark_or_light() {
        use Theme::*;
        for theme in [Light, Dark, Auto] {
            assert_eq!(Theme::with_page(theme, None), theme, "no attribute");
            for unknown in ["", "system", "auto", "darkish", "night", "DARK"] {
                assert_eq!(
                    theme.with_page(Some(unknown)),
                    theme,
                    "{unknown:?} leaves {theme:?}"
                );
            }
            assert_eq!(theme.with_page(Some("dark")), Dark);
            assert_eq!(theme.with_page(Some("light")), Light);
            // A class list (`class="page dark"`) works too; the first word that decides wins.
            assert_eq!(theme.with_page(Some("page  dark compact")), Dark);
            assert_eq!(theme.with_page(Some("auto light dark")), Light);
        }
        for (name, theme) in THEMES {
            assert_eq!(theme.name(), name);
        }
    }
}
