//! Real files from `../shared/data` (skipped with a printed reason when absent).

use yitu_layers::io::{ReadOptions, read_vector};
use yitu_tests::shared_data;

#[test]
fn shared_geo_files_read_with_expected_counts() {
    let Some(path) = shared_data("geo/sichuan_districts.geojson") else {
        eprintln!("skipped: ../shared/data is not beside this checkout");
        return;
    };
    let import = read_vector(&path, ReadOptions::default()).unwrap();
    assert_eq!(import.layers[0].features.len(), 183);
}
