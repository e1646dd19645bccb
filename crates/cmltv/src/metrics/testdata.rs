//! Helpers shared by the metric tests: the reference batch and approximate comparison.

use serde_json::Value;

/// Tolerance for values that the reference computed in f64 with the same formula.
pub(super) const TOLERANCE: f64 = 1e-9;

/// The 40-row metrics batch of `tests/reference/vectors.json` (made by `make_vectors.py` with
/// numpy 2.4, scipy 1.17, scikit-learn 1.9): labels, scores and the whole JSON object.
pub(super) fn reference_batch() -> (Vec<f64>, Vec<f64>, Value) {
    let text = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/reference/vectors.json"
    ));
    let all: Value = serde_json::from_str(text).expect("vectors.json is valid JSON");
    let metrics = all["metrics"].clone();
    let column = |name: &str| -> Vec<f64> {
        let values = metrics[name].as_array().expect("metric inputs are arrays");
        values
            .iter()
            .map(|v| v.as_f64().expect("numbers"))
            .collect()
    };
    (column("y"), column("score"), metrics)
}

/// The reference value of one metric in the batch.
pub(super) fn expected(metrics: &Value, name: &str) -> f64 {
    metrics[name]
        .as_f64()
        .expect("reference metric is a number")
}

/// Asserts that two numbers agree within `tolerance`, both NaN counting as agreement.
#[track_caller]
pub(super) fn assert_close(actual: f64, expected: f64, tolerance: f64) {
    let both_nan = actual.is_nan() && expected.is_nan();
    assert!(
        both_nan || (actual - expected).abs() <= tolerance,
        "got {actual}, expected {expected} (tolerance {tolerance})"
    );
}

/// Applies [`assert_close`] element by element.
#[track_caller]
pub(super) fn assert_all_close(actual: &[f64], expected: &[f64], tolerance: f64) {
    assert_eq!(actual.len(), expected.len(), "lengths differ");
    for (&a, &e) in actual.iter().zip(expected) {
        assert_close(a, e, tolerance);
    }
}
