//! The rules, run per point and parameter over the period analysed: each finds its anomalies
//! with the hours that prove them.
//!
//! - [`values`]: `exceedance`, `flatline`, `zero_while_active`, `step_drop` (from the values);
//! - [`marks`]: transmission per month, `low_transmission`, `flagged_span` (from what came and
//!   how it was marked);
//! - [`power`]: `treatment_off`, `running_while_halted` (from the electricity meters).
//!
//! Every rule judges only data flagged N. "The plant runs" is read from its production power
//! (above its idle level), else from a flow it reports; a plant that does not run makes no
//! flatline, zero or step drop.

pub mod marks;
pub mod power;
pub mod values;

use rayon::prelude::*;

use crate::context::{Context, Source};
use crate::params::{Flag, is_flow};
use crate::power::{IDLE_SHARE, Power, Role, usual_of};
use crate::report::{Anomaly, PointMonth};
use crate::series::Monitoring;
use crate::series::Point;
use crate::time::Stamp;

/// The hours analysed: `from` to `to`, exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub from: i64,
    pub to: i64,
}

impl Span {
    /// The longest span analysed at once: every point's tracks are held hour by hour over it.
    pub const MAX_HOURS: i64 = 10 * 366 * 24;

    /// Why the span cannot be analysed, if it cannot: empty, or longer than ten years.
    pub fn problem(self) -> Option<String> {
        if self.to <= self.from {
            Some("the period analysed is empty (its end is not after its start)".to_owned())
        } else if self.to - self.from > Self::MAX_HOURS {
            Some(format!(
                "the period analysed spans {} days, from {}; at most ten years are analysed at once",
                (self.to - self.from) / 24,
                Stamp::of_hour(self.from).iso()
            ))
        } else {
            None
        }
    }

    pub fn len(self) -> usize {
        usize::try_from(self.to - self.from).unwrap_or(0)
    }

    pub fn is_empty(self) -> bool {
        self.to <= self.from
    }

    pub(crate) fn hour(self, i: usize) -> i64 {
        self.from + i as i64
    }

    pub(crate) fn stamp(self, i: usize) -> Stamp {
        Stamp::of_hour(self.hour(i))
    }
}

/// One parameter of one point over the span: its value where flagged N (NaN elsewhere) and
/// its flag (None where nothing came).
pub(crate) struct Track<'a> {
    pub code: &'a str,
    pub valid: Vec<f32>,
    pub flags: Vec<Option<Flag>>,
}

/// Whether a firm runs in each hour of the span; `None` where nothing says.
pub(crate) type Activity = Vec<Option<bool>>;

/// Transmission per point and month, and every anomaly, in a stable order.
pub fn analyse(
    data: &Monitoring,
    power: &Power,
    ctx: &Context,
    span: Span,
) -> (Vec<PointMonth>, Vec<Anomaly>) {
    let per_point: Vec<(Vec<PointMonth>, Vec<Anomaly>)> = data
        .points
        .par_iter()
        .map(|point| {
            let source = ctx.source_of(&point.mn);
            let tracks = tracks(point, span);
            let activity = activity(source, data, power, span);
            let mut anomalies = Vec::new();
            for track in &tracks {
                values::judge(point, source, track, &activity, ctx, span, &mut anomalies);
            }
            let months = marks::transmission(point, source, span);
            marks::low_transmission(&months, span, &mut anomalies);
            marks::flagged_span(point, source, &tracks, span, &mut anomalies);
            (months, anomalies)
        })
        .collect();
    let mut months = Vec::new();
    let mut anomalies = Vec::new();
    for (m, a) in per_point {
        months.extend(m);
        anomalies.extend(a);
    }
    for source in &ctx.sources {
        power::judge(source, power, ctx, span, &mut anomalies);
    }
    anomalies.sort_by(|a, b| {
        (a.kind, &a.source_id, &a.mn, &a.code, a.start).cmp(&(
            b.kind,
            &b.source_id,
            &b.mn,
            &b.code,
            b.start,
        ))
    });
    months.sort_by(|a, b| (&a.mn, &a.month).cmp(&(&b.mn, &b.month)));
    (months, anomalies)
}

/// Each parameter of `point` over the span: hourly values, and where an hour has none, the
/// mean of its valid minute values (when at least half the hour's minutes are).
fn tracks(point: &Point, span: Span) -> Vec<Track<'_>> {
    let mut codes: Vec<&str> = point.hourly.iter().map(|(c, _)| c.as_str()).collect();
    for (c, _) in &point.minute {
        if !codes.contains(&c.as_str()) {
            codes.push(c);
        }
    }
    codes
        .into_iter()
        .map(|code| {
            let hourly = point.hourly(code);
            let minute = point.minute.iter().find(|(c, _)| c == code).map(|(_, s)| s);
            let mut valid = vec![f32::NAN; span.len()];
            let mut flags = vec![None; span.len()];
            for i in 0..span.len() {
                let hour = span.hour(i);
                if let Some((v, f)) = hourly.and_then(|s| s.get(hour)) {
                    flags[i] = Some(f);
                    if f.is_valid() {
                        valid[i] = v;
                    }
                } else if let Some(m) = minute {
                    let (mut sum, mut n, mut mark) = (0.0_f64, 0_u32, None);
                    for minute in hour * 60..hour * 60 + 60 {
                        match m.get(minute) {
                            Some((v, f)) if f.is_valid() => {
                                sum += f64::from(v);
                                n += 1;
                            }
                            Some((_, f)) => mark = mark.or(Some(f)),
                            None => {}
                        }
                    }
                    if n >= 30 {
                        flags[i] = Some(Flag::Normal);
                        valid[i] = (sum / f64::from(n)) as f32;
                    } else {
                        flags[i] = mark;
                    }
                }
            }
            Track { code, valid, flags }
        })
        .collect()
}

/// Whether `source` runs, hour by hour: its production power above the idle level where it
/// has production meters, else a flow of any of its points above a tenth of its usual flow.
fn activity(source: Option<&Source>, data: &Monitoring, power: &Power, span: Span) -> Activity {
    let Some(source) = source else {
        return vec![None; span.len()];
    };
    if let Some(p) = power.of(&source.id, Role::Production) {
        return (0..span.len()).map(|i| p.running(span.hour(i))).collect();
    }
    let flows: Vec<&crate::series::Series> = source
        .mns
        .iter()
        .filter_map(|mn| data.point(mn))
        .flat_map(|p| p.hourly.iter().filter(|(c, _)| is_flow(c)).map(|(_, s)| s))
        .collect();
    if flows.is_empty() {
        return vec![None; span.len()];
    }
    let mut all: Vec<f64> = flows
        .iter()
        .flat_map(|s| s.iter())
        .filter(|(_, v, f)| f.is_valid() && v.is_finite())
        .map(|(_, v, _)| f64::from(v))
        .collect();
    let idle = IDLE_SHARE * usual_of(&mut all);
    (0..span.len())
        .map(|i| {
            let hour = span.hour(i);
            let seen: Vec<f32> = flows.iter().filter_map(|s| s.valid(hour)).collect();
            (!seen.is_empty()).then(|| seen.iter().any(|&v| f64::from(v) > idle))
        })
        .collect()
}

/// The runs of consecutive indices where `keep` holds, as `(first, one past the last)`.
pub(crate) fn runs(n: usize, mut keep: impl FnMut(usize) -> bool) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for i in 0..=n {
        let k = i < n && keep(i);
        match (k, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// The median of some values (NaN for none).
pub(crate) fn median(values: &mut [f64]) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_unstable_by(f64::total_cmp);
    values[values.len() / 2]
}

/// A stored `f32` as the value it was read as (its shortest decimal form), not its binary
/// expansion: 39.48, not 39.47999954.
pub(crate) fn as_read(v: f32) -> f64 {
    v.to_string().parse().unwrap_or(f64::from(v))
}
