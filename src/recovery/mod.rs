//! Service recovery on the page, as plain Rust: when an answer calls for it ([`rule`], with the one definition
//! of an [`unhappy`] answer), what the survey offers
//! ([`plan`]), the visitor's way through the steps ([`flow`]) and the case it opens for the support team
//! ([`case`], with its [`reference`]), and what the card shows at each step ([`screen`]). The browser layer draws
//! the steps in the survey card and sends the case with the response.

pub mod case;
pub mod flow;
pub mod follow_up;
pub mod plan;
pub mod reference;
pub mod rule;
pub mod screen;
pub mod unhappy;
