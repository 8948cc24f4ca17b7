//! An anomaly's evidence, for the case file: its values over the interval (with a day either
//! side) and the firm's power as CSV, the raw packets with their CRC as they came, the rule and
//! its figures as JSON, and the chart as PNG.

use std::fmt::Write as _;
use std::io::BufRead as _;
use std::path::{Path, PathBuf};

use yitu_monitoring::params::Flag;
use yitu_monitoring::power::Role;
use yitu_monitoring::report::Anomaly;
use yitu_monitoring::time::{DAY_HOURS, Stamp};

use super::monitoring::MonitoringRun;
use crate::jobs::Progress;

/// An hour's value and flag: `(hour, value, flag)`.
pub type HourValue = (i64, f32, Flag);

/// What the export needs, copied out of the run so the job owns it.
pub struct EvidenceInput {
    pub id: String,
    pub anomaly: Anomaly,
    pub data_files: Vec<PathBuf>,
    /// Per code, its hours over the window.
    pub values: Vec<(String, Vec<HourValue>)>,
    /// `(hour, production kW, treatment kW)` over the window.
    pub power: Vec<(i64, Option<f64>, Option<f64>)>,
    pub window: (i64, i64),
}

impl EvidenceInput {
    /// The evidence of `anomaly` (row id `id`) from `run`.
    pub fn of(run: &MonitoringRun, id: &str, anomaly: &Anomaly) -> Self {
        let window = (
            anomaly.start.hour() - DAY_HOURS,
            anomaly.end.hour() + DAY_HOURS,
        );
        let point = anomaly.mn.as_deref().and_then(|mn| run.data.point(mn));
        let values = point
            .map(|p| {
                p.hourly
                    .iter()
                    .filter(|(c, _)| anomaly.code.as_deref().is_none_or(|want| want == c))
                    .map(|(c, s)| {
                        let rows = (window.0..window.1)
                            .filter_map(|h| s.get(h).map(|(v, f)| (h, v, f)))
                            .collect();
                        (c.clone(), rows)
                    })
                    .collect()
            })
            .unwrap_or_default();
        let kw = |role| {
            anomaly
                .source_id
                .as_deref()
                .and_then(|s| run.power.of(s, role))
        };
        let (production, treatment) = (kw(Role::Production), kw(Role::Treatment));
        let power = (window.0..window.1)
            .map(|h| {
                (
                    h,
                    production.and_then(|p| p.kw(h)),
                    treatment.and_then(|t| t.kw(h)),
                )
            })
            .collect();
        Self {
            id: id.to_owned(),
            anomaly: anomaly.clone(),
            data_files: run.data_files.clone(),
            values,
            power,
            window,
        }
    }
}

/// Writes the evidence into `dir/<id>/`. Runs on a job thread.
pub fn export_monitoring_evidence(
    input: &EvidenceInput,
    dir: &Path,
    progress: &Progress,
) -> anyhow::Result<PathBuf> {
    let out = dir.join(&input.id);
    std::fs::create_dir_all(&out)?;
    progress.set(0.1, "values");
    let mut csv = String::from("time,code,value,flag\n");
    for (code, rows) in &input.values {
        for (h, v, f) in rows {
            let _ = writeln!(
                csv,
                "{},{code},{v},{}",
                Stamp::of_hour(*h).iso(),
                f.letter()
            );
        }
    }
    std::fs::write(out.join("values.csv"), csv)?;
    let mut power = String::from("time,production_kw,treatment_kw\n");
    for (h, p, t) in &input.power {
        let cell = |v: &Option<f64>| v.map(|v| format!("{v:.1}")).unwrap_or_default();
        let _ = writeln!(
            power,
            "{},{},{}",
            Stamp::of_hour(*h).iso(),
            cell(p),
            cell(t)
        );
    }
    std::fs::write(out.join("power.csv"), power)?;
    progress.set(0.3, "packets");
    std::fs::write(out.join("packets.log"), packets(input)?)?;
    std::fs::write(
        out.join("rule.json"),
        serde_json::to_string_pretty(&input.anomaly)?,
    )?;
    progress.set(0.8, "chart");
    chart(input).save(out.join("chart.png"))?;
    Ok(out)
}

/// The raw HJ 212 lines of the anomaly's point within the window, as `file:line<TAB>packet`.
fn packets(input: &EvidenceInput) -> anyhow::Result<String> {
    let mut text = String::new();
    let Some(mn) = input.anomaly.mn.as_deref() else {
        return Ok(text);
    };
    let needle = format!("MN={mn};");
    for path in input
        .data_files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "log"))
    {
        let file = std::io::BufReader::new(std::fs::File::open(path)?);
        for (n, line) in file.split(b'\n').enumerate() {
            let line = line?;
            let line = String::from_utf8_lossy(&line);
            if !line.contains(&needle) {
                continue;
            }
            let hour = line
                .find("DataTime=")
                .and_then(|i| line.get(i + 9..i + 23))
                .and_then(|t| Stamp::parse_compact(t.as_bytes()))
                .map(Stamp::hour);
            if hour.is_some_and(|h| h >= input.window.0 && h < input.window.1) {
                let _ = writeln!(text, "{}:{}\t{}", path.display(), n + 1, line.trim_end());
            }
        }
    }
    Ok(text)
}

/// The values (blue), the limit (red), the anomaly's hours (shaded red), hours not flagged N
/// (grey) and production power (green, scaled to the plot) over the window.
fn chart(input: &EvidenceInput) -> image::RgbImage {
    let (w, h) = (1200_u32, 500_u32);
    let mut img = image::RgbImage::from_pixel(w, h, image::Rgb([255, 255, 255]));
    let (x0, x1) = input.window;
    let span = (x1 - x0).max(1) as f64;
    let x_of = |hour: i64| ((hour - x0) as f64 / span * f64::from(w - 1)) as u32;
    let (a, b) = (input.anomaly.start.hour(), input.anomaly.end.hour());
    for hour in a.max(x0)..b.min(x1) {
        for x in x_of(hour)..=x_of(hour + 1).min(w - 1) {
            for y in 0..h {
                img.put_pixel(x, y, image::Rgb([255, 225, 225]));
            }
        }
    }
    let Some((_, rows)) = input.values.first() else {
        return img;
    };
    let limit = input.anomaly.limit.filter(|_| input.anomaly.code.is_some());
    let top = rows
        .iter()
        .map(|(_, v, _)| f64::from(*v))
        .chain(limit)
        .fold(f64::MIN, f64::max)
        .max(1e-9)
        * 1.1;
    let bottom = rows
        .iter()
        .map(|(_, v, _)| f64::from(*v))
        .fold(0.0, f64::min);
    let y_of = |v: f64| {
        let t = (v - bottom) / (top - bottom);
        (f64::from(h - 1) * (1.0 - t)).clamp(0.0, f64::from(h - 1)) as u32
    };
    for (hour, _, flag) in rows.iter().filter(|(_, _, f)| !f.is_valid()) {
        let _ = flag;
        for y in h - 20..h {
            img.put_pixel(x_of(*hour), y, image::Rgb([160, 160, 160]));
        }
    }
    let kw_top = input.power.iter().filter_map(|p| p.1).fold(1e-9, f64::max);
    let mut line = |points: Vec<(u32, u32)>, colour: [u8; 3]| {
        for pair in points.windows(2) {
            let ((ax, ay), (bx, by)) = (pair[0], pair[1]);
            let steps = ax.abs_diff(bx).max(ay.abs_diff(by)).max(1);
            for s in 0..=steps {
                let t = f64::from(s) / f64::from(steps);
                let x = (f64::from(ax) + t * (f64::from(bx) - f64::from(ax))) as u32;
                let y = (f64::from(ay) + t * (f64::from(by) - f64::from(ay))) as u32;
                img.put_pixel(x.min(w - 1), y.min(h - 1), image::Rgb(colour));
            }
        }
    };
    line(
        input
            .power
            .iter()
            .filter_map(|(hour, p, _)| {
                Some((
                    x_of(*hour),
                    (f64::from(h - 1) * (1.0 - (*p)? / kw_top * 0.9)) as u32,
                ))
            })
            .collect(),
        [60, 170, 80],
    );
    line(
        rows.iter()
            .map(|(hour, v, _)| (x_of(*hour), y_of(f64::from(*v))))
            .collect(),
        [30, 90, 200],
    );
    if let Some(l) = limit {
        line(vec![(0, y_of(l)), (w - 1, y_of(l))], [220, 40, 40]);
    }
    img
}
