//! `cmltv compare`.

use std::path::PathBuf;

use anyhow::Context;
use cmltv::compare::{CompareObserver, CompareSpec, Contender, Run, Split};
use cmltv::data::{ReadOptions, read_table};
use cmltv::train::{TrainConfig, TrainTask};
use indicatif::ProgressBar;

/// Arguments of `cmltv compare`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The table, CSV or Parquet.
    #[arg(long)]
    data: PathBuf,
    /// Label column: the amount paid within the horizon.
    #[arg(long)]
    label: String,
    /// Id column, never a feature.
    #[arg(long)]
    id: Option<String>,
    /// Columns that are not features, comma separated (oracles, outcomes).
    #[arg(long, value_delimiter = ',')]
    ignore: Vec<String>,
    /// Models, comma separated: cmltv, ziln, two-stage, mse, mse-log, the cmltv ablations,
    /// bgnbd, pareto-nbd.
    #[arg(long, value_delimiter = ',', required = true)]
    models: Vec<Contender>,
    /// Number of seeds; each neural model is trained once per seed (seeds 0, 1, ...).
    #[arg(long, default_value_t = 5)]
    seeds: u64,
    /// Share of rows held out for testing (seeded by --split-seed).
    #[arg(long, conflicts_with = "split_column")]
    test_fraction: Option<f64>,
    /// Seed of the random split.
    #[arg(long, default_value_t = 0)]
    split_seed: u64,
    /// Column marking the test rows (1, true or test); the others are training rows.
    #[arg(long)]
    split_column: Option<String>,
    /// Column holding each row's true expected value, evaluated as one more row.
    #[arg(long)]
    oracle: Option<String>,
    /// Training configuration (TOML) of the neural models.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Length of the holdout window in days (needed by bgnbd and pareto-nbd).
    #[arg(long)]
    horizon_days: Option<f64>,
    /// Write comparison.md and comparison.json into this directory.
    #[arg(long)]
    output: Option<PathBuf>,
    /// Print the comparison as JSON instead of a Markdown table.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args, quiet: bool) -> anyhow::Result<()> {
    let config = match &args.config {
        Some(path) => TrainConfig::from_toml_file(path)?,
        None => TrainConfig::default(),
    };
    let split = match (&args.split_column, args.test_fraction) {
        (Some(column), _) => Split::Column(column.clone()),
        (None, fraction) => Split::TestFraction {
            fraction: fraction.unwrap_or(0.2),
            seed: args.split_seed,
        },
    };
    let spec = CompareSpec {
        task: TrainTask {
            label: args.label,
            id: args.id,
            ignore: args.ignore,
        },
        contenders: args.models,
        seeds: (0..args.seeds).collect(),
        split,
        oracle: args.oracle,
        config,
        horizon_days: args.horizon_days,
    };

    let mut options = ReadOptions::default();
    options.text_columns.extend(spec.task.id.iter().cloned());
    if let Split::Column(column) = &spec.split {
        options.text_columns.push(column.clone());
    }
    let table = read_table(&args.data, &options)?;
    let mut bar = RunsBar::new(quiet);
    let comparison = cmltv::compare::compare(&table, &spec, &mut bar)?;
    drop(bar);

    if let Some(dir) = &args.output {
        comparison
            .save(dir)
            .with_context(|| format!("cannot write the comparison into {}", dir.display()))?;
    }
    if args.json {
        println!("{}", comparison.to_json());
    } else {
        print!("{}", comparison.to_markdown());
    }
    Ok(())
}

/// A bar across all runs of a comparison, shown only on a terminal and without `--quiet`.
struct RunsBar {
    bar: ProgressBar,
    shown: bool,
}

impl RunsBar {
    fn new(quiet: bool) -> Self {
        let (bar, shown) = crate::progress::bar(
            quiet,
            "run {pos}/{len} [{bar:30}] {msg} elapsed {elapsed} eta {eta}",
        );
        RunsBar { bar, shown }
    }
}

impl CompareObserver for RunsBar {
    fn on_run_start(&mut self, contender: Contender, seed: u64, index: usize, total: usize) {
        self.bar.set_length(total as u64);
        self.bar.set_position(index as u64);
        self.bar.set_message(format!("{contender} seed {seed}"));
    }

    fn on_run_done(&mut self, contender: Contender, run: &Run) {
        self.bar.inc(1);
        if self.shown {
            self.bar.println(format!(
                "{contender:<24} seed {:<3} gini {:.4}  decile MAPE {:.3}  sum ratio {:.3}  {:.1}s",
                run.seed,
                run.evaluation.normalized_gini,
                run.evaluation.decile_mape,
                run.evaluation.sum_ratio,
                run.seconds
            ));
        }
    }
}

impl Drop for RunsBar {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}
