//! Writing CSV and TSV: a header row, numbers in Rust's shortest round-trip form (integers
//! without ".0", `NaN`, `inf`), missing cells empty.

use std::fmt::Write as _;
use std::io;

use csv::{Writer, WriterBuilder};
use tempfile::NamedTempFile;

use crate::data::{ColumnData, ColumnKind, Table};

/// Rows written as delimited text into a temporary file.
pub(super) struct Sink {
    writer: Writer<NamedTempFile>,
    /// Reused to format numbers without allocating per cell.
    number: String,
}

impl Sink {
    /// Starts the file with its header row.
    pub(super) fn new(
        file: NamedTempFile,
        delimiter: u8,
        schema: &[(String, ColumnKind)],
    ) -> io::Result<Sink> {
        let mut writer = WriterBuilder::new().delimiter(delimiter).from_writer(file);
        writer
            .write_record(schema.iter().map(|(name, _)| name))
            .map_err(io_error)?;
        Ok(Sink {
            writer,
            number: String::new(),
        })
    }

    /// Appends the rows of `batch`, whose columns match the header.
    pub(super) fn write(&mut self, batch: &Table) -> io::Result<()> {
        for row in 0..batch.rows() {
            for column in batch.columns() {
                let cell = cell(&column.data, row, &mut self.number);
                self.writer.write_field(cell).map_err(io_error)?;
            }
            self.writer.write_record(None::<&[u8]>).map_err(io_error)?;
        }
        Ok(())
    }

    /// Flushes the rows and hands back the temporary file.
    pub(super) fn finish(self) -> io::Result<NamedTempFile> {
        self.writer.into_inner().map_err(|error| error.into_error())
    }
}

/// The text of one cell; numbers are formatted into `number`.
fn cell<'a>(data: &'a ColumnData, row: usize, number: &'a mut String) -> &'a str {
    match data {
        ColumnData::Numeric(values) => match values[row] {
            Some(value) => {
                number.clear();
                // Writing into a String cannot fail.
                let _ = write!(number, "{value}");
                number
            }
            None => "",
        },
        ColumnData::Text(values) => values[row].as_deref().unwrap_or(""),
    }
}

/// Unwraps the I/O error inside a CSV error; other CSV errors become I/O errors too.
fn io_error(error: csv::Error) -> io::Error {
    let message = error.to_string();
    match error.into_kind() {
        csv::ErrorKind::Io(source) => source,
        _ => io::Error::other(message),
    }
}
