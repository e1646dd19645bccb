//! Reading and writing tables: CSV and Parquet, chosen by file extension.
//!
//! Readers load a whole file into a [`Table`], inferring each column's kind; writers stream
//! batches of rows to a temporary file and move it into place only when it is complete, so a
//! failed run never leaves a half-written file or destroys an earlier one.

mod table;

pub use table::{Column, ColumnData, ColumnKind, Table};
mod read;
mod write;

pub use read::{ReadOptions, read_table};
pub(crate) use read::{csv_error, is_text};
pub(crate) use write::temporary_file;
pub use write::{TableWriter, write_table};
