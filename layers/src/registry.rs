//! Typed records of the enforcement registries, with the attributes users filter on.
//!
//! Records are plain serde structs; [`layer_from_records`] turns them into a generic [`Layer`]
//! whose columns follow the struct's field order, so the map, the table and every file format
//! handle registries and user layers alike.

use geo::Geometry;
use serde::{Deserialize, Serialize};

use crate::attribute::AttrValue;
use crate::layer::{Feature, Layer, LayerKind};

/// 八大行业: the eight key industries of the city plan, plus everything else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Industry {
    Steel,
    ThermalPower,
    Cement,
    Coal,
    Paper,
    Dyeing,
    SewagePlant,
    WasteIncineration,
    Chemical,
    Other,
}

impl Industry {
    pub const ALL: [Self; 10] = [
        Self::Steel,
        Self::ThermalPower,
        Self::Cement,
        Self::Coal,
        Self::Paper,
        Self::Dyeing,
        Self::SewagePlant,
        Self::WasteIncineration,
        Self::Chemical,
        Self::Other,
    ];
}

/// Supervision category: 重点 / 一般 / 特殊监管对象.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceCategory {
    Key,
    General,
    Special,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OperatingStatus {
    Operating,
    Stopped,
    Closed,
}

impl OperatingStatus {
    /// The value as files store it.
    pub fn code(self) -> &'static str {
        match self {
            Self::Operating => "operating",
            Self::Stopped => "stopped",
            Self::Closed => "closed",
        }
    }
}

/// 污染源: a regulated facility.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PollutionSource {
    pub id: String,
    pub name: String,
    /// 统一社会信用代码, 18 characters.
    pub credit_code: String,
    pub industry: Industry,
    pub category: SourceCategory,
    /// GB/T 2260 code of the district.
    pub district_code: String,
    pub status: OperatingStatus,
    /// ISO date the current status began.
    pub status_since: String,
    /// ISO date the current status ends (a stop order's end), if known.
    pub status_until: Option<String>,
    /// 监督执法正面清单: exempt from random on-site checks.
    pub positive_list: bool,
    pub last_inspection: Option<String>,
    pub permit_no: String,
    /// Whom inspectors ask for on site (环保负责人) and their phone, for the task sheets;
    /// empty where not known (older projects).
    #[serde(default)]
    pub contact: String,
    #[serde(default)]
    pub phone: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutfallType {
    Industrial,
    Domestic,
    Stormwater,
    Mixed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Bank {
    Left,
    Right,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutfallStatus {
    Active,
    Closed,
    Banned,
}

impl OutfallStatus {
    /// Closed or banned: a plume there is a discharge that should not be.
    pub fn is_shut(self) -> bool {
        matches!(self, Self::Closed | Self::Banned)
    }
}

/// 入河排污口: a registered outlet into a river.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outfall {
    pub id: String,
    pub name: String,
    pub outfall_type: OutfallType,
    pub river: String,
    pub bank: Bank,
    pub status: OutfallStatus,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SectionLevel {
    National,
    Municipal,
    District,
}

/// Surface-water quality class (GB 3838-2002), I best to 劣V worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum WaterClass {
    I,
    II,
    III,
    IV,
    V,
    #[serde(rename = "劣V")]
    WorseThanV,
}

/// 断面: a water-quality monitoring cross-section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiverSection {
    pub id: String,
    pub name: String,
    pub river: String,
    pub level: SectionLevel,
    pub target_class: WaterClass,
    pub latest_class: WaterClass,
}

/// 区县 with its enforcement office (执法支队).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct District {
    /// GB/T 2260 code.
    pub adcode: String,
    pub name: String,
    pub province: String,
    pub office_lon: f64,
    pub office_lat: f64,
    pub office_phone: String,
}

/// A river line; vertex order is the flow direction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct River {
    pub id: String,
    pub name: String,
    pub name_en: String,
    pub wdbii_level: i64,
}

/// An enforcement team (执法支队 / 总队) with its office location.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Team {
    pub team_id: String,
    pub name: String,
    /// District served; the city corps serves `500000`.
    pub district_code: String,
    pub members: i64,
    pub phone: String,
}

/// 执法人员: one inspector and their certificate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Inspector {
    pub inspector_id: String,
    pub name: String,
    pub team_id: String,
    pub certificate_no: String,
    pub certificate_expiry: String,
}

/// Builds a layer from typed records; columns follow the record's field order.
pub fn layer_from_records<T: Serialize>(
    name: &str,
    kind: LayerKind,
    records: impl IntoIterator<Item = (Option<Geometry<f64>>, T)>,
) -> Layer {
    let mut layer = Layer::new(name, kind, Vec::new());
    for (geometry, record) in records {
        let serde_json::Value::Object(map) = serde_json::to_value(&record).unwrap_or_default()
        else {
            debug_assert!(false, "records serialize to JSON objects");
            continue;
        };
        if layer.fields.is_empty() {
            layer.fields = map.keys().cloned().collect();
        }
        let values = map.values().map(AttrValue::from_json).collect();
        layer.features.push(Feature { geometry, values });
    }
    layer
}

/// Reads feature `index` of a layer back as a typed record (fields matched by name).
pub fn record_from_layer<T: for<'de> Deserialize<'de>>(layer: &Layer, index: usize) -> Option<T> {
    let feature = layer.features.get(index)?;
    let map: serde_json::Map<String, serde_json::Value> = layer
        .fields
        .iter()
        .zip(&feature.values)
        .map(|(k, v)| (k.clone(), v.to_json()))
        .collect();
    serde_json::from_value(serde_json::Value::Object(map)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_round_trip_through_a_layer() {
        let s = RiverSection {
            id: "S01".into(),
            name: "朱沱".into(),
            river: "长江".into(),
            level: SectionLevel::National,
            target_class: WaterClass::II,
            latest_class: WaterClass::WorseThanV,
        };
        let layer = layer_from_records("sections", LayerKind::RiverSections, [(None, s.clone())]);
        assert_eq!(layer.fields[0], "id");
        assert_eq!(
            layer.value(0, "latest_class"),
            &AttrValue::Text("劣V".into())
        );
        assert_eq!(record_from_layer::<RiverSection>(&layer, 0), Some(s));
    }
}
