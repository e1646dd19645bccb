//! Text logs: one delimiter byte with CSV quoting (through the `csv` crate), or fields
//! separated by runs of whitespace. Rows are read into one reused buffer; line numbers count
//! the header as line 1.

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use csv::{ByteRecord, Position, ReaderBuilder};

use super::{Cell, Delimiter, MAX_COLUMNS, Role, Visitor, resolve};
use crate::data::csv_error;
use crate::error::{Error, Result, RowPosition};

/// Bytes read from the file at a time.
const BUFFER_BYTES: usize = 1 << 16;

/// Reads a text log with `delimiter`, detecting it from the header when it is `Auto`.
pub(super) fn for_each_row(
    path: &Path,
    delimiter: Delimiter,
    columns: &[(&str, Role)],
    visit: &mut Visitor<'_>,
) -> Result<()> {
    let mut file = File::open(path).map_err(|source| Error::io(path, source))?;
    let delimiter = match delimiter {
        Delimiter::Auto => {
            let detected = detect(path, &mut file)?;
            tracing::debug!(path = %path.display(), delimiter = %detected, "detected delimiter");
            detected
        }
        chosen => chosen,
    };
    match delimiter {
        Delimiter::Byte(byte) => read_quoted(path, file, byte, columns, visit),
        Delimiter::Whitespace | Delimiter::Auto => read_whitespace(path, file, columns, visit),
    }
}

/// The delimiter that the first non-blank line suggests; rewinds `file`.
fn detect(path: &Path, file: &mut File) -> Result<Delimiter> {
    let mut reader = BufReader::new(&mut *file);
    let mut line = Vec::new();
    while line.iter().all(u8::is_ascii_whitespace) {
        line.clear();
        let read = reader.read_until(b'\n', &mut line);
        if read.map_err(|source| Error::io(path, source))? == 0 {
            return Err(Error::EmptyFile {
                path: path.to_path_buf(),
            });
        }
    }
    file.rewind().map_err(|source| Error::io(path, source))?;
    Ok(delimiter_of(&line))
}

/// The most frequent of the usual delimiters in `header`, or whitespace without any.
fn delimiter_of(header: &[u8]) -> Delimiter {
    let count = |byte: u8| header.iter().filter(|&&b| b == byte).count();
    let best = [b',', b'\t', b';', b'|']
        .into_iter()
        .map(|byte| (count(byte), byte))
        .filter(|&(count, _)| count > 0)
        .max_by_key(|&(count, _)| count);
    best.map_or(Delimiter::Whitespace, |(_, byte)| Delimiter::Byte(byte))
}

/// Reads a log whose fields are separated by `delimiter`, with CSV quoting.
fn read_quoted(
    path: &Path,
    mut file: File,
    delimiter: u8,
    columns: &[(&str, Role)],
    visit: &mut Visitor<'_>,
) -> Result<()> {
    let end = unterminated_end(&mut file).map_err(|source| Error::io(path, source))?;
    let mut reader = ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .buffer_capacity(BUFFER_BYTES)
        .from_reader(file);
    let header = reader.byte_headers().map_err(|e| csv_error(path, e))?;
    if header.is_empty() {
        return Err(Error::EmptyFile {
            path: path.to_path_buf(),
        });
    }
    let names: Vec<String> = header.iter().map(header_name).collect();
    let indices = resolve(path, &names, columns)?;

    let mut record = ByteRecord::new();
    while reader
        .read_byte_record(&mut record)
        .map_err(|e| csv_error(path, e))?
    {
        let line = first_line(reader.position(), &record, end);
        let cells = cells(&indices, |i| record.get(i));
        visit(RowPosition::Line(line), &cells[..indices.len()])?;
    }
    Ok(())
}

/// The byte length of a file that does not end with a line break; rewinds `file`.
fn unterminated_end(file: &mut File) -> std::io::Result<Option<u64>> {
    let length = file.metadata()?.len();
    let mut last = [0u8];
    if length > 0 {
        file.seek(SeekFrom::End(-1))?;
        file.read_exact(&mut last)?;
        file.rewind()?;
    }
    Ok((length > 0 && last[0] != b'\n').then_some(length))
}

/// The line on which a record starts, from the reader's position after it.
///
/// The CSV reader counts line breaks as it consumes them, and it consumes the blank lines
/// before a record with the record, so the position it stamps on a record can fall short.
/// After the record it has passed the record's own line breaks: those inside quoted fields,
/// and the terminator unless the record is the unterminated end of the file.
fn first_line(after: &Position, record: &ByteRecord, unterminated_end: Option<u64>) -> usize {
    let inside = record.as_slice().iter().filter(|&&b| b == b'\n').count() as u64;
    let terminator = u64::from(unterminated_end != Some(after.byte()));
    (after.line() - inside - terminator) as usize
}

/// Reads a log whose fields are separated by runs of whitespace; blank lines are skipped.
fn read_whitespace(
    path: &Path,
    file: File,
    columns: &[(&str, Role)],
    visit: &mut Visitor<'_>,
) -> Result<()> {
    let mut reader = BufReader::with_capacity(BUFFER_BYTES, file);
    let mut line = Vec::new();
    let mut fields = Vec::new();
    let mut number = 0;

    // The header is the first line that is not blank.
    while fields.is_empty() {
        if !next_line(path, &mut reader, &mut line, &mut number)? {
            return Err(Error::EmptyFile {
                path: path.to_path_buf(),
            });
        }
        split_whitespace(&line, &mut fields);
    }
    let names: Vec<String> = fields
        .iter()
        .map(|r| header_name(&line[r.clone()]))
        .collect();
    let indices = resolve(path, &names, columns)?;

    while next_line(path, &mut reader, &mut line, &mut number)? {
        split_whitespace(&line, &mut fields);
        if fields.is_empty() {
            continue;
        }
        let cells = cells(&indices, |i| fields.get(i).map(|r| &line[r.clone()]));
        visit(RowPosition::Line(number), &cells[..indices.len()])?;
    }
    Ok(())
}

/// Reads the next line into `line` and counts it; false at the end of the file.
fn next_line(
    path: &Path,
    reader: &mut BufReader<File>,
    line: &mut Vec<u8>,
    number: &mut usize,
) -> Result<bool> {
    line.clear();
    let read = reader.read_until(b'\n', line);
    let more = read.map_err(|source| Error::io(path, source))? > 0;
    *number += usize::from(more);
    Ok(more)
}

/// The byte ranges of the whitespace-separated fields of `line`.
fn split_whitespace(line: &[u8], fields: &mut Vec<std::ops::Range<usize>>) {
    fields.clear();
    let mut start = None;
    for (at, byte) in line.iter().enumerate() {
        match (byte.is_ascii_whitespace(), start) {
            (false, None) => start = Some(at),
            (true, Some(from)) => {
                fields.push(from..at);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(from) = start {
        fields.push(from..line.len());
    }
}

/// The cells at `indices`, fetched by `field`; unused slots are `Absent`.
fn cells<'a>(
    indices: &[usize],
    field: impl Fn(usize) -> Option<&'a [u8]>,
) -> [Cell<'a>; MAX_COLUMNS] {
    std::array::from_fn(|k| match indices.get(k) {
        Some(&index) => cell(field(index)),
        None => Cell::Absent,
    })
}

/// One field as a cell: trimmed text, empty, absent, or not UTF-8.
fn cell(field: Option<&[u8]>) -> Cell<'_> {
    let Some(bytes) = field else {
        return Cell::Absent;
    };
    match std::str::from_utf8(bytes) {
        Ok(text) if text.trim().is_empty() => Cell::Empty,
        Ok(text) => Cell::Text(text.trim()),
        Err(_) => Cell::NotText,
    }
}

/// A column name from the header: trimmed, without a byte order mark.
fn header_name(bytes: &[u8]) -> String {
    let name = String::from_utf8_lossy(bytes);
    name.trim_start_matches('\u{feff}').trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cells of each row as owned text, with their line numbers.
    fn rows(contents: &str, delimiter: Delimiter, columns: &[&str]) -> Result<Vec<String>> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.txt");
        std::fs::write(&path, contents).unwrap();
        let columns: Vec<(&str, Role)> = columns.iter().map(|c| (*c, Role::Key)).collect();
        let mut seen = Vec::new();
        super::for_each_row(&path, delimiter, &columns, &mut |position, cells| {
            seen.push(format!("{position}: {cells:?}"));
            Ok(())
        })?;
        Ok(seen)
    }

    #[test]
    fn the_header_chooses_the_delimiter() {
        assert_eq!(delimiter_of(b"id,date,amount\n"), Delimiter::Byte(b','));
        assert_eq!(
            delimiter_of(b"id\tdate\tamount\r\n"),
            Delimiter::Byte(b'\t')
        );
        assert_eq!(delimiter_of(b"id;date;amount,usd\n"), Delimiter::Byte(b';'));
        assert_eq!(
            delimiter_of(b" customer_id  date number\r\n"),
            Delimiter::Whitespace
        );
    }

    #[test]
    fn whitespace_logs_split_on_runs_and_skip_blank_lines() {
        let log = "\n customer_id  date number_of_cds  dollar_value\r\n \
                   00001 19970101  1   11.77\r\n\r\n 00002 19970112\r\n";
        let seen = rows(log, Delimiter::Auto, &["customer_id", "dollar_value"]).unwrap();
        assert_eq!(
            seen,
            [
                "line 3: [Text(\"00001\"), Text(\"11.77\")]",
                "line 5: [Text(\"00002\"), Absent]",
            ]
        );
    }

    #[test]
    fn quoted_logs_keep_empty_fields_and_lines() {
        let log = "id,note,amount\n7,\"a, b\",3.5\n8,,\n\n9,x\n";
        let seen = rows(log, Delimiter::Auto, &["amount", "id"]).unwrap();
        assert_eq!(
            seen,
            [
                "line 2: [Text(\"3.5\"), Text(\"7\")]",
                "line 3: [Empty, Text(\"8\")]",
                "line 5: [Absent, Text(\"9\")]",
            ]
        );
    }

    #[test]
    fn line_numbers_count_blank_lines_and_quoted_line_breaks() {
        let log = "id,note\n\n\n1,\"two\nlines\"\n\r\n2,x\n3,\"a\nb\"";
        let seen = rows(log, Delimiter::Auto, &["id"]).unwrap();
        assert_eq!(
            seen,
            [
                "line 4: [Text(\"1\")]",
                "line 7: [Text(\"2\")]",
                "line 8: [Text(\"3\")]",
            ]
        );
    }

    #[test]
    fn an_explicit_delimiter_overrides_detection() {
        let log = "id amount;x\n1 2;3\n";
        let seen = rows(log, Delimiter::Whitespace, &["amount;x"]).unwrap();
        assert_eq!(seen, ["line 2: [Text(\"2;3\")]"]);
        let seen = rows(log, Delimiter::Byte(b';'), &["x"]).unwrap();
        assert_eq!(seen, ["line 2: [Text(\"3\")]"]);
    }

    #[test]
    fn invalid_utf8_is_a_cell_not_a_failure() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.csv");
        std::fs::write(&path, b"\xef\xbb\xbfid,amount\n\xff,1\n").unwrap();
        let mut seen = Vec::new();
        let columns = [("id", Role::Key), ("amount", Role::Number)];
        super::for_each_row(&path, Delimiter::Auto, &columns, &mut |_, cells| {
            seen.push(
                cells
                    .to_vec()
                    .iter()
                    .map(|c| format!("{c:?}"))
                    .collect::<Vec<_>>(),
            );
            Ok(())
        })
        .unwrap();
        assert_eq!(seen, [["NotText", "Text(\"1\")"]]);
    }

    #[test]
    fn empty_files_and_missing_columns_are_errors() {
        for delimiter in [Delimiter::Auto, Delimiter::Byte(b',')] {
            let error = rows("", delimiter, &["id"]).unwrap_err();
            assert!(matches!(error, Error::EmptyFile { .. }), "{error:?}");
        }
        let error = rows("id date amount\n1 2 3\n", Delimiter::Auto, &["spend"]).unwrap_err();
        assert!(
            error.to_string().ends_with("no column named 'spend'"),
            "{error}"
        );
    }
}
