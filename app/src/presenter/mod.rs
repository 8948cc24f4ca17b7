//! Command-centre mode (视频会商): the map and the indicators only, in large type and strong
//! colours, stepped through a story, played over time, drawn on, and written down as minutes.
//! The desk drives it; this module holds its state, `view` draws it and `marks` takes the
//! drawing.

pub mod marks;
pub mod second;
pub mod theme;
pub mod view;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::Receiver;

use yitu_command::indicators::{Indicators, Prepared, prepare};
use yitu_command::minutes::Snapshot;
use yitu_command::tables::Tables;
use yitu_layers::{Mark, Story};

use crate::state::LoadedProject;

/// The time slider over the project's dated layers (days since 1970).
#[derive(Debug, Clone, Default)]
pub struct TimeSlider {
    /// First and last day of the dated rows.
    pub span: Option<(i64, i64)>,
    /// Rows dated after this day are hidden and not counted; `None`: everything.
    pub until: Option<i64>,
    pub playing: bool,
    pub days_per_second: f64,
    /// Fractions of a day played but not yet shown.
    carry: f64,
}

impl TimeSlider {
    /// Advances a playing slider by `dt` seconds; says whether the day shown changed. It stops
    /// at the last day.
    pub fn tick(&mut self, dt: f64) -> bool {
        let (Some((first, last)), true) = (self.span, self.playing) else {
            return false;
        };
        self.carry += dt * self.days_per_second.max(0.1);
        let whole = self.carry.floor();
        if whole < 1.0 {
            return false;
        }
        self.carry -= whole;
        let next = (self.until.unwrap_or(first) + whole as i64).min(last);
        if next >= last {
            self.playing = false;
        }
        let changed = self.until != Some(next);
        self.until = Some(next);
        changed
    }
}

/// A snapshot asked for and not yet written: the capture, where it goes and what it records.
pub struct PendingShot {
    pub image: Receiver<Arc<egui::ColorImage>>,
    pub path: PathBuf,
    pub record: Snapshot,
}

/// Everything command-centre mode keeps between frames.
#[derive(Default)]
pub struct Presenter {
    /// The presenter frame fills the main window.
    pub on: bool,
    /// The story being shown, and its step.
    pub story: Option<Story>,
    pub step: usize,
    /// Seconds per step when the story plays by itself (0: by hand).
    pub auto_seconds: f64,
    pub step_started: f64,
    pub time: TimeSlider,
    pub tool: marks::MarkTool,
    /// The marks of the step shown.
    pub marks: Vec<Mark>,
    prepared: Option<(Prepared, bool)>,
    indicators: Option<Indicators>,
    /// The indicators are counted again (the time shown changed) before the next frame.
    pub dirty: bool,
    /// The layers may have changed: their rows are read again before the next frame.
    pub stale: bool,
    /// The indicator the desk shows by district (ranking and choropleth).
    pub theme: Option<String>,
    /// The indicator the districts are coloured by now (their own colours to put back).
    pub coloured: Option<String>,
    /// This meeting's snapshots, for its minutes.
    pub snapshots: Vec<Snapshot>,
    pub meeting: Option<PathBuf>,
    pub pending: Option<PendingShot>,
}

impl Presenter {
    /// The indicators for the time shown, recomputed when something changed.
    pub fn indicators(&mut self, loaded: &LoadedProject, zh: bool) -> &Indicators {
        if self.stale || self.prepared.as_ref().is_none_or(|p| p.1 != zh) {
            let tables = tables(loaded);
            self.prepared = Some((prepare(&tables, zh), zh));
            self.stale = false;
            self.dirty = true;
        }
        if self.dirty || self.indicators.is_none() {
            self.indicators = self.prepared.as_ref().map(|p| p.0.count(self.time.until));
            self.dirty = false;
        }
        self.indicators
            .get_or_insert_with(|| prepare(&Tables::from_layers(&[]), zh).count(None))
    }

    /// The indicator shown by district (ranking and choropleth): the step's, else the desk's.
    pub fn theme(&self) -> Option<String> {
        self.current()
            .and_then(|s| s.theme.clone())
            .or_else(|| self.theme.clone())
    }

    /// The step's marks with the one being drawn, as every frame that shows them draws them.
    pub fn marks_shown(&self) -> Vec<Mark> {
        self.marks
            .iter()
            .cloned()
            .chain(self.tool.in_progress())
            .collect()
    }

    /// The step shown, if a story is.
    pub fn current(&self) -> Option<&yitu_layers::StoryStep> {
        self.story.as_ref()?.steps.get(self.step)
    }
}

/// The project's layers as the indicators read them.
pub fn tables(loaded: &LoadedProject) -> Tables<'_> {
    Tables::from_layers(&loaded.layers.data().map(|l| &l.layer).collect::<Vec<_>>())
}

/// Per map layer, the features the time shown hides (dated after it).
pub fn apply_time(loaded: &mut LoadedProject, until: Option<i64>) {
    for l in &mut loaded.layers {
        let dated = yitu_command::timeline::DATE_FIELDS
            .iter()
            .any(|f| l.data.layer.field_index(f).is_some());
        l.drawing.hidden = match (until, dated) {
            (Some(u), true) => yitu_command::timeline::shown(&l.data.layer, u)
                .map(|shown| shown.iter().map(|s| !s).collect()),
            _ => None,
        };
    }
}
