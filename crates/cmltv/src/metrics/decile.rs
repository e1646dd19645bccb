//! The decile table (calibration by groups of predictions) and the decile MAPE.

use super::sort::{assert_same_rows, sort_ascending};

/// Number of groups in the decile table.
const GROUPS: usize = 10;

/// One decile of the rows ranked by prediction: how many rows it holds and how their mean
/// prediction compares with their mean label.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DecileRow {
    /// The decile, 1 for the highest predictions to 10 for the lowest.
    pub decile: usize,
    /// Number of rows in the decile.
    pub rows: usize,
    /// Mean label of its rows.
    pub mean_label: f64,
    /// Mean prediction of its rows.
    pub mean_prediction: f64,
    /// `|mean_prediction - mean_label| / mean_label`; `None` when the mean label is not
    /// positive.
    pub abs_pct_error: Option<f64>,
}

/// Splits the rows into ten equal-count groups by score and compares, in each, the mean
/// prediction with the mean label.
///
/// Rows are ranked by score from lowest (rank 1) to highest (rank `n`), ties broken by row
/// order, and the row of rank `r` goes to group `g = ceil(10 r / n)`, as the reference code
/// does. The table lists the groups from the highest scores down and numbers them so:
/// decile `11 - g`. With fewer than ten rows some groups are empty and left out.
///
/// # Panics
///
/// Panics when `labels` and `scores` differ in length.
pub fn decile_table(labels: &[f64], scores: &[f64]) -> Vec<DecileRow> {
    assert_same_rows(labels.len(), scores.len());
    let n = labels.len();
    let mut sums = [(0_usize, 0.0, 0.0); GROUPS];
    for (position, &(score, row)) in sort_ascending(scores).iter().enumerate() {
        let group = ((position + 1) * GROUPS).div_ceil(n);
        let sum = &mut sums[group - 1];
        *sum = (sum.0 + 1, sum.1 + labels[row], sum.2 + score);
    }
    let rows = sums.iter().enumerate().rev().filter(|(_, sum)| sum.0 > 0);
    rows.map(|(group, &sum)| decile_row(GROUPS - group, sum))
        .collect()
}

/// A table row from a group's row count, label sum and prediction sum.
fn decile_row(decile: usize, (rows, labels, predictions): (usize, f64, f64)) -> DecileRow {
    let mean_label = labels / rows as f64;
    let mean_prediction = predictions / rows as f64;
    let error = (mean_label > 0.0).then(|| (mean_prediction - mean_label).abs() / mean_label);
    DecileRow {
        decile,
        rows,
        mean_label,
        mean_prediction,
        abs_pct_error: error,
    }
}

/// The mean of the deciles' absolute percentage errors, over the deciles whose mean label is
/// positive; NaN when there is none.
///
/// ```text
/// decile_mape = mean over deciles d with mean_label_d > 0 of
///               |mean_prediction_d - mean_label_d| / mean_label_d
/// ```
pub fn decile_mape(table: &[DecileRow]) -> f64 {
    let errors: Vec<f64> = table.iter().filter_map(|row| row.abs_pct_error).collect();
    errors.iter().sum::<f64>() / errors.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::testdata::{TOLERANCE, assert_close, expected, reference_batch};

    #[test]
    fn decile_mape_matches_the_reference_batch() {
        let (labels, scores, metrics) = reference_batch();
        let table = decile_table(&labels, &scores);
        let want = expected(&metrics, "decile_mape_over_groups_with_positive_mean");
        assert_eq!(table.len(), 10);
        assert!(table.iter().all(|row| row.rows == 4));
        assert_close(decile_mape(&table), want, TOLERANCE);
    }

    // Expected values from numpy 2.4.6 and scipy 1.17.1 (23 rows, ties at group borders):
    //
    //     import numpy as np
    //     from scipy.stats import rankdata
    //     y = np.array([0, 0, 4, 0, 1, 0, 9, 0, 0, 2, 0, 30, 0, 5, 0, 0, 3, 0, 12, 0, 0, 7,
    //                   1.0])
    //     s = np.array([0.2, 0.1, 3, 0.2, 1, 0.5, 8, 0.2, 0.1, 2, 0.3, 20, 0.4, 4, 0.2, 0.6,
    //                   2, 0.1, 10, 0.7, 0.1, 6, 1.5])
    //     g = np.ceil(rankdata(s, method="ordinal") * 10 / len(s)).astype(int)
    //     for k in range(10, 0, -1):  # decile 11 - k, highest predictions first
    //         m = g == k
    //         err = (abs(s[m].mean() - y[m].mean()) / y[m].mean()
    //                if y[m].mean() > 0 else None)
    //         print(11 - k, m.sum(), y[m].mean(), s[m].mean(), err)
    //     print(np.mean([abs(s[g == k].mean() - y[g == k].mean()) / y[g == k].mean()
    //                    for k in range(1, 11) if y[g == k].mean() > 0]))
    const LABELS: [f64; 23] = [
        0.0, 0.0, 4.0, 0.0, 1.0, 0.0, 9.0, 0.0, 0.0, 2.0, 0.0, 30.0, 0.0, 5.0, 0.0, 0.0, 3.0, 0.0,
        12.0, 0.0, 0.0, 7.0, 1.0,
    ];
    const SCORES: [f64; 23] = [
        0.2, 0.1, 3.0, 0.2, 1.0, 0.5, 8.0, 0.2, 0.1, 2.0, 0.3, 20.0, 0.4, 4.0, 0.2, 0.6, 2.0, 0.1,
        10.0, 0.7, 0.1, 6.0, 1.5,
    ];

    #[test]
    fn table_with_uneven_groups_and_border_ties() {
        #[rustfmt::skip]
        let want = [
            (1, 3, 17.0, 12.666666666666666, Some(0.25490196078431376)),
            (2, 2, 6.0, 5.0, Some(0.16666666666666666)),
            (3, 2, 3.5, 2.5, Some(0.2857142857142857)),
            (4, 3, 1.3333333333333333, 1.5, Some(0.12500000000000006)),
            (5, 2, 0.0, 0.6499999999999999, None),
            (6, 2, 0.0, 0.45, None),
            (7, 3, 0.0, 0.2333333333333333, None),
            (8, 2, 0.0, 0.2, None),
            (9, 2, 0.0, 0.1, None),
            (10, 2, 0.0, 0.1, None),
        ];
        let table = decile_table(&LABELS, &SCORES);
        assert_eq!(table.len(), want.len());
        for (row, (decile, rows, label, prediction, error)) in table.iter().zip(want) {
            assert_eq!((row.decile, row.rows), (decile, rows));
            assert_close(row.mean_label, label, TOLERANCE);
            assert_close(row.mean_prediction, prediction, TOLERANCE);
            assert_eq!(row.abs_pct_error.is_some(), error.is_some());
            assert_close(
                row.abs_pct_error.unwrap_or(0.0),
                error.unwrap_or(0.0),
                TOLERANCE,
            );
        }
        assert_close(decile_mape(&table), 0.20807072829131656, TOLERANCE);
    }

    #[test]
    fn few_rows_leave_groups_out_and_no_payer_gives_nan() {
        let table = decile_table(&[0.0, 0.0, 0.0], &[3.0, 1.0, 2.0]);
        let deciles: Vec<usize> = table.iter().map(|row| row.decile).collect();
        assert_eq!(deciles, vec![1, 4, 7]);
        assert!(decile_mape(&table).is_nan());
        assert!(decile_table(&[], &[]).is_empty());
    }
}
