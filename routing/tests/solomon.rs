//! The planner on Solomon's benchmark: C101 (best known: 10 vehicles, 828.94 in double
//! precision), a generated instance against vrp-core, and what bad files say.

use std::path::Path;

use yitu_routing::model::Budget;
use yitu_routing::solomon::{SolomonInstance, SolomonResult};
use yitu_routing::vrptw;

/// Children per search for the quality checks: about a second of search here.
const CHILDREN: usize = 2_500;

fn c101() -> SolomonInstance {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/C101.txt");
    SolomonInstance::read(&path).expect("C101 reads")
}

#[test]
fn c101_reaches_the_best_known_fleet_and_distance_within_two_percent() {
    let instance = c101();
    assert_eq!(instance.customers.len(), 100);
    assert_eq!((instance.vehicles, instance.capacity), (25, 200));
    // A stop by children, not the clock: the result does not depend on how busy the machine
    // is (60 s only caps a machine far slower than any seen).
    let result = instance
        .solve(&Budget::children(CHILDREN, 60.0))
        .expect("solves");
    assert!(result.unassigned.is_empty(), "{:?}", result.unassigned);
    assert_eq!(result.vehicles, 10);
    assert!(
        result.distance <= 828.94 * 1.02,
        "distance {} is more than 2% above the best known 828.94",
        result.distance
    );
    let total = verified_distance(&instance, &result);
    assert!(
        (total - result.distance).abs() < 1e-6,
        "{total} vs {}",
        result.distance
    );
}

/// The result's distance recomputed from the file's data, after checking that every customer
/// is served once and every route keeps the windows, the capacity and the depot's hours.
fn verified_distance(instance: &SolomonInstance, result: &SolomonResult) -> f64 {
    let mut seen: Vec<u32> = result.routes.iter().flatten().copied().collect();
    seen.sort_unstable();
    assert_eq!(
        seen,
        instance
            .customers
            .iter()
            .map(|c| c.number)
            .collect::<Vec<u32>>()
    );
    assert!(result.routes.len() <= instance.vehicles);
    let by_number = |n: u32| &instance.customers[n as usize - 1];
    let mut total = 0.0;
    for route in &result.routes {
        let (mut x, mut y, mut t, mut load) = (instance.depot.x, instance.depot.y, 0.0_f64, 0);
        for &n in route {
            let c = by_number(n);
            let d = (c.x - x).hypot(c.y - y);
            total += d;
            t = (t + d).max(c.ready);
            assert!(
                t <= c.due + 1e-9,
                "customer {n} reached at {t} after {}",
                c.due
            );
            t += c.service;
            load += c.demand;
            (x, y) = (c.x, c.y);
        }
        let back = (instance.depot.x - x).hypot(instance.depot.y - y);
        total += back;
        assert!(t + back <= instance.depot.due + 1e-9);
        assert!(load <= instance.capacity);
    }
    total
}

/// The genetic search against vrp-core on a generated instance with tight windows (100
/// customers; PyVRP: 15 vehicles, 1864.3 at 10 s). The genetic search stops by its children
/// count, so its result does not depend on the machine's load; vrp-core gets the time that
/// took it, at least 3 s. Both distances are printed, for the CI log.
#[test]
fn the_genetic_search_finds_shorter_routes_than_vrp_core() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/G100-R-tight.txt");
    let instance = SolomonInstance::read(&path).expect("reads");
    let started = std::time::Instant::now();
    let ours = instance
        .solve(&Budget::children(CHILDREN, 60.0))
        .expect("solves");
    let seconds = started.elapsed().as_secs_f64().max(3.0);
    let theirs = instance.result(
        &vrptw::solve_with_vrp_core(&instance.to_instance(), &Budget::seconds(seconds))
            .expect("vrp-core solves"),
    );
    let (ours_distance, theirs_distance) = (
        verified_distance(&instance, &ours),
        verified_distance(&instance, &theirs),
    );
    println!(
        "genetic search {ours_distance:.2} ({} vehicles), vrp-core {theirs_distance:.2} ({} vehicles)",
        ours.vehicles, theirs.vehicles
    );
    assert!(
        ours_distance < theirs_distance,
        "genetic search {ours_distance} ({} vehicles), vrp-core {theirs_distance} ({} vehicles)",
        ours.vehicles,
        theirs.vehicles
    );
    // Near PyVRP even in a short run; the 2 % bar at 10 s is the benchmark's
    // (routing/bench/compare_pyvrp.py).
    assert!(ours_distance <= 1864.3 * 1.05, "{ours_distance}");
}

/// One vehicle cannot serve two customers whose windows overlap far apart: the genetic search
/// finds no solution serving both, and vrp-core's answer (one served, one listed) comes back.
#[test]
fn a_fleet_too_small_for_everyone_leaves_customers_unassigned() {
    let text =
        "X\nVEHICLE\n 1 100\nCUSTOMER\n 0 0 0 0 0 200 0\n 1 40 0 5 40 45 5\n 2 -40 0 5 40 45 5\n";
    let result = solved(text);
    assert_eq!(result.routes.len(), 1);
    assert_eq!(result.routes[0].len(), 1);
    assert_eq!(result.unassigned.len(), 1);
}

#[test]
fn bad_files_name_the_line_and_the_problem() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cases = [
        ("empty.txt", "", "the file is empty"),
        (
            "columns.txt",
            "X\n\nVEHICLE\nNUMBER CAPACITY\n 2 100\n\nCUSTOMER\nCUST NO. X\n 0 1 2 0 0 100\n",
            "line 9: expected 7 columns",
        ),
        (
            "number.txt",
            "X\n\nVEHICLE\nNUMBER CAPACITY\n 2 1o0\n",
            "line 5: '1o0' is not a number",
        ),
        (
            "window.txt",
            "X\nVEHICLE\n 2 100\nCUSTOMER\n 0 0 0 0 0 100 0\n 1 1 1 5 50 10 0\n",
            "line 6: ready time after due date",
        ),
        (
            "nocustomer.txt",
            "X\nVEHICLE\n 2 100\nCUSTOMER\n 0 0 0 0 0 100 0\n",
            "no customers after the depot",
        ),
    ];
    for (name, text, expected) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("write");
        let error = SolomonInstance::read(&path).expect_err(name).to_string();
        assert!(error.contains(name), "{error}");
        assert!(error.contains(expected), "{error} lacks {expected}");
    }
    let missing = dir.path().join("missing.txt");
    let error = SolomonInstance::read(&missing)
        .expect_err("missing")
        .to_string();
    assert!(error.contains("missing.txt"), "{error}");
}

#[test]
fn a_customer_no_vehicle_can_reach_in_time_is_left_unassigned() {
    let text =
        "X\nVEHICLE\n 2 100\nCUSTOMER\n 0 0 0 0 0 100 0\n 1 10 0 5 0 50 5\n 2 90 0 5 0 20 5\n";
    let result = solved(text);
    assert_eq!(result.routes, vec![vec![1]]);
    assert_eq!(result.unassigned, vec![2]);
}

/// A small instance given as text, solved within a second.
fn solved(text: &str) -> SolomonResult {
    let instance = SolomonInstance::parse(text).expect("parses");
    instance.solve(&Budget::seconds(1.0)).expect("solves")
}
