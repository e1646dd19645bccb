//! End-to-end tests of `cmltv features` in temporary directories.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use tempfile::TempDir;

mod common;

use common::{QUICK_CONFIG, cmltv, s, text};

fn write(dir: &TempDir, name: &str, contents: &str) -> PathBuf {
    let path = dir.path().join(name);
    fs::write(&path, contents).unwrap();
    path
}

/// `cmltv features` on `log` with the CDNOW-like column names and windows, plus `extra`.
fn features(log: &Path, output: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "features",
        "--transactions",
        s(log),
        "--customer",
        "customer_id",
        "--time",
        "date",
        "--amount",
        "dollar_value",
        "--calibration-end",
        "1997-09-30",
        "--output",
        s(output),
    ];
    args.extend_from_slice(extra);
    cmltv(&args)
}

/// A whitespace-separated log in CDNOW's layout: `customers` customers, deterministic, about
/// one in three buying again in the holdout window.
fn cdnow_like_log(customers: usize) -> String {
    let mut log = String::from(" customer_id  date number_of_cds  dollar_value\r\n");
    for id in 1..=customers {
        let day = 1 + id % 28;
        let cds = 1 + id % 3;
        let _ = write!(
            log,
            " {id:05} 199701{day:02}  {cds}   {}.{:02}\r\n",
            10 + id % 37,
            id % 100
        );
        if id % 3 == 0 {
            let spend = 5 + (id * 7) % 90;
            let _ = write!(log, " {id:05} 199712{day:02}  1   {spend}.00\r\n");
        }
        if id % 4 == 0 {
            let _ = write!(log, " {id:05} 199705{day:02}  2   20.00\r\n");
        }
    }
    log
}

#[test]
fn features_writes_one_row_per_customer() {
    let dir = TempDir::new().unwrap();
    let log = write(&dir, "log.txt", &cdnow_like_log(40));
    let output = dir.path().join("features.csv");
    let out = features(
        &log,
        &output,
        &["--quantity", "number_of_cds", "--holdout-end", "1998-06-30"],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("wrote 40 customers"), "{}", text(&out));

    let written = fs::read_to_string(&output).unwrap();
    let header: Vec<&str> = written.lines().next().unwrap().split(',').collect();
    for column in [
        "customer_id",
        "frequency",
        "recency_weeks",
        "age_weeks",
        "mean_repeat_spend",
        "total_quantity",
        "holdout_spend",
        "holdout_purchases",
    ] {
        assert!(header.contains(&column), "{column} not in {header:?}");
    }
    assert_eq!(header[0], "customer_id");
    assert_eq!(written.lines().count(), 41);
    assert!(written.lines().nth(1).unwrap().starts_with("00001,"));
}

#[test]
fn features_takes_a_horizon_but_not_both_ends() {
    let dir = TempDir::new().unwrap();
    let log = write(&dir, "log.txt", &cdnow_like_log(10));
    let output = dir.path().join("features.parquet");
    let out = features(&log, &output, &["--horizon", "273", "--quiet"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(output.exists());
    assert_eq!(text(&out), "", "--quiet prints nothing");

    let both = ["--horizon", "273", "--holdout-end", "1998-06-30"];
    assert_eq!(features(&log, &output, &both).status.code(), Some(2));
    assert_eq!(features(&log, &output, &[]).status.code(), Some(2));
}

#[test]
fn features_exits_2_on_a_bad_row_and_writes_nothing() {
    let dir = TempDir::new().unwrap();
    let log = "customer_id,date,dollar_value\n00001,1997-01-01,10\n00002,1997-02-30,5\n\
               00003,1997-03-01,x\n";
    let log = write(&dir, "log.csv", log);
    let output = dir.path().join("features.csv");
    let out = features(&log, &output, &["--horizon", "90"]);
    let message = text(&out);
    assert_eq!(out.status.code(), Some(2), "{message}");
    for needle in [
        s(&log),
        "line 3, column 'date'",
        "cannot read '1997-02-30' as a time",
        "(and 1 more bad row)",
        "--skip-bad-rows",
    ] {
        assert!(message.contains(needle), "'{needle}' not in: {message}");
    }
    assert!(!output.exists());

    let out = features(&log, &output, &["--horizon", "90", "--skip-bad-rows"]);
    let message = text(&out);
    assert!(out.status.success(), "{message}");
    assert!(
        message.contains("skipped 2 bad rows (line 3, line 4)"),
        "{message}"
    );
    assert!(message.contains("2 bad rows skipped"), "{message}");
    assert_eq!(fs::read_to_string(&output).unwrap().lines().count(), 2);
}

#[test]
fn features_exits_2_on_a_missing_column_or_file() {
    let dir = TempDir::new().unwrap();
    let log = write(
        &dir,
        "log.csv",
        "customer_id,day,dollar_value\n1,1997-01-01,1\n",
    );
    let output = dir.path().join("features.csv");
    let out = features(&log, &output, &["--horizon", "90"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("no column named 'date'"),
        "{}",
        text(&out)
    );

    let absent = dir.path().join("absent.csv");
    let out = features(&absent, &output, &["--horizon", "90"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
}

#[test]
fn a_feature_table_trains_without_its_holdout_columns() {
    let dir = TempDir::new().unwrap();
    let log = write(&dir, "log.txt", &cdnow_like_log(600));
    let table = dir.path().join("features.csv");
    let out = features(
        &log,
        &table,
        &["--quantity", "number_of_cds", "--horizon", "273"],
    );
    assert!(out.status.success(), "{}", text(&out));

    let config = write(&dir, "quick.toml", QUICK_CONFIG);
    let model = dir.path().join("model");
    let out = cmltv(&[
        "train",
        "--data",
        s(&table),
        "--label",
        "holdout_spend",
        "--id",
        "customer_id",
        "--config",
        s(&config),
        "--model",
        s(&model),
        "--quiet",
    ]);
    assert!(out.status.success(), "{}", text(&out));
    let preprocessing = fs::read_to_string(model.join("preprocessing.json")).unwrap();
    assert!(preprocessing.contains("\"frequency\""), "{preprocessing}");
    assert!(!preprocessing.contains("holdout_"), "{preprocessing}");
}
