//! Settings of the preprocessing fit.

use crate::error::{Error, Result};

/// When a numeric column gets `log1p` before standardization.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LogTransform {
    /// Columns that are non-negative on the training rows and heavy-tailed: their sample
    /// skewness (the biased Fisher-Pearson coefficient `m3 / m2^1.5`) exceeds
    /// [`SKEWNESS_THRESHOLD`](super::SKEWNESS_THRESHOLD).
    #[default]
    Auto,
    /// Every column that is non-negative on the training rows, whatever its tail. A column
    /// with a negative training value is never logged, since `log1p` would lose its sign.
    Always,
    /// No column.
    Never,
}

/// Hyperparameters of [`Preprocessor::fit`](super::Preprocessor::fit).
///
/// Build it with [`Default`] and the `with_*` setters; `fit` calls [`validate`] itself.
///
/// [`validate`]: PreprocessConfig::validate
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct PreprocessConfig {
    /// A category enters the vocabulary only if it occurs on at least this many training rows
    /// (default 5); rarer values share the out-of-vocabulary index 0.
    pub min_category_count: usize,
    /// At most this many categories per field (default 10 000), the most frequent kept.
    pub max_categories: usize,
    /// Which numeric columns get `log1p` (default [`LogTransform::Auto`]).
    pub log_transform: LogTransform,
}

impl Default for PreprocessConfig {
    fn default() -> Self {
        PreprocessConfig {
            min_category_count: 5,
            max_categories: 10_000,
            log_transform: LogTransform::Auto,
        }
    }
}

impl PreprocessConfig {
    /// Sets [`min_category_count`](Self::min_category_count).
    pub fn with_min_category_count(mut self, count: usize) -> Self {
        self.min_category_count = count;
        self
    }

    /// Sets [`max_categories`](Self::max_categories).
    pub fn with_max_categories(mut self, count: usize) -> Self {
        self.max_categories = count;
        self
    }

    /// Sets [`log_transform`](Self::log_transform).
    pub fn with_log_transform(mut self, rule: LogTransform) -> Self {
        self.log_transform = rule;
        self
    }

    /// Checks that the settings can work.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidSetting`] when `min_category_count` or `max_categories` is 0.
    pub fn validate(&self) -> Result<()> {
        if self.min_category_count == 0 {
            return Err(invalid(
                "min_category_count",
                self.min_category_count,
                "must be at least 1: a category needs one training row to be learned",
            ));
        }
        if self.max_categories == 0 {
            return Err(invalid(
                "max_categories",
                self.max_categories,
                "must be at least 1; use fewer categorical columns to drop a field",
            ));
        }
        Ok(())
    }
}

fn invalid(name: &str, value: usize, reason: &str) -> Error {
    Error::InvalidSetting {
        name: name.to_string(),
        value: value.to_string(),
        reason: reason.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid() {
        let config = PreprocessConfig::default();
        assert_eq!(config.min_category_count, 5);
        assert_eq!(config.max_categories, 10_000);
        assert_eq!(config.log_transform, LogTransform::Auto);
        assert!(config.validate().is_ok());
    }

    #[test]
    fn zero_counts_are_rejected_with_their_name() {
        let config = PreprocessConfig::default().with_min_category_count(0);
        let message = config.validate().unwrap_err().to_string();
        assert!(message.contains("min_category_count = 0"), "{message}");

        let config = PreprocessConfig::default().with_max_categories(0);
        let message = config.validate().unwrap_err().to_string();
        assert!(message.contains("max_categories = 0"), "{message}");
    }

    #[test]
    fn missing_fields_take_their_defaults() {
        let config: PreprocessConfig =
            serde_json::from_str(r#"{"log_transform": "never"}"#).unwrap();
        let expected = PreprocessConfig::default().with_log_transform(LogTransform::Never);
        assert_eq!(config, expected);
    }
}
