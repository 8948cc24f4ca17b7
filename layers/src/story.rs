//! A meeting's story, kept with the project like its bookmarks: ordered steps, each a saved
//! view (where, which layers, up to when, a caption, the indicators shown) with what was drawn
//! on it. Coordinates are WGS84, so marks stay on the ground when the map moves.

use serde::{Deserialize, Serialize};

use crate::style::Bookmark;

/// A named list of steps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Story {
    pub name: String,
    pub steps: Vec<StoryStep>,
}

/// One step: a view and what to show in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoryStep {
    pub caption: String,
    pub view: Bookmark,
    /// Layers shown, by name; `None` leaves the layers as they are.
    #[serde(default)]
    pub layers: Option<Vec<String>>,
    /// Show dated data up to this day (`yyyy-MM-dd`); `None`: all of it.
    #[serde(default)]
    pub time: Option<String>,
    /// Indicators shown, by id; empty: the usual set.
    #[serde(default)]
    pub indicators: Vec<String>,
    /// The district the indicators are for; `None`: the city.
    #[serde(default)]
    pub district: Option<String>,
    /// An indicator shown by district: the districts coloured by it, and ranked.
    #[serde(default)]
    pub theme: Option<String>,
    #[serde(default)]
    pub marks: Vec<Mark>,
}

/// What was drawn on a step, in one of a few strong colours.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mark {
    pub shape: MarkShape,
    /// RGBA.
    pub color: [u8; 4],
}

/// The shapes a presenter draws, by WGS84 positions `[lon, lat]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MarkShape {
    Pen {
        points: Vec<[f64; 2]>,
    },
    Arrow {
        from: [f64; 2],
        to: [f64; 2],
    },
    /// The ellipse inside the box with these opposite corners.
    Ellipse {
        from: [f64; 2],
        to: [f64; 2],
    },
    Text {
        at: [f64; 2],
        text: String,
    },
}
