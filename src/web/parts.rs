//! The on-demand parts and how they arrive. With the `split` feature (`cargo xtask dist`) each part is a split
//! point of `wasm_split_helpers`: `wasm-split-cli` moves the part and everything only it uses into a chunk that
//! is fetched the first time the part is asked for, sharing the main module's memory. `split_card.wasm` holds the
//! feedback dialog and the surveys (one card draws both), `split_outbox.wasm` what sends answers earlier pages
//! left, and `chunk_*.wasm` the code both use (the outbox itself). Without it (native and browser tests) a part is a
//! plain call. Either way the answer comes back in a later task; a chunk that cannot be fetched ends as `None`,
//! and a later ask tries again.

use crate::prelude::*;

use super::outlet::{Feedback, Outlet, Surveys};
use super::{feedback_dialog, report, surveys};
use crate::value::Value;
use alloc::rc::Rc;
use wasm_split_helpers::SplitLoaderError;

/// Defines a part's loader `$name(args…) -> Result<$out, SplitLoaderError>`: a split point with the `split`
/// feature, a plain async function without it.
macro_rules! part {
    ($chunk:ident, fn $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $out:ty $body:block) => {
        #[cfg(feature = "split")]
        #[wasm_split_helpers::wasm_split($chunk, fallible)]
        fn $name($($arg: $ty),*) -> Result<$out, SplitLoaderError> {
            Ok($body)
        }

        #[cfg(not(feature = "split"))]
        async fn $name($($arg: $ty),*) -> Result<$out, SplitLoaderError> {
            Ok($body)
        }
    };
}

part!(
    card,
    fn build_dialog(outlet: Rc<Outlet>) -> Option<Rc<dyn Feedback>> {
        feedback_dialog::Dialog::build(outlet).map(|d| d as Rc<dyn Feedback>)
    }
);

part!(
    card,
    fn build_surveys(
        outlet: Rc<Outlet>,
        definitions: Value,
        preferences: Vec<String>,
        cooldown_days: u32,
    ) -> Option<Rc<dyn Surveys>> {
        surveys::Page::start(outlet, &definitions, preferences, cooldown_days)
            .map(|s| s as Rc<dyn Surveys>)
    }
);

part!(
    outbox,
    fn flush_outbox(outlet: Rc<Outlet>) -> Option<()> {
        outlet.delivery().flush();
        Some(())
    }
);

/// Why a part is not there.
pub enum Missing {
    /// Its chunk could not be fetched or compiled (the loader logged the cause); asking again tries again.
    Unreachable,
    /// It has nothing to show (no valid survey, or the page refused an element).
    Nothing,
}

fn settle<T>(result: Result<Option<T>, SplitLoaderError>) -> Result<T, Missing> {
    match result {
        Ok(Some(part)) => Ok(part),
        Ok(None) => Err(Missing::Nothing),
        Err(_) => Err(Missing::Unreachable),
    }
}

/// Builds the feedback dialog, fetching its chunk first when needed, and hands it to `done`.
pub fn dialog(outlet: Rc<Outlet>, done: impl FnOnce(Result<Rc<dyn Feedback>, Missing>) + 'static) {
    wasm_bindgen_futures::spawn_local(async move { done(settle(build_dialog(outlet).await)) });
}

/// Reads the survey definitions and starts the surveys with the `surveyCooldownDays` option, fetching their
/// chunk first when needed.
pub fn surveys(
    outlet: Rc<Outlet>,
    (definitions, cooldown_days): (Value, u32),
    preferences: Vec<String>,
    done: impl FnOnce(Result<Rc<dyn Surveys>, Missing>) + 'static,
) {
    wasm_bindgen_futures::spawn_local(async move {
        let part = build_surveys(outlet, definitions, preferences, cooldown_days).await;
        done(settle(part))
    });
}

/// Starts the outbox and sends what earlier pages left in it, fetching its chunk first when needed.
pub fn outbox(outlet: Rc<Outlet>) {
    wasm_bindgen_futures::spawn_local(async move {
        if flush_outbox(outlet).await.is_err() {
            report("rebound: the outbox could not be loaded; the answers waiting in it are sent by a later page view");
        }
    });
}
