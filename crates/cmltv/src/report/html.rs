//! Assembling the page: escaping, the style sheet, cards and tables.

use std::fmt::Write;

/// The page's whole style sheet; the page loads nothing else.
const STYLE: &str = "
body { margin: 0; background: #f3f4f6; color: #1d2330;
  font: 15px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; }
main { max-width: 1240px; margin: 0 auto; padding: 20px 24px 40px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 0 0 4px; }
.card { background: #fff; border: 1px solid #dde1e7; border-radius: 8px;
  padding: 14px 18px; margin: 0 0 18px; }
.grid { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 18px;
  margin: 0 0 18px; }
.grid > .card { margin: 0; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr));
  gap: 12px; }
p.note { color: #555d6b; margin: 0 0 8px; font-size: 13px; }
svg { display: block; width: 100%; height: auto; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; margin-top: 8px;
  font-size: 14px; }
th, td { padding: 4px 8px; border-bottom: 1px solid #e6e8ec; text-align: right;
  white-space: nowrap; }
th:first-child, td:first-child { text-align: left; }
th { background: #f0f2f5; font-weight: 600; white-space: normal; vertical-align: bottom; }
tr.reference td { color: #8a4b00; font-style: italic; background: #fff6e8; }
td.best { font-weight: 700; color: #0b6b2f; }
td small { color: #555d6b; font-weight: 400; }
.scroll { overflow-x: auto; }
details { margin-top: 6px; }
summary { cursor: pointer; color: #36527a; font-size: 14px; }
.layout { display: grid; grid-template-columns: minmax(0, 1fr) auto; gap: 18px;
  align-items: start; }
.split { display: grid; grid-template-columns: minmax(0, 2fr) minmax(0, 3fr); gap: 18px;
  align-items: start; }
.split table { width: 100%; }
dl.facts { display: grid; grid-template-columns: max-content auto; gap: 2px 14px;
  margin: 8px 0 0; }
dt { color: #555d6b; }
dd { margin: 0; font-weight: 600; }
@media (max-width: 900px) { .grid, .layout, .split { grid-template-columns: minmax(0, 1fr); } }
";

/// Escapes text for HTML element content and quoted attribute values.
pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

/// A page being assembled: its title and body HTML.
pub(super) struct Page {
    title: String,
    body: String,
}

impl Page {
    /// An empty page with this (unescaped) title.
    pub(super) fn new(title: &str) -> Page {
        Page {
            title: title.to_string(),
            body: String::new(),
        }
    }

    /// Appends HTML to the body.
    pub(super) fn push(&mut self, html: &str) {
        self.body.push_str(html);
        self.body.push('\n');
    }

    /// The complete document.
    pub(super) fn finish(self) -> String {
        format!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n{}</main>\n\
             </body>\n</html>\n",
            escape(&self.title),
            self.body
        )
    }
}

/// A card with an id, a title and a note (both escaped here) above raw HTML content.
pub(super) fn card(id: &str, title: &str, note: &str, content: &str) -> String {
    format!(
        "<section class=\"card\" id=\"{}\">\n<h2>{}</h2>\n<p class=\"note\">{}</p>\n{content}\n\
         </section>",
        escape(id),
        escape(title),
        escape(note)
    )
}

/// Charts side by side, wrapping on narrow screens.
pub(super) fn charts(svgs: &[String]) -> String {
    let inner: String = svgs.iter().map(|svg| format!("<div>{svg}</div>")).collect();
    format!("<div class=\"charts\">{inner}</div>")
}

/// A row of a [`table`]: an optional class and cells that are already HTML.
pub(super) struct Row {
    /// `reference` for a row that is a yardstick rather than a contender.
    pub(super) class: Option<&'static str>,
    /// Cell contents; a cell given as `(html, true)` is marked as its column's best.
    pub(super) cells: Vec<(String, bool)>,
}

impl Row {
    /// A row of plain cells.
    pub(super) fn new(cells: Vec<String>) -> Row {
        Row {
            class: None,
            cells: cells.into_iter().map(|cell| (cell, false)).collect(),
        }
    }
}

/// A table with an optional id, a header (escaped here) and rows.
pub(super) fn table(id: Option<&str>, header: &[&str], rows: &[Row]) -> String {
    let mut out = match id {
        Some(id) => format!("<table id=\"{}\">\n<thead><tr>", escape(id)),
        None => "<table>\n<thead><tr>".to_string(),
    };
    for name in header {
        // Writing to a String cannot fail.
        let _ = write!(out, "<th>{}</th>", escape(name));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        match row.class {
            Some(class) => {
                let _ = write!(out, "<tr class=\"{class}\">");
            }
            None => out.push_str("<tr>"),
        }
        for (cell, best) in &row.cells {
            let class = if *best { " class=\"best\"" } else { "" };
            let _ = write!(out, "<td{class}>{cell}</td>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>");
    out
}

/// A definition list of facts; names and values are escaped here.
pub(super) fn facts(items: &[(&str, String)]) -> String {
    let mut out = "<dl class=\"facts\">".to_string();
    for (name, value) in items {
        let _ = write!(out, "<dt>{}</dt><dd>{}</dd>", escape(name), escape(value));
    }
    out.push_str("</dl>");
    out
}

/// A metric value with four decimals, or a dash when it is undefined.
pub(super) fn metric(value: f64) -> String {
    if value.is_finite() {
        format!("{value:.4}")
    } else {
        "&ndash;".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_covers_markup_and_quotes() {
        assert_eq!(
            escape("<a href=\"x\">Tom & 'Jerry'</a>"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn a_page_is_a_complete_document_with_an_escaped_title() {
        let mut page = Page::new("<model>");
        page.push(&card("gain-curve", "Gain", "a & b", "<svg></svg>"));
        let html = page.finish();
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.contains("<title>&lt;model&gt;</title>"));
        assert!(html.contains("<section class=\"card\" id=\"gain-curve\">"));
        assert!(html.contains("a &amp; b"));
        assert!(html.trim_end().ends_with("</html>"));
    }

    #[test]
    fn tables_mark_best_cells_and_reference_rows() {
        let rows = [
            Row {
                class: Some("reference"),
                cells: vec![("oracle".into(), false), ("0.9".into(), false)],
            },
            Row {
                class: None,
                cells: vec![("cmltv".into(), false), ("0.8".into(), true)],
            },
        ];
        let html = table(Some("t"), &["model", "gini"], &rows);
        assert!(html.contains("<table id=\"t\">"));
        assert!(html.contains("<tr class=\"reference\"><td>oracle</td>"));
        assert!(html.contains("<td class=\"best\">0.8</td>"));
        assert_eq!(metric(f64::NAN), "&ndash;");
        assert_eq!(metric(0.5), "0.5000");
    }
}
