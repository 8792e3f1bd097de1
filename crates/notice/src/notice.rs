//! The notice's table: which columns it has, what each row's cells say.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use duban_core::{Escalation, LedgerSheet, Period, Status};
use serde::{Deserialize, Serialize};

use crate::NoticeError;
use crate::cells::{progress_cell, target_header, title, unit_lines};
use crate::stats::Statistics;

/// What the office chooses when it publishes.
#[derive(Debug, Clone)]
pub struct NoticeOptions {
    /// The date printed under the title (印发日期).
    pub date: NaiveDate,
    /// Only the tasks not done or not reported (the shorter notice).
    pub only_problems: bool,
    /// The leaders column's header: 分管区领导 in a district, 分管市领导 in a city.
    pub leader_header: String,
    /// What is printed beside the sheet: escalation and evidence.
    pub marks: NoticeMarks,
}

/// What a notice prints beside the ledger as frozen, decided when it is published (by the
/// operations layer, which knows deadlines and files) and kept with it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeMarks {
    /// 三色督办 of the tasks not reported, by 序号.
    #[serde(default)]
    pub escalation: BTreeMap<u32, Escalation>,
    /// The evidence (佐证材料) of each task's reports, by 序号: one line per file ("单位：名称").
    /// None when the office did not ask for the column.
    #[serde(default)]
    pub evidence: Option<BTreeMap<u32, Vec<String>>>,
    /// Findings of inspections past their rectification deadline and not closed as of the
    /// notice's date (逾期未整改), listed after the statistics.
    #[serde(default)]
    pub overdue_rectifications: Vec<OverdueRectification>,
}

/// A finding not rectified in time, as the notice lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverdueRectification {
    pub seq: u32,
    pub unit: String,
    /// The inspection (day and kind) and what it found.
    pub found: String,
    /// The rectification's deadline (YYYY-MM-DD).
    pub due: String,
}

impl NoticeOptions {
    pub fn new(date: NaiveDate) -> NoticeOptions {
        NoticeOptions {
            date,
            only_problems: false,
            leader_header: "分管区领导".to_owned(),
            marks: NoticeMarks::default(),
        }
    }
}

/// A column of the notice table, in the offices' order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Seq,
    Goal,
    Target,
    Progress,
    /// 督办等级, when a task not reported is escalated.
    Escalation,
    Leaders,
    Units,
    /// 佐证材料, when the office lists the evidence.
    Evidence,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeRow {
    pub seq: u32,
    pub goal: String,
    pub target: Option<String>,
    pub status: Option<Status>,
    /// The 完成情况 cell, opened by the status word.
    pub progress: String,
    pub leaders: Vec<String>,
    /// The 责任单位 cell, one unit per line, the lead first.
    pub units: Vec<String>,
    /// 黄色督办 or 红色督办 for a task not reported in time.
    pub escalation: Option<Escalation>,
    /// The files its units attached, one per line.
    pub evidence: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Notice {
    pub title: String,
    pub ledger: String,
    pub period: Period,
    pub date: NaiveDate,
    pub only_problems: bool,
    pub columns: Vec<Column>,
    pub rows: Vec<NoticeRow>,
    /// Figures of all the ledger's tasks, also in the shorter notice.
    pub statistics: Statistics,
    /// Findings not rectified in time (逾期未整改) as of the notice's date.
    pub overdue_rectifications: Vec<OverdueRectification>,
    target_header: String,
    leader_header: String,
}

impl Notice {
    /// The notice of one period's sheet. Columns the ledger has no data for are left out,
    /// except 完成情况, which a notice always has.
    pub fn build(sheet: &LedgerSheet, options: &NoticeOptions) -> Result<Notice, NoticeError> {
        let period = sheet.period.ok_or_else(|| NoticeError::NoPeriod {
            ledger: sheet.ledger.clone(),
        })?;
        let has = |c: &str| sheet.columns.iter().any(|x| x == c);
        let mut columns = vec![Column::Seq, Column::Goal];
        if has("target") || sheet.tasks.iter().any(|t| t.target.is_some()) {
            columns.push(Column::Target);
        }
        columns.push(Column::Progress);
        let marks = &options.marks;
        let escalated = |seq: u32| marks.escalation.get(&seq).copied();
        if sheet.tasks.iter().any(|t| escalated(t.seq).is_some()) {
            columns.push(Column::Escalation);
        }
        if has("leaders") || sheet.tasks.iter().any(|t| t.leaders.is_some()) {
            columns.push(Column::Leaders);
        }
        if has("units") || sheet.tasks.iter().any(|t| t.units.is_some()) {
            columns.push(Column::Units);
        }
        if marks.evidence.is_some() {
            columns.push(Column::Evidence);
        }
        let rows = sheet
            .tasks
            .iter()
            .filter(|t| {
                !options.only_problems
                    || matches!(t.status, Some(Status::NotDone | Status::Unreported))
            })
            .map(|t| NoticeRow {
                seq: t.seq,
                goal: t.goal.clone(),
                target: t.target.clone(),
                status: t.status,
                progress: progress_cell(t.status, t.progress.as_deref()),
                leaders: t.leaders.clone().unwrap_or_default(),
                units: unit_lines(t.units.as_deref().unwrap_or_default()),
                escalation: escalated(t.seq),
                evidence: marks
                    .evidence
                    .as_ref()
                    .and_then(|e| e.get(&t.seq))
                    .cloned()
                    .unwrap_or_default(),
            })
            .collect();
        Ok(Notice {
            title: title(&sheet.ledger, period, options.only_problems),
            ledger: sheet.ledger.clone(),
            period,
            date: options.date,
            only_problems: options.only_problems,
            columns,
            rows,
            statistics: Statistics::of(sheet),
            overdue_rectifications: options.marks.overdue_rectifications.clone(),
            target_header: target_header(Some(period)),
            leader_header: options.leader_header.clone(),
        })
    }

    pub fn header(&self, column: Column) -> &str {
        match column {
            Column::Seq => "序号",
            Column::Goal => "年度目标任务",
            Column::Target => &self.target_header,
            Column::Progress => "完成情况",
            Column::Escalation => "督办等级",
            Column::Leaders => &self.leader_header,
            Column::Units => "责任单位",
            Column::Evidence => "佐证材料",
        }
    }

    pub fn headers(&self) -> Vec<&str> {
        self.columns.iter().map(|c| self.header(*c)).collect()
    }

    /// A cell's text; several leaders or units are one per line.
    pub fn cell(&self, row: &NoticeRow, column: Column) -> String {
        match column {
            Column::Seq => row.seq.to_string(),
            Column::Goal => row.goal.clone(),
            Column::Target => row.target.clone().unwrap_or_default(),
            Column::Progress => row.progress.clone(),
            Column::Escalation => row
                .escalation
                .map(|e| e.label_zh().to_owned())
                .unwrap_or_default(),
            Column::Leaders => row.leaders.join("\n"),
            Column::Units => row.units.join("\n"),
            Column::Evidence => row.evidence.join("\n"),
        }
    }

    /// A row's cells in column order.
    pub fn row_cells(&self, row: &NoticeRow) -> Vec<String> {
        self.columns.iter().map(|c| self.cell(row, *c)).collect()
    }

    /// The date as printed: 2023年9月5日.
    pub fn date_zh(&self) -> String {
        crate::cells::date_zh(self.date)
    }

    /// One line under the title: what the figures say in a sentence, as offices open a notice.
    pub fn summary_zh(&self) -> String {
        let t = &self.statistics.overall;
        let mut text = format!(
            "共{}项任务，完成{}项，部分完成{}项，未完成{}项，未报送{}项",
            t.total, t.done, t.partial, t.not_done, t.unreported
        );
        if t.pending > 0 {
            text.push_str(&format!("，待评定{}项", t.pending));
        }
        text.push_str(&format!("，完成率{}", t.rate_text()));
        let level = |level| {
            self.rows
                .iter()
                .filter(|r| r.escalation == Some(level))
                .count()
        };
        let (red, yellow) = (level(Escalation::Red), level(Escalation::Yellow));
        if red + yellow > 0 {
            text.push_str(&format!(
                "；逾期未报送的，红色督办{red}项、黄色督办{yellow}项"
            ));
        }
        text.push('。');
        text
    }
}

/// One table of the statistics section, already in words and figures as printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatTable {
    pub title: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

fn strings<const N: usize>(items: [&str; N]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

fn share(part: usize, total: usize) -> String {
    if total == 0 {
        "0.0%".to_owned()
    } else {
        format!("{:.1}%", part as f64 * 100.0 / total as f64)
    }
}

impl Notice {
    /// The statistics section as tables: by status, units ranked, leaders, problem tasks.
    pub fn stat_tables(&self) -> Vec<StatTable> {
        let s = &self.statistics;
        let t = &s.overall;
        let mut by_status = vec![
            ("完成", t.done),
            ("部分完成", t.partial),
            ("未完成", t.not_done),
            ("未报送", t.unreported),
        ];
        if t.pending > 0 {
            by_status.push(("待评定", t.pending));
        }
        let mut status_rows: Vec<Vec<String>> = by_status
            .iter()
            .map(|(word, n)| vec![(*word).to_owned(), n.to_string(), share(*n, t.total)])
            .collect();
        status_rows.push(vec![
            "合计".to_owned(),
            t.total.to_string(),
            share(t.total, t.total),
        ]);

        let tally_cells = |tally: &crate::Tally| {
            vec![
                tally.total.to_string(),
                tally.done.to_string(),
                tally.partial.to_string(),
                tally.not_done.to_string(),
                tally.unreported.to_string(),
                tally.rate_text(),
            ]
        };
        let unit_rows = s
            .units
            .iter()
            .map(|u| {
                let mut row = vec![u.rank.to_string(), u.name.clone()];
                row.extend(tally_cells(&u.tally));
                row
            })
            .collect();
        let leader_rows = s
            .leaders
            .iter()
            .map(|l| {
                let mut row = vec![l.name.clone()];
                row.extend(tally_cells(&l.tally));
                row
            })
            .collect();
        let problem_rows = s
            .problems
            .iter()
            .map(|p| {
                vec![
                    p.seq.to_string(),
                    p.goal.clone(),
                    p.status.label_zh().to_owned(),
                    p.units.join("\n"),
                    p.leaders.join("\n"),
                ]
            })
            .collect();
        let mut tables = vec![
            StatTable {
                title: format!("一、总体完成情况（完成率{}）", t.rate_text()),
                headers: strings(["完成状态", "任务数", "占比"]),
                rows: status_rows,
            },
            StatTable {
                title: "二、责任单位完成情况排名（按牵头任务）".to_owned(),
                headers: strings([
                    "排名",
                    "责任单位",
                    "牵头任务",
                    "完成",
                    "部分完成",
                    "未完成",
                    "未报送",
                    "完成率",
                ]),
                rows: unit_rows,
            },
            StatTable {
                title: format!("三、{}任务完成情况", self.leader_header),
                headers: vec![
                    self.leader_header.clone(),
                    "任务数".to_owned(),
                    "完成".to_owned(),
                    "部分完成".to_owned(),
                    "未完成".to_owned(),
                    "未报送".to_owned(),
                    "完成率".to_owned(),
                ],
                rows: leader_rows,
            },
            StatTable {
                title: "四、未完成及未报送任务".to_owned(),
                headers: vec![
                    "序号".to_owned(),
                    "年度目标任务".to_owned(),
                    "完成状态".to_owned(),
                    "责任单位".to_owned(),
                    self.leader_header.clone(),
                ],
                rows: problem_rows,
            },
        ];
        if !self.overdue_rectifications.is_empty() {
            tables.push(StatTable {
                title: "五、督查发现问题逾期未整改".to_owned(),
                headers: strings(["序号", "责任单位", "督查发现的问题", "整改时限"]),
                rows: self
                    .overdue_rectifications
                    .iter()
                    .map(|r| {
                        vec![
                            r.seq.to_string(),
                            r.unit.clone(),
                            r.found.clone(),
                            r.due.clone(),
                        ]
                    })
                    .collect(),
            });
        }
        tables
    }
}
