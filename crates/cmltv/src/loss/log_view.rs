//! Log view: squared error of a regression on `log(1 + y)`.
//!
//! ```text
//! L_l = mean_{i in P} (s_i - log(1 + y_i))^2,   prediction = max(exp(s) - 1, 0)
//! ```

use burn::tensor::Tensor;

/// Mean squared error against `log(1 + y)` over the given (payer) rows.
///
/// # Shapes
///
/// `[P]` each; output `[1]`.
pub fn log_view_loss(s: Tensor<1>, y: Tensor<1>) -> Tensor<1> {
    (s - y.log1p()).square().mean()
}
