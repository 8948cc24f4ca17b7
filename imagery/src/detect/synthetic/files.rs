//! A generated scene written as the files `yitu detect` reads.

use geo::Geometry;
use yitu_layers::geojson::{collection, feature};

use super::Scene;
use crate::detect::DetectError;

impl Scene {
    /// Writes the scene as the files `yitu detect` reads: `scene.tif` (float32 °C, with its
    /// capture time), `rivers.geojson`, `outfalls.geojson`, `sources.geojson`, and `truth.json`.
    pub fn write(&self, dir: &std::path::Path) -> Result<(), DetectError> {
        let io = |path: std::path::PathBuf| {
            move |error| yitu_layers::LayersError::Io {
                path: path.clone(),
                error,
            }
        };
        std::fs::create_dir_all(dir).map_err(io(dir.to_path_buf()))?;
        let values: Vec<f32> = self
            .image
            .celsius
            .iter()
            .map(|v| {
                if v.is_finite() {
                    *v
                } else {
                    crate::thermal::NODATA as f32
                }
            })
            .collect();
        yitu_layers::raster::write_f32_geotiff(
            &dir.join("scene.tif"),
            self.image.width,
            self.image.height,
            values,
            Some(crate::thermal::NODATA),
            Some(&self.georef),
            &[("TIFFTAG_DATETIME".to_owned(), self.capture_time.clone())],
        )?;
        let collection = |features| collection(features, serde_json::Map::new());
        let rivers = collection(
            self.registry
                .rivers
                .iter()
                .enumerate()
                .map(|(k, p)| {
                    let properties =
                        serde_json::json!({"id": format!("R{k}"), "river": "synthetic reach"});
                    feature(Some(&Geometry::Polygon(p.clone())), properties)
                })
                .collect(),
        );
        let outfalls = collection(
            self.registry
                .outfalls
                .iter()
                .map(|o| {
                    let properties = serde_json::json!({"id": o.id, "status": o.status, "outfall_type": "industrial"});
                    feature(Some(&Geometry::Point(geo::Point::new(o.lon, o.lat))), properties)
                })
                .collect(),
        );
        let sources = collection(
            self.registry
                .sources
                .iter()
                .filter(|s| matches!(s.geometry, Geometry::Polygon(_)))
                .map(|s| {
                    let properties = serde_json::json!({"id": s.id, "status": s.status, "credit_code": format!("91500000SYN{}", s.id)});
                    feature(Some(&s.geometry), properties)
                })
                .collect(),
        );
        let truth = serde_json::json!({
            "plumes": self.plumes.iter().map(|t| {
                let (lon, lat) = self.image.frame.lon_lat(t.outlet_px.0, t.outlet_px.1).unwrap_or_default();
                serde_json::json!({"outlet_lon": lon, "outlet_lat": lat, "delta_t0_k": t.delta_t0_k,
                    "submerged": t.submerged, "expected_status": t.expected_status})
            }).collect::<Vec<_>>(),
            "hotspots": self.hotspots.iter().map(|t| {
                let (lon, lat) = self.image.frame.lon_lat(t.centre_px.0, t.centre_px.1).unwrap_or_default();
                serde_json::json!({"lon": lon, "lat": lat, "delta_t_k": t.delta_t_k,
                    "radius_m": t.radius_m, "expected_status": t.expected_status})
            }).collect::<Vec<_>>(),
        });
        for (name, value) in [
            ("rivers.geojson", rivers),
            ("outfalls.geojson", outfalls),
            ("sources.geojson", sources),
            ("truth.json", truth),
        ] {
            let path = dir.join(name);
            std::fs::write(&path, value.to_string()).map_err(io(path.clone()))?;
        }
        Ok(())
    }
}
