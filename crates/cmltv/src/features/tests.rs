//! The feature builder on a hand-made log with answers worked out by hand, on malformed logs,
//! on Parquet, and on CDNOW against `cmltv_btyd::summarize`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow::array::{ArrayRef, Date32Array, Float64Array, Int64Array, StringArray};
use arrow::record_batch::RecordBatch;
use parquet::arrow::ArrowWriter;

use super::*;
use crate::data::{ColumnData, ReadOptions, Table, read_table};
use crate::error::{Error, RowPosition};

/// Four customers over a calibration window ending 2024-01-31 and a holdout window ending
/// 2024-03-31 (2024-01-01 is a Monday):
///
/// - `007`: buys on 2023-12-15 (a Friday; its row comes last), twice on 2024-01-10 (merged),
///   on 2024-01-25 with a partial return the same day, on 2024-02-15 (holdout), and on
///   2024-04-02 (after the holdout: ignored);
/// - `042`: one purchase on 2024-01-20 (a Saturday), nothing in the holdout window;
/// - `100`: buys only in the holdout window, so it gets no row;
/// - `x9`: buys on the calibration end day, returns it the next day and buys again on the
///   holdout end day: net holdout spend -7, label 0.
const LOG: &str = "\
customer,ts,amount,qty
007,2024-01-10,10.00,1
042,2024-01-20,8.00,1
007,2024-02-15,30.00,2
007,2024-01-10,5.00,2
100,2024-03-01,50.00,1
x9,2024-02-01,-12.00,-1
007,2024-01-25,20.00,1
x9,2024-01-31,12.00,1
007,2024-04-02,100.00,1
007,2024-01-25,-6.00,-1
x9,2024-03-31,5.00,1
007,2023-12-15,4.00,1
";

/// Expected columns for `007`, `042` and `x9`, worked out by hand from [`LOG`]:
///
/// ```text
/// 007: days 12-15 (4, qty 1), 01-10 (10 + 5 = 15, qty 3), 01-25 (20 - 6 = 14, qty 0)
///      recency 01-25 - 12-15 = 41, age 01-31 - 12-15 = 47, repeat spend (15 + 14) / 2
///      last 30 days: days after 01-01, so 01-10 and 01-25
/// 042: one day, 01-20: age 11
/// x9:  one day, 01-31: age 0; holdout -12 + 5 = -7 on two days
/// ```
fn expected() -> Vec<(&'static str, [Option<f64>; 3])> {
    let all = |a: f64, b: f64, c: f64| [Some(a), Some(b), Some(c)];
    vec![
        ("frequency", all(2.0, 0.0, 0.0)),
        ("recency_days", all(41.0, 0.0, 0.0)),
        ("recency_weeks", all(41.0 / 7.0, 0.0, 0.0)),
        ("age_days", all(47.0, 11.0, 0.0)),
        ("age_weeks", all(47.0 / 7.0, 11.0 / 7.0, 0.0)),
        ("mean_repeat_spend", all(14.5, 0.0, 0.0)),
        ("days_since_last_purchase", all(6.0, 11.0, 0.0)),
        ("mean_gap_days", [Some(20.5), None, None]),
        ("transactions", all(5.0, 1.0, 1.0)),
        ("total_spend", all(33.0, 8.0, 12.0)),
        ("mean_spend", all(11.0, 8.0, 12.0)),
        ("max_spend", all(15.0, 8.0, 12.0)),
        ("first_purchase_spend", all(4.0, 8.0, 12.0)),
        ("spend_last_30_days", all(29.0, 8.0, 12.0)),
        ("spend_last_90_days", all(33.0, 8.0, 12.0)),
        ("purchases_last_30_days", all(2.0, 1.0, 1.0)),
        ("purchases_last_90_days", all(3.0, 1.0, 1.0)),
        ("first_purchase_day_of_week", all(5.0, 6.0, 3.0)),
        ("first_purchase_month", all(12.0, 1.0, 1.0)),
        ("first_purchase_quantity", all(1.0, 1.0, 1.0)),
        ("total_quantity", all(4.0, 1.0, 1.0)),
        ("holdout_spend", all(30.0, 0.0, 0.0)),
        ("holdout_purchases", all(1.0, 0.0, 2.0)),
        ("holdout_transactions", all(1.0, 0.0, 2.0)),
        ("holdout_quantity", all(2.0, 0.0, 0.0)),
        ("holdout_net_spend", all(30.0, 0.0, -7.0)),
    ]
}

fn date(text: &str) -> NaiveDate {
    text.parse().expect("a valid date")
}

fn config() -> FeatureConfig {
    let holdout = Holdout::End(date("2024-03-31"));
    FeatureConfig::new("customer", "ts", "amount", date("2024-01-31"), holdout).with_quantity("qty")
}

fn write_log(dir: &tempfile::TempDir, name: &str, contents: &str) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

fn build(contents: &str, config: &FeatureConfig) -> Result<CustomerLog, Error> {
    let dir = tempfile::tempdir().unwrap();
    let path = write_log(&dir, "log.csv", contents);
    read_log(&path, config, &mut |_| {})
}

fn numbers(table: &Table, name: &str) -> Vec<Option<f64>> {
    match &table.require(name).unwrap().data {
        ColumnData::Numeric(values) => values.clone(),
        other => panic!("{name} is not numeric: {other:?}"),
    }
}

fn texts(table: &Table, name: &str) -> Vec<Option<String>> {
    match &table.require(name).unwrap().data {
        ColumnData::Text(values) => values.clone(),
        other => panic!("{name} is not text: {other:?}"),
    }
}

/// Equal up to rounding: the sums of spends are not exact in binary.
fn assert_close(found: &[Option<f64>], expected: &[Option<f64>], name: &str) {
    const TOLERANCE: f64 = 1e-9;
    assert_eq!(found.len(), expected.len(), "{name}");
    for (f, e) in found.iter().zip(expected) {
        let close = match (f, e) {
            (Some(f), Some(e)) => (f - e).abs() <= TOLERANCE * e.abs().max(1.0),
            (None, None) => true,
            _ => false,
        };
        assert!(close, "{name}: found {found:?}, expected {expected:?}");
    }
}

fn assert_hand_made_answers(table: &Table) {
    let ids = texts(table, "customer");
    assert_eq!(
        ids,
        [Some("007".into()), Some("042".into()), Some("x9".into())]
    );
    let names: Vec<&str> = table.columns().iter().map(|c| c.name.as_str()).collect();
    let expected = expected();
    let expected_names: Vec<&str> = expected.iter().map(|(name, _)| *name).collect();
    assert_eq!(names[1..], expected_names[..]);
    for (name, values) in expected {
        assert_close(&numbers(table, name), &values, name);
    }
}

#[test]
fn features_of_the_hand_made_log() {
    let log = build(LOG, &config()).unwrap();
    assert_hand_made_answers(&log.table().unwrap());
    let report = log.report();
    assert_eq!(report.rows, 12);
    assert_eq!(report.after_holdout, 1);
    assert_eq!(report.before_calibration, 0);
    assert_eq!(report.holdout_only_customers, 1);
    assert_eq!(report.bad_rows, 0);
}

#[test]
fn features_without_quantity_leave_out_the_quantity_columns() {
    let mut config = config();
    config.quantity = None;
    let table = build(LOG, &config).unwrap().table().unwrap();
    assert!(table.column("total_quantity").is_none());
    assert!(table.column("holdout_quantity").is_none());
    assert_close(
        &numbers(&table, "total_spend"),
        &[Some(33.0), Some(8.0), Some(12.0)],
        "total_spend",
    );
}

#[test]
fn features_from_a_calibration_start_ignore_earlier_rows() {
    let config = config().with_calibration_start(date("2024-01-01"));
    let log = build(LOG, &config).unwrap();
    let table = log.table().unwrap();
    // 007's first purchase is now 2024-01-10: age 21, one repeat day.
    assert_close(
        &numbers(&table, "age_days"),
        &[Some(21.0), Some(11.0), Some(0.0)],
        "age_days",
    );
    assert_close(
        &numbers(&table, "frequency"),
        &[Some(1.0), Some(0.0), Some(0.0)],
        "frequency",
    );
    assert_eq!(log.report().before_calibration, 1);
}

#[test]
fn features_are_written_atomically_with_ids_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let log = build(LOG, &config()).unwrap();
    for name in ["features.csv", "features.parquet"] {
        let output = dir.path().join(name);
        log.write(&output).unwrap();
        let options = ReadOptions::default().with_text_column("customer");
        let back = read_table(&output, &options).unwrap();
        assert_hand_made_answers(&back);
    }
    let csv = std::fs::read_to_string(dir.path().join("features.csv")).unwrap();
    let second = csv.lines().nth(1).unwrap();
    assert!(second.starts_with("007,2,41,"), "{second}");
    let third = csv.lines().nth(2).unwrap();
    assert!(
        third.ends_with(",0,0,0,0,0"),
        "no holdout purchase, no '-0': {third}"
    );
}

#[test]
fn features_fail_on_bad_rows_naming_file_line_and_column() {
    let log = "customer,ts,amount\n1,2024-01-02,5\n2,2024-13-01,5\n3,2024-01-03,1\n\
               4,2024-01-04,abc\n5,2024-01-05,\n";
    let mut config = config();
    config.quantity = None;
    let dir = tempfile::tempdir().unwrap();
    let path = write_log(&dir, "log.csv", log);
    let error = read_log(&path, &config, &mut |_| {}).unwrap_err();
    let Error::BadRows {
        position,
        ref column,
        count,
        ..
    } = error
    else {
        panic!("expected bad rows, got {error:?}");
    };
    assert_eq!(
        (position, column.as_str(), count),
        (RowPosition::Line(3), "ts", 3)
    );
    let expected = format!(
        "{}: line 3, column 'ts': cannot read '2024-13-01' as a time (time format auto) \
         (and 2 more bad rows)",
        path.display()
    );
    assert_eq!(error.to_string(), expected);
    assert!(error.is_input_error());
}

#[test]
fn features_name_a_bad_amount_and_an_empty_one() {
    let mut config = config();
    config.quantity = None;
    let error = build(
        "customer,ts,amount\n1,2024-01-02,12,5\n2,2024-01-02,1e999\n",
        &config,
    )
    .unwrap_err();
    let message = error.to_string();
    assert!(
        message.ends_with("line 3, column 'amount': inf is not a finite number"),
        "{message}"
    );
    let error = build("customer,ts,amount\n1,2024-01-02,\n", &config).unwrap_err();
    let message = error.to_string();
    let expected = "line 2, column 'amount': the value is empty where a number is needed";
    assert!(message.ends_with(expected), "{message}");
    let error = build("customer,ts,amount\n1,2024-01-02,$12\n", &config).unwrap_err();
    assert!(
        error.to_string().ends_with("cannot read '$12' as a number"),
        "{error}"
    );
}

#[test]
fn features_skip_bad_rows_when_asked() {
    let log = "customer,ts,amount\n1,2024-01-02,5\n2,2024-13-01,5\n3,2024-01-03,1\n\
               4,2024-01-04,abc\n";
    let mut config = config().with_skip_bad_rows(true);
    config.quantity = None;
    let log = build(log, &config).unwrap();
    let report = log.report();
    assert_eq!(report.rows, 4);
    assert_eq!(report.bad_rows, 2);
    assert_eq!(
        report.first_bad_rows,
        [RowPosition::Line(3), RowPosition::Line(5)]
    );
    let ids = texts(&log.table().unwrap(), "customer");
    assert_eq!(ids, [Some("1".into()), Some("3".into())]);
}

#[test]
fn features_need_every_named_column() {
    let error = build("customer,ts,amount\n1,2024-01-02,5\n", &config()).unwrap_err();
    assert!(matches!(error, Error::MissingColumn { .. }), "{error:?}");
    assert!(
        error
            .to_string()
            .ends_with("log.csv: no column named 'qty'"),
        "{error}"
    );
}

#[test]
fn features_refuse_a_log_without_calibration_purchases() {
    let mut config = config();
    config.quantity = None;
    let error = build("customer,ts,amount\n1,2024-02-02,5\n", &config).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("falls in the calibration window"),
        "{error}"
    );
    let error = build("customer,ts,amount\n", &config).unwrap_err();
    assert!(matches!(error, Error::EmptyFile { .. }), "{error:?}");
}

#[test]
fn features_read_whitespace_logs_with_a_time_pattern() {
    let log = " customer   ts  amount qty\r\n 007 10/01/2024 15 3\r\n 042 20/01/2024 8\r\n";
    let config = config()
        .with_time_format("%d/%m/%Y".parse().unwrap())
        .with_skip_bad_rows(true);
    let log = build(log, &config).unwrap();
    assert_eq!(log.report().first_bad_rows, [RowPosition::Line(3)]);
    let table = log.table().unwrap();
    assert_close(&numbers(&table, "age_days"), &[Some(21.0)], "age_days");
    let error = build(
        " customer   ts  amount qty\n 042 20/01/2024 8\n",
        &config.with_skip_bad_rows(false),
    )
    .unwrap_err();
    assert!(
        error
            .to_string()
            .ends_with("line 2, column 'qty': the line ends before this column"),
        "{error}"
    );
}

/// Writes the hand-made log as Parquet: ids as text, days as Date32, amounts as doubles and
/// quantities as integers, in row groups of five rows.
fn parquet_log(dir: &tempfile::TempDir) -> PathBuf {
    let rows: Vec<Vec<&str>> = LOG
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    let ids: Vec<&str> = rows.iter().map(|r| r[0]).collect();
    let days: Vec<i32> = rows.iter().map(|r| day_of(date(r[1])) as i32).collect();
    let amounts: Vec<f64> = rows.iter().map(|r| r[2].parse().unwrap()).collect();
    let quantities: Vec<i64> = rows.iter().map(|r| r[3].parse().unwrap()).collect();
    let columns: Vec<(&str, ArrayRef)> = vec![
        ("customer", Arc::new(StringArray::from(ids))),
        ("ts", Arc::new(Date32Array::from(days))),
        ("amount", Arc::new(Float64Array::from(amounts))),
        ("qty", Arc::new(Int64Array::from(quantities))),
    ];
    let batch = RecordBatch::try_from_iter(columns).unwrap();
    let path = dir.path().join("log.parquet");
    let properties = parquet::file::properties::WriterProperties::builder()
        .set_max_row_group_size(5)
        .build();
    let file = std::fs::File::create(&path).unwrap();
    let mut writer = ArrowWriter::try_new(file, batch.schema(), Some(properties)).unwrap();
    writer.write(&batch).unwrap();
    writer.close().unwrap();
    path
}

#[test]
fn features_of_a_parquet_log_match_the_csv_log() {
    let dir = tempfile::tempdir().unwrap();
    let path = parquet_log(&dir);
    let log = read_log(&path, &config(), &mut |_| {}).unwrap();
    assert_hand_made_answers(&log.table().unwrap());
    assert_eq!(log.report().after_holdout, 1);
}

/// The CDNOW master file, or `None` (with a message) when this checkout lacks it.
fn cdnow() -> Option<PathBuf> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/cdnow/CDNOW_master.txt");
    if path.exists() {
        Some(path)
    } else {
        eprintln!("skipped: the CDNOW file {} is absent", path.display());
        None
    }
}

fn cdnow_config() -> FeatureConfig {
    let holdout = Holdout::End(date("1998-06-30"));
    FeatureConfig::new(
        "customer_id",
        "date",
        "dollar_value",
        date("1997-09-30"),
        holdout,
    )
    .with_quantity("number_of_cds")
}

#[test]
fn features_of_cdnow_match_its_published_figures() {
    let Some(path) = cdnow() else { return };
    let log = read_log(&path, &cdnow_config(), &mut |_| {}).unwrap();
    let table = log.table().unwrap();
    assert_eq!(log.report().rows, 69_659);
    assert_eq!(table.rows(), 23_570);
    assert_eq!(log.report().holdout_only_customers, 0);
    assert_eq!(log.report().after_holdout, 0);

    let label = numbers(&table, "holdout_spend");
    let zeros = label.iter().filter(|y| **y == Some(0.0)).count();
    let share = zeros as f64 / label.len() as f64;
    assert!(
        (share - 0.701).abs() < 0.0005,
        "share of non-buyers {share}"
    );

    let sum = |name: &str| numbers(&table, name).iter().flatten().sum::<f64>();
    let total = sum("total_spend") + sum("holdout_spend");
    assert!((total - 2_500_315.63).abs() < 0.005, "total spend {total}");
    assert_eq!(texts(&table, "customer_id")[0].as_deref(), Some("00001"));
}

/// CDNOW's rows read independently of the builder, as `cmltv_btyd` purchases.
fn cdnow_purchases(path: &Path) -> Vec<cmltv_btyd::Purchase<String>> {
    let text = std::fs::read_to_string(path).unwrap();
    let epoch = date("1970-01-01");
    text.lines()
        .skip(1)
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let day = chrono::NaiveDate::parse_from_str(fields[1], "%Y%m%d").unwrap();
            cmltv_btyd::Purchase {
                customer: fields[0].to_string(),
                day: (day - epoch).num_days(),
                amount: fields[3].parse().unwrap(),
            }
        })
        .collect()
}

#[test]
fn features_of_cdnow_agree_with_btyd_summaries() {
    use cmltv_btyd::{TimeUnit, summarize, summarize_holdout};

    let Some(path) = cdnow() else { return };
    let table = read_log(&path, &cdnow_config(), &mut |_| {})
        .unwrap()
        .table()
        .unwrap();
    let purchases = cdnow_purchases(&path);
    let (end, holdout_end) = (day_of(date("1997-09-30")), day_of(date("1998-06-30")));
    let summaries = summarize(&purchases, end, TimeUnit::Weeks).unwrap();
    let holdout = summarize_holdout(&purchases, end, holdout_end).unwrap();
    assert_eq!(summaries.len(), table.rows());

    let ids = texts(&table, "customer_id");
    let column = |name: &str| numbers(&table, name);
    let (frequency, recency, age) = (
        column("frequency"),
        column("recency_weeks"),
        column("age_weeks"),
    );
    let (repeat_spend, label, purchases_after) = (
        column("mean_repeat_spend"),
        column("holdout_spend"),
        column("holdout_purchases"),
    );
    for (row, id) in ids.iter().enumerate() {
        let id = id.as_deref().unwrap();
        let summary = summaries[id];
        let after = holdout.get(id).copied().unwrap_or_default();
        let name = format!("customer {id}");
        assert_close(
            &[frequency[row]],
            &[Some(f64::from(summary.frequency))],
            &name,
        );
        assert_close(&[recency[row]], &[Some(summary.recency)], &name);
        assert_close(&[age[row]], &[Some(summary.age)], &name);
        assert_close(
            &[repeat_spend[row]],
            &[Some(summary.mean_repeat_spend)],
            &name,
        );
        assert_close(&[label[row]], &[Some(after.spend)], &name);
        assert_close(
            &[purchases_after[row]],
            &[Some(f64::from(after.purchases))],
            &name,
        );
    }
    // The convention check of the brief: first purchase 1997-01-01, age 38.857 weeks.
    assert_close(&[age[0]], &[Some(272.0 / 7.0)], "customer 00001");
}
