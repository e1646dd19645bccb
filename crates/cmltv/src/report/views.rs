//! Each view's metrics: how pLTV, each view times the purchase probability (`p yd`, `p yl`,
//! `p yc`) and the purchase probability alone rank and value the users, as a bar chart of
//! normalized Gini and a table.
//!
//! The views are what the fusion averages, so this card shows which of them carries the
//! ranking and which the calibration. The purchase probability is no amount: only its AUC for
//! finding the payers is shown.

use plotters::style::RGBColor;

use super::bars::{Bar, BarChart};
use super::chart::{MODEL, ORACLE, PALETTE};
use super::html::{self, Row};
use super::model::Oracle;
use crate::error::Result;
use crate::metrics::{Evaluation, roc_auc};

/// A named score to evaluate.
pub(super) struct Scored {
    /// The name shown, e.g. `p × view_log`.
    pub(super) name: String,
    /// One score per row.
    pub(super) scores: Vec<f64>,
}

/// What the views card shows.
pub(super) struct ViewInputs<'a> {
    /// True amounts.
    pub(super) labels: &'a [f64],
    /// pLTV.
    pub(super) pltv: &'a [f64],
    /// The views, each already multiplied by the purchase probability.
    pub(super) views: Vec<Scored>,
    /// The purchase probability, when the model has one.
    pub(super) probability: Option<&'a [f64]>,
    /// The oracle, when given.
    pub(super) oracle: Option<&'a Oracle>,
}

/// Columns of the table, after the name.
const HEADER: [&str; 7] = [
    "score",
    "normalized Gini",
    "Spearman",
    "AUC",
    "decile MAPE",
    "sum pred / sum actual",
    "top 10% share",
];

/// The view-metrics card.
///
/// # Errors
///
/// [`crate::Error::InvalidSetting`] when a score has another number of rows than the labels.
pub(super) fn section(inputs: &ViewInputs<'_>) -> Result<String> {
    let mut rows = Vec::new();
    let mut bars = Vec::new();
    let views = inputs.views.iter();
    let named = views.map(|view| (view.name.as_str(), view.scores.as_slice()));
    for (index, (name, scores)) in std::iter::once(("pLTV", inputs.pltv))
        .chain(named)
        .enumerate()
    {
        let evaluation = Evaluation::compute(inputs.labels, scores)?;
        let color = if index == 0 {
            MODEL
        } else {
            PALETTE[index % PALETTE.len()]
        };
        bars.push(gini_bar(name, &evaluation, color));
        rows.push(Row::new(metric_cells(name, &evaluation)));
    }
    if let Some(probability) = inputs.probability {
        rows.push(Row::new(probability_cells(inputs.labels, probability)));
    }
    if let Some(oracle) = inputs.oracle {
        let evaluation = Evaluation::compute(inputs.labels, &oracle.scores)?;
        let name = format!("oracle {}", oracle.name);
        bars.push(gini_bar(&name, &evaluation, ORACLE));
        let mut row = Row::new(metric_cells(&name, &evaluation));
        row.class = Some("reference");
        rows.push(row);
    }
    let chart = BarChart {
        title: "Normalized Gini by view",
        axis: "normalized Gini",
        bars: &bars,
        reference: None,
    };
    let content = format!(
        "<div class=\"split\"><div>{}</div><div>{}</div></div>",
        chart.to_svg(),
        html::table(Some("view-metrics-table"), &HEADER, &rows)
    );
    let note = "pLTV = p (alpha yd + beta yl + (1 - alpha - beta) yc). Each view is scored \
                as p times the view; the purchase probability p alone is scored by its AUC \
                for finding the payers.";
    Ok(html::card(
        "view-metrics",
        "Metrics of each view",
        note,
        &content,
    ))
}

fn gini_bar(name: &str, evaluation: &Evaluation, color: RGBColor) -> Bar {
    Bar {
        name: name.to_string(),
        value: evaluation.normalized_gini,
        spread: None,
        color,
    }
}

/// The name (escaped) and the table's metrics of one score.
fn metric_cells(name: &str, evaluation: &Evaluation) -> Vec<String> {
    let e = evaluation;
    let mut cells = vec![html::escape(name)];
    let values = [
        e.normalized_gini,
        e.spearman,
        e.auc,
        e.decile_mape,
        e.sum_ratio,
        e.top_10pct_share,
    ];
    cells.extend(values.map(html::metric));
    cells
}

/// The purchase probability's row: its AUC, dashes elsewhere.
fn probability_cells(labels: &[f64], probability: &[f64]) -> Vec<String> {
    let payer: Vec<bool> = labels.iter().map(|&y| y > 0.0).collect();
    let dash = || "&ndash;".to_string();
    vec![
        "purchase probability p".to_string(),
        dash(),
        dash(),
        html::metric(roc_auc(&payer, probability)),
        dash(),
        dash(),
        dash(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_row_per_score_the_oracle_marked_as_reference() {
        let labels = [0.0, 3.0, 0.0, 10.0, 0.0, 5.0, 0.0, 1.0];
        let pltv = [0.5, 2.0, 0.4, 4.0, 1.0, 2.5, 0.1, 0.9];
        let probability = [0.1, 0.8, 0.2, 0.9, 0.3, 0.7, 0.05, 0.6];
        let view: Vec<f64> = pltv.iter().map(|p| p * 2.0).collect();
        let oracle = Oracle {
            name: "expected<ltv>".into(),
            scores: labels.to_vec(),
        };
        let inputs = ViewInputs {
            labels: &labels,
            pltv: &pltv,
            views: vec![Scored {
                name: "p × view_log".into(),
                scores: view,
            }],
            probability: Some(&probability),
            oracle: Some(&oracle),
        };
        let html = section(&inputs).expect("valid input");
        assert!(html.contains("id=\"view-metrics\""));
        assert!(html.contains("<td>p × view_log</td>"));
        assert!(html.contains("<td>purchase probability p</td><td>&ndash;</td>"));
        assert!(html.contains("<tr class=\"reference\"><td>oracle expected&lt;ltv&gt;</td>"));
        assert!(
            html.contains("<td>1.0000</td>"),
            "the oracle's AUC on payers is 1"
        );
        assert_eq!(html.matches("<svg").count(), 1);
    }

    #[test]
    fn a_score_of_another_length_is_an_error() {
        let inputs = ViewInputs {
            labels: &[1.0, 0.0],
            pltv: &[1.0],
            views: Vec::new(),
            probability: None,
            oracle: None,
        };
        assert!(section(&inputs).is_err());
    }
}
