//! The roster: inspectors, their district, certificate and conflicts of interest.

use std::path::Path;

use super::DrawError;

/// One inspector as the draw sees them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Inspector {
    pub id: String,
    pub name: String,
    pub district: String,
    /// Last day (since 1970) the law-enforcement certificate is valid.
    pub cert_expiry: i64,
    /// Source ids they must not inspect, sorted.
    pub conflicts: Vec<String>,
}

impl Inspector {
    /// Whether their certificate is valid on `day`.
    pub fn certified_on(&self, day: i64) -> bool {
        self.cert_expiry >= day
    }

    pub fn conflicts_with(&self, source_id: &str) -> bool {
        self.conflicts
            .binary_search_by(|c| c.as_str().cmp(source_id))
            .is_ok()
    }
}

/// Reads a roster CSV with the columns `id,name,district,cert_expiry,conflicts` (conflicts
/// `;`-separated, may be empty); inspectors come back sorted by id.
pub fn read_csv(path: &Path) -> Result<Vec<Inspector>, DrawError> {
    let origin = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| DrawError::Input {
        origin: origin.clone(),
        problem: e.to_string(),
    })?;
    parse_csv(&bytes, &origin)
}

/// [`read_csv`] on the file's bytes; `origin` names it in errors.
pub fn parse_csv(bytes: &[u8], origin: &str) -> Result<Vec<Inspector>, DrawError> {
    let input = |problem: String| DrawError::Input {
        origin: origin.to_owned(),
        problem,
    };
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let headers = reader
        .headers()
        .map_err(|e| input(format!("cannot read the header: {e}")))?
        .clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}') == name)
            .ok_or_else(|| {
                input(format!(
                    "no column `{name}` (the roster needs id,name,district,cert_expiry,conflicts)"
                ))
            })
    };
    let [id, name, district, expiry, conflicts] =
        ["id", "name", "district", "cert_expiry", "conflicts"].map(column);
    let (id, name, district, expiry, conflicts) = (id?, name?, district?, expiry?, conflicts?);
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| input(e.to_string()))?;
        let line = record.position().map_or(0, csv::Position::line);
        let field = |i: usize| record.get(i).unwrap_or_default();
        let at = |problem: String| input(format!("line {line}: {problem}"));
        if field(id).is_empty() {
            return Err(at("the inspector has no id".into()));
        }
        let cert_expiry = yitu_core::calendar::parse_date(field(expiry)).ok_or_else(|| {
            at(format!(
                "cert_expiry {:?} is not a date (YYYY-MM-DD)",
                field(expiry)
            ))
        })?;
        let mut conflicts: Vec<String> = field(conflicts)
            .split(';')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_owned)
            .collect();
        conflicts.sort();
        conflicts.dedup();
        out.push(Inspector {
            id: field(id).to_owned(),
            name: field(name).to_owned(),
            district: field(district).to_owned(),
            cert_expiry,
            conflicts,
        });
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    if let Some(w) = out.windows(2).find(|w| w[0].id == w[1].id) {
        return Err(input(format!("inspector {} is listed twice", w[0].id)));
    }
    if out.is_empty() {
        return Err(input("the roster lists no inspectors".into()));
    }
    Ok(out)
}

/// The roster of a project: its `inspectors` layer (`inspector_id`, `name`, `team_id`,
/// `certificate_expiry`) with each inspector's district from the `teams` layer
/// (`team_id`, `district_code`). The registry records no conflicts of interest.
pub fn from_project(
    inspectors: &yitu_layers::Layer,
    teams: &yitu_layers::Layer,
) -> Result<Vec<Inspector>, DrawError> {
    use yitu_layers::registry::{Inspector as Registered, Team, record_from_layer};
    let input = |problem: String| DrawError::Input {
        origin: format!("the project's {} layer", inspectors.name),
        problem,
    };
    let district_of: std::collections::BTreeMap<String, String> = (0..teams.features.len())
        .filter_map(|k| record_from_layer::<Team>(teams, k))
        .map(|t| (t.team_id, t.district_code))
        .collect();
    let mut out = Vec::with_capacity(inspectors.features.len());
    for k in 0..inspectors.features.len() {
        let r: Registered = record_from_layer(inspectors, k)
            .ok_or_else(|| input(format!("row {} is not an inspector record", k + 1)))?;
        let cert_expiry =
            yitu_core::calendar::parse_date(&r.certificate_expiry).ok_or_else(|| {
                input(format!(
                    "{}: certificate_expiry {:?} is not a date (YYYY-MM-DD)",
                    r.inspector_id, r.certificate_expiry
                ))
            })?;
        let district = district_of
            .get(&r.team_id)
            .ok_or_else(|| input(format!("{}: no team {}", r.inspector_id, r.team_id)))?;
        out.push(Inspector {
            id: r.inspector_id,
            name: r.name,
            district: district.clone(),
            cert_expiry,
            conflicts: Vec::new(),
        });
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    if out.is_empty() {
        return Err(input("the layer lists no inspectors".into()));
    }
    Ok(out)
}
