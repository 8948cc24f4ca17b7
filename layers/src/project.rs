//! The project: all layers, their styles and saved views in one GeoPackage file.
//!
//! Layers are ordinary GeoPackage tables (QGIS opens them); Yitu's own settings live in an
//! attribute table `yitu_project` of key/JSON rows. Saving writes a complete new file beside the
//! target and renames it over the old one, so a crash mid-save leaves the previous file intact.

use std::path::Path;

use crate::attribute::AttrValue;
use crate::crs::Crs;
use crate::error::{LayersError, Result};
use crate::io::{ReadOptions, VectorFormat, read_ogr, write_layers};
use crate::layer::{Feature, Layer, LayerKind};
use crate::style::{Bookmark, LayerStyle, RasterRef};

/// Name of the settings table inside the GeoPackage.
const META_TABLE: &str = "yitu_project";
const FORMAT_VERSION: i64 = 1;

/// One layer of a project with its style.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectLayer {
    pub layer: Layer,
    pub style: LayerStyle,
}

/// Layer settings as stored in the settings table (the data itself is in its own table).
#[derive(serde::Serialize, serde::Deserialize)]
struct StoredLayer {
    name: String,
    kind: LayerKind,
    source_crs: String,
    style: LayerStyle,
}

/// Layers in drawing order (first drawn first, i.e. at the bottom), plus bookmarks.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Project {
    pub name: String,
    pub layers: Vec<ProjectLayer>,
    pub bookmarks: Vec<Bookmark>,
    /// Rasters shown with the project, by reference.
    pub rasters: Vec<RasterRef>,
    /// Stories for meetings (command-centre mode).
    pub stories: Vec<crate::story::Story>,
}

impl Project {
    pub fn layer(&self, kind: LayerKind) -> Option<&Layer> {
        self.layers
            .iter()
            .map(|l| &l.layer)
            .find(|l| l.kind == kind)
    }

    pub fn layer_by_name(&self, name: &str) -> Option<&ProjectLayer> {
        self.layers.iter().find(|l| l.layer.name == name)
    }

    /// Drawing position of the layer called `name`.
    pub fn layer_index(&self, name: &str) -> Option<usize> {
        self.layers.iter().position(|l| l.layer.name == name)
    }

    pub fn bookmark(&self, name: &str) -> Option<&Bookmark> {
        self.bookmarks.iter().find(|b| b.name == name)
    }

    /// Writes the project to `path` atomically (complete temp file, then rename). Saving over
    /// an offline copy of the shared store keeps it one (see [`crate::tracking`]).
    pub fn save(&self, path: &Path) -> Result<()> {
        self.write(path, false)
    }

    /// Writes the project to `path` as an offline copy: with its base recorded, so that what is
    /// edited in it afterwards, by any program, can be pushed back (see [`crate::tracking`]).
    pub fn save_copy(&self, path: &Path) -> Result<()> {
        self.write(path, true)
    }

    fn write(&self, path: &Path, copy: bool) -> Result<()> {
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let io_err = |error| LayersError::Io {
            path: path.to_path_buf(),
            error,
        };
        let staging = tempfile::Builder::new()
            .prefix(".yitu-save-")
            .tempdir_in(dir)
            .map_err(io_err)?;
        let temp = staging.path().join("project.gpkg");
        let meta = self.meta_layer()?;
        let mut all: Vec<&Layer> = self.layers.iter().map(|l| &l.layer).collect();
        all.push(&meta);
        write_layers(&temp, &all, Crs::Wgs84)?;
        if copy {
            crate::tracking::snapshot(&temp)?;
        } else if path.exists() {
            crate::tracking::carry_over(path, &temp)?;
        }
        std::fs::File::open(&temp)
            .and_then(|f| f.sync_all())
            .map_err(io_err)?;
        std::fs::rename(&temp, path).map_err(io_err)?;
        Ok(())
    }

    fn meta_layer(&self) -> Result<Layer> {
        let stored: Vec<StoredLayer> = self
            .layers
            .iter()
            .map(|l| StoredLayer {
                name: l.layer.name.clone(),
                kind: l.layer.kind,
                source_crs: l.layer.source_crs.clone(),
                style: l.style.clone(),
            })
            .collect();
        let json = |v: serde_json::Result<String>| {
            v.map(AttrValue::Text).map_err(|e| LayersError::BadFile {
                path: self.name.clone().into(),
                problem: e.to_string(),
            })
        };
        let mut meta = Layer::new(
            META_TABLE,
            LayerKind::Other,
            vec!["key".into(), "value".into()],
        );
        for (key, value) in [
            ("format_version", AttrValue::Int(FORMAT_VERSION)),
            ("name", AttrValue::Text(self.name.clone())),
            ("layers", json(serde_json::to_string(&stored))?),
            ("bookmarks", json(serde_json::to_string(&self.bookmarks))?),
            ("rasters", json(serde_json::to_string(&self.rasters))?),
            ("stories", json(serde_json::to_string(&self.stories))?),
        ] {
            meta.features.push(Feature {
                geometry: None,
                values: vec![AttrValue::Text(key.to_owned()), value],
            });
        }
        Ok(meta)
    }

    /// Opens a project GeoPackage. A GeoPackage without Yitu settings opens as a project of its
    /// layers with default styles.
    pub fn open(path: &Path) -> Result<Self> {
        if VectorFormat::from_path(path)? != VectorFormat::GeoPackage {
            return Err(LayersError::NotAProject {
                path: path.to_path_buf(),
                problem: "a project is a .gpkg file".to_owned(),
            });
        }
        let import = read_ogr(path, ReadOptions::default())?;
        let mut tables: Vec<Layer> = import.layers;
        let meta = tables
            .iter()
            .position(|l| l.name == META_TABLE)
            .map(|i| tables.remove(i));
        let bad = |problem: String| LayersError::NotAProject {
            path: path.to_path_buf(),
            problem,
        };
        let name_default = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("project")
            .to_owned();
        let Some(meta) = meta else {
            return Ok(Self {
                name: name_default,
                layers: tables
                    .into_iter()
                    .map(|layer| ProjectLayer {
                        layer,
                        style: LayerStyle::default(),
                    })
                    .collect(),
                bookmarks: Vec::new(),
                rasters: Vec::new(),
                stories: Vec::new(),
            });
        };
        let get = |key: &str| {
            meta.features
                .iter()
                .find(|f| f.values.first().and_then(AttrValue::as_str) == Some(key))
                .and_then(|f| f.values.get(1))
                .map(ToString::to_string)
        };
        let stored: Vec<StoredLayer> = serde_json::from_str(&get("layers").unwrap_or_default())
            .map_err(|e| bad(format!("layer settings: {e}")))?;
        let bookmarks: Vec<Bookmark> =
            serde_json::from_str(&get("bookmarks").unwrap_or_else(|| "[]".into()))
                .map_err(|e| bad(format!("bookmarks: {e}")))?;
        let rasters: Vec<RasterRef> =
            serde_json::from_str(&get("rasters").unwrap_or_else(|| "[]".into()))
                .map_err(|e| bad(format!("rasters: {e}")))?;
        let stories: Vec<crate::story::Story> =
            serde_json::from_str(&get("stories").unwrap_or_else(|| "[]".into()))
                .map_err(|e| bad(format!("stories: {e}")))?;
        let mut layers = Vec::new();
        for s in stored {
            let i = tables
                .iter()
                .position(|t| t.name == s.name)
                .ok_or_else(|| bad(format!("layer `{}` is listed but missing", s.name)))?;
            let mut layer = tables.remove(i);
            layer.kind = s.kind;
            layer.source_crs = s.source_crs;
            layers.push(ProjectLayer {
                layer,
                style: s.style,
            });
        }
        // Tables added by other tools (e.g. QGIS) still show, with default styles.
        layers.extend(tables.into_iter().map(|layer| ProjectLayer {
            layer,
            style: LayerStyle::default(),
        }));
        Ok(Self {
            name: get("name").unwrap_or(name_default),
            layers,
            bookmarks,
            rasters,
            stories,
        })
    }
}
