//! Settings of the CMLTV network.

use serde::{Deserialize, Serialize};

use super::BackboneKind;
use crate::error::{Error, Result};

/// Which distribution the distribution view fits to a payer's amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Distribution {
    /// Gamma(shape, rate); prediction `shape / rate`.
    #[default]
    Gamma,
    /// LogNormal(mu, sigma); prediction `exp(mu + sigma^2 / 2)`.
    Lognormal,
}

/// Where the purchase head of a CMLTV network takes its representation from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PurchaseBackbone {
    /// One backbone under all four heads.
    Shared,
    /// A second backbone of the same kind and shape under the purchase head alone; the value
    /// views keep the first. The contrastive terms still tie the heads together.
    #[default]
    Own,
}

/// Shape of the network: backbone layers, embeddings, heads and fusion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ModelConfig {
    /// The backbone that produces the representation `h`.
    pub backbone: BackboneKind,
    /// Whether the purchase head reads its own backbone instead of the one the value views
    /// share.
    pub purchase_backbone: PurchaseBackbone,
    /// Widths of the backbone's MLP layers (for the MLP backbone, the last one is `h`).
    pub hidden: Vec<usize>,
    /// Cross layers of the DCN and DCNv2 backbones.
    pub cross_layers: usize,
    /// Width of each categorical field's embedding.
    pub embedding_dim: usize,
    /// Width of the hidden layer of every head tower.
    pub head_hidden: usize,
    /// The distribution view's family.
    pub distribution: Distribution,
    /// Upper bound on the number of buckets `K` of the bucket view.
    pub max_buckets: usize,
    /// Fusion weight of the distribution view.
    pub alpha: f64,
    /// Fusion weight of the log view; the bucket view gets `1 - alpha - beta`.
    pub beta: f64,
}

impl Default for ModelConfig {
    fn default() -> Self {
        ModelConfig {
            backbone: BackboneKind::Mlp,
            purchase_backbone: PurchaseBackbone::Own,
            hidden: vec![256, 128],
            cross_layers: 3,
            embedding_dim: 8,
            head_hidden: 64,
            distribution: Distribution::Gamma,
            max_buckets: 24,
            alpha: 0.3,
            beta: 0.3,
        }
    }
}

impl ModelConfig {
    /// Sets the backbone's hidden widths.
    pub fn with_hidden(mut self, hidden: Vec<usize>) -> Self {
        self.hidden = hidden;
        self
    }

    /// Sets the backbone.
    pub fn with_backbone(mut self, backbone: BackboneKind) -> Self {
        self.backbone = backbone;
        self
    }

    /// Sets the distribution view's family.
    pub fn with_distribution(mut self, distribution: Distribution) -> Self {
        self.distribution = distribution;
        self
    }

    /// Checks that the settings can build a network.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidSetting`] naming the first setting that cannot work.
    pub fn validate(&self) -> Result<()> {
        let invalid = |name: &str, value: String, reason: &str| {
            Err(Error::InvalidSetting {
                name: format!("model.{name}"),
                value,
                reason: reason.to_string(),
            })
        };
        if self.hidden.is_empty() || self.hidden.contains(&0) {
            return invalid(
                "hidden",
                format!("{:?}", self.hidden),
                "needs positive widths",
            );
        }
        if self.embedding_dim == 0 || self.head_hidden == 0 {
            return invalid(
                "embedding_dim",
                self.embedding_dim.to_string(),
                "must be > 0",
            );
        }
        if self.max_buckets < 2 {
            return invalid("max_buckets", self.max_buckets.to_string(), "must be >= 2");
        }
        let fused = self.alpha + self.beta;
        if !(0.0..=1.0).contains(&self.alpha) || !(0.0..=1.0).contains(&self.beta) || fused > 1.0 {
            return invalid(
                "alpha",
                format!("{} (beta {})", self.alpha, self.beta),
                "alpha and beta must lie in [0, 1] with alpha + beta <= 1",
            );
        }
        Ok(())
    }
}
