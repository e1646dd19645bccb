//! The Gamma-Gamma model of spend per purchase.
//!
//! Each purchase of a customer is worth `z ~ Gamma(p, nu)`, and the customers' `nu` vary
//! as `Gamma(q, gamma)`. A customer with `x` repeat purchases of mean value `m` has the
//! likelihood (the density of the mean `m`)
//!
//! ```text
//! L = Gamma(p x + q) / (Gamma(p x) Gamma(q)) * gamma^q m^(p x - 1) x^(p x)
//!     / (x m + gamma)^(p x + q)
//! ```
//!
//! and the expected value of their future purchases is the weighted mean of the
//! population mean and their own mean:
//!
//! ```text
//! E[M | x, m] = (q - 1) / (p x + q - 1) * p gamma / (q - 1) + p x / (p x + q - 1) * m
//!             = p (gamma + x m) / (p x + q - 1)
//! ```
//!
//! which is the population mean `p gamma / (q - 1)` for `x = 0` and needs `q > 1` there.
//! The model is fitted on repeat customers only (`x > 0`), with `m` the mean of the repeat
//! purchases, as the reference does.
//!
//! Reference: P. S. Fader, B. G. S. Hardie and K. L. Lee, "RFM and CLV: Using Iso-Value
//! Curves for Customer Base Analysis", Journal of Marketing Research 42(4), 2005, and
//! P. S. Fader and B. G. S. Hardie, "The Gamma-Gamma Model of Monetary Value", 2013,
//! equations (1) and (5); <https://brucehardie.com/notes/025/>.

use crate::error::{BtydError, Result};
use crate::fit::{Fit, FitOptions, maximize_log_likelihood};
use crate::model::check_positive;
use crate::special::ln_gamma;
use crate::summary::{CustomerSummary, validate_all};
use serde::{Deserialize, Serialize};

/// A Gamma-Gamma spend model: spend per purchase `Gamma(p, nu)`, `nu ~ Gamma(q, gamma)`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GammaGamma {
    /// Shape of the gamma distribution of one purchase's value.
    pub p: f64,
    /// Shape of the gamma distribution of the customers' rate `nu`.
    pub q: f64,
    /// Rate of the gamma distribution of the customers' rate `nu`, in spend units.
    pub gamma: f64,
}

impl GammaGamma {
    /// A model with the given parameters.
    ///
    /// # Errors
    ///
    /// [`BtydError::InvalidParameter`] unless every parameter is positive and finite.
    pub fn new(p: f64, q: f64, gamma: f64) -> Result<Self> {
        let model = Self { p, q, gamma };
        model.validate()?;
        Ok(model)
    }

    /// Checks that every parameter is positive and finite.
    ///
    /// # Errors
    ///
    /// [`BtydError::InvalidParameter`] naming the first bad parameter.
    pub fn validate(&self) -> Result<()> {
        check_positive("p", self.p)?;
        check_positive("q", self.q)?;
        check_positive("gamma", self.gamma)
    }

    /// Maximum-likelihood fit to the repeat customers among `customers`; the others are
    /// skipped.
    ///
    /// The search starts at `p = 1`, `q = 2`, `gamma` = the mean of the customers' mean
    /// spends, where the population mean spend equals that mean.
    ///
    /// # Errors
    ///
    /// [`BtydError::EmptyInput`] when no customer has a repeat purchase,
    /// [`BtydError::InvalidSummary`] when a repeat customer's mean spend is not positive,
    /// the summary errors of [`CustomerSummary::validate`], [`BtydError::InvalidSetting`]
    /// for bad options, [`BtydError::NotConverged`] when the optimizer runs out of
    /// iterations.
    ///
    /// # Example
    ///
    /// ```
    /// use cmltv_btyd::{CustomerSummary, FitOptions, GammaGamma};
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
    /// let fit = GammaGamma::fit(&customers, &FitOptions::default())?;
    /// assert!((fit.model.p - 5.83).abs() < 1e-2 && (fit.model.gamma - 31.33).abs() < 1e-1);
    ///
    /// // A customer's estimate is pulled from their own mean towards the population mean.
    /// let population = fit.model.population_mean_spend()?;
    /// let big_spender = fit.model.expected_mean_spend(&customers[6])?;
    /// assert!(population < big_spender && big_spender < 73.0);
    /// # Ok::<(), cmltv_btyd::BtydError>(())
    /// ```
    pub fn fit(customers: &[CustomerSummary], options: &FitOptions) -> Result<Fit<Self>> {
        validate_all(customers)?;
        let repeat = repeat_customers(customers)?;
        let mean = repeat.iter().map(|c| c.mean_repeat_spend).sum::<f64>() / repeat.len() as f64;
        let log_likelihood = |p: &[f64]| Ok(Self::from_slice(p).sum_log_likelihood(&repeat));
        let optimum =
            maximize_log_likelihood(log_likelihood, &[1.0, 2.0, mean], repeat.len(), options)?;
        let model = Self::from_slice(&optimum.params);
        Ok(Fit {
            log_likelihood: model.log_likelihood(&repeat)?,
            model,
            iterations: optimum.iterations,
        })
    }

    /// Total log-likelihood of the repeat customers among `customers`.
    ///
    /// # Errors
    ///
    /// [`BtydError::InvalidParameter`] for a bad model, the input errors of
    /// [`GammaGamma::fit`], [`BtydError::NonFiniteResult`] when the value overflows.
    pub fn log_likelihood(&self, customers: &[CustomerSummary]) -> Result<f64> {
        self.validate()?;
        validate_all(customers)?;
        let total = self.sum_log_likelihood(&repeat_customers(customers)?);
        if !total.is_finite() {
            return Err(BtydError::NonFiniteResult {
                what: "log-likelihood",
            });
        }
        Ok(total)
    }

    /// Expected value of one future purchase of the customer, `E[M | x, m]`.
    ///
    /// # Errors
    ///
    /// [`BtydError::InvalidParameter`] for a bad model, the summary errors of
    /// [`CustomerSummary::validate`], [`BtydError::NonFiniteResult`] when the mean is
    /// infinite (`q <= 1` for a customer without repeat purchases).
    pub fn expected_mean_spend(&self, customer: &CustomerSummary) -> Result<f64> {
        self.validate()?;
        customer.validate(0)?;
        let Self { p, q, gamma } = *self;
        let x = f64::from(customer.frequency);
        let weight = p * x + q - 1.0;
        if weight <= 0.0 {
            return Err(BtydError::NonFiniteResult {
                what: "expected mean spend (needs p x + q > 1)",
            });
        }
        Ok(p * (gamma + x * customer.mean_repeat_spend) / weight)
    }

    /// The population mean spend per purchase, `p gamma / (q - 1)`.
    ///
    /// # Errors
    ///
    /// [`BtydError::NonFiniteResult`] when `q <= 1` (infinite mean).
    pub fn population_mean_spend(&self) -> Result<f64> {
        let newcomer = CustomerSummary {
            frequency: 0,
            recency: 0.0,
            age: 0.0,
            mean_repeat_spend: 0.0,
        };
        self.expected_mean_spend(&newcomer)
    }

    fn from_slice(p: &[f64]) -> Self {
        Self {
            p: p[0],
            q: p[1],
            gamma: p[2],
        }
    }

    fn sum_log_likelihood(&self, repeat: &[CustomerSummary]) -> f64 {
        repeat.iter().map(|c| self.customer_log_likelihood(c)).sum()
    }

    /// `ln L` of one repeat customer (module docs).
    fn customer_log_likelihood(&self, customer: &CustomerSummary) -> f64 {
        let Self { p, q, gamma } = *self;
        let x = f64::from(customer.frequency);
        let m = customer.mean_repeat_spend;
        let px = p * x;
        ln_gamma(px + q) - ln_gamma(px) - ln_gamma(q)
            + q * gamma.ln()
            + (px - 1.0) * m.ln()
            + px * x.ln()
            - (px + q) * (x * m + gamma).ln()
    }
}

/// The customers with a repeat purchase, each checked to have a positive mean spend.
fn repeat_customers(customers: &[CustomerSummary]) -> Result<Vec<CustomerSummary>> {
    let mut repeat = Vec::new();
    for (index, customer) in customers.iter().enumerate() {
        if customer.frequency == 0 {
            continue;
        }
        if customer.mean_repeat_spend <= 0.0 {
            return Err(BtydError::InvalidSummary {
                index,
                reason: format!(
                    "mean repeat spend {} must be positive for a repeat customer",
                    customer.mean_repeat_spend
                ),
            });
        }
        repeat.push(*customer);
    }
    if repeat.is_empty() {
        return Err(BtydError::EmptyInput {
            what: "customers with repeat purchases",
        });
    }
    Ok(repeat)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Relative tolerance against `lifetimes` (scipy's `gammaln`).
    const TOLERANCE: f64 = 1e-11;

    const CUSTOMERS: [(u32, f64); 5] = [(0, 0.0), (1, 14.96), (2, 35.5), (5, 22.1), (12, 80.0)];

    fn customers() -> Vec<CustomerSummary> {
        CUSTOMERS
            .iter()
            .map(|&(x, m)| {
                let recency = if x == 0 { 0.0 } else { 20.0 };
                CustomerSummary::new(x, recency, 30.0, m).expect("valid")
            })
            .collect()
    }

    fn assert_close(value: f64, expected: f64) {
        let error = ((value - expected) / expected).abs();
        assert!(error < TOLERANCE, "{value} differs from {expected}");
    }

    // Expected values from lifetimes 0.11.3 (numpy 1.26.4, scipy 1.17.1):
    //
    // import numpy as np, pandas as pd
    // from lifetimes import GammaGammaFitter
    // x = np.array([0, 1, 2, 5, 12.]); m = np.array([0, 14.96, 35.5, 22.1, 80.0])
    // params = np.array([6.25, 3.74, 15.44])
    // print(-GammaGammaFitter._negative_log_likelihood(np.log(params), x[1:], m[1:],
    //                                                  np.ones(4), 0) * 4)
    // gg = GammaGammaFitter(); gg.params_ = pd.Series(params, index=["p", "q", "v"])
    // print(gg.conditional_expected_average_profit(x, m))
    const LOG_LIKELIHOOD: f64 = -17.52818456049993;
    const MEAN_SPEND: [f64; 5] = [
        35.21897810218978,
        21.13459399332592,
        35.449475065616795,
        23.157546337157992,
        78.42166195009005,
    ];

    fn published() -> GammaGamma {
        GammaGamma::new(6.25, 3.74, 15.44).expect("valid")
    }

    #[test]
    fn log_likelihood_matches_lifetimes() {
        let value = published().log_likelihood(&customers()).expect("defined");
        assert_close(value, LOG_LIKELIHOOD);
    }

    #[test]
    fn expected_mean_spend_matches_lifetimes() {
        for (customer, expected) in customers().iter().zip(MEAN_SPEND) {
            let value = published().expected_mean_spend(customer).expect("defined");
            assert_close(value, expected);
        }
        let population = published().population_mean_spend().expect("finite");
        assert_close(population, MEAN_SPEND[0]);
    }

    #[test]
    fn rejects_bad_input() {
        let one_timers = [CustomerSummary::new(0, 0.0, 10.0, 0.0).expect("valid")];
        assert!(matches!(
            GammaGamma::fit(&one_timers, &FitOptions::default()),
            Err(BtydError::EmptyInput { .. })
        ));
        let free = [CustomerSummary::new(2, 3.0, 10.0, 0.0).expect("valid")];
        assert!(matches!(
            GammaGamma::fit(&free, &FitOptions::default()),
            Err(BtydError::InvalidSummary { index: 0, .. })
        ));
        let heavy_tail = GammaGamma::new(2.0, 0.8, 10.0).expect("valid");
        assert!(matches!(
            heavy_tail.population_mean_spend(),
            Err(BtydError::NonFiniteResult { .. })
        ));
    }
}
