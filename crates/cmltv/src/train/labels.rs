//! Reading and checking the label column.

use crate::data::{ColumnData, Table};
use crate::error::{Error, Result};

/// The label column as amounts, each finite and non-negative.
///
/// # Errors
///
/// [`Error::MissingColumn`] when the table has no such column; [`Error::BadValue`] naming the
/// row for a text column, a missing, NaN, infinite or negative value.
pub fn read_labels(table: &Table, column: &str) -> Result<Vec<f64>> {
    let bad = |row: usize, message: String| Error::BadValue {
        path: table.source().to_path_buf(),
        row: row + 1,
        column: column.to_string(),
        message,
    };
    let values = match &table.require(column)?.data {
        ColumnData::Numeric(values) => values,
        ColumnData::Text(values) => {
            let row = values.iter().position(|v| v.is_some()).unwrap_or(0);
            let found = values.get(row).cloned().flatten().unwrap_or_default();
            return Err(bad(
                row,
                format!("the label must be a number, found '{found}'"),
            ));
        }
    };
    values
        .iter()
        .enumerate()
        .map(|(row, value)| match value {
            None => Err(bad(row, "the label is missing".into())),
            Some(y) if !y.is_finite() => Err(bad(row, format!("the label is {y}"))),
            Some(y) if *y < 0.0 => Err(bad(row, format!("the label is negative ({y})"))),
            Some(y) => Ok(*y),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Column;

    fn table(values: Vec<Option<f64>>) -> Table {
        Table::new("t.csv", vec![Column::numeric("ltv", values)]).unwrap()
    }

    #[test]
    fn bad_labels_name_their_row() {
        let cases = [
            (
                vec![Some(1.0), Some(-2.0)],
                "row 2, column 'ltv': the label is negative (-2)",
            ),
            (
                vec![Some(f64::NAN)],
                "row 1, column 'ltv': the label is NaN",
            ),
            (
                vec![Some(0.0), Some(0.0), Some(f64::INFINITY)],
                "row 3, column 'ltv': the label is inf",
            ),
            (
                vec![Some(0.0), None],
                "row 2, column 'ltv': the label is missing",
            ),
        ];
        for (values, message) in cases {
            let error = read_labels(&table(values), "ltv").unwrap_err().to_string();
            assert!(error.contains(message), "{error}");
        }
        let error = read_labels(&table(vec![Some(1.0)]), "y")
            .unwrap_err()
            .to_string();
        assert_eq!(error, "t.csv: no column named 'y'");
    }
}
