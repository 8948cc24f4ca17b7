//! A desk's edit of one row under the version rule, and what the desk is shown when another
//! desk changed the row first: both values, who and when, so that it can choose.

use serde_json::Value;
use yitu_layers::AttrValue;

use crate::StoreError;
use crate::init::value_param;
use crate::read::columns;
use crate::schema::ident;

/// SQLSTATE of a stale version, as `yitu.check_version` raises it.
const STALE: &str = "40001";

/// What became of an edit.
#[derive(Debug, Clone, PartialEq)]
pub enum EditOutcome {
    /// Written; the row is now at `version`.
    Written { version: i64 },
    /// Refused: another desk changed the row since it was read.
    Stale(Theirs),
}

/// The row as another desk left it.
#[derive(Debug, Clone, PartialEq)]
pub struct Theirs {
    pub version: i64,
    /// Its columns (but the geometry) as JSON.
    pub values: serde_json::Map<String, Value>,
    /// The login role of the last change, and when (RFC 3339, UTC), from the audit log.
    pub by: Option<String>,
    pub at: Option<String>,
}

/// Sets `fields` of row `id` of `yitu.<table>`, read at `version_read`, to their values.
/// Fields the table lacks are an error: the desk would believe them saved.
pub fn update(
    client: &mut postgres::Client,
    table: &str,
    id: &str,
    version_read: i64,
    fields: &[(String, AttrValue)],
) -> Result<EditOutcome, StoreError> {
    let what = || format!("cannot save row {id} of yitu.{table}");
    let types = columns(client, table)?;
    let mut sets = Vec::new();
    let mut params: Vec<Box<dyn postgres::types::ToSql + Sync>> = vec![
        Box::new(id.to_owned()),
        Box::new(i32::try_from(version_read + 1).unwrap_or(i32::MAX)),
    ];
    for (name, value) in fields {
        let Some((_, ty)) = types.iter().find(|(c, _)| c == name) else {
            return Err(StoreError::Sql {
                what: what(),
                message: format!("yitu.{table} has no column {name}"),
                code: None,
            });
        };
        params.push(value_param(value, *ty));
        sets.push(format!("{} = ${}", ident(name), params.len()));
    }
    let refs: Vec<&(dyn postgres::types::ToSql + Sync)> =
        params.iter().map(AsRef::as_ref).collect();
    let sql = format!(
        "UPDATE yitu.{} SET version = $2, {} WHERE id = $1",
        ident(table),
        sets.join(", ")
    );
    match client.execute(&sql, &refs) {
        Ok(1) => Ok(EditOutcome::Written {
            version: version_read + 1,
        }),
        Ok(_) => Err(StoreError::Sql {
            what: what(),
            message: "the row is no longer there (deleted, or moved out of your district)"
                .to_owned(),
            code: None,
        }),
        Err(e) if e.code().map(postgres::error::SqlState::code) == Some(STALE) => {
            Ok(EditOutcome::Stale(theirs(client, table, id)?))
        }
        Err(e) => Err(StoreError::sql(what())(e)),
    }
}

/// Row `id` of `yitu.<table>` as it is now, with its last change's author and time.
fn theirs(client: &mut postgres::Client, table: &str, id: &str) -> Result<Theirs, StoreError> {
    let what = || format!("cannot read row {id} of yitu.{table}");
    let row = client
        .query_one(
            &format!(
                "SELECT t.version::bigint, to_jsonb(t) - 'geom', a.role,
                        to_char(a.at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')
                 FROM yitu.{} AS t
                 LEFT JOIN LATERAL (SELECT role, at FROM yitu.audit
                                    WHERE layer = $2 AND feature_id = t.id
                                    ORDER BY id DESC LIMIT 1) AS a ON true
                 WHERE t.id = $1",
                ident(table)
            ),
            &[&id, &table],
        )
        .map_err(StoreError::sql(what()))?;
    Ok(Theirs {
        version: row.get(0),
        values: match row.get(1) {
            Value::Object(map) => map,
            _ => serde_json::Map::new(),
        },
        by: row.get(2),
        at: row.get(3),
    })
}
