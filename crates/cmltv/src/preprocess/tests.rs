//! Tests of the whole preprocessing: fitted statistics, schema checks, persistence.

use proptest::prelude::*;

use super::*;
use crate::data::Column;

/// Tolerance for statistics computed in f64.
const STAT_TOLERANCE: f64 = 1e-12;
/// Tolerance for features, which are f32.
const FEATURE_TOLERANCE: f32 = 1e-6;

fn text(values: &[Option<&str>]) -> Vec<Option<String>> {
    values.iter().map(|value| value.map(String::from)).collect()
}

/// Ten training rows: `sessions` is mildly skewed, `spend` non-negative and heavy-tailed,
/// `balance` heavy-tailed with a negative value, `channel` a numeric-coded category.
fn training_table() -> Table {
    let nan = Some(f64::NAN);
    let sessions = [1.0, 2.0, 3.0, 0.0, 4.0, 0.0, 5.0, 6.0, 7.0, 20.0].map(Some);
    let mut sessions = sessions.to_vec();
    (sessions[3], sessions[5]) = (None, nan);
    let mut spend = vec![Some(0.0); 10];
    spend[9] = Some(1000.0);
    let mut balance = spend.clone();
    balance[0] = Some(-1.0);
    let country = [
        Some("us"),
        Some("us"),
        Some("us"),
        Some("de"),
        Some("de"),
        Some("fr"),
        None,
        Some("us"),
        Some("de"),
        Some("jp"),
    ];
    let channel = [1.0, 1.0, 2.0, 2.0, 2.0, 3.0, 1.0, 2.0, 0.0, 1.5].map(Some);
    let mut channel = channel.to_vec();
    channel[8] = None;
    let columns = vec![
        Column::numeric("y", vec![Some(0.0); 10]),
        Column::numeric("sessions", sessions),
        Column::text("country", text(&country)),
        Column::numeric("spend", spend),
        Column::numeric("balance", balance),
        Column::numeric("channel", channel),
    ];
    Table::new("train.csv", columns).unwrap()
}

fn spec() -> FeatureSpec {
    FeatureSpec {
        numeric: vec!["sessions".into(), "spend".into(), "balance".into()],
        categorical: vec!["country".into(), "channel".into()],
    }
}

fn fit(table: &Table, config: &PreprocessConfig) -> Preprocessor {
    Preprocessor::fit(table, &spec(), config).unwrap()
}

fn small_counts() -> PreprocessConfig {
    PreprocessConfig::default().with_min_category_count(2)
}

fn assert_close(actual: f64, expected: f64) {
    assert!(
        (actual - expected).abs() < STAT_TOLERANCE,
        "{actual} != {expected}"
    );
}

#[test]
fn infer_takes_columns_in_file_order_except_excluded() {
    let spec = FeatureSpec::infer(&training_table(), &["y".to_string()]);
    assert_eq!(spec.numeric, ["sessions", "spend", "balance", "channel"]);
    assert_eq!(spec.categorical, ["country"]);
}

// numpy 2.4.6:
//   skew = lambda x: ((x - x.mean())**3).mean() / ((x - x.mean())**2).mean()**1.5
//   s = np.array([1, 2, 3, 4, 5, 6, 7, 20.0])             # sessions, missing dropped
//   skew(s), s.mean(), s.std()       # 1.7817416127494958 (< 2: kept), 6.0, 5.612486080160912
//   spend = np.array([0.0] * 9 + [1000.0]); t = np.log1p(spend)
//   skew(spend), t.mean(), t.std()   # 2.6666666666666665 (logged), 0.690875477931522,
//                                    # 2.072626433794566
//   balance = np.array([-1.0] + [0.0] * 8 + [1000.0])
//   balance.mean(), balance.std()    # 99.9, 300.0334814649858 (negative: not logged)
//   (20 - s.mean()) / s.std(), (t[9] - t.mean()) / t.std(), (1000 - 99.9) / 300.0334814649858
//                                    # 2.494438257849294, 3.0, 2.999998518848779
#[test]
fn fitted_statistics_match_numpy() {
    let preprocessor = fit(&training_table(), &small_counts());
    let scalers = preprocessor.numeric_scalers();
    let expected = [
        (false, 6.0, 5.612486080160912),
        (true, 0.690875477931522, 2.072626433794566),
        (false, 99.9, 300.0334814649858),
    ];
    for (scaler, (log1p, mean, std)) in scalers.iter().zip(expected) {
        assert_eq!(scaler.log1p(), log1p);
        assert_close(scaler.mean(), mean);
        assert_close(scaler.std(), std);
    }

    let features = preprocessor.transform(&training_table()).unwrap();
    let last_row = &features.numeric[9 * 6..];
    let expected = [2.494_438_3, 3.0, 2.999_998_5, 0.0, 0.0, 0.0];
    for (actual, expected) in last_row.iter().zip(expected) {
        assert!(
            (actual - expected).abs() < FEATURE_TOLERANCE,
            "{last_row:?}"
        );
    }
}

#[test]
fn missing_values_give_zero_and_an_indicator() {
    let preprocessor = fit(&training_table(), &small_counts());
    let features = preprocessor.transform(&training_table()).unwrap();
    assert_eq!(preprocessor.numeric_width(), 6);
    assert_eq!(features.numeric.len(), 10 * 6);
    // Row 4 has no sessions, row 6 a NaN.
    assert_eq!(features.numeric[3 * 6], 0.0);
    assert_eq!(features.numeric[3 * 6 + 3], 1.0);
    assert_eq!(features.numeric[5 * 6 + 3], 1.0);
    let indicators: f32 = (0..10)
        .map(|row| {
            features.numeric[row * 6 + 3..row * 6 + 6]
                .iter()
                .sum::<f32>()
        })
        .sum();
    assert_eq!(indicators, 2.0);
    assert_eq!(preprocessor.numeric_feature_names()[3], "sessions_missing");
}

#[test]
fn log_rule_picks_the_right_columns() {
    let logged = |rule| {
        let preprocessor = fit(&training_table(), &small_counts().with_log_transform(rule));
        preprocessor
            .numeric_scalers()
            .iter()
            .map(NumericScaler::log1p)
            .collect::<Vec<_>>()
    };
    assert_eq!(logged(LogTransform::Auto), [false, true, false]);
    assert_eq!(logged(LogTransform::Always), [true, true, false]);
    assert_eq!(logged(LogTransform::Never), [false, false, false]);
}

// Rows 1..=5 hold sessions 1, 2, 3, missing, 4: mean 2.5, population std sqrt(1.25).
// Row 7 (sessions 5) then standardizes to (5 - 2.5) / sqrt(1.25) = sqrt(5).
#[test]
fn scaler_is_fitted_on_training_rows_only() {
    let table = training_table();
    let train = table.take(&[0, 1, 2, 3, 4]);
    let holdout = table.take(&[5, 6, 7, 8, 9]);
    let preprocessor = fit(&train, &small_counts());
    assert_close(preprocessor.numeric_scalers()[0].mean(), 2.5);
    assert_close(preprocessor.numeric_scalers()[0].std(), 1.25f64.sqrt());

    let features = preprocessor.transform(&holdout).unwrap();
    let expected = 5f64.sqrt() as f32;
    assert!((features.numeric[6] - expected).abs() < FEATURE_TOLERANCE);
    // The category 'jp' exists only in the holdout rows.
    assert_eq!(
        preprocessor.vocabularies()[0].index_of("jp"),
        OUT_OF_VOCABULARY
    );
}

#[test]
fn categories_out_of_vocabulary_or_missing_map_to_zero() {
    let preprocessor = fit(&training_table(), &small_counts());
    // Country: us (4), de (3); fr and jp are too rare. Channel: "2" (4), "1" (3).
    assert_eq!(preprocessor.vocabularies()[0].categories(), ["us", "de"]);
    assert_eq!(preprocessor.vocabularies()[1].categories(), ["2", "1"]);
    assert_eq!(preprocessor.cardinalities(), [3, 3]);

    let features = preprocessor.transform(&training_table()).unwrap();
    let country: Vec<i64> = features.categorical.iter().step_by(2).copied().collect();
    assert_eq!(country, [1, 1, 1, 2, 2, 0, 0, 1, 2, 0]);
    let channel: Vec<i64> = features
        .categorical
        .iter()
        .skip(1)
        .step_by(2)
        .copied()
        .collect();
    assert_eq!(channel, [2, 2, 1, 1, 1, 0, 2, 1, 0, 0]);
}

#[test]
fn min_count_and_max_categories_apply_per_field() {
    let every = PreprocessConfig::default().with_min_category_count(1);
    assert_eq!(fit(&training_table(), &every).cardinalities(), [5, 5]);
    let capped = every.with_max_categories(2);
    let preprocessor = fit(&training_table(), &capped);
    assert_eq!(preprocessor.vocabularies()[0].categories(), ["us", "de"]);
    assert_eq!(preprocessor.cardinalities(), [3, 3]);
    let default = fit(&training_table(), &PreprocessConfig::default());
    assert_eq!(default.cardinalities(), [1, 1]);
}

/// `table` with the column of the same name as `column` replaced by it.
fn replace_column(table: &Table, column: Column) -> Table {
    let columns = table.columns().iter().map(|c| {
        if c.name == column.name {
            column.clone()
        } else {
            c.clone()
        }
    });
    Table::new("score.csv", columns.collect()).unwrap()
}

#[test]
fn category_codes_match_across_text_and_numbers() {
    let preprocessor = fit(&training_table(), &small_counts());
    // Channel trained as numbers, scored as text.
    let scoring = replace_column(
        &training_table().take(&[0, 1]),
        Column::text("channel", text(&[Some("2"), Some("1.5")])),
    );
    let features = preprocessor.transform(&scoring).unwrap();
    assert_eq!(features.categorical, [1, 1, 1, 0]);

    let codes = Table::new(
        "train.csv",
        vec![Column::text("code", text(&[Some("7"), Some("7")]))],
    );
    let spec = FeatureSpec {
        numeric: vec![],
        categorical: vec!["code".into()],
    };
    let preprocessor = Preprocessor::fit(&codes.unwrap(), &spec, &small_counts()).unwrap();
    let scoring = Table::new(
        "score.csv",
        vec![Column::numeric("code", vec![Some(7.0), Some(7.5)])],
    );
    let features = preprocessor.transform(&scoring.unwrap()).unwrap();
    assert_eq!(features.categorical, [1, 0]);
}

#[test]
fn missing_column_is_a_schema_mismatch() {
    let preprocessor = fit(&training_table(), &small_counts());
    let columns = training_table()
        .columns()
        .iter()
        .filter(|c| c.name != "spend")
        .cloned()
        .collect();
    let scoring = Table::new("score.csv", columns).unwrap();
    let error = preprocessor.transform(&scoring).unwrap_err();
    let message = error.to_string();
    assert!(matches!(error, Error::SchemaMismatch { .. }), "{message}");
    assert_eq!(
        message,
        "score.csv: column 'spend' is missing; the model was trained with it"
    );
}

#[test]
fn text_in_a_numeric_column_names_row_and_column() {
    let preprocessor = fit(&training_table(), &small_counts());
    let balance = text(&[Some("3"), None, Some("12.5"), Some("lots")]);
    let mut columns: Vec<Column> = training_table().take(&[0, 1, 2, 3]).columns().to_vec();
    columns.retain(|c| c.name != "balance");
    columns.push(Column::text("balance", balance));
    let error = preprocessor
        .transform(&Table::new("score.csv", columns).unwrap())
        .unwrap_err();
    let message = error.to_string();
    assert!(matches!(error, Error::BadValue { row: 4, .. }), "{message}");
    assert!(
        message.starts_with("score.csv: row 4, column 'balance': 'lots'"),
        "{message}"
    );
}

#[test]
fn fit_reports_missing_columns_and_repeated_names() {
    let mut spec = spec();
    spec.numeric.push("tenure".into());
    let error = Preprocessor::fit(&training_table(), &spec, &small_counts()).unwrap_err();
    assert!(matches!(error, Error::MissingColumn { ref column, .. } if column == "tenure"));

    let mut spec = self::spec();
    spec.categorical.push("sessions".into());
    let error = Preprocessor::fit(&training_table(), &spec, &small_counts()).unwrap_err();
    assert!(error.to_string().contains("features = sessions"), "{error}");
}

#[test]
fn serde_round_trip_gives_identical_transforms() {
    let preprocessor = fit(&training_table(), &small_counts());
    let json = serde_json::to_string(&preprocessor).unwrap();
    let restored: Preprocessor = serde_json::from_str(&json).unwrap();
    assert_eq!(restored, preprocessor);
    let table = training_table();
    assert_eq!(
        restored.transform(&table).unwrap(),
        preprocessor.transform(&table).unwrap()
    );

    // A file whose transforms do not match its spec is refused rather than misread.
    let broken = json.replacen(r#""numeric":["sessions","#, r#""numeric":["#, 1);
    assert!(serde_json::from_str::<Preprocessor>(&broken).is_err());
}

#[test]
fn large_tables_split_across_threads_give_the_same_rows() {
    let rows = 100_003;
    let amount = |i: usize| i.is_multiple_of(7).then_some((i % 1013) as f64);
    let country = |i: usize| Some(format!("c{}", i % 11));
    let columns = vec![
        Column::numeric("spend", (0..rows).map(amount).collect()),
        Column::text("country", (0..rows).map(country).collect()),
    ];
    let table = Table::new("big.csv", columns).unwrap();
    let spec = FeatureSpec::infer(&table, &[]);
    let preprocessor = Preprocessor::fit(&table, &spec, &PreprocessConfig::default()).unwrap();
    let whole = preprocessor.transform(&table).unwrap();

    for start in [0, 4_999, 32_767, 50_001, 99_990] {
        let indices: Vec<usize> = (start..(start + 13).min(rows)).collect();
        let part = preprocessor.transform(&table.take(&indices)).unwrap();
        let numeric = &whole.numeric[start * 2..(start + part.rows) * 2];
        assert_eq!(part.numeric, numeric, "rows from {start}");
        assert_eq!(
            part.categorical,
            &whole.categorical[start..start + part.rows]
        );
    }
}

/// A table with one numeric column.
fn column_table(values: &[Option<f64>]) -> Table {
    Table::new("train.csv", vec![Column::numeric("x", values.to_vec())]).unwrap()
}

fn fit_column(values: &[Option<f64>], rule: LogTransform) -> Preprocessor {
    let spec = FeatureSpec {
        numeric: vec!["x".into()],
        categorical: vec![],
    };
    let config = PreprocessConfig::default().with_log_transform(rule);
    Preprocessor::fit(&column_table(values), &spec, &config).unwrap()
}

fn rules() -> impl Strategy<Value = LogTransform> {
    prop_oneof![
        Just(LogTransform::Auto),
        Just(LogTransform::Always),
        Just(LogTransform::Never)
    ]
}

proptest! {
    // Values are non-negative so that logged columns need no clamping. Features are f32 (about
    // 7 significant digits), so the tolerance scales with the value and the column's statistics.
    #[test]
    fn inverse_recovers_the_input(
        values in prop::collection::vec(prop::option::weighted(0.8, 0.0..1e6f64), 1..40),
        rule in rules(),
    ) {
        let preprocessor = fit_column(&values, rule);
        let scaler = &preprocessor.numeric_scalers()[0];
        let features = preprocessor.transform(&column_table(&values)).unwrap();
        for (row, value) in values.iter().enumerate() {
            let standardized = features.numeric[2 * row];
            let missing = features.numeric[2 * row + 1];
            match value {
                Some(value) => {
                    let recovered = scaler.inverse(f64::from(standardized));
                    let scale = 1.0 + value + scaler.mean().abs() + scaler.std();
                    let error = (recovered - value).abs();
                    prop_assert!(error <= 1e-5 * scale, "{recovered} != {value}");
                    prop_assert_eq!(missing, 0.0);
                }
                None => prop_assert_eq!((standardized, missing), (0.0, 1.0)),
            }
        }
    }

    // Whatever the other rows hold, the training rows come out with mean 0 and std 1.
    #[test]
    fn statistics_come_from_the_training_rows(
        train in prop::collection::vec(-1e3..1e3f64, 2..30),
        other in prop::collection::vec(-1e6..1e6f64, 0..30),
    ) {
        prop_assume!(train.iter().any(|&x| (x - train[0]).abs() > 1e-3));
        let train: Vec<Option<f64>> = train.into_iter().map(Some).collect();
        let preprocessor = fit_column(&train, LogTransform::Never);
        let other = other.into_iter().map(Some);
        let all: Vec<Option<f64>> = train.iter().copied().chain(other).collect();
        let features = preprocessor.transform(&column_table(&all)).unwrap();
        let values = features.numeric.iter().step_by(2).take(train.len());
        let z: Vec<f64> = values.map(|&z| f64::from(z)).collect();
        let mean = z.iter().sum::<f64>() / z.len() as f64;
        let variance = z.iter().map(|z| (z - mean).powi(2)).sum::<f64>() / z.len() as f64;
        prop_assert!(mean.abs() < 1e-5, "mean {mean}");
        prop_assert!((variance - 1.0).abs() < 1e-5, "variance {variance}");
    }
}
