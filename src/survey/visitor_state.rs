//! What the widget remembers about one visitor, kept in `localStorage` under [`STORAGE_KEY`] with a version: a
//! random visitor id (for sticky sampling), visits (new or returning), each survey's displays, answer and
//! dismissal, and which tab has which survey open. Tabs share it: on a `storage` event a tab merges what another
//! wrote ([`VisitorState::merge`]), so an answer in one tab counts in all, and a survey open in one tab is not
//! opened in another. Times are whole seconds since the epoch, 0 meaning never.
//!
//! Storage can hold anything (an older widget, a hand edit, a full disk cutting a write short), so reading never
//! fails hard: state that cannot be read is discarded with one console warning ([`Unreadable`]).

use crate::prelude::*;

use super::fields::{Fields, Parsed};
use crate::json::{Object, ToJson};
use crate::value::Value;

/// The `localStorage` key the state lives under.
pub const STORAGE_KEY: &str = "rebound:surveys";

/// Version of the stored shape; state of another version is discarded.
pub const VERSION: u32 = 1;

/// A visit ends after this long without a page view (seconds); the next page view starts a new one.
const VISIT_GAP: u32 = 30 * 60;

/// A claim on a survey lapses after this long (seconds), so a tab that crashed with a survey open does not keep it
/// from every other tab for good.
pub const CLAIM_TTL: u32 = 30 * 60;

/// Whole seconds since the epoch for a time in milliseconds (`Date.now()`).
pub fn secs(ms: f64) -> u32 {
    // `as` saturates: a negative or NaN clock gives 0, which reads as "never".
    (ms / 1000.0) as u32
}

/// One survey's history with this visitor.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Record {
    /// Displays since the last answer (or ever, before any answer).
    pub shown: u32,
    /// Last display.
    pub shown_at: u32,
    /// Last answer.
    pub answered_at: u32,
    /// Last dismissal.
    pub dismissed_at: u32,
}

impl Record {
    /// The merge of two tabs' records of one survey. The later answer wins together with the display count it
    /// reset; other times take the later of the two. Merging is commutative, associative and idempotent, so
    /// tabs agree whatever order their writes arrive in.
    fn merge(self, other: Record) -> Record {
        let (answered_at, shown) =
            (self.answered_at, self.shown).max((other.answered_at, other.shown));
        Record {
            shown,
            shown_at: self.shown_at.max(other.shown_at),
            answered_at,
            dismissed_at: self.dismissed_at.max(other.dismissed_at),
        }
    }
}

/// A survey's record, under its id.
#[derive(Clone, Debug, PartialEq)]
struct Entry {
    survey: String,
    record: Record,
}

/// A tab's claim on a survey it shows; `open` false once it closed it. Each tab only writes its own claims.
#[derive(Clone, Debug, PartialEq)]
pub struct Claim {
    /// The survey's id.
    pub survey: String,
    /// The tab's random id.
    pub tab: String,
    /// When the tab opened it.
    pub since: u32,
    /// Whether it is still open there.
    pub open: bool,
}

impl Claim {
    /// Which of two versions of one tab's claim is newer: the later one, and at the same second the closed one
    /// (a tab closes after it opens).
    fn key(&self) -> (u32, bool) {
        (self.since, !self.open)
    }
}

/// Everything remembered about the visitor.
#[derive(Clone, Debug, PartialEq)]
pub struct VisitorState {
    /// Random id of the visitor, made once; sampling hashes it.
    pub visitor: String,
    /// Visits so far; more than one makes a returning visitor.
    pub visits: u32,
    /// Last page view.
    pub seen_at: u32,
    records: Vec<Entry>,
    claims: Vec<Claim>,
}

/// Stored state that could not be read and was discarded.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Unreadable;

impl Unreadable {
    /// The console line.
    pub fn message(self) -> &'static str {
        "rebound: the survey history stored in this browser could not be read; it is discarded"
    }
}

impl VisitorState {
    /// A visitor seen for the first time, with a new random `visitor` id.
    pub fn new(visitor: String) -> VisitorState {
        VisitorState {
            visitor,
            visits: 0,
            seen_at: 0,
            records: Vec::new(),
            claims: Vec::new(),
        }
    }

    /// Reads state as stored (already through `JSON.parse`): `Ok(None)` when nothing was stored yet.
    pub fn parse(value: &Value) -> Result<Option<VisitorState>, Unreadable> {
        match value {
            Value::Null => Ok(None),
            value => read(value).map(Some).map_err(|_| Unreadable),
        }
    }

    /// Notes a page view at `now`; one after more than half an hour without any starts a new visit.
    pub fn arrive(&mut self, now: u32) {
        if self.visits == 0 || now >= self.seen_at.saturating_add(VISIT_GAP) {
            self.visits = self.visits.saturating_add(1);
        }
        self.seen_at = now;
    }

    /// Whether the visitor came in an earlier visit.
    pub fn returning(&self) -> bool {
        self.visits > 1
    }

    /// The record of `survey`, empty when it never appeared.
    pub fn record(&self, survey: &str) -> Record {
        self.records
            .iter()
            .find(|e| e.survey == survey)
            .map(|e| e.record)
            .unwrap_or_default()
    }

    /// The record of `survey`, to change it; made when missing. (`None` cannot happen: returning an `Option`
    /// rather than indexing keeps panicking code out of the wasm.)
    fn record_mut(&mut self, survey: &str) -> Option<&mut Record> {
        let entry = match self.records.iter().position(|e| e.survey == survey) {
            Some(at) => self.records.get_mut(at),
            None => {
                self.records.push(Entry {
                    survey: survey.into(),
                    record: Record::default(),
                });
                self.records.last_mut()
            }
        };
        entry.map(|e| &mut e.record)
    }

    /// The last display of any survey: the rule across surveys counts from it.
    pub fn last_shown(&self) -> u32 {
        self.records
            .iter()
            .map(|e| e.record.shown_at)
            .max()
            .unwrap_or(0)
    }

    /// Notes that `tab` shows `survey` at `now`, and claims it for that tab.
    pub(crate) fn shown(&mut self, survey: &str, tab: &str, now: u32) {
        if let Some(record) = self.record_mut(survey) {
            record.shown = record.shown.saturating_add(1);
            record.shown_at = now;
        }
        self.claims.retain(|c| {
            now < c.since.saturating_add(CLAIM_TTL) && !(c.survey == survey && c.tab == tab)
        });
        self.claims.push(Claim {
            survey: survey.into(),
            tab: tab.into(),
            since: now,
            open: true,
        });
    }

    /// Notes that `survey` was answered at `now`; displays are counted afresh from here.
    pub(crate) fn answered(&mut self, survey: &str, now: u32) {
        if let Some(record) = self.record_mut(survey) {
            record.answered_at = now;
            record.shown = 0;
        }
    }

    /// Notes that `survey` was dismissed at `now`.
    pub(crate) fn dismissed(&mut self, survey: &str, now: u32) {
        if let Some(record) = self.record_mut(survey) {
            record.dismissed_at = now;
        }
    }

    /// Notes that `tab` no longer shows `survey`.
    pub(crate) fn release(&mut self, survey: &str, tab: &str) {
        for claim in self
            .claims
            .iter_mut()
            .filter(|c| c.survey == survey && c.tab == tab)
        {
            claim.open = false;
        }
    }

    /// The tab that holds `survey` at `now`: of the live open claims, the earliest (the lower tab id breaks a
    /// tie), so two tabs that opened it at once agree on which keeps it.
    pub fn holder(&self, survey: &str, now: u32) -> Option<&str> {
        self.claims
            .iter()
            .filter(|c| c.open && c.survey == survey && now < c.since.saturating_add(CLAIM_TTL))
            .min_by(|a, b| (a.since, &a.tab).cmp(&(b.since, &b.tab)))
            .map(|c| c.tab.as_str())
    }

    /// Takes in what another tab wrote. Every part merges so that the order of merges does not matter: the lower
    /// visitor id (two tabs of a first visit may each have made one), the most visits, each survey's record (see
    /// [`Record`]), and each tab's newest claim.
    pub fn merge(&mut self, other: &VisitorState) {
        if other.visitor < self.visitor {
            self.visitor.clone_from(&other.visitor);
        }
        self.visits = self.visits.max(other.visits);
        self.seen_at = self.seen_at.max(other.seen_at);
        for theirs in &other.records {
            if let Some(mine) = self.record_mut(&theirs.survey) {
                *mine = mine.merge(theirs.record);
            }
        }
        for theirs in &other.claims {
            match self
                .claims
                .iter_mut()
                .find(|c| c.survey == theirs.survey && c.tab == theirs.tab)
            {
                Some(mine) if theirs.key() > mine.key() => mine.clone_from(theirs),
                Some(_) => {}
                None => self.claims.push(theirs.clone()),
            }
        }
    }
}

/// Reads the stored shape; any fault makes the whole state unreadable.
fn read(value: &Value) -> Parsed<VisitorState> {
    let f = Fields::new(value, "")?;
    if f.whole("v", VERSION, VERSION, "must be the current version")?
        .is_none()
    {
        return Err(f.missing("v"));
    }
    let mut state = VisitorState::new(f.required_text("visitor")?.into());
    state.visits = count(&f, "visits")?;
    state.seen_at = count(&f, "seen")?;
    for value in f.list("surveys")? {
        let e = Fields::new(value, "surveys")?;
        let record = Record {
            shown: count(&e, "shown")?,
            shown_at: count(&e, "shownAt")?,
            answered_at: count(&e, "answeredAt")?,
            dismissed_at: count(&e, "dismissedAt")?,
        };
        state.records.push(Entry {
            survey: e.required_text("id")?.into(),
            record,
        });
    }
    for value in f.list("claims")? {
        let c = Fields::new(value, "claims")?;
        state.claims.push(Claim {
            survey: c.required_text("survey")?.into(),
            tab: c.required_text("tab")?.into(),
            since: count(&c, "since")?,
            open: c.flag("open")?.unwrap_or(false),
        });
    }
    Ok(state)
}

/// A whole number of at least 0 at `key`, 0 when absent.
fn count(f: &Fields, key: &str) -> Parsed<u32> {
    Ok(f.whole(key, 0, u32::MAX, "must be a whole number")?
        .unwrap_or(0))
}

impl ToJson for VisitorState {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .field("v", &VERSION)
            .field("visitor", &self.visitor)
            .field("visits", &self.visits)
            .field("seen", &self.seen_at)
            .field("surveys", &self.records)
            .field("claims", &self.claims);
    }
}

impl ToJson for Entry {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .field("id", &self.survey)
            .field("shown", &self.record.shown)
            .field("shownAt", &self.record.shown_at)
            .field("answeredAt", &self.record.answered_at)
            .field("dismissedAt", &self.record.dismissed_at);
    }
}

impl ToJson for Claim {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .field("survey", &self.survey)
            .field("tab", &self.tab)
            .field("since", &self.since)
            .field("open", &self.open);
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::json::to_string;
    use crate::survey::tests::json;

    const T: u32 = 1_800_000_000;

    fn sample() -> VisitorState {
        let mut s = VisitorState::new("v-1".into());
        s.arrive(T);
        s.shown("nps", "tab-a", T + 10);
        s.answered("nps", T + 20);
        s.shown("exit \"q\"", "tab-a", T + 30);
        s.dismissed("exit \"q\"", T + 40);
        s.release("exit \"q\"", "tab-a");
        s
    }

    fn round_trip(s: &VisitorState) -> Result<Option<VisitorState>, Unreadable> {
        VisitorState::parse(&json(&to_string(s)))
    }

    #[test]
    fn what_is_written_reads_back_the_same() {
        let s = sample();
        assert_eq!(round_trip(&s), Ok(Some(s.clone())));
        let text = to_string(&s);
        assert!(
            text.starts_with(
                r#"{"v":1,"visitor":"v-1","visits":1,"seen":1800000000,"surveys":[{"id":"nps","#
            ),
            "{text}"
        );
        assert_eq!(
            s.record("nps"),
            Record {
                shown: 0,
                shown_at: T + 10,
                answered_at: T + 20,
                dismissed_at: 0
            }
        );
    }

    #[test]
    fn nothing_stored_is_not_an_error() {
        assert_eq!(VisitorState::parse(&Value::Null), Ok(None));
    }

    #[test]
    fn corrupt_or_foreign_state_is_discarded() {
        for bad in [
            "[]",
            "\"x\"",
            "{}",
            r#"{"v":2,"visitor":"a"}"#,
            r#"{"v":"1","visitor":"a"}"#,
            r#"{"v":1}"#,
            r#"{"v":1,"visitor":""}"#,
            r#"{"v":1,"visitor":"a","visits":-1}"#,
            r#"{"v":1,"visitor":"a","visits":1.5}"#,
            r#"{"v":1,"visitor":"a","surveys":{}}"#,
            r#"{"v":1,"visitor":"a","surveys":[{"shown":1}]}"#,
            r#"{"v":1,"visitor":"a","surveys":[{"id":"x","answeredAt":"yesterday"}]}"#,
            r#"{"v":1,"visitor":"a","claims":[{"survey":"x","since":1}]}"#,
            r#"{"v":1,"visitor":"a","claims":[{"survey":"x","tab":"t","open":"yes"}]}"#,
        ] {
            assert_eq!(VisitorState::parse(&json(bad)), Err(Unreadable), "{bad}");
        }
        assert!(Unreadable.message().starts_with("rebound: "));
    }

    #[test]
    fn missing_counts_read_as_zero_and_unknown_keys_are_ignored() {
        let s = VisitorState::parse(&json(
            r#"{"v":1,"visitor":"a","later":true,"surveys":[{"id":"x"}]}"#,
        ))
        .unwrap()
        .unwrap();
        assert_eq!(
            (s.visits, s.record("x"), s.last_shown()),
            (0, Record::default(), 0)
        );
    }

    #[test]
    fn visits_start_after_half_an_hour_away() {
        let mut s = VisitorState::new("v".into());
        assert!(!s.returning());
        s.arrive(T);
        s.arrive(T + VISIT_GAP - 1);
        s.arrive(T + 2 * VISIT_GAP - 2);
        assert!(!s.returning(), "page views close together are one visit");
        s.arrive(T + 3 * VISIT_GAP);
        assert!(s.returning());
        s.arrive(T);
        assert_eq!(s.visits, 2, "a clock set back starts no visit");
    }

    #[test]
    fn displays_answers_and_dismissals_are_recorded() {
        let mut s = VisitorState::new("v".into());
        assert_eq!(s.record("a"), Record::default());
        s.shown("a", "t", T);
        s.shown("a", "t", T + 5);
        s.dismissed("a", T + 6);
        assert_eq!(
            s.record("a"),
            Record {
                shown: 2,
                shown_at: T + 5,
                answered_at: 0,
                dismissed_at: T + 6
            }
        );
        s.shown("b", "t", T + 9);
        assert_eq!(s.last_shown(), T + 9);
        s.answered("a", T + 10);
        assert_eq!(s.record("a").shown, 0, "counted afresh after an answer");
    }

    #[test]
    fn a_claim_holds_until_released_or_lapsed() {
        let mut s = VisitorState::new("v".into());
        assert_eq!(s.holder("a", T), None);
        s.shown("a", "tab-1", T);
        assert_eq!(s.holder("a", T + 1), Some("tab-1"));
        assert_eq!(s.holder("b", T + 1), None);
        assert_eq!(
            s.holder("a", T + CLAIM_TTL),
            None,
            "a crashed tab does not hold it for good"
        );
        assert_eq!(
            s.holder("a", T - 100),
            Some("tab-1"),
            "a clock set back keeps the claim"
        );
        s.release("a", "tab-1");
        assert_eq!(s.holder("a", T + 1), None);
    }

    #[test]
    fn lapsed_claims_are_dropped_when_a_new_one_is_made() {
        let mut s = VisitorState::new("v".into());
        s.shown("a", "tab-1", T);
        s.shown("b", "tab-1", T + CLAIM_TTL);
        s.shown("b", "tab-1", T + CLAIM_TTL + 1);
        assert_eq!(s.claims.len(), 1);
    }

    #[test]
    fn an_answer_in_one_tab_counts_in_the_other() {
        let stored = sample();
        let mut a = stored.clone();
        let mut b = stored.clone();
        a.shown("exit \"q\"", "tab-a", T + 100);
        a.answered("exit \"q\"", T + 120);
        b.shown("other", "tab-b", T + 110);
        b.merge(&a);
        assert_eq!(b.record("exit \"q\""), a.record("exit \"q\""));
        assert_eq!(b.record("other").shown, 1);
        assert_eq!(b.last_shown(), T + 110);
    }

    #[test]
    fn two_tabs_opening_one_survey_at_once_agree_on_the_holder() {
        let mut a = VisitorState::new("v".into());
        let mut b = a.clone();
        a.shown("s", "tab-b", T);
        b.shown("s", "tab-a", T);
        a.merge(&b);
        b.merge(&a);
        assert_eq!(a.holder("s", T), Some("tab-a"));
        assert_eq!(b.holder("s", T), Some("tab-a"));
        // The earlier claim wins over the lower id.
        let mut c = VisitorState::new("v".into());
        c.shown("s", "tab-z", T - 1);
        a.merge(&c);
        assert_eq!(a.holder("s", T), Some("tab-z"));
    }

    #[test]
    fn a_release_is_not_undone_by_an_older_copy() {
        let mut a = VisitorState::new("v".into());
        a.shown("s", "tab-a", T);
        let stale = a.clone();
        a.release("s", "tab-a");
        a.merge(&stale);
        assert_eq!(a.holder("s", T), None);
        let mut other = stale.clone();
        other.merge(&a);
        assert_eq!(other.holder("s", T), None);
        // A later claim by the same tab wins over its release.
        a.shown("s", "tab-a", T + 5);
        other.merge(&a);
        assert_eq!(other.holder("s", T + 5), Some("tab-a"));
    }

    #[test]
    fn the_lower_visitor_id_wins_so_sampling_agrees() {
        let mut a = VisitorState::new("b-id".into());
        let b = VisitorState::new("a-id".into());
        a.merge(&b);
        assert_eq!(a.visitor, "a-id");
    }

    #[test]
    fn merging_is_order_independent() {
        let base = sample();
        let mut x = base.clone();
        x.shown("nps", "tab-x", T + 500);
        x.dismissed("nps", T + 501);
        x.release("nps", "tab-x");
        let mut y = base.clone();
        y.shown("nps", "tab-y", T + 400);
        y.answered("nps", T + 450);
        y.arrive(T + 10_000);
        let mut z = VisitorState::new("v-0".into());
        z.shown("new", "tab-z", T + 600);
        let merged = |parts: &[&VisitorState]| {
            let mut m = parts[0].clone();
            for p in &parts[1..] {
                m.merge(p);
            }
            // Compare regardless of list order.
            m.records.sort_by(|a, b| a.survey.cmp(&b.survey));
            m.claims
                .sort_by(|a, b| (&a.survey, &a.tab).cmp(&(&b.survey, &b.tab)));
            m
        };
        let xyz = merged(&[&x, &y, &z]);
        assert_eq!(merged(&[&z, &y, &x]), xyz);
        assert_eq!(merged(&[&y, &x, &z]), xyz);
        assert_eq!(merged(&[&xyz, &x, &y]), xyz, "idempotent");
        // The later answer wins with its count; the later dismissal and display are kept too.
        assert_eq!(
            xyz.record("nps"),
            Record {
                shown: 0,
                shown_at: T + 500,
                answered_at: T + 450,
                dismissed_at: T + 501
            }
        );
        assert_eq!((xyz.visitor.as_str(), xyz.visits), ("v-0", 2));
    }

    #[test]
    fn seconds_come_from_milliseconds_without_panicking() {
        assert_eq!(secs(1_800_000_000_999.0), T);
        assert_eq!(secs(-5.0), 0);
        assert_eq!(secs(f64::NAN), 0);
        assert_eq!(secs(1e300), u32::MAX);
    }
}
