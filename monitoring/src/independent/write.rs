//! The second generator's files: hourly and minute logs (receive times before the packets,
//! lower-case CRCs), the CSV form, 15-minute meters, sources, the MN map and limits, with
//! corrupt lines.

use std::fmt::Write as _;

use rand::Rng;
use rand_chacha::ChaCha20Rng;

use super::{Channel, Fm, Pt};
use crate::hj212::crc16;
use crate::time::Stamp;

/// Files by name, with their text.
pub(super) type Files = Vec<(String, String)>;

/// Writes every file; returns them and the corrupt lines.
pub(super) fn write_files(
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
                let cp = cp_of(p, i, t, "Avg");
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
                        let cp = cp_of(p, i, Stamp(t.0 + m * 60), "Rtd");
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

/// A packet's `CP` of point `p`'s hour `i` at `time`: every parameter's value as `-<field>`,
/// with its flag.
fn cp_of(p: &Pt, i: usize, time: Stamp, field: &str) -> String {
    let mut cp = format!("DataTime={}", time.civil().strftime("%Y%m%d%H%M%S"));
    for (k, q) in p.params.iter().enumerate() {
        let _ = write!(
            cp,
            ";{}-{field}={:.*},{}-Flag={}",
            q.0, q.3, p.values[k][i], q.0, p.flags[k][i]
        );
    }
    cp
}
