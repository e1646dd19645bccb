//! Store prices: which price point a purchase lands on.
//!
//! ```text
//! P(price k | tilt) = b_k exp(k * tilt) / sum_j b_j exp(j * tilt),   k = 0..5
//! ```
//!
//! over the price points 0.99 .. 99.99 with base probabilities `b`; a higher tilt moves
//! purchases to dearer packs.

use super::catalog::{PRICE_BASE, PRICE_CENTS};
use super::draw::{UserRng, uniform};

/// Probabilities of the price points under `tilt`.
pub(crate) fn price_probabilities(tilt: f64) -> [f64; 6] {
    // Subtracting the largest exponent keeps exp() finite for any tilt.
    let largest = (5.0 * tilt).max(0.0);
    let mut probabilities = [0.0; 6];
    for (k, p) in probabilities.iter_mut().enumerate() {
        *p = PRICE_BASE[k] * (k as f64 * tilt - largest).exp();
    }
    let total: f64 = probabilities.iter().sum();
    probabilities.map(|p| p / total)
}

/// The mean price in dollars under these probabilities.
pub(crate) fn mean_price(probabilities: &[f64; 6]) -> f64 {
    let cents: f64 = probabilities
        .iter()
        .zip(PRICE_CENTS)
        .map(|(p, c)| p * c as f64)
        .sum();
    cents / 100.0
}

/// The total in cents of `count` purchases drawn independently from `probabilities`.
pub(crate) fn spend_cents(rng: &mut UserRng, count: u64, probabilities: &[f64; 6]) -> u64 {
    (0..count)
        .map(|_| {
            let u = uniform(rng);
            PRICE_CENTS[super::catalog::pick(probabilities.iter().copied(), u)]
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::draw::user_rng;

    const PROBABILITY_TOLERANCE: f64 = 1e-12;

    #[test]
    fn zero_tilt_gives_the_base_probabilities() {
        let probabilities = price_probabilities(0.0);
        for (p, b) in probabilities.iter().zip(PRICE_BASE) {
            assert!((p - b).abs() < PROBABILITY_TOLERANCE);
        }
    }

    #[test]
    fn tilt_raises_the_mean_price_and_stays_finite() {
        let low = mean_price(&price_probabilities(-1.0));
        let mid = mean_price(&price_probabilities(0.0));
        let high = mean_price(&price_probabilities(1.0));
        assert!(low < mid && mid < high, "{low} {mid} {high}");
        let extreme = mean_price(&price_probabilities(500.0));
        assert!((extreme - 99.99).abs() < 1e-9, "{extreme}");
        assert!(mean_price(&price_probabilities(-500.0)) > 0.98);
    }

    #[test]
    fn spend_is_a_sum_of_price_points() {
        let mut rng = user_rng(3, 0, 0);
        let probabilities = price_probabilities(0.5);
        for count in 0..50 {
            let cents = spend_cents(&mut rng, count, &probabilities);
            // Every price ends in 99 cents, so n purchases end in -n modulo 100.
            assert_eq!((cents + count) % 100, 0);
            assert!(cents >= 99 * count && cents <= 9999 * count);
        }
    }
}
