//! Monitoring's figures (issue #21): HJ 212 logs parsed and CRC-checked, and the rules run over
//! a year of hourly data for 1,000 points × 6 parameters, with this process's peak memory.

use std::time::Instant;

use yitu_monitoring::context::{Context, Event, Source, Target};
use yitu_monitoring::files::Loader;
use yitu_monitoring::params::Flag;
use yitu_monitoring::power::{MeterReadings, Role};
use yitu_monitoring::rules::{Span, analyse};
use yitu_monitoring::series::Monitoring;
use yitu_monitoring::synthetic::{Spec, generate};
use yitu_monitoring::time::Stamp;

#[derive(Debug, serde::Serialize)]
pub struct MonitoringReport {
    pub log_mb: f64,
    /// Framing and CRC of every line alone.
    pub crc_mb_per_s: f64,
    /// Framing, CRC and parsing of every line, on every core (what `yitu monitor` does before
    /// it files the packets).
    pub parse_mb_per_s: f64,
    /// Framing, CRC, parsing and loading into the series.
    pub load_mb_per_s: f64,
    pub packets: usize,
    pub points: usize,
    pub parameters: usize,
    pub hours: usize,
    /// The eight rules and transmission over the year.
    pub scan_seconds: f64,
    pub anomalies: usize,
    /// Peak resident memory up to the end of the scan (the log parsed, the year loaded and
    /// judged), MB.
    pub scan_peak_memory_mb: Option<f64>,
    /// A month of minute data for 100 points × 6 parameters: loading it and the rules over it
    /// (hourly values from the minutes).
    pub minute_values: usize,
    pub minute_load_seconds: f64,
    pub minute_scan_seconds: f64,
    /// The year kept inside a project file: its size, writing it, reading it back.
    pub kept_mb: f64,
    pub keep_seconds: f64,
    pub restore_seconds: f64,
    /// Peak resident memory of the whole run (VmHWM, with the archive written and read back
    /// beside the year in memory), MB.
    pub peak_memory_mb: Option<f64>,
}

const POINTS: usize = 1000;
const CODES: [&str; 6] = ["w01018", "w21003", "w21011", "w21001", "w01001", "w00000"];

pub fn run() -> anyhow::Result<MonitoringReport> {
    // About 200 MB of log: 300 firms' hourly packets for two months, from the generator.
    let g = generate(&Spec::small(7, 300));
    let log = g.log.as_bytes();
    let start = Instant::now();
    let mut lines = 0_usize;
    for line in log.split(|&b| b == b'\n').filter(|l| l.len() > 2) {
        lines += usize::from(yitu_monitoring::hj212::frame(line).is_ok());
    }
    let crc_s = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let parsed = yitu_monitoring::files::parse_lines(log).1.len();
    let parse_s = start.elapsed().as_secs_f64();
    let mut loader = Loader::new(&g.context, Stamp::now());
    let start = Instant::now();
    loader.log("bench.log", log);
    let load_s = start.elapsed().as_secs_f64();
    let mb = log.len() as f64 / 1e6;
    drop(loader);
    drop(g);

    let (data, ctx, meters) = year();
    let power = meters.finish();
    let from = Stamp::parse("2025-01-01").map_or(0, Stamp::hour);
    let span = Span {
        from,
        to: from + 8760,
    };
    let start = Instant::now();
    let (_, anomalies) = analyse(&data, &power, &ctx, span);
    let scan_seconds = start.elapsed().as_secs_f64();
    let scan_peak_memory_mb = super::peak_memory_mb();
    let (minute_values, minute_load_seconds, minute_scan_seconds) = minutes(&ctx);
    let dir = tempfile::tempdir()?;
    let file = dir.path().join("year.gpkg");
    yitu_layers::Project {
        name: "year".to_owned(),
        ..Default::default()
    }
    .save(&file)?;
    let start = Instant::now();
    let bytes = yitu_monitoring::archive::encode(&data, &power, &ctx, &serde_json::Value::Null);
    yitu_layers::blobs::write_blob(&file, "monitoring", &bytes)?;
    let keep_seconds = start.elapsed().as_secs_f64();
    let kept_mb = bytes.len() as f64 / 1e6;
    drop(bytes);
    let start = Instant::now();
    let back = yitu_layers::blobs::read_blob(&file, "monitoring")?.unwrap_or_default();
    let restored = yitu_monitoring::archive::decode(&back)?;
    let restore_seconds = start.elapsed().as_secs_f64();
    anyhow::ensure!(
        restored.data.points.len() == POINTS,
        "the year did not read back"
    );
    Ok(MonitoringReport {
        log_mb: mb,
        crc_mb_per_s: mb / crc_s,
        parse_mb_per_s: mb / parse_s,
        load_mb_per_s: mb / load_s,
        packets: lines.min(parsed),
        points: POINTS,
        parameters: CODES.len(),
        hours: 8760,
        scan_seconds,
        anomalies: anomalies.len(),
        scan_peak_memory_mb,
        minute_values,
        minute_load_seconds,
        minute_scan_seconds,
        kept_mb,
        keep_seconds,
        restore_seconds,
        peak_memory_mb: super::peak_memory_mb(),
    })
}

/// A year of hourly values for 1,000 points × 6 parameters (weekday shifts, noise, a few
/// flatlines), each firm with a production meter and an inspection notice.
fn year() -> (Monitoring, Context, MeterReadings) {
    let from = Stamp::parse("2025-01-01").map_or(0, Stamp::hour);
    let mut data = Monitoring::default();
    let mut ctx = Context::default();
    let mut meters = MeterReadings::default();
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut noise = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x >> 11) as f64 / (1_u64 << 53) as f64 - 0.5
    };
    for p in 0..POINTS {
        let id = format!("Y{p:04}");
        let mn = format!("{:014}", 77_000_000_000_000_u64 + p as u64);
        let point = data.point_mut(&mn);
        for h in 0..8760_i64 {
            let hour = from + h;
            let runs = (hour.div_euclid(24) + 3).rem_euclid(7) < 5
                && (8..20).contains(&hour.rem_euclid(24));
            for (k, code) in CODES.iter().enumerate() {
                let level = [40.0, 3.0, 0.5, 12.0, 7.2, 30.0][k];
                let v = if runs {
                    level * (1.0 + 0.2 * noise())
                } else {
                    level
                };
                point.record_hour(hour, code, v as f32, Flag::Normal);
            }
            meters.add(
                &id,
                "p1",
                Role::Production,
                hour,
                if runs { 800.0 } else { 20.0 },
            );
        }
        ctx.events.push(Event {
            target: Target::Source(id.clone()),
            time: Stamp::of_hour(from + 200 * 24 + 9),
            kind: "inspection_notice".to_owned(),
        });
        ctx.sources.push(Source {
            id,
            category: Some("key".to_owned()),
            district: Some("500101".to_owned()),
            mns: vec![mn],
        });
    }
    (data, ctx, meters)
}

/// A month (30 days) of minute data for the first 100 firms' points: values recorded, then the
/// rules run; (values, load seconds, scan seconds).
fn minutes(ctx: &Context) -> (usize, f64, f64) {
    let from = Stamp::parse("2025-03-01").map_or(0, Stamp::hour);
    let mut data = Monitoring::default();
    let start = Instant::now();
    let mut n = 0;
    for s in ctx.sources.iter().take(100) {
        let point = data.point_mut(&s.mns[0]);
        for m in 0..30 * 24 * 60_i64 {
            let minute = from * 60 + m;
            for (k, code) in CODES.iter().enumerate() {
                let v = [40.0_f32, 3.0, 0.5, 12.0, 7.2, 30.0][k] * (1.0 + 0.01 * (m % 7) as f32);
                point.record_minute(minute, code, v, Flag::Normal);
                n += 1;
            }
        }
    }
    let load = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let span = Span {
        from,
        to: from + 30 * 24,
    };
    let _ = analyse(&data, &yitu_monitoring::power::Power::default(), ctx, span);
    (n, load, start.elapsed().as_secs_f64())
}
