//! [`Comparison`]: the models of a comparison run, each metric's mean and standard deviation
//! over seeds, read from its `comparison.json` and shown as a table and bar charts.
//!
//! ```text
//! {"train_rows": 160000, "test_rows": 40000,
//!  "models": [{"name": "cmltv",
//!              "metrics": {"normalized_gini": {"mean": 0.71, "std": 0.004}, ...},
//!              "runs": [...]},
//!             ...]}
//! ```
//!
//! Fields the page does not use are ignored, so the file may carry more. A model named
//! `oracle` is a yardstick (the ranking by the true expectation), not a contender: it is
//! shown in its own colour and never marked best.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::bars::{Bar, BarChart};
use super::chart::{MODEL, ORACLE};
use super::html::{self, Page, Row};
use crate::error::{Error, Result};

/// The file a comparison directory holds.
pub const COMPARISON_FILE: &str = "comparison.json";

/// The name of the yardstick row.
const ORACLE_NAME: &str = "oracle";

/// A comparison run: its data sizes and each model's metrics.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Comparison {
    /// Training rows, when recorded.
    #[serde(default)]
    pub train_rows: Option<u64>,
    /// Test rows, when recorded.
    #[serde(default)]
    pub test_rows: Option<u64>,
    /// The models, in the order the page lists them.
    pub models: Vec<ComparedModel>,
}

/// One model of a comparison.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ComparedModel {
    /// Its name, such as a model type.
    pub name: String,
    /// Each metric's summary over the runs, by metric name (`normalized_gini`, ...).
    pub metrics: BTreeMap<String, MetricSummary>,
    /// The individual runs; only their number is shown.
    #[serde(default)]
    pub runs: Vec<serde_json::Value>,
}

/// A metric's mean and standard deviation over runs; `null` (an undefined metric) reads as
/// `None`.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
pub struct MetricSummary {
    /// The mean.
    pub mean: Option<f64>,
    /// The standard deviation.
    #[serde(default)]
    pub std: Option<f64>,
}

/// Which way a metric improves.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Better {
    Higher,
    Lower,
    /// Closest to 1 (the sum ratio).
    NearOne,
}

/// The table's columns: key, heading and which way is better.
const COLUMNS: [(&str, &str, Better); 14] = [
    ("normalized_gini", "normalized Gini", Better::Higher),
    ("spearman", "Spearman", Better::Higher),
    ("spearman_payers", "Spearman (payers)", Better::Higher),
    ("auc", "AUC", Better::Higher),
    ("pr_auc", "PR-AUC", Better::Higher),
    ("decile_mape", "decile MAPE", Better::Lower),
    (
        "expectation_decile_mape",
        "decile MAPE vs expectation",
        Better::Lower,
    ),
    ("rmse", "RMSE", Better::Lower),
    ("normalized_rmse", "normalized RMSE", Better::Lower),
    ("mae", "MAE", Better::Lower),
    ("sum_ratio", "sum pred / sum actual", Better::NearOne),
    ("top_1pct_share", "top 1% share", Better::Higher),
    ("top_5pct_share", "top 5% share", Better::Higher),
    ("top_10pct_share", "top 10% share", Better::Higher),
];

/// A value worth marking on a chart, and its legend name.
type Reference = Option<(f64, &'static str)>;

/// The bar charts: key, title and reference line.
const CHARTS: [(&str, &str, Reference); 3] = [
    ("normalized_gini", "Normalized Gini", None),
    ("decile_mape", "Decile MAPE (lower is better)", None),
    ("sum_ratio", "Sum pred / sum actual", Some((1.0, "ideal 1"))),
];

impl Comparison {
    /// Reads `comparison.json` from the directory `dir`.
    ///
    /// # Errors
    ///
    /// As [`Comparison::from_file`].
    pub fn from_dir(dir: &Path) -> Result<Comparison> {
        Comparison::from_file(&dir.join(COMPARISON_FILE))
    }

    /// Reads a comparison file.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] when the file cannot be read, [`Error::Format`] when it is not a
    /// comparison (the message gives the line and column) or lists no model.
    pub fn from_file(path: &Path) -> Result<Comparison> {
        let bytes = std::fs::read(path).map_err(|source| Error::io(path, source))?;
        let comparison: Comparison =
            serde_json::from_slice(&bytes).map_err(|error| Error::Format {
                path: path.to_path_buf(),
                message: error.to_string(),
            })?;
        if comparison.models.is_empty() {
            return Err(Error::Format {
                path: path.to_path_buf(),
                message: "the comparison lists no model".to_string(),
            });
        }
        Ok(comparison)
    }

    /// The comparison as one self-contained HTML document titled `title`.
    pub fn to_html(&self, title: &str) -> String {
        let mut page = Page::new(&format!("cmltv comparison: {title}"));
        page.push(&self.header(title));
        page.push("<div class=\"grid\">");
        for (key, chart_title, reference) in CHARTS {
            page.push(&self.chart(key, chart_title, reference));
        }
        page.push("</div>");
        page.finish()
    }

    /// The header and the metrics table.
    fn header(&self, title: &str) -> String {
        let runs = self
            .models
            .iter()
            .map(|model| model.runs.len())
            .max()
            .unwrap_or(0);
        let count = |rows: Option<u64>| rows.map_or("unknown".to_string(), |r| r.to_string());
        let facts = html::facts(&[
            ("models", self.models.len().to_string()),
            ("runs per model", runs.to_string()),
            ("training rows", count(self.train_rows)),
            ("test rows", count(self.test_rows)),
        ]);
        let note = "Mean ± standard deviation over the runs. The best value of each column \
                    is in bold with a ★; the oracle row is a yardstick and never marked.";
        format!(
            "<header class=\"card\" id=\"summary\">\n<h1>Model comparison: {}</h1>\n{facts}\n\
             <p class=\"note\">{note}</p>\n<div class=\"scroll\">{}</div>\n</header>",
            html::escape(title),
            self.table()
        )
    }

    /// The columns some model has, in the table's order.
    fn columns(&self) -> Vec<(&'static str, &'static str, Better)> {
        let present = |key: &str| self.models.iter().any(|m| m.metrics.contains_key(key));
        COLUMNS
            .into_iter()
            .filter(|(key, _, _)| present(key))
            .collect()
    }

    /// The metrics table, best per column marked.
    fn table(&self) -> String {
        let columns = self.columns();
        let best: Vec<Option<usize>> = columns
            .iter()
            .map(|&(key, _, better)| self.best(key, better))
            .collect();
        let rows: Vec<Row> = self
            .models
            .iter()
            .enumerate()
            .map(|(index, model)| {
                let mut cells = vec![(html::escape(&model.name), false)];
                for (column, (key, _, _)) in columns.iter().enumerate() {
                    let is_best = best[column] == Some(index);
                    cells.push((summary_cell(model.metrics.get(*key), is_best), is_best));
                }
                let class = is_oracle(model).then_some("reference");
                Row { class, cells }
            })
            .collect();
        let mut header = vec!["model"];
        header.extend(columns.iter().map(|(_, heading, _)| *heading));
        html::table(Some("comparison-table"), &header, &rows)
    }

    /// The index of the best non-oracle model for a metric, if any has a value.
    fn best(&self, key: &str, better: Better) -> Option<usize> {
        let badness = |mean: f64| match better {
            Better::Higher => -mean,
            Better::Lower => mean,
            Better::NearOne => (mean - 1.0).abs(),
        };
        self.models
            .iter()
            .enumerate()
            .filter(|(_, model)| !is_oracle(model))
            .filter_map(|(index, model)| Some((index, model.metrics.get(key)?.mean?)))
            .filter(|(_, mean)| mean.is_finite())
            .min_by(|a, b| badness(a.1).total_cmp(&badness(b.1)))
            .map(|(index, _)| index)
    }

    /// A bar chart of one metric over the models, with error bars.
    fn chart(&self, key: &str, title: &str, reference: Reference) -> String {
        let bars: Vec<Bar> = self
            .models
            .iter()
            .map(|model| {
                let summary = model.metrics.get(key);
                Bar {
                    name: model.name.clone(),
                    value: summary.and_then(|s| s.mean).unwrap_or(f64::NAN),
                    spread: summary.and_then(|s| s.std),
                    color: if is_oracle(model) { ORACLE } else { MODEL },
                }
            })
            .collect();
        let chart = BarChart {
            title,
            axis: "mean over runs, error bar ± 1 std",
            bars: &bars,
            reference,
        };
        let id = format!("compare-{}", key.replace('_', "-"));
        let note = "The oracle, when present, is drawn in orange.";
        html::card(&id, title, note, &chart.to_svg())
    }
}

fn is_oracle(model: &ComparedModel) -> bool {
    model.name.eq_ignore_ascii_case(ORACLE_NAME)
}

/// The mean with `± std` in small type below it, a star on the best, a dash for a missing or
/// undefined metric.
fn summary_cell(summary: Option<&MetricSummary>, best: bool) -> String {
    let Some(mean) = summary.and_then(|s| s.mean).filter(|m| m.is_finite()) else {
        return "&ndash;".to_string();
    };
    let star = if best { " ★" } else { "" };
    match summary.and_then(|s| s.std).filter(|s| s.is_finite()) {
        Some(std) => format!("{mean:.4}{star}<br><small>± {std:.4}</small>"),
        None => format!("{mean:.4}{star}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"{
      "train_rows": 1600, "test_rows": 400, "seeds": [1, 2],
      "models": [
        {"name": "cmltv", "kind": "extra field",
         "metrics": {"normalized_gini": {"mean": 0.71, "std": 0.01},
                     "decile_mape": {"mean": 0.12, "std": 0.02},
                     "sum_ratio": {"mean": 1.04, "std": 0.03},
                     "auc": {"mean": null, "std": null}},
         "runs": [{"seed": 1}, {"seed": 2}]},
        {"name": "ziln",
         "metrics": {"normalized_gini": {"mean": 0.69, "std": 0.02},
                     "decile_mape": {"mean": 0.10, "std": 0.01},
                     "sum_ratio": {"mean": 0.93, "std": 0.05}},
         "runs": [{"seed": 1}, {"seed": 2}]},
        {"name": "oracle",
         "metrics": {"normalized_gini": {"mean": 0.80, "std": 0.0},
                     "decile_mape": {"mean": 0.01, "std": 0.0},
                     "sum_ratio": {"mean": 1.0, "std": 0.0}},
         "runs": []}
      ]}"#;

    fn sample() -> Comparison {
        serde_json::from_str(SAMPLE).expect("a valid comparison")
    }

    #[test]
    fn reads_the_shape_and_ignores_extra_fields() {
        let comparison = sample();
        assert_eq!(comparison.train_rows, Some(1600));
        assert_eq!(comparison.models.len(), 3);
        let gini = comparison.models[0].metrics["normalized_gini"];
        assert_eq!((gini.mean, gini.std), (Some(0.71), Some(0.01)));
        assert_eq!(comparison.models[0].metrics["auc"].mean, None);
    }

    #[test]
    fn best_skips_the_oracle_and_knows_each_direction() {
        let comparison = sample();
        assert_eq!(comparison.best("normalized_gini", Better::Higher), Some(0));
        assert_eq!(comparison.best("decile_mape", Better::Lower), Some(1));
        assert_eq!(comparison.best("sum_ratio", Better::NearOne), Some(0));
        assert_eq!(comparison.best("auc", Better::Higher), None);
    }

    #[test]
    fn the_page_has_the_table_and_three_charts() {
        let html = sample().to_html("runs/<today>");
        assert!(html.contains("Model comparison: runs/&lt;today&gt;"));
        assert!(
            html.contains("<td class=\"best\">0.7100 ★<br><small>± 0.0100</small></td>"),
            "{html}"
        );
        assert!(html.contains("<tr class=\"reference\"><td>oracle</td>"));
        for id in [
            "compare-normalized-gini",
            "compare-decile-mape",
            "compare-sum-ratio",
        ] {
            assert!(html.contains(&format!("id=\"{id}\"")), "{id}");
        }
        assert_eq!(html.matches("<svg").count(), 3);
        assert!(
            !html.contains("top 1% share"),
            "absent metrics get no column"
        );
    }

    #[test]
    fn bad_files_name_the_file() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let missing = Comparison::from_dir(dir.path()).expect_err("no file");
        assert!(matches!(missing, Error::Io { .. }), "{missing}");
        let path = dir.path().join(COMPARISON_FILE);
        for (content, needle) in [
            ("{\"models\": [", "line 1"),
            ("{\"models\": []}", "no model"),
            ("{\"models\": [{\"name\": 3}]}", "invalid type"),
        ] {
            std::fs::write(&path, content).expect("writable");
            let error = Comparison::from_file(&path).expect_err("bad file");
            let message = error.to_string();
            assert!(matches!(error, Error::Format { .. }), "{message}");
            assert!(
                message.contains("comparison.json") && message.contains(needle),
                "{message}"
            );
        }
    }
}
