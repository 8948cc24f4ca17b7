//! What a monitoring point measures and how each value is marked (HJ 212-2017, and the data
//! marking rules: only data flagged N may be used to judge an exceedance).

use serde::Serialize;

/// A data flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Flag {
    /// N: normal.
    Normal,
    /// F: the plant stopped.
    Stopped,
    /// M: maintenance.
    Maintenance,
    /// S: set by hand.
    Manual,
    /// D: instrument fault.
    Fault,
    /// C: calibration.
    Calibration,
    /// T: over the instrument's range.
    OverRange,
    /// B: communication fault.
    Communication,
}

impl Flag {
    pub fn parse(text: &str) -> Option<Self> {
        Some(match text.trim() {
            "N" | "n" => Self::Normal,
            "F" | "f" => Self::Stopped,
            "M" | "m" => Self::Maintenance,
            "S" | "s" => Self::Manual,
            "D" | "d" => Self::Fault,
            "C" | "c" => Self::Calibration,
            "T" | "t" => Self::OverRange,
            "B" | "b" => Self::Communication,
            _ => return None,
        })
    }

    pub fn letter(self) -> char {
        match self {
            Self::Normal => 'N',
            Self::Stopped => 'F',
            Self::Maintenance => 'M',
            Self::Manual => 'S',
            Self::Fault => 'D',
            Self::Calibration => 'C',
            Self::OverRange => 'T',
            Self::Communication => 'B',
        }
    }

    /// Valid for judging: only N.
    pub fn is_valid(self) -> bool {
        self == Self::Normal
    }

    /// A mark that takes the instrument out of service (F, M, D, C): too many in a week is
    /// itself suspicious (`flagged_span`).
    pub fn takes_out_of_service(self) -> bool {
        matches!(
            self,
            Self::Stopped | Self::Maintenance | Self::Fault | Self::Calibration
        )
    }

    /// As one byte in a series (0 is "no value").
    pub(crate) fn code(self) -> u8 {
        self as u8 + 1
    }

    pub(crate) fn from_code(code: u8) -> Option<Self> {
        Some(match code {
            1 => Self::Normal,
            2 => Self::Stopped,
            3 => Self::Maintenance,
            4 => Self::Manual,
            5 => Self::Fault,
            6 => Self::Calibration,
            7 => Self::OverRange,
            8 => Self::Communication,
            _ => return None,
        })
    }
}

/// Pollutant codes whose values are flows, not concentrations: a zero flow is a stop, not a
/// faked concentration.
const FLOWS: [&str; 2] = ["w00000", "a00000"];

/// Whether `code` is a flow (wastewater w00000, flue gas a00000).
pub fn is_flow(code: &str) -> bool {
    FLOWS.contains(&code)
}

/// Flue gas conditions: O₂ (a reference), velocity, temperature, pressure, humidity.
const CONDITIONS: [&str; 5] = ["a19001", "a01011", "a01012", "a01013", "a01014"];

/// Whether a zero or negative value of `code` while the plant runs cannot be real: every
/// concentration, and pH (a flow can be zero; flue gas conditions are no emission).
pub fn zero_is_suspect(code: &str) -> bool {
    !is_flow(code) && !CONDITIONS.contains(&code)
}

/// A parameter's name, for sheets and the timeline.
pub fn name(code: &str) -> &str {
    match code {
        "w01018" => "COD",
        "w21003" => "NH₃-N",
        "w21011" => "TP",
        "w21001" => "TN",
        "w01001" => "pH",
        "w00000" => "wastewater flow",
        "a21026" => "SO₂",
        "a21002" => "NOx",
        "a34013" => "particulates",
        "a00000" => "flue gas flow",
        "a19001" => "O₂",
        other => other,
    }
}
