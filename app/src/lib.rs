//! # yitu-app
//!
//! The desktop app and the CLI: UI only. Every analysis it shows comes from `yitu-analysis` and
//! `yitu-layers`; this crate draws state and turns user intent into [`command::Command`]s.
//!
//! - [`cli`]: the `yitu` verbs; [`app`]: the eframe app; [`map_view`], [`render`], [`prepared`]:
//!   the map; [`panels`]: layer list, attribute table, identify, status bar, file dialog;
//! - [`jobs`]: named, cancellable background jobs; [`state`]: loading and importing off the UI thread;
//! - [`bench`](mod@bench): `yitu bench`.

pub mod app;
pub mod basemap;
pub mod bench;
pub mod cli;
pub mod command;
pub mod fonts;
pub mod gpu_raster;
pub mod i18n;
pub mod jobs;
pub mod map_view;
pub mod measure;
pub mod panels;
pub mod prepared;
pub mod raster_overlay;
pub mod raster_tiles;
pub mod render;
pub mod screenshot;
pub mod state;
pub mod texture_cache;
pub mod theme;
pub mod thumbnails;
pub mod workspace;
