//! What changed in an offline copy since it was made, found without any program running while
//! it was edited.
//!
//! A copy is edited in the field by Yitu or by any GeoPackage editor (QGIS, ogr2ogr, a script),
//! so nothing can be relied on to log the edits as they happen. Instead the copy carries its own
//! base: table `yitu_sync_base` holds every row as it was made (id, version, the other columns
//! as SQLite's `json_object`, the geometry blob), and the changes are the difference between the
//! layers and that base, worked out by SQLite itself so that both sides are written alike. Rows
//! are matched by their `id` column, which survives any rewrite of the file (a Yitu save
//! renumbers feature ids). The base table is not registered in `gpkg_contents`, so GDAL and QGIS
//! do not list it as a layer.

use std::collections::BTreeMap;
use std::path::Path;

use gdal::vector::LayerAccess;
use gdal::vector::sql::Dialect;
use gdal::{Dataset, DatasetOptions, GdalOpenFlags};

use crate::error::{LayersError, Result};
use crate::sql::{ident, literal};

/// The table of base rows inside a copy.
const BASE_TABLE: &str = "yitu_sync_base";
const BASE_SCHEMA: &str = "CREATE TABLE yitu_sync_base (
    layer TEXT NOT NULL, id TEXT NOT NULL, version INTEGER, row TEXT NOT NULL, geom BLOB,
    PRIMARY KEY (layer, id))";
/// Columns that are not a row's data: the key, the version the store gave it.
const NOT_DATA: [&str; 2] = ["id", "version"];

/// What happened to a row of the copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeOp {
    Insert,
    Update,
    Delete,
}

/// A row's data as the copy holds it: each column (but id and version) as JSON, and the
/// geometry as its GeoPackage blob.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub values: serde_json::Map<String, serde_json::Value>,
    pub geometry: Option<Vec<u8>>,
}

/// A row inserted, changed or deleted since the copy was made.
#[derive(Debug, Clone)]
pub struct Change {
    /// The layer (the GeoPackage table).
    pub layer: String,
    pub op: ChangeOp,
    /// The row's id: the base's for a change or deletion, the copy's for an insertion (`None`
    /// when the editor left it empty or copied another row's id).
    pub id: Option<String>,
    /// The row's feature id in the copy (not for a deletion).
    pub fid: Option<i64>,
    /// The version the row had when the copy was made (not for an insertion).
    pub base_version: Option<i64>,
    pub base: Option<Row>,
    pub current: Option<Row>,
}

/// A row of the copy brought level with the store after a push.
#[derive(Debug, Clone)]
pub struct Settled {
    pub layer: String,
    /// The row in the copy (`None`: it was deleted, and leaves the base).
    pub fid: Option<i64>,
    pub id: String,
    /// Its version in the store now.
    pub version: i64,
}

/// A layer table of the copy and how its rows are written as JSON.
struct Table {
    name: String,
    fid: String,
    geometry: Option<String>,
    /// `json_object(...)` over the data columns of the row alias `c`.
    row_json: String,
}

/// Records the base of the GeoPackage at `path`: every row of every layer with an `id` column,
/// as it is now.
pub fn snapshot(path: &Path) -> Result<()> {
    let mut ds = open(path, true)?;
    let tables = tables(&ds, path)?;
    let txn = ds
        .start_transaction()
        .map_err(LayersError::gdal("start a transaction", path))?;
    exec(&txn, path, &format!("DROP TABLE IF EXISTS {BASE_TABLE}"))?;
    exec(&txn, path, BASE_SCHEMA)?;
    for t in &tables {
        exec(&txn, path, &insert_base(t, "1 = 1"))?;
    }
    txn.commit().map_err(LayersError::gdal("commit", path))
}

/// Whether the GeoPackage at `path` carries a base (is an offline copy).
pub fn is_tracked(path: &Path) -> Result<bool> {
    let ds = open(path, false)?;
    has_base(&ds, path, "main")
}

/// Every row inserted, changed or deleted in the copy at `path` since its base was recorded, by
/// layer and feature id.
pub fn changes(path: &Path) -> Result<Vec<Change>> {
    let ds = open(path, false)?;
    if !has_base(&ds, path, "main")? {
        return Err(LayersError::BadFile {
            path: path.to_path_buf(),
            problem: "not an offline copy: it has no yitu_sync_base table (make one with \
                      `yitu store export`)"
                .to_owned(),
        });
    }
    let mut out = Vec::new();
    for t in tables(&ds, path)? {
        let geom = t
            .geometry
            .as_deref()
            .map_or("NULL".to_owned(), |g| format!("c.{}", ident(g)));
        // The first row of each id is the one the base knows; a later one with the same id
        // was pasted from it and is new. (`+ 0`: GDAL would take a bare feature id column as
        // the result's feature id and drop it from the columns.)
        let sql = format!(
            "WITH c AS (SELECT *, row_number() OVER (PARTITION BY \"id\" ORDER BY {fid}) AS yitu_n
                        FROM {name})
             SELECT c.{fid} + 0 AS yitu_fid, CASE WHEN c.yitu_n = 1 THEN c.\"id\" END AS yitu_id,
                    {row} AS yitu_row, hex({geom}) AS yitu_geom,
                    b.version AS yitu_base_version, b.row AS yitu_base_row,
                    hex(b.geom) AS yitu_base_geom
             FROM c LEFT JOIN {BASE_TABLE} b
                  ON b.layer = {layer} AND b.id = c.\"id\" AND c.yitu_n = 1
             WHERE b.id IS NULL OR b.row IS NOT {row} OR b.geom IS NOT {geom}
             ORDER BY c.{fid}",
            fid = ident(&t.fid),
            name = ident(&t.name),
            row = t.row_json,
            layer = literal(&t.name),
        );
        for r in query(&ds, path, &sql)? {
            let base = match r.get(5).cloned().flatten() {
                Some(row) => Some(parse_row(path, &row, r[6].as_deref())?),
                None => None,
            };
            out.push(Change {
                layer: t.name.clone(),
                op: if base.is_some() {
                    ChangeOp::Update
                } else {
                    ChangeOp::Insert
                },
                fid: r[0].as_deref().and_then(|s| s.parse().ok()),
                id: r[1].clone(),
                base_version: r[4].as_deref().and_then(|s| s.parse().ok()),
                current: Some(parse_row(
                    path,
                    r[2].as_deref().unwrap_or("{}"),
                    r[3].as_deref(),
                )?),
                base,
            });
        }
        let gone = format!(
            "SELECT id, version, row, hex(geom) FROM {BASE_TABLE}
             WHERE layer = {layer} AND id NOT IN (SELECT \"id\" FROM {name} WHERE \"id\" IS NOT NULL)
             ORDER BY id",
            layer = literal(&t.name),
            name = ident(&t.name),
        );
        for r in query(&ds, path, &gone)? {
            out.push(Change {
                layer: t.name.clone(),
                op: ChangeOp::Delete,
                id: r[0].clone(),
                fid: None,
                base_version: r[1].as_deref().and_then(|s| s.parse().ok()),
                base: Some(parse_row(
                    path,
                    r[2].as_deref().unwrap_or("{}"),
                    r[3].as_deref(),
                )?),
                current: None,
            });
        }
    }
    Ok(out)
}

/// Brings the rows a push applied level with the store: their id and version in the copy, and
/// their base, so that the next push starts from here. One transaction.
pub fn settle(path: &Path, settled: &[Settled]) -> Result<()> {
    let mut ds = open(path, true)?;
    let tables: BTreeMap<String, Table> = tables(&ds, path)?
        .into_iter()
        .map(|t| (t.name.clone(), t))
        .collect();
    let ds = ds
        .start_transaction()
        .map_err(LayersError::gdal("start a transaction", path))?;
    for s in settled {
        let Some(t) = tables.get(&s.layer) else {
            continue;
        };
        match s.fid {
            Some(fid) => {
                exec(
                    &ds,
                    path,
                    &format!(
                        "UPDATE {name} SET \"id\" = {id}, \"version\" = {v} WHERE {f} = {fid}",
                        name = ident(&t.name),
                        id = literal(&s.id),
                        v = s.version,
                        f = ident(&t.fid),
                    ),
                )?;
                exec(
                    &ds,
                    path,
                    &insert_base(t, &format!("c.{} = {fid}", ident(&t.fid))),
                )?;
            }
            None => exec(
                &ds,
                path,
                &format!(
                    "DELETE FROM {BASE_TABLE} WHERE layer = {} AND id = {}",
                    literal(&t.name),
                    literal(&s.id)
                ),
            )?,
        }
    }
    ds.commit().map_err(LayersError::gdal("commit", path))
}

/// Copies the base of the file at `old` into the GeoPackage at `new` (a save that rewrites a
/// copy keeps it a copy). Nothing happens when `old` is not a SQLite file or has no base.
pub(crate) fn carry_over(old: &Path, new: &Path) -> Result<()> {
    let mut magic = [0_u8; 16];
    let is_sqlite = std::fs::File::open(old)
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut magic))
        .is_ok()
        && &magic == b"SQLite format 3\0";
    if !is_sqlite {
        return Ok(());
    }
    let ds = open(new, true)?;
    let old_path = old.to_string_lossy();
    exec(
        &ds,
        new,
        &format!("ATTACH DATABASE {} AS yitu_old", literal(&old_path)),
    )?;
    let copied = (|| {
        if has_base(&ds, new, "yitu_old")? {
            exec(&ds, new, BASE_SCHEMA)?;
            exec(
                &ds,
                new,
                &format!("INSERT INTO {BASE_TABLE} SELECT * FROM yitu_old.{BASE_TABLE}"),
            )?;
        }
        Ok(())
    })();
    exec(&ds, new, "DETACH DATABASE yitu_old")?;
    copied
}

/// Appends to the base the rows of `t` (alias `c`) matching `filter`, replacing theirs.
fn insert_base(t: &Table, filter: &str) -> String {
    let geom = t
        .geometry
        .as_deref()
        .map_or("NULL".to_owned(), |g| format!("c.{}", ident(g)));
    format!(
        "INSERT OR REPLACE INTO {BASE_TABLE} (layer, id, version, row, geom)
         SELECT {layer}, c.\"id\", c.\"version\", {row}, {geom} FROM {name} AS c
         WHERE c.\"id\" IS NOT NULL AND {filter}",
        layer = literal(&t.name),
        row = t.row_json,
        name = ident(&t.name),
    )
}

fn open(path: &Path, update: bool) -> Result<Dataset> {
    let mode = if update {
        GdalOpenFlags::GDAL_OF_UPDATE
    } else {
        GdalOpenFlags::GDAL_OF_READONLY
    };
    Dataset::open_ex(
        path,
        DatasetOptions {
            open_flags: GdalOpenFlags::GDAL_OF_VECTOR | mode,
            allowed_drivers: Some(&["GPKG"]),
            ..Default::default()
        },
    )
    .map_err(LayersError::gdal("open the GeoPackage", path))
}

/// The layer tables of the copy that rows are tracked in: those with `id` and `version`.
fn tables(ds: &Dataset, path: &Path) -> Result<Vec<Table>> {
    let names = query(
        ds,
        path,
        "SELECT table_name FROM gpkg_contents WHERE table_name <> 'yitu_project' ORDER BY table_name",
    )?;
    let mut out = Vec::new();
    for name in names
        .into_iter()
        .filter_map(|r| r.into_iter().next().flatten())
    {
        let columns = query(
            ds,
            path,
            &format!(
                "SELECT name, pk FROM pragma_table_info({}) ORDER BY cid",
                literal(&name)
            ),
        )?;
        let geometry = query(
            ds,
            path,
            &format!(
                "SELECT column_name FROM gpkg_geometry_columns WHERE table_name = {}",
                literal(&name)
            ),
        )?
        .into_iter()
        .find_map(|r| r.into_iter().next().flatten());
        let mut fid = None;
        let mut data = Vec::new();
        for c in &columns {
            let (Some(column), pk) = (c[0].clone(), c[1].as_deref()) else {
                continue;
            };
            if pk.is_some_and(|p| p != "0") {
                fid = Some(column);
            } else if Some(&column) != geometry.as_ref() {
                data.push(column);
            }
        }
        let tracked = NOT_DATA
            .iter()
            .all(|n| data.iter().any(|c| c.eq_ignore_ascii_case(n)));
        let (Some(fid), true) = (fid, tracked) else {
            continue;
        };
        data.retain(|c| !NOT_DATA.iter().any(|n| c.eq_ignore_ascii_case(n)));
        out.push(Table {
            row_json: row_json(&data),
            name,
            fid,
            geometry,
        });
    }
    Ok(out)
}

/// `json_object` over `columns` of alias `c`. SQLite takes at most 127 arguments to a
/// function, so wide tables are patched together from objects of 60 columns.
fn row_json(columns: &[String]) -> String {
    if columns.is_empty() {
        return "json_object()".to_owned();
    }
    let parts: Vec<String> = columns
        .chunks(60)
        .map(|chunk| {
            let pairs: Vec<String> = chunk
                .iter()
                .map(|c| format!("{}, c.{}", literal(c), ident(c)))
                .collect();
            format!("json_object({})", pairs.join(", "))
        })
        .collect();
    parts
        .into_iter()
        .reduce(|a, b| format!("json_patch({a}, {b})"))
        .unwrap_or_default()
}

fn has_base(ds: &Dataset, path: &Path, schema: &str) -> Result<bool> {
    let found = query(
        ds,
        path,
        &format!(
            "SELECT name FROM {schema}.sqlite_master WHERE type = 'table' AND name = '{BASE_TABLE}'"
        ),
    )?;
    Ok(!found.is_empty())
}

fn parse_row(path: &Path, json: &str, geometry_hex: Option<&str>) -> Result<Row> {
    let bad = |problem: String| LayersError::BadFile {
        path: path.to_path_buf(),
        problem,
    };
    let values = serde_json::from_str(json).map_err(|e| bad(format!("a tracked row: {e}")))?;
    let geometry = match geometry_hex.filter(|h| !h.is_empty()) {
        Some(h) => {
            Some(crate::sql::unhex(h).ok_or_else(|| bad("a tracked geometry is not hex".into()))?)
        }
        None => None,
    };
    Ok(Row { values, geometry })
}

/// Runs a statement that returns no rows.
fn exec(ds: &Dataset, path: &Path, sql: &str) -> Result<()> {
    ds.execute_sql(sql, None, Dialect::DEFAULT)
        .map(drop)
        .map_err(LayersError::gdal("run SQL on the copy", path))
}

/// The rows of a query, each column as text (`None` for NULL).
fn query(ds: &Dataset, path: &Path, sql: &str) -> Result<Vec<Vec<Option<String>>>> {
    let Some(mut rs) = ds
        .execute_sql(sql, None, Dialect::DEFAULT)
        .map_err(LayersError::gdal("query the copy", path))?
    else {
        return Ok(Vec::new());
    };
    let n = rs.defn().fields().count();
    let mut rows = Vec::new();
    for f in rs.features() {
        let mut row = Vec::with_capacity(n);
        for i in 0..n {
            row.push(
                f.field_as_string(i)
                    .map_err(LayersError::gdal("read a query's result", path))?,
            );
        }
        rows.push(row);
    }
    Ok(rows)
}
