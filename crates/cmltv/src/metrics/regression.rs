//! Error and calibration of the predicted amounts: MAE, RMSE, normalized RMSE, the ratio of
//! totals and the share of value held by the top-scored rows.

use super::gini::gain_curve;
use super::sort::assert_same_rows;

/// Mean absolute error, `mean |score - label|`; NaN for empty input.
///
/// # Panics
///
/// Panics when `labels` and `scores` differ in length.
pub fn mae(labels: &[f64], scores: &[f64]) -> f64 {
    assert_same_rows(labels.len(), scores.len());
    let total: f64 = labels.iter().zip(scores).map(|(y, s)| (s - y).abs()).sum();
    total / labels.len() as f64
}

/// Root mean squared error, `sqrt(mean (score - label)^2)`; NaN for empty input.
///
/// # Panics
///
/// Panics when `labels` and `scores` differ in length.
pub fn rmse(labels: &[f64], scores: &[f64]) -> f64 {
    assert_same_rows(labels.len(), scores.len());
    let total: f64 = labels
        .iter()
        .zip(scores)
        .map(|(y, s)| (s - y).powi(2))
        .sum();
    (total / labels.len() as f64).sqrt()
}

/// [`rmse`] divided by the mean label, so that it compares across data sets; NaN when the
/// mean label is not positive.
///
/// # Panics
///
/// Panics when `labels` and `scores` differ in length.
pub fn normalized_rmse(labels: &[f64], scores: &[f64]) -> f64 {
    let mean_label = labels.iter().sum::<f64>() / labels.len() as f64;
    nan_unless_positive(mean_label, rmse(labels, scores))
}

/// Total prediction over total label, `sum score / sum label`: 1 for predictions that are
/// right on the whole. NaN when the labels do not sum to a positive value.
///
/// # Panics
///
/// Panics when `labels` and `scores` differ in length.
pub fn sum_ratio(labels: &[f64], scores: &[f64]) -> f64 {
    assert_same_rows(labels.len(), scores.len());
    let total_label: f64 = labels.iter().sum();
    let total_score: f64 = scores.iter().sum();
    nan_unless_positive(total_label, total_score)
}

/// `numerator / denominator`, or NaN when the denominator is not positive.
fn nan_unless_positive(denominator: f64, numerator: f64) -> f64 {
    if denominator > 0.0 {
        numerator / denominator
    } else {
        f64::NAN
    }
}

/// Share of the total label held by the top `fraction` of rows by score: the
/// [`gain_curve`] at `k = ceil(fraction * n)`, so ties at the cut get their group's mean
/// label.
///
/// A product `fraction * n` within 1e-9 of a whole number counts as that number, so that
/// for instance 7 % of 100 rows is 7 rows despite rounding in `0.07 * 100`. NaN when the
/// labels sum to 0 or the input is empty.
///
/// # Panics
///
/// Panics when `labels` and `scores` differ in length, or when `fraction` is not in
/// `(0, 1]`.
pub fn top_share(labels: &[f64], scores: &[f64], fraction: f64) -> f64 {
    assert!(
        fraction > 0.0 && fraction <= 1.0,
        "the top fraction must be in (0, 1], got {fraction}"
    );
    share_of_top(&gain_curve(labels, scores), fraction)
}

/// [`top_share`] read off a gain curve that is already computed.
pub(super) fn share_of_top(gain: &[f64], fraction: f64) -> f64 {
    let exact = fraction * gain.len() as f64;
    let whole = if (exact - exact.round()).abs() < 1e-9 {
        exact.round()
    } else {
        exact.ceil()
    };
    let rows = (whole as usize).max(1);
    gain.get(rows - 1).copied().unwrap_or(f64::NAN)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::testdata::{TOLERANCE, assert_close};

    // Expected values from numpy 2.4.6 and scikit-learn 1.9.1:
    //
    //     import numpy as np
    //     from sklearn.metrics import mean_absolute_error, root_mean_squared_error
    //     y = np.array([0, 12, 0, 3.5, 0, 0, 40, 1, 0, 7, 0, 0, 2.5, 0, 18, 0, 0, 5, 0, 0.5])
    //     s = np.array([1, 9, 1, 4, 0.5, 2, 25, 2, 0, 9, 1, 0.5, 2, 0, 20, 1, 3, 4, 0.2, 1])
    //     rmse = root_mean_squared_error(y, s)
    //     print(mean_absolute_error(y, s), rmse, rmse / y.mean(), s.sum() / y.sum())
    //     order = np.argsort(-s, kind="mergesort")
    //     ys, ss = y[order], s[order]
    //     for v in np.unique(ss):
    //         ys[ss == v] = ys[ss == v].mean()
    //     gain = np.cumsum(ys) / ys.sum()
    //     print([gain[int(np.ceil(f * len(y))) - 1] for f in (0.05, 0.1, 0.25, 0.5)])
    const LABELS: [f64; 20] = [
        0.0, 12.0, 0.0, 3.5, 0.0, 0.0, 40.0, 1.0, 0.0, 7.0, 0.0, 0.0, 2.5, 0.0, 18.0, 0.0, 0.0,
        5.0, 0.0, 0.5,
    ];
    const SCORES: [f64; 20] = [
        1.0, 9.0, 1.0, 4.0, 0.5, 2.0, 25.0, 2.0, 0.0, 9.0, 1.0, 0.5, 2.0, 0.0, 20.0, 1.0, 3.0, 4.0,
        0.2, 1.0,
    ];

    #[test]
    fn errors_and_ratio_match_scikit_learn() {
        assert_close(mae(&LABELS, &SCORES), 1.7850000000000001, TOLERANCE);
        assert_close(rmse(&LABELS, &SCORES), 3.621394758929217, TOLERANCE);
        assert_close(
            normalized_rmse(&LABELS, &SCORES),
            0.8092502254590429,
            TOLERANCE,
        );
        assert_close(sum_ratio(&LABELS, &SCORES), 0.9631284916201117, TOLERANCE);
    }

    #[test]
    fn top_shares_average_ties_at_the_cut() {
        let want = [
            (0.05, 0.44692737430167595),
            (0.1, 0.6480446927374302),
            (0.25, 0.9078212290502793),
            (0.5, 0.9944134078212292),
            (1.0, 1.0),
        ];
        for (fraction, share) in want {
            assert_close(top_share(&LABELS, &SCORES, fraction), share, TOLERANCE);
        }
    }

    #[test]
    fn top_share_counts_whole_rows_despite_rounding() {
        // 0.07 * 100 is 7.000000000000001 in f64; with one unit of value per row the top
        // 7 % hold 7 % of the total, not the 8 % a plain ceil would give.
        let labels = [1.0; 100];
        let scores: Vec<f64> = (0..100).map(f64::from).collect();
        assert_close(top_share(&labels, &scores, 0.07), 0.07, TOLERANCE);
        assert_close(top_share(&labels, &scores, 0.001), 0.01, TOLERANCE);
    }

    #[test]
    fn undefined_values_are_nan() {
        assert!(normalized_rmse(&[0.0, 0.0], &[1.0, 2.0]).is_nan());
        assert!(sum_ratio(&[0.0, 0.0], &[1.0, 2.0]).is_nan());
        assert!(top_share(&[0.0, 0.0], &[1.0, 2.0], 0.5).is_nan());
        assert!(top_share(&[], &[], 0.5).is_nan());
        assert!(mae(&[], &[]).is_nan() && rmse(&[], &[]).is_nan());
    }

    #[test]
    #[should_panic(expected = "top fraction must be in (0, 1]")]
    fn fraction_out_of_range_panics() {
        top_share(&LABELS, &SCORES, 0.0);
    }
}
