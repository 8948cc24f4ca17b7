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

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha20Rng;

use crate::hj212::crc16;
use crate::report::{Kind, PointMonth};
use crate::synthetic::Planted;
use crate::time::{Stamp, month_of, month_start, next_month, week_of};

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

/// Chooses where a planted anomaly goes (slot 0 in the first half, slot 1 in the second) and
/// writes the periods and events it needs.
#[expect(
    clippy::too_many_arguments,
    reason = "one generator step with its outputs"
)]
fn plant_plan(
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

fn fill(rng: &mut ChaCha20Rng, f: &mut Fm, hours: usize) {
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

fn round(v: f64, decimals: usize) -> f64 {
    let s = 10_f64.powi(i32::try_from(decimals).unwrap_or(0));
    (v * s).round() / s
}

fn apply(rng: &mut ChaCha20Rng, firms: &mut [Fm], p: &Planted, start: i64) {
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

/// Files by name, with their text.
type Files = Vec<(String, String)>;

/// Writes every file; returns them and the corrupt lines.
fn write_files(
    rng: &mut ChaCha20Rng,
    firms: &[Fm],
    start: i64,
    hours: usize,
    periods: String,
    events: String,
) -> (Files, Vec<(String, usize)>) {
    let mut log: Vec<String> = Vec::new();
    let mut minutes: Vec<String> = Vec::new();
    let mut csv = String::from("mn,time,code,value,flag\n");
    let mut bad = Vec::new();
    let packet = |seg: &str| format!("##{:04}{seg}{:04x}\r\n", seg.len(), crc16(seg.as_bytes()));
    for i in 0..hours {
        let t = Stamp::of_hour(start + i as i64);
        for f in firms {
            for p in &f.points {
                if !p.sent[i] {
                    continue;
                }
                if p.channel == Channel::Csv {
                    for (k, q) in p.params.iter().enumerate() {
                        let _ = writeln!(
                            csv,
                            "{},{},{},{:.*},{}",
                            p.mn,
                            t.civil().strftime("%Y-%m-%d %H:%M:%S"),
                            q.0,
                            q.3,
                            p.values[k][i],
                            p.flags[k][i]
                        );
                    }
                    continue;
                }
                let mut cp = format!("DataTime={}", t.civil().strftime("%Y%m%d%H%M%S"));
                for (k, q) in p.params.iter().enumerate() {
                    let _ = write!(
                        cp,
                        ";{}-Avg={:.*},{}-Flag={}",
                        q.0, q.3, p.values[k][i], q.0, p.flags[k][i]
                    );
                }
                let seg = format!(
                    "QN={}123;ST=32;CN=2061;PW=000000;MN={};Flag=5;CP=&&{cp}&&",
                    t.civil().strftime("%Y%m%d%H%M%S"),
                    p.mn
                );
                log.push(format!(
                    "{} {}",
                    Stamp(t.0 + 7).civil().strftime("%Y-%m-%d %H:%M:%S"),
                    packet(&seg)
                ));
                if p.channel == Channel::Minutes && i < 72 {
                    // Minute packets for the first three days, beside the hourly ones.
                    for m in 0..60 {
                        let tm = Stamp(t.0 + m * 60);
                        let mut cp = format!("DataTime={}", tm.civil().strftime("%Y%m%d%H%M%S"));
                        for (k, q) in p.params.iter().enumerate() {
                            let _ = write!(
                                cp,
                                ";{}-Rtd={:.*},{}-Flag={}",
                                q.0, q.3, p.values[k][i], q.0, p.flags[k][i]
                            );
                        }
                        let seg = format!(
                            "QN=0;ST=32;CN=2051;PW=000000;MN={};Flag=5;CP=&&{cp}&&",
                            p.mn
                        );
                        minutes.push(packet(&seg));
                    }
                }
            }
        }
    }
    // Corrupt lines in the hourly log, numbered as written (the log has no header).
    for j in 0..8 {
        let at = rng.random_range(0..log.len());
        let good = log[at].clone();
        let line = match j % 4 {
            0 => good
                .replacen("CN=2061", "CN=2016", 1)
                .replacen("CN=2016", "CN=2061", 1)
                .replacen("-Avg=", "-Avg=0", 1),
            1 => good[..good.len() - 9].to_owned() + "\r\n",
            2 => good.replace("MN=", "MN=X"),
            _ => {
                let i = good.rfind("&&").unwrap_or(0);
                format!("{}&&ffff\r\n", &good[..i])
            }
        };
        log.insert(at, line);
        for b in &mut bad {
            let (_, n): &mut (String, usize) = b;
            if *n > at {
                *n += 1;
            }
        }
        bad.push(("data.log".to_owned(), at + 1));
    }
    bad.sort_by_key(|(_, n)| *n);
    let mut meters = String::from("source_id,meter_id,role,time,kw\n");
    let mut sources = String::from("id,name,category,district,mn,lon,lat\n");
    let mut mn_map = String::from("mn,source_id\n");
    let mut limits = String::from("source_id,code,limit,unit\n");
    for (k, f) in firms.iter().enumerate() {
        for i in 0..hours {
            for q in 0..4 {
                let t = Stamp::of_hour(start + i as i64).0 + q * 900;
                let time = Stamp(t).civil().strftime("%Y-%m-%d %H:%M:%S");
                let _ = writeln!(
                    meters,
                    "{},{}-p,production,{time},{:.2}",
                    f.id, f.id, f.production[i]
                );
                let _ = writeln!(
                    meters,
                    "{},{}-t1,treatment,{time},{:.2}",
                    f.id,
                    f.id,
                    f.treatment[i] * 0.5
                );
                let _ = writeln!(
                    meters,
                    "{},{}-t2,treatment,{time},{:.2}",
                    f.id,
                    f.id,
                    f.treatment[i] * 0.5
                );
            }
        }
        let mns: Vec<&str> = f.points.iter().map(|p| p.mn.as_str()).collect();
        let on_source = if f.mn_on_source {
            mns.join(";")
        } else {
            String::new()
        };
        let _ = writeln!(
            sources,
            "{},企业{k},key,{},{on_source},{},{}",
            f.id,
            f.district,
            106.3 + 0.01 * k as f64,
            29.5
        );
        if !f.mn_on_source {
            for m in mns {
                let _ = writeln!(mn_map, "{m},{}", f.id);
            }
        }
        if let Some((code, limit)) = f.own_limit {
            let _ = writeln!(limits, "{},{code},{limit},mg", f.id);
        }
    }
    for (code, limit) in [
        ("w01018", 100.0),
        ("w21003", 8.0),
        ("a21026", 100.0),
        ("a21002", 150.0),
        ("a34013", 10.0),
    ] {
        let _ = writeln!(limits, "key,{code},{limit},mg");
    }
    let files = vec![
        ("data.log".to_owned(), log.concat()),
        ("minutes.log".to_owned(), minutes.concat()),
        ("data.csv".to_owned(), csv),
        ("meters.csv".to_owned(), meters),
        ("periods.csv".to_owned(), periods),
        ("events.csv".to_owned(), events),
        ("limits.csv".to_owned(), limits),
        ("mn-map.csv".to_owned(), mn_map),
        ("sources.csv".to_owned(), sources),
    ];
    (files, bad)
}
