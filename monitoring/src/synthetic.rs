//! Generated monitoring data with planted anomalies and their truth: firms on shift patterns
//! (stopped at night and weekends, or running around the clock), autocorrelated values at their
//! instruments' resolution, maintenance and calibration marks, transmission gaps, resends and
//! corrupt lines, production and treatment meters, halt periods and announced inspections.
//! What is planted is listed with its hours; so are the corrupt lines and each point's exact
//! transmission.
//!
//! The hard cases are there on purpose: a plant stopped at night holds its concentrations and
//! reports zero flow; zeros come with calibration marks; a firm halted as asked shows a drop that
//! is a shutdown; limit periods are kept.

use std::fmt::Write as _;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::context::{Context, Event, Limit, Period, PeriodKind, Source, Target};
use crate::hj212;
use crate::params::Flag;
use crate::report::{Kind, PointMonth};
use crate::time::{DAY_HOURS, Stamp, month_of, month_start, next_month, week_of};

/// A firm to generate.
#[derive(Debug, Clone)]
pub struct FirmSpec {
    pub id: String,
    pub district: String,
    /// Wastewater (else flue gas).
    pub water: bool,
}

/// What to generate.
#[derive(Debug, Clone)]
pub struct Spec {
    pub seed: u64,
    pub firms: Vec<FirmSpec>,
    /// The first month (its first hour starts the data).
    pub first_month: (i16, i8),
    pub months: u32,
    /// The chance each firm has of each kind of planted anomaly (at most two per firm).
    pub anomaly_rate: f64,
}

impl Spec {
    /// `n` firms of alternating kind in two districts, two months from March 2024.
    pub fn small(seed: u64, n: usize) -> Self {
        Self {
            seed,
            firms: (0..n)
                .map(|i| FirmSpec {
                    id: format!("PS{seed:02}{i:04}"),
                    district: if i % 2 == 0 { "500101" } else { "500102" }.to_owned(),
                    water: i % 3 != 2,
                })
                .collect(),
            first_month: (2024, 3),
            months: 2,
            anomaly_rate: 0.25,
        }
    }
}

/// An anomaly put into the data.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Planted {
    pub kind: Kind,
    pub source_id: String,
    pub mn: Option<String>,
    pub code: Option<String>,
    pub start: Stamp,
    pub end: Stamp,
}

/// A line of the log that must be rejected.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct BadLine {
    pub line: usize,
    pub problem: &'static str,
}

/// Everything generated.
pub struct Generated {
    pub context: Context,
    /// The HJ 212 log (CRLF lines).
    pub log: String,
    pub meters_csv: String,
    pub periods_csv: String,
    pub events_csv: String,
    pub limits_csv: String,
    pub mn_map_csv: String,
    pub planted: Vec<Planted>,
    pub bad_lines: Vec<BadLine>,
    /// Each point's transmission per month, as written.
    pub transmission: Vec<PointMonth>,
    /// The first hour and one past the last.
    pub span: (i64, i64),
}

/// A parameter: code, usual level, noise, resolution, limit.
struct Param {
    code: &'static str,
    level: f64,
    noise: f64,
    resolution: f64,
    limit: Option<f64>,
}

const WATER: [Param; 6] = [
    Param {
        code: "w01018",
        level: 38.0,
        noise: 5.0,
        resolution: 0.1,
        limit: Some(100.0),
    },
    Param {
        code: "w21003",
        level: 3.2,
        noise: 0.5,
        resolution: 0.01,
        limit: Some(15.0),
    },
    Param {
        code: "w21011",
        level: 0.45,
        noise: 0.06,
        resolution: 0.01,
        limit: Some(1.0),
    },
    Param {
        code: "w21001",
        level: 11.0,
        noise: 1.5,
        resolution: 0.01,
        limit: Some(20.0),
    },
    Param {
        code: "w01001",
        level: 7.2,
        noise: 0.12,
        resolution: 0.01,
        limit: None,
    },
    Param {
        code: "w00000",
        level: 42.0,
        noise: 4.0,
        resolution: 0.01,
        limit: None,
    },
];

const AIR: [Param; 6] = [
    Param {
        code: "a21026",
        level: 55.0,
        noise: 8.0,
        resolution: 0.1,
        limit: Some(200.0),
    },
    Param {
        code: "a21002",
        level: 120.0,
        noise: 14.0,
        resolution: 0.1,
        limit: Some(300.0),
    },
    Param {
        code: "a34013",
        level: 7.5,
        noise: 1.2,
        resolution: 0.01,
        limit: Some(30.0),
    },
    Param {
        code: "a19001",
        level: 11.0,
        noise: 0.4,
        resolution: 0.01,
        limit: None,
    },
    Param {
        code: "a01012",
        level: 85.0,
        noise: 3.0,
        resolution: 0.1,
        limit: None,
    },
    Param {
        code: "a00000",
        level: 52000.0,
        noise: 2500.0,
        resolution: 1.0,
        limit: None,
    },
];

/// When a firm runs.
#[derive(Clone, Copy)]
enum Shift {
    AroundTheClock,
    /// 06:00–22:00, Monday to Saturday.
    TwoShifts,
    /// 08:00–18:00, Monday to Friday.
    Days,
}

impl Shift {
    fn runs(self, hour: i64) -> bool {
        let h = hour.rem_euclid(DAY_HOURS);
        let weekday = (hour.div_euclid(DAY_HOURS) + 3).rem_euclid(7); // 0 = Monday
        match self {
            Self::AroundTheClock => true,
            Self::TwoShifts => weekday < 6 && (6..22).contains(&h),
            Self::Days => weekday < 5 && (8..18).contains(&h),
        }
    }
}

/// One firm's hours as generated: values and flags per parameter, and what was sent.
struct Firm {
    source: Source,
    params: &'static [Param; 6],
    production_kw: f64,
    /// Per hour: whether production runs (its schedule, halts and planted changes applied).
    running: Vec<bool>,
    production: Vec<f64>,
    treatment: Vec<f64>,
    /// `values[p][i]`, `flags[p][i]`.
    values: Vec<Vec<f64>>,
    flags: Vec<Vec<Flag>>,
    /// Whether hour i is sent at all.
    sent: Vec<bool>,
}

struct Gen {
    rng: ChaCha8Rng,
    from: i64,
    hours: usize,
}

impl Gen {
    fn normal(&mut self) -> f64 {
        let u: f64 = self.rng.random_range(1e-12..1.0);
        let v: f64 = self.rng.random_range(0.0..1.0);
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }

    fn hour(&self, i: usize) -> i64 {
        self.from + i as i64
    }

    /// A start hour for a planted run of `len` hours wholly within running hours, from day
    /// `day_from` on; avoiding `taken` hours.
    fn running_window(
        &mut self,
        firm: &Firm,
        len: usize,
        day_from: usize,
        taken: &[bool],
    ) -> Option<usize> {
        for _ in 0..400 {
            let i = self
                .rng
                .random_range(day_from * 24..self.hours.saturating_sub(len + 1));
            if (i..i + len).all(|k| firm.running[k] && !taken[k]) {
                return Some(i);
            }
        }
        None
    }
}

fn round_to(value: f64, resolution: f64) -> f64 {
    (value / resolution).round() * resolution
}

/// Generates the data `spec` asks for.
pub fn generate(spec: &Spec) -> Generated {
    let from = month_start(spec.first_month);
    let mut last = spec.first_month;
    for _ in 0..spec.months {
        last = next_month(last);
    }
    let to = month_start(last);
    let mut g = Gen {
        rng: ChaCha8Rng::seed_from_u64(spec.seed),
        from,
        hours: usize::try_from(to - from).unwrap_or(0),
    };
    let mut ctx = Context::default();
    let mut planted = Vec::new();
    let mut firms: Vec<Firm> = spec
        .firms
        .iter()
        .enumerate()
        .map(|(k, f)| firm(&mut g, spec, k, f))
        .collect();
    // A district-wide halt every firm of the first district keeps.
    let halt_day = g.rng.random_range(20..30);
    let district_halt = Period {
        target: Target::District(
            spec.firms
                .first()
                .map_or(String::new(), |f| f.district.clone()),
        ),
        start: Stamp::of_hour(from + halt_day * DAY_HOURS),
        end: Stamp::of_hour(from + (halt_day + 1) * DAY_HOURS),
        kind: PeriodKind::Halt,
    };
    for f in &mut firms {
        if district_halt.target.covers(&f.source) {
            halt(f, &g, &district_halt);
        }
    }
    ctx.periods.push(district_halt);
    for f in &mut firms {
        plant(&mut g, spec, f, &mut ctx, &mut planted);
    }
    for f in &mut firms {
        fill_values(&mut g, f);
        keep_limits(&g, f, &ctx.periods);
    }
    for f in &mut firms {
        plant_values(&mut g, f, &planted);
    }
    ctx.sources = firms.iter().map(|f| f.source.clone()).collect();
    for p in WATER.iter().chain(AIR.iter()) {
        if let Some(limit) = p.limit {
            ctx.limits.push(Limit {
                applies_to: "key".to_owned(),
                code: p.code.to_owned(),
                limit,
                unit: if p.code.starts_with('w') {
                    "mg/L"
                } else {
                    "mg/m3"
                }
                .to_owned(),
            });
        }
    }
    let (log, bad_lines, transmission) = write_log(&mut g, &firms, (from, to));
    // Every month under 95 % is in the truth, whatever made it (a planted gap, or a planted
    // span of maintenance marks).
    planted.retain(|p| p.kind != Kind::LowTransmission);
    for m in transmission.iter().filter(|m| m.transmission_rate < 0.95) {
        let month = (
            m.month[..4].parse().unwrap_or(1970),
            m.month[5..].parse().unwrap_or(1),
        );
        planted.push(Planted {
            kind: Kind::LowTransmission,
            source_id: m.source_id.clone().unwrap_or_default(),
            mn: Some(m.mn.clone()),
            code: None,
            start: Stamp::of_hour(month_start(month).max(from)),
            end: Stamp::of_hour(month_start(next_month(month)).min(to)),
        });
    }
    Generated {
        meters_csv: meters_csv(&g, &firms),
        periods_csv: periods_csv(&ctx),
        events_csv: events_csv(&ctx),
        limits_csv: limits_csv(&ctx),
        mn_map_csv: firms.iter().fold("mn,source_id\n".to_owned(), |mut s, f| {
            let _ = writeln!(s, "{},{}", f.source.mns[0], f.source.id);
            s
        }),
        context: ctx,
        log,
        planted,
        bad_lines,
        transmission,
        span: (from, to),
    }
}

fn firm(g: &mut Gen, spec: &Spec, k: usize, f: &FirmSpec) -> Firm {
    let shift = match g.rng.random_range(0..3) {
        0 => Shift::AroundTheClock,
        1 => Shift::TwoShifts,
        _ => Shift::Days,
    };
    let production_kw = g.rng.random_range(200.0..2000.0_f64).round();
    let running: Vec<bool> = (0..g.hours).map(|i| shift.runs(g.hour(i))).collect();
    Firm {
        source: Source {
            id: f.id.clone(),
            category: Some("key".to_owned()),
            district: Some(f.district.clone()),
            mns: vec![format!(
                "{:014}",
                88_000_000_000_000_u64 + spec.seed * 100_000 + k as u64
            )],
        },
        params: if f.water { &WATER } else { &AIR },
        production_kw,
        running,
        production: Vec::new(),
        treatment: Vec::new(),
        values: Vec::new(),
        flags: Vec::new(),
        sent: vec![true; g.hours],
    }
}

/// A firm that keeps a halt: production idle for the period.
fn halt(f: &mut Firm, g: &Gen, period: &Period) {
    for i in 0..g.hours {
        let s = Stamp::of_hour(g.hour(i));
        if s >= period.start && s < period.end {
            f.running[i] = false;
        }
    }
}

/// Decides what is planted in `f` (changing its schedule where a plant needs it: a firm that
/// ignores a halt runs through it) and records the truth; values come after.
fn plant(g: &mut Gen, spec: &Spec, f: &mut Firm, ctx: &mut Context, planted: &mut Vec<Planted>) {
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

fn add_months(m: (i16, i8), n: i64) -> (i16, i8) {
    (0..n).fold(m, |m, _| next_month(m))
}

/// Power and values for every hour, with maintenance and calibration marks and short gaps.
fn fill_values(g: &mut Gen, f: &mut Firm) {
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
fn keep_limits(g: &Gen, f: &mut Firm, periods: &[Period]) {
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
fn plant_values(g: &mut Gen, f: &mut Firm, planted: &[Planted]) {
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

/// The log: hourly packets in time order with resends and corrupt lines mixed in; the corrupt
/// lines and each point's transmission as written.
fn write_log(
    g: &mut Gen,
    firms: &[Firm],
    span: (i64, i64),
) -> (String, Vec<BadLine>, Vec<PointMonth>) {
    let mut lines: Vec<String> = Vec::new();
    let mut bad = Vec::new();
    let mut resend: Vec<String> = Vec::new();
    for i in 0..g.hours {
        for f in firms {
            if !f.sent[i] {
                continue;
            }
            let line = packet(f, i, g.hour(i));
            if g.rng.random_bool(0.01) {
                resend.push(line.clone());
            }
            lines.push(line);
        }
        // Resends arrive a few hours late.
        if i % 6 == 5 {
            lines.append(&mut resend);
        }
    }
    lines.append(&mut resend);
    // Corrupt lines: copies of good packets damaged, and packets that must not load.
    let mut insert: Vec<(usize, String, &'static str)> = Vec::new();
    for k in 0..12 {
        let at = g.rng.random_range(0..lines.len());
        let good = lines[at].clone();
        let seg = segment_of(&good);
        let (line, problem) = match k % 6 {
            // A digit changed in transit: same length, wrong CRC.
            0 => {
                let at = seg.find("-Avg=").map_or(0, |i| i + 5);
                let mut bytes = seg.into_bytes();
                bytes[at] = if bytes[at] == b'1' { b'2' } else { b'1' };
                let seg = String::from_utf8(bytes).unwrap_or_default();
                (
                    format!("{}{seg}{}", &good[..6], &good[good.len() - 6..]),
                    "crc",
                )
            }
            1 => (good[..good.len() / 2].to_owned() + "\r\n", "truncated"),
            2 => {
                let n = seg.len();
                (
                    good.replacen(&format!("##{n:04}"), &format!("##{:04}", n - 3), 1),
                    "length",
                )
            }
            3 => (hj212::line(&seg.replacen("MN=", "MN=99", 1)), "unknown MN"),
            4 => (
                hj212::line(&seg.replacen("DataTime=202", "DataTime=209", 1)),
                "future",
            ),
            _ => {
                let at = seg.find("-Flag=").map_or(0, |i| i + 6);
                let seg = format!("{}Q{}", &seg[..at], &seg[at + 1..]);
                (hj212::line(&seg), "flag")
            }
        };
        insert.push((at, line, problem));
    }
    insert.sort_by_key(|(at, _, _)| std::cmp::Reverse(*at));
    for (at, line, problem) in insert {
        lines.insert(at, line);
        bad.push((at, problem));
    }
    // Line numbers after insertion: an insertion at `at` shifts later ones.
    let mut marks: Vec<(usize, &'static str)> = bad;
    marks.sort_by_key(|(at, _)| *at);
    let bad_lines = marks
        .iter()
        .enumerate()
        .map(|(k, (at, problem))| BadLine {
            line: at + k + 1,
            problem,
        })
        .collect();
    let transmission = firms
        .iter()
        .flat_map(|f| {
            let mut out = Vec::new();
            let mut month = month_of(span.0);
            while month_start(month) < span.1 {
                let (a, b) = (
                    month_start(month).max(span.0),
                    month_start(next_month(month)).min(span.1),
                );
                let idx = |h: i64| usize::try_from(h - span.0).unwrap_or(0);
                let received = (a..b).filter(|&h| f.sent[idx(h)]).count() as u32;
                let valid = (a..b)
                    .filter(|&h| f.sent[idx(h)] && f.flags.iter().all(|fl| fl[idx(h)].is_valid()))
                    .count() as u32;
                let expected = u32::try_from(b - a).unwrap_or(0);
                out.push(PointMonth {
                    mn: f.source.mns[0].clone(),
                    source_id: Some(f.source.id.clone()),
                    month: format!("{:04}-{:02}", month.0, month.1),
                    expected,
                    received,
                    valid,
                    transmission_rate: f64::from(valid) / f64::from(expected),
                });
                month = next_month(month);
            }
            out
        })
        .collect();
    (lines.concat(), bad_lines, transmission)
}

/// The data segment inside a packet line.
fn segment_of(line: &str) -> String {
    let body = &line[6..line.len() - 2];
    body[..body.len() - 4].to_owned()
}

fn packet(f: &Firm, i: usize, hour: i64) -> String {
    let t = Stamp::of_hour(hour).civil();
    let time = t.strftime("%Y%m%d%H%M%S").to_string();
    let mut cp = format!("DataTime={time}");
    for (k, p) in f.params.iter().enumerate() {
        let v = f.values[k][i];
        let digits = (-p.resolution.log10()).round().max(0.0) as usize;
        let _ = write!(
            cp,
            ";{c}-Avg={v:.digits$},{c}-Min={lo:.digits$},{c}-Max={hi:.digits$},{c}-Flag={fl}",
            c = p.code,
            lo = (v * 0.95).max(0.0),
            hi = v * 1.05,
            fl = f.flags[k][i].letter()
        );
    }
    let seg = format!(
        "QN={time}000;ST={st};CN=2061;PW=123456;MN={mn};Flag=4;CP=&&{cp}&&",
        st = if f.params[0].code.starts_with('w') {
            32
        } else {
            31
        },
        mn = f.source.mns[0]
    );
    hj212::line(&seg)
}

fn meters_csv(g: &Gen, firms: &[Firm]) -> String {
    let mut s = "source_id,meter_id,role,time,kw\n".to_owned();
    for f in firms {
        for i in 0..g.hours {
            let t = Stamp::of_hour(g.hour(i)).iso();
            // Production on two meters, treatment on one.
            let p = f.production[i];
            let _ = writeln!(
                s,
                "{},{}-P1,production,{t},{:.1}",
                f.source.id,
                f.source.id,
                p * 0.6
            );
            let _ = writeln!(
                s,
                "{},{}-P2,production,{t},{:.1}",
                f.source.id,
                f.source.id,
                p * 0.4
            );
            let _ = writeln!(
                s,
                "{},{}-T1,treatment,{t},{:.1}",
                f.source.id, f.source.id, f.treatment[i]
            );
        }
    }
    s
}

fn target_text(t: &Target) -> &str {
    match t {
        Target::Source(s) | Target::District(s) => s,
    }
}

fn periods_csv(ctx: &Context) -> String {
    ctx.periods
        .iter()
        .fold("source_id,start,end,kind\n".to_owned(), |mut s, p| {
            let kind = match p.kind {
                PeriodKind::Halt => "halt".to_owned(),
                PeriodKind::Limit(share) => format!("limit:{}", (share * 100.0).round()),
            };
            let _ = writeln!(
                s,
                "{},{},{},{kind}",
                target_text(&p.target),
                p.start.iso(),
                p.end.iso()
            );
            s
        })
}

fn events_csv(ctx: &Context) -> String {
    ctx.events
        .iter()
        .fold("source_id,time,kind\n".to_owned(), |mut s, e| {
            let _ = writeln!(s, "{},{},{}", target_text(&e.target), e.time.iso(), e.kind);
            s
        })
}

fn limits_csv(ctx: &Context) -> String {
    ctx.limits
        .iter()
        .fold("source_id,code,limit,unit\n".to_owned(), |mut s, l| {
            let _ = writeln!(s, "{},{},{},{}", l.applies_to, l.code, l.limit, l.unit);
            s
        })
}
