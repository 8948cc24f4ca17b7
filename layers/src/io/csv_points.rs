//! CSV point tables as exported by registries, Amap or Baidu: coordinate columns found by name
//! in English or Chinese, UTF-8 or GBK text, every bad row named.

use std::path::Path;

use geo::Point;

use super::{Import, ReadOptions};
use crate::attribute::AttrValue;
use crate::crs::{Crs, Reprojector};
use crate::error::{LayersError, Result, RowIssue};
use crate::layer::{Feature, Layer, LayerKind};

const LON_NAMES: &[&str] = &["lon", "lng", "long", "longitude", "经度", "x"];
const LAT_NAMES: &[&str] = &["lat", "latitude", "纬度", "y"];

#[derive(Debug, Clone, Default)]
pub struct CsvOptions {
    /// CRS of the coordinate columns (default WGS84).
    pub crs: Option<Crs>,
    pub skip_bad_rows: bool,
}

impl From<ReadOptions> for CsvOptions {
    fn from(o: ReadOptions) -> Self {
        Self {
            crs: o.source_crs,
            skip_bad_rows: o.skip_bad_rows,
        }
    }
}

/// Decodes UTF-8 (with or without BOM), falling back to GBK, the usual encoding of Excel
/// exports on Chinese Windows.
fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => encoding_rs::GBK.decode(bytes).0.into_owned(),
    }
}

fn find_column(headers: &[String], names: &[&str]) -> Option<usize> {
    headers
        .iter()
        .position(|h| names.contains(&h.trim().to_lowercase().as_str()))
}

/// Reads a CSV of points. Rows with unparsable or out-of-range coordinates, or the wrong number
/// of cells, are errors, all gathered; with `skip_bad_rows` they become warnings.
pub fn read_csv_points(path: &Path, options: &CsvOptions) -> Result<Import> {
    let bytes = std::fs::read(path).map_err(|error| LayersError::Io {
        path: path.to_path_buf(),
        error,
    })?;
    let text = decode(&bytes);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| LayersError::BadFile {
            path: path.to_path_buf(),
            problem: format!("cannot read the header row: {e}"),
        })?
        .iter()
        .map(str::to_owned)
        .collect();
    let (Some(lon_col), Some(lat_col)) = (
        find_column(&headers, LON_NAMES),
        find_column(&headers, LAT_NAMES),
    ) else {
        return Err(LayersError::BadFile {
            path: path.to_path_buf(),
            problem: format!(
                "no longitude/latitude columns (looked for {} and {}; found {})",
                LON_NAMES.join("/"),
                LAT_NAMES.join("/"),
                headers.join(", ")
            ),
        });
    };
    let crs = options.crs.unwrap_or_default();
    let to_wgs84 = Reprojector::new(crs, Crs::Wgs84)?;
    let fields: Vec<String> = headers
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != lon_col && *i != lat_col)
        .map(|(_, h)| h.clone())
        .collect();
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("csv");
    let mut layer = Layer::new(stem, LayerKind::Other, fields);
    layer.source_crs = crs.to_string();
    let mut issues = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let row = i + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                issues.push(RowIssue {
                    row,
                    problem: e.to_string(),
                });
                continue;
            }
        };
        if record.len() != headers.len() {
            issues.push(RowIssue {
                row,
                problem: format!("{} cells, the header has {}", record.len(), headers.len()),
            });
            continue;
        }
        match parse_point(&record, lon_col, lat_col, &to_wgs84, crs) {
            Ok(p) => {
                let values = record
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| *i != lon_col && *i != lat_col)
                    .map(|(_, cell)| cell_value(cell))
                    .collect();
                layer.features.push(Feature {
                    geometry: Some(p.into()),
                    values,
                });
            }
            Err(problem) => issues.push(RowIssue { row, problem }),
        }
    }
    if !issues.is_empty() && !options.skip_bad_rows {
        return Err(LayersError::BadRows {
            path: path.to_path_buf(),
            issues,
            good: layer.features.len(),
        });
    }
    let first = layer.features.first().and_then(|f| f.geometry.clone());
    layer.kind = LayerKind::detect(&layer.fields, first.as_ref());
    Ok(Import {
        layers: vec![layer],
        skipped: issues,
    })
}

fn parse_point(
    record: &csv::StringRecord,
    lon_col: usize,
    lat_col: usize,
    to_wgs84: &Reprojector,
    crs: Crs,
) -> std::result::Result<Point<f64>, String> {
    let number = |col: usize, what: &str| -> std::result::Result<f64, String> {
        let cell = record.get(col).unwrap_or_default().trim();
        cell.parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| format!("{what} `{cell}` is not a number"))
    };
    let (x, y) = (number(lon_col, "longitude")?, number(lat_col, "latitude")?);
    let geographic = !matches!(crs, Crs::Epsg(code) if code != crate::crs::EPSG_CGCS2000);
    if geographic && (!(-180.0..=180.0).contains(&x) || !(-90.0..=90.0).contains(&y)) {
        return Err(format!("({x}, {y}) is outside longitude/latitude range"));
    }
    let (lon, lat) = to_wgs84
        .coord(x, y)
        .ok_or_else(|| format!("({x}, {y}) cannot be transformed from {crs}"))?;
    Ok(Point::new(lon, lat))
}

/// Integers and decimals become numbers so that they sort numerically; codes with leading zeros
/// (and 18-digit credit codes) stay text.
fn cell_value(cell: &str) -> AttrValue {
    let t = cell.trim();
    if t.is_empty() {
        AttrValue::Null
    } else if t.len() < 16 && !(t.starts_with('0') && t.len() > 1 && !t.starts_with("0.")) {
        t.parse::<i64>()
            .map(AttrValue::Int)
            .or_else(|_| t.parse::<f64>().map(AttrValue::Real))
            .unwrap_or_else(|_| AttrValue::Text(t.to_owned()))
    } else {
        AttrValue::Text(t.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_text_is_decoded() {
        let (gbk, _, _) = encoding_rs::GBK.encode("名称,经度,纬度\n渝中区,106.5,29.5\n");
        assert!(decode(&gbk).starts_with("名称,经度,纬度"));
    }

    #[test]
    fn numbers_become_numbers_but_codes_stay_text() {
        assert_eq!(cell_value("42"), AttrValue::Int(42));
        assert_eq!(cell_value("0.5"), AttrValue::Real(0.5));
        assert_eq!(cell_value("007"), AttrValue::Text("007".into()));
        assert_eq!(
            cell_value("91500000MA5U7XXX1A"),
            AttrValue::Text("91500000MA5U7XXX1A".into())
        );
    }
}
