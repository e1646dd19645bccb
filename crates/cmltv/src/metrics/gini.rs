//! The gain curve and the normalized Gini coefficient, as defined by google/lifetime_value.

use super::sort::{assert_same_rows, sort_descending, tie_runs};

/// Cumulative share of the total label held by the `k` highest-scored rows, for `k = 1..=n`.
///
/// Rows with tied scores share their group's mean label, so the curve does not depend on the
/// order of the rows. Every entry is NaN when the labels sum to 0.
///
/// ```text
/// gain_k = (sum of the labels of the k highest-scored rows) / (sum of all labels)
/// ```
///
/// # Panics
///
/// Panics when `labels` and `scores` differ in length.
pub fn gain_curve(labels: &[f64], scores: &[f64]) -> Vec<f64> {
    assert_same_rows(labels.len(), scores.len());
    let total: f64 = labels.iter().sum();
    let sorted = sort_descending(scores);
    let mut gain = Vec::with_capacity(labels.len());
    let mut before = 0.0;
    for run in tie_runs(&sorted) {
        let group: f64 = sorted[run.clone()].iter().map(|row| labels[row.1]).sum();
        let size = run.len() as f64;
        let shares = (1..=run.len()).map(|k| (before + group * k as f64 / size) / total);
        gain.extend(shares);
        before += group;
    }
    gain
}

/// The (unnormalized) Gini coefficient of a gain curve: `2 mean_k(gain_k) - 1`.
///
/// NaN for an empty curve.
pub fn gini_from_gain(gain: &[f64]) -> f64 {
    let mean = gain.iter().sum::<f64>() / gain.len() as f64;
    2.0 * mean - 1.0
}

/// The Gini of the ranking by `scores`, divided by the Gini of the perfect ranking (by the
/// labels themselves).
///
/// It is 1 for a perfect ranking and can be negative for a ranking worse than random; ties in
/// the scores get their group's mean label (see [`gain_curve`]). NaN when the labels sum to 0
/// or the input is empty.
///
/// ```text
/// normalized_gini = gini_from_gain(gain_curve(y, score)) / gini_from_gain(gain_curve(y, y))
/// ```
///
/// # Panics
///
/// Panics when `labels` and `scores` differ in length.
pub fn normalized_gini(labels: &[f64], scores: &[f64]) -> f64 {
    let model = gini_from_gain(&gain_curve(labels, scores));
    let perfect = gini_from_gain(&gain_curve(labels, labels));
    model / perfect
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::testdata::{
        TOLERANCE, assert_all_close, assert_close, expected, reference_batch,
    };
    use proptest::prelude::*;

    #[test]
    fn matches_the_reference_batch() {
        let (labels, scores, metrics) = reference_batch();
        let want = expected(&metrics, "normalized_gini");
        assert_close(normalized_gini(&labels, &scores), want, TOLERANCE);
    }

    // Expected values from numpy 2.4.6 (the google/lifetime_value gain with ties averaged):
    //
    //     import numpy as np
    //     def gain(y, s):
    //         order = np.argsort(-s, kind="mergesort")
    //         ys, ss = y[order].astype(float), s[order]
    //         for v in np.unique(ss):
    //             ys[ss == v] = ys[ss == v].mean()
    //         return np.cumsum(ys) / ys.sum()
    //     gini = lambda y, s: 2 * gain(y, s).mean() - 1
    //     y = np.array([0, 3, 0, 10, 0, 5, 2, 0, 0, 7.0])
    //     s = np.array([0.5, 2, 0.5, 4, 1, 2, 1, 0.5, 3, 4])
    //     print(gain(y, s).tolist())
    //     print(gini(y, s) / gini(y, y), gini(y, -s) / gini(y, y))
    //     print(gini(y, np.ones(10)) / gini(y, y))
    const LABELS: [f64; 10] = [0.0, 3.0, 0.0, 10.0, 0.0, 5.0, 2.0, 0.0, 0.0, 7.0];
    const SCORES: [f64; 10] = [0.5, 2.0, 0.5, 4.0, 1.0, 2.0, 1.0, 0.5, 3.0, 4.0];

    #[test]
    fn gain_curve_averages_ties() {
        let want = [
            0.3148148148148148,
            0.6296296296296297,
            0.6296296296296297,
            0.7777777777777778,
            0.9259259259259259,
            0.9629629629629629,
            1.0,
            1.0,
            1.0,
            1.0,
        ];
        assert_all_close(&gain_curve(&LABELS, &SCORES), &want, TOLERANCE);
    }

    #[test]
    fn normalized_gini_with_ties_reversed_and_constant_scores() {
        let reversed = SCORES.map(|s| -s);
        let constant = [1.0; 10];
        assert_close(
            normalized_gini(&LABELS, &SCORES),
            0.8663366336633664,
            TOLERANCE,
        );
        assert_close(
            normalized_gini(&LABELS, &reversed),
            -0.5990099009900992,
            TOLERANCE,
        );
        assert_close(
            normalized_gini(&LABELS, &constant),
            0.1336633663366338,
            TOLERANCE,
        );
    }

    #[test]
    fn perfect_ranking_scores_one_and_no_value_is_nan() {
        assert_close(normalized_gini(&LABELS, &LABELS), 1.0, TOLERANCE);
        assert!(normalized_gini(&[0.0, 0.0], &[1.0, 2.0]).is_nan());
        assert!(normalized_gini(&[], &[]).is_nan());
    }

    proptest::proptest! {
        // A fixed seed keeps runs reproducible; no regression file is written outside this
        // folder on failure.
        #![proptest_config(ProptestConfig {
            cases: 100,
            rng_seed: proptest::test_runner::RngSeed::Fixed(14400),
            failure_persistence: None,
            ..ProptestConfig::default()
        })]
        #[test]
        fn gain_curve_does_not_depend_on_row_order(
            (rows, shuffled) in proptest::collection::vec((0.0..100.0_f64, 0..5_u8), 1..60)
                .prop_flat_map(|r| (Just(r.clone()), Just(r).prop_shuffle()))
        ) {
            let curve = |rows: Vec<(f64, u8)>| {
                let (labels, scores): (Vec<f64>, Vec<f64>) =
                    rows.into_iter().map(|(y, s)| (y, f64::from(s))).unzip();
                gain_curve(&labels, &scores)
            };
            let (before, after) = (curve(rows), curve(shuffled));
            for (a, b) in before.iter().zip(&after) {
                prop_assert!(a.is_nan() && b.is_nan() || (a - b).abs() <= TOLERANCE);
            }
        }
    }

    #[test]
    #[should_panic(expected = "one label and one score per row")]
    fn different_lengths_panic() {
        gain_curve(&[1.0, 2.0], &[1.0]);
    }
}
