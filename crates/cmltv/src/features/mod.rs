//! The feature builder: transaction logs turned into training tables.
//!
//! A log has one row per transaction: a customer id, a time and an amount, and optionally a
//! quantity. Given a calibration window (from the first transaction, or a chosen start, to the
//! calibration end day, included) and a holdout window (the days after it, up to the holdout
//! end, included), the builder writes one row per customer who bought in the calibration
//! window: features computed from that window alone, and outcomes of the holdout window whose
//! names start with `holdout_`, the label `holdout_spend` among them. The columns are listed
//! [below](#columns).
//!
//! ```text
//! |--------- calibration window ---------|------- holdout window -------|
//! start                     calibration end                    holdout end
//! features: frequency, recency, age, ...   outcomes: holdout_spend, ...
//! ```
//!
//! Conventions:
//!
//! - Several transactions of one customer on one day are one purchase (spend and quantity
//!   summed) in every count of purchases (`frequency`, `purchases_last_30_days`,
//!   `holdout_purchases`); `transactions` and `holdout_transactions` count rows.
//! - Negative amounts are returns: they reduce the spend of their day, so totals are net.
//!   The label `holdout_spend` is floored at 0 and `holdout_net_spend` keeps the signed value.
//! - Times are read as calendar days (see [`TimeFormat`]); rows dated before the calibration
//!   start or after the holdout end are ignored and counted in the [`ReadReport`].
//! - The log is streamed: memory grows with the number of customers and their purchase days,
//!   not with the number of transactions.
//!
//! # Columns
//!
//! ```text
//! <customer column>          the id, as text (leading zeros kept)
//! frequency                  purchase days in the calibration window - 1
//! recency_days, _weeks       last - first purchase day
//! age_days, _weeks           calibration end - first purchase day
//! mean_repeat_spend          mean spend of the repeat purchase days (0 without any)
//! days_since_last_purchase   calibration end - last purchase day
//! mean_gap_days              mean days between purchase days (missing without repeats)
//! transactions               rows in the calibration window
//! total_spend, mean_spend, max_spend, first_purchase_spend
//! spend_last_30_days, spend_last_90_days, purchases_last_30_days, purchases_last_90_days
//! first_purchase_day_of_week (1 = Monday), first_purchase_month
//! first_purchase_quantity, total_quantity                   (with a quantity column)
//! holdout_spend, holdout_purchases, holdout_transactions,
//! holdout_quantity (with a quantity column), holdout_net_spend
//! ```
//!
//! `frequency`, `recency_weeks`, `age_weeks` and `mean_repeat_spend` are exactly what
//! `cmltv_btyd`'s BG/NBD, Pareto/NBD and Gamma-Gamma models read.

mod builder;
mod config;
mod customer;
mod definitions;
mod log;
mod time;

#[cfg(test)]
mod tests;

pub use builder::{CustomerLog, ReadReport, read_log};
pub use chrono::NaiveDate;
pub use config::{FeatureConfig, Holdout};
pub use definitions::LABEL;
pub use log::Delimiter;
pub use time::{TimeFormat, date_of, day_of};
