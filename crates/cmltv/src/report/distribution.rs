//! The distribution of predictions for payers and non-payers: overlaid histograms of
//! `log10(1 + pLTV)`, each normalized to its group's size so that the few payers show next to
//! the many non-payers.
//!
//! ```text
//! bin b holds the users with b w <= log10(1 + pLTV) < (b + 1) w,   w = max / BINS
//! height_b = (users of the group in bin b) / (users in the group)
//! ```

use plotters::prelude::*;

use super::chart::{self, Area, Axis, Drawn, LABEL, MODEL};
use super::html;

/// Number of histogram bins.
const BINS: usize = 30;

/// One group's histogram.
struct Histogram {
    name: String,
    color: RGBColor,
    shares: [f64; BINS],
}

/// The prediction-distribution card.
pub(super) fn section(labels: &[f64], pltv: &[f64]) -> String {
    let logs: Vec<f64> = pltv
        .iter()
        .map(|&p| p.max(0.0).ln_1p() / 10f64.ln())
        .collect();
    let width = chart::finite_max(logs.iter().copied(), 1.0).max(1e-3) / BINS as f64;
    let group = |payer: bool| -> Vec<f64> {
        let rows = labels
            .iter()
            .zip(&logs)
            .filter(|(y, _)| (**y > 0.0) == payer);
        rows.map(|(_, &log)| log).collect()
    };
    let histograms = [
        histogram("non-payers", MODEL, &group(false), width),
        histogram("payers", LABEL, &group(true), width),
    ];
    let svg = chart::svg(chart::SIZE, |area| draw(area, &histograms, width));
    let note = "Histograms of 1 + pLTV on a log scale, each group's bars summing to 100%. A \
                model that separates the groups puts the payers to the right.";
    html::card(
        "prediction-distribution",
        "Predictions of payers and non-payers",
        note,
        &svg,
    )
}

/// The share of `logs` in each bin of width `width`; the top value goes to the last bin.
fn histogram(name: &str, color: RGBColor, logs: &[f64], width: f64) -> Histogram {
    let mut shares = [0.0; BINS];
    for &log in logs.iter().filter(|log| log.is_finite()) {
        let bin = ((log / width) as usize).min(BINS - 1);
        shares[bin] += 1.0 / logs.len() as f64;
    }
    Histogram {
        name: format!("{name} ({} users)", logs.len()),
        color,
        shares,
    }
}

fn draw(area: &Area<'_>, histograms: &[Histogram], width: f64) -> Drawn {
    let top = chart::finite_max(histograms.iter().flat_map(|h| h.shares), 0.1) * 1.1;
    // Bins are even in log10(1 + pLTV); the axis shows 1 + pLTV on a log scale.
    let edge = |bin: usize| 10f64.powf(bin as f64 * width);
    let mut chart = chart::builder(area, "Distribution of pLTV")
        .build_cartesian_2d((1.0..edge(BINS)).log_scale(), 0.0..top)?;
    let tick = |value: &f64| chart::log_tick(*value);
    let share = |value: &f64| chart::percent(*value);
    chart::axes(
        &mut chart,
        Axis::new("1 + pLTV (log scale)", &tick),
        Axis::new("share of the group's users", &share),
    )?;
    for histogram in histograms {
        let fill = histogram.color.mix(0.45).filled();
        let bars =
            histogram.shares.iter().enumerate().map(|(bin, &share)| {
                Rectangle::new([(edge(bin), 0.0), (edge(bin + 1), share)], fill)
            });
        chart
            .draw_series(bars)?
            .label(histogram.name.as_str())
            .legend(chart::box_key(fill));
    }
    chart::legend(&mut chart, SeriesLabelPosition::UpperRight)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_sum_to_one_and_the_maximum_lands_in_the_last_bin() {
        let logs = [0.0, 0.5, 1.0, 3.0];
        let histogram = histogram("payers", LABEL, &logs, 3.0 / BINS as f64);
        let total: f64 = histogram.shares.iter().sum();
        assert!((total - 1.0).abs() < 1e-12);
        assert_eq!(histogram.shares[BINS - 1], 0.25);
        assert_eq!(histogram.shares[0], 0.25);
        assert_eq!(histogram.name, "payers (4 users)");
    }

    #[test]
    fn the_card_names_both_groups() {
        let labels = [0.0, 0.0, 5.0, 0.0, 12.0];
        let pltv = [0.1, 0.3, 4.0, 0.0, 9.0];
        let html = section(&labels, &pltv);
        assert!(html.contains("id=\"prediction-distribution\""));
        assert!(html.contains("payers (2 users)"));
        assert!(html.contains("non-payers (3 users)"));
    }
}
