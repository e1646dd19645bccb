//! Progress bars for training, shown only on a terminal and never with `--quiet`.

use std::io::IsTerminal;

use cmltv::train::{EpochRecord, StepReport, TrainObserver};
use indicatif::{ProgressBar, ProgressStyle};

/// Shows epoch, loss terms, rows per second and ETA while a model trains.
pub struct TrainingBar {
    bar: ProgressBar,
    shown: bool,
}

impl TrainingBar {
    /// A bar that draws on stderr when it is a terminal and `quiet` is off.
    pub fn new(quiet: bool) -> Self {
        let (bar, shown) = bar(
            quiet,
            "epoch {prefix} [{bar:30}] {pos}/{len} steps {msg} eta {eta}",
        );
        TrainingBar { bar, shown }
    }
}

impl TrainObserver for TrainingBar {
    fn on_step(&mut self, report: &StepReport<'_>) {
        if report.step == 1 {
            self.bar.reset();
            self.bar.set_length(report.steps as u64);
            self.bar
                .set_prefix(format!("{}/{}", report.epoch, report.epochs));
        }
        self.bar.set_position(report.step as u64);
        let terms: Vec<String> = report
            .terms
            .iter()
            .map(|(name, value)| format!("{}={value:.3}", short_name(name)))
            .collect();
        self.bar.set_message(format!(
            "loss {:.4} ({}) {:.0} rows/s",
            report.loss,
            terms.join(" "),
            report.rows_per_second
        ));
    }

    fn on_epoch(&mut self, record: &EpochRecord) {
        if self.shown {
            let gini = record
                .validation_gini
                .map_or("-".to_string(), |g| format!("{g:.4}"));
            self.bar.println(format!(
                "epoch {:>3}  loss {:.4}  validation gini {gini}  {:.0} rows/s  {:.1}s",
                record.epoch, record.loss, record.rows_per_second, record.seconds
            ));
        }
    }
}

impl Drop for TrainingBar {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}

/// A bar with this template, drawn on stderr only when it is a terminal and `quiet` is off;
/// also says whether it is shown.
pub fn bar(quiet: bool, template: &str) -> (ProgressBar, bool) {
    let shown = !quiet && std::io::stderr().is_terminal();
    let bar = if shown {
        ProgressBar::new(0)
    } else {
        ProgressBar::hidden()
    };
    let style = ProgressStyle::with_template(template)
        .expect("the template is valid")
        .progress_chars("=> ");
    bar.set_style(style);
    (bar, shown)
}

fn short_name(name: &str) -> &str {
    match name {
        "purchase" => "p",
        "distribution" => "d",
        "log" => "l",
        "bucket" => "c",
        "classification_contrastive" => "cc",
        "regression_contrastive_distribution" => "rc_d",
        "regression_contrastive_log" => "rc_l",
        "regression_contrastive_bucket" => "rc_c",
        other => other,
    }
}

/// A spinner counting rows read, shown only on a terminal and never with `--quiet`.
pub fn rows_spinner(quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    let style =
        ProgressStyle::with_template("{spinner} {human_pos} rows read ({per_sec}) {elapsed}")
            .expect("the template is valid");
    bar.set_style(style);
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    bar
}
