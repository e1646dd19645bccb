//! Bucket view: a classifier over amount buckets on a base-2 log scale.
//!
//! ```text
//! c(y) = min(floor(log2(1 + y)), K - 1)      bucket k holds y in [2^k - 1, 2^(k+1) - 1)
//! L_c  = mean_{i in P} -log q_{i, c(y_i)}
//! prediction = sum_k q_k v_k,   v_k = 1.5 * 2^k - 1, the open last bucket's v = its mean label
//! ```

use burn::tensor::{Int, Tensor, activation::log_softmax};
use serde::{Deserialize, Serialize};

/// The buckets of a trained model: how many and what each one is worth.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BucketScheme {
    values: Vec<f64>,
}

impl BucketScheme {
    /// Buckets for these training labels: `K = floor(log2(1 + max y)) + 1`, at most
    /// `max_buckets`, at least 2; the last bucket is valued at the mean payer label inside it.
    pub fn from_labels(labels: &[f64], max_buckets: usize) -> BucketScheme {
        let max = labels.iter().copied().fold(0.0, f64::max);
        let needed = bucket_index(max, usize::MAX) + 1;
        let count = needed.clamp(2, max_buckets.max(2));
        let mut values: Vec<f64> = (0..count).map(bucket_centre).collect();
        let last: Vec<f64> = labels
            .iter()
            .copied()
            .filter(|&y| y > 0.0 && bucket_index(y, count) == count - 1)
            .collect();
        if !last.is_empty() {
            values[count - 1] = last.iter().sum::<f64>() / last.len() as f64;
        }
        BucketScheme { values }
    }

    /// A scheme with explicit bucket values.
    pub fn with_values(values: Vec<f64>) -> BucketScheme {
        BucketScheme { values }
    }

    /// Number of buckets `K`.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether there is no bucket (never for a fitted scheme).
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The value `v_k` of each bucket.
    pub fn values(&self) -> &[f64] {
        &self.values
    }

    /// The bucket of an amount.
    pub fn bucket(&self, y: f64) -> usize {
        bucket_index(y, self.values.len())
    }
}

/// `min(floor(log2(1 + y)), count - 1)`.
pub fn bucket_index(y: f64, count: usize) -> usize {
    let index = (1.0 + y.max(0.0)).log2().floor() as usize;
    index.min(count.saturating_sub(1))
}

/// The centre `1.5 * 2^k - 1` of bucket `k`.
pub fn bucket_centre(k: usize) -> f64 {
    1.5 * 2f64.powi(k as i32) - 1.0
}

/// Mean cross-entropy of the bucket classifier over the given (payer) rows.
///
/// # Shapes
///
/// `logits`: `[P, K]`; `classes`: `[P]`; output `[1]`.
pub fn bucket_loss(logits: Tensor<2>, classes: Tensor<1, Int>) -> Tensor<1> {
    let log_q = log_softmax(logits, 1);
    let picked = log_q.gather(1, classes.unsqueeze_dim(1));
    picked.mean().neg()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_follow_the_base_two_scale() {
        assert_eq!(bucket_index(0.0, 8), 0);
        assert_eq!(bucket_index(0.99, 8), 0);
        assert_eq!(bucket_index(1.0, 8), 1);
        assert_eq!(bucket_index(2.99, 8), 1);
        assert_eq!(bucket_index(3.0, 8), 2);
        assert_eq!(bucket_index(1e9, 8), 7);
        assert_eq!(bucket_centre(0), 0.5);
        assert_eq!(bucket_centre(3), 11.0);
    }

    #[test]
    fn scheme_sizes_from_labels_and_values_the_open_bucket_by_its_mean() {
        let labels = [0.0, 3.5, 120.0, 0.99, 17.0];
        let scheme = BucketScheme::from_labels(&labels, 32);
        // log2(121) = 6.92, so K = 7 and 120 is the only label in the last bucket.
        assert_eq!(scheme.len(), 7);
        assert_eq!(scheme.values()[6], 120.0);
        assert_eq!(scheme.values()[2], 5.0);
        let capped = BucketScheme::from_labels(&labels, 4);
        assert_eq!(capped.len(), 4);
        assert_eq!(capped.values()[3], (120.0 + 17.0) / 2.0);
    }
}
