//! Every input the fuzzers (`scripts/fuzz.sh`) found to crash a parser, kept in
//! `tests/data/fuzz/<target>/` and run again through that target's parser: each must now end
//! in an error or a result, never a panic or an abort. (Fuzz builds skip the PNG crate's
//! checksums; inputs kept here have them mended, so they reach the same code in a normal
//! build.)

use std::path::Path;

/// Runs `data` through the parser the fuzz target `target` exercises.
fn parse(target: &str, data: &[u8], dir: &Path) {
    let as_file = |name: &str| {
        let path = dir.join(name);
        std::fs::write(&path, data).expect("a temporary file");
        path
    };
    match target {
        "flir_fff" => {
            assert!(yitu_imagery::thermal::flir::FlirImage::from_jpeg(data).is_err());
        }
        "jpeg_segments" => {
            let _ = yitu_imagery::jpeg::segments(data);
            let _ = yitu_imagery::jpeg::leading_segments(data);
        }
        "dji_xmp" => {
            let _ = yitu_imagery::photo::xmp::drone_dji_tags(data);
        }
        "photo_exif" => {
            let path = as_file("DJI_0001.JPG");
            let _ = yitu_imagery::photo::DronePhoto::read(&path);
            let _ = yitu_imagery::photo::embedded_thumbnail(&path);
        }
        "draw_plan" => {
            let _ = yitu_draw::plan::Plan::parse(&String::from_utf8_lossy(data), "f");
        }
        "roster_csv" => {
            let _ = yitu_draw::roster::parse_csv(data, "f");
        }
        "csv_points" => {
            let path = as_file("points.csv");
            let _ =
                yitu_layers::io::read_csv_points(&path, &yitu_layers::io::CsvOptions::default());
        }
        other => panic!("no parser for fuzz target {other}: add it here"),
    }
}

#[test]
fn every_crash_the_fuzzers_found_now_ends_in_an_error() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/fuzz");
    let mut count = 0;
    for target in std::fs::read_dir(&root).expect("tests/data/fuzz") {
        let target = target.expect("a folder entry").path();
        let name = target.file_name().unwrap().to_string_lossy().into_owned();
        for input in std::fs::read_dir(&target).expect("a target's folder") {
            let input = input.expect("a file").path();
            let dir = tempfile::tempdir().expect("a temporary folder");
            parse(&name, &std::fs::read(&input).expect("readable"), dir.path());
            count += 1;
        }
    }
    assert!(count > 0);
}
