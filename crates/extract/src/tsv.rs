//! Tab-separated tables whose cells may hold HTML fragments (`<p>`, `<b>`, `<sup>`), as pasted
//! from Word or web pages: the header is the first tab-separated line whose cells name a goal
//! column; the title is the nearest text line above it.

use scraper::{Html, Node};

use crate::ExtractError;
use crate::grid::{Grid, grid_from_rows};

/// Finds the table in the text and returns its grid.
pub fn read_tsv(text: &str, origin: &str) -> Result<Grid, ExtractError> {
    let rows: Vec<(String, Vec<String>)> = text
        .lines()
        .enumerate()
        .filter(|(_, line)| !is_separator(line))
        .map(|(i, line)| {
            let cells = line
                .split('\t')
                .map(|c| html_to_text(c.trim_start_matches('#')))
                .collect();
            (format!("第 {} 行", i + 1), cells)
        })
        .collect();
    grid_from_rows(&rows, origin)
}

/// Markdown-style separator rows: every cell dashes or empty.
fn is_separator(line: &str) -> bool {
    line.split('\t')
        .all(|c| c.trim().chars().all(|ch| ch == '-' || ch == ':'))
}

/// The text of an HTML fragment: paragraphs and line breaks become newlines, superscript digits
/// become superscript characters (m<sup>2</sup> → m²), entities are decoded. Plain text passes
/// through unchanged.
pub fn html_to_text(fragment: &str) -> String {
    if !fragment.contains('<') && !fragment.contains('&') {
        return fragment.trim().to_owned();
    }
    let html = Html::parse_fragment(fragment);
    let mut out = String::new();
    collect(html.tree.root(), &mut out, false);
    out.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

fn collect(node: ego_tree::NodeRef<'_, Node>, out: &mut String, superscript: bool) {
    for child in node.children() {
        match child.value() {
            Node::Text(text) => {
                if superscript {
                    out.extend(text.chars().map(to_superscript));
                } else {
                    out.push_str(text);
                }
            }
            Node::Element(element) => {
                let name = element.name();
                let block = matches!(name, "p" | "div" | "li" | "tr" | "h1" | "h2" | "h3" | "h4");
                if name == "br" {
                    out.push('\n');
                    continue;
                }
                if block && !out.is_empty() && !out.ends_with('\n') {
                    out.push('\n');
                }
                collect(child, out, superscript || name == "sup");
                if block {
                    out.push('\n');
                }
            }
            _ => collect(child, out, superscript),
        }
    }
}

fn to_superscript(c: char) -> char {
    match c {
        '0' => '⁰',
        '1' => '¹',
        '2' => '²',
        '3' => '³',
        '4' => '⁴',
        '5' => '⁵',
        '6' => '⁶',
        '7' => '⁷',
        '8' => '⁸',
        '9' => '⁹',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_fragments_become_text() {
        assert_eq!(html_to_text("<p>加快推进。</p>"), "加快推进。");
        assert_eq!(
            html_to_text("<p><b>八大会战：</b>32 万 m<sup>2</sup>硬化</p><p>第二段</p>"),
            "八大会战：32 万 m²硬化\n第二段"
        );
        assert_eq!(html_to_text("A&amp;B&nbsp;C"), "A&B\u{a0}C");
        assert_eq!(html_to_text("  纯文本  "), "纯文本");
    }
}
