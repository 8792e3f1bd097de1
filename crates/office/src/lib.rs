//! duban-office: the bytes of the files offices exchange.
//!
//! Owns reading and writing file formats and turning bytes into text; finding structure in that
//! text belongs to `duban-extract`, storing it to `duban-store`. Every error names the file.

mod table;
mod text;

pub use table::{RawRow, read_csv, read_spreadsheet};
pub use text::{Encoding, TextFile, decode_text, read_text};

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum OfficeError {
    #[error("无法读取文件 {path}：{source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}：{message}")]
    Table { path: PathBuf, message: String },
    #[error("{path}：第 {offset} 字节起的内容既不是 UTF-8 也不是 GB18030/GBK 编码的文本")]
    Undecodable { path: PathBuf, offset: usize },
}
