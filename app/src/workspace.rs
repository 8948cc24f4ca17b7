//! One open project and everything derived from it: its layers and rasters, detections and
//! their reviews, the draw, the route plan and its roads, the selection and the table. Opening
//! another project replaces the whole workspace, so nothing of one project reaches the next.

use std::sync::Arc;

use yitu_routing::dispatch::Plan;
use yitu_routing::network::RoadNetwork;

use crate::feature::{FeatureRef, LayerId};
use crate::panels::review::ReviewState;
use crate::panels::table::TableState;
use yitu_store::audit::AuditEntry;

use crate::state::monitoring::MonitoringRun;
use crate::state::store::Conflict;
use crate::state::{DrawOutcome, LoadedProject};

/// What the dispatcher made on the open project.
#[derive(Default)]
pub struct DispatchResults {
    pub draw: Option<DrawOutcome>,
    /// The last route plan, and the day its timeline shows.
    pub routes: Option<Plan>,
    pub day: usize,
    /// The roads the plan was made on (none for an estimate): a moved stop's routes follow them.
    pub roads: Option<Arc<RoadNetwork>>,
}

pub struct Workspace {
    pub loaded: LoadedProject,
    pub dispatch: DispatchResults,
    pub review: ReviewState,
    pub table: TableState,
    pub selection: Option<FeatureRef>,
    /// Features inside the selected area, per layer (see `LoadedProject::counts_inside`).
    pub selection_counts: Vec<(LayerId, usize)>,
    /// What this desk changed this frame in a store's layers: written back at the frame's end,
    /// one edit per feature.
    pub store_edits: Vec<(FeatureRef, &'static str)>,
    /// This desk's edits another desk beat, waiting for the user's choice.
    pub conflicts: Vec<Conflict>,
    /// The selected feature's history in the store.
    pub history: Option<(FeatureRef, Vec<AuditEntry>)>,
    /// The last monitoring data analysed for this project (shared with a save that keeps it).
    pub monitoring: Option<std::sync::Arc<MonitoringRun>>,
    /// The project's rivers as a network, built the first time a trace asks for it.
    pub basin: Option<crate::state::basins::Basin>,
    /// The last river trace.
    pub trace: Option<crate::state::basins::TraceRun>,
}

impl Workspace {
    pub fn new(mut loaded: LoadedProject) -> Self {
        let monitoring = loaded.monitoring.take().map(std::sync::Arc::new);
        Self {
            loaded,
            dispatch: DispatchResults::default(),
            review: ReviewState::default(),
            table: TableState::default(),
            selection: None,
            selection_counts: Vec::new(),
            store_edits: Vec::new(),
            conflicts: Vec::new(),
            history: None,
            monitoring,
            basin: None,
            trace: None,
        }
    }
}
