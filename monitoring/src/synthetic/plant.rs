//! What the generator plants: each firm's anomalies chosen (and its schedule changed where
//! an anomaly needs it), its values, power and marks filled in, then the planted changes made.

use rand::Rng;

use super::{Firm, Gen, Planted, Spec};
use crate::context::{Context, Event, Period, PeriodKind, Target};
use crate::params::Flag;
use crate::report::Kind;
use crate::time::{DAY_HOURS, Stamp, month_start, next_month, week_of};

pub(super) fn round_to(value: f64, resolution: f64) -> f64 {
    (value / resolution).round() * resolution
}

/// Decides what is planted in `f` (changing its schedule where a plant needs it: a firm that
/// ignores a halt runs through it) and records the truth; values come after.
pub(super) fn plant(
    g: &mut Gen,
    spec: &Spec,
    f: &mut Firm,
    ctx: &mut Context,
    planted: &mut Vec<Planted>,
) {
    let mut kinds: Vec<Kind> = Kind::ALL
        .into_iter()
        .filter(|_| g.rng.random_bool(spec.anomaly_rate.clamp(0.0, 1.0)))
        .collect();
    kinds.truncate(2);
    let mut taken = vec![false; g.hours];
    let id = f.source.id.clone();
    let mn = f.source.mns[0].clone();
    let truth = |kind, code: Option<&str>, with_mn: bool, s: usize, e: usize, g: &Gen| Planted {
        kind,
        source_id: id.clone(),
        mn: with_mn.then(|| mn.clone()),
        code: code.map(str::to_owned),
        start: Stamp::of_hour(g.hour(s)),
        end: Stamp::of_hour(g.hour(e)),
    };
    // Every firm with a step drop or not may see an announced inspection; only a planted one
    // drops. Some firms halt after theirs (a shutdown, not a drop).
    let event_day = g.rng.random_range(16..40);
    let event_hour = g.from + event_day * DAY_HOURS + 9;
    if g.rng.random_bool(0.5) || kinds.contains(&Kind::StepDrop) {
        ctx.events.push(Event {
            target: Target::Source(id.clone()),
            time: Stamp::of_hour(event_hour),
            kind: "inspection_notice".to_owned(),
        });
        if !kinds.contains(&Kind::StepDrop) && g.rng.random_bool(0.3) {
            // Stops for four days two days later: its levels fall with production off.
            let s = usize::try_from(event_hour - g.from).unwrap_or(0) + 48;
            for r in f.running.iter_mut().skip(s).take(96) {
                *r = false;
            }
        }
    }
    let concentrations: Vec<&'static str> = f
        .params
        .iter()
        .filter(|p| crate::params::zero_is_suspect(p.code) && p.code != "w01001")
        .map(|p| p.code)
        .collect();
    let limited: Vec<&'static str> = f
        .params
        .iter()
        .filter(|p| p.limit.is_some())
        .map(|p| p.code)
        .collect();
    for kind in kinds {
        let code = if kind == Kind::Exceedance {
            limited[g.rng.random_range(0..limited.len())]
        } else {
            concentrations[g.rng.random_range(0..concentrations.len())]
        };
        match kind {
            Kind::Exceedance | Kind::Flatline | Kind::ZeroWhileActive => {
                let len = match kind {
                    Kind::Exceedance => g.rng.random_range(3..8),
                    Kind::Flatline => g.rng.random_range(8..13),
                    _ => g.rng.random_range(4..9),
                };
                if let Some(s) = g.running_window(f, len, 2, &taken) {
                    taken[s..s + len].iter_mut().for_each(|t| *t = true);
                    planted.push(truth(kind, Some(code), true, s, s + len, g));
                }
            }
            Kind::StepDrop => {
                let at = usize::try_from(event_hour - g.from).unwrap_or(0);
                let drop = at + g.rng.random_range(1..5) * 24;
                let Some(s) = (drop..g.hours.min(drop + 48)).find(|&i| f.running[i]) else {
                    continue;
                };
                let e = g.hours.min(s + g.rng.random_range(8..14) * 24);
                taken[s..e].iter_mut().for_each(|t| *t = true);
                planted.push(truth(kind, Some(code), true, s, e, g));
            }
            Kind::LowTransmission => {
                // A gap of two to three days in one month (the truth is every month under 95 %,
                // added once the log is written).
                let month = i64::from(g.rng.random_range(0..spec.months.max(1)));
                let m_from = month_start(add_months(spec.first_month, month));
                let len = g.rng.random_range(48..72);
                let s =
                    usize::try_from(m_from - g.from).unwrap_or(0) + g.rng.random_range(2..20) * 24;
                for k in s..(s + len).min(g.hours) {
                    f.sent[k] = false;
                }
            }
            Kind::FlaggedSpan => {
                // Maintenance marks on every parameter for 26–40 hours of one week.
                let len = g.rng.random_range(26..40);
                let week_start = (g.rng.random_range(7..g.hours / 24 - 7) as i64 / 7) * 7;
                let s = (0..g.hours).find(|&i| {
                    g.hour(i).div_euclid(24) >= g.from.div_euclid(24) + week_start
                        && (g.hour(i).div_euclid(24) + 3).rem_euclid(7) == 0
                });
                let Some(s) = s else { continue };
                let s = s + 8;
                if week_of(g.hour(s)) != week_of(g.hour(s + len - 1)) {
                    continue;
                }
                taken[s..s + len].iter_mut().for_each(|t| *t = true);
                planted.push(truth(kind, None, true, s, s + len, g));
            }
            Kind::TreatmentOff => {
                let len = g.rng.random_range(4..11);
                if let Some(s) = g.running_window(f, len, 2, &taken) {
                    taken[s..s + len].iter_mut().for_each(|t| *t = true);
                    planted.push(truth(kind, None, false, s, s + len, g));
                }
            }
            Kind::RunningWhileHalted => {
                // A halt of two days the firm runs through (around the clock, so every hour).
                let day = g.rng.random_range(3..g.hours / 24 - 3);
                let (s, e) = (day * 24 + 9, day * 24 + 57);
                ctx.periods.push(Period {
                    target: Target::Source(id.clone()),
                    start: Stamp::of_hour(g.hour(s)),
                    end: Stamp::of_hour(g.hour(e)),
                    kind: PeriodKind::Halt,
                });
                for k in s..e {
                    f.running[k] = true;
                }
                planted.push(truth(kind, None, false, s, e, g));
            }
        }
    }
    // A limit period every firm keeps (runs at 40 % under limit:60) makes no anomaly.
    if g.rng.random_bool(0.2) {
        let day = g.rng.random_range(3..g.hours / 24 - 3);
        ctx.periods.push(Period {
            target: Target::Source(id.clone()),
            start: Stamp::of_hour(g.hour(day * 24)),
            end: Stamp::of_hour(g.hour(day * 24 + 24)),
            kind: PeriodKind::Limit(0.6),
        });
    }
}

pub(super) fn add_months(m: (i16, i8), n: i64) -> (i16, i8) {
    (0..n).fold(m, |m, _| next_month(m))
}

/// Power and values for every hour, with maintenance and calibration marks and short gaps.
pub(super) fn fill_values(g: &mut Gen, f: &mut Firm) {
    let n = g.hours;
    let p_run = f.production_kw;
    f.production = (0..n)
        .map(|i| {
            let base = if f.running[i] { p_run } else { 0.03 * p_run };
            (base * (1.0 + 0.04 * g.normal())).max(0.0)
        })
        .collect();
    let t_run = 0.25 * p_run;
    f.treatment = (0..n)
        .map(|i| {
            let base = if f.running[i] { t_run } else { 0.6 * t_run };
            (base * (1.0 + 0.05 * g.normal())).max(0.0)
        })
        .collect();
    f.values = Vec::with_capacity(6);
    f.flags = Vec::with_capacity(6);
    for p in f.params {
        let mut e = 0.0;
        let mut held = p.level;
        let mut vals = Vec::with_capacity(n);
        for i in 0..n {
            e = 0.7 * e + 0.71 * p.noise * g.normal();
            let daily = 1.0
                + 0.08 * (std::f64::consts::TAU * (g.hour(i).rem_euclid(24) as f64) / 24.0).sin();
            let v = if f.running[i] {
                held = round_to((p.level * daily + e).max(p.resolution), p.resolution);
                held
            } else if crate::params::is_flow(p.code) {
                0.0
            } else if p.code == "a19001" {
                20.9
            } else {
                held
            };
            vals.push(v);
        }
        f.values.push(vals);
        f.flags.push(vec![Flag::Normal; n]);
    }
    // Maintenance of two to four hours twice a month; a calibration hour a week (its zeros
    // are calibration, not faked data); a few single hours lost in transmission.
    for _ in 0..(n / 360).max(1) {
        let s = g.rng.random_range(0..n - 5);
        let len = g.rng.random_range(2..5);
        for flags in &mut f.flags {
            flags[s..s + len]
                .iter_mut()
                .for_each(|x| *x = Flag::Maintenance);
        }
    }
    for week in 0..n / 168 {
        let i = week * 168 + g.rng.random_range(0..168);
        for flags in &mut f.flags {
            flags[i] = Flag::Calibration;
        }
        for (p, vals) in f.params.iter().zip(&mut f.values) {
            if crate::params::zero_is_suspect(p.code) {
                vals[i] = 0.0;
            }
        }
    }
    for _ in 0..g.rng.random_range(0..4) {
        let i = g.rng.random_range(0..n);
        f.sent[i] = false;
    }
}

/// A firm keeps its limit periods: production at 40 % of its load where it would run.
pub(super) fn keep_limits(g: &Gen, f: &mut Firm, periods: &[Period]) {
    for p in periods.iter().filter(|p| p.target.covers(&f.source)) {
        if let PeriodKind::Limit(_) = p.kind {
            for i in 0..g.hours {
                let s = Stamp::of_hour(g.hour(i));
                if s >= p.start && s < p.end && f.running[i] {
                    f.production[i] *= 0.4;
                }
            }
        }
    }
}

/// Puts the planted anomalies of `f` into its values and power.
pub(super) fn plant_values(g: &mut Gen, f: &mut Firm, planted: &[Planted]) {
    // Step drops first: what is planted inside one (a zero, a flatline) stays as planted.
    let mut mine: Vec<&Planted> = planted
        .iter()
        .filter(|p| p.source_id == f.source.id)
        .collect();
    mine.sort_by_key(|p| p.kind != Kind::StepDrop);
    for p in mine {
        let s = usize::try_from(p.start.hour() - g.from).unwrap_or(0);
        let e = usize::try_from(p.end.hour() - g.from)
            .unwrap_or(0)
            .min(g.hours);
        let k = p
            .code
            .as_deref()
            .and_then(|c| f.params.iter().position(|q| q.code == c));
        match (p.kind, k) {
            (Kind::Exceedance, Some(k)) => {
                let param = &f.params[k];
                let limit = param.limit.unwrap_or(param.level * 2.0);
                for i in s..e {
                    f.values[k][i] =
                        round_to(limit * g.rng.random_range(1.3..2.0), param.resolution);
                    f.flags[k][i] = Flag::Normal;
                }
            }
            (Kind::Flatline, Some(k)) => {
                let v = f.values[k][s];
                for i in s..e {
                    f.values[k][i] = v;
                    f.flags[k][i] = Flag::Normal;
                }
            }
            (Kind::ZeroWhileActive, Some(k)) => {
                for i in s..e {
                    f.values[k][i] = 0.0;
                    f.flags[k][i] = Flag::Normal;
                }
            }
            (Kind::StepDrop, Some(k)) => {
                // The level falls; the instrument still reads a few steps of noise.
                let share = g.rng.random_range(0.2..0.4);
                let param = &f.params[k];
                for i in s..e {
                    if f.running[i] {
                        let v = f.values[k][i] * share + 2.0 * param.resolution * g.normal();
                        f.values[k][i] = round_to(v, param.resolution).max(param.resolution);
                    }
                }
            }
            (Kind::FlaggedSpan, _) => {
                for flags in &mut f.flags {
                    flags[s..e].iter_mut().for_each(|x| *x = Flag::Maintenance);
                }
            }
            (Kind::TreatmentOff, _) => {
                for i in s..e {
                    f.treatment[i] = 0.25 * f.production_kw * g.rng.random_range(0.01..0.05);
                }
            }
            _ => {}
        }
    }
}
