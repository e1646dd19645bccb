//! What the builder keeps of one customer while it reads the log.
//!
//! A customer is a short vector of [`DayTotal`]s, one per distinct purchase day inside the
//! calibration and holdout windows, sorted by day: transactions of one day are merged into
//! their day as they arrive, in any order. Memory therefore grows with customers and their
//! purchase days, never with the number of transactions.

/// Purchase days below which the vector grows one slot at a time: most customers buy on a
/// few days only, and doubling would leave most of their slots empty.
const SMALL: usize = 8;

/// What one customer bought on one day.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct DayTotal {
    /// Day number (days since 1970-01-01).
    pub day: i32,
    /// Transactions merged into this day.
    pub transactions: u32,
    /// Their total spend; returns (negative amounts) reduce it.
    pub spend: f64,
    /// Their total quantity (0 when the log has no quantity column).
    pub quantity: f64,
}

/// The purchase days of one customer, sorted by day.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct CustomerHistory {
    days: Vec<DayTotal>,
}

impl CustomerHistory {
    /// Adds one transaction, merging it into its day when that day is already there.
    pub(super) fn add(&mut self, day: i32, spend: f64, quantity: f64) {
        match self.days.binary_search_by_key(&day, |total| total.day) {
            Ok(at) => {
                let total = &mut self.days[at];
                total.transactions = total.transactions.saturating_add(1);
                total.spend += spend;
                total.quantity += quantity;
            }
            Err(at) => {
                if self.days.len() < SMALL {
                    self.days.reserve_exact(1);
                }
                let total = DayTotal {
                    day,
                    transactions: 1,
                    spend,
                    quantity,
                };
                self.days.insert(at, total);
            }
        }
    }

    /// The purchase days up to and including `end`, and those after it.
    pub(super) fn split_at(&self, end: i32) -> (&[DayTotal], &[DayTotal]) {
        let at = self.days.partition_point(|total| total.day <= end);
        self.days.split_at(at)
    }

    /// Whether the customer bought anything on or before `end`.
    pub(super) fn bought_by(&self, end: i32) -> bool {
        self.days.first().is_some_and(|total| total.day <= end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn days(history: &CustomerHistory) -> Vec<(i32, u32, f64, f64)> {
        let (before, after) = history.split_at(i32::MAX);
        assert!(after.is_empty());
        let tuple = |t: &DayTotal| (t.day, t.transactions, t.spend, t.quantity);
        before.iter().map(tuple).collect()
    }

    #[test]
    fn transactions_merge_into_sorted_days_in_any_order() {
        let mut history = CustomerHistory::default();
        history.add(10, 5.0, 1.0);
        history.add(3, 2.0, 1.0);
        history.add(10, -1.5, 0.0);
        history.add(7, 4.0, 2.0);
        history.add(3, 1.0, 3.0);
        assert_eq!(
            days(&history),
            [(3, 2, 3.0, 4.0), (7, 1, 4.0, 2.0), (10, 2, 3.5, 1.0)]
        );
    }

    #[test]
    fn split_at_keeps_the_end_day_in_the_first_part() {
        let mut history = CustomerHistory::default();
        for day in [4, 5, 6] {
            history.add(day, 1.0, 0.0);
        }
        let (calibration, holdout) = history.split_at(5);
        assert_eq!((calibration.len(), holdout.len()), (2, 1));
        assert!(history.bought_by(4));
        assert!(!history.bought_by(3));
        assert!(!CustomerHistory::default().bought_by(i32::MAX));
    }

    #[test]
    fn few_days_take_no_spare_slots() {
        let mut history = CustomerHistory::default();
        history.add(1, 1.0, 0.0);
        history.add(2, 1.0, 0.0);
        assert_eq!(history.days.capacity(), 2);
    }
}
