//! End-to-end tests of `cmltv report`: synthesize users, train a quick model, write the report
//! and open it in headless Chromium, which must render charts (a screenshot with many colours)
//! and hold every chart in its DOM.
//!
//! Chromium is required: CI (`.ci/run`) installs the Debian package `chromium` when it is
//! missing. Without it the browser test fails and says so rather than passing silently.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

mod common;

use common::{cmltv, s, text, trained};

/// The cards of a model report that must each hold a chart.
const CHARTS: [&str; 6] = [
    "gain-curve",
    "decile-chart",
    "calibration",
    "prediction-distribution",
    "view-metrics",
    "training-curves",
];

/// Longest a browser run may take before the test gives up on it.
const BROWSER_TIMEOUT: Duration = Duration::from_secs(120);

/// Browser window: wide enough for two chart columns, tall enough for the whole page.
const WINDOW: (u32, u32) = (1280, 2400);

/// The Chromium executable on the PATH; fails the test when there is none.
fn chromium() -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let found = ["chromium", "chromium-browser"].iter().find_map(|name| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|candidate| candidate.is_file())
    });
    found.unwrap_or_else(|| {
        panic!(
            "this test needs headless Chromium and found none on the PATH: install it with \
             `apt-get install chromium` (Debian; CI's .ci/run installs it when missing)"
        )
    })
}

/// Runs headless Chromium on `page` with `extra` arguments and a private profile in `dir`;
/// returns what it printed on standard output.
///
/// Its output goes to files rather than pipes: a DOM dump is larger than a pipe's buffer and
/// would block the browser while the test waits for it to exit.
fn browse(dir: &Path, page: &Path, extra: &[String]) -> String {
    let stdout = dir.join("chromium.out");
    let stderr = dir.join("chromium.err");
    let mut child = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-dev-shm-usage",
            "--hide-scrollbars",
        ])
        .arg(format!(
            "--user-data-dir={}",
            s(&dir.join("chromium-profile"))
        ))
        .args(extra)
        .arg(format!("file://{}", s(page)))
        .stdin(Stdio::null())
        .stdout(fs::File::create(&stdout).unwrap())
        .stderr(fs::File::create(&stderr).unwrap())
        .spawn()
        .expect("chromium starts");
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("chromium can be waited on") {
            break status;
        }
        if start.elapsed() > BROWSER_TIMEOUT {
            let _ = child.kill();
            panic!("chromium did not finish within {BROWSER_TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let errors = fs::read_to_string(&stderr).unwrap_or_default();
    assert!(status.success(), "chromium failed ({status}): {errors}");
    fs::read_to_string(&stdout).expect("chromium's output is readable")
}

/// The pixels of a PNG file as (width, height, RGB triples).
fn pixels(path: &Path) -> (u32, u32, Vec<[u8; 3]>) {
    let file = std::io::BufReader::new(fs::File::open(path).expect("the screenshot exists"));
    let mut reader = png::Decoder::new(file).read_info().expect("a PNG");
    let size = reader.output_buffer_size().expect("a PNG of sensible size");
    let mut buffer = vec![0; size];
    let info = reader.next_frame(&mut buffer).expect("a decodable PNG");
    assert_eq!(info.bit_depth, png::BitDepth::Eight, "8-bit screenshot");
    let channels = info.color_type.samples();
    assert!(
        channels >= 3,
        "a colour screenshot, got {:?}",
        info.color_type
    );
    let rgb = buffer[..info.buffer_size()]
        .chunks_exact(channels)
        .map(|pixel| [pixel[0], pixel[1], pixel[2]])
        .collect();
    (info.width, info.height, rgb)
}

/// Fails unless the screenshot shows a drawn page: not blank, many colours.
fn assert_not_blank(screenshot: &Path) {
    let (width, height, rgb) = pixels(screenshot);
    assert_eq!((width, height), WINDOW);
    let colours: HashSet<[u8; 3]> = rgb.iter().copied().collect();
    let inked = rgb.iter().filter(|p| p.iter().any(|&c| c < 200)).count();
    let share = inked as f64 / rgb.len() as f64;
    assert!(colours.len() >= 50, "only {} colours", colours.len());
    assert!(
        share > 0.01,
        "only {:.3}% of pixels are dark",
        100.0 * share
    );
}

/// Fails unless every chart card of the rendered DOM holds an `<svg>`.
fn assert_charts_in_dom(dom: &str) {
    for id in CHARTS {
        let start = dom
            .find(&format!("id=\"{id}\""))
            .unwrap_or_else(|| panic!("no element with id {id} in the DOM"));
        let end = start + dom[start..].find("</section>").expect("the card is closed");
        assert!(dom[start..end].contains("<svg"), "{id} holds no <svg>");
    }
}

#[test]
fn report_renders_in_a_browser() {
    // Fail at once, before training, when the browser is missing.
    chromium();
    let dir = TempDir::new().unwrap();
    let (data, model) = trained(&dir, 3000);
    let report = dir.path().join("report.html");
    let out = cmltv(&[
        "report",
        "--model",
        s(&model),
        "--data",
        s(&data),
        "--oracle",
        "expected_ltv",
        "--output",
        s(&report),
        "--quiet",
    ]);
    assert!(out.status.success(), "{}", text(&out));
    let html = fs::read_to_string(&report).unwrap();
    assert!(html.contains("oracle expected_ltv"));

    // An oracle column that is not in the data is an input error, and writes nothing.
    let unwritten = dir.path().join("unwritten.html");
    let out = cmltv(&[
        "report",
        "--model",
        s(&model),
        "--data",
        s(&data),
        "--oracle",
        "nope",
        "--output",
        s(&unwritten),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("'nope'"), "{}", text(&out));
    assert!(!unwritten.exists());

    let screenshot = dir.path().join("report.png");
    let size = format!("--window-size={},{}", WINDOW.0, WINDOW.1);
    let shot = format!("--screenshot={}", s(&screenshot));
    browse(dir.path(), &report, &[size, shot]);
    assert_not_blank(&screenshot);
    if let Some(keep) = std::env::var_os("CMLTV_REPORT_SCREENSHOT") {
        fs::copy(&screenshot, keep).expect("the screenshot can be kept");
    }

    let dom = browse(dir.path(), &report, &["--dump-dom".to_string()]);
    assert_charts_in_dom(&dom);
}

#[test]
fn compare_report_from_a_comparison_directory() {
    let dir = TempDir::new().unwrap();
    let comparison = r#"{"train_rows": 800, "test_rows": 200, "models": [
        {"name": "cmltv", "metrics": {"normalized_gini": {"mean": 0.7, "std": 0.01},
         "decile_mape": {"mean": 0.2, "std": 0.05}, "sum_ratio": {"mean": 1.1, "std": 0.1}},
         "runs": [{}, {}]},
        {"name": "oracle", "metrics": {"normalized_gini": {"mean": 0.8, "std": 0.0}},
         "runs": [{}, {}]}]}"#;
    fs::write(dir.path().join("comparison.json"), comparison).unwrap();
    let report = dir.path().join("compare.html");
    let out = cmltv(&["report", "--compare", s(dir.path()), "--output", s(&report)]);
    assert!(out.status.success(), "{}", text(&out));
    let html = fs::read_to_string(&report).unwrap();
    assert!(html.contains("id=\"comparison-table\""));
    assert!(html.contains("<tr class=\"reference\"><td>oracle</td>"));
    assert_eq!(html.matches("<svg").count(), 3);
}

#[test]
fn bad_report_input_exits_2_and_keeps_an_earlier_report() {
    let dir = TempDir::new().unwrap();
    let report = dir.path().join("report.html");
    fs::write(&report, "precious").unwrap();
    let broken = dir.path().join("broken");
    fs::create_dir(&broken).unwrap();
    fs::write(broken.join("comparison.json"), "{\"models\": [}").unwrap();
    let out = cmltv(&["report", "--compare", s(&broken), "--output", s(&report)]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("comparison.json"), "{}", text(&out));
    let out = cmltv(&["report", "--output", s(&report)]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert_eq!(fs::read_to_string(&report).unwrap(), "precious");
}
