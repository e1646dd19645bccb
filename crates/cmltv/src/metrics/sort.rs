//! Sorting rows by score and finding runs of tied scores, shared by the metrics.
//!
//! Every metric that orders rows goes through here, so that they all agree on what a tie is:
//! two scores tie when they compare equal, with `-0.0` equal to `0.0`. NaN scores sort above
//! every number (they should not occur; a metric of NaN scores is meaningless anyway).

use std::cmp::Ordering;
use std::ops::Range;

/// A row's score and its index in the input.
pub(super) type Scored = (f64, usize);

/// Total order on scores in which the two zeros tie.
fn compare(a: f64, b: f64) -> Ordering {
    // Adding 0.0 turns -0.0 into 0.0 and leaves every other value as it is.
    (a + 0.0).total_cmp(&(b + 0.0))
}

/// Rows sorted by score, lowest first; tied rows keep their input order.
pub(super) fn sort_ascending(scores: &[f64]) -> Vec<Scored> {
    let mut rows: Vec<Scored> = scores.iter().copied().zip(0..).collect();
    rows.sort_unstable_by(|a, b| compare(a.0, b.0).then(a.1.cmp(&b.1)));
    rows
}

/// Rows sorted by score, highest first; tied rows keep their input order.
pub(super) fn sort_descending(scores: &[f64]) -> Vec<Scored> {
    let mut rows: Vec<Scored> = scores.iter().copied().zip(0..).collect();
    rows.sort_unstable_by(|a, b| compare(b.0, a.0).then(a.1.cmp(&b.1)));
    rows
}

/// Position ranges of the runs of tied scores in rows sorted by [`sort_ascending`] or
/// [`sort_descending`], in order.
pub(super) fn tie_runs(sorted: &[Scored]) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut start = 0;
    std::iter::from_fn(move || {
        let first = sorted.get(start)?.0;
        let tied = sorted[start..]
            .iter()
            .take_while(|row| compare(row.0, first) == Ordering::Equal)
            .count();
        let run = start..start + tied;
        start = run.end;
        Some(run)
    })
}

/// Checks that two per-row inputs describe the same rows.
///
/// # Panics
///
/// Panics when the lengths differ.
pub(super) fn assert_same_rows(left: usize, right: usize) {
    assert_eq!(
        left, right,
        "a metric needs one label and one score per row, got {left} and {right}"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_keep_row_order_both_ways() {
        let scores = [2.0, 1.0, 2.0, -0.0, 0.0, 3.0];
        let up: Vec<usize> = sort_ascending(&scores).iter().map(|r| r.1).collect();
        let down: Vec<usize> = sort_descending(&scores).iter().map(|r| r.1).collect();
        assert_eq!(up, vec![3, 4, 1, 0, 2, 5]);
        assert_eq!(down, vec![5, 0, 2, 1, 3, 4]);
    }

    #[test]
    fn runs_group_equal_scores_and_both_zeros() {
        let sorted = sort_ascending(&[2.0, 1.0, 2.0, -0.0, 0.0, 3.0]);
        let runs: Vec<Range<usize>> = tie_runs(&sorted).collect();
        assert_eq!(runs, vec![0..2, 2..3, 3..5, 5..6]);
        assert_eq!(tie_runs(&[]).count(), 0);
    }
}
