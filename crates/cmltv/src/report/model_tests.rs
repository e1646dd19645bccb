//! Tests of the model report on hand-made predictions (no trained model needed).

use super::*;
use crate::data::Column;

/// A small report: 400 rows, one payer in ten, predictions that rank well but not perfectly.
fn sample_report() -> ModelReport {
    let rows = 400;
    let labels: Vec<f64> = (0..rows)
        .map(|i| {
            if i % 10 == 3 {
                f64::from(i % 37) + 1.5
            } else {
                0.0
            }
        })
        .collect();
    let noise = |i: u32| f64::from((i * 7919) % 100) / 100.0;
    let pltv: Vec<f64> = (0..rows)
        .map(|i| 0.8 * labels[i as usize] + noise(i))
        .collect();
    let probability: Vec<f64> = pltv.iter().map(|v| v / (1.0 + v)).collect();
    let view = |factor: f64| Some(pltv.iter().map(|v| factor * (1.0 + v)).collect());
    let history = TrainingHistory {
        epochs: (1..=4)
            .map(|epoch| crate::train::EpochRecord {
                epoch,
                loss: 4.0 / epoch as f64,
                terms: vec![("purchase".into(), 0.5), ("log".into(), 1.0 / epoch as f64)],
                validation_gini: Some(0.5 + 0.05 * epoch as f64),
                validation_loss: Some(4.5 / epoch as f64),
                rows_per_second: 10_000.0,
                seconds: 0.5,
            })
            .collect(),
        best_epoch: 4,
        train_rows: 3600,
        validation_rows: 400,
        seconds: 2.0,
    };
    ModelReport {
        name: "models/<run 1>".to_string(),
        model_type: ModelType::Cmltv,
        data: PathBuf::from("test & holdout.csv"),
        history,
        calibration: None,
        distribution_view: "view_gamma".to_string(),
        oracle: Some(Oracle {
            name: "expected_ltv".to_string(),
            scores: labels.iter().map(|y| y + 0.1).collect(),
        }),
        labels,
        predictions: Predictions {
            view_distribution: view(1.0),
            view_log: view(0.9),
            view_bucket: view(1.2),
            purchase_probability: Some(probability),
            pltv,
            quantiles: None,
        },
    }
}

/// The values of attributes and CSS references that could make a browser fetch something.
fn references(html: &str) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    let mut found = Vec::new();
    for needle in ["src=", "href=", "url(", "@import", "action=", "srcset="] {
        for (start, _) in lower.match_indices(needle) {
            let rest = &lower[start + needle.len()..];
            let value = rest.trim_start_matches(['"', '\'', ' ']);
            let end = value
                .find(['"', '\'', ')', ' ', '>'])
                .unwrap_or(value.len());
            found.push(value[..end].to_string());
        }
    }
    found
}

#[test]
fn the_page_has_every_chart_and_fetches_nothing() {
    let html = sample_report().to_html().expect("valid report");
    for id in [
        "gain-curve",
        "decile-chart",
        "calibration",
        "prediction-distribution",
        "view-metrics",
        "training-curves",
    ] {
        let start = html
            .find(&format!("id=\"{id}\""))
            .unwrap_or_else(|| panic!("no element {id}"));
        let end = start + html[start..].find("</section>").expect("closed card");
        assert!(html[start..end].contains("<svg"), "{id} holds no chart");
    }
    for tag in ["<script", "<link", "<img", "<iframe", "<object", "<embed"] {
        assert!(
            !html.to_ascii_lowercase().contains(tag),
            "{tag} in the page"
        );
    }
    let network: Vec<String> = references(&html)
        .into_iter()
        .filter(|value| value.contains("://") || value.starts_with("//"))
        .collect();
    assert!(network.is_empty(), "network references: {network:?}");
}

#[test]
fn the_reference_scan_would_catch_a_fetch() {
    let page = "<img src=\"https://cdn.example/x.png\"><a href='http://x'>x</a>\
                <style>@import url(//fonts.example/f.css);</style>";
    let found = references(page);
    assert!(
        found.contains(&"https://cdn.example/x.png".to_string()),
        "{found:?}"
    );
    assert!(found.contains(&"http://x".to_string()), "{found:?}");
    assert!(
        found.contains(&"//fonts.example/f.css".to_string()),
        "{found:?}"
    );
}

#[test]
fn user_text_is_escaped() {
    let html = sample_report().to_html().expect("valid report");
    assert!(html.contains("Model report: models/&lt;run 1&gt;"));
    assert!(html.contains("test &amp; holdout.csv"));
    assert!(!html.contains("<run 1>"));
}

#[test]
fn the_header_shows_the_model_and_the_headline_metrics() {
    let html = sample_report().to_html().expect("valid report");
    for needle in [
        "<dd>cmltv</dd>",
        "<dd>400</dd>",
        "<dd>2.0 s</dd>",
        "<dd>4 (4)</dd>",
        "id=\"headline-metrics\"",
        "<th>oracle expected_ltv</th>",
        "Gini / oracle Gini",
        "p × view_gamma",
        "p × view_bucket",
    ] {
        assert!(html.contains(needle), "{needle} not in the page");
    }
}

#[test]
fn inconsistent_input_is_refused() {
    let mut short = sample_report();
    short.predictions.view_log = Some(vec![1.0]);
    let mut no_payers = sample_report();
    no_payers.labels.iter_mut().for_each(|y| *y = 0.0);
    let mut empty = sample_report();
    empty.labels.clear();
    for report in [short, no_payers, empty] {
        let error = report.to_html().expect_err("invalid report");
        assert!(matches!(error, Error::InvalidSetting { .. }), "{error}");
    }
}

#[test]
fn an_oracle_column_must_exist_and_hold_finite_numbers() {
    let table = Table::new(
        "users.csv",
        vec![
            Column::numeric("good", vec![Some(1.0), Some(2.0)]),
            Column::numeric("gap", vec![Some(1.0), None]),
            Column::text("word", vec![Some("a".into()), Some("b".into())]),
        ],
    )
    .expect("a valid table");
    assert_eq!(
        Oracle::read(&table, "good").expect("numeric").scores,
        [1.0, 2.0]
    );
    let missing = Oracle::read(&table, "absent").expect_err("no column");
    assert!(matches!(missing, Error::MissingColumn { .. }), "{missing}");
    let gap = Oracle::read(&table, "gap").expect_err("a missing value");
    assert!(gap.to_string().contains("row 2, column 'gap'"), "{gap}");
    let word = Oracle::read(&table, "word").expect_err("text");
    assert!(word.to_string().contains("'word'"), "{word}");
}

#[test]
fn durations_read_naturally() {
    assert_eq!(duration(12.34), "12.3 s");
    assert_eq!(duration(245.0), "4 min 05 s");
}
