//! Tables for a terminal. comfy-table measures CJK characters as two columns, so Chinese text
//! wraps at the right place; the width follows `COLUMNS` when the shell exports it.

use std::collections::BTreeMap;

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};
use duban_core::{LedgerSheet, Role, SheetUnit, Status};
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

/// Units as a notice writes them: the lead first and marked, data sources named as such.
/// One per line, as in the notice's cell, so a name is never wrapped in the middle.
pub fn unit_list(units: &[SheetUnit]) -> Vec<String> {
    let mut ordered: Vec<&SheetUnit> = units.iter().collect();
    ordered.sort_by_key(|u| u.role != Role::Lead);
    ordered
        .iter()
        .map(|u| match u.role {
            Role::Lead => format!("{}（牵头）", u.name),
            Role::Support => u.name.clone(),
            Role::DataSource => format!("{}（提供数据）", u.name),
        })
        .collect()
}

/// The 完成情况 cell: the status word opens it, as in the notices.
fn progress_cell(status: Option<Status>, text: Option<&str>) -> String {
    match (status, text.filter(|t| !t.is_empty())) {
        (Some(s), Some(t)) => format!("{}。{t}", s.label_zh()),
        (Some(s), None) => s.label_zh().to_owned(),
        (None, Some(t)) => format!("（待评定）{t}"),
        (None, None) => String::new(),
    }
}

fn period_header(sheet: &LedgerSheet) -> String {
    match sheet.period {
        Some(duban_core::Period::Month(_, m)) => format!("{m}月份目标任务"),
        Some(p) => {
            let label = p.label_zh();
            let without_year = label
                .split_once('年')
                .map_or(label.as_str(), |(_, rest)| rest);
            format!("{without_year}目标")
        }
        None => "阶段目标".to_owned(),
    }
}

pub fn sheet(sheet: &LedgerSheet) -> String {
    let has = |c: &str| sheet.columns.iter().any(|x| x == c);
    let target_header = period_header(sheet);
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
            row.push(unit_list(task.units.as_deref().unwrap_or_default()).join("\n"));
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
            let seqs: Vec<String> = r.matched_by_goal.iter().map(ToString::to_string).collect();
            lines.push(format!(
                "按年度目标任务匹配到已有任务（表中序号不同）：序号 {}",
                seqs.join("、")
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_are_listed_lead_first() {
        let units = vec![
            SheetUnit {
                name: "区财政局".into(),
                role: Role::Support,
            },
            SheetUnit {
                name: "区统计局".into(),
                role: Role::DataSource,
            },
            SheetUnit {
                name: "区发改局".into(),
                role: Role::Lead,
            },
        ];
        assert_eq!(
            unit_list(&units),
            ["区发改局（牵头）", "区财政局", "区统计局（提供数据）"]
        );
    }

    #[test]
    fn progress_cells_open_with_the_status_word() {
        assert_eq!(
            progress_cell(Some(Status::Partial), Some("增长6.29%")),
            "部分完成。增长6.29%"
        );
        assert_eq!(progress_cell(Some(Status::Unreported), None), "未报送");
        assert_eq!(progress_cell(None, Some("文字")), "（待评定）文字");
    }
}
