//! Maximum-likelihood fitting shared by the models.
//!
//! Every model parameter must be positive, so the optimizer works on their logarithms:
//!
//! ```text
//! theta = ln(params),   minimise  -(1 / n) sum_i ln L_i(exp(theta))
//! ```
//!
//! The minimiser is argmin's Nelder-Mead simplex method (gradient-free). A simplex can
//! collapse before reaching the optimum, so the search is restarted from the best point
//! with a fresh simplex until a restart no longer improves the objective by more than the
//! tolerance (the usual remedy; Press et al., Numerical Recipes, 3rd ed., section 10.5).

use crate::error::{BtydError, Result};
use argmin::core::{CostFunction, Executor, State, TerminationReason};
use argmin::solver::neldermead::NelderMead;
use serde::{Deserialize, Serialize};

/// Log-parameters are kept within `[-LOG_BOUND, LOG_BOUND]`; beyond, the objective is
/// infinite, which keeps the simplex away from overflowing parameter values.
const LOG_BOUND: f64 = 30.0;
/// Edge length, in log units, of the first simplex of the first run.
const FIRST_STEP: f64 = 0.5;
/// Edge length of the simplex of each restart.
const RESTART_STEP: f64 = 0.05;
/// Most Nelder-Mead runs (the first one and its restarts).
const MAX_RUNS: usize = 6;

/// Settings of a maximum-likelihood fit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FitOptions {
    /// Most Nelder-Mead iterations of one run.
    pub max_iterations: u64,
    /// Convergence tolerance on the standard deviation of the mean negative
    /// log-likelihood per customer over the simplex.
    pub tolerance: f64,
}

impl Default for FitOptions {
    fn default() -> Self {
        Self {
            max_iterations: 20_000,
            tolerance: 1e-12,
        }
    }
}

impl FitOptions {
    /// Sets the most iterations of one Nelder-Mead run.
    pub fn with_max_iterations(mut self, max_iterations: u64) -> Self {
        self.max_iterations = max_iterations;
        self
    }

    /// Sets the convergence tolerance.
    pub fn with_tolerance(mut self, tolerance: f64) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// Checks that the settings can be used.
    ///
    /// # Errors
    ///
    /// [`BtydError::InvalidSetting`] for zero iterations or a tolerance that is not a
    /// positive finite number.
    pub fn validate(&self) -> Result<()> {
        if self.max_iterations == 0 {
            return Err(BtydError::InvalidSetting {
                name: "max_iterations",
                value: 0.0,
                reason: "must be at least 1",
            });
        }
        if !(self.tolerance.is_finite() && self.tolerance > 0.0) {
            return Err(BtydError::InvalidSetting {
                name: "tolerance",
                value: self.tolerance,
                reason: "must be positive and finite",
            });
        }
        Ok(())
    }
}

/// A fitted model with the quality of its fit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fit<M> {
    /// The fitted model.
    pub model: M,
    /// Total log-likelihood of the fitted customers at the fitted parameters.
    pub log_likelihood: f64,
    /// Nelder-Mead iterations over all runs.
    pub iterations: u64,
}

/// The best parameters found by [`maximize_log_likelihood`].
#[derive(Debug)]
pub(crate) struct Optimum {
    pub params: Vec<f64>,
    pub iterations: u64,
}

/// Maximises a total log-likelihood over positive parameters, starting at `start`.
///
/// `log_likelihood` may fail or return a non-finite value at wild parameters; the
/// optimizer treats both as an infinitely bad point.
pub(crate) fn maximize_log_likelihood<F>(
    log_likelihood: F,
    start: &[f64],
    customers: usize,
    options: &FitOptions,
) -> Result<Optimum>
where
    F: Fn(&[f64]) -> Result<f64>,
{
    options.validate()?;
    let objective = Objective {
        log_likelihood,
        scale: 1.0 / customers.max(1) as f64,
    };

    // Restart from the best point until a run no longer improves on it.
    let mut theta: Vec<f64> = start.iter().map(|p| p.ln()).collect();
    let mut best = objective.evaluate(&theta);
    if !best.is_finite() {
        return Err(BtydError::NonFiniteResult {
            what: "log-likelihood at the starting point",
        });
    }
    let mut iterations = 0;
    for run in 0..MAX_RUNS {
        let step = if run == 0 { FIRST_STEP } else { RESTART_STEP };
        let outcome = run_simplex(&objective, &theta, step, options)?;
        iterations += outcome.iterations;
        let improvement = best - outcome.cost;
        if outcome.cost <= best {
            theta = outcome.theta;
            best = outcome.cost;
        }
        if run > 0 && improvement <= options.tolerance {
            tracing::debug!(
                runs = run + 1,
                iterations,
                log_likelihood = -best / objective.scale,
                "likelihood maximised"
            );
            return Ok(finish(theta, iterations));
        }
    }
    Err(not_converged(&objective, best, iterations))
}

fn finish(theta: Vec<f64>, iterations: u64) -> Optimum {
    let params = theta.iter().map(|t| t.exp()).collect();
    Optimum { params, iterations }
}

fn not_converged<F>(objective: &Objective<F>, best: f64, iterations: u64) -> BtydError {
    BtydError::NotConverged {
        iterations,
        log_likelihood: -best / objective.scale,
    }
}

/// Where one Nelder-Mead run ended.
struct RunOutcome {
    theta: Vec<f64>,
    cost: f64,
    iterations: u64,
}

fn run_simplex<F>(
    objective: &Objective<F>,
    theta: &[f64],
    step: f64,
    options: &FitOptions,
) -> Result<RunOutcome>
where
    F: Fn(&[f64]) -> Result<f64>,
{
    let solver = NelderMead::new(simplex_around(theta, step))
        .with_sd_tolerance(options.tolerance)
        .map_err(|error| BtydError::Optimizer(error.to_string()))?;
    let result = Executor::new(objective, solver)
        .configure(|state| state.max_iters(options.max_iterations))
        .run()
        .map_err(|error| BtydError::Optimizer(error.to_string()))?;

    let state = result.state();
    let iterations = state.get_iter();
    let cost = state.get_best_cost();
    if state.get_termination_reason() != Some(&TerminationReason::SolverConverged) {
        return Err(not_converged(objective, cost, iterations));
    }
    let theta = state
        .get_best_param()
        .expect("a finished Nelder-Mead run has a best point")
        .clone();
    Ok(RunOutcome {
        theta,
        cost,
        iterations,
    })
}

/// The start point and one point moved by `step` along each axis.
fn simplex_around(theta: &[f64], step: f64) -> Vec<Vec<f64>> {
    let moved = (0..theta.len()).map(|axis| {
        let mut vertex = theta.to_vec();
        vertex[axis] += step;
        vertex
    });
    std::iter::once(theta.to_vec()).chain(moved).collect()
}

/// Mean negative log-likelihood per customer as a function of log-parameters.
struct Objective<F> {
    log_likelihood: F,
    scale: f64,
}

impl<F> Objective<F>
where
    F: Fn(&[f64]) -> Result<f64>,
{
    fn evaluate(&self, theta: &[f64]) -> f64 {
        if theta.iter().any(|t| !t.is_finite() || t.abs() > LOG_BOUND) {
            return f64::INFINITY;
        }
        let params: Vec<f64> = theta.iter().map(|t| t.exp()).collect();
        match (self.log_likelihood)(&params) {
            Ok(value) if value.is_finite() => -value * self.scale,
            _ => f64::INFINITY,
        }
    }
}

impl<F> CostFunction for &Objective<F>
where
    F: Fn(&[f64]) -> Result<f64>,
{
    type Param = Vec<f64>;
    type Output = f64;

    fn cost(&self, theta: &Self::Param) -> std::result::Result<f64, argmin::core::Error> {
        Ok(self.evaluate(theta))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_maximum_of_a_smooth_function() {
        // ln L = -(ln p0 - ln 2)^2 - (ln p1 + 1)^2, maximal at p = (2, e^-1).
        let log_likelihood =
            |p: &[f64]| Ok(-(p[0].ln() - 2f64.ln()).powi(2) - (p[1].ln() + 1.0).powi(2));
        let optimum =
            maximize_log_likelihood(log_likelihood, &[1.0, 1.0], 1, &FitOptions::default())
                .expect("converges");
        assert!((optimum.params[0] - 2.0).abs() < 1e-5);
        assert!((optimum.params[1] - (-1f64).exp()).abs() < 1e-5);
    }

    #[test]
    fn reports_failure_to_converge() {
        let log_likelihood = |p: &[f64]| Ok(-(p[0] - 3.0).powi(2));
        let options = FitOptions::default().with_max_iterations(2);
        let error = maximize_log_likelihood(log_likelihood, &[1.0], 1, &options).unwrap_err();
        assert!(matches!(
            error,
            BtydError::NotConverged { iterations: 2, .. }
        ));
    }

    #[test]
    fn rejects_a_hopeless_start() {
        let log_likelihood = |_: &[f64]| Ok(f64::NAN);
        let error = maximize_log_likelihood(log_likelihood, &[1.0], 1, &FitOptions::default());
        assert!(matches!(error, Err(BtydError::NonFiniteResult { .. })));
    }

    #[test]
    fn rejects_bad_options() {
        let options = FitOptions::default().with_tolerance(f64::NAN);
        assert!(matches!(
            options.validate(),
            Err(BtydError::InvalidSetting {
                name: "tolerance",
                ..
            })
        ));
        let options = FitOptions::default().with_max_iterations(0);
        assert!(options.validate().is_err());
    }
}
