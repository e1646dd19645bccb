//! The calibration plot: mean label against mean prediction per decile of pLTV, on log-log
//! axes, with the diagonal where a calibrated model's points lie.
//!
//! Deciles without a payer have a mean label of 0, which a log axis cannot show; the card
//! says how many were left out.

use plotters::prelude::*;

use super::chart::{self, Area, Axis, Drawn, FONT, MODEL, NEUTRAL};
use super::html;
use crate::metrics::DecileRow;

/// A decile's point: (mean prediction, mean label, decile).
type Point = (f64, f64, usize);

/// The calibration card.
pub(super) fn section(deciles: &[DecileRow]) -> String {
    let points: Vec<Point> = deciles
        .iter()
        .filter(|row| row.mean_prediction > 0.0 && row.mean_label > 0.0)
        .map(|row| (row.mean_prediction, row.mean_label, row.decile))
        .collect();
    let svg = chart::svg(chart::SIZE, |area| draw(area, &points));
    let mut note = "Each point is a decile of pLTV (its number beside it): mean label against \
                    mean prediction. Points above the diagonal are under-predicted, below it \
                    over-predicted."
        .to_string();
    let hidden = deciles.len() - points.len();
    if hidden > 0 {
        note.push_str(&format!(
            " {hidden} decile(s) with no payer or no prediction cannot be shown on log axes."
        ));
    }
    html::card("calibration", "Calibration", &note, &svg)
}

/// The axes' common range: the points' span widened by half a decade each side.
fn range(points: &[Point]) -> (f64, f64) {
    let values = || points.iter().flat_map(|&(x, y, _)| [x, y]);
    let low = values().fold(f64::INFINITY, f64::min);
    let high = chart::finite_max(values(), 1.0);
    if low.is_finite() && low < high {
        (low / 3.0, high * 3.0)
    } else {
        (high / 10.0, high * 10.0)
    }
}

fn draw(area: &Area<'_>, points: &[Point]) -> Drawn {
    let (low, high) = range(points);
    let mut chart = chart::builder(area, "Calibration by decile (log-log)")
        .build_cartesian_2d((low..high).log_scale(), (low..high).log_scale())?;
    let tick = |value: &f64| chart::log_tick(*value);
    chart::axes(
        &mut chart,
        Axis::new("mean prediction (pLTV)", &tick),
        Axis::new("mean label", &tick),
    )?;
    let diagonal = NEUTRAL.stroke_width(1);
    chart
        .draw_series(DashedLineSeries::new(
            [(low, low), (high, high)],
            6,
            4,
            diagonal,
        ))?
        .label("perfect calibration")
        .legend(chart::line_key(diagonal));
    let style = MODEL.filled();
    let marker = move |&(x, y, decile): &Point| {
        EmptyElement::at((x, y))
            + Circle::new((0, 0), 5, style)
            + Text::new(decile.to_string(), (7, -16), (FONT, 13))
    };
    chart
        .draw_series(points.iter().map(marker))?
        .label("decile of pLTV")
        .legend(move |(x, y)| Circle::new((x + 8, y), 5, style));
    chart::legend(&mut chart, SeriesLabelPosition::UpperLeft)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(decile: usize, mean_label: f64, mean_prediction: f64) -> DecileRow {
        DecileRow {
            decile,
            rows: 10,
            mean_label,
            mean_prediction,
            abs_pct_error: None,
        }
    }

    #[test]
    fn deciles_without_payers_are_counted_out() {
        let deciles = [row(1, 20.0, 18.0), row(2, 2.0, 3.0), row(3, 0.0, 0.5)];
        let html = section(&deciles);
        assert!(html.contains("1 decile(s) with no payer"), "{html}");
        assert_eq!(
            html.matches("<circle").count(),
            2 + 1,
            "two points and the legend key"
        );
    }

    #[test]
    fn range_spans_every_point_and_survives_none() {
        assert_eq!(range(&[(2.0, 4.0, 1), (8.0, 1.0, 2)]), (1.0 / 3.0, 24.0));
        assert_eq!(range(&[]), (0.1, 10.0));
    }
}
