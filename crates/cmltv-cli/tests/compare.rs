//! End-to-end tests of `cmltv compare` on a small synthetic file.

use std::fs;

use serde_json::Value;
use tempfile::TempDir;

mod common;

use common::{QUICK_CONFIG, cmltv, text};

/// Writes a synthetic table and the quick configuration; returns their paths as strings.
///
/// The configuration stops on validation Gini: with 2,700 training rows and 8 epochs, ZILN's
/// validation loss keeps falling while its ranking swings (validation Gini 0.91 down to 0.23
/// within four epochs in one split), so stopping on the loss can keep an epoch that ranks worse
/// than chance on the test rows, which says nothing about `compare` itself.
fn setup(dir: &TempDir) -> (String, String) {
    let data = dir.path().join("users.csv").to_string_lossy().into_owned();
    let config = dir.path().join("quick.toml").to_string_lossy().into_owned();
    fs::write(
        &config,
        format!("early_stopping = \"gini\"\n{QUICK_CONFIG}"),
    )
    .unwrap();
    let out = cmltv(&["synth", "--rows", "4000", "--seed", "5", "--output", &data]);
    assert!(out.status.success(), "{}", text(&out));
    (data, config)
}

#[test]
fn compare_writes_one_table_for_all_models_and_seeds() {
    let dir = TempDir::new().unwrap();
    let (data, config) = setup(&dir);
    let output = dir.path().join("comparison");
    let out = cmltv(&[
        "compare",
        "--data",
        &data,
        "--label",
        "ltv",
        "--id",
        "user_id",
        "--models",
        "cmltv,ziln,mse",
        "--seeds",
        "2",
        "--test-fraction",
        "0.25",
        "--oracle",
        "expected_ltv",
        "--config",
        &config,
        "--output",
        output.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(out.status.success(), "{}", text(&out));

    // The table on stdout and in the directory are the same, and name every model.
    let markdown = fs::read_to_string(output.join("comparison.md")).unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), markdown);
    for name in [
        "| cmltv |",
        "| ziln |",
        "| mse |",
        "| oracle |",
        "normalized Gini",
    ] {
        assert!(markdown.contains(name), "{name} missing from\n{markdown}");
    }
    assert!(
        markdown.contains("**"),
        "the best value is marked:\n{markdown}"
    );

    // The JSON: one entry per model in order, the oracle last, mean and std per metric.
    let json: Value =
        serde_json::from_str(&fs::read_to_string(output.join("comparison.json")).unwrap()).unwrap();
    assert_eq!(json["test_rows"], 1000);
    assert_eq!(json["train_rows"], 3000);
    let models = json["models"].as_array().unwrap();
    let names: Vec<&str> = models.iter().map(|m| m["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["cmltv", "ziln", "mse", "oracle"]);
    for model in &models[..3] {
        assert_eq!(model["runs"].as_array().unwrap().len(), 2, "{model}");
        let gini = &model["metrics"]["normalized_gini"];
        let (mean, std) = (
            gini["mean"].as_f64().unwrap(),
            gini["std"].as_f64().unwrap(),
        );
        assert!(mean > 0.0 && mean < 1.0 && std >= 0.0, "{model}");
    }

    // Trained on these rows, the models rank users far better than chance.
    let cmltv_gini = models[0]["metrics"]["normalized_gini"]["mean"]
        .as_f64()
        .unwrap();
    assert!(cmltv_gini > 0.3, "cmltv gini {cmltv_gini}");
    let oracle = &models[3];
    assert_eq!(oracle["runs"].as_array().unwrap().len(), 1);
    assert!(
        oracle["metrics"]["normalized_gini"]["mean"]
            .as_f64()
            .unwrap()
            > cmltv_gini - 0.1
    );
}

#[test]
fn compare_refuses_unknown_models_and_missing_split_columns() {
    let dir = TempDir::new().unwrap();
    let (data, config) = setup(&dir);
    let base = [
        "compare", "--data", &data, "--label", "ltv", "--config", &config,
    ];

    let out = cmltv(&[&base[..], &["--models", "cmltv,gbm"]].concat());
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("gbm"), "{}", text(&out));

    let args = ["--models", "mse", "--seeds", "1", "--split-column", "fold"];
    let out = cmltv(&[&base[..], &args].concat());
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("fold"), "{}", text(&out));

    // The probabilistic models need the summary columns of `cmltv features`.
    let args = ["--models", "bgnbd", "--horizon-days", "273"];
    let out = cmltv(&[&base[..], &args].concat());
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("frequency"), "{}", text(&out));
}
