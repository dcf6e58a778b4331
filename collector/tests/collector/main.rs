//! The collector's HTTP behaviour, driven through [`rebound_collector::app`] without a socket.
//! One test binary with a module per area, so the crate links once.
//!
//! The router tests run on SQLite in memory; with `REBOUND_TEST_DATABASE=postgres://...` they
//! run on that PostgreSQL server instead, each in a schema of its own. `tests/postgres.sh`
//! starts a throwaway server on 127.0.0.1 and does that (or says it skipped).

mod admin;
mod admission;
mod browser;
mod cases;
mod cli;
mod contract;
mod cors;
mod demo_api;
mod durability;
mod export;
mod follow_up;
mod inbox;
mod ingest;
mod operations;
mod oversized;
mod process;
mod rejections;
mod reminders;
mod results;
mod static_files;
mod store;
mod studio;
mod studio_pages;
mod support;
mod trends;
mod webhooks;
