//! An in-memory, column-oriented table: what the readers produce and the writers take.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The values of one column.
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnData {
    /// Numbers; `None` marks a missing cell. NaN and infinities are kept as read.
    Numeric(Vec<Option<f64>>),
    /// Text (categories, ids); `None` marks a missing cell.
    Text(Vec<Option<String>>),
}

impl ColumnData {
    /// Number of rows.
    pub fn len(&self) -> usize {
        match self {
            ColumnData::Numeric(values) => values.len(),
            ColumnData::Text(values) => values.len(),
        }
    }

    /// Whether the column has no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The kind of the column.
    pub fn kind(&self) -> ColumnKind {
        match self {
            ColumnData::Numeric(_) => ColumnKind::Numeric,
            ColumnData::Text(_) => ColumnKind::Text,
        }
    }
}

/// Whether a column holds numbers or text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnKind {
    /// 64-bit floating point numbers.
    Numeric,
    /// UTF-8 text.
    Text,
}

/// A named column.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Column name, as in the file's header.
    pub name: String,
    /// The values.
    pub data: ColumnData,
}

impl Column {
    /// A numeric column.
    pub fn numeric(name: impl Into<String>, values: Vec<Option<f64>>) -> Self {
        Column {
            name: name.into(),
            data: ColumnData::Numeric(values),
        }
    }

    /// A text column.
    pub fn text(name: impl Into<String>, values: Vec<Option<String>>) -> Self {
        Column {
            name: name.into(),
            data: ColumnData::Text(values),
        }
    }
}

/// Columns of equal length, with the file they came from (for error messages).
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    source: PathBuf,
    columns: Vec<Column>,
}

impl Table {
    /// Builds a table.
    ///
    /// # Errors
    ///
    /// [`Error::Format`] when the columns differ in length or two share a name.
    pub fn new(source: impl Into<PathBuf>, columns: Vec<Column>) -> Result<Self> {
        let source = source.into();
        let rows = columns.first().map_or(0, |column| column.data.len());
        for (index, column) in columns.iter().enumerate() {
            if column.data.len() != rows {
                return Err(Error::Format {
                    path: source,
                    message: format!(
                        "column '{}' has {} rows where the first has {rows}",
                        column.name,
                        column.data.len()
                    ),
                });
            }
            if columns[..index]
                .iter()
                .any(|other| other.name == column.name)
            {
                return Err(Error::Format {
                    path: source,
                    message: format!("column '{}' appears twice", column.name),
                });
            }
        }
        Ok(Table { source, columns })
    }

    /// The file the table was read from.
    pub fn source(&self) -> &Path {
        &self.source
    }

    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.columns.first().map_or(0, |column| column.data.len())
    }

    /// The columns in file order.
    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    /// The column with this name, if any.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|column| column.name == name)
    }

    /// The column with this name.
    ///
    /// # Errors
    ///
    /// [`Error::MissingColumn`] naming the table's file.
    pub fn require(&self, name: &str) -> Result<&Column> {
        self.column(name).ok_or_else(|| Error::MissingColumn {
            path: self.source.clone(),
            column: name.to_string(),
        })
    }

    /// The values of a numeric column that must hold a finite number in every row (scores,
    /// oracles, summaries).
    ///
    /// # Errors
    ///
    /// [`Error::MissingColumn`] when there is no such column, [`Error::BadValue`] naming the
    /// row when a value is missing or not finite, or when the column holds text.
    pub fn finite_column(&self, name: &str) -> Result<Vec<f64>> {
        let bad = |row: usize, message: &str| Error::BadValue {
            path: self.source.clone(),
            row: row + 1,
            column: name.to_string(),
            message: message.to_string(),
        };
        match &self.require(name)?.data {
            ColumnData::Numeric(values) => values
                .iter()
                .enumerate()
                .map(|(row, value)| match value {
                    Some(v) if v.is_finite() => Ok(*v),
                    _ => Err(bad(row, "expected a finite number")),
                })
                .collect(),
            ColumnData::Text(_) => Err(bad(0, "expected a numeric column")),
        }
    }

    /// The rows at `indices`, in that order.
    pub fn take(&self, indices: &[usize]) -> Table {
        let columns = self
            .columns
            .iter()
            .map(|column| Column {
                name: column.name.clone(),
                data: match &column.data {
                    ColumnData::Numeric(values) => {
                        ColumnData::Numeric(indices.iter().map(|&i| values[i]).collect())
                    }
                    ColumnData::Text(values) => {
                        ColumnData::Text(indices.iter().map(|&i| values[i].clone()).collect())
                    }
                },
            })
            .collect();
        Table {
            source: self.source.clone(),
            columns,
        }
    }
}
