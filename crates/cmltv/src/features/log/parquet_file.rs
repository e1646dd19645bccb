//! Parquet logs, streamed one record batch at a time with only the needed columns decoded.
//!
//! Customer ids of any type are read as text (integers without a fraction). A time column of
//! type date or timestamp gives days directly (timestamps on their UTC date, as Arrow stores
//! UTC instants); a text or integer time column is parsed like text, so an integer
//! `19970101` is a CDNOW date. Amounts and quantities may be any numeric type, or text.

use std::fs::File;
use std::path::Path;

use arrow::array::{Array, ArrayRef, AsArray, Float64Array, StringArray};
use arrow::compute::cast;
use arrow::datatypes::{DataType, Float64Type, Int32Type, Int64Type, TimeUnit};
use parquet::arrow::ProjectionMask;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use super::{Cell, MAX_COLUMNS, Role, Visitor, resolve};
use crate::data::is_text;
use crate::error::{Error, Result, RowPosition};

/// Rows decoded at a time.
const BATCH_ROWS: usize = 8192;

/// Reads the `columns` of every row of a Parquet file.
pub(super) fn for_each_row(
    path: &Path,
    columns: &[(&str, Role)],
    visit: &mut Visitor<'_>,
) -> Result<()> {
    let file = File::open(path).map_err(|source| Error::io(path, source))?;
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).map_err(|e| corrupt(path, e))?;
    let names: Vec<String> = builder
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect();
    let roots = resolve(path, &names, columns)?;
    let mask = ProjectionMask::roots(builder.parquet_schema(), roots);
    let reader = builder
        .with_projection(mask)
        .with_batch_size(BATCH_ROWS)
        .build()
        .map_err(|e| corrupt(path, e))?;

    let mut row = 0;
    for batch in reader {
        let batch = batch.map_err(|e| corrupt(path, e))?;
        let values = columns
            .iter()
            .map(|&(name, role)| {
                let array = batch
                    .column_by_name(name)
                    .expect("the projection keeps every resolved column");
                Values::of(path, name, role, array)
            })
            .collect::<Result<Vec<_>>>()?;
        for index in 0..batch.num_rows() {
            row += 1;
            let cells: [Cell<'_>; MAX_COLUMNS] =
                std::array::from_fn(|k| values.get(k).map_or(Cell::Absent, |v| v.cell(index)));
            visit(RowPosition::Row(row), &cells[..values.len()])?;
        }
    }
    Ok(())
}

/// One column of a record batch, in the form its cells are read from.
enum Values {
    Text(StringArray),
    Numbers(Float64Array),
    Days(Vec<Option<i64>>),
}

impl Values {
    /// Presents `array` for its role.
    ///
    /// # Errors
    ///
    /// [`Error::Format`] naming the column when Arrow cannot cast it.
    fn of(path: &Path, name: &str, role: Role, array: &ArrayRef) -> Result<Values> {
        let data_type = array.data_type();
        let values = match role {
            Role::Time if is_temporal(data_type) => days(array).map(Values::Days),
            Role::Number if !is_text(data_type) => cast(array, &DataType::Float64)
                .map(|a| Values::Numbers(a.as_primitive::<Float64Type>().clone())),
            _ => cast(array, &DataType::Utf8).map(|a| Values::Text(a.as_string::<i32>().clone())),
        };
        values.map_err(|error| Error::Format {
            path: path.to_path_buf(),
            message: format!("column '{name}' of type {data_type}: {error}"),
        })
    }

    /// The cell at `index`.
    fn cell(&self, index: usize) -> Cell<'_> {
        match self {
            Values::Text(texts) if texts.is_valid(index) => {
                let text = texts.value(index).trim();
                if text.is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text(text)
                }
            }
            Values::Numbers(numbers) if numbers.is_valid(index) => {
                Cell::Number(numbers.value(index))
            }
            Values::Days(days) => days[index].map_or(Cell::Empty, Cell::Day),
            _ => Cell::Empty,
        }
    }
}

/// Dates and timestamps.
fn is_temporal(data_type: &DataType) -> bool {
    matches!(
        data_type,
        DataType::Date32 | DataType::Date64 | DataType::Timestamp(..)
    )
}

/// Day numbers of a date or timestamp array: days since 1970-01-01, UTC.
fn days(array: &ArrayRef) -> std::result::Result<Vec<Option<i64>>, arrow::error::ArrowError> {
    if array.data_type() == &DataType::Date32 {
        let days = cast(array, &DataType::Int32)?;
        let days = days.as_primitive::<Int32Type>();
        return Ok(days.iter().map(|day| day.map(i64::from)).collect());
    }
    let per_day: i64 = match array.data_type() {
        DataType::Timestamp(TimeUnit::Second, _) => 86_400,
        DataType::Timestamp(TimeUnit::Microsecond, _) => 86_400_000_000,
        DataType::Timestamp(TimeUnit::Nanosecond, _) => 86_400_000_000_000,
        // Date64 and millisecond timestamps.
        _ => 86_400_000,
    };
    let ticks = cast(array, &DataType::Int64)?;
    let ticks = ticks.as_primitive::<Int64Type>();
    Ok(ticks
        .iter()
        .map(|t| t.map(|t| t.div_euclid(per_day)))
        .collect())
}

/// The error for a file that the Parquet reader cannot decode.
fn corrupt(path: &Path, error: impl std::fmt::Display) -> Error {
    Error::Format {
        path: path.to_path_buf(),
        message: format!("not a readable Parquet file: {error}"),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow::array::{Date32Array, Int64Array, TimestampSecondArray};
    use arrow::record_batch::RecordBatch;
    use parquet::arrow::ArrowWriter;
    use parquet::file::properties::WriterProperties;

    use super::*;

    /// Writes `columns` to a Parquet file with row groups of two rows.
    fn parquet(dir: &tempfile::TempDir, columns: Vec<(&str, ArrayRef)>) -> std::path::PathBuf {
        let path = dir.path().join("log.parquet");
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

    fn read(path: &Path, columns: &[(&str, Role)]) -> Result<Vec<String>> {
        let mut seen = Vec::new();
        for_each_row(path, columns, &mut |position, cells| {
            seen.push(format!("{position}: {cells:?}"));
            Ok(())
        })?;
        Ok(seen)
    }

    #[test]
    fn typed_columns_become_cells_across_row_groups() {
        let dir = tempfile::tempdir().unwrap();
        let path = parquet(
            &dir,
            vec![
                (
                    "id",
                    Arc::new(Int64Array::from(vec![Some(7), None, Some(9)])),
                ),
                (
                    "day",
                    Arc::new(Date32Array::from(vec![Some(9862), Some(9863), None])),
                ),
                (
                    "at",
                    Arc::new(TimestampSecondArray::from(vec![86_399, 86_400, -1])),
                ),
                ("amount", Arc::new(StringArray::from(vec!["1.5", " ", "x"]))),
                ("ignored", Arc::new(Int64Array::from(vec![1, 2, 3]))),
            ],
        );
        let columns = [
            ("id", Role::Key),
            ("day", Role::Time),
            ("at", Role::Time),
            ("amount", Role::Number),
        ];
        assert_eq!(
            read(&path, &columns).unwrap(),
            [
                "row 1: [Text(\"7\"), Day(9862), Day(0), Text(\"1.5\")]",
                "row 2: [Empty, Day(9863), Day(1), Empty]",
                "row 3: [Text(\"9\"), Empty, Day(-1), Text(\"x\")]",
            ]
        );
    }

    #[test]
    fn numbers_and_integer_dates_keep_their_meaning() {
        let dir = tempfile::tempdir().unwrap();
        let path = parquet(
            &dir,
            vec![
                ("date", Arc::new(Int64Array::from(vec![19970101]))),
                ("amount", Arc::new(Int64Array::from(vec![12]))),
            ],
        );
        let columns = [("date", Role::Time), ("amount", Role::Number)];
        assert_eq!(
            read(&path, &columns).unwrap(),
            ["row 1: [Text(\"19970101\"), Number(12.0)]"]
        );
        let error = read(&path, &[("spend", Role::Number)]).unwrap_err();
        assert!(
            error.to_string().ends_with("no column named 'spend'"),
            "{error}"
        );
    }

    #[test]
    fn a_text_file_is_not_parquet() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.parquet");
        std::fs::write(&path, "id,date\n1,2\n").unwrap();
        let error = read(&path, &[("id", Role::Key)]).unwrap_err();
        assert!(
            error.to_string().contains("not a readable Parquet file"),
            "{error}"
        );
    }
}
