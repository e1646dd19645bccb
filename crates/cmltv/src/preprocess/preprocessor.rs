//! The fitted preprocessing of a whole table, and the features it produces.

use std::borrow::Cow;
use std::ops::Range;

use super::FeatureSpec;
use super::categorical::Vocabulary;
use super::config::PreprocessConfig;
use super::numeric::{NumericScaler, numeric_values};
use crate::data::{ColumnData, Table};
use crate::error::{Error, Result};

/// Rows a worker thread gets at least, so that small tables stay on one thread.
const MIN_ROWS_PER_THREAD: usize = 32_768;

/// Rows encoded column after column while their output stays in cache.
const BLOCK_ROWS: usize = 1024;

/// Model inputs for a batch of rows.
///
/// # Shapes
///
/// - `numeric`: `[rows, numeric_width]`, row-major. For `n` numeric columns, positions
///   `0..n` hold the standardized values (0 when missing) and positions `n..2n` the missing
///   indicators (1 when missing, else 0), both in [`FeatureSpec::numeric`] order.
/// - `categorical`: `[rows, fields]`, row-major, one embedding index per categorical field
///   in [`FeatureSpec::categorical`] order; 0 is out-of-vocabulary or missing.
#[derive(Debug, Clone, PartialEq)]
pub struct Features {
    /// Number of rows.
    pub rows: usize,
    /// Standardized values then missing indicators, `[rows, numeric_width]`.
    pub numeric: Vec<f32>,
    /// Embedding indices, `[rows, fields]`.
    pub categorical: Vec<i64>,
}

/// Preprocessing fitted on training rows: one [`NumericScaler`] per numeric column and one
/// [`Vocabulary`] per categorical column. It is saved with the model so that scoring sees
/// exactly the inputs training saw.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "Stored")]
pub struct Preprocessor {
    spec: FeatureSpec,
    config: PreprocessConfig,
    numeric: Vec<NumericScaler>,
    categorical: Vec<Vocabulary>,
}

/// The serialized form, checked before it becomes a [`Preprocessor`].
#[derive(serde::Deserialize)]
struct Stored {
    spec: FeatureSpec,
    config: PreprocessConfig,
    numeric: Vec<NumericScaler>,
    categorical: Vec<Vocabulary>,
}

impl TryFrom<Stored> for Preprocessor {
    type Error = String;

    fn try_from(stored: Stored) -> Result<Self, Self::Error> {
        let counts = (stored.numeric.len(), stored.categorical.len());
        let expected = (stored.spec.numeric.len(), stored.spec.categorical.len());
        if counts != expected {
            return Err(format!(
                "the preprocessing holds {counts:?} (numeric, categorical) transforms \
                 for {expected:?} columns"
            ));
        }
        Ok(Preprocessor {
            spec: stored.spec,
            config: stored.config,
            numeric: stored.numeric,
            categorical: stored.categorical,
        })
    }
}

impl Preprocessor {
    /// Fits the preprocessing to `table`, which must hold the training rows only.
    ///
    /// ```
    /// use cmltv::data::{Column, Table};
    /// use cmltv::preprocess::{FeatureSpec, PreprocessConfig, Preprocessor};
    ///
    /// let table = Table::new("train.csv", vec![
    ///     Column::numeric("sessions", vec![Some(1.0), Some(3.0), None]),
    ///     Column::text("country", vec![Some("de".into()), Some("us".into()), Some("de".into())]),
    /// ])?;
    /// let spec = FeatureSpec::infer(&table, &[]);
    /// let config = PreprocessConfig::default().with_min_category_count(2);
    /// let preprocessor = Preprocessor::fit(&table, &spec, &config)?;
    ///
    /// let features = preprocessor.transform(&table)?;
    /// assert_eq!(features.numeric, [-1.0, 0.0, 1.0, 0.0, 0.0, 1.0]);
    /// assert_eq!(features.categorical, [1, 0, 1]);
    /// # Ok::<(), cmltv::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// - [`Error::InvalidSetting`] when `config` is invalid or `spec` names a column twice;
    /// - [`Error::MissingColumn`] when a column of `spec` is not in the table;
    /// - [`Error::BadValue`] when a numeric column holds text that is not a number.
    pub fn fit(table: &Table, spec: &FeatureSpec, config: &PreprocessConfig) -> Result<Self> {
        config.validate()?;
        spec.validate()?;
        let numeric = spec
            .numeric
            .iter()
            .map(|name| {
                let values = numeric_values(table.source(), name, &table.require(name)?.data)?;
                Ok(NumericScaler::fit(&values, config.log_transform))
            })
            .collect::<Result<Vec<_>>>()?;
        let categorical = spec
            .categorical
            .iter()
            .map(|name| {
                let data = &table.require(name)?.data;
                Ok(Vocabulary::fit(
                    data,
                    config.min_category_count,
                    config.max_categories,
                ))
            })
            .collect::<Result<Vec<_>>>()?;

        let logged = numeric.iter().filter(|scaler| scaler.log1p()).count();
        tracing::debug!(rows = table.rows(), logged, "fitted the preprocessing");
        Ok(Preprocessor {
            spec: spec.clone(),
            config: config.clone(),
            numeric,
            categorical,
        })
    }

    /// Turns a table's rows into model inputs. Extra columns are ignored; a categorical
    /// column stored as numbers is read as their text.
    ///
    /// # Errors
    ///
    /// - [`Error::SchemaMismatch`] when a column of the spec is not in the table;
    /// - [`Error::BadValue`] naming the row and column when a numeric column holds text that
    ///   is not a number.
    pub fn transform(&self, table: &Table) -> Result<Features> {
        // Report a missing column before any bad value.
        let numeric_columns = self.columns(table, &self.spec.numeric)?;
        let categorical = self.columns(table, &self.spec.categorical)?;

        let numeric = numeric_columns
            .iter()
            .zip(&self.spec.numeric)
            .map(|(data, name)| numeric_values(table.source(), name, data))
            .collect::<Result<Vec<_>>>()?;
        Ok(self.encode(&numeric, &categorical, table.rows()))
    }

    /// The columns the preprocessing reads.
    pub fn spec(&self) -> &FeatureSpec {
        &self.spec
    }

    /// The settings it was fitted with.
    pub fn config(&self) -> &PreprocessConfig {
        &self.config
    }

    /// Width of [`Features::numeric`]: a value and a missing indicator per numeric column.
    pub fn numeric_width(&self) -> usize {
        2 * self.numeric.len()
    }

    /// Embedding rows per categorical field, index 0 (out-of-vocabulary or missing) included.
    pub fn cardinalities(&self) -> Vec<usize> {
        self.categorical
            .iter()
            .map(Vocabulary::cardinality)
            .collect()
    }

    /// Names of the [`Features::numeric`] positions: the numeric columns, then
    /// `<column>_missing` for their indicators.
    pub fn numeric_feature_names(&self) -> Vec<String> {
        let indicators = self
            .spec
            .numeric
            .iter()
            .map(|name| format!("{name}_missing"));
        self.spec
            .numeric
            .iter()
            .cloned()
            .chain(indicators)
            .collect()
    }

    /// The fitted transform of each numeric column, in spec order.
    pub fn numeric_scalers(&self) -> &[NumericScaler] {
        &self.numeric
    }

    /// The vocabulary of each categorical column, in spec order.
    pub fn vocabularies(&self) -> &[Vocabulary] {
        &self.categorical
    }

    /// The data of each named column.
    fn columns<'t>(&self, table: &'t Table, names: &[String]) -> Result<Vec<&'t ColumnData>> {
        let find = |name: &String| {
            let column = table.column(name).ok_or_else(|| Error::SchemaMismatch {
                path: table.source().to_path_buf(),
                column: name.clone(),
                reason: "is missing; the model was trained with it".to_string(),
            })?;
            Ok(&column.data)
        };
        names.iter().map(find).collect()
    }

    /// Fills the features, splitting large tables by rows across threads.
    fn encode(
        &self,
        numeric: &[Cow<'_, [Option<f64>]>],
        categorical: &[&ColumnData],
        rows: usize,
    ) -> Features {
        let (numeric_width, fields) = (self.numeric_width(), self.categorical.len());
        let mut features = Features {
            rows,
            numeric: vec![0.0; rows * numeric_width],
            categorical: vec![0; rows * fields],
        };
        let threads = std::thread::available_parallelism().map_or(1, usize::from);
        let chunk = rows.div_ceil(threads).max(MIN_ROWS_PER_THREAD);

        std::thread::scope(|scope| {
            let mut numeric_rest = features.numeric.as_mut_slice();
            let mut categorical_rest = features.categorical.as_mut_slice();
            let mut start = 0;
            while start < rows {
                let end = (start + chunk).min(rows);
                let (numeric_out, rest) =
                    std::mem::take(&mut numeric_rest).split_at_mut((end - start) * numeric_width);
                numeric_rest = rest;
                let (categorical_out, rest) =
                    std::mem::take(&mut categorical_rest).split_at_mut((end - start) * fields);
                categorical_rest = rest;
                let mut job = move || {
                    self.encode_rows(
                        numeric,
                        categorical,
                        start..end,
                        numeric_out,
                        categorical_out,
                    )
                };
                // The last chunk runs on this thread.
                if end == rows {
                    job();
                } else {
                    scope.spawn(job);
                }
                start = end;
            }
        });
        features
    }

    /// Encodes `rows` into their slices of the output, a cache-sized block at a time.
    fn encode_rows(
        &self,
        numeric: &[Cow<'_, [Option<f64>]>],
        categorical: &[&ColumnData],
        rows: Range<usize>,
        numeric_out: &mut [f32],
        categorical_out: &mut [i64],
    ) {
        let (numeric_width, fields) = (self.numeric_width(), self.categorical.len());
        for start in rows.clone().step_by(BLOCK_ROWS) {
            let block = start..(start + BLOCK_ROWS).min(rows.end);
            let local = (block.start - rows.start)..(block.end - rows.start);
            let numeric_block =
                &mut numeric_out[local.start * numeric_width..local.end * numeric_width];
            for (column, (scaler, values)) in self.numeric.iter().zip(numeric).enumerate() {
                let values = &values[block.clone()];
                write_numeric(scaler, values, numeric_block, column, self.numeric.len());
            }
            let categorical_block = &mut categorical_out[local.start * fields..local.end * fields];
            for (field, (vocabulary, data)) in self.categorical.iter().zip(categorical).enumerate()
            {
                vocabulary.encode(data, block.clone(), &mut categorical_block[field..], fields);
            }
        }
    }
}

/// Writes column `column` of `count` numeric columns into a `[rows, 2 * count]` block.
fn write_numeric(
    scaler: &NumericScaler,
    values: &[Option<f64>],
    out: &mut [f32],
    column: usize,
    count: usize,
) {
    for (row, value) in out.chunks_exact_mut(2 * count).zip(values) {
        match value.and_then(|value| scaler.standardize(value)) {
            Some(standardized) => row[column] = standardized as f32,
            None => row[count + column] = 1.0,
        }
    }
}
