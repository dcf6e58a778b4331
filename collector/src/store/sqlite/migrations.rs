//! The SQLite schema as a list of migrations, applied in order at start-up. The database's
//! `PRAGMA user_version` is the number of migrations already applied.

use rusqlite::functions::FunctionFlags;
use rusqlite::Connection;

use crate::follow_up;

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
    // 5: the follow-up (`crate::follow_up`): a recovery case's reference and secret, looked up
    // by the reference; when it was resolved and the note its resolver left for the visitor.
    // Cases stored before get theirs from their bodies and their history.
    "ALTER TABLE cases ADD COLUMN reference TEXT;
     ALTER TABLE cases ADD COLUMN secret TEXT;
     ALTER TABLE cases ADD COLUMN resolved_at TEXT;
     ALTER TABLE cases ADD COLUMN visitor_note TEXT;
     ALTER TABLE cases ADD COLUMN visitor_note_from TEXT;
     CREATE INDEX cases_by_reference ON cases (reference);
     UPDATE cases SET
         reference = (SELECT json_extract(body, '$.recovery.reference') FROM responses
                      WHERE responses.id = cases.id),
         secret = (SELECT json_extract(body, '$.recovery.secret') FROM responses
                   WHERE responses.id = cases.id);
     UPDATE cases SET resolved_at = COALESCE(
         (SELECT MAX(at) FROM case_events
          WHERE case_id = cases.id AND field = 'status' AND new = 'resolved'),
         updated_at)
     WHERE status = 'resolved';",
    // 6: reminders (`crate::reminders`): when to check back on a case and when its reminder was
    // announced; deliveries name what they announce, so a case can have a reminder delivery per
    // hook beside its opening one (SQLite changes a UNIQUE constraint by copying the table).
    "ALTER TABLE cases ADD COLUMN remind_at TEXT;
     ALTER TABLE cases ADD COLUMN reminded_at TEXT;
     CREATE INDEX cases_by_reminder ON cases (remind_at);
     CREATE TABLE webhook_deliveries_6 (
         id              TEXT    NOT NULL PRIMARY KEY,
         hook            TEXT    NOT NULL,
         case_id         TEXT    NOT NULL REFERENCES cases (id),
         event           TEXT    NOT NULL,
         payload         TEXT    NOT NULL,
         status          TEXT    NOT NULL DEFAULT 'pending'
                         CHECK (status IN ('pending', 'delivered', 'failed')),
         attempts        INTEGER NOT NULL DEFAULT 0,
         last_error      TEXT,
         next_attempt_at TEXT    NOT NULL,
         created_at      TEXT    NOT NULL,
         finished_at     TEXT,
         UNIQUE (hook, case_id, event)
     ) STRICT;
     INSERT INTO webhook_deliveries_6
         SELECT id, hook, case_id, 'case.opened', payload, status, attempts, last_error,
                next_attempt_at, created_at, finished_at
         FROM webhook_deliveries;
     DROP TABLE webhook_deliveries;
     ALTER TABLE webhook_deliveries_6 RENAME TO webhook_deliveries;
     CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);",
    // 7: the trends (`crate::trends`) read the responses received in a period.
    "CREATE INDEX responses_by_received ON responses (received_at);",
    // 8: the survey studio: definitions per site, and the configurations published from them.
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
    // 9: only the SHA-256 of a case's secret is kept (`crate::follow_up::digest`, registered as
    // `rebound_sha256` by `apply`), and the stored responses lose the secret itself.
    "UPDATE cases SET secret = rebound_sha256(secret) WHERE secret IS NOT NULL;
     ALTER TABLE cases RENAME COLUMN secret TO secret_sha256;
     UPDATE responses SET body = json_remove(body, '$.recovery.secret')
     WHERE json_type(body, '$.recovery.secret') IS NOT NULL;",
    // 10: survey results (`crate::results`): the surveys shown and dismissed (`crate::views`), once
    // per batch and position, counted per survey and period.
    "CREATE TABLE survey_views (
         batch          TEXT    NOT NULL,
         seq            INTEGER NOT NULL,
         site           TEXT    NOT NULL,
         survey         TEXT    NOT NULL,
         event          TEXT    NOT NULL CHECK (event IN ('shown', 'dismissed')),
         page           TEXT    NOT NULL,
         config_version INTEGER,
         at             TEXT    NOT NULL,
         received_at    TEXT    NOT NULL,
         PRIMARY KEY (batch, seq)
     ) STRICT;
     CREATE INDEX survey_views_by_survey ON survey_views (survey, received_at);",
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
    connection.create_scalar_function(
        "rebound_sha256",
        1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |context| Ok(follow_up::digest(&context.get::<String>(0)?)),
    )?;
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

    /// A database with the first `version` migrations applied, as a collector of that version left it.
    fn migrated_to(version: usize) -> Connection {
        let connection = Connection::open_in_memory().expect("open");
        for migration in &MIGRATIONS[..version] {
            connection
                .execute_batch(migration)
                .expect("the earlier versions");
        }
        connection
    }

    #[test]
    fn cases_stored_before_version_5_get_their_keys_and_resolution() {
        let mut connection = migrated_to(4);
        connection
            .execute_batch(
                "PRAGMA user_version = 4;
                 INSERT INTO responses VALUES
                     ('a', 's', 'survey', 1, '2026-11-23T09:40:00.000Z', '2026-11-23T09:40:01.000Z',
                      1, '{\"recovery\":{\"reference\":\"RB-7KQ2\",\"secret\":\"S\"}}', 1),
                     ('b', 's', 'feedback', 1, '2026-11-23T09:40:00.000Z',
                      '2026-11-23T09:40:01.000Z', 2, '{}', 0);
                 INSERT INTO cases (id, status, priority, priority_reason, opened_at, due_at, updated_at)
                 VALUES ('a', 'resolved', 2, 'r', 'o', 'd', '2026-11-24T00:00:00.000Z'),
                        ('b', 'new', 1, 'r', 'o', 'd', 'u');
                 INSERT INTO case_events (case_id, at, actor, field, old, new)
                 VALUES ('a', '2026-11-23T12:00:00.000Z', 'api', 'status', 'new', 'resolved');",
            )
            .expect("version 4 rows");
        apply(&mut connection).expect("apply");
        let row = |id: &str| {
            connection
                .query_row(
                    "SELECT reference, secret_sha256, resolved_at FROM cases WHERE id = ?1",
                    [id],
                    |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
                )
                .expect("case")
        };
        let a: (Option<String>, Option<String>, Option<String>) = row("a");
        assert_eq!(
            a,
            (
                Some("RB-7KQ2".to_owned()),
                // Since version 9, only its digest.
                Some(follow_up::digest("S")),
                Some("2026-11-23T12:00:00.000Z".to_owned())
            )
        );
        assert_eq!(row("b"), (None, None, None));
        let body: String = connection
            .query_row("SELECT body FROM responses WHERE id = 'a'", [], |row| {
                row.get(0)
            })
            .expect("the response");
        assert_eq!(body, r#"{"recovery":{"reference":"RB-7KQ2"}}"#);
    }

    #[test]
    fn deliveries_stored_before_version_6_announced_the_opening() {
        let mut connection = migrated_to(5);
        connection
            .execute_batch(
                "PRAGMA user_version = 5;
                 INSERT INTO responses VALUES
                     ('a', 's', 'feedback', 1, 'c', 'r', 1, '{}', 0);
                 INSERT INTO cases (id, priority, priority_reason, opened_at, due_at, updated_at)
                 VALUES ('a', 2, 'r', 'o', 'd', 'u');
                 INSERT INTO webhook_deliveries (id, hook, case_id, payload, next_attempt_at, created_at)
                 VALUES ('msg_1', 's/team', 'a', '{}', 'n', 'c');",
            )
            .expect("version 5 rows");
        apply(&mut connection).expect("apply");
        let event: String = connection
            .query_row(
                "SELECT event FROM webhook_deliveries WHERE id = 'msg_1'",
                [],
                |row| row.get(0),
            )
            .expect("the delivery");
        assert_eq!(event, "case.opened");
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
