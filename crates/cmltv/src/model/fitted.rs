//! A trained model: network, fitted preprocessing and everything needed to score.

use serde::{Deserialize, Serialize};

use super::{CmltvNetwork, Distribution, InputLayout};
use crate::loss::BucketScheme;
use crate::preprocess::Preprocessor;
use crate::train::{TrainConfig, TrainingHistory};

/// Which columns a model reads and writes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelSchema {
    /// The label column it was trained on.
    pub label: String,
    /// The id column carried through scoring, if any.
    pub id: Option<String>,
}

/// What turns head outputs into predictions in label units.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ViewParameters {
    /// The distribution view's family.
    pub distribution: Distribution,
    /// Labels are divided by this (the mean payer label) inside the distribution view.
    pub label_scale: f64,
    /// The bucket view's buckets.
    pub buckets: BucketScheme,
    /// Fusion weight of the distribution view.
    pub alpha: f64,
    /// Fusion weight of the log view.
    pub beta: f64,
}

/// A trained CMLTV model. Train one with [`crate::train::train`], score with
/// [`CmltvModel::predict`](crate::score), save and load with [`crate::persist`].
#[derive(Debug, Clone)]
pub struct CmltvModel {
    pub(crate) network: CmltvNetwork,
    pub(crate) preprocessor: Preprocessor,
    pub(crate) schema: ModelSchema,
    pub(crate) config: TrainConfig,
    pub(crate) views: ViewParameters,
    pub(crate) layout: InputLayout,
    pub(crate) history: TrainingHistory,
}

impl CmltvModel {
    /// The columns the model reads and writes.
    pub fn schema(&self) -> &ModelSchema {
        &self.schema
    }

    /// The settings it was trained with.
    pub fn config(&self) -> &TrainConfig {
        &self.config
    }

    /// Fitted preprocessing.
    pub fn preprocessor(&self) -> &Preprocessor {
        &self.preprocessor
    }

    /// View parameters (label scale, buckets, fusion weights).
    pub fn view_parameters(&self) -> &ViewParameters {
        &self.views
    }

    /// Loss terms and validation Gini per epoch.
    pub fn history(&self) -> &TrainingHistory {
        &self.history
    }
}
