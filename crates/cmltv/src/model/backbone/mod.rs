//! Backbones: from the input features to the shared representation `h`.
//!
//! Every backbone reads the same inputs (standardized numeric features and categorical
//! field indices) and returns `h: [N, width]`; the heads never see which one produced it.
//!
//! ```text
//! mlp     h = MLP([numeric, e_1, ..., e_F])
//! deepfm  h = [w . x, FM(e_1, ..., e_M), MLP(e_1, ..., e_M)]     numeric fields as e_i = x_i v_i
//! dcn     h = [cross_L(x0), MLP(x0)]   x_{l+1} = x0 (x_l . w_l) + b_l + x_l
//! dcnv2   h = [cross_L(x0), MLP(x0)]   x_{l+1} = x0 * (W_l x_l + b_l) + x_l
//! ```
//!
//! References: DeepFM (Guo et al., IJCAI 2017), DCN (Wang et al., ADKDD 2017), DCN-V2 (Wang
//! et al., WWW 2021).

pub(crate) mod cross;
mod deepfm;
mod embedding;
mod mlp;

use burn::prelude::*;
use serde::{Deserialize, Serialize};

pub use cross::{CrossKind, CrossNetwork};
pub use deepfm::DeepFm;
pub use embedding::FieldEmbedding;
pub use mlp::{Mlp, MlpBackbone};

/// Which backbone produces `h`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BackboneKind {
    /// Embeddings and numeric features through ReLU layers.
    #[default]
    Mlp,
    /// Factorization machine plus a deep part on shared field embeddings.
    #[serde(rename = "deepfm")]
    DeepFm,
    /// Cross network v1 beside an MLP.
    Dcn,
    /// Cross network v2 (full-rank cross layers) beside an MLP.
    #[serde(rename = "dcnv2")]
    DcnV2,
}

/// The shape every backbone is built from.
#[derive(Debug, Clone, PartialEq)]
pub struct BackboneShape<'a> {
    /// Width of the numeric input block.
    pub numeric_width: usize,
    /// Cardinality of each categorical field.
    pub cardinalities: &'a [usize],
    /// Width of each field embedding.
    pub embedding_dim: usize,
    /// Widths of the MLP's hidden layers.
    pub hidden: &'a [usize],
    /// Number of cross layers (DCN and DCNv2).
    pub cross_layers: usize,
}

/// One of the backbones.
// A network holds one backbone for its whole life, so the size of the enum does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Module, Debug)]
pub enum Backbone {
    /// See [`BackboneKind::Mlp`].
    Mlp(MlpBackbone),
    /// See [`BackboneKind::DeepFm`].
    DeepFm(DeepFm),
    /// See [`BackboneKind::Dcn`] and [`BackboneKind::DcnV2`].
    Cross(CrossNetwork),
}

impl Backbone {
    /// A freshly initialised backbone of the given kind.
    pub fn new(kind: BackboneKind, shape: &BackboneShape<'_>, device: &Device) -> Self {
        match kind {
            BackboneKind::Mlp => Backbone::Mlp(MlpBackbone::new(shape, device)),
            BackboneKind::DeepFm => Backbone::DeepFm(DeepFm::new(shape, device)),
            BackboneKind::Dcn => Backbone::Cross(CrossNetwork::new(CrossKind::V1, shape, device)),
            BackboneKind::DcnV2 => Backbone::Cross(CrossNetwork::new(CrossKind::V2, shape, device)),
        }
    }

    /// Width of `h`.
    pub fn output_width(shape: &BackboneShape<'_>, kind: BackboneKind) -> usize {
        let deep = *shape
            .hidden
            .last()
            .expect("validated config has a hidden layer");
        match kind {
            BackboneKind::Mlp => deep,
            BackboneKind::DeepFm => 1 + shape.embedding_dim + deep,
            BackboneKind::Dcn | BackboneKind::DcnV2 => dense_width(shape) + deep,
        }
    }

    /// # Shapes
    ///
    /// `numeric`: `[N, numeric_width]`; `categorical`: `[N, fields]` with field offsets
    /// already added; output `[N, width]`.
    pub fn forward(&self, numeric: Tensor<2>, categorical: Option<Tensor<2, Int>>) -> Tensor<2> {
        match self {
            Backbone::Mlp(backbone) => backbone.forward(numeric, categorical),
            Backbone::DeepFm(backbone) => backbone.forward(numeric, categorical),
            Backbone::Cross(backbone) => backbone.forward(numeric, categorical),
        }
    }
}

/// Width of the dense input `[numeric, e_1, ..., e_F]`.
pub(crate) fn dense_width(shape: &BackboneShape<'_>) -> usize {
    shape.numeric_width + shape.cardinalities.len() * shape.embedding_dim
}

#[cfg(test)]
mod tests;
