//! `yitu monitor` on data from the second, independent generator (hourly and minute packets,
//! the CSV form, two points per firm, MNs on sources and in a map, 15-minute meters), through
//! the real binary; and bad input named line by line while the rest loads.

mod common;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use common::{json, yitu};
use yitu_monitoring::independent::scenario;
use yitu_monitoring::report::Kind;

/// Runs `yitu monitor` on the scenario of `seed`; per kind (planted, found, planted found,
/// found planted).
fn score(seed: u64) -> BTreeMap<String, [usize; 4]> {
    let s = scenario(seed);
    let dir = tempfile::tempdir().expect("a temporary directory");
    for (name, text) in &s.files {
        std::fs::write(dir.path().join(name), text).expect("written");
    }
    let path = |name: &str| dir.path().join(name).to_str().expect("utf-8").to_owned();
    let out = path("out.json");
    let report = json(&yitu(&[
        "monitor",
        "--data",
        &path("data.log"),
        &path("minutes.log"),
        &path("data.csv"),
        "--meters",
        &path("meters.csv"),
        "--periods",
        &path("periods.csv"),
        "--mn-map",
        &path("mn-map.csv"),
        "--limits",
        &path("limits.csv"),
        "--events",
        &path("events.csv"),
        "--sources",
        &path("sources.csv"),
        "--from",
        &s.from,
        "--to",
        &s.to,
        "-o",
        &out,
        "--json",
    ]));
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("OUT.json")).expect("JSON");
    assert_eq!(written, report, "--json prints what OUT.json holds");
    // Transmission exact, every corrupt line named (and nothing else rejected).
    let mut points: Vec<(String, String, u64, u64, u64)> = report["points"]
        .as_array()
        .expect("points")
        .iter()
        .map(|p| {
            (
                p["mn"].as_str().unwrap_or_default().to_owned(),
                p["month"].as_str().unwrap_or_default().to_owned(),
                p["expected"].as_u64().unwrap_or_default(),
                p["received"].as_u64().unwrap_or_default(),
                p["valid"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    points.sort();
    let mut want: Vec<(String, String, u64, u64, u64)> = s
        .transmission
        .iter()
        .map(|p| {
            (
                p.mn.clone(),
                p.month.clone(),
                u64::from(p.expected),
                u64::from(p.received),
                u64::from(p.valid),
            )
        })
        .collect();
    want.sort();
    assert_eq!(points, want, "seed {seed}: transmission");
    let rejected: Vec<(String, u64)> = report["rejected"]
        .as_array()
        .expect("rejected")
        .iter()
        .map(|r| {
            let file = r["file"].as_str().unwrap_or_default();
            let name = std::path::Path::new(file)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            (name, r["line"].as_u64().unwrap_or_default())
        })
        .collect();
    let want: Vec<(String, u64)> = s
        .bad_lines
        .iter()
        .map(|(f, n)| (f.clone(), *n as u64))
        .collect();
    assert_eq!(rejected, want, "seed {seed}: {}", report["rejected"]);
    let anomalies = report["anomalies"].as_array().expect("anomalies");
    let overlaps = |a: &serde_json::Value, p: &yitu_monitoring::synthetic::Planted| {
        let (Some(start), Some(end)) = (
            a["start"]
                .as_str()
                .and_then(yitu_monitoring::time::Stamp::parse),
            a["end"]
                .as_str()
                .and_then(yitu_monitoring::time::Stamp::parse),
        ) else {
            return false;
        };
        a["kind"] == p.kind.code()
            && a["source_id"].as_str() == Some(p.source_id.as_str())
            && (p.code.is_none() || a["code"].as_str() == p.code.as_deref())
            && start < p.end
            && p.start < end
    };
    let mut out: BTreeMap<String, [usize; 4]> = BTreeMap::new();
    for p in &s.planted {
        let e = out.entry(p.kind.code().to_owned()).or_default();
        e[0] += 1;
        let hit = anomalies.iter().any(|a| overlaps(a, p));
        e[2] += usize::from(hit);
        if !hit {
            eprintln!("seed {seed}: missed {p:?}");
        }
    }
    for a in anomalies {
        let e = out
            .entry(a["kind"].as_str().unwrap_or_default().to_owned())
            .or_default();
        e[1] += 1;
        let hit = s.planted.iter().any(|p| overlaps(a, p));
        e[3] += usize::from(hit);
        if !hit {
            eprintln!("seed {seed}: unplanted {a}");
        }
    }
    out
}

fn check(seeds: &[u64]) {
    let mut total: BTreeMap<String, [usize; 4]> = BTreeMap::new();
    for &seed in seeds {
        for (k, v) in score(seed) {
            let e = total.entry(k).or_default();
            for i in 0..4 {
                e[i] += v[i];
            }
        }
    }
    for (kind, [planted, found, recalled, precise]) in &total {
        eprintln!(
            "{kind}: planted {planted}, found {found}, recall {:.3}, precision {:.3}",
            *recalled as f64 / (*planted).max(1) as f64,
            *precise as f64 / (*found).max(1) as f64
        );
    }
    for kind in Kind::ALL {
        let [planted, found, recalled, precise] =
            total.get(kind.code()).copied().unwrap_or_default();
        assert!(planted > 0, "{kind:?} was never planted");
        assert!(
            recalled * 10 >= planted * 9,
            "{kind:?}: recall {recalled}/{planted}"
        );
        assert!(
            precise * 10 >= found * 9,
            "{kind:?}: precision {precise}/{found}"
        );
    }
}

#[test]
fn the_independent_generators_tuning_seeds() {
    check(&[1, 2, 3]);
}

/// Seeds never looked at while the rules were written: their figures are read, not tuned on.
#[test]
fn the_independent_generators_held_out_seeds() {
    check(&[1001, 1002, 1003]);
}

#[test]
fn bad_input_is_named_by_file_and_line_and_the_rest_loads() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let write = |name: &str, bytes: &[u8]| {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).expect("written");
        p.to_str().expect("utf-8").to_owned()
    };
    let line = |mn: &str, time: &str, cod: &str| {
        yitu_monitoring::hj212::line(&format!(
            "QN=1;ST=32;CN=2061;PW=1;MN={mn};Flag=5;CP=&&DataTime={time};w01018-Avg={cod},w01018-Flag=N&&"
        ))
    };
    let good = line("MN1", "20250301100000", "20.5");
    let mut log = String::new();
    log += &good;
    log += &good[..good.len() - 10]; // truncated, no line end
    log += "\r\n";
    log += &good.replacen("20.5", "20.6", 1); // wrong CRC
    log += &line("MN9", "20250301110000", "20.5"); // unknown MN
    log += &line("MN1", "20990301110000", "20.5"); // in the future
    // The length does not match.
    let _ = write!(log, "##{:04}{}", good.len() - 13, &good[6..]);
    log += &line("MN1", "20250301110000", "21.0");
    let data = write("data.log", log.as_bytes());
    // A GBK CSV: the comment column in Chinese, a bad value on line 3.
    let (gbk, _, _) = encoding_rs::GBK.encode(
        "mn,time,code,value,flag,备注\nMN1,2025-03-01 12:00:00,w01018,22.0,N,正常\nMN1,2025-03-01 13:00:00,w01018,abc,N,错误\n",
    );
    let csv = write("data.csv", &gbk);
    let meters = write(
        "meters.csv",
        "source_id,meter_id,role,time,kw\nS1,m1,production,2025-03-01 10:00:00,100\nS1,m2,照明,2025-03-01 10:00:00,5\n"
            .as_bytes(),
    );
    let sources = write(
        "sources.csv",
        "id,category,district,mn,lon,lat\nS1,key,500101,MN1,106.5,29.5\n".as_bytes(),
    );
    let out = dir.path().join("out.json");
    let report = json(&yitu(&[
        "monitor",
        "--data",
        &data,
        &csv,
        "--meters",
        &meters,
        "--sources",
        &sources,
        "-o",
        out.to_str().expect("utf-8"),
        "--json",
    ]));
    let reasons: Vec<(String, u64, String)> = report["rejected"]
        .as_array()
        .expect("rejected")
        .iter()
        .map(|r| {
            (
                r["file"]
                    .as_str()
                    .unwrap_or_default()
                    .rsplit('/')
                    .next()
                    .unwrap_or_default()
                    .to_owned(),
                r["line"].as_u64().unwrap_or_default(),
                r["reason"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let has = |file: &str, line: u64, word: &str| {
        reasons
            .iter()
            .any(|(f, l, r)| f == file && *l == line && r.contains(word))
    };
    assert!(has("data.log", 2, "truncated"), "{reasons:?}");
    assert!(has("data.log", 3, "CRC"), "{reasons:?}");
    assert!(has("data.log", 4, "unknown MN"), "{reasons:?}");
    assert!(has("data.log", 5, "future"), "{reasons:?}");
    assert!(has("data.log", 6, "length"), "{reasons:?}");
    assert!(has("data.csv", 3, "bad value"), "{reasons:?}");
    assert!(has("meters.csv", 3, "unknown meter role"), "{reasons:?}");
    // The good lines loaded: hours 10, 11 from the log and 12 from the CSV.
    assert_eq!(report["points"][0]["received"], 3, "{}", report["points"]);
    // A file that is not there is named, and nothing is written.
    let missing = yitu(&[
        "monitor",
        "--data",
        "/nonexistent/x.log",
        "--sources",
        &sources,
        "-o",
        "/tmp/never.json",
    ]);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("/nonexistent/x.log"));
}
