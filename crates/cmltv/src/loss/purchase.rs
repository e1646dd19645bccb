//! Purchase head loss: binary cross-entropy of the purchase probability.
//!
//! ```text
//! L_p = mean_i [ softplus(l_i) - 1[y_i > 0] l_i ],   p_i = sigmoid(l_i)
//! ```
//!
//! Written on the logit `l` so that it stays finite for saturated probabilities.

use burn::tensor::{Tensor, activation::softplus};

/// Mean binary cross-entropy over all rows.
///
/// # Shapes
///
/// `logits` and `payer` (1.0 for payers, 0.0 otherwise): `[N]`; output `[1]`.
pub fn purchase_loss(logits: Tensor<1>, payer: Tensor<1>) -> Tensor<1> {
    (softplus(logits.clone(), 1.0) - payer * logits).mean()
}
