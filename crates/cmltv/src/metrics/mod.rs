//! Metrics of LTV predictions: how well they rank users and how well they are calibrated.
//!
//! Every function takes the true amounts (`labels`, `y >= 0`, payers have `y > 0`) and the
//! predicted amounts (`scores`) of the same rows, and runs in `O(n log n)`. The definitions
//! are fixed so that the numbers compare with published work (SPEC section 3); tests check
//! them against google/lifetime_value, scipy and scikit-learn. [`Evaluation`] computes all of
//! them at once.
//!
//! # Ranking
//!
//! ```text
//! order rows by score, highest first; rows with tied scores share their mean label
//! gain_k          = (sum of labels of the top k rows) / (sum of all labels),  k = 1..n
//! gini            = 2 mean_k(gain_k) - 1
//! normalized_gini = gini(ranking by score) / gini(ranking by label)
//! spearman        = pearson(average_ranks(y), average_ranks(score))
//! auc             = (sum of ranks of payers - P (P + 1) / 2) / (P N)    average ranks
//! pr_auc          = sum over distinct scores t, highest first,
//!                   of (recall_t - recall_previous) * precision_t
//! ```
//!
//! The normalized Gini can be negative (a ranking worse than random); tied scores make no
//! metric depend on the order of the rows.
//!
//! # Calibration
//!
//! ```text
//! rank r = 1..n by score ascending (ties by row order), group g = ceil(10 r / n),
//! decile = 11 - g (decile 1 holds the highest predictions)
//! error_d         = |mean score_d - mean y_d| / mean y_d
//! decile_mape     = mean of error_d over the deciles with mean y_d > 0
//! mae             = mean |score - y|
//! rmse            = sqrt(mean (score - y)^2)
//! normalized_rmse = rmse / mean y
//! sum_ratio       = sum score / sum y
//! top_share(f)    = gain_k with k = ceil(f n)
//! ```
//!
//! # Example
//!
//! ```
//! use cmltv::metrics::{Evaluation, normalized_gini};
//!
//! let labels = [0.0, 12.0, 0.0, 3.0];
//! let scores = [0.5, 9.0, 1.0, 2.0];
//! assert!((normalized_gini(&labels, &scores) - 1.0).abs() < 1e-12);
//! let evaluation = Evaluation::compute(&labels, &scores)?;
//! assert_eq!(evaluation.payers, 2);
//! println!("{}", evaluation.to_table());
//! # Ok::<(), cmltv::Error>(())
//! ```

mod decile;
mod evaluation;
mod gini;
mod rank;
mod regression;
mod sort;
#[cfg(test)]
mod testdata;

pub use decile::{DecileRow, decile_mape, decile_table};
pub use evaluation::Evaluation;
pub use gini::{gain_curve, gini_from_gain, normalized_gini};
pub use rank::{average_ranks, pr_auc, roc_auc, spearman};
pub use regression::{mae, normalized_rmse, rmse, sum_ratio, top_share};
