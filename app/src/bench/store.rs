//! The shared store's figures (issue #20): the city registry loaded into PostGIS, and how long
//! opening it takes.

use std::time::Instant;

use crate::jobs::Progress;
use crate::state::{ProjectSource, load};

/// Figures for a store at a given URL.
#[derive(Debug, serde::Serialize)]
pub struct StoreReport {
    pub sources: usize,
    /// `store init` of the city-scale registry (tables, rules, district roles).
    pub init_seconds: f64,
    /// Reading the project back (median of three).
    pub read_seconds: f64,
    /// The app's whole open of the store, as `yitu open postgres://…` does it (reading, then
    /// preparing every layer for the map).
    pub open_seconds: f64,
    /// Ten desks editing the same 100 sources at once.
    pub concurrent_edits: super::store_edits::EditsReport,
    /// An offline copy with 1,000 field edits pushed back.
    pub sync: super::store_edits::SyncReport,
    /// Another desk's edit reaching an open desk.
    pub live: super::store_edits::LiveReport,
}

const READS: usize = 3;

/// Loads the city registry into the empty database at `url`, times reading and opening it,
/// then ten desks editing it for `edit_seconds` and a sync of 1,000 field edits.
pub fn run(url: &str, edit_seconds: f64) -> anyhow::Result<StoreReport> {
    let project = yitu_sample_data::city_scale_project();
    let sources = project
        .layer(yitu_layers::LayerKind::PollutionSources)
        .map_or(0, |l| l.features.len());
    let mut client = yitu_store::connect(url)?;
    let start = Instant::now();
    yitu_store::init::init(&mut client, &project)?;
    let init_seconds = start.elapsed().as_secs_f64();
    let mut reads = Vec::new();
    for _ in 0..READS {
        let start = Instant::now();
        yitu_store::read::project(&mut client)?;
        reads.push(start.elapsed().as_secs_f64());
    }
    reads.sort_by(f64::total_cmp);
    let start = Instant::now();
    load(&ProjectSource::Store(url.to_owned()), &Progress::default())?;
    let open_seconds = start.elapsed().as_secs_f64();
    Ok(StoreReport {
        sources,
        init_seconds,
        read_seconds: reads[READS / 2],
        open_seconds,
        concurrent_edits: super::store_edits::edits(url, edit_seconds)?,
        sync: super::store_edits::sync(url, 1000)?,
        live: super::store_edits::live(url, 20)?,
    })
}
