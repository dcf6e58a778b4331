//! Webhooks: telling people at once. Each site can list hooks with a rule (a lowest priority,
//! and/or the surveys it is about); a new case that matches a hook queues one delivery in the
//! [outbox](crate::outbox), which the [`worker`] sends, signed per Standard Webhooks
//! ([`signature`]), in generic JSON or as a Slack-compatible message ([`payload`]).
//!
//! A case is announced to a hook once: when it first matches, whether at its first version or
//! when a later version raises its priority; and once more each time a reminder set on it comes
//! due ([`crate::reminders`]).

mod client;
pub mod payload;
pub mod signature;
pub mod worker;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use serde::Deserialize;
use serde_json::Value;
use tokio::sync::Notify;

use crate::duration;
use crate::outbox::{Outgoing, OPENED};
use crate::reminders::{event_key, DueReminder};
use crate::submission::survey_of;
use crate::triage::{Priority, Triage};
use client::Client;
pub use client::Target;
use payload::{Event, Format, Kind};
use signature::Secret;

/// One `[[sites.<id>.webhooks]]` entry.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhookConfig {
    /// The hook's name, unique within its site.
    pub name: String,
    /// Where to POST: an `https://` or `http://` URL.
    pub url: String,
    /// `json` (default) or `slack`.
    #[serde(default)]
    pub format: Format,
    /// The signing secret, `whsec_<base64>`; unsigned without one.
    pub secret: Option<String>,
    /// Only cases of this priority or higher.
    pub min_priority: Option<Priority>,
    /// Only responses to these surveys (`feedback` is the feedback form); empty for all.
    #[serde(default)]
    pub surveys: Vec<String>,
}

/// The `[webhook_delivery]` table: how hard to try, and whom to trust.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct DeliveryConfig {
    /// The waits after each failed attempt; when they are used up the delivery has failed.
    #[serde(deserialize_with = "duration::list")]
    pub retry_after: Vec<Duration>,
    /// How long one attempt may take.
    #[serde(deserialize_with = "duration::one")]
    pub timeout: Duration,
    /// A PEM file of certificate authorities to trust beside the Mozilla roots, for `https://`
    /// receivers whose certificate a private CA issued.
    pub extra_ca: Option<PathBuf>,
    /// How often the worker looks for reminders that came due (`case.reminder`).
    #[serde(deserialize_with = "duration::one")]
    pub reminder_check: Duration,
}

impl Default for DeliveryConfig {
    /// Twelve retries, the last about seventeen hours after the first attempt.
    fn default() -> Self {
        let waits = [
            10, 30, 60, 120, 300, 600, 1800, 3600, 7200, 10_800, 14_400, 21_600,
        ];
        Self {
            retry_after: waits.into_iter().map(Duration::from_secs).collect(),
            timeout: Duration::from_secs(10),
            extra_ca: None,
            reminder_check: Duration::from_secs(60),
        }
    }
}

/// A configured hook, ready to match and send.
#[derive(Debug)]
pub struct Hook {
    /// Where to POST.
    pub target: Target,
    /// The signing key, if any.
    pub secret: Option<Secret>,
    format: Format,
    min_priority: Option<Priority>,
    surveys: Vec<String>,
}

/// Every hook by `site/name`, the delivery settings, and the bell that wakes the worker.
#[derive(Debug, Default)]
pub struct Webhooks {
    hooks: BTreeMap<String, Hook>,
    /// How hard to try.
    pub delivery: DeliveryConfig,
    /// The collector's public URL, to link cases from messages.
    pub public_url: Option<String>,
    /// The HTTP client the hooks are sent with.
    client: Client,
    wake: Notify,
}

impl Webhooks {
    /// Hooks from the sites' configs; the error names the hook at fault, or the `extra_ca`
    /// file that cannot be read.
    pub fn new<'a>(
        sites: impl IntoIterator<Item = (&'a String, &'a [WebhookConfig])>,
        delivery: DeliveryConfig,
        public_url: Option<String>,
    ) -> Result<Self, String> {
        let mut hooks = BTreeMap::new();
        for (site, configs) in sites {
            for config in configs {
                let key = format!("{site}/{}", config.name);
                let target =
                    Target::parse(&config.url).map_err(|error| format!("{key}: {error}"))?;
                let secret = config
                    .secret
                    .as_deref()
                    .map(|text| {
                        Secret::parse(text).ok_or_else(|| {
                            format!("{key}: the secret must be whsec_ followed by base64")
                        })
                    })
                    .transpose()?;
                let hook = Hook {
                    target,
                    secret,
                    format: config.format,
                    min_priority: config.min_priority,
                    surveys: config.surveys.clone(),
                };
                if hooks.insert(key.clone(), hook).is_some() {
                    return Err(format!("{key}: two hooks of one site have this name"));
                }
            }
        }
        let client = Client::new(delivery.extra_ca.as_deref())
            .map_err(|error| format!("[webhook_delivery] {error}"))?;
        Ok(Self {
            hooks,
            delivery,
            public_url,
            client,
            wake: Notify::new(),
        })
    }

    /// How many hooks there are.
    pub fn len(&self) -> usize {
        self.hooks.len()
    }

    /// Whether there are none, so nothing is ever queued.
    pub fn is_empty(&self) -> bool {
        self.hooks.is_empty()
    }

    /// The hook named `key` (`site/name`).
    pub fn hook(&self, key: &str) -> Option<&Hook> {
        self.hooks.get(key)
    }

    /// The deliveries a new case of `site` with this triage calls for.
    pub fn outgoing(
        &self,
        id: &str,
        site: &str,
        response: &Value,
        triage: &Triage,
    ) -> Vec<Outgoing> {
        self.announce(
            OPENED,
            &Event {
                kind: Kind::Opened,
                id,
                site,
                priority: triage.priority,
                reason: &triage.reason,
                response,
                public_url: self.public_url.as_deref(),
            },
        )
    }

    /// The deliveries a reminder that came due calls for: the same hooks as when its case was
    /// opened, as they are configured now.
    pub fn reminder(&self, due: &DueReminder) -> Vec<Outgoing> {
        self.announce(
            &event_key(&due.remind_at),
            &Event {
                kind: Kind::Reminder {
                    remind_at: &due.remind_at,
                },
                id: &due.id,
                site: &due.site,
                priority: due.priority,
                reason: &due.priority_reason,
                response: &due.response,
                public_url: self.public_url.as_deref(),
            },
        )
    }

    /// `event` rendered for each hook of its site whose rule matches it, as the outbox's
    /// `event_key`.
    fn announce(&self, event_key: &str, event: &Event<'_>) -> Vec<Outgoing> {
        let prefix = format!("{}/", event.site);
        let survey = survey_of(event.response);
        self.hooks
            .range(prefix.clone()..)
            .take_while(|(key, _)| key.starts_with(&prefix))
            .filter(|(_, hook)| {
                hook.min_priority
                    .is_none_or(|least| event.priority >= least)
                    && (hook.surveys.is_empty() || hook.surveys.iter().any(|s| s == survey))
            })
            .map(|(key, hook)| Outgoing {
                hook: key.clone(),
                event: event_key.to_owned(),
                payload: payload::render(hook.format, event),
            })
            .collect()
    }

    /// Tells the worker there is something new to send.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Resolves when [`wake`](Self::wake) is called (or was, since the last time).
    pub async fn woken(&self) {
        self.wake.notified().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn hook(name: &str, min_priority: Option<Priority>, surveys: &[&str]) -> WebhookConfig {
        WebhookConfig {
            name: name.to_owned(),
            url: "http://127.0.0.1:9/hook".to_owned(),
            format: Format::Json,
            secret: None,
            min_priority,
            surveys: surveys.iter().map(|&s| s.to_owned()).collect(),
        }
    }

    fn triage(priority: Priority) -> Triage {
        Triage {
            priority,
            reason: String::new(),
            target: Duration::ZERO,
        }
    }

    fn hooks_of(response: &Value, priority: Priority) -> Vec<String> {
        let shop = "shop".to_owned();
        let shops = "shops".to_owned();
        let shop_hooks = [
            hook("all", None, &[]),
            hook("urgent", Some(Priority::High), &[]),
            hook("nps", None, &["nps"]),
        ];
        let other = [hook("other", None, &[])];
        let webhooks = Webhooks::new(
            [(&shop, &shop_hooks[..]), (&shops, &other[..])],
            DeliveryConfig::default(),
            None,
        )
        .expect("hooks");
        webhooks
            .outgoing("c1", "shop", response, &triage(priority))
            .into_iter()
            .map(|outgoing| outgoing.hook)
            .collect()
    }

    #[test]
    fn a_case_goes_to_the_hooks_of_its_site_whose_rules_match() {
        let feedback = json!({"kind": "feedback"});
        assert_eq!(hooks_of(&feedback, Priority::Normal), ["shop/all"]);
        assert_eq!(
            hooks_of(&feedback, Priority::Urgent),
            ["shop/all", "shop/urgent"]
        );
        let nps = json!({"kind": "survey", "survey": {"id": "nps"}});
        assert_eq!(hooks_of(&nps, Priority::Low), ["shop/all", "shop/nps"]);
    }

    #[test]
    fn bad_hooks_are_named() {
        let shop = "shop".to_owned();
        let mut ftp = hook("files", None, &[]);
        ftp.url = "ftp://files.example/x".to_owned();
        let error =
            Webhooks::new([(&shop, &[ftp][..])], DeliveryConfig::default(), None).expect_err("ftp");
        assert!(error.starts_with("shop/files: "), "{error}");

        let mut unsigned = hook("json", None, &[]);
        unsigned.secret = Some("whsec_!!".to_owned());
        assert!(
            Webhooks::new([(&shop, &[unsigned][..])], DeliveryConfig::default(), None).is_err()
        );

        let twice = [hook("a", None, &[]), hook("a", None, &[])];
        assert!(Webhooks::new([(&shop, &twice[..])], DeliveryConfig::default(), None).is_err());
    }
}
