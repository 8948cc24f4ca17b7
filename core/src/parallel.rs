//! Work split over the machine's cores: parts of an image side by side, the results in the
//! parts' order, so what is computed does not depend on how it was split. The parts run on
//! rayon's pool: its threads live as long as the process, and with them their allocator
//! heaps, so the image-sized work of one stage reuses the memory of the one before instead of
//! faulting fresh pages in (on this machine as costly as the work done on them).

use rayon::iter::{IntoParallelIterator as _, ParallelIterator as _};

/// The machine's cores: how many parts parallel work is split into.
pub fn cores() -> usize {
    rayon::current_num_threads()
}

/// `work` on each item, the items side by side in a few parts per core (which evens out items
/// of very different sizes, such as regions), the results in the items' order.
pub fn map_in_parts<T: Send, R: Send>(items: Vec<T>, work: impl Fn(T) -> R + Sync) -> Vec<R> {
    on_each(in_parts(items, 4 * cores()), |part| {
        part.into_iter().map(&work).collect::<Vec<R>>()
    })
    .into_iter()
    .flatten()
    .collect()
}

/// `items` cut into at most `parts` runs of consecutive items, as even as whole items allow.
pub fn in_parts<T>(items: Vec<T>, parts: usize) -> Vec<Vec<T>> {
    let per_part = items.len().div_ceil(parts.max(1)).max(1);
    let mut out: Vec<Vec<T>> = Vec::new();
    let mut items = items.into_iter().peekable();
    while items.peek().is_some() {
        out.push(items.by_ref().take(per_part).collect());
    }
    out
}

/// `work` on each part, the parts side by side on the pool, or on the calling thread when
/// there is only one (work cut into tiles already runs one tile per core).
pub fn on_each<P: Send, R: Send>(parts: Vec<P>, work: impl Fn(P) -> R + Sync) -> Vec<R> {
    if parts.len() <= 1 {
        return parts.into_iter().map(work).collect();
    }
    parts.into_par_iter().map(&work).collect()
}

/// `a` and `b` side by side on the pool, their results as a pair.
pub fn both<A: Send, B: Send>(
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
) -> (A, B) {
    rayon::join(a, b)
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
