//! `store log`: the record of every change, as the database's triggers wrote it.

use crate::StoreError;

/// One change of one row.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AuditEntry {
    pub id: i64,
    /// When, RFC 3339 in UTC.
    pub at: String,
    /// The login role of the person who made it.
    pub role: String,
    /// `INSERT`, `UPDATE` or `DELETE`.
    pub op: String,
    /// The table, without its schema.
    pub layer: String,
    pub feature_id: Option<String>,
    pub old: Option<serde_json::Value>,
    pub new: Option<serde_json::Value>,
}

/// The log, oldest first: all of it, or one feature's history (any layer).
pub fn log(
    client: &mut postgres::Client,
    feature: Option<&str>,
) -> Result<Vec<AuditEntry>, StoreError> {
    let rows = client
        .query(
            "SELECT id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'),
                    role, op, layer, feature_id, old, new
             FROM yitu.audit WHERE $1::text IS NULL OR feature_id = $1 ORDER BY id",
            &[&feature],
        )
        .map_err(StoreError::sql("cannot read the audit log yitu.audit"))?;
    Ok(rows
        .iter()
        .map(|r| AuditEntry {
            id: r.get(0),
            at: r.get(1),
            role: r.get(2),
            op: r.get(3),
            layer: r.get(4),
            feature_id: r.get(5),
            old: r.get(6),
            new: r.get(7),
        })
        .collect())
}
