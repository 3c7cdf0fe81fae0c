//! HTTP dates (RFC 9110 §5.6.7) read as ms since the Unix epoch: `Retry-After` may be one.
//!
//! Written here rather than with `httpdate::parse_http_date`, which the native tests use as the
//! reference: through `SystemTime` that one brings a panic message's formatting of `Duration`
//! into the wasm, and with its parser it cost 4.7 KB of the wasm's 50 KB gzip budget (measured:
//! 51,779 bytes with it, 47,086 without; docs/performance-notes.md). `report::http_date` writes
//! dates for the same reason. The tests check this against `httpdate` for all three formats.

const MONTHS: [&[u8; 3]; 12] = [b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec"];
/// Monday first.
const DAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/// `date` (IMF-fixdate `Sun, 06 Nov 1994 08:49:37 GMT`, RFC 850 `Sunday, 06-Nov-94 08:49:37 GMT`
/// or asctime `Sun Nov  6 08:49:37 1994`; case-sensitive, as the grammar is) in ms since the
/// epoch. `None` for anything else, for a date that does not exist (30 February, a weekday that
/// is not the date's) and for a year outside 1970–9999. White space around it is no matter.
pub fn parse_ms(date: &str) -> Option<u64> {
    let b = date.trim().as_bytes();
    let short_day = |name: &[u8]| DAYS.iter().position(|d| d.as_bytes()[..3] == *name);
    let month = |name: &[u8]| MONTHS.iter().position(|m| m[..] == *name).map(|m| m as u64 + 1);
    // (weekday, day, month, year, hh:mm:ss)
    let (wday, day, mon, year, time) = if b.get(3) == Some(&b',') {
        // IMF-fixdate.
        if b.len() != 29 || &b[3..5] != b", " || b[7] != b' ' || b[11] != b' ' || b[16] != b' ' || &b[25..] != b" GMT" {
            return None;
        }
        (short_day(&b[..3])?, num(&b[5..7])?, month(&b[8..11])?, num(&b[12..16])?, &b[17..25])
    } else if b.get(3) == Some(&b' ') {
        // asctime: the day may be padded with a space.
        if b.len() != 24 || b[7] != b' ' || b[10] != b' ' || b[19] != b' ' {
            return None;
        }
        let day = if b[8] == b' ' { num(&b[9..10])? } else { num(&b[8..10])? };
        (short_day(&b[..3])?, day, month(&b[4..7])?, num(&b[20..24])?, &b[11..19])
    } else {
        // RFC 850: a full weekday, a two-digit year (70–99: 19xx; 00–69: 20xx).
        let comma = b.iter().position(|&c| c == b',')?;
        let wday = DAYS.iter().position(|d| d.as_bytes() == &b[..comma])?;
        let r = &b[comma..];
        if r.len() != 24 || r[1] != b' ' || r[4] != b'-' || r[8] != b'-' || r[11] != b' ' || &r[20..] != b" GMT" {
            return None;
        }
        let yy = num(&r[9..11])?;
        (wday, num(&r[2..4])?, month(&r[5..8])?, if yy < 70 { 2000 + yy } else { 1900 + yy }, &r[12..20])
    };
    if time[2] != b':' || time[5] != b':' {
        return None;
    }
    let (hour, min, sec) = (num(&time[..2])?, num(&time[3..5])?, num(&time[6..])?);
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let month_days = match mon {
        2 => 28 + u64::from(leap),
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if !(1970..=9999).contains(&year) || !(1..=month_days).contains(&day) || hour > 23 || min > 59 || sec > 59 {
        return None;
    }
    // Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant, "chrono-Compatible
    // Low-Level Date Algorithms", days_from_civil), in eras of 400 years from 0000-03-01.
    let y = year - u64::from(mon <= 2);
    let (era, yoe) = (y / 400, y % 400);
    let doy = (153 * ((mon + 9) % 12) + 2) / 5 + day - 1;
    let days = era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468;
    // 1970-01-01 was a Thursday (3, Monday first).
    if (days + 3) % 7 != wday as u64 {
        return None;
    }
    Some((days * 86_400 + hour * 3600 + min * 60 + sec) * 1000)
}

/// ASCII digits as a number (at most four here: no overflow).
fn num(digits: &[u8]) -> Option<u64> {
    digits.iter().try_fold(0, |n, &d| d.is_ascii_digit().then(|| n * 10 + u64::from(d - b'0')))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    /// What `httpdate` makes of it, in ms since the epoch.
    fn theirs(date: &str) -> Option<u64> {
        httpdate::parse_http_date(date).ok().map(|t| t.duration_since(UNIX_EPOCH).unwrap().as_millis() as u64)
    }

    #[test]
    fn rfc_9110s_three_examples() {
        for date in ["Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994"] {
            assert_eq!(parse_ms(date), Some(784_111_777_000), "{date}");
        }
    }

    #[test]
    fn agrees_with_httpdate_in_every_format_from_1970_to_9999() {
        let mut ms: u64 = 0;
        let mut step: u64 = 1;
        while ms <= 253_402_300_799_000 {
            let imf = httpdate::fmt_http_date(UNIX_EPOCH + Duration::from_millis(ms));
            // The same moment in the other two formats, built from the IMF-fixdate's fields.
            let (wd, day, mon, year, time) = (&imf[..3], &imf[5..7], &imf[8..11], &imf[12..16], &imf[17..25]);
            let long = DAYS.iter().find(|d| d.starts_with(wd)).unwrap();
            let asctime = format!("{wd} {mon} {:>2} {time} {year}", day.trim_start_matches('0'));
            let rfc850 = format!("{long}, {day}-{mon}-{} {time} GMT", &year[2..]);
            for date in [imf.as_str(), asctime.as_str(), rfc850.as_str()] {
                assert_eq!(parse_ms(date), theirs(date), "{date}");
            }
            assert_eq!(parse_ms(&imf), Some(ms / 1000 * 1000), "{imf}");
            ms += step;
            step = step * 3 / 2 + 86_399_999;
        }
    }

    #[test]
    fn refuses_what_httpdate_refuses() {
        for date in [
            "",
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Mon, 06 Nov 1994 08:49:37 GMT",
            "Sun, 06 nov 1994 08:49:37 GMT",
            "Thu, 30 Feb 2023 10:00:00 GMT",
            "Tue, 29 Feb 2100 10:00:00 GMT",
            "Thu, 01 Jan 1970 24:00:00 GMT",
            "Wed, 31 Dec 1969 23:59:59 GMT",
            "Sun, 06 Nov 1994 08:49:60 GMT",
            "Sun, 6 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-1994 08:49:37 GMT",
            "Sunday,06-Nov-94 08:49:37 GMT",
            "Sun Nov 6 08:49:37 1994",
            " Sun Nov  6 08:49:37 1994\t",
            "Sun Nov 06 08:49:37 1994",
            "Funday, 06-Nov-94 08:49:37 GMT",
            ",,,,,,,,,,,,,,,,,,,,,,,,,,,,,",
            "Sun, 06 Nov 1994 08:49:37 GMT\u{e9}",
            "Sun, 0\u{e9} Nov 1994 08:49:37 GM",
        ] {
            assert_eq!(parse_ms(date), theirs(date), "{date:?}");
        }
        assert_eq!(parse_ms("Sun Nov 06 08:49:37 1994"), Some(784_111_777_000), "asctime's day may be two digits");
    }
}
