//! The `alloc` types every module uses, in one import. The crate was `no_std` once (`wasm_split_helpers` needs
//! `std`, see `docs/size.md`); the modules still start with `use crate::prelude::*;`, which names these.

pub use alloc::borrow::ToOwned;
pub use alloc::boxed::Box;
pub use alloc::string::String;
pub use alloc::vec;
pub use alloc::vec::Vec;
