//! Electricity monitoring (用电监控): each firm's production and treatment meters, summed per
//! role and hour, and what they say about whether the plant runs.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use crate::params::Flag;
use crate::series::Series;

/// What a meter measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    Production,
    Treatment,
}

impl Role {
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim() {
            "production" => Some(Self::Production),
            "treatment" => Some(Self::Treatment),
            _ => None,
        }
    }
}

/// Production runs below this share of its usual running load are idle (the issue's "about
/// 10 %").
pub const IDLE_SHARE: f64 = 0.1;

/// Readings as they are loaded: per firm, role and meter, each hour's sum and count (meters
/// kept in the order first seen, hours in order, so sums come out the same every run).
#[derive(Debug, Default)]
pub struct MeterReadings {
    index: FxHashMap<(String, Role, String), usize>,
    meters: Vec<(FirmRole, HourSums)>,
}

/// A firm's id and a meter role.
type FirmRole = (String, Role);
/// Per hour, the sum and count of a meter's readings.
type HourSums = BTreeMap<i64, (f64, u32)>;

impl MeterReadings {
    pub fn add(&mut self, source: &str, meter: &str, role: Role, hour: i64, kw: f64) {
        let key = (source.to_owned(), role, meter.to_owned());
        let i = if let Some(&i) = self.index.get(&key) {
            i
        } else {
            self.meters
                .push(((source.to_owned(), role), BTreeMap::new()));
            self.index.insert(key, self.meters.len() - 1);
            self.meters.len() - 1
        };
        let e = self.meters[i].1.entry(hour).or_insert((0.0, 0));
        e.0 += kw;
        e.1 += 1;
    }

    /// Each firm's hourly power per role: the sum over its meters of each meter's mean.
    pub fn finish(self) -> Power {
        let mut totals: BTreeMap<FirmRole, BTreeMap<i64, f64>> = BTreeMap::new();
        for (key, hours) in self.meters {
            let total = totals.entry(key).or_default();
            for (hour, (sum, n)) in hours {
                *total.entry(hour).or_insert(0.0) += sum / f64::from(n);
            }
        }
        let mut power = Power::default();
        for (key, hours) in totals {
            let mut series = Series::default();
            for (h, kw) in hours {
                series.set(h, kw as f32, Flag::Normal);
            }
            let usual = usual_load(&series);
            power.sources.insert(
                key,
                RolePower {
                    series,
                    usual_running: usual,
                },
            );
        }
        power
    }
}

/// One role's power of one firm.
#[derive(Debug, Clone)]
pub struct RolePower {
    pub series: Series,
    /// Its usual load while it runs (kW).
    pub usual_running: f64,
}

/// Every firm's power by role.
#[derive(Debug, Clone, Default)]
pub struct Power {
    sources: FxHashMap<(String, Role), RolePower>,
}

impl Power {
    pub fn of(&self, source: &str, role: Role) -> Option<&RolePower> {
        self.sources.get(&(source.to_owned(), role))
    }

    pub fn is_empty(&self) -> bool {
        self.sources.is_empty()
    }

    /// Every firm's role power, in a stable order (for [`crate::archive`]).
    pub(crate) fn entries(&self) -> Vec<(&String, Role, &RolePower)> {
        let mut out: Vec<_> = self.sources.iter().map(|((s, r), p)| (s, *r, p)).collect();
        out.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        out
    }

    pub(crate) fn insert(&mut self, source: String, role: Role, power: RolePower) {
        self.sources.insert((source, role), power);
    }
}

impl RolePower {
    /// Whether it ran in hour `hour` (above the idle level); `None` without a reading.
    pub fn running(&self, hour: i64) -> Option<bool> {
        let kw = self.series.get(hour)?.0;
        Some(f64::from(kw) > IDLE_SHARE * self.usual_running)
    }

    pub fn kw(&self, hour: i64) -> Option<f64> {
        self.series.get(hour).map(|(v, _)| f64::from(v))
    }
}

/// The usual load of a series while it runs: the median of the hours above a fifth of its
/// 95th percentile (so nights and weekends off do not pull it down).
pub fn usual_load(series: &Series) -> f64 {
    let mut values: Vec<f64> = series
        .iter()
        .filter(|(_, v, f)| f.is_valid() && v.is_finite())
        .map(|(_, v, _)| f64::from(v))
        .collect();
    usual_of(&mut values)
}

/// [`usual_load`] of plain values (sorted in place).
pub fn usual_of(values: &mut [f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.sort_unstable_by(f64::total_cmp);
    let p95 = values[(values.len() - 1) * 95 / 100];
    let floor = 0.2 * p95;
    let running: Vec<f64> = values.iter().copied().filter(|&v| v > floor).collect();
    if running.is_empty() {
        return p95;
    }
    running[running.len() / 2]
}
