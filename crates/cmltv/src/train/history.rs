//! What a training run records: loss terms and validation Gini per epoch.

use serde::{Deserialize, Serialize};

/// One epoch's summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EpochRecord {
    /// Epoch, counted from 1.
    pub epoch: usize,
    /// Mean weighted total loss over the epoch's batches.
    pub loss: f64,
    /// Mean of each unweighted term, by name (terms with weight 0 are left out).
    pub terms: Vec<(String, f64)>,
    /// Normalized Gini of pLTV on the validation rows, when there are any.
    pub validation_gini: Option<f64>,
    /// The weighted training objective on the validation rows, when there are any.
    #[serde(default)]
    pub validation_loss: Option<f64>,
    /// Training rows per second during the epoch.
    pub rows_per_second: f64,
    /// Wall-clock seconds of the epoch, validation included.
    pub seconds: f64,
}

/// The whole run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TrainingHistory {
    /// Every epoch that ran.
    pub epochs: Vec<EpochRecord>,
    /// The epoch whose weights were kept (best validation loss or Gini, or the last).
    pub best_epoch: usize,
    /// Rows the network was trained on.
    pub train_rows: usize,
    /// Rows held out for early stopping.
    pub validation_rows: usize,
    /// Wall-clock seconds of the whole run.
    pub seconds: f64,
}

/// Progress of one training step, for progress displays.
#[derive(Debug, Clone)]
pub struct StepReport<'a> {
    /// Epoch, counted from 1.
    pub epoch: usize,
    /// Maximum number of epochs.
    pub epochs: usize,
    /// Step within the epoch, counted from 1.
    pub step: usize,
    /// Steps per epoch.
    pub steps: usize,
    /// This step's weighted total loss.
    pub loss: f64,
    /// This step's unweighted terms, by name.
    pub terms: &'a [(String, f64)],
    /// Training rows per second so far in this epoch.
    pub rows_per_second: f64,
}

/// Receives progress while a model trains. Every method does nothing by default.
pub trait TrainObserver {
    /// After every step.
    fn on_step(&mut self, _report: &StepReport<'_>) {}

    /// After every epoch, validation included.
    fn on_epoch(&mut self, _record: &EpochRecord) {}
}

/// An observer that ignores everything.
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl TrainObserver for Silent {}
