//! The scheduler: the one place that decides which survey is on screen. It owns the surveys with their triggers
//! and the visitor's state; the browser layer feeds it page views, events, API calls and other tabs' state, with
//! the time, and gets back a [`Decision`]: a survey to withdraw, a survey to show, or nothing.
//!
//! A survey whose trigger fired appears only if it targets this page and visitor, the visitor is in its sample,
//! its display policy allows it, no survey appeared in the last `gap_days` (14 by default) and no other tab has it
//! open. One survey is on screen at a time: another that fires meanwhile waits its turn, and is dropped if by then
//! it may no longer appear (with the default gap, a survey just shown rules out the rest). Nothing appears while
//! the tab is hidden or the page shows a modal dialog of its own; the survey waits until that is over.

use crate::prelude::*;

use alloc::collections::VecDeque;

use super::definition::Survey;
use super::hands::{Hand, Hands};
use super::policy::DAY;
use super::sampling::in_sample;
use super::targeting::{Device, Visit};
use super::trigger::Event;
use super::url_rule::RegexMatcher;
use super::visitor_state::{secs, VisitorState};

/// How often to look again whether a host modal has closed while a survey waits for it, in milliseconds.
const MODAL_RETRY: f64 = 1000.0;

/// What the browser layer should do after a call: first withdraw, then show (positions in [`Scheduler::survey`]).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Decision {
    /// Remove this survey from the screen, unanswered and without counting it as dismissed.
    pub withdraw: Option<usize>,
    /// Show this survey.
    pub show: Option<usize>,
}

/// Why `Rebound.show(id)` did not show a survey.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Refusal {
    /// No survey has this id.
    Unknown,
    /// The visitor answered it, and it is not yet due to be asked again.
    Answered,
    /// It is open in another tab.
    OpenElsewhere,
}

impl Refusal {
    /// The console line for `Rebound.show(id)`.
    pub fn message(self, id: &str) -> String {
        let why = match self {
            Refusal::Unknown => "no survey has this id",
            Refusal::Answered => "the visitor already answered it",
            Refusal::OpenElsewhere => "it is open in another tab",
        };
        ["rebound: Rebound.show(\"", id, "\"): ", why].concat()
    }
}

/// Facts about this page load that do not change while it lasts.
#[derive(Clone, Debug, PartialEq)]
pub struct Setup {
    /// The visitor's device.
    pub device: Device,
    /// The visitor's locale, the one the widget speaks.
    pub locale: String,
    /// A random id for this tab, to tell its claims from other tabs'.
    pub tab: String,
    /// Days between two surveys across all surveys (the `surveyCooldownDays` option); 0 turns the rule off.
    pub gap_days: f64,
    /// Whether the tab is visible at load (`document.visibilityState`).
    pub visible: bool,
}

/// A survey and whether the current page is one it targets.
#[derive(Debug)]
struct Slot {
    survey: Survey,
    matching: bool,
}

/// A survey that fired and waits for its turn; `forced` when asked for through `Rebound.show`.
#[derive(Clone, Copy, Debug)]
struct Waiting {
    index: usize,
    forced: bool,
}

/// The survey on screen.
#[derive(Clone, Copy, Debug)]
struct Showing {
    index: usize,
    forced: bool,
    /// When it appeared, in seconds.
    since: u32,
    /// Whether the visitor answered it during this display.
    answered: bool,
}

/// Decides which survey is on screen; see the module documentation.
#[derive(Debug)]
pub struct Scheduler {
    slots: Vec<Slot>,
    state: VisitorState,
    setup: Setup,
    visible: bool,
    showing: Option<Showing>,
    waiting: VecDeque<Waiting>,
    retry_at: Option<f64>,
    /// A survey that appears by itself waits while the visitor types, composes or drags.
    hands: Hands,
}

impl Scheduler {
    /// A scheduler for this page load at `now` (milliseconds), with the valid `surveys` and the visitor's
    /// `state` as read from storage (or new). Call [`Scheduler::navigate`] next, with the page's path.
    pub fn new(surveys: Vec<Survey>, mut state: VisitorState, setup: Setup, now: f64) -> Scheduler {
        state.arrive(secs(now));
        let touch = setup.device == Device::Mobile;
        let mut slots = Vec::new();
        for mut survey in surveys {
            survey.trigger.start(now, touch);
            // Triggers assume a visible tab until told otherwise; their firing here means nothing yet.
            survey.trigger.on(&Event::Visibility(setup.visible), now);
            slots.push(Slot {
                survey,
                matching: false,
            });
        }
        let visible = setup.visible;
        Scheduler {
            slots,
            state,
            setup,
            visible,
            showing: None,
            waiting: VecDeque::new(),
            retry_at: None,
            hands: Hands::default(),
        }
    }

    /// The survey at `index`, to render it.
    pub fn survey(&self, index: usize) -> Option<&Survey> {
        self.slots.get(index).map(|slot| &slot.survey)
    }

    /// The visitor's state, to write to storage (as JSON under
    /// [`STORAGE_KEY`](super::visitor_state::STORAGE_KEY)) after any call that showed, withdrew, answered or
    /// closed a survey.
    pub fn state(&self) -> &VisitorState {
        &self.state
    }

    /// A page view at `now`: the first one, or an SPA route change to `path`. Targeting is evaluated again, and a
    /// survey on screen that no longer targets the page is withdrawn. `regex` runs regular expressions and
    /// `modal_open` tells whether the page shows a modal dialog of its own.
    pub fn navigate(
        &mut self,
        path: &str,
        regex: &RegexMatcher,
        now: f64,
        modal_open: &dyn Fn() -> bool,
    ) -> Decision {
        let visit = Visit {
            path,
            device: self.setup.device,
            returning: self.state.returning(),
            locale: &self.setup.locale,
        };
        for slot in &mut self.slots {
            slot.matching = slot.survey.targeting.matches(&visit, regex);
            slot.survey.trigger.page(slot.matching, now);
        }
        // A delay of 0 fires on the page view itself.
        self.on(&Event::Tick, now, modal_open)
    }

    /// Takes in a browser event at `now`.
    pub fn on(&mut self, event: &Event, now: f64, modal_open: &dyn Fn() -> bool) -> Decision {
        if let Event::Visibility(visible) = event {
            self.visible = *visible;
        }
        for index in 0..self.slots.len() {
            if self
                .slots
                .get_mut(index)
                .is_some_and(|slot| slot.survey.trigger.on(event, now))
            {
                self.fire(index, false, now);
            }
        }
        self.settle(now, modal_open)
    }

    /// What the visitor's hands do on the page at `now`: a waiting survey that appears by itself waits for the
    /// pause after typing, the end of a composition or of a press; one asked for through the API does not.
    /// `None` when nothing can change now: a key or the start of a composition or press only holds a survey back,
    /// and the next settle (an event, or the timer of one already waiting) sees it. This runs on every key.
    pub fn hand(
        &mut self,
        hand: Hand,
        now: f64,
        modal_open: &dyn Fn() -> bool,
    ) -> Option<Decision> {
        self.hands.on(hand, now);
        matches!(hand, Hand::Composing(false) | Hand::Pressing(false))
            .then(|| self.settle(now, modal_open))
    }

    /// `Rebound.show(id)`: shows the survey ignoring its trigger, targeting and display policy, unless the visitor
    /// answered it or another tab has it open. It waits while another survey is on screen or the tab is hidden.
    pub fn show(
        &mut self,
        id: &str,
        now: f64,
        modal_open: &dyn Fn() -> bool,
    ) -> Result<Decision, Refusal> {
        let index = self
            .slots
            .iter()
            .position(|slot| slot.survey.id == id)
            .ok_or(Refusal::Unknown)?;
        if self.showing.is_some_and(|s| s.index == index) {
            return Ok(Decision::default());
        }
        let seconds = secs(now);
        if self
            .slots
            .get(index)
            .is_some_and(|slot| slot.survey.policy.answered(&self.state.record(id), seconds))
        {
            return Err(Refusal::Answered);
        }
        if !self.free(id, seconds) {
            return Err(Refusal::OpenElsewhere);
        }
        self.waiting.retain(|w| w.index != index);
        self.waiting.push_front(Waiting {
            index,
            forced: true,
        });
        Ok(self.settle(now, modal_open))
    }

    /// The visitor answered the survey on screen (at least its first question): it counts as answered at once,
    /// in every tab, even if the visitor then closes it.
    pub fn answered(&mut self, now: f64) {
        if let Some(showing) = &mut self.showing {
            showing.answered = true;
            if let Some(slot) = self.slots.get(showing.index) {
                self.state.answered(&slot.survey.id, secs(now));
            }
        }
    }

    /// The survey on screen was closed: finished, or dismissed if it was never answered.
    pub fn close(&mut self, now: f64, modal_open: &dyn Fn() -> bool) -> Decision {
        if let Some(showing) = self.showing.take() {
            if let Some(slot) = self.slots.get(showing.index) {
                if !showing.answered {
                    self.state.dismissed(&slot.survey.id, secs(now));
                }
                self.state.release(&slot.survey.id, &self.setup.tab);
            }
        }
        self.settle(now, modal_open)
    }

    /// Takes in the state another tab wrote (a `storage` event). A survey on screen here that was answered there,
    /// or that the other tab opened first, is withdrawn.
    pub fn merge(
        &mut self,
        other: &VisitorState,
        now: f64,
        modal_open: &dyn Fn() -> bool,
    ) -> Decision {
        self.state.merge(other);
        self.settle(now, modal_open)
    }

    /// When to send [`Event::Tick`] next: a timed trigger falls due, or a survey waiting for a modal to close
    /// should look again. `None` when nothing waits for time.
    pub fn next_wake(&self) -> Option<f64> {
        self.slots
            .iter()
            .filter_map(|slot| slot.survey.trigger.wake_at())
            .chain(self.retry_at)
            .reduce(f64::min)
    }

    /// Queues the survey at `index` that fired (or was asked for, when `forced`) unless it may not appear at all.
    fn fire(&mut self, index: usize, forced: bool, now: f64) {
        let queued = self.waiting.iter().any(|w| w.index == index)
            || self.showing.is_some_and(|s| s.index == index);
        if !queued && self.allowed(index, forced, secs(now)) {
            self.waiting.push_back(Waiting { index, forced });
        }
    }

    /// Whether no other tab holds the survey `id`.
    fn free(&self, id: &str, now: u32) -> bool {
        self.state
            .holder(id, now)
            .is_none_or(|tab| tab == self.setup.tab)
    }

    /// Whether the survey at `index` may appear at `now` (seconds), leaving aside what is on screen, visibility
    /// and modals. One asked for through the API (`forced`) only needs to be unanswered and free.
    fn allowed(&self, index: usize, forced: bool, now: u32) -> bool {
        let Some(Slot { survey, matching }) = self.slots.get(index) else {
            return false;
        };
        let record = self.state.record(&survey.id);
        let policy = &survey.policy;
        let last = self.state.last_shown();
        let gap_passed = last == 0 || f64::from(now) >= f64::from(last) + self.setup.gap_days * DAY;
        !policy.answered(&record, now)
            && self.free(&survey.id, now)
            && (forced
                || (*matching
                    && in_sample(&self.state.visitor, &survey.id, policy.sample_percent)
                    && policy.allows(&record, now)
                    && gap_passed))
    }

    /// Whether the survey on screen may stay: it still targets the page (unless the API asked for it), was not
    /// answered in another tab, and no other tab holds it.
    fn keeps(&self, showing: Showing, now: u32) -> bool {
        let Some(slot) = self.slots.get(showing.index) else {
            return false;
        };
        let answered_elsewhere =
            !showing.answered && self.state.record(&slot.survey.id).answered_at >= showing.since;
        (showing.forced || slot.matching) && !answered_elsewhere && self.free(&slot.survey.id, now)
    }

    /// Brings the screen up to date after anything changed: withdraws the survey on screen if it may not stay,
    /// drops waiting surveys that may no longer appear, and shows the first waiting one if nothing is in the way.
    fn settle(&mut self, now: f64, modal_open: &dyn Fn() -> bool) -> Decision {
        let seconds = secs(now);
        let mut decision = Decision::default();
        if let Some(showing) = self.showing.filter(|s| !self.keeps(*s, seconds)) {
            if let Some(slot) = self.slots.get(showing.index) {
                self.state.release(&slot.survey.id, &self.setup.tab);
            }
            self.showing = None;
            decision.withdraw = Some(showing.index);
        }
        // A loop rather than `filter`/`collect`, which cost more wasm; `allowed` does not look at the queue.
        for w in core::mem::take(&mut self.waiting) {
            if self.allowed(w.index, w.forced, seconds) {
                self.waiting.push_back(w);
            }
        }
        self.retry_at = None;
        if self.showing.is_none() && self.visible {
            let hands = self.hands.busy(now, now + MODAL_RETRY);
            match self.waiting.front() {
                Some(first) if first.forced || (hands.is_none() && !modal_open()) => {
                    if let Some(Waiting { index, forced }) = self.waiting.pop_front() {
                        if let Some(slot) = self.slots.get(index) {
                            self.state.shown(&slot.survey.id, &self.setup.tab, seconds);
                            self.showing = Some(Showing {
                                index,
                                forced,
                                since: seconds,
                                answered: false,
                            });
                            decision.show = Some(index);
                        }
                    }
                }
                Some(_) => self.retry_at = Some(hands.unwrap_or(now + MODAL_RETRY)),
                None => {}
            }
        }
        decision
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::json::to_string;
    use crate::survey::definition::parse_surveys;
    use crate::survey::tests::json;

    /// Midnight some day in 2027, in milliseconds.
    const T0: f64 = 1.8e12;
    const S: f64 = 1000.0;
    const DAYS: f64 = 86_400_000.0;

    fn no_modal() -> bool {
        false
    }

    fn regex(pattern: &str, path: &str) -> bool {
        regex::Regex::new(pattern).is_ok_and(|r| r.is_match(path))
    }

    /// A survey with `id`, one question, and the given extra keys (`trigger` among them).
    fn survey(id: &str, extra: &str) -> String {
        [
            r#"{"id":""#,
            id,
            r#"","questions":[{"id":"q","type":"nps","text":"How likely?"}],"#,
            extra,
            "}",
        ]
        .concat()
    }

    fn setup(tab: &str) -> Setup {
        Setup {
            device: Device::Desktop,
            locale: "en".into(),
            tab: tab.into(),
            gap_days: f64::from(crate::config::DEFAULT_SURVEY_COOLDOWN_DAYS),
            visible: true,
        }
    }

    fn scheduler_with(
        surveys: &[String],
        state: VisitorState,
        setup: Setup,
        now: f64,
    ) -> Scheduler {
        let (surveys, errors) = parse_surveys(&json(&["[", &surveys.join(","), "]"].concat()));
        assert_eq!(
            errors.iter().map(|e| e.message()).collect::<Vec<_>>(),
            Vec::<String>::new()
        );
        Scheduler::new(surveys, state, setup, now)
    }

    fn scheduler(surveys: &[String]) -> Scheduler {
        scheduler_with(
            surveys,
            VisitorState::new("visitor-1".into()),
            setup("tab-1"),
            T0,
        )
    }

    fn track(s: &mut Scheduler, name: &str, now: f64) -> Decision {
        s.on(
            &Event::Track {
                name,
                properties: &crate::value::Value::Null,
            },
            now,
            &no_modal,
        )
    }

    fn show(index: usize) -> Decision {
        Decision {
            withdraw: None,
            show: Some(index),
        }
    }

    const NOTHING: Decision = Decision {
        withdraw: None,
        show: None,
    };

    /// The state as another tab would read it back from storage.
    fn stored(s: &Scheduler) -> VisitorState {
        VisitorState::parse(&json(&to_string(s.state())))
            .unwrap()
            .unwrap()
    }

    #[test]
    fn a_fired_trigger_shows_its_survey_and_records_it() {
        let mut s = scheduler(&[survey(
            "fail",
            r#""trigger":{"type":"event","name":"checkout_failed"}"#,
        )]);
        assert_eq!(s.navigate("/checkout", &regex, T0, &no_modal), NOTHING);
        assert_eq!(track(&mut s, "other", T0 + S), NOTHING);
        assert_eq!(track(&mut s, "checkout_failed", T0 + 2.0 * S), show(0));
        assert_eq!(s.survey(0).unwrap().id, "fail");
        let record = s.state().record("fail");
        assert_eq!((record.shown, record.shown_at), (1, secs(T0 + 2.0 * S)));
        assert_eq!(s.state().holder("fail", secs(T0 + 3.0 * S)), Some("tab-1"));
        assert_eq!(
            track(&mut s, "checkout_failed", T0 + 3.0 * S),
            NOTHING,
            "already on screen"
        );
    }

    #[test]
    fn a_survey_fires_only_on_pages_it_targets() {
        let mut s = scheduler(&[survey(
            "fail",
            r#""trigger":{"type":"event","name":"x"},"targeting":{"include":["/checkout/*"]}"#,
        )]);
        s.navigate("/", &regex, T0, &no_modal);
        assert_eq!(track(&mut s, "x", T0 + S), NOTHING);
        s.navigate("/checkout/pay", &regex, T0 + 2.0 * S, &no_modal);
        assert_eq!(track(&mut s, "x", T0 + 3.0 * S), show(0));
    }

    #[test]
    fn a_delay_of_zero_shows_on_the_page_view() {
        let mut s = scheduler(&[survey("hi", r#""trigger":{"type":"delay","seconds":0}"#)]);
        assert_eq!(s.navigate("/", &regex, T0, &no_modal), show(0));
    }

    #[test]
    fn never_on_a_hidden_tab_but_on_return() {
        let mut s = scheduler(&[survey("d", r#""trigger":{"type":"delay","seconds":5}"#)]);
        s.navigate("/", &regex, T0, &no_modal);
        assert_eq!(s.next_wake(), Some(T0 + 5.0 * S));
        assert_eq!(s.on(&Event::Visibility(false), T0 + S, &no_modal), NOTHING);
        assert_eq!(
            s.on(&Event::Tick, T0 + 5.0 * S, &no_modal),
            NOTHING,
            "due, but the tab is hidden"
        );
        assert_eq!(
            s.on(&Event::Visibility(true), T0 + 60.0 * S, &no_modal),
            show(0)
        );
    }

    #[test]
    fn a_tab_hidden_at_load_shows_nothing_until_visible() {
        let state = VisitorState::new("v".into());
        let mut s = scheduler_with(
            &[survey("d", r#""trigger":{"type":"delay","seconds":0}"#)],
            state,
            Setup {
                visible: false,
                ..setup("tab-1")
            },
            T0,
        );
        assert_eq!(s.navigate("/", &regex, T0, &no_modal), NOTHING);
        assert_eq!(s.on(&Event::Visibility(true), T0 + S, &no_modal), show(0));
    }

    #[test]
    fn never_over_a_host_modal() {
        let mut s = scheduler(&[survey("e", r#""trigger":{"type":"event","name":"x"}"#)]);
        s.navigate("/", &regex, T0, &no_modal);
        let modal = || true;
        assert_eq!(
            s.on(
                &Event::Track {
                    name: "x",
                    properties: &crate::value::Value::Null
                },
                T0 + S,
                &modal
            ),
            NOTHING
        );
        assert_eq!(s.next_wake(), Some(T0 + S + MODAL_RETRY), "look again soon");
        assert_eq!(s.on(&Event::Tick, T0 + 2.0 * S, &modal), NOTHING);
        assert_eq!(s.on(&Event::Tick, T0 + 3.0 * S, &no_modal), show(0));
        assert_eq!(s.next_wake(), None);
    }

    #[test]
    fn a_survey_that_falls_due_while_the_visitor_types_waits_for_the_pause() {
        use crate::survey::hands::TYPING_PAUSE;
        let mut s = scheduler(&[survey("d", r#""trigger":{"type":"delay","seconds":2}"#)]);
        s.navigate("/", &regex, T0, &no_modal);
        // Typing from 1.5 s to 4 s: the delay falls due at 2 s, in the middle of it.
        let mut t = T0 + 1.5 * S;
        while t < T0 + 4.0 * S {
            assert_eq!(s.hand(Hand::Key, t, &no_modal), None, "a key shows nothing");
            assert_eq!(
                s.on(&Event::Tick, t, &no_modal),
                NOTHING,
                "no survey while typing"
            );
            t += 250.0;
        }
        let last = t - 250.0;
        assert_eq!(
            s.next_wake(),
            Some(last + TYPING_PAUSE),
            "look again after the pause"
        );
        assert_eq!(
            s.on(&Event::Tick, last + TYPING_PAUSE - 1.0, &no_modal),
            NOTHING
        );
        assert_eq!(s.on(&Event::Tick, last + TYPING_PAUSE, &no_modal), show(0));
    }

    #[test]
    fn a_composition_holds_a_due_survey_and_its_end_shows_it() {
        let mut s = scheduler(&[survey("e", r#""trigger":{"type":"event","name":"x"}"#)]);
        s.navigate("/", &regex, T0, &no_modal);
        s.hand(Hand::Composing(true), T0, &no_modal);
        assert_eq!(track(&mut s, "x", T0 + S), NOTHING);
        assert_eq!(s.on(&Event::Tick, T0 + 30.0 * S, &no_modal), NOTHING);
        assert_eq!(
            s.hand(Hand::Composing(false), T0 + 31.0 * S, &no_modal),
            Some(show(0))
        );
    }

    #[test]
    fn a_survey_the_page_asks_for_does_not_wait_for_the_hands() {
        let mut s = scheduler(&[survey("a", r#""trigger":{"type":"api"}"#)]);
        s.navigate("/", &regex, T0, &no_modal);
        s.hand(Hand::Pressing(true), T0, &no_modal);
        assert_eq!(s.show("a", T0 + S, &no_modal), Ok(show(0)));
    }

    #[test]
    fn one_at_a_time_and_the_gap_drops_the_rest() {
        // Two surveys whose rules overlap on /checkout fire on the same event.
        let both = [
            survey(
                "a",
                r#""trigger":{"type":"event","name":"x"},"targeting":{"include":["/checkout*"]}"#,
            ),
            survey(
                "b",
                r#""trigger":{"type":"event","name":"x"},"targeting":{"include":[{"contains":"check"}]}"#,
            ),
        ];
        let mut s = scheduler(&both);
        s.navigate("/checkout", &regex, T0, &no_modal);
        assert_eq!(track(&mut s, "x", T0 + S), show(0));
        assert_eq!(
            s.close(T0 + 2.0 * S, &no_modal),
            NOTHING,
            "b may not follow within 14 days"
        );
        // Without the gap, b waits for its turn instead.
        let mut s = scheduler_with(
            &both,
            VisitorState::new("v".into()),
            Setup {
                gap_days: 0.0,
                ..setup("t")
            },
            T0,
        );
        s.navigate("/checkout", &regex, T0, &no_modal);
        assert_eq!(track(&mut s, "x", T0 + S), show(0));
        assert_eq!(s.close(T0 + 2.0 * S, &no_modal), show(1));
    }

    #[test]
    fn the_gap_spans_page_loads() {
        let a = survey("a", r#""trigger":{"type":"event","name":"a"}"#);
        let b = survey("b", r#""trigger":{"type":"event","name":"b"}"#);
        let mut s = scheduler(&[a.clone(), b.clone()]);
        s.navigate("/", &regex, T0, &no_modal);
        assert_eq!(track(&mut s, "a", T0), show(0));
        s.answered(T0 + S);
        s.close(T0 + 2.0 * S, &no_modal);
        let later = |days: f64, state| {
            let mut s = scheduler_with(
                &[a.clone(), b.clone()],
                state,
                setup("tab-2"),
                T0 + days * DAYS,
            );
            s.navigate("/", &regex, T0 + days * DAYS, &no_modal);
            track(&mut s, "b", T0 + days * DAYS)
        };
        assert_eq!(later(13.0, stored(&s)), NOTHING);
        assert_eq!(later(14.0, stored(&s)), show(1));
    }

    #[test]
    fn navigating_away_withdraws_and_drops() {
        let checkout = r#""targeting":{"include":["/checkout/*"]}"#;
        let both = [
            survey(
                "a",
                &[r#""trigger":{"type":"event","name":"x"},"#, checkout].concat(),
            ),
            survey(
                "b",
                &[r#""trigger":{"type":"event","name":"x"},"#, checkout].concat(),
            ),
        ];
        let mut s = scheduler_with(
            &both,
            VisitorState::new("v".into()),
            Setup {
                gap_days: 0.0,
                ..setup("t")
            },
            T0,
        );
        s.navigate("/checkout/pay", &regex, T0, &no_modal);
        assert_eq!(track(&mut s, "x", T0 + S), show(0));
        let d = s.navigate("/account", &regex, T0 + 2.0 * S, &no_modal);
        assert_eq!(
            d,
            Decision {
                withdraw: Some(0),
                show: None
            },
            "b is dropped, not shown on the wrong page"
        );
        assert_eq!(
            s.state().holder("a", secs(T0 + 3.0 * S)),
            None,
            "the claim is released"
        );
        assert_eq!(
            s.state().record("a").dismissed_at,
            0,
            "a withdrawal is no dismissal"
        );
        s.navigate("/checkout/pay", &regex, T0 + 3.0 * S, &no_modal);
        assert_eq!(
            s.on(&Event::Tick, T0 + 4.0 * S, &no_modal),
            NOTHING,
            "b did not wait on the other page"
        );
    }

    #[test]
    fn a_route_change_within_the_rule_keeps_the_survey() {
        let mut s = scheduler(&[survey(
            "a",
            r#""trigger":{"type":"event","name":"x"},"targeting":{"include":["/checkout/*"]}"#,
        )]);
        s.navigate("/checkout/cart", &regex, T0, &no_modal);
        assert_eq!(track(&mut s, "x", T0 + S), show(0));
        assert_eq!(
            s.navigate("/checkout/pay", &regex, T0 + 2.0 * S, &no_modal),
            NOTHING
        );
    }

    #[test]
    fn once_means_once_across_page_loads() {
        let once = [survey("o", r#""trigger":{"type":"event","name":"x"}"#)];
        let mut s = scheduler_with(
            &once,
            VisitorState::new("v".into()),
            Setup {
                gap_days: 0.0,
                ..setup("t")
            },
            T0,
        );
        s.navigate("/", &regex, T0, &no_modal);
        assert_eq!(track(&mut s, "x", T0), show(0));
        s.close(T0 + S, &no_modal);
        assert_eq!(s.state().record("o").dismissed_at, secs(T0 + S));
        let mut next = scheduler_with(
            &once,
            stored(&s),
            Setup {
                gap_days: 0.0,
                ..setup("t2")
            },
            T0 + 100.0 * DAYS,
        );
        next.navigate("/", &regex, T0 + 100.0 * DAYS, &no_modal);
        assert_eq!(track(&mut next, "x", T0 + 100.0 * DAYS), NOTHING);
    }

    #[test]
    fn until_answered_comes_back_after_the_cool_down_and_not_after_an_answer() {
        let repeat = [survey(
            "u",
            r#""trigger":{"type":"event","name":"x"},"display":{"show":"until_answered","dismissCooldownDays":3}"#,
        )];
        let mut s = scheduler_with(
            &repeat,
            VisitorState::new("v".into()),
            Setup {
                gap_days: 0.0,
                ..setup("t")
            },
            T0,
        );
        s.navigate("/", &regex, T0, &no_modal);
        assert_eq!(track(&mut s, "x", T0), show(0));
        s.close(T0, &no_modal);
        assert_eq!(track(&mut s, "x", T0 + 2.0 * DAYS), NOTHING);
        assert_eq!(track(&mut s, "x", T0 + 3.0 * DAYS), show(0));
        s.answered(T0 + 3.0 * DAYS);
        s.close(T0 + 3.0 * DAYS, &no_modal);
        assert_eq!(
            s.state().record("u").dismissed_at,
            secs(T0),
            "closing after answering is no dismissal"
        );
        assert_eq!(track(&mut s, "x", T0 + 300.0 * DAYS), NOTHING);
    }

    #[test]
    fn answering_the_first_question_keeps_the_survey_on_screen() {
        let mut s = scheduler(&[survey("a", r#""trigger":{"type":"event","name":"x"}"#)]);
        s.navigate("/", &regex, T0, &no_modal);
        assert_eq!(track(&mut s, "x", T0), show(0));
        s.answered(T0 + S);
        assert_eq!(
            s.state().record("a").answered_at,
            secs(T0 + S),
            "counted at once, for other tabs"
        );
        assert_eq!(
            s.on(&Event::Tick, T0 + 2.0 * S, &no_modal),
            NOTHING,
            "the visitor goes on to question two"
        );
    }

    #[test]
    fn firing_again_while_on_screen_or_waiting_queues_nothing_more() {
        let repeat = [
            survey(
                "a",
                r#""trigger":{"type":"event","name":"x"},"display":{"show":"until_answered","dismissCooldownDays":0}"#,
            ),
            survey(
                "b",
                r#""trigger":{"type":"event","name":"y"},"display":{"show":"until_answered","dismissCooldownDays":0}"#,
            ),
        ];
        let mut s = scheduler_with(
            &repeat,
            VisitorState::new("v".into()),
            Setup {
                gap_days: 0.0,
                ..setup("t")
            },
            T0,
        );
        s.navigate("/", &regex, T0, &no_modal);
        assert_eq!(track(&mut s, "x", T0), show(0));
        for i in 1..4 {
            assert_eq!(track(&mut s, "x", T0 + f64::from(i) * S), NOTHING);
            assert_eq!(track(&mut s, "y", T0 + f64::from(i) * S), NOTHING);
        }
        assert_eq!(s.close(T0 + 5.0 * S, &no_modal), show(1));
        assert_eq!(
            s.close(T0 + 6.0 * S, &no_modal),
            NOTHING,
            "each survey waited once"
        );
    }

    #[test]
    fn sampling_is_sticky_and_the_api_ignores_it() {
        let none = [survey(
            "s",
            r#""trigger":{"type":"event","name":"x"},"display":{"samplePercent":0}"#,
        )];
        let mut s = scheduler(&none);
        s.navigate("/", &regex, T0, &no_modal);
        for i in 0..20 {
            assert_eq!(track(&mut s, "x", T0 + f64::from(i) * S), NOTHING);
        }
        assert_eq!(s.show("s", T0 + 30.0 * S, &no_modal), Ok(show(0)));
    }

    #[test]
    fn the_api_ignores_trigger_and_targeting_but_not_an_answer() {
        let api = [survey(
            "q",
            r#""trigger":{"type":"api"},"targeting":{"device":"mobile","include":["/nowhere"]}"#,
        )];
        let mut s = scheduler(&api);
        s.navigate("/", &regex, T0, &no_modal);
        assert_eq!(s.show("nope", T0, &no_modal), Err(Refusal::Unknown));
        assert_eq!(s.show("q", T0, &no_modal), Ok(show(0)));
        assert_eq!(s.show("q", T0, &no_modal), Ok(NOTHING), "already on screen");
        assert_eq!(
            s.navigate("/elsewhere", &regex, T0 + S, &no_modal),
            NOTHING,
            "the page asked for it: it stays"
        );
        s.answered(T0 + 2.0 * S);
        s.close(T0 + 3.0 * S, &no_modal);
        assert_eq!(s.show("q", T0 + 4.0 * S, &no_modal), Err(Refusal::Answered));
        assert_eq!(
            Refusal::Answered.message("q"),
            "rebound: Rebound.show(\"q\"): the visitor already answered it"
        );
        assert_eq!(
            Refusal::Unknown.message("x"),
            "rebound: Rebound.show(\"x\"): no survey has this id"
        );
    }

    #[test]
    fn the_api_respects_recontact_days() {
        let api = [survey(
            "q",
            r#""trigger":{"type":"api"},"display":{"recontactDays":30}"#,
        )];
        let mut s = scheduler(&api);
        s.navigate("/", &regex, T0, &no_modal);
        s.show("q", T0, &no_modal).unwrap();
        s.answered(T0);
        s.close(T0, &no_modal);
        assert_eq!(
            s.show("q", T0 + 29.0 * DAYS, &no_modal),
            Err(Refusal::Answered)
        );
        assert_eq!(s.show("q", T0 + 30.0 * DAYS, &no_modal), Ok(show(0)));
    }

    #[test]
    fn the_api_waits_for_the_survey_on_screen_and_goes_first() {
        let surveys = [
            survey("auto", r#""trigger":{"type":"event","name":"x"}"#),
            survey("other", r#""trigger":{"type":"event","name":"y"}"#),
            survey("asked", r#""trigger":{"type":"api"}"#),
        ];
        let mut s = scheduler_with(
            &surveys,
            VisitorState::new("v".into()),
            Setup {
                gap_days: 0.0,
                ..setup("t")
            },
            T0,
        );
        s.navigate("/", &regex, T0, &no_modal);
        assert_eq!(track(&mut s, "x", T0), show(0));
        assert_eq!(track(&mut s, "y", T0 + S), NOTHING);
        assert_eq!(s.show("asked", T0 + 2.0 * S, &no_modal), Ok(NOTHING));
        assert_eq!(s.close(T0 + 3.0 * S, &no_modal), show(2));
        assert_eq!(s.close(T0 + 4.0 * S, &no_modal), show(1));
    }

    #[test]
    fn the_api_shows_over_a_modal_but_not_on_a_hidden_tab() {
        let mut s = scheduler(&[survey("q", r#""trigger":{"type":"api"}"#)]);
        s.navigate("/", &regex, T0, &no_modal);
        s.on(&Event::Visibility(false), T0, &no_modal);
        assert_eq!(s.show("q", T0 + S, &|| true), Ok(NOTHING));
        assert_eq!(
            s.on(&Event::Visibility(true), T0 + 2.0 * S, &|| true),
            show(0)
        );
    }

    #[test]
    fn an_answer_in_one_tab_counts_in_the_other() {
        let surveys = [survey(
            "s",
            r#""trigger":{"type":"event","name":"x"},"display":{"show":"until_answered"}"#,
        )];
        let shared = VisitorState::new("v".into());
        let mut a = scheduler_with(
            &surveys,
            shared.clone(),
            Setup {
                gap_days: 0.0,
                ..setup("tab-a")
            },
            T0,
        );
        let mut b = scheduler_with(
            &surveys,
            shared,
            Setup {
                gap_days: 0.0,
                ..setup("tab-b")
            },
            T0,
        );
        a.navigate("/", &regex, T0, &no_modal);
        b.navigate("/", &regex, T0, &no_modal);
        assert_eq!(track(&mut a, "x", T0 + S), show(0));
        b.merge(&stored(&a), T0 + 2.0 * S, &no_modal);
        assert_eq!(track(&mut b, "x", T0 + 3.0 * S), NOTHING, "open in tab a");
        a.answered(T0 + 4.0 * S);
        b.merge(&stored(&a), T0 + 5.0 * S, &no_modal);
        a.close(T0 + 6.0 * S, &no_modal);
        b.merge(&stored(&a), T0 + 7.0 * S, &no_modal);
        assert_eq!(
            track(&mut b, "x", T0 + 8.0 * S),
            NOTHING,
            "answered in tab a"
        );
        assert_eq!(b.show("s", T0 + 9.0 * S, &no_modal), Err(Refusal::Answered));
    }

    #[test]
    fn a_survey_open_in_another_tab_is_refused_to_the_api() {
        let surveys = [survey("s", r#""trigger":{"type":"api"}"#)];
        let mut a = scheduler_with(&surveys, VisitorState::new("v".into()), setup("tab-a"), T0);
        let mut b = scheduler_with(&surveys, VisitorState::new("v".into()), setup("tab-b"), T0);
        a.navigate("/", &regex, T0, &no_modal);
        b.navigate("/", &regex, T0, &no_modal);
        assert_eq!(a.show("s", T0, &no_modal), Ok(show(0)));
        b.merge(&stored(&a), T0 + S, &no_modal);
        assert_eq!(b.show("s", T0 + S, &no_modal), Err(Refusal::OpenElsewhere));
        a.close(T0 + 2.0 * S, &no_modal);
        b.merge(&stored(&a), T0 + 3.0 * S, &no_modal);
        assert_eq!(
            b.show("s", T0 + 3.0 * S, &no_modal),
            Ok(show(0)),
            "closed there, free here"
        );
    }

    #[test]
    fn two_tabs_opening_a_survey_at_once_end_with_one() {
        let surveys = [survey("s", r#""trigger":{"type":"event","name":"x"}"#)];
        let mut a = scheduler_with(&surveys, VisitorState::new("v".into()), setup("tab-a"), T0);
        let mut b = scheduler_with(&surveys, VisitorState::new("v".into()), setup("tab-b"), T0);
        a.navigate("/", &regex, T0, &no_modal);
        b.navigate("/", &regex, T0, &no_modal);
        assert_eq!(track(&mut a, "x", T0 + S), show(0));
        assert_eq!(track(&mut b, "x", T0 + S), show(0));
        // Each learns of the other's claim: the lower tab id keeps it.
        assert_eq!(
            b.merge(&stored(&a), T0 + 2.0 * S, &no_modal),
            Decision {
                withdraw: Some(0),
                show: None
            }
        );
        assert_eq!(a.merge(&stored(&b), T0 + 2.0 * S, &no_modal), NOTHING);
    }

    #[test]
    fn an_answer_elsewhere_withdraws_the_survey_here() {
        // Only possible when the claim lapsed, e.g. a tab that slept for an hour with the survey open.
        let surveys = [survey("s", r#""trigger":{"type":"api"}"#)];
        let mut a = scheduler_with(&surveys, VisitorState::new("v".into()), setup("tab-a"), T0);
        a.navigate("/", &regex, T0, &no_modal);
        a.show("s", T0, &no_modal).unwrap();
        let mut b = scheduler_with(&surveys, stored(&a), setup("tab-b"), T0 + 3600.0 * S);
        b.navigate("/", &regex, T0 + 3600.0 * S, &no_modal);
        b.show("s", T0 + 3600.0 * S, &no_modal).unwrap();
        b.answered(T0 + 3601.0 * S);
        let d = a.merge(&stored(&b), T0 + 3602.0 * S, &no_modal);
        assert_eq!(
            d,
            Decision {
                withdraw: Some(0),
                show: None
            }
        );
    }

    #[test]
    fn dwell_counts_across_spa_pages_and_asks_for_a_wake_up() {
        let dwell = [survey(
            "d",
            r#""trigger":{"type":"dwell","seconds":20},"targeting":{"include":["/docs/*"]}"#,
        )];
        let mut s = scheduler(&dwell);
        s.navigate("/docs/a", &regex, T0, &no_modal);
        assert_eq!(s.next_wake(), Some(T0 + 20.0 * S));
        assert_eq!(s.on(&Event::Activity, T0 + 10.0 * S, &no_modal), NOTHING);
        s.navigate("/pricing", &regex, T0 + 12.0 * S, &no_modal);
        assert_eq!(s.next_wake(), None, "paused off the docs");
        s.navigate("/docs/b", &regex, T0 + 100.0 * S, &no_modal);
        assert_eq!(s.next_wake(), Some(T0 + 108.0 * S));
        assert_eq!(s.on(&Event::Tick, T0 + 108.0 * S, &no_modal), show(0));
    }

    #[test]
    fn targeting_sees_device_locale_and_returning_visitors() {
        let returning = [survey(
            "r",
            r#""trigger":{"type":"delay","seconds":0},"targeting":{"visitor":"returning","device":"mobile","locales":["de"]}"#,
        )];
        let mobile = Setup {
            device: Device::Mobile,
            locale: "de-AT".into(),
            ..setup("t")
        };
        let mut first = scheduler_with(
            &returning,
            VisitorState::new("v".into()),
            mobile.clone(),
            T0,
        );
        assert_eq!(
            first.navigate("/", &regex, T0, &no_modal),
            NOTHING,
            "a first visit"
        );
        let mut again = scheduler_with(&returning, stored(&first), mobile.clone(), T0 + DAYS);
        assert_eq!(again.navigate("/", &regex, T0 + DAYS, &no_modal), show(0));
        let desktop = Setup {
            device: Device::Desktop,
            ..mobile.clone()
        };
        let mut other = scheduler_with(&returning, stored(&first), desktop, T0 + DAYS);
        assert_eq!(other.navigate("/", &regex, T0 + DAYS, &no_modal), NOTHING);
        let english = Setup {
            locale: "en".into(),
            ..mobile
        };
        let mut other = scheduler_with(&returning, stored(&first), english, T0 + DAYS);
        assert_eq!(other.navigate("/", &regex, T0 + DAYS, &no_modal), NOTHING);
    }

    #[test]
    fn exit_intent_on_touch_screens_shows_on_return() {
        let exit = [survey("x", r#""trigger":{"type":"exit_intent"}"#)];
        let mut s = scheduler_with(
            &exit,
            VisitorState::new("v".into()),
            Setup {
                device: Device::Mobile,
                ..setup("t")
            },
            T0,
        );
        s.navigate("/", &regex, T0, &no_modal);
        s.on(&Event::Activity, T0 + 5.0 * S, &no_modal);
        assert_eq!(
            s.on(&Event::Visibility(false), T0 + 6.0 * S, &no_modal),
            NOTHING
        );
        assert_eq!(
            s.on(&Event::Visibility(true), T0 + 60.0 * S, &no_modal),
            show(0)
        );
    }

    /// A payment request to the shop's API that ended with `status` at `now`.
    fn payment(s: &mut Scheduler, status: u16, now: f64) -> Decision {
        use crate::survey::trigger::request_failed::Request;
        let request = Request {
            url: "https://shop.example/api/payment?order=7",
            origin: "https://shop.example",
            status: Some(status),
            duration_ms: 420.0,
            regex: &regex,
        };
        s.on(&Event::Request(request), now, &no_modal)
    }

    const PAYMENT_FAILED: &str = r#""trigger":{"type":"request_failed","url":"/api/payment*"},"targeting":{"include":["/checkout/*"]}"#;

    #[test]
    fn a_failed_request_shows_its_survey_once_it_settled_with_the_failure() {
        use crate::failure::Failure;
        let mut s = scheduler(&[survey("pay", PAYMENT_FAILED)]);
        s.navigate("/checkout/pay", &regex, T0, &no_modal);
        assert_eq!(payment(&mut s, 200, T0 + 1.0 * S), NOTHING);
        assert_eq!(payment(&mut s, 502, T0 + 2.0 * S), NOTHING, "not at once");
        assert_eq!(s.next_wake(), Some(T0 + 3.5 * S));
        assert_eq!(s.on(&Event::Tick, T0 + 3.5 * S, &no_modal), show(0));
        let trigger = &s.survey(0).unwrap().trigger;
        assert_eq!(
            trigger.failure(),
            Some(&Failure::request(
                "/api/payment*",
                "https://shop.example/api/payment",
                Some(502),
                420.0
            ))
        );
        let en = crate::locale::texts(["en"], Vec::new());
        assert_eq!(
            trigger.lead(&en),
            Some(en.get(crate::locale::Key::LeadRequestFailed))
        );
    }

    #[test]
    fn a_failure_on_a_page_the_survey_does_not_target_shows_nothing() {
        let mut s = scheduler(&[survey("pay", PAYMENT_FAILED)]);
        s.navigate("/account", &regex, T0, &no_modal);
        assert_eq!(payment(&mut s, 502, T0 + 1.0 * S), NOTHING);
        assert_eq!(s.next_wake(), None);
        // The failure happened elsewhere: arriving on the checkout later does not bring it back.
        s.navigate("/checkout/pay", &regex, T0 + 2.0 * S, &no_modal);
        assert_eq!(s.next_wake(), None);
        assert_eq!(s.on(&Event::Tick, T0 + 60.0 * S, &no_modal), NOTHING);
    }

    #[test]
    fn a_failure_survey_waits_while_the_visitor_types() {
        use crate::survey::hands::TYPING_PAUSE;
        let coupon = survey("coupon", r#""trigger":{"type":"form_error","showAfter":0}"#);
        let mut s = scheduler(&[coupon]);
        s.navigate("/cart", &regex, T0, &no_modal);
        let in_form = |_: &str| true;
        let refused = Event::FieldInvalid {
            field: "coupon",
            closest: &in_form,
        };
        assert_eq!(s.on(&refused, T0 + 1.0 * S, &no_modal), NOTHING);
        // The visitor types the code again, and it is refused again while the keys still come.
        assert_eq!(s.hand(Hand::Key, T0 + 1.5 * S, &no_modal), None);
        assert_eq!(s.on(&refused, T0 + 2.0 * S, &no_modal), NOTHING);
        assert_eq!(s.next_wake(), Some(T0 + 1.5 * S + TYPING_PAUSE));
        assert_eq!(
            s.on(&Event::Tick, T0 + 1.5 * S + TYPING_PAUSE, &no_modal),
            show(0)
        );
    }

    #[test]
    fn overlapping_failure_surveys_show_one_and_the_gap_drops_the_other() {
        let any_error = survey("errors", r#""trigger":{"type":"js_error","showAfter":0}"#);
        let mut s = scheduler(&[survey("pay", PAYMENT_FAILED), any_error]);
        s.navigate("/checkout/pay", &regex, T0, &no_modal);
        assert_eq!(payment(&mut s, 503, T0 + 1.0 * S), NOTHING);
        let never = |_: &str, _: &str| false;
        let error = Event::ScriptError {
            message: "Payment failed: 503",
            script: "https://shop.example/app.js",
            regex: &never,
        };
        assert_eq!(s.on(&error, T0 + 1.1 * S, &no_modal), show(1));
        assert_eq!(s.on(&Event::Tick, T0 + 2.5 * S, &no_modal), NOTHING);
        assert_eq!(
            s.close(T0 + 5.0 * S, &no_modal),
            NOTHING,
            "one survey every 14 days"
        );
    }
}
