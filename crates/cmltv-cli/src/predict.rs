//! `cmltv predict`.

use std::path::PathBuf;

use cmltv::CmltvModel;
use cmltv::data::{ReadOptions, read_table, write_table};

/// Arguments of `cmltv predict`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Model directory written by `cmltv train`.
    #[arg(long)]
    model: PathBuf,
    /// Table to score, CSV or Parquet.
    #[arg(long)]
    data: PathBuf,
    /// Output file, `.csv` or `.parquet`; written atomically.
    #[arg(long)]
    output: PathBuf,
}

pub fn run(args: Args, _quiet: bool) -> anyhow::Result<()> {
    let model = CmltvModel::load(&args.model)?;
    let table = read_table(&args.data, &read_options(&model))?;
    let predictions = model.predict_table(&table)?;
    write_table(&args.output, &predictions)?;
    Ok(())
}

/// Reads the id column as text, as training did.
pub fn read_options(model: &CmltvModel) -> ReadOptions {
    ReadOptions {
        text_columns: model.schema().id.iter().cloned().collect(),
    }
}
