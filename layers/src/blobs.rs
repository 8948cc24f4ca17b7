//! Binary data kept inside a project GeoPackage (a monitoring run's series): table
//! `yitu_blobs`, in parts of 16 MB, not registered in `gpkg_contents`, so GDAL and QGIS do not
//! list it as a layer. Written and read with SQLite directly (the GeoPackage is an SQLite
//! file), binding the bytes as a blob: GDAL's SQL takes them only as hex text, twenty times
//! slower for a year of city-wide monitoring data.

use std::path::Path;

use crate::error::{LayersError, Result};

const TABLE: &str = "yitu_blobs";
const PART: usize = 16 << 20;

fn sqlite_error(path: &Path, action: &str) -> impl FnOnce(rusqlite::Error) -> LayersError {
    let path = path.to_path_buf();
    let action = action.to_owned();
    move |e| LayersError::BadFile {
        path,
        problem: format!("cannot {action}: {e}"),
    }
}

/// Stores `bytes` as `name` in the project GeoPackage at `path`, replacing what was there.
pub fn write_blob(path: &Path, name: &str, bytes: &[u8]) -> Result<()> {
    let what = "write binary data into the project";
    let mut db = rusqlite::Connection::open(path).map_err(sqlite_error(path, what))?;
    let tx = db.transaction().map_err(sqlite_error(path, what))?;
    tx.execute_batch(&format!(
        "CREATE TABLE IF NOT EXISTS {TABLE} (name TEXT NOT NULL, part INTEGER NOT NULL, \
         data BLOB NOT NULL, PRIMARY KEY (name, part))"
    ))
    .map_err(sqlite_error(path, what))?;
    tx.execute(&format!("DELETE FROM {TABLE} WHERE name = ?1"), [name])
        .map_err(sqlite_error(path, what))?;
    for (k, chunk) in bytes.chunks(PART).enumerate() {
        tx.execute(
            &format!("INSERT INTO {TABLE} (name, part, data) VALUES (?1, ?2, ?3)"),
            rusqlite::params![name, i64::try_from(k).unwrap_or(i64::MAX), chunk],
        )
        .map_err(sqlite_error(path, what))?;
    }
    tx.commit().map_err(sqlite_error(path, what))
}

/// The bytes stored as `name` in the project GeoPackage at `path`, if any.
pub fn read_blob(path: &Path, name: &str) -> Result<Option<Vec<u8>>> {
    let what = "read binary data from the project";
    let db =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(sqlite_error(path, what))?;
    let exists: bool = db
        .query_row(
            "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = ?1",
            [TABLE],
            |r| r.get(0),
        )
        .map_err(sqlite_error(path, what))?;
    if !exists {
        return Ok(None);
    }
    let mut query = db
        .prepare(&format!(
            "SELECT data FROM {TABLE} WHERE name = ?1 ORDER BY part"
        ))
        .map_err(sqlite_error(path, what))?;
    let parts = query
        .query_map([name], |r| r.get::<_, Vec<u8>>(0))
        .map_err(sqlite_error(path, what))?;
    let mut bytes = Vec::new();
    let mut any = false;
    for part in parts {
        bytes.extend(part.map_err(sqlite_error(path, what))?);
        any = true;
    }
    Ok(any.then_some(bytes))
}
