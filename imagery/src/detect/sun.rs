//! Solar elevation from time and place (NOAA's low-precision formulas, ±0.5°), to pick the day
//! or night thresholds from a capture time.

/// Solar elevation in degrees at `unix_seconds` (UTC) and `lon`, `lat` (degrees).
pub fn elevation_deg(unix_seconds: i64, lon: f64, lat: f64) -> f64 {
    let days = unix_seconds as f64 / 86_400.0 - 10_957.5; // days since J2000.0
    let g = (357.529 + 0.985_600_28 * days).to_radians();
    let q = 280.459 + 0.985_647_36 * days;
    let ecliptic_lon = (q + 1.915 * g.sin() + 0.020 * (2.0 * g).sin()).to_radians();
    let obliquity = (23.439 - 0.000_000_36 * days).to_radians();
    let declination = (obliquity.sin() * ecliptic_lon.sin()).asin();
    let right_ascension = (obliquity.cos() * ecliptic_lon.sin()).atan2(ecliptic_lon.cos());
    let gmst_hours = (18.697_374_558 + 24.065_709_824_419_08 * days).rem_euclid(24.0);
    let hour_angle = (gmst_hours * 15.0 + lon).to_radians() - right_ascension;
    let lat = lat.to_radians();
    (lat.sin() * declination.sin() + lat.cos() * declination.cos() * hour_angle.cos())
        .asin()
        .to_degrees()
}

/// The zone capture times without an offset are read in: China Standard Time, as Chinese
/// cameras and drones record local time.
pub const CAPTURE_ZONE: &str = "Asia/Shanghai";

/// Seconds since 1970 (UTC) of a civil date-time `YYYY:MM:DD HH:MM:SS` (or with `-`) in the
/// IANA time zone `zone` (jiff, with its bundled zone database).
pub fn parse_capture_time(text: &str, zone: &str) -> Option<i64> {
    let digits: Vec<i64> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let [y, mo, d, h, mi, s, ..] = digits[..] else {
        return None;
    };
    let part = |v: i64| i8::try_from(v).ok();
    let civil = jiff::civil::DateTime::new(
        i16::try_from(y).ok()?,
        part(mo)?,
        part(d)?,
        part(h)?,
        part(mi)?,
        part(s)?,
        0,
    )
    .ok()?;
    let zone = jiff::tz::TimeZone::get(zone).ok()?;
    Some(zone.to_timestamp(civil).ok()?.as_second())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chongqing_noon_is_day_and_midnight_is_night() {
        // 2026-06-21 12:30 and 00:30 China time (UTC+8), Chongqing.
        let noon = parse_capture_time("2026:06:21 12:30:00", CAPTURE_ZONE).unwrap();
        let midnight = parse_capture_time("2026-06-21 00:30:00", CAPTURE_ZONE).unwrap();
        let e = elevation_deg(noon, 106.55, 29.56);
        assert!((75.0..85.0).contains(&e), "{e}");
        assert!(elevation_deg(midnight, 106.55, 29.56) < -30.0);
        assert_eq!(
            parse_capture_time("1970:01:01 08:00:00", CAPTURE_ZONE),
            Some(0)
        );
        assert_eq!(parse_capture_time("1970:01:01 00:00:00", "UTC"), Some(0));
        assert!(parse_capture_time("2026:02:30 00:00:00", CAPTURE_ZONE).is_none());
        assert!(parse_capture_time("yesterday", CAPTURE_ZONE).is_none());
    }
}
