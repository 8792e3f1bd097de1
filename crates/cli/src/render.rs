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
    status_line(&ImportTally::of(sheet).statuses)
}

/// How many tasks a table has and how many carry each status: counted as a large file is read,
/// which is not kept.
#[derive(Debug, Clone, Default)]
pub struct ImportTally {
    pub tasks: usize,
    pub statuses: BTreeMap<Status, usize>,
}

impl ImportTally {
    pub fn of(sheet: &LedgerSheet) -> ImportTally {
        let mut tally = ImportTally::default();
        sheet.tasks.iter().for_each(|t| tally.add(t));
        tally
    }

    pub fn add(&mut self, task: &duban_core::SheetTask) {
        self.tasks += 1;
        if let Some(status) = task.status {
            *self.statuses.entry(status).or_default() += 1;
        }
    }
}

fn status_line(counts: &BTreeMap<Status, usize>) -> String {
    if counts.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = counts
        .iter()
        .map(|(s, n)| format!("{} {n}", s.label_zh()))
        .collect();
    format!(" · {}", parts.join("、"))
}

/// What an import read (`head`: the sheet's name and period) and, when it was written, changed.
pub fn import_summary(
    head: &LedgerSheet,
    tally: &ImportTally,
    report: Option<&SaveReport>,
) -> String {
    let period = head
        .period
        .map(|p| format!("（{}）", p.label_zh()))
        .unwrap_or_default();
    let mut lines = vec![format!(
        "{}{period}：{} 项任务{}",
        head.ledger,
        tally.tasks,
        status_line(&tally.statuses)
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

pub fn targets(targets: &[duban_core::Target]) -> String {
    let mut t = table(&["指标", "类型", "数值", "单位", "界限", "力争"]);
    for target in targets {
        // A figure without a bound word shows none.
        let bound = match target.bound {
            duban_core::Bound::Exact => "",
            other => other.label_zh(),
        };
        let value = match target.upper {
            Some(u) => format!("{}–{}", target.value, u),
            None => target.value.to_string(),
        };
        t.add_row(vec![
            target.metric.clone(),
            target.kind.label_zh().to_owned(),
            value,
            target.uom.clone(),
            bound.to_owned(),
            if target.aspirational { "是" } else { "" }.to_owned(),
        ]);
    }
    t.to_string()
}

pub fn assessments(assessments: &[duban_extract::assess::Assessment]) -> String {
    let mut t = table(&["序号", "记录", "建议", "依据", "需复核"]);
    for a in assessments {
        let evidence: Vec<String> = a
            .evidence
            .iter()
            .map(|e| {
                let verdict = match e.met {
                    Some(true) => "达到",
                    Some(false) => "未达到",
                    None => "无对应数据",
                };
                match &e.reported {
                    Some(r) => format!("{} ← {}（{verdict}）", e.target, r),
                    None => format!("{}（{verdict}）", e.target),
                }
            })
            .collect();
        let mut evidence = evidence.join("\n");
        if a.from_goal && !a.evidence.is_empty() {
            evidence.push_str("\n（阶段目标无量化指标，按年度目标和时序进度判断）");
        }
        for s in &a.statements {
            if !evidence.is_empty() {
                evidence.push('\n');
            }
            evidence.push_str(&format!(
                "“{}”{}：{}",
                s.phrase,
                s.says.label_zh(),
                s.clause
            ));
        }
        t.add_row(vec![
            a.seq.to_string(),
            a.recorded.map(|s| s.label_zh()).unwrap_or("").to_owned(),
            a.suggested.label_zh().to_owned(),
            evidence,
            if a.review { "是" } else { "" }.to_owned(),
        ]);
    }
    t.to_string()
}

/// The agreement table: recorded status down, suggestion across, and the share judged.
pub fn agreement(agreement: &duban_extract::assess::Agreement) -> String {
    use duban_extract::assess::Agreement;
    let mut header = vec!["记录＼建议"];
    header.extend(Agreement::SUGGESTIONS.iter().map(|s| s.label_zh()));
    header.push("合计");
    let mut t = table(&header);
    let mut statuses: Vec<Option<Status>> = Status::ALL.iter().copied().map(Some).collect();
    statuses.push(None);
    for status in statuses {
        let counts: Vec<usize> = Agreement::SUGGESTIONS
            .iter()
            .map(|s| agreement.count(status, *s))
            .collect();
        let total: usize = counts.iter().sum();
        if total == 0 {
            continue;
        }
        let mut cells = vec![status.map_or("待评定", |s| s.label_zh()).to_owned()];
        cells.extend(counts.iter().map(ToString::to_string));
        cells.push(total.to_string());
        t.add_row(cells);
    }
    let share = |n: usize, d: usize| {
        if d == 0 {
            0.0
        } else {
            n as f64 * 100.0 / d as f64
        }
    };
    format!(
        "{t}\n可判断 {} 项 / 共 {} 项（{:.1}%）；其中与记录一致 {} 项（{:.1}%），需复核 {} 项",
        agreement.committed,
        agreement.total,
        share(agreement.committed, agreement.total),
        agreement.agreed,
        share(agreement.agreed, agreement.committed),
        agreement.committed - agreement.agreed
    )
}

/// One paragraph on what a document import found.
pub fn document_summary(
    read: &duban_core::DocumentRead,
    saved: Option<duban_store::SavedDocument>,
) -> String {
    use duban_core::{Attribute, DocumentKind};
    let mut head = read.title.clone();
    let mut about = Vec::new();
    if let Some(date) = read.date {
        about.push(date.to_string());
    }
    if let Some(number) = &read.number {
        about.push(number.clone());
    }
    if let Some(speaker) = &read.speaker {
        about.push(speaker.clone());
    }
    if !about.is_empty() {
        head.push_str(&format!("（{}）", about.join("，")));
    }
    let top = read.sections.iter().filter(|s| s.level == 1).count();
    let mut parts = vec![format!(
        "{}：{} 个一级标题、{} 个标题，{} 段",
        read.kind.label_zh(),
        top,
        read.sections.len(),
        read.passages.len()
    )];
    if read.kind == DocumentKind::Report || !read.glossary.is_empty() {
        parts.push(format!("词语解释 {} 条", read.glossary.len()));
    }
    if read.kind == DocumentKind::Plan || !read.indicators.is_empty() {
        let expected = read
            .indicators
            .iter()
            .filter(|i| i.attribute == Attribute::Expected)
            .count();
        parts.push(format!(
            "主要指标 {} 项（预期性 {}、约束性 {}）",
            read.indicators.len(),
            expected,
            read.indicators.len() - expected
        ));
        let boxes: std::collections::BTreeSet<&str> =
            read.projects.iter().map(|p| p.box_name.as_str()).collect();
        parts.push(format!(
            "专栏 {} 个、重点项目 {} 个",
            boxes.len(),
            read.projects.len()
        ));
    }
    let stored = match saved {
        Some(s) if s.existing => format!("\n同一文件已导入过（编号 {}），未作改动", s.id),
        Some(s) => format!("\n已导入，文件编号 {}", s.id),
        None => String::new(),
    };
    format!("{head}\n{}{stored}", parts.join("；"))
}

pub fn documents(documents: &[duban_store::DocumentSummary]) -> String {
    let mut t = table(&[
        "编号",
        "类型",
        "标题",
        "日期",
        "段落",
        "词语解释",
        "指标",
        "专栏项目",
    ]);
    for d in documents {
        t.add_row(vec![
            d.document.id.to_string(),
            d.document.kind.label_zh().to_owned(),
            d.document.title.clone(),
            d.document.date.map(|d| d.to_string()).unwrap_or_default(),
            d.passages.to_string(),
            d.glossary.to_string(),
            d.indicators.to_string(),
            d.projects.to_string(),
        ]);
    }
    t.to_string()
}

pub fn proposals(sheet: &LedgerSheet) -> String {
    let mut t = table(&["序号", "候选任务", "出处", "词语解释"]);
    for task in &sheet.tasks {
        let source = task.source.as_ref();
        t.add_row(vec![
            task.seq.to_string(),
            task.goal.clone(),
            source
                .and_then(|s| s.headings.last().cloned())
                .unwrap_or_default(),
            source
                .map(|s| {
                    s.terms
                        .iter()
                        .map(|g| format!("{}：{}", g.term, g.explanation))
                        .collect::<Vec<_>>()
                        .join("\n")
                })
                .unwrap_or_default(),
        ]);
    }
    t.to_string()
}

pub fn links(rows: &[duban_app::documents::LinkRow]) -> String {
    let mut t = table(&["序号", "任务", "得分", "出处", "原文"]);
    for row in rows {
        let quoted = match (&row.passage, row.span) {
            (Some(passage), Some([start, end])) => {
                passage.chars().skip(start).take(end - start).collect()
            }
            _ => "（未找到）".to_owned(),
        };
        t.add_row(vec![
            row.seq.to_string(),
            row.goal.clone(),
            row.score.map(|s| format!("{s:.2}")).unwrap_or_default(),
            row.headings
                .as_ref()
                .and_then(|h| h.last().cloned())
                .unwrap_or_default(),
            quoted,
        ]);
    }
    t.to_string()
}

pub fn channels(channels: &[duban_store::Channel]) -> String {
    let mut t = table(&["编号", "单位", "账号", "类型", "地址", "加签"]);
    for c in channels {
        t.add_row(vec![
            c.id.to_string(),
            c.unit.clone().unwrap_or_default(),
            c.account.clone().unwrap_or_default(),
            c.kind.clone(),
            c.address.clone(),
            if c.signed { "是" } else { "" }.to_owned(),
        ]);
    }
    t.to_string()
}

pub fn deliveries(deliveries: &[duban_store::Delivery]) -> String {
    let mut t = table(&["日期", "类型", "地址", "标题", "结果", "次数", "原因"]);
    for d in deliveries {
        t.add_row(vec![
            d.day.clone(),
            d.kind.clone(),
            d.address.clone(),
            d.subject.clone(),
            if d.state == "sent" {
                "已发送"
            } else {
                "失败"
            }
            .to_owned(),
            d.attempts.to_string(),
            d.error.clone().unwrap_or_default(),
        ]);
    }
    t.to_string()
}
