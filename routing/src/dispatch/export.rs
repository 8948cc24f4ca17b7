//! A plan's hand-outs per team-day: a printable task sheet (HTML, with the route drawn), GPX
//! and KML for navigation apps; and for the mobile enforcement system, every stop in one CSV
//! (with a BOM, for Excel) and one JSON.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use yitu_core::markup::{csv_table, html_escape};

use super::teams::clock;
use super::{Plan, TeamDay};
use crate::RoutingError;

/// The files written, in order.
pub fn write(plan: &Plan, dir: &Path) -> Result<Vec<PathBuf>, RoutingError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |error| RoutingError::Io { path, error }
    };
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let mut written = Vec::new();
    let mut put = |name: String, text: String| -> Result<(), RoutingError> {
        let path = dir.join(name);
        std::fs::write(&path, text).map_err(io(&path))?;
        written.push(path);
        Ok(())
    };
    for route in &plan.routes {
        let stem = file_stem(plan, route);
        put(format!("{stem}.html"), task_sheet(plan, route))?;
        put(format!("{stem}.gpx"), gpx(plan, route))?;
        put(format!("{stem}.kml"), kml(plan, route))?;
    }
    put("stops.csv".to_owned(), stops_csv(plan))?;
    let json = serde_json::to_string_pretty(&stops_json(plan))
        .map_err(|e| RoutingError::Solver(format!("plan as JSON: {e}")))?;
    put("stops.json".to_owned(), json)?;
    Ok(written)
}

/// `<team>_day<d>`, with characters file systems refuse replaced.
fn file_stem(plan: &Plan, route: &TeamDay) -> String {
    let team: String = plan.teams[route.team]
        .id
        .chars()
        .map(|c| if "/\\:*?\"<>|".contains(c) { '_' } else { c })
        .collect();
    format!("{team}_day{}", route.day + 1)
}

/// One row per inspection: the route's waypoints in order (office first and last).
struct Waypoint {
    name: String,
    position: [f64; 2],
    arrival: Option<String>,
}

fn waypoints(plan: &Plan, route: &TeamDay) -> Vec<Waypoint> {
    let team = &plan.teams[route.team];
    let office = |arrival: Option<String>| Waypoint {
        name: format!("{} office", team.name),
        position: team.office,
        arrival,
    };
    let mut out = vec![office(None)];
    for s in &route.stops {
        if let Some(k) = s.task
            && let Some(p) = plan.tasks[k].position
        {
            out.push(Waypoint {
                name: plan.tasks[k].source_id.clone(),
                position: p,
                arrival: Some(clock(s.arrival)),
            });
        }
    }
    out.push(office(Some(clock(route.back))));
    out
}

fn gpx(plan: &Plan, route: &TeamDay) -> String {
    let points = waypoints(plan, route);
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<gpx version=\"1.1\" creator=\"Yitu\" xmlns=\"http://www.topografix.com/GPX/1/1\">\n",
    );
    for w in &points[1..points.len() - 1] {
        let _ = writeln!(
            out,
            "  <wpt lat=\"{:.7}\" lon=\"{:.7}\"><name>{}</name></wpt>",
            w.position[1],
            w.position[0],
            html_escape(&w.name)
        );
    }
    let _ = writeln!(
        out,
        "  <rte><name>{}</name>",
        html_escape(&file_stem(plan, route))
    );
    for w in &points {
        let _ = writeln!(
            out,
            "    <rtept lat=\"{:.7}\" lon=\"{:.7}\"><name>{}</name></rtept>",
            w.position[1],
            w.position[0],
            html_escape(&w.name)
        );
    }
    out.push_str("  </rte>\n");
    if !route.road_line.is_empty() {
        // Along the roads, for apps that follow a track rather than route between points.
        out.push_str("  <trk><name>roads</name><trkseg>\n");
        for p in &route.road_line {
            let _ = writeln!(out, "    <trkpt lat=\"{:.7}\" lon=\"{:.7}\"/>", p[1], p[0]);
        }
        out.push_str("  </trkseg></trk>\n");
    }
    out.push_str("</gpx>\n");
    out
}

fn kml(plan: &Plan, route: &TeamDay) -> String {
    let points = waypoints(plan, route);
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<kml xmlns=\"http://www.opengis.net/kml/2.2\"><Document><name>{}</name>\n",
        html_escape(&file_stem(plan, route))
    );
    for (k, w) in points.iter().enumerate().skip(1).take(points.len() - 2) {
        let _ = writeln!(
            out,
            "<Placemark><name>{k}. {}</name><description>{}</description><Point><coordinates>{:.7},{:.7}</coordinates></Point></Placemark>",
            html_escape(&w.name),
            w.arrival.as_deref().unwrap_or_default(),
            w.position[0],
            w.position[1]
        );
    }
    let line: Vec<String> = route
        .line(plan)
        .iter()
        .map(|p| format!("{:.7},{:.7}", p[0], p[1]))
        .collect();
    let _ = writeln!(
        out,
        "<Placemark><name>route</name><LineString><coordinates>{}</coordinates></LineString></Placemark>",
        line.join(" ")
    );
    out.push_str("</Document></kml>\n");
    out
}

/// The route drawn as an SVG: offices and stops numbered, straight legs (a sketch for the
/// sheet; navigation takes the GPX or KML).
fn sketch(plan: &Plan, route: &TeamDay) -> String {
    let points = waypoints(plan, route);
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for w in &points {
        x0 = x0.min(w.position[0]);
        x1 = x1.max(w.position[0]);
        y0 = y0.min(w.position[1]);
        y1 = y1.max(w.position[1]);
    }
    let (w, h, pad) = (520.0, 360.0, 24.0);
    let kx = (x1 - x0).max(1e-6) * y0.to_radians().cos();
    let scale = ((w - 2.0 * pad) / kx).min((h - 2.0 * pad) / (y1 - y0).max(1e-6));
    let at = |p: [f64; 2]| {
        (
            pad + (p[0] - x0) * y0.to_radians().cos() * scale,
            h - pad - (p[1] - y0) * scale,
        )
    };
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" style=\"border:1px solid #999\">"
    );
    let line: Vec<String> = points
        .iter()
        .map(|p| {
            let (x, y) = at(p.position);
            format!("{x:.1},{y:.1}")
        })
        .collect();
    let _ = write!(
        svg,
        "<polyline points=\"{}\" fill=\"none\" stroke=\"#1f6feb\" stroke-width=\"2\"/>",
        line.join(" ")
    );
    for (k, p) in points.iter().enumerate() {
        let (x, y) = at(p.position);
        let office = k == 0 || k + 1 == points.len();
        let label = if office {
            "★".to_owned()
        } else {
            k.to_string()
        };
        let _ = write!(
            svg,
            "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"9\" fill=\"{}\"/><text x=\"{x:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"middle\" fill=\"white\">{label}</text>",
            if office { "#444" } else { "#d1242f" },
            y + 4.0
        );
    }
    svg.push_str("</svg>");
    svg
}

fn task_sheet(plan: &Plan, route: &TeamDay) -> String {
    let team = &plan.teams[route.team];
    let estimate = if plan.travel == "estimate" {
        format!(
            "<p class=\"note\">行程时间为估算：直线距离 × {} ÷ {} km/h（未使用路网）。Travel times are estimates: straight line × {} at {} km/h (no road network).</p>",
            plan.estimate.detour, plan.estimate.kmh, plan.estimate.detour, plan.estimate.kmh
        )
    } else {
        String::new()
    };
    let mut rows = String::new();
    let mut n = 0;
    for s in &route.stops {
        match s.task {
            Some(k) => {
                n += 1;
                let t = &plan.tasks[k];
                let _ = write!(
                    rows,
                    "<tr><td>{n}</td><td>{}<br><small>{}</small></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}–{}</td><td>{:.0}</td><td>{}</td></tr>",
                    html_escape(&t.sheet.name),
                    html_escape(&t.source_id),
                    html_escape(&t.sheet.contact),
                    html_escape(&t.category),
                    html_escape(&t.district),
                    if t.kind == "targeted" {
                        "重点 targeted"
                    } else {
                        "随机 random"
                    },
                    clock(s.arrival),
                    clock(s.start),
                    clock(s.departure),
                    s.travel_minutes,
                    html_escape(&t.inspectors.join("、")),
                );
            }
            None => {
                let _ = write!(
                    rows,
                    "<tr class=\"lunch\"><td></td><td colspan=\"5\">午餐 Lunch</td><td></td><td>{}–{}</td><td></td><td></td></tr>",
                    clock(s.start),
                    clock(s.departure)
                );
            }
        }
    }
    format!(
        "<!DOCTYPE html><html lang=\"zh\"><head><meta charset=\"utf-8\"><title>{title}</title>\
<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}td,th{{border:1px solid #999;padding:4px 8px}}.lunch{{color:#666}}.note{{color:#9a6700}}@media print{{.note{{color:#000}}}}</style></head><body>\
<h1>检查任务单 Inspection task sheet</h1>\
<p><b>{team}</b> ({team_id}){phone} · 第 {day} 天 day {day} · 出发 leave {leave} · 返回 back {back} · 行程 travel {travel:.0} min, {km:.1} km</p>{estimate}\
{svg}\
<table><tr><th>#</th><th>污染源 Source</th><th>联系人 Contact</th><th>类别 Category</th><th>区县 District</th><th>类型 Kind</th><th>到达 Arrive</th><th>检查 Inspect</th><th>行程 min</th><th>执法人员 Inspectors</th></tr>{rows}</table>\
<p>签字 Signature: ______________________</p></body></html>\n",
        title = html_escape(&file_stem(plan, route)),
        team = html_escape(&team.name),
        team_id = html_escape(&team.id),
        phone = if team.phone.is_empty() {
            String::new()
        } else {
            format!(" · 电话 phone {}", html_escape(&team.phone))
        },
        day = route.day + 1,
        leave = clock(route.leave),
        back = clock(route.back),
        travel = route.travel_minutes,
        km = route.distance_m / 1000.0,
        svg = sketch(plan, route),
    )
}

/// Every planned stop, one row each: what the mobile system imports.
fn stops_csv(plan: &Plan) -> String {
    let header = [
        "team",
        "day",
        "seq",
        "source_id",
        "name",
        "contact",
        "category",
        "district",
        "kind",
        "lon",
        "lat",
        "arrival",
        "start",
        "departure",
        "travel_minutes",
        "inspectors",
    ];
    let rows = plan.routes.iter().flat_map(|route| {
        let team = &plan.teams[route.team];
        route
            .stops
            .iter()
            .filter_map(|s| s.task.map(|k| (k, s)))
            .enumerate()
            .map(move |(seq, (k, s))| {
                let t = &plan.tasks[k];
                let [lon, lat] = t.position.unwrap_or([f64::NAN; 2]);
                [
                    team.id.clone(),
                    (route.day + 1).to_string(),
                    (seq + 1).to_string(),
                    t.source_id.clone(),
                    t.sheet.name.clone(),
                    t.sheet.contact.clone(),
                    t.category.clone(),
                    t.district.clone(),
                    t.kind.to_owned(),
                    format!("{lon:.7}"),
                    format!("{lat:.7}"),
                    clock(s.arrival),
                    clock(s.start),
                    clock(s.departure),
                    format!("{:.1}", s.travel_minutes),
                    t.inspectors.join(";"),
                ]
            })
    });
    // A byte-order mark, so that spreadsheets in Chinese locales read the file as UTF-8.
    format!("\u{feff}{}", csv_table(&header, rows))
}

fn stops_json(plan: &Plan) -> serde_json::Value {
    let routes: Vec<serde_json::Value> = plan
        .routes
        .iter()
        .map(|route| {
            let team = &plan.teams[route.team];
            serde_json::json!({
                "team": team.id,
                "day": route.day + 1,
                "leave": clock(route.leave),
                "back": clock(route.back),
                "travel": plan.travel,
                "stops": route.stops.iter().filter_map(|s| s.task.map(|k| {
                    let t = &plan.tasks[k];
                    serde_json::json!({
                        "source_id": t.source_id,
                        "name": t.sheet.name,
                        "contact": t.sheet.contact,
                        "category": t.category,
                        "district": t.district,
                        "kind": t.kind,
                        "position": t.position,
                        "arrival": clock(s.arrival),
                        "start": clock(s.start),
                        "departure": clock(s.departure),
                        "inspectors": t.inspectors,
                    })
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    serde_json::json!({ "routes": routes, "unplanned": super::output::summary(plan)["unplanned_tasks"] })
}
