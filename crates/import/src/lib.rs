//! duban-import: one entry point for every file an office imports, tables and documents alike.
//! The bytes are read by `duban-office` (which format is told by the bytes, then the name), the
//! structure is found by `duban-extract`; this crate only chooses the readers and hands the one to
//! the other, so the command line and the web upload accept exactly the same files and say the
//! same things about them.

use std::path::Path;

use duban_core::LedgerSheet;
use duban_extract::layout::{Page, Rule, TextBox};
use duban_extract::{ExtractError, ReadOptions, Warning};
use duban_office::{Flow, Format, OfficeError, PdfPage, RawRow};

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{origin} 是空文件：应为台账表格")]
    Empty { origin: String },
    #[error(
        "无法识别 {origin} 的格式：应为台账 JSON、从 PDF 复制的表格文本、制表符分隔的表格（TSV）、csv、Excel、Word、PDF 或网页文件，且有“序号 / 年度目标任务 / 完成情况 …”这样的表头"
    )]
    UnknownFormat { origin: String },
    #[error("{origin}：{what}中没有找到有“序号 / 年度目标任务 / 完成情况 …”这样表头的表格")]
    NoTable { origin: String, what: &'static str },
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

/// Reads a ledger table file. `origin` names the file in messages.
pub fn read_table(
    path: &Path,
    origin: &str,
    options: &ReadOptions,
) -> Result<TableFile, ImportError> {
    let bytes = duban_office::read_bytes(path)?;
    read_table_bytes(&bytes, &path.to_string_lossy(), origin, options)
}

/// Reads a ledger table from a file's bytes; `name` is the file's name as given (its extension
/// helps where the bytes cannot tell), `origin` names it in messages.
pub fn read_table_bytes(
    bytes: &[u8],
    name: &str,
    origin: &str,
    options: &ReadOptions,
) -> Result<TableFile, ImportError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ImportError::Empty {
            origin: origin.to_owned(),
        });
    }
    let extension = extension(name);
    match duban_office::sniff(name, bytes) {
        Format::Spreadsheet => {
            let rows = match duban_office::read_spreadsheet(bytes, origin) {
                Ok(rows) => rows,
                // WPS .et files calamine cannot open go through LibreOffice.
                Err(_) if extension == "et" && duban_office::libreoffice_available() => {
                    let xlsx =
                        duban_office::convert_with_libreoffice(bytes, &extension, "xlsx", origin)?;
                    duban_office::read_spreadsheet(&xlsx, origin)?
                }
                Err(e) => return Err(e.into()),
            };
            from_raw_rows(rows, origin, options)
        }
        Format::Csv => from_raw_rows(duban_office::read_csv(bytes, origin)?, origin, options),
        Format::Docx => from_flow(
            &duban_office::read_docx(bytes, origin)?,
            origin,
            options,
            "Word 文档",
        ),
        Format::LegacyWord => {
            let docx = duban_office::convert_with_libreoffice(bytes, &extension, "docx", origin)?;
            from_flow(
                &duban_office::read_docx(&docx, origin)?,
                origin,
                options,
                "Word 文档",
            )
        }
        Format::Html => from_flow(
            &duban_office::read_html(bytes, origin)?,
            origin,
            options,
            "网页",
        ),
        Format::Pdf => {
            let pages = pages(duban_office::read_pdf(bytes, origin)?);
            let rows = duban_extract::layout::table_rows(&pages);
            from_rows(&rows, origin, options)
        }
        Format::Text => {
            let text = duban_office::decode_file(bytes, origin)?.text;
            read_table_text(&text, origin, options, extension == "json")
        }
    }
}

/// The text of a report or plan in any format: text files as they are, Word and web pages as
/// their paragraphs (tables a row a line), PDF in reading order without page furniture.
pub fn read_document_text(bytes: &[u8], name: &str, origin: &str) -> Result<String, ImportError> {
    let extension = extension(name);
    Ok(match duban_office::sniff(name, bytes) {
        Format::Docx => duban_office::read_docx(bytes, origin)?.text(),
        Format::LegacyWord => {
            let docx = duban_office::convert_with_libreoffice(bytes, &extension, "docx", origin)?;
            duban_office::read_docx(&docx, origin)?.text()
        }
        Format::Html => duban_office::read_html(bytes, origin)?.text(),
        Format::Pdf => {
            duban_extract::layout::document_text(&pages(duban_office::read_pdf(bytes, origin)?))
        }
        Format::Text | Format::Csv | Format::Spreadsheet => {
            duban_office::decode_file(bytes, origin)?.text
        }
    })
}

/// Whether a file is a spreadsheet or csv, which are always read as tables.
pub fn is_spreadsheet(name: &str, bytes: &[u8]) -> bool {
    matches!(
        duban_office::sniff(name, bytes),
        Format::Spreadsheet | Format::Csv
    )
}

fn extension(name: &str) -> String {
    Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default()
}

fn pages(pages: Vec<PdfPage>) -> Vec<Page> {
    pages
        .into_iter()
        .map(|p| Page {
            width: p.width,
            height: p.height,
            boxes: p
                .spans
                .into_iter()
                .map(|s| TextBox {
                    text: s.text,
                    left: s.left,
                    right: s.right,
                    top: s.top,
                    bottom: s.bottom,
                })
                .collect(),
            rules: p
                .rulings
                .into_iter()
                .map(|r| Rule {
                    x0: r.x0,
                    y0: r.y0,
                    x1: r.x1,
                    y1: r.y1,
                })
                .collect(),
        })
        .collect()
}

fn from_raw_rows(
    rows: Vec<RawRow>,
    origin: &str,
    options: &ReadOptions,
) -> Result<TableFile, ImportError> {
    let rows: Vec<(String, Vec<String>)> = rows.into_iter().map(|r| (r.place, r.cells)).collect();
    from_rows(&rows, origin, options)
}

fn from_rows(
    rows: &[(String, Vec<String>)],
    origin: &str,
    options: &ReadOptions,
) -> Result<TableFile, ImportError> {
    let grid = duban_extract::grid_from_rows(rows, origin)?;
    let read = duban_extract::sheet_from_grid(&grid, origin, options)?;
    Ok(TableFile {
        sheet: read.sheet,
        warnings: read.warnings,
    })
}

/// The first table of a Word document or web page that has a ledger header, with the paragraphs
/// above it as its title. A document without tables may still be a table pasted as text.
fn from_flow(
    flow: &Flow,
    origin: &str,
    options: &ReadOptions,
    what: &'static str,
) -> Result<TableFile, ImportError> {
    let mut first_error = None;
    for (n, table) in flow.tables().into_iter().enumerate() {
        let rows: Vec<(String, Vec<String>)> = table
            .into_iter()
            .enumerate()
            .map(|(i, cells)| (format!("第 {} 个表格第 {} 行", n + 1, i + 1), cells))
            .collect();
        match from_rows(&rows, origin, options) {
            Ok(table) => return Ok(table),
            // A table without a ledger header (a letterhead, a signature block) is passed over;
            // one with a header but something wrong is the error to report.
            Err(ImportError::Extract(ExtractError::NoHeader { .. })) => {}
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    if let Some(e) = first_error {
        return Err(e);
    }
    let text = flow.text();
    if !text.trim().is_empty()
        && let Ok(table) = read_table_text(&text, origin, options, false)
    {
        return Ok(table);
    }
    Err(ImportError::NoTable {
        origin: origin.to_owned(),
        what,
    })
}

/// Reads a ledger table given as text (already decoded): ledger JSON, a task-division plan, a
/// table flattened to one cell per line, PDF text or TSV, told apart by content. `json` says the file was named as JSON.
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
    // A division plan: numbered items with their responsibilities (lines or brackets).
    if duban_extract::looks_like_division_plan(text) {
        let read = duban_extract::read_division_plan(text, origin, options)?;
        return Ok(TableFile {
            sheet: read.sheet,
            warnings: read.warnings,
        });
    }
    // The PDF reader looks only at space-separated headers, so the two never both match.
    let grid = if duban_extract::looks_like_flat_table(text) {
        duban_extract::read_flat_table(text, origin)?
    } else if duban_extract::looks_like_pdf_table(text) {
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
