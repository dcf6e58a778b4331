//! Graceful shutdown, as a load balancer needs it. When SIGTERM (or Ctrl-C) arrives the
//! collector is [`Draining`]: `GET /readyz` answers 503 so that the balancer sends no new
//! requests, while everything is still served for `[server] shutdown_delay`. Then the listener
//! closes, the requests in flight finish, and the webhook worker finishes the attempt it is
//! making and gives back the rest of its claim before the process exits.

use tokio_util::sync::CancellationToken;

/// Whether shutdown has begun; clones share it.
#[derive(Clone, Debug, Default)]
pub struct Draining(CancellationToken);

impl Draining {
    /// From now on the collector says it is not ready.
    pub fn begin(&self) {
        self.0.cancel();
    }

    /// Whether [`Draining::begin`] was called.
    pub fn has_begun(&self) -> bool {
        self.0.is_cancelled()
    }
}

/// Resolves on Ctrl-C or, on Unix, SIGTERM.
pub async fn signal() {
    let interrupt = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
}
