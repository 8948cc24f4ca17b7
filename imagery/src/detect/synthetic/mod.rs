//! Synthetic thermal scenes with planted truth, to validate the detectors (§6.1–6.2).
//!
//! A reach of a gently curving river (25–120 m wide) between two land strips, in UTM zone 48N
//! near Chongqing, at 0.1–0.2 m per pixel. Planted: bank plumes after the jet/spreading model of
//! §6.2, submerged boils, land hot spots (Gaussian discs). Distractors that must not be reported:
//! mixed bank pixels, shade patches and stripes on the water, boats, glint speckle, floating
//! debris, sun-warmed and metal roofs, roads. The river prior given to the detector is shifted
//! by 1–2 m, and the outfall registry carries coordinate noise, opposite-bank entries and closed
//! outfalls that discharge. Everything is drawn from a ChaCha generator seeded by the caller, so
//! a seed is a fixed test case.

mod files;
mod world;

use geo::{Coord, LineString, Polygon};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use yitu_layers::raster::Georef;
use yitu_layers::registry::{OperatingStatus, OutfallStatus};

use super::{Daylight, Outfall, PixelFrame, Registry, Status, ThermalImage};
use world::{LAND_M, NETD_K, PlantedPlume, River, fbm, gauss, square_source, water_point};

/// What kind of scene to make.
#[derive(Debug, Clone, Copy)]
pub struct SceneSpec {
    pub seed: u64,
    pub daylight: Daylight,
    /// River width, metres (25–120).
    pub river_width_m: f64,
    /// Ground sample distance, metres (0.1–0.2).
    pub gsd_m: f64,
    /// Length of the reach, metres.
    pub length_m: f64,
    pub plumes: usize,
    pub hotspots: usize,
}

impl SceneSpec {
    /// A small night scene (a 40 m river, 200 m of it at 0.15 m) for quick checks.
    pub fn small_night(seed: u64) -> Self {
        Self {
            seed,
            daylight: Daylight::Night,
            river_width_m: 40.0,
            gsd_m: 0.15,
            length_m: 200.0,
            plumes: 4,
            hotspots: 4,
        }
    }
}

/// A planted plume or boil.
#[derive(Debug, Clone)]
pub struct PlumeTruth {
    pub submerged: bool,
    /// Outlet (bank plumes) or boil centre, pixels.
    pub outlet_px: (f64, f64),
    pub delta_t0_k: f64,
    /// Pixels where the planted |ΔT| is at least 0.4 K, m².
    pub area_m2: f64,
    /// The largest planted |ΔT| on water pixels clear of the bank's mixed pixels (1.5 px or
    /// more into the water): what the camera can see of the plume. A narrow outlet can dilute a
    /// nominal 1 K to less than that within a pixel.
    pub visible_delta_t_k: f64,
    /// Direction of the plume's spread (downstream), azimuth in degrees.
    pub direction_deg: f64,
    pub expected_status: Status,
}

/// A planted land hot spot.
#[derive(Debug, Clone)]
pub struct HotspotTruth {
    pub centre_px: (f64, f64),
    pub radius_m: f64,
    pub delta_t_k: f64,
    pub expected_status: Status,
}

/// A scene, what the detector is given, and the truth.
pub struct Scene {
    pub image: ThermalImage,
    pub georef: Georef,
    /// The capture time written with the raster (China time), for the day/night switch.
    pub capture_time: String,
    pub registry: Registry,
    pub plumes: Vec<PlumeTruth>,
    pub hotspots: Vec<HotspotTruth>,
}

impl Scene {
    pub fn generate(spec: &SceneSpec) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
        let gsd = spec.gsd_m;
        let day = spec.daylight == Daylight::Day;
        let w = (spec.length_m / gsd).round() as usize;
        let h = ((spec.river_width_m + 2.0 * LAND_M) / gsd).round() as usize;
        let px = |m: f64| m / gsd;
        let river = River {
            centre_px: h as f64 / 2.0,
            amplitude_px: px(rng.random_range(2.0..8.0)),
            wavelength_px: px(spec.length_m * rng.random_range(0.8..1.6)),
            phase: rng.random_range(0.0..std::f64::consts::TAU),
            half_width_px: px(spec.river_width_m / 2.0),
        };
        // Flow along +x or -x.
        let flow: f64 = if rng.random_bool(0.5) { 1.0 } else { -1.0 };
        let georef = Georef {
            geo_transform: [600_000.0, gsd, 0.0, 3_270_000.0, 0.0, -gsd],
            crs_wkt: yitu_layers::Crs::Epsg(32648)
                .spatial_ref()
                .ok()
                .and_then(|s| s.to_wkt().ok())
                .unwrap_or_default(),
        };
        // Land: fBm, roofs, metal roofs, roads.
        let land_base: f64 = if day { 31.0 } else { 13.0 };
        let land_sigma = rng.random_range(2.0..4.0);
        let mut land: Vec<f32> = fbm(&mut rng, w, h, px(20.0), land_sigma)
            .into_iter()
            .map(|v| v + land_base as f32)
            .collect();
        let on_land = |x: f64, y: f64, margin_px: f64| {
            let (l, r) = river.bank_distances(x, y);
            l < -margin_px || r < -margin_px
        };
        let rect = |land: &mut Vec<f32>, rng: &mut ChaCha8Rng, size: (f64, f64), dt: f64| {
            for _ in 0..20 {
                let (cx, cy) = (
                    rng.random_range(0.0..w as f64),
                    rng.random_range(0.0..h as f64),
                );
                let (rw, rh) = (px(size.0) / 2.0, px(size.1) / 2.0);
                let corners = [
                    (cx - rw, cy - rh),
                    (cx + rw, cy - rh),
                    (cx - rw, cy + rh),
                    (cx + rw, cy + rh),
                ];
                if corners.iter().all(|&(x, y)| on_land(x, y, px(4.0))) {
                    for y in (cy - rh).max(0.0) as usize..((cy + rh) as usize).min(h) {
                        for x in (cx - rw).max(0.0) as usize..((cx + rw) as usize).min(w) {
                            // Only on land: a long road may pass the river between its corners.
                            if on_land(x as f64 + 0.5, y as f64 + 0.5, 0.0) {
                                land[y * w + x] = (f64::from(land[y * w + x]) * 0.2
                                    + (land_base + dt) * 0.8)
                                    as f32;
                            }
                        }
                    }
                    return Some((cx, cy));
                }
            }
            None
        };
        let roofs = (spec.length_m / 60.0).round() as usize;
        for _ in 0..roofs {
            let size = (rng.random_range(8.0..20.0), rng.random_range(8.0..16.0));
            let dt = if day {
                rng.random_range(8.0..20.0)
            } else {
                rng.random_range(1.0..3.0)
            };
            rect(&mut land, &mut rng, size, dt);
            let size = (rng.random_range(6.0..14.0), rng.random_range(6.0..12.0));
            let dt = rng.random_range(-15.0..-5.0);
            rect(&mut land, &mut rng, size, dt);
        }
        let road_dt = if day { 5.0 } else { 1.5 };
        rect(&mut land, &mut rng, (spec.length_m * 0.6, 6.0), road_dt);
        // Water: base, smooth gradient, shade patches near the banks.
        let water_base = if day { 24.0 } else { 18.0 };
        let gradient = rng.random_range(-0.2..0.2);
        // A shading stripe along one bank, and shade patches elsewhere (each is a distractor
        // of its own; they do not overlap).
        let stripe = (
            rng.random_range(0.0..w as f64 * 0.6),
            px(rng.random_range(30.0..60.0)),
            rng.random_bool(0.5),
            px(rng.random_range(2.0..4.0)),
        );
        let mut shade = Vec::new();
        for _ in 0..(spec.length_m / 80.0).ceil() as usize {
            let left = rng.random_bool(0.5);
            let radius = px(rng.random_range(3.0..8.0));
            let clear = |x: f64| {
                left != stripe.2
                    || x + 3.0 * radius < stripe.0
                    || x - 3.0 * radius > stripe.0 + stripe.1
            };
            if let Some(x) = (0..50)
                .map(|_| rng.random_range(0.0..w as f64))
                .find(|&x| clear(x))
            {
                shade.push((x, left, radius, rng.random_range(-0.6..-0.3)));
            }
        }
        let water_t = |x: f64, l: f64, r: f64| -> f64 {
            let mut t = water_base + gradient * x / w as f64;
            for &(sx, left, radius, dt) in &shade {
                let n = if left { l } else { r };
                let d = ((x - sx) / radius).powi(2) + (n / radius).powi(2);
                t += dt * (-d).exp();
            }
            let (sx, len, left, width) = stripe;
            let n = if left { l } else { r };
            if (sx..sx + len).contains(&x) && n < width {
                t -= 0.5;
            }
            t
        };
        // Plumes and boils.
        let mut plumes = Vec::new();
        let mut planted: Vec<(bool, f64)> = Vec::new();
        let mut specs = Vec::new();
        for k in 0..spec.plumes {
            let submerged = k % 5 == 4;
            let left = rng.random_bool(0.5);
            // Apart from each other, so no two plumes merge and no outfall sits between two.
            let Some(x0) = (0..200)
                .map(|_| rng.random_range(px(25.0)..w as f64 - px(25.0)))
                .find(|x| planted.iter().all(|&(_, px0)| (px0 - x).abs() > px(45.0)))
            else {
                continue;
            };
            planted.push((left, x0));
            let magnitudes: [f64; 5] = [1.0, 1.5, 2.0, 3.0, 5.0];
            let dt0 = magnitudes[rng.random_range(0..magnitudes.len())]
                * if rng.random_bool(0.3) { -1.0 } else { 1.0 };
            specs.push(PlantedPlume {
                submerged,
                left,
                x0,
                n0: if submerged {
                    px(rng.random_range(8.0..12.0_f64.min(spec.river_width_m / 2.5).max(8.5)))
                } else {
                    0.0
                },
                dt0: if submerged { dt0.abs().min(3.0) } else { dt0 },
                decay_l: px(rng.random_range(8.0..40.0)),
                w0: px(rng.random_range(0.3..1.5)),
                n_jet: px(rng.random_range(0.0..4.0)),
                spread: rng.random_range(0.01..0.2),
            });
        }
        // Render.
        let mut celsius = vec![0.0_f32; w * h];
        let mut plume_area = vec![0usize; specs.len()];
        let mut plume_visible = vec![0.0_f64; specs.len()];
        let stripes: Vec<f64> = (0..w).map(|_| rng.random_range(-0.05..0.05)).collect();
        for y in 0..h {
            for x in 0..w {
                let (fx, fy) = (x as f64 + 0.5, y as f64 + 0.5);
                let (l, r) = river.bank_distances(fx, fy);
                let inside = l.min(r);
                // Fraction of the pixel in the water (a linear edge across the pixel).
                let f_water = (inside + 0.5).clamp(0.0, 1.0);
                let mut t_water = water_t(fx, l.max(0.0) * gsd, r.max(0.0) * gsd);
                if f_water > 0.0 {
                    for (k, p) in specs.iter().enumerate() {
                        let d = p.delta(fx, l, r, flow, gsd);
                        if d.abs() >= 0.4 && inside > 0.0 {
                            plume_area[k] += 1;
                        }
                        if inside >= 1.5 {
                            plume_visible[k] = plume_visible[k].max(d.abs());
                        }
                        t_water += d;
                    }
                }
                let t_land = f64::from(land[y * w + x]);
                let t = f_water * t_water + (1.0 - f_water) * t_land;
                celsius[y * w + x] = (t + stripes[x] + gauss(&mut rng) * NETD_K) as f32;
            }
        }
        // Boats, glint and debris on the water, away from the plumes (downstream of an outlet
        // a plume may run 40 m).
        let plume_xs: Vec<f64> = specs
            .iter()
            .flat_map(|p| [p.x0, p.x0 + flow * p.decay_l])
            .collect();
        for _ in 0..(spec.length_m / 100.0).ceil() as usize {
            let (bx, by) = water_point(&mut rng, &river, w, px(6.0), &plume_xs, px(25.0));
            let dt = rng.random_range(5.0..20.0);
            let (bw, bh) = (px(8.0) / 2.0, px(3.0) / 2.0);
            for y in (by - bh) as usize..(by + bh) as usize {
                for x in (bx - bw).max(0.0) as usize..((bx + bw) as usize).min(w) {
                    if y < h {
                        celsius[y * w + x] = (water_base + dt) as f32;
                    }
                }
            }
            let (gx, gy) = water_point(&mut rng, &river, w, px(6.0), &plume_xs, px(25.0));
            let radius = px(rng.random_range(1.0..2.0));
            for y in (gy - radius) as usize..(gy + radius) as usize {
                for x in (gx - radius).max(0.0) as usize..((gx + radius) as usize).min(w) {
                    if y < h && rng.random_bool(0.35) {
                        celsius[y * w + x] += rng.random_range(3.0..8.0) as f32;
                    }
                }
            }
            let (dx, dy) = water_point(&mut rng, &river, w, px(6.0), &plume_xs, px(25.0));
            let radius = px(0.4);
            for y in (dy - radius) as usize..=(dy + radius) as usize {
                for x in (dx - radius).max(0.0) as usize..=((dx + radius) as usize).min(w - 1) {
                    if y < h {
                        celsius[y * w + x] += 1.0;
                    }
                }
            }
        }
        // Land hot spots, some on registered sources.
        let mut hotspots = Vec::new();
        let mut sources = Vec::new();
        let frame = PixelFrame::new(&georef, w, h).expect("the synthetic georeferencing is valid");
        let to_lon_lat = |x: f64, y: f64| frame.lon_lat(x, y).unwrap_or((f64::NAN, f64::NAN));
        for k in 0..spec.hotspots {
            let peaks = [5.0, 15.0, 30.0, 100.0];
            let dt = peaks[rng.random_range(0..peaks.len())];
            let radius = rng.random_range(0.5..4.0);
            let Some((cx, cy)) = (0..100)
                .map(|_| {
                    (
                        rng.random_range(px(6.0)..w as f64 - px(6.0)),
                        rng.random_range(px(6.0)..h as f64 - px(6.0)),
                    )
                })
                .find(|&(x, y)| {
                    on_land(x, y, px(radius + 8.0))
                        && hotspots.iter().all(|t: &HotspotTruth| {
                            (t.centre_px.0 - x).hypot(t.centre_px.1 - y) > px(20.0)
                        })
                })
            else {
                continue;
            };
            let r_px = px(radius);
            for y in (cy - 3.0 * r_px).max(0.0) as usize..((cy + 3.0 * r_px) as usize).min(h) {
                for x in (cx - 3.0 * r_px).max(0.0) as usize..((cx + 3.0 * r_px) as usize).min(w) {
                    let d2 = ((x as f64 + 0.5 - cx).powi(2) + (y as f64 + 0.5 - cy).powi(2))
                        / (r_px * r_px);
                    celsius[y * w + x] += (dt * (-d2).exp()) as f32;
                }
            }
            let expected_status = match k % 3 {
                0 => {
                    sources.push(square_source(
                        &to_lon_lat,
                        (cx, cy),
                        px(15.0),
                        format!("S{k}"),
                        OperatingStatus::Stopped,
                    ));
                    Status::FacilityActiveDuringStop
                }
                1 => {
                    sources.push(square_source(
                        &to_lon_lat,
                        (cx, cy),
                        px(15.0),
                        format!("S{k}"),
                        OperatingStatus::Operating,
                    ));
                    Status::RegisteredSource
                }
                _ => Status::UnregisteredHotspot,
            };
            hotspots.push(HotspotTruth {
                centre_px: (cx, cy),
                radius_m: radius,
                delta_t_k: dt,
                expected_status,
            });
        }
        // The registry: outfalls with noise, closed ones that discharge, opposite-bank decoys.
        // (x, on the left bank, outfall) in true geometry, for the expected statuses below.
        let mut registered: Vec<(f64, bool, Outfall)> = Vec::new();
        for (k, p) in specs.iter().enumerate() {
            if p.submerged {
                continue;
            }
            let (ox, oy) = p.outlet(&river);
            let landward = if p.left { -1.0 } else { 1.0 };
            if k % 4 == 3 {
                // Unregistered; an active outfall straight across the river must not explain it.
                let (c, _) = river.centre(ox);
                let across = c - landward * (river.half_width_px + px(1.0));
                let (lon, lat) = to_lon_lat(ox, across);
                let outfall = Outfall {
                    id: format!("X{k}"),
                    status: Some(OutfallStatus::Active),
                    lon,
                    lat,
                };
                registered.push((ox, !p.left, outfall));
                continue;
            }
            let noise = px(rng.random_range(2.0..10.0));
            let angle = rng.random_range(0.0..std::f64::consts::TAU);
            let (nx, ny) = (
                ox + noise * angle.cos(),
                oy + landward * (noise * angle.sin()).abs(),
            );
            let (lon, lat) = to_lon_lat(nx, ny);
            let status = if k % 4 == 2 {
                OutfallStatus::Closed
            } else {
                OutfallStatus::Active
            };
            let outfall = Outfall {
                id: format!("O{k}"),
                status: Some(status),
                lon,
                lat,
            };
            registered.push((nx, p.left, outfall));
        }
        for (k, p) in specs.iter().enumerate() {
            let (ox, oy) = p.outlet(&river);
            // The truth by the rule of §5.2 step 9 on true geometry: the nearest registered
            // outfall on the same bank within 30 m along it.
            let along_m = |x: f64| (x - ox).abs() * gsd * (1.0 + river.centre(ox).1.powi(2)).sqrt();
            let expected_status = registered
                .iter()
                .filter(|(x, left, _)| *left == p.left && along_m(*x) <= super::R_MATCH_M)
                .min_by(|a, b| along_m(a.0).total_cmp(&along_m(b.0)))
                .map_or(Status::UnregisteredSuspect, |(_, _, o)| {
                    if o.status == Some(OutfallStatus::Active) {
                        Status::RegisteredActive
                    } else {
                        Status::RegisteredClosedDischarging
                    }
                });
            plumes.push(PlumeTruth {
                submerged: p.submerged,
                outlet_px: (ox, oy),
                delta_t0_k: p.dt0,
                area_m2: plume_area[k] as f64 * gsd * gsd,
                visible_delta_t_k: plume_visible[k],
                direction_deg: frame.azimuth_deg(flow, river.centre(ox).1 * flow),
                expected_status,
            });
        }
        let outfalls = registered.into_iter().map(|(_, _, o)| o).collect();
        // The river prior: the true banks shifted by 1–2 m, sampled every 2 m.
        let shift = px(rng.random_range(1.0..2.0)) * if rng.random_bool(0.5) { 1.0 } else { -1.0 };
        let mut ring = Vec::new();
        let step = px(2.0);
        let extend = px(5.0);
        let mut x = -extend;
        while x <= w as f64 + extend {
            let (c, _) = river.centre(x);
            ring.push(to_lon_lat(x, c - river.half_width_px + shift));
            x += step;
        }
        let mut x = w as f64 + extend;
        while x >= -extend {
            let (c, _) = river.centre(x);
            ring.push(to_lon_lat(x, c + river.half_width_px + shift));
            x -= step;
        }
        ring.push(ring[0]);
        let prior = Polygon::new(
            LineString::from(
                ring.into_iter()
                    .map(|(x, y)| Coord { x, y })
                    .collect::<Vec<_>>(),
            ),
            Vec::new(),
        );
        let capture_time = if day {
            "2026:03:15 13:00:00"
        } else {
            "2026:03:15 02:00:00"
        }
        .to_owned();
        Self {
            image: ThermalImage {
                width: w,
                height: h,
                celsius,
                frame,
            },
            georef,
            capture_time,
            registry: Registry {
                rivers: vec![prior],
                outfalls,
                sources,
            },
            plumes,
            hotspots,
        }
    }
}
