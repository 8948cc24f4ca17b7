//! The dispatcher's plan on small rosters whose answer is known: every rule checked on the
//! plan that comes back, not on how it was made.

use std::io::Write as _;

use yitu_routing::dispatch::{self, Lock, Options, Task, Team, plan};
use yitu_routing::model::Budget;
use yitu_routing::network::{RoadNetwork, Roads};

fn team(id: &str, district: &str, office: [f64; 2], skills: &[&str]) -> Team {
    Team {
        id: id.to_owned(),
        name: id.to_owned(),
        district: district.to_owned(),
        office,
        shift: (8.0 * 60.0 + 30.0, 17.0 * 60.0 + 30.0),
        lunch: (11.5 * 60.0, 13.5 * 60.0),
        lunch_minutes: 60.0,
        max_targets: 4,
        skills: skills.iter().map(|s| (*s).to_owned()).collect(),
        inspectors: Vec::new(),
        phone: String::new(),
    }
}

fn task(id: &str, district: &str, category: &str, position: Option<[f64; 2]>) -> Task {
    Task {
        source_id: id.to_owned(),
        district: district.to_owned(),
        category: category.to_owned(),
        inspectors: Vec::new(),
        position,
        kind: "random",
        sheet: yitu_draw::ForTheSheet {
            name: format!("{id} 有限公司"),
            contact: format!("张伟 023-6{id}"),
        },
    }
}

/// Two districts 10 km apart, each with an office; tasks scattered within 3 km of each.
fn city() -> (Vec<Team>, Vec<Task>) {
    let a = [106.50, 29.50];
    let b = [106.60, 29.50];
    let teams = vec![team("TA", "A", a, &[]), team("TB", "B", b, &["radiation"])];
    let mut tasks = Vec::new();
    for k in 0..6 {
        let dx = (f64::from(k) - 2.5) * 0.006;
        tasks.push(task(
            &format!("A{k}"),
            "A",
            "general",
            Some([a[0] + dx, a[1] + 0.01]),
        ));
        tasks.push(task(
            &format!("B{k}"),
            "B",
            "key",
            Some([b[0] + dx, b[1] - 0.01]),
        ));
    }
    (teams, tasks)
}

/// Each search's length in generations, not seconds: what a test asserts then does not depend
/// on how busy the machine is (the 120 s only guards against a hang).
const SEARCH_GENERATIONS: usize = 2000;

fn options(days: usize, cross: bool) -> Options {
    Options::new(days, cross, Budget::children(SEARCH_GENERATIONS, 120.0))
}

/// Checks every rule on a plan: shifts, firm hours, service times, lunch, per-day caps, and
/// that each planned task appears once.
fn check_rules(p: &dispatch::Plan, opts: &Options) {
    let mut seen = vec![0; p.tasks.len()];
    for r in &p.routes {
        let t = &p.teams[r.team];
        let day0 = r.day as f64 * 24.0 * 60.0;
        assert!(r.leave >= day0 + t.shift.0 - 1e-6 && r.back <= day0 + t.shift.1 + 1e-6);
        let inspections: Vec<_> = r
            .stops
            .iter()
            .filter_map(|s| s.task.map(|k| (k, s)))
            .collect();
        assert!(inspections.len() <= t.max_targets as usize);
        for (k, s) in &inspections {
            seen[*k] += 1;
            let service = opts
                .service
                .get(&p.tasks[*k].category)
                .copied()
                .unwrap_or(60.0);
            assert!(
                (s.departure - s.start - service).abs() < 1e-6,
                "service of {k}"
            );
            let (open, close) = opts
                .hours
                .get(&p.tasks[*k].source_id)
                .copied()
                .unwrap_or(opts.firm_hours);
            assert!(s.start >= day0 + open - 1e-6, "{k} starts before it opens");
            assert!(s.start <= day0 + close + 1e-6, "{k} starts after it closes");
        }
        let lunches: Vec<_> = r.stops.iter().filter(|s| s.task.is_none()).collect();
        for lunch in &lunches {
            assert!(
                lunch.start >= day0 + t.lunch.0 - 1e-6 && lunch.start <= day0 + t.lunch.1 + 1e-6
            );
        }
        // A day out past lunchtime has its lunch on the road (back before, it is eaten at the
        // office).
        let over_lunch = r.leave < day0 + t.lunch.1 && r.back > day0 + t.lunch.1;
        assert_eq!(
            lunches.len(),
            usize::from(over_lunch),
            "team {} day {}: {} lunches, out {:.0}–{:.0}",
            r.team,
            r.day,
            lunches.len(),
            r.leave - day0,
            r.back - day0
        );
    }
    for u in &p.unplanned {
        assert_eq!(seen[u.task], 0);
    }
    let planned = seen.iter().filter(|&&n| n == 1).count();
    assert_eq!(planned + p.unplanned.len(), p.tasks.len());
    assert!(seen.iter().all(|&n| n <= 1));
}

#[test]
fn own_district_teams_take_their_tasks_within_every_rule() {
    let (teams, tasks) = city();
    let opts = options(2, false);
    let p = plan(tasks, teams, None, &opts).expect("plans");
    check_rules(&p, &opts);
    assert!(p.unplanned.is_empty(), "{:?}", p.unplanned);
    assert_eq!(p.travel, "estimate");
    for r in &p.routes {
        for s in r.stops.iter().filter_map(|s| s.task) {
            assert_eq!(p.tasks[s].district, p.teams[r.team].district);
        }
    }
    // 6 tasks a district at 4 a day: two team-days each, fewest team-days first.
    assert_eq!(p.team_days, 4);
    // Undated days stay undated; with the first day given, routes and stops carry the date.
    let (_, stops) = dispatch::output::layers(&p);
    assert!(
        stops
            .features
            .iter()
            .enumerate()
            .all(|(i, _)| stops.value(i, "date").to_string().is_empty())
    );
    let mut dated = p.clone();
    dated.first_day = yitu_core::calendar::parse_date("2026-06-01");
    let (routes, stops) = dispatch::output::layers(&dated);
    for layer in [&routes, &stops] {
        for i in 0..layer.features.len() {
            let day = layer.value(i, "day").as_f64().expect("a day") as i64;
            let expected = yitu_core::calendar::iso_date(
                yitu_core::calendar::parse_date("2026-06-01").expect("a date") + day - 1,
            );
            assert_eq!(layer.value(i, "date").to_string(), expected);
        }
    }
}

/// A budget spent before the search starts (a loaded machine, a large day) still gives each
/// day a whole first plan: the time limit cuts the improving, not the building, which once
/// left most tasks out as "no room".
#[test]
fn a_budget_already_spent_still_plans_every_task_that_fits() {
    let (teams, tasks) = city();
    let opts = Options::new(2, false, Budget::seconds(0.0));
    let p = plan(tasks, teams, None, &opts).expect("plans");
    check_rules(&p, &opts);
    assert!(p.unplanned.is_empty(), "{:?}", p.unplanned);
    assert_eq!(p.tasks.len(), 12);
}

#[test]
fn cross_district_sends_teams_over_the_line_and_skills_and_locks_hold() {
    let (teams, mut tasks) = city();
    tasks.push(task("R1", "A", "radiation", Some([106.51, 29.49])));
    let mut opts = options(3, true);
    opts.locks.push(Lock {
        source_id: "A3".to_owned(),
        team: "TB".to_owned(),
        day: 2,
    });
    let p = plan(tasks, teams, None, &opts).expect("plans");
    check_rules(&p, &opts);
    assert!(p.unplanned.is_empty(), "{:?}", p.unplanned);
    for r in &p.routes {
        for k in r.stops.iter().filter_map(|s| s.task) {
            let t = &p.tasks[k];
            assert_ne!(
                t.district, p.teams[r.team].district,
                "{} inspected by its own district",
                t.source_id
            );
            if t.source_id == "A3" {
                assert_eq!((p.teams[r.team].id.as_str(), r.day), ("TB", 2));
            }
        }
    }
}

#[test]
fn impossible_tasks_come_back_with_their_reason() {
    let (teams, mut tasks) = city();
    tasks.push(task("NOPOS", "A", "general", None));
    // 600 km away: no shift can get there and back.
    tasks.push(task("FAR", "A", "general", Some([112.5, 29.5])));
    // Nobody has the skill.
    tasks.push(task("HW", "A", "hazardous_waste", Some([106.5, 29.51])));
    let mut opts = options(1, false);
    opts.locks.push(Lock {
        source_id: "A1".to_owned(),
        team: "TX".to_owned(),
        day: 0,
    });
    let p = plan(tasks, teams, None, &opts).expect("the plan still comes back");
    check_rules(&p, &opts);
    let reason = |id: &str| {
        p.unplanned
            .iter()
            .find(|u| p.tasks[u.task].source_id == id)
            .map_or_else(|| panic!("{id} is planned"), |u| u.reason.clone())
    };

    assert!(reason("NOPOS").contains("no position"));
    assert!(
        reason("FAR").contains("cannot be reached"),
        "{}",
        reason("FAR")
    );
    assert!(reason("HW").contains("hazardous_waste"));
    assert!(reason("A1").contains("locked to team TX"));
    // One day, 4 a team: of A's five other tasks one stays out for want of room.
    let full: Vec<_> = p
        .unplanned
        .iter()
        .filter(|u| u.reason.contains("no room"))
        .collect();
    assert_eq!(full.len(), 1 + 2, "{:?}", p.unplanned);
}

#[test]
fn on_a_road_network_snap_distances_are_reported_and_far_targets_flagged() {
    // A straight road east–west through both offices, 100 m segments.
    let mut roads = Roads::default();
    let step = 0.001;
    for k in 0..=140 {
        roads.nodes.push([106.49 + f64::from(k) * step, 29.50]);
    }
    for k in 0..140_u32 {
        roads.connect(k, k + 1, 36.0, true);
    }
    let network = RoadNetwork::prepare(roads);
    let (teams, mut tasks) = city();
    tasks.push(task("OFFROAD", "A", "general", Some([106.52, 29.53])));
    // The city's tasks lie 1.1 km off this one road: allowed here, the one 3.3 km off is not.
    let mut opts = options(2, false);
    opts.max_snap_m = 1500.0;
    let p = plan(tasks, teams, Some(&network), &opts).expect("plans");
    check_rules(&p, &opts);
    assert_eq!(p.travel, "roads");
    let k = p
        .tasks
        .iter()
        .position(|t| t.source_id == "A3")
        .expect("A3");
    let snap = p.snap_m[k].expect("snapped");
    assert!((snap - 1106.0).abs() < 10.0, "{snap}");
    assert_eq!(p.unplanned.len(), 1, "{:?}", p.unplanned);
    // Routes follow the road: every point between a stop and the road lies on it.
    for r in &p.routes {
        let line = r.line(&p);
        assert!(line.len() > 2 * r.stops.len());
        let on_road = line.iter().filter(|q| (q[1] - 29.50).abs() < 1e-9).count();
        assert!(on_road >= line.len() / 2, "{line:?}");
    }
    let far = p
        .tasks
        .iter()
        .position(|t| t.source_id == "OFFROAD")
        .expect("task");
    let u = p.unplanned.iter().find(|u| u.task == far).expect("flagged");
    assert!(u.reason.contains("off the road network"), "{}", u.reason);
    // A target moved by hand to another team with room that day: the routes it changes
    // follow the roads again.
    let tasks_of = |team: usize, day: usize| {
        p.routes
            .iter()
            .filter(|r| r.team == team && r.day == day)
            .flat_map(|r| r.stops.iter().filter_map(|s| s.task))
            .count()
    };
    let (route, k, to) = p
        .routes
        .iter()
        .find_map(|r| {
            let to = (r.team + 1) % p.teams.len();
            let room = tasks_of(to, r.day) < p.teams[to].max_targets as usize;
            let k = r.stops.iter().find_map(|s| s.task)?;
            room.then_some((r, k, to))
        })
        .expect("a planned stop and a team with room that day");
    let mut moved = dispatch::manual::move_task(&p, k, to, route.day).expect("moves");
    assert!(moved.routes.iter().any(|r| r.road_line.is_empty()));
    dispatch::follow_roads(&mut moved, &network);
    assert!(moved.routes.iter().all(|r| !r.road_line.is_empty()));
    check_rules(&moved, &opts);
}

#[test]
fn firms_with_their_own_hours_are_inspected_within_them() {
    let (teams, tasks) = city();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("hours.csv");
    std::fs::write(
        &path,
        "\u{feff}source_id,open,close\nA1,14:00,15:00\nB2,08:30,09:15\n",
    )
    .expect("write");
    let mut opts = options(2, false);
    opts.hours = dispatch::read_hours(&path).expect("reads");
    assert_eq!(opts.hours["A1"], (14.0 * 60.0, 15.0 * 60.0));
    let p = plan(tasks, teams, None, &opts).expect("plans");
    check_rules(&p, &opts);
    let start_of = |id: &str| {
        let k = p
            .tasks
            .iter()
            .position(|t| t.source_id == id)
            .expect("task");
        p.routes
            .iter()
            .flat_map(|r| &r.stops)
            .find(|s| s.task == Some(k))
            .map(|s| s.start % (24.0 * 60.0))
            .expect("planned")
    };
    assert!((14.0 * 60.0..=15.0 * 60.0).contains(&start_of("A1")));
    assert!(start_of("B2") <= 9.25 * 60.0);
    // Broken files are named with the line.
    for (text, expected) in [
        ("source_id,open\nA1,14:00\n", "no column `close`"),
        (
            "source_id,open,close\nA1,2pm,15:00\n",
            "line 2: open \"2pm\"",
        ),
        (
            "source_id,open,close\nA1,15:00,14:00\n",
            "line 2: A1 closes",
        ),
    ] {
        std::fs::write(&path, text).expect("write");
        let e = dispatch::read_hours(&path).expect_err(text).to_string();
        assert!(e.contains("hours.csv") && e.contains(expected), "{e}");
    }
}

#[test]
fn a_broken_team_roster_names_the_file_and_the_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cases = [
        (
            "nocol.csv",
            "id,district,lon\nT1,A,106.5\n",
            "no column `lat`",
        ),
        (
            "badtime.csv",
            "id,district,lon,lat,shift_start\nT1,A,106.5,29.5,8h30\n",
            "line 2: shift_start \"8h30\"",
        ),
        (
            "badlon.csv",
            "id,district,lon,lat\nT1,A,east,29.5\n",
            "line 2: lon \"east\" is not a number",
        ),
    ];
    for (name, text, expected) in cases {
        let path = dir.path().join(name);
        std::fs::File::create(&path)
            .and_then(|mut f| f.write_all(text.as_bytes()))
            .expect("write");
        let e = dispatch::read_teams(&path).expect_err(name).to_string();
        assert!(e.contains(name) && e.contains(expected), "{e}");
    }
}

#[test]
fn exports_hand_out_sheets_gpx_kml_and_the_mobile_csv() {
    let (mut teams, tasks) = city();
    for t in &mut teams {
        t.phone = format!("023-6000{}", t.id);
    }
    let opts = options(2, false);
    let p = plan(tasks, teams, None, &opts).expect("plans");
    let dir = tempfile::tempdir().expect("temp dir");
    let files = dispatch::export::write(&p, dir.path()).expect("exports");
    assert_eq!(files.len(), 3 * p.routes.len() + 2);
    let route = &p.routes[0];
    let stem = format!("{}_day{}", p.teams[route.team].id, route.day + 1);
    let inspections = route.stops.iter().filter(|s| s.task.is_some()).count();
    // KML through GDAL: a placemark per stop and the route line.
    let kml = yitu_layers::io::read_vector(
        &dir.path().join(format!("{stem}.kml")),
        yitu_layers::io::ReadOptions::default(),
    )
    .expect("GDAL reads the KML");
    assert_eq!(kml.layers[0].features.len(), inspections + 1);
    let gpx = std::fs::read_to_string(dir.path().join(format!("{stem}.gpx"))).expect("gpx");
    assert_eq!(gpx.matches("<rtept").count(), inspections + 2);
    assert_eq!(gpx.matches("<wpt").count(), inspections);
    let sheet = std::fs::read_to_string(dir.path().join(format!("{stem}.html"))).expect("html");
    assert!(sheet.contains("检查任务单") && sheet.contains("<svg") && sheet.contains("估算"));
    assert!(sheet.contains(&format!("电话 phone 023-6000{}", p.teams[route.team].id)));
    // Each stop's firm by name, with whom to ask for.
    let first = route.stops.iter().find_map(|s| s.task).expect("a stop");
    let firm = &p.tasks[first];
    assert!(
        sheet.contains(&format!("{} 有限公司", firm.source_id)),
        "{sheet}"
    );
    assert!(sheet.contains(&format!("张伟 023-6{}", firm.source_id)));
    let csv = std::fs::read_to_string(dir.path().join("stops.csv")).expect("csv");
    assert!(csv.starts_with('\u{feff}'));
    let planned = p.tasks.len() - p.unplanned.len();
    assert_eq!(csv.lines().count(), planned + 1);
}

#[test]
fn a_task_dragged_to_another_team_and_day_is_replanned_within_every_rule() {
    let (teams, tasks) = city();
    let opts = options(2, false);
    let p = plan(tasks, teams, None, &opts).expect("plans");
    let from = &p.routes[0];
    let task = from.stops.iter().find_map(|s| s.task).expect("a stop");
    // To the other team, on whichever day it has the fewest stops: the search may have
    // filled the other day to the cap.
    let team = 1 - from.team;
    let stops_on = |day: usize| {
        p.routes
            .iter()
            .find(|r| r.team == team && r.day == day)
            .map_or(0, |r| r.stops.iter().filter(|s| s.task.is_some()).count())
    };
    let day = (0..2).min_by_key(|&d| stops_on(d)).expect("two days");
    let moved = dispatch::manual::move_task(&p, task, team, day).expect("moves");
    check_rules(&moved, &opts);
    let route = moved
        .routes
        .iter()
        .find(|r| r.team == team && r.day == day)
        .expect("the route it joined");
    assert!(route.stops.iter().any(|s| s.task == Some(task)));
    assert_eq!(
        moved
            .routes
            .iter()
            .flat_map(|r| &r.stops)
            .filter(|s| s.task == Some(task))
            .count(),
        1
    );
    for r in &moved.routes {
        let t = &moved.teams[r.team];
        let day0 = r.day as f64 * 24.0 * 60.0;
        assert!(r.back <= day0 + t.shift.1 + 1e-6);
    }
    // A full team-day refuses, naming the team.
    let mut full = p.clone();
    full.teams[team].max_targets = 0;
    let e = dispatch::manual::move_task(&full, task, team, day).expect_err("full");
    assert!(e.to_string().contains(&full.teams[team].id), "{e}");
}

#[test]
fn an_empty_roster_and_an_office_off_the_roads_leave_tasks_out_with_the_reason() {
    let (_, tasks) = city();
    let opts = options(1, false);
    let count = tasks.len();
    let p = plan(tasks.clone(), Vec::new(), None, &opts).expect("the plan still comes back");
    assert_eq!(p.unplanned.len(), count);
    assert!(
        p.unplanned
            .iter()
            .all(|u| u.reason == "the roster has no teams")
    );
    // Team A's office 5 km off the only road (in the river, say): the plan warns, B goes
    // out, and A's district's tasks (only A may take them) are left out, saying why.
    let mut roads = Roads::default();
    for k in 0..=140 {
        roads.nodes.push([106.49 + f64::from(k) * 0.001, 29.50]);
    }
    for k in 0..140_u32 {
        roads.connect(k, k + 1, 36.0, true);
    }
    let network = RoadNetwork::prepare(roads);
    let (mut teams, tasks) = city();
    teams[0].office[1] -= 0.045;
    let mut opts = options(2, false);
    opts.max_snap_m = 1500.0;
    let p = plan(tasks, teams, Some(&network), &opts).expect("plans");
    assert!(
        p.warnings.iter().any(|w| w.contains("team TA")),
        "{:?}",
        p.warnings
    );
    assert!(p.routes.iter().all(|r| p.teams[r.team].id == "TB"));
    assert!(!p.routes.is_empty());
    let a_tasks = p.tasks.iter().filter(|t| t.district == "A").count();
    let off: Vec<_> = p
        .unplanned
        .iter()
        .filter(|u| u.reason.contains("office off the road network"))
        .collect();
    assert_eq!(off.len(), a_tasks);
}
