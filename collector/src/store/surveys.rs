//! The survey studio in the database, for both backends: each site's survey definitions with
//! their status, and the configurations published from them, numbered per site.

use sea_query::{Expr, ExprTrait, Func, OnConflict, Order, Query};

use super::sql::{Row, Sql};
use super::StoreError;
use crate::studio::{Published, Survey, SurveyStatus, SurveySummary, VersionInfo};

/// A survey's summary from the first three columns of a row: id, status, updated_at.
fn summary(row: &Row) -> Result<SurveySummary, StoreError> {
    Ok(SurveySummary {
        id: row.text(0)?,
        // The CHECK constraint admits only known statuses.
        status: SurveyStatus::parse(&row.text(1)?).unwrap_or(SurveyStatus::Draft),
        updated_at: row.text(2)?,
    })
}

/// The site's surveys, by id.
pub(super) async fn list<D: Sql>(db: &D, site: &str) -> Result<Vec<SurveySummary>, StoreError> {
    db.rows(
        Query::select()
            .columns(["id", "status", "updated_at"])
            .from("surveys")
            .and_where(Expr::col("site").eq(site))
            .order_by("id", Order::Asc),
    )
    .await?
    .iter()
    .map(summary)
    .collect()
}

/// One survey with its definition.
pub(super) async fn get<D: Sql>(
    db: &D,
    site: &str,
    id: &str,
) -> Result<Option<Survey>, StoreError> {
    let Some(row) = db
        .row(
            Query::select()
                .columns(["id", "status", "updated_at", "definition"])
                .from("surveys")
                .and_where(Expr::col("site").eq(site))
                .and_where(Expr::col("id").eq(id)),
        )
        .await?
    else {
        return Ok(None);
    };
    // Kept as it was written, so that the studio's editor shows the team's own order and layout.
    let definition = serde_json::value::RawValue::from_string(row.text(3)?).map_err(|source| {
        StoreError::CorruptJson {
            what: format!("survey {site}/{id}"),
            source,
        }
    })?;
    Ok(Some(Survey {
        summary: summary(&row)?,
        definition,
    }))
}

/// Creates or replaces a survey; true when it is new.
pub(super) async fn put<D: Sql>(
    db: &D,
    site: &str,
    id: &str,
    status: SurveyStatus,
    definition: &str,
) -> Result<bool, StoreError> {
    let existed = db
        .row(
            Query::select()
                .column("id")
                .from("surveys")
                .and_where(Expr::col("site").eq(site))
                .and_where(Expr::col("id").eq(id)),
        )
        .await?
        .is_some();
    db.execute(
        Query::insert()
            .into_table("surveys")
            .columns(["site", "id", "status", "definition", "updated_at"])
            .values([
                Expr::val(site),
                Expr::val(id),
                Expr::val(status.as_str()),
                Expr::val(definition),
                D::now(),
            ])?
            .on_conflict(
                OnConflict::columns(["site", "id"])
                    .update_columns(["status", "definition", "updated_at"])
                    .to_owned(),
            ),
    )
    .await?;
    Ok(!existed)
}

/// Keeps `config` as the site's next version. The caller runs it in one transaction.
async fn append<D: Sql>(db: &D, site: &str, config: String) -> Result<Published, StoreError> {
    let last = db
        .row(
            Query::select()
                .expr(Func::max(Expr::col("version")))
                .from("site_versions")
                .and_where(Expr::col("site").eq(site)),
        )
        .await?
        .map(|row| row.optional_int(0))
        .transpose()?
        .flatten()
        .unwrap_or(0);
    let version = last + 1;
    db.execute(
        Query::insert()
            .into_table("site_versions")
            .columns(["site", "version", "config", "published_at"])
            .values([
                Expr::val(site),
                Expr::val(version),
                Expr::val(config.as_str()),
                D::now(),
            ])?,
    )
    .await?;
    Ok(Published { version, config })
}

/// Publishes the site's live surveys, by id, as its next version. The caller runs it in one
/// transaction.
pub(super) async fn publish<D: Sql>(db: &D, site: &str) -> Result<Published, StoreError> {
    let definitions = db
        .rows(
            Query::select()
                .column("definition")
                .from("surveys")
                .and_where(Expr::col("site").eq(site))
                .and_where(Expr::col("status").eq(SurveyStatus::Live.as_str()))
                .order_by("id", Order::Asc),
        )
        .await?
        .iter()
        .map(|row| row.text(0))
        .collect::<Result<Vec<_>, _>>()?;
    // Each definition was stored as serialized JSON, so the list is put together as text.
    let config = format!(r#"{{"surveys":[{}]}}"#, definitions.join(","));
    append(db, site, config).await
}

/// Publishes version `number` again, as the site's next version; `None` when it has no such
/// version. The caller runs it in one transaction.
pub(super) async fn restore<D: Sql>(
    db: &D,
    site: &str,
    number: i64,
) -> Result<Option<Published>, StoreError> {
    let Some(row) = db
        .row(
            Query::select()
                .column("config")
                .from("site_versions")
                .and_where(Expr::col("site").eq(site))
                .and_where(Expr::col("version").eq(number)),
        )
        .await?
    else {
        return Ok(None);
    };
    Ok(Some(append(db, site, row.text(0)?).await?))
}

/// The site's newest version, if it ever published.
pub(super) async fn published<D: Sql>(db: &D, site: &str) -> Result<Option<Published>, StoreError> {
    db.row(
        Query::select()
            .columns(["version", "config"])
            .from("site_versions")
            .and_where(Expr::col("site").eq(site))
            .order_by("version", Order::Desc)
            .limit(1),
    )
    .await?
    .map(|row| {
        Ok(Published {
            version: row.int(0)?,
            config: row.text(1)?,
        })
    })
    .transpose()
}

/// The site's versions, newest first, with the ids of the surveys in each.
pub(super) async fn versions<D: Sql>(db: &D, site: &str) -> Result<Vec<VersionInfo>, StoreError> {
    db.rows(
        Query::select()
            .columns(["version", "published_at", "config"])
            .from("site_versions")
            .and_where(Expr::col("site").eq(site))
            .order_by("version", Order::Desc),
    )
    .await?
    .iter()
    .map(|row| {
        let version = row.int(0)?;
        let config: serde_json::Value =
            serde_json::from_str(&row.text(2)?).map_err(|source| StoreError::CorruptJson {
                what: format!("version {version} of {site}"),
                source,
            })?;
        let surveys = config["surveys"]
            .as_array()
            .map(|list| {
                list.iter()
                    .filter_map(|survey| survey["id"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        Ok(VersionInfo {
            version,
            published_at: row.text(1)?,
            surveys,
        })
    })
    .collect()
}
