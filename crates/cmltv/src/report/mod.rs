//! Reports: one self-contained HTML page that shows how well a model ranks and values users,
//! or how several models compare.
//!
//! A [`ModelReport`] scores a labelled table with a trained model and shows the gain curve
//! (with the normalized Gini of the model, the perfect ordering, random and an optional
//! oracle), the decile chart, a calibration plot, the distribution of predictions for payers
//! and non-payers, every view's metrics and the training curves. A [`Comparison`] reads the
//! `comparison.json` of a comparison run and shows the mean and spread of each model's metrics
//! as a table and as bar charts with error bars. [`write_html`] writes either page atomically.
//!
//! The page fetches nothing: styles are inline CSS and charts inline SVG, so it can be mailed,
//! archived or opened offline. Every user-provided string (model, column and file names) is
//! escaped.
//!
//! # Drawing
//!
//! Charts are drawn with the SVG backend of `plotters`, built without its font features
//! (`ttf`, `ab_glyph`). Text then goes into the SVG as `<text>` elements in the generic
//! `sans-serif` family, which the browser renders with whatever font it has; plotters only
//! needs the size of a label to lay out axes and legends, and without a font backend it
//! estimates it from the number of characters. We chose this over bundling a font for
//! `ab_glyph`: no font file in the library, no system font lookup while drawing, text that
//! stays selectable and searchable in the page, and the estimate's small errors are absorbed
//! by generous label areas.
//!
//! # Example
//!
//! ```no_run
//! use std::path::Path;
//! use cmltv::CmltvModel;
//! use cmltv::data::{ReadOptions, read_table};
//! use cmltv::report::{ModelReport, write_html};
//!
//! let model = CmltvModel::load(Path::new("model"))?;
//! let table = read_table(Path::new("test.csv"), &ReadOptions::default())?;
//! let report = ModelReport::new(&model, "model", &table, Some("expected_ltv"))?;
//! write_html(Path::new("report.html"), &report.to_html()?)?;
//! # Ok::<(), cmltv::Error>(())
//! ```

mod bars;
mod calibration;
mod chart;
mod compare;
mod decile;
mod distribution;
mod gain;
mod html;
mod model;
mod training;
mod views;

use std::io::Write;
use std::path::Path;

pub use compare::{COMPARISON_FILE, ComparedModel, Comparison, MetricSummary};
pub use model::{ModelReport, Oracle};

use crate::error::{Error, Result};

/// Writes `html` to `path` atomically: into a temporary file beside it, then renamed onto it,
/// so that an existing report is replaced only by a complete one.
///
/// # Errors
///
/// [`Error::Io`] when the temporary file cannot be created, written or moved (for instance
/// when the directory does not exist).
pub fn write_html(path: &Path, html: &str) -> Result<()> {
    let mut file = crate::data::temporary_file(path)?;
    file.write_all(html.as_bytes())
        .and_then(|()| file.as_file().sync_all())
        .map_err(|source| Error::io(path, source))?;
    file.persist(path)
        .map_err(|error| Error::io(path, error.error))?;
    tracing::debug!(path = %path.display(), bytes = html.len(), "wrote report");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_html_replaces_a_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let path = dir.path().join("report.html");
        std::fs::write(&path, "old").expect("writable");
        write_html(&path, "<p>new</p>").expect("writable");
        assert_eq!(
            std::fs::read_to_string(&path).expect("readable"),
            "<p>new</p>"
        );
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("readable")
            .map(|entry| entry.expect("entry").file_name())
            .collect();
        assert_eq!(names, vec!["report.html"]);
    }

    #[test]
    fn write_html_into_a_missing_directory_names_the_file() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let path = dir.path().join("absent").join("report.html");
        let error = write_html(&path, "x").expect_err("no directory");
        assert!(matches!(error, Error::Io { .. }), "{error}");
        assert!(error.to_string().contains("report.html"), "{error}");
    }
}
