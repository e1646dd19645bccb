//! The columns of the feature table and how each is computed from a customer's purchase days.
//!
//! `E` is the calibration end day, `d_1 < ... < d_n` the customer's purchase days in the
//! calibration window with spends `s_1 .. s_n` (same-day transactions merged, returns
//! subtracted) and quantities `q_1 .. q_n`:
//!
//! ```text
//! frequency                  n - 1                        (repeat purchase days)
//! recency_days               d_n - d_1                    recency_weeks = recency_days / 7
//! age_days                   E - d_1                      age_weeks = age_days / 7
//! mean_repeat_spend          (s_2 + ... + s_n) / (n - 1)  (0 when n = 1)
//! days_since_last_purchase   E - d_n
//! mean_gap_days              (d_n - d_1) / (n - 1)        (missing when n = 1)
//! transactions               rows of the log in the window (same-day rows counted apart)
//! total_spend                s_1 + ... + s_n
//! mean_spend                 total_spend / n              (per purchase day)
//! max_spend                  max s_i
//! first_purchase_spend       s_1
//! spend_last_30_days         sum of s_i with d_i > E - 30 (the window's last 30 days)
//! spend_last_90_days         sum of s_i with d_i > E - 90
//! purchases_last_30_days     number of d_i > E - 30
//! purchases_last_90_days     number of d_i > E - 90
//! first_purchase_day_of_week 1 (Monday) .. 7 (Sunday) of d_1
//! first_purchase_month       1 .. 12 of d_1
//! first_purchase_quantity    q_1                          (with a quantity column)
//! total_quantity             q_1 + ... + q_n              (with a quantity column)
//! ```
//!
//! Ages count up to the start of the end day, the convention of `cmltv_btyd::summarize`, which
//! reproduces the published CDNOW figures: first purchase 1997-01-01, window ending 1997-09-30,
//! age 272 days = 38.857 weeks.
//!
//! The outcome columns describe the holdout window `(E, H]` and all start with `holdout_`, so
//! that training never takes them for features:
//!
//! ```text
//! holdout_spend         max(0, holdout_net_spend)     the label: a customer pays no less than 0
//! holdout_purchases     distinct purchase days in the holdout window
//! holdout_transactions  rows of the log in the holdout window
//! holdout_quantity      total quantity                (with a quantity column)
//! holdout_net_spend     total spend, returns subtracted (negative when returns exceed buying)
//! ```

use chrono::Datelike;

use super::customer::DayTotal;
use super::time::date_of;

/// Name of the label column.
pub const LABEL: &str = "holdout_spend";

/// One customer's purchase days, split at the calibration end day.
#[derive(Debug, Clone, Copy)]
pub(super) struct Purchases<'a> {
    /// Days of the calibration window; never empty.
    pub calibration: &'a [DayTotal],
    /// Days of the holdout window.
    pub holdout: &'a [DayTotal],
    /// The calibration end day.
    pub end: i32,
}

impl Purchases<'_> {
    fn first(&self) -> &DayTotal {
        self.calibration
            .first()
            .expect("customers in the table bought in the calibration window")
    }

    fn last(&self) -> &DayTotal {
        self.calibration
            .last()
            .expect("customers in the table bought in the calibration window")
    }

    fn frequency(&self) -> usize {
        self.calibration.len() - 1
    }

    fn recency_days(&self) -> f64 {
        f64::from(self.last().day - self.first().day)
    }

    fn age_days(&self) -> f64 {
        f64::from(self.end - self.first().day)
    }

    fn mean_repeat_spend(&self) -> f64 {
        match self.frequency() {
            0 => 0.0,
            repeats => spend(&self.calibration[1..]) / repeats as f64,
        }
    }

    fn mean_gap_days(&self) -> Option<f64> {
        let repeats = self.frequency();
        (repeats > 0).then(|| self.recency_days() / repeats as f64)
    }

    /// Purchase days among the window's last `days` days.
    fn recent(&self, days: i32) -> &[DayTotal] {
        let from = self
            .calibration
            .partition_point(|total| total.day <= self.end - days);
        &self.calibration[from..]
    }

    fn first_date_field(&self, field: impl Fn(chrono::NaiveDate) -> u32) -> Option<f64> {
        date_of(i64::from(self.first().day)).map(|date| f64::from(field(date)))
    }
}

/// Sums from +0: `Iterator::sum` of no floats is -0, which a CSV file would show as "-0".
fn sum(values: impl Iterator<Item = f64>) -> f64 {
    values.fold(0.0, |sum, value| sum + value)
}

fn spend(days: &[DayTotal]) -> f64 {
    sum(days.iter().map(|total| total.spend))
}

fn quantity(days: &[DayTotal]) -> f64 {
    sum(days.iter().map(|total| total.quantity))
}

fn transactions(days: &[DayTotal]) -> f64 {
    sum(days.iter().map(|total| f64::from(total.transactions)))
}

fn max_spend(days: &[DayTotal]) -> f64 {
    days.iter()
        .map(|t| t.spend)
        .fold(f64::NEG_INFINITY, f64::max)
}

/// One numeric column of the table.
#[derive(Debug, Clone, Copy)]
pub(super) struct Definition {
    /// Column name.
    pub name: &'static str,
    /// Whether it exists only when the log has a quantity column.
    pub needs_quantity: bool,
    /// Its value for one customer; `None` is a missing cell.
    pub value: fn(&Purchases<'_>) -> Option<f64>,
}

const fn column(name: &'static str, value: fn(&Purchases<'_>) -> Option<f64>) -> Definition {
    Definition {
        name,
        needs_quantity: false,
        value,
    }
}

const fn quantity_column(
    name: &'static str,
    value: fn(&Purchases<'_>) -> Option<f64>,
) -> Definition {
    Definition {
        name,
        needs_quantity: true,
        value,
    }
}

/// Every numeric column, features first, then the holdout outcomes, in table order.
pub(super) const COLUMNS: &[Definition] = &[
    column("frequency", |p| Some(p.frequency() as f64)),
    column("recency_days", |p| Some(p.recency_days())),
    column("recency_weeks", |p| Some(p.recency_days() / 7.0)),
    column("age_days", |p| Some(p.age_days())),
    column("age_weeks", |p| Some(p.age_days() / 7.0)),
    column("mean_repeat_spend", |p| Some(p.mean_repeat_spend())),
    column("days_since_last_purchase", |p| {
        Some(f64::from(p.end - p.last().day))
    }),
    column("mean_gap_days", |p| p.mean_gap_days()),
    column("transactions", |p| Some(transactions(p.calibration))),
    column("total_spend", |p| Some(spend(p.calibration))),
    column("mean_spend", |p| {
        Some(spend(p.calibration) / p.calibration.len() as f64)
    }),
    column("max_spend", |p| Some(max_spend(p.calibration))),
    column("first_purchase_spend", |p| Some(p.first().spend)),
    column("spend_last_30_days", |p| Some(spend(p.recent(30)))),
    column("spend_last_90_days", |p| Some(spend(p.recent(90)))),
    column(
        "purchases_last_30_days",
        |p| Some(p.recent(30).len() as f64),
    ),
    column(
        "purchases_last_90_days",
        |p| Some(p.recent(90).len() as f64),
    ),
    column("first_purchase_day_of_week", |p| {
        p.first_date_field(|date| date.weekday().number_from_monday())
    }),
    column("first_purchase_month", |p| {
        p.first_date_field(|date| date.month())
    }),
    quantity_column("first_purchase_quantity", |p| Some(p.first().quantity)),
    quantity_column("total_quantity", |p| Some(quantity(p.calibration))),
    column(LABEL, |p| Some(spend(p.holdout).max(0.0))),
    column("holdout_purchases", |p| Some(p.holdout.len() as f64)),
    column("holdout_transactions", |p| Some(transactions(p.holdout))),
    quantity_column("holdout_quantity", |p| Some(quantity(p.holdout))),
    column("holdout_net_spend", |p| Some(spend(p.holdout))),
];

/// The columns of a table built with or without a quantity column.
pub(super) fn columns(with_quantity: bool) -> impl Iterator<Item = &'static Definition> {
    COLUMNS
        .iter()
        .filter(move |definition| with_quantity || !definition.needs_quantity)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(day: i32, spend: f64, quantity: f64) -> DayTotal {
        DayTotal {
            day,
            transactions: 1,
            spend,
            quantity,
        }
    }

    fn values(purchases: &Purchases<'_>) -> Vec<(&'static str, Option<f64>)> {
        let value = |d: &Definition| (d.name, (d.value)(purchases));
        columns(true).map(value).collect()
    }

    fn value_of(purchases: &Purchases<'_>, name: &str) -> Option<f64> {
        let all = values(purchases);
        all.iter()
            .find(|(n, _)| *n == name)
            .expect("known column")
            .1
    }

    #[test]
    fn names_are_unique_and_outcomes_come_last() {
        let names: Vec<&str> = COLUMNS.iter().map(|d| d.name).collect();
        for (index, name) in names.iter().enumerate() {
            assert!(!names[..index].contains(name), "{name} twice");
        }
        let first_outcome = names
            .iter()
            .position(|n| n.starts_with("holdout_"))
            .unwrap();
        assert!(
            names[first_outcome..]
                .iter()
                .all(|n| n.starts_with("holdout_"))
        );
        assert_eq!(columns(false).count() + 3, COLUMNS.len());
    }

    #[test]
    fn a_one_time_buyer_has_zero_repeats_and_no_gap() {
        // Day 9862 is 1997-01-01, a Wednesday; day 10134 is 1997-09-30.
        let calibration = [day(9862, 11.77, 1.0)];
        let purchases = Purchases {
            calibration: &calibration,
            holdout: &[],
            end: 10134,
        };
        assert_eq!(value_of(&purchases, "frequency"), Some(0.0));
        assert_eq!(value_of(&purchases, "age_days"), Some(272.0));
        assert_eq!(value_of(&purchases, "age_weeks"), Some(272.0 / 7.0));
        assert_eq!(value_of(&purchases, "mean_repeat_spend"), Some(0.0));
        assert_eq!(value_of(&purchases, "mean_gap_days"), None);
        assert_eq!(
            value_of(&purchases, "first_purchase_day_of_week"),
            Some(3.0)
        );
        assert_eq!(value_of(&purchases, "first_purchase_month"), Some(1.0));
        assert_eq!(value_of(&purchases, "holdout_spend"), Some(0.0));
    }

    #[test]
    fn recent_windows_include_the_end_day_and_exclude_day_end_minus_30() {
        let calibration = [day(70, 1.0, 0.0), day(71, 2.0, 0.0), day(100, 4.0, 0.0)];
        let purchases = Purchases {
            calibration: &calibration,
            holdout: &[],
            end: 100,
        };
        assert_eq!(value_of(&purchases, "spend_last_30_days"), Some(6.0));
        assert_eq!(value_of(&purchases, "purchases_last_30_days"), Some(2.0));
        assert_eq!(value_of(&purchases, "spend_last_90_days"), Some(7.0));
        assert_eq!(value_of(&purchases, "days_since_last_purchase"), Some(0.0));
    }

    #[test]
    fn net_returns_in_the_holdout_floor_the_label_at_zero() {
        let calibration = [day(1, 10.0, 1.0)];
        let holdout = [day(5, -4.0, -1.0), day(6, 1.0, 1.0)];
        let purchases = Purchases {
            calibration: &calibration,
            holdout: &holdout,
            end: 2,
        };
        assert_eq!(value_of(&purchases, "holdout_spend"), Some(0.0));
        assert_eq!(value_of(&purchases, "holdout_net_spend"), Some(-3.0));
        assert_eq!(value_of(&purchases, "holdout_purchases"), Some(2.0));
        assert_eq!(value_of(&purchases, "holdout_quantity"), Some(0.0));
    }
}
