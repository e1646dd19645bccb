//! Buy-till-you-die models of customer purchase behaviour.
//!
//! These probabilistic models predict, from a customer's purchase history in a
//! calibration window, how many purchases they will make in a horizon after it, whether
//! they are still a customer at all, and how much each purchase will be worth:
//!
//! - [`BgNbd`]: the BG/NBD model (Fader, Hardie and Lee 2005);
//! - [`ParetoNbd`]: the Pareto/NBD model (Schmittlein, Morrison and Colombo 1987);
//! - [`GammaGamma`]: the Gamma-Gamma spend model (Fader, Hardie and Lee 2005);
//! - [`expected_spend`]: expected purchases times expected spend per purchase.
//!
//! Each customer enters as a [`CustomerSummary`] (frequency, recency, age, mean repeat
//! spend), which [`summarize`] builds from a transaction log. Fits maximise the likelihood
//! with argmin's Nelder-Mead method on log-parameters and return a [`Fit`].
//!
//! # Example
//!
//! ```
//! use cmltv_btyd::{
//!     BgNbd, CustomerSummary, FitOptions, GammaGamma, PurchaseModel, expected_spend,
//! };
//!
//! // (frequency, recency, age, mean repeat spend) of 24 customers, in weeks and dollars
//! let table = [
//!     (0, 0., 34., 0.), (0, 0., 27., 0.), (12, 23., 26., 29.), (0, 0., 37., 0.),
//!     (0, 0., 34., 0.), (5, 24., 29., 54.), (2, 4., 36., 73.), (0, 0., 29., 0.),
//!     (2, 1., 31., 19.), (1, 20., 32., 22.), (1, 23., 38., 22.), (1, 36., 38., 21.),
//!     (2, 7., 30., 13.), (1, 19., 30., 44.), (1, 30., 31., 37.), (2, 21., 26., 25.),
//!     (1, 22., 30., 20.), (3, 27., 38., 22.), (1, 1., 37., 7.), (0, 0., 33., 0.),
//!     (1, 5., 32., 40.), (2, 16., 38., 19.), (0, 0., 34., 0.), (1, 0., 38., 30.),
//! ];
//! let customers = table
//!     .map(|(x, t_x, age, spend)| CustomerSummary::new(x, t_x, age, spend))
//!     .into_iter()
//!     .collect::<Result<Vec<_>, _>>()?;
//! let options = FitOptions::default();
//! let purchases = BgNbd::fit(&customers, &options)?.model;
//! let spend = GammaGamma::fit(&customers, &options)?.model;
//!
//! // Expected spend of each customer over the next 26 weeks.
//! let values = customers
//!     .iter()
//!     .map(|customer| expected_spend(&purchases, &spend, customer, 26.0))
//!     .collect::<Result<Vec<f64>, _>>()?;
//! assert!(values[2] > values[0]);
//! assert_eq!(purchases.probability_alive(&customers[0])?, 1.0);
//! # Ok::<(), cmltv_btyd::BtydError>(())
//! ```
#![warn(missing_docs)]

pub mod bgnbd;
pub mod error;
pub mod fit;
pub mod gamma_gamma;
pub mod model;
pub mod pareto_nbd;
pub mod special;
pub mod summary;

pub use bgnbd::BgNbd;
pub use error::{BtydError, Result};
pub use fit::{Fit, FitOptions};
pub use gamma_gamma::GammaGamma;
pub use model::{PurchaseModel, expected_spend};
pub use pareto_nbd::ParetoNbd;
pub use summary::{
    CustomerSummary, HoldoutSummary, Purchase, TimeUnit, summarize, summarize_holdout,
};
