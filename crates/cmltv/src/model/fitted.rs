//! A trained model: network, fitted preprocessing and everything needed to score.

use burn::prelude::*;
use serde::{Deserialize, Serialize};

use super::{Distribution, InputLayout, LtvNetwork, ModelType};
use crate::loss::{BucketScheme, ViewSettings};
use crate::preprocess::Preprocessor;
use crate::score::Calibration;
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
    /// The model type.
    pub model_type: ModelType,
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

impl ViewParameters {
    /// The settings the loss and the predictions read, with the bucket values on `device`.
    pub fn settings(&self, device: &Device) -> ViewSettings {
        let values: Vec<f32> = self.buckets.values().iter().map(|&v| v as f32).collect();
        let count = values.len();
        ViewSettings {
            model_type: self.model_type,
            distribution: self.distribution,
            label_scale: self.label_scale,
            bucket_values: Tensor::from_data(TensorData::new(values, [count]), device),
            alpha: self.alpha,
            beta: self.beta,
        }
    }
}

/// A trained model: CMLTV or a baseline. Train one with [`crate::train::train`], score with
/// [`CmltvModel::predict`](crate::score), save and load with [`crate::persist`].
#[derive(Debug, Clone)]
pub struct CmltvModel {
    pub(crate) network: LtvNetwork,
    pub(crate) preprocessor: Preprocessor,
    pub(crate) schema: ModelSchema,
    pub(crate) config: TrainConfig,
    pub(crate) views: ViewParameters,
    pub(crate) layout: InputLayout,
    pub(crate) history: TrainingHistory,
    pub(crate) calibration: Option<Calibration>,
}

impl CmltvModel {
    /// The model type.
    pub fn model_type(&self) -> ModelType {
        self.views.model_type
    }

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

    /// The calibration of pLTV fitted after training, if any.
    pub fn calibration(&self) -> Option<&Calibration> {
        self.calibration.as_ref()
    }

    /// Loss terms and validation Gini per epoch.
    pub fn history(&self) -> &TrainingHistory {
        &self.history
    }
}
