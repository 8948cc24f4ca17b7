//! `store init`: a project loaded into a new schema `yitu`, with its rules, in one transaction
//! (a failed load leaves the database as it was).

use geozero::wkb;
use postgres::types::ToSql;
use yitu_layers::{AttrValue, Layer, Project};

use crate::schema::{self, ident};
use crate::tables::{SqlType, TableSpec, is_district_code};
use crate::{StoreError, tables::Column};

/// What a load put in the store.
#[derive(Debug, Clone, serde::Serialize)]
pub struct InitReport {
    /// Each table and its rows.
    pub tables: Vec<(String, usize)>,
    /// The districts that got a group role.
    pub districts: Vec<String>,
}

/// Creates schema `yitu` in the database of `client` and loads `project` into it.
pub fn init(client: &mut postgres::Client, project: &Project) -> Result<InitReport, StoreError> {
    let mut tx = client
        .transaction()
        .map_err(StoreError::sql("cannot start the load"))?;
    let exists = tx
        .query_opt("SELECT 1 FROM pg_namespace WHERE nspname = 'yitu'", &[])
        .map_err(StoreError::sql("cannot look for schema yitu"))?;
    if exists.is_some() {
        return Err(StoreError::AlreadyInitialised);
    }
    tx.batch_execute("CREATE EXTENSION IF NOT EXISTS postgis; CREATE SCHEMA yitu;")
        .map_err(StoreError::sql(
            "cannot create schema yitu (is PostGIS installed?)",
        ))?;
    let mut specs: Vec<TableSpec> = Vec::new();
    let mut tables = Vec::new();
    for pl in &project.layers {
        let taken: Vec<String> = specs.iter().map(|s| s.name.clone()).collect();
        let spec = TableSpec::of(&pl.layer, &taken);
        let rows = load_layer(&mut tx, &spec, &pl.layer)?;
        tables.push((spec.name.clone(), rows));
        specs.push(spec);
    }
    place_in_districts(&mut tx, &specs)?;
    write_settings(&mut tx, project, &specs)?;
    let districts = districts_of(&mut tx, &specs)?;
    let mut rules = schema::group_roles(&districts);
    rules += schema::AUDIT_TABLE;
    rules += ";\n";
    rules += schema::FUNCTIONS;
    rules += &schema::audit_rules(&districts);
    for spec in &specs {
        rules += &schema::table_rules(&spec.name, spec.has_district, &districts);
    }
    tx.batch_execute(&rules)
        .map_err(StoreError::sql("cannot set up the store's rules"))?;
    tx.commit()
        .map_err(StoreError::sql("cannot commit the load"))?;
    Ok(InitReport { tables, districts })
}

/// Creates the table of `layer` and inserts its features; returns how many.
fn load_layer(
    tx: &mut postgres::Transaction<'_>,
    spec: &TableSpec,
    layer: &Layer,
) -> Result<usize, StoreError> {
    let what = || format!("cannot load layer {} into yitu.{}", layer.name, spec.name);
    tx.batch_execute(&spec.create_sql())
        .map_err(StoreError::sql(what()))?;
    let mut names = vec!["id", "version", "geom"];
    if spec.has_district {
        names.push("district");
    }
    let fields: Vec<(usize, &Column)> = spec
        .columns
        .iter()
        .filter_map(|c| Some((c.field?, c)))
        .collect();
    let mut columns: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
    columns.extend(fields.iter().map(|(_, c)| ident(&c.name)));
    let placeholders: Vec<String> = (1..=columns.len())
        .map(|k| {
            if k == 3 {
                "ST_SetSRID($3::geometry, 4326)".to_owned()
            } else {
                format!("${k}")
            }
        })
        .collect();
    let insert = tx
        .prepare(&format!(
            "INSERT INTO yitu.{} ({}) VALUES ({})",
            ident(&spec.name),
            columns.join(", "),
            placeholders.join(", ")
        ))
        .map_err(StoreError::sql(what()))?;
    for (index, feature) in layer.features.iter().enumerate() {
        let mut params: Vec<Box<dyn ToSql + Sync>> = vec![
            Box::new(spec.feature_id(layer, index)),
            Box::new(1_i32),
            Box::new(feature.geometry.clone().map(wkb::Encode)),
        ];
        if spec.has_district {
            params.push(Box::new(spec.feature_district(layer, index)));
        }
        for &(field, c) in &fields {
            params.push(value_param(&feature.values[field], c.sql_type));
        }
        let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(AsRef::as_ref).collect();
        // The message is made only for a row that fails, not for each of 70,000 that load.
        tx.execute(&insert, &refs)
            .map_err(|e| StoreError::sql(format!("{}: feature {}", what(), index + 1))(e))?;
    }
    Ok(layer.features.len())
}

/// The project's settings beside its tables: its name, each table's layer (name, kind,
/// style) in drawing order, bookmarks and raster references, read back by [`crate::read`].
fn write_settings(
    tx: &mut postgres::Transaction<'_>,
    project: &Project,
    specs: &[TableSpec],
) -> Result<(), StoreError> {
    let layers: Vec<StoredTable> = project
        .layers
        .iter()
        .zip(specs)
        .map(|(pl, spec)| StoredTable {
            table: spec.name.clone(),
            name: pl.layer.name.clone(),
            kind: pl.layer.kind,
            style: pl.style.clone(),
        })
        .collect();
    let json = |v: serde_json::Result<serde_json::Value>| {
        v.map_err(|e| StoreError::Settings(e.to_string()))
    };
    let settings = [
        ("name", serde_json::Value::String(project.name.clone())),
        ("layers", json(serde_json::to_value(&layers))?),
        ("bookmarks", json(serde_json::to_value(&project.bookmarks))?),
        ("rasters", json(serde_json::to_value(&project.rasters))?),
        ("stories", json(serde_json::to_value(&project.stories))?),
    ];
    tx.batch_execute(schema::SETTINGS_TABLE)
        .map_err(StoreError::sql("cannot create yitu.project"))?;
    tx.batch_execute(crate::blobs::BLOBS_TABLE)
        .map_err(StoreError::sql("cannot create yitu.blobs"))?;
    for (key, value) in settings {
        tx.execute(
            "INSERT INTO yitu.project (key, value) VALUES ($1, $2)",
            &[&key, &value],
        )
        .map_err(StoreError::sql("cannot store the project's settings"))?;
    }
    Ok(())
}

/// A table's layer as `yitu.project` keeps it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct StoredTable {
    pub table: String,
    pub name: String,
    pub kind: yitu_layers::LayerKind,
    pub style: yitu_layers::LayerStyle,
}

/// A value as a parameter of its column's type.
pub(crate) fn value_param(value: &AttrValue, ty: SqlType) -> Box<dyn ToSql + Sync> {
    match (ty, value) {
        (_, AttrValue::Null) => match ty {
            SqlType::Text => Box::new(None::<String>),
            SqlType::BigInt => Box::new(None::<i64>),
            SqlType::Double => Box::new(None::<f64>),
            SqlType::Boolean => Box::new(None::<bool>),
        },
        (SqlType::BigInt, AttrValue::Int(i)) => Box::new(*i),
        (SqlType::Double, v) => Box::new(v.as_f64()),
        (SqlType::Boolean, AttrValue::Bool(b)) => Box::new(*b),
        (_, v) => Box::new(v.to_string()),
    }
}

/// Rows whose layer has no district field get the district whose polygon holds them
/// (outfalls, detections); rows without a geometry but with a team take the team's.
fn place_in_districts(
    tx: &mut postgres::Transaction<'_>,
    specs: &[TableSpec],
) -> Result<(), StoreError> {
    let Some(districts) = specs.iter().find(|s| s.name == "districts") else {
        return Ok(());
    };
    let d = ident(&districts.name);
    for spec in specs
        .iter()
        .filter(|s| s.has_district && s.district_field.is_none())
    {
        let t = ident(&spec.name);
        tx.execute(
            &format!(
                "UPDATE yitu.{t} AS t SET district = d.district FROM yitu.{d} AS d
                 WHERE t.geom IS NOT NULL AND d.geom IS NOT NULL
                   AND ST_Covers(d.geom, ST_PointOnSurface(t.geom))"
            ),
            &[],
        )
        .map_err(StoreError::sql(format!(
            "cannot place yitu.{} in districts",
            spec.name
        )))?;
    }
    if let Some(teams) = specs.iter().find(|s| s.name == "teams") {
        for spec in specs.iter().filter(|s| {
            s.name != "teams"
                && s.district_field.is_none()
                && s.columns.iter().any(|c| c.name == "team_id")
        }) {
            tx.execute(
                &format!(
                    "UPDATE yitu.{t} AS t SET district = m.district FROM yitu.{m} AS m
                     WHERE t.district IS NULL AND t.team_id = m.team_id",
                    t = ident(&spec.name),
                    m = ident(&teams.name)
                ),
                &[],
            )
            .map_err(StoreError::sql(format!(
                "cannot give yitu.{} its teams' districts",
                spec.name
            )))?;
        }
    }
    Ok(())
}

/// The project's districts: the codes of its districts layer, else every code its rows carry.
fn districts_of(
    tx: &mut postgres::Transaction<'_>,
    specs: &[TableSpec],
) -> Result<Vec<String>, StoreError> {
    let from: Vec<&TableSpec> = match specs.iter().find(|s| s.name == "districts") {
        Some(d) => vec![d],
        None => specs.iter().filter(|s| s.has_district).collect(),
    };
    let mut codes = std::collections::BTreeSet::new();
    for spec in from {
        let rows = tx
            .query(
                &format!(
                    "SELECT DISTINCT district FROM yitu.{} WHERE district IS NOT NULL",
                    ident(&spec.name)
                ),
                &[],
            )
            .map_err(StoreError::sql("cannot list the districts"))?;
        codes.extend(
            rows.iter()
                .map(|r| r.get::<_, String>(0))
                .filter(|c| is_district_code(c)),
        );
    }
    Ok(codes.into_iter().collect())
}
