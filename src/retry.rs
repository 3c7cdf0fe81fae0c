//! The retry policy: pure. The caller passes time and a random number; the policy decides.
//!
//! A steady schedule, chosen in `examples/storm.rs` (docs/performance-notes.md, "Retry storms,
//! session 8"): the first retry comes when a person would first refresh by hand (10 to 30 s after
//! the failure), the later ones at gaps jittered ±25% around a mean that starts at a minute and
//! grows by a quarter a try up to 10 minutes. Never earlier than a floor, never earlier than the
//! server's `Retry-After` (RFC 9110 §10.2.3), and never longer than an hour in all. No automatic
//! retry for a non-idempotent method (RFC 9110 §9.2.2), nor where waiting cannot help.

use crate::diagnosis::{Retry, RetryReason, Verdict};

/// The knobs of the policy.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Policy {
    /// The first retry comes within `[first_ms.0, first_ms.1)` of the failure, spread by the jitter.
    pub first_ms: (u64, u64),
    /// The mean gap before the second retry, in ms.
    pub steady_ms: u64,
    /// Each later gap's mean is this many percent of the one before, up to `cap_ms`.
    pub growth_percent: u64,
    /// The largest mean gap, in ms.
    pub cap_ms: u64,
    /// A later gap lies within this many percent either side of its mean, spread by the jitter.
    pub spread_percent: u64,
    /// No retry sooner than this, in ms, whatever the jitter says.
    pub floor_ms: u64,
    /// Give up after this many automatic retries.
    pub max_attempts: u32,
    /// Give up once this long has passed since the first failure, in ms.
    pub max_elapsed_ms: u64,
    /// Whether Page Medic retries by itself at all (the visitor may turn it off).
    pub automatic: bool,
}

impl Default for Policy {
    /// First retry 10-30 s after the failure; then a minute ±25%, growing ×1.25 a try to 10
    /// minutes; at least 5 s apart; for an hour (about 14 tries, so the limit of 30 rarely ends
    /// the retries first).
    fn default() -> Self {
        Policy {
            first_ms: (10_000, 30_000),
            steady_ms: 60_000,
            growth_percent: 125,
            cap_ms: 600_000,
            spread_percent: 25,
            floor_ms: 5_000,
            max_attempts: 30,
            max_elapsed_ms: 3_600_000,
            automatic: true,
        }
    }
}

/// What the policy is asked about.
#[derive(Clone, Copy, Debug)]
pub struct Attempt {
    /// The verdict of the latest failure.
    pub verdict: Verdict,
    /// Whether the request may be sent again safely (not a form POST).
    pub idempotent: bool,
    /// What `Retry-After` asked for, in ms from now, if anything.
    pub retry_after_ms: Option<u64>,
    /// How many automatic retries have already been made.
    pub attempt: u32,
    /// How long since the first failure, in ms.
    pub elapsed_ms: u64,
    /// A random number in `[0, 1)`; out-of-range values are clamped, NaN counts as 0.5.
    pub jitter: f64,
    /// Whether the page reloads itself (HTML's `Refresh`): it retries on its own.
    pub refreshes: bool,
}

impl Policy {
    /// The range retry number `attempt` (0-based) is drawn from, in ms: `first_ms` for the first,
    /// then the mean (`steady_ms`, times `growth_percent` a try, at most `cap_ms`) ± `spread_percent`.
    pub fn gap_range_ms(&self, attempt: u32) -> (u64, u64) {
        if attempt == 0 {
            return (self.first_ms.0, self.first_ms.1.max(self.first_ms.0));
        }
        let mut mean = self.steady_ms.min(self.cap_ms);
        for _ in 1..attempt {
            if mean >= self.cap_ms {
                break;
            }
            mean = (mean * self.growth_percent / 100).min(self.cap_ms);
        }
        let spread = mean / 100 * self.spread_percent.min(100);
        (mean - spread, mean + spread)
    }

    /// Decides whether and when to retry.
    pub fn decide(&self, a: &Attempt) -> Retry {
        let no = |reason| Retry { auto: false, after_ms: None, reason };
        if !a.verdict.is_failure() {
            return no(RetryReason::NotFailed);
        }
        if !a.idempotent {
            return no(RetryReason::UnsafeMethod);
        }
        if !self.automatic {
            return no(RetryReason::Disabled);
        }
        if a.verdict == Verdict::Offline {
            return Retry { auto: true, after_ms: None, reason: RetryReason::WaitForOnline };
        }
        if !a.verdict.transient() {
            return no(RetryReason::NotTransient);
        }
        if a.refreshes {
            return no(RetryReason::PageRefreshes);
        }
        if a.attempt >= self.max_attempts || a.elapsed_ms >= self.max_elapsed_ms {
            return no(RetryReason::GaveUp);
        }
        let jitter = if a.jitter.is_nan() { 0.5 } else { a.jitter.clamp(0.0, 1.0) };
        let (low, high) = self.gap_range_ms(a.attempt);
        // Truncation is intended: the product lies in [0, high - low].
        let gap = low + ((high - low) as f64 * jitter) as u64;
        let gap = gap.max(self.floor_ms);
        match a.retry_after_ms {
            Some(ra) if a.elapsed_ms.saturating_add(ra) > self.max_elapsed_ms => Retry { auto: false, after_ms: Some(ra), reason: RetryReason::RetryAfter },
            Some(ra) if ra >= gap => Retry { auto: true, after_ms: Some(ra), reason: RetryReason::RetryAfter },
            // The schedule ends at the hour: a step past it is not taken.
            _ if a.elapsed_ms.saturating_add(gap) > self.max_elapsed_ms => no(RetryReason::GaveUp),
            _ => Retry { auto: true, after_ms: Some(gap), reason: RetryReason::Backoff },
        }
    }
}

/// Whether a `Refresh` header or `<meta http-equiv="refresh">` content makes the browser load a
/// page by itself: it does when the value starts (after white space) with a digit or a dot (HTML
/// §7.11.1, the shared declarative refresh steps); anything else is ignored.
pub fn declares_refresh(value: &str) -> bool {
    value.bytes().find(|b| !b.is_ascii_whitespace()).is_some_and(|b| b.is_ascii_digit() || b == b'.')
}

/// What a `Retry-After` asked for, read at a moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryAfter {
    /// Wait this many ms.
    In(u64),
    /// A date already past (a clock that is wrong, here or there): nothing to wait for.
    Past,
}

/// Reads a `Retry-After` value (delay-seconds or an HTTP-date, RFC 9110 §10.2.3) at `now_ms`;
/// `None` when it cannot be read. Absurdly large values saturate: "wait very long" is still the
/// message.
pub fn read_retry_after(value: &str, now_ms: f64) -> Option<RetryAfter> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return Some(RetryAfter::In(value.parse::<u64>().unwrap_or(u64::MAX / 1000).saturating_mul(1000)));
    }
    let date_ms = crate::http_date::parse_ms(value)?;
    if !now_ms.is_finite() || now_ms < 0.0 {
        return None;
    }
    Some(date_ms.checked_sub(now_ms as u64).map_or(RetryAfter::Past, RetryAfter::In))
}

/// A `Retry-After` value in ms from `now_ms`: a date in the past means 0; anything unreadable
/// means `None`.
pub fn retry_after_ms(value: &str, now_ms: f64) -> Option<u64> {
    read_retry_after(value, now_ms).map(|r| match r {
        RetryAfter::In(ms) => ms,
        RetryAfter::Past => 0,
    })
}

/// How long one request to a failing site stands for others, so that the site is asked once, not
/// once for each of the visitor's tabs on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sharing {
    /// A check's answer stands for every tab of the site that comes due within this time, in ms.
    pub check_ms: u64,
    /// Once a check found the site answering again, the site's tabs that come due within this
    /// time load again without another check, in ms.
    pub answered_ms: u64,
    /// A look at a failed address (for the headers its page cannot read) stands for every tab
    /// that fails on the same address within this time, in ms; never for another address of the
    /// site (its pages may fail otherwise, and a request id is one request's).
    pub look_ms: u64,
    /// A site that answers and fails again within seconds is flapping, not back: a check that
    /// found it answering reloads the tab whose countdown asked, but the site's other tabs and
    /// "it's back" wait for a second check at least this long after the first, in ms.
    pub confirm_ms: u64,
}

impl Default for Sharing {
    /// 2 s, 10 s, 30 s, 10 s.
    fn default() -> Self {
        Sharing { check_ms: 2_000, answered_ms: 10_000, look_ms: 30_000, confirm_ms: 10_000 }
    }
}

/// "Tell me when it's back": how long Page Medic keeps checking a site for the visitor once they
/// asked, and how often once the retry schedule has stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Watch {
    /// Between two checks once the retry schedule has no next step (it gave up, or waiting is
    /// not expected to help), in ms: one a minute, as a person looking in now and then would.
    pub slow_check_ms: u64,
    /// A watch ends, unanswered, this long after it began, in ms.
    pub watch_for_ms: u64,
}

impl Default for Watch {
    /// A check a minute, for a day.
    fn default() -> Self {
        Watch { slow_check_ms: 60_000, watch_for_ms: 24 * 60 * 60 * 1000 }
    }
}

impl Watch {
    /// When a watch that began at `since_ms` checks next, seen at `now_ms`: at the retry
    /// schedule's next step while it has one (`schedule_next_ms`), else a slow check; `None` once
    /// the watch has run its time. Times in ms since the epoch; bad numbers count as none.
    pub fn next_check_ms(&self, since_ms: f64, now_ms: f64, schedule_next_ms: Option<f64>) -> Option<f64> {
        let (since, now) = (finite(since_ms)?, finite(now_ms)?);
        if now - since > self.watch_for_ms as f64 {
            return None;
        }
        Some(schedule_next_ms.and_then(finite).unwrap_or(now + self.slow_check_ms as f64))
    }
}

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attempt_for(verdict: Verdict) -> Attempt {
        Attempt { verdict, idempotent: true, retry_after_ms: None, attempt: 0, elapsed_ms: 0, jitter: 0.5, refreshes: false }
    }

    #[test]
    fn the_first_retry_comes_when_a_person_would_refresh_then_steady_gaps_grow_to_ten_minutes() {
        let p = Policy::default();
        let gap = |attempt, jitter| p.decide(&Attempt { attempt, jitter, ..attempt_for(Verdict::OriginDown) }).after_ms.unwrap();
        assert_eq!((gap(0, 0.0), gap(0, 0.5), gap(0, 1.0)), (10_000, 20_000, 30_000));
        assert_eq!((gap(1, 0.0), gap(1, 0.5), gap(1, 1.0)), (45_000, 60_000, 75_000));
        assert_eq!(gap(2, 0.5), 75_000);
        assert_eq!(gap(3, 0.5), 93_750);
        for n in 12..40 {
            assert_eq!(p.gap_range_ms(n), (450_000, 750_000), "capped at 10 minutes ±25% ({n})");
        }
        for n in 1..40 {
            let (low, high) = p.gap_range_ms(n);
            let (next_low, _) = p.gap_range_ms(n + 1);
            assert!(low >= p.floor_ms && low < high && next_low >= low, "{n}: never shorter than the one before");
        }
    }

    #[test]
    fn the_jitter_never_leaves_the_range_even_when_it_is_bad() {
        let p = Policy::default();
        for n in 0..12 {
            let (low, high) = p.gap_range_ms(n);
            for j in [-1.0, 0.0, 0.25, 0.999_999, 1.0, 7.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
                let ms = p.decide(&Attempt { attempt: n, jitter: j, ..attempt_for(Verdict::OriginDown) }).after_ms.unwrap();
                assert!((low..=high).contains(&ms), "{n} {j} {ms}");
            }
        }
    }

    #[test]
    fn a_retry_after_of_nothing_is_no_tight_loop_and_one_past_the_hour_is_said() {
        let p = Policy::default();
        for ra in [0, 1, 999] {
            let r = p.decide(&Attempt { retry_after_ms: Some(ra), jitter: 0.0, ..attempt_for(Verdict::SiteUnavailable) });
            assert_eq!(r, Retry { auto: true, after_ms: Some(10_000), reason: RetryReason::Backoff }, "{ra}");
        }
        let days = p.decide(&Attempt { retry_after_ms: Some(3 * 86_400_000), ..attempt_for(Verdict::SiteUnavailable) });
        assert_eq!(days, Retry { auto: false, after_ms: Some(3 * 86_400_000), reason: RetryReason::RetryAfter });
        // A visitor's own knobs of nothing still give no tight loop.
        let odd = Policy { first_ms: (0, 0), steady_ms: 0, growth_percent: 0, cap_ms: 0, ..p };
        assert_eq!(odd.decide(&attempt_for(Verdict::OriginDown)).after_ms, Some(p.floor_ms));
    }

    #[test]
    fn never_before_retry_after() {
        let p = Policy::default();
        let r = p.decide(&Attempt { retry_after_ms: Some(120_000), jitter: 0.0, ..attempt_for(Verdict::SiteUnavailable) });
        assert_eq!(r, Retry { auto: true, after_ms: Some(120_000), reason: RetryReason::RetryAfter });
    }

    #[test]
    fn never_resends_a_post() {
        let r = Policy::default().decide(&Attempt { idempotent: false, ..attempt_for(Verdict::OriginDown) });
        assert!(!r.auto);
        assert_eq!(r.reason, RetryReason::UnsafeMethod);
    }

    #[test]
    fn no_retry_where_waiting_cannot_help() {
        for v in [Verdict::SiteConfig, Verdict::TlsFailure, Verdict::BlockedByExtension, Verdict::BlockedByPolicy, Verdict::StaleSiteData] {
            assert_eq!(Policy::default().decide(&attempt_for(v)).reason, RetryReason::NotTransient, "{v:?}");
        }
    }

    #[test]
    fn offline_waits_for_the_connection() {
        let r = Policy::default().decide(&attempt_for(Verdict::Offline));
        assert_eq!(r, Retry { auto: true, after_ms: None, reason: RetryReason::WaitForOnline });
    }

    #[test]
    fn gives_up() {
        let p = Policy::default();
        assert_eq!(p.decide(&Attempt { attempt: p.max_attempts, ..attempt_for(Verdict::OriginDown) }).reason, RetryReason::GaveUp);
        assert_eq!(p.decide(&Attempt { elapsed_ms: p.max_elapsed_ms, ..attempt_for(Verdict::OriginDown) }).reason, RetryReason::GaveUp);
    }

    /// Seeded visitors waiting out a 10-minute outage with the default policy: none gives up.
    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn the_default_outlasts_a_ten_minute_outage() {
        let p = Policy::default();
        let mut rng = fastrand::Rng::with_seed(502);
        let gave_up = (0..20_000)
            .filter(|_| {
                let (mut attempt, mut elapsed_ms) = (0, 0);
                while elapsed_ms < 600_000 {
                    let a = Attempt { attempt, elapsed_ms, jitter: rng.f64(), ..attempt_for(Verdict::OriginDown) };
                    let Retry { auto: true, after_ms: Some(ms), .. } = p.decide(&a) else { return true };
                    (attempt, elapsed_ms) = (attempt + 1, elapsed_ms + ms);
                }
                false
            })
            .count();
        assert_eq!(gave_up, 0);
        // The hour ends the retries before the count does, even with the shortest gaps.
        let (mut tries, mut elapsed_ms) = (0, 0);
        while let Retry { auto: true, after_ms: Some(ms), .. } =
            p.decide(&Attempt { attempt: tries, elapsed_ms, jitter: 0.0, ..attempt_for(Verdict::OriginDown) })
        {
            (tries, elapsed_ms) = (tries + 1, elapsed_ms + ms);
        }
        assert!(tries < p.max_attempts && elapsed_ms <= p.max_elapsed_ms, "{tries} tries in {elapsed_ms} ms");
    }

    #[test]
    fn retry_after_forms() {
        assert_eq!(retry_after_ms("120", 0.0), Some(120_000));
        // Sun, 06 Nov 1994 08:49:37 GMT = 784111777 s.
        assert_eq!(retry_after_ms("Sun, 06 Nov 1994 08:49:37 GMT", 784_111_767_000.0), Some(10_000));
        assert_eq!(retry_after_ms("Sun, 06 Nov 1994 08:49:37 GMT", 784_111_787_000.0), Some(0));
        assert_eq!(retry_after_ms("soon", 0.0), None);
        assert_eq!(retry_after_ms("-5", 0.0), None);
        assert_eq!(retry_after_ms("99999999999999999999999", 0.0), Some(u64::MAX / 1000 * 1000));
    }

    #[test]
    fn a_watch_follows_the_schedule_then_checks_once_a_minute_for_a_day() {
        let w = Watch::default();
        assert_eq!(w.next_check_ms(0.0, 1_000.0, Some(5_000.0)), Some(5_000.0), "the schedule's next step");
        assert_eq!(w.next_check_ms(0.0, 1_000.0, None), Some(61_000.0), "a slow check once it has none");
        assert_eq!(w.next_check_ms(0.0, 86_400_000.0, None), Some(86_460_000.0), "still within the day");
        assert_eq!(w.next_check_ms(0.0, 86_400_001.0, None), None, "a day is over");
        assert_eq!(w.next_check_ms(f64::NAN, 0.0, None), None);
        assert_eq!(w.next_check_ms(0.0, 0.0, Some(f64::INFINITY)), Some(60_000.0));
    }

    #[test]
    fn a_visitor_who_turned_automatic_retries_off_gets_none_and_a_form_is_still_said_to_be_a_form() {
        let off = Policy { automatic: false, ..Policy::default() };
        assert_eq!(off.decide(&attempt_for(Verdict::OriginDown)).reason, RetryReason::Disabled);
        assert_eq!(off.decide(&attempt_for(Verdict::Offline)), Retry { auto: false, after_ms: None, reason: RetryReason::Disabled });
        assert_eq!(off.decide(&Attempt { idempotent: false, ..attempt_for(Verdict::OriginDown) }).reason, RetryReason::UnsafeMethod);
        assert_eq!(off.decide(&attempt_for(Verdict::None)).reason, RetryReason::NotFailed);
    }
}
