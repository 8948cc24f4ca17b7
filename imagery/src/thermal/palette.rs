//! Thermal palettes as 256-entry lookup tables, and temperature → colour mapping with a range.
//! The same tables feed the CPU path (photo viewer) and the GPU raster shader as a texture.

/// The palettes thermal analysts expect (DJI Thermal Analysis Tool / FLIR Tools names).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Palette {
    #[default]
    Ironbow,
    Rainbow,
    Grey,
    WhiteHot,
    BlackHot,
}

impl Palette {
    pub const ALL: [Self; 5] = [
        Self::Ironbow,
        Self::Rainbow,
        Self::Grey,
        Self::WhiteHot,
        Self::BlackHot,
    ];

    /// Colour stops from cold (0) to hot (1).
    fn stops(self) -> &'static [(f32, [u8; 3])] {
        match self {
            Self::Ironbow => &[
                (0.0, [0, 0, 0]),
                (0.2, [32, 0, 140]),
                (0.4, [150, 0, 150]),
                (0.6, [230, 70, 20]),
                (0.8, [255, 180, 0]),
                (1.0, [255, 255, 230]),
            ],
            Self::Rainbow => &[
                (0.0, [0, 0, 130]),
                (0.25, [0, 120, 255]),
                (0.5, [0, 220, 80]),
                (0.75, [255, 220, 0]),
                (1.0, [220, 0, 0]),
            ],
            Self::Grey | Self::WhiteHot => &[(0.0, [0, 0, 0]), (1.0, [255, 255, 255])],
            Self::BlackHot => &[(0.0, [255, 255, 255]), (1.0, [0, 0, 0])],
        }
    }

    /// The 256-entry table, index 0 coldest.
    pub fn lut(self) -> Vec<[u8; 3]> {
        let stops = self.stops();
        (0..256)
            .map(|i| {
                let t = i as f32 / 255.0;
                let k = stops
                    .windows(2)
                    .position(|w| t <= w[1].0)
                    .unwrap_or(stops.len() - 2);
                let ((t0, c0), (t1, c1)) = (stops[k], stops[k + 1]);
                let f = if t1 > t0 { (t - t0) / (t1 - t0) } else { 0.0 };
                let mix =
                    |a: u8, b: u8| (f32::from(a) + (f32::from(b) - f32::from(a)) * f).round() as u8;
                [mix(c0[0], c1[0]), mix(c0[1], c1[1]), mix(c0[2], c1[2])]
            })
            .collect()
    }
}

/// Pixels at or above a temperature, painted in one colour over the palette (an isotherm).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Isotherm {
    pub at_least: f32,
    pub color: [u8; 3],
}

/// RGBA pixels for temperatures in `[min, max]`; values equal to `nodata` are transparent;
/// values at or above the isotherm take its colour.
pub fn colorize(
    values: &[f32],
    (min, max): (f32, f32),
    palette: Palette,
    nodata: f32,
    isotherm: Option<Isotherm>,
) -> Vec<[u8; 4]> {
    let lut = palette.lut();
    let span = (max - min).max(f32::EPSILON);
    values
        .iter()
        .map(|&v| {
            if v.to_bits() == nodata.to_bits() || !v.is_finite() {
                return [0, 0, 0, 0];
            }
            let [r, g, b] = match isotherm {
                Some(iso) if v >= iso.at_least => iso.color,
                _ => lut[(((v - min) / span).clamp(0.0, 1.0) * 255.0).round() as usize],
            };
            [r, g, b, 255]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_run_from_cold_to_hot() {
        assert_eq!(Palette::WhiteHot.lut()[0], [0, 0, 0]);
        assert_eq!(Palette::WhiteHot.lut()[255], [255, 255, 255]);
        assert_eq!(Palette::BlackHot.lut()[255], [0, 0, 0]);
        let iron = Palette::Ironbow.lut();
        assert_eq!(iron.len(), 256);
        assert_eq!(iron[255], [255, 255, 230]);
    }

    #[test]
    fn colorize_clamps_and_keeps_nodata_transparent() {
        let px = colorize(
            &[-5.0, 10.0, 50.0, -9999.0],
            (0.0, 40.0),
            Palette::Grey,
            -9999.0,
            None,
        );
        assert_eq!(px[0], [0, 0, 0, 255]);
        assert_eq!(px[2], [255, 255, 255, 255]);
        assert_eq!(px[3][3], 0);
        assert_eq!(px[1][0], 64);
    }

    #[test]
    fn the_isotherm_paints_everything_at_or_above_it() {
        let iso = Isotherm {
            at_least: 30.0,
            color: [0, 255, 0],
        };
        let px = colorize(
            &[29.9, 30.0, 45.0],
            (0.0, 40.0),
            Palette::Ironbow,
            -9999.0,
            Some(iso),
        );
        assert_ne!(px[0], [0, 255, 0, 255]);
        assert_eq!(px[1], [0, 255, 0, 255]);
        assert_eq!(px[2], [0, 255, 0, 255]);
    }
}
