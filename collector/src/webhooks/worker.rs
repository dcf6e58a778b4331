//! The delivery worker: claims due deliveries from the outbox, POSTs them signed, and records
//! each outcome; every `[webhook_delivery] reminder_check` it also claims the reminders that
//! came due, which queues their deliveries ([`crate::reminders`]). It runs beside the server in every collector process; claims are leases, so
//! several processes on one database never send one delivery at once, and a process killed
//! mid-attempt leaves its deliveries to be claimed again when the lease runs out. Asked to stop,
//! it finishes the attempt it is making, records it, and gives back the rest of its claim.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use tokio_util::sync::CancellationToken;

use super::{client, Webhooks};
use crate::metrics::Metrics;
use crate::outbox::{Delivery, Outcome};
use crate::reminders::{self, Announce, DueReminder};
use crate::store::Store;

/// Deliveries claimed at once.
const BATCH: u32 = 16;
/// How often to look for retries that came due, when nothing new woke the worker.
const POLL: Duration = Duration::from_secs(1);
/// How long a claim lasts beyond the attempt's own time limit.
const LEASE_MARGIN: Duration = Duration::from_secs(30);

/// Sends deliveries until `stop` is cancelled.
pub async fn run(
    store: Arc<dyn Store>,
    webhooks: Arc<Webhooks>,
    metrics: Arc<Metrics>,
    stop: CancellationToken,
) {
    let lease = webhooks.delivery.timeout + LEASE_MARGIN;
    let announce: Announce = {
        let webhooks = Arc::clone(&webhooks);
        Arc::new(move |due: &DueReminder| webhooks.reminder(due))
    };
    let mut reminders_checked: Option<Instant> = None;
    while !stop.is_cancelled() {
        let every = webhooks.delivery.reminder_check;
        if reminders_checked.is_none_or(|at| at.elapsed() >= every) {
            reminders_checked = Some(Instant::now());
            match store
                .claim_reminders(reminders::BATCH, Arc::clone(&announce))
                .await
            {
                Ok(0) => {}
                Ok(claimed) => tracing::info!(claimed, "reminders came due"),
                Err(error) => tracing::error!(%error, "cannot claim the reminders that came due"),
            }
        }
        match store.claim_deliveries(BATCH, lease).await {
            Ok(batch) if !batch.is_empty() => {
                let mut batch = batch.into_iter();
                for delivery in batch.by_ref() {
                    let outcome = attempt(&webhooks, &delivery).await;
                    metrics.webhook_attempt(&outcome);
                    log(&delivery, &outcome);
                    if let Err(error) = store.finish_delivery(delivery.id, outcome).await {
                        tracing::error!(%error, "cannot record a webhook delivery");
                    }
                    if stop.is_cancelled() {
                        break;
                    }
                }
                let rest: Vec<String> = batch.map(|delivery| delivery.id).collect();
                if !rest.is_empty() {
                    if let Err(error) = store.release_deliveries(rest).await {
                        tracing::error!(%error, "cannot give back claimed webhook deliveries");
                    }
                }
                // A full batch may mean more are due.
                continue;
            }
            Ok(_) => {}
            Err(error) => tracing::error!(%error, "cannot read the webhook outbox"),
        }
        tokio::select! {
            () = webhooks.woken() => {}
            () = tokio::time::sleep(POLL) => {}
            () = stop.cancelled() => {}
        }
    }
}

fn log(delivery: &Delivery, outcome: &Outcome) {
    let (id, hook) = (&delivery.id, &delivery.hook);
    match outcome {
        Outcome::Delivered => tracing::info!(%id, %hook, "webhook delivered"),
        Outcome::Retry { after, error } => {
            tracing::warn!(%id, %hook, %error, retry_in = ?after, "webhook attempt failed");
        }
        Outcome::Failed { error } => {
            tracing::error!(%id, %hook, %error, "webhook delivery failed for good");
        }
    }
}

/// One attempt at one delivery.
async fn attempt(webhooks: &Webhooks, delivery: &Delivery) -> Outcome {
    let Some(hook) = webhooks.hook(&delivery.hook) else {
        return Outcome::Failed {
            error: "the hook is no longer configured".to_owned(),
        };
    };
    let timestamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    let mut headers = vec![
        ("webhook-id", delivery.id.clone()),
        ("webhook-timestamp", timestamp.to_string()),
    ];
    if let Some(secret) = &hook.secret {
        let signature = secret.sign(&delivery.id, timestamp, &delivery.payload);
        headers.push(("webhook-signature", signature));
    }
    let sent = client::post(
        &webhooks.client,
        &hook.target,
        &headers,
        delivery.payload.clone(),
        webhooks.delivery.timeout,
    )
    .await;
    let error = match sent {
        Ok(status) if (200..300).contains(&status) => return Outcome::Delivered,
        Ok(status) => format!("the receiver answered HTTP {status}"),
        Err(error) => error,
    };
    Outcome::after_failure(delivery.attempts + 1, &webhooks.delivery.retry_after, error)
}
