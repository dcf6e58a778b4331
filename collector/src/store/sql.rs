//! One query, two databases: the [`Sql`] trait that the queries of [`super::responses`],
//! [`super::cases`] and [`super::outbox`] are written against, once for both backends.
//!
//! A query is a sea-query statement; each backend renders it with its own builder (placeholders,
//! quoting, clauses such as `FOR UPDATE` that SQLite does without) and runs it. The few
//! expressions that SQLite and PostgreSQL spell differently, the clock, time arithmetic, a JSON
//! path, a case-insensitive match and the revision counter, are functions of the trait, so that a
//! query names them once. Rows come back as [`Row`]s of plain values, the same from either side.

use std::future::Future;

use sea_query::{Expr, QueryStatementWriter};

use super::StoreError;

/// A database connection or transaction that runs the shared queries.
///
/// The methods are `async` for PostgreSQL; the SQLite backend's finish without waiting.
pub(super) trait Sql {
    /// Runs `statement` and returns its rows.
    fn rows(
        &self,
        statement: &impl QueryStatementWriter,
    ) -> impl Future<Output = Result<Vec<Row>, StoreError>>;

    /// Runs `statement` and returns how many rows it changed.
    fn execute(
        &self,
        statement: &impl QueryStatementWriter,
    ) -> impl Future<Output = Result<u64, StoreError>>;

    /// The current time, as every stored time is written (RFC 3339 in UTC with milliseconds), so
    /// that times compare as text.
    fn now() -> Expr;

    /// The stored time `base` plus `seconds`, in the same format.
    fn after(base: Expr, seconds: i64) -> Expr;

    /// The text at `path` (object keys) in the JSON text of `column`, or NULL.
    fn json_text(column: &str, path: &[&str]) -> Expr;

    /// `text` matches the LIKE `pattern` (escaped with `\`), ignoring ASCII case.
    fn like(text: Expr, pattern: String) -> Expr;

    /// The revision of the response written by row `position` (from 0) of an insert: a number
    /// higher than any before it and than those of the rows before it.
    fn next_revision(position: usize) -> Expr;

    /// The first row of `statement`, if any.
    fn row(
        &self,
        statement: &impl QueryStatementWriter,
    ) -> impl Future<Output = Result<Option<Row>, StoreError>> {
        let rows = self.rows(statement);
        async move { Ok(rows.await?.into_iter().next()) }
    }
}

/// One value of a row, as either database returns it.
#[derive(Debug)]
pub(super) enum Cell {
    /// SQL NULL.
    Null,
    /// An integer (SQLite's booleans are integers too).
    Int(i64),
    /// A PostgreSQL boolean.
    Bool(bool),
    /// Text.
    Text(String),
}

/// A row of [`Cell`]s, read by column index.
#[derive(Debug)]
pub(super) struct Row(pub(super) Vec<Cell>);

impl Row {
    fn cell(&self, index: usize) -> &Cell {
        self.0.get(index).unwrap_or(&Cell::Null)
    }

    fn mismatch(index: usize, expected: &'static str) -> StoreError {
        StoreError::Column { index, expected }
    }

    /// The text in column `index`, or `None` for NULL.
    pub(super) fn optional_text(&self, index: usize) -> Result<Option<String>, StoreError> {
        match self.cell(index) {
            Cell::Null => Ok(None),
            Cell::Text(text) => Ok(Some(text.clone())),
            _ => Err(Self::mismatch(index, "text")),
        }
    }

    /// The text in column `index`.
    pub(super) fn text(&self, index: usize) -> Result<String, StoreError> {
        self.optional_text(index)?
            .ok_or_else(|| Self::mismatch(index, "text"))
    }

    /// The integer in column `index`, or `None` for NULL.
    pub(super) fn optional_int(&self, index: usize) -> Result<Option<i64>, StoreError> {
        match self.cell(index) {
            Cell::Null => Ok(None),
            Cell::Int(value) => Ok(Some(*value)),
            _ => Err(Self::mismatch(index, "an integer")),
        }
    }

    /// The integer in column `index`.
    pub(super) fn int(&self, index: usize) -> Result<i64, StoreError> {
        self.optional_int(index)?
            .ok_or_else(|| Self::mismatch(index, "an integer"))
    }

    /// A count or size in column `index`; they always fit in 32 bits.
    pub(super) fn small(&self, index: usize) -> Result<u32, StoreError> {
        Ok(u32::try_from(self.int(index)?).unwrap_or(u32::MAX))
    }

    /// The truth value in column `index`.
    pub(super) fn flag(&self, index: usize) -> Result<bool, StoreError> {
        match self.cell(index) {
            Cell::Bool(value) => Ok(*value),
            Cell::Int(value) => Ok(*value != 0),
            _ => Err(Self::mismatch(index, "a boolean")),
        }
    }
}

/// `%` and `_` match anything in LIKE; escaped with `\`, the pattern finds `text` as typed
/// anywhere.
pub(super) fn containing(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}
