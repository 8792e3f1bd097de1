//! Spreadsheets and delimited text as rows of cell text: xlsx (and the other formats calamine
//! reads) and csv. What the rows mean is for `duban-extract` to find.

use std::io::Cursor;

use calamine::{Data, Reader, open_workbook_auto_from_rs};

use crate::{OfficeError, decode_file, guarded};

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
    guarded(origin, "Excel ", || {
        let mut workbook =
            open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| damaged(e.to_string()))?;
        let names = workbook.sheet_names();
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
