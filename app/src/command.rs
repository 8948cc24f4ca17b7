//! What views ask for. Views render state and push commands; the app applies them once, at the
//! end of the frame.

use std::path::PathBuf;

use crate::feature::{FeatureRef, LayerId};

#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Open a project GeoPackage, or a shared store given as its `postgres://` URL.
    OpenProject(PathBuf),
    LoadSample,
    SaveProject(PathBuf),
    Import {
        path: PathBuf,
        options: yitu_layers::io::ReadOptions,
    },
    Select(Option<FeatureRef>),
    ZoomTo(FeatureRef),
    GoToBookmark(String),
    /// Centre the map on a point at a zoom level.
    ZoomAt {
        lon: f64,
        lat: f64,
        zoom: f64,
    },
    AddBookmark(yitu_layers::Bookmark),
    SetVisible {
        layer: LayerId,
        visible: bool,
    },
    SetOpacity {
        layer: LayerId,
        opacity: f32,
    },
    /// Colour the layer by this field's values (`None`: one colour).
    SetCategoryField {
        layer: LayerId,
        field: Option<String>,
    },
    MoveLayer {
        layer: LayerId,
        up: bool,
    },
    ShowTable(LayerId),
    ToggleLanguage,
    /// Open the file dialog for this purpose.
    OpenDialog(crate::panels::file_dialog::Purpose),
    /// Show or hide the draw window.
    ToggleDispatch,
    /// Show or hide the monitoring window.
    ToggleMonitoring,
    /// Analyse a folder of monitoring data for the project's firms.
    AnalyseMonitoring(PathBuf),
    /// Write the evidence of row N of the anomalies layer beside the saved project.
    ExportMonitoringEvidence(usize),
    /// Show or hide the river-trace window (and its tool).
    ToggleTrace,
    /// Trace the project's rivers from the reach nearest this point (the tool's settings).
    TraceFrom {
        lon: f64,
        lat: f64,
        /// What was clicked: a feature's label, or empty for a place on a river.
        label: String,
    },
    ClearTrace,
    /// Write the last trace's joint-check lists beside the saved project.
    ExportTraceLists,
    /// Add the last trace's firms as targeted checks, and its districts as cross-check
    /// pairs, to the draw window's plan.
    AddTraceToDraw,
    /// Enter or leave command-centre mode (the presenter frame).
    TogglePresenter,
    /// Show a second window with the presenter frame on this monitor (`None`: close it).
    PresentOn(Option<usize>),
    /// Move through the story by this many steps.
    StoryStep(isize),
    /// Show dated data up to this day (days since 1970; `None`: all of it).
    SetTime(Option<i64>),
    /// A mark drawn on the presentation, kept with the step shown.
    AddMark(yitu_layers::Mark),
    UndoMark,
    ClearMarks,
    /// The current view added to the story as a step, with this caption.
    AddStep(String),
    /// The step shown taken out of the story.
    RemoveStep,
    /// The step shown takes the desk's view, layers, time and theme.
    UpdateStep,
    /// Move the step shown earlier (negative) or later in the story.
    MoveStep(isize),
    /// The story was edited on the desk (a caption): kept with the project.
    StoryEdited,
    /// Save the presenter frame as a PNG into the meeting's folder.
    Snapshot,
    /// Write the meeting's minutes (会商纪要) with every snapshot.
    WriteMinutes,
    /// Clear the messages (and the offer to retry an import).
    DismissMessages,
    SetBasemap(crate::map::basemap::Basemap),
    /// Display settings of the raster at this position.
    SetRasterView {
        raster: usize,
        view: crate::raster::overlay::RasterView,
    },
    RemoveRaster(usize),
    /// Read the raster's detail tiles again after a cancel.
    ResumeRasterTiles(usize),
    /// Compare the two top rasters with a swipe at this fraction of the map's width.
    SetSwipe(Option<f32>),
    /// A new raster from a band-math expression over the raster at this position.
    BandMath {
        raster: usize,
        expression: String,
    },
    /// Build overviews inside a raster file (the user agreed to modify it).
    BuildOverviews(PathBuf),
    /// Run detection on a thermal raster file against the project's registry.
    Detect(PathBuf),
    /// Write the evidence (chip and sheet) of a detection beside the saved project.
    ExportEvidence(FeatureRef),
    /// Run the 双随机 draw on the project's sources.
    Draw(crate::state::DrawRequest),
    /// Write the last draw's record, announcement and task list beside the saved project.
    PublishDraw,
    /// The draw plan's district pairs replaced by nearby ones (交叉执法 within a day's reach).
    PairNearbyDistricts,
    /// Plan the last draw's inspections over the teams and days.
    PlanRoutes(crate::state::RouteRequest),
    /// Write the last plan's task sheets, GPX, KML and stop lists beside the saved project.
    ExportRoutes,
    /// Move a planned (or left-out) task to a team and day: re-planned at once.
    MoveStop {
        task: usize,
        team: usize,
        day: usize,
    },
    /// The firm's inspection made, with what it found: recorded on the draw and the stops.
    RecordInspection {
        source_id: String,
        finding: yitu_layers::inspection::Finding,
    },
    /// Set a text attribute of a feature (a review decision or note); the field is added to
    /// the layer when it lacks it.
    SetAttribute {
        feature: FeatureRef,
        field: &'static str,
        value: String,
    },
    /// Settle the first of this desk's edits another desk beat: write ours over theirs, or
    /// take theirs.
    ResolveConflict {
        keep_mine: bool,
    },
}
