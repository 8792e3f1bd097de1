//! Other offices' layouts, written from the seeds by `scripts/make-layouts.py`: each file in
//! `fixtures/layouts/` is read and must give the ledger its `.expect.json` holds, cell for cell
//! (ledger name, period, and every task's goal, targets, progress, status, leaders, units,
//! section and deadline).

use std::path::PathBuf;

use duban_extract::ReadOptions;
use serde_json::Value;

fn layouts() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/layouts")
}

/// The input file of a layout: the file with the same stem that is not the expectation.
fn input_of(stem: &str) -> PathBuf {
    std::fs::read_dir(layouts())
        .expect("layouts")
        .map(|e| e.expect("entry").path())
        .find(|p| {
            p.file_stem().and_then(|s| s.to_str()) == Some(stem)
                && p.extension().and_then(|e| e.to_str()) != Some("json")
        })
        .unwrap_or_else(|| panic!("no input file for layout {stem}"))
}

fn check(stem: &str) {
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(layouts().join(format!("{stem}.expect.json"))).expect("expect"),
    )
    .expect("expect json");
    let path = input_of(stem);
    let name = path.file_name().and_then(|n| n.to_str()).expect("name");
    let bytes = std::fs::read(&path).expect("read");
    let read = duban_import::read_table_bytes(&bytes, name, name, &ReadOptions::default())
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let got = serde_json::to_value(&read.sheet).expect("json");
    assert_eq!(got["ledger"], expected["ledger"], "{name}: ledger");
    assert_eq!(got["period"], expected["period"], "{name}: period");
    let (got, want) = (
        got["tasks"].as_array().expect("tasks"),
        expected["tasks"].as_array().expect("tasks"),
    );
    for (g, w) in got.iter().zip(want) {
        assert_eq!(g, w, "{name}: task {}", w["seq"]);
    }
    assert_eq!(got.len(), want.len(), "{name}: tasks");
}

#[test]
fn columns_in_another_order() {
    check("reordered");
}

#[test]
fn lead_and_support_units_in_separate_columns() {
    check("split-units");
}

#[test]
fn a_units_column_beside_the_lead_column_and_leaders_spaced_for_alignment() {
    check("lead-and-units");
}

#[test]
fn pdf_text_with_units_before_progress_and_no_status_words() {
    check("units-before-progress");
}

#[test]
fn a_division_plan_with_responsibilities_on_the_following_lines() {
    check("division-lines");
}

#[test]
fn a_division_plan_with_responsibilities_in_brackets() {
    check("division-brackets");
}

#[test]
fn a_table_flattened_to_one_cell_per_line() {
    check("web-flattened");
}

#[test]
fn a_portal_page_with_merged_leaders_and_no_target_column() {
    check("portal");
}

/// A plan's indicator table in another layout: the indicators must be those of the seed plan.
fn check_indicators(stem: &str) {
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(layouts().join(format!("{stem}.expect.json"))).expect("expect"),
    )
    .expect("expect json");
    let path = input_of(stem);
    let name = path.file_name().and_then(|n| n.to_str()).expect("name");
    let text = duban_import::read_document_text(&std::fs::read(&path).expect("read"), name, name)
        .expect("text");
    let read = duban_extract::read_document(&text, duban_core::DocumentKind::Plan, name)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(read.warnings.is_empty(), "{:?}", read.warnings);
    let got = serde_json::to_value(&read.indicators).expect("json");
    let want = expected["indicators"].as_array().expect("indicators");
    for (g, w) in got.as_array().expect("array").iter().zip(want) {
        assert_eq!(g, w, "{name}");
    }
    assert_eq!(got.as_array().map(Vec::len), Some(want.len()), "{name}");
}

#[test]
fn indicators_without_row_numbers_under_numbered_categories() {
    check_indicators("indicators-unnumbered");
}

#[test]
fn indicators_one_cell_per_line() {
    check_indicators("indicators-cell-per-line");
}

/// Every layout the script wrote has its test above.
#[test]
fn every_layout_is_checked() {
    let mut stems: Vec<String> = std::fs::read_dir(layouts())
        .expect("layouts")
        .filter_map(|e| {
            let name = e.expect("entry").file_name().into_string().ok()?;
            name.strip_suffix(".expect.json").map(str::to_owned)
        })
        .collect();
    stems.sort();
    assert_eq!(
        stems,
        [
            "division-brackets",
            "division-lines",
            "indicators-cell-per-line",
            "indicators-unnumbered",
            "lead-and-units",
            "portal",
            "reordered",
            "split-units",
            "units-before-progress",
            "web-flattened",
        ]
    );
}
