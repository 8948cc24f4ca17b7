//! Rules on what came and how it was marked: transmission per month (`low_transmission`) and
//! out-of-service marks piling up in a week (`flagged_span`).

use serde_json::json;

use super::{Span, Track};
use crate::context::Source;
use crate::report::{Anomaly, Kind, PointMonth};
use crate::series::Point;
use crate::time::{Stamp, month_of, month_start, next_month, week_of};

/// The transmission rate a point must reach each month.
pub const TRANSMISSION_TARGET: f64 = 0.95;
/// Out-of-service hours (F, M, D, C) in one Monday-to-Sunday week that make a `flagged_span`.
pub const FLAGGED_HOURS: usize = 24;

/// Per month of the span: hours expected, hours received (an hourly packet or CSV row), and
/// hours whose every parameter was N.
pub(super) fn transmission(point: &Point, source: Option<&Source>, span: Span) -> Vec<PointMonth> {
    let mut out = Vec::new();
    if span.is_empty() {
        return out;
    }
    let mut month = month_of(span.from);
    loop {
        let from = month_start(month).max(span.from);
        let to = month_start(next_month(month)).min(span.to);
        if from >= span.to {
            break;
        }
        let (mut received, mut valid) = (0_u32, 0_u32);
        for hour in from..to {
            if let Some((_, flag)) = point.hours.get(hour) {
                received += 1;
                valid += u32::from(flag.is_valid());
            }
        }
        let expected = u32::try_from(to - from).unwrap_or(0);
        out.push(PointMonth {
            mn: point.mn.clone(),
            source_id: source.map(|s| s.id.clone()),
            month: format!("{:04}-{:02}", month.0, month.1),
            expected,
            received,
            valid,
            transmission_rate: if expected == 0 {
                0.0
            } else {
                f64::from(valid) / f64::from(expected)
            },
        });
        month = next_month(month);
    }
    out
}

/// `low_transmission`: a month whose valid hours fall short of 95 % of those expected.
pub(super) fn low_transmission(months: &[PointMonth], span: Span, out: &mut Vec<Anomaly>) {
    for m in months
        .iter()
        .filter(|m| m.transmission_rate < TRANSMISSION_TARGET)
    {
        let (year, month) = (
            m.month[..4].parse().unwrap_or(1970),
            m.month[5..].parse().unwrap_or(1),
        );
        let from = month_start((year, month)).max(span.from);
        let to = month_start(next_month((year, month))).min(span.to);
        out.push(Anomaly {
            kind: Kind::LowTransmission,
            source_id: m.source_id.clone(),
            mn: Some(m.mn.clone()),
            code: None,
            start: Stamp::of_hour(from),
            end: Stamp::of_hour(to),
            value: Some(m.transmission_rate),
            limit: Some(TRANSMISSION_TARGET),
            evidence: json!({"rule": "valid hourly values received / expected in a calendar month",
                             "month": m.month, "expected": m.expected, "received": m.received,
                             "valid": m.valid}),
        });
    }
}

/// `flagged_span`: hours marked F, M, D or C (any parameter) summing to a day or more within
/// one Monday-to-Sunday week. The code is named when only one parameter carried the marks.
pub(super) fn flagged_span(
    point: &Point,
    source: Option<&Source>,
    tracks: &[Track<'_>],
    span: Span,
    out: &mut Vec<Anomaly>,
) {
    let marked = |i: usize| {
        tracks
            .iter()
            .filter(|t| t.flags[i].is_some_and(crate::params::Flag::takes_out_of_service))
            .map(|t| t.code)
            .collect::<Vec<_>>()
    };
    let mut i = 0;
    while i < span.len() {
        let week = week_of(span.hour(i));
        let mut j = i;
        let (mut hours, mut first, mut last) = (0_usize, None, 0);
        let mut codes: Vec<&str> = Vec::new();
        while j < span.len() && week_of(span.hour(j)) == week {
            let m = marked(j);
            if !m.is_empty() {
                hours += 1;
                first = first.or(Some(j));
                last = j;
                for c in m {
                    if !codes.contains(&c) {
                        codes.push(c);
                    }
                }
            }
            j += 1;
        }
        if let (Some(first), true) = (first, hours >= FLAGGED_HOURS) {
            out.push(Anomaly {
                kind: Kind::FlaggedSpan,
                source_id: source.map(|s| s.id.clone()),
                mn: Some(point.mn.clone()),
                code: (codes.len() == 1).then(|| codes[0].to_owned()),
                start: span.stamp(first),
                end: span.stamp(last + 1),
                value: Some(hours as f64),
                limit: Some(FLAGGED_HOURS as f64),
                evidence: json!({"rule": "F, M, D or C marks summed within one Monday-to-Sunday week",
                                 "hours": hours, "codes": codes}),
            });
        }
        i = j;
    }
}
