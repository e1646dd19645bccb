//! Reading a transaction log row by row, without loading it.
//!
//! A log is delimited text with a header row, or a Parquet file (by the extension `.parquet`
//! or `.pq`). Text is read one line at a time, Parquet one record batch at a time, and each
//! row is handed to a visitor as the raw [`Cell`]s of the columns asked for; parsing and
//! judging them is the builder's business, so that bad rows can be counted or skipped.
//!
//! The delimiter of a text log is a byte (comma, tab, semicolon, ...; quoted fields as in
//! CSV) or runs of whitespace (CDNOW's layout, no quoting). [`Delimiter::Auto`] looks at the
//! header line: the most frequent of `,`, tab, `;` and `|` wins, and a header with none of
//! them is split on whitespace.

mod delimited;
mod parquet_file;

use std::fmt;
use std::path::Path;
use std::str::FromStr;

use crate::error::{Error, Result, RowPosition};

/// The most columns a log row is read for: customer, time, amount and quantity.
pub(super) const MAX_COLUMNS: usize = 4;

/// How the fields of a text log are separated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Delimiter {
    /// Chosen from the header line: the most frequent of `,`, tab, `;` and `|` in it, or
    /// whitespace when it holds none of them.
    #[default]
    Auto,
    /// Runs of spaces and tabs; leading and trailing ones are ignored; no quoting.
    Whitespace,
    /// One byte, with CSV quoting.
    Byte(u8),
}

impl FromStr for Delimiter {
    type Err = String;

    /// `auto`, `whitespace`, `tab` (or `\t`), `comma`, `semicolon`, `pipe`, or one ASCII
    /// character.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "auto" => Ok(Delimiter::Auto),
            "whitespace" | "space" | "spaces" => Ok(Delimiter::Whitespace),
            "tab" | "\\t" => Ok(Delimiter::Byte(b'\t')),
            "comma" => Ok(Delimiter::Byte(b',')),
            "semicolon" => Ok(Delimiter::Byte(b';')),
            "pipe" => Ok(Delimiter::Byte(b'|')),
            one if one.len() == 1 && one.is_ascii() => Ok(Delimiter::Byte(one.as_bytes()[0])),
            other => Err(format!(
                "'{other}' is not a delimiter: use auto, whitespace, tab, comma, semicolon, \
                 pipe or a single ASCII character"
            )),
        }
    }
}

impl fmt::Display for Delimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Delimiter::Auto => f.write_str("auto"),
            Delimiter::Whitespace => f.write_str("whitespace"),
            Delimiter::Byte(b'\t') => f.write_str("tab"),
            Delimiter::Byte(byte) => write!(f, "{}", char::from(*byte)),
        }
    }
}

/// What a column of the log holds, which tells the Parquet reader how to present it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    /// Customer ids, always text.
    Key,
    /// Purchase times: dates, timestamps, or text and integers to parse.
    Time,
    /// Amounts and quantities.
    Number,
}

/// One field of a row, as the file holds it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Cell<'a> {
    /// The row has no field for the column (a short line).
    Absent,
    /// An empty field, or a Parquet null.
    Empty,
    /// Text to parse, trimmed.
    Text(&'a str),
    /// Bytes that are not UTF-8.
    NotText,
    /// A number from a numeric Parquet column.
    Number(f64),
    /// A day number from a Parquet date or timestamp column.
    Day(i64),
}

/// A visitor of rows: the row's position and its cells, in the order of the columns asked for.
pub(super) type Visitor<'v> = dyn FnMut(RowPosition, &[Cell<'_>]) -> Result<()> + 'v;

/// Reads every row of the log in `path`, handing the cells of `columns` to `visit`.
///
/// # Errors
///
/// [`Error::Io`] when the file cannot be read, [`Error::EmptyFile`] without a header,
/// [`Error::MissingColumn`] for a column that the header lacks, [`Error::Format`] for a file
/// that is not valid CSV or Parquet; and whatever `visit` returns.
pub(super) fn for_each_row(
    path: &Path,
    delimiter: Delimiter,
    columns: &[(&str, Role)],
    visit: &mut Visitor<'_>,
) -> Result<()> {
    debug_assert!(
        columns.len() <= MAX_COLUMNS,
        "a log row has at most 4 columns"
    );
    if is_parquet(path) {
        parquet_file::for_each_row(path, columns, visit)
    } else {
        delimited::for_each_row(path, delimiter, columns, visit)
    }
}

/// Whether the extension names Parquet (case-insensitive).
fn is_parquet(path: &Path) -> bool {
    let extension = path.extension().and_then(|e| e.to_str());
    extension.is_some_and(|e| e.eq_ignore_ascii_case("parquet") || e.eq_ignore_ascii_case("pq"))
}

/// The position of each of `columns` among `names`.
///
/// # Errors
///
/// [`Error::MissingColumn`] for the first column that is not there.
fn resolve<S: AsRef<str>>(
    path: &Path,
    names: &[S],
    columns: &[(&str, Role)],
) -> Result<Vec<usize>> {
    columns
        .iter()
        .map(|(column, _)| {
            let position = names.iter().position(|name| name.as_ref() == *column);
            position.ok_or_else(|| Error::MissingColumn {
                path: path.to_path_buf(),
                column: column.to_string(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiters_parse_from_names_and_characters() {
        let parse = |text: &str| text.parse::<Delimiter>();
        assert_eq!(parse("auto"), Ok(Delimiter::Auto));
        assert_eq!(parse("whitespace"), Ok(Delimiter::Whitespace));
        assert_eq!(parse("tab"), Ok(Delimiter::Byte(b'\t')));
        assert_eq!(parse("\\t"), Ok(Delimiter::Byte(b'\t')));
        assert_eq!(parse(";"), Ok(Delimiter::Byte(b';')));
        assert_eq!(parse("comma"), Ok(Delimiter::Byte(b',')));
        assert!(parse("::").unwrap_err().contains("'::' is not a delimiter"));
        assert_eq!(Delimiter::Byte(b'\t').to_string(), "tab");
        assert_eq!(Delimiter::Byte(b'|').to_string(), "|");
    }

    #[test]
    fn parquet_is_chosen_by_extension() {
        assert!(is_parquet(Path::new("log.PARQUET")));
        assert!(is_parquet(Path::new("a/log.pq")));
        assert!(!is_parquet(Path::new("CDNOW_master.txt")));
        assert!(!is_parquet(Path::new("log")));
    }

    #[test]
    fn resolve_names_the_missing_column() {
        let names = ["id", "date", "amount"];
        let columns = [("date", Role::Time), ("id", Role::Key)];
        assert_eq!(
            resolve(Path::new("l.csv"), &names, &columns).unwrap(),
            [1, 0]
        );
        let columns = [("id", Role::Key), ("spend", Role::Number)];
        let error = resolve(Path::new("l.csv"), &names, &columns).unwrap_err();
        assert_eq!(error.to_string(), "l.csv: no column named 'spend'");
    }
}
