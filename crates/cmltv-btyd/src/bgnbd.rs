//! The BG/NBD model of repeat purchasing (beta-geometric / negative binomial).
//!
//! While alive, a customer buys as a Poisson process with rate `lambda ~ Gamma(r, alpha)`;
//! after each purchase they drop out for good with probability `p ~ Beta(a, b)`. The
//! likelihood of a customer with summary `(x, t_x, T)` is
//!
//! ```text
//! L = B(a, b + x) / B(a, b) * Gamma(r + x) alpha^r / Gamma(r)
//!     * [ (alpha + T)^-(r + x) + 1{x > 0} a / (b + x - 1) (alpha + t_x)^-(r + x) ]
//! ```
//!
//! and, writing `D = 1 + 1{x > 0} a / (b + x - 1) ((alpha + T) / (alpha + t_x))^(r + x)`,
//!
//! ```text
//! P(alive | x, t_x, T) = 1 / D
//! E[Y(t) | x, t_x, T]  = (a + b + x - 1) / (a - 1)
//!                        * [1 - ((alpha + T) / (alpha + T + t))^(r + x)
//!                               * 2F1(r + x, b + x; a + b + x - 1; t / (alpha + T + t))] / D
//! ```
//!
//! with `Y(t)` the purchases in `(T, T + t]`. The `2F1` product is evaluated after Euler's
//! transformation (DLMF 15.8.1) as `(1 - z)^(a - 1) 2F1(a + b - 1 - r, a - 1; a + b + x - 1;
//! z)`, which cannot overflow. The expectation has a removable singularity at `a = 1`,
//! bridged by evaluating it on both sides.
//!
//! Reference: P. S. Fader, B. G. S. Hardie and K. L. Lee, "Counting Your Customers the
//! Easy Way: An Alternative to the Pareto/NBD Model", Marketing Science 24(2), 2005,
//! equations (6), (10) and (13); <https://brucehardie.com/papers/018/>.

use crate::error::{BtydError, Result};
use crate::fit::{Fit, FitOptions, maximize_log_likelihood};
use crate::model::{PurchaseModel, check_horizon, check_positive, predict_checked};
use crate::special::{hyp2f1, ln_gamma, log_add_exp};
use crate::summary::{CustomerSummary, validate_all};
use serde::{Deserialize, Serialize};

/// Distance from `a = 1` below which the expectation is taken from both sides of the
/// removable singularity there.
const UNIT_SHAPE: f64 = 1e-6;

/// A BG/NBD model: purchase rates `Gamma(r, alpha)`, dropout probabilities `Beta(a, b)`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BgNbd {
    /// Shape of the gamma distribution of purchase rates.
    pub r: f64,
    /// Rate (inverse scale) of the gamma distribution of purchase rates, in time units.
    pub alpha: f64,
    /// First shape of the beta distribution of dropout probabilities.
    pub a: f64,
    /// Second shape of the beta distribution of dropout probabilities.
    pub b: f64,
}

impl BgNbd {
    /// A model with the given parameters.
    ///
    /// # Errors
    ///
    /// [`BtydError::InvalidParameter`] unless every parameter is positive and finite.
    pub fn new(r: f64, alpha: f64, a: f64, b: f64) -> Result<Self> {
        let model = Self { r, alpha, a, b };
        model.validate()?;
        Ok(model)
    }

    /// Checks that every parameter is positive and finite.
    ///
    /// # Errors
    ///
    /// [`BtydError::InvalidParameter`] naming the first bad parameter.
    pub fn validate(&self) -> Result<()> {
        check_positive("r", self.r)?;
        check_positive("alpha", self.alpha)?;
        check_positive("a", self.a)?;
        check_positive("b", self.b)
    }

    /// Maximum-likelihood fit to calibration summaries.
    ///
    /// The search starts at `r = alpha = a = b = 1`.
    ///
    /// # Errors
    ///
    /// [`BtydError::EmptyInput`] for no customers, [`BtydError::NonFinite`] or
    /// [`BtydError::InvalidSummary`] for a bad summary, [`BtydError::InvalidSetting`] for
    /// bad options, [`BtydError::NotConverged`] when the optimizer runs out of iterations.
    ///
    /// # Example
    ///
    /// ```
    /// use cmltv_btyd::{BgNbd, CustomerSummary, FitOptions, PurchaseModel};
    ///
    /// // (frequency, recency, age, mean repeat spend) of 24 customers, in weeks and dollars
    /// let table = [
    ///     (0, 0., 34., 0.), (0, 0., 27., 0.), (12, 23., 26., 29.), (0, 0., 37., 0.),
    ///     (0, 0., 34., 0.), (5, 24., 29., 54.), (2, 4., 36., 73.), (0, 0., 29., 0.),
    ///     (2, 1., 31., 19.), (1, 20., 32., 22.), (1, 23., 38., 22.), (1, 36., 38., 21.),
    ///     (2, 7., 30., 13.), (1, 19., 30., 44.), (1, 30., 31., 37.), (2, 21., 26., 25.),
    ///     (1, 22., 30., 20.), (3, 27., 38., 22.), (1, 1., 37., 7.), (0, 0., 33., 0.),
    ///     (1, 5., 32., 40.), (2, 16., 38., 19.), (0, 0., 34., 0.), (1, 0., 38., 30.),
    /// ];
    /// let customers = table
    ///     .map(|(x, t_x, age, spend)| CustomerSummary::new(x, t_x, age, spend))
    ///     .into_iter()
    ///     .collect::<Result<Vec<_>, _>>()?;
    /// let fit = BgNbd::fit(&customers, &FitOptions::default())?;
    /// assert!((fit.model.r - 0.499).abs() < 1e-3 && (fit.model.a - 0.947).abs() < 1e-3);
    ///
    /// // The regular buyer is expected to buy more in the next 13 weeks than the one-timer.
    /// let regular = fit.model.expected_purchases(&customers[2], 13.0)?;
    /// assert!(regular > fit.model.expected_purchases(&customers[0], 13.0)?);
    /// # Ok::<(), cmltv_btyd::BtydError>(())
    /// ```
    pub fn fit(customers: &[CustomerSummary], options: &FitOptions) -> Result<Fit<Self>> {
        validate_all(customers)?;
        let log_likelihood = |p: &[f64]| Ok(Self::from_slice(p).sum_log_likelihood(customers));
        let optimum = maximize_log_likelihood(log_likelihood, &[1.0; 4], customers.len(), options)?;
        let model = Self::from_slice(&optimum.params);
        Ok(Fit {
            log_likelihood: model.log_likelihood(customers)?,
            model,
            iterations: optimum.iterations,
        })
    }

    /// Total log-likelihood of the customers under this model.
    ///
    /// # Errors
    ///
    /// [`BtydError::InvalidParameter`] for a bad model, [`BtydError::EmptyInput`] or a
    /// summary error for bad customers, [`BtydError::NonFiniteResult`] when the value
    /// overflows.
    pub fn log_likelihood(&self, customers: &[CustomerSummary]) -> Result<f64> {
        self.validate()?;
        validate_all(customers)?;
        let total = self.sum_log_likelihood(customers);
        if !total.is_finite() {
            return Err(BtydError::NonFiniteResult {
                what: "log-likelihood",
            });
        }
        Ok(total)
    }

    /// Expected purchases of a customer just acquired, in `(0, t]`.
    ///
    /// ```text
    /// E[X(t)] = (a + b - 1) / (a - 1)
    ///           * [1 - (alpha / (alpha + t))^r 2F1(r, b; a + b - 1; t / (alpha + t))]
    /// ```
    ///
    /// # Errors
    ///
    /// [`BtydError::InvalidParameter`] for a bad model, [`BtydError::InvalidSetting`] for
    /// a negative or non-finite `t`.
    pub fn expected_purchases_new_customer(&self, t: f64) -> Result<f64> {
        self.validate()?;
        check_horizon(t)?;
        let newcomer = CustomerSummary {
            frequency: 0,
            recency: 0.0,
            age: 0.0,
            mean_repeat_spend: 0.0,
        };
        self.conditional_expectation(&newcomer, t)
    }

    fn from_slice(p: &[f64]) -> Self {
        Self {
            r: p[0],
            alpha: p[1],
            a: p[2],
            b: p[3],
        }
    }

    fn sum_log_likelihood(&self, customers: &[CustomerSummary]) -> f64 {
        customers
            .iter()
            .map(|c| self.customer_log_likelihood(c))
            .sum()
    }

    /// `ln L` of one customer (module docs), summed in log space.
    fn customer_log_likelihood(&self, customer: &CustomerSummary) -> f64 {
        let Self { r, alpha, a, b } = *self;
        let x = f64::from(customer.frequency);
        let rate_part = ln_gamma(r + x) - ln_gamma(r) + r * alpha.ln();
        let dropout_part = ln_gamma(a + b) + ln_gamma(b + x) - ln_gamma(b) - ln_gamma(a + b + x);
        let still_alive = -(r + x) * (alpha + customer.age).ln();
        if customer.frequency == 0 {
            return rate_part + dropout_part + still_alive;
        }
        let dropped = a.ln() - (b + x - 1.0).ln() - (r + x) * (alpha + customer.recency).ln();
        rate_part + dropout_part + log_add_exp(still_alive, dropped)
    }

    /// `D` of the module docs: the reciprocal of the probability of being alive.
    fn odds_denominator(&self, customer: &CustomerSummary) -> f64 {
        if customer.frequency == 0 {
            return 1.0;
        }
        let x = f64::from(customer.frequency);
        let log_ratio = ((self.alpha + customer.age) / (self.alpha + customer.recency)).ln();
        let log_odds = (self.a / (self.b + x - 1.0)).ln() + (self.r + x) * log_ratio;
        1.0 + log_odds.exp()
    }

    /// `E[Y(t) | x, t_x, T]`; within [`UNIT_SHAPE`] of `a = 1`, the mean of the values at
    /// `a = 1 -/+ UNIT_SHAPE`, which is exact to `O(UNIT_SHAPE^2)` as the expectation is
    /// smooth in `a`.
    fn conditional_expectation(&self, customer: &CustomerSummary, t: f64) -> Result<f64> {
        if (self.a - 1.0).abs() >= UNIT_SHAPE {
            return self.expectation_formula(customer, t);
        }
        let shifted = |a: f64| Self { a, ..*self }.expectation_formula(customer, t);
        Ok(0.5 * (shifted(1.0 - UNIT_SHAPE)? + shifted(1.0 + UNIT_SHAPE)?))
    }

    fn expectation_formula(&self, customer: &CustomerSummary, t: f64) -> Result<f64> {
        let Self { r, alpha, a, b } = *self;
        let x = f64::from(customer.frequency);
        let z = t / (alpha + customer.age + t);
        let c = a + b + x - 1.0;
        let hyper = hyp2f1(a + b - 1.0 - r, a - 1.0, c, z)?;
        let bracket =
            -((a - 1.0) * (-z).ln_1p()).exp_m1() - (1.0 - z).powf(a - 1.0) * (hyper - 1.0);
        Ok(c / (a - 1.0) * bracket / self.odds_denominator(customer))
    }
}

impl PurchaseModel for BgNbd {
    fn expected_purchases(&self, customer: &CustomerSummary, horizon: f64) -> Result<f64> {
        self.validate()?;
        predict_checked(customer, horizon, |c| {
            self.conditional_expectation(c, horizon)
        })
    }

    fn probability_alive(&self, customer: &CustomerSummary) -> Result<f64> {
        self.validate()?;
        predict_checked(customer, 0.0, |c| Ok(1.0 / self.odds_denominator(c)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Relative tolerance against `lifetimes` (scipy's `gammaln` and `hyp2f1`).
    const TOLERANCE: f64 = 1e-11;

    fn customers() -> Vec<CustomerSummary> {
        CUSTOMERS
            .iter()
            .map(|&(x, t_x, age)| CustomerSummary::new(x, t_x, age, 0.0).expect("valid"))
            .collect()
    }

    fn published() -> BgNbd {
        BgNbd::new(0.2426, 4.4137, 0.7930, 2.4262).expect("valid")
    }

    fn assert_close(value: f64, expected: f64) {
        let error = ((value - expected) / expected).abs();
        assert!(error < TOLERANCE, "{value} differs from {expected}");
    }

    const CUSTOMERS: [(u32, f64, f64); 5] = [
        (0, 0.0, 38.86),
        (1, 5.0, 30.0),
        (2, 30.43, 38.86),
        (5, 38.0, 38.5),
        (10, 34.57, 37.14),
    ];

    // Expected values from lifetimes 0.11.3 (numpy 1.26.4, scipy 1.17.1):
    //
    // import numpy as np
    // from lifetimes import BetaGeoFitter
    // x = np.array([0, 1, 2, 5, 10.]); tx = np.array([0, 5, 30.43, 38, 34.57])
    // T = np.array([38.86, 30, 38.86, 38.5, 37.14])
    // params = np.array([0.2426, 4.4137, 0.7930, 2.4262])
    // print(-BetaGeoFitter._negative_log_likelihood(np.log(params), x, tx, T,
    //                                               np.ones(5), 0) * 5)
    // bg = BetaGeoFitter(); bg.params_ = pd.Series(params, index=["r", "alpha", "a", "b"])
    // print(bg.conditional_probability_alive(x, tx, T))
    // print(bg.conditional_expected_number_of_purchases_up_to_time(39, x, tx, T))
    // print(bg.expected_number_of_purchases_up_to_time(39))
    const LOG_LIKELIHOOD: f64 = -59.66118818047747;
    const ALIVE: [f64; 5] = [
        1.0,
        0.3793024563108063,
        0.7266066366540385,
        0.8840007050412947,
        0.8822511867988165,
    ];
    const EXPECTED_39: [f64; 5] = [
        0.19478614104649017,
        0.4421238180231855,
        1.2258954857111442,
        3.388799236779047,
        6.6340086571827985,
    ];
    const NEW_CUSTOMER_39: f64 = 1.195009696831816;

    #[test]
    fn log_likelihood_matches_lifetimes() {
        let value = published().log_likelihood(&customers()).expect("defined");
        assert_close(value, LOG_LIKELIHOOD);
    }

    #[test]
    fn predictions_match_lifetimes() {
        let model = published();
        for (i, customer) in customers().iter().enumerate() {
            let alive = model.probability_alive(customer).expect("defined");
            assert_close(alive, ALIVE[i]);
            let expected = model.expected_purchases(customer, 39.0).expect("defined");
            assert_close(expected, EXPECTED_39[i]);
        }
        let newcomer = model
            .expected_purchases_new_customer(39.0)
            .expect("defined");
        assert_close(newcomer, NEW_CUSTOMER_39);
    }

    #[test]
    fn expectation_is_continuous_at_unit_a() {
        let customer = customers()[2];
        let at = |a: f64| {
            let model = BgNbd { a, ..published() };
            model.expected_purchases(&customer, 39.0).expect("defined")
        };
        let bridged = 0.5 * (at(1.0 - 1e-3) + at(1.0 + 1e-3));
        assert!(((at(1.0) - bridged) / bridged).abs() < 1e-5);
        assert!(((at(1.0 + 2e-6) - at(1.0)) / at(1.0)).abs() < 1e-5);
    }

    #[test]
    fn reports_failure_to_converge() {
        let options = FitOptions::default().with_max_iterations(5);
        assert!(matches!(
            BgNbd::fit(&customers(), &options),
            Err(BtydError::NotConverged { .. })
        ));
    }

    #[test]
    fn rejects_bad_input() {
        assert!(matches!(
            BgNbd::fit(&[], &FitOptions::default()),
            Err(BtydError::EmptyInput { .. })
        ));
        let mut bad = customers();
        bad[2].recency = f64::NAN;
        assert!(matches!(
            BgNbd::fit(&bad, &FitOptions::default()),
            Err(BtydError::NonFinite { index: 2, .. })
        ));
        assert!(matches!(
            BgNbd::new(0.2, -1.0, 0.8, 2.4),
            Err(BtydError::InvalidParameter { name: "alpha", .. })
        ));
        let horizon = published().expected_purchases(&customers()[0], -1.0);
        assert!(matches!(horizon, Err(BtydError::InvalidSetting { .. })));
    }
}
