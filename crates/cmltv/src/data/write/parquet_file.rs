//! Writing Parquet: `Float64` and `Utf8` columns, snappy compression, and row groups of
//! [`ROW_GROUP_ROWS`] rows. The Arrow writer buffers small batches until a row group is full
//! and splits large ones, so memory stays bounded however many rows are written.

use std::io;
use std::sync::Arc;

use arrow::array::{ArrayRef, Float64Array, StringArray};
use arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use arrow::record_batch::RecordBatch;
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use tempfile::NamedTempFile;

use crate::data::{ColumnData, ColumnKind, Table};

/// Rows in each row group but the last.
pub(super) const ROW_GROUP_ROWS: usize = 65_536;

/// Rows written as Parquet into a temporary file.
pub(super) struct Sink {
    writer: ArrowWriter<NamedTempFile>,
    schema: SchemaRef,
}

impl Sink {
    /// Starts a Parquet file with this schema.
    pub(super) fn new(file: NamedTempFile, schema: &[(String, ColumnKind)]) -> io::Result<Sink> {
        let fields: Vec<Field> = schema
            .iter()
            .map(|(name, kind)| Field::new(name, data_type(*kind), true))
            .collect();
        let schema = Arc::new(Schema::new(fields));
        let properties = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_max_row_group_size(ROW_GROUP_ROWS)
            .build();
        let writer = ArrowWriter::try_new(file, schema.clone(), Some(properties))
            .map_err(io::Error::other)?;
        Ok(Sink { writer, schema })
    }

    /// Appends the rows of `batch`, whose columns match the schema.
    pub(super) fn write(&mut self, batch: &Table) -> io::Result<()> {
        let arrays = batch.columns().iter().map(|column| array(&column.data));
        let batch = RecordBatch::try_new(self.schema.clone(), arrays.collect())
            .map_err(io::Error::other)?;
        self.writer.write(&batch).map_err(io::Error::other)
    }

    /// Writes the last row group and the footer, and hands back the temporary file.
    pub(super) fn finish(self) -> io::Result<NamedTempFile> {
        self.writer.into_inner().map_err(io::Error::other)
    }
}

/// The Arrow type that stores a column of this kind.
fn data_type(kind: ColumnKind) -> DataType {
    match kind {
        ColumnKind::Numeric => DataType::Float64,
        ColumnKind::Text => DataType::Utf8,
    }
}

/// The Arrow array holding a column's values.
fn array(data: &ColumnData) -> ArrayRef {
    match data {
        ColumnData::Numeric(values) => Arc::new(values.iter().collect::<Float64Array>()),
        ColumnData::Text(values) => {
            Arc::new(values.iter().map(Option::as_deref).collect::<StringArray>())
        }
    }
}
