//! Tables for a terminal. comfy-table measures CJK characters as two columns, so Chinese text
//! wraps at the right place; the width follows `COLUMNS` when the shell exports it.

use std::collections::BTreeMap;

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};
use duban_core::{LedgerSheet, Status};
use duban_notice::cells::{progress_cell, target_header, unit_lines};
use duban_store::{LedgerSummary, SaveReport, UnitSummary};

const DEFAULT_WIDTH: u16 = 120;

fn table(header: &[&str]) -> Table {
    let width = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse::<u16>().ok())
        .filter(|w| *w >= 40)
        .unwrap_or(DEFAULT_WIDTH);
    let mut table = Table::new();
    table
        .load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(width)
        .set_header(header.to_vec());
    table
}

pub fn ledgers(ledgers: &[LedgerSummary]) -> String {
    let mut t = table(&["台账", "年度", "报送频次", "报送时限", "任务数", "已有期间"]);
    for l in ledgers {
        let periods: Vec<String> = l.periods.iter().map(ToString::to_string).collect();
        t.add_row(vec![
            l.ledger.name.clone(),
            l.ledger.year.to_string(),
            l.ledger.cadence.label_zh().to_owned(),
            format!("期满后{}个工作日", l.ledger.deadline.working_days),
            l.tasks.to_string(),
            periods.join(" "),
        ]);
    }
    t.to_string()
}

pub fn units(units: &[UnitSummary]) -> String {
    let mut t = table(&["单位", "类型", "别名", "牵头任务", "参与任务"]);
    for u in units {
        t.add_row(vec![
            u.unit.name.clone(),
            u.unit.kind.label_zh().to_owned(),
            u.unit.aliases.join("、"),
            u.tasks_led.to_string(),
            u.tasks_total.to_string(),
        ]);
    }
    t.to_string()
}

/// Sequence numbers for a summary line: all of them when few, else the first ones and a count.
fn seq_list(seqs: &[u32]) -> String {
    const SHOWN: usize = 20;
    let shown: Vec<String> = seqs.iter().take(SHOWN).map(ToString::to_string).collect();
    if seqs.len() > SHOWN {
        format!("{} 等 {} 项", shown.join("、"), seqs.len())
    } else {
        shown.join("、")
    }
}

pub fn sheet(sheet: &LedgerSheet) -> String {
    let has = |c: &str| sheet.columns.iter().any(|x| x == c);
    let target_header = target_header(sheet.period);
    let mut header = vec!["序号", "年度目标任务"];
    if has("target") {
        header.push(&target_header);
    }
    if has("progress") {
        header.push("完成情况");
    }
    if has("leaders") {
        header.push("分管领导");
    }
    if has("units") {
        header.push("责任单位");
    }
    let mut t = table(&header);
    for task in &sheet.tasks {
        let mut row = vec![task.seq.to_string(), task.goal.clone()];
        if has("target") {
            row.push(task.target.clone().unwrap_or_default());
        }
        if has("progress") {
            row.push(progress_cell(task.status, task.progress.as_deref()));
        }
        if has("leaders") {
            row.push(task.leaders.clone().unwrap_or_default().join("\n"));
        }
        if has("units") {
            row.push(unit_lines(task.units.as_deref().unwrap_or_default()).join("\n"));
        }
        t.add_row(row);
    }
    let period = sheet
        .period
        .map(|p| format!(" · {}", p.label_zh()))
        .unwrap_or_default();
    format!(
        "{}{period} · {} 项任务{}\n{t}",
        sheet.ledger,
        sheet.tasks.len(),
        status_counts(sheet)
    )
}

/// " · 完成 3、部分完成 1" for the tasks that carry a status.
fn status_counts(sheet: &LedgerSheet) -> String {
    let mut counts: BTreeMap<Status, usize> = BTreeMap::new();
    for status in sheet.tasks.iter().filter_map(|t| t.status) {
        *counts.entry(status).or_default() += 1;
    }
    if counts.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = counts
        .iter()
        .map(|(s, n)| format!("{} {n}", s.label_zh()))
        .collect();
    format!(" · {}", parts.join("、"))
}

pub fn import_summary(sheet: &LedgerSheet, report: Option<&SaveReport>) -> String {
    let period = sheet
        .period
        .map(|p| format!("（{}）", p.label_zh()))
        .unwrap_or_default();
    let mut lines = vec![format!(
        "{}{period}：{} 项任务{}",
        sheet.ledger,
        sheet.tasks.len(),
        status_counts(sheet)
    )];
    if let Some(r) = report {
        lines.push(format!(
            "新增 {} 项，更新 {} 项，未变 {} 项{}",
            r.tasks_added,
            r.tasks_updated,
            r.tasks_unchanged,
            if r.ledger_created {
                "；新建台账"
            } else {
                ""
            }
        ));
        if !r.matched_by_goal.is_empty() {
            lines.push(format!(
                "按年度目标任务匹配到已有任务（表中序号不同）：序号 {}",
                seq_list(&r.matched_by_goal)
            ));
        }
        if !r.units_created.is_empty() {
            lines.push(format!(
                "新单位 {} 个：{}",
                r.units_created.len(),
                r.units_created.join("、")
            ));
        }
    }
    lines.join("\n")
}
