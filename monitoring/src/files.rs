//! The monitoring files, read with every bad line named (file as given, line from 1, problem)
//! and the good ones still loaded: HJ 212 logs, the hourly CSV form, meters, halt periods,
//! events, limits and the MN map. CSV files may be UTF-8 or GBK.

use std::path::Path;

use rayon::prelude::*;
use rustc_hash::FxHashSet;

use crate::context::{Context, Event, Limit, Period, PeriodKind};
use crate::hj212::{self, Command, Reject};
use crate::params::Flag;
use crate::power::{MeterReadings, Role};
use crate::report::Rejected;
use crate::series::Monitoring;
use crate::time::{HOUR, Stamp};

/// 2000-01-01 00:00 +08:00: data before it comes from a clock never set.
const EARLIEST: Stamp = Stamp(946_684_800);

/// A file that cannot be read at all.
#[derive(Debug, thiserror::Error)]
pub enum FilesError {
    #[error("cannot read {path}: {error}")]
    Io { path: String, error: std::io::Error },
    #[error("{path}: {problem}")]
    Header { path: String, problem: String },
}

/// Data and meters loaded so far, and what was turned away.
pub struct Loader {
    pub data: Monitoring,
    pub meters: MeterReadings,
    pub rejected: Vec<Rejected>,
    /// Every MN the firms name: a packet from another is not loaded.
    known: FxHashSet<String>,
    sources: FxHashSet<String>,
    /// Packets timed after this are from a wrong clock.
    latest: Stamp,
}

impl Loader {
    /// A loader for the firms of `ctx`, taking `now` as the present.
    pub fn new(ctx: &Context, now: Stamp) -> Self {
        Self {
            data: Monitoring::default(),
            meters: MeterReadings::default(),
            rejected: Vec::new(),
            known: ctx
                .sources
                .iter()
                .flat_map(|s| s.mns.iter().cloned())
                .collect(),
            sources: ctx.sources.iter().map(|s| s.id.clone()).collect(),
            latest: Stamp(now.0 + HOUR),
        }
    }

    fn reject(&mut self, file: &str, line: usize, reason: String) {
        self.rejected.push(Rejected {
            file: file.to_owned(),
            line,
            reason,
        });
    }

    /// Why a data time cannot be right: after now (a clock ahead), or before 2000 (a clock
    /// never set; the data would also stretch the period analysed over decades).
    fn implausible(&self, time: Stamp) -> Option<String> {
        if time > self.latest {
            Some(format!("time in the future: {}", time.iso()))
        } else if time < EARLIEST {
            Some(format!(
                "time before 2000, a clock never set: {}",
                time.iso()
            ))
        } else {
            None
        }
    }

    /// A data file: `.csv` is the hourly CSV form (`mn,time,code,value,flag`), anything else
    /// an HJ 212 log.
    pub fn data_file(&mut self, path: &Path) -> Result<(), FilesError> {
        let name = path.display().to_string();
        if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
        {
            let bytes = read(path)?;
            return self.data_csv(&name, &bytes);
        }
        // A log is read a block at a time: a year of a city's packets is gigabytes.
        let file = std::fs::File::open(path).map_err(|error| FilesError::Io {
            path: name.clone(),
            error,
        })?;
        self.read_log(&name, file, BLOCK)
    }

    /// An HJ 212 log read from `reader` about `block` bytes at a time (whole lines).
    fn read_log(
        &mut self,
        name: &str,
        mut reader: impl std::io::Read,
        block: usize,
    ) -> Result<(), FilesError> {
        let mut buffer = Vec::with_capacity(block);
        let mut first_line = 1;
        loop {
            let had = buffer.len();
            buffer.resize(had + block, 0);
            let got = reader
                .read(&mut buffer[had..])
                .map_err(|error| FilesError::Io {
                    path: name.to_owned(),
                    error,
                })?;
            buffer.truncate(had + got);
            let end = if got == 0 {
                buffer.len()
            } else {
                match buffer.iter().rposition(|&b| b == b'\n') {
                    Some(i) => i + 1,
                    None => continue,
                }
            };
            first_line += self.log_lines(name, &buffer[..end], first_line);
            buffer.drain(..end);
            if got == 0 {
                return Ok(());
            }
        }
    }

    /// An HJ 212 log: one packet per line (anything before its `##`, such as a receive time,
    /// is skipped). Packets that are not data (acknowledgements, heartbeats) are passed over.
    pub fn log(&mut self, file: &str, bytes: &[u8]) {
        // Reading from memory cannot fail.
        let _ = self.read_log(file, bytes, BLOCK);
    }

    /// The lines of `bytes` (whole lines, the first numbered `first_line`) loaded; how many
    /// lines there were.
    fn log_lines(&mut self, file: &str, bytes: &[u8], first_line: usize) -> usize {
        let (lines, parsed) = parse_lines(bytes);
        for (n, packet) in parsed {
            match packet {
                Ok(p) => self.packet(file, first_line - 1 + n, &p),
                Err(Reject::NotData(_)) => {}
                Err(e) => self.reject(file, first_line - 1 + n, e.to_string()),
            }
        }
        lines
    }

    fn packet(&mut self, file: &str, line: usize, p: &hj212::Packet) {
        if !self.known.contains(&p.mn) {
            self.reject(file, line, format!("unknown MN {}", p.mn));
            return;
        }
        if let Some(why) = self.implausible(p.time) {
            self.reject(file, line, why);
            return;
        }
        let point = self.data.point_mut(&p.mn);
        for r in &p.readings {
            let Some(value) = r.value else { continue };
            match p.command {
                Command::Hourly => point.record_hour(p.time.hour(), &r.code, value as f32, r.flag),
                Command::Minute | Command::RealTime => {
                    point.record_minute(p.time.0.div_euclid(60), &r.code, value as f32, r.flag);
                }
                Command::Daily => {}
            }
        }
    }

    /// The hourly CSV form: `mn,time,code,value,flag` (flag N when empty).
    pub fn data_csv(&mut self, file: &str, bytes: &[u8]) -> Result<(), FilesError> {
        let table = Table::read(file, bytes, &["mn", "time", "code", "value"])?;
        for (line, row) in table.rows() {
            let (mn, time, code, value) = (row[0], row[1], row[2], row[3]);
            let flag = table.get(&row, "flag").unwrap_or("N");
            let Some(stamp) = Stamp::parse(time) else {
                self.reject(file, line, format!("bad time `{time}`"));
                continue;
            };
            let Ok(value) = value.trim().parse::<f64>() else {
                self.reject(file, line, format!("bad value `{value}`"));
                continue;
            };
            let Some(flag) = Flag::parse(if flag.trim().is_empty() { "N" } else { flag }) else {
                self.reject(file, line, format!("unknown data flag `{flag}`"));
                continue;
            };
            if !self.known.contains(mn.trim()) {
                self.reject(file, line, format!("unknown MN {mn}"));
                continue;
            }
            if let Some(why) = self.implausible(stamp) {
                self.reject(file, line, why);
                continue;
            }
            self.data.point_mut(mn.trim()).record_hour(
                stamp.hour(),
                code.trim(),
                value as f32,
                flag,
            );
        }
        Ok(())
    }

    /// Electricity meters: `source_id,meter_id,role,time,kw`, role `production` or
    /// `treatment`.
    pub fn meters_file(&mut self, path: &Path) -> Result<(), FilesError> {
        let file = path.display().to_string();
        let bytes = read(path)?;
        let table = Table::read(
            &file,
            &bytes,
            &["source_id", "meter_id", "role", "time", "kw"],
        )?;
        for (line, row) in table.rows() {
            let Some(role) = Role::parse(row[2]) else {
                self.reject(
                    &file,
                    line,
                    format!("unknown meter role `{}` (production or treatment)", row[2]),
                );
                continue;
            };
            let Some(stamp) = Stamp::parse(row[3]) else {
                self.reject(&file, line, format!("bad time `{}`", row[3]));
                continue;
            };
            let Ok(kw) = row[4].trim().parse::<f64>() else {
                self.reject(&file, line, format!("bad kW `{}`", row[4]));
                continue;
            };
            if !self.sources.contains(row[0].trim()) {
                self.reject(&file, line, format!("unknown source `{}`", row[0]));
                continue;
            }
            self.meters
                .add(row[0].trim(), row[1].trim(), role, stamp.hour(), kw);
        }
        Ok(())
    }
}

/// A line of a log: its number, and its packet or why it is none.
pub type ParsedLine = (usize, Result<hj212::Packet, Reject>);

/// A log is read and parsed this many bytes at a time (whole lines).
const BLOCK: usize = 32 << 20;

/// The lines of a piece of log (whole lines), and every non-blank one framed and parsed on
/// every core: (line number from 1, packet or why not).
pub fn parse_lines(bytes: &[u8]) -> (usize, Vec<ParsedLine>) {
    let body = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    let all: Vec<&[u8]> = body.split(|&b| b == b'\n').collect();
    let count = if bytes.is_empty() { 0 } else { all.len() };
    let lines: Vec<(usize, &[u8])> = all
        .into_iter()
        .enumerate()
        .map(|(i, l)| (i + 1, l))
        .filter(|(_, l)| !l.iter().all(u8::is_ascii_whitespace))
        .collect();
    let parsed = lines
        .par_iter()
        .map(|&(n, line)| {
            let from = line.windows(2).position(|w| w == b"##").unwrap_or(0);
            (n, hj212::frame(&line[from..]).and_then(hj212::parse))
        })
        .collect();
    (count, parsed)
}

/// The files that say what the data is judged against, each optional.
#[derive(Debug, Clone, Default)]
pub struct ContextFiles {
    pub mn_map: Option<std::path::PathBuf>,
    pub limits: Option<std::path::PathBuf>,
    pub periods: Option<std::path::PathBuf>,
    pub events: Option<std::path::PathBuf>,
}

/// The firms `sources` with the MN map's points added, and the limits, periods and events of
/// `files`; bad lines go to `rejected`.
pub fn context(
    sources: Vec<crate::context::Source>,
    files: &ContextFiles,
    rejected: &mut Vec<Rejected>,
) -> Result<Context, FilesError> {
    let mut ctx = Context {
        sources,
        ..Context::default()
    };
    if let Some(path) = &files.mn_map {
        for (mn, id) in mn_map(path, rejected)? {
            match ctx.sources.iter_mut().find(|s| s.id == id) {
                Some(s) if !s.mns.contains(&mn) => s.mns.push(mn),
                Some(_) => {}
                None => rejected.push(Rejected {
                    file: path.display().to_string(),
                    line: 0,
                    reason: format!("MN {mn}: unknown source `{id}`"),
                }),
            }
        }
    }
    if let Some(path) = &files.limits {
        ctx.limits = limits(path, rejected)?;
    }
    if let Some(path) = &files.periods {
        ctx.periods = periods(path, &ctx, rejected)?;
    }
    if let Some(path) = &files.events {
        ctx.events = events(path, &ctx, rejected)?;
    }
    Ok(ctx)
}

/// The MN map: `mn,source_id`.
pub fn mn_map(
    path: &Path,
    rejected: &mut Vec<Rejected>,
) -> Result<Vec<(String, String)>, FilesError> {
    let file = path.display().to_string();
    let bytes = read(path)?;
    let table = Table::read(&file, &bytes, &["mn", "source_id"])?;
    let mut out = Vec::new();
    for (line, row) in table.rows() {
        if row[0].trim().is_empty() || row[1].trim().is_empty() {
            rejected.push(Rejected {
                file: file.clone(),
                line,
                reason: "empty mn or source_id".into(),
            });
            continue;
        }
        out.push((row[0].trim().to_owned(), row[1].trim().to_owned()));
    }
    Ok(out)
}

/// Limits: `source_id,code,limit,unit`, the first column a source id or a category.
pub fn limits(path: &Path, rejected: &mut Vec<Rejected>) -> Result<Vec<Limit>, FilesError> {
    let file = path.display().to_string();
    let bytes = read(path)?;
    let table = Table::read(&file, &bytes, &["source_id", "code", "limit"])?;
    let mut out = Vec::new();
    for (line, row) in table.rows() {
        let Ok(limit) = row[2].trim().parse::<f64>() else {
            rejected.push(Rejected {
                file: file.clone(),
                line,
                reason: format!("bad limit `{}`", row[2]),
            });
            continue;
        };
        out.push(Limit {
            applies_to: row[0].trim().to_owned(),
            code: row[1].trim().to_owned(),
            limit,
            unit: table.get(&row, "unit").unwrap_or("").trim().to_owned(),
        });
    }
    Ok(out)
}

/// Halt and limit periods: `source_id,start,end,kind` (a source id or a district code; kind
/// `halt` or `limit:<percent>`). An end given as a date includes that day.
pub fn periods(
    path: &Path,
    ctx: &Context,
    rejected: &mut Vec<Rejected>,
) -> Result<Vec<Period>, FilesError> {
    let file = path.display().to_string();
    let bytes = read(path)?;
    let table = Table::read(&file, &bytes, &["source_id", "start", "end", "kind"])?;
    let mut out = Vec::new();
    for (line, row) in table.rows() {
        let bad = |what: String| Rejected {
            file: file.clone(),
            line,
            reason: what,
        };
        let (Some(start), Some(mut end)) = (Stamp::parse(row[1]), Stamp::parse(row[2])) else {
            rejected.push(bad(format!("bad start or end `{}` `{}`", row[1], row[2])));
            continue;
        };
        if row[2].trim().len() == 10 {
            end = Stamp(end.0 + 86_400);
        }
        let Some(kind) = PeriodKind::parse(row[3]) else {
            rejected.push(bad(format!(
                "unknown kind `{}` (halt or limit:<percent>)",
                row[3]
            )));
            continue;
        };
        if end <= start {
            rejected.push(bad("the period ends before it starts".into()));
            continue;
        }
        out.push(Period {
            target: ctx.target(row[0]),
            start,
            end,
            kind,
        });
    }
    Ok(out)
}

/// Announced inspections and published draws: `source_id,time,kind` (a source id or a
/// district code).
pub fn events(
    path: &Path,
    ctx: &Context,
    rejected: &mut Vec<Rejected>,
) -> Result<Vec<Event>, FilesError> {
    let file = path.display().to_string();
    let bytes = read(path)?;
    let table = Table::read(&file, &bytes, &["source_id", "time"])?;
    let mut out = Vec::new();
    for (line, row) in table.rows() {
        let Some(time) = Stamp::parse(row[1]) else {
            rejected.push(Rejected {
                file: file.clone(),
                line,
                reason: format!("bad time `{}`", row[1]),
            });
            continue;
        };
        out.push(Event {
            target: ctx.target(row[0]),
            time,
            kind: table.get(&row, "kind").unwrap_or("").trim().to_owned(),
        });
    }
    Ok(out)
}

fn read(path: &Path) -> Result<Vec<u8>, FilesError> {
    std::fs::read(path).map_err(|error| FilesError::Io {
        path: path.display().to_string(),
        error,
    })
}

/// A CSV file decoded (UTF-8, else GBK) through the csv crate, with the columns a reader needs
/// found by name.
struct Table {
    header: Vec<String>,
    records: Vec<(usize, csv::StringRecord)>,
    /// Where each needed column is.
    needed: Vec<usize>,
}

impl Table {
    fn read(file: &str, bytes: &[u8], needed: &[&str]) -> Result<Self, FilesError> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let text = match std::str::from_utf8(bytes) {
            Ok(t) => std::borrow::Cow::Borrowed(t),
            Err(_) => encoding_rs::GBK.decode(bytes).0,
        };
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let bad = |problem: String| FilesError::Header {
            path: file.to_owned(),
            problem,
        };
        let header: Vec<String> = reader
            .headers()
            .map_err(|e| bad(e.to_string()))?
            .iter()
            .map(str::to_lowercase)
            .collect();
        let needed = needed
            .iter()
            .map(|n| {
                header.iter().position(|h| h == n).ok_or_else(|| {
                    bad(format!(
                        "no `{n}` column in the header (columns: {})",
                        header.join(",")
                    ))
                })
            })
            .collect::<Result<_, _>>()?;
        let mut records = Vec::new();
        for r in reader.records() {
            let r = r.map_err(|e| bad(e.to_string()))?;
            let line = r
                .position()
                .map_or(0, |p| usize::try_from(p.line()).unwrap_or(0));
            if r.iter().any(|c| !c.is_empty()) {
                records.push((line, r));
            }
        }
        Ok(Self {
            header,
            records,
            needed,
        })
    }

    /// Each data line with its number (from 1; the header is line 1): the needed columns in
    /// order, then every column.
    fn rows(&self) -> impl Iterator<Item = (usize, Vec<&str>)> + '_ {
        self.records.iter().map(|(line, r)| {
            let mut row: Vec<&str> = self
                .needed
                .iter()
                .map(|&k| r.get(k).unwrap_or(""))
                .collect();
            row.extend(r.iter());
            (*line, row)
        })
    }

    /// An optional column's cell of `row`.
    fn get<'r>(&self, row: &[&'r str], name: &str) -> Option<&'r str> {
        let k = self.header.iter().position(|h| h == name)?;
        row.get(self.needed.len() + k).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synthetic::{Spec, generate};

    /// Read in blocks of any size, a log gives the same data and names the same lines.
    #[test]
    fn blocks_of_any_size_read_the_same() {
        let g = generate(&Spec::small(9, 3));
        let bytes = &g.log.as_bytes()[..200_000];
        let whole = {
            let mut l = Loader::new(&g.context, Stamp::now());
            l.read_log("a.log", bytes, bytes.len() + 1).expect("read");
            l
        };
        for block in [97, 4096] {
            let mut l = Loader::new(&g.context, Stamp::now());
            l.read_log("a.log", bytes, block).expect("read");
            assert_eq!(l.rejected, whole.rejected, "block {block}");
            let hours = |l: &Loader| -> usize {
                l.data.points.iter().map(|p| p.hours.iter().count()).sum()
            };
            assert_eq!(hours(&l), hours(&whole), "block {block}");
        }
        assert!(!whole.rejected.is_empty() || bytes.len() < 1000);
    }
}
