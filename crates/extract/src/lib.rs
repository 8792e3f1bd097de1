//! duban-extract: finding structure in text.
//!
//! Takes decoded text (from `duban-office`) and returns `duban-core` values, with positions for
//! every error. Pure and deterministic: no files, no database, no clock.

pub mod assess;
pub mod cells;
pub mod columns;
pub mod division;
pub mod document;
pub mod flat;
pub mod grid;
pub mod layout;
mod ledger_json;
pub mod link;
mod names;
pub mod numbers;
pub mod pdf_text;
pub mod statistics;
pub mod targets;
pub mod tsv;

pub use division::{looks_like_division_plan, read_division_plan};
pub use document::{detect_document, read_document};
pub use flat::{looks_like_flat_table, read_flat_table};
pub use grid::{Grid, GridRow, ReadOptions, TableRead, Warning, grid_from_rows, sheet_from_grid};
pub use ledger_json::{SheetPart, parse_ledger_json, serde_message_zh, stream_ledger_json};
pub use link::{Commitment, Link, PassageIndex, commitments};
pub use pdf_text::{looks_like_pdf_table, read_pdf_text};
pub use tsv::read_tsv;

/// Where in the text something went wrong, and what.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExtractError {
    #[error("{origin} 第 {line} 行第 {column} 列：{message}")]
    At {
        origin: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error(
        "{origin}：找不到表头：应有“序号 / 年度目标任务（或工作任务）/ 完成情况 / 责任单位”这样的列名，读到的是“{found}”"
    )]
    NoHeader { origin: String, found: String },
    #[error("{origin}：表格上方没有可识别的标题，无法确定台账名称：请用 --ledger 给出")]
    NoLedgerName { origin: String },
    #[error("{origin}：表头下面没有任何任务行")]
    NoRows { origin: String },
    #[error("{origin}：不是{kind}：{reason}")]
    NotA {
        origin: String,
        kind: &'static str,
        reason: String,
    },
    #[error("{origin}：{source}")]
    Sheet {
        origin: String,
        #[source]
        source: duban_core::SheetError,
    },
}
