//! `rebound-collector serve`: runs the collector on a socket; `rebound-collector check-config`:
//! checks the configuration it would run with.
//!
//! Once listening it prints exactly two lines to stdout, which `cargo xtask demo` and the
//! end-to-end tests read:
//!
//! ```text
//! rebound-collector listening on http://127.0.0.1:PORT
//! admin token: TOKEN
//! ```
//!
//! Logs go to stderr (`RUST_LOG` filters them; `REBOUND_LOG_FORMAT=json` makes them JSON lines).

use std::future::Future;
use std::io::{IsTerminal as _, Write as _};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use rebound_collector::admin_token::{AdminToken, TokenError};
use rebound_collector::config::{Config, ConfigError};
use rebound_collector::demo_surveys;
use rebound_collector::shutdown::{self, Draining};
use rebound_collector::store::{self, StoreError};
use rebound_collector::webhooks::worker;
use rebound_collector::{app, AppState};
use thiserror::Error;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tracing_subscriber::EnvFilter;

#[derive(Parser)]
#[command(version, about = "Reference endpoint for the Rebound feedback widget")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Receive submissions over HTTP and store them.
    Serve(Settings),
    /// Read the configuration as `serve` would, report what is wrong or what it sets, and exit.
    CheckConfig(Settings),
}

/// Where the settings come from: the config file, then `REBOUND__…` variables (see
/// `rebound_collector::config`), then these flags and their variables.
#[derive(Args)]
struct Settings {
    /// TOML config file.
    #[arg(long, env = "REBOUND_CONFIG")]
    config: Option<PathBuf>,
    /// Address to listen on; port 0 picks a free one [default: 127.0.0.1:8080].
    #[arg(long, env = "REBOUND_ADDR")]
    addr: Option<String>,
    /// The database: a SQLite file, created if missing [default: rebound.db].
    #[arg(long = "database", visible_alias = "db", env = "REBOUND_DB")]
    database: Option<String>,
    /// Secret for the admin API; a random one is generated when not given.
    #[arg(long, env = "REBOUND_ADMIN_TOKEN", hide_env_values = true)]
    admin_token: Option<String>,
    /// Origin whose pages may POST for sites without `origins` of their own, and read the
    /// answer (repeatable or comma-separated; `*` allows every origin). Once one is given, other
    /// origins and requests without an Origin are refused for those sites [default: any origin
    /// may post, none gets CORS headers].
    #[arg(
        long = "allow-origin",
        value_name = "ORIGIN",
        env = "REBOUND_ALLOW_ORIGINS",
        value_delimiter = ','
    )]
    allow_origins: Vec<String>,
    /// Directory served at `/` (the demo page).
    #[arg(long, env = "REBOUND_WWW")]
    www: Option<PathBuf>,
    /// Directory served at `/pkg/` (the built widget).
    #[arg(long, env = "REBOUND_PKG")]
    pkg: Option<PathBuf>,
    /// Mount the demo shop's pretend API at `/demo/api/` (a payment failing once, a coupon field).
    #[arg(long)]
    demo: bool,
}

impl Settings {
    /// The configuration with every layer applied.
    fn load(self) -> Result<Config, ConfigError> {
        let mut config = Config::load(self.config.as_deref(), std::env::vars())?;
        let server = &mut config.server;
        server.addr = self.addr.unwrap_or(std::mem::take(&mut server.addr));
        server.database = self
            .database
            .unwrap_or(std::mem::take(&mut server.database));
        server.admin_token = self.admin_token.or(server.admin_token.take());
        if !self.allow_origins.is_empty() {
            server.allow_origins = self.allow_origins;
        }
        server.www = self.www.or(server.www.take());
        server.pkg = self.pkg.or(server.pkg.take());
        server.demo |= self.demo;
        Ok(config)
    }
}

/// Why the collector could not start or stopped with an error.
#[derive(Debug, Error)]
enum ServeError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("cannot open the database {database}: {source}")]
    Database {
        database: String,
        source: StoreError,
    },
    #[error(transparent)]
    Token(#[from] TokenError),
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: String,
        source: std::io::Error,
    },
    #[error("cannot write to stdout: {0}")]
    Stdout(std::io::Error),
    #[error("the server failed: {0}")]
    Server(std::io::Error),
}

#[tokio::main]
async fn main() -> ExitCode {
    let logs = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        // Colours only for a person watching; tests and scripts capture stderr to files.
        .with_ansi(std::io::stderr().is_terminal())
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        );
    // One JSON object per line for log collectors; read before the config, which may fail.
    if std::env::var("REBOUND_LOG_FORMAT").is_ok_and(|format| format == "json") {
        logs.json().init();
    } else {
        logs.init();
    }
    let outcome = match Cli::parse().command {
        Command::Serve(settings) => serve(settings).await,
        Command::CheckConfig(settings) => check_config(settings),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("rebound-collector: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Validates everything `serve` would, short of opening the database and the socket.
fn check_config(settings: Settings) -> Result<(), ServeError> {
    let config = settings.load()?;
    let mut options = config.app_options()?;
    if options.demo {
        demo_surveys::configure(&mut options.sites);
    }
    if let Some(token) = &config.server.admin_token {
        AdminToken::new(token)?;
    }
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "configuration is valid")
        .and_then(|()| writeln!(stdout, "listen: {}", config.server.addr))
        .and_then(|()| writeln!(stdout, "database: {}", redacted(&config.server.database)))
        .and_then(|()| {
            let mut sites: Vec<&String> = options.sites.sites.keys().collect();
            sites.sort();
            writeln!(
                stdout,
                "sites: {sites:?} (known only: {})",
                options.sites.known_only
            )
        })
        .and_then(|()| writeln!(stdout, "limits: {:?}", options.limits))
        .and_then(|()| writeln!(stdout, "priority rules: {}", options.rules.len()))
        .and_then(|()| writeln!(stdout, "webhooks: {}", options.webhooks.len()))
        .map_err(ServeError::Stdout)
}

/// A database setting without the password a URL may hold, to print it.
fn redacted(database: &str) -> String {
    match (database.split_once("://"), database.rsplit_once('@')) {
        (Some((scheme, _)), Some((_, host))) => format!("{scheme}://***@{host}"),
        _ => database.to_owned(),
    }
}

async fn serve(settings: Settings) -> Result<(), ServeError> {
    let config = settings.load()?;
    let mut options = config.app_options()?;
    if options.demo {
        demo_surveys::configure(&mut options.sites);
    }
    let database = &config.server.database;
    let store = store::open(database, config.server.database_connections).map_err(|source| {
        ServeError::Database {
            database: database.clone(),
            source,
        }
    })?;
    // A PostgreSQL store connects lazily; connecting now reports a wrong URL at start.
    store.ping().await.map_err(|source| ServeError::Database {
        database: database.clone(),
        source,
    })?;
    if let Some(www) = options.www.as_deref().filter(|_| options.demo) {
        match demo_surveys::seed(store.as_ref(), www).await {
            Ok(0) => {}
            Ok(put) => tracing::info!(put, "the demo shop's surveys are in the studio, published"),
            Err(error) => {
                tracing::warn!(%error, "the demo shop's surveys could not be put into the studio")
            }
        }
    }
    let admin_token = match &config.server.admin_token {
        Some(token) => AdminToken::new(token)?,
        None => AdminToken::generate()?,
    };
    // The delivery worker runs beside the server until the server has stopped.
    let stop_worker = CancellationToken::new();
    let worker = tokio::spawn(worker::run(
        Arc::clone(&store),
        Arc::clone(&options.webhooks),
        Arc::clone(&options.metrics),
        stop_worker.clone(),
    ));
    let state = AppState {
        store,
        admin_token: admin_token.clone(),
    };
    let router = app(state, &options);

    let addr = &config.server.addr;
    let listen_error = |source| ServeError::Listen {
        addr: addr.clone(),
        source,
    };
    let listener = TcpListener::bind(addr).await.map_err(listen_error)?;
    // Before the address is announced, so that whoever reads it may send SIGTERM at once.
    let stop = shutdown::signal();
    let local_addr = listener.local_addr().map_err(listen_error)?;
    // Whoever started the collector may have stopped reading its stdout (a closed pipe); that
    // is no reason to stop serving.
    if let Err(error) = announce(local_addr, &admin_token) {
        tracing::warn!(%error, "cannot print the address and admin token to stdout");
    }
    tracing::info!(%database, origins = ?options.allowed_origins, "collector started");

    // The peer address feeds the per-address rate limit.
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(drain(
        stop,
        options.draining.clone(),
        config.server.shutdown_delay,
    ))
    .await
    .map_err(ServeError::Server)?;
    // Requests in flight have finished; the worker finishes its attempt and gives back the rest.
    stop_worker.cancel();
    if let Err(error) = worker.await {
        tracing::error!(%error, "the webhook worker failed");
    }
    tracing::info!("collector stopped");
    Ok(())
}

/// Resolves when the listener should close: on SIGTERM or Ctrl-C, once `delay` has passed with
/// `/readyz` answering 503, so that a load balancer has stopped sending requests here.
async fn drain(stop: impl Future<Output = ()>, draining: Draining, delay: Duration) {
    stop.await;
    draining.begin();
    tracing::info!(
        ?delay,
        "shutting down: not ready, then finishing the requests in flight"
    );
    tokio::time::sleep(delay).await;
}

/// Prints the two lines that scripts wait for, flushed at once because stdout is a pipe there,
/// and a pipe's buffer would hold them back.
fn announce(addr: SocketAddr, token: &AdminToken) -> std::io::Result<()> {
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "rebound-collector listening on http://{addr}")?;
    writeln!(stdout, "admin token: {}", token.reveal())?;
    stdout.flush()
}

#[cfg(test)]
mod tests {
    use super::redacted;

    #[test]
    fn printed_database_urls_hide_their_password() {
        assert_eq!(
            redacted("postgres://rebound:s3cret@db.internal:5432/rebound"),
            "postgres://***@db.internal:5432/rebound"
        );
        assert_eq!(
            redacted("/var/lib/rebound/rebound.db"),
            "/var/lib/rebound/rebound.db"
        );
    }
}
