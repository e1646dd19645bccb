//! Categorical field embeddings: one shared table, each field at its own offset.

use burn::nn::{Embedding, EmbeddingConfig, Initializer};
use burn::prelude::*;

/// Standard deviation of the initial embedding weights.
pub(crate) const EMBEDDING_INIT_STD: f64 = 0.05;

/// Embeds every categorical field; fields sit at disjoint offsets of one table.
#[derive(Module, Debug)]
pub struct FieldEmbedding {
    table: Embedding,
}

impl FieldEmbedding {
    /// A table for fields of these cardinalities, or `None` when there is no field.
    pub fn new(cardinalities: &[usize], dim: usize, device: &Device) -> Option<Self> {
        let vocabulary: usize = cardinalities.iter().sum();
        (vocabulary > 0).then(|| FieldEmbedding {
            table: EmbeddingConfig::new(vocabulary, dim)
                .with_initializer(normal_init())
                .init(device),
        })
    }

    /// # Shapes
    ///
    /// `categorical`: `[N, fields]`; output `[N, fields, dim]`.
    pub fn forward(&self, categorical: Tensor<2, Int>) -> Tensor<3> {
        self.table.forward(categorical)
    }

    /// The embeddings side by side.
    ///
    /// # Shapes
    ///
    /// `categorical`: `[N, fields]`; output `[N, fields * dim]`.
    pub fn forward_flat(&self, categorical: Tensor<2, Int>) -> Tensor<2> {
        let embedded = self.forward(categorical);
        let [rows, fields, dim] = embedded.dims();
        embedded.reshape([rows, fields * dim])
    }
}

/// The initializer of every embedding table.
pub(crate) fn normal_init() -> Initializer {
    Initializer::Normal {
        mean: 0.0,
        std: EMBEDDING_INIT_STD,
    }
}

/// `[numeric, e_1, ..., e_F]`: the dense input of the MLP and cross backbones.
pub(crate) fn dense_input(
    embedding: Option<&FieldEmbedding>,
    numeric: Tensor<2>,
    categorical: Option<Tensor<2, Int>>,
) -> Tensor<2> {
    match (embedding, categorical) {
        (Some(embedding), Some(categorical)) => {
            Tensor::cat(vec![numeric, embedding.forward_flat(categorical)], 1)
        }
        _ => numeric,
    }
}
