//! The model types cmltv trains: CMLTV, its ablations, and the baselines it must beat.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::loss::RegressionContrastive;
use crate::train::TrainConfig;

/// A model type, selectable by name in the training configuration (`model_type`) and on the
/// command line (`--model-type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ModelType {
    /// The full CMLTV network: purchase head, three views, contrastive terms, fusion.
    #[default]
    Cmltv,
    /// CMLTV with the purchase head and the distribution view only: `pLTV = p yd`.
    CmltvGamma,
    /// CMLTV with the purchase head and the log view only: `pLTV = p yl`.
    CmltvLog,
    /// CMLTV with the purchase head and the bucket view only: `pLTV = p yc`.
    CmltvBucket,
    /// CMLTV without the classification and regression contrastive terms.
    CmltvNoContrastive,
    /// CMLTV with the classification contrastive term and without the regression one.
    CmltvCcOnly,
    /// CMLTV with the pairwise regression contrastive term at full weight.
    CmltvPairwise,
    /// CMLTV with the correlation regression contrastive term at full weight.
    CmltvCorrelation,
    /// CMLTV with the purchase form of the regression contrastive term (the gradient into
    /// the purchase head) at full weight.
    CmltvPurchase,
    /// CMLTV with the fused form of the regression contrastive term (a ranking loss on pLTV
    /// by the label) at full weight.
    CmltvFused,
    /// Zero-inflated lognormal (google/lifetime_value).
    Ziln,
    /// A purchase classifier and a payer-only lognormal regressor with separate networks.
    TwoStage,
    /// Squared error on the raw label.
    Mse,
    /// Squared error on `log(1 + y)`.
    MseLog,
}

/// Every model type, in the order tables list them.
pub const MODEL_TYPES: [ModelType; 14] = [
    ModelType::Cmltv,
    ModelType::CmltvGamma,
    ModelType::CmltvLog,
    ModelType::CmltvBucket,
    ModelType::CmltvNoContrastive,
    ModelType::CmltvCcOnly,
    ModelType::CmltvPairwise,
    ModelType::CmltvCorrelation,
    ModelType::CmltvPurchase,
    ModelType::CmltvFused,
    ModelType::Ziln,
    ModelType::TwoStage,
    ModelType::Mse,
    ModelType::MseLog,
];

impl ModelType {
    /// The name used in configurations, on the command line and in tables.
    pub fn name(self) -> &'static str {
        match self {
            ModelType::Cmltv => "cmltv",
            ModelType::CmltvGamma => "cmltv-gamma",
            ModelType::CmltvLog => "cmltv-log",
            ModelType::CmltvBucket => "cmltv-bucket",
            ModelType::CmltvNoContrastive => "cmltv-no-contrastive",
            ModelType::CmltvCcOnly => "cmltv-cc-only",
            ModelType::CmltvPairwise => "cmltv-pairwise",
            ModelType::CmltvCorrelation => "cmltv-correlation",
            ModelType::CmltvPurchase => "cmltv-purchase",
            ModelType::CmltvFused => "cmltv-fused",
            ModelType::Ziln => "ziln",
            ModelType::TwoStage => "two-stage",
            ModelType::Mse => "mse",
            ModelType::MseLog => "mse-log",
        }
    }

    /// Whether the model is the CMLTV network (the full model or an ablation).
    pub fn is_cmltv(self) -> bool {
        !matches!(
            self,
            ModelType::Ziln | ModelType::TwoStage | ModelType::Mse | ModelType::MseLog
        )
    }

    /// The configuration this model type trains with: the ablations switch views and terms
    /// off and move the fusion weights onto the remaining view; other types use `config` as
    /// it is.
    pub fn configure(self, config: &TrainConfig) -> TrainConfig {
        let mut config = config.clone();
        config.model_type = self;
        let (loss, model) = (&mut config.loss, &mut config.model);
        match self {
            ModelType::CmltvGamma => {
                (loss.log, loss.bucket) = (0.0, 0.0);
                (model.alpha, model.beta) = (1.0, 0.0);
            }
            ModelType::CmltvLog => {
                (loss.distribution, loss.bucket) = (0.0, 0.0);
                (model.alpha, model.beta) = (0.0, 1.0);
            }
            ModelType::CmltvBucket => {
                (loss.distribution, loss.log) = (0.0, 0.0);
                (model.alpha, model.beta) = (0.0, 0.0);
            }
            ModelType::CmltvNoContrastive => {
                loss.classification_contrastive = 0.0;
                loss.regression_contrastive = 0.0;
            }
            ModelType::CmltvCcOnly => loss.regression_contrastive = 0.0,
            ModelType::CmltvPairwise => {
                loss.regression_form = RegressionContrastive::Pairwise;
                loss.regression_contrastive = 1.0;
            }
            ModelType::CmltvCorrelation => {
                loss.regression_form = RegressionContrastive::Correlation;
                loss.regression_contrastive = 1.0;
            }
            ModelType::CmltvPurchase => {
                loss.regression_form = RegressionContrastive::Purchase;
                loss.regression_contrastive = 1.0;
            }
            ModelType::CmltvFused => {
                loss.regression_form = RegressionContrastive::Fused;
                loss.regression_contrastive = 1.0;
            }
            _ => {}
        }
        config
    }
}

impl fmt::Display for ModelType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for ModelType {
    type Err = Error;

    fn from_str(name: &str) -> Result<Self, Error> {
        MODEL_TYPES
            .into_iter()
            .find(|kind| kind.name() == name)
            .ok_or_else(|| Error::InvalidSetting {
                name: "model_type".into(),
                value: name.into(),
                reason: format!(
                    "not a model type (known: {})",
                    MODEL_TYPES.map(ModelType::name).join(", ")
                ),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for kind in MODEL_TYPES {
            assert_eq!(kind.name().parse::<ModelType>().unwrap(), kind);
            let toml = format!("model_type = \"{kind}\"\n");
            let config: TrainConfig = toml::from_str(&toml).unwrap();
            assert_eq!(config.model_type, kind);
        }
        let error = "xgboost".parse::<ModelType>().unwrap_err().to_string();
        assert!(
            error.contains("xgboost") && error.contains("two-stage"),
            "{error}"
        );
    }

    #[test]
    fn ablations_move_the_fusion_onto_their_view() {
        let base = TrainConfig::default();
        let gamma = ModelType::CmltvGamma.configure(&base);
        assert_eq!((gamma.model.alpha, gamma.model.beta), (1.0, 0.0));
        assert_eq!((gamma.loss.log, gamma.loss.bucket), (0.0, 0.0));
        let bucket = ModelType::CmltvBucket.configure(&base);
        assert_eq!((bucket.model.alpha, bucket.model.beta), (0.0, 0.0));
        let plain = ModelType::CmltvNoContrastive.configure(&base);
        assert_eq!(plain.loss.classification_contrastive, 0.0);
        let cc_only = ModelType::CmltvCcOnly.configure(&base);
        assert_eq!(cc_only.loss.regression_contrastive, 0.0);
        assert_eq!(cc_only.loss.classification_contrastive, 1.0);
        let fused = ModelType::CmltvFused.configure(&base);
        assert_eq!(fused.loss.regression_form, RegressionContrastive::Fused);
        assert_eq!(fused.loss.regression_contrastive, 1.0);
        let purchase = ModelType::CmltvPurchase.configure(&base);
        assert_eq!(
            purchase.loss.regression_form,
            RegressionContrastive::Purchase
        );
        assert_eq!(ModelType::Ziln.configure(&base).loss, base.loss);
    }
}
