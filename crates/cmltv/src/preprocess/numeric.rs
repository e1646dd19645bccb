//! One numeric column: optional `log1p`, then standardization with training statistics.

use std::borrow::Cow;
use std::path::Path;

use super::config::LogTransform;
use crate::data::ColumnData;
use crate::error::{Error, Result};

/// [`LogTransform::Auto`] logs a non-negative column whose training skewness exceeds this.
pub const SKEWNESS_THRESHOLD: f64 = 2.0;

/// Standardized values are clipped to `[-STANDARD_LIMIT, STANDARD_LIMIT]`, so that a wild
/// value at scoring time cannot reach the network as an infinity.
pub const STANDARD_LIMIT: f64 = 1e6;

/// The fitted transform of one numeric column.
///
/// ```text
/// t(x) = log1p(max(x, 0))   if the column is logged, else x
/// z(x) = (t(x) - mean) / std
/// ```
///
/// `mean` and `std` (population, `ddof = 0`) are those of `t` over the finite training
/// values; a constant or empty column gets `std = 1`. Missing and non-finite cells have no
/// `z`: the preprocessor writes 0 and raises the column's missing indicator.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct NumericScaler {
    log1p: bool,
    mean: f64,
    std: f64,
}

impl NumericScaler {
    /// Fits the transform to a column's training values; `None` and non-finite values are
    /// skipped.
    pub fn fit(values: &[Option<f64>], rule: LogTransform) -> NumericScaler {
        let finite: Vec<f64> = values
            .iter()
            .flatten()
            .copied()
            .filter(|x| x.is_finite())
            .collect();
        let log1p = wants_log(&finite, rule);
        let transformed: Vec<f64> = if log1p {
            finite.iter().map(|x| x.ln_1p()).collect()
        } else {
            finite
        };
        let (mean, variance) = moments(&transformed);
        let std = variance.sqrt();
        let std = if std > 0.0 && std.is_finite() {
            std
        } else {
            1.0
        };
        NumericScaler { log1p, mean, std }
    }

    /// Whether the column gets `log1p` before standardization.
    pub fn log1p(&self) -> bool {
        self.log1p
    }

    /// Mean of the (logged) training values.
    pub fn mean(&self) -> f64 {
        self.mean
    }

    /// Standard deviation of the (logged) training values; 1 for a constant column.
    pub fn std(&self) -> f64 {
        self.std
    }

    /// The standardized value, or `None` for a non-finite input (a missing value).
    pub fn standardize(&self, value: f64) -> Option<f64> {
        if !value.is_finite() {
            return None;
        }
        let value = if self.log1p {
            value.max(0.0).ln_1p()
        } else {
            value
        };
        Some(((value - self.mean) / self.std).clamp(-STANDARD_LIMIT, STANDARD_LIMIT))
    }

    /// Maps a standardized value back to the column's units: `z * std + mean`, then `expm1`
    /// for a logged column. Inverts [`standardize`](Self::standardize) on values inside the
    /// clipping limit (and non-negative ones, for a logged column).
    pub fn inverse(&self, standardized: f64) -> f64 {
        let value = standardized * self.std + self.mean;
        if self.log1p { value.exp_m1() } else { value }
    }
}

/// Whether `rule` logs a column with these finite training values.
fn wants_log(values: &[f64], rule: LogTransform) -> bool {
    let non_negative = values.iter().all(|&x| x >= 0.0);
    match rule {
        LogTransform::Never => false,
        LogTransform::Always => non_negative,
        LogTransform::Auto => non_negative && skewness(values) > SKEWNESS_THRESHOLD,
    }
}

/// Mean and population variance, in two passes for accuracy.
fn moments(values: &[f64]) -> (f64, f64) {
    if values.is_empty() {
        return (0.0, 0.0);
    }
    let count = values.len() as f64;
    let mean = values.iter().sum::<f64>() / count;
    let variance = values.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / count;
    (mean, variance)
}

/// Biased sample skewness `m3 / m2^1.5` (scipy's `skew` default); 0 for a constant column.
fn skewness(values: &[f64]) -> f64 {
    let (mean, m2) = moments(values);
    if m2.is_nan() || m2 <= 0.0 {
        return 0.0;
    }
    let m3 = values.iter().map(|x| (x - mean).powi(3)).sum::<f64>() / values.len() as f64;
    m3 / m2.powf(1.5)
}

/// The numbers of a column that the model reads as numeric.
///
/// A numeric column is borrowed. A text column (for instance a scoring file where one cell
/// of a numeric column holds a stray word, so the reader typed it as text) is parsed cell by
/// cell; blank cells are missing.
///
/// # Errors
///
/// [`Error::BadValue`] naming the first row (from 1) whose text is not a number.
pub(crate) fn numeric_values<'a>(
    path: &Path,
    name: &str,
    data: &'a ColumnData,
) -> Result<Cow<'a, [Option<f64>]>> {
    match data {
        ColumnData::Numeric(values) => Ok(Cow::Borrowed(values)),
        ColumnData::Text(cells) => {
            let parse = |(row, cell): (usize, &Option<String>)| {
                parse_cell(cell.as_deref()).ok_or_else(|| Error::BadValue {
                    path: path.to_path_buf(),
                    row: row + 1,
                    column: name.to_string(),
                    message: format!(
                        "'{}' is not a number, but the column is a numeric feature",
                        cell.as_deref().unwrap_or_default()
                    ),
                })
            };
            let parsed = cells
                .iter()
                .enumerate()
                .map(parse)
                .collect::<Result<Vec<_>>>()?;
            Ok(Cow::Owned(parsed))
        }
    }
}

/// `Some(None)` for a blank cell, `Some(Some(x))` for a number, `None` for other text.
fn parse_cell(cell: Option<&str>) -> Option<Option<f64>> {
    match cell.map(str::trim) {
        None | Some("") => Some(None),
        Some(text) => text.parse().ok().map(Some),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOLERANCE: f64 = 1e-12;

    fn some(values: &[f64]) -> Vec<Option<f64>> {
        values.iter().copied().map(Some).collect()
    }

    // numpy 2.x, scipy 1.x:
    //   x = np.array([0.0] * 9 + [1000.0])
    //   scipy.stats.skew(x)  # 2.6666666666666665 = 8 / 3
    #[test]
    fn skewness_matches_scipy() {
        let mut values = vec![0.0; 9];
        values.push(1000.0);
        assert!((skewness(&values) - 8.0 / 3.0).abs() < TOLERANCE);
        assert_eq!(skewness(&[3.0, 3.0]), 0.0);
        assert_eq!(skewness(&[]), 0.0);
    }

    #[test]
    fn constant_and_empty_columns_get_unit_std() {
        let constant = NumericScaler::fit(&some(&[4.0, 4.0, 4.0]), LogTransform::Never);
        assert_eq!((constant.mean(), constant.std()), (4.0, 1.0));
        assert_eq!(constant.standardize(5.0), Some(1.0));

        let empty = NumericScaler::fit(&[None, Some(f64::NAN)], LogTransform::Auto);
        assert_eq!(
            (empty.mean(), empty.std(), empty.log1p()),
            (0.0, 1.0, false)
        );
    }

    #[test]
    fn logged_column_clamps_negatives_and_skips_non_finite() {
        let scaler = NumericScaler::fit(&some(&[0.0, 1.0, 3.0]), LogTransform::Always);
        assert!(scaler.log1p());
        assert_eq!(scaler.standardize(-5.0), scaler.standardize(0.0));
        assert_eq!(scaler.standardize(f64::INFINITY), None);
        assert_eq!(scaler.standardize(f64::NAN), None);
    }

    #[test]
    fn wild_values_are_clipped() {
        let scaler = NumericScaler::fit(&some(&[0.0, 1.0]), LogTransform::Never);
        assert_eq!(scaler.standardize(1e300), Some(STANDARD_LIMIT));
        assert_eq!(scaler.standardize(-1e300), Some(-STANDARD_LIMIT));
    }

    #[test]
    fn text_cells_are_parsed_or_reported_with_row_and_column() {
        let cells = ColumnData::Text(vec![Some(" 1.5".into()), None, Some(String::new())]);
        let parsed = numeric_values(Path::new("t.csv"), "spend", &cells).unwrap();
        assert_eq!(parsed.as_ref(), &[Some(1.5), None, None]);

        let cells = ColumnData::Text(vec![Some("2".into()), Some("n/a".into())]);
        let error = numeric_values(Path::new("t.csv"), "spend", &cells).unwrap_err();
        let message = error.to_string();
        assert!(matches!(error, Error::BadValue { row: 2, .. }), "{message}");
        assert!(message.contains("row 2, column 'spend'"), "{message}");
        assert!(message.contains("'n/a' is not a number"), "{message}");
    }
}
