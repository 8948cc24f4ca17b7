//! The firms a draw may pick: the pollution-source layer's id, category, district, status,
//! positive-list flag and last inspection.

use yitu_layers::{AttrValue, Layer};

use super::DrawError;

/// A firm as the draw sees it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Target {
    pub id: String,
    /// The firm's name, for the announcement; not drawn on, so not in the record's hash.
    pub name: String,
    pub category: String,
    pub district: String,
    pub status: String,
    /// 监督执法正面清单: not drawn.
    pub positive_list: bool,
    /// Day (since 1970) of the last inspection, if any.
    pub last_inspected: Option<i64>,
    /// Where it is (WGS84 lon/lat; a polygon's centroid), for the inspection routes; like the
    /// name, not drawn on, so not in the record's hash.
    pub position: Option<[f64; 2]>,
    /// Whom to ask for on site and their phone (optional fields `contact` and `phone`), for
    /// the task sheets; like the name, not drawn on.
    pub contact: String,
}

impl Target {
    /// Whether the rules let a stratum of `category` (and `district`) draw it on `day`: the
    /// category matches, it operates, it is not on the positive list, and it was not inspected
    /// within `window_days` before the day.
    pub fn eligible(
        &self,
        category: &str,
        district: Option<&str>,
        day: i64,
        window_days: i64,
    ) -> bool {
        self.category == category
            && district.is_none_or(|d| d == self.district)
            && self.status == "operating"
            && !self.positive_list
            && self
                .last_inspected
                .is_none_or(|last| last <= day - window_days)
    }
}

/// The firms of a sources layer, sorted by id. The file form's fields are `id`, `category`,
/// `district`, `status`, `positive_list`, `last_inspected`; a project's registry names the last
/// two `district_code` and `last_inspection`, which are read as well.
pub fn from_layer(layer: &Layer, origin: &str) -> Result<Vec<Target>, DrawError> {
    let input = |problem: String| DrawError::Input {
        origin: origin.to_owned(),
        problem,
    };
    let need =
        |names: &[&'static str]| {
            names.iter().copied().find(|n| layer.field_index(n).is_some()).ok_or_else(|| {
            input(format!(
                "no field `{}` (sources need id, category, district, status, positive_list, \
                 last_inspected)",
                names[0]
            ))
        })
        };
    let id = need(&["id"])?;
    let category = need(&["category"])?;
    let district = need(&["district", "district_code"])?;
    let status = need(&["status"])?;
    let positive = need(&["positive_list"])?;
    let last = need(&["last_inspected", "last_inspection"])?;
    if layer.features.is_empty() {
        return Err(input("the layer has no sources".into()));
    }
    let mut out = Vec::with_capacity(layer.features.len());
    for i in 0..layer.features.len() {
        let text = |field: &str| layer.value(i, field).to_string().trim().to_owned();
        let at = |problem: String| input(format!("source {} ({}): {problem}", i + 1, text(id)));
        if text(id).is_empty() {
            return Err(at("no id".into()));
        }
        let positive_list = match layer.value(i, positive) {
            AttrValue::Bool(b) => *b,
            AttrValue::Int(n) => *n != 0,
            AttrValue::Null => false,
            v => match v.to_string().trim().to_lowercase().as_str() {
                "true" | "1" | "yes" | "y" | "是" => true,
                "false" | "0" | "no" | "n" | "否" | "" => false,
                other => return Err(at(format!("positive_list {other:?} is not true or false"))),
            },
        };
        let last_text = text(last);
        let last_inspected = if last_text.is_empty() {
            None
        } else {
            Some(yitu_core::calendar::parse_date(&last_text).ok_or_else(|| {
                at(format!(
                    "{last} {last_text:?} is not a date (YYYY-MM-DD) or empty"
                ))
            })?)
        };
        out.push(Target {
            id: text(id),
            name: text("name"),
            category: text(category),
            district: text(district),
            status: text(status),
            positive_list,
            last_inspected,
            contact: [text("contact"), text("phone")]
                .into_iter()
                .filter(|t| !t.is_empty())
                .collect::<Vec<_>>()
                .join(" "),
            position: layer.features[i]
                .geometry
                .as_ref()
                .and_then(geo::Centroid::centroid)
                .map(|p| [p.x(), p.y()]),
        });
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    if let Some(w) = out.windows(2).find(|w| w[0].id == w[1].id) {
        return Err(input(format!("source {} is listed twice", w[0].id)));
    }
    Ok(out)
}
