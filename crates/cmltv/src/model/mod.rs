//! The CMLTV network: backbone, heads and views.
//!
//! ```text
//! features -> backbone -> h -> purchase head      p  = sigmoid(.)
//!                            -> distribution view yd = a / r (gamma) or exp(mu + sigma^2/2)
//!                            -> log view          yl = max(exp(s) - 1, 0)
//!                            -> bucket view       yc = sum_k q_k v_k
//! pLTV = p * (alpha yd + beta yl + (1 - alpha - beta) yc)
//! ```

mod backbone;
mod config;
mod network;
mod tower;

pub use backbone::MlpBackbone;
pub use config::{Distribution, ModelConfig};
pub use network::{CmltvNetwork, HeadOutputs, ViewTensors};
pub use tower::Tower;
mod inputs;

pub use inputs::InputLayout;
mod fitted;

pub use fitted::{CmltvModel, ModelSchema, ViewParameters};
