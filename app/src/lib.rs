//! # yitu-app
//!
//! The desktop app and the CLI: UI only. Every analysis it shows comes from the domain crates
//! (`yitu-imagery`, `yitu-draw`, `yitu-routing`) and `yitu-layers`; this crate draws state and
//! turns user intent into [`command::Command`]s.
//!
//! - [`cli`]: the `yitu` verbs; [`app`]: the eframe app; [`map`]: the map; [`raster`]: rasters
//!   on it; [`panels`]: layer list, attribute table, identify, review, draw, routes, dialogs;
//! - [`workspace`]: the open project and what is derived from it; [`jobs`]: the background
//!   jobs; [`state`]: loading, importing and the domain work the jobs run;
//! - [`bench`](mod@bench): `yitu bench`.

pub mod app;
pub mod bench;
pub mod cli;
pub mod command;
pub mod feature;
pub mod fonts;
pub mod i18n;
pub mod jobs;
pub mod map;
pub mod panels;
pub mod presenter;
pub mod raster;
pub mod screenshot;
pub mod state;
pub mod texture_cache;
pub mod theme;
pub mod workspace;
