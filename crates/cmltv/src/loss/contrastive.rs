//! Contrastive terms that tie the purchase head and the value views together.
//!
//! ```text
//! classification:  L_cc = softplus(-(mean_{i in P} p_i - mean_{j in N-} p_j) / tau_c)
//! pairwise:        L_rc = mean_{(i,j)} softplus(-sign(p_i - p_j) (z_i - z_j) / tau_r)
//! correlation:     L_rc = 1 - pearson(z, p)
//! z = log(1 + view prediction), p treated as a constant in both regression forms
//! purchase:        L_rc = mean_{(i,j)} softplus(-sign(z_i - z_j) (l_i - l_j) / tau_r),
//!                  l = logit p, z treated as a constant
//! fused:           L_rc = mean_{(i,j)} softplus(-sign(y_i - y_j) (f_i - f_j) / tau_r),
//!                  f = log(1 + pLTV), one term instead of one per view
//! ```
//!
//! The last three are the same pairwise function with different values and ordering keys.
//!
//! The classification term compares batch means rather than pairs, because single pairs are
//! noisy. Callers pass only non-empty subsets; an empty subset contributes 0 upstream.

use burn::tensor::{Int, Tensor, activation::softplus};

/// Keeps the correlation's denominator away from zero for a constant batch.
const CORRELATION_EPS: f64 = 1e-12;

/// Classification contrastive term on the purchase probabilities.
///
/// # Shapes
///
/// `payer_p`: `[P]`, `non_payer_p`: `[N-]`, both non-empty; output `[1]`.
pub fn classification_contrastive(
    payer_p: Tensor<1>,
    non_payer_p: Tensor<1>,
    temperature: f64,
) -> Tensor<1> {
    let gap = payer_p.mean() - non_payer_p.mean();
    softplus(gap.div_scalar(-temperature), 1.0)
}

/// Pairwise regression contrastive term: the values `z` of each pair should be ordered as
/// their keys `p` are (the keys carry no gradient; pairs with equal keys only add a constant).
///
/// # Shapes
///
/// `z`, `p`: `[N]`; `first`, `second`: `[M]` row indices of the pairs, `M > 0`; output `[1]`.
pub fn pairwise_regression_contrastive(
    z: Tensor<1>,
    p: Tensor<1>,
    first: Tensor<1, Int>,
    second: Tensor<1, Int>,
    temperature: f64,
) -> Tensor<1> {
    let p = p.detach();
    let direction = (p.clone().select(0, first.clone()) - p.select(0, second.clone())).sign();
    let gap = z.clone().select(0, first) - z.select(0, second);
    softplus((direction * gap).div_scalar(-temperature), 1.0).mean()
}

/// Correlation regression contrastive term of one view.
///
/// # Shapes
///
/// `z`, `p`: `[N]` with `N >= 2`; output `[1]`.
pub fn correlation_regression_contrastive(z: Tensor<1>, p: Tensor<1>) -> Tensor<1> {
    let p = p.detach();
    let zc = z.clone() - z.mean();
    let pc = p.clone() - p.mean();
    let covariance = (zc.clone() * pc.clone()).mean();
    let scale = (zc.square().mean() * pc.square().mean())
        .add_scalar(CORRELATION_EPS)
        .sqrt();
    (covariance / scale).neg().add_scalar(1.0)
}
