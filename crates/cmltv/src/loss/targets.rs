//! What the loss compares the heads with, for one batch: labels, payer subsets and pairs.

use burn::prelude::*;
use rand::Rng;
use rand::seq::index::sample;

use super::bucket::BucketScheme;

/// The batch's targets as tensors, with the subsets the loss terms average over.
#[derive(Debug, Clone)]
pub struct Targets {
    /// Labels in label units: `[N]`.
    pub labels: Tensor<1>,
    /// 1.0 for payers, 0.0 otherwise: `[N]`.
    pub payer: Tensor<1>,
    /// Row indices of payers, when the batch has any.
    pub payers: Option<Tensor<1, Int>>,
    /// Row indices of non-payers, when the batch has any.
    pub non_payers: Option<Tensor<1, Int>>,
    /// Payers' labels in label units: `[P]`.
    pub payer_labels: Option<Tensor<1>>,
    /// Payers' labels divided by the label scale: `[P]`.
    pub payer_scaled_labels: Option<Tensor<1>>,
    /// Payers' buckets: `[P]`.
    pub payer_buckets: Option<Tensor<1, Int>>,
    /// Pairs `(i, j)` for the pairwise regression contrastive term.
    pub pairs: Option<(Tensor<1, Int>, Tensor<1, Int>)>,
    /// Number of rows `N`.
    pub rows: usize,
}

impl Targets {
    /// Targets for `labels` with explicit `pairs`.
    pub fn new(
        labels: &[f32],
        label_scale: f64,
        buckets: &BucketScheme,
        pairs: &[(usize, usize)],
        device: &Device,
    ) -> Targets {
        let payer_rows: Vec<i64> = rows_where(labels, |y| y > 0.0);
        let non_payer_rows: Vec<i64> = rows_where(labels, |y| y <= 0.0);
        let payer_values: Vec<f32> = payer_rows.iter().map(|&i| labels[i as usize]).collect();
        let scaled: Vec<f32> = payer_values
            .iter()
            .map(|&y| (f64::from(y) / label_scale) as f32)
            .collect();
        let classes: Vec<i64> = payer_values
            .iter()
            .map(|&y| buckets.bucket(f64::from(y)) as i64)
            .collect();
        let payer: Vec<f32> = labels.iter().map(|&y| f32::from(y > 0.0)).collect();
        Targets {
            labels: floats(labels.to_vec(), device),
            payer: floats(payer, device),
            payers: (!payer_rows.is_empty()).then(|| ints(payer_rows, device)),
            non_payers: (!non_payer_rows.is_empty()).then(|| ints(non_payer_rows, device)),
            payer_labels: (!payer_values.is_empty()).then(|| floats(payer_values, device)),
            payer_scaled_labels: (!scaled.is_empty()).then(|| floats(scaled, device)),
            payer_buckets: (!classes.is_empty()).then(|| ints(classes, device)),
            pairs: pair_tensors(pairs, device),
            rows: labels.len(),
        }
    }
}

/// Pairs for the pairwise term: every pair for a batch of at most `all_pairs_below` rows,
/// otherwise each row with `partners` random others.
pub fn draw_pairs(
    rows: usize,
    partners: usize,
    all_pairs_below: usize,
    rng: &mut impl Rng,
) -> Vec<(usize, usize)> {
    if rows < 2 {
        return Vec::new();
    }
    if rows <= all_pairs_below {
        return (0..rows)
            .flat_map(|i| (i + 1..rows).map(move |j| (i, j)))
            .collect();
    }
    let partners = partners.min(rows - 1);
    let mut pairs = Vec::with_capacity(rows * partners);
    for i in 0..rows {
        for offset in sample(rng, rows - 1, partners) {
            pairs.push((i, (i + 1 + offset) % rows));
        }
    }
    pairs
}

fn rows_where(labels: &[f32], keep: impl Fn(f32) -> bool) -> Vec<i64> {
    (0..labels.len() as i64)
        .filter(|&i| keep(labels[i as usize]))
        .collect()
}

fn pair_tensors(
    pairs: &[(usize, usize)],
    device: &Device,
) -> Option<(Tensor<1, Int>, Tensor<1, Int>)> {
    if pairs.is_empty() {
        return None;
    }
    let first = pairs.iter().map(|&(i, _)| i as i64).collect();
    let second = pairs.iter().map(|&(_, j)| j as i64).collect();
    Some((ints(first, device), ints(second, device)))
}

pub(crate) fn floats(values: Vec<f32>, device: &Device) -> Tensor<1> {
    let len = values.len();
    Tensor::from_data(TensorData::new(values, [len]), device)
}

pub(crate) fn ints(values: Vec<i64>, device: &Device) -> Tensor<1, Int> {
    let len = values.len();
    Tensor::from_data(TensorData::new(values, [len]), device)
}
