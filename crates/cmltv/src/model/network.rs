//! The CMLTV network: a backbone, the purchase head and the three value views.

use burn::prelude::*;
use burn::tensor::activation::{sigmoid, softmax};

use super::backbone::{Backbone, BackboneShape};
use super::config::{Distribution, ModelConfig, PurchaseBackbone};
use super::tower::Tower;
use crate::loss::{gamma_parameters, lognormal_sigma};

/// Raw outputs of the heads for a batch, before any loss or prediction is formed.
#[derive(Debug, Clone)]
pub struct HeadOutputs {
    /// Purchase logit `l`, `p = sigmoid(l)`: `[N]`.
    pub purchase_logit: Tensor<1>,
    /// First raw output of the distribution tower (gamma shape, or lognormal `mu`): `[N]`.
    pub distribution_first: Tensor<1>,
    /// Second raw output of the distribution tower (gamma rate, or lognormal sigma): `[N]`.
    pub distribution_second: Tensor<1>,
    /// Log view output `s ~ log(1 + y)`: `[N]`.
    pub log_view: Tensor<1>,
    /// Bucket logits: `[N, K]`.
    pub bucket_logits: Tensor<2>,
}

/// Each view's prediction in label units, as tensors.
#[derive(Debug, Clone)]
pub struct ViewTensors {
    /// Purchase probability `p`: `[N]`.
    pub purchase_probability: Tensor<1>,
    /// Distribution view `yd`: `[N]`.
    pub distribution: Tensor<1>,
    /// Log view `yl`: `[N]`.
    pub log: Tensor<1>,
    /// Bucket view `yc`: `[N]`.
    pub bucket: Tensor<1>,
}

impl ViewTensors {
    /// `pLTV = p (alpha yd + beta yl + (1 - alpha - beta) yc)`: `[N]`.
    pub fn fused(&self, alpha: f64, beta: f64) -> Tensor<1> {
        let value = self.distribution.clone().mul_scalar(alpha)
            + self.log.clone().mul_scalar(beta)
            + self.bucket.clone().mul_scalar(1.0 - alpha - beta);
        self.purchase_probability.clone() * value
    }
}

impl HeadOutputs {
    /// The views' predictions. `label_scale` turns the distribution view's internal units back
    /// into the label's; `bucket_values` holds `v_k` (`[K]`).
    pub fn views(
        &self,
        distribution: Distribution,
        label_scale: f64,
        bucket_values: Tensor<1>,
    ) -> ViewTensors {
        let distribution_mean = match distribution {
            Distribution::Gamma => {
                let (shape, rate) = gamma_parameters(
                    self.distribution_first.clone(),
                    self.distribution_second.clone(),
                );
                shape / rate
            }
            Distribution::Lognormal => {
                let sigma = lognormal_sigma(self.distribution_second.clone());
                (self.distribution_first.clone() + sigma.square().mul_scalar(0.5)).exp()
            }
        };
        let [rows, buckets] = self.bucket_logits.dims();
        let q = softmax(self.bucket_logits.clone(), 1);
        let bucket = q
            .matmul(bucket_values.reshape([buckets, 1]))
            .reshape([rows]);
        ViewTensors {
            purchase_probability: sigmoid(self.purchase_logit.clone()),
            distribution: distribution_mean.mul_scalar(label_scale),
            log: self.log_view.clone().exp().sub_scalar(1.0).clamp_min(0.0),
            bucket,
        }
    }
}

/// Backbone plus heads.
#[derive(Module, Debug)]
pub struct CmltvNetwork {
    backbone: Backbone,
    purchase_backbone: Option<Backbone>,
    purchase: Tower,
    distribution: Tower,
    log: Tower,
    bucket: Tower,
}

impl CmltvNetwork {
    /// A freshly initialised network for these inputs and `buckets` buckets.
    pub fn new(
        config: &ModelConfig,
        shape: &BackboneShape<'_>,
        buckets: usize,
        device: &Device,
    ) -> Self {
        let (backbone, h) = backbone(config, shape, device);
        let purchase_backbone = match config.purchase_backbone {
            PurchaseBackbone::Shared => None,
            PurchaseBackbone::Own => Some(Backbone::new(config.backbone, shape, device)),
        };
        let tower = |outputs| Tower::new(h, config.head_hidden, outputs, device);
        CmltvNetwork {
            backbone,
            purchase_backbone,
            purchase: tower(1),
            distribution: tower(2),
            log: tower(1),
            bucket: tower(buckets),
        }
    }

    /// Runs the network on a batch.
    ///
    /// # Shapes
    ///
    /// `numeric`: `[N, numeric_width]`; `categorical`: `[N, fields]` (offset indices).
    pub fn forward(&self, numeric: Tensor<2>, categorical: Option<Tensor<2, Int>>) -> HeadOutputs {
        let purchase_h = self
            .purchase_backbone
            .as_ref()
            .map(|own| own.forward(numeric.clone(), categorical.clone()));
        let h = self.backbone.forward(numeric, categorical);
        let rows = h.dims()[0];
        let purchase_h = purchase_h.unwrap_or_else(|| h.clone());
        let (first, second) = split_pair(self.distribution.forward(h.clone()));
        HeadOutputs {
            purchase_logit: self.purchase.forward(purchase_h).reshape([rows]),
            distribution_first: first,
            distribution_second: second,
            log_view: self.log.forward(h.clone()).reshape([rows]),
            bucket_logits: self.bucket.forward(h),
        }
    }
}

/// The configured backbone and the width of its `h`.
pub(crate) fn backbone(
    config: &ModelConfig,
    shape: &BackboneShape<'_>,
    device: &Device,
) -> (Backbone, usize) {
    let backbone = Backbone::new(config.backbone, shape, device);
    (backbone, Backbone::output_width(shape, config.backbone))
}

/// The two columns of a `[N, 2]` tensor as `[N]` tensors.
pub(crate) fn split_pair(pair: Tensor<2>) -> (Tensor<1>, Tensor<1>) {
    let rows = pair.dims()[0];
    (
        pair.clone().slice([0..rows, 0..1]).reshape([rows]),
        pair.slice([0..rows, 1..2]).reshape([rows]),
    )
}

#[cfg(test)]
mod tests {
    use burn::optim::GradientsParams;

    use super::*;

    const ROWS: usize = 5;
    const NUMERIC: usize = 3;

    fn network(purchase_backbone: PurchaseBackbone, device: &Device) -> CmltvNetwork {
        let config = ModelConfig {
            purchase_backbone,
            hidden: vec![6, 4],
            head_hidden: 3,
            ..ModelConfig::default()
        };
        let shape = BackboneShape {
            numeric_width: NUMERIC,
            cardinalities: &[],
            embedding_dim: config.embedding_dim,
            hidden: &config.hidden,
            cross_layers: config.cross_layers,
        };
        device.seed(5);
        CmltvNetwork::new(&config, &shape, 4, device)
    }

    fn numeric(device: &Device) -> Tensor<2> {
        let values: Vec<f32> = (0..ROWS * NUMERIC)
            .map(|i| (i % 7) as f32 / 3.0 - 1.0)
            .collect();
        Tensor::from_data(TensorData::new(values, [ROWS, NUMERIC]), device)
    }

    /// Parameters of `module` that the gradient of `loss` reaches.
    fn reached<M: Module>(loss: Tensor<1>, module: &M) -> usize {
        GradientsParams::from_grads(loss.backward(), module).len()
    }

    #[test]
    fn an_own_purchase_backbone_learns_only_from_the_purchase_head() {
        let device = Device::flex().autodiff();
        let shared = network(PurchaseBackbone::Shared, &device);
        let own = network(PurchaseBackbone::Own, &device);
        let backbone_params = shared.backbone.num_params();
        assert_eq!(own.num_params(), shared.num_params() + backbone_params);

        let outputs = |net: &CmltvNetwork| net.forward(numeric(&device), None);
        // Shared: the purchase logit and the value views both train the one backbone.
        assert!(reached(outputs(&shared).purchase_logit.sum(), &shared.backbone) > 0);
        assert!(reached(outputs(&shared).log_view.sum(), &shared.backbone) > 0);
        // Own: each backbone hears only its side.
        let purchase_side = own.purchase_backbone.as_ref().expect("an own backbone");
        assert!(reached(outputs(&own).purchase_logit.sum(), purchase_side) > 0);
        assert_eq!(
            reached(outputs(&own).purchase_logit.sum(), &own.backbone),
            0
        );
        assert_eq!(reached(outputs(&own).log_view.sum(), purchase_side), 0);
        assert!(reached(outputs(&own).log_view.sum(), &own.backbone) > 0);
    }
}
