//! Rules on the electricity meters: treatment off while production runs (`treatment_off`), and
//! production during a halt or above a limit (`running_while_halted`).

use serde_json::json;

use super::{Span, runs};
use crate::context::{Context, PeriodKind, Source};
use crate::power::{IDLE_SHARE, Power, Role};
use crate::report::{Anomaly, Kind};
use crate::time::Stamp;

/// Treatment under this share of its usual load, while production runs, is off.
pub const TREATMENT_SHARE: f64 = 0.2;
/// Hours a power rule must hold for in a row.
pub const POWER_HOURS: usize = 2;

pub(super) fn judge(
    source: &Source,
    power: &Power,
    ctx: &Context,
    span: Span,
    out: &mut Vec<Anomaly>,
) {
    let Some(production) = power.of(&source.id, Role::Production) else {
        return;
    };
    let anomaly = |kind, from: i64, to: i64, value, limit, evidence| Anomaly {
        kind,
        source_id: Some(source.id.clone()),
        mn: None,
        code: None,
        start: Stamp::of_hour(from),
        end: Stamp::of_hour(to),
        value,
        limit,
        evidence,
    };
    if let Some(treatment) = power.of(&source.id, Role::Treatment) {
        // The usual treatment load is its median while production runs.
        let mut while_running: Vec<f64> = (span.from..span.to)
            .filter(|&h| production.running(h) == Some(true))
            .filter_map(|h| treatment.kw(h))
            .collect();
        let usual = super::median(&mut while_running);
        if usual.is_finite() && usual > 0.0 {
            let floor = TREATMENT_SHARE * usual;
            let off = |i: usize| {
                let h = span.hour(i);
                production.running(h) == Some(true) && treatment.kw(h).is_some_and(|kw| kw < floor)
            };
            for (s, e) in runs(span.len(), off) {
                if e - s < POWER_HOURS {
                    continue;
                }
                let mean = (s..e)
                    .filter_map(|i| treatment.kw(span.hour(i)))
                    .sum::<f64>()
                    / (e - s) as f64;
                out.push(anomaly(
                    Kind::TreatmentOff,
                    span.hour(s),
                    span.hour(e),
                    Some(mean),
                    Some(floor),
                    json!({"rule": "production runs while treatment power is under 20 % of its usual load",
                           "hours": e - s, "usual_treatment_kw": usual}),
                ));
            }
        }
    }
    let usual = production.usual_running;
    for period in ctx.periods.iter().filter(|p| p.target.covers(source)) {
        let threshold = match period.kind {
            PeriodKind::Halt => IDLE_SHARE * usual,
            PeriodKind::Limit(share) => share * usual,
        };
        let from = period.start.hour().max(span.from);
        let to = (period.end.0 + crate::time::HOUR - 1)
            .div_euclid(crate::time::HOUR)
            .min(span.to);
        let over: Vec<i64> = (from..to)
            .filter(|&h| production.kw(h).is_some_and(|kw| kw > threshold))
            .collect();
        if over.len() < POWER_HOURS {
            continue;
        }
        let max = over
            .iter()
            .filter_map(|&h| production.kw(h))
            .fold(f64::MIN, f64::max);
        let kind = match period.kind {
            PeriodKind::Halt => "halt".to_owned(),
            PeriodKind::Limit(share) => format!("limit:{}", share * 100.0),
        };
        out.push(anomaly(
            Kind::RunningWhileHalted,
            over[0],
            over[over.len() - 1] + 1,
            Some(max),
            Some(threshold),
            json!({"rule": "production power above its idle level in a halt, or above the limit's share of its usual load",
                   "period": kind, "period_start": period.start.iso(), "period_end": period.end.iso(),
                   "hours": over.len(), "usual_production_kw": usual}),
        ));
    }
}
