//! The generated data as files: the HJ 212 log (with resends and corrupt lines), meters,
//! periods, events and limits.

use std::fmt::Write as _;

use rand::Rng;

use super::{BadLine, Firm, Gen};
use crate::context::{Context, PeriodKind, Target};
use crate::hj212;
use crate::report::PointMonth;
use crate::time::{Stamp, month_of, month_start, next_month};

/// The log: hourly packets in time order with resends and corrupt lines mixed in; the corrupt
/// lines and each point's transmission as written.
pub(super) fn write_log(
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
pub(super) fn segment_of(line: &str) -> String {
    let body = &line[6..line.len() - 2];
    body[..body.len() - 4].to_owned()
}

pub(super) fn packet(f: &Firm, i: usize, hour: i64) -> String {
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

pub(super) fn meters_csv(g: &Gen, firms: &[Firm]) -> String {
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

pub(super) fn target_text(t: &Target) -> &str {
    match t {
        Target::Source(s) | Target::District(s) => s,
    }
}

pub(super) fn periods_csv(ctx: &Context) -> String {
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

pub(super) fn events_csv(ctx: &Context) -> String {
    ctx.events
        .iter()
        .fold("source_id,time,kind\n".to_owned(), |mut s, e| {
            let _ = writeln!(s, "{},{},{}", target_text(&e.target), e.time.iso(), e.kind);
            s
        })
}

pub(super) fn limits_csv(ctx: &Context) -> String {
    ctx.limits
        .iter()
        .fold("source_id,code,limit,unit\n".to_owned(), |mut s, l| {
            let _ = writeln!(s, "{},{},{},{}", l.applies_to, l.code, l.limit, l.unit);
            s
        })
}
