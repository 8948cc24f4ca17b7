//! Binary data kept in the store beside the project (a monitoring run's series): table
//! `yitu.blobs`, read by every desk, written by the city.

use crate::StoreError;

/// The table, created with the schema.
pub const BLOBS_TABLE: &str = "CREATE TABLE yitu.blobs (
    name text PRIMARY KEY,
    data bytea NOT NULL,
    at timestamptz NOT NULL DEFAULT now(),
    role text NOT NULL DEFAULT session_user
)";

/// Stores `bytes` as `name`, replacing what was there.
pub fn put(client: &mut postgres::Client, name: &str, bytes: &[u8]) -> Result<(), StoreError> {
    client
        .execute(
            "INSERT INTO yitu.blobs (name, data) VALUES ($1, $2)
             ON CONFLICT (name) DO UPDATE SET data = EXCLUDED.data, at = now(), role = session_user",
            &[&name, &bytes],
        )
        .map_err(StoreError::sql(format!("cannot keep {name} in the store (yitu.blobs)")))?;
    Ok(())
}

/// The bytes stored as `name`, if any.
pub fn get(client: &mut postgres::Client, name: &str) -> Result<Option<Vec<u8>>, StoreError> {
    let row = client
        .query_opt("SELECT data FROM yitu.blobs WHERE name = $1", &[&name])
        .map_err(StoreError::sql(format!(
            "cannot read {name} from the store (yitu.blobs)"
        )))?;
    Ok(row.map(|r| r.get(0)))
}
