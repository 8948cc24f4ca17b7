//! Deterministic synthetic registries on the real map: sources clustered in industrial parks,
//! outfalls on river banks, sections on the rivers, teams and inspectors per district.
//!
//! Everything is drawn from one `ChaCha8Rng` with a fixed seed, so the same size always gives
//! the same data (tests and benchmarks rely on it).

use geo::{BoundingRect, Contains, Coord, Geometry, LineString, Point};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use yitu_layers::registry::{
    Bank, District, Industry, Inspector, OperatingStatus, Outfall, OutfallStatus, OutfallType,
    PollutionSource, RiverSection, SectionLevel, SourceCategory, Team, WaterClass,
};

use crate::embedded::RawFeature;

/// A district polygon with its code and name, the frame every generator works in.
pub struct DistrictArea {
    pub adcode: String,
    pub name: String,
    pub shape: Geometry<f64>,
    pub seat: Point<f64>,
}

impl DistrictArea {
    pub fn from_raw(f: &RawFeature) -> Self {
        let seat = Point::new(
            f.text("lon").parse().unwrap_or_default(),
            f.text("lat").parse().unwrap_or_default(),
        );
        Self {
            adcode: f.text("district_adcode"),
            name: f.text("district_name"),
            shape: f.geometry.clone(),
            seat,
        }
    }

    /// A uniformly random point inside the district (rejection sampling in its bbox).
    fn random_point(&self, rng: &mut ChaCha8Rng) -> Point<f64> {
        let Some(r) = self.shape.bounding_rect() else {
            return self.seat;
        };
        for _ in 0..1000 {
            let p = Point::new(
                rng.random_range(r.min().x..r.max().x),
                rng.random_range(r.min().y..r.max().y),
            );
            if self.shape.contains(&p) {
                return p;
            }
        }
        self.seat
    }
}

pub fn rng(seed: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(seed)
}

/// Approximately normal offset (sum of uniforms), in degrees for `sigma_m` metres.
fn jitter(rng: &mut ChaCha8Rng, sigma_m: f64) -> (f64, f64) {
    let mut n = || (0..4).map(|_| rng.random_range(-1.0..1.0)).sum::<f64>() * 0.87;
    let d = sigma_m / 111_320.0;
    (n() * d / 0.87, n() * d)
}

const CREDIT_CHARS: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

fn credit_code(rng: &mut ChaCha8Rng, adcode: &str) -> String {
    let mut s = format!("91{adcode}");
    while s.len() < 18 {
        s.push(CREDIT_CHARS[rng.random_range(0..CREDIT_CHARS.len())] as char);
    }
    s
}

fn date(rng: &mut ChaCha8Rng, from_year: i32, to_year: i32) -> String {
    format!(
        "{}-{:02}-{:02}",
        rng.random_range(from_year..=to_year),
        rng.random_range(1..=12),
        rng.random_range(1..=28)
    )
}

/// Industry mix weights (per mille): chemicals and other light industry dominate counts.
const INDUSTRY_WEIGHTS: [(Industry, u32); 10] = [
    (Industry::Steel, 30),
    (Industry::ThermalPower, 15),
    (Industry::Cement, 40),
    (Industry::Coal, 25),
    (Industry::Paper, 45),
    (Industry::Dyeing, 40),
    (Industry::SewagePlant, 60),
    (Industry::WasteIncineration, 10),
    (Industry::Chemical, 135),
    (Industry::Other, 600),
];

fn pick_industry(rng: &mut ChaCha8Rng) -> Industry {
    let mut x = rng.random_range(0..1000);
    for (industry, w) in INDUSTRY_WEIGHTS {
        if x < w {
            return industry;
        }
        x -= w;
    }
    Industry::Other
}

fn industry_word(i: Industry) -> &'static str {
    match i {
        Industry::Steel => "钢铁",
        Industry::ThermalPower => "发电",
        Industry::Cement => "水泥",
        Industry::Coal => "煤业",
        Industry::Paper => "纸业",
        Industry::Dyeing => "印染",
        Industry::SewagePlant => "污水处理",
        Industry::WasteIncineration => "环保能源",
        Industry::Chemical => "化工",
        Industry::Other => "实业",
    }
}

const NAME_WORDS: [&str; 24] = [
    "长江", "山城", "巴渝", "渝发", "嘉陵", "金佛", "缙云", "华岩", "两江", "西永", "龙兴", "鱼复",
    "三峡", "渝东", "天府", "明月", "南山", "双桥", "翠湖", "茶园", "白市", "铜锣", "万盛", "綦河",
];

/// An industrial park: where sources cluster.
struct Park {
    district: usize,
    center: Point<f64>,
    spread_m: f64,
}

/// `count` pollution sources in parks spread over the districts.
pub fn pollution_sources(
    districts: &[DistrictArea],
    count: usize,
    seed: u64,
) -> Vec<(Point<f64>, PollutionSource)> {
    let mut rng = rng(seed);
    let parks: Vec<Park> = districts
        .iter()
        .enumerate()
        .flat_map(|(i, d)| {
            let n = if d.name.ends_with('区') { 3 } else { 2 };
            (0..n).map(move |_| i)
        })
        .map(|district| Park {
            district,
            center: districts[district].random_point(&mut rng),
            spread_m: rng.random_range(800.0..3000.0),
        })
        .collect();
    let mut out = Vec::with_capacity(count);
    for n in 0..count {
        // 80 % in parks, the rest scattered (farms, small workshops).
        let (di, p) = if rng.random_bool(0.8) {
            let park = &parks[rng.random_range(0..parks.len())];
            let d = &districts[park.district];
            let (dx, dy) = jitter(&mut rng, park.spread_m);
            let p = Point::new(park.center.x() + dx, park.center.y() + dy);
            (
                park.district,
                if d.shape.contains(&p) { p } else { park.center },
            )
        } else {
            let di = rng.random_range(0..districts.len());
            (di, districts[di].random_point(&mut rng))
        };
        let d = &districts[di];
        let industry = pick_industry(&mut rng);
        let category = match (industry, rng.random_range(0..100)) {
            (Industry::Other, 0..8) | (_, 0..30) => SourceCategory::Key,
            (_, 30..36) => SourceCategory::Special,
            _ => SourceCategory::General,
        };
        let status = match rng.random_range(0..100) {
            0..88 => OperatingStatus::Operating,
            88..95 => OperatingStatus::Stopped,
            _ => OperatingStatus::Closed,
        };
        let word = NAME_WORDS[rng.random_range(0..NAME_WORDS.len())];
        let name = format!(
            "重庆{word}{}有限公司{}号厂",
            industry_word(industry),
            n % 97 + 1
        );
        let source = PollutionSource {
            id: format!("PS{:06}", n + 1),
            name,
            credit_code: credit_code(&mut rng, &d.adcode[..6.min(d.adcode.len())]),
            industry,
            category,
            district_code: d.adcode.clone(),
            status,
            status_since: date(&mut rng, 2012, 2026),
            status_until: (status == OperatingStatus::Stopped).then(|| date(&mut rng, 2026, 2027)),
            positive_list: category == SourceCategory::General && rng.random_bool(0.06),
            last_inspection: rng.random_bool(0.7).then(|| date(&mut rng, 2023, 2026)),
            permit_no: format!("{}{:08}P", d.adcode, n + 1),
            contact: contact_person(n),
            phone: format!(
                "1{}{:09}",
                3 + n % 7,
                (n as u64 * 7_919 + 12_345) % 1_000_000_000
            ),
        };
        out.push((p, source));
    }
    out
}

/// A firm's environmental officer: a name made from the firm's number (not from the random
/// stream, which the rest of the sample's features depend on).
fn contact_person(n: usize) -> String {
    const SURNAMES: [&str; 12] = [
        "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴", "徐", "孙",
    ];
    const GIVEN: [&str; 10] = ["伟", "芳", "敏", "静", "磊", "洋", "勇", "艳", "杰", "娟"];
    format!(
        "{}{}",
        SURNAMES[n % SURNAMES.len()],
        GIVEN[(n / SURNAMES.len()) % GIVEN.len()]
    )
}

/// A named river line inside the area of interest.
pub struct RiverLine<'a> {
    pub name: &'a str,
    pub line: &'a LineString<f64>,
}

/// Total length in degrees (good enough for weighting picks).
fn length_deg(l: &LineString<f64>) -> f64 {
    l.lines()
        .map(|s| (s.dx() * s.dx() + s.dy() * s.dy()).sqrt())
        .sum()
}

/// A point at fraction `t` along a line, with the unit direction there.
fn along(l: &LineString<f64>, t: f64) -> (Coord<f64>, Coord<f64>) {
    let total = length_deg(l);
    let mut left = t * total;
    for s in l.lines() {
        let len = (s.dx() * s.dx() + s.dy() * s.dy()).sqrt();
        if left <= len && len > 0.0 {
            let k = left / len;
            let dir = geo::coord! { x: s.dx() / len, y: s.dy() / len };
            return (
                geo::coord! { x: s.start.x + s.dx() * k, y: s.start.y + s.dy() * k },
                dir,
            );
        }
        left -= len;
    }
    let last =
        l.0.last()
            .copied()
            .unwrap_or(geo::coord! { x: 0.0, y: 0.0 });
    (last, geo::coord! { x: 1.0, y: 0.0 })
}

fn inside_any(districts: &[DistrictArea], p: Point<f64>) -> bool {
    districts.iter().any(|d| d.shape.contains(&p))
}

/// Outfalls on the banks of the rivers, inside the districts.
pub fn outfalls(
    rivers: &[RiverLine<'_>],
    districts: &[DistrictArea],
    count: usize,
    seed: u64,
) -> Vec<(Point<f64>, Outfall)> {
    let mut rng = rng(seed);
    let weights: Vec<f64> = rivers.iter().map(|r| length_deg(r.line)).collect();
    let total: f64 = weights.iter().sum();
    let mut out = Vec::with_capacity(count);
    let mut tries = 0;
    while out.len() < count && tries < count * 200 {
        tries += 1;
        let mut x = rng.random_range(0.0..total);
        let ri = weights.iter().position(|w| {
            x -= w;
            x < 0.0
        });
        let river = &rivers[ri.unwrap_or(0)];
        let (c, dir) = along(river.line, rng.random::<f64>());
        let bank = if rng.random_bool(0.5) {
            Bank::Left
        } else {
            Bank::Right
        };
        // Left bank is to the left looking downstream: rotate the flow direction +90°.
        let side = if bank == Bank::Left { 1.0 } else { -1.0 };
        let off = rng.random_range(60.0..200.0) / 111_320.0 * side;
        let p = Point::new(c.x - dir.y * off, c.y + dir.x * off);
        if !inside_any(districts, p) {
            continue;
        }
        let n = out.len() + 1;
        let outfall_type = match rng.random_range(0..100) {
            0..35 => OutfallType::Industrial,
            35..65 => OutfallType::Domestic,
            65..85 => OutfallType::Stormwater,
            _ => OutfallType::Mixed,
        };
        let status = match rng.random_range(0..100) {
            0..82 => OutfallStatus::Active,
            82..95 => OutfallStatus::Closed,
            _ => OutfallStatus::Banned,
        };
        let outfall = Outfall {
            id: format!("OF{n:05}"),
            name: format!(
                "{}{}岸{n}号排污口",
                river.name,
                if bank == Bank::Left { "左" } else { "右" }
            ),
            outfall_type,
            river: river.name.to_owned(),
            bank,
            status,
        };
        out.push((p, outfall));
    }
    out
}

/// River sections spaced evenly along the rivers (inside the districts).
pub fn river_sections(
    rivers: &[RiverLine<'_>],
    districts: &[DistrictArea],
    count: usize,
    seed: u64,
) -> Vec<(Point<f64>, RiverSection)> {
    let mut rng = rng(seed);
    let mut candidates: Vec<(Point<f64>, &str)> = Vec::new();
    for r in rivers {
        let n = (length_deg(r.line) * 12.0).ceil() as usize;
        for k in 0..n {
            let (c, _) = along(r.line, (k as f64 + 0.5) / n as f64);
            let p = Point::new(c.x, c.y);
            if inside_any(districts, p) {
                candidates.push((p, r.name));
            }
        }
    }
    let step = (candidates.len() as f64 / count as f64).max(1.0);
    (0..count.min(candidates.len()))
        .map(|i| {
            let (p, river) = candidates[(i as f64 * step) as usize];
            let target = [WaterClass::II, WaterClass::III][rng.random_range(0..2)];
            let latest = match rng.random_range(0..100) {
                0..20 => WaterClass::I,
                20..70 => WaterClass::II,
                70..92 => WaterClass::III,
                92..97 => WaterClass::IV,
                97..99 => WaterClass::V,
                _ => WaterClass::WorseThanV,
            };
            let section = RiverSection {
                id: format!("NS{:02}", i + 1),
                name: format!("{river}{}号断面", i + 1),
                river: river.to_owned(),
                level: SectionLevel::National,
                target_class: target,
                latest_class: latest,
            };
            (p, section)
        })
        .collect()
}

pub fn district_record(d: &DistrictArea, province: &str, seed: u64) -> District {
    let mut rng = rng(seed);
    District {
        adcode: d.adcode.clone(),
        name: d.name.clone(),
        province: province.to_owned(),
        office_lon: d.seat.x(),
        office_lat: d.seat.y(),
        office_phone: format!("023-{}", rng.random_range(60_000_000..89_999_999)),
    }
}

/// The two economic zones with their own teams, and the city corps (总队).
const EXTRA_TEAMS: [(&str, &str, f64, f64); 2] = [
    (
        "500000",
        "重庆市生态环境保护综合行政执法总队",
        106.5506,
        29.5630,
    ),
    ("500191", "两江新区生态环境执法支队", 106.5840, 29.6710),
];

/// One team per district plus the extra teams, and `per_team` inspectors each.
pub fn teams_and_inspectors(
    districts: &[DistrictArea],
    per_team: usize,
    seed: u64,
) -> (Vec<(Point<f64>, Team)>, Vec<Inspector>) {
    const SURNAMES: &[&str] = &[
        "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴", "徐", "孙", "马", "胡", "朱",
        "郭", "何", "罗", "高", "林",
    ];
    const GIVEN: &[&str] = &[
        "伟", "芳", "敏", "静", "强", "磊", "洋", "勇", "军", "杰", "娟", "涛", "明", "超", "霞",
        "平", "刚", "桂英", "建华", "晓东",
    ];
    let mut rng = rng(seed);
    let mut teams = Vec::new();
    let team_sites = districts
        .iter()
        .map(|d| {
            (
                d.adcode.clone(),
                format!("{}生态环境保护综合行政执法支队", d.name),
                d.seat,
            )
        })
        .chain(EXTRA_TEAMS.iter().map(|(code, name, lon, lat)| {
            (
                (*code).to_owned(),
                (*name).to_owned(),
                Point::new(*lon, *lat),
            )
        }));
    let mut inspectors = Vec::new();
    for (i, (code, name, seat)) in team_sites.enumerate() {
        let team_id = format!("T{:02}", i + 1);
        let members = per_team + rng.random_range(0..4);
        for m in 0..members {
            inspectors.push(Inspector {
                inspector_id: format!("{team_id}-{:02}", m + 1),
                name: format!(
                    "{}{}",
                    SURNAMES[rng.random_range(0..SURNAMES.len())],
                    GIVEN[rng.random_range(0..GIVEN.len())]
                ),
                team_id: team_id.clone(),
                certificate_no: format!(
                    "渝环执{}{:04}",
                    &code[2..].chars().take(4).collect::<String>(),
                    m + 1
                ),
                certificate_expiry: date(&mut rng, 2026, 2030),
            });
        }
        teams.push((
            seat,
            Team {
                team_id,
                name,
                district_code: code,
                members: members as i64,
                phone: format!("023-{}", rng.random_range(60_000_000..89_999_999)),
            },
        ));
    }
    (teams, inspectors)
}
