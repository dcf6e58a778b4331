//! The PostgreSQL schema as a list of migrations, applied in order at start-up under an
//! advisory lock, so that several collectors starting together migrate once. The table
//! `rebound_schema` holds how many are applied.
//!
//! Times are kept as RFC 3339 text in the same format as the SQLite store (so they sort as
//! text and serialize as they are), made by `rebound_time`.

use tokio_postgres::Client;

use crate::store::StoreError;

/// The advisory lock key that serialises migrations ("rebound" in ASCII).
const LOCK: i64 = 0x0072_6562_6f75_6e64;

/// Each entry moves the schema one version up. Never edit an entry that has shipped: add one.
const MIGRATIONS: &[&str] = &[
    // 1: everything the SQLite store has after its migration 4.
    r#"CREATE FUNCTION rebound_time(t timestamptz) RETURNS text LANGUAGE sql STABLE AS
         $$ SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') $$;
       CREATE FUNCTION rebound_now() RETURNS text LANGUAGE sql VOLATILE AS
         $$ SELECT rebound_time(clock_timestamp()) $$;
       CREATE FUNCTION rebound_after(base text, seconds bigint) RETURNS text LANGUAGE sql STABLE AS
         $$ SELECT rebound_time(base::timestamptz + seconds * interval '1 second') $$;
       CREATE SEQUENCE responses_revision;
       CREATE TABLE responses (
           id           text    NOT NULL PRIMARY KEY,
           site         text    NOT NULL,
           kind         text    NOT NULL,
           complete     boolean NOT NULL,
           answer_count bigint  NOT NULL,
           created_at   text    NOT NULL,
           received_at  text    NOT NULL,
           revision     bigint  NOT NULL UNIQUE,
           body         text    NOT NULL
       );
       CREATE TABLE cases (
           id              text   NOT NULL PRIMARY KEY REFERENCES responses (id),
           status          text   NOT NULL DEFAULT 'new'
                           CHECK (status IN ('new', 'acknowledged', 'waiting_on_customer', 'resolved')),
           assignee        text,
           notes           text   NOT NULL DEFAULT '',
           priority        bigint NOT NULL,
           priority_reason text   NOT NULL,
           visitor         text,
           opened_at       text   NOT NULL,
           due_at          text   NOT NULL,
           updated_at      text   NOT NULL
       );
       CREATE INDEX cases_queue ON cases (priority DESC, opened_at);
       CREATE INDEX cases_by_visitor ON cases (visitor);
       CREATE TABLE case_events (
           seq     bigserial NOT NULL PRIMARY KEY,
           case_id text      NOT NULL REFERENCES cases (id),
           at      text      NOT NULL,
           actor   text      NOT NULL,
           field   text      NOT NULL,
           old     text,
           new     text
       );
       CREATE INDEX case_events_by_case ON case_events (case_id, seq);
       CREATE TABLE webhook_deliveries (
           id              text   NOT NULL PRIMARY KEY,
           hook            text   NOT NULL,
           case_id         text   NOT NULL REFERENCES cases (id),
           payload         text   NOT NULL,
           status          text   NOT NULL DEFAULT 'pending'
                           CHECK (status IN ('pending', 'delivered', 'failed')),
           attempts        bigint NOT NULL DEFAULT 0,
           last_error      text,
           next_attempt_at text   NOT NULL,
           created_at      text   NOT NULL,
           finished_at     text,
           UNIQUE (hook, case_id)
       );
       CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);"#,
    // 2: as the SQLite store's migration 5, the follow-up.
    r#"ALTER TABLE cases
           ADD COLUMN reference text,
           ADD COLUMN secret text,
           ADD COLUMN resolved_at text,
           ADD COLUMN visitor_note text,
           ADD COLUMN visitor_note_from text;
       CREATE INDEX cases_by_reference ON cases (reference);
       UPDATE cases SET
           reference = responses.body::jsonb #>> '{recovery,reference}',
           secret = responses.body::jsonb #>> '{recovery,secret}'
       FROM responses
       WHERE responses.id = cases.id AND responses.body::jsonb ? 'recovery';
       UPDATE cases SET resolved_at = COALESCE(
           (SELECT MAX(at) FROM case_events
            WHERE case_id = cases.id AND field = 'status' AND new = 'resolved'),
           updated_at)
       WHERE status = 'resolved';"#,
    // 3: as the SQLite store's migration 6, reminders.
    r#"ALTER TABLE cases ADD COLUMN remind_at text, ADD COLUMN reminded_at text;
       CREATE INDEX cases_by_reminder ON cases (remind_at);
       ALTER TABLE webhook_deliveries
           ADD COLUMN event text NOT NULL DEFAULT 'case.opened',
           DROP CONSTRAINT webhook_deliveries_hook_case_id_key,
           ADD UNIQUE (hook, case_id, event);
       ALTER TABLE webhook_deliveries ALTER COLUMN event DROP DEFAULT;"#,
    // 4: as the SQLite store's migration 7, the trends' index.
    "CREATE INDEX responses_by_received ON responses (received_at);",
    // 5: the survey studio, as the SQLite store's migration 8.
    r#"CREATE TABLE surveys (
           site       text NOT NULL,
           id         text NOT NULL,
           status     text NOT NULL CHECK (status IN ('draft', 'live', 'paused')),
           definition text NOT NULL,
           updated_at text NOT NULL,
           PRIMARY KEY (site, id)
       );
       CREATE TABLE site_versions (
           site         text   NOT NULL,
           version      bigint NOT NULL,
           config       text   NOT NULL,
           published_at text   NOT NULL,
           PRIMARY KEY (site, version)
       );"#,
    // 6: as the SQLite store's migration 9, only the digest of a case's secret.
    r#"UPDATE cases SET secret = encode(sha256(convert_to(secret, 'UTF8')), 'hex')
       WHERE secret IS NOT NULL;
       ALTER TABLE cases RENAME COLUMN secret TO secret_sha256;
       UPDATE responses SET body = (body::jsonb #- '{recovery,secret}')::text
       WHERE body::jsonb #> '{recovery,secret}' IS NOT NULL;"#,
    // 7: survey views, as the SQLite store's migration 10.
    r#"CREATE TABLE survey_views (
           batch          text   NOT NULL,
           seq            bigint NOT NULL,
           site           text   NOT NULL,
           survey         text   NOT NULL,
           event          text   NOT NULL CHECK (event IN ('shown', 'dismissed')),
           page           text   NOT NULL,
           config_version bigint,
           at             text   NOT NULL,
           received_at    text   NOT NULL,
           PRIMARY KEY (batch, seq)
       );
       CREATE INDEX survey_views_by_survey ON survey_views (survey, received_at);"#,
];

/// Applies the migrations the database has not seen yet, all in one transaction.
pub(super) async fn apply(client: &mut Client) -> Result<(), StoreError> {
    let transaction = client.transaction().await?;
    transaction
        .execute("SELECT pg_advisory_xact_lock($1)", &[&LOCK])
        .await?;
    transaction
        .batch_execute("CREATE TABLE IF NOT EXISTS rebound_schema (version bigint NOT NULL)")
        .await?;
    let found: i64 = transaction
        .query_opt("SELECT version FROM rebound_schema", &[])
        .await?
        .map_or(0, |row| row.get(0));
    let applied = usize::try_from(found)
        .ok()
        .filter(|&applied| applied <= MIGRATIONS.len())
        .ok_or(StoreError::NewerSchema {
            found,
            known: MIGRATIONS.len(),
        })?;
    for migration in &MIGRATIONS[applied..] {
        transaction.batch_execute(migration).await?;
    }
    let version = i64::try_from(MIGRATIONS.len()).unwrap_or(i64::MAX);
    transaction
        .execute("DELETE FROM rebound_schema", &[])
        .await?;
    transaction
        .execute("INSERT INTO rebound_schema VALUES ($1)", &[&version])
        .await?;
    transaction.commit().await?;
    Ok(())
}
