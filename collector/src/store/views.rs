//! Survey views in the database, for both backends: each reported event kept once per batch and
//! position, and counted per survey.

use sea_query::{Expr, ExprTrait, Func, OnConflict, Query};

use super::sql::Sql;
use super::StoreError;
use crate::views::{ViewCounts, ViewQuery, ViewRow};

/// Keeps `rows`, each unless it is stored already (the same batch sent twice).
pub(super) async fn save<D: Sql>(db: &D, rows: &[ViewRow]) -> Result<(), StoreError> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut insert = Query::insert();
    insert
        .into_table("survey_views")
        .columns([
            "batch",
            "seq",
            "site",
            "survey",
            "event",
            "page",
            "config_version",
            "at",
            "received_at",
        ])
        .on_conflict(
            OnConflict::columns(["batch", "seq"])
                .do_nothing()
                .to_owned(),
        );
    for row in rows {
        insert.values([
            Expr::val(row.batch.as_str()),
            Expr::val(row.seq),
            Expr::val(row.site.as_str()),
            Expr::val(row.survey.as_str()),
            Expr::val(row.event.as_str()),
            Expr::val(row.page.as_str()),
            Expr::val(row.config_version),
            Expr::val(row.at.as_str()),
            D::now(),
        ])?;
    }
    db.execute(&insert).await?;
    Ok(())
}

/// How often the survey `query` names was shown and dismissed.
pub(super) async fn counts<D: Sql>(db: &D, query: &ViewQuery) -> Result<ViewCounts, StoreError> {
    let rows = db
        .rows(
            Query::select()
                .column("event")
                .expr(Func::count(Expr::col("batch")))
                .from("survey_views")
                .and_where(Expr::col("survey").eq(query.survey.as_str()))
                .and_where(Expr::col("received_at").gte(query.start.as_str()))
                .and_where(Expr::col("received_at").lte(query.end.as_str()))
                .and_where_option(query.site.as_deref().map(|site| Expr::col("site").eq(site)))
                .and_where_option(query.page.as_deref().map(|page| Expr::col("page").eq(page)))
                .group_by_col("event"),
        )
        .await?;
    let mut counts = ViewCounts::default();
    for row in rows {
        let count = u64::try_from(row.int(1)?).unwrap_or_default();
        match row.text(0)?.as_str() {
            "shown" => counts.shown = count,
            _ => counts.dismissed = count,
        }
    }
    Ok(counts)
}
