//! A generated scene written as the files `yitu detect` reads.

use geo::Polygon;

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
        let ring = |p: &Polygon<f64>| -> Vec<[f64; 2]> {
            p.exterior().0.iter().map(|c| [c.x, c.y]).collect()
        };
        let collection = |features: Vec<serde_json::Value>| serde_json::json!({"type": "FeatureCollection", "features": features});
        let rivers = collection(
            self.registry
                .rivers
                .iter()
                .enumerate()
                .map(|(k, p)| serde_json::json!({"type": "Feature", "properties": {"id": format!("R{k}"), "river": "synthetic reach"},
                    "geometry": {"type": "Polygon", "coordinates": [ring(p)]}}))
                .collect(),
        );
        let outfalls = collection(
            self.registry
                .outfalls
                .iter()
                .map(|o| serde_json::json!({"type": "Feature", "properties": {"id": o.id, "status": o.status, "outfall_type": "industrial"},
                    "geometry": {"type": "Point", "coordinates": [o.lon, o.lat]}}))
                .collect(),
        );
        let sources = collection(
            self.registry
                .sources
                .iter()
                .filter_map(|s| match &s.geometry {
                    geo::Geometry::Polygon(p) => Some(serde_json::json!({"type": "Feature",
                        "properties": {"id": s.id, "status": s.status, "credit_code": format!("91500000SYN{}", s.id)},
                        "geometry": {"type": "Polygon", "coordinates": [ring(p)]}})),
                    _ => None,
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
