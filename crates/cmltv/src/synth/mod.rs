//! Synthetic mobile-game users with a known expected value.
//!
//! The simulator writes one row per user: an id, twenty features of the user's first week
//! in a game, the spend `ltv` in the horizon that follows the week, and `expected_ltv`, the
//! exact `E[ltv | features]`. Ranking users by `expected_ltv` is the oracle that a model's
//! normalized Gini is compared with.
//!
//! ```no_run
//! use cmltv::synth::{Synth, SynthConfig};
//!
//! let config = SynthConfig::default().with_rows(1_000).with_seed(7);
//! for batch in Synth::new(config.clone())? {
//!     println!("{} rows", batch.rows());
//! }
//! cmltv::synth::write(&config, "users.csv".as_ref())?;
//! # Ok::<(), cmltv::Error>(())
//! ```
//!
//! # Columns
//!
//! | column | kind | meaning |
//! | --- | --- | --- |
//! | `user_id` | numeric | 1 ..= rows |
//! | `country` | text | 12 ISO codes with different spending levels |
//! | `channel` | text | organic, paid_social, search, video_ads, influencer, cross_promo |
//! | `device_tier` | text | low, mid, high |
//! | `os` | text | android, ios |
//! | `genre` | text | puzzle, casual, rpg, strategy, action, simulation |
//! | `install_weekday` | text | mon .. sun; irrelevant |
//! | `install_hour` | numeric | 0 .. 23; irrelevant |
//! | `days_active` | numeric | days of 7 with a session, 1 .. 7 |
//! | `sessions` | numeric | sessions in the week |
//! | `playtime_minutes` | numeric | minutes played; missing for 3 % of users |
//! | `max_level` | numeric | highest level reached |
//! | `tutorial_completed` | numeric | 0 or 1 |
//! | `ad_views` | numeric | ads watched |
//! | `friends_added` | numeric | friends added; missing for 5 % of users |
//! | `social_actions` | numeric | chat, gifts, guild actions |
//! | `store_visits` | numeric | times the shop was opened |
//! | `early_purchases` | numeric | purchases in the week (most users: 0) |
//! | `early_spend` | numeric | their total in dollars |
//! | `push_opt_in` | numeric | 0 or 1 |
//! | `storage_free_gb` | numeric | free storage; irrelevant |
//! | `ltv` | numeric | the label: spend in the horizon after the week, dollars |
//! | `expected_ltv` | numeric | the oracle `E[ltv \| features]` |
//!
//! # Generative story
//!
//! Every user draws two hidden traits, engagement `u` and wallet `z`:
//!
//! ```text
//! u = N(0, 1) + channel shift,     z = 0.3 u + sqrt(0.91) N(0, 1)
//! ```
//!
//! and the features from them: days active `1 + Binomial(6, sigmoid(0.1 + 0.9 u))`; sessions
//! `d + Poisson(d exp(0.2 + 0.45 u))`; play time, levels, ads, friends, social actions,
//! shop visits as Poisson or log-normal counts around the genre's rhythm; device tier from
//! `country + 0.5 z + N(0, 1)`; purchases in the week `Poisson(exp(-4.2 + z + 0.3 u + 0.6
//! country))` at prices tilted by `0.3 z`. The label never sees `u` or `z`: spending depends
//! on the features only through two scores computed from the observed values.
//!
//! **Purchase score** (a missing value contributes 0):
//!
//! ```text
//! e   = 1.6 sigmoid(3 (days - 4.5)) + 0.25 ln(1 + sessions)
//!       - 0.8 ln(minutes per session / genre's typical length)^2
//!       + genre level slope * (ln(1 + level) - ln(1 + 7 * genre's levels per session))
//!       + 0.4 [tutorial and days >= 3] + 0.3 sigmoid(friends - 2)
//! w   = country + tier + 0.9 [ios in an emerging country]
//!       + genre ad slope * (ln(1 + ads) - ln(1 + 14 * genre's ads per session))
//!       + 0.2 ln(1 + shop visits) + 0.9 [early purchases > 0] + 0.15 push
//! v_p = c(region, genre) + e + w + channel + genre
//!       + 1.0 max(e - 1.5, 0) max(w - 0.3, 0)
//! ```
//!
//! The level and ad slopes change sign across genres (fast puzzle players need no boosts; ad
//! watchers in casual games replace buying, in role-playing games they are engaged), and
//! `c(region, genre)` says which genres monetize in which markets.
//!
//! **Amount score**:
//!
//! ```text
//! v_a = 0.6 c(region, genre) + country amount + tier amount + 0.4 [high tier, rich market]
//!       + genre amount + 0.3 ln(1 + early spend) + genre guild slope * ln(1 + social)
//!       + 0.3 [high tier] ln(1 + shop visits)
//! ```
//!
//! **Spending in the horizon.** With `P_k(t) = b_k e^(k t) / sum_j b_j e^(j t)` over the price
//! points `0.99, 4.99, 9.99, 19.99, 49.99, 99.99` (base `b = .45, .30, .13, .07, .035, .015`):
//!
//! ```text
//! pay      ~ Bernoulli(pi),        pi       = sigmoid(alpha + v_p)
//! whale    ~ Bernoulli(omega),     omega    = sigmoid(beta + v_a)       (given pay)
//! regular: purchases = 1 + NegBin(mean lambda, shape 2),
//!          lambda   = clamp(0.8 e^(0.5 v_a), 0.05, 12),   prices ~ P(0.35 v_a)
//! whale:   purchases = 1 + NegBin(mean lambda_w, shape 1.2),
//!          lambda_w = min(8 e^(0.25 v_a), 100),           prices ~ P(0.35 v_a + 0.9)
//! ltv      = sum of the purchases' prices (0 for a non-payer)
//! ```
//!
//! A negative binomial is a Poisson count whose rate is gamma distributed, so purchase
//! counts have long tails. `alpha` is fitted so that the mean of `pi` over a fixed pilot
//! population of 100 000 users equals the payer rate, and `beta` so that 3 % of payers are
//! whales. Prices are independent of the count given the features, so by Wald's identity
//!
//! ```text
//! E[ltv | x] = pi (1 - omega) (1 + lambda)   m(0.35 v_a)
//!            + pi omega       (1 + lambda_w) m(0.35 v_a + 0.9)
//! ```
//!
//! with `m(t) = sum_k P_k(t) price_k`: that is `expected_ltv`. With the default payer rate of
//! 5 % the top 1 % of payers hold about a quarter of the revenue.
//!
//! # Determinism
//!
//! User `i` draws its features and its spending from two streams seeded by `(seed, i)`, so a
//! seed always gives the same rows, whatever the batch size.

mod batch;
mod calibrate;
mod catalog;
mod config;
mod draw;
mod outcome;
mod price;
mod user;

#[cfg(test)]
mod tests;

use std::path::Path;

use crate::data::TableWriter;
use crate::error::Result;

pub use batch::{Synth, schema};
pub use config::{MAX_PAYER_RATE, MIN_PAYER_RATE, SynthConfig};

/// Simulates the population of `config` into `path` (CSV or Parquet by extension), batch by
/// batch, so memory stays bounded whatever the number of rows.
///
/// # Errors
///
/// [`Error::InvalidSetting`](crate::Error::InvalidSetting) for bad settings, before anything
/// is written; any error of [`TableWriter`] while writing.
pub fn write(config: &SynthConfig, path: &Path) -> Result<()> {
    let synth = Synth::new(config.clone())?;
    let mut writer = TableWriter::create(path, &schema())?;
    for batch in synth {
        writer.write(&batch)?;
    }
    writer.finish()?;
    tracing::info!(rows = config.rows, path = %path.display(), "wrote synthetic users");
    Ok(())
}

/// `rows` simulated users of `seed`, written to Parquet and read back as a training table.
#[cfg(test)]
pub(crate) fn read_back(rows: usize, seed: u64) -> crate::data::Table {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("users.parquet");
    write(
        &SynthConfig::default().with_rows(rows).with_seed(seed),
        &path,
    )
    .unwrap();
    crate::data::read_table(&path, &Default::default()).unwrap()
}
