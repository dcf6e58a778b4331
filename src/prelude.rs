//! What the standard prelude would give every module, taken from `alloc`, so that the crate builds the same with
//! and without `std` (see the `std` feature in `Cargo.toml`). Modules that need them start with `use crate::prelude::*;`.

#[cfg(not(feature = "std"))]
pub use crate::float::Float;
pub use alloc::borrow::ToOwned;
pub use alloc::boxed::Box;
pub use alloc::string::String;
pub use alloc::vec;
pub use alloc::vec::Vec;
