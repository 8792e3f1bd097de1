//! Sizes for the paged formats (xlsx, docx). Office programs do not size Chinese text well on
//! their own (rust_xlsxwriter's autofit counts a CJK character as one narrow one), so widths and
//! row heights are estimated here from the text, in Excel's unit: the width of the digit 0.

use unicode_width::UnicodeWidthChar;

use crate::{Column, Notice};

/// A CJK character in 宋体 at 11 pt is a little over two digit widths of the default font.
const WIDE: f64 = 2.1;
const NARROW: f64 = 1.1;

/// The printed width of one line, in digit widths.
pub fn text_width(line: &str) -> f64 {
    line.chars()
        .map(|c| match c.width() {
            Some(2) => WIDE,
            Some(0) | None => 0.0,
            _ => NARROW,
        })
        .sum()
}

/// The widest line of a cell.
pub fn widest_line(text: &str) -> f64 {
    text.lines().map(text_width).fold(0.0, f64::max)
}

/// How many printed lines a cell takes in a column of `width`.
pub fn line_count(text: &str, width: f64) -> usize {
    let usable = (width - 1.0).max(1.0);
    text.lines()
        .map(|line| ((text_width(line) / usable).ceil() as usize).max(1))
        .sum::<usize>()
        .max(1)
}

/// Bounds of each column's width: names fit on one line when they can, long texts share the
/// rest of an A4 landscape page.
fn bounds(column: Column) -> (f64, f64) {
    match column {
        Column::Seq => (5.0, 6.0),
        Column::Goal => (20.0, 44.0),
        Column::Target => (16.0, 34.0),
        Column::Progress => (20.0, 50.0),
        Column::Escalation => (9.0, 10.0),
        Column::Leaders => (9.0, 14.0),
        Column::Units => (13.0, 30.0),
        Column::Evidence => (14.0, 30.0),
    }
}

/// Width of each column of the notice table, in its column order.
pub fn column_widths(notice: &Notice) -> Vec<f64> {
    notice
        .columns
        .iter()
        .map(|column| {
            let (min, max) = bounds(*column);
            let header = widest_line(notice.header(*column)) * 0.5;
            let content = notice
                .rows
                .iter()
                .map(|row| widest_line(&notice.cell(row, *column)))
                .fold(header, f64::max);
            (content + 2.0).clamp(min, max)
        })
        .collect()
}

/// Widths for a table of plain cells (the statistics): each column as wide as its widest cell,
/// within bounds.
pub fn plain_widths(headers: &[String], rows: &[Vec<String>], max: f64) -> Vec<f64> {
    (0..headers.len())
        .map(|i| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .chain(std::iter::once(&headers[i]))
                .map(|c| widest_line(c))
                .fold(0.0, f64::max)
                + 2.0
        })
        .map(|w| w.clamp(6.0, max))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_is_wider_than_latin() {
        assert!((text_width("区发改局") - 8.4).abs() < 1e-9);
        assert!((text_width("5.5%") - 4.4).abs() < 1e-9);
        assert_eq!(line_count("区发改局（牵头）\n区财政局", 20.0), 2);
        // 40 characters in a column 20 digits wide: about 4.4 lines' worth.
        assert_eq!(line_count(&"字".repeat(40), 20.0), 5);
        assert_eq!(line_count("", 10.0), 1);
    }
}
