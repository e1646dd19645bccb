//! `cmltv report`.

use std::path::{Path, PathBuf};

use anyhow::bail;
use cmltv::CmltvModel;
use cmltv::data::read_table;
use cmltv::report::{Comparison, ModelReport, write_html};

/// Arguments of `cmltv report`: a model and labelled data, or a comparison directory.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Model directory; its label column is read from `--data`.
    #[arg(long, requires = "data", conflicts_with = "compare")]
    model: Option<PathBuf>,
    /// Labelled table to score with `--model`, CSV or Parquet.
    #[arg(long)]
    data: Option<PathBuf>,
    /// A column of `--data` holding each user's true expected value (such as the synthetic
    /// data's `expected_ltv`), shown as the oracle's ranking.
    #[arg(long, requires = "model")]
    oracle: Option<String>,
    /// Directory of a comparison run, holding `comparison.json`.
    #[arg(long)]
    compare: Option<PathBuf>,
    /// The HTML file to write; written atomically.
    #[arg(long)]
    output: PathBuf,
}

pub fn run(args: Args, quiet: bool) -> anyhow::Result<()> {
    let html = match (&args.model, &args.data, &args.compare) {
        (Some(model), Some(data), None) => model_report(model, data, args.oracle.as_deref())?,
        (None, _, Some(dir)) => Comparison::from_dir(dir)?.to_html(&name_of(dir)),
        _ => bail!(cmltv::Error::InvalidSetting {
            name: "report".into(),
            value: "".into(),
            reason: "give --model with --data, or --compare".into(),
        }),
    };
    write_html(&args.output, &html)?;
    if !quiet {
        eprintln!("wrote {}", args.output.display());
    }
    Ok(())
}

/// Scores `data` with the model in `dir` and lays the report out.
fn model_report(dir: &Path, data: &Path, oracle: Option<&str>) -> anyhow::Result<String> {
    let model = CmltvModel::load(dir)?;
    let table = read_table(data, &crate::predict::read_options(&model))?;
    let report = ModelReport::new(&model, &name_of(dir), &table, oracle)?;
    Ok(report.to_html()?)
}

/// How the page names a directory: its last component, or the path as given.
fn name_of(dir: &Path) -> String {
    dir.file_name()
        .unwrap_or(dir.as_os_str())
        .to_string_lossy()
        .into_owned()
}
