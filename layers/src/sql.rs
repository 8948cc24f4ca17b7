//! Names and text written into SQL, for the GeoPackage's SQLite and the store's PostgreSQL
//! alike (both quote the standard way).

/// `name` as an SQL identifier, quoted.
pub fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// `text` as an SQL string literal.
pub fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}
