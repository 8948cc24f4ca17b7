//! The JPEG segment structure: what precedes the image data (APPn metadata, frame header).

/// Whether a path names a JPEG by its extension (`.jpg` / `.jpeg`, any case).
pub fn is_jpeg_path(path: &std::path::Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "jpg" | "jpeg"))
}

/// A malformed JPEG, with where it broke.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct JpegError(pub String);

/// One marker segment before the scan: marker byte (e.g. `0xE1` for APP1) and payload.
pub struct Segment<'a> {
    pub marker: u8,
    pub payload: &'a [u8],
}

/// The metadata segments of a JPEG, up to the start of the image data.
pub fn segments(jpeg: &[u8]) -> Result<Vec<Segment<'_>>, JpegError> {
    let mut out = Vec::new();
    walk(jpeg, &mut out)?;
    Ok(out)
}

/// The complete segments at the start of `prefix` (the first bytes of a JPEG), for metadata
/// that sits early in the file (EXIF is the first segment) without reading the whole file.
pub fn leading_segments(prefix: &[u8]) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    // Running out of bytes is expected here: what was complete is kept.
    walk(prefix, &mut out).ok();
    out
}

fn walk<'a>(jpeg: &'a [u8], out: &mut Vec<Segment<'a>>) -> Result<(), JpegError> {
    if !jpeg.starts_with(&[0xFF, 0xD8]) {
        return Err(JpegError("not a JPEG (no SOI marker)".into()));
    }
    let mut i = 2;
    loop {
        let ended = || {
            JpegError(format!(
                "the file ends at byte {i} before the image data (truncated?)"
            ))
        };
        let (&ff, &marker) = jpeg.get(i).zip(jpeg.get(i + 1)).ok_or_else(ended)?;
        if ff != 0xFF {
            return Err(JpegError(format!(
                "broken JPEG marker at byte {i} (truncated?)"
            )));
        }
        if marker == 0xDA || marker == 0xD9 {
            return Ok(());
        }
        if i + 4 > jpeg.len() {
            return Err(ended());
        }
        let len = usize::from(u16::from_be_bytes([jpeg[i + 2], jpeg[i + 3]]));
        let end = i + 2 + len;
        if len < 2 || end > jpeg.len() {
            return Err(JpegError(format!(
                "JPEG segment at byte {i} runs past the end (truncated?)"
            )));
        }
        out.push(Segment {
            marker,
            payload: &jpeg[i + 4..end],
        });
        i = end;
    }
}

/// Image width and height from the frame header (SOF0–SOF15 except DHT/JPG/DAC markers).
pub fn dimensions(segments: &[Segment<'_>]) -> Option<(usize, usize)> {
    segments
        .iter()
        .find(|s| matches!(s.marker, 0xC0..=0xCF) && !matches!(s.marker, 0xC4 | 0xC8 | 0xCC))
        .and_then(|s| {
            let p = s.payload;
            let h = u16::from_be_bytes([*p.get(1)?, *p.get(2)?]);
            let w = u16::from_be_bytes([*p.get(3)?, *p.get(4)?]);
            Some((usize::from(w), usize::from(h)))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_segments_and_frame_size() {
        let jpeg = [
            0xFF, 0xD8, // SOI
            0xFF, 0xE1, 0x00, 0x05, b'a', b'b', b'c', // APP1 "abc"
            0xFF, 0xC0, 0x00, 0x08, 8, 0x02, 0x00, 0x02, 0x80, 3, // SOF0 640×512 (h then w)
            0xFF, 0xDA, // SOS
        ];
        let segs = segments(&jpeg).unwrap();
        assert_eq!(segs.len(), 2);
        assert_eq!(segs[0].payload, b"abc");
        assert_eq!(dimensions(&segs), Some((640, 512)));
    }

    #[test]
    fn truncation_is_reported() {
        let e = segments(&[0xFF, 0xD8, 0xFF, 0xE1, 0x10, 0x00, 1, 2])
            .err()
            .unwrap();
        assert!(e.0.contains("truncated"));
    }
}
