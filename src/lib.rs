//! Rebound: an in-page feedback and micro-survey widget.
//!
//! The crate is split in two. The modules at the top level are plain Rust that decides things (configuration,
//! the feedback form's rules, the payload and its JSON, texts) and is tested natively with `cargo test`. The `web`
//! module is the thin browser layer compiled to wasm: it reads the page, builds the DOM in a shadow root, listens
//! to events and talks to the network, and asks the plain modules what to do.
#![deny(missing_docs)]

pub mod config;
pub mod dialog;
pub mod feedback;
pub mod json;
pub mod locale;
pub mod submission;
pub mod uuid;
pub mod value;

#[cfg(target_arch = "wasm32")]
mod web;
#[cfg(target_arch = "wasm32")]
pub use web::{start, Widget};
