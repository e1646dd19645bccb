//! `cmltv train`.

use std::path::PathBuf;

use cmltv::CmltvModel;
use cmltv::data::{ReadOptions, read_table};
use cmltv::model::ModelType;
use cmltv::train::{TrainConfig, TrainTask};

use crate::progress::TrainingBar;

/// Arguments of `cmltv train`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Training table, CSV or Parquet.
    #[arg(long)]
    data: PathBuf,
    /// Label column: the amount paid within the horizon.
    #[arg(long)]
    label: String,
    /// Id column, carried through scoring, never a feature.
    #[arg(long)]
    id: Option<String>,
    /// Columns that are not features, comma separated (oracles, outcomes).
    #[arg(long, value_delimiter = ',')]
    ignore: Vec<String>,
    /// Training configuration (TOML); every field is optional.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Seed; overrides the configuration's.
    #[arg(long)]
    seed: Option<u64>,
    /// Model type (cmltv, ziln, two-stage, mse, mse-log, cmltv-gamma, ...); overrides the
    /// configuration's.
    #[arg(long)]
    model_type: Option<ModelType>,
    /// Where to write the model directory.
    #[arg(long)]
    model: PathBuf,
}

pub fn run(args: Args, quiet: bool) -> anyhow::Result<()> {
    let mut config = match &args.config {
        Some(path) => TrainConfig::from_toml_file(path)?,
        None => TrainConfig::default(),
    };
    if let Some(seed) = args.seed {
        config.seed = seed;
    }
    if let Some(model_type) = args.model_type {
        config.model_type = model_type;
    }
    let task = TrainTask {
        label: args.label,
        id: args.id,
        ignore: args.ignore,
    };
    let model = fit(&args.data, &task, &config, quiet)?;
    model.save(&args.model)?;
    let history = model.history();
    if !quiet {
        let best = &history.epochs[history.best_epoch - 1];
        eprintln!(
            "trained on {} rows in {:.1}s; kept epoch {} (validation gini {}); model in {}",
            history.train_rows,
            history.seconds,
            history.best_epoch,
            best.validation_gini
                .map_or("-".into(), |g| format!("{g:.4}")),
            args.model.display()
        );
    }
    Ok(())
}

/// Reads the table and trains, with a progress bar.
pub fn fit(
    data: &std::path::Path,
    task: &TrainTask,
    config: &TrainConfig,
    quiet: bool,
) -> anyhow::Result<CmltvModel> {
    let options = ReadOptions {
        text_columns: task.id.iter().cloned().collect(),
    };
    let table = read_table(data, &options)?;
    let mut bar = TrainingBar::new(quiet);
    Ok(cmltv::train::train(&table, task, config, &mut bar)?)
}
