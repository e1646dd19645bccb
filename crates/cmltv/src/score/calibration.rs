//! Post-hoc calibration of pLTV: a strictly increasing map fitted on labelled rows after
//! training (which ones: [`CalibrationRows`](crate::train::CalibrationRows)), so that totals
//! and deciles match the labels while the ranking stays exactly as it was.
//!
//! ```text
//! scalar     g(x) = c x,   c = sum y / sum x
//! power      g(x) = c x^k, (c, k) maximizing the Poisson quasi-likelihood
//!            sum_i y_i log g(x_i) - g(x_i); for a given k, c = sum y / sum x^k, and the
//!            profile in k is concave, so a golden-section search over [0.1, 4] finds it.
//!            Two parameters: it straightens a model whose predictions are too spread (or
//!            too flat) without fitting the noise of a few large labels
//! isotonic   rows sorted by x into B equal-count bins, the top one halved again and again
//!            while each half keeps at least 25 rows (the top of the ranking holds most of
//!            the value, so it gets the finest knots); a bin with fewer than 300 payers
//!            joins the bins above it (the realized mean of a few heavy-tailed amounts falls
//!            below its expectation more often than above, and would pull the map down where
//!            payers are rare); each bin has a mean score x_b and a
//!            mean label y_b; pool-adjacent-violators makes y_b non-decreasing (weights =
//!            bin sizes);
//!            g interpolates linearly between the knots (x_b, y_b), is proportional to x
//!            below the first and above the last knot, and adds eps x (eps = 1e-9 c) so that
//!            it never flattens and no two different scores become equal
//! ```

use serde::{Deserialize, Serialize};

/// Which calibration training fits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CalibrationKind {
    /// pLTV as the network fuses it.
    None,
    /// One factor that makes the total match.
    Scalar,
    /// `c x^k`, fitted by the Poisson quasi-likelihood: a total that matches and a slope.
    Power,
    /// A monotone piecewise-linear map through the bins' mean labels.
    #[default]
    Isotonic,
}

/// Relative slope added everywhere so that the isotonic map stays strictly increasing.
const TIE_BREAK: f64 = 1e-9;

/// The top bin is halved while both halves keep at least this many rows.
const TOP_BIN_ROWS: usize = 25;

/// Rows with a positive label that a bin of the isotonic map needs for a knot of its own.
const MIN_BIN_PAYERS: usize = 300;

/// A fitted calibration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Calibration {
    /// `g(x) = factor x`.
    Scalar {
        /// The factor.
        factor: f64,
    },
    /// `g(x) = factor x^exponent`.
    Power {
        /// The factor `c`.
        factor: f64,
        /// The exponent `k > 0`.
        exponent: f64,
    },
    /// Piecewise-linear through the knots, plus `slope x`.
    Isotonic {
        /// `(mean score, calibrated value)` per bin, scores increasing.
        knots: Vec<(f64, f64)>,
        /// The small slope that keeps the map strictly increasing.
        slope: f64,
    },
}

impl Calibration {
    /// Fits `kind` on `labels` and `scores` with `bins` bins; `None` when `kind`
    /// is [`CalibrationKind::None`] or the data cannot support a map (no positive score or
    /// label).
    pub fn fit(kind: CalibrationKind, labels: &[f64], scores: &[f64], bins: usize) -> Option<Self> {
        let total_score: f64 = scores.iter().sum();
        let total_label: f64 = labels.iter().sum();
        if !(total_score > 0.0 && total_label > 0.0) {
            return None;
        }
        let factor = total_label / total_score;
        match kind {
            CalibrationKind::None => None,
            CalibrationKind::Scalar => Some(Calibration::Scalar { factor }),
            CalibrationKind::Power => Some(fit_power(labels, scores)),
            CalibrationKind::Isotonic => {
                let knots = isotonic_knots(labels, scores, bins.max(1), MIN_BIN_PAYERS);
                let slope = TIE_BREAK * factor;
                (!knots.is_empty()).then_some(Calibration::Isotonic { knots, slope })
            }
        }
    }

    /// Maps every score in place.
    pub fn apply(&self, scores: &mut [f64]) {
        for score in scores {
            *score = self.map(*score);
        }
    }

    /// The calibrated value of one score.
    pub fn map(&self, x: f64) -> f64 {
        match self {
            Calibration::Scalar { factor } => factor * x,
            Calibration::Power { factor, exponent } => factor * x.max(0.0).powf(*exponent),
            Calibration::Isotonic { knots, slope } => interpolate(knots, x) + slope * x,
        }
    }
}

/// The exponent's search interval.
const POWER_RANGE: (f64, f64) = (0.1, 4.0);

/// The maximum-quasi-likelihood `c x^k`; scores and labels have positive totals.
fn fit_power(labels: &[f64], scores: &[f64]) -> Calibration {
    let total_label: f64 = labels.iter().sum();
    // sum y log x over the rows that have a logarithm; rows with x = 0 map to 0 whatever k is.
    let weighted_log: f64 = labels
        .iter()
        .zip(scores)
        .filter(|&(_, &x)| x > 0.0)
        .map(|(&y, &x)| y * x.ln())
        .sum();
    let powered = |k: f64| -> f64 {
        scores
            .iter()
            .filter(|&&x| x > 0.0)
            .map(|&x| x.powf(k))
            .sum()
    };
    // The profile log-likelihood without its constant: Y log(Y / S(k)) + k sum y log x.
    let profile = |k: f64| total_label * (total_label / powered(k)).ln() + k * weighted_log;
    let (mut low, mut high) = POWER_RANGE;
    let ratio = (5f64.sqrt() - 1.0) / 2.0;
    let mut a = high - ratio * (high - low);
    let mut b = low + ratio * (high - low);
    let (mut fa, mut fb) = (profile(a), profile(b));
    while high - low > 1e-6 {
        if fa < fb {
            low = a;
            (a, fa) = (b, fb);
            b = low + ratio * (high - low);
            fb = profile(b);
        } else {
            high = b;
            (b, fb) = (a, fa);
            a = high - ratio * (high - low);
            fa = profile(a);
        }
    }
    let exponent = (low + high) / 2.0;
    Calibration::Power {
        factor: total_label / powered(exponent),
        exponent,
    }
}

/// Bin means, made monotone by pool-adjacent-violators, with bins of equal mean score merged.
fn isotonic_knots(
    labels: &[f64],
    scores: &[f64],
    bins: usize,
    min_payers: usize,
) -> Vec<(f64, f64)> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[a].total_cmp(&scores[b]));
    // (sum of scores, sum of labels, rows) per block.
    let mut blocks: Vec<(f64, f64, f64)> = Vec::new();
    let edges = bin_edges(order.len(), bins);
    for (start, end) in merge_sparse_bins(&edges, &order, labels, min_payers) {
        let rows = &order[start..end];
        let score: f64 = rows.iter().map(|&i| scores[i]).sum();
        let label: f64 = rows.iter().map(|&i| labels[i]).sum();
        let n = rows.len() as f64;
        let same_score = blocks
            .last()
            .is_some_and(|last| last.0 / last.2 == score / n);
        if same_score {
            let last = blocks.last_mut().expect("checked above");
            *last = (last.0 + score, last.1 + label, last.2 + n);
        } else {
            blocks.push((score, label, n));
        }
    }
    let fitted = pool_adjacent_violators(&blocks);
    blocks
        .iter()
        .zip(fitted)
        .map(|(&(score, _, n), value)| (score / n, value))
        .collect()
}

/// `(start, end)` of each bin of `rows` sorted rows: `bins` equal-count bins, the last one
/// split in halves towards the top while each half keeps [`TOP_BIN_ROWS`] rows.
fn bin_edges(rows: usize, bins: usize) -> Vec<(usize, usize)> {
    let bins = bins.min(rows);
    let mut starts: Vec<usize> = (0..bins).map(|b| b * rows / bins).collect();
    let mut top = starts.last().copied().unwrap_or(0);
    while rows - top >= 2 * TOP_BIN_ROWS {
        top += (rows - top) / 2;
        starts.push(top);
    }
    let ends = starts.iter().skip(1).copied().chain([rows]);
    starts.iter().copied().zip(ends).collect()
}

/// Joins each bin to the bins above it until it holds `min_payers` rows with a positive label;
/// a short run at the top joins the bin below it, and with fewer payers in all one bin is left.
fn merge_sparse_bins(
    edges: &[(usize, usize)],
    order: &[usize],
    labels: &[f64],
    min_payers: usize,
) -> Vec<(usize, usize)> {
    let mut merged: Vec<(usize, usize)> = Vec::new();
    // The first row of the bins not yet given a knot, and their payers.
    let (mut first, mut payers) = (edges.first().map_or(0, |&(start, _)| start), 0);
    for &(start, end) in edges {
        payers += order[start..end]
            .iter()
            .filter(|&&i| labels[i] > 0.0)
            .count();
        if payers >= min_payers {
            merged.push((first, end));
            (first, payers) = (end, 0);
        }
    }
    let rows = edges.last().map_or(0, |&(_, end)| end);
    if first < rows {
        match merged.last_mut() {
            Some(last) => last.1 = rows,
            None => merged.push((first, rows)),
        }
    }
    merged
}

/// Non-decreasing weighted means of the blocks' labels.
fn pool_adjacent_violators(blocks: &[(f64, f64, f64)]) -> Vec<f64> {
    // (sum of labels, rows, blocks pooled)
    let mut pools: Vec<(f64, f64, usize)> = Vec::with_capacity(blocks.len());
    for &(_, label, n) in blocks {
        pools.push((label, n, 1));
        while pools.len() > 1 {
            let (last, before) = (pools[pools.len() - 1], pools[pools.len() - 2]);
            if before.0 / before.1 <= last.0 / last.1 {
                break;
            }
            pools.pop();
            *pools.last_mut().expect("two pools were there") =
                (before.0 + last.0, before.1 + last.1, before.2 + last.2);
        }
    }
    pools
        .iter()
        .flat_map(|&(label, n, count)| std::iter::repeat_n(label / n, count))
        .collect()
}

/// Linear between knots, proportional to `x` outside them.
fn interpolate(knots: &[(f64, f64)], x: f64) -> f64 {
    let (first, last) = (knots[0], knots[knots.len() - 1]);
    let proportional = |(kx, ky): (f64, f64)| if kx > 0.0 { x * ky / kx } else { ky };
    if x <= first.0 {
        return proportional(first).min(first.1);
    }
    if x >= last.0 {
        return proportional(last).max(last.1);
    }
    let right = knots.partition_point(|&(kx, _)| kx < x);
    let ((x0, y0), (x1, y1)) = (knots[right - 1], knots[right]);
    y0 + (y1 - y0) * (x - x0) / (x1 - x0)
}

#[cfg(test)]
mod tests {
    use super::*;

    // scikit-learn 1.5.2 on the bin means (weights 2 each):
    //   from sklearn.isotonic import IsotonicRegression
    //   IsotonicRegression().fit([1.5, 3.5, 5.5, 7.5], [1.0, 5.0, 3.0, 8.0],
    //                            sample_weight=[2, 2, 2, 2]).predict([1.5, 3.5, 5.5, 7.5])
    //   -> [1.0, 4.0, 4.0, 8.0]
    #[test]
    fn the_top_bin_is_split_while_halves_keep_enough_rows() {
        assert_eq!(bin_edges(100, 4), [(0, 25), (25, 50), (50, 75), (75, 100)]);
        let edges = bin_edges(1000, 10);
        assert_eq!(edges.len(), 12);
        assert_eq!(edges[8], (800, 900));
        assert_eq!(edges[9..], [(900, 950), (950, 975), (975, 1000)]);
        assert_eq!(bin_edges(10_000, 10).last(), Some(&(9968, 10_000)));
    }

    #[test]
    fn isotonic_knots_match_scikit_learn() {
        let scores = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0];
        let labels = [0.0, 2.0, 4.0, 6.0, 2.0, 4.0, 8.0, 8.0];
        let knots = isotonic_knots(&labels, &scores, 4, 1);
        assert_eq!(knots, vec![(1.5, 1.0), (3.5, 4.0), (5.5, 4.0), (7.5, 8.0)]);
    }

    #[test]
    fn the_map_keeps_the_order_and_matches_the_total() {
        let scores: Vec<f64> = (0..1000).map(|i| (i as f64 / 100.0).exp()).collect();
        let labels: Vec<f64> = scores
            .iter()
            .map(|s| if s > &100.0 { 3.0 * s } else { 0.0 })
            .collect();
        let calibration =
            Calibration::fit(CalibrationKind::Isotonic, &labels, &scores, 10).unwrap();
        let mut mapped = scores.clone();
        calibration.apply(&mut mapped);
        assert!(
            mapped.windows(2).all(|w| w[0] < w[1]),
            "strictly increasing"
        );
        let ratio = mapped.iter().sum::<f64>() / labels.iter().sum::<f64>();
        assert!((ratio - 1.0).abs() < 0.1, "totals match: {ratio}");
        let scalar = Calibration::fit(CalibrationKind::Scalar, &labels, &scores, 10).unwrap();
        let mut scaled = scores.clone();
        scalar.apply(&mut scaled);
        let ratio = scaled.iter().sum::<f64>() / labels.iter().sum::<f64>();
        assert!((ratio - 1.0).abs() < 1e-12);
    }

    #[test]
    fn the_power_map_recovers_an_exact_power_law() {
        // Labels that are exactly 2 x^0.7 maximize the quasi-likelihood at (2, 0.7).
        let scores: Vec<f64> = (1..=200).map(|i| 0.05 * i as f64).collect();
        let labels: Vec<f64> = scores.iter().map(|x| 2.0 * x.powf(0.7)).collect();
        let Some(Calibration::Power { factor, exponent }) =
            Calibration::fit(CalibrationKind::Power, &labels, &scores, 10)
        else {
            panic!("a power map")
        };
        assert!((exponent - 0.7).abs() < 1e-5, "exponent {exponent}");
        assert!((factor - 2.0).abs() < 1e-4, "factor {factor}");
    }

    #[test]
    fn the_power_map_matches_the_total_and_keeps_the_order() {
        // Poisson-like labels around 3 x^1.5, with a zero score.
        let scores: Vec<f64> = (0..500).map(|i| (i % 50) as f64 / 10.0).collect();
        let labels: Vec<f64> = scores
            .iter()
            .enumerate()
            .map(|(i, x)| 3.0 * x.powf(1.5) * if (i / 50) % 2 == 0 { 0.5 } else { 1.5 })
            .collect();
        let calibration = Calibration::fit(CalibrationKind::Power, &labels, &scores, 10).unwrap();
        let Calibration::Power { exponent, .. } = calibration else {
            panic!("a power map")
        };
        assert!((exponent - 1.5).abs() < 1e-4, "exponent {exponent}");
        let mut mapped = scores.clone();
        calibration.apply(&mut mapped);
        let ratio = mapped.iter().sum::<f64>() / labels.iter().sum::<f64>();
        assert!((ratio - 1.0).abs() < 1e-9, "totals match: {ratio}");
        let distinct: Vec<f64> = (0..50).map(|i| calibration.map(i as f64 / 10.0)).collect();
        assert!(
            distinct.windows(2).all(|w| w[0] < w[1]),
            "strictly increasing"
        );
        assert_eq!(calibration.map(0.0), 0.0);
    }

    #[test]
    fn bins_with_few_payers_join_the_bins_above() {
        // 10 bins of 100 rows; bin b holds b payers (0, 1, ..., 9).
        let order: Vec<usize> = (0..1000).collect();
        let labels: Vec<f64> = order
            .iter()
            .map(|i| if i % 100 < i / 100 { 1.0 } else { 0.0 })
            .collect();
        let edges: Vec<(usize, usize)> = (0..10).map(|b| (b * 100, b * 100 + 100)).collect();
        // At least 10: 0+1+2+3+4, 5+6, 7+8, and the top bin's 9 payers join the bin below.
        assert_eq!(
            merge_sparse_bins(&edges, &order, &labels, 10),
            [(0, 500), (500, 700), (700, 1000)]
        );
        assert_eq!(merge_sparse_bins(&edges, &order, &labels, 0), edges);
        assert_eq!(merge_sparse_bins(&edges, &order, &labels, 100), [(0, 1000)]);
    }

    #[test]
    fn nothing_to_calibrate_without_value() {
        assert_eq!(
            Calibration::fit(CalibrationKind::Isotonic, &[0.0; 3], &[1.0; 3], 10),
            None
        );
        assert_eq!(
            Calibration::fit(CalibrationKind::None, &[1.0; 3], &[1.0; 3], 10),
            None
        );
    }
}
