//! Training: the stratified batches, the optimisation loop and early stopping.
//!
//! Preprocessing is fitted on the training rows only; a seeded, payer-stratified share of them
//! is held out, and the weights of the epoch with the best validation normalized Gini are kept.

mod config;
mod fit;
mod history;
mod labels;
mod sampler;

pub use config::{CalibrationRows, EarlyStopping, TrainConfig};
pub use fit::{HOLDOUT_PREFIX, TrainTask, train};
pub use history::{EpochRecord, Silent, StepReport, TrainObserver, TrainingHistory};
pub use labels::read_labels;
pub use sampler::epoch_batches;
