//! The training curves, from the history the model recorded
//! ([`crate::train::TrainingHistory`]): the weighted total loss and each unweighted loss term
//! per epoch, the weighted total on the validation rows, and the validation normalized Gini per
//! epoch with the kept epoch marked.

use plotters::prelude::*;

use super::chart::{self, Area, Axis, Drawn, LABEL, NEUTRAL, PALETTE};
use super::html;
use crate::train::TrainingHistory;

/// One line: a name and a value per epoch.
struct Series {
    name: String,
    points: Vec<(f64, f64)>,
}

/// The training-curves card; a note instead of charts when no epoch was recorded.
pub(super) fn section(history: &TrainingHistory) -> String {
    let note = format!(
        "{} epoch(s) on {} training rows, {} validation rows; the weights of epoch {} were \
         kept (best by the early-stopping measure, validation loss or validation Gini).",
        history.epochs.len(),
        history.train_rows,
        history.validation_rows,
        history.best_epoch
    );
    if history.epochs.is_empty() {
        return html::card("training-curves", "Training curves", &note, "");
    }
    let epochs = history.epochs.len();
    let losses = chart::svg(chart::SIZE, |area| {
        draw_losses(area, &loss_series(history), epochs)
    });
    let gini = chart::svg(chart::SIZE, |area| draw_gini(area, history));
    let content = html::charts(&[losses, gini]);
    html::card("training-curves", "Training curves", &note, &content)
}

/// The total loss, then each term, one point per epoch.
fn loss_series(history: &TrainingHistory) -> Vec<Series> {
    let total = Series {
        name: "total (weighted)".to_string(),
        points: history
            .epochs
            .iter()
            .map(|record| (record.epoch as f64, record.loss))
            .collect(),
    };
    let validation = Series {
        name: "validation total (weighted)".to_string(),
        points: history
            .epochs
            .iter()
            .filter_map(|record| Some((record.epoch as f64, record.validation_loss?)))
            .collect(),
    };
    let validation = (!validation.points.is_empty()).then_some(validation);
    let names = history.epochs[0].terms.iter().map(|(name, _)| name.clone());
    let terms = names.map(|name| Series {
        points: history
            .epochs
            .iter()
            .filter_map(|record| {
                let term = record.terms.iter().find(|(term, _)| *term == name);
                term.map(|(_, value)| (record.epoch as f64, *value))
            })
            .collect(),
        name,
    });
    std::iter::once(total)
        .chain(validation)
        .chain(terms)
        .collect()
}

/// The epoch axis: from 1 to the last epoch, at least one epoch wide.
fn epoch_range(epochs: usize) -> std::ops::Range<f64> {
    0.8..(epochs.max(2) as f64 + 0.2)
}

/// Whole epochs only.
fn epoch_label(value: &f64) -> String {
    let rounded = value.round();
    if (value - rounded).abs() < 1e-6 && rounded >= 1.0 {
        format!("{rounded:.0}")
    } else {
        String::new()
    }
}

fn draw_losses(area: &Area<'_>, series: &[Series], epochs: usize) -> Drawn {
    let values = || series.iter().flat_map(|s| s.points.iter().map(|&(_, y)| y));
    let high = chart::finite_max(values(), 1.0);
    let low = values().filter(|y| y.is_finite()).fold(0.0, f64::min);
    let span = (high - low).max(1e-6);
    // Losses fall over the epochs, so headroom above the curves keeps the legend (upper
    // right, one line per term) clear of their right end.
    let mut chart = chart::builder(area, "Loss terms per epoch").build_cartesian_2d(
        epoch_range(epochs),
        (low - 0.08 * span)..(high + 0.6 * span),
    )?;
    let loss = |value: &f64| chart::fixed(*value, 2);
    chart::axes(
        &mut chart,
        Axis::new("epoch", &epoch_label).labels(epochs.min(10)),
        Axis::new("mean loss over the epoch", &loss),
    )?;
    for (index, line) in series.iter().enumerate() {
        let width = if index < 2 { 3 } else { 2 };
        let style = PALETTE[index % PALETTE.len()].stroke_width(width);
        chart
            .draw_series(LineSeries::new(line.points.iter().copied(), style).point_size(3))?
            .label(line.name.as_str())
            .legend(chart::line_key(style));
    }
    chart::legend(&mut chart, SeriesLabelPosition::UpperRight)
}

fn draw_gini(area: &Area<'_>, history: &TrainingHistory) -> Drawn {
    let points: Vec<(f64, f64)> = history
        .epochs
        .iter()
        .filter_map(|record| Some((record.epoch as f64, record.validation_gini?)))
        .collect();
    let high = chart::finite_max(points.iter().map(|&(_, y)| y), 1.0).max(0.0);
    let low = points.iter().map(|&(_, y)| y).fold(high, f64::min).min(0.0);
    let epochs = history.epochs.len();
    let mut chart = chart::builder(area, "Validation normalized Gini per epoch")
        .build_cartesian_2d(epoch_range(epochs), low..(high + 0.05))?;
    let gini = |value: &f64| chart::fixed(*value, 2);
    chart::axes(
        &mut chart,
        Axis::new("epoch", &epoch_label).labels(epochs.min(10)),
        Axis::new("normalized Gini (validation)", &gini),
    )?;
    let style = LABEL.stroke_width(2);
    chart
        .draw_series(LineSeries::new(points, style).point_size(3))?
        .label("validation Gini")
        .legend(chart::line_key(style));
    let best = history.best_epoch as f64;
    let marker = NEUTRAL.stroke_width(2);
    chart
        .draw_series(DashedLineSeries::new(
            [(best, low), (best, high + 0.05)],
            6,
            4,
            marker,
        ))?
        .label(format!("kept epoch {}", history.best_epoch))
        .legend(chart::line_key(marker));
    chart::legend(&mut chart, SeriesLabelPosition::LowerRight)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::train::EpochRecord;

    fn history() -> TrainingHistory {
        let record = |epoch: usize, loss: f64, gini: f64| EpochRecord {
            epoch,
            loss,
            terms: vec![("purchase".into(), loss / 2.0), ("log".into(), loss / 3.0)],
            validation_gini: Some(gini),
            validation_loss: Some(loss * 1.1),
            rows_per_second: 1000.0,
            seconds: 1.0,
        };
        TrainingHistory {
            epochs: vec![
                record(1, 3.0, 0.5),
                record(2, 2.0, 0.7),
                record(3, 1.8, 0.65),
            ],
            best_epoch: 2,
            train_rows: 900,
            validation_rows: 100,
            seconds: 3.0,
        }
    }

    #[test]
    fn one_series_for_the_total_and_each_term() {
        let series = loss_series(&history());
        let names: Vec<&str> = series.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "total (weighted)",
                "validation total (weighted)",
                "purchase",
                "log"
            ]
        );
        assert_eq!(series[2].points, vec![(1.0, 1.5), (2.0, 1.0), (3.0, 0.9)]);
        let mut without = history();
        for record in &mut without.epochs {
            record.validation_loss = None;
        }
        assert_eq!(
            loss_series(&without).len(),
            3,
            "no validation rows, no line"
        );
    }

    #[test]
    fn the_card_holds_both_charts_and_the_kept_epoch() {
        let html = section(&history());
        assert!(html.contains("id=\"training-curves\""));
        assert_eq!(html.matches("<svg").count(), 2);
        assert!(html.contains("kept epoch 2"));
        let empty = section(&TrainingHistory::default());
        assert!(!empty.contains("<svg"));
    }

    #[test]
    fn epoch_labels_are_whole_epochs() {
        assert_eq!(epoch_label(&3.0), "3");
        assert_eq!(epoch_label(&2.5), "");
        assert_eq!(epoch_label(&0.0), "");
    }
}
