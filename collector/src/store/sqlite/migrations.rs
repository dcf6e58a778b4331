//! The SQLite schema as a list of migrations, applied in order at start-up. The database's
//! `PRAGMA user_version` is the number of migrations already applied.

use rusqlite::Connection;

use crate::store::StoreError;

/// Each entry moves the schema one version up. Never edit an entry that has shipped: add one.
pub(super) const MIGRATIONS: &[&str] = &[
    // 1: one row per response id, holding its winning version.
    "CREATE TABLE responses (
         id          TEXT    NOT NULL PRIMARY KEY,
         site        TEXT    NOT NULL,
         kind        TEXT    NOT NULL,
         complete    INTEGER NOT NULL CHECK (complete IN (0, 1)),
         created_at  TEXT    NOT NULL,
         received_at TEXT    NOT NULL,
         revision    INTEGER NOT NULL UNIQUE,
         body        TEXT    NOT NULL
     ) STRICT;
     CREATE INDEX responses_by_site ON responses (site, revision);",
];

/// Applies the migrations the database has not seen yet, each in its own transaction.
pub(super) fn apply(connection: &mut Connection) -> Result<(), StoreError> {
    let found: i64 = connection.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    let applied = usize::try_from(found)
        .ok()
        .filter(|&applied| applied <= MIGRATIONS.len())
        .ok_or(StoreError::NewerSchema {
            found,
            known: MIGRATIONS.len(),
        })?;
    for (index, migration) in MIGRATIONS.iter().enumerate().skip(applied) {
        let transaction = connection.transaction()?;
        transaction.execute_batch(migration)?;
        // PRAGMA takes no bound parameters; the value is a number this code made.
        transaction.execute_batch(&format!("PRAGMA user_version = {}", index + 1))?;
        transaction.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applies_every_migration_once() {
        let mut connection = Connection::open_in_memory().expect("open");
        apply(&mut connection).expect("first apply");
        // A second start finds nothing to do instead of failing on existing tables.
        apply(&mut connection).expect("second apply");
        let version: i64 = connection
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .expect("user_version");
        assert_eq!(version, MIGRATIONS.len() as i64);
    }

    #[test]
    fn refuses_a_database_from_a_newer_collector() {
        let mut connection = Connection::open_in_memory().expect("open");
        connection
            .execute_batch("PRAGMA user_version = 99")
            .expect("set version");
        assert!(matches!(
            apply(&mut connection),
            Err(StoreError::NewerSchema { found: 99, .. })
        ));
    }
}
