//! Horizontal bar charts, one bar per named row (a view, a model), with an optional error bar
//! of plus or minus one standard deviation and an optional dashed reference line.
//!
//! Bars run horizontally so that long model names fit on the axis. The first bar is drawn at
//! the top.

use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use super::chart::{self, Area, Axis, Drawn, FONT, NEUTRAL};

/// One bar.
pub(super) struct Bar {
    /// The row's name, on the axis.
    pub(super) name: String,
    /// Its length; a NaN bar is left empty.
    pub(super) value: f64,
    /// A standard deviation drawn as an error bar, if any.
    pub(super) spread: Option<f64>,
    /// Its colour.
    pub(super) color: RGBColor,
}

/// A whole chart.
pub(super) struct BarChart<'a> {
    /// The title.
    pub(super) title: &'a str,
    /// What the bars measure.
    pub(super) axis: &'a str,
    /// The bars, top first.
    pub(super) bars: &'a [Bar],
    /// A value worth marking with a dashed line (1 for a sum ratio), and its name for the
    /// axis description.
    pub(super) reference: Option<(f64, &'a str)>,
}

impl BarChart<'_> {
    /// The chart as an SVG document, tall enough for its bars.
    pub(super) fn to_svg(&self) -> String {
        let height = (140 + 42 * self.bars.len() as u32).max(260);
        chart::svg((chart::SIZE.0, height), |area| self.draw(area))
    }

    /// The value axis: from 0 (or the lowest end below it) to past the longest bar, error bars
    /// and reference included.
    fn range(&self) -> (f64, f64) {
        let ends = self.bars.iter().flat_map(|bar| {
            let spread = bar.spread.unwrap_or(0.0);
            [bar.value - spread, bar.value + spread]
        });
        let ends: Vec<f64> = ends
            .chain(self.reference.map(|(value, _)| value))
            .filter(|value| value.is_finite())
            .collect();
        let low = ends.iter().copied().fold(0.0, f64::min);
        let high = ends.iter().copied().fold(0.0, f64::max);
        // Room past the longest bar for its value label.
        let pad = (high - low).max(1e-9) * 0.32;
        (if low < 0.0 { low - pad } else { 0.0 }, high + pad)
    }

    fn draw(&self, area: &Area<'_>) -> Drawn {
        let (low, high) = self.range();
        let rows = self.bars.len();
        let mut chart = chart::builder(area, self.title)
            .y_label_area_size(label_width(self.bars))
            .build_cartesian_2d(low..high, -0.5..rows as f64 - 0.5)?;
        let value = |value: &f64| chart::fixed(*value, 2);
        let axis = match self.reference {
            Some((_, name)) => format!("{}; dashed line: {name}", self.axis),
            None => self.axis.to_string(),
        };
        let name = |position: &f64| self.name_at(*position);
        chart::axes(
            &mut chart,
            Axis::new(&axis, &value).labels(6),
            Axis::new("", &name).labels(rows),
        )?;
        for (index, bar) in self.bars.iter().enumerate() {
            self.draw_bar(&mut chart, rows - 1 - index, bar)?;
        }
        if let Some((value, _)) = self.reference {
            let line = [(value, -0.5), (value, rows as f64 - 0.5)];
            let style = NEUTRAL.stroke_width(2);
            chart.draw_series(DashedLineSeries::new(line, 6, 4, style))?;
        }
        Ok(())
    }

    /// The name of the bar at an axis position, empty between bars.
    fn name_at(&self, position: f64) -> String {
        let rounded = position.round();
        let row = self.bars.len() as f64 - 1.0 - rounded;
        let whole = (position - rounded).abs() < 1e-6 && row >= 0.0;
        match self.bars.get(row as usize) {
            Some(bar) if whole => bar.name.clone(),
            _ => String::new(),
        }
    }

    /// A bar at row position `row` (0 at the bottom), its error bar and its value.
    fn draw_bar(
        &self,
        chart: &mut chart::Chart<'_, '_, RangedCoordf64, RangedCoordf64>,
        row: usize,
        bar: &Bar,
    ) -> Drawn {
        if !bar.value.is_finite() {
            return Ok(());
        }
        let y = row as f64;
        let fill = bar.color.filled();
        chart.draw_series([Rectangle::new(
            [(0.0, y - 0.32), (bar.value, y + 0.32)],
            fill,
        )])?;
        let spread = bar
            .spread
            .filter(|spread| spread.is_finite())
            .unwrap_or(0.0);
        if spread > 0.0 {
            let (from, to) = (bar.value - spread, bar.value + spread);
            let style = BLACK.stroke_width(2);
            let lines = [
                vec![(from, y), (to, y)],
                vec![(from, y - 0.15), (from, y + 0.15)],
                vec![(to, y - 0.15), (to, y + 0.15)],
            ];
            chart.draw_series(lines.into_iter().map(|line| PathElement::new(line, style)))?;
        }
        let end = bar.value.max(0.0) + spread;
        let text = match bar.spread {
            Some(spread) if spread.is_finite() => format!("{:.3} ± {spread:.3}", bar.value),
            _ => format!("{:.3}", bar.value),
        };
        let label = EmptyElement::at((end, y)) + Text::new(text, (6, -8), (FONT, 13));
        chart.draw_series([label])?;
        Ok(())
    }
}

/// Pixels for the name axis: enough for the longest name at the label font.
fn label_width(bars: &[Bar]) -> u32 {
    let longest = bars
        .iter()
        .map(|bar| bar.name.chars().count())
        .max()
        .unwrap_or(0);
    (longest as u32 * 7 + 16).clamp(60, 240)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(name: &str, value: f64, spread: Option<f64>) -> Bar {
        Bar {
            name: name.to_string(),
            value,
            spread,
            color: NEUTRAL,
        }
    }

    #[test]
    fn range_covers_error_bars_negative_values_and_the_reference() {
        let bars = [
            bar("a", 0.5, Some(0.1)),
            bar("b", -0.2, None),
            bar("c", f64::NAN, None),
        ];
        let chart = BarChart {
            title: "t",
            axis: "x",
            bars: &bars,
            reference: Some((1.0, "ideal")),
        };
        let (low, high) = chart.range();
        assert!(low < -0.2 && high > 1.0, "{low} {high}");
    }

    #[test]
    fn names_sit_at_whole_positions_first_bar_on_top() {
        let bars = [bar("first", 1.0, None), bar("second", 2.0, None)];
        let chart = BarChart {
            title: "t",
            axis: "x",
            bars: &bars,
            reference: None,
        };
        assert_eq!(chart.name_at(1.0), "first");
        assert_eq!(chart.name_at(0.0), "second");
        assert_eq!(chart.name_at(0.5), "");
        assert_eq!(chart.name_at(-1.0), "");
        let svg = chart.to_svg();
        assert!(svg.contains("first") && svg.contains("2.000"), "{svg}");
    }
}
