//! Gamma distribution view: negative log-likelihood of a payer's amount.
//!
//! ```text
//! a = softplus(u) + eps,  r = softplus(v) + eps
//! -log f(y; a, r) = lgamma(a) - a log r - (a - 1) log y + r y
//! prediction = a / r
//! ```

use burn::tensor::{Tensor, activation::softplus};

use super::special::lgamma;

/// Added to the softplus outputs so that shape and rate stay positive.
pub const EPS: f64 = 1e-6;

/// Shape `a` and rate `r` from the tower's two raw outputs.
///
/// # Shapes
///
/// `[N]` each.
pub fn gamma_parameters(shape_raw: Tensor<1>, rate_raw: Tensor<1>) -> (Tensor<1>, Tensor<1>) {
    (
        softplus(shape_raw, 1.0).add_scalar(EPS),
        softplus(rate_raw, 1.0).add_scalar(EPS),
    )
}

/// Per-row negative log-likelihood of `y > 0` under Gamma(a, r).
///
/// # Shapes
///
/// `[P]` each; output `[P]`.
pub fn gamma_nll(shape: Tensor<1>, rate: Tensor<1>, y: Tensor<1>) -> Tensor<1> {
    let log_y = y.clone().log();
    lgamma(shape.clone()) - shape.clone() * rate.clone().log() - shape.sub_scalar(1.0) * log_y
        + rate * y
}
