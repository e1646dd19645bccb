//! The CDNOW benchmark end to end (`examples/cdnow.sh`): features from the real transaction
//! log, the standard split, and the quality bars of the specification.
//!
//! The reference figures are those of `shared/data/cdnow/README.md`, computed there with
//! `lifetimes==0.11.3` and scikit-learn on the same split: BG/NBD x Gamma-Gamma 0.670,
//! Pareto/NBD x Gamma-Gamma 0.683, and 0.713 for the best model of that table.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

const LOG: &str = "../../../shared/data/cdnow/CDNOW_master.txt";

/// Mean of a metric of a model in a comparison.
fn mean(comparison: &Value, model: &str, metric: &str) -> f64 {
    let models = comparison["models"].as_array().expect("a list of models");
    let entry = models
        .iter()
        .find(|m| m["name"] == model)
        .unwrap_or_else(|| panic!("{model} is in the comparison"));
    entry["metrics"][metric]["mean"]
        .as_f64()
        .expect("a numeric mean")
}

#[test]
fn cmltv_beats_every_reference_model_on_cdnow() {
    let log = Path::new(env!("CARGO_MANIFEST_DIR")).join(LOG);
    assert!(
        log.exists(),
        "{} is missing: the CDNOW log ships in shared/data/cdnow",
        log.display()
    );
    let out = tempfile::tempdir().unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/cdnow.sh");
    let status = Command::new("bash")
        .arg(&script)
        .arg(&log)
        .arg(out.path())
        .arg("5")
        .env("CMLTV", env!("CARGO_BIN_EXE_cmltv"))
        .status()
        .expect("bash runs");
    assert!(status.success(), "examples/cdnow.sh failed");

    let table = std::fs::read_to_string(out.path().join("cdnow.csv")).unwrap();
    assert_eq!(table.lines().count(), 23_570 + 1, "one row per customer");
    let json = std::fs::read_to_string(out.path().join("comparison/comparison.json")).unwrap();
    let comparison: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(comparison["test_rows"], 4714);
    assert_eq!(comparison["train_rows"], 18_856);

    // The classic models computed by cmltv reproduce the lifetimes figures.
    let bgnbd = mean(&comparison, "bgnbd", "normalized_gini");
    let pareto = mean(&comparison, "pareto-nbd", "normalized_gini");
    assert!((bgnbd - 0.670).abs() < 0.005, "BG/NBD gini {bgnbd}");
    assert!((pareto - 0.683).abs() < 0.005, "Pareto/NBD gini {pareto}");

    // CMLTV beats the best reference row and every model of the comparison, calibrated.
    let gini = mean(&comparison, "cmltv", "normalized_gini");
    assert!(gini > 0.713, "CMLTV gini {gini}");
    for other in ["ziln", "two-stage", "mse", "bgnbd", "pareto-nbd"] {
        let theirs = mean(&comparison, other, "normalized_gini");
        assert!(gini > theirs, "CMLTV {gini} vs {other} {theirs}");
    }
    let mape = mean(&comparison, "cmltv", "decile_mape");
    let ratio = mean(&comparison, "cmltv", "sum_ratio");
    assert!(mape < 0.15, "decile MAPE {mape}");
    assert!(
        (0.9..=1.1).contains(&ratio),
        "sum pred / sum actual {ratio}"
    );
}
