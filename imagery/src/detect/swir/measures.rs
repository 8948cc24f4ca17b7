//! What a SWIR hot cluster measured, carried with its detection: a leaf the detection model
//! names without reaching into the SWIR pipeline.

use serde::Serialize;

/// Which of the NHI Tool's conditions flagged a pixel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HotTest {
    /// (A) NHI_SWIR > 0: hot enough to outshine the 1.6 µm band at 2.2 µm.
    Swir,
    /// (B) NHI_SWNIR > 0: hotter still, bright at 1.6 µm over the near infrared.
    Swnir,
    /// (C) neither, but 1.6 µm radiance a surface cannot reflect: saturated or extreme.
    Extreme,
}

/// The satellite a SWIR scene comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Sensor {
    Sentinel2L1c,
    LandsatOli,
}

/// What a SWIR hot cluster measured (§5.3 C2 step 4), reported with its detection.
#[derive(Debug, Clone, Serialize)]
pub struct SwirMeasures {
    pub sensor: Sensor,
    /// The larger of NHI_SWIR and NHI_SWNIR over the cluster.
    pub nhi_max: f32,
    /// ΣL2.2 over the cluster: a proxy of its radiant intensity, W m⁻² sr⁻¹ µm⁻¹.
    pub swir2_radiance_sum: f64,
    pub n_px: usize,
    /// The conditions that flagged its pixels.
    pub hot_tests: Vec<HotTest>,
}
