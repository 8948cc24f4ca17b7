//! Who answers for a place: the district polygon it lies in (its `code`, else `adcode`, else
//! `name`) and the province (a `province` field, else the GB/T 2260 code's first two digits).

use geo::{Coord, Point};
use yitu_layers::{Layer, LayerIndex};

/// A district and its province.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct District {
    pub code: String,
    pub name: String,
    pub province: String,
}

/// District polygons with their index.
pub struct Districts {
    layers: Vec<(Layer, LayerIndex, Vec<District>)>,
}

/// GB/T 2260 province codes (first two digits) and their names.
const PROVINCES: [(&str, &str); 34] = [
    ("11", "北京市"),
    ("12", "天津市"),
    ("13", "河北省"),
    ("14", "山西省"),
    ("15", "内蒙古自治区"),
    ("21", "辽宁省"),
    ("22", "吉林省"),
    ("23", "黑龙江省"),
    ("31", "上海市"),
    ("32", "江苏省"),
    ("33", "浙江省"),
    ("34", "安徽省"),
    ("35", "福建省"),
    ("36", "江西省"),
    ("37", "山东省"),
    ("41", "河南省"),
    ("42", "湖北省"),
    ("43", "湖南省"),
    ("44", "广东省"),
    ("45", "广西壮族自治区"),
    ("46", "海南省"),
    ("50", "重庆市"),
    ("51", "四川省"),
    ("52", "贵州省"),
    ("53", "云南省"),
    ("54", "西藏自治区"),
    ("61", "陕西省"),
    ("62", "甘肃省"),
    ("63", "青海省"),
    ("64", "宁夏回族自治区"),
    ("65", "新疆维吾尔自治区"),
    ("71", "台湾省"),
    ("81", "香港特别行政区"),
    ("82", "澳门特别行政区"),
];

impl Districts {
    /// Districts from polygon layers (Chongqing's first, then its neighbours').
    pub fn new(layers: Vec<Layer>) -> Self {
        let layers = layers
            .into_iter()
            .map(|layer| {
                let index = LayerIndex::build(&layer);
                let districts = (0..layer.features.len())
                    .map(|i| {
                        let code = layer
                            .text(
                                i,
                                &["code", "adcode", "district_adcode", "name", "district_name"],
                            )
                            .unwrap_or_else(|| format!("#{i}"));
                        let name = layer
                            .text(i, &["name", "district_name"])
                            .unwrap_or_else(|| code.clone());
                        let province = layer
                            .text(i, &["province", "province_name"])
                            .unwrap_or_else(|| {
                                PROVINCES
                                    .iter()
                                    .find(|(p, _)| code.len() == 6 && code.starts_with(p))
                                    .map_or_else(String::new, |(_, n)| (*n).to_owned())
                            });
                        District {
                            code,
                            name,
                            province,
                        }
                    })
                    .collect();
                (layer, index, districts)
            })
            .collect();
        Self { layers }
    }

    /// The layers back, to join with another file's.
    pub fn into_layers(self) -> Vec<Layer> {
        self.layers.into_iter().map(|(l, _, _)| l).collect()
    }

    /// The district containing a point.
    pub fn at(&self, c: Coord<f64>) -> Option<&District> {
        self.layers.iter().find_map(|(layer, index, districts)| {
            let i = index
                .identify(layer, Point::from(c), 0.0)
                .into_iter()
                .next()?;
            districts.get(i)
        })
    }
}
