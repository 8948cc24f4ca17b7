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

mod plant;
mod write;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::context::{Context, Limit, Period, PeriodKind, Source, Target};
use crate::params::Flag;
use crate::report::{Kind, PointMonth};
use crate::time::{DAY_HOURS, Stamp, month_start, next_month};
use plant::{fill_values, keep_limits, plant, plant_values};
use write::{events_csv, limits_csv, meters_csv, periods_csv, write_log};

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
