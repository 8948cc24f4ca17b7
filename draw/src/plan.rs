//! The plan of a draw (TOML): its date, the rules and the strata.

use serde::{Deserialize, Serialize};

use super::DrawError;

/// What a quarter's draw follows, as the district publishes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    pub name: String,
    /// The draw's date (ISO): certificates must be valid on it, and the inspection window ends
    /// on it.
    pub date: String,
    /// Inspectors never check a firm of their own district (交叉执法).
    #[serde(default)]
    pub cross_district: bool,
    /// Distinct inspectors per drawn firm; the law wants at least two.
    #[serde(default = "two")]
    pub inspectors_per_target: usize,
    /// Firms one inspector is given at most.
    pub max_targets_per_inspector: usize,
    /// Firms inspected within this many days before the date are not drawn.
    #[serde(default)]
    pub exclude_inspected_within_days: i64,
    #[serde(rename = "stratum", default)]
    pub strata: Vec<Stratum>,
    /// Firms inspected whatever the draw (complaints, monitoring alarms): targeted, not random,
    /// recorded apart from the draw, and never drawn.
    #[serde(
        rename = "must_include",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub must_include: Vec<MustInclude>,
    /// Paired districts for cross checks: the firms of `targets` are checked by inspectors of
    /// `inspectors` only.
    #[serde(rename = "pair", default, skip_serializing_if = "Vec::is_empty")]
    pub pairs: Vec<Pair>,
}

fn two() -> usize {
    2
}

/// One stratum: a category (optionally in one district) and the share of its eligible firms
/// drawn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stratum {
    pub category: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub district: Option<String>,
    pub ratio: f64,
}

impl Stratum {
    /// Its name in the record: the category, with the district when it has one.
    pub fn label(&self) -> String {
        match &self.district {
            Some(d) => format!("{}@{d}", self.category),
            None => self.category.clone(),
        }
    }

    /// How many of `eligible` firms are drawn: ceil(ratio × eligible), the product taken to
    /// nine decimals so that 0.07 × 100 is 7, not 8.
    pub fn quota(&self, eligible: usize) -> usize {
        let exact = (self.ratio * eligible as f64 * 1e9).round() / 1e9;
        (exact.ceil() as usize).min(eligible)
    }
}

/// A firm inspected whatever the draw, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MustInclude {
    pub source_id: String,
    /// Complaint number, alarm, campaign: what the record says of it.
    pub reason: String,
}

/// Firms of district `targets` are checked by inspectors of district `inspectors`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pair {
    pub targets: String,
    pub inspectors: String,
}

impl Plan {
    /// Parses and checks a plan; `origin` names it in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Self, DrawError> {
        let plan: Self = toml::from_str(text).map_err(|e| DrawError::Input {
            origin: origin.to_owned(),
            problem: e.to_string().trim().to_owned(),
        })?;
        plan.check().map_err(|problem| DrawError::Input {
            origin: origin.to_owned(),
            problem,
        })?;
        Ok(plan)
    }

    /// Reads and checks a plan file.
    pub fn read(path: &std::path::Path) -> Result<Self, DrawError> {
        let text = std::fs::read_to_string(path).map_err(|e| DrawError::Input {
            origin: path.display().to_string(),
            problem: e.to_string(),
        })?;
        Self::parse(&text, &path.display().to_string())
    }

    /// The plan as TOML, as [`Plan::parse`] reads it.
    pub fn to_toml(&self) -> String {
        toml::to_string(self).unwrap_or_default()
    }

    /// The plan date as days since 1970.
    pub fn day(&self) -> i64 {
        yitu_core::calendar::parse_date(&self.date).unwrap_or_default()
    }

    fn check(&self) -> Result<(), String> {
        if yitu_core::calendar::parse_date(&self.date).is_none() {
            return Err(format!("date {:?} is not a date (YYYY-MM-DD)", self.date));
        }
        if self.inspectors_per_target < 2 {
            return Err(format!(
                "inspectors_per_target is {}: the law wants at least two inspectors per firm",
                self.inspectors_per_target
            ));
        }
        if self.max_targets_per_inspector == 0 {
            return Err("max_targets_per_inspector is 0: nobody could inspect".into());
        }
        if self.exclude_inspected_within_days < 0 {
            return Err("exclude_inspected_within_days is negative".into());
        }
        if self.strata.is_empty() && self.must_include.is_empty() {
            return Err("no [[stratum]]: nothing to draw".into());
        }
        for s in &self.strata {
            if !(0.0..=1.0).contains(&s.ratio) {
                return Err(format!(
                    "stratum {}: ratio {} is not between 0 and 1",
                    s.label(),
                    s.ratio
                ));
            }
        }
        let mut labels: Vec<String> = self.strata.iter().map(Stratum::label).collect();
        labels.sort();
        if let Some([twice, _]) = labels.windows(2).find(|w| w[0] == w[1]) {
            return Err(format!("stratum {twice} is given twice"));
        }
        Ok(())
    }
}
