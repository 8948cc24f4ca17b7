//! Text for the files people open: HTML sheets and CSV tables (announcements, evidence, task
//! sheets), escaped in one place.

/// `s` safe inside HTML text and attribute values.
pub fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `c` as one CSV cell: quoted (quotes doubled) when it holds a comma, quote or line break.
pub fn csv_cell(c: &str) -> String {
    if c.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", c.replace('"', "\"\""))
    } else {
        c.to_owned()
    }
}
