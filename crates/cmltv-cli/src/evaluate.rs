//! `cmltv evaluate`.

use std::path::PathBuf;

use anyhow::bail;
use cmltv::CmltvModel;
use cmltv::data::read_table;
use cmltv::metrics::Evaluation;
use cmltv::train::read_labels;

/// Arguments of `cmltv evaluate`: a model and labelled data, or a predictions file.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Model directory; its label column is read from `--data`.
    #[arg(long, requires = "data", conflicts_with = "predictions")]
    model: Option<PathBuf>,
    /// Labelled table to score with `--model`.
    #[arg(long)]
    data: Option<PathBuf>,
    /// A file that already holds a label and a score column.
    #[arg(long, requires_all = ["label", "score"])]
    predictions: Option<PathBuf>,
    /// Label column of `--predictions`.
    #[arg(long)]
    label: Option<String>,
    /// Score column of `--predictions`.
    #[arg(long)]
    score: Option<String>,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let evaluation = match (&args.model, &args.data, &args.predictions) {
        (Some(model), Some(data), None) => evaluate_model(model, data)?,
        (None, _, Some(predictions)) => {
            let label = args.label.as_deref().unwrap_or_default();
            let score = args.score.as_deref().unwrap_or_default();
            evaluate_file(predictions, label, score)?
        }
        _ => bail!(cmltv::Error::InvalidSetting {
            name: "evaluate".into(),
            value: "".into(),
            reason: "give --model with --data, or --predictions with --label and --score".into(),
        }),
    };
    print(&evaluation, args.json);
    Ok(())
}

fn evaluate_model(model: &std::path::Path, data: &std::path::Path) -> anyhow::Result<Evaluation> {
    let model = CmltvModel::load(model)?;
    let table = read_table(data, &crate::predict::read_options(&model))?;
    let labels = read_labels(&table, &model.schema().label)?;
    let predictions = model.predict(&table)?;
    Ok(Evaluation::compute(&labels, &predictions.pltv)?)
}

fn evaluate_file(path: &std::path::Path, label: &str, score: &str) -> anyhow::Result<Evaluation> {
    let table = read_table(path, &Default::default())?;
    let labels = read_labels(&table, label)?;
    let scores = table.finite_column(score)?;
    Ok(Evaluation::compute(&labels, &scores)?)
}

/// Prints the evaluation as JSON or as a readable table.
pub fn print(evaluation: &Evaluation, json: bool) {
    if json {
        let text = serde_json::to_string(evaluation).expect("an evaluation serializes");
        println!("{text}");
    } else {
        print!("{}", evaluation.to_table());
    }
}
