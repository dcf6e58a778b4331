//! The shared queries ([`Sql`]) on a SQLite connection: rendered by sea-query's SQLite builder,
//! run with rusqlite's cache of prepared statements. Every call finishes before it returns.

use rusqlite::types::{Value as Sqlite, ValueRef};
use rusqlite::{params_from_iter, Connection};
use sea_query::{Expr, Func, QueryStatementWriter, SqliteQueryBuilder, Value};

use crate::store::sql::{Cell, Row, Sql};
use crate::store::StoreError;

/// The time format of every stored time, for `strftime`.
const FORMAT: &str = "%Y-%m-%dT%H:%M:%fZ";

/// A SQLite connection that runs the shared queries.
pub(super) struct Db<'a>(pub(super) &'a Connection);

impl Db<'_> {
    fn prepare(
        &self,
        statement: &impl QueryStatementWriter,
    ) -> Result<(rusqlite::CachedStatement<'_>, Vec<Sqlite>), StoreError> {
        let (sql, values) = statement.build(SqliteQueryBuilder);
        let values = values
            .into_iter()
            .map(bound)
            .collect::<Result<Vec<_>, _>>()?;
        Ok((self.0.prepare_cached(&sql)?, values))
    }
}

/// A sea-query value as rusqlite binds it; the shared queries use only these kinds.
fn bound(value: Value) -> Result<Sqlite, StoreError> {
    Ok(match value {
        Value::Bool(v) => v.map_or(Sqlite::Null, |v| Sqlite::Integer(v.into())),
        Value::Int(v) => v.map_or(Sqlite::Null, |v| Sqlite::Integer(v.into())),
        Value::BigInt(v) => v.map_or(Sqlite::Null, Sqlite::Integer),
        Value::Unsigned(v) => v.map_or(Sqlite::Null, |v| Sqlite::Integer(v.into())),
        Value::BigUnsigned(v) => v.map_or(Sqlite::Null, |v| {
            Sqlite::Integer(i64::try_from(v).unwrap_or(i64::MAX))
        }),
        Value::String(v) => v.map_or(Sqlite::Null, Sqlite::Text),
        _ => {
            return Err(StoreError::Unsupported(
                "a query value of a kind the SQLite store does not bind",
            ))
        }
    })
}

fn cell(value: ValueRef<'_>) -> Cell {
    match value {
        ValueRef::Integer(v) => Cell::Int(v),
        ValueRef::Text(text) => Cell::Text(String::from_utf8_lossy(text).into_owned()),
        // The schema has neither floating-point nor blob columns.
        ValueRef::Null | ValueRef::Real(_) | ValueRef::Blob(_) => Cell::Null,
    }
}

impl Sql for Db<'_> {
    async fn rows(&self, statement: &impl QueryStatementWriter) -> Result<Vec<Row>, StoreError> {
        let (mut prepared, values) = self.prepare(statement)?;
        let width = prepared.column_count();
        let mut rows = prepared.query(params_from_iter(values))?;
        let mut found = Vec::new();
        while let Some(row) = rows.next()? {
            let cells = (0..width)
                .map(|index| row.get_ref(index).map(cell))
                .collect::<Result<_, _>>()?;
            found.push(Row(cells));
        }
        Ok(found)
    }

    async fn execute(&self, statement: &impl QueryStatementWriter) -> Result<u64, StoreError> {
        let (mut prepared, values) = self.prepare(statement)?;
        let changed = prepared.execute(params_from_iter(values))?;
        Ok(u64::try_from(changed).unwrap_or(u64::MAX))
    }

    fn now() -> Expr {
        Expr::cust(format!("strftime('{FORMAT}', 'now')"))
    }

    fn after(base: Expr, seconds: i64) -> Expr {
        Func::cust("strftime")
            .arg(FORMAT)
            .arg(base)
            .arg(format!("+{seconds} seconds"))
            .into()
    }

    fn json_text(column: &str, path: &[&str]) -> Expr {
        Expr::cust(format!("json_extract({column}, '$.{}')", path.join(".")))
    }

    fn like(text: Expr, pattern: String) -> Expr {
        // SQLite's LIKE ignores ASCII case already.
        Expr::cust_with_exprs("? LIKE ? ESCAPE '\\'", [text, Expr::val(pattern)])
    }

    fn next_revision(position: usize) -> Expr {
        // One writer at a time (the round's IMMEDIATE transaction), so the maximum is safe.
        Expr::cust(format!(
            "(SELECT COALESCE(MAX(revision), 0) + {} FROM responses)",
            position + 1
        ))
    }
}
