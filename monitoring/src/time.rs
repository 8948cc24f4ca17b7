//! Time as the monitoring platforms keep it: wall-clock Asia/Shanghai (+08:00, no daylight
//! saving since 1991), counted in seconds from 1970-01-01 00:00 local. Days, weeks (Monday to
//! Sunday) and months then fall on local boundaries by plain arithmetic, and an hour's index is
//! the same for every point.

use jiff::civil::{Date, DateTime};

/// Seconds east of UTC.
pub const OFFSET_SECONDS: i64 = 8 * 3600;
pub const HOUR: i64 = 3600;
pub const DAY_HOURS: i64 = 24;
pub const WEEK_HOURS: i64 = 7 * 24;

/// A local time, in seconds from 1970-01-01 00:00 +08:00.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Stamp(pub i64);

impl Stamp {
    /// The hour it falls in (index from the epoch, local).
    pub fn hour(self) -> i64 {
        self.0.div_euclid(HOUR)
    }

    /// The stamp of the start of hour `hour`.
    pub fn of_hour(hour: i64) -> Self {
        Self(hour * HOUR)
    }

    /// A civil date and time (taken as +08:00).
    pub fn from_civil(dt: DateTime) -> Self {
        let days = i64::from(
            dt.date()
                .since(Date::constant(1970, 1, 1))
                .map_or(0, |span| span.get_days()),
        );
        Self(
            days * 86_400
                + i64::from(dt.hour()) * 3600
                + i64::from(dt.minute()) * 60
                + i64::from(dt.second()),
        )
    }

    pub fn civil(self) -> DateTime {
        let days = self.0.div_euclid(86_400);
        let secs = self.0.rem_euclid(86_400);
        let date = Date::constant(1970, 1, 1)
            .checked_add(jiff::Span::new().days(days))
            .unwrap_or(Date::MAX);
        date.at(
            i8::try_from(secs / 3600).unwrap_or(0),
            i8::try_from(secs % 3600 / 60).unwrap_or(0),
            i8::try_from(secs % 60).unwrap_or(0),
            0,
        )
    }

    /// ISO 8601 with its offset: `2024-03-01T08:00:00+08:00`.
    pub fn iso(self) -> String {
        format!("{}+08:00", self.civil().strftime("%Y-%m-%dT%H:%M:%S"))
    }

    /// Now, on this machine's clock.
    pub fn now() -> Self {
        Self(jiff::Timestamp::now().as_second() + OFFSET_SECONDS)
    }

    /// Parses a time as the input files write it: ISO 8601 with an offset (converted to
    /// +08:00), `yyyy-MM-dd HH:mm:ss` or `yyyy-MM-ddTHH:mm:ss` (+08:00), or a date (its
    /// midnight).
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        if let Ok(ts) = text.parse::<jiff::Timestamp>() {
            return Some(Self(ts.as_second() + OFFSET_SECONDS));
        }
        if let Ok(dt) = text.replace(' ', "T").parse::<DateTime>() {
            return Some(Self::from_civil(dt));
        }
        text.parse::<Date>()
            .ok()
            .map(|d| Self::from_civil(d.at(0, 0, 0, 0)))
    }

    /// Parses HJ 212's `yyyyMMddHHmmss` (+08:00), quickly: it is read for every packet.
    pub fn parse_compact(digits: &[u8]) -> Option<Self> {
        if digits.len() != 14 || !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let n = |a: usize, b: usize| {
            digits[a..b]
                .iter()
                .fold(0_i64, |acc, d| acc * 10 + i64::from(d - b'0'))
        };
        let (y, mo, d, h, mi, s) = (n(0, 4), n(4, 6), n(6, 8), n(8, 10), n(10, 12), n(12, 14));
        if h > 23 || mi > 59 || s > 59 {
            return None;
        }
        let days = yitu_core::calendar::days_from_civil(y, mo, d)?;
        Some(Self(days * 86_400 + h * 3600 + mi * 60 + s))
    }
}

/// Written as ISO 8601 with its offset.
impl serde::Serialize for Stamp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.iso())
    }
}

/// Read back from ISO 8601.
impl<'de> serde::Deserialize<'de> for Stamp {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Self::parse(&text).ok_or_else(|| serde::de::Error::custom(format!("not a time: {text}")))
    }
}

/// A calendar month, as `(year, month)`.
pub type Month = (i16, i8);

/// The month hour `hour` falls in.
pub fn month_of(hour: i64) -> Month {
    let d = Stamp::of_hour(hour).civil().date();
    (d.year(), d.month())
}

/// The first hour of month `m`.
pub fn month_start(m: Month) -> i64 {
    Stamp::from_civil(Date::new(m.0, m.1, 1).unwrap_or(Date::MIN).at(0, 0, 0, 0)).hour()
}

/// The month after `m`.
pub fn next_month(m: Month) -> Month {
    if m.1 == 12 {
        (m.0 + 1, 1)
    } else {
        (m.0, m.1 + 1)
    }
}

/// The Monday-to-Sunday week hour `hour` falls in, as the index of its Monday (1970-01-01
/// was a Thursday).
pub fn week_of(hour: i64) -> i64 {
    (hour.div_euclid(DAY_HOURS) + 3).div_euclid(7)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_and_iso_agree_with_jiff() {
        let s = Stamp::parse_compact(b"20240229235959").expect("a leap day");
        assert_eq!(s.iso(), "2024-02-29T23:59:59+08:00");
        assert_eq!(Stamp::parse("2024-02-29T15:59:59Z"), Some(s));
        assert_eq!(Stamp::parse("2024-02-29 23:59:59"), Some(s));
        assert_eq!(Stamp::parse_compact(b"20230229000000"), None);
        assert_eq!(Stamp::parse("2000-01-01"), Some(Stamp(946_684_800)));
        assert_eq!(
            Stamp::parse("2024-03-01"),
            Stamp::parse_compact(b"20240301000000")
        );
    }

    #[test]
    fn weeks_start_on_monday_and_months_on_the_first() {
        // 2024-03-04 was a Monday; 2024-03-03 a Sunday.
        let monday = Stamp::parse("2024-03-04").expect("a date").hour();
        assert_eq!(week_of(monday), week_of(monday + 6 * 24 + 23));
        assert_ne!(week_of(monday), week_of(monday - 1));
        assert_eq!(month_of(monday), (2024, 3));
        assert_eq!(
            month_start((2024, 3)),
            Stamp::parse("2024-03-01").expect("a date").hour()
        );
        assert_eq!(next_month((2024, 12)), (2025, 1));
    }
}
