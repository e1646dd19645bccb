//! [`Evaluation`]: every metric of a set of predictions at once, with a printable summary.

use std::fmt::Write;

use super::decile::{DecileRow, decile_mape, decile_table};
use super::gini::{gain_curve, normalized_gini};
use super::rank::{pr_auc, roc_auc, spearman};
use super::regression::{mae, normalized_rmse, rmse, share_of_top, sum_ratio};
use crate::{Error, Result};

/// All the metrics of SPEC section 3 for one set of predictions against the true labels.
///
/// Values that are undefined for the input (for instance AUC without payers) are NaN, which
/// JSON output writes as `null`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Evaluation {
    /// Number of rows.
    pub rows: usize,
    /// Number of payers, rows with a positive label.
    pub payers: usize,
    /// Normalized Gini of the predictions, see [`normalized_gini`].
    pub normalized_gini: f64,
    /// Spearman's rank correlation over all rows, see [`spearman`].
    pub spearman: f64,
    /// Spearman's rank correlation over the payers only.
    pub spearman_payers: f64,
    /// ROC AUC of the predictions for finding the payers, see [`roc_auc`].
    pub auc: f64,
    /// Average precision of the predictions for finding the payers, see [`pr_auc`].
    pub pr_auc: f64,
    /// Decile MAPE, see [`decile_mape`].
    pub decile_mape: f64,
    /// Root mean squared error.
    pub rmse: f64,
    /// RMSE divided by the mean label.
    pub normalized_rmse: f64,
    /// Mean absolute error.
    pub mae: f64,
    /// Sum of the predictions over sum of the labels.
    pub sum_ratio: f64,
    /// Share of the total label held by the top 1 % of rows by prediction.
    pub top_1pct_share: f64,
    /// Share of the total label held by the top 5 % of rows by prediction.
    pub top_5pct_share: f64,
    /// Share of the total label held by the top 10 % of rows by prediction.
    pub top_10pct_share: f64,
    /// The decile table, decile 1 (highest predictions) first.
    pub deciles: Vec<DecileRow>,
}

impl Evaluation {
    /// Every single-number metric, by name, in a fixed order.
    pub fn scalars(&self) -> [(&'static str, f64); 13] {
        [
            ("normalized_gini", self.normalized_gini),
            ("spearman", self.spearman),
            ("spearman_payers", self.spearman_payers),
            ("auc", self.auc),
            ("pr_auc", self.pr_auc),
            ("decile_mape", self.decile_mape),
            ("rmse", self.rmse),
            ("normalized_rmse", self.normalized_rmse),
            ("mae", self.mae),
            ("sum_ratio", self.sum_ratio),
            ("top_1pct_share", self.top_1pct_share),
            ("top_5pct_share", self.top_5pct_share),
            ("top_10pct_share", self.top_10pct_share),
        ]
    }

    /// Computes every metric of `scores` (predicted amounts) against `labels` (true amounts).
    ///
    /// AUC and PR-AUC treat the payers (`label > 0`) as the positive class and the
    /// prediction as its score.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidSetting`] when the input is empty or the two slices differ in length.
    pub fn compute(labels: &[f64], scores: &[f64]) -> Result<Evaluation> {
        check_input(labels, scores)?;
        let payer: Vec<bool> = labels.iter().map(|&y| y > 0.0).collect();
        let deciles = decile_table(labels, scores);
        let gain = gain_curve(labels, scores);
        Ok(Evaluation {
            rows: labels.len(),
            payers: payer.iter().filter(|&&p| p).count(),
            normalized_gini: normalized_gini(labels, scores),
            spearman: spearman(labels, scores),
            spearman_payers: payer_spearman(labels, scores, &payer),
            auc: roc_auc(&payer, scores),
            pr_auc: pr_auc(&payer, scores),
            decile_mape: decile_mape(&deciles),
            rmse: rmse(labels, scores),
            normalized_rmse: normalized_rmse(labels, scores),
            mae: mae(labels, scores),
            sum_ratio: sum_ratio(labels, scores),
            top_1pct_share: share_of_top(&gain, 0.01),
            top_5pct_share: share_of_top(&gain, 0.05),
            top_10pct_share: share_of_top(&gain, 0.10),
            deciles,
        })
    }

    /// A plain-text summary: one metric a line, then the decile table.
    pub fn to_table(&self) -> String {
        let mut out = String::new();
        for (name, value) in self.summary_lines() {
            // Writing to a String cannot fail.
            let _ = writeln!(out, "{name:<24}{value:>14}");
        }
        out.push('\n');
        out.push_str(&decile_text(&self.deciles));
        out
    }

    /// The summary's metric names and formatted values.
    fn summary_lines(&self) -> Vec<(&'static str, String)> {
        vec![
            ("rows", self.rows.to_string()),
            ("payers", self.payers.to_string()),
            ("normalized Gini", format!("{:.4}", self.normalized_gini)),
            ("Spearman", format!("{:.4}", self.spearman)),
            ("Spearman (payers)", format!("{:.4}", self.spearman_payers)),
            ("ROC AUC", format!("{:.4}", self.auc)),
            ("PR-AUC", format!("{:.4}", self.pr_auc)),
            ("decile MAPE", format!("{:.4}", self.decile_mape)),
            ("RMSE", format!("{:.4}", self.rmse)),
            ("normalized RMSE", format!("{:.4}", self.normalized_rmse)),
            ("MAE", format!("{:.4}", self.mae)),
            ("sum pred / sum actual", format!("{:.4}", self.sum_ratio)),
            ("top 1% share", format!("{:.4}", self.top_1pct_share)),
            ("top 5% share", format!("{:.4}", self.top_5pct_share)),
            ("top 10% share", format!("{:.4}", self.top_10pct_share)),
        ]
    }
}

/// Rejects input that no metric can describe.
fn check_input(labels: &[f64], scores: &[f64]) -> Result<()> {
    let problem = if labels.len() != scores.len() {
        "labels and predictions must have one value per row each"
    } else if labels.is_empty() {
        "there are no rows to evaluate"
    } else {
        return Ok(());
    };
    Err(Error::InvalidSetting {
        name: "evaluation rows".to_string(),
        value: format!("{} labels, {} predictions", labels.len(), scores.len()),
        reason: problem.to_string(),
    })
}

/// Spearman's rank correlation over the payers' rows only.
fn payer_spearman(labels: &[f64], scores: &[f64], payer: &[bool]) -> f64 {
    let rows = || (0..labels.len()).filter(|&i| payer[i]);
    let payer_labels: Vec<f64> = rows().map(|i| labels[i]).collect();
    let payer_scores: Vec<f64> = rows().map(|i| scores[i]).collect();
    spearman(&payer_labels, &payer_scores)
}

/// The decile table as aligned text, "-" where a decile has no error (no positive label).
fn decile_text(deciles: &[DecileRow]) -> String {
    let mut out = format!(
        "{:>6} {:>10} {:>14} {:>16} {:>12}\n",
        "decile", "rows", "mean label", "mean prediction", "abs % error"
    );
    for row in deciles {
        let error = row
            .abs_pct_error
            .map_or("-".to_string(), |e| format!("{:.1} %", 100.0 * e));
        // Writing to a String cannot fail.
        let _ = writeln!(
            out,
            "{:>6} {:>10} {:>14.4} {:>16.4} {:>12}",
            row.decile, row.rows, row.mean_label, row.mean_prediction, error
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::testdata::{TOLERANCE, assert_close, expected, reference_batch};
    use proptest::prelude::*;

    #[test]
    fn summarizes_the_reference_batch() {
        let (labels, scores, metrics) = reference_batch();
        let evaluation = Evaluation::compute(&labels, &scores).expect("valid input");
        let want_mape = expected(&metrics, "decile_mape_over_groups_with_positive_mean");
        assert_eq!(evaluation.rows, 40);
        assert_eq!(
            evaluation.payers,
            labels.iter().filter(|&&y| y > 0.0).count()
        );
        assert_close(
            evaluation.normalized_gini,
            expected(&metrics, "normalized_gini"),
            TOLERANCE,
        );
        assert_close(
            evaluation.spearman,
            expected(&metrics, "spearman"),
            TOLERANCE,
        );
        assert_close(evaluation.auc, expected(&metrics, "auc"), TOLERANCE);
        assert_close(evaluation.decile_mape, want_mape, TOLERANCE);
        assert_eq!(evaluation.deciles.len(), 10);
    }

    #[test]
    fn rejects_empty_and_mismatched_input() {
        for (labels, scores) in [(&[][..], &[][..]), (&[1.0, 2.0][..], &[1.0][..])] {
            let error = Evaluation::compute(labels, scores).expect_err("invalid input");
            assert!(matches!(error, Error::InvalidSetting { .. }), "{error}");
        }
    }

    #[test]
    fn table_lists_metrics_and_deciles() {
        let (labels, scores, _) = reference_batch();
        let evaluation = Evaluation::compute(&labels, &scores).expect("valid input");
        let table = evaluation.to_table();
        assert!(table.contains("normalized Gini"), "{table}");
        assert!(table.contains("0.8918"), "{table}");
        assert!(table.contains("mean prediction"), "{table}");
        assert_eq!(table.lines().count(), 15 + 1 + 1 + 10);
    }

    #[test]
    fn serializes_undefined_values_as_null() {
        let evaluation = Evaluation::compute(&[0.0, 0.0], &[1.0, 2.0]).expect("valid input");
        let json = serde_json::to_value(&evaluation).expect("serializable");
        assert!(json["auc"].is_null());
        assert_eq!(json["deciles"][0]["decile"], 1);
    }

    /// The metrics that must not depend on the order of the rows.
    fn order_free(evaluation: &Evaluation) -> [f64; 13] {
        let e = evaluation;
        [
            e.normalized_gini,
            e.spearman,
            e.spearman_payers,
            e.auc,
            e.pr_auc,
            e.rmse,
            e.normalized_rmse,
            e.mae,
            e.sum_ratio,
            e.top_1pct_share,
            e.top_5pct_share,
            e.top_10pct_share,
            e.payers as f64,
        ]
    }

    /// Rows of (label, score), about half non-payers and with many tied scores.
    fn rows() -> impl Strategy<Value = Vec<(f64, f64)>> {
        let label = prop_oneof![Just(0.0), 0.01..500.0_f64];
        let score = prop_oneof![(0..4_u8).prop_map(f64::from), 0.0..50.0_f64];
        prop::collection::vec((label, score), 1..120)
    }

    proptest! {
        // A fixed seed keeps runs reproducible; no regression file is written outside this
        // folder on failure.
        #![proptest_config(ProptestConfig {
            cases: 200,
            rng_seed: proptest::test_runner::RngSeed::Fixed(2306),
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        #[test]
        fn row_order_does_not_change_the_metrics(
            (rows, shuffled) in rows().prop_flat_map(|r| (Just(r.clone()), Just(r).prop_shuffle()))
        ) {
            let (labels, scores): (Vec<f64>, Vec<f64>) = rows.into_iter().unzip();
            let (labels_2, scores_2): (Vec<f64>, Vec<f64>) = shuffled.into_iter().unzip();
            let before = Evaluation::compute(&labels, &scores).expect("valid input");
            let after = Evaluation::compute(&labels_2, &scores_2).expect("valid input");
            for (a, b) in order_free(&before).into_iter().zip(order_free(&after)) {
                prop_assert!(a.is_nan() && b.is_nan() || (a - b).abs() <= TOLERANCE, "{a} vs {b}");
            }
        }
    }
}
