//! Lognormal distribution view, selectable instead of the gamma view.
//!
//! ```text
//! sigma = softplus(v) + eps
//! -log f(y; mu, sigma) = log y + log sigma + log(2 pi) / 2 + (log y - mu)^2 / (2 sigma^2)
//! prediction = exp(mu + sigma^2 / 2)
//! ```

use burn::tensor::{Tensor, activation::softplus};

use super::gamma::EPS;

/// `sigma` from the tower's raw output.
///
/// # Shapes
///
/// `[N]`.
pub fn lognormal_sigma(sigma_raw: Tensor<1>) -> Tensor<1> {
    softplus(sigma_raw, 1.0).add_scalar(EPS)
}

/// Per-row negative log-likelihood of `y > 0` under LogNormal(mu, sigma).
///
/// # Shapes
///
/// `[P]` each; output `[P]`.
pub fn lognormal_nll(mu: Tensor<1>, sigma: Tensor<1>, y: Tensor<1>) -> Tensor<1> {
    let log_y = y.log();
    let standardized = (log_y.clone() - mu) / sigma.clone();
    log_y
        + sigma.log()
        + standardized.square().mul_scalar(0.5)
        + 0.5 * (2.0 * std::f64::consts::PI).ln()
}
