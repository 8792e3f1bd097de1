//! Web pages saved from a government site (.html/.htm): the page's text blocks and tables in
//! order. Navigation, scripts and styles are left out; a table's cells are laid out on its grid
//! (`colspan` leaves empty cells after the text, `rowspan` repeats it in the rows it covers).

use ego_tree::NodeRef;
use scraper::{Html, Node};

use crate::flow::{Block, Flow};
use crate::{OfficeError, decode_file, guarded};

/// The largest page read, in characters of text after decoding.
const MAX_HTML_CHARS: usize = 32 * 1024 * 1024;
/// Deeper element nesting than this is not a page anyone saved (and would overflow the stack).
const MAX_DEPTH: usize = 256;
/// The largest span a cell may claim, so `colspan="100000"` cannot blow up the grid.
const MAX_SPAN: usize = 64;

/// Reads a web page's paragraphs and tables.
pub fn read_html(bytes: &[u8], origin: &str) -> Result<Flow, OfficeError> {
    let text = decode_file(bytes, origin)?;
    if text.text.len() > MAX_HTML_CHARS {
        return Err(OfficeError::TooLarge {
            origin: origin.to_owned(),
            what: "网页内容",
            limit: format!("{} MB", MAX_HTML_CHARS / 1024 / 1024),
        });
    }
    guarded(origin, "网页", || {
        let page = Html::parse_document(&text.text);
        let mut flow = Flow::default();
        let mut line = String::new();
        walk(page.tree.root(), &mut flow, &mut line, 0, false);
        flush(&mut flow, &mut line);
        Ok(flow)
    })
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "section"
            | "article"
            | "li"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "br"
            | "tr"
            | "title"
            | "header"
            | "footer"
            | "pre"
            | "blockquote"
            | "dd"
            | "dt"
    )
}

fn skipped(name: &str) -> bool {
    matches!(
        name,
        "script" | "style" | "noscript" | "head" | "nav" | "iframe" | "svg" | "select" | "button"
    )
}

fn flush(flow: &mut Flow, line: &mut String) {
    let text = close_spaces(line.trim());
    if !text.is_empty() {
        flow.blocks.push(Block::Paragraph(text));
    }
    line.clear();
}

/// Whitespace as a browser shows it: a run becomes one space, except that a line break in the
/// page's source between two Chinese characters (markup wrapped at its width) is no space at all.
fn close_spaces(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if !c.is_whitespace() {
            out.push(c);
            continue;
        }
        let mut broke = c == '\n' || c == '\r';
        while let Some(next) = chars.next_if(|n| n.is_whitespace()) {
            broke |= next == '\n' || next == '\r';
        }
        let before_wide = out.chars().last().is_some_and(|b| !b.is_ascii());
        let after_wide = chars.peek().is_some_and(|a| !a.is_ascii());
        if !(broke && before_wide && after_wide) {
            out.push(' ');
        }
    }
    out
}

/// `in_cell`: inside a table cell a line break of the source is a line of the cell (tables that
/// show their cells with `white-space: pre-line`, as duban's own notices do).
fn walk(node: NodeRef<'_, Node>, flow: &mut Flow, line: &mut String, depth: usize, in_cell: bool) {
    if depth > MAX_DEPTH {
        return;
    }
    for child in node.children() {
        match child.value() {
            Node::Text(text) if in_cell && text.contains('\n') => {
                for (i, piece) in text.split('\n').enumerate() {
                    if i > 0 {
                        flush(flow, line);
                    }
                    line.push_str(piece);
                }
            }
            Node::Text(text) => line.push_str(text),
            Node::Element(element) => {
                let name = element.name();
                if skipped(name) {
                    continue;
                }
                if name == "table" {
                    flush(flow, line);
                    let rows = table_rows(child, depth);
                    if rows.iter().any(|r| r.iter().any(|c| !c.is_empty())) {
                        flow.blocks.push(Block::Table(rows));
                    }
                    continue;
                }
                let block = is_block(name);
                if block {
                    flush(flow, line);
                }
                walk(child, flow, line, depth + 1, in_cell);
                if block {
                    flush(flow, line);
                }
            }
            _ => walk(child, flow, line, depth + 1, in_cell),
        }
    }
}

/// The rows of a table element (not of the tables nested in it), laid out on the grid.
fn table_rows(table: NodeRef<'_, Node>, depth: usize) -> Vec<Vec<String>> {
    let mut rows: Vec<Vec<String>> = Vec::new();
    // Cells still covered by a rowspan from above: column → (rows left, text).
    let mut pending: Vec<Option<(usize, String)>> = Vec::new();
    for tr in descendants_named(table, "tr", depth) {
        let mut row: Vec<String> = Vec::new();
        let mut column = 0;
        let take_pending = |pending: &mut Vec<Option<(usize, String)>>,
                            row: &mut Vec<String>,
                            column: &mut usize| {
            while let Some(Some((left, text))) = pending.get_mut(*column) {
                row.push(text.clone());
                *left -= 1;
                if *left == 0 {
                    pending[*column] = None;
                }
                *column += 1;
            }
        };
        for cell in tr.children() {
            let Node::Element(element) = cell.value() else {
                continue;
            };
            if !matches!(element.name(), "td" | "th") {
                continue;
            }
            take_pending(&mut pending, &mut row, &mut column);
            let span = |name: &str| {
                element
                    .attr(name)
                    .and_then(|v| v.trim().parse::<usize>().ok())
                    .unwrap_or(1)
                    .clamp(1, MAX_SPAN)
            };
            let (colspan, rowspan) = (span("colspan"), span("rowspan"));
            let text = cell_text(cell, depth + 1);
            for offset in 0..colspan {
                let value = if offset == 0 {
                    text.clone()
                } else {
                    String::new()
                };
                if rowspan > 1 {
                    if pending.len() <= column {
                        pending.resize(column + 1, None);
                    }
                    pending[column] = Some((rowspan - 1, value.clone()));
                }
                row.push(value);
                column += 1;
            }
        }
        take_pending(&mut pending, &mut row, &mut column);
        rows.push(row);
    }
    rows
}

/// The `tr` elements of a table, through thead/tbody/tfoot but not into nested tables.
fn descendants_named<'a>(
    node: NodeRef<'a, Node>,
    name: &str,
    depth: usize,
) -> Vec<NodeRef<'a, Node>> {
    let mut found = Vec::new();
    if depth > MAX_DEPTH {
        return found;
    }
    for child in node.children() {
        if let Node::Element(element) = child.value() {
            if element.name() == name {
                found.push(child);
            } else if element.name() != "table" {
                found.extend(descendants_named(child, name, depth + 1));
            }
        }
    }
    found
}

/// A cell's text: paragraphs and line breaks inside it become line breaks.
fn cell_text(cell: NodeRef<'_, Node>, depth: usize) -> String {
    let mut flow = Flow::default();
    let mut line = String::new();
    walk(cell, &mut flow, &mut line, depth, true);
    flush(&mut flow, &mut line);
    flow.blocks
        .into_iter()
        .map(|b| match b {
            Block::Paragraph(text) => text,
            Block::Table(rows) => rows
                .iter()
                .map(|r| r.join(" "))
                .collect::<Vec<_>>()
                .join("\n"),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_and_a_table_with_spans() {
        let page = "<html><head><title>t</title><script>x()</script></head><body>\
            <nav>首页 &gt; 督查</nav><h1>2024年重点工作\n 通报表</h1><p>来源：督查室</p>\
            <table><tr><th>序号</th><th>任务</th><th colspan=2>单位</th></tr>\
            <tr><td>1</td><td>任务一<br>第二行</td><td rowspan=2>区发改局</td><td>区财政局</td></tr>\
            <tr><td>2</td><td>任务&amp;二</td><td>区商务局</td></tr></table></body></html>";
        let flow = read_html(page.as_bytes(), "页.html").expect("html");
        assert_eq!(
            flow.blocks,
            vec![
                Block::Paragraph("2024年重点工作通报表".into()),
                Block::Paragraph("来源：督查室".into()),
                Block::Table(vec![
                    vec!["序号".into(), "任务".into(), "单位".into(), "".into()],
                    vec![
                        "1".into(),
                        "任务一\n第二行".into(),
                        "区发改局".into(),
                        "区财政局".into()
                    ],
                    vec![
                        "2".into(),
                        "任务&二".into(),
                        "区发改局".into(),
                        "区商务局".into()
                    ],
                ]),
            ]
        );
    }
}
