//! The CMLTV objective: one file per term, combined here with their weights.
//!
//! ```text
//! L = w_p L_p + w_d L_d + w_l L_l + w_c L_c + w_cc L_cc + w_rc (L_rc^d + L_rc^l + L_rc^c)
//! ```
//!
//! A term whose subset is empty in a batch (no payers, no non-payers, fewer than two rows)
//! contributes exactly 0, never NaN.

mod bucket;
mod contrastive;
mod gamma;
mod log_view;
mod lognormal;
mod purchase;
pub mod special;
mod targets;

use burn::prelude::*;
use serde::{Deserialize, Serialize};

pub use bucket::{BucketScheme, bucket_centre, bucket_index, bucket_loss};
pub use contrastive::{
    classification_contrastive, correlation_regression_contrastive, pairwise_regression_contrastive,
};
pub use gamma::{EPS, gamma_nll, gamma_parameters};
pub use log_view::log_view_loss;
pub use lognormal::{lognormal_nll, lognormal_sigma};
pub use purchase::purchase_loss;
pub use targets::{Targets, draw_pairs};

use crate::error::{Error, Result};
use crate::model::{Distribution, HeadOutputs, ViewTensors};

/// The form of the regression contrastive term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegressionContrastive {
    /// Softplus ranking loss over pairs, ordered by the purchase probability.
    #[default]
    Pairwise,
    /// One minus the Pearson correlation of `log(1 + view)` with the purchase probability.
    Correlation,
}

/// Weights and temperatures of the loss terms.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LossConfig {
    /// Weight of the purchase cross-entropy `L_p`.
    pub purchase: f64,
    /// Weight of the distribution view's likelihood `L_d`.
    pub distribution: f64,
    /// Weight of the log view's squared error `L_l`.
    pub log: f64,
    /// Weight of the bucket view's cross-entropy `L_c`.
    pub bucket: f64,
    /// Weight of the classification contrastive term `L_cc`.
    pub classification_contrastive: f64,
    /// Weight of each view's regression contrastive term `L_rc`.
    pub regression_contrastive: f64,
    /// Temperature `tau_c`.
    pub classification_temperature: f64,
    /// Temperature `tau_r`.
    pub regression_temperature: f64,
    /// Form of `L_rc`.
    pub regression_form: RegressionContrastive,
    /// Random partners per row for the pairwise form.
    pub pair_partners: usize,
    /// Batches of at most this many rows use every pair.
    pub all_pairs_below: usize,
}

impl Default for LossConfig {
    fn default() -> Self {
        LossConfig {
            purchase: 1.0,
            distribution: 1.0,
            log: 1.0,
            bucket: 1.0,
            classification_contrastive: 1.0,
            regression_contrastive: 0.1,
            classification_temperature: 1.0,
            regression_temperature: 1.0,
            regression_form: RegressionContrastive::Pairwise,
            pair_partners: 4,
            all_pairs_below: 64,
        }
    }
}

impl LossConfig {
    /// The weight of each term, in [`TERM_NAMES`] order.
    pub fn term_weights(&self) -> [f64; 8] {
        let rc = self.regression_contrastive;
        [
            self.purchase,
            self.distribution,
            self.log,
            self.bucket,
            self.classification_contrastive,
            rc,
            rc,
            rc,
        ]
    }

    /// Checks weights and temperatures.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidSetting`] for a negative or non-finite weight, or a temperature that is
    /// not positive.
    pub fn validate(&self) -> Result<()> {
        let weights = [
            ("purchase", self.purchase),
            ("distribution", self.distribution),
            ("log", self.log),
            ("bucket", self.bucket),
            (
                "classification_contrastive",
                self.classification_contrastive,
            ),
            ("regression_contrastive", self.regression_contrastive),
        ];
        for (name, weight) in weights {
            if !weight.is_finite() || weight < 0.0 {
                return Err(invalid(name, weight, "weights must be finite and >= 0"));
            }
        }
        let temperatures = [
            (
                "classification_temperature",
                self.classification_temperature,
            ),
            ("regression_temperature", self.regression_temperature),
        ];
        for (name, temperature) in temperatures {
            if !temperature.is_finite() || temperature <= 0.0 {
                return Err(invalid(name, temperature, "temperatures must be > 0"));
            }
        }
        Ok(())
    }
}

fn invalid(name: &str, value: f64, reason: &str) -> Error {
    Error::InvalidSetting {
        name: format!("loss.{name}"),
        value: value.to_string(),
        reason: reason.to_string(),
    }
}

/// Names of the loss terms, in the order of [`LossTerms::terms`].
pub const TERM_NAMES: [&str; 8] = [
    "purchase",
    "distribution",
    "log",
    "bucket",
    "classification_contrastive",
    "regression_contrastive_distribution",
    "regression_contrastive_log",
    "regression_contrastive_bucket",
];

/// The unweighted terms of one batch and their weighted total.
#[derive(Debug, Clone)]
pub struct LossTerms {
    /// Weighted sum, the quantity to minimise: `[1]`.
    pub total: Tensor<1>,
    /// Unweighted terms in [`TERM_NAMES`] order, `None` where the weight is 0: `[1]` each.
    pub terms: Vec<Option<Tensor<1>>>,
}

/// Everything the loss needs besides the targets: what turns head outputs into views.
#[derive(Debug, Clone)]
pub struct ViewSettings {
    /// The distribution view's family.
    pub distribution: Distribution,
    /// Labels are divided by this inside the distribution view.
    pub label_scale: f64,
    /// `v_k` of each bucket: `[K]`.
    pub bucket_values: Tensor<1>,
}

/// Computes every term and the weighted total for one batch.
pub fn cmltv_loss(
    outputs: &HeadOutputs,
    targets: &Targets,
    views: &ViewSettings,
    config: &LossConfig,
) -> LossTerms {
    let device = outputs.purchase_logit.device();
    let zero = || Tensor::<1>::zeros([1], &device);
    let predictions = outputs.views(
        views.distribution,
        views.label_scale,
        views.bucket_values.clone(),
    );
    let weighted = |weight: f64, term: &dyn Fn() -> Tensor<1>| (weight > 0.0).then(term);

    let terms = vec![
        weighted(config.purchase, &|| {
            purchase_loss(outputs.purchase_logit.clone(), targets.payer.clone())
        }),
        weighted(config.distribution, &|| {
            distribution_term(outputs, targets, views.distribution).unwrap_or_else(zero)
        }),
        weighted(config.log, &|| {
            log_term(outputs, targets).unwrap_or_else(zero)
        }),
        weighted(config.bucket, &|| {
            bucket_term(outputs, targets).unwrap_or_else(zero)
        }),
        weighted(config.classification_contrastive, &|| {
            classification_term(&predictions, targets, config).unwrap_or_else(zero)
        }),
        weighted(config.regression_contrastive, &|| {
            regression_term(
                predictions.distribution.clone(),
                &predictions,
                targets,
                config,
            )
            .unwrap_or_else(zero)
        }),
        weighted(config.regression_contrastive, &|| {
            regression_term(predictions.log.clone(), &predictions, targets, config)
                .unwrap_or_else(zero)
        }),
        weighted(config.regression_contrastive, &|| {
            regression_term(predictions.bucket.clone(), &predictions, targets, config)
                .unwrap_or_else(zero)
        }),
    ];
    let total = terms
        .iter()
        .zip(config.term_weights())
        .filter_map(|(term, weight)| term.clone().map(|t| t.mul_scalar(weight)))
        .fold(zero(), |sum, term| sum + term);
    LossTerms { total, terms }
}

fn distribution_term(
    outputs: &HeadOutputs,
    targets: &Targets,
    distribution: Distribution,
) -> Option<Tensor<1>> {
    let payers = targets.payers.clone()?;
    let y = targets.payer_scaled_labels.clone()?;
    let first = outputs.distribution_first.clone().select(0, payers.clone());
    let second = outputs.distribution_second.clone().select(0, payers);
    let nll = match distribution {
        Distribution::Gamma => {
            let (shape, rate) = gamma_parameters(first, second);
            gamma_nll(shape, rate, y)
        }
        Distribution::Lognormal => lognormal_nll(first, lognormal_sigma(second), y),
    };
    Some(nll.mean())
}

fn log_term(outputs: &HeadOutputs, targets: &Targets) -> Option<Tensor<1>> {
    let payers = targets.payers.clone()?;
    let s = outputs.log_view.clone().select(0, payers);
    Some(log_view_loss(s, targets.payer_labels.clone()?))
}

fn bucket_term(outputs: &HeadOutputs, targets: &Targets) -> Option<Tensor<1>> {
    let payers = targets.payers.clone()?;
    let logits = outputs.bucket_logits.clone().select(0, payers);
    Some(bucket_loss(logits, targets.payer_buckets.clone()?))
}

fn classification_term(
    predictions: &ViewTensors,
    targets: &Targets,
    config: &LossConfig,
) -> Option<Tensor<1>> {
    let p = &predictions.purchase_probability;
    Some(classification_contrastive(
        p.clone().select(0, targets.payers.clone()?),
        p.clone().select(0, targets.non_payers.clone()?),
        config.classification_temperature,
    ))
}

fn regression_term(
    view: Tensor<1>,
    predictions: &ViewTensors,
    targets: &Targets,
    config: &LossConfig,
) -> Option<Tensor<1>> {
    if targets.rows < 2 {
        return None;
    }
    let z = view.log1p();
    let p = predictions.purchase_probability.clone();
    match config.regression_form {
        RegressionContrastive::Pairwise => {
            let (first, second) = targets.pairs.clone()?;
            Some(pairwise_regression_contrastive(
                z,
                p,
                first,
                second,
                config.regression_temperature,
            ))
        }
        RegressionContrastive::Correlation => Some(correlation_regression_contrastive(z, p)),
    }
}

#[cfg(test)]
mod tests;
