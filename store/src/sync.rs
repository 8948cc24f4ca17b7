//! `store sync`: an offline copy's edits pushed back, field by field, under the version rule.
//!
//! For each row the copy changed (see [`yitu_layers::tracking`]) the store's row is locked and
//! compared with the copy's base: a field the copy changed is a conflict only where the store
//! changed the same field to another value since; a row with a conflict is left as it is and
//! listed, every other row is written with `version` one past the store's. The push is one
//! transaction, so a push that dies halfway leaves the store as it was.

use geozero::{ToGeo, wkb};
use postgres::types::ToSql;
use serde_json::Value;
use yitu_layers::AttrValue;
use yitu_layers::tracking::{Change, ChangeOp, Row, Settled};

use crate::StoreError;
use crate::init::{StoredTable, value_param};
use crate::read::{columns, setting};
use crate::schema::ident;
use crate::tables::SqlType;

/// The field named in a conflict where one side deleted the row the other changed.
pub const WHOLE_ROW: &str = "*";
/// The name a row's geometry has in a conflict.
const GEOMETRY: &str = "geom";

/// What a push did: the contract's `{"applied": N, "conflicts": [...]}`.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct SyncReport {
    /// Rows written to the store (inserted, updated or deleted).
    pub applied: usize,
    pub conflicts: Vec<Conflict>,
}

/// A field both sides changed to different values: not applied.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Conflict {
    pub layer: String,
    pub feature_id: String,
    pub field: String,
    /// The copy's value.
    pub ours: Value,
    /// The store's value.
    pub theirs: Value,
}

/// A push's report and the rows of the copy now level with the store.
#[derive(Debug, Default)]
pub struct Pushed {
    pub report: SyncReport,
    pub settled: Vec<Settled>,
}

/// A table of the store and its columns (but id, version and geometry).
struct Target {
    table: String,
    columns: Vec<(String, SqlType)>,
    has_district: bool,
}

/// The store's row of a change, locked until the push ends.
struct Theirs {
    version: i64,
    values: serde_json::Map<String, Value>,
    geometry: Option<geo::Geometry<f64>>,
}

/// Pushes `changes` into the store in one transaction.
pub fn push(client: &mut postgres::Client, changes: &[Change]) -> Result<Pushed, StoreError> {
    let mut tx = client
        .transaction()
        .map_err(StoreError::sql("cannot start the push"))?;
    let stored: Vec<StoredTable> = setting(&mut tx, "layers")?;
    let has_districts = stored.iter().any(|t| t.table == "districts");
    let mut targets: Vec<(String, Target)> = Vec::new();
    for t in &stored {
        let mut columns = columns(&mut tx, &t.table)?;
        let has_district = columns.iter().any(|(c, _)| c == "district");
        columns.retain(|(c, _)| c != "id" && c != "version");
        targets.push((
            t.name.clone(),
            Target {
                table: t.table.clone(),
                columns,
                has_district,
            },
        ));
    }
    let mut pushed = Pushed::default();
    for change in changes {
        // A layer the store does not hold (added in the field) is not pushed.
        let Some((_, target)) = targets.iter().find(|(name, _)| *name == change.layer) else {
            continue;
        };
        let mut p = Push {
            tx: &mut tx,
            target,
            change,
            place: has_districts && target.has_district && target.table != "districts",
        };
        match change.op {
            ChangeOp::Update => p.update(&mut pushed)?,
            ChangeOp::Insert => p.insert(&mut pushed)?,
            ChangeOp::Delete => p.delete(&mut pushed)?,
        }
    }
    tx.commit()
        .map_err(StoreError::sql("cannot commit the push"))?;
    Ok(pushed)
}

/// One change being pushed.
struct Push<'a, 't> {
    tx: &'a mut postgres::Transaction<'t>,
    target: &'a Target,
    change: &'a Change,
    /// Whether a new row without a district is given the one its geometry lies in.
    place: bool,
}

impl Push<'_, '_> {
    fn update(&mut self, pushed: &mut Pushed) -> Result<(), StoreError> {
        let (Some(id), Some(base), Some(ours)) = (
            self.change.id.as_deref(),
            &self.change.base,
            &self.change.current,
        ) else {
            return Ok(());
        };
        let Some(theirs) = self.theirs(id)? else {
            pushed.report.conflicts.push(self.conflict(
                WHOLE_ROW,
                row_json(ours, &self.target.columns),
                Value::Null,
            ));
            return Ok(());
        };
        let unchanged_there = Some(theirs.version) == self.change.base_version;
        let mut sets: Vec<(String, Box<dyn ToSql + Sync>)> = Vec::new();
        let mut conflicts = Vec::new();
        for (name, ty) in &self.target.columns {
            let (b, o) = (value_of(&base.values, name), value_of(&ours.values, name));
            if b == o {
                continue;
            }
            let (b, o) = (canonical(b, *ty), canonical(o, *ty));
            let t = canonical(value_of(&theirs.values, name), *ty);
            if o == t {
                continue;
            }
            if !unchanged_there && t != b {
                conflicts.push(self.conflict(name, o, t));
            } else {
                sets.push((ident(name), value_param(&AttrValue::from_json(&o), *ty)));
            }
        }
        if base.geometry != ours.geometry {
            let o = geometry_of(ours)?;
            if o != theirs.geometry {
                if !unchanged_there && theirs.geometry != geometry_of(base)? {
                    conflicts.push(self.conflict(
                        GEOMETRY,
                        geojson_of(o.as_ref()),
                        geojson_of(theirs.geometry.as_ref()),
                    ));
                } else {
                    sets.push((
                        "geom".to_owned(),
                        Box::new(o.map(wkb::Encode)) as Box<dyn ToSql + Sync>,
                    ));
                }
            }
        }
        if !conflicts.is_empty() {
            pushed.report.conflicts.extend(conflicts);
            return Ok(());
        }
        let mut version = theirs.version;
        if !sets.is_empty() {
            version += 1;
            let assignments: Vec<String> = sets
                .iter()
                .enumerate()
                .map(|(k, (column, _))| {
                    if column == "geom" {
                        format!("geom = ST_SetSRID(${}::geometry, 4326)", k + 3)
                    } else {
                        format!("{column} = ${}", k + 3)
                    }
                })
                .collect();
            let version32 = i32::try_from(version).unwrap_or(i32::MAX);
            let mut params: Vec<&(dyn ToSql + Sync)> = vec![&id, &version32];
            params.extend(sets.iter().map(|(_, v)| v.as_ref()));
            self.tx
                .execute(
                    &format!(
                        "UPDATE yitu.{} SET version = $2, {} WHERE id = $1",
                        ident(&self.target.table),
                        assignments.join(", ")
                    ),
                    &params,
                )
                .map_err(StoreError::sql(self.what(id)))?;
            pushed.report.applied += 1;
        }
        pushed.settled.push(self.settled(id, version));
        Ok(())
    }

    fn insert(&mut self, pushed: &mut Pushed) -> Result<(), StoreError> {
        let Some(ours) = &self.change.current else {
            return Ok(());
        };
        if let Some(id) = self.change.id.as_deref()
            && let Some(theirs) = self.theirs(id)?
        {
            pushed.report.conflicts.push(self.conflict(
                "id",
                row_json(ours, &self.target.columns),
                Value::Object(theirs.values),
            ));
            return Ok(());
        }
        let geometry = geometry_of(ours)?;
        let mut names = vec!["id".to_owned(), "version".to_owned(), "geom".to_owned()];
        let mut values = vec![
            "coalesce($1, gen_random_uuid()::text)".to_owned(),
            "1".to_owned(),
            "ST_SetSRID($2::geometry, 4326)".to_owned(),
        ];
        let mut params: Vec<Box<dyn ToSql + Sync>> = vec![
            Box::new(self.change.id.clone()),
            Box::new(geometry.map(wkb::Encode)),
        ];
        for (name, ty) in &self.target.columns {
            let Some(v) = ours.values.get(name) else {
                continue;
            };
            params.push(value_param(&AttrValue::from_json(&canonical(v, *ty)), *ty));
            let k = params.len();
            names.push(ident(name));
            values.push(if name == "district" && self.place {
                format!(
                    "coalesce(${k}, (SELECT d.district FROM yitu.districts AS d
                      WHERE ST_Covers(d.geom, ST_PointOnSurface(ST_SetSRID($2::geometry, 4326)))
                      LIMIT 1))"
                )
            } else {
                format!("${k}")
            });
        }
        let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(AsRef::as_ref).collect();
        let row = self
            .tx
            .query_one(
                &format!(
                    "INSERT INTO yitu.{} ({}) VALUES ({}) RETURNING id",
                    ident(&self.target.table),
                    names.join(", "),
                    values.join(", ")
                ),
                &refs,
            )
            .map_err(StoreError::sql(self.what("(new)")))?;
        let id: String = row.get(0);
        pushed.report.applied += 1;
        pushed.settled.push(self.settled(&id, 1));
        Ok(())
    }

    fn delete(&mut self, pushed: &mut Pushed) -> Result<(), StoreError> {
        let Some(id) = self.change.id.as_deref() else {
            return Ok(());
        };
        match self.theirs(id)? {
            None => {}
            Some(theirs) if Some(theirs.version) != self.change.base_version => {
                pushed.report.conflicts.push(self.conflict(
                    WHOLE_ROW,
                    Value::Null,
                    Value::Object(theirs.values),
                ));
                return Ok(());
            }
            Some(_) => {
                self.tx
                    .execute(
                        &format!(
                            "DELETE FROM yitu.{} WHERE id = $1",
                            ident(&self.target.table)
                        ),
                        &[&id],
                    )
                    .map_err(StoreError::sql(self.what(id)))?;
                pushed.report.applied += 1;
            }
        }
        pushed.settled.push(self.settled(id, 0));
        Ok(())
    }

    /// The store's row `id`, locked for the rest of the push; `None` when there is none (or
    /// the person may not see it).
    fn theirs(&mut self, id: &str) -> Result<Option<Theirs>, StoreError> {
        let row = self
            .tx
            .query_opt(
                &format!(
                    "SELECT version::bigint, to_jsonb(t) - 'geom' - 'id' - 'version', geom
                     FROM yitu.{} AS t WHERE id = $1 FOR UPDATE",
                    ident(&self.target.table)
                ),
                &[&id],
            )
            .map_err(StoreError::sql(self.what(id)))?;
        Ok(row.map(|r| {
            let geometry: wkb::Decode<geo::Geometry<f64>> = r.get(2);
            Theirs {
                version: r.get(0),
                values: match r.get(1) {
                    Value::Object(map) => map,
                    _ => serde_json::Map::new(),
                },
                geometry: geometry.geometry,
            }
        }))
    }

    fn conflict(&self, field: &str, ours: Value, theirs: Value) -> Conflict {
        Conflict {
            layer: self.target.table.clone(),
            feature_id: self.change.id.clone().unwrap_or_default(),
            field: field.to_owned(),
            ours,
            theirs,
        }
    }

    fn settled(&self, id: &str, version: i64) -> Settled {
        Settled {
            layer: self.change.layer.clone(),
            fid: self.change.fid,
            id: id.to_owned(),
            version,
        }
    }

    fn what(&self, id: &str) -> String {
        format!("cannot push row {id} of yitu.{}", self.target.table)
    }
}

fn value_of<'v>(values: &'v serde_json::Map<String, Value>, name: &str) -> &'v Value {
    values.get(name).unwrap_or(&Value::Null)
}

/// A value as the store's column type holds it, so that the copy's SQLite values (booleans as
/// 0/1, integers in real columns) compare with the store's.
fn canonical(value: &Value, ty: SqlType) -> Value {
    match (ty, value) {
        (_, Value::Null) => Value::Null,
        (SqlType::Boolean, Value::Number(n)) => Value::Bool(n.as_f64() != Some(0.0)),
        (SqlType::Boolean, Value::String(s)) => {
            Value::Bool(matches!(s.to_lowercase().as_str(), "true" | "t" | "1"))
        }
        (SqlType::Double, Value::Number(n)) => n.as_f64().map_or(Value::Null, Value::from),
        (SqlType::Double, Value::String(s)) => s
            .trim()
            .parse::<f64>()
            .map_or_else(|_| value.clone(), Value::from),
        (SqlType::BigInt, Value::Number(n)) => match n.as_i64() {
            Some(i) => Value::from(i),
            None => value.clone(),
        },
        (SqlType::BigInt, Value::String(s)) => s
            .trim()
            .parse::<i64>()
            .map_or_else(|_| value.clone(), Value::from),
        (SqlType::Text, Value::Number(_) | Value::Bool(_)) => Value::String(value.to_string()),
        _ => value.clone(),
    }
}

/// A copy's row as JSON with the store's types, for a conflict.
fn row_json(row: &Row, columns: &[(String, SqlType)]) -> Value {
    Value::Object(
        columns
            .iter()
            .map(|(name, ty)| (name.clone(), canonical(value_of(&row.values, name), *ty)))
            .collect(),
    )
}

/// The geometry of a copy's row, decoded from its GeoPackage blob.
fn geometry_of(row: &Row) -> Result<Option<geo::Geometry<f64>>, StoreError> {
    row.geometry
        .as_ref()
        .map(|blob| {
            wkb::GpkgWkb(blob)
                .to_geo()
                .map_err(|e| StoreError::Copy(format!("a geometry is not readable: {e}")))
        })
        .transpose()
}

fn geojson_of(geometry: Option<&geo::Geometry<f64>>) -> Value {
    geometry.map_or(Value::Null, |g| {
        serde_json::to_value(geojson::Geometry::from(g)).unwrap_or(Value::Null)
    })
}
