//! Per-customer recency-frequency summaries of a transaction log.
//!
//! The models see each customer through four numbers measured over the calibration
//! window, in the convention of Fader, Hardie and Lee (2005) and of `lifetimes`:
//!
//! ```text
//! frequency x         = distinct purchase days - 1      (repeat purchases)
//! recency t_x         = last purchase day - first purchase day
//! age T               = calibration end day - first purchase day
//! mean_repeat_spend   = mean spend of the x repeat purchase days (0 when x = 0)
//! ```
//!
//! Times are in one unit chosen by the caller ([`TimeUnit`]): days, or weeks as days / 7.
//! Several purchases of one customer on one day are merged into a single purchase whose
//! spend is their sum. The calibration end day is the last day of the window and ages are
//! counted up to its start, so a customer who first bought on 1997-01-01 has an age of
//! 272 days (38.857 weeks) at the end of a window closing on 1997-09-30; this reproduces
//! the published CDNOW figures.

use crate::error::{BtydError, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What the models know about one customer at the end of the calibration window.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CustomerSummary {
    /// Number of repeat purchases `x` (distinct purchase days minus one).
    pub frequency: u32,
    /// Time `t_x` from the first to the last purchase.
    pub recency: f64,
    /// Time `T` from the first purchase to the end of the calibration window.
    pub age: f64,
    /// Mean spend of the repeat purchases; 0 when `frequency` is 0.
    pub mean_repeat_spend: f64,
}

impl CustomerSummary {
    /// A summary, checked with [`CustomerSummary::validate`].
    ///
    /// # Errors
    ///
    /// As [`CustomerSummary::validate`], with index 0.
    pub fn new(frequency: u32, recency: f64, age: f64, mean_repeat_spend: f64) -> Result<Self> {
        let summary = Self {
            frequency,
            recency,
            age,
            mean_repeat_spend,
        };
        summary.validate(0)?;
        Ok(summary)
    }

    /// Checks the convention: finite values, `0 <= recency <= age`, and `recency = 0` for a
    /// customer without repeat purchases. `index` names the customer in errors.
    ///
    /// # Errors
    ///
    /// [`BtydError::NonFinite`] for a NaN or infinite field, [`BtydError::InvalidSummary`]
    /// when the rules above are broken.
    pub fn validate(&self, index: usize) -> Result<()> {
        let fields = [
            ("recency", self.recency),
            ("age", self.age),
            ("mean_repeat_spend", self.mean_repeat_spend),
        ];
        if let Some(&(field, value)) = fields.iter().find(|(_, v)| !v.is_finite()) {
            return Err(BtydError::NonFinite {
                index,
                field,
                value,
            });
        }
        let invalid = |reason: String| Err(BtydError::InvalidSummary { index, reason });
        if self.recency < 0.0 || self.recency > self.age {
            return invalid(format!(
                "recency {} must lie in [0, age = {}]",
                self.recency, self.age
            ));
        }
        if self.frequency == 0 && self.recency != 0.0 {
            return invalid(format!("recency {} without repeat purchases", self.recency));
        }
        Ok(())
    }
}

/// Checks every summary of a fit's input and that there is at least one.
pub(crate) fn validate_all(customers: &[CustomerSummary]) -> Result<()> {
    if customers.is_empty() {
        return Err(BtydError::EmptyInput {
            what: "customer summaries",
        });
    }
    customers
        .iter()
        .enumerate()
        .try_for_each(|(index, customer)| customer.validate(index))
}

/// The unit in which recency, age and horizons are measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum TimeUnit {
    /// One day.
    Days,
    /// Seven days.
    #[default]
    Weeks,
}

impl TimeUnit {
    /// Length of the unit in days.
    pub fn days(self) -> f64 {
        match self {
            Self::Days => 1.0,
            Self::Weeks => 7.0,
        }
    }
}

/// One transaction of a log: who bought, on which day, for how much.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Purchase<K> {
    /// Customer identifier.
    pub customer: K,
    /// Day number of the purchase (days since any fixed epoch).
    pub day: i64,
    /// Amount paid.
    pub amount: f64,
}

/// What a customer did in the holdout window.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct HoldoutSummary {
    /// Distinct purchase days in the holdout window.
    pub purchases: u32,
    /// Total spend in the holdout window.
    pub spend: f64,
}

/// Summarises the calibration window, which closes at the end of `end_day`.
///
/// Purchases after `end_day` are ignored; every customer with a purchase on or before it
/// gets a summary. Same-day purchases are merged (see the [module docs](crate::summary)).
///
/// # Errors
///
/// [`BtydError::NonFinite`] when an amount is NaN or infinite (the index is the
/// purchase's position in `purchases`).
///
/// # Example
///
/// ```
/// use cmltv_btyd::{summarize, Purchase, TimeUnit};
///
/// let log = [
///     Purchase { customer: "ann", day: 0, amount: 10.0 },
///     Purchase { customer: "ann", day: 0, amount: 5.0 },
///     Purchase { customer: "ann", day: 14, amount: 20.0 },
///     Purchase { customer: "bob", day: 7, amount: 8.0 },
/// ];
/// let summaries = summarize(&log, 27, TimeUnit::Weeks)?;
/// let ann = summaries["ann"];
/// assert_eq!(ann.frequency, 1);
/// assert_eq!((ann.recency, ann.age, ann.mean_repeat_spend), (2.0, 27.0 / 7.0, 20.0));
/// assert_eq!(summaries["bob"].frequency, 0);
/// # Ok::<(), cmltv_btyd::BtydError>(())
/// ```
pub fn summarize<K: Ord + Clone>(
    purchases: &[Purchase<K>],
    end_day: i64,
    unit: TimeUnit,
) -> Result<BTreeMap<K, CustomerSummary>> {
    let days = daily_spend(purchases, |day| day <= end_day)?;
    let summaries = days
        .into_iter()
        .map(|(customer, spend)| (customer, summarize_days(&spend, end_day, unit)))
        .collect();
    Ok(summaries)
}

/// Summarises the holdout window `(calibration_end_day, holdout_end_day]`.
///
/// Only customers with a purchase in the holdout window appear in the result.
///
/// # Errors
///
/// As [`summarize`].
pub fn summarize_holdout<K: Ord + Clone>(
    purchases: &[Purchase<K>],
    calibration_end_day: i64,
    holdout_end_day: i64,
) -> Result<BTreeMap<K, HoldoutSummary>> {
    let in_holdout = |day| day > calibration_end_day && day <= holdout_end_day;
    let days = daily_spend(purchases, in_holdout)?;
    let summaries = days
        .into_iter()
        .map(|(customer, spend)| {
            let summary = HoldoutSummary {
                purchases: count(spend.len()),
                spend: spend.values().sum(),
            };
            (customer, summary)
        })
        .collect();
    Ok(summaries)
}

type DailySpend = BTreeMap<i64, f64>;

/// Spend per customer and purchase day, for the days that `keep` accepts.
fn daily_spend<K: Ord + Clone>(
    purchases: &[Purchase<K>],
    keep: impl Fn(i64) -> bool,
) -> Result<BTreeMap<K, DailySpend>> {
    let mut customers: BTreeMap<K, DailySpend> = BTreeMap::new();
    for (index, purchase) in purchases.iter().enumerate() {
        if !purchase.amount.is_finite() {
            return Err(BtydError::NonFinite {
                index,
                field: "amount",
                value: purchase.amount,
            });
        }
        if keep(purchase.day) {
            let days = customers.entry(purchase.customer.clone()).or_default();
            *days.entry(purchase.day).or_insert(0.0) += purchase.amount;
        }
    }
    Ok(customers)
}

/// The summary of one customer from their (non-empty) spend per purchase day.
fn summarize_days(spend: &DailySpend, end_day: i64, unit: TimeUnit) -> CustomerSummary {
    let (&first, _) = spend
        .first_key_value()
        .expect("a customer has a purchase day");
    let (&last, _) = spend
        .last_key_value()
        .expect("a customer has a purchase day");
    let frequency = count(spend.len() - 1);
    let repeat_total: f64 = spend.values().skip(1).sum();
    let mean_repeat_spend = if frequency == 0 {
        0.0
    } else {
        repeat_total / f64::from(frequency)
    };
    CustomerSummary {
        frequency,
        recency: (last - first) as f64 / unit.days(),
        age: (end_day - first) as f64 / unit.days(),
        mean_repeat_spend,
    }
}

fn count(days: usize) -> u32 {
    u32::try_from(days).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn purchase(customer: u32, day: i64, amount: f64) -> Purchase<u32> {
        Purchase {
            customer,
            day,
            amount,
        }
    }

    #[test]
    fn merges_same_day_purchases_and_ignores_holdout() {
        let log = [
            purchase(1, 3, 1.0),
            purchase(1, 10, 2.0),
            purchase(1, 10, 4.0),
            purchase(1, 17, 9.0),
            purchase(1, 40, 100.0),
        ];
        let summary = summarize(&log, 31, TimeUnit::Days).expect("valid log")[&1];
        assert_eq!(summary.frequency, 2);
        assert_eq!(summary.recency, 14.0);
        assert_eq!(summary.age, 28.0);
        assert_eq!(summary.mean_repeat_spend, 7.5);

        let holdout = summarize_holdout(&log, 31, 60).expect("valid log")[&1];
        assert_eq!(holdout.purchases, 1);
        assert_eq!(holdout.spend, 100.0);
    }

    #[test]
    fn rejects_non_finite_amount() {
        let log = [purchase(1, 0, 1.0), purchase(2, 0, f64::NAN)];
        let error = summarize(&log, 10, TimeUnit::Days).unwrap_err();
        assert!(matches!(error, BtydError::NonFinite { index: 1, .. }));
    }

    #[test]
    fn validate_rejects_broken_summaries() {
        assert!(matches!(
            CustomerSummary::new(1, 5.0, 4.0, 1.0),
            Err(BtydError::InvalidSummary { .. })
        ));
        assert!(matches!(
            CustomerSummary::new(0, 1.0, 4.0, 0.0),
            Err(BtydError::InvalidSummary { .. })
        ));
        assert!(matches!(
            CustomerSummary::new(1, 1.0, f64::INFINITY, 1.0),
            Err(BtydError::NonFinite { field: "age", .. })
        ));
        assert!(matches!(
            validate_all(&[]),
            Err(BtydError::EmptyInput { .. })
        ));
    }
}
