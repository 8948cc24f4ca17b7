//! Sentinel-2 L1C/L2A band files: digital numbers → reflectance with the scaling from the
//! product metadata (`MTD_MSIL1C.xml` / `MTD_MSIL2A.xml` at the root of the `.SAFE` folder).
//!
//! `ρ = (DN + offset) / quantification`; since processing baseline 04.00 (January 2022) the
//! offset is −1000, before it 0 (ESA Sentinel-2 product specification).

use std::path::{Path, PathBuf};

/// Band order of the `band_id` attributes in the metadata.
const BANDS: [&str; 13] = [
    "B01", "B02", "B03", "B04", "B05", "B06", "B07", "B08", "B8A", "B09", "B10", "B11", "B12",
];

/// Reflectance scaling of one band.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct ReflectanceScale {
    pub band: &'static str,
    pub offset: f64,
    pub quantification: f64,
}

impl ReflectanceScale {
    /// Reflectance (0–1) for a digital number; 0 is the no-data value.
    pub fn reflectance(&self, dn: f64) -> Option<f64> {
        (dn > 0.0).then_some((dn + self.offset) / self.quantification)
    }
}

/// The band named in a Sentinel-2 image file name (`..._B04.jp2`, `..._B8A_20m.jp2`).
pub(crate) fn band_of(path: &Path) -> Option<&'static str> {
    let stem = path.file_stem()?.to_str()?.to_ascii_uppercase();
    BANDS
        .iter()
        .copied()
        .find(|b| stem.split('_').any(|part| part == *b))
}

/// The product metadata file above a band file inside a `.SAFE` folder.
pub(crate) fn metadata_file(path: &Path) -> Option<PathBuf> {
    path.ancestors().skip(1).take(6).find_map(|dir| {
        ["MTD_MSIL2A.xml", "MTD_MSIL1C.xml"]
            .iter()
            .map(|n| dir.join(n))
            .find(|p| p.is_file())
    })
}

/// The number inside the first `<tag ...>` element whose attributes contain `attr` (if given).
pub(crate) fn element_value(xml: &str, tag: &str, attr: Option<&str>) -> Option<f64> {
    let mut rest = xml;
    while let Some(i) = rest.find(&format!("<{tag}")) {
        rest = &rest[i + tag.len() + 1..];
        let close = rest.find('>')?;
        let (attrs, body) = (&rest[..close], &rest[close + 1..]);
        if attr.is_none_or(|a| attrs.contains(a)) {
            return body.split('<').next()?.trim().parse().ok();
        }
    }
    None
}

/// The reflectance scaling for a Sentinel-2 band file, when it sits in a `.SAFE` product with
/// its metadata; `None` for any other raster.
pub fn reflectance_scale(band_path: &Path) -> Option<ReflectanceScale> {
    let band = band_of(band_path)?;
    let xml = std::fs::read_to_string(metadata_file(band_path)?).ok()?;
    let id = BANDS.iter().position(|b| *b == band)?;
    let attr = format!("band_id=\"{id}\"");
    let quantification = element_value(&xml, "BOA_QUANTIFICATION_VALUE", None)
        .or_else(|| element_value(&xml, "QUANTIFICATION_VALUE", None))?;
    let offset = element_value(&xml, "BOA_ADD_OFFSET", Some(&attr))
        .or_else(|| element_value(&xml, "RADIO_ADD_OFFSET", Some(&attr)))
        .unwrap_or(0.0);
    Some(ReflectanceScale {
        band,
        offset,
        quantification,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn baseline_4_products_subtract_the_offset() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        let granule = dir.join("GRANULE/L2A_T48RYU/IMG_DATA/R10m");
        std::fs::create_dir_all(&granule).unwrap();
        std::fs::write(
            dir.join("MTD_MSIL2A.xml"),
            r#"<QUANTIFICATION_VALUES_LIST><BOA_QUANTIFICATION_VALUE unit="none">10000</BOA_QUANTIFICATION_VALUE>
               <BOA_ADD_OFFSET band_id="0">-1000</BOA_ADD_OFFSET><BOA_ADD_OFFSET band_id="3">-1000</BOA_ADD_OFFSET>
               </QUANTIFICATION_VALUES_LIST>"#,
        )
        .unwrap();
        let band = granule.join("T48RYU_20240301T033541_B04_10m.jp2");
        let s = reflectance_scale(&band).unwrap();
        assert_eq!(s.band, "B04");
        assert!((s.reflectance(2000.0).unwrap() - 0.1).abs() < 1e-12);
        assert_eq!(s.reflectance(0.0), None);
        assert_eq!(reflectance_scale(&dir.join("elsewhere.tif")), None);
    }
}
