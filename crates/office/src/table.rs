//! Spreadsheets and delimited text as rows of cell text: xlsx (and the other formats calamine
//! reads) and csv. What the rows mean is for `duban-extract` to find.

use std::io::Cursor;

use std::collections::BTreeMap;

use calamine::{Data, Reader, Sheets, open_workbook_auto_from_rs};

use crate::{OfficeError, check_zip, decode_file, guarded};

/// The widest sheet read: a ledger has a dozen columns; a far cell (XFD1048576) would make a
/// grid of 17 billion cells.
const MAX_COLUMNS: u32 = 256;
/// The longest sheet read.
const MAX_ROWS: u32 = 1_048_576;
/// The most cells read from one sheet.
const MAX_CELLS: usize = 4_000_000;

/// One row as read, with where it is for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRow {
    /// "第 5 行" (csv) or "工作表“Sheet1”第 5 行" (spreadsheet).
    pub place: String,
    pub cells: Vec<String>,
}

/// Reads a csv file (UTF-8, UTF-16 or GB18030, as Excel saves it) into rows. Rows may have
/// different lengths; quoted cells may hold line breaks.
pub fn read_csv(bytes: &[u8], origin: &str) -> Result<Vec<RawRow>, OfficeError> {
    let text = decode_file(bytes, origin)?.text;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| OfficeError::Table {
            origin: origin.to_owned(),
            message: match e.position() {
                Some(p) => format!("第 {} 行无法按 csv 读取：{e}", p.line()),
                None => format!("无法按 csv 读取：{e}"),
            },
        })?;
        let line = record.position().map_or(0, |p| p.line());
        rows.push(RawRow {
            place: format!("第 {line} 行"),
            cells: record.iter().map(str::to_owned).collect(),
        });
    }
    Ok(rows)
}

/// Reads the first worksheet that has any cells (xlsx, xls, xlsb, ods, and WPS .et files, told
/// apart by their bytes). Merged cells come as the top-left value with empty cells beside it. A
/// damaged file is an error naming the file, never a crash: the reader runs inside
/// `catch_unwind` because spreadsheet parsers can panic on odd archives.
pub fn read_spreadsheet(bytes: &[u8], origin: &str) -> Result<Vec<RawRow>, OfficeError> {
    let damaged = |message: String| OfficeError::Table {
        origin: origin.to_owned(),
        message: format!("不是可读的 Excel 文件（{message}）：应为完整的 xlsx/xls 文件"),
    };
    // An xlsx is a zip: its parts are checked before any is inflated (a 300 MB shared string
    // in a 315 KB file, a zip bomb).
    if bytes.starts_with(b"PK") {
        check_zip(bytes, origin, "Excel 文件")?;
    }
    guarded(origin, "Excel ", || {
        let mut workbook =
            open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| damaged(e.to_string()))?;
        let names = workbook.sheet_names();
        if let Sheets::Xlsx(xlsx) = &mut workbook {
            for name in names {
                let rows = xlsx_rows(xlsx, &name, origin).map_err(|e| match e {
                    Read::Limit(e) => e,
                    Read::Damaged(message) => damaged(message),
                })?;
                if !rows.is_empty() {
                    return Ok(rows);
                }
            }
            return Err(damaged("没有任何有内容的工作表".to_owned()));
        }
        for name in names {
            let range = workbook
                .worksheet_range(&name)
                .map_err(|e| damaged(e.to_string()))?;
            if range.is_empty() {
                continue;
            }
            let first_row = range.start().map_or(0, |(row, _)| row);
            let rows = range
                .rows()
                .enumerate()
                .map(|(i, cells)| RawRow {
                    place: format!("工作表“{name}”第 {} 行", first_row as usize + i + 1),
                    cells: cells.iter().map(cell_text).collect(),
                })
                .collect();
            return Ok(rows);
        }
        Err(damaged("没有任何有内容的工作表".to_owned()))
    })
}

enum Read {
    Limit(OfficeError),
    Damaged(String),
}

/// An xlsx sheet's rows, cell by cell, so that the sheet's size is checked before anything is
/// laid out: only the rows that hold cells, each from the sheet's first used column.
fn xlsx_rows(
    xlsx: &mut calamine::Xlsx<Cursor<&[u8]>>,
    name: &str,
    origin: &str,
) -> Result<Vec<RawRow>, Read> {
    let limit = |what: &'static str, limit: String| {
        Read::Limit(OfficeError::TooLarge {
            origin: origin.to_owned(),
            what,
            limit,
        })
    };
    let mut reader = xlsx
        .worksheet_cells_reader(name)
        .map_err(|e| Read::Damaged(e.to_string()))?;
    let mut cells: BTreeMap<u32, Vec<(u32, String)>> = BTreeMap::new();
    let mut count = 0usize;
    let mut first_column = u32::MAX;
    while let Some(cell) = reader
        .next_cell()
        .map_err(|e| Read::Damaged(e.to_string()))?
    {
        let (row, column) = cell.get_position();
        let text = cell_text(&Data::from(cell.get_value().clone()));
        if text.is_empty() {
            continue;
        }
        if column >= MAX_COLUMNS {
            return Err(limit(
                "工作表“列数”",
                format!(
                    "{MAX_COLUMNS} 列（第 {} 行有第 {} 列的单元格）",
                    row + 1,
                    column + 1
                ),
            ));
        }
        if row >= MAX_ROWS {
            return Err(limit("工作表“行数”", format!("{MAX_ROWS} 行")));
        }
        count += 1;
        if count > MAX_CELLS {
            return Err(limit("工作表“单元格数”", format!("{MAX_CELLS} 个")));
        }
        first_column = first_column.min(column);
        cells.entry(row).or_default().push((column, text));
    }
    Ok(cells
        .into_iter()
        .map(|(row, mut row_cells)| {
            row_cells.sort_by_key(|(c, _)| *c);
            let last = row_cells.last().map_or(first_column, |(c, _)| *c);
            let mut dense = vec![String::new(); (last - first_column + 1) as usize];
            for (c, text) in row_cells {
                dense[(c - first_column) as usize] = text;
            }
            RawRow {
                place: format!("工作表“{name}”第 {} 行", row + 1),
                cells: dense,
            }
        })
        .collect())
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        // Whole numbers (序号 1.0) read as integers.
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_with_quoted_line_breaks_and_gbk() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("台账.csv");
        let text = "序号,年度目标任务,责任单位\n1,\"新增城镇就业\n5000人以上\",区人社局\n";
        let (bytes, _, _) = encoding_rs::GBK.encode(text);
        std::fs::write(&path, &bytes).expect("write");
        let rows = read_csv(&std::fs::read(&path).expect("read"), "台账.csv").expect("csv");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].cells, ["1", "新增城镇就业\n5000人以上", "区人社局"]);
        assert_eq!(rows[1].place, "第 2 行");
    }

    #[test]
    fn a_far_cell_is_refused_before_the_grid_is_laid_out() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "序号").expect("write");
        sheet.write_string(1_048_575, 16_383, "x").expect("write");
        let bytes = book.save_to_buffer().expect("save");
        let err = read_spreadsheet(&bytes, "远端.xlsx").expect_err("far cell");
        let message = err.to_string();
        assert!(
            message.starts_with("远端.xlsx") && message.contains("256 列"),
            "{message}"
        );
    }

    #[test]
    fn xlsx_rows_and_a_truncated_file() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("台账.xlsx");
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.set_name("通报表").expect("name");
        sheet
            .write_string(0, 0, "2024年重点工作第一季度完成情况通报表")
            .expect("write");
        sheet.write_string(1, 0, "序号").expect("write");
        sheet.write_string(1, 1, "年度目标任务").expect("write");
        sheet.write_number(2, 0, 1.0).expect("write");
        sheet
            .write_string(2, 1, "新增城镇就业5000人以上")
            .expect("write");
        book.save(&path).expect("save");
        let bytes = std::fs::read(&path).expect("read");
        let rows = read_spreadsheet(&bytes, "台账.xlsx").expect("xlsx");
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[2].cells, ["1", "新增城镇就业5000人以上"]);
        assert_eq!(rows[2].place, "工作表“通报表”第 3 行");

        let err = read_spreadsheet(&bytes[..bytes.len() / 2], "截断.xlsx").expect_err("truncated");
        assert!(
            err.to_string().contains("截断.xlsx") && err.to_string().contains("xlsx"),
            "{err}"
        );
    }
}
