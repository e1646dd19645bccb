//! The feature builder: one streaming pass over the log into per-customer histories, then
//! one table row per customer.
//!
//! Bad rows (a time or amount that does not parse, an empty customer id, a short line) are
//! counted during the pass. By default the build then fails with [`Error::BadRows`], naming
//! the first bad row's line and column and the number of bad rows; with
//! [`FeatureConfig::skip_bad_rows`] they are left out and a warning lists the first few.
//! Rows outside both windows are ignored, and customers who bought only in the holdout window
//! get no row: nothing is known of them at the calibration end.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::config::{FeatureConfig, Windows};
use super::customer::CustomerHistory;
use super::definitions::{Purchases, columns};
use super::log::{Cell, Role, for_each_row};
use crate::data::{Column, ColumnKind, Table, TableWriter};
use crate::error::{Error, Result, RowPosition};

/// Rows between two calls of the progress callback.
const PROGRESS_ROWS: usize = 1 << 16;

/// Customers per batch written to the output.
const BATCH_CUSTOMERS: usize = 8192;

/// Bad rows whose positions a report keeps.
const KEPT_POSITIONS: usize = 10;

/// What a pass over the log met.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadReport {
    /// Data rows read.
    pub rows: usize,
    /// Rows that could not be read (skipped with `skip_bad_rows`).
    pub bad_rows: usize,
    /// Positions of the first bad rows, at most ten.
    pub first_bad_rows: Vec<RowPosition>,
    /// Rows dated before the calibration start.
    pub before_calibration: usize,
    /// Rows dated after the holdout end.
    pub after_holdout: usize,
    /// Customers whose purchases all fall in the holdout window (no row in the table).
    pub holdout_only_customers: usize,
}

/// The customers of a log, read and ready to become a feature table.
#[derive(Debug, Clone)]
pub struct CustomerLog {
    source: PathBuf,
    customer_column: String,
    with_quantity: bool,
    calibration_end: i32,
    /// Sorted by id; every customer bought in the calibration window.
    customers: Vec<(Box<str>, CustomerHistory)>,
    report: ReadReport,
}

/// Reads the transaction log in `path` in one streaming pass; `progress` is called now and
/// then with the number of rows read so far.
///
/// # Errors
///
/// - [`Error::InvalidSetting`] for bad settings (see [`FeatureConfig`]) or when no
///   transaction falls in the calibration window;
/// - [`Error::Io`], [`Error::EmptyFile`], [`Error::MissingColumn`] and [`Error::Format`] when
///   the file cannot be read as a log with these columns;
/// - [`Error::BadRows`] when a row cannot be read and `skip_bad_rows` is off.
///
/// # Example
///
/// ```no_run
/// use std::path::Path;
/// use cmltv::features::{FeatureConfig, Holdout, NaiveDate, read_log};
///
/// let end = NaiveDate::from_ymd_opt(1997, 9, 30).expect("a valid date");
/// let config = FeatureConfig::new("customer_id", "date", "dollar_value", end, Holdout::Days(273))
///     .with_quantity("number_of_cds");
/// let log = read_log(Path::new("CDNOW_master.txt"), &config, &mut |_| {})?;
/// log.write(Path::new("cdnow_features.parquet"))?;
/// # Ok::<(), cmltv::Error>(())
/// ```
pub fn read_log(
    path: &Path,
    config: &FeatureConfig,
    progress: &mut dyn FnMut(usize),
) -> Result<CustomerLog> {
    let windows = config.windows()?;
    let mut pass = Pass::new(config, windows);
    let names = config.log_columns();
    let roles = [Role::Key, Role::Time, Role::Number, Role::Number];
    let columns: Vec<(&str, Role)> = names.iter().copied().zip(roles).collect();
    for_each_row(path, config.delimiter, &columns, &mut |position, cells| {
        pass.visit(position, cells);
        if pass.report.rows.is_multiple_of(PROGRESS_ROWS) {
            progress(pass.report.rows);
        }
        Ok(())
    })?;
    progress(pass.report.rows);
    pass.finish(path, config, &names)
}

impl CustomerLog {
    /// Number of customers, which is the number of table rows.
    pub fn customers(&self) -> usize {
        self.customers.len()
    }

    /// What the pass over the log met.
    pub fn report(&self) -> &ReadReport {
        &self.report
    }

    /// The table's columns: the customer id (text), then the numeric features and outcomes.
    pub fn schema(&self) -> Vec<(String, ColumnKind)> {
        let id = (self.customer_column.clone(), ColumnKind::Text);
        let numeric =
            columns(self.with_quantity).map(|d| (d.name.to_string(), ColumnKind::Numeric));
        std::iter::once(id).chain(numeric).collect()
    }

    /// The whole feature table in memory, one row per customer, sorted by customer id.
    ///
    /// # Errors
    ///
    /// [`Error::Format`] only if the columns were inconsistent, which would be a bug.
    pub fn table(&self) -> Result<Table> {
        self.batch(&self.customers)
    }

    /// Writes the feature table to `path` (CSV, TSV or Parquet by extension) in batches,
    /// atomically: nothing appears at `path` unless the whole table is written.
    ///
    /// # Errors
    ///
    /// As [`TableWriter::create`], [`TableWriter::write`] and [`TableWriter::finish`].
    pub fn write(&self, path: &Path) -> Result<()> {
        let mut writer = TableWriter::create(path, &self.schema())?;
        for customers in self.customers.chunks(BATCH_CUSTOMERS) {
            writer.write(&self.batch(customers)?)?;
        }
        writer.finish()
    }

    /// The table rows of `customers`.
    fn batch(&self, customers: &[(Box<str>, CustomerHistory)]) -> Result<Table> {
        let ids = customers.iter().map(|(id, _)| Some(id.to_string()));
        let mut table = vec![Column::text(&self.customer_column, ids.collect())];
        let purchases: Vec<Purchases<'_>> = customers
            .iter()
            .map(|(_, history)| {
                let (calibration, holdout) = history.split_at(self.calibration_end);
                Purchases {
                    calibration,
                    holdout,
                    end: self.calibration_end,
                }
            })
            .collect();
        for definition in columns(self.with_quantity) {
            let values = purchases.iter().map(|p| (definition.value)(p));
            table.push(Column::numeric(definition.name, values.collect()));
        }
        Table::new(&self.source, table)
    }
}

/// One parsed row of the log.
struct Transaction<'a> {
    customer: &'a str,
    day: i64,
    amount: f64,
    quantity: f64,
}

/// The state of the pass: the customers so far, the report and the first bad row.
struct Pass<'c> {
    config: &'c FeatureConfig,
    windows: Windows,
    customers: HashMap<Box<str>, CustomerHistory>,
    report: ReadReport,
    /// The first bad row: where, which column (by index) and what is wrong.
    first_bad: Option<(RowPosition, usize, String)>,
}

impl<'c> Pass<'c> {
    fn new(config: &'c FeatureConfig, windows: Windows) -> Self {
        Pass {
            config,
            windows,
            customers: HashMap::new(),
            report: ReadReport::default(),
            first_bad: None,
        }
    }

    /// Reads one row into its customer's history, or counts it as bad.
    fn visit(&mut self, position: RowPosition, cells: &[Cell<'_>]) {
        self.report.rows += 1;
        match transaction(cells, self.config) {
            Ok(transaction) => self.add(transaction),
            Err((column, message)) => self.bad_row(position, column, message),
        }
    }

    /// Adds a transaction that falls in one of the windows.
    fn add(&mut self, transaction: Transaction<'_>) {
        let Windows {
            start, holdout_end, ..
        } = self.windows;
        if transaction.day < start {
            self.report.before_calibration += 1;
            return;
        }
        if transaction.day > holdout_end {
            self.report.after_holdout += 1;
            return;
        }
        let day = i32::try_from(transaction.day).expect("days inside the windows fit in i32");
        let (amount, quantity) = (transaction.amount, transaction.quantity);
        if let Some(history) = self.customers.get_mut(transaction.customer) {
            history.add(day, amount, quantity);
            return;
        }
        let history = self.customers.entry(transaction.customer.into());
        history.or_default().add(day, amount, quantity);
    }

    fn bad_row(&mut self, position: RowPosition, column: usize, message: String) {
        self.report.bad_rows += 1;
        if self.report.first_bad_rows.len() < KEPT_POSITIONS {
            self.report.first_bad_rows.push(position);
        }
        self.first_bad.get_or_insert((position, column, message));
    }

    /// Sorts the customers, drops those without a calibration purchase, and judges the bad
    /// rows.
    fn finish(
        mut self,
        path: &Path,
        config: &FeatureConfig,
        names: &[&str],
    ) -> Result<CustomerLog> {
        if let Some((position, column, message)) = self.first_bad.take() {
            let error = Error::BadRows {
                path: path.to_path_buf(),
                position,
                column: names[column].to_string(),
                message,
                count: self.report.bad_rows,
            };
            if !config.skip_bad_rows {
                return Err(error);
            }
            warn_skipped(&self.report, &error);
        }
        if self.report.rows == 0 {
            return Err(Error::EmptyFile {
                path: path.to_path_buf(),
            });
        }

        let end = i32::try_from(self.windows.calibration_end).expect("dates fit in i32");
        let mut customers: Vec<_> = self.customers.into_iter().collect();
        let everyone = customers.len();
        customers.retain(|(_, history)| history.bought_by(end));
        self.report.holdout_only_customers = everyone - customers.len();
        if customers.is_empty() {
            return Err(no_customers(path, config));
        }
        customers.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        tracing::info!(
            path = %path.display(),
            rows = self.report.rows,
            customers = customers.len(),
            "read transaction log"
        );
        Ok(CustomerLog {
            source: path.to_path_buf(),
            customer_column: config.customer.clone(),
            with_quantity: config.quantity.is_some(),
            calibration_end: end,
            customers,
            report: self.report,
        })
    }
}

/// Warns that bad rows were skipped, with the first positions and the first error.
fn warn_skipped(report: &ReadReport, first: &Error) {
    let positions: Vec<String> = report
        .first_bad_rows
        .iter()
        .map(|p| p.to_string())
        .collect();
    let more = if report.bad_rows > positions.len() {
        ", ..."
    } else {
        ""
    };
    let plural = if report.bad_rows == 1 { "" } else { "s" };
    tracing::warn!(
        "skipped {} bad row{plural} ({}{more}); the first: {first}",
        report.bad_rows,
        positions.join(", ")
    );
}

fn no_customers(path: &Path, config: &FeatureConfig) -> Error {
    Error::InvalidSetting {
        name: "calibration_end".to_string(),
        value: config.calibration_end.to_string(),
        reason: format!(
            "no transaction of {} falls in the calibration window",
            path.display()
        ),
    }
}

/// Parses a row's cells (customer, time, amount, optional quantity); on failure, the index
/// of the bad column and what is wrong.
fn transaction<'a>(
    cells: &[Cell<'a>],
    config: &FeatureConfig,
) -> std::result::Result<Transaction<'a>, (usize, String)> {
    let customer = customer(cells[0]).map_err(|m| (0, m))?;
    let day = day(cells[1], config).map_err(|m| (1, m))?;
    let amount = number(cells[2]).map_err(|m| (2, m))?;
    let quantity = match cells.get(3) {
        Some(&cell) => number(cell).map_err(|m| (3, m))?,
        None => 0.0,
    };
    Ok(Transaction {
        customer,
        day,
        amount,
        quantity,
    })
}

fn customer(cell: Cell<'_>) -> std::result::Result<&str, String> {
    match cell {
        Cell::Text(text) => Ok(text),
        other => Err(unreadable(other, "a customer id")),
    }
}

fn day(cell: Cell<'_>, config: &FeatureConfig) -> std::result::Result<i64, String> {
    match cell {
        Cell::Day(day) => Ok(day),
        Cell::Text(text) => config.time_format.parse_day(text).ok_or_else(|| {
            format!(
                "cannot read '{text}' as a time (time format {})",
                config.time_format
            )
        }),
        other => Err(unreadable(other, "a time")),
    }
}

fn number(cell: Cell<'_>) -> std::result::Result<f64, String> {
    let value = match cell {
        Cell::Number(value) => value,
        Cell::Text(text) => text
            .parse()
            .map_err(|_| format!("cannot read '{text}' as a number"))?,
        other => return Err(unreadable(other, "a number")),
    };
    if value.is_finite() {
        Ok(value)
    } else {
        Err(format!("{value} is not a finite number"))
    }
}

/// The message for a cell that holds no usable value.
fn unreadable(cell: Cell<'_>, wanted: &str) -> String {
    match cell {
        Cell::Absent => "the line ends before this column".to_string(),
        Cell::Empty => format!("the value is empty where {wanted} is needed"),
        Cell::NotText => "the value is not UTF-8 text".to_string(),
        other => format!("{other:?} is not {wanted}"),
    }
}
