//! Group commit on PostgreSQL: saves that arrive while the pool's connections are busy wait in a
//! queue, and the next free connection takes them all as one round: one transaction, one commit
//! (and so one WAL flush) for many responses. Each caller hears back only after the commit that
//! made its save durable.
//!
//! Within a round the saves of different ids run at once, so that their statements are
//! pipelined on the connection instead of waiting for one another; saves of one id run in
//! order. The round first takes the advisory locks of all its ids, in one statement and in
//! a fixed order, so that rounds of two collectors wait for each other instead of deadlocking.
//! When anything in a round fails, PostgreSQL has aborted the whole transaction: the round is
//! rolled back and each save is run again alone, so that one bad save fails by itself.

use std::collections::BTreeMap;

use deadpool_postgres::{Object, Pool};
use futures_util::future::join_all;
use tokio::sync::{mpsc, oneshot};

use super::Db;
use crate::outbox::Outgoing;
use crate::store::{responses, ResponseVersion, Saved, StoreError};
use crate::triage::Triage;

/// Most saves in one round, so that one transaction stays short.
const MAX_ROUND: usize = 512;

/// One queued save and where its answer goes.
struct Save {
    version: ResponseVersion,
    triage: Triage,
    webhooks: Vec<Outgoing>,
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
    pub(super) async fn save(
        &self,
        version: ResponseVersion,
        triage: Triage,
        webhooks: Vec<Outgoing>,
    ) -> Result<Saved, StoreError> {
        let (reply, answer) = oneshot::channel();
        self.queue
            .send(Save {
                version,
                triage,
                webhooks,
                reply,
            })
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
    match together(&mut client, &round).await {
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
                let alone = together(&mut client, std::slice::from_ref(&save)).await;
                let _ = save
                    .reply
                    .send(alone.and_then(|saved| saved.first().copied().ok_or(StoreError::Closed)));
            }
        }
    }
}

/// Runs `round` in one transaction and commits it; the outcomes are in the round's order.
async fn together(client: &mut Object, round: &[Save]) -> Result<Vec<Saved>, StoreError> {
    let transaction = client.transaction().await?;
    let mut by_id: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (index, save) in round.iter().enumerate() {
        by_id.entry(&save.version.id).or_default().push(index);
    }
    let ids: Vec<&str> = by_id.keys().copied().collect();
    transaction
        .execute(
            "SELECT pg_advisory_xact_lock(key) FROM
                 (SELECT DISTINCT hashtextextended(id, 0) AS key
                  FROM unnest($1::text[]) AS id ORDER BY key) AS keys",
            &[&ids],
        )
        .await?;
    let db = &Db(&transaction);
    let outcomes = join_all(by_id.values().map(|indices| async move {
        let mut outcomes = Vec::with_capacity(indices.len());
        for &index in indices {
            let save = &round[index];
            let saved = responses::save(db, &save.version, &save.triage, &save.webhooks).await?;
            outcomes.push((index, saved));
        }
        Ok::<_, StoreError>(outcomes)
    }))
    .await;
    let mut saved = vec![Saved::Kept; round.len()];
    for outcome in outcomes {
        for (index, outcome) in outcome? {
            saved[index] = outcome;
        }
    }
    transaction.commit().await?;
    Ok(saved)
}
