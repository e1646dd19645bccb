//! A comparison's result: every run, mean and spread of every metric, and its tables.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;

use serde::Serialize;

use crate::error::Result;
use crate::metrics::Evaluation;
use crate::persist::write_dir;

/// The comparison table in Markdown, inside a comparison's output directory.
pub const MARKDOWN_FILE: &str = "comparison.md";
/// The comparison as JSON, inside a comparison's output directory.
pub const JSON_FILE: &str = "comparison.json";

/// One training and evaluation.
#[derive(Debug, Clone, Serialize)]
pub struct Run {
    /// The seed of the run.
    pub seed: u64,
    /// Wall-clock seconds, training and scoring.
    pub seconds: f64,
    /// The metrics on the test rows.
    pub evaluation: Evaluation,
    /// Decile MAPE of the predictions against the true expected value rather than the
    /// realized label, when the data has an oracle column: calibration without the label's
    /// noise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expectation_decile_mape: Option<f64>,
}

/// The metric name of [`Run::expectation_decile_mape`].
pub const EXPECTATION_DECILE_MAPE: &str = "expectation_decile_mape";

/// Mean and sample standard deviation (0 for a single run) of a metric over runs.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MeanStd {
    /// Mean over the runs.
    pub mean: f64,
    /// Sample standard deviation over the runs.
    pub std: f64,
}

impl MeanStd {
    /// Of these values.
    pub fn of(values: &[f64]) -> MeanStd {
        let n = values.len() as f64;
        let mean = values.iter().sum::<f64>() / n;
        let squares: f64 = values.iter().map(|v| (v - mean).powi(2)).sum();
        let std = if values.len() > 1 {
            (squares / (n - 1.0)).sqrt()
        } else {
            0.0
        };
        MeanStd { mean, std }
    }
}

/// One model's row of the comparison.
#[derive(Debug, Clone, Serialize)]
pub struct ContenderResult {
    /// The model's name (`oracle` for the oracle column).
    pub name: String,
    /// Mean and spread of every metric, by name.
    pub metrics: BTreeMap<&'static str, MeanStd>,
    /// Every run.
    pub runs: Vec<Run>,
}

impl ContenderResult {
    /// Summarizes the runs of one model.
    pub fn new(name: &str, runs: Vec<Run>) -> ContenderResult {
        let scalars: Vec<_> = runs.iter().map(|r| r.evaluation.scalars()).collect();
        let mut metrics: BTreeMap<&'static str, MeanStd> = scalars[0]
            .iter()
            .enumerate()
            .map(|(i, (metric, _))| {
                let values: Vec<f64> = scalars.iter().map(|s| s[i].1).collect();
                (*metric, MeanStd::of(&values))
            })
            .collect();
        let expectation: Option<Vec<f64>> =
            runs.iter().map(|r| r.expectation_decile_mape).collect();
        if let Some(values) = expectation {
            metrics.insert(EXPECTATION_DECILE_MAPE, MeanStd::of(&values));
        }
        ContenderResult {
            name: name.to_string(),
            metrics,
            runs,
        }
    }
}

/// The metrics of the comparison table, with their headings and which value is best.
/// A column that no model has (the expectation's decile MAPE without an oracle) is left out.
pub const TABLE_METRICS: [(&str, &str, Best); 8] = [
    ("normalized_gini", "normalized Gini", Best::Highest),
    ("spearman", "Spearman", Best::Highest),
    ("auc", "AUC", Best::Highest),
    ("decile_mape", "decile MAPE", Best::Lowest),
    (
        EXPECTATION_DECILE_MAPE,
        "decile MAPE vs expectation",
        Best::Lowest,
    ),
    ("rmse", "RMSE", Best::Lowest),
    ("sum_ratio", "sum pred / sum actual", Best::NearestOne),
    ("top_10pct_share", "top 10 % share", Best::Highest),
];

/// Which value of a metric is the best.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Best {
    /// The largest.
    Highest,
    /// The smallest.
    Lowest,
    /// The closest to 1.
    NearestOne,
}

impl Best {
    /// A key that is smaller for better values.
    fn key(self, value: f64) -> f64 {
        match self {
            Best::Highest => -value,
            Best::Lowest => value,
            Best::NearestOne => (value - 1.0).abs(),
        }
    }
}

/// All models on one split.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    /// Rows the models were trained on.
    pub train_rows: usize,
    /// Rows they were evaluated on.
    pub test_rows: usize,
    /// One entry per model, in the order asked for, the oracle last.
    #[serde(rename = "models")]
    pub contenders: Vec<ContenderResult>,
}

impl Comparison {
    /// The best mean of a metric among the models (the oracle does not compete).
    fn best(&self, metric: &str, best: Best) -> Option<f64> {
        self.contenders
            .iter()
            .filter(|c| c.name != "oracle")
            .filter_map(|c| c.metrics.get(metric).map(|m| m.mean))
            .filter(|v| v.is_finite())
            .min_by(|a, b| best.key(*a).total_cmp(&best.key(*b)))
    }

    /// A Markdown table: mean ± standard deviation per model and metric, the best mean of
    /// each column in bold, and with it every mean that equals it to the four decimals shown.
    pub fn to_markdown(&self) -> String {
        let columns: Vec<_> = TABLE_METRICS
            .into_iter()
            .filter(|(metric, _, _)| {
                self.contenders
                    .iter()
                    .any(|c| c.metrics.contains_key(metric))
            })
            .collect();
        let mut out = String::from("| model | runs |");
        for (_, heading, _) in &columns {
            write!(out, " {heading} |").expect("writing to a String cannot fail");
        }
        out.push_str("\n| --- | ---: |");
        out.push_str(&" ---: |".repeat(columns.len()));
        out.push('\n');
        // A column's best mean as the table shows it (in the order `Best::key` ranks).
        let shown = |value: f64, best: Best| format!("{:.4}", best.key(value));
        let tops: Vec<Option<String>> = columns
            .iter()
            .map(|&(metric, _, best)| self.best(metric, best).map(|top| shown(top, best)))
            .collect();
        for contender in &self.contenders {
            write!(out, "| {} | {} |", contender.name, contender.runs.len())
                .expect("writing to a String cannot fail");
            for (&(metric, _, best), top) in columns.iter().zip(&tops) {
                let cell = contender.metrics.get(metric).map_or("-".to_string(), |m| {
                    let text = format!("{:.4} ± {:.4}", m.mean, m.std);
                    let is_best = contender.name != "oracle"
                        && top.as_deref() == Some(shown(m.mean, best).as_str());
                    if is_best { format!("**{text}**") } else { text }
                });
                write!(out, " {cell} |").expect("writing to a String cannot fail");
            }
            out.push('\n');
        }
        out
    }

    /// The comparison as JSON: `{"train_rows", "test_rows", "models": [{"name", "metrics":
    /// {"normalized_gini": {"mean", "std"}, ...}, "runs": [...]}]}`.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a comparison is plain data that serializes")
    }

    /// Writes `comparison.md` and `comparison.json` into `dir`, atomically: a failed write
    /// leaves an earlier comparison in `dir` as it was.
    ///
    /// # Errors
    ///
    /// [`Error::Io`](crate::Error::Io) when the directory cannot be written.
    pub fn save(&self, dir: &Path) -> Result<()> {
        let files = [
            (MARKDOWN_FILE, self.to_markdown().into_bytes()),
            (JSON_FILE, self.to_json().into_bytes()),
        ];
        write_dir(dir, &files)
    }
}
