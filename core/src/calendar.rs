//! Civil dates as day numbers: capture times, certificate expiries and inspection windows are
//! compared as days since 1970-01-01.

/// Days since 1970-01-01 of the proleptic Gregorian date `y-m-d` (Howard Hinnant's
/// `days_from_civil`); `None` for a month or day out of range.
pub fn days_from_civil(y: i64, m: i64, d: i64) -> Option<i64> {
    if !(1..=12).contains(&m) || !(1..=days_in_month(y, m)).contains(&d) {
        return None;
    }
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a date as files write it: ISO `YYYY-MM-DD`, or `YYYY/MM/DD` (the
/// text GDAL gives for an OGR date field, and Excel's in Chinese locales), the month and day
/// with one or two digits; a time after the date (`T…` or ` …`, a date-time field) is ignored.
pub fn parse_date(text: &str) -> Option<i64> {
    let date = text.trim().split(['T', ' ']).next()?;
    let separator = if date.contains('/') { '/' } else { '-' };
    let mut parts = date.split(separator);
    let mut next = |lengths: std::ops::RangeInclusive<usize>| {
        let p = parts.next()?;
        (lengths.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse::<i64>().ok())?
    };
    let (y, m, d) = (next(4..=4)?, next(1..=2)?, next(1..=2)?);
    if parts.next().is_some() {
        return None;
    }
    days_from_civil(y, m, d)
}

/// The ISO date `YYYY-MM-DD` of a day number (since 1970): [`parse_date`] undone.
pub fn iso_date(days: i64) -> String {
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_days_since_1970() {
        assert_eq!(parse_date("1970-01-01"), Some(0));
        assert_eq!(parse_date("2026-01-05"), Some(20_458));
        assert_eq!(parse_date("2024-02-29"), Some(19_782));
        for day in [0, 19_782, 20_458, -1, 100_000] {
            assert_eq!(parse_date(&iso_date(day)), Some(day));
        }
        // GDAL's text of OGR date and date-time fields, Excel's, and ISO date-times.
        for same in [
            "2026/01/05",
            "2026/1/5",
            "2026-1-05",
            "2026/01/05 08:30:00",
            "2026-01-05T08:30:00+08:00",
            " 2026-01-05 ",
        ] {
            assert_eq!(parse_date(same), Some(20_458), "{same}");
        }
        for bad in [
            "2025-02-29",
            "2026-13-01",
            "26-01-05",
            "2026-01/05",
            "2026-01-05-01",
            "2026-001-05",
            "05/01/2026",
            "",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }
}
