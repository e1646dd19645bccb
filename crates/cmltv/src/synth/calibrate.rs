//! Fitting the intercepts `alpha` and `beta` on a fixed pilot population.
//!
//! ```text
//! mean_i sigmoid(alpha + v_p,i)                              = payer_rate
//! sum_i pi_i sigmoid(beta + v_a,i) / sum_i pi_i             = WHALE_SHARE
//! ```
//!
//! The pilot is always the same users (its own seed), so the intercepts depend on the payer
//! rate only: two runs with different seeds simulate the same world.

use std::sync::OnceLock;

use super::draw::{FEATURE_STREAM, sigmoid, user_rng};
use super::outcome::{Intercepts, Scores};
use super::user::User;

/// Share of payers who are whales, on average over the population.
pub(crate) const WHALE_SHARE: f64 = 0.03;

/// Users in the pilot population; its sampling error on the payer rate is about 0.3 %
/// of the rate.
const PILOT_USERS: u64 = 100_000;

/// Seed of the pilot population, apart from any seed a user picks.
const PILOT_SEED: u64 = 0x5EED_CA11_B8A7_E000;

/// Bisection steps: the bracket of width 80 shrinks below 1e-13.
const BISECTION_STEPS: usize = 50;

/// The scores of the pilot population, computed once per process.
fn pilot() -> &'static [Scores] {
    static PILOT: OnceLock<Vec<Scores>> = OnceLock::new();
    PILOT.get_or_init(|| {
        (0..PILOT_USERS)
            .map(|index| {
                Scores::of(&User::draw(&mut user_rng(
                    PILOT_SEED,
                    index,
                    FEATURE_STREAM,
                )))
            })
            .collect()
    })
}

/// The intercepts that give this overall payer rate and [`WHALE_SHARE`].
pub(crate) fn calibrate(payer_rate: f64) -> Intercepts {
    let scores = pilot();
    let purchase = solve_increasing(payer_rate, |alpha| {
        scores
            .iter()
            .map(|s| sigmoid(alpha + s.purchase))
            .sum::<f64>()
            / scores.len() as f64
    });
    let weights: Vec<f64> = scores
        .iter()
        .map(|s| sigmoid(purchase + s.purchase))
        .collect();
    let total: f64 = weights.iter().sum();
    let whale = solve_increasing(WHALE_SHARE, |beta| {
        let whales: f64 = scores
            .iter()
            .zip(&weights)
            .map(|(s, w)| w * sigmoid(beta + s.amount))
            .sum();
        whales / total
    });
    tracing::debug!(
        payer_rate,
        purchase,
        whale,
        "calibrated the simulator's intercepts"
    );
    Intercepts { purchase, whale }
}

/// The `x` in `[-40, 40]` where the increasing function `f` reaches `target`, by bisection.
fn solve_increasing(target: f64, f: impl Fn(f64) -> f64) -> f64 {
    let (mut low, mut high) = (-40.0, 40.0);
    for _ in 0..BISECTION_STEPS {
        let middle = 0.5 * (low + high);
        if f(middle) < target {
            low = middle;
        } else {
            high = middle;
        }
    }
    0.5 * (low + high)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bisection_finds_the_root() {
        let root = solve_increasing(0.25, sigmoid);
        assert!((root - (1.0_f64 / 3.0).ln()).abs() < 1e-12, "{root}");
    }

    #[test]
    fn pilot_reaches_the_targets() {
        let intercepts = calibrate(0.05);
        let scores = pilot();
        let rate = scores
            .iter()
            .map(|s| sigmoid(intercepts.purchase + s.purchase))
            .sum::<f64>()
            / scores.len() as f64;
        assert!((rate - 0.05).abs() < 1e-9, "{rate}");
        assert!(calibrate(0.10).purchase > intercepts.purchase);
    }
}
