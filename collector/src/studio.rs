//! The survey studio: survey definitions kept per site with a status, and the site
//! configurations published from the live ones, each a numbered version that can be restored.
//! Definitions are checked with the widget's own reader ([`definition`]) before they are kept;
//! [`api`] is the admin JSON API, and [`config_json`] serves the published configuration.
//! Only configured sites have surveys ([`site_access`]); [`templates`] are the surveys to start
//! from; [`field_line`] finds a mistake's line in the text. The studio's pages are part of the inbox ([`crate::inbox`]).

pub mod api;
pub mod config_json;
pub mod definition;
pub mod field_line;
pub mod site_access;
pub mod templates;

use serde::{Deserialize, Serialize};

/// Where a survey stands: only `live` ones go into a published configuration.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SurveyStatus {
    /// Being written; never published.
    Draft,
    /// Published with the next version.
    Live,
    /// Left out of the next version, so it stops on the next page view after publishing.
    Paused,
}

impl SurveyStatus {
    /// Every status, in the order the studio offers them.
    pub const ALL: [Self; 3] = [Self::Draft, Self::Live, Self::Paused];

    /// The name stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Live => "live",
            Self::Paused => "paused",
        }
    }

    /// The status named `name`, if any.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.as_str() == name)
    }
}

/// A survey as listed: its id, status and when it last changed.
#[derive(Clone, Debug, Serialize)]
pub struct SurveySummary {
    /// The survey's id, the same as in its definition.
    pub id: String,
    /// Whether it goes into the next published version.
    pub status: SurveyStatus,
    /// When it was last saved, RFC 3339 in UTC.
    pub updated_at: String,
}

/// A survey with its definition, as `GET /v1/sites/{site}/surveys/{id}` answers.
#[derive(Clone, Debug, Serialize)]
pub struct Survey {
    /// Its id, status and time of change.
    #[serde(flatten)]
    pub summary: SurveySummary,
    /// The definition, in the widget's survey format, exactly as it was stored.
    pub definition: Box<serde_json::value::RawValue>,
}

/// One published configuration, as listed.
#[derive(Clone, Debug, Serialize)]
pub struct VersionInfo {
    /// The version number: 1 for a site's first publish, one more for each after it.
    pub version: i64,
    /// When it was published, RFC 3339 in UTC.
    pub published_at: String,
    /// The ids of the surveys it holds, in their order.
    pub surveys: Vec<String>,
}

/// A published configuration as the widget reads it.
#[derive(Clone, Debug)]
pub struct Published {
    /// Its version number.
    pub version: i64,
    /// The JSON text, `{"surveys":[…]}`, exactly as served.
    pub config: String,
}
