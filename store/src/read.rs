//! A project read back from the store: for `yitu open postgres://…` and `store export`.
//! Each table becomes its layer again, with `id`, `version` and `district` as its first fields
//! (an offline copy needs them to sync), then the table's other columns.

use geozero::wkb;
use yitu_layers::{AttrValue, Bookmark, Feature, Layer, Project, ProjectLayer, RasterRef};

use crate::StoreError;
use crate::init::StoredTable;
use crate::schema::ident;
use crate::tables::SqlType;

/// The whole project the store holds, as the person connected may see it.
pub fn project(client: &mut postgres::Client) -> Result<Project, StoreError> {
    let name: String = setting(client, "name")?;
    let tables: Vec<StoredTable> = setting(client, "layers")?;
    let bookmarks: Vec<Bookmark> = setting(client, "bookmarks")?;
    let rasters: Vec<RasterRef> = setting(client, "rasters")?;
    // Stores made before stories were kept have none.
    let stories: Option<Vec<yitu_layers::Story>> = setting(client, "stories")?;
    let mut layers = Vec::with_capacity(tables.len());
    for t in tables {
        let mut layer = read_table(client, &t.table)?;
        layer.name = t.name;
        layer.kind = t.kind;
        layers.push(ProjectLayer {
            layer,
            style: t.style,
        });
    }
    Ok(Project {
        name,
        layers,
        bookmarks,
        rasters,
        stories: stories.unwrap_or_default(),
    })
}

/// The store's tables and the layers they hold, in drawing order.
pub fn tables(client: &mut postgres::Client) -> Result<Vec<StoredTable>, StoreError> {
    setting(client, "layers")
}

/// The project's setting `key` (see [`crate::init`]) as its type.
pub(crate) fn setting<T: serde::de::DeserializeOwned>(
    client: &mut impl postgres::GenericClient,
    key: &str,
) -> Result<T, StoreError> {
    let row = client
        .query_opt("SELECT value FROM yitu.project WHERE key = $1", &[&key])
        .map_err(StoreError::sql(
            "cannot read the project's settings (yitu.project)",
        ))?;
    let value = row.map_or(serde_json::Value::Null, |r| r.get(0));
    serde_json::from_value(value).map_err(|e| StoreError::Settings(e.to_string()))
}

/// The columns of table `yitu.<table>` but its geometry, in order, with the type each is read
/// as.
pub(crate) fn columns(
    client: &mut impl postgres::GenericClient,
    table: &str,
) -> Result<Vec<(String, SqlType)>, StoreError> {
    Ok(client
        .query(
            "SELECT column_name, data_type FROM information_schema.columns
             WHERE table_schema = 'yitu' AND table_name = $1 AND column_name <> 'geom'
             ORDER BY ordinal_position",
            &[&table],
        )
        .map_err(StoreError::sql(format!(
            "cannot read the columns of yitu.{table}"
        )))?
        .iter()
        .map(|r| (r.get(0), SqlType::of_column(r.get(1))))
        .collect())
}

/// Table `yitu.<table>` as a layer (named after the table; kind Other until the caller says).
pub fn read_table(client: &mut postgres::Client, table: &str) -> Result<Layer, StoreError> {
    read(client, table, None)
}

/// The rows of table `yitu.<table>` with the ids `ids` (those that are there and visible), as
/// a layer with the table's fields: other desks' changes, read as they are announced.
pub fn read_rows(
    client: &mut postgres::Client,
    table: &str,
    ids: &[String],
) -> Result<Layer, StoreError> {
    read(client, table, Some(ids))
}

/// The whole table, or the rows with ids `ids`.
fn read(
    client: &mut postgres::Client,
    table: &str,
    ids: Option<&[String]>,
) -> Result<Layer, StoreError> {
    let what = || format!("cannot read yitu.{table}");
    let columns = columns(client, table)?;
    // Each column cast to the type it is read as (integer versions as bigint, the rest
    // as the layer model stores them).
    let select: Vec<String> = columns
        .iter()
        .map(|(c, ty)| format!("{}::{}", ident(c), ty.sql()))
        .collect();
    let rows = client
        .query(
            &format!(
                "SELECT {}, geom FROM yitu.{} WHERE $1::text[] IS NULL OR id = ANY($1) ORDER BY id",
                select.join(", "),
                ident(table)
            ),
            &[&ids],
        )
        .map_err(StoreError::sql(what()))?;
    let mut layer = Layer::new(
        table,
        yitu_layers::LayerKind::Other,
        columns.iter().map(|(c, _)| c.clone()).collect(),
    );
    layer.features = rows
        .iter()
        .map(|r| {
            let values = columns
                .iter()
                .enumerate()
                .map(|(k, (_, ty))| {
                    let v = match ty {
                        SqlType::Text => r.get::<_, Option<String>>(k).map(AttrValue::Text),
                        SqlType::BigInt => r.get::<_, Option<i64>>(k).map(AttrValue::Int),
                        SqlType::Double => r.get::<_, Option<f64>>(k).map(AttrValue::Real),
                        SqlType::Boolean => r.get::<_, Option<bool>>(k).map(AttrValue::Bool),
                    };
                    v.unwrap_or(AttrValue::Null)
                })
                .collect();
            let geometry: wkb::Decode<geo::Geometry<f64>> = r.get(columns.len());
            Feature {
                geometry: geometry.geometry,
                values,
            }
        })
        .collect();
    Ok(layer)
}
