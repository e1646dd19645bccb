//! The probabilistic models of a comparison, fitted on the training rows' purchase summaries.
//!
//! They read the columns that `cmltv features` writes: the repeat-purchase count
//! `frequency`, `recency_weeks`, `age_weeks` and `mean_repeat_spend`, and predict each test
//! customer's spend over the holdout window:
//!
//! ```text
//! pLTV = E[purchases in (T, T + horizon] | x, t_x, T] * E[spend per purchase | x, mean spend]
//! ```

use cmltv_btyd::{
    BgNbd, CustomerSummary, FitOptions, GammaGamma, ParetoNbd, PurchaseModel, expected_spend,
};

use crate::data::Table;
use crate::error::{Error, Result};

/// The summary columns the probabilistic models read: frequency, recency and age (in weeks),
/// and the mean spend of the repeat purchases.
pub const SUMMARY_COLUMNS: [&str; 4] = [
    "frequency",
    "recency_weeks",
    "age_weeks",
    "mean_repeat_spend",
];

/// A purchase model, always combined with Gamma-Gamma spend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Probabilistic {
    /// BG/NBD x Gamma-Gamma.
    BgNbd,
    /// Pareto/NBD x Gamma-Gamma.
    ParetoNbd,
}

impl Probabilistic {
    /// Both models.
    pub const ALL: [Probabilistic; 2] = [Probabilistic::BgNbd, Probabilistic::ParetoNbd];

    /// The name in tables and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Probabilistic::BgNbd => "bgnbd",
            Probabilistic::ParetoNbd => "pareto-nbd",
        }
    }

    /// Fits on `train` and predicts each row of `test` over `horizon_days`.
    ///
    /// # Errors
    ///
    /// [`Error::MissingColumn`] or [`Error::BadValue`] for the summary columns,
    /// [`Error::ProbabilisticModel`] when a fit fails.
    pub fn predict(self, train: &Table, test: &Table, horizon_days: f64) -> Result<Vec<f64>> {
        let fitting = summaries(train)?;
        let scoring = summaries(test)?;
        let options = FitOptions::default();
        // Gamma-Gamma models positive spend: repeat customers whose repeat purchases
        // netted to nothing (free items, returns) carry no information about it.
        let spenders: Vec<CustomerSummary> = fitting
            .iter()
            .filter(|c| c.frequency > 0 && c.mean_repeat_spend > 0.0)
            .copied()
            .collect();
        let spend = GammaGamma::fit(&spenders, &options)?.model;
        let horizon = horizon_days / 7.0;
        match self {
            Probabilistic::BgNbd => {
                let purchases = BgNbd::fit(&fitting, &options)?.model;
                predict_all(&purchases, &spend, &scoring, horizon)
            }
            Probabilistic::ParetoNbd => {
                let purchases = ParetoNbd::fit(&fitting, &options)?.model;
                predict_all(&purchases, &spend, &scoring, horizon)
            }
        }
    }
}

fn predict_all(
    purchases: &impl PurchaseModel,
    spend: &GammaGamma,
    customers: &[CustomerSummary],
    horizon_weeks: f64,
) -> Result<Vec<f64>> {
    let value = |customer| expected_spend(purchases, spend, customer, horizon_weeks);
    Ok(customers
        .iter()
        .map(value)
        .collect::<Result<Vec<f64>, _>>()?)
}

/// Each row's purchase summary, in weeks.
fn summaries(table: &Table) -> Result<Vec<CustomerSummary>> {
    let [frequency, recency, age, spend] = SUMMARY_COLUMNS.map(|name| table.finite_column(name));
    let (frequency, recency, age, spend) = (frequency?, recency?, age?, spend?);
    (0..table.rows())
        .map(|row| {
            let x = frequency[row];
            if x < 0.0 || x.fract() != 0.0 {
                return Err(Error::BadValue {
                    path: table.source().to_path_buf(),
                    row: row + 1,
                    column: SUMMARY_COLUMNS[0].into(),
                    message: format!("a repeat-purchase count must be a whole number, found {x}"),
                });
            }
            Ok(CustomerSummary::new(
                x as u32,
                recency[row],
                age[row],
                spend[row].max(0.0),
            )?)
        })
        .collect()
}
