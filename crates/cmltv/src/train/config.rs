//! Settings of a training run, saved with the model.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::loss::LossConfig;
use crate::model::{ModelConfig, ModelType};
use crate::preprocess::PreprocessConfig;
use crate::score::CalibrationKind;

/// Everything that decides how a model is trained.
///
/// Loaded from TOML, every field optional:
///
/// ```
/// let config: cmltv::train::TrainConfig = toml::from_str(
///     "epochs = 5\n[model]\nhidden = [64, 32]\n[loss]\nregression_contrastive = 0.0\n",
/// )
/// .unwrap();
/// assert_eq!(config.model.hidden, vec![64, 32]);
/// assert_eq!(config.batch_size, 2048);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TrainConfig {
    /// Which model to train: CMLTV, an ablation or a baseline.
    pub model_type: ModelType,
    /// Network shape.
    pub model: ModelConfig,
    /// Loss weights and temperatures.
    pub loss: LossConfig,
    /// Preprocessing of the feature columns.
    pub preprocess: PreprocessConfig,
    /// Numeric columns to treat as categorical (ids of levels, country codes, ...).
    pub categorical: Vec<String>,
    /// Maximum number of passes over the training rows.
    pub epochs: usize,
    /// Rows per batch.
    pub batch_size: usize,
    /// Adam's learning rate.
    pub learning_rate: f64,
    /// Gradients are rescaled to at most this L2 norm; 0 turns clipping off.
    pub gradient_clip_norm: f64,
    /// Share of the training rows held out for early stopping.
    pub validation_fraction: f64,
    /// Epochs without a better early-stopping measure before training stops.
    pub patience: usize,
    /// Draw batches so that each holds payers in the training set's proportion.
    pub stratified_batches: bool,
    /// Seed of the split, the initial weights, the batch order and the pairs.
    pub seed: u64,
    /// Monotone map of pLTV fitted after training.
    pub calibration: CalibrationKind,
    /// The rows the calibration is fitted on.
    pub calibration_rows: CalibrationRows,
    /// Equal-count bins of the isotonic calibration.
    pub calibration_bins: usize,
    /// What picks the kept epoch and stops training.
    pub early_stopping: EarlyStopping,
}

/// The validation measure that early stopping follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EarlyStopping {
    /// The training objective on the validation rows, lower is better: it uses every
    /// validation row's likelihood, so it moves smoothly from epoch to epoch.
    #[default]
    Loss,
    /// Normalized Gini of pLTV on the validation rows, higher is better: the ranking itself,
    /// but on heavy-tailed labels a few large payers decide it.
    Gini,
}

/// The rows whose labels the calibration of pLTV is fitted to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CalibrationRows {
    /// The validation rows alone: predictions the network was not fitted to, but few labels,
    /// whose realized total on heavy-tailed data is noisy.
    Validation,
    /// The training and the validation rows: every label there is, with predictions on rows
    /// the network was fitted to. With early stopping the network is far from memorising them,
    /// and the calibration follows the data rather than the draw of the validation rows.
    #[default]
    All,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            model_type: ModelType::Cmltv,
            model: ModelConfig::default(),
            loss: LossConfig::default(),
            preprocess: PreprocessConfig::default(),
            categorical: Vec::new(),
            epochs: 40,
            batch_size: 2048,
            learning_rate: 1e-3,
            gradient_clip_norm: 5.0,
            validation_fraction: 0.1,
            patience: 5,
            stratified_batches: true,
            seed: 0,
            calibration: CalibrationKind::Isotonic,
            calibration_rows: CalibrationRows::default(),
            calibration_bins: 10,
            early_stopping: EarlyStopping::default(),
        }
    }
}

impl TrainConfig {
    /// Reads a TOML file.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] when the file cannot be read, [`Error::Format`] when it is not valid TOML
    /// for this structure.
    pub fn from_toml_file(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        toml::from_str(&text).map_err(|e| Error::Format {
            path: path.to_path_buf(),
            message: e.to_string(),
        })
    }

    /// Sets the seed.
    pub fn with_seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Sets the maximum number of epochs.
    pub fn with_epochs(mut self, epochs: usize) -> Self {
        self.epochs = epochs;
        self
    }

    /// Sets the model type.
    pub fn with_model_type(mut self, model_type: ModelType) -> Self {
        self.model_type = model_type;
        self
    }

    /// Sets the calibration.
    pub fn with_calibration(mut self, calibration: CalibrationKind) -> Self {
        self.calibration = calibration;
        self
    }

    /// Sets the batch size.
    pub fn with_batch_size(mut self, batch_size: usize) -> Self {
        self.batch_size = batch_size;
        self
    }

    /// Checks every setting.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidSetting`] naming the first setting that cannot work.
    pub fn validate(&self) -> Result<()> {
        self.model.validate()?;
        self.loss.validate()?;
        self.preprocess.validate()?;
        let invalid = |name: &str, value: String, reason: &str| {
            Err(Error::InvalidSetting {
                name: name.to_string(),
                value,
                reason: reason.to_string(),
            })
        };
        if self.epochs == 0 {
            return invalid("epochs", "0".into(), "must be at least 1");
        }
        if self.batch_size < 2 {
            return invalid("batch_size", self.batch_size.to_string(), "must be >= 2");
        }
        if !(self.learning_rate > 0.0 && self.learning_rate.is_finite()) {
            return invalid(
                "learning_rate",
                self.learning_rate.to_string(),
                "must be > 0",
            );
        }
        if !(self.gradient_clip_norm >= 0.0 && self.gradient_clip_norm.is_finite()) {
            let value = self.gradient_clip_norm.to_string();
            return invalid("gradient_clip_norm", value, "must be >= 0");
        }
        if self.calibration_bins == 0 {
            return invalid("calibration_bins", "0".into(), "must be at least 1");
        }
        if !(0.0..0.9).contains(&self.validation_fraction) {
            let value = self.validation_fraction.to_string();
            return invalid("validation_fraction", value, "must lie in [0, 0.9)");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The README shows every default; its block must parse to exactly [`TrainConfig::default`].
    #[test]
    fn the_readme_shows_the_defaults() {
        let readme = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md"));
        let section = &readme[readme
            .find("### Training configuration")
            .expect("the README documents the configuration")..];
        let start = section.find("```toml\n").expect("a TOML block") + "```toml\n".len();
        let block = &section[start..start + section[start..].find("```").expect("closed")];
        let documented: TrainConfig = toml::from_str(block).expect("the block parses");
        assert_eq!(documented, TrainConfig::default());
    }
}
