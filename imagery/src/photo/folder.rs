//! A folder of drone photos as map layers: the flight track and the photo footprints. Every
//! photo that cannot be read is reported by name; the rest still import.

use std::path::{Path, PathBuf};

use geo::{Geometry, LineString, Point};
use serde::Serialize;
use yitu_layers::registry::layer_from_records;
use yitu_layers::{Layer, LayerKind};

use super::{DronePhoto, Ground};

/// The photos of a folder that were read, and those that were not (with why).
#[derive(Debug, Default)]
pub struct PhotoFolder {
    pub photos: Vec<(PathBuf, DronePhoto)>,
    pub failures: Vec<(PathBuf, String)>,
}

/// Reads every JPEG in `dir` (not recursive), in file-name order (= capture order for DJI).
pub fn read_folder(dir: &Path) -> std::io::Result<PhotoFolder> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| crate::jpeg::is_jpeg_path(p))
        .collect();
    paths.sort();
    let mut folder = PhotoFolder::default();
    for path in paths {
        match DronePhoto::read(&path) {
            Ok(photo) => folder.photos.push((path, photo)),
            Err(e) => folder.failures.push((path, e.to_string())),
        }
    }
    Ok(folder)
}

/// One footprint's attributes.
#[derive(Serialize)]
struct FootprintRecord {
    file: String,
    /// Full path, so the map can open the photo.
    path: String,
    model: String,
    relative_altitude_m: Option<f64>,
    height_above_ground_m: f64,
    gimbal_yaw_deg: f64,
    gimbal_pitch_deg: f64,
    oblique: bool,
}

#[derive(Serialize)]
struct TrackRecord {
    name: String,
    photos: i64,
}

impl PhotoFolder {
    /// The flight track (one line through the photo positions) and the footprints, named after
    /// `name`. Photos without a position or footprint are left out of the respective layer.
    pub fn layers(&self, name: &str, ground: Ground) -> Vec<Layer> {
        let positions: Vec<Point<f64>> = self
            .photos
            .iter()
            .filter_map(|(_, p)| Some(Point::new(p.lon?, p.lat?)))
            .collect();
        let track = layer_from_records(
            &format!("{name} track"),
            LayerKind::Other,
            (positions.len() > 1).then(|| {
                let line: LineString<f64> = positions.iter().map(|p| p.0).collect();
                (
                    Some(Geometry::from(line)),
                    TrackRecord {
                        name: name.to_owned(),
                        photos: positions.len() as i64,
                    },
                )
            }),
        );
        let footprints = layer_from_records(
            &format!("{name} footprints"),
            LayerKind::Other,
            self.photos.iter().filter_map(|(path, p)| {
                let f = p.footprint(ground)?;
                let g = p.gimbal?;
                let record = FootprintRecord {
                    file: path.file_name()?.to_string_lossy().into_owned(),
                    path: path.display().to_string(),
                    model: p.model.clone(),
                    relative_altitude_m: p.relative_altitude_m,
                    height_above_ground_m: f.height_above_ground_m,
                    gimbal_yaw_deg: g.yaw_deg,
                    gimbal_pitch_deg: g.pitch_deg,
                    oblique: f.oblique,
                };
                Some((Some(Geometry::from(f.polygon)), record))
            }),
        );
        vec![track, footprints]
    }
}
