//! RFC 3339 timestamps read back into numbers, for the two places evidence
//! needs arithmetic on time: the retention end date and the epoch seconds
//! SIEM products want.
//!
//! The engine never reads the clock, so times arrive as text; this module
//! checks that text strictly (`YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`)
//! and does the calendar sums without a date library.

use super::EvidenceError;

/// A checked RFC 3339 timestamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Timestamp<'a> {
    text: &'a str,
    /// Days since 1970-01-01 of the local date.
    days: i64,
    /// Seconds since local midnight.
    seconds: i64,
    /// Milliseconds of the fraction (further digits are dropped).
    millis: i64,
    /// Offset east of UTC, in seconds.
    offset: i64,
}

/// The last day that still has a four-digit year: 9999-12-31.
const LAST_DAY: i64 = 2_932_896;

impl<'a> Timestamp<'a> {
    /// Parses and checks `text`; `field` names it in errors.
    pub(crate) fn parse(text: &'a str, field: &str) -> Result<Timestamp<'a>, EvidenceError> {
        parse(text).ok_or_else(|| {
            EvidenceError::new(format!(
                "{field} `{text}` is not an RFC 3339 timestamp such as 2026-11-25T10:00:00Z"
            ))
        })
    }

    /// Milliseconds since the Unix epoch.
    pub(crate) fn unix_millis(&self) -> i64 {
        (self.days * 86_400 + self.seconds - self.offset) * 1000 + self.millis
    }

    /// The same text with the date moved `days` later: time of day, fraction
    /// and offset are kept as written (adding whole days at a fixed offset
    /// is the same instant arithmetic as in UTC).
    pub(crate) fn plus_days(&self, days: u32) -> Result<String, EvidenceError> {
        let target = self.days + i64::from(days);
        if target > LAST_DAY {
            return Err(EvidenceError::new(format!(
                "{days} days after {} is past the year 9999",
                self.text
            )));
        }
        // crate::time turns day counts into dates; only the date is taken.
        let date = crate::rfc3339_millis(target * 86_400_000);
        let (Some(date), Some(rest)) = (date.get(..10), self.text.get(10..)) else {
            return Err(EvidenceError::new("date arithmetic went out of range"));
        };
        Ok(format!("{date}{rest}"))
    }
}

fn parse(text: &str) -> Option<Timestamp<'_>> {
    let b = text.as_bytes();
    let year = number(b, 0, 4)?;
    let month = number(b, 5, 2)?;
    let day = number(b, 8, 2)?;
    let hour = number(b, 11, 2)?;
    let minute = number(b, 14, 2)?;
    let second = number(b, 17, 2)?;
    let separators = [(4, b'-'), (7, b'-'), (13, b':'), (16, b':')];
    if separators.iter().any(|&(i, c)| b.get(i) != Some(&c))
        || !matches!(b.get(10), Some(b'T' | b't'))
        || !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut at = 19;
    let mut millis = 0;
    if b.get(at) == Some(&b'.') {
        at += 1;
        let start = at;
        while b.get(at).is_some_and(u8::is_ascii_digit) {
            if at - start < 3 {
                millis = millis * 10 + i64::from(b.get(at)? - b'0');
            }
            at += 1;
        }
        if at == start {
            return None;
        }
        for _ in (at - start)..3 {
            millis *= 10;
        }
    }
    let offset = match b.get(at)? {
        b'Z' | b'z' if at + 1 == b.len() => 0,
        sign @ (b'+' | b'-') if at + 6 == b.len() && b.get(at + 3) == Some(&b':') => {
            let hours = number(b, at + 1, 2)?;
            let minutes = number(b, at + 4, 2)?;
            if hours > 23 || minutes > 59 {
                return None;
            }
            let seconds = hours * 3600 + minutes * 60;
            if *sign == b'-' {
                -seconds
            } else {
                seconds
            }
        }
        _ => return None,
    };
    Some(Timestamp {
        text,
        days: days_from_civil(year, month, day),
        seconds: hour * 3600 + minute * 60 + second,
        millis,
        offset,
    })
}

/// `len` ASCII digits at `start`, as a number.
fn number(b: &[u8], start: usize, len: usize) -> Option<i64> {
    let digits = b.get(start..start + len)?;
    digits.iter().try_fold(0i64, |n, d| {
        d.is_ascii_digit().then(|| n * 10 + i64::from(d - b'0'))
    })
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (the inverse of the
/// conversion in `crate::time`, after Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects() {
        let good = [
            ("1970-01-01T00:00:00Z", 0),
            ("1970-01-01T00:00:00.5Z", 500),
            ("1970-01-01T01:00:00+01:00", 0),
            ("1969-12-31T19:00:00.123456-05:00", 123),
            ("2026-11-25T10:00:00.123Z", 1_795_600_800_123),
            ("2000-02-29t00:00:00z", 951_782_400_000),
        ];
        for (text, millis) in good {
            let parsed = Timestamp::parse(text, "t").map(|t| t.unix_millis());
            assert_eq!(parsed, Ok(millis), "{text}");
        }
        let bad = [
            "",
            "2026-11-25",
            "2026-11-25T10:00:00",
            "2026-11-25 10:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-02-29T00:00:00Z",
            "1900-02-29T00:00:00Z",
            "2026-11-25T24:00:00Z",
            "2026-11-25T10:00:00.Z",
            "2026-11-25T10:00:00+0100",
            "2026-11-25T10:00:00Zjunk",
            "2026-11-25T10:00:00+01:00x",
            "２026-11-25T10:00:00Z",
        ];
        for text in bad {
            let err = Timestamp::parse(text, "created_at").err();
            assert!(
                err.is_some_and(|e| e.message.starts_with("created_at `")),
                "{text}"
            );
        }
    }

    #[test]
    fn days_round_trip_with_crate_time() {
        for days in [-719_468, -1, 0, 59, 11_016, 20_000, LAST_DAY] {
            let text = crate::rfc3339_millis(days * 86_400_000);
            let parsed = Timestamp::parse(&text, "t").map(|t| t.days);
            assert_eq!(parsed, Ok(days), "{text}");
        }
    }
}
