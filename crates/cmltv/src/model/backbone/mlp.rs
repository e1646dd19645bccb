//! The MLP backbone: categorical embeddings and numeric features through ReLU layers.

use burn::nn::{Linear, LinearConfig, Relu};
use burn::prelude::*;

use super::embedding::{FieldEmbedding, dense_input};
use super::{BackboneShape, dense_width};

/// A stack of ReLU layers.
#[derive(Module, Debug)]
pub struct Mlp {
    layers: Vec<Linear>,
    activation: Relu,
}

impl Mlp {
    /// Layers from `input` features through each width of `hidden`.
    pub fn new(input: usize, hidden: &[usize], device: &Device) -> Self {
        let mut width = input;
        let mut layers = Vec::with_capacity(hidden.len());
        for &next in hidden {
            layers.push(LinearConfig::new(width, next).init(device));
            width = next;
        }
        Mlp {
            layers,
            activation: Relu::new(),
        }
    }

    /// # Shapes
    ///
    /// `x`: `[N, input]`; output `[N, hidden.last()]`.
    pub fn forward(&self, mut x: Tensor<2>) -> Tensor<2> {
        for layer in &self.layers {
            x = self.activation.forward(layer.forward(x));
        }
        x
    }
}

/// Embeds every categorical field, concatenates the embeddings with the numeric features and
/// applies ReLU layers.
#[derive(Module, Debug)]
pub struct MlpBackbone {
    embedding: Option<FieldEmbedding>,
    mlp: Mlp,
}

impl MlpBackbone {
    /// A backbone of the given shape.
    pub fn new(shape: &BackboneShape<'_>, device: &Device) -> Self {
        MlpBackbone {
            embedding: FieldEmbedding::new(shape.cardinalities, shape.embedding_dim, device),
            mlp: Mlp::new(dense_width(shape), shape.hidden, device),
        }
    }

    /// # Shapes
    ///
    /// `numeric`: `[N, numeric_width]`; `categorical`: `[N, fields]` with field offsets
    /// already added; output `[N, hidden.last()]`.
    pub fn forward(&self, numeric: Tensor<2>, categorical: Option<Tensor<2, Int>>) -> Tensor<2> {
        self.mlp
            .forward(dense_input(self.embedding.as_ref(), numeric, categorical))
    }
}
