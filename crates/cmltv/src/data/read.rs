//! Reading a whole table from a CSV, TSV or Parquet file, chosen by the file's extension.
//!
//! CSV and TSV files carry no types, so each column's kind is inferred from its cells: a column
//! is numeric when more than half of its non-missing cells parse as numbers, and then every
//! other cell in it is an error that names the row and column. Parquet files carry their own
//! types, which are mapped onto [`ColumnKind`](super::ColumnKind).

mod delimited;
mod parquet_file;

pub(crate) use delimited::csv_error;
pub(crate) use parquet_file::is_text;

use std::path::Path;

use super::Table;
use crate::error::{Error, Result};

/// How to read a table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// Columns read as text whatever their cells look like: ids, or categories coded as
    /// numbers. Names that are not in the file are ignored.
    pub text_columns: Vec<String>,
}

impl ReadOptions {
    /// Adds a column to [`text_columns`](Self::text_columns).
    pub fn with_text_column(mut self, name: impl Into<String>) -> Self {
        self.text_columns.push(name.into());
        self
    }

    /// Whether the column `name` is forced to be text.
    pub(super) fn is_text(&self, name: &str) -> bool {
        self.text_columns.iter().any(|column| column == name)
    }
}

/// The file formats that tables are read from and written to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum FileFormat {
    /// Delimited text with a header row; the byte is the delimiter.
    Delimited(u8),
    /// Apache Parquet.
    Parquet,
}

/// The extensions we know, as shown in error messages.
const SUPPORTED: &str = ".csv, .tsv, .tab, .parquet, .pq";

impl FileFormat {
    /// The format named by the extension of `path` (case-insensitive).
    ///
    /// # Errors
    ///
    /// [`Error::Format`] when the extension is missing or unknown.
    pub(super) fn of(path: &Path) -> Result<FileFormat> {
        let extension = path
            .extension()
            .and_then(|extension| extension.to_str())
            .map(str::to_ascii_lowercase);
        match extension.as_deref() {
            Some("csv") => Ok(FileFormat::Delimited(b',')),
            Some("tsv" | "tab") => Ok(FileFormat::Delimited(b'\t')),
            Some("parquet" | "pq") => Ok(FileFormat::Parquet),
            Some(other) => Err(unsupported(path, &format!("extension '.{other}'"))),
            None => Err(unsupported(path, "no file extension")),
        }
    }
}

/// The error for a path whose extension names no format we know.
fn unsupported(path: &Path, what: &str) -> Error {
    Error::Format {
        path: path.to_path_buf(),
        message: format!("{what} is not a supported table format (supported: {SUPPORTED})"),
    }
}

/// Reads the table in `path`; the format follows the extension (`.csv`, `.tsv` or `.tab`,
/// `.parquet` or `.pq`).
///
/// In CSV and TSV files a header row is required; an empty cell, `NA`, `null` or `NULL` is
/// missing, while `NaN` and `inf` are read as those numbers (so that later checks can reject
/// them with a clear message).
///
/// # Errors
///
/// - [`Error::Io`] when the file cannot be opened or read (a missing file keeps the
///   [`NotFound`](std::io::ErrorKind::NotFound) kind);
/// - [`Error::EmptyFile`] when it holds no header or no data row;
/// - [`Error::Format`] for an unknown extension, a row with the wrong number of fields, a
///   corrupt Parquet file or a Parquet column of an unsupported type;
/// - [`Error::BadValue`] for a cell that is not a number in a numeric column.
pub fn read_table(path: &Path, options: &ReadOptions) -> Result<Table> {
    let table = match FileFormat::of(path)? {
        FileFormat::Delimited(delimiter) => delimited::read(path, delimiter, options)?,
        FileFormat::Parquet => parquet_file::read(path, options)?,
    };
    tracing::debug!(
        path = %path.display(),
        rows = table.rows(),
        columns = table.columns().len(),
        "read table"
    );
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_choose_the_format() {
        let csv = FileFormat::of(Path::new("a/b.CSV")).unwrap();
        let tsv = FileFormat::of(Path::new("b.tab")).unwrap();
        let parquet = FileFormat::of(Path::new("b.pq")).unwrap();
        assert_eq!(csv, FileFormat::Delimited(b','));
        assert_eq!(tsv, FileFormat::Delimited(b'\t'));
        assert_eq!(parquet, FileFormat::Parquet);
    }

    #[test]
    fn unknown_extension_lists_the_supported_ones() {
        let error = read_table(Path::new("users.xlsx"), &ReadOptions::default()).unwrap_err();
        assert!(matches!(error, Error::Format { .. }), "{error:?}");
        assert_eq!(
            error.to_string(),
            "users.xlsx: extension '.xlsx' is not a supported table format \
             (supported: .csv, .tsv, .tab, .parquet, .pq)"
        );
    }

    #[test]
    fn missing_extension_is_a_format_error() {
        let error = read_table(Path::new("users"), &ReadOptions::default()).unwrap_err();
        assert!(error.to_string().contains("no file extension"), "{error}");
    }

    #[test]
    fn options_collect_text_columns() {
        let options = ReadOptions::default()
            .with_text_column("id")
            .with_text_column("game");
        assert!(options.is_text("id") && options.is_text("game"));
        assert!(!options.is_text("y"));
    }
}
