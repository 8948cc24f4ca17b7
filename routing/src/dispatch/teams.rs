//! The teams a plan sends out: their district office, shift, lunch, how many targets a day
//! they can take, skills and members, from a CSV roster.

use std::path::Path;

use crate::RoutingError;

/// Minutes since midnight.
pub type Minutes = f64;

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Team {
    pub id: String,
    pub name: String,
    pub district: String,
    /// The district office (WGS84 lon/lat): where the team leaves from and comes back to.
    pub office: [f64; 2],
    pub shift: (Minutes, Minutes),
    /// Lunch of `lunch_minutes`, to start within this window.
    pub lunch: (Minutes, Minutes),
    pub lunch_minutes: Minutes,
    pub max_targets: u32,
    /// E.g. `radiation`: categories that need it go only to teams that have it.
    pub skills: Vec<String>,
    /// Inspector ids: a task whose drawn inspectors are in a team goes to that team.
    pub inspectors: Vec<String>,
    /// The office's telephone, printed on the team's task sheets; empty when not known.
    pub phone: String,
}

/// The usual working day, for teams whose roster does not say: 08:30–17:30, an hour's lunch
/// starting between 11:30 and 13:30, at most 8 firms.
const USUAL_SHIFT: (Minutes, Minutes) = (8.0 * 60.0 + 30.0, 17.0 * 60.0 + 30.0);
const USUAL_LUNCH: (Minutes, Minutes) = (11.5 * 60.0, 13.5 * 60.0);
const USUAL_LUNCH_MINUTES: Minutes = 60.0;
const USUAL_MAX_TARGETS: u32 = 8;

impl Team {
    /// A team on the usual working day, with no skills or members listed.
    pub fn usual(id: String, name: String, district: String, office: [f64; 2]) -> Self {
        Self {
            id,
            name,
            district,
            office,
            shift: USUAL_SHIFT,
            lunch: USUAL_LUNCH,
            lunch_minutes: USUAL_LUNCH_MINUTES,
            max_targets: USUAL_MAX_TARGETS,
            skills: Vec::new(),
            inspectors: Vec::new(),
            phone: String::new(),
        }
    }
}

/// `HH:MM` (or `HH:MM:SS`, the text of an OGR time field and of spreadsheets) as minutes since
/// midnight.
pub fn parse_clock(text: &str) -> Option<Minutes> {
    let mut parts = text.trim().split(':');
    let mut next = || -> Option<u32> {
        let p = parts.next()?;
        (!p.is_empty() && p.len() <= 2 && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse().ok())?
    };
    let (h, m) = (next()?, next()?);
    let s = match parts.next() {
        None => 0.0,
        Some(p) if p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit()) => {
            f64::from(p.parse::<u32>().ok().filter(|s| *s < 60)?)
        }
        Some(_) => return None,
    };
    let minutes = f64::from(h * 60 + m) + s / 60.0;
    (h <= 24 && m < 60 && minutes <= 24.0 * 60.0 && parts.next().is_none()).then_some(minutes)
}

/// Minutes since midnight as `HH:MM` (days past the first wrap: a multi-day plan's times are
/// per day).
pub fn clock(minutes: Minutes) -> String {
    let m = (minutes.rem_euclid(24.0 * 60.0)).round() as u32;
    format!("{:02}:{:02}", m / 60, m % 60)
}

/// Reads a roster: `id,district,lon,lat` required; `name`, `shift_start`, `shift_end`,
/// `lunch_start`, `lunch_end`, `lunch_minutes`, `max_targets` (each the usual day's when
/// empty or absent, see [`Team::usual`]), `skills` and `inspectors` (`;`-separated) and the
/// office's `phone` optional. A roster with a header and no teams is not an error: the plan
/// says that no team could take the tasks.
pub fn read_teams(path: &Path) -> Result<Vec<Team>, RoutingError> {
    // An empty roster is read as such: the plan then lists every task as left out, and why.
    read_rows(path, &["id", "district", "lon", "lat"], "teams", |get| {
        let number = |name: &str| {
            get(name)
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| format!("{name} {:?} is not a number", get(name)))
        };
        let time = |name: &str, usual: Minutes| {
            let text = get(name);
            if text.is_empty() {
                return Ok(usual);
            }
            parse_clock(text).ok_or_else(|| format!("{name} {text:?} is not a time (HH:MM)"))
        };
        let list = |name: &str| -> Vec<String> {
            get(name)
                .split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        };
        let id = get("id").to_owned();
        if id.is_empty() {
            return Err("no id".to_owned());
        }
        let (lon, lat) = (number("lon")?, number("lat")?);
        if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
            return Err(format!("office {lon}, {lat} is not a WGS84 lon/lat"));
        }
        let shift = (
            time("shift_start", USUAL_SHIFT.0)?,
            time("shift_end", USUAL_SHIFT.1)?,
        );
        if shift.0 >= shift.1 {
            return Err("the shift ends before it starts".to_owned());
        }
        let lunch = (
            time("lunch_start", USUAL_LUNCH.0)?,
            time("lunch_end", USUAL_LUNCH.1)?,
        );
        let lunch_minutes = if get("lunch_minutes").is_empty() {
            USUAL_LUNCH_MINUTES
        } else {
            number("lunch_minutes")?
        };
        let max_targets = if get("max_targets").is_empty() {
            USUAL_MAX_TARGETS
        } else {
            get("max_targets")
                .parse::<u32>()
                .ok()
                .filter(|&n| n > 0)
                .ok_or_else(|| {
                    format!(
                        "max_targets {:?} is not a positive whole number",
                        get("max_targets")
                    )
                })?
        };
        Ok(Team {
            name: if get("name").is_empty() {
                id.clone()
            } else {
                get("name").to_owned()
            },
            id,
            district: get("district").to_owned(),
            office: [lon, lat],
            shift,
            lunch,
            lunch_minutes,
            max_targets,
            skills: list("skills"),
            inspectors: list("inspectors"),
            phone: get("phone").to_owned(),
        })
    })
}

/// Locks a dispatcher fixed by hand, from a CSV `source_id,team,day` (day from 1).
pub fn read_locks(path: &Path) -> Result<Vec<super::Lock>, RoutingError> {
    read_rows(path, &["source_id", "team", "day"], "locks", |get| {
        let day: usize = get("day")
            .parse()
            .ok()
            .filter(|&d| d >= 1)
            .ok_or_else(|| format!("day {:?} is not a day from 1", get("day")))?;
        Ok(super::Lock {
            source_id: get("source_id").to_owned(),
            team: get("team").to_owned(),
            day: day - 1,
        })
    })
}

/// Firms' own hours from a CSV of `source_id,open,close` (`HH:MM`): when an inspection there
/// may start. Firms not listed keep the plan's usual hours.
pub fn read_hours(
    path: &Path,
) -> Result<std::collections::HashMap<String, (Minutes, Minutes)>, RoutingError> {
    let rows = read_rows(path, &["source_id", "open", "close"], "firm hours", |get| {
        let time = |name: &str| {
            parse_clock(get(name))
                .ok_or_else(|| format!("{name} {:?} is not a time (HH:MM)", get(name)))
        };
        let (open, close) = (time("open")?, time("close")?);
        if close < open {
            return Err(format!(
                "{} closes ({}) before it opens ({})",
                get("source_id"),
                get("close"),
                get("open")
            ));
        }
        Ok((get("source_id").to_owned(), (open, close)))
    })?;
    Ok(rows.into_iter().collect())
}

/// Each row of a small CSV (a leading BOM, as spreadsheets save it, is skipped) by `each`,
/// which reads a column by its header (empty where the file has no such column); every one of
/// `needed` must be there. A problem is named with the file and the line.
fn read_rows<T>(
    path: &Path,
    needed: &[&str],
    what: &str,
    each: impl for<'r> Fn(&'r dyn Fn(&str) -> &'r str) -> Result<T, String>,
) -> Result<Vec<T>, RoutingError> {
    let bad = |message: String| RoutingError::Input {
        path: path.to_path_buf(),
        message,
    };
    let bytes = std::fs::read(path).map_err(|error| RoutingError::Io {
        path: path.to_path_buf(),
        error,
    })?;
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes))
        .map_err(|_| bad("not UTF-8 text".to_owned()))?;
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| bad(format!("no header row: {e}")))?
        .clone();
    let column = |name: &str| headers.iter().position(|h| h == name);
    if let Some(missing) = needed.iter().find(|name| column(name).is_none()) {
        return Err(bad(format!(
            "no column `{missing}` ({what} need {})",
            needed.join(", ")
        )));
    }
    reader
        .records()
        .enumerate()
        .map(|(k, row)| {
            let line = k + 2;
            let row = row.map_err(|e| bad(format!("line {line}: {e}")))?;
            let get = |name: &str| column(name).and_then(|c| row.get(c)).unwrap_or("");
            each(&get).map_err(|e| bad(format!("line {line}: {e}")))
        })
        .collect()
}

/// The project's teams (registry `team` records; the office is the feature's point or
/// centroid) with their members from the inspectors layer, on the usual working day.
pub fn from_project(
    teams: &yitu_layers::Layer,
    inspectors: Option<&yitu_layers::Layer>,
) -> Result<Vec<Team>, RoutingError> {
    use yitu_layers::registry::{Inspector, Team as Registered, record_from_layer};
    let bad = |message: String| RoutingError::Input {
        path: std::path::PathBuf::from(format!("the project's {} layer", teams.name)),
        message,
    };
    let mut members: std::collections::BTreeMap<String, Vec<String>> =
        std::collections::BTreeMap::default();
    if let Some(layer) = inspectors {
        for k in 0..layer.features.len() {
            if let Some(i) = record_from_layer::<Inspector>(layer, k) {
                members.entry(i.team_id).or_default().push(i.inspector_id);
            }
        }
    }
    let mut out = Vec::new();
    for k in 0..teams.features.len() {
        let t: Registered = record_from_layer(teams, k)
            .ok_or_else(|| bad(format!("row {} is not a team record", k + 1)))?;
        let office = teams.features[k]
            .geometry
            .as_ref()
            .and_then(geo::Centroid::centroid)
            .ok_or_else(|| bad(format!("team {} has no office position", t.team_id)))?;
        out.push(Team {
            inspectors: members.remove(&t.team_id).unwrap_or_default(),
            phone: t.phone,
            ..Team::usual(t.team_id, t.name, t.district_code, [office.x(), office.y()])
        });
    }
    if out.is_empty() {
        return Err(bad("no teams".to_owned()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_times_are_read_with_or_without_seconds() {
        assert_eq!(parse_clock("08:30"), Some(510.0));
        assert_eq!(parse_clock(" 8:30 "), Some(510.0));
        assert_eq!(parse_clock("08:30:00"), Some(510.0));
        assert_eq!(parse_clock("17:00:30"), Some(1020.5));
        assert_eq!(parse_clock("24:00"), Some(1440.0));
        for bad in [
            "24:01",
            "08:60",
            "8",
            "08:30:00:00",
            "08:30:5",
            "-1:00",
            "",
            "ab:cd",
        ] {
            assert_eq!(parse_clock(bad), None, "{bad}");
        }
    }
}
