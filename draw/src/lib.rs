//! 双随机、一公开: the quarterly random draw of firms to inspect and of the inspectors who go,
//! reproducible bit for bit by anyone from the published record (issue #5).
//!
//! - [`plan`]: the plan (TOML): date, rules, strata, targeted firms, paired districts;
//! - [`targets`]: the firms, from any sources layer;
//! - [`roster`]: the inspectors, from CSV;
//! - [`random`]: the seed from the inputs' hashes and the public entropy, and how numbers are
//!   taken from it;
//! - [`assign`]: inspectors for the drawn firms under every rule;
//! - [`publish`]: the public announcement (公示) and the task list.
//!
//! Firms are drawn first, stratum by stratum, from their own random stream; inspectors come
//! after, from another. So the inspector rules cannot change which firms are drawn: selection
//! stays uniform within each stratum whatever the roster.

pub mod assign;
mod files;
pub mod pairing;
pub mod plan;
pub mod publish;
pub mod random;
pub mod roster;
pub mod synthetic;
pub mod targets;

use serde::{Deserialize, Serialize};

pub use files::{read_inputs, read_targets};

use self::plan::Plan;
use self::random::{Purpose, Stream};
use self::roster::Inspector;
use self::targets::Target;
use yitu_core::calendar::iso_date;
use yitu_core::digest::sha256_hex;

/// Version recorded with every draw; a change to how numbers are drawn changes it.
pub const ALGORITHM: &str =
    "yitu-draw 1 (SHA-256 seed, ChaCha20 streams, rejection sampling, partial Fisher-Yates)";

/// Why a draw could not be made. Messages give the problem first, then where it is (the file,
/// and the line where there is one), as every Yitu error does.
#[derive(Debug, thiserror::Error)]
pub enum DrawError {
    #[error("{problem}; in: {origin}")]
    Input { origin: String, problem: String },
    #[error(transparent)]
    Layers(#[from] yitu_layers::LayersError),
    #[error("the roster cannot cover the draw; no rule was relaxed:\n{}", .0.join("\n"))]
    Uncovered(Vec<String>),
}

/// Everything a draw reads.
#[derive(Debug, Clone)]
pub struct Inputs {
    pub targets: Vec<Target>,
    pub roster: Vec<Inspector>,
    pub plan: Plan,
}

/// The published record of a draw: what went in (hashes, entropy, plan), the seed, and what
/// came out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub name: String,
    pub date: String,
    pub algorithm: String,
    pub inputs: RecordInputs,
    /// SHA-256 seed of the generator, hex.
    pub seed: String,
    /// Per stratum: eligible firms and how many were drawn.
    pub strata: Vec<StratumCount>,
    /// Drawn firms, stratum by stratum, in the order drawn.
    pub selected: Vec<Selected>,
    /// Firms inspected whatever the draw (complaints, alarms), apart from it.
    pub targeted: Vec<Targeted>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordInputs {
    /// SHA-256 of the sources as the draw reads them (see [`Inputs::hashes`]).
    pub sources_sha256: String,
    pub inspectors_sha256: String,
    pub plan_sha256: String,
    /// The public entropy given at the draw meeting, verbatim.
    pub entropy: String,
    pub plan: Plan,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StratumCount {
    pub stratum: String,
    pub eligible: usize,
    pub drawn: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Selected {
    pub source_id: String,
    pub stratum: String,
    pub district: String,
    pub inspectors: Vec<String>,
    /// The firm's category and position (WGS84), for planning the inspection routes.
    #[serde(default)]
    pub category: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<[f64; 2]>,
    #[serde(flatten)]
    pub sheet: ForTheSheet,
}

/// What the task sheets print about a firm, copied from the sources: not drawn on, so not
/// part of what a verification compares.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ForTheSheet {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Whom to ask for on site, and their phone.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub contact: String,
}

impl ForTheSheet {
    fn of(target: &Target) -> Self {
        Self {
            name: target.name.clone(),
            contact: target.contact.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Targeted {
    pub source_id: String,
    pub reason: String,
    pub district: String,
    pub inspectors: Vec<String>,
    #[serde(default)]
    pub category: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<[f64; 2]>,
    #[serde(flatten)]
    pub sheet: ForTheSheet,
}

/// The SHA-256 of the sources, the roster and the plan as the draw reads them: one JSON line
/// per firm (id, category, district, status, positive list, last inspection) and per inspector
/// (id, name, district, certificate expiry, conflicts), sorted by id, and the plan as JSON. The
/// same data give the same hashes whatever file they came in, and any change to what the draw
/// reads changes them.
pub struct Hashes {
    pub sources: String,
    pub roster: String,
    pub plan: String,
}

impl Inputs {
    pub fn hashes(&self) -> Hashes {
        let lines = |rows: Vec<String>| sha256_hex(rows.join("\n").as_bytes());
        let day = iso_date;
        Hashes {
            sources: lines(
                self.targets
                    .iter()
                    .map(|t| {
                        serde_json::json!([
                            t.id,
                            t.category,
                            t.district,
                            t.status,
                            t.positive_list,
                            t.last_inspected.map(day)
                        ])
                        .to_string()
                    })
                    .collect(),
            ),
            roster: lines(
                self.roster
                    .iter()
                    .map(|i| {
                        serde_json::json!([
                            i.id,
                            i.name,
                            i.district,
                            day(i.cert_expiry),
                            i.conflicts
                        ])
                        .to_string()
                    })
                    .collect(),
            ),
            plan: sha256_hex(
                serde_json::to_string(&self.plan)
                    .unwrap_or_default()
                    .as_bytes(),
            ),
        }
    }
}

/// Runs the draw: firms per stratum, then inspectors for them and for the targeted firms.
pub fn draw(inputs: &Inputs, entropy: &str) -> Result<Record, DrawError> {
    let Inputs {
        targets,
        roster,
        plan,
    } = inputs;
    let hashes = inputs.hashes();
    let seed = random::seed(&hashes.sources, &hashes.roster, &hashes.plan, entropy);
    let day = plan.day();
    let by_id = |id: &str| targets.binary_search_by(|t| t.id.as_str().cmp(id)).ok();
    // Targeted firms are known before the draw and never drawn.
    let mut taken = vec![false; targets.len()];
    let mut targeted = Vec::new();
    for m in &plan.must_include {
        let k = by_id(&m.source_id).ok_or_else(|| DrawError::Input {
            origin: "plan".into(),
            problem: format!("must_include {}: no such source", m.source_id),
        })?;
        taken[k] = true;
        targeted.push(k);
    }
    let mut firms = Stream::new(seed, Purpose::Firms);
    let mut strata = Vec::new();
    let mut drawn: Vec<(usize, String)> = Vec::new();
    for s in &plan.strata {
        let eligible: Vec<usize> = (0..targets.len())
            .filter(|&k| {
                !taken[k]
                    && targets[k].eligible(
                        &s.category,
                        s.district.as_deref(),
                        day,
                        plan.exclude_inspected_within_days,
                    )
            })
            .collect();
        let quota = s.quota(eligible.len());
        let label = s.label();
        for pick in firms.choose(eligible.len(), quota) {
            taken[eligible[pick]] = true;
            drawn.push((eligible[pick], label.clone()));
        }
        strata.push(StratumCount {
            stratum: label,
            eligible: eligible.len(),
            drawn: quota,
        });
    }
    let order: Vec<&Target> = targeted
        .iter()
        .chain(drawn.iter().map(|(k, _)| k))
        .map(|&k| &targets[k])
        .collect();
    let mut people = Stream::new(seed, Purpose::Inspectors);
    let teams = assign::assign(&order, roster, plan, &mut people).map_err(|short| {
        /// Firms named one by one; the rest are counted.
        const NAMED: usize = 20;
        let mut lines: Vec<String> = short.iter().take(NAMED).map(|s| explain(s, plan)).collect();
        if short.len() > NAMED {
            lines.push(format!("  ... and {} more firms", short.len() - NAMED));
        }
        DrawError::Uncovered(lines)
    })?;
    let names = |team: &Vec<usize>| team.iter().map(|&i| roster[i].id.clone()).collect();
    let (targeted_teams, drawn_teams) = teams.split_at(targeted.len());
    Ok(Record {
        name: plan.name.clone(),
        date: plan.date.clone(),
        algorithm: ALGORITHM.to_owned(),
        inputs: RecordInputs {
            sources_sha256: hashes.sources,
            inspectors_sha256: hashes.roster,
            plan_sha256: hashes.plan,
            entropy: entropy.to_owned(),
            plan: plan.clone(),
        },
        seed: yitu_core::digest::hex(&seed),
        strata,
        selected: drawn
            .iter()
            .zip(drawn_teams)
            .map(|((k, stratum), team)| Selected {
                source_id: targets[*k].id.clone(),
                stratum: stratum.clone(),
                district: targets[*k].district.clone(),
                inspectors: names(team),
                category: targets[*k].category.clone(),
                position: targets[*k].position,
                sheet: ForTheSheet::of(&targets[*k]),
            })
            .collect(),
        targeted: plan
            .must_include
            .iter()
            .zip(&targeted)
            .zip(targeted_teams)
            .map(|((m, &k), team)| Targeted {
                source_id: m.source_id.clone(),
                reason: m.reason.clone(),
                district: targets[k].district.clone(),
                inspectors: names(team),
                category: targets[k].category.clone(),
                position: targets[k].position,
                sheet: ForTheSheet::of(&targets[k]),
            })
            .collect(),
    })
}

/// Why a firm cannot be covered, in words.
fn explain(s: &assign::Shortfall, plan: &Plan) -> String {
    let district_rule = match plan.pairs.iter().find(|p| p.targets == s.district) {
        Some(p) => format!("from the paired district {}", p.inspectors),
        None if plan.cross_district => format!("not from {}", s.district),
        None => "any district".to_owned(),
    };
    let rules = format!(
        "certificate valid on {}, no conflict of interest, {district_rule}",
        plan.date
    );
    if s.qualified < plan.inspectors_per_target {
        format!(
            "  {} ({}): {} inspector(s) qualify ({rules}); {} needed",
            s.source_id, s.district, s.qualified, plan.inspectors_per_target
        )
    } else {
        format!(
            "  {} ({}): {} more inspector(s) needed; the {} who qualify ({rules}) are all at the \
             cap of {} firms",
            s.source_id, s.district, s.missing, s.qualified, plan.max_targets_per_inspector
        )
    }
}

/// Checks a published record against the inputs: `Ok` when the draw reproduces exactly,
/// else the first difference.
pub fn verify(record: &Record, inputs: &Inputs) -> Result<(), String> {
    let again =
        draw(inputs, &record.inputs.entropy).map_err(|e| format!("the inputs do not draw: {e}"))?;
    let targeted = |r: &Record| json(&r.targeted.iter().map(Targeted::drawn).collect::<Vec<_>>());
    let checks: [(&str, String, String); 9] = [
        (
            "algorithm",
            record.algorithm.clone(),
            again.algorithm.clone(),
        ),
        (
            "inputs.sources_sha256 (the sources differ from those drawn from)",
            record.inputs.sources_sha256.clone(),
            again.inputs.sources_sha256.clone(),
        ),
        (
            "inputs.inspectors_sha256 (the roster differs from the one drawn from)",
            record.inputs.inspectors_sha256.clone(),
            again.inputs.inspectors_sha256.clone(),
        ),
        (
            "inputs.plan_sha256 (the plan differs from the one drawn with)",
            record.inputs.plan_sha256.clone(),
            again.inputs.plan_sha256.clone(),
        ),
        ("seed", record.seed.clone(), again.seed.clone()),
        (
            "inputs.plan",
            json(&record.inputs.plan),
            json(&again.inputs.plan),
        ),
        ("strata", json(&record.strata), json(&again.strata)),
        (
            "name/date",
            json(&(&record.name, &record.date)),
            json(&(&again.name, &again.date)),
        ),
        ("targeted", targeted(record), targeted(&again)),
    ];
    for (what, said, got) in checks {
        if said != got {
            return Err(format!(
                "{what}: the record says {said}, the inputs give {got}"
            ));
        }
    }
    let n = record.selected.len().max(again.selected.len());
    for k in 0..n {
        let (said, got) = (
            record.selected.get(k).map(Selected::drawn),
            again.selected.get(k).map(Selected::drawn),
        );
        if said != got {
            return Err(format!(
                "selected[{k}]: the record says {}, the inputs give {}",
                json(&said),
                json(&got),
            ));
        }
    }
    Ok(())
}

impl Selected {
    /// What the draw decided: the firm without what only its task sheet prints.
    fn drawn(&self) -> Self {
        Self {
            sheet: ForTheSheet::default(),
            ..self.clone()
        }
    }
}

impl Targeted {
    /// What the draw decided: the check without what only its task sheet prints.
    fn drawn(&self) -> Self {
        Self {
            sheet: ForTheSheet::default(),
            ..self.clone()
        }
    }
}

/// A record part as compact JSON, for saying what differs.
fn json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}
