//! The CMLTV objective: one file per term, combined here with their weights.
//!
//! ```text
//! L = w_p L_p + w_d L_d + w_l L_l + w_c L_c + w_cc L_cc + w_rc (L_rc^d + L_rc^l + L_rc^c)
//! ```
//!
//! or, with the fused form of the regression contrastive term, `w_rc L_rc^fused` in place of
//! the three per-view terms. The defaults are `w_p = 20`, the fused form at `w_rc = 1`, and 1
//! for the rest: `L_p` averages over every row while the view terms average over payers
//! only, so at a few per cent payers the purchase head would otherwise have little say in the
//! shared backbone (ZILN balances the same way by averaging its amount term over all rows).
//!
//! [`objective`] also covers the baselines: ZILN, two-stage and the squared-error models.
//!
//! A term whose subset is empty in a batch (no payers, no non-payers, fewer than two rows)
//! contributes exactly 0, never NaN.

mod bucket;
mod contrastive;
mod gamma;
mod log_view;
mod lognormal;
mod purchase;
mod regression;
pub mod special;
mod targets;
mod ziln;

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
pub use regression::squared_error;
pub use targets::{Targets, draw_pairs};
pub use ziln::{ziln_loss, ziln_sigma};

use crate::error::{Error, Result};
use crate::model::{
    Distribution, HeadOutputs, LognormalOutputs, ModelType, NetworkOutputs, ViewTensors,
};

/// The form of the regression contrastive term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegressionContrastive {
    /// Softplus ranking loss over pairs, ordered by the purchase probability.
    Pairwise,
    /// One minus the Pearson correlation of `log(1 + view)` with the purchase probability.
    Correlation,
    /// The pairwise form turned around: pairs ordered by each view, the gradient into the
    /// purchase head's logit, the views held constant.
    Purchase,
    /// One pairwise term on the fused `log(1 + pLTV)`, pairs ordered by the label: a ranking
    /// loss on the prediction users rank by, with the gradient into every head.
    #[default]
    Fused,
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
            purchase: 20.0,
            distribution: 1.0,
            log: 1.0,
            bucket: 1.0,
            classification_contrastive: 1.0,
            regression_contrastive: 1.0,
            classification_temperature: 1.0,
            regression_temperature: 1.0,
            regression_form: RegressionContrastive::Fused,
            pair_partners: 4,
            all_pairs_below: 64,
        }
    }
}

impl LossConfig {
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

/// The unweighted terms of one batch and their weighted total.
#[derive(Debug, Clone)]
pub struct LossTerms {
    /// Weighted sum, the quantity to minimise: `[1]`.
    pub total: Tensor<1>,
    /// The unweighted terms with a positive weight, by name: `[1]` each. A batch of a given
    /// model always yields the same names in the same order.
    pub terms: Vec<(&'static str, Tensor<1>)>,
}

/// Everything the loss and the predictions need besides the targets: what turns head
/// outputs into views and how the views are fused.
#[derive(Debug, Clone)]
pub struct ViewSettings {
    /// The model type whose outputs these are.
    pub model_type: ModelType,
    /// The distribution view's family.
    pub distribution: Distribution,
    /// Labels are divided by this inside the distribution view and the raw-label regressor.
    pub label_scale: f64,
    /// `v_k` of each bucket: `[K]`.
    pub bucket_values: Tensor<1>,
    /// Fusion weight of the distribution view.
    pub alpha: f64,
    /// Fusion weight of the log view.
    pub beta: f64,
}

/// Computes the loss of any model type for one batch.
pub fn objective(
    outputs: &NetworkOutputs,
    targets: &Targets,
    views: &ViewSettings,
    config: &LossConfig,
) -> LossTerms {
    match outputs {
        NetworkOutputs::Cmltv(heads) => cmltv_loss(heads, targets, views, config),
        NetworkOutputs::Lognormal(outputs) => lognormal_loss(outputs, targets, views.model_type),
        NetworkOutputs::Regression(s) => {
            let target = match views.model_type {
                ModelType::MseLog => targets.labels.clone().log1p(),
                _ => targets.labels.clone().div_scalar(views.label_scale),
            };
            single("squared_error", squared_error(s.clone(), target))
        }
    }
}

fn single(name: &'static str, term: Tensor<1>) -> LossTerms {
    LossTerms {
        total: term.clone(),
        terms: vec![(name, term)],
    }
}

/// ZILN's loss, or the two-stage model's two losses.
fn lognormal_loss(
    outputs: &LognormalOutputs,
    targets: &Targets,
    model_type: ModelType,
) -> LossTerms {
    let payers = targets.payers.clone().zip(targets.payer_labels.clone());
    if model_type == ModelType::Ziln {
        let loss = ziln_loss(
            outputs.purchase_logit.clone(),
            outputs.mu.clone(),
            outputs.sigma_raw.clone(),
            targets.payer.clone(),
            payers,
        );
        return single("ziln", loss);
    }
    let purchase = purchase_loss(outputs.purchase_logit.clone(), targets.payer.clone());
    let device = purchase.device();
    let amount = payers.map_or_else(
        || Tensor::zeros([1], &device),
        |(rows, labels)| {
            let mu = outputs.mu.clone().select(0, rows.clone());
            let sigma = ziln_sigma(outputs.sigma_raw.clone().select(0, rows));
            lognormal_nll(mu, sigma, labels).mean()
        },
    );
    LossTerms {
        total: purchase.clone() + amount.clone(),
        terms: vec![("purchase", purchase), ("amount", amount)],
    }
}

/// Computes every CMLTV term and the weighted total for one batch.
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
    let regression = |view: &Tensor<1>| {
        regression_term(
            view.clone(),
            &predictions,
            &outputs.purchase_logit,
            targets,
            config,
        )
        .unwrap_or_else(zero)
    };
    let (rc, rc_fused) = match config.regression_form {
        RegressionContrastive::Fused => (0.0, config.regression_contrastive),
        _ => (config.regression_contrastive, 0.0),
    };
    let candidates: [(&'static str, f64, &dyn Fn() -> Tensor<1>); 9] = [
        ("purchase", config.purchase, &|| {
            purchase_loss(outputs.purchase_logit.clone(), targets.payer.clone())
        }),
        ("distribution", config.distribution, &|| {
            distribution_term(outputs, targets, views.distribution).unwrap_or_else(zero)
        }),
        ("log", config.log, &|| {
            log_term(outputs, targets).unwrap_or_else(zero)
        }),
        ("bucket", config.bucket, &|| {
            bucket_term(outputs, targets).unwrap_or_else(zero)
        }),
        (
            "classification_contrastive",
            config.classification_contrastive,
            &|| classification_term(&predictions, targets, config).unwrap_or_else(zero),
        ),
        // Each view's regression contrastive term lives only while the view is trained.
        (
            "regression_contrastive_distribution",
            gate(rc, config.distribution),
            &|| regression(&predictions.distribution),
        ),
        ("regression_contrastive_log", gate(rc, config.log), &|| {
            regression(&predictions.log)
        }),
        (
            "regression_contrastive_bucket",
            gate(rc, config.bucket),
            &|| regression(&predictions.bucket),
        ),
        ("regression_contrastive_fused", rc_fused, &|| {
            fused_term(&predictions, targets, views, config).unwrap_or_else(zero)
        }),
    ];
    let mut total = zero();
    let mut terms = Vec::new();
    for (name, weight, term) in candidates {
        if weight > 0.0 {
            let term = term();
            total = total + term.clone().mul_scalar(weight);
            terms.push((name, term));
        }
    }
    LossTerms { total, terms }
}

/// `weight` while the view it belongs to is trained, 0 otherwise.
fn gate(weight: f64, view_weight: f64) -> f64 {
    if view_weight > 0.0 { weight } else { 0.0 }
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
    purchase_logit: &Tensor<1>,
    targets: &Targets,
    config: &LossConfig,
) -> Option<Tensor<1>> {
    if targets.rows < 2 {
        return None;
    }
    let z = view.log1p();
    let p = predictions.purchase_probability.clone();
    let tau = config.regression_temperature;
    match config.regression_form {
        RegressionContrastive::Pairwise => {
            let (first, second) = targets.pairs.clone()?;
            Some(pairwise_regression_contrastive(z, p, first, second, tau))
        }
        RegressionContrastive::Purchase => {
            let (first, second) = targets.pairs.clone()?;
            // The logit carries the gradient; the view only orders the pairs.
            let logit = purchase_logit.clone();
            Some(pairwise_regression_contrastive(
                logit, z, first, second, tau,
            ))
        }
        RegressionContrastive::Correlation => Some(correlation_regression_contrastive(z, p)),
        RegressionContrastive::Fused => None,
    }
}

fn fused_term(
    predictions: &ViewTensors,
    targets: &Targets,
    views: &ViewSettings,
    config: &LossConfig,
) -> Option<Tensor<1>> {
    if targets.rows < 2 {
        return None;
    }
    let (first, second) = targets.pairs.clone()?;
    let z = predictions.fused(views.alpha, views.beta).log1p();
    Some(pairwise_regression_contrastive(
        z,
        targets.labels.clone(),
        first,
        second,
        config.regression_temperature,
    ))
}

#[cfg(test)]
mod tests;
