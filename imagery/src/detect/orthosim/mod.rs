//! A second scene generator, written apart from [`super::synthetic`] and never tuned on: the
//! detector's figures on its scenes are what it does on scenes it was not made for (issue #18).
//!
//! Its models are its own. A reach 200 m long at any angle to the image axes (±20°), meandering,
//! 25–110 m wide, in UTM 48N or CGCS2000 Gauss–Krüger (EPSG 32648, 4544, 4545), at 0.12–0.2 m
//! per pixel. Every pixel mixes land and water by the fraction of it in the water, over a
//! transition 0.5–3 px wide that varies along the bank, beside a strip of wet mud on the land.
//! Land is textured by plane waves, with vegetation (cooler), paved areas and roofs (5–14 K
//! warmer at night, 10–25 K by day, uniform), land hot spots (peaked, ΔT 6–45 K), a bridge
//! over the river in half the scenes, glint specks and a boat. Plumes follow a jet that turns
//! downstream (penetration, decay and spreading drawn per plume), a third of them colder than
//! the river. The river prior is digitised every 5 m with an error of 0.5–2 m per vertex.
//! Everything comes from a ChaCha20 stream of the seed.

use geo::{Coord, LineString, Polygon};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha20Rng;
use yitu_layers::registry::{OperatingStatus, OutfallStatus};

mod shapes;

use self::shapes::{Jet, Patch, Reach, Waves, georef_near_chongqing, normal, rect_source};
use super::synthetic::{HotspotTruth, PlumeTruth, Scene};
use super::{Daylight, Outfall, PixelFrame, Registry, Status, ThermalImage};

/// Which scene to make: everything else is drawn from the seed.
#[derive(Debug, Clone, Copy)]
pub struct OrthoSpec {
    pub seed: u64,
    pub daylight: Daylight,
}

/// Length of the reach along the river, metres.
const REACH_M: f64 = 200.0;
/// Land beside the river on each side, metres.
const MARGIN_M: f64 = 28.0;
/// Spacing of the prior's vertices along the river, metres.
const PRIOR_STEP_M: f64 = 5.0;

impl OrthoSpec {
    pub fn night(seed: u64) -> Self {
        Self {
            seed,
            daylight: Daylight::Night,
        }
    }

    pub fn day(seed: u64) -> Self {
        Self {
            seed,
            daylight: Daylight::Day,
        }
    }

    /// The scene with its truth, in the same form as [`super::synthetic`]'s, so both are
    /// counted alike.
    pub fn generate(&self) -> Scene {
        let rng = &mut ChaCha20Rng::seed_from_u64(self.seed ^ 0x0A7B_05E3_D000_0000);
        let day = self.daylight == Daylight::Day;
        let gsd = rng.random_range(0.12..0.2);
        let epsg = [32648_u32, 4544, 4545][rng.random_range(0..3)];
        let width_m = rng.random_range(25.0..110.0);
        let angle = rng.random_range(-20.0_f64..20.0).to_radians();
        let amplitude = rng.random_range(0.0..6.0);
        let across_m = width_m + 2.0 * MARGIN_M + REACH_M * angle.tan().abs() + 2.0 * amplitude;
        let along_m = REACH_M * angle.cos();
        let (w, h) = ((along_m / gsd) as usize, (across_m / gsd) as usize);
        let reach = Reach {
            angle,
            centre: (w as f64 * gsd / 2.0, h as f64 * gsd / 2.0),
            amplitude,
            wavelength: rng.random_range(150.0..400.0),
            phase: rng.random_range(0.0..std::f64::consts::TAU),
            half_width: width_m / 2.0,
            width_wave: (
                rng.random_range(15.0..40.0),
                rng.random_range(0.0..std::f64::consts::TAU),
            ),
        };
        let flow = if rng.random_bool(0.5) { 1.0 } else { -1.0 };
        let georef = georef_near_chongqing(rng, epsg, gsd);
        let frame = PixelFrame::new(&georef, w, h).expect("a generated frame is valid");
        let to_lon_lat = |x_m: f64, y_m: f64| {
            frame
                .lon_lat(x_m / gsd, y_m / gsd)
                .expect("a generated point places")
        };

        // Temperatures of the two surfaces.
        let water0 = if day {
            rng.random_range(20.0..28.0)
        } else {
            rng.random_range(14.0..22.0)
        };
        let land0 = if day {
            water0 + rng.random_range(4.0..12.0)
        } else {
            water0 - rng.random_range(3.0..9.0)
        };
        let land_sigma = rng.random_range(0.8..2.0);
        let land_texture = Waves::new(rng, 10, (4.0, 40.0), land_sigma);
        let water_texture = Waves::new(rng, 6, (5.0, 60.0), 0.06);
        let gradient = rng.random_range(-0.3..0.3) / REACH_M;
        let mud = (rng.random_range(0.3..1.5), rng.random_range(0.3..0.7));
        let mix_px = (rng.random_range(0.5..3.0), rng.random_range(10.0..30.0));

        // What lies where: land patches clear of the water by `clear` metres.
        let on_land = |x: f64, y: f64, clear: f64| {
            let (u, v) = reach.uv(x, y);
            reach.depth_from_bank(u, v).0 < -clear
        };
        let mut taken: Vec<(f64, f64, f64)> = Vec::new();
        let mut place = |rng: &mut ChaCha20Rng, radius: f64, clear: f64| {
            for _ in 0..40 {
                let (x, y) = (
                    rng.random_range(radius..w as f64 * gsd - radius),
                    rng.random_range(radius..h as f64 * gsd - radius),
                );
                let free = taken
                    .iter()
                    .all(|&(tx, ty, r)| (tx - x).hypot(ty - y) > r + radius + 3.0);
                if on_land(x, y, clear + radius) && free {
                    taken.push((x, y, radius));
                    return Some((x, y));
                }
            }
            None
        };
        let mut patches: Vec<Patch> = Vec::new();
        let mut add_patches =
            |rng: &mut ChaCha20Rng, n: usize, area: (f64, f64), dt: (f64, f64)| {
                for _ in 0..n {
                    let a = rng.random_range(area.0..area.1);
                    let ratio = rng.random_range(0.4..1.0);
                    let half = ((a / ratio).sqrt() / 2.0, (a * ratio).sqrt() / 2.0);
                    if let Some(centre) = place(rng, half.0.hypot(half.1), 2.0) {
                        patches.push(Patch {
                            centre,
                            half,
                            angle: rng.random_range(0.0..std::f64::consts::PI),
                            delta_t: rng.random_range(dt.0..dt.1),
                        });
                    }
                }
            };
        // Vegetation, paved areas, roofs (uniform; the 20–320 m², 5–14 K at night).
        let (n_vegetation, n_paved, n_roofs) = (
            rng.random_range(3..7),
            rng.random_range(2..4),
            rng.random_range(3..7),
        );
        add_patches(rng, n_vegetation, (40.0, 400.0), (-3.0, -1.0));
        if day {
            add_patches(rng, n_paved, (60.0, 300.0), (5.0, 15.0));
            add_patches(rng, n_roofs, (20.0, 320.0), (10.0, 25.0));
        } else {
            add_patches(rng, n_paved, (60.0, 300.0), (2.0, 6.0));
            add_patches(rng, n_roofs, (20.0, 320.0), (5.0, 14.0));
        }

        // Land hot spots: peaked, ΔT 6–45 K, some in registered sources.
        let mut hotspots = Vec::new();
        let mut hot_shapes: Vec<(f64, f64, f64, f64, bool)> = Vec::new();
        let mut sources = Vec::new();
        for k in 0..rng.random_range(2..5) {
            let radius = rng.random_range(0.6..2.5);
            let Some((cx, cy)) = place(rng, radius * 3.0 + 4.0, 6.0) else {
                continue;
            };
            let dt = if k == 0 {
                rng.random_range(6.0..15.0)
            } else {
                rng.random_range(15.0..45.0)
            };
            let gaussian = rng.random_bool(0.6);
            hot_shapes.push((cx, cy, radius, dt, gaussian));
            let expected_status = match rng.random_range(0..3) {
                0 => {
                    sources.push(rect_source(
                        &to_lon_lat,
                        (cx, cy),
                        rng,
                        format!("F{k}"),
                        OperatingStatus::Stopped,
                    ));
                    Status::FacilityActiveDuringStop
                }
                1 => {
                    sources.push(rect_source(
                        &to_lon_lat,
                        (cx, cy),
                        rng,
                        format!("F{k}"),
                        OperatingStatus::Operating,
                    ));
                    Status::RegisteredSource
                }
                _ => Status::UnregisteredHotspot,
            };
            hotspots.push(HotspotTruth {
                centre_px: (cx / gsd, cy / gsd),
                radius_m: radius,
                delta_t_k: dt,
                expected_status,
            });
        }
        let hot = |x: f64, y: f64| -> f64 {
            hot_shapes
                .iter()
                .map(|&(cx, cy, r, dt, gaussian)| {
                    let q = (x - cx).hypot(y - cy) / r;
                    if gaussian {
                        dt * (-q * q).exp()
                    } else {
                        // A warm disc with a hot core.
                        dt * (0.55 / (1.0 + (4.0 * (q - 1.2)).exp()) + 0.45 * (-2.0 * q * q).exp())
                    }
                })
                .sum()
        };

        // A bridge across the river in half the scenes; plumes keep clear of it.
        let bridge = rng.random_bool(0.5).then(|| {
            (
                rng.random_range(-60.0..60.0),
                rng.random_range(4.0..7.5),
                rng.random_range(-4.0..4.0),
            )
        });
        let on_bridge = |u: f64| bridge.is_some_and(|(bu, half, _)| (u - bu).abs() <= half);

        // Plumes along both banks, a third of them cold.
        let mut jets: Vec<Jet> = Vec::new();
        for _ in 0..rng.random_range(3..7) {
            for _ in 0..30 {
                let u = rng.random_range(-REACH_M / 2.0 + 20.0..REACH_M / 2.0 - 20.0);
                let clear_of_bridge =
                    bridge.is_none_or(|(bu, half, _)| (u - bu).abs() > half + 25.0);
                if clear_of_bridge && jets.iter().all(|j| (j.u - u).abs() > 30.0) {
                    let sign = if rng.random_bool(1.0 / 3.0) {
                        -1.0
                    } else {
                        1.0
                    };
                    jets.push(Jet {
                        u,
                        left: rng.random_bool(0.5),
                        delta_t0: sign * rng.random_range(1.0..5.0),
                        penetration: rng.random_range(1.5..8.0),
                        decay: rng.random_range(8.0..40.0),
                        width: rng.random_range(0.8..2.0),
                    });
                    break;
                }
            }
        }
        let plume_at = |u: f64, n: f64, left: bool| -> f64 {
            jets.iter()
                .filter(|j| j.left == left)
                .map(|j| j.delta((u - j.u) * flow, n))
                .sum()
        };
        // Glint specks on the water and a boat off the bank.
        let specks: Vec<(f64, f64, f64, f64)> = (0..rng.random_range(5..20))
            .map(|_| {
                (
                    rng.random_range(-REACH_M / 2.0..REACH_M / 2.0),
                    rng.random_range(-0.9..0.9),
                    rng.random_range(0.1..0.3),
                    rng.random_range(3.0..12.0),
                )
            })
            .collect();
        let boat = {
            let u = rng.random_range(-REACH_M / 3.0..REACH_M / 3.0);
            let off = rng.random_range(6.0..(width_m / 2.0).max(7.0));
            (
                u,
                off,
                rng.random_bool(0.5),
                rng.random_range(1.5..3.0),
                rng.random_range(4.0..7.5),
                rng.random_range(5.0..12.0),
            )
        };

        // The pixels.
        let mut celsius = vec![0.0_f32; w * h];
        let mut plume_area = vec![0_usize; jets.len()];
        let mut visible = vec![0.0_f64; jets.len()];
        let noise: Vec<f64> = (0..w * h).map(|_| normal(rng) * 0.04).collect();
        for y in 0..h {
            for x in 0..w {
                let (xm, ym) = ((x as f64 + 0.5) * gsd, (y as f64 + 0.5) * gsd);
                let (u, v) = reach.uv(xm, ym);
                let (n, left) = reach.depth_from_bank(u, v);
                // Land: texture, the mud strip, patches, hot spots.
                let mut t_land = land0 + land_texture.at(xm, ym);
                if n > -mud.0 {
                    t_land += (water0 - land0) * mud.1;
                } else if let Some(p) = patches.iter().find(|p| p.contains(xm, ym)) {
                    // Roofs and paving are uniform; vegetation keeps some texture.
                    t_land = if p.delta_t < 0.0 {
                        t_land + p.delta_t
                    } else {
                        land0 + p.delta_t + 0.1 * land_texture.at(xm, ym)
                    };
                }
                t_land += hot(xm, ym);
                // Water: gradient, texture, plumes, specks, the boat.
                let mut t_water = water0 + gradient * u * flow + water_texture.at(xm, ym);
                let plume = plume_at(u, n, left);
                t_water += plume;
                for &(su, sv, r, dt) in &specks {
                    let (c, _) = reach.centre_v(su);
                    let sv = c + sv * reach.half_width_at(su);
                    if (u - su).hypot(v - sv) < r {
                        t_water += dt;
                    }
                }
                let (bu, off, bleft, bw, bl, bdt) = boat;
                if left == bleft && (u - bu).abs() < bl && (n - off).abs() < bw {
                    t_water += bdt;
                }
                // Mixed pixels over a transition that varies along the bank.
                let mix = (mix_px.0 * (1.0 + 0.3 * (u / mix_px.1).sin())).max(0.5) * gsd;
                let f = (0.5 + n / mix).clamp(0.0, 1.0);
                let mut t = f * t_water + (1.0 - f) * t_land;
                if let Some((bu, half, dt)) = bridge
                    && on_bridge(u)
                {
                    let edge = ((half - (u - bu).abs()) / gsd).clamp(0.0, 1.0);
                    t = edge * (water0 + dt) + (1.0 - edge) * t;
                }
                celsius[y * w + x] = (t + noise[y * w + x]) as f32;
                // The truth of each plume: its area (|ΔT| ≥ 0.4 K) and what the camera sees
                // of it clear of the mixed pixels.
                if n >= 0.0 && !on_bridge(u) {
                    for (k, j) in jets.iter().enumerate() {
                        if j.left != left {
                            continue;
                        }
                        let d = j.delta((u - j.u) * flow, n);
                        if d.abs() >= 0.4 {
                            plume_area[k] += 1;
                        }
                        if f >= 1.0 && n >= 1.5 * gsd {
                            visible[k] = visible[k].max(d.abs());
                        }
                    }
                }
            }
        }

        // The registry: outfalls at some outlets (active or closed), decoys across the river.
        let mut outfalls = Vec::new();
        let mut registered: Vec<(f64, bool, bool)> = Vec::new();
        for (k, j) in jets.iter().enumerate() {
            let (_, (ix, iy)) = reach.bank_point(j.u, j.left);
            match rng.random_range(0..5) {
                0..=2 => {
                    let active = rng.random_bool(0.65);
                    let along = rng.random_range(-8.0..8.0);
                    let ((ox, oy), _) = reach.bank_point(j.u + along, j.left);
                    let back = rng.random_range(0.5..4.0);
                    let (lon, lat) = to_lon_lat(ox - ix * back, oy - iy * back);
                    outfalls.push(Outfall {
                        id: format!("P{k}"),
                        status: Some(if active {
                            OutfallStatus::Active
                        } else {
                            OutfallStatus::Closed
                        }),
                        lon,
                        lat,
                    });
                    registered.push((j.u + along, j.left, active));
                }
                3 => {
                    let ((ox, oy), (jx, jy)) = reach.bank_point(j.u, !j.left);
                    let (lon, lat) = to_lon_lat(ox - jx * 2.0, oy - jy * 2.0);
                    outfalls.push(Outfall {
                        id: format!("Q{k}"),
                        status: Some(OutfallStatus::Active),
                        lon,
                        lat,
                    });
                    registered.push((j.u, !j.left, true));
                }
                _ => {}
            }
        }
        let plumes = jets
            .iter()
            .enumerate()
            .map(|(k, j)| {
                let ((bx, by), _) = reach.bank_point(j.u, j.left);
                let expected_status = registered
                    .iter()
                    .filter(|(u, left, _)| *left == j.left && (u - j.u).abs() <= super::R_MATCH_M)
                    .min_by(|a, b| (a.0 - j.u).abs().total_cmp(&(b.0 - j.u).abs()))
                    .map_or(Status::UnregisteredSuspect, |&(_, _, active)| {
                        if active {
                            Status::RegisteredActive
                        } else {
                            Status::RegisteredClosedDischarging
                        }
                    });
                let (s, c) = reach.angle.sin_cos();
                let downstream = (c * flow, s * flow);
                PlumeTruth {
                    submerged: false,
                    outlet_px: (bx / gsd, by / gsd),
                    delta_t0_k: j.delta_t0,
                    area_m2: plume_area[k] as f64 * gsd * gsd,
                    visible_delta_t_k: visible[k],
                    direction_deg: frame.azimuth_deg(downstream.0, downstream.1),
                    expected_status,
                }
            })
            .collect();

        // The prior: the true banks every 5 m, each vertex off by up to `error` metres.
        let error = rng.random_range(0.5..2.0);
        let offset = rng.random_range(-0.5..0.5) * error;
        let bank_line = |left: bool, rng: &mut ChaCha20Rng| -> Vec<Coord> {
            let mut u = -REACH_M / 2.0 - 40.0;
            let mut line = Vec::new();
            while u <= REACH_M / 2.0 + 40.0 {
                let ((x, y), (ix, iy)) = reach.bank_point(u, left);
                let e = offset + rng.random_range(-0.7..0.7) * error;
                let (lon, lat) = to_lon_lat(x + ix * e, y + iy * e);
                line.push(Coord { x: lon, y: lat });
                u += PRIOR_STEP_M;
            }
            line
        };
        let mut ring = bank_line(true, rng);
        let mut right = bank_line(false, rng);
        right.reverse();
        ring.extend(right);
        ring.push(ring[0]);
        let prior = Polygon::new(LineString::from(ring), Vec::new());

        Scene {
            image: ThermalImage {
                width: w,
                height: h,
                celsius,
                frame,
            },
            georef,
            capture_time: if day {
                "2026:08:10 11:00:00"
            } else {
                "2026:11:20 03:30:00"
            }
            .to_owned(),
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
