//! Attribute values: the few types every vector format can store.

use std::cmp::Ordering;
use std::fmt;

/// One attribute value of a feature. Dates are ISO `YYYY-MM-DD` text, which sorts correctly and
/// survives every format (Shapefile and KML date support is uneven).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, Default)]
#[serde(untagged)]
pub enum AttrValue {
    #[default]
    Null,
    Bool(bool),
    Int(i64),
    Real(f64),
    Text(String),
}

impl AttrValue {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Self::Text(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Self::Int(i) => Some(*i as f64),
            Self::Real(r) => Some(*r),
            Self::Text(s) => s.trim().parse().ok(),
            Self::Null | Self::Bool(_) => None,
        }
    }

    /// Total order for sorting table columns: nulls first, numbers numerically, then text.
    pub fn cmp_for_sort(&self, other: &Self) -> Ordering {
        fn rank(v: &AttrValue) -> u8 {
            match v {
                AttrValue::Null => 0,
                AttrValue::Bool(_) => 1,
                AttrValue::Int(_) | AttrValue::Real(_) => 2,
                AttrValue::Text(_) => 3,
            }
        }
        match (self, other) {
            (Self::Bool(a), Self::Bool(b)) => a.cmp(b),
            (Self::Text(a), Self::Text(b)) => a.cmp(b),
            (a, b) if rank(a) == 2 && rank(b) == 2 => a
                .as_f64()
                .unwrap_or_default()
                .total_cmp(&b.as_f64().unwrap_or_default()),
            (a, b) => rank(a).cmp(&rank(b)),
        }
    }

    /// Converts a JSON scalar; arrays and objects are kept as their JSON text.
    pub fn from_json(v: &serde_json::Value) -> Self {
        match v {
            serde_json::Value::Null => Self::Null,
            serde_json::Value::Bool(b) => Self::Bool(*b),
            serde_json::Value::Number(n) => n
                .as_i64()
                .map_or_else(|| Self::Real(n.as_f64().unwrap_or(f64::NAN)), Self::Int),
            serde_json::Value::String(s) => Self::Text(s.clone()),
            other => Self::Text(other.to_string()),
        }
    }

    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Self::Null => serde_json::Value::Null,
            Self::Bool(b) => serde_json::Value::Bool(*b),
            Self::Int(i) => serde_json::Value::from(*i),
            Self::Real(r) => serde_json::Value::from(*r),
            Self::Text(s) => serde_json::Value::String(s.clone()),
        }
    }
}

impl fmt::Display for AttrValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Null => Ok(()),
            Self::Bool(b) => write!(f, "{b}"),
            Self::Int(i) => write!(f, "{i}"),
            Self::Real(r) => write!(f, "{r}"),
            Self::Text(s) => f.write_str(s),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_sort_numerically_and_nulls_first() {
        let mut v = [
            AttrValue::Int(10),
            AttrValue::Real(2.5),
            AttrValue::Null,
            AttrValue::Int(3),
        ];
        v.sort_by(AttrValue::cmp_for_sort);
        assert_eq!(
            v,
            [
                AttrValue::Null,
                AttrValue::Real(2.5),
                AttrValue::Int(3),
                AttrValue::Int(10)
            ]
        );
    }
}
