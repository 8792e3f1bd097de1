//! From a grid of cells (any format's rows and columns) to a ledger sheet, with warnings.
//!
//! Every reader (PDF text, TSV/HTML, csv, xlsx) produces a `Grid`; this module alone decides what
//! the cells mean, so all formats judge the same way.

use std::collections::BTreeMap;

use duban_core::{LedgerSheet, Period, SheetTask, SheetUnit};

use crate::ExtractError;
use crate::cells::{split_leaders, split_status, split_units};
use crate::columns::{ColumnKind, TitleInfo, classify, names_a_table, read_title};

/// A table as read from a file, before meaning is given to its cells.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Grid {
    /// The title line above the header, if any.
    pub title: Option<String>,
    pub header: Vec<String>,
    /// Where the header is (a line number or a cell address), for messages.
    pub header_place: String,
    pub rows: Vec<GridRow>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GridRow {
    /// Where the row starts (第 12 行, A5 …), for warnings.
    pub place: String,
    pub cells: Vec<String>,
}

/// Something the reader noticed and did not drop silently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub place: String,
    pub message: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}：{}", self.place, self.message)
    }
}

/// What the caller knows better than the file.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    pub ledger: Option<String>,
    pub period: Option<Period>,
}

/// A sheet and what was noticed while reading it.
#[derive(Debug, Clone, PartialEq)]
pub struct TableRead {
    pub sheet: LedgerSheet,
    pub warnings: Vec<Warning>,
}

/// Finds the table in rows of cells (from a spreadsheet, csv or TSV): the header is the first row
/// naming a goal column among at least two recognized columns; the title is the nearest row above
/// it with text in one cell only; empty rows are skipped.
pub fn grid_from_rows(rows: &[(String, Vec<String>)], origin: &str) -> Result<Grid, ExtractError> {
    let header_at = rows
        .iter()
        .position(|(_, cells)| {
            let kinds: Vec<ColumnKind> = cells.iter().map(|c| classify(c)).collect();
            kinds.contains(&ColumnKind::Goal)
                && kinds.iter().filter(|k| **k != ColumnKind::Other).count() >= 2
        })
        .ok_or_else(|| ExtractError::NoHeader {
            origin: origin.to_owned(),
            found: rows
                .iter()
                .map(|(_, cells)| {
                    cells
                        .iter()
                        .map(|c| c.trim())
                        .filter(|c| !c.is_empty())
                        .collect::<Vec<_>>()
                        .join(" | ")
                })
                .find(|line| !line.is_empty())
                .map(|line| line.chars().take(60).collect())
                .unwrap_or_default(),
        })?;
    // Single-cell rows above the header. A line wholly in brackets is a note under the title
    // (（2023年9月5日）, （截至8月底）), not the title; among the rest, one that names a table
    // (…通报表, …分解表) wins over a nearer line such as an issuing office's name.
    let candidates: Vec<&str> = rows[..header_at]
        .iter()
        .rev()
        .filter_map(|(_, cells)| {
            let texts: Vec<&str> = cells
                .iter()
                .map(|c| c.trim())
                .filter(|c| !c.is_empty())
                .collect();
            match texts[..] {
                [only]
                    if only != "附件"
                        && !only.chars().all(|c| c.is_ascii_digit())
                        && !is_bracketed_note(only) =>
                {
                    Some(only)
                }
                _ => None,
            }
        })
        .collect();
    let title = candidates
        .iter()
        .find(|t| names_a_table(t))
        .or(candidates.first())
        .map(|t| (*t).to_owned());
    let (header_place, mut header) = rows[header_at].clone();
    let mut body_at = header_at + 1;
    if let Some((_, lower)) = rows.get(body_at)
        && is_second_header_row(&header, lower)
    {
        header = merge_header_rows(&header, lower);
        body_at += 1;
    }
    let data = rows[body_at..]
        .iter()
        .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()))
        .map(|(place, cells)| GridRow {
            place: place.clone(),
            cells: cells.clone(),
        })
        .collect();
    Ok(Grid {
        title,
        header,
        header_place,
        rows: data,
    })
}

/// A second header row under cells that span it (阶段目标 over 第三季度目标 / 第四季度目标):
/// short cells that all name columns, and no row number under 序号.
fn is_second_header_row(header: &[String], lower: &[String]) -> bool {
    let filled: Vec<&str> = lower
        .iter()
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
        .collect();
    let seq_column = header.iter().position(|h| classify(h) == ColumnKind::Seq);
    let numbered = seq_column
        .and_then(|s| lower.get(s))
        .is_some_and(|c| parse_seq(c).is_some());
    !filled.is_empty()
        && !numbered
        && filled
            .iter()
            .all(|c| c.chars().count() <= 12 && classify(c) != ColumnKind::Other)
        && lower
            .iter()
            .zip(header)
            .any(|(l, h)| !l.trim().is_empty() && l.trim() != h.trim())
}

/// Each column's name from both header rows: the lower one under a spanning cell, both where
/// they differ (阶段目标 + 第三季度目标), one where a cell merged down repeats itself.
fn merge_header_rows(upper: &[String], lower: &[String]) -> Vec<String> {
    (0..upper.len().max(lower.len()))
        .map(|i| {
            let u = upper.get(i).map_or("", |s| s.trim());
            let l = lower.get(i).map_or("", |s| s.trim());
            if l.is_empty() || l == u {
                u.to_owned()
            } else if u.is_empty() {
                l.to_owned()
            } else {
                format!("{u}{l}")
            }
        })
        .collect()
}

/// A row number as written in a 序号 cell: 1, 1., 1、, （1）.
pub(crate) fn parse_seq(text: &str) -> Option<u32> {
    text.trim()
        .trim_end_matches(['.', '、', '．', ' '])
        .trim_start_matches(['（', '('])
        .trim_end_matches(['）', ')'])
        .parse()
        .ok()
}

/// A line wholly inside one pair of brackets: （2023年9月5日）, (截至8月底).
fn is_bracketed_note(text: &str) -> bool {
    let inner = text
        .strip_prefix(['（', '('])
        .and_then(|t| t.strip_suffix(['）', ')']));
    inner.is_some_and(|inner| !inner.contains(['（', '(', '）', ')']))
}

/// Gives the grid's cells their meaning.
pub fn sheet_from_grid(
    grid: &Grid,
    origin: &str,
    options: &ReadOptions,
) -> Result<TableRead, ExtractError> {
    let mut kinds: Vec<ColumnKind> = grid.header.iter().map(|h| classify(h)).collect();
    // Beside a 牵头单位 column, a plain 责任单位 column holds the others: support units.
    if kinds.contains(&ColumnKind::Units(Some(duban_core::Role::Lead))) {
        for kind in &mut kinds {
            if *kind == ColumnKind::Units(None) {
                *kind = ColumnKind::Units(Some(duban_core::Role::Support));
            }
        }
    }
    if !kinds.contains(&ColumnKind::Goal) {
        return Err(ExtractError::NoHeader {
            origin: origin.to_owned(),
            found: grid.header.join(" | "),
        });
    }
    let title = grid.title.as_deref().map(read_title).unwrap_or_default();
    let year = options.period.map(|p| p.year()).or(title.year);
    let period = options
        .period
        .or_else(|| Some(title.part?.in_year(year?)))
        .or_else(|| single_target_period(&kinds, year));
    let ledger = match (&options.ledger, &title) {
        (Some(name), _) => name.clone(),
        (
            None,
            TitleInfo {
                ledger: Some(name), ..
            },
        ) => name.clone(),
        _ => {
            return Err(ExtractError::NoLedgerName {
                origin: origin.to_owned(),
            });
        }
    };

    let mut warnings = Vec::new();
    let target_columns: Vec<(usize, Option<Period>)> = kinds
        .iter()
        .enumerate()
        .filter_map(|(i, k)| match k {
            ColumnKind::Target(part) => {
                Some((i, part.and_then(|p| Some(p.in_year(year?))).or(period)))
            }
            _ => None,
        })
        .collect();
    for (i, p) in &target_columns {
        if p.is_none() {
            warnings.push(Warning {
                place: grid.header_place.clone(),
                message: format!(
                    "无法确定“{}”列所属期间（年份不明），该列未导入",
                    grid.header[*i].trim()
                ),
            });
        }
    }
    let several_targets = target_columns.iter().filter(|(_, p)| p.is_some()).count() > 1
        || target_columns
            .iter()
            .any(|(_, p)| p.is_some() && *p != period);

    let mut tasks: Vec<SheetTask> = Vec::new();
    let mut previous_seq: Option<u32> = None;
    for row in &grid.rows {
        let cell = |kind: ColumnKind| -> Option<&str> {
            kinds
                .iter()
                .position(|k| *k == kind)
                .and_then(|i| row.cells.get(i))
                .map(String::as_str)
        };
        let warn = |warnings: &mut Vec<Warning>, message: String| {
            warnings.push(Warning {
                place: row.place.clone(),
                message,
            });
        };
        let seq_text = cell(ColumnKind::Seq).map(str::trim).unwrap_or_default();
        let seq = match parse_seq(seq_text) {
            Some(n) => n,
            None => {
                let guess = previous_seq.map_or(1, |p| p + 1);
                if kinds.contains(&ColumnKind::Seq) {
                    warn(
                        &mut warnings,
                        format!("序号“{seq_text}”不是数字，按顺序取 {guess}"),
                    );
                }
                guess
            }
        };
        if let Some(prev) = previous_seq
            && seq != prev + 1
        {
            warn(&mut warnings, format!("序号 {seq} 不接续上一行的 {prev}"));
        }
        previous_seq = Some(seq);
        let goal = cell(ColumnKind::Goal).map(str::trim).unwrap_or_default();
        if goal.is_empty() {
            warn(
                &mut warnings,
                format!("序号 {seq} 的年度目标任务为空，该行未导入"),
            );
            continue;
        }
        if tasks.iter().any(|t| t.seq == seq) {
            warn(&mut warnings, format!("序号 {seq} 重复，该行未导入"));
            continue;
        }

        let mut task = SheetTask::new(seq, goal);
        let mut targets = BTreeMap::new();
        for (i, p) in &target_columns {
            let (Some(p), Some(text)) = (p, row.cells.get(*i)) else {
                continue;
            };
            let text = text.trim();
            if text.is_empty() {
                continue;
            }
            if several_targets {
                targets.insert(*p, text.to_owned());
            } else {
                task.target = Some(text.to_owned());
            }
        }
        if several_targets {
            task.targets = Some(targets);
        }
        if let Some(text) = cell(ColumnKind::Progress) {
            let (status, rest) = split_status(text);
            if status.is_none() && !rest.is_empty() {
                warn(
                    &mut warnings,
                    format!(
                        "序号 {seq} 的完成情况没有以“完成 / 部分完成 / 未完成”开头，状态待评定"
                    ),
                );
            }
            task.status = status;
            task.progress = (!rest.is_empty()).then_some(rest);
        }
        if let Some(text) = cell(ColumnKind::Deadline).map(str::trim)
            && !text.is_empty()
        {
            task.deadline = Some(text.to_owned());
        }
        if let Some(text) = cell(ColumnKind::Section).map(str::trim)
            && !text.is_empty()
        {
            task.section = Some(text.to_owned());
        }
        if kinds.contains(&ColumnKind::Leaders) {
            task.leaders = Some(split_leaders(cell(ColumnKind::Leaders).unwrap_or_default()));
        }
        let unit_columns: Vec<(usize, Option<duban_core::Role>)> = kinds
            .iter()
            .enumerate()
            .filter_map(|(i, k)| match k {
                ColumnKind::Units(role) => Some((i, *role)),
                _ => None,
            })
            .collect();
        if !unit_columns.is_empty() {
            let mut units: Vec<SheetUnit> = Vec::new();
            for (i, role) in unit_columns {
                let read = split_units(row.cells.get(i).map(String::as_str).unwrap_or_default());
                for joined in read.joined {
                    warn(
                        &mut warnings,
                        format!(
                            "序号 {seq}：把折行的单位名称“{}”连成一个",
                            joined.replace('|', "")
                        ),
                    );
                }
                for mut unit in read.units {
                    // A support column's units support, except one marked as the data source.
                    if let Some(role) = role
                        && !(role == duban_core::Role::Support
                            && unit.role == duban_core::Role::DataSource)
                    {
                        unit.role = role;
                    }
                    if !units.iter().any(|u| u.name == unit.name) {
                        units.push(unit);
                    }
                }
            }
            task.units = Some(units);
        }
        tasks.push(task);
    }

    let mut columns = vec!["goal".to_owned()];
    if target_columns.iter().any(|(_, p)| p.is_some()) {
        columns.push(if several_targets { "targets" } else { "target" }.to_owned());
    }
    for (kind, name) in [
        (ColumnKind::Progress, "progress"),
        (ColumnKind::Leaders, "leaders"),
        (ColumnKind::Deadline, "deadline"),
        (ColumnKind::Section, "section"),
    ] {
        if kinds.contains(&kind) {
            columns.push(name.to_owned());
        }
    }
    if kinds.iter().any(|k| matches!(k, ColumnKind::Units(_))) {
        columns.push("units".to_owned());
    }
    let sheet = LedgerSheet {
        ledger,
        period: if several_targets && options.period.is_none() && title.part.is_none() {
            None
        } else {
            period
        },
        columns,
        tasks,
    };
    if sheet.tasks.is_empty() {
        return Err(ExtractError::NoRows {
            origin: origin.to_owned(),
        });
    }
    Ok(TableRead { sheet, warnings })
}

/// With a single dated target column (8月份目标任务) the table is that period's.
fn single_target_period(kinds: &[ColumnKind], year: Option<i32>) -> Option<Period> {
    let parts: Vec<_> = kinds
        .iter()
        .filter_map(|k| match k {
            ColumnKind::Target(Some(part)) => Some(*part),
            _ => None,
        })
        .collect();
    match parts[..] {
        [part] => Some(part.in_year(year?)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> (String, Vec<String>) {
        (
            "第 ? 行".to_owned(),
            cells.iter().map(|c| (*c).to_owned()).collect(),
        )
    }

    #[test]
    fn title_skips_notes_and_prefers_a_table_name() {
        let header = row(&["序号", "年度目标任务", "完成情况"]);
        let rows = [
            row(&["附件"]),
            row(&["2023年《政府工作报告》重点工作8月份完成情况通报表"]),
            row(&["区政府督查室"]),
            row(&["（2023年9月5日）"]),
            header.clone(),
            row(&["1", "任务", "完成。"]),
        ];
        let grid = grid_from_rows(&rows, "t.xlsx").expect("grid");
        assert_eq!(
            grid.title.as_deref(),
            Some("2023年《政府工作报告》重点工作8月份完成情况通报表")
        );
        // Without a line naming a table, the nearest single line is the title.
        let rows = [row(&["重点工作推进"]), row(&["(截至8月底)"]), header];
        let grid = grid_from_rows(&rows, "t.xlsx").expect("grid");
        assert_eq!(grid.title.as_deref(), Some("重点工作推进"));
        assert!(!is_bracketed_note("（一）加快发展（二）"));
    }

    #[test]
    fn a_units_column_beside_a_lead_column_is_support() {
        let rows = [
            row(&["2024年重点工作任务分解表"]),
            row(&["序号", "重点任务", "牵头责任单位", "责任单位", "责任领导"]),
            row(&["1", "任务", "区发改局", "区财政局、区商务局", "王 强李 华"]),
        ];
        let grid = grid_from_rows(&rows, "t").expect("grid");
        let read = sheet_from_grid(&grid, "t", &ReadOptions::default()).expect("sheet");
        let task = &read.sheet.tasks[0];
        let units: Vec<(&str, duban_core::Role)> = task
            .units
            .iter()
            .flatten()
            .map(|u| (u.name.as_str(), u.role))
            .collect();
        use duban_core::Role::{Lead, Support};
        assert_eq!(
            units,
            [
                ("区发改局", Lead),
                ("区财政局", Support),
                ("区商务局", Support)
            ]
        );
        assert_eq!(
            task.leaders.as_deref(),
            Some(&["王强".to_owned(), "李华".to_owned()][..])
        );
    }

    #[test]
    fn a_spanning_header_over_a_second_row() {
        let rows = [
            row(&["序号", "年度工作任务", "阶段目标", "", "责任单位"]),
            row(&[
                "序号",
                "年度工作任务",
                "第三季度目标",
                "第四季度目标",
                "责任单位",
            ]),
            row(&["1.", "任务", "三季度", "四季度", "区发改局"]),
        ];
        let grid = grid_from_rows(&rows, "t.docx").expect("grid");
        assert_eq!(
            grid.header,
            [
                "序号",
                "年度工作任务",
                "阶段目标第三季度目标",
                "第四季度目标",
                "责任单位"
            ]
        );
        assert_eq!(grid.rows.len(), 1);
        assert_eq!(parse_seq("1."), Some(1));
        assert_eq!(parse_seq("（12）"), Some(12));
        // A first task row is never taken for a second header row.
        let rows = [
            row(&["序号", "年度工作任务", "责任单位"]),
            row(&["", "完成年度目标任务", "区发改局"]),
        ];
        assert_eq!(grid_from_rows(&rows, "t").expect("grid").rows.len(), 1);
    }
}
