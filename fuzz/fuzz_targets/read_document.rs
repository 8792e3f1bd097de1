//! Any bytes read as a work report and as a plan, through every format's text: refusals only.
#![no_main]

use duban_core::DocumentKind;
use libfuzzer_sys::fuzz_target;

const NAMES: &[&str] = &["报告.txt", "报告.docx", "报告.pdf", "报告.html"];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let name = NAMES[usize::from(pick) % NAMES.len()];
    if let Ok(text) = duban_import::read_document_text(bytes, name, name) {
        for kind in [DocumentKind::Report, DocumentKind::Plan] {
            let _ = duban_extract::read_document(&text, kind, name);
        }
    }
});
