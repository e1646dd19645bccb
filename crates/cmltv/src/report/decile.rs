//! The decile chart: mean prediction against mean label in each decile of pLTV, as bars, with
//! the decile table of [`crate::metrics::decile_table`] below it.

use plotters::prelude::*;

use super::chart::{self, Area, Axis, Drawn, LABEL, MODEL};
use super::html::{self, Row};
use crate::metrics::DecileRow;

/// Width of one bar, in deciles; two bars side by side fill most of a decile.
const BAR: f64 = 0.38;

/// The decile-chart card.
pub(super) fn section(deciles: &[DecileRow]) -> String {
    let svg = chart::svg(chart::SIZE, |area| draw(area, deciles));
    let note = "Users split into ten equal groups by pLTV, decile 1 holding the highest \
                predictions. A calibrated model's bars match in every decile.";
    let content = format!(
        "{svg}\n<details><summary>Decile table</summary>\n{}\n</details>",
        decile_table(deciles)
    );
    html::card("decile-chart", "Deciles of pLTV", note, &content)
}

fn draw(area: &Area<'_>, deciles: &[DecileRow]) -> Drawn {
    let values = deciles
        .iter()
        .flat_map(|row| [row.mean_label, row.mean_prediction]);
    let top = chart::finite_max(values, 1.0) * 1.12;
    let mut chart = chart::builder(area, "Mean prediction and mean label by decile")
        .build_cartesian_2d(0.5..10.5, 0.0..top)?;
    let decile = |value: &f64| {
        let rounded = value.round();
        let whole = (value - rounded).abs() < 1e-6 && (1.0..=10.0).contains(&rounded);
        if whole {
            format!("{rounded:.0}")
        } else {
            String::new()
        }
    };
    let amount = |value: &f64| chart::amount(*value);
    chart::axes(
        &mut chart,
        Axis::new("decile of pLTV (1 = highest)", &decile).labels(10),
        Axis::new("mean amount per user", &amount),
    )?;
    let bars = |offset: f64, value: fn(&DecileRow) -> f64, color: RGBColor| {
        deciles.iter().map(move |row| {
            let left = row.decile as f64 + offset;
            Rectangle::new([(left, 0.0), (left + BAR, value(row))], color.filled())
        })
    };
    chart
        .draw_series(bars(-BAR - 0.01, |row| row.mean_prediction, MODEL))?
        .label("mean prediction (pLTV)")
        .legend(chart::box_key(MODEL.filled()));
    chart
        .draw_series(bars(0.01, |row| row.mean_label, LABEL))?
        .label("mean label")
        .legend(chart::box_key(LABEL.filled()));
    chart::legend(&mut chart, SeriesLabelPosition::UpperRight)
}

/// The decile table: rows, means and the absolute percentage error.
fn decile_table(deciles: &[DecileRow]) -> String {
    let rows: Vec<Row> = deciles
        .iter()
        .map(|row| {
            let error = row
                .abs_pct_error
                .map_or("&ndash;".to_string(), |e| format!("{:.1}%", 100.0 * e));
            Row::new(vec![
                row.decile.to_string(),
                row.rows.to_string(),
                chart::amount(row.mean_prediction),
                chart::amount(row.mean_label),
                error,
            ])
        })
        .collect();
    let header = [
        "decile",
        "users",
        "mean prediction",
        "mean label",
        "abs. % error",
    ];
    html::table(Some("decile-table"), &header, &rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::decile_table as deciles_of;

    #[test]
    fn the_card_holds_a_chart_and_a_row_per_decile() {
        let labels: Vec<f64> = (0..50).map(|i| f64::from(i % 7)).collect();
        let scores: Vec<f64> = (0..50).map(|i| f64::from(i % 7) + 0.5).collect();
        let html = section(&deciles_of(&labels, &scores));
        assert!(html.contains("id=\"decile-chart\""));
        assert_eq!(html.matches("<svg").count(), 1);
        assert_eq!(html.matches("<tr>").count(), 11, "{html}");
        assert!(html.contains("mean prediction (pLTV)"));
    }
}
