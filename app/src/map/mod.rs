//! The map: layers prepared in world coordinates and drawn as egui shapes over a basemap,
//! with photo thumbnails, measuring and the view's state.

pub mod basemap;
pub mod layers;
pub mod measure;
pub mod prepared;
pub mod render;
pub mod thumbnails;
pub mod trace;
pub mod underlay;
pub mod view;
pub mod world;
