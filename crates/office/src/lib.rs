//! duban-office: the bytes of the files offices exchange.
//!
//! Owns reading file formats and turning bytes into text, rows, paragraphs and positioned text;
//! finding what that means belongs to `duban-extract`, storing it to `duban-store`. Every reader
//! takes the bytes and the name the user knows the file by (`origin`), so a message never shows a
//! server's temporary path; every reader checks its limits before it allocates and runs the
//! third-party parsers inside `catch_unwind`, so a hostile file is an error, not a crash.

mod docx;
mod flow;
mod html;
mod legacy;
mod pdf;
mod sniff;
mod table;
mod text;

pub use docx::read_docx;
pub use flow::{Block, Flow};
pub use html::read_html;
pub use legacy::{LEGACY_TIME_LIMIT, convert_with_libreoffice, libreoffice_available};
pub use pdf::{PdfPage, PdfSpan, Ruling, read_pdf};
pub use sniff::{EvidenceType, Format, evidence_type, sniff};
pub use table::{RawRow, read_csv, read_spreadsheet};
pub use text::{Encoding, TextFile, decode_file, decode_text, read_text};

use std::path::Path;

/// The largest file any reader takes (the upload limit is lower).
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum OfficeError {
    #[error("无法读取文件 {origin}：{source}")]
    Io {
        origin: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{origin}：{message}")]
    Table { origin: String, message: String },
    #[error("{origin}：第 {offset} 字节起的内容既不是 UTF-8 也不是 GB18030/GBK 编码的文本")]
    Undecodable { origin: String, offset: usize },
    /// A file of a known format that cannot be read; `message` says what it is and what to do.
    #[error("{origin}：{message}")]
    Unreadable { origin: String, message: String },
    /// A file beyond one of the readers' limits.
    #[error("{origin}：{what}超过上限 {limit}，未读取")]
    TooLarge {
        origin: String,
        what: &'static str,
        limit: String,
    },
}

impl OfficeError {
    pub(crate) fn unreadable(origin: &str, message: impl Into<String>) -> Self {
        OfficeError::Unreadable {
            origin: origin.to_owned(),
            message: message.into(),
        }
    }
}

/// Reads a whole file, refusing one larger than [`MAX_FILE_BYTES`] before reading it.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, OfficeError> {
    let origin = path.display().to_string();
    let io = |source| OfficeError::Io {
        origin: origin.clone(),
        source,
    };
    let size = std::fs::metadata(path).map_err(io)?.len();
    if size > MAX_FILE_BYTES {
        return Err(OfficeError::TooLarge {
            origin,
            what: "文件大小",
            limit: format!("{} MB", MAX_FILE_BYTES / 1024 / 1024),
        });
    }
    std::fs::read(path).map_err(io)
}

/// The largest part of a zip container (xlsx, docx) inflated, and the most all parts may hold.
const MAX_ZIP_PART: u64 = 96 * 1024 * 1024;
const MAX_ZIP_TOTAL: u64 = 256 * 1024 * 1024;
const MAX_ZIP_ENTRIES: usize = 10_000;

/// Checks a zip container's directory before any part of it is inflated: the number of parts
/// and the sizes they declare. (A part that inflates beyond what it declares is cut off by the
/// reader that inflates it.)
pub(crate) fn check_zip(bytes: &[u8], origin: &str, what: &'static str) -> Result<(), OfficeError> {
    let Ok(mut archive) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        // Not a readable zip: the format's reader says what is wrong with it.
        return Ok(());
    };
    let too_large = |limit: String| OfficeError::TooLarge {
        origin: origin.to_owned(),
        what,
        limit,
    };
    if archive.len() > MAX_ZIP_ENTRIES {
        return Err(too_large(format!("{MAX_ZIP_ENTRIES} 个部件")));
    }
    let mut total = 0u64;
    for i in 0..archive.len() {
        let Ok(file) = archive.by_index_raw(i) else {
            continue;
        };
        if file.size() > MAX_ZIP_PART {
            return Err(too_large(format!(
                "解压后单个部件 {} MB（{} 解压后 {} MB）",
                MAX_ZIP_PART / 1024 / 1024,
                file.name().unwrap_or_default(),
                file.size() / 1024 / 1024
            )));
        }
        total += file.size();
    }
    if total > MAX_ZIP_TOTAL {
        return Err(too_large(format!(
            "解压后共 {} MB",
            MAX_ZIP_TOTAL / 1024 / 1024
        )));
    }
    Ok(())
}

/// Runs a third-party parser; a panic inside it becomes an error naming the file.
pub(crate) fn guarded<T>(
    origin: &str,
    what: &str,
    parse: impl FnOnce() -> Result<T, OfficeError>,
) -> Result<T, OfficeError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(parse)).unwrap_or_else(|_| {
        Err(OfficeError::unreadable(
            origin,
            format!("{what}文件已损坏或格式异常，无法读取：请在原软件中打开并重新保存后再导入"),
        ))
    })
}
