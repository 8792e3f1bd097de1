//! The files offices really exchange, written from the seeds by `scripts/make-test-files.py`
//! (Word with automatic numbering and merged cells, PDF through LibreOffice with and without
//! ruling lines, .doc, .xls, a saved web page): each reads like the seed's own text, cell for cell
//! and section for section. PDF keeps no faithful record of spaces (a space at a line's end
//! vanishes, a narrow one is only a gap), so PDF is compared with whitespace removed; every
//! other format exactly.

use std::path::PathBuf;

use duban_core::{DocumentKind, DocumentRead, LedgerSheet};
use duban_extract::ReadOptions;
use duban_import::{ImportError, read_document_text, read_table_bytes};
use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures")
        .join(name)
}

fn bytes(name: &str) -> Vec<u8> {
    std::fs::read(fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn table(name: &str) -> LedgerSheet {
    read_table_bytes(&bytes(name), name, name, &ReadOptions::default())
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .sheet
}

fn document(name: &str, kind: DocumentKind) -> DocumentRead {
    let text = read_document_text(&bytes(name), name, name).unwrap_or_else(|e| panic!("{e}"));
    duban_extract::read_document(&text, kind, name).unwrap_or_else(|e| panic!("{e}"))
}

/// A value with the whitespace taken out of every string in it.
fn without_spaces(value: Value) -> Value {
    match value {
        Value::String(s) => Value::String(s.chars().filter(|c| !c.is_whitespace()).collect()),
        Value::Array(items) => Value::Array(items.into_iter().map(without_spaces).collect()),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (k, without_spaces(v)))
                .collect(),
        ),
        other => other,
    }
}

fn assert_same_sheet(file: &LedgerSheet, text: &LedgerSheet, name: &str, exact: bool) {
    assert_eq!(file.tasks.len(), text.tasks.len(), "{name}: tasks");
    let as_value = |s: &LedgerSheet| {
        let v = serde_json::to_value(s).expect("json");
        if exact { v } else { without_spaces(v) }
    };
    let (file_value, text_value) = (as_value(file), as_value(text));
    for (f, t) in file_value["tasks"]
        .as_array()
        .expect("tasks")
        .iter()
        .zip(text_value["tasks"].as_array().expect("tasks"))
    {
        assert_eq!(f, t, "{name}: task {}", t["seq"]);
    }
    assert_eq!(file_value, text_value, "{name}: ledger, period, columns");
}

fn assert_same_document(file: &DocumentRead, text: &DocumentRead, name: &str, exact: bool) {
    let as_value = |d: &DocumentRead| {
        let v = serde_json::to_value(d).expect("json");
        if exact { v } else { without_spaces(v) }
    };
    let (f, t) = (as_value(file), as_value(text));
    for key in [
        "title",
        "number",
        "date",
        "speaker",
        "sections",
        "glossary",
        "indicators",
        "projects",
    ] {
        assert_eq!(f[key], t[key], "{name}: {key}");
    }
}

#[test]
fn word_web_page_and_excel_tables_read_cell_for_cell_like_their_text() {
    let monthly = table("progress-2023-08-linzi.txt");
    assert_eq!(monthly.tasks.len(), 124);
    for name in ["files/progress-2023-08.docx", "files/progress-2023-08.html"] {
        assert_same_sheet(&table(name), &monthly, name, true);
    }
    let quarterly = table("targets-2020-q3q4-linzi.txt");
    for name in ["files/targets-2020.docx", "files/targets-2020.xls"] {
        assert_same_sheet(&table(name), &quarterly, name, true);
    }
    // WPS spreadsheets (.et) are Excel's binary format under another name.
    let et = read_table_bytes(
        &bytes("files/targets-2020.xls"),
        "分解表.et",
        "分解表.et",
        &ReadOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_same_sheet(&et.sheet, &quarterly, "分解表.et", true);
}

#[test]
fn pdf_tables_read_cell_for_cell_with_and_without_ruling_lines() {
    let monthly = table("progress-2023-08-linzi.txt");
    // Ruled: merged leader cells (also across page breaks), rows cut by a page break, the
    // header repeated on every page. Unruled: columns found from the white gaps of the body.
    for name in [
        "files/progress-2023-08.pdf",
        "files/progress-2023-08-unruled.pdf",
    ] {
        assert_same_sheet(&table(name), &monthly, name, false);
    }
    // Two header rows: 阶段目标 spanning 第三季度目标 and 第四季度目标.
    let quarterly = table("targets-2020-q3q4-linzi.txt");
    let pdf = table("files/targets-2020.pdf");
    assert_eq!(pdf.columns, ["goal", "targets"]);
    assert_same_sheet(&pdf, &quarterly, "files/targets-2020.pdf", false);
}

#[test]
fn reports_and_plans_as_word_and_pdf_read_like_their_text() {
    let report = document("work-report-2021-linzi.txt", DocumentKind::Report);
    assert_eq!(report.glossary.len(), 26);
    let plan = document("plan-2021-2025-zichuan.txt", DocumentKind::Plan);
    assert_eq!(plan.indicators.len(), 21);
    // Word: headings and glossary numbered by numbering.xml, the indicators a Word table.
    let word_report = document("files/report-2021.docx", DocumentKind::Report);
    assert_same_document(&word_report, &report, "report-2021.docx", true);
    let word_plan = document("files/plan-2021-2025.docx", DocumentKind::Plan);
    assert_same_document(&word_plan, &plan, "plan-2021-2025.docx", true);
    // PDF: page numbers dropped, paragraphs found from the line ends and indents, the indicator
    // table read by its grid.
    let pdf_report = document("files/report-2021.pdf", DocumentKind::Report);
    assert_same_document(&pdf_report, &report, "report-2021.pdf", false);
    let pdf_plan = document("files/plan-2021-2025.pdf", DocumentKind::Plan);
    assert_same_document(&pdf_plan, &plan, "plan-2021-2025.pdf", false);
    // Every page of the PDFs carries — N — in its footer; none is left in the text.
    for read in [&pdf_report, &pdf_plan] {
        let page_number = |l: &&str| {
            let l = l.trim();
            l.starts_with('—') && l.ends_with('—') && l.chars().any(|c| c.is_ascii_digit())
        };
        assert_eq!(read.body.lines().find(page_number), None, "{}", read.title);
    }
}

/// LibreOffice is optional: without it a .doc is refused with what to do. CI installs it and
/// sets DUBAN_REQUIRE_SOFFICE=1 so the conversion is always tested there.
#[test]
fn a_word_97_file_reads_through_libreoffice_or_says_what_to_do() {
    let name = "files/progress-2023-08.doc";
    if duban_office::libreoffice_available() {
        let text = table("progress-2023-08-linzi.txt");
        assert_same_sheet(&table(name), &text, name, true);
        // WPS writes its .wps in the same container.
        let wps = read_table_bytes(
            &bytes(name),
            "通报.wps",
            "通报.wps",
            &ReadOptions::default(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_same_sheet(&wps.sheet, &text, "通报.wps", true);
        return;
    }
    assert!(
        std::env::var("DUBAN_REQUIRE_SOFFICE").is_err(),
        "DUBAN_REQUIRE_SOFFICE is set but LibreOffice (soffice) is not installed"
    );
    println!("SKIPPED (LibreOffice): install libreoffice-writer-nogui to read .doc files");
    let err = read_table_bytes(&bytes(name), name, name, &ReadOptions::default())
        .expect_err("no LibreOffice");
    assert!(err.to_string().contains("LibreOffice"), "{err}");
    assert!(err.to_string().contains(".docx"), "{err}");
}

fn refused(name: &str, data: &[u8]) -> String {
    let err =
        read_table_bytes(data, name, name, &ReadOptions::default()).expect_err("must be refused");
    assert!(
        matches!(err, ImportError::Office(_)),
        "{name}: an error of the file, got {err:?}"
    );
    let message = err.to_string();
    assert!(message.starts_with(name), "names the file: {message}");
    assert_eq!(message.lines().count(), 1, "one line: {message}");
    assert!(!message.contains("/tmp"), "no server path: {message}");
    // The document reader says the same.
    let doc = read_document_text(data, name, name).expect_err("must be refused");
    assert_eq!(doc.to_string(), message);
    message
}

#[test]
fn scanned_locked_and_damaged_files_get_one_clear_sentence() {
    let scanned = refused("扫描件.pdf", &bytes("files/scanned.pdf"));
    assert!(
        scanned.contains("扫描件") && scanned.contains("OCR"),
        "{scanned}"
    );
    let locked = refused("加密.pdf", &bytes("files/locked.pdf"));
    assert!(locked.contains("密码"), "{locked}");
    let docx = bytes("files/progress-2023-08.docx");
    let cut = refused("截断.docx", &docx[..docx.len() / 2]);
    assert!(cut.contains("Word") && cut.contains(".docx"), "{cut}");
    let pdf = bytes("files/progress-2023-08.pdf");
    let cut = refused("截断.pdf", &pdf[..pdf.len() / 3]);
    assert!(cut.contains("PDF"), "{cut}");
    let garbage = refused("乱码.pdf", b"%PDF-1.7\n\x00\xff\x13 not a pdf at all");
    assert!(garbage.contains("PDF"), "{garbage}");
}

#[test]
fn a_word_file_without_a_ledger_table_says_so() {
    let err = read_table_bytes(
        &bytes("files/report-2021.docx"),
        "报告.docx",
        "报告.docx",
        &ReadOptions::default(),
    )
    .expect_err("a report is no table");
    let message = err.to_string();
    assert!(
        message.contains("报告.docx") && message.contains("表头"),
        "{message}"
    );
}
