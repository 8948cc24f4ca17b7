//! A generated city for benchmarks: a street grid of any size with a hierarchy of road classes
//! (side streets, arterials every 8th street, expressways every 64th), some one-way streets
//! and some missing blocks, around Chongqing; and teams and targets placed on it.

use rand::{Rng as _, SeedableRng as _};
use rand_chacha::ChaCha8Rng;

use crate::dispatch::{Task, Team};
use crate::network::Roads;

/// Street spacing, degrees (about 110 m).
const STEP_DEG: f64 = 0.001;
const ORIGIN: [f64; 2] = [106.2, 29.3];

/// A `side` × `side` street grid (`side²` nodes).
pub fn city(side: u32, seed: u64) -> Roads {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut roads = Roads::default();
    for y in 0..side {
        for x in 0..side {
            roads.nodes.push([
                ORIGIN[0] + f64::from(x) * STEP_DEG * 1.15,
                ORIGIN[1] + f64::from(y) * STEP_DEG,
            ]);
        }
    }
    let id = |x: u32, y: u32| y * side + x;
    // km/h by the street's class: every 64th is an expressway, every 8th an arterial.
    let speed = |line: u32| match line {
        l if l % 64 == 0 => 70.0,
        l if l % 8 == 0 => 40.0,
        _ => 20.0,
    };
    for y in 0..side {
        for x in 0..side {
            // Side streets go missing now and then (parks, rivers, blocks).
            if x + 1 < side && (y % 8 == 0 || rng.random_bool(0.93)) {
                let one_way = y % 8 != 0 && rng.random_bool(0.1);
                roads.connect(id(x, y), id(x + 1, y), speed(y), !one_way);
            }
            if y + 1 < side && (x % 8 == 0 || rng.random_bool(0.93)) {
                let one_way = x % 8 != 0 && rng.random_bool(0.1);
                roads.connect(id(x, y), id(x, y + 1), speed(x), !one_way);
            }
        }
    }
    roads
}

/// `teams` teams at offices spread over the city (one district each) and `targets` tasks at
/// random places in it, which any team may take (no district given).
pub fn dispatch(side: u32, teams: usize, targets: usize, seed: u64) -> (Vec<Team>, Vec<Task>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let extent = [
        f64::from(side - 1) * STEP_DEG * 1.15,
        f64::from(side - 1) * STEP_DEG,
    ];
    let place = |rng: &mut ChaCha8Rng| {
        [
            ORIGIN[0] + rng.random_range(0.05..0.95) * extent[0],
            ORIGIN[1] + rng.random_range(0.05..0.95) * extent[1],
        ]
    };
    let team_list: Vec<Team> = (0..teams)
        .map(|k| {
            Team::usual(
                format!("T{:02}", k + 1),
                format!("执法{}队", k + 1),
                format!("D{:02}", k + 1),
                place(&mut rng),
            )
        })
        .collect();
    let tasks = (0..targets)
        .map(|k| Task {
            source_id: format!("S{:05}", k + 1),
            district: String::new(),
            category: ["general", "key"][rng.random_range(0..2)].to_owned(),
            inspectors: Vec::new(),
            position: Some(place(&mut rng)),
            kind: "random",
            sheet: yitu_draw::ForTheSheet::default(),
        })
        .collect();
    (team_list, tasks)
}
