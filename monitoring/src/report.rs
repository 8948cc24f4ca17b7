//! What `yitu monitor` writes: transmission per point and month, the anomalies with their
//! evidence interval, and every line that was not loaded.

use serde::Serialize;

use crate::time::Stamp;

/// The kinds of anomaly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Exceedance,
    Flatline,
    ZeroWhileActive,
    StepDrop,
    LowTransmission,
    FlaggedSpan,
    TreatmentOff,
    RunningWhileHalted,
}

impl Kind {
    pub const ALL: [Self; 8] = [
        Self::Exceedance,
        Self::Flatline,
        Self::ZeroWhileActive,
        Self::StepDrop,
        Self::LowTransmission,
        Self::FlaggedSpan,
        Self::TreatmentOff,
        Self::RunningWhileHalted,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Exceedance => "exceedance",
            Self::Flatline => "flatline",
            Self::ZeroWhileActive => "zero_while_active",
            Self::StepDrop => "step_drop",
            Self::LowTransmission => "low_transmission",
            Self::FlaggedSpan => "flagged_span",
            Self::TreatmentOff => "treatment_off",
            Self::RunningWhileHalted => "running_while_halted",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == text)
    }
}

/// Transmission of one point in one month.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PointMonth {
    pub mn: String,
    pub source_id: Option<String>,
    /// `yyyy-MM`.
    pub month: String,
    /// Hours of the month within the period analysed.
    pub expected: u32,
    /// Distinct hours with an hourly packet or CSV row.
    pub received: u32,
    /// Those whose every parameter was flagged N.
    pub valid: u32,
    pub transmission_rate: f64,
}

/// One anomaly: what, where, over which hours, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Anomaly {
    pub kind: Kind,
    pub source_id: Option<String>,
    pub mn: Option<String>,
    pub code: Option<String>,
    /// The evidence interval: its first hour and the end of its last.
    pub start: Stamp,
    pub end: Stamp,
    pub value: Option<f64>,
    pub limit: Option<f64>,
    /// The rule, its parameters and the figures it saw.
    pub evidence: serde_json::Value,
}

/// A line that was not loaded, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejected {
    /// The file's name as given.
    pub file: String,
    /// From 1.
    pub line: usize,
    pub reason: String,
}

/// The whole output.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub points: Vec<PointMonth>,
    pub anomalies: Vec<Anomaly>,
    pub rejected: Vec<Rejected>,
}
