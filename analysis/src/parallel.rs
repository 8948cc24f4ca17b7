//! Work split over the machine's cores on scoped threads: parts of an image side by side, the
//! results in the parts' order, so what is computed does not depend on how it was split.

/// The machine's cores: how many parts parallel work is split into.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(2, std::num::NonZero::get)
}

/// `work` on each item, the items side by side in a few parts per core (which evens out items
/// of very different sizes, such as regions), the results in the items' order.
pub fn map_in_parts<T: Send, R: Send>(items: Vec<T>, work: impl Fn(T) -> R + Sync) -> Vec<R> {
    let per_part = items.len().div_ceil(4 * cores()).max(1);
    let mut parts: Vec<Vec<T>> = Vec::new();
    let mut items = items.into_iter().peekable();
    while items.peek().is_some() {
        parts.push(items.by_ref().take(per_part).collect());
    }
    on_each(parts, |part| {
        part.into_iter().map(&work).collect::<Vec<R>>()
    })
    .into_iter()
    .flatten()
    .collect()
}

/// `work` on each part, each part on a thread of its own, or on the calling thread when there
/// is only one (work cut into tiles already runs one tile per core, and thousands of small
/// tiles would otherwise pay for thousands of threads).
pub fn on_each<P: Send, R: Send>(parts: Vec<P>, work: impl Fn(P) -> R + Sync) -> Vec<R> {
    if parts.len() <= 1 {
        return parts.into_iter().map(work).collect();
    }
    let work = &work;
    std::thread::scope(|scope| {
        let running: Vec<_> = parts
            .into_iter()
            .map(|part| scope.spawn(move || work(part)))
            .collect();
        running
            .into_iter()
            .map(|r| r.join().expect("work on a part does not panic"))
            .collect()
    })
}

/// `work(start, part)` on `values` cut into one contiguous part per core, side by side (`start`:
/// the part's first index in `values`): per-pixel passes over a whole raster.
pub fn on_parts_mut<T: Send, R: Send>(
    values: &mut [T],
    work: impl Fn(usize, &mut [T]) -> R + Sync,
) -> Vec<R> {
    let part = values.len().div_ceil(cores()).max(1);
    let parts = values.chunks_mut(part).enumerate().collect();
    on_each(parts, |(k, values)| work(k * part, values))
}

/// [`on_parts_mut`] for passes that only read `values`.
pub fn on_parts<T: Sync, R: Send>(values: &[T], work: impl Fn(usize, &[T]) -> R + Sync) -> Vec<R> {
    let part = values.len().div_ceil(cores()).max(1);
    let parts = values.chunks(part).enumerate().collect();
    on_each(parts, |(k, values)| work(k * part, values))
}
