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
    // 2: the answer count, the second key of which version wins (`store::precedence`).
    "ALTER TABLE responses ADD COLUMN answer_count INTEGER NOT NULL DEFAULT 0;
     UPDATE responses SET answer_count = json_array_length(body, '$.answers');",
    // 3: the recovery inbox. A case per response, its audit trail, and cases for the responses
    // stored before triage existed (normal priority, due a day after they arrived).
    "CREATE TABLE cases (
         id              TEXT    NOT NULL PRIMARY KEY REFERENCES responses (id),
         status          TEXT    NOT NULL DEFAULT 'new'
                         CHECK (status IN ('new', 'acknowledged', 'waiting_on_customer', 'resolved')),
         assignee        TEXT,
         notes           TEXT    NOT NULL DEFAULT '',
         priority        INTEGER NOT NULL,
         priority_reason TEXT    NOT NULL,
         visitor         TEXT,
         opened_at       TEXT    NOT NULL,
         due_at          TEXT    NOT NULL,
         updated_at      TEXT    NOT NULL
     ) STRICT;
     CREATE INDEX cases_queue ON cases (priority DESC, opened_at);
     CREATE INDEX cases_by_visitor ON cases (visitor);
     CREATE TABLE case_events (
         seq     INTEGER NOT NULL PRIMARY KEY,
         case_id TEXT    NOT NULL REFERENCES cases (id),
         at      TEXT    NOT NULL,
         actor   TEXT    NOT NULL,
         field   TEXT    NOT NULL,
         old     TEXT,
         new     TEXT
     ) STRICT;
     CREATE INDEX case_events_by_case ON case_events (case_id, seq);
     INSERT INTO cases (id, priority, priority_reason, opened_at, due_at, updated_at)
         SELECT id, 1, 'priority normal: received before the inbox existed', received_at,
                strftime('%Y-%m-%dT%H:%M:%fZ', received_at, '+1 day'), received_at
         FROM responses;",
    // 4: the webhook outbox, one delivery per hook and case (`crate::outbox`).
    "CREATE TABLE webhook_deliveries (
         id              TEXT    NOT NULL PRIMARY KEY,
         hook            TEXT    NOT NULL,
         case_id         TEXT    NOT NULL REFERENCES cases (id),
         payload         TEXT    NOT NULL,
         status          TEXT    NOT NULL DEFAULT 'pending'
                         CHECK (status IN ('pending', 'delivered', 'failed')),
         attempts        INTEGER NOT NULL DEFAULT 0,
         last_error      TEXT,
         next_attempt_at TEXT    NOT NULL,
         created_at      TEXT    NOT NULL,
         finished_at     TEXT,
         UNIQUE (hook, case_id)
     ) STRICT;
     CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);",
    // 5: the survey studio: definitions per site, and the configurations published from them.
    "CREATE TABLE surveys (
         site       TEXT NOT NULL,
         id         TEXT NOT NULL,
         status     TEXT NOT NULL CHECK (status IN ('draft', 'live', 'paused')),
         definition TEXT NOT NULL,
         updated_at TEXT NOT NULL,
         PRIMARY KEY (site, id)
     ) STRICT;
     CREATE TABLE site_versions (
         site         TEXT    NOT NULL,
         version      INTEGER NOT NULL,
         config       TEXT    NOT NULL,
         published_at TEXT    NOT NULL,
         PRIMARY KEY (site, version)
     ) STRICT;",
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
    fn responses_stored_before_version_2_get_answer_counts_and_cases() {
        let mut connection = Connection::open_in_memory().expect("open");
        connection.execute_batch(MIGRATIONS[0]).expect("version 1");
        connection
            .execute_batch(
                "PRAGMA user_version = 1;
                 INSERT INTO responses VALUES
                     ('a', 's', 'feedback', 1, '2026-11-23T09:40:00.000Z',
                      '2026-11-23T09:40:01.000Z', 1, '{\"answers\":[1,2]}');",
            )
            .expect("a version 1 row");
        apply(&mut connection).expect("apply");
        let count: u32 = connection
            .query_row("SELECT answer_count FROM responses", [], |row| row.get(0))
            .expect("answer_count");
        assert_eq!(count, 2);
        let due: String = connection
            .query_row("SELECT due_at FROM cases WHERE id = 'a'", [], |row| {
                row.get(0)
            })
            .expect("a case");
        assert_eq!(due, "2026-11-24T09:40:01.000Z");
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
