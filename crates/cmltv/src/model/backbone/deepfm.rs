//! DeepFM: a factorization machine and a deep part that share the field embeddings.
//!
//! ```text
//! fields      e_f = V[c_f] for a categorical field, e_i = x_i v_i for numeric feature i
//! first order w . x + sum_f w_f[c_f]
//! FM          0.5 ((sum_f e_f)^2 - sum_f e_f^2)          element-wise, [N, k]
//! deep        MLP([e_1, ..., e_M])
//! h           [first order, FM, deep]
//! ```
//!
//! Reference: Guo et al., "DeepFM: A Factorization-Machine based Neural Network for CTR
//! Prediction", IJCAI 2017.

use burn::module::Param;
use burn::nn::{Embedding, EmbeddingConfig, Linear, LinearConfig};
use burn::prelude::*;

use super::BackboneShape;
use super::embedding::{FieldEmbedding, normal_init};
use super::mlp::Mlp;

/// The DeepFM backbone.
#[derive(Module, Debug)]
pub struct DeepFm {
    /// Embedding vector `v_i` of each numeric feature: `[numeric_width, k]`.
    pub(super) numeric_fields: Param<Tensor<2>>,
    /// Embeddings of the categorical fields.
    pub(super) embedding: Option<FieldEmbedding>,
    /// First-order weights of the numeric features.
    numeric_linear: Linear,
    /// First-order weight of each category, one column table.
    categorical_linear: Option<Embedding>,
    deep: Mlp,
}

impl DeepFm {
    /// A backbone of the given shape.
    pub fn new(shape: &BackboneShape<'_>, device: &Device) -> Self {
        let k = shape.embedding_dim;
        let fields = shape.numeric_width + shape.cardinalities.len();
        let vocabulary: usize = shape.cardinalities.iter().sum();
        DeepFm {
            numeric_fields: normal_init().init([shape.numeric_width, k], device),
            embedding: FieldEmbedding::new(shape.cardinalities, k, device),
            numeric_linear: LinearConfig::new(shape.numeric_width, 1).init(device),
            categorical_linear: (vocabulary > 0).then(|| {
                EmbeddingConfig::new(vocabulary, 1)
                    .with_initializer(normal_init())
                    .init(device)
            }),
            deep: Mlp::new(fields * k, shape.hidden, device),
        }
    }

    /// # Shapes
    ///
    /// `numeric`: `[N, numeric_width]`; `categorical`: `[N, fields]` with field offsets
    /// already added; output `[N, 1 + k + hidden.last()]`.
    pub fn forward(&self, numeric: Tensor<2>, categorical: Option<Tensor<2, Int>>) -> Tensor<2> {
        let [rows, width] = numeric.dims();
        let k = self.numeric_fields.dims()[1];
        let numeric_embedded = numeric.clone().reshape([rows, width, 1])
            * self.numeric_fields.val().reshape([1, width, k]);
        let mut first_order = self.numeric_linear.forward(numeric);
        let mut fields = numeric_embedded;
        if let (Some(embedding), Some(linear), Some(categorical)) =
            (&self.embedding, &self.categorical_linear, categorical)
        {
            let weights = linear
                .forward(categorical.clone())
                .sum_dim(1)
                .reshape([rows, 1]);
            first_order = first_order + weights;
            fields = Tensor::cat(vec![fields, embedding.forward(categorical)], 1);
        }
        let [_, count, _] = fields.dims();
        let sum = fields.clone().sum_dim(1).reshape([rows, k]);
        let sum_of_squares = fields.clone().square().sum_dim(1).reshape([rows, k]);
        let interaction = (sum.square() - sum_of_squares).mul_scalar(0.5);
        let deep = self.deep.forward(fields.reshape([rows, count * k]));
        Tensor::cat(vec![first_order, interaction, deep], 1)
    }
}
