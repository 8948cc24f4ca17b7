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

/// Bytes from their hex digits (SQLite's `hex()`), `None` if any is not.
pub fn unhex(text: &str) -> Option<Vec<u8>> {
    let digits = text.as_bytes();
    if !digits.len().is_multiple_of(2) {
        return None;
    }
    let nibble = |d: u8| match d {
        b'0'..=b'9' => Some(d - b'0'),
        b'a'..=b'f' => Some(d - b'a' + 10),
        b'A'..=b'F' => Some(d - b'A' + 10),
        _ => None,
    };
    digits
        .chunks_exact(2)
        .map(|pair| Some(nibble(pair[0])? << 4 | nibble(pair[1])?))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_digits_read_either_case() {
        assert_eq!(unhex("00017fabFF"), Some(vec![0_u8, 1, 0x7F, 0xAB, 0xFF]));
        assert_eq!(unhex("0G"), None);
        assert_eq!(unhex("abc"), None);
    }
}
