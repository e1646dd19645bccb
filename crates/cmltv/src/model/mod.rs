//! The networks: backbones, the CMLTV heads and views, and the baselines.
//!
//! ```text
//! features -> backbone -> h -> purchase head      p  = sigmoid(.)
//!                            -> distribution view yd = a / r (gamma) or exp(mu + sigma^2/2)
//!                            -> log view          yl = max(exp(s) - 1, 0)
//!                            -> bucket view       yc = sum_k q_k v_k
//! pLTV = p * (alpha yd + beta yl + (1 - alpha - beta) yc)
//! ```
//!
//! [`LtvNetwork`] holds the network of any [`ModelType`]; [`CmltvModel`] is a trained one
//! with its preprocessing.

mod backbone;
mod baseline;
mod config;
mod fitted;
mod inputs;
mod kind;
mod ltv;
mod network;
mod tower;

pub use backbone::{
    Backbone, BackboneKind, BackboneShape, CrossKind, CrossNetwork, DeepFm, FieldEmbedding, Mlp,
    MlpBackbone,
};
pub use baseline::{LognormalOutputs, RegressionNetwork, TwoStageNetwork, ZilnNetwork};
pub use config::{Distribution, ModelConfig, PurchaseBackbone};
pub use fitted::{CmltvModel, ModelSchema, ViewParameters};
pub use inputs::InputLayout;
pub use kind::{MODEL_TYPES, ModelType};
pub use ltv::{DistributionTensors, LtvNetwork, NetworkOutputs, ScoreTensors};
pub use network::{CmltvNetwork, HeadOutputs, ViewTensors};
pub use tower::Tower;
