//! Registries, rosters and plans generated with known properties, for tests and benchmarks:
//! firms in every category and status, some on the positive list or recently inspected,
//! inspectors with expired certificates and conflicts of interest.

use std::fmt::Write as _;
use std::path::Path;
use yitu_layers::geojson::{collection, feature};

use rand::{Rng as _, SeedableRng as _};
use rand_chacha::ChaCha8Rng;

use super::plan::{Plan, Stratum};
use super::roster::Inspector;
use super::targets::Target;
use super::{DrawError, Inputs};
use yitu_core::calendar::iso_date;

/// How big a generated draw is.
#[derive(Debug, Clone, Copy)]
pub struct Size {
    pub sources: usize,
    pub inspectors: usize,
    pub districts: usize,
}

/// The plan of the example, dated 2026-01-05.
pub fn example_plan() -> Plan {
    Plan {
        name: "2026年第一季度双随机抽查".into(),
        date: "2026-01-05".into(),
        cross_district: true,
        inspectors_per_target: 2,
        max_targets_per_inspector: 6,
        exclude_inspected_within_days: 90,
        strata: vec![
            Stratum {
                category: "key".into(),
                district: None,
                ratio: 0.25,
            },
            Stratum {
                category: "general".into(),
                district: None,
                ratio: 0.05,
            },
        ],
        must_include: Vec::new(),
        pairs: Vec::new(),
    }
}

/// The sample draw `yitu sample --draw-inputs` writes and the tests use: 3,000 firms in 8
/// districts, 160 inspectors, the example plan with a cap of 12 firms per inspector.
pub fn sample(seed: u64) -> Inputs {
    let mut plan = example_plan();
    plan.max_targets_per_inspector = 12;
    let size = Size {
        sources: 3_000,
        inspectors: 160,
        districts: 8,
    };
    generate(size, seed, plan)
}

/// A city-scale draw for the benchmark: 70,000 firms in 40 districts, 600 inspectors, the
/// example plan with a cap of 25 (which that many draws need).
pub fn city(seed: u64) -> Inputs {
    let mut plan = example_plan();
    plan.max_targets_per_inspector = 25;
    let size = Size {
        sources: 70_000,
        inspectors: 600,
        districts: 40,
    };
    generate(size, seed, plan)
}

/// The seat (district office) of a synthetic district (code 5001kk, the kk-th): a grid 0.08°
/// (about 8 km) apart around Chongqing's centre; its firms lie within about 3 km of it.
fn district_seat(code: &str) -> [f64; 2] {
    let k = code
        .get(4..)
        .and_then(|kk| kk.parse::<usize>().ok())
        .map_or(0, |kk| kk.saturating_sub(1));
    [
        106.35 + (k % 8) as f64 * 0.08,
        29.45 + (k / 8) as f64 * 0.08,
    ]
}

/// Firms and inspectors of `size` from `seed`, with `plan`.
pub fn generate(size: Size, seed: u64, plan: Plan) -> Inputs {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let district = |k: usize| format!("5001{:02}", k + 1);
    let day = plan.day();
    // Positions come from their own stream, so the firms' other attributes stay those of
    // `seed` whether or not positions are wanted.
    let mut places = ChaCha8Rng::seed_from_u64(seed ^ 0x706c_6163_6573);
    let targets: Vec<Target> = (0..size.sources)
        .map(|n| Target {
            id: format!("PS{:06}", n + 1),
            name: format!("企业{}", n + 1),
            category: match rng.random_range(0..100) {
                0..30 => "key",
                30..36 => "special",
                _ => "general",
            }
            .into(),
            district: district(rng.random_range(0..size.districts)),
            status: match rng.random_range(0..100) {
                0..88 => "operating",
                88..95 => "stopped",
                _ => "closed",
            }
            .into(),
            positive_list: rng.random_bool(0.06),
            last_inspected: rng.random_bool(0.6).then(|| day - rng.random_range(1..730)),
            position: None,
            // From the number, not the stream: the other attributes stay those of `seed`.
            contact: format!("环保专员{} 138{:08}", n + 1, n * 7_919 % 100_000_000),
        })
        .map(|mut t: Target| {
            let seat = district_seat(&t.district);
            t.position = Some([
                seat[0] + places.random_range(-0.03..0.03),
                seat[1] + places.random_range(-0.025..0.025),
            ]);
            t
        })
        .collect();
    let mut roster: Vec<Inspector> = (0..size.inspectors)
        .map(|n| Inspector {
            id: format!("I{:04}", n + 1),
            name: format!("执法员{}", n + 1),
            district: district(n % size.districts),
            cert_expiry: if rng.random_bool(0.05) {
                day - rng.random_range(1..400)
            } else {
                day + rng.random_range(0..1500)
            },
            conflicts: {
                let mut c: Vec<String> = (0..rng.random_range(0..4))
                    .map(|_| targets[rng.random_range(0..targets.len())].id.clone())
                    .collect();
                c.sort();
                c.dedup();
                c
            },
        })
        .collect();
    roster.sort_by(|a, b| a.id.cmp(&b.id));
    Inputs {
        targets,
        roster,
        plan,
    }
}

/// Writes `sources.geojson`, `roster.csv` and `plan.toml` into `dir`: the files `yitu draw`
/// reads; and `teams.csv`, which `yitu plan` reads.
pub fn write(inputs: &Inputs, dir: &Path) -> Result<(), DrawError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |error| yitu_layers::LayersError::Io { path, error }
    };
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let features = inputs
        .targets
        .iter()
        .enumerate()
        .map(|(k, t)| {
            let [lon, lat] = t.position.unwrap_or([
                106.0 + (k % 1000) as f64 * 1e-3,
                29.0 + (k / 1000) as f64 * 1e-3,
            ]);
            let properties = serde_json::json!({
                "id": t.id,
                "name": t.name,
                "category": t.category,
                "district": t.district,
                "status": t.status,
                "positive_list": t.positive_list,
                "last_inspected": t.last_inspected.map(iso_date).unwrap_or_default(),
                "contact": t.contact,
            });
            feature(Some(&geo::Point::new(lon, lat).into()), properties)
        })
        .collect();
    let sources = dir.join("sources.geojson");
    let collection = collection(features, serde_json::Map::new());
    std::fs::write(&sources, collection.to_string()).map_err(io(&sources))?;
    let mut csv = String::from("id,name,district,cert_expiry,conflicts\n");
    for i in &inputs.roster {
        let _ = writeln!(
            csv,
            "{},{},{},{},{}",
            i.id,
            i.name,
            i.district,
            iso_date(i.cert_expiry),
            i.conflicts.join(";")
        );
    }
    let roster = dir.join("roster.csv");
    std::fs::write(&roster, csv).map_err(io(&roster))?;
    let plan = dir.join("plan.toml");
    std::fs::write(&plan, inputs.plan.to_toml()).map_err(io(&plan))?;
    let teams = dir.join("teams.csv");
    std::fs::write(&teams, teams_csv(inputs)).map_err(io(&teams))?;
    Ok(())
}

/// Teams per district for `yitu plan`: the district's inspectors in teams of up to
/// `TEAM_SIZE`, leaving from the district's seat.
const TEAM_SIZE: usize = 5;

fn teams_csv(inputs: &Inputs) -> String {
    let mut by_district: std::collections::BTreeMap<&str, Vec<&str>> =
        std::collections::BTreeMap::default();
    for i in &inputs.roster {
        by_district.entry(&i.district).or_default().push(&i.id);
    }
    let mut csv = String::from("id,name,district,lon,lat,max_targets,inspectors\n");
    for (district, members) in by_district {
        let seat = district_seat(district);
        for (t, team) in members.chunks(TEAM_SIZE).enumerate() {
            let _ = writeln!(
                csv,
                "T{district}-{n},{district} 执法{n}队,{district},{:.5},{:.5},6,{}",
                seat[0],
                seat[1],
                team.join(";"),
                n = t + 1
            );
        }
    }
    csv
}
