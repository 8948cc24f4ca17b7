//! GeoJSON river lines read by serde straight into [`RiverLine`]s. GDAL's GeoJSON driver takes
//! 2.2 s for a network of 131,071 reaches (`yitu bench --basins`), most of the issue's 2 s
//! budget; this reads only what a network needs. Anything it does not expect (a `crs`
//! member naming another CRS, a malformed file) sends the caller back to GDAL; features that
//! are not lines are skipped.

use geo::Coord;
use serde::Deserialize;
use serde::de::{self, SeqAccess, Visitor};
use serde_json::Value;

use crate::network::RiverLine;

#[derive(Deserialize)]
struct Collection {
    features: Vec<Feature>,
    #[serde(default)]
    crs: Option<Value>,
}

#[derive(Deserialize)]
struct Feature {
    #[serde(default)]
    properties: Option<Properties>,
    geometry: Option<Geometry>,
}

#[derive(Deserialize)]
struct Properties {
    #[serde(default)]
    id: Option<Value>,
    #[serde(default)]
    name: Option<Value>,
    #[serde(default)]
    velocity_m_s: Option<Value>,
}

#[derive(Deserialize)]
struct Geometry {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    coordinates: Option<Node>,
}

/// Nested coordinate arrays, whatever their depth.
enum Node {
    Number(f64),
    List(Vec<Node>),
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Node;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a number or an array")
            }
            fn visit_f64<E>(self, v: f64) -> Result<Node, E> {
                Ok(Node::Number(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
                Ok(Node::Number(v as f64))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
                Ok(Node::Number(v as f64))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(2));
                while let Some(n) = seq.next_element()? {
                    out.push(n);
                }
                Ok(Node::List(out))
            }
        }
        d.deserialize_any(V)
    }
}

/// A list of positions as coordinates (a third value, the height, is dropped).
fn positions(node: &Node) -> Option<Vec<Coord<f64>>> {
    let Node::List(items) = node else { return None };
    items
        .iter()
        .map(|p| match p {
            Node::List(xy) => match xy.as_slice() {
                [Node::Number(x), Node::Number(y), ..] => Some(Coord { x: *x, y: *y }),
                _ => None,
            },
            Node::Number(_) => None,
        })
        .collect()
}

fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

/// The river lines of a GeoJSON text in WGS84; `None` when it is not one this reader takes.
pub fn lines(text_in: &str) -> Option<Vec<RiverLine>> {
    let collection: Collection = serde_json::from_str(text_in).ok()?;
    // A `crs` member other than WGS84 longitude/latitude (as GDAL writes it) is GDAL's job.
    if let Some(crs) = &collection.crs {
        let name = crs
            .pointer("/properties/name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if !(name.ends_with("CRS84") || name.ends_with(":4326") || name.ends_with("::4326")) {
            return None;
        }
    }
    let mut out = Vec::new();
    for (i, f) in collection.features.iter().enumerate() {
        let Some(g) = &f.geometry else { continue };
        let parts = match (g.kind.as_str(), &g.coordinates) {
            ("LineString", Some(c)) => vec![positions(c)?],
            ("MultiLineString", Some(Node::List(ls))) => {
                ls.iter().map(positions).collect::<Option<Vec<_>>>()?
            }
            _ => continue,
        };
        let p = f.properties.as_ref();
        let id = text(p.and_then(|p| p.id.as_ref())).unwrap_or_else(|| i.to_string());
        let name = text(p.and_then(|p| p.name.as_ref())).unwrap_or_default();
        let velocity_m_s = p
            .and_then(|p| p.velocity_m_s.as_ref())
            .and_then(Value::as_f64)
            .filter(|v| *v > 0.0);
        out.extend(RiverLine::of_parts(&id, &name, velocity_m_s, parts));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn wgs84_is_read_here_and_other_crss_are_left_to_gdal() {
        let line = r#"{"type":"Feature","properties":{"id":7,"name":"河","velocity_m_s":0.8},"geometry":{"type":"LineString","coordinates":[[106,29,300],[106.1,29.1,290]]}}"#;
        let text =
            |crs: &str| format!(r#"{{"type":"FeatureCollection",{crs}"features":[{line}]}}"#);
        let lines = super::lines(&text("")).expect("read");
        assert_eq!(
            (
                lines[0].id.as_str(),
                lines[0].name.as_str(),
                lines[0].velocity_m_s
            ),
            ("7", "河", Some(0.8))
        );
        assert_eq!(lines[0].coords.len(), 2);
        let crs84 =
            r#""crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}},"#;
        assert!(super::lines(&text(crs84)).is_some());
        let utm = r#""crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::32648"}},"#;
        assert!(super::lines(&text(utm)).is_none());
        assert!(super::lines("{not json").is_none());
    }
}
