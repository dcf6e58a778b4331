//! What the visitor is told about answers they sent, for the feedback form and the survey card alike, and only
//! what is true: "sending" while the request is on its way, thanks once the endpoint has the answers, "saved"
//! while they wait in the outbox (and thanks after all when they arrive later), and "refused" when the endpoint
//! refused them for good, which nothing retries. One receipt per form: it follows the one response the visitor
//! last sent and the one that waits in the outbox.

use crate::prelude::*;

/// What became of one response, as delivery reports it.
#[derive(Clone, Debug, PartialEq)]
pub enum Status {
    /// The endpoint has it.
    Delivered,
    /// It is saved and will be sent again.
    Queued,
    /// The endpoint refused it for good, saying this.
    Rejected(String),
}

/// What the visitor is told now.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Told {
    /// The answers reached the endpoint.
    Thanks,
    /// They are saved and will be sent when the network allows.
    Saved,
    /// The endpoint refused them for good.
    Refused,
    /// Answers saved earlier arrived after all: the saved message becomes a thank-you.
    ArrivedLater,
}

/// The responses a form waits to hear about.
#[derive(Debug, Default)]
pub struct Receipt {
    /// The response last sent, until its first outcome.
    awaiting: Option<String>,
    /// The response that was saved for later, until it arrives.
    saved: Option<String>,
}

impl Receipt {
    /// The visitor sent response `id`: its outcome is what they will be told.
    pub fn sent(&mut self, id: &str) {
        self.awaiting = Some(id.into());
    }

    /// Whether a response is on its way and not heard of yet.
    pub fn sending(&self) -> bool {
        self.awaiting.is_some()
    }

    /// Whether response `id` is the one on its way.
    pub fn awaits(&self, id: &str) -> bool {
        self.awaiting.as_deref() == Some(id)
    }

    /// Delivery says what became of response `id`: what to tell the visitor, or `None` when it is not this
    /// form's (or not news: a later outcome of an answer already settled).
    pub fn heard(&mut self, id: &str, status: &Status) -> Option<Told> {
        if self.saved.as_deref() == Some(id) && *status == Status::Delivered {
            self.saved = None;
            return Some(Told::ArrivedLater);
        }
        if self.awaiting.as_deref() != Some(id) {
            return None;
        }
        self.awaiting = None;
        Some(match status {
            Status::Delivered => Told::Thanks,
            Status::Queued => {
                self.saved = Some(id.into());
                Told::Saved
            }
            Status::Rejected(_) => Told::Refused,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thanks_only_once_the_endpoint_has_it() {
        let mut r = Receipt::default();
        r.sent("a");
        assert!(r.sending());
        assert_eq!(r.heard("a", &Status::Delivered), Some(Told::Thanks));
        assert!(!r.sending());
        assert_eq!(r.heard("a", &Status::Delivered), None, "told once");
    }

    #[test]
    fn saved_then_thanks_when_it_arrives_later() {
        let mut r = Receipt::default();
        r.sent("a");
        assert_eq!(r.heard("a", &Status::Queued), Some(Told::Saved));
        assert_eq!(r.heard("a", &Status::Queued), None);
        assert_eq!(r.heard("a", &Status::Delivered), Some(Told::ArrivedLater));
        assert_eq!(r.heard("a", &Status::Delivered), None);
    }

    #[test]
    fn refused_for_good_is_said_and_never_becomes_thanks() {
        let mut r = Receipt::default();
        r.sent("a");
        assert_eq!(
            r.heard("a", &Status::Rejected("bad".into())),
            Some(Told::Refused)
        );
        assert_eq!(r.heard("a", &Status::Delivered), None);
    }

    #[test]
    fn other_responses_are_not_this_forms() {
        let mut r = Receipt::default();
        assert_eq!(r.heard("x", &Status::Delivered), None);
        r.sent("a");
        assert_eq!(r.heard("x", &Status::Queued), None);
        // A newer response replaces the one awaited; the saved one is still followed.
        assert_eq!(r.heard("a", &Status::Queued), Some(Told::Saved));
        r.sent("b");
        assert_eq!(r.heard("b", &Status::Delivered), Some(Told::Thanks));
        assert_eq!(r.heard("a", &Status::Delivered), Some(Told::ArrivedLater));
    }
}
