//! Helpers shared by the end-to-end tests: running the binary and training a quick model.
// Each test file is its own crate and uses a part of these helpers.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;

/// A small, fast training configuration.
pub const QUICK_CONFIG: &str = "epochs = 8\nbatch_size = 256\nlearning_rate = 0.003\n\
                            [model]\nhidden = [32, 16]\nhead_hidden = 16\n";

pub fn cmltv(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cmltv"))
        .args(args)
        .output()
        .expect("the cmltv binary runs")
}

pub fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

pub fn path(dir: &TempDir, name: &str) -> PathBuf {
    dir.path().join(name)
}

pub fn s(path: &Path) -> &str {
    path.to_str().expect("temporary paths are UTF-8")
}

/// Synthesizes `rows` users and trains the quick model on them; returns (data, model).
pub fn trained(dir: &TempDir, rows: usize) -> (PathBuf, PathBuf) {
    let data = path(dir, "users.csv");
    let config = path(dir, "quick.toml");
    fs::write(&config, QUICK_CONFIG).unwrap();
    let out = cmltv(&[
        "synth",
        "--rows",
        &rows.to_string(),
        "--seed",
        "3",
        "--output",
        s(&data),
    ]);
    assert!(out.status.success(), "{}", text(&out));
    let model = path(dir, "model");
    let out = cmltv(&[
        "train",
        "--data",
        s(&data),
        "--label",
        "ltv",
        "--id",
        "user_id",
        "--ignore",
        "expected_ltv",
        "--config",
        s(&config),
        "--seed",
        "1",
        "--model",
        s(&model),
        "--quiet",
    ]);
    assert!(out.status.success(), "{}", text(&out));
    (data, model)
}
