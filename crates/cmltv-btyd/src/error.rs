//! The error type of the crate.

use thiserror::Error;

/// Everything that can go wrong when summarising, fitting or predicting.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum BtydError {
    /// A fit was given no customers (or, for Gamma-Gamma, no repeat customers).
    #[error("no customers to fit: {what}")]
    EmptyInput {
        /// Which input was empty.
        what: &'static str,
    },

    /// A customer summary holds a NaN or infinite value.
    #[error("customer {index}: {field} is {value}, which is not finite")]
    NonFinite {
        /// Position of the customer in the input.
        index: usize,
        /// Name of the offending field.
        field: &'static str,
        /// The value found.
        value: f64,
    },

    /// A customer summary breaks the rules of the summary convention.
    #[error("customer {index}: invalid summary: {reason}")]
    InvalidSummary {
        /// Position of the customer in the input.
        index: usize,
        /// What is wrong with it.
        reason: String,
    },

    /// A model parameter is not a positive finite number.
    #[error("parameter {name} = {value} must be positive and finite")]
    InvalidParameter {
        /// Name of the parameter.
        name: &'static str,
        /// The value given.
        value: f64,
    },

    /// A setting or an argument is outside its valid range.
    #[error("invalid {name} = {value}: {reason}")]
    InvalidSetting {
        /// Name of the setting or argument.
        name: &'static str,
        /// The value given.
        value: f64,
        /// The valid range.
        reason: &'static str,
    },

    /// The optimizer stopped before meeting its tolerance.
    #[error(
        "fit did not converge after {iterations} iterations \
         (log-likelihood {log_likelihood})"
    )]
    NotConverged {
        /// Iterations run.
        iterations: u64,
        /// Log-likelihood at the best point found.
        log_likelihood: f64,
    },

    /// The optimizer itself reported a failure.
    #[error("optimizer failed: {0}")]
    Optimizer(String),

    /// The likelihood or a prediction evaluated to NaN or infinity.
    #[error("{what} is not finite at the given parameters")]
    NonFiniteResult {
        /// Which quantity.
        what: &'static str,
    },

    /// The Gauss hypergeometric function is undefined or did not converge.
    #[error("hypergeometric 2F1({a}, {b}; {c}; {z}): {reason}")]
    Hypergeometric {
        /// First numerator parameter.
        a: f64,
        /// Second numerator parameter.
        b: f64,
        /// Denominator parameter.
        c: f64,
        /// Argument.
        z: f64,
        /// Why no value could be given.
        reason: &'static str,
    },
}

/// Result alias of the crate.
pub type Result<T> = std::result::Result<T, BtydError>;
