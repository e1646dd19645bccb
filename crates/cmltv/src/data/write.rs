//! Writing tables batch by batch, atomically.
//!
//! A [`TableWriter`] writes into a temporary file in the destination's directory and renames
//! it onto the destination only in [`TableWriter::finish`]. Until then the destination, and
//! any file already there, is untouched; a writer dropped early (an error, a panic, an
//! interrupted run) removes its temporary file.

mod delimited;
mod parquet_file;

use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use super::read::FileFormat;
use super::{ColumnKind, Table};
use crate::error::{Error, Result};

/// Streams batches of rows into a CSV, TSV or Parquet file, chosen by the extension.
///
/// ```no_run
/// use std::path::Path;
/// use cmltv::data::{Column, ColumnKind, Table, TableWriter};
///
/// let schema = [
///     ("user".to_string(), ColumnKind::Text),
///     ("pltv".to_string(), ColumnKind::Numeric),
/// ];
/// let mut writer = TableWriter::create(Path::new("scores.parquet"), &schema)?;
/// let batch = Table::new(
///     "scores",
///     vec![
///         Column::text("user", vec![Some("u1".into())]),
///         Column::numeric("pltv", vec![Some(12.5)]),
///     ],
/// )?;
/// writer.write(&batch)?;
/// writer.finish()?;
/// # Ok::<(), cmltv::Error>(())
/// ```
pub struct TableWriter {
    path: PathBuf,
    schema: Vec<(String, ColumnKind)>,
    sink: Sink,
    rows: usize,
    failed: bool,
}

/// Where the rows go, by format.
enum Sink {
    Delimited(Box<delimited::Sink>),
    Parquet(Box<parquet_file::Sink>),
}

impl TableWriter {
    /// Starts writing a table with these columns to `path` (`.csv`, `.tsv` or `.tab`,
    /// `.parquet` or `.pq`). Nothing appears at `path` before [`finish`](Self::finish).
    ///
    /// # Errors
    ///
    /// - [`Error::Format`] for an unknown extension, an empty schema or a repeated column
    ///   name;
    /// - [`Error::Io`] when the temporary file cannot be created next to `path` (for
    ///   instance because the directory does not exist).
    pub fn create(path: &Path, schema: &[(String, ColumnKind)]) -> Result<TableWriter> {
        let format = FileFormat::of(path)?;
        check_schema(path, schema)?;
        let file = temporary_file(path)?;
        let sink = match format {
            FileFormat::Delimited(delimiter) => delimited::Sink::new(file, delimiter, schema)
                .map(|sink| Sink::Delimited(Box::new(sink))),
            FileFormat::Parquet => {
                parquet_file::Sink::new(file, schema).map(|sink| Sink::Parquet(Box::new(sink)))
            }
        };
        Ok(TableWriter {
            path: path.to_path_buf(),
            schema: schema.to_vec(),
            sink: sink.map_err(|source| Error::io(path, source))?,
            rows: 0,
            failed: false,
        })
    }

    /// Appends the rows of `batch`, whose columns must have the schema's names, order and
    /// kinds.
    ///
    /// # Errors
    ///
    /// [`Error::Format`] when the batch's columns differ from the schema, [`Error::Io`] when
    /// writing fails. After an error the writer is spent: [`finish`](Self::finish) refuses to
    /// persist the incomplete file.
    pub fn write(&mut self, batch: &Table) -> Result<()> {
        if self.failed {
            return Err(self.spent());
        }
        let result = self.write_batch(batch);
        self.failed = result.is_err();
        result
    }

    /// Writes the end of the file and moves it onto the destination, replacing any file
    /// there.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] when the file cannot be completed or moved, or when an earlier
    /// [`write`](Self::write) failed; the destination is then left as it was.
    pub fn finish(self) -> Result<()> {
        if self.failed {
            return Err(self.spent());
        }
        let path = &self.path;
        let file = match self.sink {
            Sink::Delimited(sink) => sink.finish(),
            Sink::Parquet(sink) => sink.finish(),
        };
        let file = file.map_err(|source| Error::io(path, source))?;
        file.as_file()
            .sync_all()
            .map_err(|source| Error::io(path, source))?;
        file.persist(path)
            .map_err(|error| Error::io(path, error.error))?;
        tracing::debug!(path = %path.display(), rows = self.rows, "wrote table");
        Ok(())
    }

    /// Checks `batch` against the schema and hands it to the sink.
    fn write_batch(&mut self, batch: &Table) -> Result<()> {
        self.check_batch(batch)?;
        let written = match &mut self.sink {
            Sink::Delimited(sink) => sink.write(batch),
            Sink::Parquet(sink) => sink.write(batch),
        };
        written.map_err(|source| Error::io(&self.path, source))?;
        self.rows += batch.rows();
        Ok(())
    }

    /// The error for a batch whose columns differ from the schema.
    fn check_batch(&self, batch: &Table) -> Result<()> {
        let found = batch.columns();
        if found.len() != self.schema.len() {
            return Err(self.mismatch(format!(
                "a batch has {} columns where the schema has {}",
                found.len(),
                self.schema.len()
            )));
        }
        for (index, (column, (name, kind))) in found.iter().zip(&self.schema).enumerate() {
            let found_kind = column.data.kind();
            if column.name != *name || found_kind != *kind {
                return Err(self.mismatch(format!(
                    "column {} of a batch is '{}' ({}) where the schema has '{name}' ({})",
                    index + 1,
                    column.name,
                    kind_name(found_kind),
                    kind_name(*kind)
                )));
            }
        }
        Ok(())
    }

    fn mismatch(&self, message: String) -> Error {
        Error::Format {
            path: self.path.clone(),
            message,
        }
    }

    /// The error for using a writer after a failed write.
    fn spent(&self) -> Error {
        let reason = "an earlier write failed, so the file is incomplete and was not written";
        Error::io(&self.path, std::io::Error::other(reason))
    }
}

/// Writes `table` to `path` in one go, atomically, in the format its extension names.
///
/// # Errors
///
/// As [`TableWriter::create`], [`TableWriter::write`] and [`TableWriter::finish`].
pub fn write_table(path: &Path, table: &Table) -> Result<()> {
    let schema: Vec<(String, ColumnKind)> = table
        .columns()
        .iter()
        .map(|column| (column.name.clone(), column.data.kind()))
        .collect();
    let mut writer = TableWriter::create(path, &schema)?;
    writer.write(table)?;
    writer.finish()
}

/// Refuses an empty schema or a repeated column name.
fn check_schema(path: &Path, schema: &[(String, ColumnKind)]) -> Result<()> {
    let problem = if schema.is_empty() {
        Some("a table needs at least one column".to_string())
    } else {
        let repeated = schema
            .iter()
            .enumerate()
            .find(|(index, (name, _))| schema[..*index].iter().any(|(other, _)| other == name));
        repeated.map(|(_, (name, _))| format!("column '{name}' appears twice"))
    };
    match problem {
        Some(message) => Err(Error::Format {
            path: path.to_path_buf(),
            message,
        }),
        None => Ok(()),
    }
}

/// A temporary file in the directory of `path`, so that persisting it is a rename within one
/// file system. On Unix it asks for mode 0644 (less the umask), as a plain new file would get,
/// rather than the temporary file's usual 0600.
pub(crate) fn temporary_file(path: &Path) -> Result<NamedTempFile> {
    let directory = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".cmltv-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o644));
    }
    builder
        .tempfile_in(directory)
        .map_err(|source| Error::io(path, source))
}

fn kind_name(kind: ColumnKind) -> &'static str {
    match kind {
        ColumnKind::Numeric => "numeric",
        ColumnKind::Text => "text",
    }
}

#[cfg(test)]
mod tests {
    use std::fs::File;

    use parquet::basic::Compression;
    use parquet::file::reader::{FileReader, SerializedFileReader};

    use super::*;
    use crate::data::{Column, ColumnData, ReadOptions, read_table};

    fn sample() -> Table {
        let texts = |values: &[Option<&str>]| values.iter().map(|v| v.map(String::from)).collect();
        Table::new(
            "sample",
            vec![
                Column::text(
                    "id",
                    texts(&[Some("007"), Some("12"), Some("x9"), Some("4")]),
                ),
                Column::numeric("y", vec![Some(0.0), Some(12.5), None, Some(1e-7)]),
                Column::numeric(
                    "visits",
                    vec![Some(3.0), None, Some(123456789.0), Some(-2.0)],
                ),
                Column::text(
                    "country",
                    texts(&[
                        Some("US"),
                        None,
                        Some("a,b \"quoted\"\tx"),
                        Some("Côte d'Ivoire"),
                    ]),
                ),
            ],
        )
        .unwrap()
    }

    fn schema_of(table: &Table) -> Vec<(String, ColumnKind)> {
        let columns = table.columns().iter();
        columns.map(|c| (c.name.clone(), c.data.kind())).collect()
    }

    /// Reads back with `id` forced to text, as it holds numeric-looking codes.
    fn read_back(path: &Path) -> Table {
        let options = ReadOptions::default().with_text_column("id");
        read_table(path, &options).unwrap()
    }

    fn files_in(directory: &Path) -> Vec<String> {
        let entries = std::fs::read_dir(directory).unwrap();
        let mut names: Vec<String> = entries
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    fn round_trip(name: &str) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        let table = sample();
        write_table(&path, &table).unwrap();
        assert_eq!(read_back(&path).columns(), table.columns(), "{name}");
        assert_eq!(files_in(dir.path()), vec![name.to_string()]);
    }

    #[test]
    fn csv_round_trips() {
        round_trip("users.csv");
    }

    #[test]
    fn tsv_round_trips() {
        round_trip("users.tsv");
    }

    #[test]
    fn parquet_round_trips() {
        round_trip("users.parquet");
    }

    #[test]
    fn csv_numbers_are_printed_in_shortest_form() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("numbers.csv");
        let values = vec![
            Some(3.0),
            None,
            Some(0.1),
            Some(f64::NAN),
            Some(f64::NEG_INFINITY),
        ];
        let table = Table::new("t", vec![Column::numeric("y", values)]).unwrap();
        write_table(&path, &table).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text, "y\n3\n\"\"\n0.1\nNaN\n-inf\n");
    }

    #[test]
    fn non_finite_numbers_survive_both_formats() {
        for name in ["y.csv", "y.parquet"] {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join(name);
            let values = vec![Some(f64::NAN), Some(f64::INFINITY), None];
            let table = Table::new("t", vec![Column::numeric("y", values)]).unwrap();
            write_table(&path, &table).unwrap();
            let back = read_table(&path, &ReadOptions::default()).unwrap();
            let ColumnData::Numeric(y) = &back.columns()[0].data else {
                panic!("{name}: y is not numeric");
            };
            assert!(y[0].unwrap().is_nan(), "{name}");
            assert_eq!(y[1..], [Some(f64::INFINITY), None], "{name}");
        }
    }

    #[test]
    fn parquet_buffers_small_batches_into_large_row_groups() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("many.parquet");
        let schema = [("y".to_string(), ColumnKind::Numeric)];
        let mut writer = TableWriter::create(&path, &schema).unwrap();
        let (batches, rows) = (1000, 100);
        for batch in 0..batches {
            let values = (0..rows).map(|i| Some((batch * rows + i) as f64)).collect();
            let table = Table::new("t", vec![Column::numeric("y", values)]).unwrap();
            writer.write(&table).unwrap();
        }
        writer.finish().unwrap();

        let reader = SerializedFileReader::new(File::open(&path).unwrap()).unwrap();
        let metadata = reader.metadata();
        assert_eq!(metadata.file_metadata().num_rows(), 100_000);
        assert_eq!(metadata.num_row_groups(), 2);
        assert_eq!(metadata.row_group(0).num_rows(), 65_536);
        assert_eq!(
            metadata.row_group(0).column(0).compression(),
            Compression::SNAPPY
        );

        let back = read_table(&path, &ReadOptions::default()).unwrap();
        let ColumnData::Numeric(y) = &back.columns()[0].data else {
            panic!("y is not numeric");
        };
        assert!(y.iter().enumerate().all(|(i, v)| *v == Some(i as f64)));
    }

    #[test]
    fn batches_are_appended_in_order() {
        for name in ["users.csv", "users.pq"] {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join(name);
            let table = sample();
            let mut writer = TableWriter::create(&path, &schema_of(&table)).unwrap();
            writer.write(&table.take(&[0, 1])).unwrap();
            writer.write(&table.take(&[])).unwrap();
            writer.write(&table.take(&[2, 3])).unwrap();
            writer.finish().unwrap();
            assert_eq!(read_back(&path).columns(), table.columns(), "{name}");
        }
    }

    #[test]
    fn a_dropped_writer_leaves_the_old_file_and_no_temporary() {
        for name in ["users.csv", "users.parquet"] {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join(name);
            std::fs::write(&path, "earlier results").unwrap();
            let table = sample();
            let mut writer = TableWriter::create(&path, &schema_of(&table)).unwrap();
            writer.write(&table).unwrap();
            assert_eq!(
                files_in(dir.path()).len(),
                2,
                "{name}: the temporary file is beside"
            );
            drop(writer);
            assert_eq!(std::fs::read_to_string(&path).unwrap(), "earlier results");
            assert_eq!(files_in(dir.path()), vec![name.to_string()]);
        }
    }

    #[test]
    fn a_failed_write_persists_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("users.csv");
        std::fs::write(&path, "earlier results").unwrap();
        let table = sample();
        let mut writer = TableWriter::create(&path, &schema_of(&table)).unwrap();
        writer.write(&table).unwrap();
        let reordered = Table::new("t", table.columns().iter().rev().cloned().collect());
        assert!(writer.write(&reordered.unwrap()).is_err());
        assert!(
            writer.write(&table).is_err(),
            "a spent writer takes no more batches"
        );
        let error = writer.finish().unwrap_err();
        assert!(
            error.to_string().contains("an earlier write failed"),
            "{error}"
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "earlier results");
        assert_eq!(files_in(dir.path()), vec!["users.csv".to_string()]);
    }

    #[test]
    fn finish_replaces_an_earlier_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("users.csv");
        std::fs::write(&path, "earlier results").unwrap();
        write_table(&path, &sample()).unwrap();
        assert_eq!(read_back(&path).columns(), sample().columns());
    }

    #[test]
    fn a_batch_of_another_schema_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("users.parquet");
        let schema = [("y".to_string(), ColumnKind::Numeric)];
        let texts = Table::new("t", vec![Column::text("y", vec![None])]).unwrap();
        let wider = sample();

        let mut writer = TableWriter::create(&path, &schema).unwrap();
        let error = writer.write(&texts).unwrap_err();
        let expected = "column 1 of a batch is 'y' (text) where the schema has 'y' (numeric)";
        assert!(matches!(error, Error::Format { .. }), "{error:?}");
        assert!(error.to_string().ends_with(expected), "{error}");

        let mut writer = TableWriter::create(&path, &schema).unwrap();
        let error = writer.write(&wider).unwrap_err();
        let expected = "a batch has 4 columns where the schema has 1";
        assert!(error.to_string().ends_with(expected), "{error}");
        assert!(!path.exists());
    }

    #[test]
    fn bad_schemas_and_paths_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let numeric = |name: &str| (name.to_string(), ColumnKind::Numeric);
        let csv = dir.path().join("users.csv");
        let error = TableWriter::create(&csv, &[]).err().unwrap();
        assert!(error.to_string().contains("at least one column"), "{error}");
        let error = TableWriter::create(&csv, &[numeric("y"), numeric("y")])
            .err()
            .unwrap();
        assert!(
            error.to_string().contains("column 'y' appears twice"),
            "{error}"
        );

        let xlsx = dir.path().join("users.xlsx");
        let error = TableWriter::create(&xlsx, &[numeric("y")]).err().unwrap();
        assert!(matches!(error, Error::Format { .. }), "{error:?}");

        let nowhere = dir.path().join("absent").join("users.csv");
        let error = TableWriter::create(&nowhere, &[numeric("y")])
            .err()
            .unwrap();
        let Error::Io { path, source } = error else {
            panic!("expected an I/O error, got {error:?}");
        };
        assert_eq!(
            (path, source.kind()),
            (nowhere, std::io::ErrorKind::NotFound)
        );
        assert!(files_in(dir.path()).is_empty());
    }
}
