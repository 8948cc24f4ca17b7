//! The prepared network's file (`YITU-ROADS-2`): little-endian arrays, written through a
//! temporary file.

use std::io::{Read, Write};
use std::path::Path;

use super::hierarchy::{NO_VIA, UpEdge, UpGraph};
use super::{RoadNetwork, Roads, Segment};
use crate::RoutingError;

impl RoadNetwork {
    /// Saves the prepared network (roads and hierarchy) to `path`, through a temporary file.
    pub fn save(&self, path: &Path) -> Result<(), RoutingError> {
        let io = |error| RoutingError::Io {
            path: path.to_path_buf(),
            error,
        };
        let dir = path.parent().unwrap_or_else(|| Path::new("."));
        let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(io)?;
        {
            let mut w = std::io::BufWriter::new(tmp.as_file_mut());
            w.write_all(MAGIC).map_err(io)?;
            write_u32s(&mut w, &[self.roads.nodes.len() as u32]).map_err(io)?;
            for p in &self.roads.nodes {
                w.write_all(&p[0].to_le_bytes()).map_err(io)?;
                w.write_all(&p[1].to_le_bytes()).map_err(io)?;
            }
            write_u32s(&mut w, &[self.roads.segments.len() as u32]).map_err(io)?;
            for s in &self.roads.segments {
                write_u32s(
                    &mut w,
                    &[s.from, s.to, s.seconds.to_bits(), s.metres.to_bits()],
                )
                .map_err(io)?;
            }
            for g in [&self.up_fwd, &self.up_bwd] {
                write_u32s(&mut w, &[g.first.len() as u32]).map_err(io)?;
                write_u32s(&mut w, &g.first).map_err(io)?;
                write_u32s(&mut w, &[g.edges.len() as u32]).map_err(io)?;
                for e in &g.edges {
                    write_u32s(&mut w, &[e.node, e.weight, e.metres.to_bits(), e.via])
                        .map_err(io)?;
                }
            }
            w.flush().map_err(io)?;
        }
        tmp.persist(path).map_err(|e| io(e.error))?;
        Ok(())
    }

    /// Loads a network [`RoadNetwork::save`] wrote.
    pub fn load(path: &Path) -> Result<Self, RoutingError> {
        let bad = |message: &str| RoutingError::Input {
            path: path.to_path_buf(),
            message: message.to_owned(),
        };
        let bytes = std::fs::read(path).map_err(|error| RoutingError::Io {
            path: path.to_path_buf(),
            error,
        })?;
        let body = bytes
            .strip_prefix(MAGIC)
            .ok_or_else(|| bad("not a prepared Yitu road network"))?;
        let mut r = Cursor { bytes: body, at: 0 };
        let truncated = || bad("the prepared network is truncated");
        let n = r.u32().ok_or_else(truncated)? as usize;
        let mut nodes = Vec::with_capacity(n.min(body.len() / 16));
        for _ in 0..n {
            nodes.push([
                r.f64().ok_or_else(truncated)?,
                r.f64().ok_or_else(truncated)?,
            ]);
        }
        let m = r.u32().ok_or_else(truncated)? as usize;
        let mut segments = Vec::with_capacity(m.min(body.len() / 16));
        for _ in 0..m {
            let v = r.u32x4().ok_or_else(truncated)?;
            segments.push(Segment {
                from: v[0],
                to: v[1],
                seconds: f32::from_bits(v[2]),
                metres: f32::from_bits(v[3]),
            });
        }
        let mut graphs = Vec::new();
        for _ in 0..2 {
            let f = r.u32().ok_or_else(truncated)? as usize;
            let first = r.u32s(f).ok_or_else(truncated)?;
            let e = r.u32().ok_or_else(truncated)? as usize;
            let mut edges = Vec::with_capacity(e.min(body.len() / 16));
            for _ in 0..e {
                let v = r.u32x4().ok_or_else(truncated)?;
                edges.push(UpEdge {
                    node: v[0],
                    weight: v[1],
                    metres: f32::from_bits(v[2]),
                    via: v[3],
                });
            }
            let consistent = first.len() == n + 1
                && first.windows(2).all(|w| w[0] <= w[1])
                && first.last().is_some_and(|&l| l as usize == edges.len())
                && edges
                    .iter()
                    .all(|e| (e.node as usize) < n && (e.via == NO_VIA || (e.via as usize) < n));
            if !consistent {
                return Err(bad("the prepared network is inconsistent"));
            }
            graphs.push(UpGraph { first, edges });
        }
        let segments_ok = segments
            .iter()
            .all(|s| (s.from as usize) < n && (s.to as usize) < n);
        if !segments_ok || r.at != body.len() {
            return Err(bad("the prepared network is inconsistent"));
        }
        let up_bwd = graphs.pop().unwrap_or_default();
        let up_fwd = graphs.pop().unwrap_or_default();
        Ok(Self::assemble(Roads { nodes, segments }, up_fwd, up_bwd))
    }
}

const MAGIC: &[u8] = b"YITU-ROADS-2\n";

fn write_u32s(w: &mut impl Write, values: &[u32]) -> std::io::Result<()> {
    for v in values {
        w.write_all(&v.to_le_bytes())?;
    }
    Ok(())
}

struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Cursor<'_> {
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        let out = self.bytes.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(out)
    }

    fn u32(&mut self) -> Option<u32> {
        let mut b = [0; 4];
        self.take(4)?.read_exact(&mut b).ok()?;
        Some(u32::from_le_bytes(b))
    }

    fn f64(&mut self) -> Option<f64> {
        let mut b = [0; 8];
        self.take(8)?.read_exact(&mut b).ok()?;
        Some(f64::from_le_bytes(b))
    }

    /// `n` numbers decoded from one slice: millions of them in a city's network.
    fn u32s(&mut self, n: usize) -> Option<Vec<u32>> {
        let bytes = self.take(n.checked_mul(4)?)?;
        Some(
            bytes
                .chunks_exact(4)
                .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect(),
        )
    }

    /// A record of four numbers (a segment, an up-edge), with no allocation. Written out
    /// rather than through `array::from_fn`, whose closure a release build did not always
    /// inline: the load of a city's network went from 0.3 s to 1.2 s.
    fn u32x4(&mut self) -> Option<[u32; 4]> {
        let b = self.take(16)?;
        Some([
            u32::from_le_bytes([b[0], b[1], b[2], b[3]]),
            u32::from_le_bytes([b[4], b[5], b[6], b[7]]),
            u32::from_le_bytes([b[8], b[9], b[10], b[11]]),
            u32::from_le_bytes([b[12], b[13], b[14], b[15]]),
        ])
    }
}
