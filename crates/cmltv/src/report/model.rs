//! [`ModelReport`]: one model on one labelled table, as an HTML page.

use std::path::PathBuf;

use super::html::{self, Page, Row};
use super::views::{Scored, ViewInputs};
use super::{calibration, decile, distribution, gain, training, views};
use crate::data::Table;
use crate::error::{Error, Result};
use crate::metrics::Evaluation;
use crate::model::{CmltvModel, ModelType};
use crate::score::{Calibration, Predictions};
use crate::train::{TrainingHistory, read_labels};

/// A column that ranks users by their true expected value, such as the synthetic data's
/// `expected_ltv`: the best ranking any model could learn.
#[derive(Debug, Clone, PartialEq)]
pub struct Oracle {
    /// The column's name.
    pub name: String,
    /// Its value for each row.
    pub scores: Vec<f64>,
}

impl Oracle {
    /// Reads the numeric column `name` of `table`.
    ///
    /// # Errors
    ///
    /// [`Error::MissingColumn`] when the table has no such column, [`Error::BadValue`] naming
    /// the row when a value is missing, not finite or not a number.
    pub fn read(table: &Table, name: &str) -> Result<Oracle> {
        Ok(Oracle {
            name: name.to_string(),
            scores: table.finite_column(name)?,
        })
    }
}

/// Everything a model report shows: the model's description and history, and its
/// predictions for a labelled table.
#[derive(Debug, Clone)]
pub struct ModelReport {
    /// The name the page shows for the model, such as its directory.
    pub name: String,
    /// The model type.
    pub model_type: ModelType,
    /// The labelled table that was scored.
    pub data: PathBuf,
    /// The model's training history.
    pub history: TrainingHistory,
    /// How pLTV is calibrated, in words, when it is.
    pub calibration: Option<String>,
    /// The name of the distribution view, see [`CmltvModel::distribution_view_name`].
    pub distribution_view: String,
    /// The true amounts of the table's rows.
    pub labels: Vec<f64>,
    /// The model's predictions for the same rows.
    pub predictions: Predictions,
    /// The oracle's ranking of the same rows, when asked for.
    pub oracle: Option<Oracle>,
}

impl ModelReport {
    /// Scores `table` with `model` and gathers what the report shows. `name` is how the page
    /// calls the model; `oracle` names a column of `table` to compare the ranking with.
    ///
    /// # Errors
    ///
    /// As [`read_labels`] for the model's label column, [`Error::NoPayers`] when no row has a
    /// positive label, as [`Oracle::read`] for the oracle, and as [`CmltvModel::predict`].
    pub fn new(
        model: &CmltvModel,
        name: &str,
        table: &Table,
        oracle: Option<&str>,
    ) -> Result<ModelReport> {
        let label = &model.schema().label;
        let labels = read_labels(table, label)?;
        if !labels.iter().any(|&y| y > 0.0) {
            return Err(Error::NoPayers {
                path: table.source().to_path_buf(),
                column: label.clone(),
            });
        }
        let oracle = oracle
            .map(|column| Oracle::read(table, column))
            .transpose()?;
        Ok(ModelReport {
            name: name.to_string(),
            model_type: model.model_type(),
            data: table.source().to_path_buf(),
            history: model.history().clone(),
            calibration: model.calibration().map(describe),
            distribution_view: model.distribution_view_name().to_string(),
            labels,
            predictions: model.predict(table)?,
            oracle,
        })
    }

    /// The report as one self-contained HTML document.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidSetting`] when there are no rows, a prediction or oracle vector has
    /// another length than the labels, or no label is positive.
    pub fn to_html(&self) -> Result<String> {
        self.check()?;
        let pltv = &self.predictions.pltv;
        let evaluation = Evaluation::compute(&self.labels, pltv)?;
        let oracle = self.oracle.as_ref();
        let oracle_evaluation = oracle
            .map(|oracle| Evaluation::compute(&self.labels, &oracle.scores))
            .transpose()?;
        let mut page = Page::new(&format!("cmltv report: {}", self.name));
        page.push(&self.header(&evaluation, oracle_evaluation.as_ref()));
        page.push("<div class=\"grid\">");
        page.push(&gain::section(&self.labels, pltv, oracle));
        page.push(&decile::section(&evaluation.deciles));
        page.push(&calibration::section(&evaluation.deciles));
        page.push(&distribution::section(&self.labels, pltv));
        page.push("</div>");
        page.push(&views::section(&self.view_inputs())?);
        page.push(&training::section(&self.history));
        Ok(page.finish())
    }

    /// Refuses input that no chart can describe.
    fn check(&self) -> Result<()> {
        let rows = self.labels.len();
        let p = &self.predictions;
        let parts = [Some(&p.pltv), p.purchase_probability.as_ref()]
            .into_iter()
            .chain([p.view_distribution.as_ref(), p.view_log.as_ref()])
            .chain([
                p.view_bucket.as_ref(),
                self.oracle.as_ref().map(|o| &o.scores),
            ]);
        let reason = if rows == 0 {
            "there are no rows to report on"
        } else if parts.flatten().any(|values| values.len() != rows) {
            "every prediction and the oracle need one value per row"
        } else if !self.labels.iter().any(|&y| y > 0.0) {
            "no row has a positive label, so there is no value to rank"
        } else {
            return Ok(());
        };
        Err(Error::InvalidSetting {
            name: "report rows".to_string(),
            value: format!("{rows} labels, {} predictions", p.pltv.len()),
            reason: reason.to_string(),
        })
    }

    /// Each view times the purchase probability, and the probability itself.
    fn view_inputs(&self) -> ViewInputs<'_> {
        let p = &self.predictions;
        ViewInputs {
            labels: &self.labels,
            pltv: &p.pltv,
            views: self.view_scores(),
            probability: p.purchase_probability.as_deref(),
            oracle: self.oracle.as_ref(),
        }
    }

    /// `p × view` for each view the model has.
    fn view_scores(&self) -> Vec<Scored> {
        let p = &self.predictions;
        let Some(probability) = &p.purchase_probability else {
            return Vec::new();
        };
        let views = [
            (self.distribution_view.as_str(), &p.view_distribution),
            ("view_log", &p.view_log),
            ("view_bucket", &p.view_bucket),
        ];
        views
            .into_iter()
            .filter_map(|(name, values)| {
                let values = values.as_ref()?;
                Some(Scored {
                    name: format!("p × {name}"),
                    scores: values.iter().zip(probability).map(|(v, p)| v * p).collect(),
                })
            })
            .collect()
    }

    /// The page header: what was scored, how the model was trained, the headline metrics.
    fn header(&self, evaluation: &Evaluation, oracle: Option<&Evaluation>) -> String {
        let history = &self.history;
        let payers = evaluation.payers as f64 / evaluation.rows as f64;
        let mut facts = vec![
            ("model type", self.model_type.name().to_string()),
            ("scored data", self.data.display().to_string()),
            ("rows", evaluation.rows.to_string()),
            (
                "payers",
                format!("{} ({:.1}%)", evaluation.payers, 100.0 * payers),
            ),
            ("training rows", history.train_rows.to_string()),
            ("validation rows", history.validation_rows.to_string()),
            ("training time", duration(history.seconds)),
            (
                "epochs (kept)",
                format!("{} ({})", history.epochs.len(), history.best_epoch),
            ),
            (
                "calibration",
                self.calibration.clone().unwrap_or("none".into()),
            ),
        ];
        if let (Some(oracle), Some(evaluation_oracle)) = (&self.oracle, oracle) {
            let ratio = evaluation.normalized_gini / evaluation_oracle.normalized_gini;
            facts.push((
                "Gini / oracle Gini",
                format!("{ratio:.3} ({})", oracle.name),
            ));
        }
        format!(
            "<header class=\"card\" id=\"summary\">\n<h1>Model report: {}</h1>\n\
             <div class=\"layout\"><div>{}</div><div>{}</div></div>\n</header>",
            html::escape(&self.name),
            html::facts(&facts),
            self.headline(evaluation, oracle)
        )
    }

    /// The headline metrics of pLTV, and of the oracle beside them when there is one.
    fn headline(&self, evaluation: &Evaluation, oracle: Option<&Evaluation>) -> String {
        let rows: Vec<Row> = HEADLINE
            .iter()
            .map(|(name, metric)| {
                let mut cells = vec![name.to_string(), html::metric(metric(evaluation))];
                cells.extend(oracle.map(|oracle| html::metric(metric(oracle))));
                Row::new(cells)
            })
            .collect();
        let oracle_header = self.oracle.as_ref().map(|o| format!("oracle {}", o.name));
        let mut header = vec!["metric", "pLTV"];
        header.extend(oracle_header.as_deref());
        html::table(Some("headline-metrics"), &header, &rows)
    }
}

/// A metric of an evaluation, by name.
type Metric = (&'static str, fn(&Evaluation) -> f64);

/// The metrics in the page header.
const HEADLINE: [Metric; 9] = [
    ("normalized Gini", |e| e.normalized_gini),
    ("Spearman", |e| e.spearman),
    ("AUC (payers)", |e| e.auc),
    ("PR-AUC", |e| e.pr_auc),
    ("decile MAPE", |e| e.decile_mape),
    ("sum pred / sum actual", |e| e.sum_ratio),
    ("top 1% share", |e| e.top_1pct_share),
    ("top 5% share", |e| e.top_5pct_share),
    ("top 10% share", |e| e.top_10pct_share),
];

/// A calibration in words.
fn describe(calibration: &Calibration) -> String {
    match calibration {
        Calibration::Scalar { factor } => format!("scalar, x {factor:.3}"),
        Calibration::Power { factor, exponent } => {
            format!("power, {factor:.3} x^{exponent:.3}")
        }
        Calibration::Isotonic { .. } => "isotonic, by deciles".to_string(),
    }
}

/// Seconds as `12.3 s` or `4 min 05 s`.
fn duration(seconds: f64) -> String {
    if seconds < 60.0 {
        format!("{seconds:.1} s")
    } else {
        let whole = seconds.round() as u64;
        format!("{} min {:02} s", whole / 60, whole % 60)
    }
}

#[cfg(test)]
#[path = "model_tests.rs"]
mod tests;
