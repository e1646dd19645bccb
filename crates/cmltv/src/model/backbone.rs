//! The MLP backbone: categorical embeddings and numeric features to the representation `h`.

use burn::nn::{Embedding, EmbeddingConfig, Initializer, Linear, LinearConfig, Relu};
use burn::prelude::*;

/// Standard deviation of the initial embedding weights.
const EMBEDDING_INIT_STD: f64 = 0.05;

/// Embeds every categorical field (one shared table, fields at disjoint offsets), concatenates
/// the embeddings with the numeric features and applies ReLU layers.
#[derive(Module, Debug)]
pub struct MlpBackbone {
    embedding: Option<Embedding>,
    layers: Vec<Linear>,
    activation: Relu,
}

impl MlpBackbone {
    /// A backbone for `numeric_width` numeric inputs and the given categorical cardinalities.
    pub fn new(
        numeric_width: usize,
        cardinalities: &[usize],
        embedding_dim: usize,
        hidden: &[usize],
        device: &Device,
    ) -> Self {
        let vocabulary: usize = cardinalities.iter().sum();
        let embedding = (vocabulary > 0).then(|| {
            EmbeddingConfig::new(vocabulary, embedding_dim)
                .with_initializer(Initializer::Normal {
                    mean: 0.0,
                    std: EMBEDDING_INIT_STD,
                })
                .init(device)
        });
        let mut width = numeric_width + cardinalities.len() * embedding_dim;
        let mut layers = Vec::with_capacity(hidden.len());
        for &next in hidden {
            layers.push(LinearConfig::new(width, next).init(device));
            width = next;
        }
        MlpBackbone {
            embedding,
            layers,
            activation: Relu::new(),
        }
    }

    /// # Shapes
    ///
    /// `numeric`: `[N, numeric_width]`; `categorical`: `[N, fields]` with field offsets
    /// already added; output `[N, hidden.last()]`.
    pub fn forward(&self, numeric: Tensor<2>, categorical: Option<Tensor<2, Int>>) -> Tensor<2> {
        let mut x = numeric;
        if let (Some(embedding), Some(categorical)) = (&self.embedding, categorical) {
            let [rows, fields] = categorical.dims();
            let embedded = embedding.forward(categorical);
            let [_, _, dim] = embedded.dims();
            x = Tensor::cat(vec![x, embedded.reshape([rows, fields * dim])], 1);
        }
        for layer in &self.layers {
            x = self.activation.forward(layer.forward(x));
        }
        x
    }
}
