//! `cmltv demo`: the whole job on built-in data.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use cmltv::data::{ReadOptions, read_table};
use cmltv::metrics::Evaluation;
use cmltv::synth::SynthConfig;
use cmltv::train::{TrainConfig, TrainTask, read_labels};

use crate::train::fit;

/// Arguments of `cmltv demo`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Number of synthetic users; every fifth is held out for evaluation.
    #[arg(long, default_value_t = 200_000)]
    rows: usize,
    /// Seed of the users and of training.
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// Training configuration (TOML).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Keep the data and the model in this directory (default: a temporary one).
    #[arg(long)]
    dir: Option<PathBuf>,
    /// Print one JSON object instead of tables.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args, quiet: bool) -> anyhow::Result<()> {
    let scratch = tempfile::tempdir().context("cannot create a temporary directory")?;
    let dir = args
        .dir
        .clone()
        .unwrap_or_else(|| scratch.path().to_path_buf());
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;

    // Simulate the users and split them 80/20.
    let data = dir.join("users.parquet");
    let synth = SynthConfig::default()
        .with_rows(args.rows)
        .with_seed(args.seed);
    cmltv::synth::write(&synth, &data)?;
    let options = ReadOptions {
        text_columns: vec!["user_id".into()],
    };
    let table = read_table(&data, &options)?;
    let (train_rows, test_rows): (Vec<usize>, Vec<usize>) =
        (0..table.rows()).partition(|i| i % 5 != 4);
    let train_path = dir.join("train.parquet");
    cmltv::data::write_table(&train_path, &table.take(&train_rows))?;
    let test = table.take(&test_rows);

    // Train on the 80 %, with the oracle column ignored.
    let mut config = match &args.config {
        Some(path) => TrainConfig::from_toml_file(path)?,
        None => TrainConfig::default(),
    };
    config.seed = args.seed;
    let task = TrainTask {
        label: "ltv".into(),
        id: Some("user_id".into()),
        ignore: vec!["expected_ltv".into()],
    };
    let started = Instant::now();
    let model = fit(&train_path, &task, &config, quiet)?;
    let seconds = started.elapsed().as_secs_f64();
    model.save(&dir.join("model"))?;

    // Evaluate on the held-out 20 %, next to the oracle.
    let labels = read_labels(&test, "ltv")?;
    let cmltv_eval = Evaluation::compute(&labels, &model.predict(&test)?.pltv)?;
    let oracle = test.finite_column("expected_ltv")?;
    let oracle_eval = Evaluation::compute(&labels, &oracle)?;
    let ratio = cmltv_eval.normalized_gini / oracle_eval.normalized_gini;
    report(
        &cmltv_eval,
        &oracle_eval,
        ratio,
        seconds,
        model.history().best_epoch,
        args.json,
    );
    Ok(())
}

fn report(
    model: &Evaluation,
    oracle: &Evaluation,
    ratio: f64,
    seconds: f64,
    epoch: usize,
    json: bool,
) {
    if json {
        let value = serde_json::json!({
            "cmltv": model,
            "oracle": oracle,
            "gini_ratio_to_oracle": ratio,
            "training_seconds": seconds,
            "best_epoch": epoch,
        });
        println!("{value}");
        return;
    }
    println!("CMLTV on the held-out users");
    print!("{}", model.to_table());
    println!("\noracle (ranking by expected_ltv)");
    print!("{}", oracle.to_table());
    println!(
        "\nnormalized gini: CMLTV {:.4}, oracle {:.4}, ratio {:.3}; training {:.1}s (best epoch {epoch})",
        model.normalized_gini, oracle.normalized_gini, ratio, seconds
    );
}
