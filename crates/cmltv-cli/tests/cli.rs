//! End-to-end tests of the `cmltv` binary in temporary directories.

use std::fs;
use std::path::{Path, PathBuf};

use tempfile::TempDir;

mod common;

use common::{cmltv, path, s, text, trained};

/// Runs a command that must fail on input: exit code 2 and a message holding every `needle`.
fn assert_input_error(args: &[&str], needles: &[&str]) {
    let out = cmltv(args);
    let message = text(&out);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {message}");
    for needle in needles {
        assert!(
            message.contains(needle),
            "{args:?}: '{needle}' not in: {message}"
        );
    }
}

#[test]
fn synth_train_predict_evaluate() {
    let dir = TempDir::new().unwrap();
    let (data, model) = trained(&dir, 4000);
    for file in [
        "manifest.json",
        "config.toml",
        "model.json",
        "preprocessing.json",
    ] {
        assert!(model.join(file).exists(), "{file}");
    }
    assert!(model.join("weights.safetensors").exists());

    let scores = path(&dir, "scores.csv");
    let out = cmltv(&[
        "predict",
        "--model",
        s(&model),
        "--data",
        s(&data),
        "--output",
        s(&scores),
    ]);
    assert!(out.status.success(), "{}", text(&out));
    let written = fs::read_to_string(&scores).unwrap();
    let header = written.lines().next().unwrap();
    assert_eq!(
        header,
        "user_id,pltv,purchase_probability,view_gamma,view_log,view_bucket,p10,p50,p90"
    );
    assert_eq!(written.lines().count(), 4001);

    let out = cmltv(&[
        "evaluate",
        "--model",
        s(&model),
        "--data",
        s(&data),
        "--json",
    ]);
    assert!(out.status.success(), "{}", text(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for key in [
        "rows",
        "normalized_gini",
        "spearman",
        "auc",
        "pr_auc",
        "decile_mape",
        "rmse",
        "mae",
        "sum_ratio",
        "top_1pct_share",
        "top_10pct_share",
    ] {
        assert!(json.get(key).is_some(), "missing {key} in {json}");
    }
    assert_eq!(json["rows"], 4000);
    let gini = json["normalized_gini"].as_f64().unwrap();
    assert!(gini > 0.6, "a trained model ranks users well: gini {gini}");

    let out = cmltv(&[
        "evaluate",
        "--predictions",
        s(&data),
        "--label",
        "ltv",
        "--score",
        "expected_ltv",
    ]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("decile"), "{}", text(&out));
}

#[test]
fn bad_training_input_exits_2_and_writes_no_model() {
    let dir = TempDir::new().unwrap();
    let model = path(&dir, "model");
    let write = |name: &str, content: &str| {
        let file = path(&dir, name);
        fs::write(&file, content).unwrap();
        file
    };
    let good = "id,x,country,ltv\n1,0.5,fr,0\n2,1.5,de,3.5\n3,2.5,fr,0\n";
    let cases: Vec<(PathBuf, Vec<&str>, Vec<&str>)> = vec![
        (path(&dir, "absent.csv"), vec![], vec!["absent.csv"]),
        (write("empty.csv", ""), vec![], vec!["empty.csv", "empty"]),
        (
            write("good.csv", good),
            vec!["--label", "y"],
            vec!["good.csv", "'y'"],
        ),
        (
            write("text.csv", "id,x,ltv\n1,0.5,0\n2,abc,3\n3,2.5,0\n4,1,0\n"),
            vec![],
            vec!["text.csv", "row 2", "'x'", "abc"],
        ),
        (
            write("negative.csv", "id,x,ltv\n1,0.5,0\n2,1.5,-3\n"),
            vec![],
            vec!["negative.csv", "row 2", "'ltv'", "negative"],
        ),
        (
            write("nan.csv", "id,x,ltv\n1,0.5,0\n2,1.5,NaN\n"),
            vec![],
            vec!["nan.csv", "row 2", "'ltv'", "NaN"],
        ),
        (
            write("inf.csv", "id,x,ltv\n1,0.5,inf\n2,1.5,0\n"),
            vec![],
            vec!["inf.csv", "row 1", "'ltv'", "inf"],
        ),
        (
            write("nopayers.csv", "id,x,ltv\n1,0.5,0\n2,1.5,0\n"),
            vec![],
            vec!["nopayers.csv", "'ltv'", "payer"],
        ),
        (
            write("good2.csv", good),
            vec!["--ignore", "oracle"],
            vec!["good2.csv", "'oracle'"],
        ),
    ];
    for (data, extra, needles) in cases {
        let mut args = vec!["train", "--data", s(&data), "--model", s(&model), "--quiet"];
        if !extra.contains(&"--label") {
            args.extend(["--label", "ltv"]);
        }
        args.extend(extra.iter());
        assert_input_error(&args, &needles);
        assert!(!model.exists(), "{data:?} left a model behind");
    }
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".cmltv"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[test]
fn damaged_models_and_mismatched_scoring_files_exit_2() {
    let dir = TempDir::new().unwrap();
    let (data, model) = trained(&dir, 1500);
    let output = path(&dir, "scores.csv");
    fs::write(&output, "precious").unwrap();
    let predict = |model: &Path, data: &Path| {
        vec![
            "predict".to_string(),
            "--model".into(),
            s(model).into(),
            "--data".into(),
            s(data).into(),
            "--output".into(),
            s(&output).into(),
        ]
    };
    let run = |args: Vec<String>, needles: &[&str]| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        assert_input_error(&args, needles);
        assert_eq!(fs::read_to_string(&output).unwrap(), "precious");
    };

    // A scoring file without a training column.
    let table = fs::read_to_string(&data).unwrap();
    let header: Vec<&str> = table.lines().next().unwrap().split(',').collect();
    let dropped = header
        .iter()
        .position(|c| *c == "country")
        .expect("synth has country");
    let without: String = table
        .lines()
        .map(|line| {
            let mut fields: Vec<&str> = line.split(',').collect();
            fields.remove(dropped);
            fields.join(",") + "\n"
        })
        .collect();
    let partial = path(&dir, "partial.csv");
    fs::write(&partial, without).unwrap();
    run(predict(&model, &partial), &["partial.csv", "'country'"]);

    // A corrupted weights file.
    let corrupt = path(&dir, "corrupt");
    copy_dir(&model, &corrupt);
    let weights = corrupt.join("weights.safetensors");
    let mut bytes = fs::read(&weights).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    fs::write(&weights, bytes).unwrap();
    run(predict(&corrupt, &data), &["weights.safetensors", "sha256"]);

    // Another format version.
    let future = path(&dir, "future");
    copy_dir(&model, &future);
    let manifest = future.join("manifest.json");
    let text = fs::read_to_string(&manifest).unwrap();
    let bumped = text.replace("\"format_version\": 2", "\"format_version\": 99");
    assert_ne!(text, bumped);
    fs::write(&manifest, bumped).unwrap();
    run(predict(&future, &data), &["manifest.json", "99"]);
}

#[test]
fn a_new_model_replaces_an_old_one_only_when_training_succeeds() {
    let dir = TempDir::new().unwrap();
    let (data, model) = trained(&dir, 1500);
    let before = fs::read(model.join("weights.safetensors")).unwrap();
    let bad = path(&dir, "bad.csv");
    fs::write(&bad, "id,x,ltv\n1,0.5,-1\n").unwrap();
    let out = cmltv(&[
        "train",
        "--data",
        s(&bad),
        "--label",
        "ltv",
        "--model",
        s(&model),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(fs::read(model.join("weights.safetensors")).unwrap(), before);
    let _ = data;
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}
