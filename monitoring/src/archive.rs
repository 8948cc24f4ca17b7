//! A monitoring run kept in a project: the series (hourly and minute), the meters' power and
//! what they are judged against, in a compact binary form (little-endian; a value is an `f32`,
//! a flag a byte), so that a year of hourly data for 1,000 points × 6 parameters is about
//! 260 MB and reads back in a second.

use crate::context::Context;
use crate::power::{Power, Role, RolePower};
use crate::series::{Monitoring, Point, Series};

const MAGIC: &[u8; 8] = b"YITUMON1";

/// Why stored bytes are not a run.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error("not a Yitu monitoring archive")]
    NotAnArchive,
    #[error("the monitoring archive is cut short")]
    Truncated,
    #[error("the monitoring archive's settings are damaged: {0}")]
    Settings(String),
}

/// What a project keeps of a run.
pub struct Archived {
    pub data: Monitoring,
    pub power: Power,
    pub context: Context,
    /// Anything the app keeps with it (the folder and files it came from).
    pub meta: serde_json::Value,
}

/// The run as bytes.
pub fn encode(
    data: &Monitoring,
    power: &Power,
    context: &Context,
    meta: &serde_json::Value,
) -> Vec<u8> {
    let mut out = Vec::with_capacity(1 << 20);
    out.extend_from_slice(MAGIC);
    let settings = serde_json::json!({"context": context, "meta": meta}).to_string();
    put_str(&mut out, &settings);
    put_u32(&mut out, data.points.len());
    for p in &data.points {
        put_str(&mut out, &p.mn);
        for list in [&p.hourly, &p.minute] {
            put_u32(&mut out, list.len());
            for (code, s) in list {
                put_str(&mut out, code);
                put_series(&mut out, s);
            }
        }
        put_series(&mut out, &p.hours);
    }
    let entries = power.entries();
    put_u32(&mut out, entries.len());
    for (source, role, p) in entries {
        put_str(&mut out, source);
        out.push(u8::from(role == Role::Treatment));
        out.extend_from_slice(&p.usual_running.to_le_bytes());
        put_series(&mut out, &p.series);
    }
    out
}

/// The run the bytes hold.
pub fn decode(bytes: &[u8]) -> Result<Archived, ArchiveError> {
    let mut r = Reader { bytes, at: 0 };
    if r.take(MAGIC.len())? != MAGIC {
        return Err(ArchiveError::NotAnArchive);
    }
    let settings: serde_json::Value =
        serde_json::from_str(&r.string()?).map_err(|e| ArchiveError::Settings(e.to_string()))?;
    let context: Context = serde_json::from_value(settings["context"].clone())
        .map_err(|e| ArchiveError::Settings(e.to_string()))?;
    let mut data = Monitoring::default();
    for _ in 0..r.u32()? {
        let mn = r.string()?;
        let mut lists = [Vec::new(), Vec::new()];
        for list in &mut lists {
            for _ in 0..r.u32()? {
                let code = r.string()?;
                list.push((code, r.series()?));
            }
        }
        let hours = r.series()?;
        let [hourly, minute] = lists;
        *data.point_mut(&mn) = Point {
            mn: mn.clone(),
            hourly,
            minute,
            hours,
        };
    }
    let mut power = Power::default();
    for _ in 0..r.u32()? {
        let source = r.string()?;
        let role = if r.take(1)?[0] == 1 {
            Role::Treatment
        } else {
            Role::Production
        };
        let usual = f64::from_le_bytes(r.take(8)?.try_into().map_err(|_| ArchiveError::Truncated)?);
        let series = r.series()?;
        power.insert(
            source,
            role,
            RolePower {
                series,
                usual_running: usual,
            },
        );
    }
    Ok(Archived {
        data,
        power,
        context,
        meta: settings["meta"].clone(),
    })
}

fn put_u32(out: &mut Vec<u8>, n: usize) {
    out.extend_from_slice(&u32::try_from(n).unwrap_or(u32::MAX).to_le_bytes());
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_u32(out, s.len());
    out.extend_from_slice(s.as_bytes());
}

fn put_series(out: &mut Vec<u8>, s: &Series) {
    let (start, values, flags) = s.raw();
    out.extend_from_slice(&start.to_le_bytes());
    put_u32(out, values.len());
    for v in values {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(flags);
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], ArchiveError> {
        let end = self.at.checked_add(n).ok_or(ArchiveError::Truncated)?;
        let slice = self
            .bytes
            .get(self.at..end)
            .ok_or(ArchiveError::Truncated)?;
        self.at = end;
        Ok(slice)
    }

    fn u32(&mut self) -> Result<usize, ArchiveError> {
        let b: [u8; 4] = self
            .take(4)?
            .try_into()
            .map_err(|_| ArchiveError::Truncated)?;
        Ok(u32::from_le_bytes(b) as usize)
    }

    fn string(&mut self) -> Result<String, ArchiveError> {
        let n = self.u32()?;
        String::from_utf8(self.take(n)?.to_vec()).map_err(|_| ArchiveError::NotAnArchive)
    }

    fn series(&mut self) -> Result<Series, ArchiveError> {
        let start = i64::from_le_bytes(
            self.take(8)?
                .try_into()
                .map_err(|_| ArchiveError::Truncated)?,
        );
        let n = self.u32()?;
        let raw = self.take(n.checked_mul(4).ok_or(ArchiveError::Truncated)?)?;
        let values = raw
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        let flags = self.take(n)?.to_vec();
        Ok(Series::from_raw(start, values, flags))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{Span, analyse};
    use crate::synthetic::{Spec, generate};

    /// A run kept and read back judges exactly as the original.
    #[test]
    fn a_run_reads_back_as_it_was() {
        let g = generate(&Spec::small(5, 8));
        let mut loader = crate::files::Loader::new(&g.context, crate::time::Stamp::now());
        loader.log("a.log", g.log.as_bytes());
        let mut meters = crate::power::MeterReadings::default();
        for line in g.meters_csv.lines().skip(1) {
            let c: Vec<&str> = line.split(',').collect();
            let role = Role::parse(c[2]).expect("a role");
            let hour = crate::time::Stamp::parse(c[3]).expect("a time").hour();
            meters.add(c[0], c[1], role, hour, c[4].parse().expect("kW"));
        }
        let power = meters.finish();
        let bytes = encode(
            &loader.data,
            &power,
            &g.context,
            &serde_json::json!({"folder": "x"}),
        );
        let back = decode(&bytes).expect("decodes");
        assert_eq!(back.meta["folder"], "x");
        let span = Span {
            from: g.span.0,
            to: g.span.1,
        };
        assert_eq!(
            analyse(&back.data, &back.power, &back.context, span),
            analyse(&loader.data, &power, &g.context, span)
        );
        assert!(matches!(
            decode(&bytes[..bytes.len() / 2]),
            Err(ArchiveError::Truncated)
        ));
        assert!(matches!(
            decode(b"not this"),
            Err(ArchiveError::NotAnArchive)
        ));
    }
}
