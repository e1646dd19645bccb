//! Tests of the whole simulator: determinism, payer rate, tail shape and the oracle.

use super::batch::{LABEL_COLUMN, ORACLE_COLUMN, simulate};
use super::calibrate::calibrate;
use super::*;
use crate::data::{ColumnData, Table};

/// Rows for the statistical checks.
const ROWS: usize = 400_000;
/// Largest accepted |z| of a sample mean against its expectation; with about 25 checks a
/// correct simulator exceeds it with probability under 1e-3.
const Z_LIMIT: f64 = 4.5;

/// A numeric column of all batches, with missing cells as NaN.
fn numeric(tables: &[Table], name: &str) -> Vec<f64> {
    let mut values = Vec::new();
    for table in tables {
        match &table.require(name).expect("the column exists").data {
            ColumnData::Numeric(cells) => {
                values.extend(cells.iter().map(|cell| cell.unwrap_or(f64::NAN)))
            }
            ColumnData::Text(_) => panic!("column {name} is text"),
        }
    }
    values
}

fn simulate_tables(config: SynthConfig) -> Vec<Table> {
    Synth::new(config).expect("valid settings").collect()
}

/// The big population shared by the statistical tests, with its labels and oracle.
fn population() -> &'static (Vec<f64>, Vec<f64>) {
    static POPULATION: std::sync::OnceLock<(Vec<f64>, Vec<f64>)> = std::sync::OnceLock::new();
    POPULATION.get_or_init(|| {
        let tables = simulate_tables(SynthConfig::default().with_rows(ROWS).with_seed(2024));
        (
            numeric(&tables, LABEL_COLUMN),
            numeric(&tables, ORACLE_COLUMN),
        )
    })
}

/// z statistic of `mean(label - oracle) = 0` over the rows `indices`.
fn oracle_z(labels: &[f64], oracle: &[f64], indices: &[usize]) -> f64 {
    let n = indices.len() as f64;
    let residuals: Vec<f64> = indices.iter().map(|&i| labels[i] - oracle[i]).collect();
    let mean = residuals.iter().sum::<f64>() / n;
    let variance = residuals.iter().map(|r| (r - mean).powi(2)).sum::<f64>() / (n - 1.0);
    mean / (variance / n).sqrt()
}

/// Row indices in ten equal groups by increasing `scores`.
fn deciles(scores: &[f64]) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[a].total_cmp(&scores[b]));
    let size = order.len().div_ceil(10);
    order.chunks(size).map(<[usize]>::to_vec).collect()
}

#[test]
fn same_seed_gives_the_same_batches() {
    let config = SynthConfig::default()
        .with_rows(3_000)
        .with_batch_rows(1_000);
    assert_eq!(
        simulate_tables(config.clone()),
        simulate_tables(config.clone())
    );
    let other = simulate_tables(config.clone().with_seed(config.seed + 1));
    assert_ne!(other, simulate_tables(config));
}

#[test]
fn batch_size_does_not_change_the_rows() {
    let whole = simulate_tables(
        SynthConfig::default()
            .with_rows(2_500)
            .with_batch_rows(5_000),
    );
    let pieces = simulate_tables(SynthConfig::default().with_rows(2_500).with_batch_rows(777));
    assert_eq!(whole.len(), 1);
    assert_eq!(pieces.len(), 4);
    assert!(pieces.iter().all(|table| table.rows() <= 777));
    for (name, _) in schema() {
        let joined: Vec<String> = pieces
            .iter()
            .flat_map(|table| cells_as_text(table, &name))
            .collect();
        assert_eq!(joined, cells_as_text(&whole[0], &name), "column {name}");
    }
}

/// Cells rendered as text, so that NaN-free equality covers both kinds.
fn cells_as_text(table: &Table, name: &str) -> Vec<String> {
    match &table.require(name).expect("the column exists").data {
        ColumnData::Numeric(cells) => cells.iter().map(|c| format!("{c:?}")).collect(),
        ColumnData::Text(cells) => cells.iter().map(|c| format!("{c:?}")).collect(),
    }
}

#[test]
fn schema_matches_the_batches() {
    let tables = simulate_tables(SynthConfig::default().with_rows(10));
    let columns: Vec<_> = tables[0]
        .columns()
        .iter()
        .map(|column| (column.name.clone(), column.data.kind()))
        .collect();
    assert_eq!(columns, schema());
    assert_eq!(schema().len(), 23);
    let ids = numeric(&tables, "user_id");
    assert_eq!(ids, (1..=10).map(f64::from).collect::<Vec<_>>());
}

#[test]
fn payer_rate_is_near_the_target() {
    let (labels, _) = population();
    let payers = labels.iter().filter(|&&y| y > 0.0).count();
    let rate = payers as f64 / labels.len() as f64;
    // Standard error 0.00034 at 400k rows plus the pilot's own error of about 0.0002.
    assert!((rate - 0.05).abs() < 0.0025, "payer rate {rate}");
}

#[test]
fn other_payer_rates_are_reached_too() {
    let config = SynthConfig::default()
        .with_rows(100_000)
        .with_payer_rate(0.2)
        .with_seed(5);
    let labels = numeric(&simulate_tables(config), LABEL_COLUMN);
    let rate = labels.iter().filter(|&&y| y > 0.0).count() as f64 / labels.len() as f64;
    assert!((rate - 0.2).abs() < 0.006, "payer rate {rate}");
}

#[test]
fn labels_are_sums_of_store_prices() {
    let (labels, oracle) = population();
    for (&label, &expected) in labels.iter().zip(oracle) {
        assert!(label >= 0.0 && expected > 0.0 && expected.is_finite());
        let cents = (label * 100.0).round();
        assert!((label * 100.0 - cents).abs() < 1e-6, "{label}");
        assert!(cents == 0.0 || is_sum_of_prices(cents as u64), "{label}");
    }
}

/// Whether some number `n >= 1` of prices (each 99 cents modulo 100, 0.99 ..= 99.99) can
/// add up to `cents`.
fn is_sum_of_prices(cents: u64) -> bool {
    (1..=cents / 99).any(|n| (cents + n).is_multiple_of(100) && cents <= 9_999 * n)
}

#[test]
fn top_payers_hold_a_large_share() {
    let (labels, _) = population();
    let mut payers: Vec<f64> = labels.iter().copied().filter(|&y| y > 0.0).collect();
    payers.sort_by(|a, b| b.total_cmp(a));
    let top = payers.len() / 100;
    let share = payers[..top].iter().sum::<f64>() / payers.iter().sum::<f64>();
    assert!(
        (0.20..=0.35).contains(&share),
        "top 1 % of payers hold {share}"
    );
}

#[test]
fn oracle_matches_the_mean_label_overall_and_by_decile() {
    let (labels, oracle) = population();
    let all: Vec<usize> = (0..labels.len()).collect();
    let z = oracle_z(labels, oracle, &all);
    assert!(z.abs() < Z_LIMIT, "overall z {z}");
    for (decile, rows) in deciles(oracle).iter().enumerate() {
        let z = oracle_z(labels, oracle, rows);
        assert!(z.abs() < Z_LIMIT, "decile {decile}: z {z}");
    }
}

#[test]
fn the_oracle_check_detects_a_biased_oracle() {
    let (labels, oracle) = population();
    let biased: Vec<f64> = oracle.iter().map(|e| 0.8 * e).collect();
    let worst = deciles(&biased)
        .iter()
        .map(|rows| oracle_z(labels, &biased, rows).abs())
        .fold(0.0, f64::max);
    assert!(
        worst > Z_LIMIT,
        "a 20 % bias went unnoticed: largest |z| {worst}"
    );
}

#[test]
fn payment_probability_matches_by_decile() {
    let intercepts = calibrate(0.05);
    let rows: Vec<_> = (0..200_000).map(|i| simulate(77, intercepts, i)).collect();
    let probabilities: Vec<f64> = rows.iter().map(|r| r.law.pay_probability).collect();
    let paid: Vec<f64> = rows
        .iter()
        .map(|r| if r.spend_cents > 0 { 1.0 } else { 0.0 })
        .collect();
    for (decile, indices) in deciles(&probabilities).iter().enumerate() {
        let z = oracle_z(&paid, &probabilities, indices);
        assert!(z.abs() < Z_LIMIT, "decile {decile}: z {z}");
    }
}

#[test]
fn some_cells_are_missing() {
    let tables = simulate_tables(SynthConfig::default().with_rows(50_000));
    for (name, rate) in [("playtime_minutes", 0.03), ("friends_added", 0.05)] {
        let values = numeric(&tables, name);
        let missing = values.iter().filter(|v| v.is_nan()).count() as f64 / values.len() as f64;
        assert!((missing - rate).abs() < 0.005, "{name}: {missing}");
    }
}

#[test]
fn write_streams_a_csv_file() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("users.csv");
    let config = SynthConfig::default().with_rows(1_000).with_batch_rows(300);
    write(&config, &path).expect("written");
    let text = std::fs::read_to_string(&path).expect("readable");
    let mut lines = text.lines();
    let header = lines.next().expect("a header");
    let names: Vec<String> = schema().into_iter().map(|(name, _)| name).collect();
    assert_eq!(header, names.join(","));
    assert_eq!(lines.count(), 1_000);
}

#[test]
fn write_rejects_bad_settings_before_writing() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("users.csv");
    let config = SynthConfig::default().with_rows(0);
    assert!(matches!(
        write(&config, &path),
        Err(crate::Error::InvalidSetting { .. })
    ));
    assert!(!path.exists());
}
