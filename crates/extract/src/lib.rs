//! duban-extract: finding structure in text.
//!
//! Takes decoded text (from `duban-office`) and returns `duban-core` values, with positions for
//! every error. Pure and deterministic: no files, no database, no clock.

pub mod cells;
mod ledger_json;

pub use ledger_json::parse_ledger_json;

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
    #[error("{origin}：{source}")]
    Sheet {
        origin: String,
        #[source]
        source: duban_core::SheetError,
    },
}
