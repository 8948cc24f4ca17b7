//! Road networks on real OSM extracts (`../shared/data/osm`, ODbL) and on a small grid whose
//! travel times are known.

use std::path::{Path, PathBuf};

use yitu_routing::network::{RoadNetwork, Roads, Speeds, haversine_m};

fn shared_osm(name: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/data/osm")
        .join(name);
    // CI lays ../shared beside the clone: there a missing extract fails the test.
    assert!(
        path.exists() || std::env::var_os("CI").is_none(),
        "{} is missing: CI runs every real-data test",
        path.display()
    );
    if path.exists() {
        Some(path)
    } else {
        eprintln!(
            "skipped: {} is absent (../shared not checked out)",
            path.display()
        );
        None
    }
}

/// A 10 × 10 grid of two-way streets 100 m apart (10 m/s), with one one-way street.
fn grid() -> Roads {
    let mut roads = Roads::default();
    let step = 100.0 / 111_320.0;
    for y in 0..10 {
        for x in 0..10 {
            roads.nodes.push([
                106.5 + f64::from(x) * step / 0.866,
                29.5 + f64::from(y) * step,
            ]);
        }
    }
    let id = |x: u32, y: u32| y * 10 + x;
    for y in 0..10 {
        for x in 0..10 {
            if x + 1 < 10 {
                // Row 5 is one-way eastwards.
                roads.connect(id(x, y), id(x + 1, y), 36.0, y != 5);
            }
            if y + 1 < 10 {
                roads.connect(id(x, y), id(x, y + 1), 36.0, true);
            }
        }
    }
    roads
}

#[test]
fn matrices_on_a_grid_follow_the_streets_and_one_ways() {
    let roads = grid();
    let nodes = roads.nodes.clone();
    let network = RoadNetwork::prepare(roads);
    let points = [nodes[0], nodes[99], nodes[50], nodes[59]];
    let m = network.matrix(&points).expect("matrix");
    let secs = |a: usize, b: usize| m.seconds[a * m.size + b].expect("reachable");
    let metres = |a: usize, b: usize| m.metres[a * m.size + b].expect("reachable");
    // Corner to corner: 18 blocks of about 100 m at 10 m/s.
    assert!((metres(0, 1) - 1800.0).abs() < 20.0, "{}", metres(0, 1));
    assert!((secs(0, 1) - 180.0).abs() < 3.0, "{}", secs(0, 1));
    assert!(secs(0, 0).abs() < 1e-9);
    // Along the one-way row eastwards is 9 blocks; back west needs a detour of two more.
    assert!((metres(2, 3) - 900.0).abs() < 10.0, "{}", metres(2, 3));
    assert!((metres(3, 2) - 1100.0).abs() < 12.0, "{}", metres(3, 2));
    for s in &m.snaps {
        assert!(s.snap_m < 0.01, "{s:?}");
    }
    // A point 30 m off the grid's west edge snaps with its distance reported.
    let off = [nodes[30][0] - 30.0 / (111_320.0 * 0.87), nodes[30][1]];
    let snap = network.snap(off).expect("snaps");
    assert!((snap.snap_m - 30.0).abs() < 1.5, "{snap:?}");
}

#[test]
fn paths_unpack_into_connected_segments_as_long_as_the_matrix_says() {
    let roads = grid();
    let nodes = roads.nodes.clone();
    let network = RoadNetwork::prepare(roads);
    let segment = |a: u32, b: u32| {
        network
            .roads
            .segments
            .iter()
            .find(|s| s.from == a && s.to == b)
            .map(|s| f64::from(s.metres))
    };
    for (a, b) in [(0_u32, 99_u32), (59, 50), (93, 6), (50, 59)] {
        let path = network.path(a, b).expect("a path");
        assert_eq!((path[0], *path.last().unwrap()), (a, b));
        let metres: f64 = path
            .windows(2)
            .map(|w| segment(w[0], w[1]).expect("consecutive nodes are a segment"))
            .sum();
        let m = network
            .matrix(&[nodes[a as usize], nodes[b as usize]])
            .expect("matrix");
        let expected = m.metres[1].expect("reachable");
        assert!(
            (metres - expected).abs() < 1.0,
            "{a}->{b}: {metres} vs {expected}"
        );
        let leg = network
            .leg(nodes[a as usize], nodes[b as usize])
            .expect("leg");
        assert_eq!(leg.len(), path.len() + 2);
    }
}

#[test]
fn a_prepared_network_saves_and_loads_the_same() {
    let network = RoadNetwork::prepare(grid());
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("roads.yitu-roads");
    network.save(&path).expect("saves");
    let loaded = RoadNetwork::load(&path).expect("loads");
    let points: Vec<[f64; 2]> = network.roads.nodes.iter().step_by(7).copied().collect();
    assert_eq!(
        network.matrix(&points).expect("matrix"),
        loaded.matrix(&points).expect("matrix")
    );
    assert_eq!(network.path(3, 96), loaded.path(3, 96));
    // A truncated or foreign file is named, not a panic.
    let bytes = std::fs::read(&path).expect("read");
    std::fs::write(&path, &bytes[..bytes.len() / 2]).expect("write");
    let e = RoadNetwork::load(&path)
        .err()
        .expect("truncated")
        .to_string();
    assert!(
        e.contains("roads.yitu-roads") && e.contains("truncated"),
        "{e}"
    );
    std::fs::write(&path, b"hello").expect("write");
    let e = RoadNetwork::load(&path).err().expect("foreign").to_string();
    assert!(e.contains("not a prepared Yitu road network"), "{e}");
}

#[test]
fn liechtenstein_gives_road_times_between_its_towns() {
    let Some(pbf) = shared_osm("liechtenstein-2013-08-03.osm.pbf") else {
        return;
    };
    let roads = Roads::from_pbf(&pbf, &Speeds::rural()).expect("reads the extract");
    assert!(roads.nodes.len() > 5_000, "{} nodes", roads.nodes.len());
    let network = RoadNetwork::prepare(roads);
    // Prepared once and kept where it is asked to be (beside a project), then loaded from there.
    let dir = tempfile::tempdir().expect("temp dir");
    let kept = dir.path().join("roads.yitu-roads");
    let (first, not_kept) = RoadNetwork::prepared(&pbf, &kept, &Speeds::rural()).expect("prepares");
    assert!(not_kept.is_none() && kept.exists());
    let (again, _) = RoadNetwork::prepared(&pbf, &kept, &Speeds::rural()).expect("loads");
    assert_eq!(again.roads.nodes.len(), first.roads.nodes.len());
    assert_eq!(first.roads.nodes.len(), network.roads.nodes.len());
    // Vaduz, Schaan, Balzers, Triesenberg (town centres, WGS84).
    let towns = [
        [9.5215, 47.1410],
        [9.5095, 47.1650],
        [9.4965, 47.0660],
        [9.5420, 47.1180],
    ];
    let m = network.matrix(&towns).expect("matrix");
    for (k, s) in m.snaps.iter().enumerate() {
        assert!(s.snap_m < 150.0, "town {k} is {} m off the roads", s.snap_m);
    }
    for a in 0..4 {
        for b in 0..4 {
            let (secs, metres) = (m.seconds[a * 4 + b], m.metres[a * 4 + b]);
            let (secs, metres) = (secs.expect("connected"), metres.expect("connected"));
            if a == b {
                assert!(secs.abs() < 1e-9);
                continue;
            }
            let straight = haversine_m(towns[a], towns[b]);
            // Roads are longer than the straight line but not absurdly; speeds are plausible.
            assert!(
                metres > 0.8 * straight && metres < 3.0 * straight + 2000.0,
                "{a}->{b}: {metres} m vs {straight} m"
            );
            let kmh = metres / secs * 3.6;
            assert!((15.0..=100.0).contains(&kmh), "{a}->{b}: {kmh} km/h");
        }
    }
}

#[test]
fn a_corrupt_extract_is_named() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("broken.osm.pbf");
    std::fs::write(&path, b"\x00\x00\x00\x0dnot a pbf at all").expect("write");
    let e = Roads::from_pbf(&path, &Speeds::urban())
        .expect_err("fails")
        .to_string();
    assert!(e.contains("broken.osm.pbf"), "{e}");
}

#[test]
fn helsinki_with_ways_cut_at_the_extracts_edge_prepares_and_routes() {
    let Some(pbf) = shared_osm("helsinki.osm.pbf") else {
        return;
    };
    let roads = Roads::from_pbf(&pbf, &Speeds::urban()).expect("reads the extract");
    // Ways run past the cut: some of their nodes have no position, and must not matter.
    assert!(roads.nodes.iter().any(|p| p[0].is_nan()));
    let network = RoadNetwork::prepare(roads);
    // Senate Square and the Central Railway Station, about 800 m apart.
    let points = [[24.9525, 60.1694], [24.9414, 60.1719]];
    let m = network.matrix(&points).expect("matrix");
    let metres = m.metres[1].expect("connected");
    assert!((600.0..3000.0).contains(&metres), "{metres} m");
    assert!(m.snaps.iter().all(|s| s.snap_m < 100.0), "{:?}", m.snaps);
    // Not a position: an error, not a panic.
    assert!(network.snap([f64::NAN, 60.17]).is_none());
    let e = network
        .matrix(&[[f64::NAN, 60.17]])
        .expect_err("not a position")
        .to_string();
    assert!(e.contains("cannot be snapped"), "{e}");
}
