//! Text for the files people open: HTML sheets and CSV tables (announcements, evidence, task
//! sheets), escaped in one place.

/// `s` safe inside HTML text and attribute values.
pub fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A CSV table as text, the `header` first: the csv crate's writer, which quotes a cell (its
/// quotes doubled) only when it holds a comma, a quote or a line break.
pub fn csv_table<R, C>(header: &[&str], rows: impl IntoIterator<Item = R>) -> String
where
    R: IntoIterator<Item = C>,
    C: AsRef<[u8]>,
{
    let mut writer = csv::Writer::from_writer(Vec::new());
    // Writing to memory fails only on rows of different lengths, which callers never build.
    writer
        .write_record(header)
        .expect("a CSV header writes to memory");
    for row in rows {
        writer
            .write_record(row)
            .expect("a CSV row as long as its header writes to memory");
    }
    let bytes = writer.into_inner().expect("a CSV table in memory flushes");
    String::from_utf8(bytes).expect("CSV written from text is text")
}

#[cfg(test)]
mod tests {
    #[test]
    fn cells_are_quoted_only_when_they_need_it() {
        let table = super::csv_table(
            &["a", "b"],
            [["x", "有, 逗号"], ["say \"hi\"", "two\nlines"]],
        );
        assert_eq!(
            table,
            "a,b\nx,\"有, 逗号\"\n\"say \"\"hi\"\"\",\"two\nlines\"\n"
        );
    }
}
