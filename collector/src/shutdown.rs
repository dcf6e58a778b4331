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

/// Listens for Ctrl-C and, on Unix, SIGTERM from now on, not only once the returned future is
/// first polled: a signal that arrives in between (say, while the server task has not started
/// yet) would otherwise end the process at once. The future resolves on the first of them.
pub fn signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .inspect_err(|error| tracing::error!(%error, "cannot listen for SIGTERM"))
        .ok();
    // `ctrl_c` registers its handler on first poll; SIGINT's default is acceptable until then.
    let interrupt = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    async move {
        #[cfg(unix)]
        let terminate = async move {
            match terminate {
                Some(mut signal) => {
                    signal.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        };
        #[cfg(not(unix))]
        let terminate = std::future::pending::<()>();
        tokio::select! {
            () = interrupt => {}
            () = terminate => {}
        }
    }
}
