//! Web-Mercator world coordinates (0–1 across the world, y down), shared by everything the
//! map draws.

/// Web-Mercator world coordinates, 0–1 across the world, y down.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct World {
    pub x: f64,
    pub y: f64,
}

impl World {
    pub fn from_lon_lat(lon: f64, lat: f64) -> Self {
        let lat = lat.clamp(-85.05, 85.05).to_radians();
        Self {
            x: (lon + 180.0) / 360.0,
            y: (1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / std::f64::consts::PI) / 2.0,
        }
    }

    /// The inverse of [`World::from_lon_lat`]: `(lon, lat)` in degrees.
    pub fn lon_lat(self) -> (f64, f64) {
        let lat = (std::f64::consts::PI * (1.0 - 2.0 * self.y))
            .sinh()
            .atan()
            .to_degrees();
        (self.x * 360.0 - 180.0, lat)
    }
}

/// Axis-aligned bounds in world units.
#[derive(Debug, Clone, Copy)]
pub struct WorldRect {
    pub min: World,
    pub max: World,
}

impl WorldRect {
    /// The bounds of `points` (inverted, min > max, when there are none).
    pub fn of(points: impl IntoIterator<Item = World>) -> Self {
        let mut r = Self {
            min: World {
                x: f64::MAX,
                y: f64::MAX,
            },
            max: World {
                x: f64::MIN,
                y: f64::MIN,
            },
        };
        for p in points {
            r.min.x = r.min.x.min(p.x);
            r.min.y = r.min.y.min(p.y);
            r.max.x = r.max.x.max(p.x);
            r.max.y = r.max.y.max(p.y);
        }
        r
    }

    pub fn centre(&self) -> World {
        World {
            x: f64::midpoint(self.min.x, self.max.x),
            y: f64::midpoint(self.min.y, self.max.y),
        }
    }

    pub fn intersects(&self, o: &Self) -> bool {
        self.min.x <= o.max.x
            && o.min.x <= self.max.x
            && self.min.y <= o.max.y
            && o.min.y <= self.max.y
    }
}
