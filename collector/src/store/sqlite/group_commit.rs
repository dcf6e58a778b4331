//! Group commit: one thread owns the SQLite connection and runs every store call as a job.
//! Jobs that arrive while a commit is in progress wait in a queue; the next round runs all of
//! them in one transaction, each in its own savepoint, and commits once. A commit costs an
//! fsync, so under load many responses share one, while each caller still hears back only after
//! the commit that made its work durable.
//!
//! A job that fails is rolled back to its savepoint alone; a commit that fails fails every job
//! of its round.

use std::sync::mpsc;

use rusqlite::Connection;
use tokio::sync::oneshot;

use crate::store::{StoreError, StoreFuture};

/// Most jobs in one transaction, so that one round cannot hold readers' view back for long.
const MAX_ROUND: usize = 256;

/// A queued store call.
trait Job: Send {
    /// Does the work inside the round's transaction; `true` when it succeeded.
    fn run(&mut self, connection: &Connection) -> bool;
    /// Answers the caller once the round's commit is known.
    fn finish(self: Box<Self>, commit: &Result<(), String>);
}

struct Pending<T, F> {
    work: Option<F>,
    result: Option<Result<T, StoreError>>,
    reply: oneshot::Sender<Result<T, StoreError>>,
}

impl<T, F> Job for Pending<T, F>
where
    T: Send,
    F: FnOnce(&Connection) -> Result<T, StoreError> + Send,
{
    fn run(&mut self, connection: &Connection) -> bool {
        let result = self.work.take().map(|work| work(connection));
        let succeeded = matches!(result, Some(Ok(_)));
        self.result = result;
        succeeded
    }

    fn finish(self: Box<Self>, commit: &Result<(), String>) {
        let answer = match (self.result, commit) {
            (Some(Err(error)), _) => Err(error),
            (Some(Ok(value)), Ok(())) => Ok(value),
            (_, Err(message)) => Err(StoreError::Commit(message.clone())),
            (None, Ok(())) => Err(StoreError::Commit("the job did not run".to_owned())),
        };
        // The caller may have gone away (a client that disconnected); nothing to tell then.
        let _ = self.reply.send(answer);
    }
}

/// The queue into the connection's thread.
#[derive(Clone)]
pub(super) struct Writer {
    jobs: mpsc::Sender<Box<dyn Job>>,
}

impl Writer {
    /// Moves `connection` to its own thread, which ends when the last `Writer` is dropped.
    pub(super) fn spawn(connection: Connection) -> std::io::Result<Self> {
        let (jobs, queue) = mpsc::channel::<Box<dyn Job>>();
        std::thread::Builder::new()
            .name("rebound-sqlite".to_owned())
            .spawn(move || {
                while let Ok(first) = queue.recv() {
                    let mut round = vec![first];
                    round.extend(queue.try_iter().take(MAX_ROUND - 1));
                    let commit = run_round(&connection, &mut round);
                    for job in round {
                        job.finish(&commit);
                    }
                }
            })?;
        Ok(Self { jobs })
    }

    /// Queues `work`; the future resolves after the commit of its round.
    pub(super) fn submit<T, F>(&self, work: F) -> StoreFuture<'static, T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let queued = self.jobs.send(Box::new(Pending {
            work: Some(work),
            result: None,
            reply,
        }));
        Box::pin(async move {
            queued.map_err(|_| StoreError::Closed)?;
            answer.await.map_err(|_| StoreError::Closed)?
        })
    }
}

/// Runs one round in one transaction. IMMEDIATE takes the write lock up front, so no other
/// process can write between a job's read and its write.
fn run_round(connection: &Connection, round: &mut [Box<dyn Job>]) -> Result<(), String> {
    let sql = |statement: &str| {
        connection
            .execute_batch(statement)
            .map_err(|e| e.to_string())
    };
    sql("BEGIN IMMEDIATE")?;
    for job in round.iter_mut() {
        let step = sql("SAVEPOINT job").and_then(|()| {
            if job.run(connection) {
                sql("RELEASE job")
            } else {
                sql("ROLLBACK TO job; RELEASE job")
            }
        });
        if let Err(error) = step {
            let _ = sql("ROLLBACK");
            return Err(error);
        }
    }
    sql("COMMIT").inspect_err(|_| {
        let _ = sql("ROLLBACK");
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn writer() -> Writer {
        let connection = Connection::open_in_memory().expect("open");
        connection
            .execute_batch("CREATE TABLE t (v INTEGER NOT NULL UNIQUE)")
            .expect("table");
        Writer::spawn(connection).expect("thread")
    }

    fn insert(value: i64) -> impl FnOnce(&Connection) -> Result<usize, StoreError> {
        move |connection| Ok(connection.execute("INSERT INTO t VALUES (?1)", [value])?)
    }

    fn count(connection: &Connection) -> Result<i64, StoreError> {
        Ok(connection.query_row("SELECT COUNT(*) FROM t", [], |row| row.get(0))?)
    }

    #[tokio::test]
    async fn a_failed_job_is_undone_alone() {
        let writer = writer();
        // Queued together, so they most likely share one round; the result is the same if not.
        let first = writer.submit(insert(1));
        let duplicate = writer.submit(insert(1));
        let second = writer.submit(insert(2));
        assert!(first.await.is_ok());
        assert!(duplicate.await.is_err());
        assert!(second.await.is_ok());
        assert_eq!(writer.submit(count).await.expect("count"), 2);
    }

    #[tokio::test]
    async fn many_concurrent_jobs_all_commit() {
        let writer = writer();
        let jobs: Vec<_> = (0..1000)
            .map(|value| writer.submit(insert(value)))
            .collect();
        for job in jobs {
            job.await.expect("insert");
        }
        assert_eq!(writer.submit(count).await.expect("count"), 1000);
    }
}
