#![no_main]
//! CSV point tables (UTF-8 or GBK, Chinese column names, bad rows named).
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let (_dir, path) = yitu_fuzz::as_file("points.csv", data);
    for skip_bad_rows in [false, true] {
        let options = yitu_layers::io::CsvOptions {
            crs: None,
            skip_bad_rows,
        };
        let _ = yitu_layers::io::read_csv_points(&path, &options);
    }
});
