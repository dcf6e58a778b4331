//! Group commit on PostgreSQL: saves that arrive while the pool's connections are busy wait in a
//! queue, and the next free connection takes them all as one round: one transaction, one commit
//! (and so one WAL flush) for many responses. Each caller hears back only after the commit that
//! made its save durable.
//!
//! A round is saved by [`responses::save_all`], a few statements for the whole round whatever
//! its size. It first takes the advisory locks of all its ids, in one statement and in a fixed
//! order, so that rounds of two collectors wait for each other instead of deadlocking.
//! When anything in a round fails, PostgreSQL has aborted the whole transaction: the round is
//! rolled back and each save is run again alone, so that one bad save fails by itself.

use deadpool_postgres::{Object, Pool};
use tokio::sync::{mpsc, oneshot};

use super::Db;
use crate::store::responses::{self, Submitted};
use crate::store::{Saved, StoreError};

/// Most saves in one round, so that one transaction stays short. Each round size is a statement
/// of its own in the connections' caches of prepared statements, so this also bounds those.
const MAX_ROUND: usize = 64;

/// One queued save and where its answer goes.
struct Save {
    submitted: Submitted,
    reply: oneshot::Sender<Result<Saved, StoreError>>,
}

/// The queue into the rounds.
pub(super) struct Saves {
    queue: mpsc::UnboundedSender<Save>,
}

impl Saves {
    /// Starts taking rounds from the queue onto connections of `pool`. Must be called on the
    /// runtime; the task ends when the `Saves` is dropped.
    pub(super) fn start(pool: Pool) -> Self {
        let (queue, jobs) = mpsc::unbounded_channel();
        tokio::spawn(dispatch(pool, jobs));
        Self { queue }
    }

    /// Queues a save; the future resolves after the commit of its round.
    pub(super) async fn save(&self, submitted: Submitted) -> Result<Saved, StoreError> {
        let (reply, answer) = oneshot::channel();
        self.queue
            .send(Save { submitted, reply })
            .map_err(|_| StoreError::Closed)?;
        answer.await.map_err(|_| StoreError::Closed)?
    }
}

async fn dispatch(pool: Pool, mut jobs: mpsc::UnboundedReceiver<Save>) {
    while let Some(first) = jobs.recv().await {
        // While every connection is busy, saves pile up in the queue for the next round.
        let client = pool.get().await;
        let mut round = vec![first];
        while round.len() < MAX_ROUND {
            match jobs.try_recv() {
                Ok(save) => round.push(save),
                Err(_) => break,
            }
        }
        match client {
            Ok(client) => {
                tokio::spawn(run(client, round));
            }
            Err(error) => {
                let message = error.to_string();
                for save in round {
                    let _ = save.reply.send(Err(StoreError::Pool(message.clone())));
                }
            }
        }
    }
}

async fn run(mut client: Object, round: Vec<Save>) {
    let batch: Vec<&Submitted> = round.iter().map(|save| &save.submitted).collect();
    let outcome = together(&mut client, &batch).await;
    match outcome {
        Ok(saved) => {
            for (save, saved) in round.into_iter().zip(saved) {
                // The caller may have gone away (a client that disconnected); nothing to tell then.
                let _ = save.reply.send(Ok(saved));
            }
        }
        Err(error) if round.len() == 1 => {
            if let Some(save) = round.into_iter().next() {
                let _ = save.reply.send(Err(error));
            }
        }
        Err(_) => {
            for save in round {
                let alone = alone(&mut client, &save.submitted).await;
                let _ = save.reply.send(alone);
            }
        }
    }
}

/// Saves one version in a transaction of its own.
async fn alone(client: &mut Object, submitted: &Submitted) -> Result<Saved, StoreError> {
    let saved = together(client, &[submitted]).await?;
    // One outcome per save.
    Ok(saved.into_iter().next().unwrap_or(Saved::Kept))
}

/// Saves `batch` in one transaction and commits it; the outcomes are in the batch's order.
async fn together(client: &mut Object, batch: &[&Submitted]) -> Result<Vec<Saved>, StoreError> {
    let transaction = client.transaction().await?;
    let mut ids: Vec<&str> = batch.iter().map(|save| save.version.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    transaction
        .execute(
            "SELECT pg_advisory_xact_lock(key) FROM
                 (SELECT DISTINCT hashtextextended(id, 0) AS key
                  FROM unnest($1::text[]) AS id ORDER BY key) AS keys",
            &[&ids],
        )
        .await?;
    let saved = responses::save_all(&Db(&transaction), batch).await?;
    transaction.commit().await?;
    Ok(saved)
}
