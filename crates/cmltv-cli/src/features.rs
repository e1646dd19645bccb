//! `cmltv features`.

use std::path::PathBuf;

use anyhow::Context;
use cmltv::features::{
    CustomerLog, Delimiter, FeatureConfig, Holdout, NaiveDate, TimeFormat, read_log,
};

use crate::progress::rows_spinner;

/// Arguments of `cmltv features`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Transaction log: text with a header row (comma, tab, semicolon or runs of spaces) or
    /// Parquet.
    #[arg(long, value_name = "FILE")]
    transactions: PathBuf,
    /// Customer id column; written under its own name, as text.
    #[arg(long, value_name = "COL")]
    customer: String,
    /// Purchase time column.
    #[arg(long, value_name = "COL")]
    time: String,
    /// Amount column; negative amounts are returns and reduce spend.
    #[arg(long, value_name = "COL")]
    amount: String,
    /// Quantity column (items bought).
    #[arg(long, value_name = "COL")]
    quantity: Option<String>,
    /// First day of the calibration window, YYYY-MM-DD; earlier rows are ignored [default:
    /// the first transaction].
    #[arg(long, value_name = "DATE")]
    calibration_start: Option<NaiveDate>,
    /// Last day of the calibration window, included, YYYY-MM-DD.
    #[arg(long, value_name = "DATE")]
    calibration_end: NaiveDate,
    /// Last day of the holdout window, included, YYYY-MM-DD.
    #[arg(
        long,
        value_name = "DATE",
        required_unless_present = "horizon",
        conflicts_with = "horizon"
    )]
    holdout_end: Option<NaiveDate>,
    /// Length of the holdout window in days after the calibration end.
    #[arg(long, value_name = "DAYS")]
    horizon: Option<u32>,
    /// How times are written: auto (YYYYMMDD, ISO dates and times, Unix seconds), unix, or a
    /// strftime pattern such as %d/%m/%Y.
    #[arg(long, value_name = "FMT", default_value = "auto")]
    time_format: TimeFormat,
    /// Field separator of a text log: auto, whitespace, tab, comma, semicolon, pipe or one
    /// character.
    #[arg(long, default_value = "auto")]
    delimiter: Delimiter,
    /// Leave out rows whose time, amount or quantity cannot be read (with a warning) instead
    /// of failing.
    #[arg(long)]
    skip_bad_rows: bool,
    /// Output table, `.csv` or `.parquet`; written atomically.
    #[arg(long, value_name = "FILE")]
    output: PathBuf,
}

pub fn run(args: Args, quiet: bool) -> anyhow::Result<()> {
    let config = config(&args);

    // Read the log in one pass, counting rows on a spinner.
    let spinner = rows_spinner(quiet);
    let log = read_log(&args.transactions, &config, &mut |rows| {
        spinner.set_position(rows as u64);
    });
    spinner.finish_and_clear();
    let log = log.with_context(|| {
        let skip = if args.skip_bad_rows {
            ""
        } else {
            " (--skip-bad-rows leaves bad rows out)"
        };
        format!(
            "cannot build features from {}{skip}",
            args.transactions.display()
        )
    })?;

    // Write one row per customer.
    log.write(&args.output)?;
    if !quiet {
        eprintln!("{}", summary(&log, &args));
    }
    Ok(())
}

/// The builder's settings from the arguments.
fn config(args: &Args) -> FeatureConfig {
    let holdout = match (args.holdout_end, args.horizon) {
        (Some(end), _) => Holdout::End(end),
        (None, days) => Holdout::Days(days.expect("clap requires --holdout-end or --horizon")),
    };
    let mut config = FeatureConfig::new(
        &args.customer,
        &args.time,
        &args.amount,
        args.calibration_end,
        holdout,
    )
    .with_time_format(args.time_format.clone())
    .with_delimiter(args.delimiter)
    .with_skip_bad_rows(args.skip_bad_rows);
    if let Some(quantity) = &args.quantity {
        config = config.with_quantity(quantity);
    }
    if let Some(start) = args.calibration_start {
        config = config.with_calibration_start(start);
    }
    config
}

/// One line on what was read and written.
fn summary(log: &CustomerLog, args: &Args) -> String {
    let report = log.report();
    let mut notes = vec![format!("{} rows read", report.rows)];
    let counts = [
        (report.bad_rows, "bad rows skipped"),
        (
            report.before_calibration,
            "rows before the calibration start ignored",
        ),
        (report.after_holdout, "rows after the holdout end ignored"),
        (
            report.holdout_only_customers,
            "customers who bought only in the holdout window left out",
        ),
    ];
    for (count, what) in counts.into_iter().filter(|(count, _)| *count > 0) {
        notes.push(format!("{count} {what}"));
    }
    format!(
        "wrote {} customers to {} ({})",
        log.customers(),
        args.output.display(),
        notes.join("; ")
    )
}
