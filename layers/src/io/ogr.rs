//! GDAL/OGR reading and writing of GeoJSON, GeoPackage, Shapefile, KML and CSV.
//!
//! A GDAL dataset is opened, read and dropped inside one call, so it never crosses threads
//! (`Dataset` is `Send` but not `Sync`).

use std::path::{Path, PathBuf};

use gdal::vector::{
    Feature as GdalFeature, FieldDefn, FieldValue, LayerAccess, LayerOptions, OGRFieldType,
    OGRwkbGeometryType, ToGdal,
};
use gdal::{Dataset, DatasetOptions, DriverManager, GdalOpenFlags};
use geo::Geometry;

use super::{Import, ReadOptions, VectorFormat};
use crate::attribute::AttrValue;
use crate::crs::{Crs, Reprojector};
use crate::error::{LayersError, Result, RowIssue};
use crate::layer::{Feature, Layer, LayerKind};

/// Opens `path` read-only as a vector dataset.
pub(crate) fn open_vector(path: &Path) -> Result<Dataset> {
    Dataset::open_ex(
        path,
        DatasetOptions {
            open_flags: GdalOpenFlags::GDAL_OF_VECTOR | GdalOpenFlags::GDAL_OF_READONLY,
            ..Default::default()
        },
    )
    .map_err(|source| {
        // GDAL's message for malformed JSON is vague; serde_json says where it broke.
        let detail = std::fs::read(path)
            .ok()
            .filter(|_| VectorFormat::from_path(path).ok() == Some(VectorFormat::GeoJson))
            .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).err());
        match detail {
            Some(e) => LayersError::BadFile {
                path: path.to_path_buf(),
                problem: format!(
                    "invalid JSON at line {} column {}: {e}",
                    e.line(),
                    e.column()
                ),
            },
            None => LayersError::Gdal {
                action: "open the file",
                path: path.to_path_buf(),
                error: source,
            },
        }
    })
}

/// Reads every layer of an OGR dataset into WGS84.
pub fn read_ogr(path: &Path, options: ReadOptions) -> Result<Import> {
    let dataset = open_vector(path)?;
    let mut import = Import::default();
    for mut ogr_layer in dataset.layers() {
        let (from, crs_label) = match options.source_crs {
            Some(crs) => (crs, crs.to_string()),
            None => layer_crs(&ogr_layer, path)?,
        };
        let to_wgs84 = Reprojector::new(from, Crs::Wgs84)?;
        let fields: Vec<String> = ogr_layer.defn().fields().map(|f| f.name()).collect();
        // Dates are kept as ISO text (see `AttrValue`); GDAL's date getters also fail on
        // partial dates that its GeoJSON driver guessed as dates.
        let as_text: Vec<bool> = ogr_layer
            .defn()
            .fields()
            .map(|f| {
                matches!(
                    f.field_type(),
                    OGRFieldType::OFTDate | OGRFieldType::OFTDateTime | OGRFieldType::OFTTime
                )
            })
            .collect();
        let mut layer = Layer::new(ogr_layer.name(), LayerKind::Other, fields);
        layer.source_crs = crs_label;
        for (row, feature) in ogr_layer.features().enumerate() {
            match convert_feature(&feature, &as_text, &to_wgs84) {
                Ok(f) => layer.features.push(f),
                Err(problem) => import.skipped.push(RowIssue {
                    row: row + 1,
                    problem,
                }),
            }
        }
        let first_geometry = layer.features.iter().find_map(|f| f.geometry.as_ref());
        layer.kind = LayerKind::detect(&layer.fields, first_geometry);
        import.layers.push(layer);
    }
    if !import.skipped.is_empty() && !options.skip_bad_rows {
        let good = import.layers.iter().map(|l| l.features.len()).sum();
        return Err(LayersError::BadRows {
            path: path.to_path_buf(),
            issues: import.skipped,
            good,
        });
    }
    Ok(import)
}

/// The CRS a layer declares; a layer with none is taken as WGS84, the GeoJSON default.
fn layer_crs(layer: &gdal::vector::Layer<'_>, path: &Path) -> Result<(Crs, String)> {
    let Some(mut srs) = layer.spatial_ref() else {
        return Ok((
            Crs::Wgs84,
            "EPSG:4326 (assumed: the file names no CRS)".to_owned(),
        ));
    };
    let code = srs.auth_code().ok().or_else(|| {
        srs.auto_identify_epsg().ok()?;
        srs.auth_code().ok()
    });
    match code {
        Some(4326) => Ok((Crs::Wgs84, Crs::Wgs84.to_string())),
        Some(code) => {
            let crs = Crs::Epsg(code as u32);
            Ok((crs, crs.to_string()))
        }
        None => Err(LayersError::BadFile {
            path: path.to_path_buf(),
            problem: format!(
                "its CRS `{}` has no EPSG code; give the source CRS explicitly (--from)",
                srs.name().unwrap_or_default()
            ),
        }),
    }
}

fn convert_feature(
    feature: &GdalFeature<'_>,
    as_text: &[bool],
    to_wgs84: &Reprojector,
) -> std::result::Result<Feature, String> {
    let geometry = match feature.geometry() {
        None => None,
        Some(g) if g.is_empty() => None,
        Some(g) => {
            let g: Geometry<f64> = g
                .to_geo()
                .map_err(|e| format!("unreadable geometry: {e}"))?;
            let g = to_wgs84
                .geometry(&g)
                .ok_or_else(|| "geometry cannot be transformed to WGS84".to_owned())?;
            check_lon_lat(&g)?;
            Some(g)
        }
    };
    let values = as_text
        .iter()
        .enumerate()
        .map(|(i, &text)| {
            let value = if text {
                feature
                    .field_as_string(i)
                    .map(|v| v.map_or(AttrValue::Null, |t| AttrValue::Text(iso_from_ogr(&t))))
            } else {
                feature
                    .field(i)
                    .map(|v| v.map_or(AttrValue::Null, attr_from_gdal))
            };
            value.map_err(|e| format!("field {i}: {e}"))
        })
        .collect::<std::result::Result<_, _>>()?;
    Ok(Feature { geometry, values })
}

/// OGR's text of a date, date-time or time field as ISO 8601: `2025/06/12` → `2025-06-12`,
/// `2025/06/12 08:30:00+08` → `2025-06-12T08:30:00+08`; a time or other text is kept.
fn iso_from_ogr(text: &str) -> String {
    let (date, time) = text.split_once(' ').unwrap_or((text, ""));
    let is_ogr_date = date.len() == 10
        && date.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'/'
            } else {
                b.is_ascii_digit()
            }
        });
    if !is_ogr_date {
        return text.to_owned();
    }
    let date = date.replace('/', "-");
    if time.is_empty() {
        date
    } else {
        format!("{date}T{time}")
    }
}

/// Rejects coordinates outside lon/lat range: the usual sign of a projected file read as
/// geographic (a wrong or missing CRS).
fn check_lon_lat(g: &Geometry<f64>) -> std::result::Result<(), String> {
    use geo::CoordsIter;
    match g
        .coords_iter()
        .find(|c| !(-180.0..=180.0).contains(&c.x) || !(-90.0..=90.0).contains(&c.y))
    {
        Some(c) => Err(format!(
            "coordinate ({}, {}) is not a longitude/latitude: wrong or missing CRS? give the source CRS (--from)",
            c.x, c.y
        )),
        None => Ok(()),
    }
}

fn attr_from_gdal(v: FieldValue) -> AttrValue {
    match v {
        FieldValue::IntegerValue(i) => AttrValue::Int(i64::from(i)),
        FieldValue::Integer64Value(i) => AttrValue::Int(i),
        FieldValue::RealValue(r) => AttrValue::Real(r),
        FieldValue::StringValue(s) => AttrValue::Text(s),
        FieldValue::DateValue(d) => AttrValue::Text(d.to_string()),
        FieldValue::DateTimeValue(d) => AttrValue::Text(d.to_string()),
        FieldValue::IntegerListValue(v) => AttrValue::Text(format!("{v:?}")),
        FieldValue::Integer64ListValue(v) => AttrValue::Text(format!("{v:?}")),
        FieldValue::RealListValue(v) => AttrValue::Text(format!("{v:?}")),
        FieldValue::StringListValue(v) => AttrValue::Text(v.join(";")),
    }
}

/// The OGR type that can hold every value of a column.
fn column_type(layer: &Layer, column: usize) -> OGRFieldType::Type {
    let mut ty = None;
    for f in &layer.features {
        let t = match f.values.get(column) {
            Some(AttrValue::Int(_) | AttrValue::Bool(_)) => OGRFieldType::OFTInteger64,
            Some(AttrValue::Real(_)) => OGRFieldType::OFTReal,
            Some(AttrValue::Text(_)) => return OGRFieldType::OFTString,
            Some(AttrValue::Null) | None => continue,
        };
        ty = Some(match ty {
            Some(OGRFieldType::OFTReal) => OGRFieldType::OFTReal,
            _ => t,
        });
    }
    ty.unwrap_or(OGRFieldType::OFTString)
}

fn geometry_type(layer: &Layer) -> OGRwkbGeometryType::Type {
    let kinds: std::collections::BTreeSet<_> = layer
        .features
        .iter()
        .filter_map(|f| {
            Some(match f.geometry.as_ref()? {
                Geometry::Point(_) => OGRwkbGeometryType::wkbPoint,
                Geometry::LineString(_) => OGRwkbGeometryType::wkbLineString,
                Geometry::MultiLineString(_) => OGRwkbGeometryType::wkbMultiLineString,
                Geometry::Polygon(_) => OGRwkbGeometryType::wkbPolygon,
                Geometry::MultiPolygon(_) => OGRwkbGeometryType::wkbMultiPolygon,
                Geometry::MultiPoint(_) => OGRwkbGeometryType::wkbMultiPoint,
                _ => OGRwkbGeometryType::wkbUnknown,
            })
        })
        .collect();
    let has = |t| kinds.contains(&t);
    if kinds.is_empty() {
        OGRwkbGeometryType::wkbNone
    } else if kinds.len() == 1 {
        kinds
            .into_iter()
            .next()
            .unwrap_or(OGRwkbGeometryType::wkbUnknown)
    } else if kinds.len() == 2
        && has(OGRwkbGeometryType::wkbPolygon)
        && has(OGRwkbGeometryType::wkbMultiPolygon)
    {
        OGRwkbGeometryType::wkbMultiPolygon
    } else if kinds.len() == 2
        && has(OGRwkbGeometryType::wkbLineString)
        && has(OGRwkbGeometryType::wkbMultiLineString)
    {
        OGRwkbGeometryType::wkbMultiLineString
    } else {
        OGRwkbGeometryType::wkbUnknown
    }
}

/// Promotes single parts to multi where the layer is declared multi (Shapefile and GPKG insist).
fn promote(g: Geometry<f64>, ty: OGRwkbGeometryType::Type) -> Geometry<f64> {
    match (g, ty) {
        (Geometry::Polygon(p), OGRwkbGeometryType::wkbMultiPolygon) => {
            geo::MultiPolygon(vec![p]).into()
        }
        (Geometry::LineString(l), OGRwkbGeometryType::wkbMultiLineString) => {
            geo::MultiLineString(vec![l]).into()
        }
        (g, _) => g,
    }
}

/// Writes layers to a new file at `path` in `crs`. Single-layer formats (GeoJSON, Shapefile,
/// CSV) get one file per layer, named `stem-layer.ext`, when there are several.
/// Returns the files written. An existing file at a target path is replaced.
pub fn write_layers(path: &Path, layers: &[&Layer], crs: Crs) -> Result<Vec<PathBuf>> {
    let format = VectorFormat::from_path(path)?;
    if format.multi_layer() || layers.len() <= 1 {
        write_dataset(path, format, layers, crs)?;
        return Ok(vec![path.to_path_buf()]);
    }
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("layer");
    let ext = path
        .extension()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    layers
        .iter()
        .map(|layer| {
            let one = path.with_file_name(format!("{stem}-{}.{ext}", layer.name));
            write_dataset(&one, format, &[layer], crs)?;
            Ok(one)
        })
        .collect()
}

fn write_dataset(path: &Path, format: VectorFormat, layers: &[&Layer], crs: Crs) -> Result<()> {
    let gdal_err = |action| LayersError::gdal(action, path);
    let driver =
        DriverManager::get_driver_by_name(format.driver()).map_err(gdal_err("load the driver"))?;
    if path.exists() {
        // Shapefile sidecars and stale outputs would otherwise be appended to.
        driver
            .delete(path)
            .map_err(gdal_err("replace the existing file"))?;
    }
    let mut dataset = driver
        .create_vector_only(path)
        .map_err(gdal_err("create the file"))?;
    if format == VectorFormat::GeoPackage {
        // One transaction for the whole file: GeoPackage writes are ~100x faster this way.
        let mut txn = dataset
            .start_transaction()
            .map_err(gdal_err("start a transaction"))?;
        write_into(&mut txn, path, format, layers, crs)?;
        txn.commit().map_err(gdal_err("commit"))
    } else {
        write_into(&mut dataset, path, format, layers, crs)
    }
}

fn write_into(
    ds: &mut Dataset,
    path: &Path,
    format: VectorFormat,
    layers: &[&Layer],
    crs: Crs,
) -> Result<()> {
    let gdal_err = |action| LayersError::gdal(action, path);
    let srs = crs.spatial_ref()?;
    let from_wgs84 = Reprojector::new(Crs::Wgs84, crs)?;
    for layer in layers {
        let ty = geometry_type(layer);
        let creation: &[&str] = match format {
            VectorFormat::Shapefile => &["ENCODING=UTF-8"],
            VectorFormat::Csv if ty == OGRwkbGeometryType::wkbPoint => &["GEOMETRY=AS_XY"],
            VectorFormat::Csv => &["GEOMETRY=AS_WKT"],
            _ => &[],
        };
        let out = ds
            .create_layer(LayerOptions {
                name: &layer.name,
                srs: (ty != OGRwkbGeometryType::wkbNone).then_some(&srs),
                ty,
                options: Some(creation),
            })
            .map_err(gdal_err("create a layer"))?;
        // Where each of our columns lands: drivers may have fields of their own (KML's Name,
        // description, ...) and may rename ours (Shapefile's 10-character limit).
        let mut columns = Vec::with_capacity(layer.fields.len());
        for (i, name) in layer.fields.iter().enumerate() {
            FieldDefn::new(name, column_type(layer, i))
                .and_then(|d| d.add_to_layer(&out))
                .map_err(gdal_err("create a field"))?;
            let count = out.defn().fields().count();
            columns.push(out.defn().field_index(name).unwrap_or(count - 1));
        }
        let defn = out.defn();
        for f in &layer.features {
            let mut ogr = GdalFeature::new(defn).map_err(gdal_err("create a feature"))?;
            if let Some(g) = &f.geometry {
                let g = from_wgs84.geometry(g).ok_or_else(|| LayersError::BadFile {
                    path: path.to_path_buf(),
                    problem: format!(
                        "a geometry of layer `{}` cannot be transformed to {crs}",
                        layer.name
                    ),
                })?;
                let g = promote(g, ty)
                    .to_gdal()
                    .map_err(gdal_err("convert a geometry"))?;
                ogr.set_geometry(g).map_err(gdal_err("set a geometry"))?;
            }
            for (&i, v) in columns.iter().zip(&f.values) {
                let r = match v {
                    AttrValue::Null => Ok(()),
                    AttrValue::Bool(b) => ogr.set_field_integer64(i, i64::from(*b)),
                    AttrValue::Int(n) => ogr.set_field_integer64(i, *n),
                    AttrValue::Real(r) => ogr.set_field_double(i, *r),
                    AttrValue::Text(s) => ogr.set_field_string(i, s),
                };
                r.map_err(gdal_err("set a field"))?;
            }
            ogr.create(&out).map_err(gdal_err("write a feature"))?;
        }
    }
    Ok(())
}
