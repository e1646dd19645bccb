//! `cmltv synth`.

use std::path::PathBuf;

use anyhow::Context;
use cmltv::synth::SynthConfig;

/// Arguments of `cmltv synth`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Number of users.
    #[arg(long)]
    rows: usize,
    /// Seed; the same seed gives the same users.
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// Output file, `.csv` or `.parquet`.
    #[arg(long)]
    output: PathBuf,
}

pub fn run(args: Args, _quiet: bool) -> anyhow::Result<()> {
    let config = SynthConfig::default()
        .with_rows(args.rows)
        .with_seed(args.seed);
    cmltv::synth::write(&config, &args.output)
        .with_context(|| format!("cannot write {}", args.output.display()))?;
    Ok(())
}
