//! Squared-error baselines, on the raw label or on `log(1 + y)`.
//!
//! ```text
//! mse      L = mean_i (s_i - y_i / scale)^2,       prediction = max(s, 0) scale
//! mse-log  L = mean_i (s_i - log(1 + y_i))^2,      prediction = max(exp(s) - 1, 0)
//! ```
//!
//! `scale` is the mean payer label of the training rows; it only rescales the loss.

use burn::tensor::Tensor;

/// Mean squared error of `s` against `target` over all rows.
///
/// # Shapes
///
/// `[N]` each; output `[1]`.
pub fn squared_error(s: Tensor<1>, target: Tensor<1>) -> Tensor<1> {
    (s - target).square().mean()
}
