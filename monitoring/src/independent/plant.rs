//! The second generator's firms: where each planted anomaly goes, their values and power, and
//! the planted changes made.

use std::fmt::Write as _;

use rand::Rng;
use rand_chacha::ChaCha20Rng;

use super::Fm;
use crate::report::Kind;
use crate::synthetic::Planted;
use crate::time::Stamp;

/// Chooses where a planted anomaly goes (slot 0 in the first half, slot 1 in the second) and
/// writes the periods and events it needs.
#[expect(
    clippy::too_many_arguments,
    reason = "one generator step with its outputs"
)]
pub(super) fn plant_plan(
    rng: &mut ChaCha20Rng,
    f: &mut Fm,
    kind: Kind,
    slot: usize,
    start: i64,
    hours: usize,
    draw_at: i64,
    periods: &mut String,
    events: &mut String,
    planted: &mut Vec<Planted>,
) {
    let half = hours / 2;
    // A weekday hour in this slot's half, away from its edges.
    let weekday = |rng: &mut ChaCha20Rng, len: usize| -> usize {
        loop {
            let i = rng.random_range(slot * half + 24..(slot + 1) * half - len - 24);
            if (i..i + len).all(|k| f.runs[k]) {
                return i;
            }
        }
    };
    let code = |rng: &mut ChaCha20Rng, f: &Fm, limited: bool| -> &'static str {
        let ps: Vec<&'static str> = f.points[0]
            .params
            .iter()
            .filter(|p| {
                crate::params::zero_is_suspect(p.0)
                    && p.0 != "w01001"
                    && (!limited || p.4.is_some())
            })
            .map(|p| p.0)
            .collect();
        ps[rng.random_range(0..ps.len())]
    };
    let at = |i: usize| Stamp::of_hour(start + i as i64);
    let mut push = |kind, code: Option<&'static str>, mn: bool, s: usize, e: usize| {
        planted.push(Planted {
            kind,
            source_id: f.id.clone(),
            mn: mn.then(|| f.points[0].mn.clone()),
            code: code.map(str::to_owned),
            start: at(s),
            end: at(e),
        });
    };
    match kind {
        Kind::Exceedance => {
            let len = rng.random_range(1..5);
            let s = weekday(rng, len);
            push(
                kind,
                Some(f.own_limit.map_or_else(|| code(rng, f, true), |(c, _)| c)),
                true,
                s,
                s + len,
            );
        }
        Kind::Flatline => {
            let len = rng.random_range(7..20);
            let s = weekday(rng, len);
            push(kind, Some(code(rng, f, false)), true, s, s + len);
        }
        Kind::ZeroWhileActive => {
            let len = rng.random_range(3..10);
            let s = weekday(rng, len);
            push(kind, Some(code(rng, f, false)), true, s, s + len);
        }
        Kind::StepDrop => {
            // Its own inspection notice in the second half; the drop a few days after.
            let notice = start + (half as i64) + rng.random_range(2..6) * 24 + 9;
            let _ = writeln!(
                events,
                "{},{},inspection_notice",
                f.id,
                Stamp::of_hour(notice).civil().strftime("%Y-%m-%d %H:%M:%S")
            );
            let from = usize::try_from(notice - start).unwrap_or(0) + rng.random_range(1..5) * 24;
            let Some(s) = (from..hours).find(|&i| f.runs[i]) else {
                return;
            };
            let _ = draw_at;
            push(kind, Some(code(rng, f, false)), true, s, hours);
        }
        Kind::LowTransmission => {
            // Scattered: a tenth of the hours of its half missing.
            push(kind, None, true, slot * half, (slot + 1) * half);
        }
        Kind::FlaggedSpan => {
            // Fault marks in two pieces of 13–16 hours in one week.
            let s = weekday(rng, 60);
            push(kind, None, true, s, s + 60);
        }
        Kind::TreatmentOff => {
            let len = rng.random_range(3..7);
            let s = weekday(rng, len);
            push(kind, None, false, s, s + len);
        }
        Kind::RunningWhileHalted => {
            // A limit of 50 % over one weekday it runs at 85 % through; a halt it keeps is
            // written beside it, ending on a date.
            let s = weekday(rng, 24);
            let day0 = s - s % 24;
            let _ = writeln!(
                periods,
                "{},{},{},limit:50",
                f.id,
                at(day0).iso(),
                at(day0 + 24).iso()
            );
            let e = day0 + 24;
            push(kind, None, false, day0, e);
            // The first Saturday of its half, which it keeps (it would not run anyway).
            let kept = (slot * half / 24..f.runs.len() / 24)
                .map(|d| d * 24)
                .find(|&i| {
                    (start + i as i64)
                        .div_euclid(24)
                        .wrapping_add(3)
                        .rem_euclid(7)
                        == 5
                })
                .unwrap_or(0);
            let _ = writeln!(
                periods,
                "{},{},{},halt",
                f.id,
                at(kept).civil().date(),
                at(kept).civil().date()
            );
            for k in kept..kept + 24 {
                f.runs[k] = false;
            }
        }
    }
}

pub(super) fn fill(rng: &mut ChaCha20Rng, f: &mut Fm, hours: usize) {
    let normal = |rng: &mut ChaCha20Rng| {
        let (u, v): (f64, f64) = (rng.random_range(1e-12..1.0), rng.random());
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).sin()
    };
    f.production = (0..hours)
        .map(|i| {
            let night = (i % 24) < 6 || (i % 24) >= 22;
            let base = if !f.runs[i] {
                0.02
            } else if night {
                0.33
            } else {
                1.0
            };
            (f.load_kw * base * (1.0 + 0.03 * normal(rng))).max(0.0)
        })
        .collect();
    f.treatment = (0..hours)
        .map(|i| {
            let base = if f.runs[i] { 0.3 } else { 0.12 };
            (f.load_kw * base * (1.0 + 0.04 * normal(rng))).max(0.0)
        })
        .collect();
    for p in &mut f.points {
        p.values.clear();
        p.flags.clear();
        for &(code, level, sd, decimals, _) in &p.params {
            let mut x = 0.0_f64;
            let mut vals = Vec::with_capacity(hours);
            let mut last = level;
            for i in 0..hours {
                x = 0.8 * x + sd * normal(rng);
                let v = if f.runs[i] {
                    last = round(level * x.exp(), decimals);
                    last
                } else if crate::params::is_flow(code) {
                    0.0
                } else {
                    last
                };
                vals.push(v);
            }
            p.values.push(vals);
            p.flags.push(vec!['N'; hours]);
        }
        // A short maintenance every ten days; a few single hours lost.
        for d in (3..hours / 24).step_by(10) {
            let s = d * 24 + rng.random_range(8..14);
            for fl in &mut p.flags {
                fl[s..s + 3].iter_mut().for_each(|c| *c = 'M');
            }
        }
        for _ in 0..3 {
            let i = rng.random_range(0..hours);
            p.sent[i] = false;
        }
    }
}

pub(super) fn round(v: f64, decimals: usize) -> f64 {
    let s = 10_f64.powi(i32::try_from(decimals).unwrap_or(0));
    (v * s).round() / s
}

pub(super) fn apply(rng: &mut ChaCha20Rng, firms: &mut [Fm], p: &Planted, start: i64) {
    let Some(f) = firms.iter_mut().find(|f| f.id == p.source_id) else {
        return;
    };
    let s = usize::try_from(p.start.hour() - start).unwrap_or(0);
    let e = usize::try_from(p.end.hour() - start)
        .unwrap_or(0)
        .min(f.runs.len());
    let own = f.own_limit;
    let pt = &mut f.points[0];
    let k = p
        .code
        .as_deref()
        .and_then(|c| pt.params.iter().position(|q| q.0 == c));
    match (p.kind, k) {
        (Kind::Exceedance, Some(k)) => {
            // Between the firm's own limit and its category's where it has one.
            let limit = own
                .filter(|(c, _)| *c == pt.params[k].0)
                .map_or(pt.params[k].4.unwrap_or(1.0), |(_, l)| l);
            for i in s..e {
                pt.values[k][i] = round(limit * rng.random_range(1.1..1.35), pt.params[k].3);
                pt.flags[k][i] = 'N';
            }
        }
        (Kind::Flatline, Some(k)) => {
            let step = 10_f64.powi(-i32::try_from(pt.params[k].3).unwrap_or(0));
            let v = pt.values[k][s];
            for i in s..e {
                // Jitter below the resolution, read back as the same value.
                pt.values[k][i] =
                    round(v + 0.3 * step * rng.random_range(-1.0..1.0), pt.params[k].3);
                pt.flags[k][i] = 'N';
            }
        }
        (Kind::ZeroWhileActive, Some(k)) => {
            for i in s..e {
                pt.values[k][i] = -round(rng.random_range(0.0..0.05), pt.params[k].3);
                pt.flags[k][i] = 'N';
            }
        }
        (Kind::StepDrop, Some(k)) => {
            let share = rng.random_range(0.25..0.45);
            for i in s..e {
                if f.runs[i] {
                    let jitter = 1.0 + 0.05 * rng.random_range(-1.0..1.0);
                    pt.values[k][i] = round(pt.values[k][i] * share * jitter, pt.params[k].3)
                        .max(10_f64.powi(-3));
                }
            }
        }
        (Kind::LowTransmission, _) => {
            for i in s..e {
                if rng.random_bool(0.12) {
                    pt.sent[i] = false;
                }
            }
        }
        (Kind::FlaggedSpan, _) => {
            let a = rng.random_range(13..17);
            let b = rng.random_range(13..17);
            for fl in &mut pt.flags {
                fl[s..s + a].iter_mut().for_each(|c| *c = 'D');
                fl[e - b..e].iter_mut().for_each(|c| *c = 'D');
            }
        }
        (Kind::TreatmentOff, _) => {
            for i in s..e {
                f.treatment[i] = 0.0;
            }
        }
        (Kind::RunningWhileHalted, _) => {
            for i in s..e {
                if f.runs[i] {
                    f.production[i] = f.load_kw * 0.85;
                }
            }
        }
        _ => {}
    }
}
