//! What the charts share: size, colours, fonts, number formats and drawing into an SVG string.

use plotters::coord::Shift;
use plotters::coord::ranged1d::ValueFormatter;
use plotters::prelude::*;

/// A drawing area over an SVG document held in a string.
pub(super) type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;

/// What drawing returns; the SVG backend writes into a string and never fails.
pub(super) type Drawn = Result<(), DrawingAreaErrorKind<std::io::Error>>;

/// A chart context on an SVG area with two plain axes.
pub(super) type Chart<'a, 'b, X, Y> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<X, Y>>;

/// Size of one chart in pixels; the page scales it down to its column.
pub(super) const SIZE: (u32, u32) = (600, 420);

/// The generic font family; the browser picks the face.
pub(super) const FONT: &str = "sans-serif";

/// The model's predictions.
pub(super) const MODEL: RGBColor = RGBColor(31, 119, 180);
/// The true labels, and the perfect ordering by them.
pub(super) const LABEL: RGBColor = RGBColor(44, 160, 44);
/// The oracle's ranking.
pub(super) const ORACLE: RGBColor = RGBColor(255, 127, 14);
/// References: random ordering, the diagonal.
pub(super) const NEUTRAL: RGBColor = RGBColor(120, 120, 120);
/// Grid lines at the tick labels.
const GRID: RGBColor = RGBColor(228, 228, 228);

/// Distinct colours for series without a fixed meaning (loss terms, models).
pub(super) const PALETTE: [RGBColor; 10] = [
    RGBColor(31, 119, 180),
    RGBColor(214, 39, 40),
    RGBColor(44, 160, 44),
    RGBColor(148, 103, 189),
    RGBColor(255, 127, 14),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(23, 190, 207),
    RGBColor(188, 189, 34),
    RGBColor(80, 80, 80),
];

/// Draws into a fresh white SVG document of `size` and returns the document.
pub(super) fn svg(size: (u32, u32), draw: impl FnOnce(&Area<'_>) -> Drawn) -> String {
    let mut document = String::new();
    {
        let root = SVGBackend::with_string(&mut document, size).into_drawing_area();
        root.fill(&WHITE)
            .and_then(|()| draw(&root))
            .and_then(|()| root.present())
            .expect("drawing SVG elements into a string cannot fail");
    }
    document
}

/// A chart builder with the report's title font, margins and label areas.
pub(super) fn builder<'a, 'b>(
    area: &'a Area<'b>,
    title: &str,
) -> ChartBuilder<'a, 'b, SVGBackend<'b>> {
    let mut builder = ChartBuilder::on(area);
    builder
        .caption(title, (FONT, 20))
        .margin(14)
        .x_label_area_size(50)
        .y_label_area_size(70);
    builder
}

/// One axis: its description, how its tick labels read and at most how many there are.
pub(super) struct Axis<'f, T> {
    desc: &'f str,
    format: &'f dyn Fn(&T) -> String,
    labels: usize,
}

impl<'f, T> Axis<'f, T> {
    /// An axis with up to ten tick labels.
    pub(super) fn new(desc: &'f str, format: &'f dyn Fn(&T) -> String) -> Self {
        Axis {
            desc,
            format,
            labels: 10,
        }
    }

    /// Sets the most tick labels the axis shows.
    pub(super) fn labels(mut self, labels: usize) -> Self {
        self.labels = labels;
        self
    }
}

/// Draws the axes, their descriptions and a light grid.
pub(super) fn axes<X, Y>(
    chart: &mut Chart<'_, '_, X, Y>,
    x: Axis<'_, X::ValueType>,
    y: Axis<'_, Y::ValueType>,
) -> Drawn
where
    X: Ranged + ValueFormatter<X::ValueType>,
    Y: Ranged + ValueFormatter<Y::ValueType>,
{
    chart
        .configure_mesh()
        .x_desc(x.desc)
        .y_desc(y.desc)
        .x_label_formatter(x.format)
        .y_label_formatter(y.format)
        .x_labels(x.labels)
        .y_labels(y.labels)
        .bold_line_style(GRID)
        .light_line_style(TRANSPARENT)
        .label_style((FONT, 14))
        .axis_desc_style((FONT, 16))
        .draw()
}

/// Draws the legend of the series that were given a label.
pub(super) fn legend<'a, 'b: 'a, X: Ranged, Y: Ranged>(
    chart: &mut Chart<'a, 'b, X, Y>,
    position: SeriesLabelPosition,
) -> Drawn {
    chart
        .configure_series_labels()
        .position(position)
        .label_font((FONT, 14))
        .background_style(WHITE.mix(0.9))
        .border_style(NEUTRAL)
        .draw()
}

/// The legend key of a line series.
pub(super) fn line_key(style: ShapeStyle) -> impl Fn((i32, i32)) -> PathElement<(i32, i32)> {
    move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style)
}

/// The legend key of a bar or area series.
pub(super) fn box_key(style: ShapeStyle) -> impl Fn((i32, i32)) -> Rectangle<(i32, i32)> {
    move |(x, y)| Rectangle::new([(x, y - 6), (x + 16, y + 6)], style)
}

/// An amount in label units, with as many decimals as its size needs.
pub(super) fn amount(value: f64) -> String {
    let size = value.abs();
    if size >= 1000.0 {
        format!("{value:.0}")
    } else if size >= 10.0 {
        format!("{value:.1}")
    } else if size >= 0.1 || size == 0.0 {
        format!("{value:.2}")
    } else {
        format!("{value:.3}")
    }
}

/// A tick of a log axis: an amount, or a power of ten below 0.01.
pub(super) fn log_tick(value: f64) -> String {
    if value >= 0.01 {
        amount(value)
    } else {
        format!("{value:.0e}")
    }
}

/// A value with `decimals` decimals, never written as a negative zero.
pub(super) fn fixed(value: f64, decimals: usize) -> String {
    let text = format!("{value:.decimals$}");
    match text.strip_prefix('-') {
        Some(rest) if rest.chars().all(|c| c == '0' || c == '.') => rest.to_string(),
        _ => text,
    }
}

/// A share in `[0, 1]` as a whole percentage.
pub(super) fn percent(value: f64) -> String {
    format!("{:.0}%", 100.0 * value)
}

/// The largest finite value of `values`, or `fallback` when there is none.
pub(super) fn finite_max(values: impl IntoIterator<Item = f64>, fallback: f64) -> f64 {
    let max = values
        .into_iter()
        .filter(|value| value.is_finite())
        .fold(f64::NEG_INFINITY, f64::max);
    if max.is_finite() { max } else { fallback }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_keep_meaningful_decimals() {
        assert_eq!(amount(1234.5), "1234");
        assert_eq!(amount(12.34), "12.3");
        assert_eq!(amount(0.5), "0.50");
        assert_eq!(amount(0.0), "0.00");
        assert_eq!(amount(0.0123), "0.012");
        assert_eq!(percent(0.25), "25%");
        assert_eq!(log_tick(0.0001), "1e-4");
        assert_eq!(log_tick(0.5), "0.50");
        assert_eq!(fixed(-0.001, 2), "0.00");
        assert_eq!(fixed(-0.25, 2), "-0.25");
    }

    #[test]
    fn finite_max_skips_nan_and_falls_back() {
        assert_eq!(finite_max([1.0, f64::NAN, 3.0], 0.0), 3.0);
        assert_eq!(finite_max([f64::NAN], 7.0), 7.0);
    }

    #[test]
    fn a_drawn_chart_is_one_svg_document_with_its_text() {
        let document = svg((200, 100), |area| {
            let mut chart = builder(area, "a <title>").build_cartesian_2d(0.0..1.0, 0.0..1.0)?;
            let format = |v: &f64| format!("{v}");
            axes(&mut chart, Axis::new("x", &format), Axis::new("y", &format))
        });
        assert!(document.starts_with("<svg"), "{document}");
        assert!(document.trim_end().ends_with("</svg>"), "{document}");
        assert!(document.contains("a &lt;title&gt;"), "{document}");
    }
}
