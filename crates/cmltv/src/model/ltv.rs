//! Any of the networks cmltv trains, behind one interface: build, run, score.

use burn::prelude::*;
use burn::tensor::activation::sigmoid;

use super::backbone::BackboneShape;
use super::baseline::{LognormalOutputs, RegressionNetwork, TwoStageNetwork, ZilnNetwork};
use super::config::{Distribution, ModelConfig};
use super::inputs::InputLayout;
use super::kind::ModelType;
use super::network::{CmltvNetwork, HeadOutputs};
use crate::loss::{ViewSettings, gamma_parameters, lognormal_sigma, ziln_sigma};

/// The network of a model type.
// One network per model, built once: the size of the enum does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Module, Debug)]
pub enum LtvNetwork {
    /// CMLTV and its ablations.
    Cmltv(CmltvNetwork),
    /// ZILN.
    Ziln(ZilnNetwork),
    /// Two-stage.
    TwoStage(TwoStageNetwork),
    /// MSE and MSE on `log(1 + y)`.
    Regression(RegressionNetwork),
}

/// What a network returns for a batch, before any loss or prediction is formed.
// Made once per batch and read in place, so the size of the enum does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum NetworkOutputs {
    /// The CMLTV heads.
    Cmltv(HeadOutputs),
    /// A purchase logit and lognormal parameters (ZILN, two-stage).
    Lognormal(LognormalOutputs),
    /// One regression output (MSE models).
    Regression(Tensor<1>),
}

/// A payer's amount distribution as tensors, in the units the network works in.
#[derive(Debug, Clone)]
pub struct DistributionTensors {
    /// The family.
    pub family: Distribution,
    /// Multiplies amounts in the network's units into label units.
    pub scale: f64,
    /// Gamma shape or lognormal `mu`: `[N]`.
    pub first: Tensor<1>,
    /// Gamma rate or lognormal `sigma`: `[N]`.
    pub second: Tensor<1>,
    /// The distribution's mean in label units: `[N]`.
    pub mean: Tensor<1>,
}

/// Predictions of a batch as tensors; a model fills the parts it has.
#[derive(Debug, Clone)]
pub struct ScoreTensors {
    /// The pLTV: `[N]`.
    pub pltv: Tensor<1>,
    /// Purchase probability: `[N]`.
    pub purchase_probability: Option<Tensor<1>>,
    /// A payer's amount distribution (the distribution view, or ZILN's lognormal).
    pub distribution: Option<DistributionTensors>,
    /// The log view: `[N]`.
    pub log: Option<Tensor<1>>,
    /// The bucket view: `[N]`.
    pub bucket: Option<Tensor<1>>,
}

impl LtvNetwork {
    /// A freshly initialised network of `model_type` for these inputs and `buckets` buckets.
    pub fn new(
        model_type: ModelType,
        config: &ModelConfig,
        layout: &InputLayout,
        buckets: usize,
        device: &Device,
    ) -> Self {
        let shape = BackboneShape {
            numeric_width: layout.numeric_width,
            cardinalities: &layout.cardinalities,
            embedding_dim: config.embedding_dim,
            hidden: &config.hidden,
            cross_layers: config.cross_layers,
        };
        match model_type {
            ModelType::Ziln => LtvNetwork::Ziln(ZilnNetwork::new(config, &shape, device)),
            ModelType::TwoStage => {
                LtvNetwork::TwoStage(TwoStageNetwork::new(config, &shape, device))
            }
            ModelType::Mse | ModelType::MseLog => {
                LtvNetwork::Regression(RegressionNetwork::new(config, &shape, device))
            }
            _ => LtvNetwork::Cmltv(CmltvNetwork::new(config, &shape, buckets, device)),
        }
    }

    /// Runs the network on a batch.
    ///
    /// # Shapes
    ///
    /// `numeric`: `[N, numeric_width]`; `categorical`: `[N, fields]` (offset indices).
    pub fn forward(
        &self,
        numeric: Tensor<2>,
        categorical: Option<Tensor<2, Int>>,
    ) -> NetworkOutputs {
        match self {
            LtvNetwork::Cmltv(network) => {
                NetworkOutputs::Cmltv(network.forward(numeric, categorical))
            }
            LtvNetwork::Ziln(network) => {
                NetworkOutputs::Lognormal(network.forward(numeric, categorical))
            }
            LtvNetwork::TwoStage(network) => {
                NetworkOutputs::Lognormal(network.forward(numeric, categorical))
            }
            LtvNetwork::Regression(network) => {
                NetworkOutputs::Regression(network.forward(numeric, categorical))
            }
        }
    }
}

impl NetworkOutputs {
    /// The predictions, in label units.
    pub fn scores(&self, settings: &ViewSettings) -> ScoreTensors {
        match self {
            NetworkOutputs::Cmltv(heads) => cmltv_scores(heads, settings),
            NetworkOutputs::Lognormal(outputs) => lognormal_scores(outputs),
            NetworkOutputs::Regression(s) => {
                let pltv = match settings.model_type {
                    ModelType::MseLog => s.clone().exp().sub_scalar(1.0).clamp_min(0.0),
                    _ => s.clone().clamp_min(0.0).mul_scalar(settings.label_scale),
                };
                ScoreTensors {
                    pltv,
                    purchase_probability: None,
                    distribution: None,
                    log: None,
                    bucket: None,
                }
            }
        }
    }
}

/// `pLTV = p (alpha yd + beta yl + (1 - alpha - beta) yc)`.
fn cmltv_scores(heads: &HeadOutputs, settings: &ViewSettings) -> ScoreTensors {
    let views = heads.views(
        settings.distribution,
        settings.label_scale,
        settings.bucket_values.clone(),
    );
    let (first, second) = match settings.distribution {
        Distribution::Gamma => gamma_parameters(
            heads.distribution_first.clone(),
            heads.distribution_second.clone(),
        ),
        Distribution::Lognormal => (
            heads.distribution_first.clone(),
            lognormal_sigma(heads.distribution_second.clone()),
        ),
    };
    ScoreTensors {
        pltv: views.fused(settings.alpha, settings.beta),
        purchase_probability: Some(views.purchase_probability),
        distribution: Some(DistributionTensors {
            family: settings.distribution,
            scale: settings.label_scale,
            first,
            second,
            mean: views.distribution,
        }),
        log: Some(views.log),
        bucket: Some(views.bucket),
    }
}

/// `pLTV = sigmoid(l) exp(mu + sigma^2 / 2)`, in label units.
fn lognormal_scores(outputs: &LognormalOutputs) -> ScoreTensors {
    let p = sigmoid(outputs.purchase_logit.clone());
    let sigma = ziln_sigma(outputs.sigma_raw.clone());
    let mean = (outputs.mu.clone() + sigma.clone().square().mul_scalar(0.5)).exp();
    ScoreTensors {
        pltv: p.clone() * mean.clone(),
        purchase_probability: Some(p),
        distribution: Some(DistributionTensors {
            family: Distribution::Lognormal,
            scale: 1.0,
            first: outputs.mu.clone(),
            second: sigma,
            mean,
        }),
        log: None,
        bucket: None,
    }
}
