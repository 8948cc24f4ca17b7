//! Inspection results recorded on the desk: a firm of the draw inspected, and its stop in the
//! route plan done, with the day and what was found. The draw and the route plan are made
//! with these fields empty, so the command centre counts "inspected" and "done" from the
//! start (none yet) instead of having nothing to count.

use crate::Layer;

/// Draw layer: `yes` once the firm was inspected.
pub const INSPECTED: &str = "inspected";
/// Draw layer: the day it was inspected (`YYYY-MM-DD`).
pub const INSPECTED_ON: &str = "inspected_on";
/// Draw layer: what the inspection found ([`Finding::as_str`]).
pub const FINDING: &str = "finding";
/// Route stops: `yes` once the inspection was made.
pub const DONE: &str = "done";
/// Route stops: the day it was made.
pub const DONE_ON: &str = "done_on";

/// What an inspection found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finding {
    /// Nothing wrong (95 % of inspections).
    None,
    /// A violation was found and is followed up.
    Violation,
}

impl Finding {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Violation => "violation",
        }
    }

    /// The finding [`Finding::as_str`] wrote, if `text` is one.
    pub fn parse(text: &str) -> Option<Self> {
        [Self::None, Self::Violation]
            .into_iter()
            .find(|f| f.as_str() == text)
    }
}

/// Which layer a changed row is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    Draw,
    Stops,
}

/// Records the inspection of firm `source_id` on `day` (`YYYY-MM-DD`) in `layer`, the draw or
/// the route stops: its draw rows are marked inspected with the finding, its stops done.
/// Returns the rows and fields changed (for the shared store); none when the firm is not there.
pub fn record(
    layer: &mut Layer,
    which: Which,
    source_id: &str,
    finding: Finding,
    day: &str,
) -> Vec<(usize, &'static str)> {
    let values: &[(&'static str, &str)] = match which {
        Which::Draw => &[
            (INSPECTED, "yes"),
            (INSPECTED_ON, day),
            (FINDING, finding.as_str()),
        ],
        Which::Stops => &[(DONE, "yes"), (DONE_ON, day)],
    };
    let rows: Vec<usize> = (0..layer.features.len())
        .filter(|&i| layer.text(i, &["source_id"]).as_deref() == Some(source_id))
        .collect();
    let mut changed = Vec::new();
    for i in rows {
        for &(field, value) in values {
            layer.set_text(i, field, value.to_owned());
            changed.push((i, field));
        }
    }
    changed
}

/// Whether the firm in row `i` has been recorded inspected (draw) or done (stops).
pub fn is_recorded(layer: &Layer, i: usize) -> bool {
    is_yes(layer, i, INSPECTED) || is_yes(layer, i, DONE)
}

/// Whether a yes/no field is set, as Yitu writes it (`yes`) or as other tools and
/// spreadsheets do: `1`, `true`, `y`, `是`, `done`.
pub fn is_yes(layer: &Layer, i: usize, field: &str) -> bool {
    matches!(
        layer
            .text(i, &[field])
            .as_deref()
            .map(str::to_lowercase)
            .as_deref(),
        Some("1" | "true" | "yes" | "是" | "done" | "y")
    )
}
