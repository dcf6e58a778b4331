//! [`Config`]: every setting of the collector, read from a TOML file (`--config rebound.toml`),
//! then from the environment, then from command-line flags, each layer overriding the last.
//!
//! Any setting can come from the environment as `REBOUND__<SECTION>__<KEY>`, the path of the
//! key in the file in capitals joined by double underscores, with a TOML value or a bare string:
//! `REBOUND__LIMITS__PER_IP__PER_MINUTE=600`, `REBOUND__SITES__SHOP__ORIGINS='["https://shop.example"]'`.
//! Keys are lowercased, so a site whose id has capitals can only be configured in the file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;
use thiserror::Error;
use toml::{Table, Value};

use crate::admission::Limits;
use crate::cors::{parse_origin, AllowedOrigins, OriginError};
use crate::reminders::ReminderDay;
use crate::shutdown::Draining;
use crate::sites::{SitePolicy, Sites};
use crate::triage::{ConditionError, InboxConfig, ReplyWithin, Rules};
use crate::webhooks::{DeliveryConfig, WebhookConfig, Webhooks};
use crate::AppOptions;

/// The prefix of environment variables that set config keys.
pub const ENV_PREFIX: &str = "REBOUND__";

/// Why the configuration cannot be used; the message names the file, variable or key.
#[derive(Debug, Error)]
pub enum ConfigError {
    /// The config file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The file, or the layers together, do not make a valid configuration.
    #[error("{origin}: {message}")]
    Invalid {
        /// The file or environment variable at fault.
        origin: String,
        /// What is wrong, with the key.
        message: String,
    },
    /// An origin in `allow_origins` or a site's `origins` is malformed.
    #[error(transparent)]
    Origin(#[from] OriginError),
    /// A webhook cannot be used; the message names it as `site/name`.
    #[error("webhook {0}")]
    Webhook(String),
    /// A priority rule's condition cannot be read.
    #[error("[[inbox.rules]]: {0}")]
    Rule(#[from] ConditionError),
}

/// The whole configuration, as in the file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Where and how the collector runs.
    pub server: Server,
    /// Rate limits on submissions.
    pub limits: Limits,
    /// Policies by site id.
    pub sites: HashMap<String, SiteConfig>,
    /// Priority rules and response-time targets.
    pub inbox: InboxConfig,
    /// How webhooks are retried, and which extra certificate authorities they trust.
    pub webhook_delivery: DeliveryConfig,
}

/// The `[server]` table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Server {
    /// Address to listen on; port 0 picks a free one.
    pub addr: String,
    /// The database: a SQLite file path or a `postgres://` URL.
    pub database: String,
    /// Connections to PostgreSQL this collector opens at most (SQLite has one); saves that
    /// arrive while all are busy share the next commit.
    pub database_connections: usize,
    /// The admin secret; a random one is generated and printed when unset.
    pub admin_token: Option<String>,
    /// Origins whose pages may POST for a site without `origins` of its own (and that get
    /// CORS headers); `*` allows all, empty lets any origin post without CORS headers.
    pub allow_origins: Vec<String>,
    /// Refuse responses for sites that are not under `[sites]`.
    pub known_sites_only: bool,
    /// Whether a reverse proxy in front sets `X-Forwarded-For`.
    pub trust_forwarded_for: bool,
    /// Directory served at `/`.
    pub www: Option<PathBuf>,
    /// Directory served at `/pkg/`.
    pub pkg: Option<PathBuf>,
    /// Mount the demo shop's pretend API (`serve --demo`).
    pub demo: bool,
    /// The collector's public URL, to link cases from webhook messages.
    pub public_url: Option<String>,
    /// How long after SIGTERM the collector goes on serving with `/readyz` at 503, for a load
    /// balancer to take it out, before it finishes the requests in flight and stops.
    #[serde(deserialize_with = "crate::duration::one")]
    pub shutdown_delay: Duration,
}

impl Default for Server {
    fn default() -> Self {
        Self {
            addr: "127.0.0.1:8080".to_owned(),
            database: "rebound.db".to_owned(),
            database_connections: 8,
            admin_token: None,
            allow_origins: Vec::new(),
            known_sites_only: false,
            trust_forwarded_for: false,
            www: None,
            pkg: None,
            demo: false,
            public_url: None,
            shutdown_delay: Duration::ZERO,
        }
    }
}

/// One `[sites.<id>]` table.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SiteConfig {
    /// Origins whose pages may post for this site, in place of `allow_origins`; empty leaves
    /// the site to `allow_origins`.
    pub origins: Vec<String>,
    /// Where to announce this site's new cases.
    pub webhooks: Vec<WebhookConfig>,
    /// The reply time the site promises per priority, in place of `[inbox.targets]`.
    pub reply_within: Option<ReplyWithin>,
}

impl Config {
    /// Reads the file (if any) and applies the `REBOUND__…` variables among `env`.
    pub fn load(
        file: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Self, ConfigError> {
        let (mut table, origin) = match file {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
                    path: path.to_owned(),
                    source,
                })?;
                let table = text
                    .parse::<Table>()
                    .map_err(|error| ConfigError::Invalid {
                        origin: path.display().to_string(),
                        message: error.to_string(),
                    })?;
                (table, path.display().to_string())
            }
            None => (Table::new(), "the configuration".to_owned()),
        };
        let mut from_env = Vec::new();
        for (name, value) in env {
            let Some(path) = name.strip_prefix(ENV_PREFIX) else {
                continue;
            };
            set(&mut table, path, &value).map_err(|message| ConfigError::Invalid {
                origin: name.clone(),
                message,
            })?;
            from_env.push(name);
        }
        let origin = if from_env.is_empty() {
            origin
        } else {
            format!("{origin} with {}", from_env.join(", "))
        };
        table
            .try_into()
            .map_err(|error: toml::de::Error| ConfigError::Invalid {
                origin,
                message: error.message().to_owned(),
            })
    }

    /// The router's options from this configuration.
    pub fn app_options(&self) -> Result<AppOptions, ConfigError> {
        let mut sites = HashMap::new();
        for (id, site) in &self.sites {
            let origins = site
                .origins
                .iter()
                .map(|origin| parse_origin(origin.trim()))
                .collect::<Result<_, _>>()?;
            sites.insert(id.clone(), SitePolicy { origins });
        }
        Ok(AppOptions {
            allowed_origins: AllowedOrigins::parse(
                self.server.allow_origins.iter().map(String::as_str),
            )?,
            www: self.server.www.clone(),
            pkg: self.server.pkg.clone(),
            demo: self.server.demo,
            limits: self.limits,
            sites: Sites {
                sites,
                known_only: self.server.known_sites_only,
            },
            trust_forwarded_for: self.server.trust_forwarded_for,
            rules: Arc::new(Rules::promising(
                &self.inbox,
                self.sites
                    .iter()
                    .filter_map(|(id, site)| Some((id, site.reply_within.as_ref()?))),
            )?),
            webhooks: Arc::new(
                Webhooks::new(
                    self.sites
                        .iter()
                        .map(|(id, site)| (id, site.webhooks.as_slice())),
                    self.webhook_delivery.clone(),
                    self.server.public_url.clone(),
                )
                .map_err(ConfigError::Webhook)?,
            ),
            metrics: Arc::default(),
            draining: Draining::default(),
            reminder_day: ReminderDay::default(),
        })
    }
}

/// Sets the key at `path` (`SECTION__KEY`, any depth) in `table` to `value`, read as a TOML
/// value when it is one (`600`, `true`, `["a"]`) and as a string otherwise.
fn set(table: &mut Table, path: &str, value: &str) -> Result<(), String> {
    let keys: Vec<String> = path.split("__").map(str::to_ascii_lowercase).collect();
    let Some((last, parents)) = keys.split_last().filter(|(last, _)| !last.is_empty()) else {
        return Err("the variable names no key".to_owned());
    };
    let mut current = table;
    for key in parents {
        let entry = current
            .entry(key.clone())
            .or_insert_with(|| Value::Table(Table::new()));
        current = entry
            .as_table_mut()
            .ok_or_else(|| format!("`{key}` is not a table"))?;
    }
    let parsed = format!("v = {value}")
        .parse::<Table>()
        .ok()
        .and_then(|mut wrapper| wrapper.remove("v"));
    current.insert(
        last.clone(),
        parsed.unwrap_or_else(|| Value::String(value.to_owned())),
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rate_limit::Rate;
    use crate::triage::Priority;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect()
    }

    fn write(dir: &Path, text: &str) -> PathBuf {
        let path = dir.join("rebound.toml");
        std::fs::write(&path, text).expect("write config");
        path
    }

    fn temp_dir(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("rebound-config-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        dir
    }

    #[test]
    fn no_file_and_no_variables_is_the_defaults() {
        let config = Config::load(None, env(&[("PATH", "/bin")])).expect("load");
        assert_eq!(config.server.addr, "127.0.0.1:8080");
        assert_eq!(config.limits, Limits::default());
        assert!(config.sites.is_empty());
    }

    #[test]
    fn the_environment_overrides_the_file() {
        let dir = temp_dir("layers");
        let path = write(
            &dir,
            "[server]\naddr = \"0.0.0.0:9000\"\ndatabase = \"file.db\"\n\
             [limits.per_ip]\nper_minute = 10\nburst = 5\n\
             [sites.shop]\norigins = [\"https://shop.example\"]\n",
        );
        let config = Config::load(
            Some(&path),
            env(&[
                ("REBOUND__SERVER__DATABASE", "env.db"),
                ("REBOUND__LIMITS__PER_IP__PER_MINUTE", "600"),
                (
                    "REBOUND__SITES__BLOG__ORIGINS",
                    "[\"https://blog.example\"]",
                ),
            ]),
        )
        .expect("load");
        assert_eq!(config.server.addr, "0.0.0.0:9000");
        assert_eq!(config.server.database, "env.db");
        assert_eq!(
            config.limits.per_ip,
            Rate {
                per_minute: 600,
                burst: 5
            }
        );
        let options = config.app_options().expect("options");
        assert_eq!(options.sites.sites.len(), 2);
        assert_eq!(
            options.sites.sites["blog"].origins,
            ["https://blog.example"]
        );
    }

    #[test]
    fn an_unknown_key_is_named_with_its_source() {
        let error =
            Config::load(None, env(&[("REBOUND__SERVER__PORT", "80")])).expect_err("unknown key");
        let message = error.to_string();
        assert!(message.contains("REBOUND__SERVER__PORT"), "{message}");
        assert!(message.contains("port"), "{message}");
    }

    #[test]
    fn a_file_that_is_not_toml_is_named() {
        let dir = temp_dir("broken");
        let path = write(&dir, "[server\n");
        let message = Config::load(Some(&path), env(&[]))
            .expect_err("broken")
            .to_string();
        assert!(message.contains("rebound.toml"), "{message}");
    }

    #[test]
    fn a_bad_site_origin_is_refused() {
        let config = Config::load(
            None,
            env(&[("REBOUND__SITES__SHOP__ORIGINS", "[\"shop.example\"]")]),
        )
        .expect("load");
        assert!(matches!(config.app_options(), Err(ConfigError::Origin(_))));
    }

    #[test]
    fn a_site_promises_reply_times_over_the_inbox_targets() {
        let dir = temp_dir("reply-within");
        let path = write(
            &dir,
            "[inbox]\ntargets = { normal = \"2d\" }\n\
             [sites.shop.reply_within]\nurgent = \"1h\"\nhigh = \"4h\"\n",
        );
        let config = Config::load(Some(&path), env(&[])).expect("load");
        let rules = config.app_options().expect("options").rules;
        let hours = |n: u64| Duration::from_secs(n * 3600);
        assert_eq!(rules.target("shop", Priority::Urgent), hours(1));
        assert_eq!(rules.target("shop", Priority::High), hours(4));
        assert_eq!(rules.target("shop", Priority::Normal), hours(48));
        assert_eq!(rules.target("blog", Priority::High), hours(1));
    }

    #[test]
    fn a_bad_rule_is_refused_with_its_condition() {
        let config = Config::load(
            None,
            env(&[(
                "REBOUND__INBOX__RULES",
                "[{priority = \"high\", when = [\"rating <\"]}]",
            )]),
        )
        .expect("load");
        let error = config.app_options().expect_err("bad rule");
        assert!(error.to_string().contains("rating <"), "{error}");
    }

    #[test]
    fn webhooks_come_from_the_sites() {
        let dir = temp_dir("hooks");
        let path = write(
            &dir,
            "[webhook_delivery]\nretry_after = [\"1s\"]\n\
             [[sites.shop.webhooks]]\nname = \"team\"\nurl = \"http://127.0.0.1:9/h\"\n\
             format = \"slack\"\nmin_priority = \"high\"\n",
        );
        let config = Config::load(Some(&path), env(&[])).expect("load");
        let options = config.app_options().expect("options");
        assert_eq!(options.webhooks.len(), 1);
        assert!(options.webhooks.hook("shop/team").is_some());
        assert_eq!(options.webhooks.delivery.retry_after.len(), 1);

        let bad = Config::load(
            Some(&path),
            env(&[(
                "REBOUND__SITES__SHOP__WEBHOOKS",
                "[{name = \"x\", url = \"ftp://x\"}]",
            )]),
        )
        .expect("load");
        let error = bad.app_options().expect_err("ftp");
        assert!(error.to_string().contains("shop/x"), "{error}");
    }

    #[test]
    fn an_unreadable_extra_ca_is_named() {
        let dir = temp_dir("extra-ca");
        let path = write(
            &dir,
            "[webhook_delivery]\nextra_ca = \"/nonexistent/rebound-ca.pem\"\n",
        );
        let config = Config::load(Some(&path), env(&[])).expect("load");
        assert_eq!(
            config.webhook_delivery.extra_ca.as_deref(),
            Some(Path::new("/nonexistent/rebound-ca.pem"))
        );
        let error = config.app_options().expect_err("missing file");
        assert!(
            error
                .to_string()
                .contains("[webhook_delivery] extra_ca `/nonexistent/rebound-ca.pem`"),
            "{error}"
        );
    }

    #[test]
    fn a_variable_cannot_descend_into_a_value() {
        let error = Config::load(
            None,
            env(&[
                ("REBOUND__SERVER__ADDR", "x"),
                ("REBOUND__SERVER__ADDR__PORT", "1"),
            ]),
        )
        .expect_err("not a table");
        assert!(error.to_string().contains("not a table"), "{error}");
    }
}
