//! The collector's HTTP behaviour, driven through [`rebound_collector::app`] without a socket.
//! One test binary with a module per area, so the crate links once.

mod admin;
mod cors;
mod ingest;
mod rejections;
mod static_files;
mod store;
mod support;
