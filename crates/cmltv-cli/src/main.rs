//! `cmltv`: train, score and evaluate customer lifetime value models.
//!
//! Exit codes: 0 success, 2 usage or input error (the message names the file, row and
//! column), 1 anything else.

mod compare;
mod demo;
mod evaluate;
mod features;
mod predict;
mod progress;
mod report;
mod synth;
mod train;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Predict customer lifetime value with CMLTV.
#[derive(Debug, Parser)]
#[command(name = "cmltv", version, about, max_term_width = 100)]
struct Cli {
    /// Print nothing but results and errors (no progress bars or logs).
    #[arg(long, short, global = true)]
    quiet: bool,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Simulate a mobile game's users, with the label and its exact expectation.
    Synth(synth::Args),
    /// Turn a transaction log into a training table: one row per customer, features of the
    /// calibration window and the label holdout_spend.
    Features(features::Args),
    /// Train a CMLTV model on a table.
    Train(train::Args),
    /// Score a table with a trained model.
    Predict(predict::Args),
    /// Evaluate a model on labelled data, or a predictions file.
    Evaluate(evaluate::Args),
    /// Train several models on one split, several seeds each, and tabulate their metrics.
    Compare(compare::Args),
    /// Write an HTML report of a model on labelled data, or of a comparison run.
    Report(report::Args),
    /// Synthesize users, train CMLTV on 80 % and evaluate it on the rest against the oracle.
    Demo(demo::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.quiet);
    let result = match cli.command {
        Command::Synth(args) => synth::run(args, cli.quiet),
        Command::Features(args) => features::run(args, cli.quiet),
        Command::Train(args) => train::run(args, cli.quiet),
        Command::Predict(args) => predict::run(args, cli.quiet),
        Command::Evaluate(args) => evaluate::run(args),
        Command::Compare(args) => compare::run(args, cli.quiet),
        Command::Report(args) => report::run(args, cli.quiet),
        Command::Demo(args) => demo::run(args, cli.quiet),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(exit_code(&error))
        }
    }
}

/// 2 for errors in the user's input or settings, 1 otherwise.
fn exit_code(error: &anyhow::Error) -> u8 {
    let input = error
        .chain()
        .filter_map(|cause| cause.downcast_ref::<cmltv::Error>())
        .any(cmltv::Error::is_input_error);
    if input { 2 } else { 1 }
}

fn init_logging(quiet: bool) {
    let default = if quiet { "error" } else { "warn" };
    let filter = tracing_subscriber::EnvFilter::try_from_env("CMLTV_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}
