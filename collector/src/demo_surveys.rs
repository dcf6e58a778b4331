//! The demo shop's surveys, kept in the survey studio: with `serve --demo` the shop's site
//! ([`SITE`]) is configured when the config does not name it ([`configure`]), and, when it has no
//! surveys yet, each survey of the shop's `surveys.json` is put into it, live, checked by the
//! widget's own reader, and published once ([`seed`]). The shop's pages read them from
//! `/v1/sites/fernwood-demo/config.json`, so a change in `/inbox/surveys` reaches the shop
//! without touching its pages.

use std::path::Path;

use serde_json::Value;

use crate::sites::{SitePolicy, Sites};
use crate::store::Store;
use crate::studio::definition::check_text;
use crate::studio::SurveyStatus;

/// The demo shop's site id, as its pages' tags name it.
pub const SITE: &str = "fernwood-demo";

/// The file under the demo's `www` directory whose surveys seed the site.
const FILE: &str = "surveys.json";

/// Configures [`SITE`] when the config does not, taking answers from any page as an
/// unconfigured site would.
pub fn configure(sites: &mut Sites) {
    sites.sites.entry(SITE.to_owned()).or_insert(SitePolicy {
        origins: Vec::new(),
    });
}

/// Puts the surveys of `www`'s `surveys.json` into [`SITE`] and publishes them, unless the site
/// has surveys already (the demo's database keeps what the studio changed). Returns how many
/// were put; a survey the checker refuses is left out with its reasons in the error.
pub async fn seed(store: &dyn Store, www: &Path) -> Result<usize, String> {
    if !store
        .surveys(SITE.to_owned())
        .await
        .map_err(|e| e.to_string())?
        .is_empty()
    {
        return Ok(0);
    }
    let path = www.join(FILE);
    let text = std::fs::read_to_string(&path)
        .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
    let file: Value = serde_json::from_str(&text)
        .map_err(|error| format!("{} is not JSON: {error}", path.display()))?;
    let surveys = file["surveys"].as_array().cloned().unwrap_or_default();
    let mut put = 0;
    for survey in &surveys {
        let id = survey["id"].as_str().unwrap_or_default().to_owned();
        let definition = serde_json::to_string_pretty(survey).map_err(|e| e.to_string())?;
        if let Err(errors) = check_text(&id, &definition) {
            let reasons: Vec<String> = errors
                .iter()
                .map(|e| format!("{}: {}", e.field, e.message))
                .collect();
            return Err(format!(
                "survey `{id}` of {}: {}",
                path.display(),
                reasons.join("; ")
            ));
        }
        store
            .put_survey(SITE.to_owned(), id, SurveyStatus::Live, definition)
            .await
            .map_err(|e| e.to_string())?;
        put += 1;
    }
    if put > 0 {
        store
            .publish(SITE.to_owned())
            .await
            .map_err(|e| e.to_string())?;
    }
    Ok(put)
}
