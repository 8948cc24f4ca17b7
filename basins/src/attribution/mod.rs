//! Who could have caused a section's exceedance: the candidates a trace up from the section
//! found, ranked by how well a discharge plus the travel time fits the hour of the exceedance,
//! whether the pollutant fits what the firm or outfall emits, what the registry says of it
//! (unregistered suspects and closed outfalls that discharge first), monitoring anomalies in
//! the window and the distance. Every factor's score comes with its reason.

pub mod evidence;

use serde::Serialize;

use crate::found::Found;

/// Water pollutants a section is judged on, with their codes and names as users type them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Pollutant {
    Cod,
    Ammonia,
    Phosphorus,
    Nitrogen,
    HeavyMetals,
    Oil,
    Suspended,
    Ph,
    Heat,
}

impl Pollutant {
    /// The name on a monitoring report.
    pub fn name(self) -> &'static str {
        match self {
            Self::Cod => "COD",
            Self::Ammonia => "NH3-N",
            Self::Phosphorus => "TP",
            Self::Nitrogen => "TN",
            Self::HeavyMetals => "heavy metals",
            Self::Oil => "oil",
            Self::Suspended => "SS",
            Self::Ph => "pH",
            Self::Heat => "heat",
        }
    }
}

impl std::str::FromStr for Pollutant {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let t = s
            .trim()
            .to_lowercase()
            .replace(['_', ' '], "")
            .replace('₃', "3");
        Ok(match t.as_str() {
            "cod" | "codcr" | "化学需氧量" | "w01018" | "高锰酸盐指数" | "codmn" | "w01019" => {
                Self::Cod
            }
            "nh3-n" | "nh3n" | "ammonia" | "氨氮" | "w21003" => Self::Ammonia,
            "tp" | "总磷" | "phosphorus" | "w21011" => Self::Phosphorus,
            "tn" | "总氮" | "nitrogen" | "w21001" => Self::Nitrogen,
            "cr" | "cr6+" | "六价铬" | "总铬" | "cd" | "镉" | "pb" | "铅" | "hg" | "汞" | "as"
            | "砷" | "ni" | "镍" | "重金属" | "heavymetals" | "metals" => Self::HeavyMetals,
            "oil" | "石油类" | "petroleum" => Self::Oil,
            "ss" | "悬浮物" | "suspended" => Self::Suspended,
            "ph" | "w01001" => Self::Ph,
            "temperature" | "水温" | "heat" => Self::Heat,
            _ => {
                return Err(format!(
                    "`{s}` is not a pollutant Yitu knows: COD, NH3-N, TP, TN, Cr6+ (or another heavy metal), oil, SS, pH, temperature"
                ));
            }
        })
    }
}

/// What the registry says of a candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    /// A discharge no registry entry explains (a hidden-pipe suspect).
    Unregistered,
    /// An outfall or firm registered as closed, banned or stopped that was seen discharging.
    ClosedDischarging,
    /// Registered as closed, banned or stopped, with no sign of discharge.
    Closed,
    /// Registered and allowed to discharge.
    Registered,
    Unknown,
}

/// What is known of a candidate besides where it lies.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    /// A firm's industry (`chemical`, `paper`, ...) or an outfall's type (`domestic`, ...).
    pub emits: Option<String>,
    pub standing: Standing,
    /// Times it was seen discharging (a detection's capture), hours since 1970 UTC.
    pub seen_h: Vec<f64>,
    /// Its monitoring anomalies: (start, end) in hours since 1970 UTC, and the parameter code.
    pub anomalies: Vec<(f64, f64, Option<String>)>,
    /// Whether it is under automatic monitoring at all.
    pub monitored: bool,
}

/// An exceedance at a section: the pollutant and when, hours since 1970 UTC (either may be
/// unknown, as for a plume seen on the water: its factor then says so and scores a half).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Default)]
pub struct Exceedance {
    pub pollutant: Option<Pollutant>,
    pub at_h: Option<f64>,
}

impl std::str::FromStr for Exceedance {
    type Err = String;
    /// `PARAM@TIME`, `PARAM` or `@TIME`.
    fn from_str(s: &str) -> Result<Self, String> {
        let (p, t) = s.split_once('@').unwrap_or((s, ""));
        Ok(Self {
            pollutant: if p.trim().is_empty() {
                None
            } else {
                Some(p.parse()?)
            },
            at_h: if t.trim().is_empty() {
                None
            } else {
                Some(parse_time(t)?)
            },
        })
    }
}

/// The factors of a candidate's score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Factor {
    Timing,
    Pollutant,
    Registry,
    Monitoring,
    Distance,
}

impl Factor {
    /// How much each factor weighs; the weights add up to one.
    pub fn weight(self) -> f64 {
        match self {
            Self::Timing => 0.3,
            Self::Pollutant => 0.25,
            Self::Registry => 0.2,
            Self::Monitoring => 0.15,
            Self::Distance => 0.1,
        }
    }
}

/// One factor's score (0–1) and its reason in words.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Part {
    pub factor: Factor,
    pub score: f64,
    pub reason: String,
}

/// A ranked candidate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ranked {
    #[serde(flatten)]
    pub found: Found,
    pub score: f64,
    pub parts: Vec<Part>,
    pub evidence: Evidence,
}

/// Hours of slack around an arrival: two hours, or a third of the travel time (the velocity is
/// an estimate).
fn slack_h(travel_h: f64) -> f64 {
    (travel_h / 3.0).max(2.0)
}

/// What each industry or outfall type typically discharges into water.
fn emits(kind: &str) -> Option<&'static [Pollutant]> {
    use Pollutant::{Ammonia, Cod, Heat, HeavyMetals, Nitrogen, Oil, Ph, Phosphorus, Suspended};
    Some(match kind {
        "chemical" | "pharmaceutical" => {
            &[Cod, Ammonia, Phosphorus, Nitrogen, HeavyMetals, Oil, Ph]
        }
        "dyeing" | "textile" | "tannery" => &[Cod, Ammonia, Nitrogen, Ph, HeavyMetals],
        "paper" => &[Cod, Suspended, Ph],
        "sewage_plant" | "domestic" | "food" | "brewery" | "livestock" | "aquaculture" => {
            &[Cod, Ammonia, Phosphorus, Nitrogen]
        }
        "steel" => &[Oil, HeavyMetals, Suspended, Heat, Cod],
        "electroplating" | "metal" | "mining" => &[HeavyMetals, Ph, Suspended],
        "coal" => &[Suspended, Ph, HeavyMetals],
        "cement" => &[Suspended, Ph],
        "thermal_power" => &[Heat, Ph, Suspended],
        "waste_incineration" | "landfill" => &[HeavyMetals, Ammonia, Cod, Nitrogen],
        "mixed" => &[Cod, Ammonia, Phosphorus, Nitrogen, Oil],
        _ => return None,
    })
}

fn timing(ex: &Exceedance, found: &Found, ev: &Evidence) -> Part {
    let Some(at_h) = ex.at_h else {
        return Part {
            factor: Factor::Timing,
            score: 0.5,
            reason: "no exceedance time given".to_owned(),
        };
    };
    let needed = at_h - found.travel_h;
    let slack = slack_h(found.travel_h);
    let fit = |t: f64| (-((t - needed) / slack).powi(2) / 2.0).exp();
    let seen = ev
        .seen_h
        .iter()
        .map(|&t| (fit(t), t))
        .max_by(|a, b| a.0.total_cmp(&b.0));
    let during = ev
        .anomalies
        .iter()
        .map(|&(a, b, _)| {
            if (a..=b).contains(&needed) {
                (1.0, needed)
            } else {
                let t = if needed < a { a } else { b };
                (fit(t), t)
            }
        })
        .max_by(|a, b| a.0.total_cmp(&b.0));
    let best = seen
        .into_iter()
        .chain(during)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    match best {
        Some((score, t)) => Part {
            factor: Factor::Timing,
            score,
            reason: format!(
                "water from here takes {:.1} h to reach the section, so a discharge about {:.1} h before the exceedance fits; it was seen discharging {:.1} h before it",
                found.travel_h,
                found.travel_h,
                at_h - t
            ),
        },
        None => Part {
            factor: Factor::Timing,
            score: 0.5,
            reason: format!(
                "no discharge time known; a continuous discharge would arrive after {:.1} h",
                found.travel_h
            ),
        },
    }
}

fn pollutant(ex: &Exceedance, ev: &Evidence) -> Part {
    let Some(wanted) = ex.pollutant else {
        return Part {
            factor: Factor::Pollutant,
            score: 0.5,
            reason: "no pollutant given".to_owned(),
        };
    };
    let (score, reason) = match ev.emits.as_deref() {
        Some(kind) => match emits(kind) {
            Some(list) if list.contains(&wanted) => (
                1.0,
                format!("{kind} typically discharges {}", wanted.name()),
            ),
            Some(_) => (
                0.1,
                format!("{kind} does not typically discharge {}", wanted.name()),
            ),
            None if kind == "stormwater" => (
                0.2,
                "a stormwater outfall: only what rain washes in".to_owned(),
            ),
            None => (0.4, format!("what `{kind}` discharges is not known")),
        },
        None => (0.4, "what it discharges is not known".to_owned()),
    };
    Part {
        factor: Factor::Pollutant,
        score,
        reason,
    }
}

fn registry(ev: &Evidence) -> Part {
    let (score, reason) = match ev.standing {
        Standing::Unregistered => (1.0, "an unregistered discharge (hidden-pipe suspect)"),
        Standing::ClosedDischarging => (1.0, "registered as closed but seen discharging"),
        Standing::Registered => (0.5, "registered and allowed to discharge"),
        Standing::Unknown => (0.4, "its registry status is not known"),
        Standing::Closed => (0.1, "registered as closed, no sign of discharge"),
    };
    Part {
        factor: Factor::Registry,
        score,
        reason: reason.to_owned(),
    }
}

fn monitoring(ex: &Exceedance, found: &Found, ev: &Evidence) -> Part {
    let slack = slack_h(found.travel_h);
    // Without a time every open anomaly counts.
    let window = ex.at_h.map_or((f64::NEG_INFINITY, f64::INFINITY), |at| {
        (at - found.travel_h - slack, at - found.travel_h + slack)
    });
    let in_window: Vec<&Option<String>> = ev
        .anomalies
        .iter()
        .filter(|(a, b, _)| *a <= window.1 && *b >= window.0)
        .map(|(_, _, c)| c)
        .collect();
    let (score, reason) = if !in_window.is_empty() {
        (
            1.0,
            format!(
                "{} monitoring anomal{} in the window the water needs",
                in_window.len(),
                if in_window.len() == 1 { "y" } else { "ies" }
            ),
        )
    } else if ev.monitored {
        (0.1, "monitored, nothing abnormal in the window".to_owned())
    } else {
        (0.4, "not under automatic monitoring".to_owned())
    };
    Part {
        factor: Factor::Monitoring,
        score,
        reason,
    }
}

fn distance(found: &Found) -> Part {
    Part {
        factor: Factor::Distance,
        score: 1.0 / (1.0 + found.river_km / 10.0),
        reason: format!("{:.1} km upstream along the rivers", found.river_km),
    }
}

/// What a trace found ranked as candidates, with the evidence the layers give; sections are
/// left out (they are where exceedances are measured, not what causes them).
pub fn rank_found(ex: &Exceedance, found: &[Found], registry: &evidence::Registry) -> Vec<Ranked> {
    let candidates = found
        .iter()
        .filter(|f| f.layer != "sections")
        .map(|f| (f.clone(), registry.evidence(f)))
        .collect();
    rank(ex, candidates)
}

/// The candidates ranked, best first; ties keep the nearer first.
pub fn rank(ex: &Exceedance, candidates: Vec<(Found, Evidence)>) -> Vec<Ranked> {
    let mut out: Vec<Ranked> = candidates
        .into_iter()
        .map(|(found, evidence)| {
            let parts = vec![
                timing(ex, &found, &evidence),
                pollutant(ex, &evidence),
                registry(&evidence),
                monitoring(ex, &found, &evidence),
                distance(&found),
            ];
            let score = parts.iter().map(|p| p.score * p.factor.weight()).sum();
            Ranked {
                found,
                score,
                parts,
                evidence,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.found.river_km.total_cmp(&b.found.river_km))
    });
    out
}

/// A time as hours since 1970 UTC: ISO 8601 with an offset, or a civil time (Asia/Shanghai).
pub fn parse_time(text: &str) -> Result<f64, String> {
    let t = text.trim();
    let stamp = t
        .parse::<jiff::Timestamp>()
        .or_else(|_| {
            let civil: jiff::civil::DateTime = t.parse().or_else(|_| {
                t.parse::<jiff::civil::Date>()
                    .map(|d| d.to_datetime(jiff::civil::Time::midnight()))
            })?;
            civil.in_tz("Asia/Shanghai").map(|z| z.timestamp())
        })
        .map_err(|e| {
            format!("`{text}` is not a time (2026-06-01T08:00, with +08:00 or not): {e}")
        })?;
    Ok(stamp.as_second() as f64 / 3600.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(id: &str, km: f64, hours: f64) -> Found {
        Found {
            layer: "sources".to_owned(),
            id: id.to_owned(),
            river_km: km,
            travel_h: hours,
            district: None,
            district_name: None,
            province: None,
            lon: 0.0,
            lat: 0.0,
            off_m: 0.0,
            reach: String::new(),
        }
    }

    fn evidence(emits: &str, standing: Standing) -> Evidence {
        Evidence {
            emits: Some(emits.to_owned()),
            standing,
            seen_h: Vec::new(),
            anomalies: Vec::new(),
            monitored: false,
        }
    }

    #[test]
    fn the_fitting_suspect_comes_first_and_every_factor_says_why() {
        let ex: Exceedance = "氨氮@2026-06-01T08:00".parse().expect("an exceedance");
        assert_eq!(ex.pollutant, Some(Pollutant::Ammonia));
        let at = ex.at_h.expect("a time");
        // Seen discharging 10 h before, 10 h upstream: fits exactly.
        let mut suspect = evidence("chemical", Standing::Unregistered);
        suspect.seen_h.push(at - 10.0);
        // Closer, but a cement works registered and monitored with nothing abnormal.
        let mut clean = evidence("cement", Standing::Registered);
        clean.monitored = true;
        // A firm whose anomaly falls in the window, but far and of a mismatching industry.
        let mut anomalous = evidence("paper", Standing::Registered);
        anomalous
            .anomalies
            .push((at - 31.0, at - 29.0, Some("w21003".to_owned())));
        let ranked = rank(
            &ex,
            vec![
                (found("clean", 2.0, 1.0), clean),
                (found("suspect", 18.0, 10.0), suspect),
                (found("anomalous", 54.0, 30.0), anomalous),
            ],
        );
        let order: Vec<&str> = ranked.iter().map(|r| r.found.id.as_str()).collect();
        assert_eq!(order, ["suspect", "anomalous", "clean"]);
        let top = &ranked[0];
        assert!(top.parts.iter().all(|p| !p.reason.is_empty()));
        assert!(
            (top.parts[0].score - 1.0).abs() < 1e-9,
            "{:?}",
            top.parts[0]
        );
        assert!(
            ranked[2].parts[1]
                .reason
                .contains("does not typically discharge NH3-N"),
            "{:?}",
            ranked[2].parts[1]
        );
        let total: f64 = [
            Factor::Timing,
            Factor::Pollutant,
            Factor::Registry,
            Factor::Monitoring,
            Factor::Distance,
        ]
        .iter()
        .map(|f| f.weight())
        .sum();
        assert!((total - 1.0).abs() < 1e-12);
    }

    #[test]
    fn bad_exceedances_are_named() {
        assert!(
            "XYZ@2026-06-01"
                .parse::<Exceedance>()
                .unwrap_err()
                .contains("XYZ")
        );
        assert!(
            "COD@yesterday"
                .parse::<Exceedance>()
                .unwrap_err()
                .contains("yesterday")
        );
        assert_eq!(
            "COD".parse::<Exceedance>().expect("a pollutant alone").at_h,
            None
        );
    }
}
