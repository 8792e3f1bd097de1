//! Text files as Chinese offices save them: UTF-8 (with or without a BOM), UTF-16 with a BOM
//! (Windows "Unicode"), or GB18030 and its subset GBK (the default of Chinese Windows).

use std::path::Path;

use crate::OfficeError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16Le,
    Utf16Be,
    /// GB18030, which also reads GBK and GB2312.
    Gb18030,
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf16Le => "UTF-16LE",
            Encoding::Utf16Be => "UTF-16BE",
            Encoding::Gb18030 => "GB18030",
        }
    }
}

/// A decoded text file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextFile {
    pub text: String,
    pub encoding: Encoding,
}

/// Reads a text file in any of the encodings above.
pub fn read_text(path: &Path) -> Result<TextFile, OfficeError> {
    decode_file(&crate::read_bytes(path)?, &path.display().to_string())
}

/// Decodes a file's bytes as [`decode_text`] does, naming the file and the offset when they are
/// no text.
pub fn decode_file(bytes: &[u8], origin: &str) -> Result<TextFile, OfficeError> {
    decode_text(bytes).map_err(|offset| OfficeError::Undecodable {
        origin: origin.to_owned(),
        offset,
    })
}

/// Decodes bytes, trying a BOM, then strict UTF-8, then strict GB18030. A byte sequence valid
/// in neither is refused with the offset of the first bad byte, rather than decoded into
/// replacement characters that would end up in a ledger.
pub fn decode_text(bytes: &[u8]) -> Result<TextFile, usize> {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom..]);
        if had_errors {
            return Err(first_bad_offset(encoding, &bytes[bom..]) + bom);
        }
        let encoding = if encoding == encoding_rs::UTF_16LE {
            Encoding::Utf16Le
        } else if encoding == encoding_rs::UTF_16BE {
            Encoding::Utf16Be
        } else {
            Encoding::Utf8
        };
        return Ok(TextFile {
            text: text.into_owned(),
            encoding,
        });
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(TextFile {
            text: text.to_owned(),
            encoding: Encoding::Utf8,
        });
    }
    let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    if had_errors {
        return Err(first_bad_offset(encoding_rs::GB18030, bytes));
    }
    Ok(TextFile {
        text: text.into_owned(),
        encoding: Encoding::Gb18030,
    })
}

/// The offset of the first byte the decoder rejects.
fn first_bad_offset(encoding: &'static encoding_rs::Encoding, bytes: &[u8]) -> usize {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(16);
    let mut offset = 0;
    while offset < bytes.len() {
        out.clear();
        let end = (offset + 1).min(bytes.len());
        // Feed one byte at a time so the first malformed sequence is located exactly.
        let (result, read) = decoder.decode_to_string_without_replacement(
            &bytes[offset..end],
            &mut out,
            end == bytes.len(),
        );
        if let encoding_rs::DecoderResult::Malformed(bad, _) = result {
            return (offset + read).saturating_sub(usize::from(bad));
        }
        offset += read.max(1);
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str =
        "2023年《政府工作报告》重点工作8月份完成情况通报表\n区市场监督管理局（牵头）";

    #[test]
    fn reads_utf8_with_and_without_bom() {
        let plain = decode_text(SAMPLE.as_bytes()).expect("utf-8");
        assert_eq!(
            (plain.text.as_str(), plain.encoding),
            (SAMPLE, Encoding::Utf8)
        );
        let mut with_bom = b"\xef\xbb\xbf".to_vec();
        with_bom.extend_from_slice(SAMPLE.as_bytes());
        assert_eq!(decode_text(&with_bom).expect("bom").text, SAMPLE);
    }

    #[test]
    fn reads_gbk_and_gb18030() {
        let (bytes, _, _) = encoding_rs::GBK.encode(SAMPLE);
        assert!(
            std::str::from_utf8(&bytes).is_err(),
            "the sample must not be UTF-8 in GBK"
        );
        let decoded = decode_text(&bytes).expect("gbk");
        assert_eq!(
            (decoded.text.as_str(), decoded.encoding),
            (SAMPLE, Encoding::Gb18030)
        );
        // A character outside GBK (𠀀, U+20000) takes four bytes in GB18030.
        let rare = format!("{SAMPLE}𠀀");
        let (bytes, _, _) = encoding_rs::GB18030.encode(&rare);
        assert_eq!(decode_text(&bytes).expect("gb18030").text, rare);
    }

    #[test]
    fn reads_utf16_with_bom() {
        let mut bytes = vec![0xff, 0xfe];
        for unit in SAMPLE.encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        let decoded = decode_text(&bytes).expect("utf-16");
        assert_eq!(
            (decoded.text.as_str(), decoded.encoding),
            (SAMPLE, Encoding::Utf16Le)
        );
    }

    #[test]
    fn refuses_bytes_that_are_no_text_and_names_the_offset() {
        // 0xFF is neither UTF-8 nor a GB18030 lead byte.
        assert_eq!(decode_text(b"2023 tasks\xff rest"), Err(10));
        let (mut bytes, _, _) = encoding_rs::GBK.encode("重点工作");
        let at = bytes.len();
        bytes.to_mut().push(0xff);
        assert_eq!(decode_text(&bytes), Err(at));
    }

    #[test]
    fn errors_name_the_file() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("通报表.txt");
        std::fs::write(&path, [0x81, 0x20, 0xff]).expect("write");
        let err = read_text(&path).expect_err("undecodable");
        assert!(err.to_string().contains("通报表.txt"), "{err}");
        let err = read_text(&dir.path().join("absent.txt")).expect_err("missing");
        assert!(err.to_string().contains("absent.txt"), "{err}");
    }
}
