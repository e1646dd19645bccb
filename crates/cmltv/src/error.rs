//! The library's error type.
//!
//! Every variant names what went wrong and where: the file, the row (counted from 1, the
//! header excluded) and the column, so that a user can find the bad value.

use std::path::PathBuf;

/// Result alias used across the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What can go wrong while reading data, training, scoring or persisting a model.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be opened, read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },

    /// A file holds no data rows (or no header).
    #[error("{path}: the file is empty")]
    EmptyFile {
        /// The file.
        path: PathBuf,
    },

    /// A file could not be parsed as its format (CSV, Parquet, JSON, TOML).
    #[error("{path}: {message}")]
    Format {
        /// The file.
        path: PathBuf,
        /// What the parser said.
        message: String,
    },

    /// A column that the task needs is not in the file.
    #[error("{path}: no column named '{column}'")]
    MissingColumn {
        /// The file.
        path: PathBuf,
        /// The column that was asked for.
        column: String,
    },

    /// A cell holds a value that its column cannot take.
    #[error("{path}: row {row}, column '{column}': {message}")]
    BadValue {
        /// The file.
        path: PathBuf,
        /// Data row, counted from 1 with the header excluded.
        row: usize,
        /// The column.
        column: String,
        /// What is wrong with the value.
        message: String,
    },

    /// Rows of a transaction log that cannot be read (a date or amount that does not parse,
    /// a missing field): the first such row, and how many there are in all.
    #[error("{path}: {position}, column '{column}': {message}{}", others(*.count))]
    BadRows {
        /// The file.
        path: PathBuf,
        /// Where the first bad row is.
        position: RowPosition,
        /// The column of the first bad row that cannot be read.
        column: String,
        /// What is wrong with it.
        message: String,
        /// Number of bad rows in the file, the first one included.
        count: usize,
    },

    /// The training data holds no payer (no row with a positive label).
    #[error("{path}: column '{column}' has no positive value, so there is no payer to learn from")]
    NoPayers {
        /// The file.
        path: PathBuf,
        /// The label column.
        column: String,
    },

    /// A setting has a value that cannot work.
    #[error("invalid setting {name} = {value}: {reason}")]
    InvalidSetting {
        /// The setting's name.
        name: String,
        /// The value given.
        value: String,
        /// Why it cannot work.
        reason: String,
    },

    /// A scoring file does not match the schema the model was trained on.
    #[error("{path}: column '{column}' {reason}")]
    SchemaMismatch {
        /// The scoring file.
        path: PathBuf,
        /// The column that differs.
        column: String,
        /// How it differs.
        reason: String,
    },

    /// Training produced a loss that is NaN or infinite.
    #[error("training stopped: the loss term {term} became {value} at epoch {epoch}, step {step}")]
    NonFiniteLoss {
        /// The offending loss term.
        term: String,
        /// Its value.
        value: f64,
        /// Epoch, counted from 1.
        epoch: usize,
        /// Step within the epoch, counted from 1.
        step: usize,
    },

    /// A model directory was written by an incompatible format version.
    #[error(
        "{path}: model format version {found} cannot be read by this cmltv (it reads {expected})"
    )]
    IncompatibleModel {
        /// The model directory.
        path: PathBuf,
        /// The version found.
        found: String,
        /// The version this build reads.
        expected: String,
    },

    /// A probabilistic model (BG/NBD, Pareto/NBD, Gamma-Gamma) could not be fitted or
    /// applied.
    #[error("probabilistic model: {message}")]
    ProbabilisticModel {
        /// What went wrong.
        message: String,
    },

    /// A model directory is damaged (missing file, checksum mismatch, unreadable weights).
    #[error("{path}: the model is damaged: {reason}")]
    CorruptModel {
        /// The file in the model directory.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
}

/// Errors of the probabilistic models keep their own type.
impl From<cmltv_btyd::BtydError> for Error {
    fn from(error: cmltv_btyd::BtydError) -> Self {
        Error::ProbabilisticModel {
            message: error.to_string(),
        }
    }
}

/// Where a row sits in its file: a line of a text file (the header is line 1) or a row of a
/// Parquet file (counted from 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowPosition {
    /// Line of a text file, counted from 1 with the header included.
    Line(usize),
    /// Row of a Parquet file, counted from 1.
    Row(usize),
}

impl std::fmt::Display for RowPosition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RowPosition::Line(line) => write!(f, "line {line}"),
            RowPosition::Row(row) => write!(f, "row {row}"),
        }
    }
}

/// The note on further bad rows after the first one.
fn others(count: usize) -> String {
    match count {
        0 | 1 => String::new(),
        2 => " (and 1 more bad row)".to_string(),
        _ => format!(" (and {} more bad rows)", count - 1),
    }
}

impl Error {
    /// Wraps an I/O error with the file it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// Whether the error comes from the user's input or settings (exit code 2 in the CLI)
    /// rather than from the environment or a bug.
    pub fn is_input_error(&self) -> bool {
        !matches!(self, Error::Io { source, .. } if source.kind() != std::io::ErrorKind::NotFound)
    }
}
