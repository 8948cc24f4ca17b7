//! Joint-check lists: the ranked candidates of a trace split by district (and Sichuan county),
//! as a printable sheet, a CSV table and targeted checks for the draw; and the district pairs
//! along the basin offered for 交叉执法 (each side's inspectors check the other's firms).

use std::fmt::Write as _;

use serde::Serialize;
use yitu_core::markup::{csv_table, html_escape};

use crate::attribution::Ranked;
use crate::found::Crossing;

/// One district's list.
#[derive(Debug, Clone, Serialize)]
pub struct DistrictList {
    pub province: Option<String>,
    pub district: Option<String>,
    pub district_name: Option<String>,
    pub candidates: Vec<Ranked>,
}

/// Two districts on a river line between them, offered for cross checks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CrossPair {
    pub upstream: String,
    pub downstream: String,
}

/// The candidates by district, each list in rank order, districts by their best candidate.
pub fn by_district(ranked: &[Ranked]) -> Vec<DistrictList> {
    let mut lists: Vec<DistrictList> = Vec::new();
    for r in ranked {
        match lists.iter_mut().find(|l| l.district == r.found.district) {
            Some(l) => l.candidates.push(r.clone()),
            None => lists.push(DistrictList {
                province: r.found.province.clone(),
                district: r.found.district.clone(),
                district_name: r.found.district_name.clone(),
                candidates: vec![r.clone()],
            }),
        }
    }
    lists
}

/// The district pairs the traced rivers cross between, once each.
pub fn pairs(crossings: &[Crossing]) -> Vec<CrossPair> {
    let mut out: Vec<CrossPair> = Vec::new();
    for c in crossings {
        let (Some(up), Some(down)) = (&c.upstream_district, &c.downstream_district) else {
            continue;
        };
        let pair = CrossPair {
            upstream: up.clone(),
            downstream: down.clone(),
        };
        if !out.contains(&pair) {
            out.push(pair);
        }
    }
    out
}

fn reasons(r: &Ranked) -> String {
    r.parts
        .iter()
        .map(|p| format!("{:?} {:.2}: {}", p.factor, p.score, p.reason))
        .collect::<Vec<_>>()
        .join("; ")
}

/// All lists as one CSV table.
pub fn csv(lists: &[DistrictList]) -> String {
    let rows = lists.iter().flat_map(|l| {
        l.candidates.iter().enumerate().map(move |(k, r)| {
            vec![
                l.province.clone().unwrap_or_default(),
                l.district.clone().unwrap_or_default(),
                l.district_name.clone().unwrap_or_default(),
                (k + 1).to_string(),
                r.found.layer.clone(),
                r.found.id.clone(),
                format!("{:.3}", r.score),
                format!("{:.2}", r.found.river_km),
                format!("{:.1}", r.found.travel_h),
                format!("{:.6}", r.found.lon),
                format!("{:.6}", r.found.lat),
                reasons(r),
            ]
        })
    });
    csv_table(
        &[
            "province",
            "district",
            "district_name",
            "rank",
            "layer",
            "id",
            "score",
            "river_km",
            "travel_h",
            "lon",
            "lat",
            "reasons",
        ],
        rows,
    )
}

/// A printable sheet: one page per district, the question on top, each candidate with its
/// score and reasons, and a column for the inspector's finding.
pub fn html(title: &str, lists: &[DistrictList], pairs: &[CrossPair]) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        "<!doctype html><html lang=\"zh\"><head><meta charset=\"utf-8\"><title>{t}</title><style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse;width:100%}}td,th{{border:1px solid #999;padding:4px;font-size:12px;vertical-align:top}}section{{page-break-after:always}}</style></head><body><h1>{t}</h1>",
        t = html_escape(title)
    );
    for l in lists {
        let _ = write!(
            s,
            "<section><h2>联合排查清单 Joint-check list: {} {} {}</h2><table><tr><th>#</th><th>类别 layer</th><th>编号 id</th><th>得分 score</th><th>河道距离 km</th><th>流经时间 h</th><th>位置 position</th><th>理由 reasons</th><th>核查结果 finding</th></tr>",
            html_escape(l.province.as_deref().unwrap_or("")),
            html_escape(l.district_name.as_deref().unwrap_or("")),
            html_escape(l.district.as_deref().unwrap_or("(outside every district)"))
        );
        for (k, r) in l.candidates.iter().enumerate() {
            let _ = write!(
                s,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{:.3}</td><td>{:.2}</td><td>{:.1}</td><td>{:.5}, {:.5}</td><td>{}</td><td></td></tr>",
                k + 1,
                html_escape(&r.found.layer),
                html_escape(&r.found.id),
                r.score,
                r.found.river_km,
                r.found.travel_h,
                r.found.lon,
                r.found.lat,
                html_escape(&reasons(r))
            );
        }
        s.push_str("</table></section>");
    }
    if !pairs.is_empty() {
        s.push_str("<section><h2>交叉执法 Cross-enforcement pairs</h2><table><tr><th>上游 upstream</th><th>下游 downstream</th></tr>");
        for p in pairs {
            let _ = write!(
                s,
                "<tr><td>{}</td><td>{}</td></tr>",
                html_escape(&p.upstream),
                html_escape(&p.downstream)
            );
        }
        s.push_str("</table></section>");
    }
    s.push_str("</body></html>\n");
    s
}

/// The files of a trace's joint-check lists, by name: a printable page per district, one CSV
/// table, and entries for a draw plan.
pub fn files(
    title: &str,
    ranked: &[Ranked],
    crossings: &[Crossing],
) -> [(&'static str, String); 3] {
    let lists = by_district(ranked);
    let pairs = pairs(crossings);
    [
        ("lists.html", html(title, &lists, &pairs)),
        ("lists.csv", csv(&lists)),
        ("checks.toml", draw_toml(title, &lists, &pairs)),
    ]
}

/// A plan's `[[must_include]]` and `[[pair]]` entries, as `yitu draw` reads them.
#[derive(Serialize)]
struct PlanPart {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    must_include: Vec<MustInclude>,
    #[serde(rename = "pair", skip_serializing_if = "Vec::is_empty")]
    pairs: Vec<PlanPair>,
}

#[derive(Serialize)]
struct MustInclude {
    source_id: String,
    reason: String,
}

#[derive(Serialize)]
struct PlanPair {
    targets: String,
    inspectors: String,
}

/// The candidate firms as targeted checks for the draw (`[[must_include]]`), and cross checks
/// (`[[pair]]`): each district's firms checked by its downstream neighbour's inspectors, the
/// last district's by its upstream neighbour's, each district a target once (the draw takes a
/// district's first pair).
pub fn draw_toml(reason: &str, lists: &[DistrictList], pairs: &[CrossPair]) -> String {
    plan_additions("", reason, lists, pairs)
}

/// The same entries less those a plan (its TOML text) already has: firms it already targets,
/// districts it already pairs. What the app adds to the draw window's plan.
pub fn plan_additions(
    plan: &str,
    reason: &str,
    lists: &[DistrictList],
    pairs: &[CrossPair],
) -> String {
    let plan: toml::Table = plan.parse().unwrap_or_default();
    let listed = |key: &str, field: &str| -> Vec<String> {
        plan.get(key)
            .and_then(toml::Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|e| e.get(field)?.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let targeted = listed("must_include", "source_id");
    let paired = listed("pair", "targets");
    let must_include = lists
        .iter()
        .flat_map(|l| l.candidates.iter())
        .filter(|r| r.found.layer == "sources" && !targeted.contains(&r.found.id))
        .map(|r| MustInclude {
            source_id: r.found.id.clone(),
            reason: format!("{reason} ({:.3})", r.score),
        })
        .collect();
    let mut plan_pairs: Vec<PlanPair> = Vec::new();
    let mut add = |targets: &str, inspectors: &str| {
        if !paired.iter().any(|p| p == targets) && !plan_pairs.iter().any(|p| p.targets == targets)
        {
            plan_pairs.push(PlanPair {
                targets: targets.to_owned(),
                inspectors: inspectors.to_owned(),
            });
        }
    };
    for p in pairs {
        add(&p.upstream, &p.downstream);
    }
    for p in pairs {
        add(&p.downstream, &p.upstream);
    }
    toml::to_string(&PlanPart {
        must_include,
        pairs: plan_pairs,
    })
    .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attribution::{Evidence, Standing};
    use crate::found::Found;

    fn ranked(id: &str, district: &str) -> Ranked {
        Ranked {
            found: Found {
                layer: "sources".to_owned(),
                id: id.to_owned(),
                river_km: 1.0,
                travel_h: 0.5,
                district: Some(district.to_owned()),
                district_name: None,
                province: None,
                lon: 106.0,
                lat: 29.0,
                off_m: 10.0,
                reach: "R1".to_owned(),
            },
            score: 0.6,
            parts: Vec::new(),
            evidence: Evidence {
                emits: None,
                standing: Standing::Unknown,
                seen_h: Vec::new(),
                anomalies: Vec::new(),
                monitored: false,
            },
        }
    }

    #[test]
    fn a_plan_gets_only_what_it_lacks() {
        let lists = by_district(&[
            ranked("PS1", "500101"),
            ranked("PS2", "500102"),
            ranked("PS3", "500101"),
        ]);
        assert_eq!(lists.len(), 2);
        assert_eq!(lists[0].candidates.len(), 2);
        let pairs = vec![CrossPair {
            upstream: "500102".to_owned(),
            downstream: "500101".to_owned(),
        }];
        let plan = "[[must_include]]\nsource_id = \"PS2\"\nreason = \"complaint\"\n\n[[pair]]\ntargets = \"500102\"\ninspectors = \"500103\"\n";
        let added: toml::Table = plan_additions(plan, "trace", &lists, &pairs)
            .parse()
            .expect("TOML");
        let ids: Vec<&str> = added["must_include"]
            .as_array()
            .expect("targets")
            .iter()
            .filter_map(|m| m["source_id"].as_str())
            .collect();
        assert_eq!(ids, ["PS1", "PS3"]);
        let pairs: Vec<(&str, &str)> = added["pair"]
            .as_array()
            .expect("pairs")
            .iter()
            .map(|p| {
                (
                    p["targets"].as_str().unwrap_or(""),
                    p["inspectors"].as_str().unwrap_or(""),
                )
            })
            .collect();
        assert_eq!(pairs, [("500101", "500102")], "500102 is already paired");
    }
}
