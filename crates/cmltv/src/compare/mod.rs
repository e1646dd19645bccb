//! Comparing models on one split: every contender trained once per seed on the same training
//! rows and evaluated on the same test rows, then mean and spread of every metric.
//!
//! ```no_run
//! use cmltv::compare::{CompareSpec, Contender, Split, compare};
//! use cmltv::data::{ReadOptions, read_table};
//! use cmltv::train::TrainTask;
//!
//! let table = read_table("users.parquet".as_ref(), &ReadOptions::default())?;
//! let spec = CompareSpec {
//!     task: TrainTask { label: "ltv".into(), ignore: vec!["expected_ltv".into()], ..Default::default() },
//!     contenders: vec!["cmltv".parse()?, "ziln".parse()?],
//!     seeds: vec![1, 2, 3],
//!     split: Split::TestFraction { fraction: 0.2, seed: 0 },
//!     oracle: Some("expected_ltv".into()),
//!     ..CompareSpec::default()
//! };
//! let comparison = compare(&table, &spec, &mut ())?;
//! println!("{}", comparison.to_markdown());
//! # Ok::<(), cmltv::Error>(())
//! ```

mod probabilistic;
mod summary;

use std::fmt;
use std::str::FromStr;
use std::time::Instant;

use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;

pub use probabilistic::{Probabilistic, SUMMARY_COLUMNS};
pub use summary::{
    Comparison, ContenderResult, EXPECTATION_DECILE_MAPE, JSON_FILE, MARKDOWN_FILE, MeanStd, Run,
    TABLE_METRICS,
};

use crate::data::{ColumnData, Table};
use crate::error::{Error, Result};
use crate::metrics::{Evaluation, decile_mape, decile_table};
use crate::model::{MODEL_TYPES, ModelType};
use crate::train::{Silent, TrainConfig, TrainTask, read_labels, train};

/// A model in a comparison: a network cmltv trains, or a probabilistic model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Contender {
    /// CMLTV, an ablation or a neural baseline.
    Neural(ModelType),
    /// BG/NBD or Pareto/NBD with Gamma-Gamma spend.
    Probabilistic(Probabilistic),
}

impl Contender {
    /// The name in tables and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Contender::Neural(model_type) => model_type.name(),
            Contender::Probabilistic(model) => model.name(),
        }
    }
}

impl fmt::Display for Contender {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Contender {
    type Err = Error;

    fn from_str(name: &str) -> Result<Self> {
        if let Some(model) = Probabilistic::ALL.into_iter().find(|m| m.name() == name) {
            return Ok(Contender::Probabilistic(model));
        }
        name.parse::<ModelType>()
            .map(Contender::Neural)
            .map_err(|_| {
                let mut known: Vec<&str> = MODEL_TYPES.iter().map(|m| m.name()).collect();
                known.extend(Probabilistic::ALL.map(Probabilistic::name));
                Error::InvalidSetting {
                    name: "models".into(),
                    value: name.into(),
                    reason: format!("not a model (known: {})", known.join(", ")),
                }
            })
    }
}

/// How rows are split into training and test rows.
#[derive(Debug, Clone, PartialEq)]
pub enum Split {
    /// A seeded random share of the rows is the test set.
    TestFraction {
        /// Share of rows held out for testing.
        fraction: f64,
        /// Seed of the shuffle.
        seed: u64,
    },
    /// Rows whose value in this column is `1`, `true` or `test` are the test set.
    Column(String),
}

/// What to compare, on what, and how.
#[derive(Debug, Clone)]
pub struct CompareSpec {
    /// Label, id and ignored columns, as in training.
    pub task: TrainTask,
    /// The models, in table order.
    pub contenders: Vec<Contender>,
    /// Each neural model is trained once per seed.
    pub seeds: Vec<u64>,
    /// The one split all models share.
    pub split: Split,
    /// A column holding the true expected value, evaluated as one more row.
    pub oracle: Option<String>,
    /// Training configuration of the neural models (each gets its model type and the seed).
    pub config: TrainConfig,
    /// Length of the holdout window in days, which the probabilistic models predict over.
    pub horizon_days: Option<f64>,
}

impl Default for CompareSpec {
    fn default() -> Self {
        CompareSpec {
            task: TrainTask::default(),
            contenders: vec![Contender::Neural(ModelType::Cmltv)],
            seeds: vec![0],
            split: Split::TestFraction {
                fraction: 0.2,
                seed: 0,
            },
            oracle: None,
            config: TrainConfig::default(),
            horizon_days: None,
        }
    }
}

/// Progress of a comparison, for progress displays. Every method does nothing by default.
pub trait CompareObserver {
    /// Before a run; `index` counts from 0 up to `total`.
    fn on_run_start(&mut self, _contender: Contender, _seed: u64, _index: usize, _total: usize) {}

    /// After a run.
    fn on_run_done(&mut self, _contender: Contender, _run: &Run) {}
}

impl CompareObserver for () {}

/// Runs the comparison.
///
/// # Errors
///
/// [`Error::InvalidSetting`] for an empty model or seed list, a bad test fraction, or a
/// probabilistic model without a horizon; [`Error::MissingColumn`] for a label, split,
/// oracle or summary column that is not in the table; [`Error::BadValue`] for a bad value in
/// them; any error of training or of the probabilistic models.
pub fn compare(
    table: &Table,
    spec: &CompareSpec,
    observer: &mut dyn CompareObserver,
) -> Result<Comparison> {
    validate(spec)?;
    let labels = read_labels(table, &spec.task.label)?;
    let (train_rows, test_rows) = split_rows(table, &labels, &spec.split)?;
    let train_table = table.take(&train_rows);
    let test_table = table.take(&test_rows);
    let test_labels: Vec<f64> = test_rows.iter().map(|&i| labels[i]).collect();
    let task = feature_task(spec);
    let oracle = match &spec.oracle {
        Some(column) => {
            let values = table.finite_column(column)?;
            Some(test_rows.iter().map(|&i| values[i]).collect::<Vec<f64>>())
        }
        None => None,
    };

    let total = spec
        .contenders
        .iter()
        .map(|c| runs_of(*c, spec.seeds.len()))
        .sum();
    let mut index = 0;
    let mut results = Vec::new();
    for &contender in &spec.contenders {
        let mut runs = Vec::new();
        for &seed in spec.seeds.iter().take(runs_of(contender, spec.seeds.len())) {
            observer.on_run_start(contender, seed, index, total);
            let started = Instant::now();
            let scores = match contender {
                Contender::Neural(model_type) => {
                    let config = spec
                        .config
                        .clone()
                        .with_model_type(model_type)
                        .with_seed(seed);
                    let model = train(&train_table, &task, &config, &mut Silent)?;
                    model.predict(&test_table)?.pltv
                }
                Contender::Probabilistic(model) => {
                    let horizon = spec
                        .horizon_days
                        .expect("validated: probabilistic models have one");
                    model.predict(&train_table, &test_table, horizon)?
                }
            };
            let run = Run {
                seed,
                seconds: started.elapsed().as_secs_f64(),
                evaluation: Evaluation::compute(&test_labels, &scores)?,
                expectation_decile_mape: oracle
                    .as_deref()
                    .map(|expected| decile_mape(&decile_table(expected, &scores))),
            };
            observer.on_run_done(contender, &run);
            runs.push(run);
            index += 1;
        }
        results.push(ContenderResult::new(contender.name(), runs));
    }
    if let Some(scores) = oracle {
        let evaluation = Evaluation::compute(&test_labels, &scores)?;
        let run = Run {
            seed: 0,
            seconds: 0.0,
            evaluation,
            expectation_decile_mape: Some(0.0),
        };
        results.push(ContenderResult::new("oracle", vec![run]));
    }
    Ok(Comparison {
        train_rows: train_rows.len(),
        test_rows: test_rows.len(),
        contenders: results,
    })
}

/// Probabilistic models are deterministic: they run once whatever the seeds.
fn runs_of(contender: Contender, seeds: usize) -> usize {
    match contender {
        Contender::Neural(_) => seeds,
        Contender::Probabilistic(_) => 1,
    }
}

fn validate(spec: &CompareSpec) -> Result<()> {
    let invalid = |name: &str, value: String, reason: &str| {
        Err(Error::InvalidSetting {
            name: name.into(),
            value,
            reason: reason.into(),
        })
    };
    if spec.contenders.is_empty() {
        return invalid("models", String::new(), "name at least one model");
    }
    if spec.seeds.is_empty() {
        return invalid("seeds", "0".into(), "run at least one seed");
    }
    if let Split::TestFraction { fraction, .. } = spec.split
        && !(fraction > 0.0 && fraction < 1.0)
    {
        return invalid("test_fraction", fraction.to_string(), "must lie in (0, 1)");
    }
    let probabilistic = spec
        .contenders
        .iter()
        .any(|c| matches!(c, Contender::Probabilistic(_)));
    match spec.horizon_days {
        Some(days) if !(days > 0.0 && days.is_finite()) => invalid(
            "horizon_days",
            days.to_string(),
            "must be a positive number of days",
        ),
        None if probabilistic => invalid(
            "horizon_days",
            "none".into(),
            "the probabilistic models need the holdout window's length in days",
        ),
        _ => Ok(()),
    }
}

/// The training task with the split and oracle columns left out of the features.
fn feature_task(spec: &CompareSpec) -> TrainTask {
    let mut task = spec.task.clone();
    if let Split::Column(column) = &spec.split {
        task.ignore.push(column.clone());
    }
    task.ignore.extend(spec.oracle.iter().cloned());
    task
}

/// Training and test rows, each in table order.
fn split_rows(table: &Table, labels: &[f64], split: &Split) -> Result<(Vec<usize>, Vec<usize>)> {
    let test = match split {
        Split::TestFraction { fraction, seed } => {
            let mut order: Vec<usize> = (0..labels.len()).collect();
            order.shuffle(&mut StdRng::seed_from_u64(*seed));
            let held = (labels.len() as f64 * fraction).round() as usize;
            let mut test = vec![false; labels.len()];
            for &row in &order[..held] {
                test[row] = true;
            }
            test
        }
        Split::Column(column) => test_marks(table, column)?,
    };
    let (test_rows, train_rows): (Vec<usize>, Vec<usize>) =
        (0..labels.len()).partition(|&i| test[i]);
    if train_rows.is_empty() || test_rows.is_empty() {
        return Err(Error::InvalidSetting {
            name: "split".into(),
            value: format!(
                "{} training rows, {} test rows",
                train_rows.len(),
                test_rows.len()
            ),
            reason: "both parts need rows".into(),
        });
    }
    Ok((train_rows, test_rows))
}

/// Which rows a split column marks as test rows.
fn test_marks(table: &Table, column: &str) -> Result<Vec<bool>> {
    let marks = match &table.require(column)?.data {
        ColumnData::Numeric(values) => values.iter().map(|v| *v == Some(1.0)).collect(),
        ColumnData::Text(values) => values
            .iter()
            .map(|v| {
                let v = v.as_deref().unwrap_or_default().to_ascii_lowercase();
                matches!(v.as_str(), "1" | "true" | "test")
            })
            .collect(),
    };
    Ok(marks)
}

#[cfg(test)]
mod tests;
