//! Indicators computed from the project's layers, city-wide and per district, each saying what
//! it counts, from which layer and over which period; with no data, the value is empty and the
//! reason given, never a made-up number.

use serde::Serialize;
use yitu_core::calendar::iso_date;
use yitu_layers::Layer;
use yitu_layers::inspection::{DONE, DONE_ON, INSPECTED, INSPECTED_ON, is_yes};

use crate::tables::{Tables, day};

/// Every indicator's id, in the order they are computed.
pub const IDS: [&str; 16] = [
    "sources",
    "transmission_rate",
    "open_anomalies",
    "detections",
    "detections_confirmed",
    "detections_dismissed",
    "detections_awaiting",
    "drawn",
    "targeted",
    "inspected",
    "left",
    "targeted_from_detections",
    "targeted_from_anomalies",
    "targeted_from_traces",
    "inspections_planned",
    "inspections_done",
];

/// One indicator's value for the city (`district` null) or one district.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Indicator {
    pub id: &'static str,
    pub label: String,
    pub value: Option<f64>,
    pub unit: &'static str,
    pub target: Option<f64>,
    pub district: Option<String>,
    /// What it counts, from which layer.
    pub source: String,
    /// Why there is no value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing: Option<String>,
}

/// The days the counted rows span (ISO dates), up to the time shown.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Period {
    pub from: Option<String>,
    pub to: Option<String>,
}

/// What `indicators.json` holds.
#[derive(Debug, Clone, Serialize)]
pub struct Indicators {
    pub period: Period,
    pub indicators: Vec<Indicator>,
}

impl Indicators {
    /// The city-wide value of an indicator.
    pub fn city(&self, id: &str) -> Option<&Indicator> {
        self.indicators
            .iter()
            .find(|i| i.id == id && i.district.is_none())
    }
}

/// The rows an indicator counts (or sums): each with its district and its day, if dated.
#[derive(Default)]
struct Tally {
    rows: Vec<(Option<String>, Option<i64>, f64)>,
}

impl Tally {
    fn add(&mut self, district: Option<String>, v: f64) {
        self.rows.push((district, None, v));
    }
}

/// The same rows with districts as indices into the districts shown (`u32::MAX`: none of
/// them) and undated rows at `i64::MIN`, for counting on every frame of a playing slider.
struct Counted {
    rows: Vec<(u32, i64, f64)>,
}

impl Counted {
    /// The sum for the city and per district of the rows up to `until`, and the days seen.
    fn sum(
        &self,
        districts: usize,
        until: Option<i64>,
        span: &mut Option<(i64, i64)>,
    ) -> (f64, Vec<f64>) {
        let mut city = 0.0;
        let mut by = vec![0.0; districts];
        for &(d, day, v) in &self.rows {
            if day != i64::MIN {
                if until.is_some_and(|u| day > u) {
                    continue;
                }
                *span = Some(span.map_or((day, day), |(a, b)| (a.min(day), b.max(day))));
            }
            city += v;
            if let Some(slot) = by.get_mut(d as usize) {
                *slot += v;
            }
        }
        (city, by)
    }
}

/// How an indicator comes out: rows counted, a ratio of two sums, or missing for a reason.
enum Outcome<T> {
    Count(T),
    Ratio(T, T),
    Missing(String),
}

struct Definition<T> {
    id: &'static str,
    zh: &'static str,
    en: &'static str,
    unit: &'static str,
    target: Option<f64>,
    source: String,
    outcome: Outcome<T>,
}

/// The project's rows reduced to what each indicator counts, with their days: made once,
/// counted for any time shown.
pub struct Prepared {
    defs: Vec<Definition<Counted>>,
    districts: Vec<String>,
    zh: bool,
}

/// The rows of `layer` that `keep`, with their district and their day from `dated` fields.
fn tally(t: &Tables, layer: &Layer, keep: impl Fn(usize) -> bool, dated: &[&str]) -> Tally {
    let rows = (0..layer.features.len())
        .filter(|&i| keep(i))
        .map(|i| (t.district_of(layer, i), day(layer, i, dated), 1.0))
        .collect();
    Tally { rows }
}

fn review(layer: &Layer, i: usize) -> String {
    layer.text(i, &["review"]).unwrap_or_default()
}

/// Every indicator, city-wide then for each district with registered firms; `until` (a day
/// number) leaves out rows dated after it; labels in Chinese when `zh`.
pub fn compute(t: &Tables, until: Option<i64>, zh: bool) -> Indicators {
    prepare(t, zh).count(until)
}

/// The rows every indicator counts, read once from the tables.
pub fn prepare(t: &Tables, zh: bool) -> Prepared {
    let mut defs: Vec<Definition<Tally>> = Vec::new();
    let missing = |what: &str| Outcome::Missing(say(zh, what));

    // Registered firms.
    defs.push(Definition {
        id: "sources",
        zh: "登记污染源",
        en: "Registered sources",
        unit: "count",
        target: None,
        source: "pollution_sources: every row".to_owned(),
        outcome: match t.sources {
            Some(s) => Outcome::Count(tally(t, s, |_| true, &[])),
            None => missing("the project has no pollution-source layer"),
        },
    });

    // Automatic monitoring.
    defs.push(Definition {
        id: "transmission_rate",
        zh: "自动监控传输有效率",
        en: "Monitoring transmission rate",
        unit: "%",
        target: Some(95.0),
        source: "monitoring_points: hours with every value valid (N) ÷ hours expected".to_owned(),
        outcome: match t
            .monitored
            .filter(|m| m.field_index("expected_h").is_some())
        {
            Some(m) => {
                let mut valid = Tally::default();
                let mut expected = Tally::default();
                for i in 0..m.features.len() {
                    let d = t.district_of(m, i);
                    let num = |f: &str| m.value(i, f).as_f64().unwrap_or(0.0);
                    valid.add(d.clone(), num("valid_h") * 100.0);
                    expected.add(d, num("expected_h"));
                }
                Outcome::Ratio(valid, expected)
            }
            None => missing("no monitoring data analysed for this project"),
        },
    });
    defs.push(Definition {
        id: "open_anomalies",
        zh: "未关闭的监控异常",
        en: "Open monitoring anomalies",
        unit: "count",
        target: Some(0.0),
        source: "monitoring_anomalies: review not dismissed, by start".to_owned(),
        outcome: match t.anomalies {
            Some(a) => Outcome::Count(tally(t, a, |i| review(a, i) != "dismissed", &["start"])),
            None => missing("no monitoring data analysed for this project"),
        },
    });

    // Detections.
    let detections = |keep: &dyn Fn(&Layer, usize) -> bool| {
        if t.detections.is_empty() {
            return missing("no detections in the project");
        }
        let mut all = Tally::default();
        for l in &t.detections {
            let part = tally(t, l, |i| keep(l, i), &["captured_at", "capture_time"]);
            all.rows.extend(part.rows);
        }
        Outcome::Count(all)
    };
    for (id, zh_label, en_label, rule, keep) in [
        (
            "detections",
            "发现疑点",
            "Detections found",
            "every row",
            (|_: &Layer, _: usize| true) as fn(&Layer, usize) -> bool,
        ),
        (
            "detections_confirmed",
            "疑点已确认",
            "Detections confirmed",
            "review confirmed",
            |l, i| review(l, i) == "confirmed",
        ),
        (
            "detections_dismissed",
            "疑点已排除",
            "Detections dismissed",
            "review dismissed",
            |l, i| review(l, i) == "dismissed",
        ),
        (
            "detections_awaiting",
            "疑点待研判",
            "Detections awaiting review",
            "review neither confirmed nor dismissed",
            |l, i| !matches!(review(l, i).as_str(), "confirmed" | "dismissed"),
        ),
    ] {
        defs.push(Definition {
            id,
            zh: zh_label,
            en: en_label,
            unit: "count",
            target: None,
            source: format!("detection layers: {rule}"),
            outcome: detections(&keep),
        });
    }

    // The draw.
    let draw_count = |kind: Option<&str>| match t.draw {
        Some(d) => Outcome::Count(tally(
            t,
            d,
            |i| kind.is_none_or(|k| d.text(i, &["kind"]).as_deref() == Some(k)),
            &["date"],
        )),
        None => missing("no draw this period"),
    };
    defs.push(Definition {
        id: "drawn",
        zh: "随机抽中企业",
        en: "Firms drawn",
        unit: "count",
        target: None,
        source: format!("{}: kind random, by date", crate::tables::DRAW),
        outcome: draw_count(Some("random")),
    });
    defs.push(Definition {
        id: "targeted",
        zh: "定向检查企业",
        en: "Targeted checks",
        unit: "count",
        target: None,
        source: format!("{}: kind targeted, by date", crate::tables::DRAW),
        outcome: draw_count(Some("targeted")),
    });
    let recorded = t.draw.filter(|d| d.field_index(INSPECTED).is_some());
    defs.push(Definition {
        id: "inspected",
        zh: "已检查企业",
        en: "Firms inspected",
        unit: "count",
        target: None,
        source: format!("{}: inspected set", crate::tables::DRAW),
        outcome: match recorded {
            Some(d) => Outcome::Count(tally(
                t,
                d,
                |i| is_yes(d, i, INSPECTED),
                &[INSPECTED_ON, "date"],
            )),
            None if t.draw.is_some() => {
                missing("the draw records no inspection results (no `inspected` field)")
            }
            None => missing("no draw this period"),
        },
    });
    defs.push(Definition {
        id: "left",
        zh: "待检查企业",
        en: "Firms left to inspect",
        unit: "count",
        target: Some(0.0),
        source: format!("{}: drawn, less inspected by the day", crate::tables::DRAW),
        outcome: match recorded {
            // Each firm counts from the day it was drawn until the day it was inspected.
            Some(d) => Outcome::Count(Tally {
                rows: tally(t, d, |_| true, &["date"])
                    .rows
                    .into_iter()
                    .chain(
                        tally(t, d, |i| is_yes(d, i, INSPECTED), &[INSPECTED_ON, "date"])
                            .rows
                            .into_iter()
                            .map(|(district, day, v)| (district, day, -v)),
                    )
                    .collect(),
            }),
            None if t.draw.is_some() => {
                missing("the draw records no inspection results (no `inspected` field)")
            }
            None => missing("no draw this period"),
        },
    });

    // Targeted checks by origin.
    defs.push(Definition {
        id: "targeted_from_detections",
        zh: "定向检查·来自遥感疑点",
        en: "Targeted checks from detections",
        unit: "count",
        target: None,
        source: "detection layers: confirmed, on a registered firm".to_owned(),
        outcome: detections(&|l: &Layer, i| {
            review(l, i) == "confirmed" && l.text(i, &["source_id"]).is_some()
        }),
    });
    defs.push(Definition {
        id: "targeted_from_anomalies",
        zh: "定向检查·来自监控异常",
        en: "Targeted checks from anomalies",
        unit: "count",
        target: None,
        source: "monitoring_anomalies: confirmed".to_owned(),
        outcome: match t.anomalies {
            Some(a) => Outcome::Count(tally(t, a, |i| review(a, i) == "confirmed", &["start"])),
            None => missing("no monitoring data analysed for this project"),
        },
    });
    defs.push(Definition {
        id: "targeted_from_traces",
        zh: "定向检查·来自流域追溯",
        en: "Targeted checks from river traces",
        unit: "count",
        target: None,
        source: format!(
            "{}: targeted, reason from a river trace (流域追溯)",
            crate::tables::DRAW
        ),
        outcome: match t.draw {
            Some(d) => Outcome::Count(tally(
                t,
                d,
                |i| {
                    d.text(i, &["kind"]).as_deref() == Some("targeted")
                        && d.text(i, &["stratum_or_reason"])
                            .is_some_and(|r| r.starts_with("流域追溯"))
                },
                &["date"],
            )),
            None => missing("no draw this period"),
        },
    });

    // Inspections planned and done, by team (each team's district).
    let stops = t.stops;
    // Dated by `dated` (the plan's day, the day it was done) when the plan has dates.
    let by_team = |keep: &dyn Fn(&Layer, usize) -> bool, dated: &[&str]| -> Option<Tally> {
        let s = stops?;
        let rows = (0..s.features.len())
            .filter(|&i| keep(s, i))
            .map(|i| {
                let d = s
                    .text(i, &["team"])
                    .and_then(|team| t.team_district(&team).map(str::to_owned));
                (d, day(s, i, dated), 1.0)
            })
            .collect();
        Some(Tally { rows })
    };
    defs.push(Definition {
        id: "inspections_planned",
        zh: "已排程检查",
        en: "Inspections planned",
        unit: "count",
        target: None,
        source: format!("{}: every stop, by team", crate::tables::STOPS),
        outcome: by_team(&|_, _| true, &["date"])
            .map_or_else(|| missing("no route plan"), Outcome::Count),
    });
    defs.push(Definition {
        id: "inspections_done",
        zh: "已完成检查",
        en: "Inspections done",
        unit: "count",
        target: None,
        source: format!("{}: done set, by team", crate::tables::STOPS),
        outcome: match stops.filter(|s| s.field_index(DONE).is_some()) {
            Some(_) => by_team(&|s, i| is_yes(s, i, DONE), &[DONE_ON, "date"])
                .map_or_else(|| missing("no route plan"), Outcome::Count),
            None if stops.is_some() => {
                missing("the route plan records no finished inspections (no `done` field)")
            }
            None => missing("no route plan"),
        },
    });

    let districts: Vec<String> = {
        let mut d: Vec<String> = t
            .district_names()
            .into_iter()
            .map(|(code, _)| code)
            .filter(|c| t.has_firms(c))
            .collect();
        d.dedup();
        d
    };
    let index: std::collections::HashMap<&str, u32> = districts
        .iter()
        .enumerate()
        .map(|(k, d)| (d.as_str(), k as u32))
        .collect();
    let counted = |tally: Tally| Counted {
        rows: tally
            .rows
            .into_iter()
            .map(|(d, day, v)| {
                (
                    d.and_then(|d| index.get(d.as_str()).copied())
                        .unwrap_or(u32::MAX),
                    day.unwrap_or(i64::MIN),
                    v,
                )
            })
            .collect(),
    };
    let defs = defs
        .into_iter()
        .map(|d| Definition {
            id: d.id,
            zh: d.zh,
            en: d.en,
            unit: d.unit,
            target: d.target,
            source: d.source,
            outcome: match d.outcome {
                Outcome::Count(t) => Outcome::Count(counted(t)),
                Outcome::Ratio(n, m) => Outcome::Ratio(counted(n), counted(m)),
                Outcome::Missing(why) => Outcome::Missing(why),
            },
        })
        .collect();
    Prepared {
        defs,
        districts,
        zh,
    }
}

impl Prepared {
    /// The indicators with rows dated after `until` left out.
    pub fn count(&self, until: Option<i64>) -> Indicators {
        let (zh, districts) = (self.zh, &self.districts);
        let mut span = None;
        let mut indicators = Vec::with_capacity(self.defs.len() * (districts.len() + 1));
        for def in &self.defs {
            let label = if zh { def.zh } else { def.en }.to_owned();
            let row =
                |district: Option<String>, value: Option<f64>, missing: Option<String>| Indicator {
                    id: def.id,
                    label: label.clone(),
                    value,
                    unit: def.unit,
                    target: def.target,
                    district,
                    source: def.source.clone(),
                    missing,
                };
            match &def.outcome {
                Outcome::Missing(why) => {
                    indicators.push(row(None, None, Some(why.clone())));
                    indicators.extend(
                        districts
                            .iter()
                            .map(|d| row(Some(d.clone()), None, Some(why.clone()))),
                    );
                }
                Outcome::Count(rows) => {
                    let (city, by) = rows.sum(districts.len(), until, &mut span);
                    indicators.push(row(None, Some(city), None));
                    indicators.extend(
                        districts
                            .iter()
                            .zip(by)
                            .map(|(d, v)| row(Some(d.clone()), Some(v), None)),
                    );
                }
                Outcome::Ratio(num, den) => {
                    let ratio = |n: f64, d: f64| {
                        if d > 0.0 {
                            (Some(n / d), None)
                        } else {
                            (None, Some(say(zh, "no monitored firm here")))
                        }
                    };
                    let (n, nby) = num.sum(districts.len(), until, &mut span);
                    let (d, dby) = den.sum(districts.len(), until, &mut span);
                    let (v, m) = ratio(n, d);
                    indicators.push(row(None, v, m));
                    for (k, name) in districts.iter().enumerate() {
                        let (v, m) = ratio(nby[k], dby[k]);
                        indicators.push(row(Some(name.clone()), v, m));
                    }
                }
            }
        }
        let mut to = span.map(|s| s.1);
        if let (Some(u), Some(t)) = (until, to) {
            to = Some(t.min(u));
        }
        Indicators {
            period: Period {
                from: span.map(|s| iso_date(s.0)),
                to: to.map(iso_date),
            },
            indicators,
        }
    }
}

/// A reason in the indicators' language.
fn say(zh: bool, en: &str) -> String {
    const ZH: [(&str, &str); 8] = [
        (
            "the project has no pollution-source layer",
            "项目中没有污染源图层",
        ),
        (
            "no monitoring data analysed for this project",
            "本项目尚未分析自动监控数据",
        ),
        ("no detections in the project", "项目中没有遥感疑点"),
        ("no draw this period", "本期尚未抽查"),
        (
            "the draw records no inspection results (no `inspected` field)",
            "抽查任务未记录检查结果（无 inspected 字段）",
        ),
        ("no route plan", "尚无检查路线"),
        (
            "the route plan records no finished inspections (no `done` field)",
            "检查路线未记录完成情况（无 done 字段）",
        ),
        ("no monitored firm here", "此处没有自动监控企业"),
    ];
    if zh {
        ZH.iter()
            .find(|(e, _)| *e == en)
            .map_or(en, |(_, z)| z)
            .to_owned()
    } else {
        en.to_owned()
    }
}
