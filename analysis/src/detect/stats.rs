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

/// Median and robust standard deviation (1.4826 · MAD) of `values` (reordered in place).
pub fn median_sigma(values: &mut [f32]) -> Option<(f32, f32)> {
    let m = median(values)?;
    for v in values.iter_mut() {
        *v = (*v - m).abs();
    }
    let mad = median(values)?;
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
        let mut v = vec![10.0, 11.0, 9.0, 10.0, 500.0];
        let (m, s) = median_sigma(&mut v).unwrap();
        assert!((m - 10.0).abs() < 1e-6 && (s - MAD_TO_SIGMA).abs() < 1e-5);
        assert!(median(&mut []).is_none());
    }
}
