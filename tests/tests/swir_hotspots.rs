//! Capability C2 end to end: SWIR hot spots by NHI on radiance, from a real Landsat OLI subset
//! (skipped with a reason when `../shared/data` is absent) and from a Sentinel-2 L1C product
//! written here with planted sub-pixel fires of known temperature and size.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use yitu_imagery::detect::swir::{Product, SwirScene};
use yitu_imagery::detect::{Capability, InputFiles, PixelFrame, Status, run_files};
use yitu_layers::raster::{Georef, read_band, write_f32_geotiff};
use yitu_tests::shared_data;

const OLI_SCENE: &str = "LC08_L1TP_195025_20130707_20170503_01_T1";

#[test]
fn oli_bands_become_radiance_by_the_mtl_and_a_quiet_scene_has_no_hot_spots() {
    let Some(dir) = shared_data("landsat") else {
        eprintln!("skipped: ../shared/data is not beside this checkout");
        return;
    };
    let mtl = dir.join(format!("{OLI_SCENE}_MTL.txt"));
    let b7 = dir.join(format!("{OLI_SCENE}_B7.TIF"));
    // A band file names its scene; band 10 is thermal and stays with capability C1.
    assert_eq!(Product::of(&b7), Some(Product::Oli { mtl: mtl.clone() }));
    assert_eq!(Product::of(&dir.join(format!("{OLI_SCENE}_B10.TIF"))), None);
    let scene = SwirScene::read(&Product::Oli { mtl: mtl.clone() }).unwrap();
    // L = ML·Q + AL with band 7's constants from this MTL.
    let dn = read_band(&b7, 1).unwrap();
    let (ml, al) = (4.9578e-04, -2.47890);
    let i = dn.values.iter().position(|&v| v > 0.0).unwrap();
    let expected = ml * dn.values[i] + al;
    assert!((f64::from(scene.bands[3][i]) - expected).abs() < 1e-3);
    let run = run_files(
        &InputFiles {
            raster: mtl,
            rivers: None,
            outfalls: None,
            sources: None,
        },
        yitu_imagery::detect::RunOptions {
            daylight: None,
            memory: yitu_imagery::detect::temperatures::available_memory(),
            units: None,
            cancel: yitu_core::cancel::Cancel::default(),
        },
    )
    .unwrap();
    assert!(run.detections.is_empty(), "{:?}", run.detections.len());
    assert_eq!(run.provenance["input_sha256"].as_object().unwrap().len(), 5);
}

/// Sentinel-2A solar irradiance of B05, B8A, B11, B12 (W m⁻² µm⁻¹), centres (µm) and the
/// metadata's band indices.
const E_SUN: [f64; 4] = [1424.7, 953.7, 245.59, 85.25];
const LAMBDA_UM: [f64; 4] = [0.705, 0.865, 1.61, 2.19];
const BANDS: [(&str, usize); 4] = [("B05", 4), ("B8A", 8), ("B11", 11), ("B12", 12)];
const U: f64 = 0.9832;
const ZENITH_DEG: f64 = 35.0;
const SOIL: [f64; 4] = [0.20, 0.25, 0.30, 0.25];
const SIDE: usize = 60;

fn planck(lambda_um: f64, t_k: f64) -> f64 {
    1.191_042_97e8 / (lambda_um.powi(5) * ((14_387.769 / (lambda_um * t_k)).exp() - 1.0))
}

fn georef() -> Georef {
    Georef {
        geo_transform: [650_000.0, 20.0, 0.0, 3_271_000.0, 0.0, -20.0],
        crs_wkt: yitu_layers::Crs::Epsg(32648)
            .spatial_ref()
            .expect("the synthetic product is written")
            .to_wkt()
            .expect("the synthetic product is written"),
    }
}

/// A planted fire: pixel, temperature, fraction of the pixel.
struct Fire {
    x: usize,
    y: usize,
    t_k: f64,
    f: f64,
}

/// Writes an L1C `.SAFE` product (baseline ≥ 04.00: DN = ρ·10000 + 1000) of soil with `fires`
/// and a bright roof, and returns its metadata file.
fn write_l1c(root: &Path, fires: &[Fire]) -> PathBuf {
    let granule = root.join("GRANULE/L1C_T48RYU_A000001_20240301T033541");
    std::fs::create_dir_all(granule.join("IMG_DATA")).expect("the synthetic product is written");
    let offsets = (0..13).fold(String::new(), |mut xml, b| {
        let _ = write!(
            xml,
            "<RADIO_ADD_OFFSET band_id=\"{b}\">-1000</RADIO_ADD_OFFSET>"
        );
        xml
    });
    let irradiance = BANDS
        .iter()
        .zip(E_SUN)
        .fold(String::new(), |mut xml, ((_, id), e)| {
            let _ = write!(
                xml,
                "<SOLAR_IRRADIANCE bandId=\"{id}\" unit=\"W/m²/µm\">{e}</SOLAR_IRRADIANCE>"
            );
            xml
        });
    let metadata = root.join("MTD_MSIL1C.xml");
    std::fs::write(
        &metadata,
        format!(
            "<n1:Level-1C_User_Product><PRODUCT_TYPE>S2MSI1C</PRODUCT_TYPE>\
             <QUANTIFICATION_VALUE unit=\"none\">10000</QUANTIFICATION_VALUE>\
             <Radiometric_Offset_List>{offsets}</Radiometric_Offset_List>\
             <Reflectance_Conversion><U>{U}</U><Solar_Irradiance_List>{irradiance}\
             </Solar_Irradiance_List></Reflectance_Conversion></n1:Level-1C_User_Product>"
        ),
    )
    .expect("the synthetic product is written");
    std::fs::write(
        granule.join("MTD_TL.xml"),
        format!(
            "<Tile_Angles><Sun_Angles_Grid><Zenith>50 50</Zenith></Sun_Angles_Grid>\
             <Mean_Sun_Angle><ZENITH_ANGLE unit=\"deg\">{ZENITH_DEG}</ZENITH_ANGLE>\
             <AZIMUTH_ANGLE unit=\"deg\">150</AZIMUTH_ANGLE></Mean_Sun_Angle></Tile_Angles>"
        ),
    )
    .expect("the synthetic product is written");
    let factor = |b: usize| E_SUN[b] * U * ZENITH_DEG.to_radians().cos() / std::f64::consts::PI;
    for (b, (name, _)) in BANDS.iter().enumerate() {
        let mut dn = vec![0_f32; SIDE * SIDE];
        for (i, v) in dn.iter_mut().enumerate() {
            let (x, y) = (i % SIDE, i / SIDE);
            // A bright metal roof block: no fire, however bright.
            let rho = if (40..44).contains(&x) && (40..44).contains(&y) {
                [0.45, 0.50, 0.55, 0.50][b]
            } else {
                SOIL[b]
            };
            let mut radiance = rho * factor(b);
            for fire in fires.iter().filter(|f| (f.x, f.y) == (x, y)) {
                radiance = (1.0 - fire.f) * radiance + fire.f * planck(LAMBDA_UM[b], fire.t_k);
            }
            *v = (radiance / factor(b) * 10_000.0 + 1000.0) as f32;
        }
        let path = granule.join(format!("IMG_DATA/T48RYU_20240301T033541_{name}.tif"));
        write_f32_geotiff(&path, SIDE, SIDE, dn, Some(0.0), Some(&georef()), &[])
            .expect("the synthetic product is written");
    }
    metadata
}

fn lon_lat(x: usize, y: usize) -> (f64, f64) {
    let frame = PixelFrame::new(&georef(), SIDE, SIDE).expect("the synthetic product is written");
    frame
        .lon_lat(x as f64 + 0.5, y as f64 + 0.5)
        .expect("the synthetic product is written")
}

#[test]
fn planted_sentinel2_fires_are_found_and_matched_to_the_registry() {
    let tmp = tempfile::tempdir().unwrap();
    let fires = [
        // A furnace at a plant that must be stopped, over two pixels.
        Fire {
            x: 10,
            y: 12,
            t_k: 1000.0,
            f: 2e-2,
        },
        Fire {
            x: 11,
            y: 12,
            t_k: 1000.0,
            f: 1e-2,
        },
        // Burning far from any source.
        Fire {
            x: 45,
            y: 15,
            t_k: 800.0,
            f: 5e-2,
        },
        // Below the detection limit.
        Fire {
            x: 30,
            y: 50,
            t_k: 600.0,
            f: 1e-3,
        },
    ];
    let metadata = write_l1c(&tmp.path().join("S2A_MSIL1C_20240301.SAFE"), &fires);
    let (lon, lat) = lon_lat(10, 12);
    let sources = tmp.path().join("sources.geojson");
    std::fs::write(
        &sources,
        serde_json::json!({"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"id": "S1", "status": "stopped"},
             "geometry": {"type": "Point", "coordinates": [lon, lat]}}
        ]})
        .to_string(),
    )
    .unwrap();
    let run = run_files(
        &InputFiles {
            raster: metadata.clone(),
            rivers: None,
            outfalls: None,
            sources: Some(sources),
        },
        yitu_imagery::detect::RunOptions {
            daylight: None,
            memory: yitu_imagery::detect::temperatures::available_memory(),
            units: None,
            cancel: yitu_core::cancel::Cancel::default(),
        },
    )
    .unwrap();
    assert_eq!(run.detections.len(), 2, "{:#?}", run.detections);
    assert!(run.image.is_none());
    let plant = run
        .detections
        .iter()
        .find(|d| d.source_id.is_some())
        .unwrap();
    assert_eq!(plant.capability, Capability::SatHotspot);
    assert_eq!(plant.status, Status::FacilityActiveDuringStop);
    let swir = plant.swir.as_ref().unwrap();
    assert_eq!(swir.n_px, 2);
    assert!(swir.nhi_max > 0.0 && plant.score >= 0.5);
    let burning = run
        .detections
        .iter()
        .find(|d| d.source_id.is_none())
        .unwrap();
    assert_eq!(burning.status, Status::UnregisteredHotspot);
    assert!(burning.qa_flags.contains(&"possible_burning"));
    let (blon, blat) = lon_lat(45, 15);
    assert!(
        (burning.centroid_lon - blon).abs() < 1e-6 && (burning.centroid_lat - blat).abs() < 1e-6
    );
    // Every input is hashed: the metadata, the granule's, four bands and the registry.
    assert_eq!(run.provenance["input_sha256"].as_object().unwrap().len(), 7);
    // The GeoJSON carries the C2 measures beside the contract's properties.
    let geojson = yitu_imagery::detect::to_geojson(&run.detections, &run.provenance);
    let props = &geojson["features"][0]["properties"];
    for key in [
        "nhi_max",
        "swir2_radiance_sum",
        "n_px",
        "hot_tests",
        "score",
        "status",
    ] {
        assert!(props.get(key).is_some(), "{key}");
    }
    // A band file of the product names it too.
    let b12 = metadata
        .parent()
        .unwrap()
        .join("GRANULE/L1C_T48RYU_A000001_20240301T033541/IMG_DATA/T48RYU_20240301T033541_B12.tif");
    assert_eq!(Product::of(&b12), Some(Product::Sentinel2 { metadata }));
}

#[test]
fn level_2a_products_and_missing_bands_are_refused_by_name() {
    let tmp = tempfile::tempdir().unwrap();
    let metadata = write_l1c(&tmp.path().join("A.SAFE"), &[]);
    let l2a = tmp.path().join("A.SAFE/MTD_MSIL2A.xml");
    std::fs::write(
        &l2a,
        "<n1:Level-2A_User_Product><BOA_QUANTIFICATION_VALUE>10000</BOA_QUANTIFICATION_VALUE>",
    )
    .unwrap();
    let error = SwirScene::read(&Product::Sentinel2 { metadata: l2a })
        .err()
        .unwrap()
        .to_string();
    assert!(
        error.contains("MTD_MSIL2A.xml") && error.contains("Level-1C"),
        "{error}"
    );
    let b11 = tmp.path().join(
        "A.SAFE/GRANULE/L1C_T48RYU_A000001_20240301T033541/IMG_DATA/T48RYU_20240301T033541_B11.tif",
    );
    std::fs::remove_file(b11).unwrap();
    let error = SwirScene::read(&Product::Sentinel2 { metadata })
        .err()
        .unwrap()
        .to_string();
    assert!(
        error.contains("MTD_MSIL1C.xml") && error.contains("B11"),
        "{error}"
    );
}
