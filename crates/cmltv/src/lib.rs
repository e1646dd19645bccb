//! # cmltv
//!
//! Predicts customer lifetime value (pLTV): how much each user will pay within a horizon, from
//! what is known about them today. The flagship model is CMLTV, a contrastive multi-view
//! network: a purchase head and three value views (a gamma distribution, a log regression and a
//! bucket classifier) share one representation, are tied together by contrastive terms, and
//! are fused into one pLTV.
//!
//! The crate follows the pipeline: [`data`] reads tables, [`features`] builds them from
//! transaction logs, [`synth`] simulates them,
//! [`preprocess`] turns columns into model inputs, [`model`] and [`loss`] define the network
//! and its objective, [`train`] fits it, [`persist`] saves it, [`score`] applies it,
//! [`metrics`] judges the result and [`report`] shows it as an HTML page.
#![warn(missing_docs)]

pub mod compare;
pub mod data;
pub mod error;
pub mod features;
pub mod loss;
pub mod metrics;
pub mod model;
pub mod persist;
pub mod preprocess;
pub mod report;
pub mod score;
pub mod synth;
pub mod train;

pub use error::{Error, Result};
pub use model::CmltvModel;
