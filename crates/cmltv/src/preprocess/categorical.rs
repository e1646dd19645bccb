//! One categorical field: a vocabulary from category to embedding index.

use std::collections::HashMap;
use std::fmt::Write;

use crate::data::ColumnData;

/// Index of out-of-vocabulary and missing values in every field.
pub const OUT_OF_VOCABULARY: i64 = 0;

/// The fitted vocabulary of one categorical field.
///
/// Known categories get the indices `1..=len`, the most frequent first (ties by text);
/// everything else, missing cells included, maps to [`OUT_OF_VOCABULARY`]. Numbers in a
/// numeric-coded field are compared as text: integers without a decimal point (`3`, not
/// `3.0`), others as Rust prints them (`2.5`).
///
/// It serializes as the list of its categories in index order.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "Vec<String>", into = "Vec<String>")]
pub struct Vocabulary {
    categories: Vec<String>,
    index: HashMap<String, i64>,
}

impl Vocabulary {
    /// Fits a vocabulary to a column's training cells: the categories seen on at least
    /// `min_count` rows, at most `max_categories` of them, the most frequent kept.
    pub fn fit(data: &ColumnData, min_count: usize, max_categories: usize) -> Vocabulary {
        let mut counts: HashMap<String, usize> = HashMap::new();
        for_each_category(data, |category| match counts.get_mut(category) {
            Some(count) => *count += 1,
            None => {
                counts.insert(category.to_string(), 1);
            }
        });
        let mut ranked: Vec<(String, usize)> = counts
            .into_iter()
            .filter(|&(_, count)| count >= min_count)
            .collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        ranked.truncate(max_categories);
        Vocabulary::from_categories(ranked.into_iter().map(|(category, _)| category).collect())
    }

    /// The known categories; the one at position `i` has index `i + 1`.
    pub fn categories(&self) -> &[String] {
        &self.categories
    }

    /// Number of embedding rows the field needs: the categories plus index 0.
    pub fn cardinality(&self) -> usize {
        self.categories.len() + 1
    }

    /// The index of a category, [`OUT_OF_VOCABULARY`] when unknown.
    pub fn index_of(&self, category: &str) -> i64 {
        self.index
            .get(category)
            .copied()
            .unwrap_or(OUT_OF_VOCABULARY)
    }

    /// Writes the index of each cell in `rows` to `out[(row - rows.start) * stride]`.
    pub(crate) fn encode(
        &self,
        data: &ColumnData,
        rows: std::ops::Range<usize>,
        out: &mut [i64],
        stride: usize,
    ) {
        let slots = out.iter_mut().step_by(stride.max(1));
        match data {
            ColumnData::Text(cells) => {
                for (slot, cell) in slots.zip(&cells[rows]) {
                    *slot = cell
                        .as_deref()
                        .map_or(OUT_OF_VOCABULARY, |c| self.index_of(c));
                }
            }
            ColumnData::Numeric(cells) => {
                let mut text = String::new();
                for (slot, cell) in slots.zip(&cells[rows]) {
                    *slot = match number_text(*cell, &mut text) {
                        Some(category) => self.index_of(category),
                        None => OUT_OF_VOCABULARY,
                    };
                }
            }
        }
    }

    fn from_categories(categories: Vec<String>) -> Vocabulary {
        let index = categories.iter().cloned().zip(1..).collect();
        Vocabulary { categories, index }
    }
}

impl TryFrom<Vec<String>> for Vocabulary {
    type Error = String;

    fn try_from(categories: Vec<String>) -> Result<Self, Self::Error> {
        let vocabulary = Vocabulary::from_categories(categories);
        if vocabulary.index.len() != vocabulary.categories.len() {
            return Err("a vocabulary lists the same category twice".to_string());
        }
        Ok(vocabulary)
    }
}

impl From<Vocabulary> for Vec<String> {
    fn from(vocabulary: Vocabulary) -> Self {
        vocabulary.categories
    }
}

/// Calls `visit` with the text of every present cell.
fn for_each_category(data: &ColumnData, mut visit: impl FnMut(&str)) {
    match data {
        ColumnData::Text(cells) => cells.iter().flatten().for_each(|cell| visit(cell)),
        ColumnData::Numeric(cells) => {
            let mut text = String::new();
            for cell in cells {
                if let Some(category) = number_text(*cell, &mut text) {
                    visit(category);
                }
            }
        }
    }
}

/// A numeric cell as category text, written into `buffer`; `None` when missing or not finite.
fn number_text(cell: Option<f64>, buffer: &mut String) -> Option<&str> {
    let value = cell.filter(|x| x.is_finite())?;
    buffer.clear();
    let result = if value.fract() == 0.0 && value.abs() < 1e15 {
        write!(buffer, "{}", value as i64)
    } else {
        write!(buffer, "{value}")
    };
    result.ok()?;
    Some(buffer.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(cells: &[Option<&str>]) -> ColumnData {
        ColumnData::Text(cells.iter().map(|cell| cell.map(String::from)).collect())
    }

    fn encode_all(vocabulary: &Vocabulary, data: &ColumnData) -> Vec<i64> {
        let mut out = vec![-1; data.len()];
        vocabulary.encode(data, 0..data.len(), &mut out, 1);
        out
    }

    #[test]
    fn frequent_categories_first_ties_by_text() {
        let data = text(&[Some("b"), Some("a"), Some("c"), Some("c"), Some("b"), None]);
        let vocabulary = Vocabulary::fit(&data, 1, 10);
        assert_eq!(vocabulary.categories(), ["b", "c", "a"]);
        assert_eq!(vocabulary.cardinality(), 4);
        assert_eq!(encode_all(&vocabulary, &data), [1, 3, 2, 2, 1, 0]);
    }

    #[test]
    fn min_count_and_max_categories_limit_the_vocabulary() {
        let cells = [
            Some("x"),
            Some("x"),
            Some("x"),
            Some("y"),
            Some("y"),
            Some("z"),
        ];
        let data = text(&cells);
        assert_eq!(Vocabulary::fit(&data, 2, 10).categories(), ["x", "y"]);
        assert_eq!(Vocabulary::fit(&data, 1, 1).categories(), ["x"]);
        assert_eq!(Vocabulary::fit(&data, 4, 10).cardinality(), 1);
    }

    #[test]
    fn numbers_are_categories_written_as_text() {
        let data =
            ColumnData::Numeric(vec![Some(3.0), Some(-2.0), Some(2.5), None, Some(f64::NAN)]);
        let vocabulary = Vocabulary::fit(&data, 1, 10);
        assert_eq!(vocabulary.categories(), ["-2", "2.5", "3"]);
        assert_eq!(encode_all(&vocabulary, &data), [3, 1, 2, 0, 0]);
        assert_eq!(vocabulary.index_of("3.0"), OUT_OF_VOCABULARY);
    }

    #[test]
    fn encode_writes_with_a_stride() {
        let data = text(&[Some("a"), Some("b"), Some("a")]);
        let vocabulary = Vocabulary::fit(&data, 1, 10);
        let mut out = vec![-1; 4];
        vocabulary.encode(&data, 1..3, &mut out, 2);
        assert_eq!(out, [2, -1, 1, -1]);
    }

    #[test]
    fn serializes_as_its_list_and_rejects_duplicates() {
        let vocabulary = Vocabulary::fit(&text(&[Some("a"), Some("b"), Some("b")]), 1, 10);
        let json = serde_json::to_string(&vocabulary).unwrap();
        assert_eq!(json, r#"["b","a"]"#);
        let back: Vocabulary = serde_json::from_str(&json).unwrap();
        assert_eq!(back, vocabulary);
        assert!(serde_json::from_str::<Vocabulary>(r#"["a","a"]"#).is_err());
    }
}
