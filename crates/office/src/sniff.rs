//! Which reader a file needs, from its first bytes and, where the bytes cannot tell (csv against
//! text, .xls against .doc inside the same OLE container), its extension. A file named .doc that
//! is really a PDF is read as a PDF.

/// The kinds of files duban reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain text: PDF-copied tables, TSV, reports and plans, ledger JSON.
    Text,
    Csv,
    /// xlsx, xlsm, xlsb, xls, ods and WPS .et: what calamine opens.
    Spreadsheet,
    Docx,
    /// Word 97–2003 .doc and WPS .wps (OLE containers), and OpenDocument text: through LibreOffice.
    LegacyWord,
    Pdf,
    Html,
}

const OLE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Tells the format of a file from its bytes and its name.
pub fn sniff(name: &str, bytes: &[u8]) -> Format {
    let extension = std::path::Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let head = &bytes[..bytes.len().min(1024)];
    if find(head, b"%PDF-").is_some() {
        return Format::Pdf;
    }
    if bytes.starts_with(b"PK\x03\x04") {
        // Zip containers: the parts' names are stored in clear in the local headers.
        if find(bytes, b"word/document").is_some() {
            return Format::Docx;
        }
        if find(head, b"opendocument.text").is_some() {
            return Format::LegacyWord;
        }
        return Format::Spreadsheet;
    }
    if bytes.starts_with(OLE) {
        return match extension.as_str() {
            "doc" | "wps" | "dot" | "wpt" => Format::LegacyWord,
            _ => Format::Spreadsheet,
        };
    }
    if matches!(
        extension.as_str(),
        "html" | "htm" | "shtml" | "xhtml" | "mht"
    ) {
        return Format::Html;
    }
    let start = String::from_utf8_lossy(head)
        .trim_start()
        .to_ascii_lowercase();
    if start.starts_with("<!doctype html") || start.starts_with("<html") {
        return Format::Html;
    }
    match extension.as_str() {
        "csv" => Format::Csv,
        "xlsx" | "xlsm" | "xlsb" | "xls" | "ods" | "et" => Format::Spreadsheet,
        "docx" => Format::Docx,
        "doc" | "wps" | "odt" => Format::LegacyWord,
        _ => Format::Text,
    }
}

/// A file accepted as evidence (证明材料) of a report: its media type, extension and name in
/// words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EvidenceType {
    pub mime: &'static str,
    pub extension: &'static str,
    pub label: &'static str,
}

/// What a file is as evidence, told from its bytes only (a name can say anything): PDF, JPEG or
/// PNG photos and scans, Word and Excel (current and 97–2003), and OFD (版式文件). None for
/// anything else.
pub fn evidence_type(bytes: &[u8]) -> Option<EvidenceType> {
    let kind = |mime, extension, label| {
        Some(EvidenceType {
            mime,
            extension,
            label,
        })
    };
    if bytes.starts_with(b"%PDF-") {
        return kind("application/pdf", "pdf", "PDF 文件");
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return kind("image/jpeg", "jpg", "JPG 图片");
    }
    if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        return kind("image/png", "png", "PNG 图片");
    }
    if bytes.starts_with(OLE) {
        return kind("application/msword", "doc", "Word/Excel 97-2003 文件");
    }
    if bytes.starts_with(b"PK\x03\x04") {
        // A zip: what it holds says what it is (the names are in its central directory).
        if find(bytes, b"word/document.xml").is_some() {
            return kind(
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "docx",
                "Word 文件",
            );
        }
        if find(bytes, b"xl/workbook.xml").is_some() {
            return kind(
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "xlsx",
                "Excel 文件",
            );
        }
        if find(bytes, b"OFD.xml").is_some() {
            return kind("application/ofd", "ofd", "OFD 版式文件");
        }
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod evidence_tests {
    use super::*;

    #[test]
    fn evidence_is_told_by_its_bytes_not_its_name() {
        assert_eq!(
            evidence_type(b"%PDF-1.7 ...").map(|t| t.extension),
            Some("pdf")
        );
        assert_eq!(
            evidence_type(&[0xFF, 0xD8, 0xFF, 0xE0]).map(|t| t.extension),
            Some("jpg")
        );
        assert_eq!(evidence_type(b"just text, named scan.pdf"), None);
        assert_eq!(evidence_type(b"PK\x03\x04 a zip of something else"), None);
        assert_eq!(evidence_type(b"MZ\x90\x00 a program"), None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_before_names() {
        assert_eq!(sniff("通报.doc", b"%PDF-1.7\n"), Format::Pdf);
        assert_eq!(
            sniff("a.bin", b"PK\x03\x04....word/document.xml"),
            Format::Docx
        );
        assert_eq!(
            sniff("a.zip", b"PK\x03\x04....xl/workbook.xml"),
            Format::Spreadsheet
        );
        assert_eq!(sniff("旧.doc", OLE), Format::LegacyWord);
        assert_eq!(sniff("旧.wps", OLE), Format::LegacyWord);
        assert_eq!(sniff("旧.et", OLE), Format::Spreadsheet);
        assert_eq!(sniff("旧.xls", OLE), Format::Spreadsheet);
        assert_eq!(
            sniff("page", b"  <!DOCTYPE html><html><table>"),
            Format::Html
        );
        assert_eq!(sniff("a.csv", "序号,任务".as_bytes()), Format::Csv);
        assert_eq!(sniff("a.txt", "序号 任务".as_bytes()), Format::Text);
        // A docx that is really empty or truncated still goes to the docx reader, which says so.
        assert_eq!(sniff("坏.docx", b"garbage"), Format::Docx);
    }
}
