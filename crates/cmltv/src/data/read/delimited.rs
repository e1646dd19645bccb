//! CSV and TSV files, read in two passes: the first checks the shape and infers each column's
//! kind, the second parses the cells into typed columns, so that a large file is never held in
//! memory as text.

use std::fs::File;
use std::path::Path;

use csv::{Reader, ReaderBuilder, StringRecord};

use super::ReadOptions;
use crate::data::{Column, ColumnData, ColumnKind, Table};
use crate::error::{Error, Result};

/// Cells that mean "missing", compared after trimming surrounding spaces.
const MISSING: [&str; 4] = ["", "NA", "null", "NULL"];

/// Reads a delimited file with a header row.
pub(super) fn read(path: &Path, delimiter: u8, options: &ReadOptions) -> Result<Table> {
    let mut reader = open(path, delimiter)?;
    let header = header(path, &mut reader)?;
    let (kinds, rows) = infer_kinds(path, &mut reader, &header, options)?;

    let mut reader = open(path, delimiter)?;
    let columns = parse_columns(path, &mut reader, header, &kinds, rows)?;
    Table::new(path, columns)
}

/// Opens `path` for reading; the reader skips the header row when it reads records.
fn open(path: &Path, delimiter: u8) -> Result<Reader<File>> {
    let file = File::open(path).map_err(|source| Error::io(path, source))?;
    Ok(ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(file))
}

/// The column names in the header row.
fn header(path: &Path, reader: &mut Reader<File>) -> Result<Vec<String>> {
    let header = reader.headers().map_err(|error| csv_error(path, error))?;
    if header.is_empty() {
        return Err(Error::EmptyFile {
            path: path.to_path_buf(),
        });
    }
    Ok(header.iter().map(|name| name.trim().to_string()).collect())
}

/// What one cell holds.
enum Cell {
    Missing,
    Number(f64),
    Other,
}

impl Cell {
    fn of(text: &str) -> Cell {
        let text = text.trim();
        if MISSING.contains(&text) {
            return Cell::Missing;
        }
        // Rust's parser also takes "NaN", "inf" and "infinity", which later checks reject.
        text.parse().map_or(Cell::Other, Cell::Number)
    }
}

/// Counts of a column's cells, from which its kind is inferred.
#[derive(Debug, Clone, Copy, Default)]
struct Tally {
    present: usize,
    numeric: usize,
}

impl Tally {
    fn add(&mut self, text: &str) {
        match Cell::of(text) {
            Cell::Missing => {}
            Cell::Number(_) => {
                self.present += 1;
                self.numeric += 1;
            }
            Cell::Other => self.present += 1,
        }
    }

    /// Numeric when more than half of the present cells are numbers; a column with no
    /// present cell at all is numeric too, so that it stays a (wholly missing) feature.
    fn kind(self) -> ColumnKind {
        if self.present == 0 || 2 * self.numeric > self.present {
            ColumnKind::Numeric
        } else {
            ColumnKind::Text
        }
    }
}

/// First pass: the kind of each column and the number of data rows.
fn infer_kinds(
    path: &Path,
    reader: &mut Reader<File>,
    header: &[String],
    options: &ReadOptions,
) -> Result<(Vec<ColumnKind>, usize)> {
    let mut tallies = vec![Tally::default(); header.len()];
    let rows = for_each_row(path, reader, header.len(), |_, record| {
        for (tally, text) in tallies.iter_mut().zip(record) {
            tally.add(text);
        }
        Ok(())
    })?;
    if rows == 0 {
        return Err(Error::EmptyFile {
            path: path.to_path_buf(),
        });
    }

    let kinds = header
        .iter()
        .zip(tallies)
        .map(|(name, tally)| {
            if options.is_text(name) {
                ColumnKind::Text
            } else {
                tally.kind()
            }
        })
        .collect();
    Ok((kinds, rows))
}

/// Second pass: the typed columns.
fn parse_columns(
    path: &Path,
    reader: &mut Reader<File>,
    header: Vec<String>,
    kinds: &[ColumnKind],
    rows: usize,
) -> Result<Vec<Column>> {
    let mut data: Vec<ColumnData> = kinds.iter().map(|&kind| empty(kind, rows)).collect();
    for_each_row(path, reader, header.len(), |row, record| {
        for ((values, text), name) in data.iter_mut().zip(record).zip(&header) {
            if !push(values, text) {
                return Err(Error::BadValue {
                    path: path.to_path_buf(),
                    row,
                    column: name.clone(),
                    message: format!("expected a number, found '{text}'"),
                });
            }
        }
        Ok(())
    })?;
    let columns = header.into_iter().zip(data);
    Ok(columns.map(|(name, data)| Column { name, data }).collect())
}

/// An empty column of this kind with room for `rows` values.
fn empty(kind: ColumnKind, rows: usize) -> ColumnData {
    match kind {
        ColumnKind::Numeric => ColumnData::Numeric(Vec::with_capacity(rows)),
        ColumnKind::Text => ColumnData::Text(Vec::with_capacity(rows)),
    }
}

/// Appends one cell; false when a numeric column meets a cell that is not a number.
fn push(values: &mut ColumnData, text: &str) -> bool {
    match values {
        ColumnData::Numeric(values) => match Cell::of(text) {
            Cell::Missing => values.push(None),
            Cell::Number(value) => values.push(Some(value)),
            Cell::Other => return false,
        },
        ColumnData::Text(values) => match Cell::of(text) {
            Cell::Missing => values.push(None),
            _ => values.push(Some(text.to_string())),
        },
    }
    true
}

/// Calls `visit` with each data row's number (counted from 1) and fields, after checking
/// that it has one field per column; returns the number of rows.
fn for_each_row(
    path: &Path,
    reader: &mut Reader<File>,
    width: usize,
    mut visit: impl FnMut(usize, &StringRecord) -> Result<()>,
) -> Result<usize> {
    let mut record = StringRecord::new();
    let mut row = 0;
    while reader
        .read_record(&mut record)
        .map_err(|error| csv_error(path, error))?
    {
        row += 1;
        if record.len() != width {
            return Err(ragged(path, row, &record, width));
        }
        visit(row, &record)?;
    }
    Ok(row)
}

/// The error for a row whose number of fields differs from the header's.
fn ragged(path: &Path, row: usize, record: &StringRecord, width: usize) -> Error {
    let line = record
        .position()
        .map(|position| format!(" (line {})", position.line()))
        .unwrap_or_default();
    Error::Format {
        path: path.to_path_buf(),
        message: format!(
            "row {row}{line} has {} fields where the header has {width}",
            record.len()
        ),
    }
}

/// Maps a CSV parser error: I/O errors keep their kind, the rest are format errors.
pub(crate) fn csv_error(path: &Path, error: csv::Error) -> Error {
    let message = error.to_string();
    match error.into_kind() {
        csv::ErrorKind::Io(source) => Error::io(path, source),
        _ => Error::Format {
            path: path.to_path_buf(),
            message,
        },
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::data::read_table;

    fn file(dir: &tempfile::TempDir, name: &str, contents: &str) -> PathBuf {
        let path = dir.path().join(name);
        std::fs::write(&path, contents).unwrap();
        path
    }

    fn read_csv(contents: &str) -> (tempfile::TempDir, Result<Table>) {
        let dir = tempfile::tempdir().unwrap();
        let path = file(&dir, "users.csv", contents);
        let table = read_table(&path, &ReadOptions::default());
        (dir, table)
    }

    fn numbers(table: &Table, name: &str) -> Vec<Option<f64>> {
        match &table.require(name).unwrap().data {
            ColumnData::Numeric(values) => values.clone(),
            other => panic!("{name} is not numeric: {other:?}"),
        }
    }

    fn texts(table: &Table, name: &str) -> Vec<Option<String>> {
        match &table.require(name).unwrap().data {
            ColumnData::Text(values) => values.clone(),
            other => panic!("{name} is not text: {other:?}"),
        }
    }

    fn some(values: &[&str]) -> Vec<Option<String>> {
        values.iter().map(|value| Some(value.to_string())).collect()
    }

    #[test]
    fn columns_get_their_kinds_and_missing_cells() {
        let (_dir, table) = read_csv("y,country,visits\n0,US,3\n12.5,,NA\n,FR,null\n");
        let table = table.unwrap();
        assert_eq!(table.rows(), 3);
        assert_eq!(numbers(&table, "y"), vec![Some(0.0), Some(12.5), None]);
        assert_eq!(numbers(&table, "visits"), vec![Some(3.0), None, None]);
        let country = texts(&table, "country");
        assert_eq!(country, vec![Some("US".into()), None, Some("FR".into())]);
    }

    #[test]
    fn a_minority_of_numbers_makes_a_text_column() {
        let (_dir, table) = read_csv("game\nchess\n2048\ngo\n");
        assert_eq!(
            texts(&table.unwrap(), "game"),
            some(&["chess", "2048", "go"])
        );
    }

    #[test]
    fn half_numbers_is_not_a_majority() {
        let (_dir, table) = read_csv("game\n7\ngo\n");
        assert_eq!(texts(&table.unwrap(), "game"), some(&["7", "go"]));
    }

    #[test]
    fn a_wholly_missing_column_is_numeric() {
        let (_dir, table) = read_csv("y,spend\n1,\n2,NA\n");
        assert_eq!(numbers(&table.unwrap(), "spend"), vec![None, None]);
    }

    #[test]
    fn nan_and_infinities_are_numbers_not_missing() {
        let (_dir, table) = read_csv("y\nNaN\ninf\n-inf\n1e3\n");
        let y = numbers(&table.unwrap(), "y");
        assert!(y[0].unwrap().is_nan());
        assert_eq!(
            y[1..],
            [Some(f64::INFINITY), Some(f64::NEG_INFINITY), Some(1e3)]
        );
    }

    #[test]
    fn text_columns_keep_codes_as_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = file(&dir, "users.csv", "id,y\n007,1\n12,NA\n");
        let options = ReadOptions::default().with_text_column("id");
        let table = read_table(&path, &options).unwrap();
        assert_eq!(texts(&table, "id"), some(&["007", "12"]));
        assert_eq!(numbers(&table, "y"), vec![Some(1.0), None]);
    }

    #[test]
    fn tab_separated_files_split_on_tabs() {
        let dir = tempfile::tempdir().unwrap();
        let path = file(&dir, "users.tsv", "y\tname\n1.5\ta, b\n");
        let table = read_table(&path, &ReadOptions::default()).unwrap();
        assert_eq!(numbers(&table, "y"), vec![Some(1.5)]);
        assert_eq!(texts(&table, "name"), some(&["a, b"]));
    }

    #[test]
    fn text_in_a_numeric_column_names_file_row_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let path = file(&dir, "users.csv", "id,amount\na,1\nb,2\nc,abc\nd,4\n");
        let error = read_table(&path, &ReadOptions::default()).unwrap_err();
        let expected = format!(
            "{}: row 3, column 'amount': expected a number, found 'abc'",
            path.display()
        );
        assert_eq!(error.to_string(), expected);
        assert!(matches!(error, Error::BadValue { row: 3, .. }), "{error:?}");
    }

    #[test]
    fn a_missing_file_keeps_not_found_and_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("absent.csv");
        let error = read_table(&path, &ReadOptions::default()).unwrap_err();
        match &error {
            Error::Io {
                path: found,
                source,
            } => {
                assert_eq!(found, &path);
                assert_eq!(source.kind(), std::io::ErrorKind::NotFound);
            }
            other => panic!("expected an I/O error, got {other:?}"),
        }
        assert!(error.to_string().contains("absent.csv"), "{error}");
    }

    #[test]
    fn an_empty_file_is_empty() {
        let (_dir, table) = read_csv("");
        assert!(matches!(table, Err(Error::EmptyFile { .. })), "{table:?}");
    }

    #[test]
    fn a_header_without_rows_is_empty() {
        let (_dir, table) = read_csv("y,country\n");
        assert!(matches!(table, Err(Error::EmptyFile { .. })), "{table:?}");
    }

    #[test]
    fn a_ragged_row_is_named() {
        let (_dir, table) = read_csv("y,country\n1,US\n2\n3,FR\n");
        let error = table.unwrap_err();
        assert!(matches!(error, Error::Format { .. }), "{error:?}");
        let message = error.to_string();
        assert!(
            message.ends_with("row 2 (line 3) has 1 fields where the header has 2"),
            "{message}"
        );
    }

    #[test]
    fn a_repeated_column_name_is_a_format_error() {
        let (_dir, table) = read_csv("y,y\n1,2\n");
        assert!(matches!(table, Err(Error::Format { .. })), "{table:?}");
    }

    #[test]
    fn invalid_utf8_is_a_format_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("users.csv");
        std::fs::write(&path, b"y,name\n1,\xff\xfe\n").unwrap();
        let error = read_table(&path, &ReadOptions::default()).unwrap_err();
        assert!(matches!(error, Error::Format { .. }), "{error:?}");
    }
}
