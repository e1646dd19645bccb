//! Parquet files, read with the Arrow reader one record batch at a time, all row groups in
//! turn. Integer, floating point, decimal and boolean columns become numeric; string columns
//! (plain, large, view or dictionary-encoded) become text; other types are refused.

use std::fs::File;
use std::path::Path;

use arrow::array::{Array, AsArray};
use arrow::compute::cast;
use arrow::datatypes::{DataType, Field, Float32Type, Float64Type};
use arrow::error::ArrowError;
use arrow::record_batch::RecordBatch;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use super::ReadOptions;
use crate::data::{Column, ColumnData, Table};
use crate::error::{Error, Result};

/// Reads every row group of a Parquet file.
pub(super) fn read(path: &Path, options: &ReadOptions) -> Result<Table> {
    let file = File::open(path).map_err(|source| Error::io(path, source))?;
    let reader = ParquetRecordBatchReaderBuilder::try_new(file).map_err(|e| corrupt(path, e))?;
    let rows = usize::try_from(reader.metadata().file_metadata().num_rows()).unwrap_or(0);
    let fields = reader.schema().fields().clone();
    let mut builders = fields
        .iter()
        .map(|field| Builder::new(path, field, options, rows))
        .collect::<Result<Vec<_>>>()?;

    for batch in reader.build().map_err(|e| corrupt(path, e))? {
        let batch = batch.map_err(|e| corrupt(path, e))?;
        append_batch(path, &mut builders, &batch)?;
    }

    let columns = fields.iter().zip(builders).map(|(field, builder)| Column {
        name: field.name().clone(),
        data: builder.finish(),
    });
    let table = Table::new(path, columns.collect())?;
    if table.rows() == 0 {
        return Err(Error::EmptyFile {
            path: path.to_path_buf(),
        });
    }
    Ok(table)
}

/// Appends one record batch to the column builders, which follow the batch's schema.
fn append_batch(path: &Path, builders: &mut [Builder], batch: &RecordBatch) -> Result<()> {
    let columns = batch.columns().iter().zip(batch.schema_ref().fields());
    for (builder, (array, field)) in builders.iter_mut().zip(columns) {
        builder
            .append(array.as_ref())
            .map_err(|error| Error::Format {
                path: path.to_path_buf(),
                message: format!("column '{}': {error}", field.name()),
            })?;
    }
    Ok(())
}

/// The error for a file that the Parquet reader cannot decode.
fn corrupt(path: &Path, error: impl std::fmt::Display) -> Error {
    Error::Format {
        path: path.to_path_buf(),
        message: format!("not a readable Parquet file: {error}"),
    }
}

/// Collects one column's values, batch by batch.
enum Builder {
    /// Numbers, cast to `f64` by Arrow.
    Numbers(Vec<Option<f64>>),
    /// Text cast by Arrow: strings, and integers, booleans or decimals read as text (which
    /// Arrow writes exactly, integers without a fraction).
    Cast(Vec<Option<String>>),
    /// Floating point numbers read as text, with Rust's shortest round-trip formatting.
    Floats(Vec<Option<String>>),
}

impl Builder {
    /// The builder for `field`, with room for `rows` values.
    ///
    /// # Errors
    ///
    /// [`Error::Format`] naming the column when its type is neither numeric nor text.
    fn new(path: &Path, field: &Field, options: &ReadOptions, rows: usize) -> Result<Builder> {
        let data_type = field.data_type();
        let as_text = options.is_text(field.name());
        if is_text(data_type) || (as_text && is_exact(data_type)) {
            Ok(Builder::Cast(Vec::with_capacity(rows)))
        } else if as_text && data_type.is_floating() {
            Ok(Builder::Floats(Vec::with_capacity(rows)))
        } else if is_exact(data_type) || data_type.is_floating() {
            Ok(Builder::Numbers(Vec::with_capacity(rows)))
        } else {
            Err(Error::Format {
                path: path.to_path_buf(),
                message: format!(
                    "column '{}' has type {data_type}, which is neither a number nor text",
                    field.name()
                ),
            })
        }
    }

    /// Appends the values of one batch.
    fn append(&mut self, array: &dyn Array) -> Result<(), ArrowError> {
        match self {
            Builder::Numbers(values) => {
                let numbers = cast(array, &DataType::Float64)?;
                values.extend(numbers.as_primitive::<Float64Type>());
            }
            Builder::Cast(values) => {
                let texts = cast(array, &DataType::Utf8)?;
                let texts = texts.as_string::<i32>();
                values.extend(texts.iter().map(|text| text.map(str::to_string)));
            }
            Builder::Floats(values) => append_floats(values, array)?,
        }
        Ok(())
    }

    /// The finished column.
    fn finish(self) -> ColumnData {
        match self {
            Builder::Numbers(values) => ColumnData::Numeric(values),
            Builder::Cast(values) | Builder::Floats(values) => ColumnData::Text(values),
        }
    }
}

/// Appends floating point values as text; `f32` values keep their own shortest form ("0.1",
/// not the "0.10000000149011612" of their `f64` widening).
fn append_floats(values: &mut Vec<Option<String>>, array: &dyn Array) -> Result<(), ArrowError> {
    if array.data_type() == &DataType::Float32 {
        let floats = array.as_primitive::<Float32Type>();
        values.extend(floats.iter().map(|value| value.map(|x| x.to_string())));
    } else {
        let floats = cast(array, &DataType::Float64)?;
        let floats = floats.as_primitive::<Float64Type>();
        values.extend(floats.iter().map(|value| value.map(|x| x.to_string())));
    }
    Ok(())
}

/// Whether Arrow stores this type as strings.
pub(crate) fn is_text(data_type: &DataType) -> bool {
    match data_type {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => true,
        DataType::Dictionary(_, values) => is_text(values),
        _ => false,
    }
}

/// Whether this type holds exact numbers: integers, decimals, booleans (0 or 1), or only
/// nulls.
fn is_exact(data_type: &DataType) -> bool {
    data_type.is_integer()
        || matches!(
            data_type,
            DataType::Boolean
                | DataType::Null
                | DataType::Decimal32(..)
                | DataType::Decimal64(..)
                | DataType::Decimal128(..)
                | DataType::Decimal256(..)
        )
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::sync::Arc;

    use arrow::array::{
        ArrayRef, BooleanArray, Date32Array, Decimal128Array, DictionaryArray, Float32Array,
        Float64Array, Int32Array, Int64Array, LargeStringArray, StringArray, StringViewArray,
    };
    use arrow::datatypes::Int32Type;
    use parquet::arrow::ArrowWriter;
    use parquet::file::properties::WriterProperties;

    use super::*;
    use crate::data::read_table;

    /// Writes `columns` to a Parquet file with row groups of at most two rows.
    fn parquet(dir: &tempfile::TempDir, columns: Vec<(&str, ArrayRef)>) -> PathBuf {
        let path = dir.path().join("users.parquet");
        let batch = RecordBatch::try_from_iter(columns).unwrap();
        let properties = WriterProperties::builder()
            .set_max_row_group_size(2)
            .build();
        let file = File::create(&path).unwrap();
        let mut writer = ArrowWriter::try_new(file, batch.schema(), Some(properties)).unwrap();
        writer.write(&batch).unwrap();
        writer.close().unwrap();
        path
    }

    fn data(table: &Table, name: &str) -> ColumnData {
        table.require(name).unwrap().data.clone()
    }

    fn texts(values: &[Option<&str>]) -> ColumnData {
        ColumnData::Text(values.iter().map(|v| v.map(str::to_string)).collect())
    }

    #[test]
    fn numeric_types_become_numbers_across_row_groups() {
        let dir = tempfile::tempdir().unwrap();
        let decimals = Decimal128Array::from(vec![Some(1234), None, Some(-5)])
            .with_precision_and_scale(10, 2)
            .unwrap();
        let path = parquet(
            &dir,
            vec![
                (
                    "i64",
                    Arc::new(Int64Array::from(vec![Some(1), None, Some(3)])),
                ),
                ("i32", Arc::new(Int32Array::from(vec![-1, 0, 7]))),
                (
                    "f32",
                    Arc::new(Float32Array::from(vec![Some(0.5), Some(2.0), None])),
                ),
                (
                    "f64",
                    Arc::new(Float64Array::from(vec![f64::NAN, 1.25, 3.0])),
                ),
                (
                    "flag",
                    Arc::new(BooleanArray::from(vec![Some(true), Some(false), None])),
                ),
                ("price", Arc::new(decimals)),
            ],
        );
        let table = read_table(&path, &ReadOptions::default()).unwrap();
        let number = |values: Vec<Option<f64>>| ColumnData::Numeric(values);
        assert_eq!(table.rows(), 3);
        assert_eq!(
            data(&table, "i64"),
            number(vec![Some(1.0), None, Some(3.0)])
        );
        assert_eq!(
            data(&table, "i32"),
            number(vec![Some(-1.0), Some(0.0), Some(7.0)])
        );
        assert_eq!(
            data(&table, "f32"),
            number(vec![Some(0.5), Some(2.0), None])
        );
        assert_eq!(
            data(&table, "flag"),
            number(vec![Some(1.0), Some(0.0), None])
        );
        assert_eq!(
            data(&table, "price"),
            number(vec![Some(12.34), None, Some(-0.05)])
        );
        let ColumnData::Numeric(f64s) = data(&table, "f64") else {
            panic!("f64 is not numeric");
        };
        assert!(f64s[0].unwrap().is_nan());
        assert_eq!(f64s[1..], [Some(1.25), Some(3.0)]);
    }

    #[test]
    fn string_types_become_text() {
        let dir = tempfile::tempdir().unwrap();
        let dictionary: DictionaryArray<Int32Type> =
            vec![Some("US"), None, Some("US")].into_iter().collect();
        let path = parquet(
            &dir,
            vec![
                (
                    "utf8",
                    Arc::new(StringArray::from(vec![Some("a"), None, Some("c")])),
                ),
                (
                    "large",
                    Arc::new(LargeStringArray::from(vec!["x", "y", "z"])),
                ),
                (
                    "view",
                    Arc::new(StringViewArray::from(vec![Some("v"), Some("w"), None])),
                ),
                ("country", Arc::new(dictionary)),
            ],
        );
        let table = read_table(&path, &ReadOptions::default()).unwrap();
        assert_eq!(data(&table, "utf8"), texts(&[Some("a"), None, Some("c")]));
        assert_eq!(
            data(&table, "large"),
            texts(&[Some("x"), Some("y"), Some("z")])
        );
        assert_eq!(data(&table, "view"), texts(&[Some("v"), Some("w"), None]));
        assert_eq!(
            data(&table, "country"),
            texts(&[Some("US"), None, Some("US")])
        );
    }

    #[test]
    fn text_columns_format_numbers_without_a_trailing_zero() {
        let dir = tempfile::tempdir().unwrap();
        let big = 9_007_199_254_740_993; // 2^53 + 1: not exact as an f64
        let path = parquet(
            &dir,
            vec![
                (
                    "id",
                    Arc::new(Int64Array::from(vec![Some(42), None, Some(big)])),
                ),
                ("code", Arc::new(Float64Array::from(vec![1.5, 2.0, -3.0]))),
                ("ratio", Arc::new(Float32Array::from(vec![0.1, 1.0, 2.5]))),
            ],
        );
        let options = ReadOptions::default()
            .with_text_column("id")
            .with_text_column("code")
            .with_text_column("ratio");
        let table = read_table(&path, &options).unwrap();
        let id = texts(&[Some("42"), None, Some("9007199254740993")]);
        assert_eq!(data(&table, "id"), id);
        assert_eq!(
            data(&table, "code"),
            texts(&[Some("1.5"), Some("2"), Some("-3")])
        );
        assert_eq!(
            data(&table, "ratio"),
            texts(&[Some("0.1"), Some("1"), Some("2.5")])
        );
    }

    #[test]
    fn other_types_are_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = parquet(
            &dir,
            vec![
                ("y", Arc::new(Float64Array::from(vec![1.0]))),
                ("signup", Arc::new(Date32Array::from(vec![19000]))),
            ],
        );
        let error = read_table(&path, &ReadOptions::default()).unwrap_err();
        assert!(matches!(error, Error::Format { .. }), "{error:?}");
        let message = error.to_string();
        assert!(
            message.contains("column 'signup' has type Date32"),
            "{message}"
        );
    }

    #[test]
    fn a_corrupt_file_is_a_format_error_with_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("users.parquet");
        std::fs::write(&path, "y,country\n1,US\n").unwrap();
        let error = read_table(&path, &ReadOptions::default()).unwrap_err();
        assert!(matches!(error, Error::Format { .. }), "{error:?}");
        let message = error.to_string();
        let expected = format!("{}: not a readable Parquet file", path.display());
        assert!(message.starts_with(&expected), "{message}");
    }

    #[test]
    fn a_truncated_file_is_a_format_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = parquet(
            &dir,
            vec![("y", Arc::new(Float64Array::from(vec![1.0, 2.0])))],
        );
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
        let error = read_table(&path, &ReadOptions::default()).unwrap_err();
        assert!(matches!(error, Error::Format { .. }), "{error:?}");
    }

    #[test]
    fn a_file_without_rows_is_empty() {
        let dir = tempfile::tempdir().unwrap();
        let empty: Vec<f64> = Vec::new();
        let path = parquet(&dir, vec![("y", Arc::new(Float64Array::from(empty)))]);
        let error = read_table(&path, &ReadOptions::default()).unwrap_err();
        assert!(matches!(error, Error::EmptyFile { .. }), "{error:?}");
    }

    #[test]
    fn a_missing_file_is_not_found() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("absent.pq");
        let error = read_table(&path, &ReadOptions::default()).unwrap_err();
        let Error::Io { source, .. } = error else {
            panic!("expected an I/O error, got {error:?}");
        };
        assert_eq!(source.kind(), std::io::ErrorKind::NotFound);
    }
}
