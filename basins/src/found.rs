//! What a trace finds: features tied to the reaches near them, picked up where the trace passes,
//! and the district and province lines the traced rivers cross.

use geo::Coord;
use rayon::prelude::*;
use serde::Serialize;

use crate::districts::{District, Districts};
use crate::geom::{lerp, point_along};
use crate::grid::PointGrid;
use crate::network::Network;
use crate::trace::Trace;

/// A feature to look for: its layer's name, its id and position.
#[derive(Debug, Clone)]
pub struct Feature {
    pub layer: String,
    pub id: String,
    pub at: Coord<f64>,
    /// Tied to its nearest reach only (outfalls, sections), or to every reach within the
    /// corridor (sources).
    pub nearest_only: bool,
}

/// A feature tied to a reach: where its foot falls and how far off it lies.
#[derive(Debug, Clone, Copy)]
struct Tie {
    feature: u32,
    reach: u32,
    at_m: f64,
    off_m: f64,
}

/// Features tied to the network's reaches.
pub struct Tied {
    features: Vec<Feature>,
    /// Ties sorted by reach.
    ties: Vec<Tie>,
}

/// A feature found by a trace.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Found {
    pub layer: String,
    pub id: String,
    pub river_km: f64,
    pub travel_h: f64,
    pub district: Option<String>,
    pub district_name: Option<String>,
    pub province: Option<String>,
    pub lon: f64,
    pub lat: f64,
    /// How far the feature lies from the river, metres.
    pub off_m: f64,
    pub reach: String,
}

/// Where a traced river crosses a district line, the districts named by flow.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Crossing {
    pub lon: f64,
    pub lat: f64,
    pub river_km: f64,
    pub upstream_district: Option<String>,
    pub downstream_district: Option<String>,
    pub upstream_province: Option<String>,
    pub downstream_province: Option<String>,
    pub upstream_name: Option<String>,
    pub downstream_name: Option<String>,
    pub reach: String,
}

impl Tied {
    /// Ties each feature to the reaches within `corridor_m` (its nearest one only when
    /// `nearest_only`), walking the network's segments once against a grid of the features.
    pub fn new(network: &Network, features: Vec<Feature>, corridor_m: f64) -> Self {
        let grid = PointGrid::new(features.iter().map(|f| f.at).collect(), corridor_m);
        let mut ties: Vec<Tie> = network
            .reaches
            .par_iter()
            .enumerate()
            .flat_map_iter(|(r, reach)| {
                let mut best: rustc_hash::FxHashMap<u32, Tie> = rustc_hash::FxHashMap::default();
                for (i, w) in reach.coords.windows(2).enumerate() {
                    grid.near_segment(w[0], w[1], corridor_m, |n| {
                        let at_m = reach.cum[i] + n.t * (reach.cum[i + 1] - reach.cum[i]);
                        let tie = Tie {
                            feature: n.point,
                            reach: r as u32,
                            at_m,
                            off_m: n.metres,
                        };
                        best.entry(n.point)
                            .and_modify(|b| {
                                if n.metres < b.off_m {
                                    *b = tie;
                                }
                            })
                            .or_insert(tie);
                    });
                }
                best.into_values()
            })
            .collect();
        // Outfalls and sections keep their nearest reach only.
        let mut nearest = vec![(f64::INFINITY, u32::MAX); features.len()];
        for t in &ties {
            let n = &mut nearest[t.feature as usize];
            if (t.off_m, t.reach) < *n {
                *n = (t.off_m, t.reach);
            }
        }
        ties.retain(|t| {
            !features[t.feature as usize].nearest_only || nearest[t.feature as usize].1 == t.reach
        });
        ties.sort_by_key(|t| (t.reach, t.feature));
        Self { features, ties }
    }

    fn on_reach(&self, reach: u32) -> &[Tie] {
        let lo = self.ties.partition_point(|t| t.reach < reach);
        let hi = self.ties.partition_point(|t| t.reach <= reach);
        &self.ties[lo..hi]
    }

    /// The features on the traced parts, each once where its nearest traced reach point lies,
    /// nearest the start first.
    pub fn found(
        &self,
        network: &Network,
        trace: &Trace,
        districts: Option<&Districts>,
    ) -> Vec<Found> {
        let mut best: rustc_hash::FxHashMap<u32, (f64, f64, Tie)> =
            rustc_hash::FxHashMap::default();
        for part in &trace.parts {
            for tie in self.on_reach(part.reach) {
                if tie.at_m < part.lo_m - 1e-6 || tie.at_m > part.hi_m + 1e-6 {
                    continue;
                }
                let (m, h) = part.at(tie.at_m);
                // The nearest traced reach point counts, as the issue defines `river_km`.
                best.entry(tie.feature)
                    .and_modify(|b| {
                        if (tie.off_m, m) < (b.2.off_m, b.0) {
                            *b = (m, h, *tie);
                        }
                    })
                    .or_insert((m, h, *tie));
            }
        }
        let mut out: Vec<Found> = best
            .into_values()
            .map(|(m, h, tie)| {
                let f = &self.features[tie.feature as usize];
                let d = districts.and_then(|d| d.at(f.at));
                Found {
                    layer: f.layer.clone(),
                    id: f.id.clone(),
                    river_km: m / 1000.0,
                    travel_h: h,
                    district: d.map(|d| d.code.clone()),
                    district_name: d.map(|d| d.name.clone()),
                    province: d.map(|d| d.province.clone()),
                    lon: f.at.x,
                    lat: f.at.y,
                    off_m: tie.off_m,
                    reach: network.reaches[tie.reach as usize].id.clone(),
                }
            })
            .collect();
        out.sort_by(|a, b| {
            a.river_km
                .total_cmp(&b.river_km)
                .then_with(|| (&a.layer, &a.id).cmp(&(&b.layer, &b.id)))
        });
        out
    }
}

/// The district lines the traced parts cross, found between consecutive points in different
/// districts and placed by halving the segment.
pub fn crossings(network: &Network, trace: &Trace, districts: &Districts) -> Vec<Crossing> {
    let mut out = Vec::new();
    for part in &trace.parts {
        let reach = &network.reaches[part.reach as usize];
        let (first, i) = point_along(&reach.coords, &reach.cum, part.lo_m);
        let (last, j) = point_along(&reach.coords, &reach.cum, part.hi_m);
        let mut points = vec![(first, part.lo_m)];
        points.extend((i + 1..=j).map(|k| (reach.coords[k], reach.cum[k])));
        points.push((last, part.hi_m));
        let mut prev = districts.at(points[0].0);
        for w in points.windows(2) {
            let here = districts.at(w[1].0);
            if here.map(|d| &d.code) != prev.map(|d| &d.code) {
                let (at, t) = boundary(districts, w[0].0, w[1].0, prev);
                let along = w[0].1 + (w[1].1 - w[0].1) * t;
                let (m, _) = part.at(along);
                let name = |d: Option<&District>| d.map(|d| d.code.clone());
                let prov = |d: Option<&District>| d.map(|d| d.province.clone());
                let label = |d: Option<&District>| d.map(|d| d.name.clone());
                out.push(Crossing {
                    lon: at.x,
                    lat: at.y,
                    river_km: m / 1000.0,
                    upstream_district: name(prev),
                    downstream_district: name(here),
                    upstream_province: prov(prev),
                    downstream_province: prov(here),
                    upstream_name: label(prev),
                    downstream_name: label(here),
                    reach: reach.id.clone(),
                });
            }
            prev = here;
        }
    }
    out.sort_by(|a, b| a.river_km.total_cmp(&b.river_km));
    out
}

/// Where between `a` (in `from`) and `b` the district changes, to a few metres.
fn boundary(
    districts: &Districts,
    a: Coord<f64>,
    b: Coord<f64>,
    from: Option<&District>,
) -> (Coord<f64>, f64) {
    let (mut lo, mut hi) = (0.0, 1.0);
    for _ in 0..20 {
        let mid = f64::midpoint(lo, hi);
        if districts.at(lerp(a, b, mid)).map(|d| &d.code) == from.map(|d| &d.code) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let t = f64::midpoint(lo, hi);
    (lerp(a, b, t), t)
}
