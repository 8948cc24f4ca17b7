//! HJ 212-2017 packets as platforms log them, one per line: `##`, the data segment's length in
//! four decimal digits, the data segment, its CRC16 in four hex digits, CRLF.
//!
//! The CRC is HJ 212's own: start 0xFFFF; per byte, `crc = (crc >> 8) ^ byte`, then eight times
//! shift right and XOR 0xA001 when the bit shifted out was 1. After the first step the register
//! is below 256, so the eight steps are a function of one byte: a 256-entry table does them.

use crate::params::Flag;
use crate::time::Stamp;

/// The command of a data packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Command {
    /// 2011: real-time data.
    RealTime,
    /// 2051: minute data.
    Minute,
    /// 2061: hourly data.
    Hourly,
    /// 2031: daily data.
    Daily,
}

impl Command {
    fn parse(cn: &[u8]) -> Option<Self> {
        Some(match cn {
            b"2011" => Self::RealTime,
            b"2051" => Self::Minute,
            b"2061" => Self::Hourly,
            b"2031" => Self::Daily,
            _ => return None,
        })
    }
}

/// One parameter's value in a packet, from `<code>-Rtd` or `<code>-Avg` and `<code>-Flag`.
/// `-Min`, `-Max` and `-Cou` are passed over: no rule judges them (an exceedance is judged on
/// the hourly average), and not parsing them keeps reading fast.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    pub code: String,
    /// The value the packet stands for: the average (minute, hourly, daily data) or the
    /// real-time value.
    pub value: Option<f64>,
    /// A missing flag is N, as the standard's default.
    pub flag: Flag,
}

/// A data packet.
#[derive(Debug, Clone, PartialEq)]
pub struct Packet {
    pub mn: String,
    pub command: Command,
    pub time: Stamp,
    pub readings: Vec<Reading>,
}

/// Why a line is not a packet.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Reject {
    #[error("not a packet: it does not start with ## and four length digits")]
    NoHeader,
    #[error("truncated: the header says {said} bytes of data, the line has {got} before its CRC")]
    Truncated { said: usize, got: usize },
    #[error("length does not match: the header says {said} bytes of data, the line has {got}")]
    Length { said: usize, got: usize },
    #[error("bad CRC: the packet says {said}, its data give {computed:04X}")]
    Crc { said: String, computed: u16 },
    #[error("the data segment is not ASCII")]
    NotAscii,
    #[error("no {0} in the data segment")]
    Missing(&'static str),
    #[error("not a data packet (CN={0})")]
    NotData(String),
    #[error("bad DataTime `{0}`")]
    Time(String),
    #[error("bad value `{value}` of {field}")]
    Value { field: String, value: String },
    #[error("unknown data flag `{0}`")]
    Flag(String),
}

const CRC_TABLE: [u16; 256] = crc_table();

const fn crc_table() -> [u16; 256] {
    let mut table = [0_u16; 256];
    let mut i = 0;
    while i < 256 {
        let mut crc = i as u16;
        let mut bit = 0;
        while bit < 8 {
            let out = crc & 1;
            crc >>= 1;
            if out == 1 {
                crc ^= 0xA001;
            }
            bit += 1;
        }
        table[i] = crc;
        i += 1;
    }
    table
}

/// HJ 212's CRC16 of `data`.
pub fn crc16(data: &[u8]) -> u16 {
    data.iter().fold(0xFFFF_u16, |crc, &b| {
        CRC_TABLE[usize::from((crc >> 8) ^ u16::from(b))]
    })
}

/// The data segment of a logged packet line (without its line end), checked: length and CRC.
pub fn frame(line: &[u8]) -> Result<&[u8], Reject> {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    if line.len() < 6 || &line[..2] != b"##" || !line[2..6].iter().all(u8::is_ascii_digit) {
        return Err(Reject::NoHeader);
    }
    let said = line[2..6]
        .iter()
        .fold(0_usize, |n, d| n * 10 + usize::from(d - b'0'));
    let body = &line[6..];
    if body.len() < said + 4 {
        return Err(Reject::Truncated {
            said,
            got: body.len().saturating_sub(4),
        });
    }
    if body.len() != said + 4 {
        return Err(Reject::Length {
            said,
            got: body.len() - 4,
        });
    }
    let (data, crc) = body.split_at(said);
    let computed = crc16(data);
    let said_crc = std::str::from_utf8(crc)
        .ok()
        .and_then(|s| u16::from_str_radix(s, 16).ok());
    if said_crc != Some(computed) {
        return Err(Reject::Crc {
            said: String::from_utf8_lossy(crc).into_owned(),
            computed,
        });
    }
    Ok(data)
}

/// The packet a data segment holds: `QN=…;ST=…;CN=…;PW=…;MN=…;Flag=…;CP=&&DataTime=…;…&&`.
pub fn parse(segment: &[u8]) -> Result<Packet, Reject> {
    let text = std::str::from_utf8(segment).map_err(|_| Reject::NotAscii)?;
    let (head, cp) = text.split_once("CP=&&").ok_or(Reject::Missing("CP"))?;
    let cp = cp
        .strip_suffix("&&")
        .ok_or(Reject::Missing("CP's closing &&"))?;
    let mut mn = None;
    let mut cn = None;
    for field in head.split(';') {
        match field.split_once('=') {
            Some(("MN", v)) => mn = Some(v),
            Some(("CN", v)) => cn = Some(v),
            _ => {}
        }
    }
    let mn = mn.filter(|m| !m.is_empty()).ok_or(Reject::Missing("MN"))?;
    let cn = cn.ok_or(Reject::Missing("CN"))?;
    let command = Command::parse(cn.as_bytes()).ok_or_else(|| Reject::NotData(cn.to_owned()))?;
    let mut time = None;
    let mut readings: Vec<Reading> = Vec::with_capacity(8);
    // Parameters are separated by ';', a parameter's fields by ','.
    for field in cp.split([';', ',']).filter(|f| !f.is_empty()) {
        let (key, value) = field.split_once('=').ok_or_else(|| Reject::Value {
            field: field.to_owned(),
            value: String::new(),
        })?;
        if key == "DataTime" {
            time = Some(
                Stamp::parse_compact(value.as_bytes())
                    .ok_or_else(|| Reject::Time(value.to_owned()))?,
            );
            continue;
        }
        let Some((code, kind)) = key.rsplit_once('-') else {
            continue;
        };
        if !matches!(kind, "Rtd" | "Avg" | "Flag") {
            continue;
        }
        // A parameter's fields come together: look at the last one first.
        let at = if let Some(i) = readings.iter().rposition(|r| r.code == code) {
            i
        } else {
            readings.push(Reading {
                code: code.to_owned(),
                value: None,
                flag: Flag::Normal,
            });
            readings.len() - 1
        };
        let r = &mut readings[at];
        if kind == "Flag" {
            r.flag = Flag::parse(value).ok_or_else(|| Reject::Flag(value.to_owned()))?;
        } else {
            r.value = Some(
                value
                    .parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite())
                    .ok_or_else(|| Reject::Value {
                        field: key.to_owned(),
                        value: value.to_owned(),
                    })?,
            );
        }
    }
    Ok(Packet {
        mn: mn.to_owned(),
        command,
        time: time.ok_or(Reject::Missing("DataTime"))?,
        readings,
    })
}

/// A packet line for `segment` (the generator's and the tests' way of writing one).
pub fn line(segment: &str) -> String {
    format!(
        "##{:04}{segment}{:04X}\r\n",
        segment.len(),
        crc16(segment.as_bytes())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example of HJ 212-2017 itself, with its published CRC.
    const EXAMPLE: &str = "##0101QN=20160801085857223;ST=32;CN=1062;PW=100000;\
        MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&1C80\r\n";

    #[test]
    fn the_standards_example_checks() {
        let segment = frame(EXAMPLE.as_bytes()).expect("the example frames");
        assert_eq!(crc16(segment), 0x1C80);
        assert_eq!(parse(segment), Err(Reject::NotData("1062".into())));
        assert_eq!(line(std::str::from_utf8(segment).expect("ascii")), EXAMPLE);
    }

    #[test]
    fn an_hourly_packet_parses_and_bad_lines_are_named() {
        let seg = "QN=20240301100000000;ST=32;CN=2061;PW=123456;MN=88888880000001;Flag=4;\
                   CP=&&DataTime=20240301090000;w01018-Avg=25.3,w01018-Min=20.1,\
                   w01018-Max=30.2,w01018-Flag=N;w00000-Avg=12.5,w00000-Flag=M&&";
        let good = line(seg);
        let p = parse(frame(good.as_bytes()).expect("frames")).expect("parses");
        assert_eq!(p.command, Command::Hourly);
        assert_eq!(p.mn, "88888880000001");
        assert_eq!(p.time.iso(), "2024-03-01T09:00:00+08:00");
        assert_eq!(p.readings.len(), 2);
        assert_eq!(p.readings[0].value, Some(25.3));
        assert_eq!(p.readings[0].flag, Flag::Normal);
        assert_eq!(p.readings[1].flag, Flag::Maintenance);
        // Lower-case CRC digits are the same CRC.
        let lower = format!(
            "{}{}\r\n",
            &good[..good.len() - 6],
            good[good.len() - 6..good.len() - 2].to_lowercase()
        );
        assert!(frame(lower.as_bytes()).is_ok());
        let truncated = &good[..good.len() - 20];
        assert!(matches!(
            frame(truncated.as_bytes()),
            Err(Reject::Truncated { .. })
        ));
        let flipped = good.replacen("25.3", "25.4", 1);
        assert!(matches!(frame(flipped.as_bytes()), Err(Reject::Crc { .. })));
        let longer = good.replacen("##", "##0", 1).replacen(
            &format!("{:04}", seg.len()),
            &format!("{:03}", seg.len() - 1),
            1,
        );
        assert!(frame(longer.as_bytes()).is_err());
    }
}
