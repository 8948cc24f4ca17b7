//! The rules on the project's own generated series: every planted anomaly found, nothing else
//! found, transmission exact, every corrupt line named. Seeds 1–4 are tuned on; 101–104 are
//! held out (their figures are only read, never tuned on).

use std::collections::BTreeMap;
use std::path::Path;

use yitu_monitoring::report::{Anomaly, Kind};
use yitu_monitoring::rules::{Span, analyse};
use yitu_monitoring::synthetic::{Generated, Planted, Spec, generate};
use yitu_monitoring::time::Stamp;
use yitu_monitoring::{files, files::Loader};

/// Generates, writes the files, reads them back as `yitu monitor` does, and analyses.
fn run(seed: u64) -> (Generated, yitu_monitoring::report::Report) {
    let g = generate(&Spec::small(seed, 30));
    let dir = tempfile::tempdir().expect("a temporary directory");
    let write = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).expect("written");
        p
    };
    let log = write("data.log", &g.log);
    let meters = write("meters.csv", &g.meters_csv);
    let periods = write("periods.csv", &g.periods_csv);
    let events = write("events.csv", &g.events_csv);
    let limits = write("limits.csv", &g.limits_csv);
    let mut ctx = g.context.clone();
    ctx.periods.clear();
    ctx.events.clear();
    ctx.limits.clear();
    let mut rejected = Vec::new();
    ctx.limits = files::limits(&limits, &mut rejected).expect("limits");
    ctx.periods = files::periods(&periods, &ctx, &mut rejected).expect("periods");
    ctx.events = files::events(&events, &ctx, &mut rejected).expect("events");
    let mut loader = Loader::new(&ctx, Stamp::parse("2026-01-01").expect("a date"));
    loader.data_file(&log).expect("the log");
    loader.meters_file(&meters).expect("the meters");
    rejected.extend(loader.rejected);
    let power = loader.meters.finish();
    let span = Span {
        from: g.span.0,
        to: g.span.1,
    };
    let (points, anomalies) = analyse(&loader.data, &power, &ctx, span);
    let _ = Path::new("");
    (
        g,
        yitu_monitoring::report::Report {
            points,
            anomalies,
            rejected,
        },
    )
}

fn matches(a: &Anomaly, p: &Planted) -> bool {
    a.kind == p.kind
        && a.source_id.as_deref() == Some(p.source_id.as_str())
        && (p.code.is_none() || a.code == p.code)
        && a.start < p.end
        && p.start < a.end
}

/// Per kind: (planted, found, planted found, found planted).
fn score(seeds: &[u64]) -> BTreeMap<Kind, [usize; 4]> {
    let mut out: BTreeMap<Kind, [usize; 4]> = BTreeMap::new();
    for &seed in seeds {
        let (g, report) = run(seed);
        for p in &g.planted {
            let e = out.entry(p.kind).or_default();
            e[0] += 1;
            e[2] += usize::from(report.anomalies.iter().any(|a| matches(a, p)));
        }
        for a in &report.anomalies {
            let e = out.entry(a.kind).or_default();
            e[1] += 1;
            e[3] += usize::from(g.planted.iter().any(|p| matches(a, p)));
            if !g.planted.iter().any(|p| matches(a, p)) {
                eprintln!("seed {seed}: unplanted {a:?}");
            }
        }
        for p in g
            .planted
            .iter()
            .filter(|p| !report.anomalies.iter().any(|a| matches(a, p)))
        {
            eprintln!("seed {seed}: missed {p:?}");
        }
        // Transmission is exact, and so are the corrupt lines.
        let mut want = g.transmission.clone();
        want.sort_by(|a, b| (&a.mn, &a.month).cmp(&(&b.mn, &b.month)));
        assert_eq!(report.points, want, "seed {seed}: transmission");
        let lines: Vec<usize> = report.rejected.iter().map(|r| r.line).collect();
        let want: Vec<usize> = g.bad_lines.iter().map(|b| b.line).collect();
        assert_eq!(
            lines, want,
            "seed {seed}: rejected lines {:?}",
            report.rejected
        );
    }
    out
}

fn check(seeds: &[u64]) {
    let scores = score(seeds);
    for (kind, [planted, found, recalled, precise]) in &scores {
        let recall = *recalled as f64 / (*planted).max(1) as f64;
        let precision = *precise as f64 / (*found).max(1) as f64;
        eprintln!(
            "{kind:?}: planted {planted}, found {found}, recall {recall:.3}, precision {precision:.3}"
        );
    }
    for (kind, [planted, found, recalled, precise]) in scores {
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
fn tuning_seeds() {
    check(&[1, 2, 3, 4]);
}

#[test]
fn held_out_seeds() {
    check(&[101, 102, 103, 104]);
}
