//! The Pareto/NBD model of repeat purchasing.
//!
//! While alive, a customer buys as a Poisson process with rate `lambda ~ Gamma(r, alpha)`
//! and has an exponential lifetime with rate `mu ~ Gamma(s, beta)`. The likelihood of a
//! customer with summary `(x, t_x, T)` is
//!
//! ```text
//! L = Gamma(r + x) alpha^r beta^s / Gamma(r)
//!     * [ (alpha + T)^-(r + x) (beta + T)^-s + s / (r + s + x) A0 ]
//!
//! alpha >= beta:  A0 = F(s + 1, alpha - beta, alpha)
//! alpha <  beta:  A0 = F(r + x, beta - alpha, beta)
//! F(q, d, m) = 2F1(r + s + x, q; r + s + x + 1; d / (m + t_x)) / (m + t_x)^(r + s + x)
//!            - 2F1(r + s + x, q; r + s + x + 1; d / (m + T))   / (m + T)^(r + s + x)
//! ```
//!
//! and, with `Y(t)` the purchases in `(T, T + t]`,
//!
//! ```text
//! P(alive | x, t_x, T) = 1 / (1 + s / (r + s + x) (alpha + T)^(r + x) (beta + T)^s A0)
//! E[Y(t) | x, t_x, T]  = P(alive) (r + x) (beta + T) / (alpha + T)
//!                        * [1 - ((beta + T) / (beta + T + t))^(s - 1)] / (s - 1)
//! ```
//!
//! where the last factor becomes `ln((beta + T + t) / (beta + T))` at `s = 1`.
//!
//! References: D. C. Schmittlein, D. G. Morrison and R. Colombo, "Counting Your
//! Customers: Who Are They and What Will They Do Next?", Management Science 33(1), 1987;
//! P. S. Fader and B. G. S. Hardie, "A Note on Deriving the Pareto/NBD Model and Related
//! Expressions", 2005, equations (22), (24) and (25); <https://brucehardie.com/notes/009/>.

use crate::error::{BtydError, Result};
use crate::fit::{Fit, FitOptions, maximize_log_likelihood};
use crate::model::{PurchaseModel, check_horizon, check_positive, predict_checked};
use crate::special::{hyp2f1, ln_gamma, log_add_exp, log_sub_exp};
use crate::summary::{CustomerSummary, validate_all};
use serde::{Deserialize, Serialize};

/// Below this distance from 1, `s` is treated as 1 in the horizon factor.
const UNIT_SHAPE: f64 = 1e-10;

/// A Pareto/NBD model: purchase rates `Gamma(r, alpha)`, dropout rates `Gamma(s, beta)`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ParetoNbd {
    /// Shape of the gamma distribution of purchase rates.
    pub r: f64,
    /// Rate of the gamma distribution of purchase rates, in time units.
    pub alpha: f64,
    /// Shape of the gamma distribution of dropout rates.
    pub s: f64,
    /// Rate of the gamma distribution of dropout rates, in time units.
    pub beta: f64,
}

impl ParetoNbd {
    /// A model with the given parameters.
    ///
    /// # Errors
    ///
    /// [`BtydError::InvalidParameter`] unless every parameter is positive and finite.
    pub fn new(r: f64, alpha: f64, s: f64, beta: f64) -> Result<Self> {
        let model = Self { r, alpha, s, beta };
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
        check_positive("s", self.s)?;
        check_positive("beta", self.beta)
    }

    /// Maximum-likelihood fit to calibration summaries.
    ///
    /// The search starts at `r = s = 1` and `alpha = beta` = the mean age of the
    /// customers, which puts the starting rates on the scale of the data.
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
    /// use cmltv_btyd::{CustomerSummary, FitOptions, ParetoNbd, PurchaseModel};
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
    /// let fit = ParetoNbd::fit(&customers, &FitOptions::default())?;
    /// assert!((fit.model.s - 0.265).abs() < 1e-3 && (fit.model.beta - 3.913).abs() < 1e-2);
    ///
    /// // Long silence since the last purchase makes a customer less likely to be alive.
    /// let silent = fit.model.probability_alive(&customers[8])?;
    /// assert!(silent < fit.model.probability_alive(&customers[11])?);
    /// # Ok::<(), cmltv_btyd::BtydError>(())
    /// ```
    pub fn fit(customers: &[CustomerSummary], options: &FitOptions) -> Result<Fit<Self>> {
        validate_all(customers)?;
        let mean_age = customers.iter().map(|c| c.age).sum::<f64>() / customers.len() as f64;
        let scale = if mean_age > 0.0 { mean_age } else { 1.0 };
        let start = [1.0, scale, 1.0, scale];
        let log_likelihood = |p: &[f64]| Self::from_slice(p).sum_log_likelihood(customers);
        let optimum = maximize_log_likelihood(log_likelihood, &start, customers.len(), options)?;
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
    /// summary error for bad customers, [`BtydError::Hypergeometric`] or
    /// [`BtydError::NonFiniteResult`] when the value cannot be computed.
    pub fn log_likelihood(&self, customers: &[CustomerSummary]) -> Result<f64> {
        self.validate()?;
        validate_all(customers)?;
        let total = self.sum_log_likelihood(customers)?;
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
    /// E[X(t)] = r beta / (alpha (s - 1)) [1 - (beta / (beta + t))^(s - 1)]
    /// ```
    ///
    /// # Errors
    ///
    /// [`BtydError::InvalidParameter`] for a bad model, [`BtydError::InvalidSetting`] for
    /// a negative or non-finite `t`.
    pub fn expected_purchases_new_customer(&self, t: f64) -> Result<f64> {
        self.validate()?;
        check_horizon(t)?;
        Ok(self.r / self.alpha * self.horizon_factor(0.0, t))
    }

    fn from_slice(p: &[f64]) -> Self {
        Self {
            r: p[0],
            alpha: p[1],
            s: p[2],
            beta: p[3],
        }
    }

    fn sum_log_likelihood(&self, customers: &[CustomerSummary]) -> Result<f64> {
        customers
            .iter()
            .map(|c| self.customer_log_likelihood(c))
            .sum()
    }

    /// `ln L` of one customer (module docs), in log space.
    fn customer_log_likelihood(&self, customer: &CustomerSummary) -> Result<f64> {
        let Self { r, alpha, s, beta } = *self;
        let x = f64::from(customer.frequency);
        let head = ln_gamma(r + x) - ln_gamma(r) + r * alpha.ln() + s * beta.ln();
        let alive = -(r + x) * (alpha + customer.age).ln() - s * (beta + customer.age).ln();
        let dropped = s.ln() - (r + s + x).ln() + self.log_a0(customer)?;
        Ok(head + log_add_exp(alive, dropped))
    }

    /// `ln A0` of the module docs; `-inf` when `t_x = T`.
    fn log_a0(&self, customer: &CustomerSummary) -> Result<f64> {
        let Self { r, alpha, s, beta } = *self;
        let x = f64::from(customer.frequency);
        let (high, low, second) = if alpha >= beta {
            (alpha, beta, s + 1.0)
        } else {
            (beta, alpha, r + x)
        };
        let k = r + s + x;
        let term = |time: f64| -> Result<f64> {
            let z = (high - low) / (high + time);
            Ok(hyp2f1(k, second, k + 1.0, z)?.ln() - k * (high + time).ln())
        };
        Ok(log_sub_exp(term(customer.recency)?, term(customer.age)?))
    }

    fn alive_probability(&self, customer: &CustomerSummary) -> Result<f64> {
        let Self { r, alpha, s, beta } = *self;
        let x = f64::from(customer.frequency);
        let log_odds = s.ln() - (r + s + x).ln()
            + (r + x) * (alpha + customer.age).ln()
            + s * (beta + customer.age).ln()
            + self.log_a0(customer)?;
        Ok(1.0 / (1.0 + log_odds.exp()))
    }

    /// `(beta + T) [1 - ((beta + T) / (beta + T + t))^(s - 1)] / (s - 1)`.
    fn horizon_factor(&self, age: f64, t: f64) -> f64 {
        let start = self.beta + age;
        let log_ratio = -(t / start).ln_1p();
        let shape = self.s - 1.0;
        if shape.abs() < UNIT_SHAPE {
            return -start * log_ratio;
        }
        -start * (shape * log_ratio).exp_m1() / shape
    }

    fn conditional_expectation(&self, customer: &CustomerSummary, t: f64) -> Result<f64> {
        let x = f64::from(customer.frequency);
        let rate = (self.r + x) / (self.alpha + customer.age);
        let alive = self.alive_probability(customer)?;
        Ok(alive * rate * self.horizon_factor(customer.age, t))
    }
}

impl PurchaseModel for ParetoNbd {
    fn expected_purchases(&self, customer: &CustomerSummary, horizon: f64) -> Result<f64> {
        self.validate()?;
        predict_checked(customer, horizon, |c| {
            self.conditional_expectation(c, horizon)
        })
    }

    fn probability_alive(&self, customer: &CustomerSummary) -> Result<f64> {
        self.validate()?;
        predict_checked(customer, 0.0, |c| self.alive_probability(c))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Relative tolerance against `lifetimes` (scipy's `gammaln` and `hyp2f1`).
    const TOLERANCE: f64 = 1e-11;

    const CUSTOMERS: [(u32, f64, f64); 5] = [
        (0, 0.0, 38.86),
        (1, 5.0, 30.0),
        (2, 30.43, 38.86),
        (5, 38.0, 38.5),
        (10, 34.57, 37.14),
    ];

    fn customers() -> Vec<CustomerSummary> {
        CUSTOMERS
            .iter()
            .map(|&(x, t_x, age)| CustomerSummary::new(x, t_x, age, 0.0).expect("valid"))
            .collect()
    }

    fn assert_close(value: f64, expected: f64) {
        let error = ((value - expected) / expected).abs();
        assert!(error < TOLERANCE, "{value} differs from {expected}");
    }

    // Expected values from lifetimes 0.11.3 (numpy 1.26.4, scipy 1.17.1):
    //
    // import numpy as np, pandas as pd
    // from lifetimes import ParetoNBDFitter
    // x = np.array([0, 1, 2, 5, 10.]); tx = np.array([0, 5, 30.43, 38, 34.57])
    // T = np.array([38.86, 30, 38.86, 38.5, 37.14])
    // for params in ([0.553, 10.58, 0.606, 11.66], [0.553, 12.0, 0.606, 8.0]):
    //     print(ParetoNBDFitter._conditional_log_likelihood(params, x, tx, T).sum())
    //     pn = ParetoNBDFitter(); pn.params_ = pd.Series(params, index=["r", "alpha", "s", "beta"])
    //     print(pn.conditional_probability_alive(x, tx, T))
    //     print(pn.conditional_expected_number_of_purchases_up_to_time(39, x, tx, T))
    //     print(pn.expected_number_of_purchases_up_to_time(39))
    const PARAMS: [[f64; 4]; 2] = [[0.553, 10.58, 0.606, 11.66], [0.553, 12.0, 0.606, 8.0]];
    const LOG_LIKELIHOOD: [f64; 2] = [-59.198017181843134, -60.003113249623595];
    const ALIVE: [[f64; 5]; 2] = [
        [
            0.2951548477660945,
            0.35519518363678226,
            0.8691451114817128,
            0.9937729467200443,
            0.956624588547077,
        ],
        [
            0.23764412876596006,
            0.31318558424227383,
            0.8596668556749464,
            0.9932872305400031,
            0.9535169129492485,
        ],
    ];
    const EXPECTED_39: [[f64; 5]; 2] = [
        [
            0.10702650972431381,
            0.427369442680137,
            1.4549880197053318,
            3.6411607015110925,
            6.822416479815593,
        ],
        [
            0.08280739182432312,
            0.35831790208010644,
            1.382922629405436,
            3.49605073365028,
            6.523557508464432,
        ],
    ];
    const NEW_CUSTOMER_39: [f64; 2] = [1.2124837915080127, 0.9441631876193627];

    #[test]
    fn log_likelihood_matches_lifetimes() {
        for (params, expected) in PARAMS.iter().zip(LOG_LIKELIHOOD) {
            let model = ParetoNbd::from_slice(params);
            let value = model.log_likelihood(&customers()).expect("defined");
            assert_close(value, expected);
        }
    }

    #[test]
    fn predictions_match_lifetimes() {
        for (k, params) in PARAMS.iter().enumerate() {
            let model = ParetoNbd::from_slice(params);
            for (i, customer) in customers().iter().enumerate() {
                let alive = model.probability_alive(customer).expect("defined");
                assert_close(alive, ALIVE[k][i]);
                let expected = model.expected_purchases(customer, 39.0).expect("defined");
                assert_close(expected, EXPECTED_39[k][i]);
            }
            let newcomer = model
                .expected_purchases_new_customer(39.0)
                .expect("defined");
            assert_close(newcomer, NEW_CUSTOMER_39[k]);
        }
    }

    #[test]
    fn horizon_factor_is_continuous_at_unit_shape() {
        let at_one = ParetoNbd::new(0.5, 10.0, 1.0, 12.0).expect("valid");
        let near_one = ParetoNbd::new(0.5, 10.0, 1.0 + 1e-7, 12.0).expect("valid");
        let (a, b) = (
            at_one.horizon_factor(30.0, 39.0),
            near_one.horizon_factor(30.0, 39.0),
        );
        assert!(((a - b) / a).abs() < 1e-6);
    }

    #[test]
    fn rejects_bad_input() {
        assert!(matches!(
            ParetoNbd::fit(&[], &FitOptions::default()),
            Err(BtydError::EmptyInput { .. })
        ));
        assert!(matches!(
            ParetoNbd::new(0.5, 10.0, 0.0, 12.0),
            Err(BtydError::InvalidParameter { name: "s", .. })
        ));
        let model = ParetoNbd::new(0.5, 10.0, 0.6, 12.0).expect("valid");
        let broken = CustomerSummary {
            frequency: 0,
            recency: 3.0,
            age: 10.0,
            mean_repeat_spend: 0.0,
        };
        assert!(matches!(
            model.probability_alive(&broken),
            Err(BtydError::InvalidSummary { .. })
        ));
    }
}
