//! The gain curve: the share of all value held by the top users of a ranking.
//!
//! ```text
//! x = k / n                 share of users, ranked by the score, highest first
//! y = gain_k                share of the total label held by those k users
//! ```
//!
//! The perfect ordering ranks by the label itself, random ordering follows the diagonal, and
//! the oracle (when given) ranks by the true expected value. Each curve's legend entry gives
//! its normalized Gini, computed from the same curve by [`crate::metrics::gini_from_gain`].

use plotters::prelude::*;

use super::chart::{self, Area, Axis, Drawn, LABEL, MODEL, NEUTRAL, ORACLE};
use super::html;
use super::model::Oracle;
use crate::metrics::{gain_curve, gini_from_gain};

/// Most points drawn per curve; a curve over more users is sampled evenly.
const POINTS: usize = 400;

/// One ranking's curve.
struct Curve {
    name: String,
    style: ShapeStyle,
    points: Vec<(f64, f64)>,
}

/// The gain-curve card.
pub(super) fn section(labels: &[f64], pltv: &[f64], oracle: Option<&Oracle>) -> String {
    let curves = curves(labels, pltv, oracle);
    let svg = chart::svg(chart::SIZE, |area| draw(area, &curves));
    let note = "Share of all value held by the top share of users ranked by each score. \
                The higher the curve, the better the ranking; the dashed diagonal is a random \
                ranking (normalized Gini 0).";
    html::card("gain-curve", "Gain curve", note, &svg)
}

/// The model's, the perfect and (when given) the oracle's curves, each labelled with its
/// normalized Gini.
fn curves(labels: &[f64], pltv: &[f64], oracle: Option<&Oracle>) -> Vec<Curve> {
    let perfect = gain_curve(labels, labels);
    let perfect_gini = gini_from_gain(&perfect);
    let curve = |name: &str, gain: &[f64], color: RGBColor| Curve {
        name: format!(
            "{name} (normalized Gini {:.3})",
            gini_from_gain(gain) / perfect_gini
        ),
        style: color.stroke_width(2),
        points: sample(gain),
    };
    let mut curves = vec![curve("perfect ordering", &perfect, LABEL)];
    if let Some(oracle) = oracle {
        let gain = gain_curve(labels, &oracle.scores);
        curves.push(curve(&format!("oracle {}", oracle.name), &gain, ORACLE));
    }
    curves.push(curve("pLTV", &gain_curve(labels, pltv), MODEL));
    curves
}

/// The curve as points from `(0, 0)`, at most [`POINTS`] of them after the origin.
fn sample(gain: &[f64]) -> Vec<(f64, f64)> {
    let n = gain.len();
    let steps = n.min(POINTS);
    let mut points = vec![(0.0, 0.0)];
    for step in 1..=steps {
        let k = (step * n).div_ceil(steps);
        points.push((k as f64 / n as f64, gain[k - 1]));
    }
    points
}

fn draw(area: &Area<'_>, curves: &[Curve]) -> Drawn {
    let mut chart = chart::builder(area, "Gain curve").build_cartesian_2d(0.0..1.0, 0.0..1.0)?;
    let format = |value: &f64| chart::percent(*value);
    chart::axes(
        &mut chart,
        Axis::new("share of users, ranked by score", &format),
        Axis::new("share of total value", &format),
    )?;
    for curve in curves {
        chart
            .draw_series(LineSeries::new(curve.points.iter().copied(), curve.style))?
            .label(curve.name.as_str())
            .legend(chart::line_key(curve.style));
    }
    let random = NEUTRAL.stroke_width(1);
    chart
        .draw_series(DashedLineSeries::new(
            [(0.0, 0.0), (1.0, 1.0)],
            6,
            4,
            random,
        ))?
        .label("random (normalized Gini 0)")
        .legend(chart::line_key(random));
    chart::legend(&mut chart, SeriesLabelPosition::LowerRight)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sampling_keeps_the_end_points_and_at_most_the_limit() {
        let gain: Vec<f64> = (1..=1000).map(|k| f64::from(k) / 1000.0).collect();
        let points = sample(&gain);
        assert_eq!(points.len(), POINTS + 1);
        assert_eq!(points[0], (0.0, 0.0));
        assert_eq!(*points.last().expect("points"), (1.0, 1.0));
        let short = sample(&[0.5, 1.0]);
        assert_eq!(short, vec![(0.0, 0.0), (0.5, 0.5), (1.0, 1.0)]);
    }

    #[test]
    fn legend_names_carry_each_ranking_s_normalized_gini() {
        let labels = [0.0, 3.0, 0.0, 10.0, 0.0, 5.0];
        let scores = [0.5, 2.0, 0.5, 4.0, 1.0, 2.0];
        let oracle = Oracle {
            name: "expected".into(),
            scores: labels.to_vec(),
        };
        let curves = curves(&labels, &scores, Some(&oracle));
        let names: Vec<&str> = curves.iter().map(|curve| curve.name.as_str()).collect();
        let want = crate::metrics::normalized_gini(&labels, &scores);
        assert_eq!(names[0], "perfect ordering (normalized Gini 1.000)");
        assert_eq!(names[1], "oracle expected (normalized Gini 1.000)");
        assert_eq!(names[2], format!("pLTV (normalized Gini {want:.3})"));
    }
}
