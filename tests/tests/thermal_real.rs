//! Radiometric decoding on the real sample photos and Landsat subset in `../shared/data`
//! (skipped with a printed reason when that folder is absent).

use yitu_imagery::thermal::flir::FlirImage;
use yitu_imagery::thermal::planck::{Calibration, Scene};
use yitu_imagery::thermal::{Method, SceneOverrides, ThermalError, temperature_raster};
use yitu_tests::shared_data;

/// Calibration and scene as exiftool prints them for a file (the `.txt` dumps beside the photos).
struct Exiftool {
    file: &'static str,
    r1: f64,
    b: f64,
    o: f64,
    r2: f64,
    size: (usize, usize),
    emissivity: f64,
    distance_m: f64,
}

const EXIFTOOL: &[Exiftool] = &[
    Exiftool {
        file: "FLIR.jpg",
        r1: 17837.531,
        b: 1450.4,
        o: -1143.0,
        r2: 0.012_332_781,
        size: (240, 320),
        emissivity: 0.95,
        distance_m: 1.0,
    },
    Exiftool {
        file: "FLIR_AX8.jpg",
        r1: 16951.797,
        b: 1435.1,
        o: -7142.0,
        r2: 0.014_294_867,
        size: (80, 60),
        emissivity: 0.95,
        distance_m: 1.0,
    },
    Exiftool {
        file: "FLIR_B60.jpg",
        r1: 13559.122,
        b: 1368.1,
        o: -5202.0,
        r2: 0.010_364_772,
        size: (180, 180),
        emissivity: 1.0,
        distance_m: 1.0,
    },
    Exiftool {
        file: "FLIR_E40.jpg",
        r1: 14866.514,
        b: 1395.7,
        o: -5859.0,
        r2: 0.011_086_479,
        size: (160, 120),
        emissivity: 0.95,
        distance_m: 2.0,
    },
];

#[test]
fn flir_files_decode_with_exiftools_calibration_and_plausible_temperatures() {
    let Some(dir) = shared_data("thermal") else {
        eprintln!("skipped: ../shared/data is not beside this checkout");
        return;
    };
    for x in EXIFTOOL {
        let file = x.file;
        let img = FlirImage::from_jpeg(&std::fs::read(dir.join(file)).unwrap()).unwrap();
        if file == "FLIR_B60.jpg" {
            assert_eq!(img.camera_model, "Flir b60");
        }
        let c = img.calibration;
        assert!(
            (c.planck_r1 - x.r1).abs() < 1e-3 && (c.planck_b - x.b).abs() < 1e-3,
            "{file}"
        );
        assert!(
            (c.planck_o - x.o).abs() < 1e-9 && (c.planck_r2 - x.r2).abs() < 1e-9,
            "{file}"
        );
        assert_eq!((img.width, img.height), x.size, "{file}");
        assert!(
            (img.scene.emissivity - x.emissivity).abs() < 1e-6
                && (img.scene.distance_m - x.distance_m).abs() < 1e-6,
            "{file}"
        );
        let t = temperature_raster(&dir.join(file), &SceneOverrides::default(), None).unwrap();
        let (lo, hi) = t.range().unwrap();
        // Inside what these cameras can see (B60's sample is a winter scene with sky: −68 °C).
        assert!(lo > -80.0 && hi < 200.0 && hi > lo, "{file}: {lo}..{hi}");
    }
}

/// Thermimage `raw2temp`, transcribed line by line from `docs/remote-sensing.md` §1.1 as an
/// independent check of the library's precomputed version.
fn raw2temp(s: f64, c: &Calibration, sc: &Scene) -> f64 {
    let (r1, r2, b, f, o) = (c.planck_r1, c.planck_r2, c.planck_b, c.planck_f, c.planck_o);
    let planck = |t: f64| r1 / (r2 * ((b / (t + 273.15)).exp() - f)) - o;
    let (e, d, rh, t_atm) = (
        sc.emissivity,
        sc.distance_m,
        sc.relative_humidity_pct,
        sc.atmosphere_c,
    );
    let h2o = (rh / 100.0)
        * (1.5587 + 0.06939 * t_atm - 0.000_278_16 * t_atm.powi(2)
            + 0.000_000_684_55 * t_atm.powi(3))
        .exp();
    let tau = c.atm_x * (-(d / 2.0).sqrt() * (c.atm_alpha1 + c.atm_beta1 * h2o.sqrt())).exp()
        + (1.0 - c.atm_x) * (-(d / 2.0).sqrt() * (c.atm_alpha2 + c.atm_beta2 * h2o.sqrt())).exp();
    let (tau1, tau2, tau_win) = (tau, tau, sc.ir_window_transmission);
    let raw_refl1_attn = (1.0 - e) / e * planck(sc.reflected_c);
    let raw_atm1_attn = (1.0 - tau1) / e / tau1 * planck(t_atm);
    let raw_wind_attn = (1.0 - tau_win) / e / tau1 / tau_win * planck(sc.ir_window_c);
    let raw_refl2_attn = 0.0;
    let raw_atm2_attn = (1.0 - tau2) / e / tau1 / tau_win / tau2 * planck(t_atm);
    let s_obj = s / e / tau1 / tau_win / tau2
        - raw_atm1_attn
        - raw_atm2_attn
        - raw_wind_attn
        - raw_refl1_attn
        - raw_refl2_attn;
    b / (r1 / (r2 * (s_obj + o)) + f).ln() - 273.15
}

#[test]
fn every_flir_format_file_matches_the_reference_formula_within_0_01_k() {
    let Some(dir) = shared_data("thermal") else {
        eprintln!("skipped: ../shared/data is not beside this checkout");
        return;
    };
    for file in [
        "FLIR.jpg",
        "FLIR_AX8.jpg",
        "FLIR_B60.jpg",
        "FLIR_E40.jpg",
        "FLIR_T640.jpg",
        "DJI_XT2.jpg",
    ] {
        let path = dir.join(file);
        let img = FlirImage::from_jpeg(&std::fs::read(&path).unwrap()).unwrap();
        let t = temperature_raster(&path, &SceneOverrides::default(), None).unwrap();
        let worst = img
            .raw
            .iter()
            .zip(&t.celsius)
            .map(|(&s, &c)| {
                (raw2temp(f64::from(s), &img.calibration, &img.scene) - f64::from(c)).abs()
            })
            .fold(0.0, f64::max);
        eprintln!("{file}: worst deviation {worst:.6} K");
        assert!(worst < 0.01, "{file}: {worst} K");
    }
}

#[test]
fn overrides_are_used_and_recorded() {
    let Some(dir) = shared_data("thermal") else {
        eprintln!("skipped: ../shared/data is not beside this checkout");
        return;
    };
    let path = dir.join("FLIR_E40.jpg");
    let stored = temperature_raster(&path, &SceneOverrides::default(), None).unwrap();
    let overrides = SceneOverrides {
        emissivity: Some(0.7),
        distance_m: Some(60.0),
        ..Default::default()
    };
    let changed = temperature_raster(&path, &overrides, None).unwrap();
    let Method::FlirPlanck { scene, .. } = changed.method else {
        panic!()
    };
    assert!((scene.emissivity - 0.7).abs() < 1e-12 && (scene.distance_m - 60.0).abs() < 1e-12);
    // A lower emissivity means the same radiance came from a hotter object.
    assert!(changed.range().unwrap().1 > stored.range().unwrap().1);
}

#[test]
fn dji_rjpegs_say_the_sdk_is_needed_and_plain_jpegs_have_no_thermal_data() {
    let Some(dir) = shared_data("thermal") else {
        eprintln!("skipped: ../shared/data is not beside this checkout");
        return;
    };
    for file in ["DJI_H20T.jpg", "DJI_M30T_0001_R.JPG", "DJI_M3T_0001_R.JPG"] {
        let e = temperature_raster(&dir.join(file), &SceneOverrides::default(), None).unwrap_err();
        assert!(matches!(e, ThermalError::DjiSdkMissing), "{file}: {e}");
    }
    let tmp = tempfile::tempdir().unwrap();
    let truncated = tmp.path().join("cut.jpg");
    let bytes = std::fs::read(dir.join("FLIR.jpg")).unwrap();
    std::fs::write(&truncated, &bytes[..bytes.len() / 20]).unwrap();
    let e = temperature_raster(&truncated, &SceneOverrides::default(), None).unwrap_err();
    assert!(
        e.to_string().contains("truncated") || matches!(e, ThermalError::NoThermalData),
        "{e}"
    );
}

#[test]
fn landsat_band_10_gives_brightness_temperature_on_its_grid() {
    let Some(dir) = shared_data("landsat") else {
        eprintln!("skipped: ../shared/data is not beside this checkout");
        return;
    };
    let b10 = dir.join("LC08_L1TP_195025_20130707_20170503_01_T1_B10.TIF");
    let t = temperature_raster(&b10, &SceneOverrides::default(), None).unwrap();
    assert_eq!((t.width, t.height), (41, 41));
    assert!(t.georef.is_some());
    let (lo, hi) = t.range().unwrap();
    // A July afternoon over central Europe (path 195 row 25): 10–45 °C at the sensor.
    assert!(lo > 0.0 && hi < 50.0, "{lo}..{hi}");
    // A band the MTL does not list as thermal is refused.
    let b4 = dir.join("LC08_L1TP_195025_20130707_20170503_01_T1_B4.TIF");
    let e = temperature_raster(&b4, &SceneOverrides::default(), None).unwrap_err();
    assert!(e.to_string().contains("not a TIRS thermal band"), "{e}");
}

/// DJI's converter is closed software the user installs; this stand-in writes what it writes
/// (little-endian float32 °C per pixel) so the integration is tested end to end.
#[test]
fn an_installed_dji_converter_gives_temperatures_with_the_users_scene() {
    let Some(photo) = shared_data("thermal/DJI_H20T.jpg") else {
        eprintln!("skipped: ../shared/data is not beside this checkout");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let script = tmp.path().join("dji_irp");
    let args_file = tmp.path().join("args.txt");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\necho \"$@\" > {}\nwhile [ $# -gt 0 ]; do [ \"$1\" = -o ] && out=$2; shift; done\n\
             python3 -c \"import struct,sys; sys.stdout.buffer.write(struct.pack('<f', 21.5) * (640*512))\" > \"$out\"\n",
            args_file.display()
        ),
    )
    .unwrap();
    std::process::Command::new("chmod")
        .arg("+x")
        .arg(&script)
        .status()
        .unwrap();
    let overrides = SceneOverrides {
        distance_m: Some(30.0),
        emissivity: Some(0.95),
        ..Default::default()
    };
    let t = yitu_imagery::thermal::dji::convert(&script, &photo, 640, 512, &overrides).unwrap();
    assert_eq!((t.width, t.height), (640, 512));
    assert_eq!(t.range(), Some((21.5, 21.5)));
    let args = std::fs::read_to_string(&args_file).unwrap();
    assert!(
        args.contains("-a measure")
            && args.contains("--distance 30")
            && args.contains("--emissivity 0.95"),
        "{args}"
    );
    let Method::DjiSdk { arguments, .. } = t.method else {
        panic!()
    };
    assert!(arguments.contains("float32"));
}
