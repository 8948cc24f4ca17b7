//! Basemaps: none (the district polygons are the map, fully offline), an offline PMTiles file,
//! or online XYZ sources. Online sources fail quietly offline: the vector layers still draw.

use walkers::sources::{Attribution, TileSource};
use walkers::{HttpTiles, TileId, Tiles};

#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum Basemap {
    /// No tiles: the district polygons themselves.
    #[default]
    None,
    /// An offline `.pmtiles` raster archive.
    PmTiles(String),
    OpenStreetMap,
    /// 天地图 vector tiles, with the user's key.
    Tianditu(String),
}

/// 天地图 (Tianditu) web-Mercator vector basemap.
struct Tianditu {
    key: String,
}

impl TileSource for Tianditu {
    fn tile_url(&self, t: TileId) -> String {
        format!(
            "https://t{}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=vec&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={}&TILEROW={}&TILECOL={}&tk={}",
            (t.x + t.y) % 8,
            t.zoom,
            t.y,
            t.x,
            self.key
        )
    }

    fn attribution(&self) -> Attribution {
        Attribution {
            text: "天地图 Tianditu",
            url: "https://www.tianditu.gov.cn",
            logo_light: None,
            logo_dark: None,
        }
    }

    fn max_zoom(&self) -> u8 {
        18
    }
}

impl Basemap {
    /// A PMTiles file or a Tianditu key not given yet: nothing to draw until it is.
    pub fn needs_input(&self) -> bool {
        matches!(self, Self::PmTiles(s) | Self::Tianditu(s) if s.is_empty())
    }

    /// The tile provider for this basemap; `None` draws no tiles.
    pub fn tiles(&self, ctx: &egui::Context) -> Option<Box<dyn Tiles>> {
        match self {
            Self::None => None,
            Self::PmTiles(path) => Some(Box::new(walkers::PmTiles::new(path, ctx.clone()))),
            Self::OpenStreetMap => Some(Box::new(HttpTiles::new(
                walkers::sources::OpenStreetMap,
                ctx.clone(),
            ))),
            Self::Tianditu(key) => Some(Box::new(HttpTiles::new(
                Tianditu { key: key.clone() },
                ctx.clone(),
            ))),
        }
    }
}
