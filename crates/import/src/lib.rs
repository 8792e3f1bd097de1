//! duban-import: one entry point for every ledger table file. The bytes are read by
//! `duban-office` (spreadsheets by extension, text in whatever encoding it came in), the
//! structure is found by `duban-extract`; this crate only chooses which reader a file needs, so
//! the command line and the web upload accept exactly the same files.

use std::path::Path;

use duban_core::LedgerSheet;
use duban_extract::{ExtractError, ReadOptions, Warning};
use duban_office::{OfficeError, RawRow};

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{origin} 是空文件：应为台账表格")]
    Empty { origin: String },
    #[error(
        "无法识别 {origin} 的格式：应为台账 JSON、从 PDF 复制的表格文本、制表符分隔的表格（TSV）、csv 或 xlsx，且有“序号 / 年度目标任务 / 完成情况 …”这样的表头"
    )]
    UnknownFormat { origin: String },
    #[error(transparent)]
    Office(#[from] OfficeError),
    #[error(transparent)]
    Extract(#[from] ExtractError),
}

/// A table as read, with what the reader noticed but did not refuse.
#[derive(Debug, Clone)]
pub struct TableFile {
    pub sheet: LedgerSheet,
    pub warnings: Vec<Warning>,
}

/// Reads a ledger table: spreadsheets and csv by extension, text by content (ledger JSON, PDF
/// text, TSV). `origin` names the file in messages.
pub fn read_table(
    path: &Path,
    origin: &str,
    options: &ReadOptions,
) -> Result<TableFile, ImportError> {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let from_rows = |rows: Vec<RawRow>| -> Result<TableFile, ImportError> {
        let rows: Vec<(String, Vec<String>)> =
            rows.into_iter().map(|r| (r.place, r.cells)).collect();
        let grid = duban_extract::grid_from_rows(&rows, origin)?;
        let read = duban_extract::sheet_from_grid(&grid, origin, options)?;
        Ok(TableFile {
            sheet: read.sheet,
            warnings: read.warnings,
        })
    };
    match extension.as_str() {
        "xlsx" | "xlsm" | "xls" | "xlsb" | "ods" => {
            return from_rows(duban_office::read_spreadsheet(path)?);
        }
        "csv" => return from_rows(duban_office::read_csv(path)?),
        _ => {}
    }
    let file = duban_office::read_text(path)?;
    read_table_text(&file.text, origin, options, extension == "json")
}

/// Reads a ledger table given as text (already decoded): ledger JSON, PDF text or TSV, told
/// apart by content. `json` says the file was named as JSON.
pub fn read_table_text(
    text: &str,
    origin: &str,
    options: &ReadOptions,
    json: bool,
) -> Result<TableFile, ImportError> {
    let start = text.trim_start();
    if start.is_empty() {
        return Err(ImportError::Empty {
            origin: origin.to_owned(),
        });
    }
    if json || start.starts_with('{') {
        return Ok(TableFile {
            sheet: duban_extract::parse_ledger_json(text, origin)?,
            warnings: Vec::new(),
        });
    }
    // The PDF reader looks only at space-separated headers, so the two never both match.
    let grid = if duban_extract::looks_like_pdf_table(text) {
        duban_extract::read_pdf_text(text, origin)?
    } else if text.lines().any(|l| l.contains('\t')) {
        duban_extract::read_tsv(text, origin)?
    } else {
        return Err(ImportError::UnknownFormat {
            origin: origin.to_owned(),
        });
    };
    let read = duban_extract::sheet_from_grid(&grid, origin, options)?;
    Ok(TableFile {
        sheet: read.sheet,
        warnings: read.warnings,
    })
}
