//! What building a network fixed and what it could not: the QA report of `yitu trace`.

use geo::Coord;
use serde::Serialize;

/// One finding of the network's QA, with where it is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub kind: FindingKind,
    pub lon: f64,
    pub lat: f64,
    /// The input line concerned, by its `id` (else its number in the file).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<String>,
    /// What was seen and what was done, in words.
    pub message: String,
}

/// The kinds of finding; `fixed` ones were repaired, the others are reported as they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// Line ends within the snap distance joined (fixed).
    GapClosed,
    /// A dangling line end a little beyond the snap distance from another line: not joined.
    GapLeft,
    /// A line's end joined to the middle of another line: a confluence (fixed).
    JoinedMidLine,
    /// Repeated vertices dropped (fixed).
    DuplicateVertices,
    /// A line digitised against the flow, turned (fixed).
    Reversed,
    /// A line with fewer than two distinct points, left out.
    Degenerate,
    /// Channels that part and meet again: followed on every branch.
    Braid,
    /// A channel that leaves the river and does not come back: water leaves the network there.
    Diversion,
    /// A directed loop no outlet could order; the flow in it is as digitised.
    Loop,
    /// A part of the network not joined to the rest.
    Disconnected,
    /// An outlet given far from any line end.
    OutletFar,
    /// The network's mouth when no outlet was given, and how it was chosen.
    Mouth,
}

impl Finding {
    pub fn new(kind: FindingKind, at: Coord<f64>, line: Option<String>, message: String) -> Self {
        Self {
            kind,
            lon: at.x,
            lat: at.y,
            line,
            message,
        }
    }
}
