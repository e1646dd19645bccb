//! What the purchase models share, and expected spend over a horizon.
//!
//! A purchase model (BG/NBD, Pareto/NBD) predicts how many purchases a customer makes in
//! the horizon after the calibration window; the Gamma-Gamma model predicts what each
//! purchase is worth. Their product is the customer's expected spend:
//!
//! ```text
//! E[spend in (T, T + t]] = E[Y(t) | x, t_x, T] * E[M | x, m_x]
//! ```
//!
//! which assumes, as Fader, Hardie and Lee (2005, "RFM and CLV") do, that spend per
//! purchase is independent of the purchase process. No discounting is applied.

use crate::error::{BtydError, Result};
use crate::gamma_gamma::GammaGamma;
use crate::summary::CustomerSummary;

/// A model of when customers buy and whether they are still customers.
pub trait PurchaseModel {
    /// Expected purchases of the customer in the horizon `(T, T + horizon]` after the
    /// calibration window, given their summary.
    ///
    /// # Errors
    ///
    /// [`BtydError::InvalidSetting`] for a negative or non-finite horizon,
    /// [`BtydError::InvalidParameter`] for a bad model, a summary error for a bad
    /// customer, [`BtydError::NonFiniteResult`] when the value is not finite.
    fn expected_purchases(&self, customer: &CustomerSummary, horizon: f64) -> Result<f64>;

    /// Probability that the customer is still alive (has not dropped out) at the end of
    /// the calibration window.
    ///
    /// # Errors
    ///
    /// As [`PurchaseModel::expected_purchases`], without the horizon.
    fn probability_alive(&self, customer: &CustomerSummary) -> Result<f64>;
}

/// Expected spend of a customer over the horizon after the calibration window: expected
/// purchases times expected spend per purchase (module docs).
///
/// # Errors
///
/// Those of [`PurchaseModel::expected_purchases`] and
/// [`GammaGamma::expected_mean_spend`].
///
/// # Example
///
/// ```
/// use cmltv_btyd::{BgNbd, CustomerSummary, GammaGamma, expected_spend};
///
/// let purchases = BgNbd::new(0.2426, 4.4137, 0.7930, 2.4262)?;
/// let spend = GammaGamma::new(6.25, 3.74, 15.44)?;
/// let customer = CustomerSummary::new(3, 30.0, 38.0, 40.0)?;
/// let value = expected_spend(&purchases, &spend, &customer, 39.0)?;
/// assert!(value > 0.0);
/// # Ok::<(), cmltv_btyd::BtydError>(())
/// ```
pub fn expected_spend(
    purchases: &impl PurchaseModel,
    spend: &GammaGamma,
    customer: &CustomerSummary,
    horizon: f64,
) -> Result<f64> {
    let count = purchases.expected_purchases(customer, horizon)?;
    let value = spend.expected_mean_spend(customer)?;
    Ok(count * value)
}

/// Checks that a parameter is positive and finite.
pub(crate) fn check_positive(name: &'static str, value: f64) -> Result<()> {
    if value.is_finite() && value > 0.0 {
        Ok(())
    } else {
        Err(BtydError::InvalidParameter { name, value })
    }
}

/// Checks that a horizon is non-negative and finite.
pub(crate) fn check_horizon(horizon: f64) -> Result<()> {
    if horizon.is_finite() && horizon >= 0.0 {
        Ok(())
    } else {
        Err(BtydError::InvalidSetting {
            name: "horizon",
            value: horizon,
            reason: "must be non-negative and finite",
        })
    }
}

/// Validates a customer and horizon, runs a prediction and checks that it is finite.
pub(crate) fn predict_checked(
    customer: &CustomerSummary,
    horizon: f64,
    predict: impl FnOnce(&CustomerSummary) -> Result<f64>,
) -> Result<f64> {
    check_horizon(horizon)?;
    customer.validate(0)?;
    let value = predict(customer)?;
    if value.is_finite() {
        Ok(value)
    } else {
        Err(BtydError::NonFiniteResult { what: "prediction" })
    }
}
