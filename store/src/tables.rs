//! How a project's layers become the store's tables: the contract's names for the registry
//! layers, a column per field typed by its values, the feature id and the district.

use yitu_layers::layer::is_detections_layer;
use yitu_layers::{AttrValue, Layer, LayerKind};

/// Columns every table has, which no field may take.
const RESERVED: [&str; 4] = ["id", "version", "geom", "district"];
/// Fields that hold a feature's id, in order of preference.
const ID_FIELDS: [&str; 4] = ["id", "team_id", "inspector_id", "adcode"];
/// Fields that hold a row's district (GB/T 2260 code).
const DISTRICT_FIELDS: [&str; 4] = ["district", "district_code", "adcode", "district_adcode"];

/// An SQL column type, chosen from a field's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SqlType {
    Text,
    BigInt,
    Double,
    Boolean,
}

impl SqlType {
    /// The type a column of `data_type` (as `information_schema.columns` names it) is read as:
    /// the types the store creates as themselves (the `integer` version as a big integer),
    /// anything else as text.
    pub fn of_column(data_type: &str) -> Self {
        match data_type {
            "bigint" | "integer" => Self::BigInt,
            "double precision" => Self::Double,
            "boolean" => Self::Boolean,
            _ => Self::Text,
        }
    }

    pub fn sql(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::BigInt => "bigint",
            Self::Double => "double precision",
            Self::Boolean => "boolean",
        }
    }

    /// The narrowest type that holds every value of field `field` of `layer`.
    fn of(layer: &Layer, field: usize) -> Self {
        let mut kind: Option<Self> = None;
        for f in &layer.features {
            let this = match f.values.get(field) {
                None | Some(AttrValue::Null) => continue,
                Some(AttrValue::Bool(_)) => Self::Boolean,
                Some(AttrValue::Int(_)) => Self::BigInt,
                Some(AttrValue::Real(_)) => Self::Double,
                Some(AttrValue::Text(_)) => Self::Text,
            };
            kind = Some(match (kind, this) {
                (None, t) => t,
                (Some(a), b) if a == b => a,
                (Some(Self::BigInt), Self::Double) | (Some(Self::Double), Self::BigInt) => {
                    Self::Double
                }
                _ => Self::Text,
            });
        }
        kind.unwrap_or(Self::Text)
    }
}

/// A column of a layer's table.
#[derive(Debug, Clone)]
pub struct Column {
    /// The layer's field it holds (an index into its fields); `None` for a column the store
    /// adds, such as a detection's review.
    pub field: Option<usize>,
    pub name: String,
    pub sql_type: SqlType,
}

/// A layer as a table of schema `yitu`.
#[derive(Debug, Clone)]
pub struct TableSpec {
    pub name: String,
    pub columns: Vec<Column>,
    /// The field whose values are the feature ids, when they are all present and distinct.
    pub id_field: Option<usize>,
    /// The field the district is read from.
    pub district_field: Option<usize>,
    /// Whether rows belong to districts (all tables but the rivers, which cross them).
    pub has_district: bool,
}

impl TableSpec {
    /// The table of `layer`; `taken` are the names already given in this project.
    pub fn of(layer: &Layer, taken: &[String]) -> Self {
        let detections = is_detections_layer(layer);
        let contract = match layer.kind {
            LayerKind::Other if detections => Some("detections"),
            LayerKind::PollutionSources => Some("sources"),
            LayerKind::Outfalls => Some("outfalls"),
            LayerKind::RiverSections => Some("sections"),
            LayerKind::Districts => Some("districts"),
            LayerKind::Rivers => Some("rivers"),
            LayerKind::Other => None,
        };
        // The contract's name goes to the first layer of its kind (the city's districts, not
        // Sichuan's after them); any other is named after its layer.
        let base = contract
            .filter(|c| !taken.iter().any(|t| t == c))
            .map_or_else(|| table_name(&layer.name), str::to_owned);
        let mut name = base.clone();
        let mut n = 2;
        while taken.contains(&name) {
            name = format!("{base}_{n}");
            n += 1;
        }
        let find = |names: &[&str]| {
            names.iter().find_map(|want| {
                layer
                    .fields
                    .iter()
                    .position(|f| f.eq_ignore_ascii_case(want))
            })
        };
        let id_field = find(&ID_FIELDS).filter(|&i| ids_are_unique(layer, i));
        let district_field = find(&DISTRICT_FIELDS);
        let mut columns: Vec<Column> = Vec::new();
        for (i, field) in layer.fields.iter().enumerate() {
            // A detection's note is the contract's review note.
            let column = if detections && field == "note" && find(&["review_note"]).is_none() {
                "review_note"
            } else {
                field
            };
            let lower = column.to_lowercase();
            let clash = RESERVED.contains(&lower.as_str())
                || columns.iter().any(|c| c.name.eq_ignore_ascii_case(column));
            if !clash {
                columns.push(Column {
                    field: Some(i),
                    name: column.to_owned(),
                    sql_type: SqlType::of(layer, i),
                });
            }
        }
        if detections {
            // Reviews are kept beside each detection (the contract's two columns).
            for review in ["review", "review_note"] {
                if !columns.iter().any(|c| c.name == review) {
                    columns.push(Column {
                        field: None,
                        name: review.to_owned(),
                        sql_type: SqlType::Text,
                    });
                }
            }
        }
        Self {
            has_district: layer.kind != LayerKind::Rivers,
            name,
            columns,
            id_field,
            district_field,
        }
    }

    /// `CREATE TABLE` for it.
    pub fn create_sql(&self) -> String {
        let mut columns = vec![
            "id text PRIMARY KEY".to_owned(),
            "version integer NOT NULL DEFAULT 1".to_owned(),
            "geom geometry(Geometry, 4326)".to_owned(),
        ];
        if self.has_district {
            columns.push("district text".to_owned());
        }
        columns.extend(
            self.columns
                .iter()
                .map(|c| format!("{} {}", crate::schema::ident(&c.name), c.sql_type.sql())),
        );
        format!(
            "CREATE TABLE yitu.{} (\n    {}\n)",
            crate::schema::ident(&self.name),
            columns.join(",\n    ")
        )
    }

    /// The id of feature `index`: its id field's value, else its position from 1.
    pub fn feature_id(&self, layer: &Layer, index: usize) -> String {
        self.id_field
            .and_then(|i| text_of(&layer.features[index].values[i]))
            .unwrap_or_else(|| (index + 1).to_string())
    }

    /// The district of feature `index` where its layer says it; the rest are placed by their
    /// geometry once the districts are loaded.
    pub fn feature_district(&self, layer: &Layer, index: usize) -> Option<String> {
        self.district_field
            .and_then(|i| text_of(&layer.features[index].values[i]))
            .filter(|code| is_district_code(code))
    }
}

/// A GB/T 2260 code: six digits.
pub fn is_district_code(code: &str) -> bool {
    code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit())
}

/// A value's text, `None` for null.
fn text_of(value: &AttrValue) -> Option<String> {
    match value {
        AttrValue::Null => None,
        AttrValue::Text(s) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
        other => Some(other.to_string()),
    }
}

fn ids_are_unique(layer: &Layer, field: usize) -> bool {
    let mut seen = std::collections::HashSet::new();
    layer.features.iter().all(|f| {
        f.values
            .get(field)
            .and_then(text_of)
            .is_some_and(|id| seen.insert(id))
    })
}

/// A table name for an imported layer: lower-case ASCII letters, digits and underscores.
fn table_name(layer: &str) -> String {
    let mut name: String = layer
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    name = name.trim_matches('_').to_owned();
    if name.is_empty() {
        "layer".clone_into(&mut name);
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("layer_{name}");
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_contract_names_go_to_the_first_layer_of_their_kind() {
        let city = Layer::new("districts", LayerKind::Districts, vec!["adcode".into()]);
        let sichuan = Layer::new("sichuan_districts", LayerKind::Districts, vec![]);
        let first = TableSpec::of(&city, &[]);
        assert_eq!(first.name, "districts");
        assert_eq!(
            TableSpec::of(&sichuan, &[first.name]).name,
            "sichuan_districts"
        );
    }

    #[test]
    fn imported_layers_get_plain_names() {
        assert_eq!(table_name("Detections"), "detections");
        assert_eq!(table_name("河流 2024"), "layer_2024");
        assert_eq!(table_name("排污口"), "layer");
    }
}
