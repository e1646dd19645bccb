//! Zero-inflated lognormal loss, exactly as google/lifetime_value defines it.
//!
//! ```text
//! sigma  = max(softplus(v), sqrt(1e-7))
//! L_ziln = mean_i [ BCE(l_i, 1[y_i > 0]) + 1[y_i > 0] (-log LogNormal(y_i; mu_i, sigma_i)) ]
//! prediction = sigmoid(l) exp(mu + sigma^2 / 2)
//! ```
//!
//! The regression part is averaged over all N rows, not over the payers. Reference:
//! Wang, Liu and Miao, "A Deep Probabilistic Model for Customer Lifetime Value Prediction",
//! 2019, and `lifetime_value/zero_inflated_lognormal.py`.

use burn::tensor::{Int, Tensor, activation::softplus};

use super::lognormal::lognormal_nll;
use super::purchase::purchase_loss;

/// Keras' `epsilon()`, whose square root floors sigma.
const KERAS_EPSILON: f64 = 1e-7;

/// `sigma` from the raw output.
///
/// # Shapes
///
/// `[N]`.
pub fn ziln_sigma(sigma_raw: Tensor<1>) -> Tensor<1> {
    softplus(sigma_raw, 1.0).clamp_min(KERAS_EPSILON.sqrt())
}

/// The ZILN loss of a batch: `payers` indexes the rows with `y > 0` (`None` when there is
/// none) and `payer_labels` holds their labels.
///
/// # Shapes
///
/// `logits`, `mu`, `sigma_raw`, `payer`: `[N]`; `payers`, `payer_labels`: `[P]`; output `[1]`.
pub fn ziln_loss(
    logits: Tensor<1>,
    mu: Tensor<1>,
    sigma_raw: Tensor<1>,
    payer: Tensor<1>,
    payers: Option<(Tensor<1, Int>, Tensor<1>)>,
) -> Tensor<1> {
    let rows = payer.dims()[0];
    let classification = purchase_loss(logits, payer);
    let Some((payers, labels)) = payers else {
        return classification;
    };
    let sigma = ziln_sigma(sigma_raw.select(0, payers.clone()));
    let nll = lognormal_nll(mu.select(0, payers), sigma, labels);
    classification + nll.sum().div_scalar(rows as f64)
}
