//! The notice (通报表): a ledger's table for one period as the supervision office publishes it,
//! with its statistics, written as xlsx, docx, HTML or Markdown.
//!
//! `Notice::build` is pure: it turns a `LedgerSheet` (one period of the ledger JSON) into the
//! rows and figures a reader sees. The writers only lay those out; none of them counts or
//! decides anything, so the four formats cannot disagree.

pub mod cells;
mod chart;
mod docx;
mod html;
mod layout;
mod markdown;
mod notice;
mod stats;
mod table;
mod xlsx;

use std::fmt;
use std::str::FromStr;

pub use chart::{ChartLine, Figure, LineChart, LineKind};
pub use notice::{
    Column, Notice, NoticeMarks, NoticeOptions, NoticeRow, OverdueRectification, StatTable,
};
pub use stats::{ProblemTask, RankedTally, Statistics, Tally, rank_units};
pub use table::{PrintReport, PrintTable, render_report, render_table};

#[derive(Debug, thiserror::Error)]
pub enum NoticeError {
    #[error("台账 \"{ledger}\" 没有指定期间：通报表须针对某一期间（如 2023-08、2020-Q3）")]
    NoPeriod { ledger: String },
    #[error("生成 xlsx 失败：{0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("生成 docx 失败：{0}")]
    Docx(String),
    #[error("生成 HTML 失败：{0}")]
    Html(#[from] askama::Error),
    #[error("生成图表失败：{0}")]
    Chart(String),
    #[error("未知的通报格式 \"{0}\"：可用 xlsx、docx、html、md")]
    UnknownFormat(String),
}

/// The file formats a notice is published in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    Docx,
    Html,
    Markdown,
}

impl Format {
    pub const ALL: [Format; 4] = [Format::Xlsx, Format::Docx, Format::Html, Format::Markdown];

    /// The media type a download of this format is served as.
    pub fn mime(self) -> &'static str {
        match self {
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            Format::Html => "text/html; charset=utf-8",
            Format::Markdown => "text/markdown; charset=utf-8",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Docx => "docx",
            Format::Html => "html",
            Format::Markdown => "md",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.extension())
    }
}

impl FromStr for Format {
    type Err = NoticeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "xlsx" | "excel" => Ok(Format::Xlsx),
            "docx" | "word" => Ok(Format::Docx),
            "html" | "htm" => Ok(Format::Html),
            "md" | "markdown" => Ok(Format::Markdown),
            _ => Err(NoticeError::UnknownFormat(s.to_owned())),
        }
    }
}

/// The notice as the bytes of a file in `format`.
pub fn render(notice: &Notice, format: Format) -> Result<Vec<u8>, NoticeError> {
    match format {
        Format::Xlsx => xlsx::write(notice),
        Format::Docx => docx::write(notice),
        Format::Html => Ok(html::write(notice)?.into_bytes()),
        Format::Markdown => Ok(markdown::write(notice).into_bytes()),
    }
}
