//! Rules on a parameter's values: `exceedance`, `flatline`, `zero_while_active`, `step_drop`.

use serde_json::json;

use super::{Activity, Span, Track, as_read, median, runs};
use crate::context::{Context, Source};
use crate::params::zero_is_suspect;
use crate::report::{Anomaly, Kind};
use crate::series::Point;
use crate::time::DAY_HOURS;

/// A flatline is this many hours of values within the instrument's resolution.
pub const FLATLINE_HOURS: usize = 6;
/// Zeros while the plant runs for this many hours are no rounding of a low value.
pub const ZERO_HOURS: usize = 3;
/// A step drop starts within this many days after the event...
pub const STEP_WINDOW_DAYS: i64 = 7;
/// ...compared with the level of this many days before it...
pub const STEP_BASELINE_DAYS: i64 = 14;
/// ...to at most this share of it...
pub const STEP_SHARE: f64 = 0.5;
/// ...judged on the running hours just before (this many) and after (this many).
const STEP_BEFORE: usize = 12;
const STEP_AFTER: usize = 36;

/// Makes an anomaly of this point and parameter: kind, hours (indices), value, limit, evidence.
type MakeAnomaly<'a> =
    &'a dyn Fn(Kind, (usize, usize), Option<f64>, Option<f64>, serde_json::Value) -> Anomaly;

/// Runs every value rule on one parameter of one point.
pub(super) fn judge(
    point: &Point,
    source: Option<&Source>,
    track: &Track<'_>,
    activity: &Activity,
    ctx: &Context,
    span: Span,
    out: &mut Vec<Anomaly>,
) {
    let anomaly = |kind, (s, e): (usize, usize), value, limit, evidence| Anomaly {
        kind,
        source_id: source.map(|s| s.id.clone()),
        mn: Some(point.mn.clone()),
        code: Some(track.code.to_owned()),
        start: span.stamp(s),
        end: span.stamp(e),
        value,
        limit,
        evidence,
    };
    let v = &track.valid;
    let n = v.len();
    // exceedance: the hourly average of valid data over the limit.
    if let Some(limit) = source.and_then(|s| ctx.limit(s, track.code)) {
        // Compared as f32, as the values are held: a value equal to the limit is no excess.
        let over = limit.limit as f32;
        for run in runs(n, |i| v[i] > over) {
            let max = (run.0..run.1)
                .map(|i| as_read(v[i]))
                .fold(f64::MIN, f64::max);
            out.push(anomaly(
                Kind::Exceedance,
                run,
                Some(max),
                Some(limit.limit),
                json!({"rule": "hourly average of N-flagged data over the limit",
                       "hours": run.1 - run.0, "unit": limit.unit}),
            ));
        }
    }
    let running = |i: usize| activity[i] != Some(false);
    let active = |i: usize| activity[i] == Some(true);
    // flatline: the same value, or changes below the resolution, while the plant runs (a
    // flow held constant is as suspect as a concentration).
    {
        let resolution = resolution(v);
        let mut i = 0;
        while i < n {
            if v[i].is_nan() || v[i] <= 0.0 || !running(i) {
                i += 1;
                continue;
            }
            let (mut lo, mut hi) = (v[i], v[i]);
            let mut j = i + 1;
            while j < n && !v[j].is_nan() && v[j] > 0.0 && running(j) {
                let (l, h) = (lo.min(v[j]), hi.max(v[j]));
                // One step of the instrument is a change (f32 values: a step may read a hair
                // under its size).
                if f64::from(h - l) >= 0.99 * resolution {
                    break;
                }
                (lo, hi) = (l, h);
                j += 1;
            }
            if j - i >= FLATLINE_HOURS {
                out.push(anomaly(
                    Kind::Flatline,
                    (i, j),
                    Some(as_read(v[i])),
                    None,
                    json!({"rule": "values within the instrument's resolution while the plant runs",
                           "hours": j - i, "resolution": resolution, "min_hours": FLATLINE_HOURS}),
                ));
                i = j;
            } else {
                i += 1;
            }
        }
    }
    // zero_while_active: zero or negative concentrations while flow or power shows activity.
    if zero_is_suspect(track.code) {
        for run in runs(n, |i| v[i] <= 0.0 && active(i)) {
            if run.1 - run.0 >= ZERO_HOURS {
                out.push(anomaly(
                    Kind::ZeroWhileActive,
                    run,
                    Some(as_read(v[run.0])),
                    None,
                    json!({"rule": "zero or negative while production power or flow shows activity",
                           "hours": run.1 - run.0, "min_hours": ZERO_HOURS}),
                ));
            }
        }
    }
    if let Some(source) = source
        && zero_is_suspect(track.code)
        && track.code != "w01001"
    {
        step_drop(source, track, activity, ctx, span, &anomaly, out);
    }
}

/// `step_drop`: after an announced inspection or a published draw, the level of the plant's
/// running hours falls to at most half of the two weeks before, from one running hour to the
/// next, and stays there for days. Judged on running hours only, so a plant that stops (a
/// shutdown, a halt) is no drop.
fn step_drop(
    source: &Source,
    track: &Track<'_>,
    activity: &Activity,
    ctx: &Context,
    span: Span,
    anomaly: MakeAnomaly<'_>,
    out: &mut Vec<Anomaly>,
) {
    let v = &track.valid;
    // The valid values of running hours, with their index in the span.
    let seen: Vec<(usize, f64)> = (0..v.len())
        .filter(|&i| !v[i].is_nan() && activity[i] != Some(false))
        .map(|i| (i, f64::from(v[i])))
        .collect();
    let level = |xs: &[(usize, f64)]| {
        let mut vals: Vec<f64> = xs.iter().map(|&(_, x)| x).collect();
        median(&mut vals)
    };
    for event in ctx.events.iter().filter(|e| e.target.covers(source)) {
        let at = event.time.hour() - span.from;
        let first_after = seen.partition_point(|&(i, _)| (i as i64) < at);
        let baseline_from =
            seen.partition_point(|&(i, _)| (i as i64) < at - STEP_BASELINE_DAYS * DAY_HOURS);
        let baseline = level(&seen[baseline_from..first_after]);
        if first_after - baseline_from < 48 || baseline.is_nan() || baseline <= 0.0 {
            continue;
        }
        let window_end = at + STEP_WINDOW_DAYS * DAY_HOURS;
        for k in first_after..seen.len() {
            if seen[k].0 as i64 >= window_end {
                break;
            }
            if k < STEP_BEFORE || k + STEP_AFTER > seen.len() {
                continue;
            }
            let before = level(&seen[k - STEP_BEFORE..k]);
            let after = level(&seen[k..k + STEP_AFTER]);
            if before < 0.8 * baseline || after > STEP_SHARE * baseline {
                continue;
            }
            // It lasts while each next day of running hours stays low.
            let mut end = k + STEP_AFTER;
            while end + STEP_BEFORE <= seen.len()
                && level(&seen[end..end + STEP_BEFORE]) <= 1.2 * STEP_SHARE * baseline
            {
                end += STEP_BEFORE;
            }
            let last = seen[end.min(seen.len()) - 1].0;
            out.push(anomaly(
                Kind::StepDrop,
                (seen[k].0, last + 1),
                Some(after),
                Some(baseline),
                json!({"rule": "running-hour level fell to at most half of the 14 days before the event, at once, and stayed",
                       "event": event.kind, "event_time": event.time.iso(),
                       "baseline": baseline, "after": after, "share": STEP_SHARE}),
            ));
            break;
        }
    }
}

/// The instrument's resolution, inferred from its values: the coarsest decimal step that nine
/// in ten valid values fall on (0.001 when none does; values are f32, hence the tolerance).
pub fn resolution(values: &[f32]) -> f64 {
    let seen: Vec<f64> = values
        .iter()
        .filter(|v| !v.is_nan())
        .map(|&v| f64::from(v))
        .collect();
    if seen.is_empty() {
        return 0.001;
    }
    for decimals in 0..=4 {
        let scale = 10_f64.powi(decimals);
        let on_step = seen
            .iter()
            .filter(|&&x| {
                let s = x * scale;
                (s - s.round()).abs() <= 1e-6 * s.abs().max(1.0)
            })
            .count();
        if on_step * 10 >= seen.len() * 9 {
            return 1.0 / scale;
        }
    }
    0.001
}
