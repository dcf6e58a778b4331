//! The shared queries ([`Sql`]) on a PostgreSQL connection or transaction: rendered by
//! sea-query's PostgreSQL builder and run as prepared statements, each prepared once per
//! connection (deadpool's statement cache).

use deadpool_postgres::GenericClient;
use sea_query::{Expr, Func, PostgresQueryBuilder, QueryStatementWriter};
use sea_query_postgres::{PostgresValue, PostgresValues};
use tokio_postgres::types::Type;

use crate::store::sql::{Cell, Row, Sql};
use crate::store::StoreError;

/// A PostgreSQL connection or transaction that runs the shared queries.
pub(super) struct Db<'a, C>(pub(super) &'a C);

fn cells(row: &tokio_postgres::Row) -> Result<Row, StoreError> {
    let cells = row
        .columns()
        .iter()
        .enumerate()
        .map(|(index, column)| {
            let cell = match *column.type_() {
                Type::BOOL => row.try_get::<_, Option<bool>>(index)?.map(Cell::Bool),
                Type::INT8 => row.try_get::<_, Option<i64>>(index)?.map(Cell::Int),
                Type::INT4 => row
                    .try_get::<_, Option<i32>>(index)?
                    .map(|value| Cell::Int(value.into())),
                _ => row.try_get::<_, Option<String>>(index)?.map(Cell::Text),
            };
            Ok(cell.unwrap_or(Cell::Null))
        })
        .collect::<Result<_, tokio_postgres::Error>>()?;
    Ok(Row(cells))
}

impl<C: GenericClient> Db<'_, C> {
    async fn prepare(
        &self,
        statement: &impl QueryStatementWriter,
    ) -> Result<(tokio_postgres::Statement, PostgresValues), StoreError> {
        let (sql, values) = statement.build(PostgresQueryBuilder);
        let prepared = self.0.prepare_cached(&sql).await?;
        Ok((
            prepared,
            PostgresValues(values.into_iter().map(PostgresValue).collect()),
        ))
    }
}

impl<C: GenericClient> Sql for Db<'_, C> {
    async fn rows(&self, statement: &impl QueryStatementWriter) -> Result<Vec<Row>, StoreError> {
        let (prepared, values) = self.prepare(statement).await?;
        let rows = self.0.query(&prepared, &values.as_params()).await?;
        rows.iter().map(cells).collect()
    }

    async fn execute(&self, statement: &impl QueryStatementWriter) -> Result<u64, StoreError> {
        let (prepared, values) = self.prepare(statement).await?;
        Ok(self.0.execute(&prepared, &values.as_params()).await?)
    }

    fn now() -> Expr {
        // `rebound_now()` and `rebound_after()` are in the schema (`migrations`).
        Expr::cust("rebound_now()")
    }

    fn after(base: Expr, seconds: i64) -> Expr {
        Func::cust("rebound_after").arg(base).arg(seconds).into()
    }

    fn json_text(column: &str, path: &[&str]) -> Expr {
        Expr::cust(format!("({column}::jsonb #>> '{{{}}}')", path.join(",")))
    }

    fn like(text: Expr, pattern: String) -> Expr {
        Expr::cust_with_exprs("$1 ILIKE $2 ESCAPE '\\'", [text, Expr::val(pattern)])
    }

    fn next_revision(_position: usize) -> Expr {
        Expr::cust("nextval('responses_revision')")
    }
}
