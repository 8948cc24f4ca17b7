//! Robust statistics: median and MAD by selection, not sorting.

/// Scale from the median absolute deviation to a normal standard deviation.
pub const MAD_TO_SIGMA: f32 = 1.4826;

/// Median of `values` (reordered in place); `None` when empty.
pub fn median(values: &mut [f32]) -> Option<f32> {
    if values.is_empty() {
        return None;
    }
    let mid = values.len() / 2;
    let (_, m, _) = values.select_nth_unstable_by(mid, f32::total_cmp);
    Some(*m)
}

/// Median and robust standard deviation (1.4826 · MAD) of `values`.
pub fn median_sigma(values: &[f32]) -> Option<(f32, f32)> {
    median_sigma_of_keys(&mut values.iter().copied().map(order_key).collect::<Vec<_>>())
}

/// A key whose order as an unsigned integer is [`f32::total_cmp`]'s: a selection over keys
/// compares integers, about twice as fast, and picks the same values.
pub fn order_key(v: f32) -> u32 {
    let bits = v.to_bits();
    if bits & 0x8000_0000 == 0 {
        bits | 0x8000_0000
    } else {
        !bits
    }
}

/// The value of an [`order_key`].
pub fn from_order_key(key: u32) -> f32 {
    f32::from_bits(if key & 0x8000_0000 == 0 {
        !key
    } else {
        key & 0x7FFF_FFFF
    })
}

/// [`median_sigma`] of values given as [`order_key`]s, which it reorders and overwrites.
pub fn median_sigma_of_keys(keys: &mut [u32]) -> Option<(f32, f32)> {
    if keys.is_empty() {
        return None;
    }
    let mid = keys.len() / 2;
    let m = from_order_key(*keys.select_nth_unstable(mid).1);
    // Absolute deviations are never negative: their bits order them as `total_cmp` does.
    for k in keys.iter_mut() {
        *k = (from_order_key(*k) - m).abs().to_bits();
    }
    let mad = f32::from_bits(*keys.select_nth_unstable(mid).1);
    Some((m, MAD_TO_SIGMA * mad))
}

/// Logistic function.
pub fn logistic(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_and_sigma_ignore_outliers() {
        let mut v = vec![1.0, 2.0, 3.0, 4.0, 1000.0];
        assert_eq!(median(&mut v), Some(3.0));
        let v = vec![10.0, 11.0, 9.0, 10.0, 500.0];
        let (m, s) = median_sigma(&v).unwrap();
        assert!((m - 10.0).abs() < 1e-6 && (s - MAD_TO_SIGMA).abs() < 1e-5);
        assert!(median(&mut []).is_none());
        let v = [-3.5_f32, -0.0, 0.0, 2.25, f32::INFINITY, -1e-30];
        let mut sorted = v;
        sorted.sort_by(f32::total_cmp);
        let mut keys: Vec<u32> = v.iter().copied().map(order_key).collect();
        keys.sort_unstable();
        let back: Vec<f32> = keys.into_iter().map(from_order_key).collect();
        let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&back), bits(&sorted));
    }
}
