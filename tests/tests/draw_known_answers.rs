//! The draw's random procedure pinned (issue #19): published records must keep verifying, so a
//! dependency bump that changed the seed, the ChaCha20 stream or the sampling fails here, not a
//! citizen's `yitu draw --verify`. The known answers come from `tests/data/draw/reference.py`,
//! an independent implementation of the procedure written from its documentation.

use std::path::{Path, PathBuf};

use yitu_draw::random::{Purpose, Stream, seed};
use yitu_draw::{Record, draw, read_inputs, verify};

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

#[test]
fn the_seed_and_both_streams_give_the_reference_numbers() {
    let s = seed("sources-hash", "roster-hash", "plan-hash", "18 07 33 52");
    assert_eq!(
        hex(&s),
        "1059d65f31d321812b8fe282ab379b74230a7f5d9d6806bf3150de900f17938b"
    );
    let mut firms = Stream::new(s, Purpose::Firms);
    let below: Vec<usize> = (0..6).map(|_| firms.below(1000)).collect();
    assert_eq!(below, [589, 865, 186, 963, 242, 886]);
    assert_eq!(firms.choose(20, 5), [16, 9, 18, 1, 7]);
    let mut inspectors = Stream::new(s, Purpose::Inspectors);
    let below: Vec<usize> = (0..6).map(|_| inspectors.below(7)).collect();
    assert_eq!(below, [4, 3, 6, 5, 4, 6]);
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data/draw")
        .join(name)
}

/// A record published with this version: it verifies, and drawing again from the same
/// inputs and entropy gives it byte for byte.
#[test]
fn a_published_record_keeps_verifying() {
    let inputs = read_inputs(
        &fixture("sources.geojson"),
        &fixture("roster.csv"),
        &fixture("plan.toml"),
    )
    .unwrap();
    let text = std::fs::read_to_string(fixture("draw.json")).unwrap();
    let record: Record = serde_json::from_str(&text).unwrap();
    assert_eq!(verify(&record, &inputs), Ok(()));
    let again = draw(&inputs, &record.inputs.entropy).unwrap();
    assert_eq!(
        serde_json::to_value(&again).unwrap(),
        serde_json::from_str::<serde_json::Value>(&text).unwrap()
    );
    assert_eq!(
        record.seed,
        "c2690ae2440144cafc0d3f3bb33a7d5c7fa2c742ca16120686574b46c23ffd7b"
    );
    assert_eq!(record.selected.len(), 4);
}
