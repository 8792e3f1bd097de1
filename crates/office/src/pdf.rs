//! Text PDFs as pages of positioned text and ruling lines, read with pdf_oxide.
//!
//! This module only reads: every span of text with its box, and the straight lines a table's
//! borders are drawn with, in top-down page coordinates (points). Rebuilding lines, paragraphs and
//! table cells from them is `duban-extract`'s job. A PDF without a text layer (a scan), behind a
//! password or damaged gets one sentence saying so.

use std::time::{Duration, Instant};

use crate::{OfficeError, guarded};

/// More pages than this is not a table or a plan an office reads.
const MAX_PAGES: usize = 3000;
/// Reading stops after this long, whatever the file.
const TIME_LIMIT: Duration = Duration::from_secs(120);

/// A run of text as the PDF draws it.
#[derive(Debug, Clone, PartialEq)]
pub struct PdfSpan {
    pub text: String,
    pub left: f32,
    pub right: f32,
    pub top: f32,
    pub bottom: f32,
}

/// A straight horizontal or vertical line (a table border).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ruling {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

impl Ruling {
    pub fn is_horizontal(&self) -> bool {
        (self.y1 - self.y0).abs() < 1.0 && (self.x1 - self.x0).abs() >= 1.0
    }
    pub fn is_vertical(&self) -> bool {
        (self.x1 - self.x0).abs() < 1.0 && (self.y1 - self.y0).abs() >= 1.0
    }
}

/// One page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PdfPage {
    pub width: f32,
    pub height: f32,
    pub spans: Vec<PdfSpan>,
    pub rulings: Vec<Ruling>,
}

/// Reads every page of a text PDF.
pub fn read_pdf(bytes: &[u8], origin: &str) -> Result<Vec<PdfPage>, OfficeError> {
    let encrypted = bytes.windows(8).any(|w| w == b"/Encrypt");
    let locked = || {
        OfficeError::unreadable(
            origin,
            "PDF 文件设有打开密码，无法读取：请去掉密码（或另存为不加密的 PDF）后再导入",
        )
    };
    let pages = guarded(origin, "PDF ", || {
        let document = pdf_oxide::PdfDocument::from_bytes(bytes.to_vec()).map_err(|e| {
            if encrypted {
                locked()
            } else {
                OfficeError::unreadable(
                    origin,
                    format!("不是可读的 PDF 文件（{e}）：文件可能已损坏或只传了一部分"),
                )
            }
        })?;
        let count = document.page_count().map_err(|_| {
            if encrypted {
                locked()
            } else {
                OfficeError::unreadable(origin, "PDF 文件的页面目录已损坏，无法读取")
            }
        })?;
        if count > MAX_PAGES {
            return Err(OfficeError::TooLarge {
                origin: origin.to_owned(),
                what: "PDF 页数",
                limit: format!("{MAX_PAGES} 页"),
            });
        }
        let started = Instant::now();
        let mut pages = Vec::with_capacity(count);
        for index in 0..count {
            if started.elapsed() > TIME_LIMIT {
                return Err(OfficeError::TooLarge {
                    origin: origin.to_owned(),
                    what: "PDF 读取时间",
                    limit: format!("{} 秒", TIME_LIMIT.as_secs()),
                });
            }
            pages.push(page(&document, index, encrypted, origin)?);
        }
        Ok(pages)
    })?;
    if pages.iter().all(|p| p.spans.is_empty()) {
        if encrypted {
            return Err(locked());
        }
        return Err(OfficeError::unreadable(
            origin,
            "PDF 中没有可读取的文字（可能是扫描件或图片）：需要先做文字识别（OCR），或改用 Word、Excel 原件",
        ));
    }
    Ok(pages)
}

fn page(
    document: &pdf_oxide::PdfDocument,
    index: usize,
    encrypted: bool,
    origin: &str,
) -> Result<PdfPage, OfficeError> {
    let failed = |e: pdf_oxide::Error| {
        if encrypted {
            OfficeError::unreadable(
                origin,
                "PDF 文件设有打开密码，无法读取：请去掉密码（或另存为不加密的 PDF）后再导入",
            )
        } else {
            OfficeError::unreadable(origin, format!("PDF 第 {} 页无法读取（{e}）", index + 1))
        }
    };
    let (width, height) = document
        .get_page_media_box(index)
        .map(|(x0, y0, x1, y1)| ((x1 - x0).abs(), (y1 - y0).abs()))
        .unwrap_or((595.0, 842.0));
    let spans = document
        .extract_spans(index)
        .map_err(failed)?
        .into_iter()
        .filter(|s| !s.text.trim().is_empty())
        .map(|s| PdfSpan {
            text: s.text,
            left: s.bbox.x,
            right: s.bbox.x + s.bbox.width,
            top: height - (s.bbox.y + s.bbox.height),
            bottom: height - s.bbox.y,
        })
        .collect();
    let mut rulings = Vec::new();
    // Lines and the thin rectangles some writers draw borders with; a cell's full box gives
    // its four sides.
    for path in document.extract_paths(index).unwrap_or_default() {
        let b = path.bbox;
        let (x0, x1) = (b.x, b.x + b.width);
        let (y0, y1) = (height - (b.y + b.height), height - b.y);
        if b.width.abs() < 2.0 || b.height.abs() < 2.0 {
            let ruling = if b.height.abs() < 2.0 {
                let y = (y0 + y1) / 2.0;
                Ruling {
                    x0,
                    y0: y,
                    x1,
                    y1: y,
                }
            } else {
                let x = (x0 + x1) / 2.0;
                Ruling {
                    x0: x,
                    y0,
                    x1: x,
                    y1,
                }
            };
            if ruling.is_horizontal() || ruling.is_vertical() {
                rulings.push(ruling);
            }
        } else if path.is_rectangle() && path.has_stroke() {
            rulings.extend([
                Ruling { x0, y0, x1, y1: y0 },
                Ruling { x0, y0: y1, x1, y1 },
                Ruling { x0, y0, x1: x0, y1 },
                Ruling { x0: x1, y0, x1, y1 },
            ]);
        }
    }
    Ok(PdfPage {
        width,
        height,
        spans,
        rulings,
    })
}
