//! The drivable graph of an OpenStreetMap extract: `highway` classes and their speeds, one-ways.

use std::collections::HashMap;
use std::path::Path;

use crate::RoutingError;

/// Speeds per OSM `highway` class, km/h. Links take their road's speed.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Speeds {
    pub motorway: f64,
    pub trunk: f64,
    pub primary: f64,
    pub secondary: f64,
    pub tertiary: f64,
    pub unclassified: f64,
    pub residential: f64,
    pub living_street: f64,
    pub service: f64,
}

impl Speeds {
    /// Chongqing's urban traffic: congested arterials, slow side streets.
    pub fn urban() -> Self {
        Self {
            motorway: 70.0,
            trunk: 50.0,
            primary: 35.0,
            secondary: 30.0,
            tertiary: 25.0,
            unclassified: 20.0,
            residential: 15.0,
            living_street: 8.0,
            service: 10.0,
        }
    }

    /// Rural districts: expressways at their limit, mountain roads slow.
    pub fn rural() -> Self {
        Self {
            motorway: 100.0,
            trunk: 70.0,
            primary: 55.0,
            secondary: 45.0,
            tertiary: 35.0,
            unclassified: 30.0,
            residential: 20.0,
            living_street: 10.0,
            service: 15.0,
        }
    }

    /// The speed on a way of `highway` class, `None` where cars do not drive.
    pub fn of(&self, highway: &str) -> Option<f64> {
        Some(match highway.trim_end_matches("_link") {
            "motorway" => self.motorway,
            "trunk" => self.trunk,
            "primary" => self.primary,
            "secondary" => self.secondary,
            "tertiary" => self.tertiary,
            "unclassified" | "road" => self.unclassified,
            "residential" => self.residential,
            "living_street" => self.living_street,
            "service" => self.service,
            _ => return None,
        })
    }
}

/// A directed road segment between two graph nodes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Segment {
    pub from: u32,
    pub to: u32,
    pub seconds: f32,
    pub metres: f32,
}

/// The drivable graph of an extract: node positions (WGS84) and directed segments.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Roads {
    pub nodes: Vec<[f64; 2]>,
    pub segments: Vec<Segment>,
}

/// Great-circle distance in metres between two lon/lat points (geo's haversine, on the mean
/// earth radius).
pub fn haversine_m(a: [f64; 2], b: [f64; 2]) -> f64 {
    use geo::{Distance as _, Haversine, Point};
    Haversine.distance(Point::new(a[0], a[1]), Point::new(b[0], b[1]))
}

/// How a way may be driven: both ways, along its nodes, or against them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    Both,
    Forward,
    Backward,
}

fn direction(highway: &str, oneway: Option<&str>, junction: Option<&str>) -> Direction {
    match oneway {
        Some("yes" | "1" | "true") => Direction::Forward,
        Some("-1" | "reverse") => Direction::Backward,
        Some("no" | "0" | "false") => Direction::Both,
        _ if highway == "motorway" || junction == Some("roundabout") => Direction::Forward,
        _ => Direction::Both,
    }
}

impl Roads {
    /// Adds the segment from node `a` to node `b` at `kmh` (and back, when `both_ways`), its
    /// length the great-circle distance between them.
    pub fn connect(&mut self, a: u32, b: u32, kmh: f64, both_ways: bool) {
        let metres = haversine_m(self.nodes[a as usize], self.nodes[b as usize]) as f32;
        let seconds = (f64::from(metres) / (kmh / 3.6)) as f32;
        let s = Segment {
            from: a,
            to: b,
            seconds,
            metres,
        };
        self.segments.push(s);
        if both_ways {
            self.segments.push(Segment {
                from: b,
                to: a,
                ..s
            });
        }
    }

    /// Reads the drivable ways of an OSM PBF extract (two passes: ways, then their nodes).
    pub fn from_pbf(path: &Path, speeds: &Speeds) -> Result<Self, RoutingError> {
        let bad = |e: osmpbf::Error| RoutingError::Input {
            path: path.to_path_buf(),
            message: format!("not a readable OSM PBF file: {e}"),
        };
        let mut ways: Vec<(Vec<i64>, f64, Direction)> = Vec::new();
        osmpbf::ElementReader::from_path(path)
            .map_err(bad)?
            .for_each(|element| {
                if let osmpbf::Element::Way(way) = element {
                    let (mut highway, mut oneway, mut junction, mut access) =
                        (None, None, None, None);
                    for (k, v) in way.tags() {
                        match k {
                            "highway" => highway = Some(v),
                            "oneway" => oneway = Some(v),
                            "junction" => junction = Some(v),
                            "access" | "motor_vehicle" => access = Some(v),
                            _ => {}
                        }
                    }
                    let Some(highway) = highway else { return };
                    let Some(speed) = speeds.of(highway) else {
                        return;
                    };
                    if matches!(access, Some("no" | "private")) {
                        return;
                    }
                    let refs: Vec<i64> = way.refs().collect();
                    if refs.len() >= 2 {
                        ways.push((refs, speed, direction(highway, oneway, junction)));
                    }
                }
            })
            .map_err(bad)?;
        if ways.is_empty() {
            return Err(RoutingError::Input {
                path: path.to_path_buf(),
                message: "no drivable roads in the extract".to_owned(),
            });
        }
        let mut index: HashMap<i64, u32> = HashMap::new();
        for id in ways.iter().flat_map(|(refs, ..)| refs) {
            let next = index.len() as u32;
            index.entry(*id).or_insert(next);
        }
        let mut nodes = vec![[f64::NAN; 2]; index.len()];
        osmpbf::ElementReader::from_path(path)
            .map_err(bad)?
            .for_each(|element| {
                let (id, lon, lat) = match element {
                    osmpbf::Element::Node(n) => (n.id(), n.lon(), n.lat()),
                    osmpbf::Element::DenseNode(n) => (n.id(), n.lon(), n.lat()),
                    _ => return,
                };
                if let Some(&k) = index.get(&id) {
                    nodes[k as usize] = [lon, lat];
                }
            })
            .map_err(bad)?;
        let mut roads = Self {
            nodes,
            segments: Vec::new(),
        };
        for (refs, speed, dir) in &ways {
            for pair in refs.windows(2) {
                let (a, b) = (index[&pair[0]], index[&pair[1]]);
                let (pa, pb) = (roads.nodes[a as usize], roads.nodes[b as usize]);
                if a == b || pa[0].is_nan() || pb[0].is_nan() {
                    // A node outside the extract's cut.
                    continue;
                }
                match dir {
                    Direction::Forward => roads.connect(a, b, *speed, false),
                    Direction::Backward => roads.connect(b, a, *speed, false),
                    Direction::Both => roads.connect(a, b, *speed, true),
                }
            }
        }
        Ok(roads)
    }
}
