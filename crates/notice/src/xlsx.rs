//! The notice as an Excel workbook, ready to print: sheet 通报表 (merged title, date, header row
//! repeated on every page, wrapped bordered cells, A4 landscape fitted to the page width) and
//! sheet 统计 with the statistics tables.

use rust_xlsxwriter::{
    Color, Format, FormatAlign, FormatBorder, Image, Workbook, Worksheet, XlsxError,
};

use crate::layout::{column_widths, line_count, plain_widths};
use crate::{Column, Notice, NoticeError, PrintReport, PrintTable, StatTable};

const BODY_FONT: &str = "宋体";
const HEAD_FONT: &str = "黑体";
const BODY_SIZE: f64 = 11.0;
/// Points per printed line of 11 pt text (CJK fonts set lines about 1.45 em apart), and the
/// cell's top and bottom padding.
const LINE_HEIGHT: f64 = 16.0;
const ROW_PADDING: f64 = 4.0;
/// Excel's largest row height.
const MAX_ROW_HEIGHT: f64 = 409.0;
const A4: u8 = 9;

struct Formats {
    title: Format,
    date: Format,
    header: Format,
    text: Format,
    centered: Format,
    section: Format,
    /// A figure's caption: plain wrapped text, no border.
    caption: Format,
    /// 三色督办 cells: the colour says the level at a glance.
    red: Format,
    yellow: Format,
}

impl Formats {
    fn new() -> Formats {
        let cell = Format::new()
            .set_font_name(BODY_FONT)
            .set_font_size(BODY_SIZE)
            .set_text_wrap()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::VerticalCenter);
        Formats {
            title: Format::new()
                .set_font_name(HEAD_FONT)
                .set_font_size(18)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_text_wrap(),
            date: Format::new()
                .set_font_name(BODY_FONT)
                .set_font_size(BODY_SIZE)
                .set_align(FormatAlign::Center),
            header: cell
                .clone()
                .set_font_name(HEAD_FONT)
                .set_align(FormatAlign::Center)
                .set_background_color(Color::RGB(0xF2F2F2)),
            centered: cell.clone().set_align(FormatAlign::Center),
            red: cell
                .clone()
                .set_align(FormatAlign::Center)
                .set_background_color(Color::RGB(0xF4B6B6)),
            yellow: cell
                .clone()
                .set_align(FormatAlign::Center)
                .set_background_color(Color::RGB(0xFFE699)),
            text: cell.set_align(FormatAlign::Left),
            caption: Format::new()
                .set_font_name(BODY_FONT)
                .set_font_size(BODY_SIZE)
                .set_text_wrap()
                .set_align(FormatAlign::VerticalCenter),
            section: Format::new()
                .set_font_name(HEAD_FONT)
                .set_font_size(12)
                .set_align(FormatAlign::VerticalCenter),
        }
    }
}

fn row_height(lines: usize) -> f64 {
    (lines as f64 * LINE_HEIGHT + ROW_PADDING).min(MAX_ROW_HEIGHT)
}

fn page_setup(sheet: &mut Worksheet) {
    sheet
        .set_paper_size(A4)
        .set_landscape()
        .set_print_fit_to_pages(1, 0)
        .set_print_center_horizontally(true)
        .set_margins(0.4, 0.4, 0.6, 0.6, 0.3, 0.3)
        .set_footer("&C第 &P 页，共 &N 页");
}

/// Rows from which a notice's table is written in constant memory mode: each row goes to a
/// temporary file once the next begins, instead of every cell being held until the end (a
/// 100,000-task notice held about 200 MB of cells). Smaller tables keep the shared string
/// table, which makes smaller files.
const CONSTANT_MEMORY_ROWS: usize = 5_000;

pub fn write(notice: &Notice) -> Result<Vec<u8>, NoticeError> {
    let formats = Formats::new();
    let mut workbook = Workbook::new();
    let sheet = if notice.rows.len() >= CONSTANT_MEMORY_ROWS {
        workbook.add_worksheet_with_constant_memory()?
    } else {
        workbook.add_worksheet()
    };
    table_sheet(sheet, notice, &formats)?;
    stats_sheet(workbook.add_worksheet(), notice, &formats)?;
    Ok(workbook.save_to_buffer()?)
}

/// A printed table other than the notice (see `PrintTable`), one sheet.
pub fn write_table(table: &PrintTable) -> Result<Vec<u8>, NoticeError> {
    let f = Formats::new();
    let mut workbook = Workbook::new();
    print_sheet(workbook.add_worksheet(), table, &f)?;
    Ok(workbook.save_to_buffer()?)
}

/// A printed report: a sheet per table, then the figures on a sheet of their own, each under
/// its caption.
pub fn write_report(report: &PrintReport) -> Result<Vec<u8>, NoticeError> {
    let f = Formats::new();
    let mut workbook = Workbook::new();
    for table in &report.tables {
        print_sheet(workbook.add_worksheet(), table, &f)?;
    }
    if !report.figures.is_empty() {
        let sheet = workbook.add_worksheet();
        sheet.set_name(&report.figures_title)?;
        sheet.set_column_width(0, 90)?;
        let mut row = 0u32;
        for figure in &report.figures {
            sheet.write_string_with_format(row, 0, &figure.caption, &f.caption)?;
            sheet.set_row_height(row, row_height(line_count(&figure.caption, 90.0)))?;
            let image = Image::new_from_buffer(&figure.png)?;
            sheet.insert_image(row + 1, 0, &image)?;
            // Default rows are 20 px high: leave the image's height and a row of air.
            row += 2 + figure.height.div_ceil(20);
        }
    }
    Ok(workbook.save_to_buffer()?)
}

fn print_sheet(sheet: &mut Worksheet, table: &PrintTable, f: &Formats) -> Result<(), NoticeError> {
    sheet.set_name(&table.sheet)?;
    page_setup(sheet);
    let widths = table.widths();
    for (i, w) in widths.iter().enumerate() {
        sheet.set_column_width(i as u16, *w)?;
    }
    let last_col = (table.headers.len().max(1) - 1) as u16;
    let total_width: f64 = widths.iter().sum();
    sheet.merge_range(0, 0, 0, last_col, &table.title, &f.title)?;
    sheet.set_row_height(
        0,
        row_height(line_count(&table.title, total_width / 1.7)) * 1.6,
    )?;
    let mut header = 1;
    if let Some(subtitle) = &table.subtitle {
        sheet.merge_range(1, 0, 1, last_col, subtitle, &f.date)?;
        header = 2;
    }
    for (i, h) in table.headers.iter().enumerate() {
        sheet.write_string_with_format(header, i as u16, h, &f.header)?;
    }
    sheet.set_row_height(header, row_height(1) + 4.0)?;
    sheet.set_repeat_rows(header, header)?;
    sheet.set_freeze_panes(header + 1, 0)?;
    for (r, row) in table.rows.iter().enumerate() {
        let at = header + 1 + r as u32;
        let mut lines = 1;
        for (i, text) in row.iter().enumerate() {
            let centered = table.centered.get(i).copied().unwrap_or(false);
            // A 序号 stays a number, so the office can sort by it in Excel.
            match text.parse::<u32>() {
                Ok(n) if i == 0 => {
                    sheet.write_number_with_format(at, i as u16, f64::from(n), &f.centered)?;
                }
                _ => {
                    let format = if centered { &f.centered } else { &f.text };
                    sheet.write_string_with_format(at, i as u16, text, format)?;
                }
            }
            lines = lines.max(line_count(text, widths.get(i).copied().unwrap_or(20.0)));
        }
        sheet.set_row_height(at, row_height(lines))?;
    }
    Ok(())
}

fn table_sheet(sheet: &mut Worksheet, notice: &Notice, f: &Formats) -> Result<(), XlsxError> {
    sheet.set_name("通报表")?;
    page_setup(sheet);
    let widths = column_widths(notice);
    let last_col = (notice.columns.len() - 1) as u16;
    for (i, w) in widths.iter().enumerate() {
        sheet.set_column_width(i as u16, *w)?;
    }
    let total_width: f64 = widths.iter().sum();
    sheet.merge_range(0, 0, 0, last_col, &notice.title, &f.title)?;
    sheet.set_row_height(
        0,
        row_height(line_count(&notice.title, total_width / 1.7)) * 1.6,
    )?;
    sheet.merge_range(
        1,
        0,
        1,
        last_col,
        &format!("（{}）", notice.date_zh()),
        &f.date,
    )?;
    const HEADER: u32 = 2;
    for (i, column) in notice.columns.iter().enumerate() {
        sheet.write_string_with_format(HEADER, i as u16, notice.header(*column), &f.header)?;
    }
    sheet.set_row_height(HEADER, row_height(1) + 4.0)?;
    sheet.set_repeat_rows(HEADER, HEADER)?;
    sheet.set_freeze_panes(HEADER + 1, 0)?;

    for (r, row) in notice.rows.iter().enumerate() {
        let at = HEADER + 1 + r as u32;
        let mut lines = 1;
        for (i, column) in notice.columns.iter().enumerate() {
            let text = notice.cell(row, *column);
            let col = i as u16;
            match column {
                Column::Seq => {
                    sheet.write_number_with_format(at, col, f64::from(row.seq), &f.centered)?;
                }
                Column::Leaders => {
                    sheet.write_string_with_format(at, col, &text, &f.centered)?;
                }
                Column::Escalation => {
                    let format = match row.escalation {
                        Some(duban_core::Escalation::Red) => &f.red,
                        Some(duban_core::Escalation::Yellow) => &f.yellow,
                        None => &f.centered,
                    };
                    sheet.write_string_with_format(at, col, &text, format)?;
                }
                _ => {
                    sheet.write_string_with_format(at, col, &text, &f.text)?;
                }
            }
            lines = lines.max(line_count(&text, widths[i]));
        }
        sheet.set_row_height(at, row_height(lines))?;
    }
    Ok(())
}

fn stats_sheet(sheet: &mut Worksheet, notice: &Notice, f: &Formats) -> Result<(), XlsxError> {
    sheet.set_name("统计")?;
    page_setup(sheet);
    let tables = notice.stat_tables();
    let columns = tables.iter().map(|t| t.headers.len()).max().unwrap_or(1);
    let mut widths = vec![6.0_f64; columns];
    for t in &tables {
        for (i, w) in plain_widths(&t.headers, &t.rows, 40.0)
            .into_iter()
            .enumerate()
        {
            widths[i] = widths[i].max(w);
        }
    }
    for (i, w) in widths.iter().enumerate() {
        sheet.set_column_width(i as u16, *w)?;
    }
    let last_col = (columns - 1) as u16;
    sheet.merge_range(
        0,
        0,
        0,
        last_col,
        &format!("{}·统计", notice.title),
        &f.title,
    )?;
    sheet.set_row_height(0, row_height(2) * 1.6)?;
    sheet.merge_range(1, 0, 1, last_col, &notice.summary_zh(), &f.date)?;
    let mut at: u32 = 3;
    for table in &tables {
        at = stat_table(sheet, table, at, &widths, f)? + 1;
    }
    Ok(())
}

/// Writes one statistics table from row `at`; returns the row after it.
fn stat_table(
    sheet: &mut Worksheet,
    table: &StatTable,
    mut at: u32,
    widths: &[f64],
    f: &Formats,
) -> Result<u32, XlsxError> {
    sheet.write_string_with_format(at, 0, &table.title, &f.section)?;
    sheet.set_row_height(at, row_height(1) + 6.0)?;
    at += 1;
    if table.rows.is_empty() {
        sheet.write_string_with_format(at, 0, "无。", &f.date)?;
        return Ok(at + 1);
    }
    for (i, h) in table.headers.iter().enumerate() {
        sheet.write_string_with_format(at, i as u16, h, &f.header)?;
    }
    at += 1;
    for row in &table.rows {
        let mut lines = 1;
        for (i, cell) in row.iter().enumerate() {
            // Numbers stay numbers, so the office can sum and sort them in Excel.
            match cell.parse::<f64>() {
                Ok(n) if !cell.contains('%') => {
                    sheet.write_number_with_format(at, i as u16, n, &f.centered)?;
                }
                _ => {
                    let format = if cell.chars().count() > 12 {
                        &f.text
                    } else {
                        &f.centered
                    };
                    sheet.write_string_with_format(at, i as u16, cell, format)?;
                }
            }
            lines = lines.max(line_count(cell, widths[i]));
        }
        sheet.set_row_height(at, row_height(lines))?;
        at += 1;
    }
    Ok(at)
}
