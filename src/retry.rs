//! The retry policy: pure. The caller passes time and a random number; the policy decides.
//!
//! Full-jitter exponential backoff (uniform in `[0, min(cap, base * 2^n))`), never earlier than a
//! floor and never earlier than the server's `Retry-After` (RFC 9110 §10.2.3). No automatic retry
//! for a non-idempotent method (RFC 9110 §9.2.2), nor where waiting cannot help.

use crate::diagnosis::{Retry, RetryReason, Verdict};
use std::time::{Duration, UNIX_EPOCH};

/// The knobs of the policy.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Policy {
    /// The backoff window of the first retry, in ms.
    pub base_ms: u64,
    /// The largest backoff window, in ms.
    pub cap_ms: u64,
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
    /// 2 s first window doubling to 5 min, at least 1 s apart, for an hour. With the median
    /// jitter 30 tries take about the hour, so the count rarely ends the retries first: with
    /// 12 (the old limit) one visitor in 75 gave up inside a 10-minute outage (examples/storm.rs).
    fn default() -> Self {
        Policy { base_ms: 2_000, cap_ms: 300_000, floor_ms: 1_000, max_attempts: 30, max_elapsed_ms: 3_600_000, automatic: true }
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
}

impl Policy {
    /// The backoff window for retry number `attempt` (0-based): `min(cap, base * 2^attempt)`.
    pub fn window_ms(&self, attempt: u32) -> u64 {
        let factor = 1u64.checked_shl(attempt.min(63)).unwrap_or(u64::MAX);
        self.base_ms.saturating_mul(factor).min(self.cap_ms)
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
        if a.attempt >= self.max_attempts || a.elapsed_ms >= self.max_elapsed_ms {
            return no(RetryReason::GaveUp);
        }
        let jitter = if a.jitter.is_nan() { 0.5 } else { a.jitter.clamp(0.0, 1.0) };
        // Truncation is intended: the product lies in [0, window].
        let backoff = ((self.window_ms(a.attempt) as f64) * jitter) as u64;
        let backoff = backoff.max(self.floor_ms);
        match a.retry_after_ms {
            Some(ra) if a.elapsed_ms.saturating_add(ra) > self.max_elapsed_ms => {
                Retry { auto: false, after_ms: Some(ra), reason: RetryReason::RetryAfter }
            }
            Some(ra) if ra >= backoff => Retry { auto: true, after_ms: Some(ra), reason: RetryReason::RetryAfter },
            _ => Retry { auto: true, after_ms: Some(backoff), reason: RetryReason::Backoff },
        }
    }
}

/// Reads a `Retry-After` value (delay-seconds or an HTTP-date) into ms from `now_ms`.
/// A date in the past means 0; anything unreadable means `None`.
pub fn retry_after_ms(value: &str, now_ms: f64) -> Option<u64> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Saturate absurd values instead of failing: "wait very long" is still the message.
        return Some(value.parse::<u64>().unwrap_or(u64::MAX / 1000).saturating_mul(1000));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    let date_ms = date.duration_since(UNIX_EPOCH).unwrap_or(Duration::ZERO).as_millis();
    if !now_ms.is_finite() || now_ms < 0.0 {
        return None;
    }
    let now_ms = now_ms as u128;
    Some(u64::try_from(date_ms.saturating_sub(now_ms)).unwrap_or(u64::MAX))
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
}

impl Default for Sharing {
    /// 2 s, 10 s, 30 s.
    fn default() -> Self {
        Sharing { check_ms: 2_000, answered_ms: 10_000, look_ms: 30_000 }
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
        Attempt { verdict, idempotent: true, retry_after_ms: None, attempt: 0, elapsed_ms: 0, jitter: 0.5 }
    }

    #[test]
    fn backoff_is_full_jitter_within_window_and_floor() {
        let p = Policy::default();
        for n in 0..20 {
            for j in [0.0, 0.25, 0.999_999] {
                let r = p.decide(&Attempt { attempt: n.min(11), jitter: j, ..attempt_for(Verdict::OriginDown) });
                let ms = r.after_ms.unwrap();
                assert!(ms >= p.floor_ms && ms <= p.window_ms(n.min(11)).max(p.floor_ms), "{n} {j} {ms}");
            }
        }
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
        // With the median jitter the two limits meet: 30 tries take about the hour.
        let median: u64 = (0..p.max_attempts).map(|n| p.decide(&Attempt { attempt: n, ..attempt_for(Verdict::OriginDown) }).after_ms.unwrap()).sum();
        assert!((3_000_000..=p.max_elapsed_ms).contains(&median), "{median}");
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
