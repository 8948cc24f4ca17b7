//! # yitu-layers
//!
//! The bottom layer of Yitu: the feature model and everything that touches files and coordinates.
//!
//! - [`layer`], [`attribute`]: the in-memory model (WGS84 features with typed attribute values);
//! - [`registry`]: typed records of pollution sources, outfalls, sections, districts, rivers, teams;
//! - [`crs`], [`chinese_crs`]: EPSG systems through GDAL, and GCJ-02 / BD-09;
//! - [`io`]: GeoJSON, GeoPackage, Shapefile, KML and CSV through GDAL/OGR;
//! - [`index`]: an R*-tree per layer for identify, radius, polygon and nearest queries;
//! - [`project`], [`style`]: the project GeoPackage with styles and bookmarks, saved atomically;
//! - [`inspection`]: inspection results recorded on the draw and the route stops;
//! - [`tracking`]: what changed in an offline copy of the shared store since it was made;
//! - [`sql`]: quoting for SQL written by hand;
//! - [`blobs`]: binary data kept inside a project (a monitoring run's series).
//!
//! No GUI dependency may appear in this crate (checked in CI).

pub mod attribute;
pub mod blobs;
pub mod chinese_crs;
pub mod crs;
pub mod dem;
pub mod error;
pub mod geojson;
pub mod index;
pub mod inspection;
pub mod io;
pub mod jurisdiction;
pub mod layer;
pub mod project;
pub mod raster;
pub mod registry;
pub mod sql;
pub mod story;
pub mod style;
pub mod tracking;

pub use attribute::AttrValue;
pub use crs::Crs;
pub use error::{LayersError, Result, RowIssue};
pub use index::LayerIndex;
pub use layer::{Feature, Layer, LayerKind};
pub use project::{Project, ProjectLayer};
pub use story::{Mark, MarkShape, Story, StoryStep};
pub use style::{Bookmark, LayerStyle, RasterRef};
