//! Notices of the real 2023 monthly table (124 tasks), written in every format and read back
//! with real readers: calamine for xlsx, unzip + quick-xml for docx, an HTML parser for html.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};

use calamine::{Data, Reader, Xlsx};
use chrono::NaiveDate;
use duban_core::{LedgerSheet, Status};
use duban_notice::{Format, Notice, NoticeOptions, render};
use quick_xml::events::Event;

const SEED: &str = include_str!("../../../fixtures/progress-2023-08-linzi.txt");
const TITLE: &str = "2023年《政府工作报告》重点工作8月份完成情况通报表";
const HEADERS: [&str; 6] = [
    "序号",
    "年度目标任务",
    "8月份目标任务",
    "完成情况",
    "分管区领导",
    "责任单位",
];

/// The seed as read by the importer, with two tasks turned into 未报送 (no progress), so the
/// notice has every status.
fn sheet() -> LedgerSheet {
    let grid = duban_extract::read_pdf_text(SEED, "progress-2023-08-linzi.txt").expect("seed");
    let mut sheet = duban_extract::sheet_from_grid(&grid, "seed", &Default::default())
        .expect("seed sheet")
        .sheet;
    for index in [2, 8] {
        let task = &mut sheet.tasks[index];
        task.status = Some(Status::Unreported);
        task.progress = None;
    }
    sheet
}

fn notice(sheet: &LedgerSheet, only_problems: bool) -> Notice {
    let mut options = NoticeOptions::new(NaiveDate::from_ymd_opt(2023, 9, 5).expect("date"));
    options.only_problems = only_problems;
    Notice::build(sheet, &options).expect("notice")
}

/// Status counts straight from the sheet, to compare every format's figures with.
fn counts(sheet: &LedgerSheet) -> BTreeMap<Status, usize> {
    let mut counts = BTreeMap::new();
    for t in &sheet.tasks {
        *counts
            .entry(t.status.expect("every task has a status"))
            .or_insert(0) += 1;
    }
    counts
}

fn status_of_cell(cell: &str) -> Option<Status> {
    // Longest words first, as the importer does.
    [
        ("部分完成", Status::Partial),
        ("未完成", Status::NotDone),
        ("未报送", Status::Unreported),
        ("完成", Status::Done),
    ]
    .into_iter()
    .find(|(w, _)| cell.starts_with(w))
    .map(|(_, s)| s)
}

fn text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
        other => other.to_string(),
    }
}

#[test]
fn xlsx_reads_back_with_calamine() {
    let sheet = sheet();
    let bytes = render(&notice(&sheet, false), Format::Xlsx).expect("xlsx");
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes.clone())).expect("open xlsx");
    assert_eq!(book.sheet_names(), ["通报表", "统计"]);

    let range = book.worksheet_range("通报表").expect("table sheet");
    let rows: Vec<Vec<String>> = range.rows().map(|r| r.iter().map(text).collect()).collect();
    assert_eq!(rows[0][0], TITLE);
    assert_eq!(rows[1][0], "（2023年9月5日）");
    assert_eq!(rows[2], HEADERS);
    let body = &rows[3..];
    assert_eq!(body.len(), sheet.tasks.len());
    for (row, task) in body.iter().zip(&sheet.tasks) {
        assert_eq!(row[0], task.seq.to_string());
        assert_eq!(row[1], task.goal);
        assert_eq!(status_of_cell(&row[3]), task.status, "seq {}", task.seq);
        let lead = task
            .units
            .iter()
            .flatten()
            .find(|u| u.role == duban_core::Role::Lead);
        if let Some(lead) = lead {
            assert!(
                row[5].starts_with(&format!("{}（牵头）", lead.name)),
                "{}",
                row[5]
            );
        }
    }
    let unreported = body.iter().filter(|r| r[3] == "未报送").count();
    assert_eq!(unreported, 2);

    let merged: Vec<_> = book
        .merge_cells_by_sheet_name("通报表")
        .expect("merged cells")
        .iter()
        .map(|d| (d.start, d.end))
        .collect();
    assert!(
        merged.contains(&((0, 0), (0, 5))),
        "title merged across the table: {merged:?}"
    );

    // Print settings live in the sheet and workbook XML: A4 landscape, header row repeated.
    let sheet_xml = zip_part(&bytes, "xl/worksheets/sheet1.xml");
    assert!(sheet_xml.contains(r#"paperSize="9""#), "A4");
    assert!(sheet_xml.contains(r#"orientation="landscape""#));
    assert!(
        sheet_xml.contains(r#"fitToPage="1""#) && sheet_xml.contains(r#"fitToHeight="0""#),
        "fitted to the page width, as many pages down as needed"
    );
    let workbook_xml = zip_part(&bytes, "xl/workbook.xml");
    assert!(workbook_xml.contains("_xlnm.Print_Titles"));
    assert!(
        workbook_xml.contains("$3:$3"),
        "row 3 (the header) repeats: {workbook_xml}"
    );
    let styles = zip_part(&bytes, "xl/styles.xml");
    assert!(styles.contains("宋体") && styles.contains("wrapText"));

    // The statistics sheet: the figures equal the sheet's own counts.
    let stats = book.worksheet_range("统计").expect("statistics sheet");
    let stat_rows: Vec<Vec<String>> = stats.rows().map(|r| r.iter().map(text).collect()).collect();
    let figure = |word: &str| -> usize {
        stat_rows
            .iter()
            .find(|r| r[0] == word)
            .and_then(|r| r[1].parse().ok())
            .unwrap_or_else(|| panic!("no row {word}"))
    };
    let c = counts(&sheet);
    assert_eq!(figure("完成"), c[&Status::Done]);
    assert_eq!(figure("部分完成"), c[&Status::Partial]);
    assert_eq!(figure("未完成"), c[&Status::NotDone]);
    assert_eq!(figure("未报送"), 2);
    assert_eq!(figure("合计"), sheet.tasks.len());
    // Unit ranking: every lead unit once, ranks never decrease.
    let header = stat_rows
        .iter()
        .position(|r| r[0] == "排名")
        .expect("ranking table");
    let ranks: Vec<usize> = stat_rows[header + 1..]
        .iter()
        .map_while(|r| r[0].parse().ok())
        .collect();
    assert!(!ranks.is_empty() && ranks.windows(2).all(|w| w[0] <= w[1]));
    assert_eq!(ranks[0], 1);
}

/// The xlsx, docx and html duban writes are tables duban reads: importing any gives back the
/// same sheet, all 124 tasks cell for cell.
#[test]
fn xlsx_docx_and_html_import_back_unchanged() {
    let sheet = sheet();
    for format in [Format::Xlsx, Format::Docx, Format::Html] {
        let bytes = render(&notice(&sheet, false), format).expect("render");
        let name = format!("notice.{}", format.extension());
        let read = duban_import::read_table_bytes(&bytes, &name, &name, &Default::default())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_reads_back(&read.sheet, &sheet);
    }
}

fn assert_reads_back(read: &LedgerSheet, sheet: &LedgerSheet) {
    assert_eq!(read.tasks.len(), 124);
    assert_eq!(read.ledger, sheet.ledger);
    assert_eq!(read.period, sheet.period);
    assert_eq!(read.tasks.len(), sheet.tasks.len());
    for (back, original) in read.tasks.iter().zip(&sheet.tasks) {
        // The notice lists the lead unit first (the offices' convention); the other units
        // keep their order.
        let mut expected = original.clone();
        if let Some(units) = &mut expected.units {
            units.sort_by_key(|u| u.role != duban_core::Role::Lead);
        }
        assert_eq!(back, &expected, "seq {}", original.seq);
    }
}

fn zip_part(bytes: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    let mut part = archive
        .by_name(name)
        .unwrap_or_else(|_| panic!("no {name}"));
    let mut xml = String::new();
    part.read_to_string(&mut xml).expect("utf-8 xml");
    xml
}

/// A table of a Word document: whether its first row repeats, and its rows of cell texts.
type DocxTable = (bool, Vec<Vec<String>>);

/// The tables of a WordprocessingML body: table → row → cell text (paragraphs joined by \n),
/// and whether each table's first row is marked to repeat.
fn docx_tables(xml: &str) -> (Vec<String>, Vec<DocxTable>) {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut paragraphs_outside = Vec::new();
    let mut tables: Vec<DocxTable> = Vec::new();
    let (mut depth, mut in_text) = (0usize, false);
    let mut paragraph = String::new();
    loop {
        match reader.read_event().expect("well-formed document.xml") {
            Event::Start(e) => match e.name().as_ref() {
                "w:tbl" => {
                    depth += 1;
                    tables.push((false, Vec::new()));
                }
                "w:tr" => tables.last_mut().expect("table").1.push(Vec::new()),
                "w:tc" => tables
                    .last_mut()
                    .and_then(|t| t.1.last_mut())
                    .expect("row")
                    .push(String::new()),
                "w:p" => paragraph.clear(),
                "w:t" => in_text = true,
                _ => {}
            },
            Event::Empty(e) if e.name().as_ref() == "w:tblHeader" => {
                let table = tables.last_mut().expect("table");
                if table.1.len() == 1 {
                    table.0 = true;
                }
            }
            Event::Text(t) if in_text => {
                paragraph.push_str(&t.xml10_content());
            }
            Event::GeneralRef(r) if in_text => {
                if let Some(c) = r.resolve_char_ref().expect("character reference") {
                    paragraph.push(c);
                    continue;
                }
                paragraph.push_str(match r.as_ref() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    other => panic!("unexpected entity {other}"),
                });
            }
            Event::End(e) => match e.name().as_ref() {
                "w:tbl" => depth -= 1,
                "w:t" => in_text = false,
                "w:p" => {
                    if depth == 0 {
                        paragraphs_outside.push(paragraph.clone());
                    } else {
                        let cell = tables
                            .last_mut()
                            .and_then(|t| t.1.last_mut())
                            .and_then(|r| r.last_mut())
                            .expect("cell");
                        if !cell.is_empty() {
                            cell.push('\n');
                        }
                        cell.push_str(&paragraph);
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    (paragraphs_outside, tables)
}

#[test]
fn docx_unzips_into_the_same_table() {
    let sheet = sheet();
    let n = notice(&sheet, false);
    let bytes = render(&n, Format::Docx).expect("docx");
    let types = zip_part(&bytes, "[Content_Types].xml");
    assert!(types.contains("wordprocessingml.document.main+xml"));
    let xml = zip_part(&bytes, "word/document.xml");
    assert!(xml.contains(r#"w:orient="landscape""#) && xml.contains(r#"w:w="16838""#));
    let (paragraphs, tables) = docx_tables(&xml);
    assert_eq!(paragraphs[0], TITLE);
    assert_eq!(paragraphs[1], "（2023年9月5日）");
    let c = counts(&sheet);
    let summary = format!(
        "共{}项任务，完成{}项，部分完成{}项，未完成{}项，未报送2项",
        sheet.tasks.len(),
        c[&Status::Done],
        c[&Status::Partial],
        c[&Status::NotDone]
    );
    assert!(paragraphs[2].starts_with(&summary), "{}", paragraphs[2]);

    let (repeats, rows) = &tables[0];
    assert!(repeats, "the header row repeats on every page");
    assert_eq!(rows[0], HEADERS);
    assert_eq!(rows.len(), 1 + sheet.tasks.len());
    for (row, task) in rows[1..].iter().zip(&sheet.tasks) {
        assert_eq!(row[0], task.seq.to_string());
        assert_eq!(row[1], task.goal);
        assert_eq!(status_of_cell(&row[3]), task.status);
        assert_eq!(row[4], task.leaders.clone().unwrap_or_default().join("\n"));
    }
    // Statistics: status table, unit ranking, leaders, problems; all repeat their header too.
    assert_eq!(tables.len(), 5);
    assert!(tables.iter().all(|(repeats, _)| *repeats));
    let by_status: BTreeMap<&str, &str> = tables[1]
        .1
        .iter()
        .map(|r| (r[0].as_str(), r[1].as_str()))
        .collect();
    assert_eq!(by_status["完成"], c[&Status::Done].to_string());
    assert_eq!(by_status["未完成"], c[&Status::NotDone].to_string());
    assert_eq!(by_status["未报送"], "2");
    let problems = &tables[4].1;
    assert_eq!(
        problems.len() - 1,
        c[&Status::NotDone] + c[&Status::Unreported]
    );
}

#[test]
fn html_is_one_self_contained_page() {
    let sheet = sheet();
    let bytes = render(&notice(&sheet, false), Format::Html).expect("html");
    let html = String::from_utf8(bytes).expect("utf-8");
    let page = scraper::Html::parse_document(&html);
    let select = |css: &str| scraper::Selector::parse(css).expect("selector");
    let h1: String = page
        .select(&select("h1"))
        .next()
        .expect("h1")
        .text()
        .collect();
    assert_eq!(h1, TITLE);
    let headers: Vec<String> = page
        .select(&select("table.notice thead th"))
        .map(|th| th.text().collect())
        .collect();
    assert_eq!(headers, HEADERS);
    let rows: Vec<Vec<String>> = page
        .select(&select("table.notice tbody tr"))
        .map(|tr| {
            tr.select(&select("td"))
                .map(|td| td.text().collect())
                .collect()
        })
        .collect();
    assert_eq!(rows.len(), sheet.tasks.len());
    for (row, task) in rows.iter().zip(&sheet.tasks) {
        assert_eq!(status_of_cell(&row[3]), task.status);
    }
    assert_eq!(page.select(&select("table.stats")).count(), 4);
    // Nothing fetched from elsewhere: no scripts, links or images.
    for css in ["script", "link", "img", "iframe"] {
        assert_eq!(page.select(&select(css)).count(), 0, "{css}");
    }
    assert!(html.contains("@page") && html.contains("A4 landscape"));
}

#[test]
fn markdown_table_has_one_line_per_task() {
    let sheet = sheet();
    let md = String::from_utf8(render(&notice(&sheet, false), Format::Markdown).expect("md"))
        .expect("utf-8");
    assert!(md.starts_with(&format!("# {TITLE}\n")));
    let header = format!("| {} |", HEADERS.join(" | "));
    let lines: Vec<&str> = md.lines().collect();
    let at = lines
        .iter()
        .position(|l| *l == header)
        .expect("header line");
    let table: Vec<&str> = lines[at + 2..]
        .iter()
        .take_while(|l| l.starts_with('|'))
        .copied()
        .collect();
    assert_eq!(table.len(), sheet.tasks.len());
    // Each row has exactly the six cells (no stray pipes from the text).
    for row in &table {
        let unescaped = row.replace("\\|", "");
        assert_eq!(unescaped.matches('|').count(), 7, "{row}");
    }
    assert!(md.contains("### 一、总体完成情况"));
}

#[test]
fn only_problems_lists_not_done_and_unreported() {
    let sheet = sheet();
    let n = notice(&sheet, true);
    assert_eq!(
        n.title,
        "2023年《政府工作报告》重点工作8月份未完成及未报送任务通报表"
    );
    let c = counts(&sheet);
    assert_eq!(n.rows.len(), c[&Status::NotDone] + c[&Status::Unreported]);
    assert!(
        n.rows
            .iter()
            .all(|r| matches!(r.status, Some(Status::NotDone | Status::Unreported)))
    );
    // The statistics still cover the whole ledger.
    assert_eq!(n.statistics.overall.total, sheet.tasks.len());
    for format in Format::ALL {
        assert!(!render(&n, format).expect("render").is_empty());
    }
}

#[test]
fn a_sheet_without_period_is_refused() {
    let mut sheet = sheet();
    sheet.period = None;
    let options = NoticeOptions::new(NaiveDate::from_ymd_opt(2023, 9, 5).expect("date"));
    let error = Notice::build(&sheet, &options).expect_err("no period");
    assert!(error.to_string().contains("没有指定期间"), "{error}");
}

/// A city's notice of over 5,000 rows is written a row at a time (constant memory mode): it
/// reads back row for row, with its title merged and its statistics sheet, like a small one.
#[test]
fn a_large_notice_is_written_row_by_row_and_reads_back_whole() {
    let seed = sheet();
    let mut large = seed.clone();
    large.tasks = (0..6000u32)
        .map(|i| {
            let mut task = seed.tasks[(i as usize) % seed.tasks.len()].clone();
            task.seq = i + 1;
            task
        })
        .collect();
    let bytes = render(&notice(&large, false), Format::Xlsx).expect("xlsx");
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).expect("open xlsx");
    assert_eq!(book.sheet_names(), ["通报表", "统计"]);
    let range = book.worksheet_range("通报表").expect("table sheet");
    let rows: Vec<Vec<String>> = range.rows().map(|r| r.iter().map(text).collect()).collect();
    assert_eq!(rows[0][0], TITLE);
    assert_eq!(rows[2], HEADERS);
    assert_eq!(rows.len() - 3, 6000);
    for (row, task) in rows[3..].iter().zip(&large.tasks).step_by(997) {
        assert_eq!(row[0], task.seq.to_string());
        assert_eq!(row[1], task.goal);
        assert_eq!(status_of_cell(&row[3]), task.status, "seq {}", task.seq);
    }
    let merged: Vec<_> = book
        .merge_cells_by_sheet_name("通报表")
        .expect("merged cells")
        .iter()
        .map(|d| (d.start, d.end))
        .collect();
    assert!(merged.contains(&((0, 0), (0, 5))), "{merged:?}");
    let stats = book.worksheet_range("统计").expect("statistics sheet");
    assert!(stats.rows().count() > 3);
}
