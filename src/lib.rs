//! Rebound: an in-page feedback and micro-survey widget.
//!
//! The crate is split in two. The modules at the top level are plain Rust that decides things (configuration,
//! the feedback form's rules, the payload and its JSON, texts) and is tested natively with `cargo test`. The `web`
//! module is the thin browser layer compiled to wasm: it reads the page, builds the DOM in a shadow root, listens
//! to events and talks to the network, and asks the plain modules what to do.
#![deny(missing_docs)]
// The widget as shipped (`cargo xtask dist`) is built without the `std` feature: only `core` and `alloc`, so
// std's panic and formatting machinery stays out of the wasm. Native and browser tests build with `std`.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

mod prelude;

pub mod config;
pub mod diagnostics;
pub mod dialog;
pub mod failure;
pub mod feedback;
pub mod float;
pub mod host_data;
pub mod json;
pub mod lease;
pub mod locale;
pub mod outbox;
pub mod payload;
pub mod receipt;
pub mod recovery;
pub mod stylesheet;
pub mod submission;
pub mod survey;
pub mod url_privacy;
pub mod uuid;
pub mod value;

#[cfg(target_arch = "wasm32")]
mod web;
#[cfg(all(target_arch = "wasm32", feature = "flush"))]
pub use web::{flush, Flush};
#[cfg(all(target_arch = "wasm32", feature = "core"))]
pub use web::{start, Eager};
#[cfg(all(target_arch = "wasm32", not(any(feature = "core", feature = "flush"))))]
pub use web::{start, Widget};
/// Without std a panic has nowhere to print: it stops the widget's wasm with a trap, as `panic = "abort"` did
/// with std.
#[cfg(all(target_arch = "wasm32", not(feature = "std")))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}

/// The widget's allocator in wasm: a sorted free list that coalesces neighbours. The widget allocates little and
/// runs on one thread, and this allocator is about 3 KB gzip smaller than the default dlmalloc.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
// SAFETY: wasm32-unknown-unknown without the atomics feature has exactly one thread.
static ALLOC: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };
