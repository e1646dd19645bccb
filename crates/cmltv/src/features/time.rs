//! Purchase times read as calendar days.
//!
//! Every time becomes a day number, the days since 1970-01-01, so that windows, gaps and
//! ages are differences of integers:
//!
//! ```text
//! day(1970-01-01) = 0        day(1997-01-01) = 9862        day(1997-09-30) = 10134
//! ```
//!
//! A time with a time of day keeps the calendar date it is written with:
//! `2024-03-01T23:30:00-05:00` is on day 2024-03-01, whatever the date in UTC. Unix seconds
//! carry no zone and fall on their UTC date.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime};

/// Days from 0001-01-01 (chrono's day 1 of the common era) to 1970-01-01.
const EPOCH_FROM_CE: i32 = 719_163;

/// Seconds in a day.
const DAY_SECONDS: i64 = 86_400;

/// How the time column is written.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum TimeFormat {
    /// Recognised per value: eight digits are `%Y%m%d` (CDNOW's `19970101`), `YYYY-MM-DD` is an
    /// ISO date, `YYYY-MM-DD` followed by `T` or a space and a time (optionally with a
    /// fraction, `Z` or an offset) is an ISO date and time, and any other integer, or decimal,
    /// is Unix seconds.
    #[default]
    Auto,
    /// Seconds since 1970-01-01 00:00 UTC, possibly negative or with a fraction.
    UnixSeconds,
    /// A `strftime` pattern as chrono reads it, such as `%d/%m/%Y` or `%Y-%m-%d %H:%M:%S %z`.
    Pattern(String),
}

impl TimeFormat {
    /// The day number of `text`, or `None` when it is not a time of this format.
    pub fn parse_day(&self, text: &str) -> Option<i64> {
        let text = text.trim();
        match self {
            TimeFormat::Auto => auto_day(text),
            TimeFormat::UnixSeconds => unix_day(text),
            TimeFormat::Pattern(pattern) => pattern_day(text, pattern),
        }
    }
}

impl fmt::Display for TimeFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TimeFormat::Auto => f.write_str("auto"),
            TimeFormat::UnixSeconds => f.write_str("unix"),
            TimeFormat::Pattern(pattern) => f.write_str(pattern),
        }
    }
}

impl FromStr for TimeFormat {
    type Err = String;

    /// `auto`, `unix`, or a pattern holding at least one `%` field.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "auto" => Ok(TimeFormat::Auto),
            "unix" => Ok(TimeFormat::UnixSeconds),
            pattern if pattern.contains('%') => Ok(TimeFormat::Pattern(pattern.to_string())),
            other => Err(format!(
                "'{other}' is not a time format: use auto, unix or a strftime pattern \
                 such as %Y-%m-%d"
            )),
        }
    }
}

/// The day number of a date.
pub fn day_of(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce() - EPOCH_FROM_CE)
}

/// The date of a day number, or `None` outside chrono's range of years.
pub fn date_of(day: i64) -> Option<NaiveDate> {
    let from_ce = i32::try_from(day + i64::from(EPOCH_FROM_CE)).ok()?;
    NaiveDate::from_num_days_from_ce_opt(from_ce)
}

/// The rules of [`TimeFormat::Auto`].
fn auto_day(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    if bytes.len() == 8 && bytes.iter().all(u8::is_ascii_digit) {
        return compact_date_day(text);
    }
    if bytes.len() >= 10 && bytes[4] == b'-' && bytes[7] == b'-' {
        let day = iso_date_day(&bytes[..10])?;
        return (bytes.len() == 10 || is_time_suffix(&text[10..])).then_some(day);
    }
    unix_day(text)
}

/// `YYYYMMDD`, read without the pattern parser (it is the hot path for CDNOW-like logs).
fn compact_date_day(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    ymd_day(
        digits(&bytes[..4])?,
        digits(&bytes[4..6])?,
        digits(&bytes[6..8])?,
    )
}

/// `YYYY-MM-DD`, read without the pattern parser.
fn iso_date_day(bytes: &[u8]) -> Option<i64> {
    ymd_day(
        digits(&bytes[..4])?,
        digits(&bytes[5..7])?,
        digits(&bytes[8..10])?,
    )
}

/// The value of a run of ASCII digits.
fn digits(bytes: &[u8]) -> Option<u32> {
    bytes.iter().try_fold(0u32, |value, byte| {
        byte.is_ascii_digit()
            .then(|| value * 10 + u32::from(byte - b'0'))
    })
}

fn ymd_day(year: u32, month: u32, day: u32) -> Option<i64> {
    let date = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)?;
    Some(day_of(date))
}

/// Whether `suffix` is what may follow an ISO date: `T` or a space, a time of day with
/// optional seconds and fraction, then optionally `Z` or an offset such as `+02:00`.
fn is_time_suffix(suffix: &str) -> bool {
    let Some(time) = suffix.strip_prefix(['T', ' ']) else {
        return false;
    };
    let time = time.strip_suffix('Z').unwrap_or(time);
    let time = match time.rfind(['+', '-']) {
        Some(at) if is_offset(&time[at + 1..]) => &time[..at],
        _ => time,
    };
    ["%H:%M:%S%.f", "%H:%M"]
        .iter()
        .any(|pattern| NaiveTime::parse_from_str(time, pattern).is_ok())
}

/// `hh:mm`, `hhmm` or `hh`.
fn is_offset(text: &str) -> bool {
    let digits = text.replacen(':', "", 1);
    matches!(digits.len(), 2 | 4) && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Unix seconds, integer or decimal, on their UTC day.
fn unix_day(text: &str) -> Option<i64> {
    if let Ok(seconds) = text.parse::<i64>() {
        return Some(seconds.div_euclid(DAY_SECONDS));
    }
    let seconds: f64 = text.parse().ok()?;
    let day = (seconds / DAY_SECONDS as f64).floor();
    // The range check also refuses NaN and infinities.
    (day.abs() < 1e12).then_some(day as i64)
}

/// A `strftime` pattern: a date alone, or a date and time with or without an offset, whose
/// written date is kept.
fn pattern_day(text: &str, pattern: &str) -> Option<i64> {
    if let Ok(date) = NaiveDate::parse_from_str(text, pattern) {
        return Some(day_of(date));
    }
    if let Ok(moment) = NaiveDateTime::parse_from_str(text, pattern) {
        return Some(day_of(moment.date()));
    }
    let moment = DateTime::parse_from_str(text, pattern).ok()?;
    Some(day_of(moment.date_naive()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(year: i32, month: u32, day: u32) -> i64 {
        day_of(NaiveDate::from_ymd_opt(year, month, day).unwrap())
    }

    #[test]
    fn day_numbers_count_from_1970() {
        assert_eq!(date(1970, 1, 1), 0);
        assert_eq!(date(1969, 12, 31), -1);
        // 27 years of 365 days and 7 leap days (1972 .. 1996).
        assert_eq!(date(1997, 1, 1), 27 * 365 + 7);
        assert_eq!(date(1997, 9, 30) - date(1997, 1, 1), 272);
        assert_eq!(
            date_of(date(2024, 2, 29)),
            NaiveDate::from_ymd_opt(2024, 2, 29)
        );
    }

    #[test]
    fn auto_reads_each_supported_layout() {
        let auto = TimeFormat::Auto;
        let expected = Some(date(1997, 3, 25));
        for text in [
            "19970325",
            "1997-03-25",
            " 1997-03-25 ",
            "1997-03-25T10:11:12",
            "1997-03-25 10:11",
            "1997-03-25T10:11:12.345Z",
            "1997-03-25T23:59:59-05:00",
            "1997-03-25T00:00:00+0130",
            "859248000",
            "859334399.5",
        ] {
            assert_eq!(auto.parse_day(text), expected, "{text}");
        }
        assert_eq!(auto.parse_day("-1"), Some(-1));
    }

    #[test]
    fn auto_refuses_what_is_not_a_time() {
        let auto = TimeFormat::Auto;
        for text in [
            "",
            "19971325",
            "1997-3-25",
            "1997-03-2x",
            "1997-02-30",
            "1997-03-25x",
            "1997-03-25T25:00",
            "25/03/1997",
            "soon",
            "NaN",
            "inf",
            "1e300",
        ] {
            assert_eq!(auto.parse_day(text), None, "{text}");
        }
    }

    #[test]
    fn unix_seconds_fall_on_their_utc_day() {
        let unix = TimeFormat::UnixSeconds;
        assert_eq!(unix.parse_day("86399"), Some(0));
        assert_eq!(unix.parse_day("86400"), Some(1));
        assert_eq!(unix.parse_day("-0.5"), Some(-1));
        assert_eq!(unix.parse_day("19970325"), Some(231));
        assert_eq!(unix.parse_day("1997-03-25"), None);
    }

    #[test]
    fn patterns_read_dates_and_times() {
        let day =
            |pattern: &str, text: &str| TimeFormat::Pattern(pattern.to_string()).parse_day(text);
        let expected = Some(date(1997, 3, 25));
        assert_eq!(day("%d/%m/%Y", "25/03/1997"), expected);
        assert_eq!(day("%Y-%m-%d %H:%M:%S", "1997-03-25 23:10:00"), expected);
        assert_eq!(day("%Y-%m-%d %H:%M %z", "1997-03-25 23:10 -0800"), expected);
        assert_eq!(day("%d/%m/%Y", "1997-03-25"), None);
    }

    #[test]
    fn formats_parse_from_their_names() {
        assert_eq!("auto".parse(), Ok(TimeFormat::Auto));
        assert_eq!("unix".parse(), Ok(TimeFormat::UnixSeconds));
        let pattern: TimeFormat = "%Y/%m/%d".parse().unwrap();
        assert_eq!(pattern.to_string(), "%Y/%m/%d");
        let error = "yyyy-mm-dd".parse::<TimeFormat>().unwrap_err();
        assert!(error.contains("not a time format"), "{error}");
    }
}
