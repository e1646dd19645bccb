//! Batches of row indices, stratified so that every batch holds payers.
//!
//! Payers and non-payers are shuffled separately and dealt out evenly: with `B` batches, batch
//! `b` takes the `b`-th `1/B` slice of each group, so each batch holds the training set's payer
//! share (up to rounding) and no batch is left without payers while there are at least `B`.

use rand::Rng;
use rand::seq::SliceRandom;

/// One epoch's batches over `labels` (indices into it), in random order.
pub fn epoch_batches(
    labels: &[f32],
    batch_size: usize,
    stratified: bool,
    rng: &mut impl Rng,
) -> Vec<Vec<usize>> {
    let rows = labels.len();
    let count = rows.div_ceil(batch_size.max(1));
    if !stratified {
        let mut order: Vec<usize> = (0..rows).collect();
        order.shuffle(rng);
        return order.chunks(batch_size).map(<[usize]>::to_vec).collect();
    }
    let mut payers: Vec<usize> = (0..rows).filter(|&i| labels[i] > 0.0).collect();
    let mut others: Vec<usize> = (0..rows).filter(|&i| labels[i] <= 0.0).collect();
    payers.shuffle(rng);
    others.shuffle(rng);
    let mut batches: Vec<Vec<usize>> = (0..count)
        .map(|b| {
            let mut batch = slice_of(&payers, b, count).to_vec();
            batch.extend_from_slice(slice_of(&others, b, count));
            batch
        })
        .collect();
    batches.shuffle(rng);
    batches
}

/// The `b`-th of `count` nearly equal consecutive slices.
fn slice_of(items: &[usize], b: usize, count: usize) -> &[usize] {
    let start = b * items.len() / count;
    let end = (b + 1) * items.len() / count;
    &items[start..end]
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    use super::*;

    fn labels(rows: usize, payers_every: usize) -> Vec<f32> {
        (0..rows)
            .map(|i| if i % payers_every == 0 { 3.0 } else { 0.0 })
            .collect()
    }

    #[test]
    fn every_row_appears_once() {
        let labels = labels(10_007, 20);
        let mut rng = StdRng::seed_from_u64(1);
        for stratified in [true, false] {
            let batches = epoch_batches(&labels, 512, stratified, &mut rng);
            let mut seen: Vec<usize> = batches.concat();
            seen.sort_unstable();
            assert_eq!(seen, (0..labels.len()).collect::<Vec<_>>());
            assert!(batches.iter().all(|b| b.len() <= 513));
        }
    }

    #[test]
    fn stratified_batches_share_the_payers_evenly() {
        let labels = labels(20_000, 50);
        let mut rng = StdRng::seed_from_u64(2);
        let batches = epoch_batches(&labels, 1000, true, &mut rng);
        for batch in &batches {
            let payers = batch.iter().filter(|&&i| labels[i] > 0.0).count();
            assert_eq!(payers, 20, "each batch holds 2 % payers");
        }
    }
}
