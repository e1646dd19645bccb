//! The baselines' networks: ZILN, two-stage and the squared-error regressors.
//!
//! ```text
//! ziln       backbone -> tower(3) = (purchase logit, mu, raw sigma)
//! two-stage  backbone_1 -> tower(1) = purchase logit;  backbone_2 -> tower(2) = (mu, raw sigma)
//! mse        backbone -> tower(1) = prediction of y / scale, or of log(1 + y)
//! ```
//!
//! The two stages of the two-stage model share no parameter, so training them together on
//! the sum of their losses trains each one on its own loss.

use burn::prelude::*;

use super::backbone::{Backbone, BackboneShape};
use super::config::ModelConfig;
use super::network::{backbone, split_pair};
use super::tower::Tower;

/// Purchase logit and lognormal parameters, the outputs of ZILN and two-stage.
#[derive(Debug, Clone)]
pub struct LognormalOutputs {
    /// Purchase logit: `[N]`.
    pub purchase_logit: Tensor<1>,
    /// Lognormal location: `[N]`.
    pub mu: Tensor<1>,
    /// Raw scale before its positive transform: `[N]`.
    pub sigma_raw: Tensor<1>,
}

/// ZILN: one backbone, three outputs.
#[derive(Module, Debug)]
pub struct ZilnNetwork {
    backbone: Backbone,
    head: Tower,
}

impl ZilnNetwork {
    /// A freshly initialised network.
    pub fn new(config: &ModelConfig, shape: &BackboneShape<'_>, device: &Device) -> Self {
        let (backbone, h) = backbone(config, shape, device);
        ZilnNetwork {
            backbone,
            head: Tower::new(h, config.head_hidden, 3, device),
        }
    }

    /// # Shapes
    ///
    /// `numeric`: `[N, numeric_width]`; `categorical`: `[N, fields]`.
    pub fn forward(
        &self,
        numeric: Tensor<2>,
        categorical: Option<Tensor<2, Int>>,
    ) -> LognormalOutputs {
        let out = self
            .head
            .forward(self.backbone.forward(numeric, categorical));
        let rows = out.dims()[0];
        let column = |k: usize| out.clone().slice([0..rows, k..k + 1]).reshape([rows]);
        LognormalOutputs {
            purchase_logit: column(0),
            mu: column(1),
            sigma_raw: column(2),
        }
    }
}

/// Two-stage: a classifier and a payer regressor with separate networks.
#[derive(Module, Debug)]
pub struct TwoStageNetwork {
    classifier: Backbone,
    purchase: Tower,
    regressor: Backbone,
    amount: Tower,
}

impl TwoStageNetwork {
    /// A freshly initialised pair of networks.
    pub fn new(config: &ModelConfig, shape: &BackboneShape<'_>, device: &Device) -> Self {
        let (classifier, h) = backbone(config, shape, device);
        let (regressor, _) = backbone(config, shape, device);
        TwoStageNetwork {
            classifier,
            purchase: Tower::new(h, config.head_hidden, 1, device),
            regressor,
            amount: Tower::new(h, config.head_hidden, 2, device),
        }
    }

    /// # Shapes
    ///
    /// `numeric`: `[N, numeric_width]`; `categorical`: `[N, fields]`.
    pub fn forward(
        &self,
        numeric: Tensor<2>,
        categorical: Option<Tensor<2, Int>>,
    ) -> LognormalOutputs {
        let h = self
            .classifier
            .forward(numeric.clone(), categorical.clone());
        let rows = h.dims()[0];
        let purchase_logit = self.purchase.forward(h).reshape([rows]);
        let h = self.regressor.forward(numeric, categorical);
        let (mu, sigma_raw) = split_pair(self.amount.forward(h));
        LognormalOutputs {
            purchase_logit,
            mu,
            sigma_raw,
        }
    }
}

/// A single regression output.
#[derive(Module, Debug)]
pub struct RegressionNetwork {
    backbone: Backbone,
    head: Tower,
}

impl RegressionNetwork {
    /// A freshly initialised network.
    pub fn new(config: &ModelConfig, shape: &BackboneShape<'_>, device: &Device) -> Self {
        let (backbone, h) = backbone(config, shape, device);
        RegressionNetwork {
            backbone,
            head: Tower::new(h, config.head_hidden, 1, device),
        }
    }

    /// # Shapes
    ///
    /// `numeric`: `[N, numeric_width]`; `categorical`: `[N, fields]`; output `[N]`.
    pub fn forward(&self, numeric: Tensor<2>, categorical: Option<Tensor<2, Int>>) -> Tensor<1> {
        let out = self
            .head
            .forward(self.backbone.forward(numeric, categorical));
        let rows = out.dims()[0];
        out.reshape([rows])
    }
}
