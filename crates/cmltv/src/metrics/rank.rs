//! Rank metrics: average ranks, Spearman's rank correlation, ROC AUC and average precision.

use super::sort::{Scored, assert_same_rows, sort_ascending, sort_descending, tie_runs};

/// The rank of each value among all values, from 1 (lowest) to `n`, tied values sharing the
/// mean of the ranks they span (`scipy.stats.rankdata(method="average")`).
pub fn average_ranks(values: &[f64]) -> Vec<f64> {
    let sorted = sort_ascending(values);
    let mut ranks = vec![0.0; values.len()];
    for run in tie_runs(&sorted) {
        // Positions start..end hold ranks start+1..=end, whose mean is this.
        let rank = (run.start + run.end + 1) as f64 / 2.0;
        for row in &sorted[run] {
            ranks[row.1] = rank;
        }
    }
    ranks
}

/// Spearman's rank correlation: the Pearson correlation of the average ranks of `a` and `b`,
/// as `scipy.stats.spearmanr`.
///
/// NaN when either side is constant or there are fewer than two rows.
///
/// # Panics
///
/// Panics when `a` and `b` differ in length.
pub fn spearman(a: &[f64], b: &[f64]) -> f64 {
    assert_same_rows(a.len(), b.len());
    pearson(&average_ranks(a), &average_ranks(b))
}

/// Pearson's correlation, NaN when a side has no variance.
fn pearson(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len() as f64;
    let mean_a = a.iter().sum::<f64>() / n;
    let mean_b = b.iter().sum::<f64>() / n;
    let (mut cross, mut square_a, mut square_b) = (0.0, 0.0, 0.0);
    for (x, y) in a.iter().zip(b) {
        let (dx, dy) = (x - mean_a, y - mean_b);
        cross += dx * dy;
        square_a += dx * dx;
        square_b += dy * dy;
    }
    if square_a == 0.0 || square_b == 0.0 {
        return f64::NAN;
    }
    (cross / (square_a * square_b).sqrt()).clamp(-1.0, 1.0)
}

/// Area under the ROC curve of `scores` for telling `positive` rows from the others, with
/// tied scores counting one half (`sklearn.metrics.roc_auc_score`).
///
/// Computed from the Mann-Whitney statistic of the average ranks. NaN when only one class is
/// present.
///
/// ```text
/// auc = (sum of the ranks of the positives - P (P + 1) / 2) / (P N)
/// ```
///
/// # Panics
///
/// Panics when `positive` and `scores` differ in length.
pub fn roc_auc(positive: &[bool], scores: &[f64]) -> f64 {
    assert_same_rows(positive.len(), scores.len());
    let ranks = average_ranks(scores);
    let positives = positive.iter().filter(|&&p| p).count() as f64;
    let negatives = positive.len() as f64 - positives;
    if positives == 0.0 || negatives == 0.0 {
        return f64::NAN;
    }
    let rank_sum: f64 = ranks
        .iter()
        .zip(positive)
        .filter(|r| *r.1)
        .map(|r| r.0)
        .sum();
    (rank_sum - positives * (positives + 1.0) / 2.0) / (positives * negatives)
}

/// Average precision of `scores` for finding the `positive` rows, the area under the
/// precision-recall curve as `sklearn.metrics.average_precision_score` computes it.
///
/// Each distinct score is a threshold; rows at or above it are predicted positive. NaN when
/// there is no positive row (scikit-learn warns and returns 0 there; NaN keeps an undefined
/// value from reading as a real score).
///
/// ```text
/// ap = sum over thresholds t, highest first, of (recall_t - recall_previous) * precision_t
/// ```
///
/// # Panics
///
/// Panics when `positive` and `scores` differ in length.
pub fn pr_auc(positive: &[bool], scores: &[f64]) -> f64 {
    assert_same_rows(positive.len(), scores.len());
    let positives = positive.iter().filter(|&&p| p).count() as f64;
    if positives == 0.0 {
        return f64::NAN;
    }
    let sorted = sort_descending(scores);
    let (mut found, mut predicted, mut area) = (0.0, 0.0, 0.0);
    for run in tie_runs(&sorted) {
        let hits = count_positive(positive, &sorted[run.clone()]);
        predicted += run.len() as f64;
        found += hits;
        area += hits / positives * (found / predicted);
    }
    area
}

/// How many of the given rows are positive.
fn count_positive(positive: &[bool], rows: &[Scored]) -> f64 {
    rows.iter().filter(|row| positive[row.1]).count() as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::testdata::{
        TOLERANCE, assert_all_close, assert_close, expected, reference_batch,
    };

    #[test]
    fn matches_the_reference_batch() {
        let (labels, scores, metrics) = reference_batch();
        let payers: Vec<bool> = labels.iter().map(|&y| y > 0.0).collect();
        let want_rho = expected(&metrics, "spearman");
        let want_auc = expected(&metrics, "auc");
        assert_close(spearman(&labels, &scores), want_rho, TOLERANCE);
        assert_close(roc_auc(&payers, &scores), want_auc, TOLERANCE);
    }

    // Expected values from numpy 2.4.6, scipy 1.17.1 and scikit-learn 1.9.1:
    //
    //     import numpy as np
    //     from scipy.stats import rankdata, spearmanr
    //     from sklearn.metrics import average_precision_score, roc_auc_score
    //     a = np.array([1, 2, 2, 3, 5, 5, 5, 8.0])
    //     b = np.array([2, 1, 3, 3, 4, 4, 9, 0.0])
    //     print(rankdata(a).tolist(), spearmanr(a, b).statistic,
    //           spearmanr(a, np.ones(8)).statistic)
    //     pos = np.array([1, 0, 1, 1, 0, 0, 1, 0], dtype=bool)
    //     s = np.array([0.9, 0.9, 0.8, 0.4, 0.4, 0.1, 0.4, 0.7])
    //     print(roc_auc_score(pos, s), average_precision_score(pos, s))
    //     print(roc_auc_score(pos, np.ones(8)), average_precision_score(pos, np.ones(8)))
    //     pos2 = np.array([0, 1, 0, 1, 1, 0, 0, 0, 1, 0], dtype=bool)
    //     s2 = np.array([3, 3, 2, 5, 1, 1, 4, 2, 3, 0.0])
    //     print(roc_auc_score(pos2, s2), average_precision_score(pos2, s2),
    //           average_precision_score(pos2, -s2))
    const A: [f64; 8] = [1.0, 2.0, 2.0, 3.0, 5.0, 5.0, 5.0, 8.0];
    const B: [f64; 8] = [2.0, 1.0, 3.0, 3.0, 4.0, 4.0, 9.0, 0.0];
    const POSITIVE: [bool; 8] = [true, false, true, true, false, false, true, false];
    const SCORES: [f64; 8] = [0.9, 0.9, 0.8, 0.4, 0.4, 0.1, 0.4, 0.7];
    const POSITIVE_2: [bool; 10] = [
        false, true, false, true, true, false, false, false, true, false,
    ];
    const SCORES_2: [f64; 10] = [3.0, 3.0, 2.0, 5.0, 1.0, 1.0, 4.0, 2.0, 3.0, 0.0];

    #[test]
    fn average_ranks_share_tied_positions() {
        let want = [1.0, 2.5, 2.5, 4.0, 6.0, 6.0, 6.0, 8.0];
        assert_all_close(&average_ranks(&A), &want, 0.0);
    }

    #[test]
    fn spearman_with_ties_and_a_constant_side() {
        assert_close(spearman(&A, &B), 0.22985357165507217, TOLERANCE);
        assert!(spearman(&A, &[1.0; 8]).is_nan());
        assert!(spearman(&[1.0], &[2.0]).is_nan());
    }

    #[test]
    fn roc_auc_with_ties_matches_scikit_learn() {
        assert_close(roc_auc(&POSITIVE, &SCORES), 0.59375, TOLERANCE);
        assert_close(roc_auc(&POSITIVE, &[1.0; 8]), 0.5, TOLERANCE);
        assert_close(roc_auc(&POSITIVE_2, &SCORES_2), 0.6875, TOLERANCE);
        assert!(roc_auc(&[true, true], &[1.0, 2.0]).is_nan());
    }

    #[test]
    fn pr_auc_matches_average_precision_score() {
        let reversed = SCORES_2.map(|s| -s);
        assert_close(pr_auc(&POSITIVE, &SCORES), 0.5773809523809523, TOLERANCE);
        assert_close(pr_auc(&POSITIVE, &[1.0; 8]), 0.5, TOLERANCE);
        assert_close(
            pr_auc(&POSITIVE_2, &SCORES_2),
            0.6611111111111111,
            TOLERANCE,
        );
        assert_close(
            pr_auc(&POSITIVE_2, &reversed),
            0.3708333333333333,
            TOLERANCE,
        );
    }

    #[test]
    fn pr_auc_without_positives_is_nan() {
        assert!(pr_auc(&[false; 3], &[1.0, 2.0, 3.0]).is_nan());
        assert_close(pr_auc(&[true; 3], &[1.0, 2.0, 3.0]), 1.0, TOLERANCE);
    }
}
