//! Damaged and hostile files: every fixture mutated in ways files get damaged (bytes flipped,
//! cut short, a line made huge, a zip's part replaced) and built to hurt (deep JSON, a zip bomb's
//! directory, a sheet with a far cell). Each is read as a table and as a document: no panic, and
//! every refusal is one line naming the file. Bounded: a fixed set of mutations from a fixed seed.

use std::io::Write;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::time::Instant;

use duban_extract::ReadOptions;

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A small deterministic generator (a linear congruential one): the same mutations every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % below.max(1)
    }
}

fn mutations(bytes: &[u8], rng: &mut Lcg) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for i in 0..6 {
        let mut flipped = bytes.to_vec();
        for _ in 0..(1 + i * 3) {
            let at = rng.next(flipped.len());
            flipped[at] ^= 1 << rng.next(8);
        }
        out.push((format!("翻转{i}"), flipped));
    }
    for share in [1, 3, 7] {
        out.push((
            format!("截断{share}"),
            bytes[..bytes.len() * share / 8].to_vec(),
        ));
    }
    let mut huge = bytes[..bytes.len() / 2].to_vec();
    huge.extend(std::iter::repeat_n(b'x', 2_000_000));
    huge.extend_from_slice(&bytes[bytes.len() / 2..]);
    out.push(("超长行".to_owned(), huge));
    out
}

/// Reads a file both ways; returns the refusals. A panic fails the test.
fn read_both(name: &str, bytes: &[u8]) -> Vec<String> {
    let mut refusals = Vec::new();
    let table = catch_unwind(AssertUnwindSafe(|| {
        duban_import::read_table_bytes(bytes, name, name, &ReadOptions::default())
    }))
    .unwrap_or_else(|_| panic!("{name}: the table reader panicked"));
    if let Err(e) = table {
        refusals.push(e.to_string());
    }
    let text = catch_unwind(AssertUnwindSafe(|| {
        duban_import::read_document_text(bytes, name, name).map(|text| {
            for kind in [
                duban_core::DocumentKind::Report,
                duban_core::DocumentKind::Plan,
            ] {
                let _ = duban_extract::read_document(&text, kind, name);
            }
        })
    }))
    .unwrap_or_else(|_| panic!("{name}: the document reader panicked"));
    if let Err(e) = text {
        refusals.push(e.to_string());
    }
    for message in &refusals {
        assert!(message.contains(name), "names the file: {message}");
        assert_eq!(message.lines().count(), 1, "one line: {message}");
    }
    refusals
}

#[test]
fn damaged_copies_of_every_kind_of_file_are_refused_or_read_never_a_panic() {
    let started = Instant::now();
    let mut rng = Lcg(20_261_201);
    let mut read = 0;
    for name in [
        "files/progress-2023-08.docx",
        "files/targets-2020.xls",
        "files/progress-2023-08.html",
        "files/targets-2020.pdf",
        "ledger-2023-08-excerpt.json",
        "targets-2020-q3q4-linzi.txt",
    ] {
        let bytes = fixture(name);
        let extension = name.rsplit('.').next().unwrap_or_default();
        for (how, mutated) in mutations(&bytes, &mut rng) {
            read_both(&format!("{how}.{extension}"), &mutated);
            read += 1;
        }
    }
    println!(
        "{read} damaged files read in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

#[test]
fn files_built_to_hurt_are_refused_with_the_limit_named() {
    // JSON nested deeper than any ledger.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let refusals = read_both("深.json", deep.as_bytes());
    assert!(!refusals.is_empty());
    // A zip whose directory promises a part larger than any real docx.
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("word/document.xml", options).expect("part");
    let block = vec![b' '; 1 << 20];
    for _ in 0..100 {
        zip.write_all(&block).expect("write");
    }
    let bomb = zip.finish().expect("zip").into_inner();
    assert!(bomb.len() < 1 << 20, "the bomb is small: {}", bomb.len());
    let refusals = read_both("炸弹.docx", &bomb);
    assert!(refusals.iter().any(|m| m.contains("上限")), "{refusals:?}");
    // A sheet whose only far cell is at the last column and row.
    let mut book = rust_xlsxwriter::Workbook::new();
    book.add_worksheet()
        .write_string(1_048_575, 16_383, "x")
        .expect("cell");
    let far = book.save_to_buffer().expect("xlsx");
    let refusals = read_both("远端.xlsx", &far);
    assert!(refusals.iter().any(|m| m.contains("上限")), "{refusals:?}");
}
