//! Positioned text (a PDF's pages) back into what a reader sees: lines and paragraphs in reading
//! order for reports and plans, rows and cells for tables.
//!
//! Tables are rebuilt from the page geometry. Where the PDF draws ruling lines (Word, WPS and
//! Excel all do for bordered tables), the lines are the grid: every band between two horizontal
//! lines is a row, every strip between two vertical lines a column, and a missing line inside the
//! grid is a merged cell. Without lines, the columns are anchored at the header cells and a row
//! starts at each new 序号 (or, without one, after a gap). Rows broken by a page break are joined,
//! headers repeated on each page, page numbers and running heads dropped. Nothing here knows a
//! particular table: only positions, widths and the column names of `columns`.

use crate::columns::{ColumnKind, classify};

/// A run of text with its box, in points from the top-left of the page.
#[derive(Debug, Clone, PartialEq)]
pub struct TextBox {
    pub text: String,
    pub left: f32,
    pub right: f32,
    pub top: f32,
    pub bottom: f32,
}

/// A horizontal (y0 == y1) or vertical (x0 == x1) border line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rule {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

/// One page of positioned text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    pub width: f32,
    pub height: f32,
    pub boxes: Vec<TextBox>,
    pub rules: Vec<Rule>,
}

/// A visual line: boxes that share a baseline, left to right.
#[derive(Debug, Clone)]
struct Line {
    boxes: Vec<TextBox>,
    top: f32,
    bottom: f32,
    left: f32,
    right: f32,
}

impl Line {
    fn height(&self) -> f32 {
        (self.bottom - self.top).max(1.0)
    }
    /// The text, with a space only where the gap between two boxes is wide (a column gap, or a
    /// space the writer typed between Latin words), never inside justified Chinese.
    fn text(&self) -> String {
        let mut out = String::new();
        let mut last_right: Option<f32> = None;
        for b in &self.boxes {
            if let Some(right) = last_right
                && b.left - right > self.height() * 0.6
            {
                out.push(' ');
            }
            out.push_str(b.text.trim_matches('\u{0}'));
            last_right = Some(b.right);
        }
        out.trim().to_owned()
    }
}

/// Groups boxes into visual lines, top to bottom.
fn lines_of(boxes: &[TextBox]) -> Vec<Line> {
    let mut sorted: Vec<&TextBox> = boxes.iter().collect();
    sorted.sort_by(|a, b| a.top.total_cmp(&b.top).then(a.left.total_cmp(&b.left)));
    let mut lines: Vec<Line> = Vec::new();
    for b in sorted {
        let height = (b.bottom - b.top).max(1.0);
        let joined = lines.iter_mut().rev().take(4).find(|line| {
            let overlap = line.bottom.min(b.bottom) - line.top.max(b.top);
            overlap >= 0.5 * height.min(line.height())
        });
        match joined {
            Some(line) => {
                line.top = line.top.min(b.top);
                line.bottom = line.bottom.max(b.bottom);
                line.left = line.left.min(b.left);
                line.right = line.right.max(b.right);
                line.boxes.push(b.clone());
            }
            None => lines.push(Line {
                boxes: vec![b.clone()],
                top: b.top,
                bottom: b.bottom,
                left: b.left,
                right: b.right,
            }),
        }
    }
    for line in &mut lines {
        line.boxes.sort_by(|a, b| a.left.total_cmp(&b.left));
    }
    lines.sort_by(|a, b| a.top.total_cmp(&b.top));
    lines
}

/// A page number or a footer such as 第 3 页 / - 3 - / 3/45 / 3.
fn is_page_number(text: &str) -> bool {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.is_empty() || compact.chars().count() > 16 {
        return false;
    }
    let digits_only = compact
        .trim_matches(['-', '—', '－', '–', '·', '(', ')', '（', '）'])
        .chars()
        .all(|c| c.is_ascii_digit());
    let of_pages = compact.starts_with('第') && compact.contains('页');
    let slash = compact.split_once('/').is_some_and(|(a, b)| {
        a.chars().all(|c| c.is_ascii_digit()) && b.chars().all(|c| c.is_ascii_digit())
    });
    digits_only || of_pages || slash
}

/// The same text in the top or bottom margin of many pages (a running head), digits ignored.
fn running_heads(pages: &[Vec<Line>], heights: &[f32]) -> std::collections::HashSet<String> {
    let mut counts: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (lines, height) in pages.iter().zip(heights) {
        let mut seen = std::collections::HashSet::new();
        for line in lines {
            if in_margin(line, *height) {
                let key = margin_key(&line.text());
                if !key.is_empty() && seen.insert(key.clone()) {
                    *counts.entry(key).or_default() += 1;
                }
            }
        }
    }
    let needed = (pages.len() * 3 / 10).max(3);
    counts
        .into_iter()
        .filter(|(_, n)| *n >= needed)
        .map(|(k, _)| k)
        .collect()
}

fn in_margin(line: &Line, height: f32) -> bool {
    line.bottom < height * 0.1 || line.top > height * 0.9
}

fn margin_key(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && !c.is_ascii_digit())
        .collect()
}

/// The text of a document PDF in reading order: one visual line a line, a blank line where the
/// gap before a line is clearly wider than the usual line pitch (a new paragraph or block), and
/// page numbers and running heads left out. This is the shape of text copied out of a PDF, which
/// the report and plan reader takes. A ruled table on a page (a plan's indicator table) is read
/// by its grid instead, a row a line with its cells separated by spaces, so cells that wrap do not
/// interleave with their neighbours.
pub fn document_text(pages: &[Page]) -> String {
    let per_page: Vec<Vec<Line>> = pages.iter().map(|p| lines_of(&p.boxes)).collect();
    let heights: Vec<f32> = pages.iter().map(|p| p.height).collect();
    let heads = running_heads(&per_page, &heights);
    let mut out = String::new();
    // How far the last line written ran towards the right edge.
    let mut runs_on = Reach::Short;
    for page in pages {
        let grid = grid_lines(page);
        let in_table = |b: &TextBox| {
            grid.as_ref().is_some_and(|(xs, ys)| {
                let (cx, cy) = ((b.left + b.right) / 2.0, (b.top + b.bottom) / 2.0);
                cx >= xs[0] && cx <= xs[xs.len() - 1] && cy >= ys[0] && cy <= ys[ys.len() - 1]
            })
        };
        let outside: Vec<TextBox> = page
            .boxes
            .iter()
            .filter(|b| !in_table(b))
            .cloned()
            .collect();
        let lines: Vec<Line> = lines_of(&outside)
            .into_iter()
            .filter(|l| {
                let text = l.text();
                !(in_margin(l, page.height)
                    && (is_page_number(&text) || heads.contains(&margin_key(&text))))
            })
            .collect();
        // The text block's edges: where most lines start and end.
        let mut lefts: Vec<f32> = lines.iter().map(|l| l.left).collect();
        let mut rights: Vec<f32> = lines.iter().map(|l| l.right).collect();
        lefts.sort_by(f32::total_cmp);
        rights.sort_by(f32::total_cmp);
        let left_edge = lefts.get(lefts.len() / 10).copied().unwrap_or(0.0);
        let right_edge = rights
            .get(rights.len() * 9 / 10)
            .copied()
            .unwrap_or(page.width);
        // (top, text, a table row, starts a paragraph, how it ends at the right edge)
        let mut items: Vec<(f32, String, bool, bool, Reach)> = lines
            .iter()
            .map(|l| {
                let indented = l.left > left_edge + l.height() * 1.2;
                let reach = if l.right >= right_edge - l.height() * 1.5 {
                    Reach::Edge
                } else if l.right >= right_edge - l.height() * 4.0 {
                    // A few characters short: a number or Latin word that did not fit.
                    Reach::Near
                } else {
                    Reach::Short
                };
                (l.top, l.text(), false, indented, reach)
            })
            .collect();
        if let Some((xs, ys)) = &grid {
            for (r, row) in grid_cells(page, xs, ys).iter().enumerate() {
                let cells: Vec<String> = row
                    .iter()
                    .map(|boxes| cell_text(&lines_of(boxes), false))
                    .filter(|t| !t.is_empty())
                    .collect();
                if !cells.is_empty() {
                    items.push((ys[r], cells.join(" "), true, true, Reach::Short));
                }
            }
        }
        items.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut pitches: Vec<f32> = items
            .windows(2)
            .filter(|w| !w[0].2 && !w[1].2)
            .map(|w| w[1].0 - w[0].0)
            .collect();
        pitches.sort_by(f32::total_cmp);
        let pitch = pitches.get(pitches.len() / 3).copied().unwrap_or(20.0);
        for (i, (top, text, _, starts, reach)) in items.iter().enumerate() {
            let after_gap = i > 0 && top - items[i - 1].0 > pitch * 1.45;
            let text = close_label_gap(text);
            // A paragraph ends where its line stops short of the right edge, and a new one
            // starts indented, after a wider gap or with a list label: a blank line. Inside a
            // paragraph a line break is kept, as in text copied from a PDF, and the reader joins
            // the lines; only a line that ran to the edge and happens to end in 。 is joined
            // here, since the reader would take that for the paragraph's end.
            if !out.is_empty() {
                let sentence_end = out.ends_with(['。', '！', '？', '；']);
                if *starts || after_gap || runs_on == Reach::Short || starts_with_label(&text) {
                    out.push_str("\n\n");
                } else if !(runs_on == Reach::Edge && sentence_end) {
                    out.push('\n');
                }
            }
            out.push_str(&text);
            runs_on = *reach;
        }
    }
    out.push('\n');
    out
}

/// How far a line of a paragraph reaches towards the text block's right edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reach {
    Edge,
    Near,
    Short,
}

/// Whether a line opens with a list label or a heading's number (1．, 一、, （三）, 第二章, 专栏3).
fn starts_with_label(text: &str) -> bool {
    label_end(text).is_some()
        || text.starts_with("专栏")
        || (text.starts_with('第') && text.chars().take(6).any(|c| "章节篇条".contains(c)))
}

fn label_end(text: &str) -> Option<usize> {
    let end = text
        .char_indices()
        .take(8)
        .find(|(_, c)| matches!(c, '、' | '.' | '．' | '）' | ')'))
        .map(|(i, c)| i + c.len_utf8())?;
    // 2.5米 is a number, not the label 2.
    if text[end..].starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let numbering = text[..end]
        .trim_start_matches(['（', '('])
        .trim_end_matches(['、', '.', '．', '）', ')']);
    (!numbering.is_empty()
        && numbering
            .chars()
            .all(|c| c.is_ascii_digit() || "一二三四五六七八九十〇".contains(c)))
    .then_some(end)
}

/// A list label drawn apart from its text by a tab (1.⇥两个100%, 一、⇥着力…): the gap is layout,
/// not a space in the text.
fn close_label_gap(text: &str) -> String {
    match label_end(text) {
        Some(end) if text[end..].starts_with(char::is_whitespace) => {
            format!("{}{}", &text[..end], text[end..].trim_start())
        }
        _ => text.to_owned(),
    }
}

// ------------------------------------------------------------------ tables

/// Positions within this distance are the same line of the grid.
const SNAP: f32 = 2.0;

fn cluster(mut values: Vec<f32>) -> Vec<f32> {
    values.sort_by(f32::total_cmp);
    let mut out: Vec<f32> = Vec::new();
    for v in values {
        match out.last() {
            Some(last) if v - last <= SNAP => {}
            _ => out.push(v),
        }
    }
    out
}

/// One row as read: its cells and its page.
#[derive(Debug, Clone)]
struct Band {
    cells: Vec<String>,
    page: usize,
}

/// The rows of a table in a PDF, as rows of cells for `grid_from_rows`: the lines above the
/// table on its first page as one-cell rows (title, notes), then the header and the body rows.
/// Each row is named by its page for messages.
pub fn table_rows(pages: &[Page]) -> Vec<(String, Vec<String>)> {
    let ruled = pages.iter().filter(|p| grid_lines(p).is_some()).count();
    let bands = if ruled * 2 >= pages.len().max(1) && ruled > 0 {
        ruled_bands(pages)
    } else {
        anchored_bands(pages)
    };
    finish(bands)
}

/// The grid of a page: distinct x of vertical lines and y of horizontal lines, if it has one.
fn grid_lines(page: &Page) -> Option<(Vec<f32>, Vec<f32>)> {
    let xs = cluster(
        page.rules
            .iter()
            .filter(|r| (r.x1 - r.x0).abs() < 1.0 && (r.y1 - r.y0).abs() > 4.0)
            .map(|r| r.x0)
            .collect(),
    );
    let ys = cluster(
        page.rules
            .iter()
            .filter(|r| (r.y1 - r.y0).abs() < 1.0 && (r.x1 - r.x0).abs() > 4.0)
            .map(|r| r.y0)
            .collect(),
    );
    (xs.len() >= 3 && ys.len() >= 2).then_some((xs, ys))
}

/// The boxes of each cell of a page's grid, rows by columns; a box goes to the cell holding its
/// centre.
fn grid_cells(page: &Page, xs: &[f32], ys: &[f32]) -> Vec<Vec<Vec<TextBox>>> {
    let mut cells: Vec<Vec<Vec<TextBox>>> = vec![vec![Vec::new(); xs.len() - 1]; ys.len() - 1];
    for b in &page.boxes {
        let (cx, cy) = ((b.left + b.right) / 2.0, (b.top + b.bottom) / 2.0);
        let row = ys.windows(2).position(|w| cy >= w[0] && cy < w[1]);
        let column = xs.windows(2).position(|w| cx >= w[0] && cx < w[1]);
        if let (Some(r), Some(c)) = (row, column) {
            cells[r][c].push(b.clone());
        }
    }
    cells
}

/// Whether a horizontal line at `y` crosses `x`.
fn ruled_at(page: &Page, y: f32, x: f32) -> bool {
    page.rules.iter().any(|r| {
        (r.y1 - r.y0).abs() < 1.0
            && (r.y0 - y).abs() <= SNAP
            && r.x0.min(r.x1) - SNAP <= x
            && r.x0.max(r.x1) + SNAP >= x
    })
}

/// Text of the lines of one cell. In a PDF a line break inside a cell cannot be told from a wrap,
/// so prose cells (goals, targets, progress) run their lines together, as text copied from the
/// PDF is read; in columns of names (units, leaders) every line stays a line, since those readers
/// join a wrapped name themselves.
fn cell_text(lines: &[Line], names: bool) -> String {
    let texts: Vec<String> = lines.iter().map(Line::text).collect();
    texts.join(if names { "\n" } else { "" })
}

fn is_names(kind: Option<&ColumnKind>) -> bool {
    matches!(kind, Some(ColumnKind::Units(_) | ColumnKind::Leaders))
}

fn ruled_bands(pages: &[Page]) -> (Vec<String>, Vec<Band>) {
    let mut above: Vec<String> = Vec::new();
    let mut bands: Vec<Band> = Vec::new();
    let mut columns: Vec<ColumnKind> = Vec::new();
    // Per column: the text of a merged cell that reached the bottom of the previous page.
    let mut carried: Vec<Option<String>> = Vec::new();
    for (index, page) in pages.iter().enumerate() {
        let Some((xs, ys)) = grid_lines(page) else {
            continue;
        };
        let top = ys[0];
        let lines = lines_of(&page.boxes);
        if bands.is_empty() && above.is_empty() {
            above = lines
                .iter()
                .filter(|l| l.bottom <= top + SNAP)
                .map(Line::text)
                .filter(|t| !t.is_empty() && !is_page_number(t))
                .collect();
        }
        let cells = grid_cells(page, &xs, &ys);
        let mut page_bands: Vec<Band> = Vec::new();
        for row in &cells {
            let texts: Vec<String> = row
                .iter()
                .enumerate()
                .map(|(c, boxes)| cell_text(&lines_of(boxes), is_names(columns.get(c))))
                .collect();
            if columns.is_empty() && is_header_band(&texts) {
                columns = texts.iter().map(|t| classify(t)).collect();
            }
            page_bands.push(Band {
                cells: texts,
                page: index,
            });
        }
        // Merged cells: where the border between two bands is missing in a column, the cell
        // runs on down; its text belongs to every band it covers. A merged cell cut by a page
        // break shows its text on the first page only: an empty cell of names (leaders, units)
        // opening the next page's body takes the text of the cell it continues.
        let body_start = page_bands
            .iter()
            .position(|b| !is_header_band(&b.cells))
            .unwrap_or(0);
        carried.resize(xs.len() - 1, None);
        for c in 0..xs.len() - 1 {
            let x = (xs[c] + xs[c + 1]) / 2.0;
            let mut start = 0;
            let mut last = None;
            for r in 1..=page_bands.len() {
                let open = r < page_bands.len() && !ruled_at(page, ys[r], x);
                if open {
                    continue;
                }
                let mut text = page_bands[start..r]
                    .iter()
                    .map(|b| b.cells[c].clone())
                    .filter(|t| !t.is_empty())
                    .collect::<Vec<_>>()
                    .join("\n");
                if text.is_empty()
                    && start == body_start
                    && let Some(above) = &carried[c]
                {
                    text = above.clone();
                }
                if r - start > 1 || start == body_start {
                    for band in &mut page_bands[start..r] {
                        band.cells[c] = text.clone();
                    }
                }
                last = Some(text);
                start = r;
            }
            carried[c] = last.filter(|t| !t.is_empty() && is_names(columns.get(c)));
        }
        bands.extend(
            page_bands
                .into_iter()
                .filter(|b| b.cells.iter().any(|c| !c.is_empty())),
        );
    }
    (above, bands)
}

/// Tables without ruling lines. The columns are the strips between the white gaps that run
/// down the whole body (no text of any row crosses them), each named by the header cell above
/// it; a header cell is often centred over its column, so its own edges are not the column's.
/// Rows open at a new 序号 or, without a 序号 column, after a gap wider than the line pitch.
fn anchored_bands(pages: &[Page]) -> (Vec<String>, Vec<Band>) {
    let mut above: Vec<String> = Vec::new();
    let mut header: Option<(Vec<Span>, String)> = None;
    // The body's lines, page by page.
    let mut body: Vec<(usize, Line)> = Vec::new();
    for (index, page) in pages.iter().enumerate() {
        for line in lines_of(&page.boxes) {
            let text = line.text();
            if in_margin(&line, page.height) && is_page_number(&text) {
                continue;
            }
            match &header {
                None => {
                    let cells = split_by_gaps(&line);
                    let names: Vec<String> = cells.iter().map(|c| c.0.clone()).collect();
                    if is_header_band(&names) {
                        header = Some((cells, text));
                    } else if !text.is_empty() {
                        above.push(text);
                    }
                }
                Some((_, header_text)) if *header_text == text => {}
                Some(_) => body.push((index, line)),
            }
        }
    }
    let Some((header_cells, _)) = header else {
        return (above, Vec::new());
    };
    let bounds = column_bounds(&header_cells, &body);
    let kinds: Vec<ColumnKind> = header_cells.iter().map(|c| classify(&c.0)).collect();
    let column_of = |x: f32| {
        bounds
            .iter()
            .filter(|b| x >= **b)
            .count()
            .min(kinds.len() - 1)
    };
    let seq_column = kinds.iter().position(|k| *k == ColumnKind::Seq);
    let mut pitches: Vec<f32> = body
        .windows(2)
        .filter(|w| w[0].0 == w[1].0)
        .map(|w| w[1].1.top - w[0].1.top)
        .filter(|p| *p > 0.0)
        .collect();
    pitches.sort_by(f32::total_cmp);
    let pitch = pitches.get(pitches.len() / 4).copied().unwrap_or(12.0);

    let mut bands = vec![Band {
        cells: header_cells.iter().map(|c| c.0.clone()).collect(),
        page: 0,
    }];
    let mut current: Option<(Vec<Vec<Line>>, usize)> = None;
    let mut last: Option<(usize, f32)> = None;
    for (page, line) in body {
        let starts_row = match seq_column {
            Some(s) => line
                .boxes
                .iter()
                .any(|b| column_of((b.left + b.right) / 2.0) == s && parse_seq(&b.text).is_some()),
            None => last.is_none_or(|(p, bottom)| p != page || line.top - bottom > pitch * 0.8),
        };
        if (starts_row
            || current
                .as_ref()
                .is_some_and(|(_, p)| *p != page && seq_column.is_none()))
            && let Some((cells, p)) = current.take()
        {
            bands.push(anchored_band(cells, &kinds, p));
        }
        let (cells, _) = current.get_or_insert_with(|| (vec![Vec::new(); kinds.len()], page));
        for b in &line.boxes {
            let c = column_of((b.left + b.right) / 2.0);
            match cells[c].last_mut() {
                Some(l) if (l.top - line.top).abs() < 1.0 => {
                    l.boxes.push(b.clone());
                    l.right = l.right.max(b.right);
                }
                _ => cells[c].push(Line {
                    boxes: vec![b.clone()],
                    top: line.top,
                    bottom: line.bottom,
                    left: b.left,
                    right: b.right,
                }),
            }
        }
        last = Some((page, line.bottom));
    }
    if let Some((cells, p)) = current {
        bands.push(anchored_band(cells, &kinds, p));
    }
    (above, bands)
}

/// A row number as the 序号 cell shows it: 1, 1., 1、.
fn parse_seq(text: &str) -> Option<u32> {
    text.trim().trim_end_matches(['.', '、', '．']).parse().ok()
}

/// The x positions between columns: the middle of each white gap that runs down the whole
/// body, kept where header cells stand on both sides of it (a gap inside one column, between
/// a short line and nothing, is not a column edge). Without such gaps, midway between the
/// header cells.
fn column_bounds(header: &[Span], body: &[(usize, Line)]) -> Vec<f32> {
    let mut spans: Vec<(f32, f32)> = body
        .iter()
        .flat_map(|(_, l)| l.boxes.iter().map(|b| (b.left, b.right)))
        .collect();
    spans.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut covered: Vec<(f32, f32)> = Vec::new();
    for (left, right) in spans {
        match covered.last_mut() {
            Some(last) if left <= last.1 + 1.0 => last.1 = last.1.max(right),
            _ => covered.push((left, right)),
        }
    }
    let gaps: Vec<f32> = covered
        .windows(2)
        .map(|w| (w[0].1 + w[1].0) / 2.0)
        .collect();
    let centres: Vec<f32> = header.iter().map(|c| (c.1 + c.2) / 2.0).collect();
    let mut bounds = Vec::new();
    for pair in centres.windows(2) {
        // The gap between these two header cells nearest to the middle between them.
        let middle = (pair[0] + pair[1]) / 2.0;
        let gap = gaps
            .iter()
            .filter(|g| **g > pair[0] && **g < pair[1])
            .min_by(|a, b| (*a - middle).abs().total_cmp(&(*b - middle).abs()));
        bounds.push(gap.copied().unwrap_or(middle));
    }
    bounds
}

fn anchored_band(cells: Vec<Vec<Line>>, kinds: &[ColumnKind], page: usize) -> Band {
    Band {
        cells: cells
            .iter()
            .enumerate()
            .map(|(c, lines)| cell_text(lines, is_names(kinds.get(c))))
            .collect(),
        page,
    }
}

/// Text with its left and right edge.
type Span = (String, f32, f32);

/// A header line cut at its wide gaps: (text, left, right) of each cell.
fn split_by_gaps(line: &Line) -> Vec<Span> {
    let mut cells: Vec<Span> = Vec::new();
    for b in &line.boxes {
        match cells.last_mut() {
            Some(last) if b.left - last.2 <= line.height() * 0.6 => {
                last.0.push_str(b.text.trim());
                last.2 = b.right;
            }
            _ => cells.push((b.text.trim().to_owned(), b.left, b.right)),
        }
    }
    cells
}

/// A row of column names with a goal column among them.
fn is_header_band(cells: &[String]) -> bool {
    let kinds: Vec<ColumnKind> = cells.iter().map(|t| classify(t)).collect();
    kinds.contains(&ColumnKind::Goal)
        && kinds.iter().filter(|k| **k != ColumnKind::Other).count() >= 2
}

/// Drops repeated headers, joins rows broken by a page break, and names rows by page.
fn finish((above, bands): (Vec<String>, Vec<Band>)) -> Vec<(String, Vec<String>)> {
    let mut rows: Vec<(String, Vec<String>)> = above
        .into_iter()
        .map(|t| ("表格上方".to_owned(), vec![t]))
        .collect();
    let header_at = bands.iter().position(|b| is_header_band(&b.cells));
    let Some(header_at) = header_at else {
        rows.extend(
            bands
                .into_iter()
                .map(|b| (format!("第 {} 页", b.page + 1), b.cells)),
        );
        return rows;
    };
    let kinds: Vec<ColumnKind> = bands[header_at].cells.iter().map(|t| classify(t)).collect();
    let seq = kinds.iter().position(|k| *k == ColumnKind::Seq);
    // The header may take two bands (a spanning cell over 第三季度 / 第四季度); repeated on a
    // later page, both are dropped.
    let compact = |cells: &[String]| -> Vec<String> {
        cells
            .iter()
            .map(|c| c.chars().filter(|ch| !ch.is_whitespace()).collect())
            .collect()
    };
    let header_texts: Vec<Vec<String>> = bands[header_at..bands.len().min(header_at + 2)]
        .iter()
        .map(|b| compact(&b.cells))
        .collect();
    let mut last_page = usize::MAX;
    for (i, band) in bands.into_iter().enumerate() {
        if i < header_at {
            rows.push((format!("第 {} 页", band.page + 1), band.cells));
            continue;
        }
        if i > header_at + 1 && header_texts.contains(&compact(&band.cells)) {
            continue;
        }
        // The first row of a page without its own 序号 is the rest of the row the page break cut.
        let first_on_page = band.page != last_page;
        last_page = band.page;
        let continues = i > header_at + 1
            && first_on_page
            && seq.is_some_and(|s| band.cells.get(s).is_some_and(|t| t.trim().is_empty()));
        if continues && let Some((_, last)) = rows.last_mut() {
            for (c, text) in band.cells.iter().enumerate() {
                if text.is_empty() {
                    continue;
                }
                if let Some(cell) = last.get_mut(c) {
                    if is_names(kinds.get(c)) {
                        // A merged cell's text carried onto the page is already there.
                        if cell == text {
                            continue;
                        }
                        if !cell.is_empty() {
                            cell.push('\n');
                        }
                    }
                    cell.push_str(text);
                }
            }
            continue;
        }
        rows.push((format!("第 {} 页", band.page + 1), band.cells));
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_box(text: &str, left: f32, top: f32) -> TextBox {
        TextBox {
            text: text.into(),
            left,
            right: left + 10.0 * text.chars().count() as f32,
            top,
            bottom: top + 10.0,
        }
    }

    #[test]
    fn page_numbers_and_running_heads() {
        assert!(is_page_number("- 3 -"));
        assert!(is_page_number("第 3 页，共 9 页"));
        assert!(is_page_number("3/45"));
        assert!(!is_page_number("2023年"));
        let page = |n: usize| Page {
            width: 600.0,
            height: 800.0,
            boxes: vec![
                text_box("某某区人民政府文件", 100.0, 20.0),
                text_box("第一行正文。", 100.0, 200.0),
                text_box(&format!("— {n} —"), 280.0, 770.0),
            ],
            rules: vec![],
        };
        let pages: Vec<Page> = (1..=4).map(page).collect();
        let text = document_text(&pages);
        assert_eq!(text.matches("第一行正文。").count(), 4, "{text}");
        assert!(
            !text.contains("人民政府文件") && !text.contains('—'),
            "{text}"
        );
    }
}
