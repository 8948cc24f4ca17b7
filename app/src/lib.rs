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
pub mod bench;
pub mod cli;
pub mod command;
pub mod feature;
pub mod fonts;
pub mod i18n;
pub mod jobs;
pub mod map;
pub mod panels;
pub mod raster;
pub mod screenshot;
pub mod state;
pub mod texture_cache;
pub mod theme;
pub mod workspace;
