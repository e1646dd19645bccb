//! Per-user random streams and the few distributions the simulator draws from.
//!
//! Each user owns independent streams, seeded from `(seed, user index, stream)` through the
//! SplitMix64 finalizer, so a row never depends on the rows before it: batches of any size,
//! generated in any order, hold the same users.

use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, Gamma, Poisson, StandardNormal};

/// The generator behind every user's stream.
pub(crate) type UserRng = Xoshiro256PlusPlus;

/// The stream that draws a user's features.
pub(crate) const FEATURE_STREAM: u64 = 0;

/// The stream that draws a user's spending, independent of the features' draws.
pub(crate) const OUTCOME_STREAM: u64 = 1;

/// SplitMix64's output function: a bijection of `u64` that scrambles every bit.
fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// The random stream `stream` of user `index` under `seed`.
pub(crate) fn user_rng(seed: u64, index: u64, stream: u64) -> UserRng {
    let key = splitmix(splitmix(splitmix(seed) ^ index) ^ stream);
    UserRng::seed_from_u64(key)
}

/// The logistic function `1 / (1 + exp(-x))`.
pub(crate) fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// A uniform number in `[0, 1)`.
pub(crate) fn uniform(rng: &mut UserRng) -> f64 {
    rng.random::<f64>()
}

/// A standard normal number.
pub(crate) fn normal(rng: &mut UserRng) -> f64 {
    StandardNormal.sample(rng)
}

/// `true` with probability `p`.
pub(crate) fn bernoulli(rng: &mut UserRng, p: f64) -> bool {
    uniform(rng) < p
}

/// A Poisson count with mean `lambda`; 0 when `lambda` is not positive.
pub(crate) fn poisson(rng: &mut UserRng, lambda: f64) -> u64 {
    debug_assert!(lambda.is_finite(), "Poisson mean {lambda} must be finite");
    match Poisson::new(lambda) {
        // The sample is a whole number far below 2^53, so the cast is exact.
        Ok(distribution) => distribution.sample(rng) as u64,
        Err(_) => 0,
    }
}

/// A negative binomial count with this `mean` and gamma `shape`: Poisson of a gamma rate.
///
/// Its variance is `mean + mean^2 / shape`, so a small shape gives a long tail.
pub(crate) fn negative_binomial(rng: &mut UserRng, mean: f64, shape: f64) -> u64 {
    match Gamma::new(shape, mean / shape) {
        Ok(gamma) => {
            let rate: f64 = gamma.sample(rng);
            poisson(rng, rate)
        }
        Err(_) => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Draws for the moment checks; their standard error is about 0.01 of the mean.
    const DRAWS: usize = 100_000;
    const MEAN_TOLERANCE: f64 = 0.03;

    #[test]
    fn streams_differ_by_seed_index_and_stream() {
        let first = |seed, index, stream| uniform(&mut user_rng(seed, index, stream));
        let base = first(1, 2, 0);
        assert_eq!(base, first(1, 2, 0));
        assert_ne!(base, first(2, 2, 0));
        assert_ne!(base, first(1, 3, 0));
        assert_ne!(base, first(1, 2, 1));
    }

    #[test]
    fn negative_binomial_has_its_mean_and_variance() {
        let mut rng = user_rng(7, 0, 0);
        let (mean, shape) = (4.0, 1.5);
        let draws: Vec<f64> = (0..DRAWS)
            .map(|_| negative_binomial(&mut rng, mean, shape) as f64)
            .collect();
        let sample_mean = draws.iter().sum::<f64>() / DRAWS as f64;
        let variance = draws.iter().map(|d| (d - sample_mean).powi(2)).sum::<f64>() / DRAWS as f64;
        let expected_variance = mean + mean * mean / shape;
        assert!(
            (sample_mean / mean - 1.0).abs() < MEAN_TOLERANCE,
            "{sample_mean}"
        );
        assert!(
            (variance / expected_variance - 1.0).abs() < 0.1,
            "{variance}"
        );
    }

    #[test]
    fn poisson_of_zero_mean_is_zero() {
        let mut rng = user_rng(7, 0, 0);
        assert_eq!(poisson(&mut rng, 0.0), 0);
    }
}
