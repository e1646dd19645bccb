//! Deep & Cross networks: explicit feature crosses beside an MLP.
//!
//! ```text
//! x0 = [numeric, e_1, ..., e_F]
//! v1: x_{l+1} = x0 (x_l . w_l) + b_l + x_l         w_l, b_l: [d]
//! v2: x_{l+1} = x0 * (W_l x_l + b_l) + x_l         W_l: [d, d]
//! h  = [x_L, MLP(x0)]
//! ```
//!
//! References: Wang et al., "Deep & Cross Network for Ad Click Predictions", ADKDD 2017;
//! Wang et al., "DCN V2: Improved Deep & Cross Network", WWW 2021.

use burn::module::Param;
use burn::nn::{Linear, LinearConfig};
use burn::prelude::*;

use super::embedding::{FieldEmbedding, dense_input};
use super::mlp::Mlp;
use super::{BackboneShape, dense_width};

/// Which cross layer the network stacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CrossKind {
    /// A rank-one cross: a weight vector per layer.
    V1,
    /// A full-rank cross: a weight matrix per layer.
    V2,
}

/// One cross layer.
#[derive(Module, Debug)]
pub struct CrossLayer {
    /// `x_l . w_l` (v1, output width 1, no bias) or `W_l x_l + b_l` (v2, output width d).
    pub(super) weight: Linear,
    /// `b_l` of v1; v2 keeps its bias inside `weight`.
    bias: Option<Param<Tensor<1>>>,
}

impl CrossLayer {
    pub(super) fn new(kind: CrossKind, width: usize, device: &Device) -> Self {
        match kind {
            CrossKind::V1 => CrossLayer {
                weight: LinearConfig::new(width, 1).with_bias(false).init(device),
                bias: Some(Param::from_tensor(Tensor::zeros([width], device))),
            },
            CrossKind::V2 => CrossLayer {
                weight: LinearConfig::new(width, width).init(device),
                bias: None,
            },
        }
    }

    /// # Shapes
    ///
    /// `x0`, `x`: `[N, d]`; output `[N, d]`.
    pub(super) fn forward(&self, x0: Tensor<2>, x: Tensor<2>) -> Tensor<2> {
        let crossed = x0 * self.weight.forward(x.clone());
        match &self.bias {
            Some(bias) => crossed + bias.val().unsqueeze_dim(0) + x,
            None => crossed + x,
        }
    }
}

/// A cross network and an MLP side by side over the dense input.
#[derive(Module, Debug)]
pub struct CrossNetwork {
    embedding: Option<FieldEmbedding>,
    cross: Vec<CrossLayer>,
    deep: Mlp,
}

impl CrossNetwork {
    /// A backbone of the given kind and shape.
    pub fn new(kind: CrossKind, shape: &BackboneShape<'_>, device: &Device) -> Self {
        let width = dense_width(shape);
        CrossNetwork {
            embedding: FieldEmbedding::new(shape.cardinalities, shape.embedding_dim, device),
            cross: (0..shape.cross_layers)
                .map(|_| CrossLayer::new(kind, width, device))
                .collect(),
            deep: Mlp::new(width, shape.hidden, device),
        }
    }

    /// # Shapes
    ///
    /// `numeric`: `[N, numeric_width]`; `categorical`: `[N, fields]` with field offsets
    /// already added; output `[N, d + hidden.last()]`.
    pub fn forward(&self, numeric: Tensor<2>, categorical: Option<Tensor<2, Int>>) -> Tensor<2> {
        let x0 = dense_input(self.embedding.as_ref(), numeric, categorical);
        let mut x = x0.clone();
        for layer in &self.cross {
            x = layer.forward(x0.clone(), x);
        }
        let deep = self.deep.forward(x0);
        Tensor::cat(vec![x, deep], 1)
    }
}
