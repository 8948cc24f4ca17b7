//! A second generator, written apart from [`crate::synthetic`] so that the rules are not only
//! tested on the data they were tuned on. Its world differs on purpose:
//!
//! - firms work weekdays around the clock at a night load of a third, stop at weekends, and
//!   some have two points, named by their `mn` field or by the MN map;
//! - values wander in log space (multiplicative noise), at three-decimal resolution for some;
//! - points send hourly packets, minute packets only (hourly values then come from the
//!   minutes), or hourly rows of the CSV form with `yyyy-MM-dd HH:mm:ss` times; log lines carry
//!   a receive time before the packet, and CRCs in lower case;
//! - meters read every 15 minutes, treatment on two meters;
//! - limits of a firm's own override its category's, and some anomalies sit between the two;
//! - zeros are small negatives, flatlines jitter below the resolution, gaps are scattered
//!   hours, out-of-service marks come in pieces, halts end on a date, a draw is published for a
//!   whole district and one of its firms halts after it (a shutdown, not a drop).
//!
//! Every file is returned by name with its truth: what was planted, each corrupt line, and the
//! exact transmission of every point.

use std::fmt::Write as _;

mod plant;
mod write;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha20Rng;

use crate::report::{Kind, PointMonth};
use crate::synthetic::Planted;
use crate::time::{Stamp, month_of, month_start, next_month, week_of};
use plant::{apply, fill, plant_plan};
use write::write_files;

/// A generated scenario.
pub struct Scenario {
    /// Files by name: `data.log`, `minutes.log`, `data.csv`, `meters.csv`, `periods.csv`,
    /// `events.csv`, `limits.csv`, `mn-map.csv`, `sources.csv`.
    pub files: Vec<(String, String)>,
    /// The days to analyse (`--from`, `--to`).
    pub from: String,
    pub to: String,
    pub planted: Vec<Planted>,
    /// Corrupt lines as (file, line).
    pub bad_lines: Vec<(String, usize)>,
    pub transmission: Vec<PointMonth>,
}

/// How a point sends.
#[derive(Clone, Copy, PartialEq)]
enum Channel {
    Hourly,
    Minutes,
    Csv,
}

struct Pt {
    mn: String,
    channel: Channel,
    /// (code, level, log-sd, decimals, category limit)
    params: Vec<(&'static str, f64, f64, usize, Option<f64>)>,
    values: Vec<Vec<f64>>,
    flags: Vec<Vec<char>>,
    sent: Vec<bool>,
}

struct Fm {
    id: String,
    district: String,
    /// MN named on the source itself (else in the MN map).
    mn_on_source: bool,
    points: Vec<Pt>,
    load_kw: f64,
    production: Vec<f64>,
    treatment: Vec<f64>,
    runs: Vec<bool>,
    own_limit: Option<(&'static str, f64)>,
}

const DAYS: usize = 45;

/// The scenario of `seed`: 24 firms in three districts over 45 days from 12 May 2025.
pub fn scenario(seed: u64) -> Scenario {
    let mut rng = ChaCha20Rng::seed_from_u64(seed ^ 0x5EED_1DE9);
    let start = Stamp::parse("2025-05-12").map_or(0, Stamp::hour);
    let hours = DAYS * 24;
    let hour = |i: usize| start + i as i64;
    let mut planted = Vec::new();
    let mut firms: Vec<Fm> = (0..24)
        .map(|k| {
            let water = k % 4 != 3;
            let params: Vec<(&'static str, f64, f64, usize, Option<f64>)> = if water {
                vec![
                    ("w01018", 45.0, 0.06, 1, Some(100.0)),
                    ("w21003", 2.5, 0.08, 3, Some(8.0)),
                    ("w01001", 7.4, 0.01, 2, None),
                    ("w00000", 25.0, 0.06, 2, None),
                ]
            } else {
                vec![
                    ("a21026", 40.0, 0.06, 1, Some(100.0)),
                    ("a21002", 90.0, 0.05, 1, Some(150.0)),
                    ("a34013", 5.0, 0.08, 2, Some(10.0)),
                    ("a00000", 30000.0, 0.05, 0, None),
                ]
            };
            let n_points = if k % 5 == 0 { 2 } else { 1 };
            let points = (0..n_points)
                .map(|j| Pt {
                    mn: format!("3301{seed:04}{k:03}{j}Q"),
                    channel: match (k + j) % 6 {
                        4 => Channel::Minutes,
                        5 => Channel::Csv,
                        _ => Channel::Hourly,
                    },
                    params: params.clone(),
                    values: Vec::new(),
                    flags: Vec::new(),
                    sent: vec![true; hours],
                })
                .collect();
            let runs: Vec<bool> = (0..hours)
                .map(|i| (hour(i).div_euclid(24) + 3).rem_euclid(7) < 5)
                .collect();
            Fm {
                id: format!("QY{seed}-{k:02}"),
                district: ["500103", "500104", "500105"][k % 3].to_owned(),
                mn_on_source: k % 2 == 0,
                points,
                load_kw: rng.random_range(400.0..3000.0),
                production: Vec::new(),
                treatment: Vec::new(),
                runs,
                own_limit: (k % 3 == 1).then_some(if water {
                    ("w01018", 70.0)
                } else {
                    ("a21026", 70.0)
                }),
            }
        })
        .collect();

    let mut periods = String::from("SOURCE_ID,START,END,KIND\n");
    let mut events = String::from("source_id,time,kind\n");
    // A draw published for district 500104 on day 15; one of its firms halts two days after.
    let draw_at = start + 15 * 24 + 10;
    let _ = writeln!(
        events,
        "500104,{},draw_published",
        Stamp::of_hour(draw_at).iso()
    );
    let shutdown = firms
        .iter()
        .position(|f| f.district == "500104")
        .unwrap_or(0);
    for i in (17 * 24)..(21 * 24) {
        firms[shutdown].runs[i] = false;
    }
    let kinds = Kind::ALL;
    for (k, f) in firms.iter_mut().enumerate() {
        if k == shutdown {
            continue;
        }
        // Two planted kinds for two firms in three.
        if k % 3 == 2 {
            continue;
        }
        let turn = usize::try_from(seed % 8).unwrap_or(0);
        let a = kinds[(k * 3 + turn) % 8];
        let b = kinds[(k * 5 + 3 + turn) % 8];
        for (slot, kind) in [(0, a), (1, b)] {
            plant_plan(
                &mut rng,
                f,
                kind,
                slot,
                start,
                hours,
                draw_at,
                &mut periods,
                &mut events,
                &mut planted,
            );
        }
    }
    // Values, power, then the planted changes.
    for f in &mut firms {
        fill(&mut rng, f, hours);
    }
    for p in planted.clone() {
        apply(&mut rng, &mut firms, &p, start);
    }
    // Truth that follows from the data as written: weeks with 24 or more out-of-service hours
    // and months under 95 % (whatever made them).
    planted.retain(|p| p.kind != Kind::FlaggedSpan && p.kind != Kind::LowTransmission);
    let mut transmission = Vec::new();
    for f in &firms {
        for p in &f.points {
            let mut week_hours: std::collections::BTreeMap<i64, Vec<usize>> =
                std::collections::BTreeMap::new();
            for i in 0..hours {
                if p.sent[i]
                    && p.flags
                        .iter()
                        .any(|fl| matches!(fl[i], 'F' | 'M' | 'D' | 'C'))
                {
                    week_hours.entry(week_of(hour(i))).or_default().push(i);
                }
            }
            for hs in week_hours.values().filter(|hs| hs.len() >= 24) {
                planted.push(Planted {
                    kind: Kind::FlaggedSpan,
                    source_id: f.id.clone(),
                    mn: Some(p.mn.clone()),
                    code: None,
                    start: Stamp::of_hour(hour(hs[0])),
                    end: Stamp::of_hour(hour(hs[hs.len() - 1]) + 1),
                });
            }
            let mut m = month_of(start);
            while month_start(m) < start + hours as i64 {
                let (a, b) = (
                    month_start(m).max(start),
                    month_start(next_month(m)).min(start + hours as i64),
                );
                let idx = |h: i64| usize::try_from(h - start).unwrap_or(0);
                let received = (a..b).filter(|&h| p.sent[idx(h)]).count() as u32;
                let valid = (a..b)
                    .filter(|&h| p.sent[idx(h)] && p.flags.iter().all(|fl| fl[idx(h)] == 'N'))
                    .count() as u32;
                let expected = u32::try_from(b - a).unwrap_or(0);
                let rate = f64::from(valid) / f64::from(expected);
                if rate < 0.95 {
                    planted.push(Planted {
                        kind: Kind::LowTransmission,
                        source_id: f.id.clone(),
                        mn: Some(p.mn.clone()),
                        code: None,
                        start: Stamp::of_hour(a),
                        end: Stamp::of_hour(b),
                    });
                }
                transmission.push(PointMonth {
                    mn: p.mn.clone(),
                    source_id: Some(f.id.clone()),
                    month: format!("{:04}-{:02}", m.0, m.1),
                    expected,
                    received,
                    valid,
                    transmission_rate: rate,
                });
                m = next_month(m);
            }
        }
    }
    let (files, bad_lines) = write_files(&mut rng, &firms, start, hours, periods, events);
    let end = Stamp::of_hour(start + hours as i64 - 24).civil().date();
    Scenario {
        files,
        from: Stamp::of_hour(start).civil().date().to_string(),
        to: end.to_string(),
        planted,
        bad_lines,
        transmission,
    }
}
