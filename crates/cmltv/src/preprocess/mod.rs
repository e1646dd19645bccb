//! Preprocessing: from table columns to model inputs.
//!
//! A [`Preprocessor`] is fitted on the training rows only and saved with the model, so that
//! validation and scoring rows are encoded with the training statistics:
//!
//! ```text
//! numeric column x:      t = log1p(max(x, 0)) if the column is logged, else x
//!                        z = (t - mean_train(t)) / std_train(t)      (std 0 -> 1)
//!                        missing or non-finite x: z = 0, indicator = 1
//! categorical column c:  index = 1..=K for the K training categories seen on at least
//!                        min_category_count rows (at most max_categories, most frequent),
//!                        0 for anything else, missing included
//! ```
//!
//! [`LogTransform::Auto`] logs a column when it is non-negative on the training rows and its
//! skewness exceeds [`SKEWNESS_THRESHOLD`]: the counts and amounts of LTV data, where most
//! users have little and a few have a lot.
//!
//! [`FeatureSpec`] names the columns; [`FeatureSpec::infer`] takes every column of a table
//! except the label, id and split columns.

mod categorical;
mod config;
mod numeric;
mod preprocessor;
#[cfg(test)]
mod tests;

pub use categorical::{OUT_OF_VOCABULARY, Vocabulary};
pub use config::{LogTransform, PreprocessConfig};
pub use numeric::{NumericScaler, SKEWNESS_THRESHOLD, STANDARD_LIMIT};
pub use preprocessor::{Features, Preprocessor};

use crate::data::{ColumnKind, Table};
use crate::error::{Error, Result};

/// The feature columns of a model, by name, each list in file order.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FeatureSpec {
    /// Columns read as numbers.
    pub numeric: Vec<String>,
    /// Columns read as categories (text, or numbers used as codes).
    pub categorical: Vec<String>,
}

impl FeatureSpec {
    /// Every column of `table` except those in `exclude`: numeric columns as numeric
    /// features, text columns as categorical ones.
    pub fn infer(table: &Table, exclude: &[String]) -> FeatureSpec {
        let mut spec = FeatureSpec {
            numeric: Vec::new(),
            categorical: Vec::new(),
        };
        let features = table
            .columns()
            .iter()
            .filter(|c| !exclude.contains(&c.name));
        for column in features {
            match column.data.kind() {
                ColumnKind::Numeric => spec.numeric.push(column.name.clone()),
                ColumnKind::Text => spec.categorical.push(column.name.clone()),
            }
        }
        spec
    }

    /// All feature columns: the numeric ones, then the categorical ones.
    pub fn columns(&self) -> impl Iterator<Item = &str> {
        self.numeric
            .iter()
            .chain(&self.categorical)
            .map(String::as_str)
    }

    /// Checks that no column is named twice.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidSetting`] naming the repeated column.
    pub fn validate(&self) -> Result<()> {
        let names: Vec<&str> = self.columns().collect();
        for (position, name) in names.iter().enumerate() {
            if names[..position].contains(name) {
                return Err(Error::InvalidSetting {
                    name: "features".to_string(),
                    value: (*name).to_string(),
                    reason: "the column is listed twice".to_string(),
                });
            }
        }
        Ok(())
    }
}
