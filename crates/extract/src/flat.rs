//! Tables flattened to one cell per line, as a table copied out of some web pages arrives: each
//! cell's text followed by `|` (a cell may run over several lines until its `|`), the header's
//! cells first, then the rows' cells in the same order.

use crate::ExtractError;
use crate::columns::{ColumnKind, classify};
use crate::grid::{Grid, grid_from_rows};

fn ends_cell(line: &str) -> bool {
    line.trim_end().ends_with(['|', '｜'])
}

/// Whether the text is such a table: most of its lines after the title end a cell, and the
/// first cells name a goal column among others.
pub fn looks_like_flat_table(text: &str) -> bool {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let cells = lines.iter().filter(|l| ends_cell(l)).count();
    cells >= 6 && cells * 10 >= lines.len() * 6 && header_width(&cells_of(text).1) >= 2
}

/// Text with the number of the line it starts on.
type Numbered = Vec<(usize, String)>;

/// The title lines (before the first cell) and the cells with the line each starts on.
fn cells_of(text: &str) -> (Numbered, Numbered) {
    let mut title = Vec::new();
    let mut cells: Vec<(usize, String)> = Vec::new();
    let mut open: Option<(usize, String)> = None;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        if ends_cell(trimmed) {
            let text = trimmed.trim_end_matches(['|', '｜']).trim();
            let (start, mut joined) = open.take().unwrap_or((i + 1, String::new()));
            if !joined.is_empty() && !text.is_empty() {
                joined.push('\n');
            }
            joined.push_str(text);
            cells.push((start, joined));
        } else if cells.is_empty() {
            // Before the first cell: the title and notes.
            title.push((i + 1, trimmed.to_owned()));
        } else {
            let entry = open.get_or_insert((i + 1, String::new()));
            if !entry.1.is_empty() {
                entry.1.push('\n');
            }
            entry.1.push_str(trimmed);
        }
    }
    (title, cells)
}

/// How many leading cells are column names: up to the first that is a row number.
fn header_width(cells: &[(usize, String)]) -> usize {
    let names = cells
        .iter()
        .take_while(|(_, c)| c.trim().parse::<u32>().is_err() && c.chars().count() <= 12)
        .count();
    let kinds: Vec<ColumnKind> = cells[..names].iter().map(|(_, c)| classify(c)).collect();
    if kinds.contains(&ColumnKind::Goal) {
        names
    } else {
        0
    }
}

/// Reads the table into a grid.
pub fn read_flat_table(text: &str, origin: &str) -> Result<Grid, ExtractError> {
    let (title, cells) = cells_of(text);
    let width = header_width(&cells);
    if width < 2 {
        return Err(ExtractError::NoHeader {
            origin: origin.to_owned(),
            found: cells
                .iter()
                .take(6)
                .map(|(_, c)| c.as_str())
                .collect::<Vec<_>>()
                .join(" | "),
        });
    }
    let mut rows: Vec<(String, Vec<String>)> = title
        .into_iter()
        .map(|(line, t)| (format!("第 {line} 行"), vec![t]))
        .collect();
    for chunk in cells.chunks(width) {
        rows.push((
            format!("第 {} 行", chunk[0].0),
            chunk.iter().map(|(_, c)| c.clone()).collect(),
        ));
    }
    grid_from_rows(&rows, origin)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_one_per_line_with_bars() {
        let text = "2024年重点工作第一季度推进情况表\n序号 |\n重点任务 |\n牵头单位 |\n进展情况 |\n\
                    1 |\n新增城镇就业\n5000人以上 |\n区人社局 |\n已新增1200人。 |\n2 |\n建设农田 |\n区农业农村局 |\n |\n";
        assert!(looks_like_flat_table(text));
        let grid = read_flat_table(text, "t.txt").expect("grid");
        assert_eq!(
            grid.title.as_deref(),
            Some("2024年重点工作第一季度推进情况表")
        );
        assert_eq!(grid.header, ["序号", "重点任务", "牵头单位", "进展情况"]);
        assert_eq!(grid.rows.len(), 2);
        assert_eq!(grid.rows[0].cells[1], "新增城镇就业\n5000人以上");
        assert_eq!(grid.rows[1].cells[3], "");
        assert!(!looks_like_flat_table(
            "序号 年度目标任务 完成情况\n1 任务 完成。"
        ));
    }
}
