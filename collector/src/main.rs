//! `rebound-collector serve`: runs the collector on a socket.
//!
//! Once listening it prints exactly two lines to stdout, which `cargo xtask demo` and the
//! end-to-end tests read:
//!
//! ```text
//! rebound-collector listening on http://127.0.0.1:PORT
//! admin token: TOKEN
//! ```
//!
//! Logs go to stderr (`RUST_LOG` filters them).

use std::io::{IsTerminal as _, Write as _};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Parser, Subcommand};
use rebound_collector::admin_token::{AdminToken, TokenError};
use rebound_collector::cors::{AllowedOrigins, OriginError};
use rebound_collector::store::{SqliteStore, StoreError};
use rebound_collector::{app, AppOptions, AppState};
use thiserror::Error;
use tokio::net::TcpListener;
use tracing_subscriber::EnvFilter;

#[derive(Parser)]
#[command(version, about = "Reference endpoint for the Rebound feedback widget")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Receive submissions over HTTP and store them in SQLite.
    Serve(ServeArgs),
}

#[derive(Args)]
struct ServeArgs {
    /// Address to listen on; port 0 picks a free one.
    #[arg(long, env = "REBOUND_ADDR", default_value = "127.0.0.1:8080")]
    addr: String,
    /// SQLite database file, created if missing.
    #[arg(long, env = "REBOUND_DB", default_value = "rebound.db")]
    db: PathBuf,
    /// Secret for listing responses; a random one is generated when not given.
    #[arg(long, env = "REBOUND_ADMIN_TOKEN", hide_env_values = true)]
    admin_token: Option<String>,
    /// Origin whose pages may POST submissions (repeatable; `*` allows all).
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
}

/// Why the collector could not start or stopped with an error.
#[derive(Debug, Error)]
enum ServeError {
    #[error("cannot open the database {path}: {source}")]
    Database { path: PathBuf, source: StoreError },
    #[error(transparent)]
    Token(#[from] TokenError),
    #[error(transparent)]
    Origin(#[from] OriginError),
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
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        // Colours only for a person watching; tests and scripts capture stderr to files.
        .with_ansi(std::io::stderr().is_terminal())
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    let Command::Serve(args) = Cli::parse().command;
    match serve(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("rebound-collector: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(args: ServeArgs) -> Result<(), ServeError> {
    let store = SqliteStore::open(&args.db).map_err(|source| ServeError::Database {
        path: args.db.clone(),
        source,
    })?;
    let admin_token = match &args.admin_token {
        Some(token) => AdminToken::new(token)?,
        None => AdminToken::generate()?,
    };
    let options = AppOptions {
        allowed_origins: AllowedOrigins::parse(args.allow_origins.iter().map(String::as_str))?,
        www: args.www,
        pkg: args.pkg,
    };
    let state = AppState {
        store: Arc::new(store),
        admin_token: admin_token.clone(),
    };
    let router = app(state, &options);

    let listener = TcpListener::bind(&args.addr)
        .await
        .map_err(|source| ServeError::Listen {
            addr: args.addr.clone(),
            source,
        })?;
    let local_addr = listener.local_addr().map_err(|source| ServeError::Listen {
        addr: args.addr.clone(),
        source,
    })?;
    announce(local_addr, &admin_token).map_err(ServeError::Stdout)?;
    tracing::info!(db = %args.db.display(), origins = ?options.allowed_origins, "collector started");

    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(ServeError::Server)?;
    tracing::info!("collector stopped");
    Ok(())
}

/// Prints the two lines that scripts wait for, flushed at once because stdout is a pipe there,
/// and a pipe's buffer would hold them back.
fn announce(addr: SocketAddr, token: &AdminToken) -> std::io::Result<()> {
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "rebound-collector listening on http://{addr}")?;
    writeln!(stdout, "admin token: {}", token.reveal())?;
    stdout.flush()
}

/// Resolves on Ctrl-C or, on Unix, SIGTERM; requests in flight are then finished before exit.
async fn shutdown_signal() {
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
    tracing::info!("shutting down");
}
