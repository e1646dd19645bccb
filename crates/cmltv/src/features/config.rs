//! What the feature builder needs to know: the log's columns, how to read them, and the
//! calibration and holdout windows.

use chrono::NaiveDate;

use super::definitions::COLUMNS;
use super::log::Delimiter;
use super::time::{TimeFormat, day_of};
use crate::error::{Error, Result};

/// Where the holdout window ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holdout {
    /// On this day, included.
    End(NaiveDate),
    /// This many days after the calibration end day.
    Days(u32),
}

/// Settings of the feature builder. `with_*` setters change the optional ones.
#[derive(Debug, Clone, PartialEq)]
pub struct FeatureConfig {
    /// Customer id column; written to the table under its own name, as text.
    pub customer: String,
    /// Purchase time column.
    pub time: String,
    /// Amount column; negative amounts are returns and reduce spend.
    pub amount: String,
    /// Optional quantity column (items bought).
    pub quantity: Option<String>,
    /// Transactions before this day are left out; `None` keeps the whole start of the log.
    pub calibration_start: Option<NaiveDate>,
    /// Last day of the calibration window, included.
    pub calibration_end: NaiveDate,
    /// End of the holdout window, which starts the day after `calibration_end`.
    pub holdout: Holdout,
    /// How the time column is written.
    pub time_format: TimeFormat,
    /// How the fields of a text log are separated.
    pub delimiter: Delimiter,
    /// Skip rows whose time or amount cannot be read (with a warning) instead of failing.
    pub skip_bad_rows: bool,
}

/// The windows as day numbers: calibration `[start, calibration_end]`, holdout
/// `(calibration_end, holdout_end]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Windows {
    pub start: i64,
    pub calibration_end: i64,
    pub holdout_end: i64,
}

impl FeatureConfig {
    /// A configuration with the required settings; the others take their defaults (no
    /// quantity, no calibration start, automatic time format and delimiter, fail on bad rows).
    pub fn new(
        customer: impl Into<String>,
        time: impl Into<String>,
        amount: impl Into<String>,
        calibration_end: NaiveDate,
        holdout: Holdout,
    ) -> Self {
        FeatureConfig {
            customer: customer.into(),
            time: time.into(),
            amount: amount.into(),
            quantity: None,
            calibration_start: None,
            calibration_end,
            holdout,
            time_format: TimeFormat::Auto,
            delimiter: Delimiter::Auto,
            skip_bad_rows: false,
        }
    }

    /// Sets [`quantity`](Self::quantity).
    pub fn with_quantity(mut self, column: impl Into<String>) -> Self {
        self.quantity = Some(column.into());
        self
    }

    /// Sets [`calibration_start`](Self::calibration_start).
    pub fn with_calibration_start(mut self, start: NaiveDate) -> Self {
        self.calibration_start = Some(start);
        self
    }

    /// Sets [`time_format`](Self::time_format).
    pub fn with_time_format(mut self, format: TimeFormat) -> Self {
        self.time_format = format;
        self
    }

    /// Sets [`delimiter`](Self::delimiter).
    pub fn with_delimiter(mut self, delimiter: Delimiter) -> Self {
        self.delimiter = delimiter;
        self
    }

    /// Sets [`skip_bad_rows`](Self::skip_bad_rows).
    pub fn with_skip_bad_rows(mut self, skip: bool) -> Self {
        self.skip_bad_rows = skip;
        self
    }

    /// The last day of the holdout window.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidSetting`] for a holdout of 0 days, one that ends on or before the
    /// calibration end, or one past chrono's last date.
    pub fn holdout_end(&self) -> Result<NaiveDate> {
        let end = match self.holdout {
            Holdout::End(end) => Some(end),
            Holdout::Days(days) => self
                .calibration_end
                .checked_add_days(chrono::Days::new(u64::from(days))),
        };
        match end {
            Some(end) if end > self.calibration_end => Ok(end),
            _ => Err(Error::InvalidSetting {
                name: "holdout".to_string(),
                value: format!("{:?}", self.holdout),
                reason: format!(
                    "the holdout window must end after the calibration end {}",
                    self.calibration_end
                ),
            }),
        }
    }

    /// Checks the settings and returns the windows in day numbers.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidSetting`] for a bad holdout (see [`holdout_end`](Self::holdout_end)), a
    /// calibration start after its end, or a customer column whose name is one of the
    /// table's own columns.
    pub(super) fn windows(&self) -> Result<Windows> {
        let holdout_end = self.holdout_end()?;
        let start = self.calibration_start.map_or(i64::MIN, day_of);
        if let Some(start) = self.calibration_start.filter(|s| *s > self.calibration_end) {
            return Err(invalid(
                "calibration_start",
                start,
                format!("it is after the calibration end {}", self.calibration_end),
            ));
        }
        if COLUMNS.iter().any(|column| column.name == self.customer) {
            let reason = "the feature table has a column of that name; rename the column";
            return Err(invalid("customer", &self.customer, reason.to_string()));
        }
        Ok(Windows {
            start,
            calibration_end: day_of(self.calibration_end),
            holdout_end: day_of(holdout_end),
        })
    }

    /// The log's columns to read, in the order customer, time, amount, quantity.
    pub(super) fn log_columns(&self) -> Vec<&str> {
        let required = [&self.customer, &self.time, &self.amount];
        let columns = required.into_iter().chain(&self.quantity);
        columns.map(String::as_str).collect()
    }
}

fn invalid(name: &str, value: impl std::fmt::Display, reason: String) -> Error {
    Error::InvalidSetting {
        name: name.to_string(),
        value: value.to_string(),
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn config(holdout: Holdout) -> FeatureConfig {
        FeatureConfig::new("id", "date", "amount", date("1997-09-30"), holdout)
    }

    #[test]
    fn a_horizon_in_days_ends_the_holdout() {
        let config = config(Holdout::Days(273));
        assert_eq!(config.holdout_end().unwrap(), date("1998-06-30"));
        let windows = config.windows().unwrap();
        assert_eq!(windows.holdout_end - windows.calibration_end, 273);
        assert_eq!(windows.start, i64::MIN);
    }

    #[test]
    fn empty_or_backward_holdouts_are_refused() {
        for holdout in [Holdout::Days(0), Holdout::End(date("1997-09-30"))] {
            let error = config(holdout).windows().unwrap_err();
            assert!(matches!(error, Error::InvalidSetting { .. }), "{error:?}");
            assert!(error.to_string().contains("must end after"), "{error}");
        }
    }

    #[test]
    fn a_late_start_and_a_clashing_customer_column_are_refused() {
        let late = config(Holdout::Days(1)).with_calibration_start(date("1997-10-01"));
        let error = late.windows().unwrap_err();
        assert!(
            error.to_string().contains("calibration_start = 1997-10-01"),
            "{error}"
        );
        let mut clash = config(Holdout::Days(1));
        clash.customer = "frequency".to_string();
        let error = clash.windows().unwrap_err();
        assert!(
            error.to_string().contains("customer = frequency"),
            "{error}"
        );
    }

    #[test]
    fn log_columns_follow_the_settings() {
        let config = config(Holdout::Days(1)).with_quantity("cds");
        assert_eq!(config.log_columns(), ["id", "date", "amount", "cds"]);
    }
}
