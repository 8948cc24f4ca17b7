//! Side panels and bars around the map. Each renders state and pushes commands.

pub mod conflict;
pub mod dispatch;
pub mod file_dialog;
pub mod identify;
pub mod layers;
pub mod meeting;
pub mod monitoring;
pub mod monitoring_timeline;
pub mod photo_viewer;
pub mod review;
pub mod routes;
pub mod status;
pub mod table;
pub mod trace;
