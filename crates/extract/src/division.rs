//! Task-division plans (重点工作任务分工方案 / 责任分工方案): the document that starts a year's
//! ledger, read as one.
//!
//! Offices write them as numbered items under section headings, each item's responsibilities
//! either on the lines after it (牵头单位：… / 责任单位：… / 责任领导：… / 完成时限：…) or in a
//! closing bracket (（责任领导：…；牵头单位：…；责任单位：…）). What makes an item is its number
//! and the responsibilities that follow it, not any one plan's wording; headings are numbered
//! lines without responsibilities, and each task keeps the headings above it as its section.

use std::collections::BTreeMap;

use duban_core::{LedgerSheet, Period, Role, SheetTask, SheetUnit};

use crate::ExtractError;
use crate::cells::{split_leaders, split_units};
use crate::columns::{PeriodPart, find_period_part, read_title};
use crate::grid::{ReadOptions, TableRead, Warning};
use crate::pdf_text::is_page_footer;

/// What a responsibility line or bracket part says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Duty {
    Leaders,
    Lead,
    Support,
    /// 责任单位 alone: the first unit leads unless marked.
    Units,
    Deadline,
    Target(Option<PeriodPart>),
}

/// The words before the colon of a responsibility, longest first where one contains another.
const DUTY_WORDS: &[(&str, Duty)] = &[
    ("分管区领导", Duty::Leaders),
    ("分管县领导", Duty::Leaders),
    ("分管市领导", Duty::Leaders),
    ("分管领导", Duty::Leaders),
    ("责任领导", Duty::Leaders),
    ("牵头领导", Duty::Leaders),
    ("牵头责任单位", Duty::Lead),
    ("牵头单位", Duty::Lead),
    ("牵头部门", Duty::Lead),
    ("主责单位", Duty::Lead),
    ("配合单位", Duty::Support),
    ("协办单位", Duty::Support),
    ("参与单位", Duty::Support),
    ("配合部门", Duty::Support),
    ("责任单位", Duty::Units),
    ("责任部门", Duty::Units),
    ("完成时限", Duty::Deadline),
    ("完成时间", Duty::Deadline),
    ("时限要求", Duty::Deadline),
    ("阶段目标", Duty::Target(None)),
];

/// A responsibility at the start of `text`: its kind and what follows the colon.
fn duty(text: &str) -> Option<(Duty, &str)> {
    let text = text.trim_start();
    let (head, rest) = text.split_once(['：', ':'])?;
    let head = head.trim();
    if head.chars().count() > 10 {
        return None;
    }
    if let Some((_, d)) = DUTY_WORDS.iter().find(|(w, _)| head == *w) {
        return Some((*d, rest.trim()));
    }
    // 一季度： 第三季度目标： 6月底前：
    let part = find_period_part(head).map(|(p, _)| p);
    (part.is_some() && head.chars().count() <= 7).then(|| (Duty::Target(part), rest.trim()))
}

/// Words in a title that name a division plan.
const TITLE_WORDS: &[&str] = &["分工方案", "分解方案", "任务分工", "责任分工", "任务分解"];

/// Whether a text reads as a division plan: a title naming one, or several items with their
/// responsibilities (lines or brackets).
pub fn looks_like_division_plan(text: &str) -> bool {
    let head: String = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(8)
        .collect();
    let duties = text
        .lines()
        .filter(|l| {
            let l = l.trim();
            matches!(duty(l), Some((Duty::Lead | Duty::Units | Duty::Leaders, _)))
                || bracket_duties(l).is_some()
        })
        .count();
    (TITLE_WORDS.iter().any(|w| head.contains(w)) && duties >= 1) || duties >= 3
}

/// The responsibilities in a closing bracket: the text before it and the duties inside.
fn bracket_duties(line: &str) -> Option<(&str, Vec<(Duty, String)>)> {
    let trimmed = line.trim_end().trim_end_matches(['。', '；', ';']);
    let inner_end = trimmed.strip_suffix(['）', ')'])?;
    let open = inner_end.rfind(['（', '('])?;
    let bracket = inner_end[open..].chars().next()?;
    let inside = &inner_end[open + bracket.len_utf8()..];
    let parts: Vec<(Duty, String)> = inside
        .split(['；', ';'])
        .filter_map(|p| duty(p).map(|(d, v)| (d, v.to_owned())))
        .collect();
    (!parts.is_empty()).then(|| (&trimmed[..open], parts))
}

/// A numbered line's label and text: 1. 1．1、（1）(1) ① as items; 一、（一）第一部分 as headings
/// unless responsibilities follow.
fn numbered(line: &str) -> Option<(Label, &str)> {
    let line = line.trim_start();
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let digits = chars.iter().take_while(|(_, c)| c.is_ascii_digit()).count();
    if digits > 0 && digits <= 3 {
        let (at, c) = *chars.get(digits)?;
        let next = chars.get(digits + 1).map(|(_, c)| *c);
        if matches!(c, '.' | '．' | '、') && !next.is_some_and(|n| n.is_ascii_digit()) {
            return Some((Label::Arabic, line[at + c.len_utf8()..].trim_start()));
        }
    }
    if let Some(c) = chars.first().map(|(_, c)| *c)
        && ('①'..='⑳').contains(&c)
    {
        return Some((Label::Arabic, line[c.len_utf8()..].trim_start()));
    }
    let is_numeral = |c: char| "一二三四五六七八九十".contains(c);
    if matches!(chars.first(), Some((_, '（' | '('))) {
        let inner = chars[1..]
            .iter()
            .take_while(|(_, c)| c.is_ascii_digit() || is_numeral(*c))
            .count();
        if inner > 0
            && let Some((at, close)) = chars.get(1 + inner).copied()
            && matches!(close, '）' | ')')
        {
            let arabic = chars[1].1.is_ascii_digit();
            let label = if arabic {
                Label::Arabic
            } else {
                Label::ParenCn
            };
            return Some((label, line[at + close.len_utf8()..].trim_start()));
        }
    }
    let numerals = chars.iter().take_while(|(_, c)| is_numeral(*c)).count();
    if numerals > 0
        && let Some((at, '、')) = chars.get(numerals).copied()
    {
        return Some((Label::Cn, line[at + '、'.len_utf8()..].trim_start()));
    }
    if line.starts_with('第')
        && let Some(end) = line.find("部分")
        && end <= 12
    {
        return Some((Label::Part, line[end + "部分".len()..].trim_start()));
    }
    None
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Label {
    Part,
    Cn,
    ParenCn,
    Arabic,
}

#[derive(Debug, Default)]
struct Item {
    place: String,
    goal: String,
    section: Option<String>,
    duties: Vec<(Duty, String)>,
}

/// Reads a division plan into a ledger sheet.
pub fn read_division_plan(
    text: &str,
    origin: &str,
    options: &ReadOptions,
) -> Result<TableRead, ExtractError> {
    let lines: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty() && !is_page_footer(l))
        .collect();
    // The title: the first line naming a plan among the opening lines, else the first line.
    let title = lines
        .iter()
        .take(8)
        .find(|(_, l)| TITLE_WORDS.iter().any(|w| l.contains(w)))
        .or(lines.first())
        .map(|(_, l)| *l)
        .unwrap_or_default();
    let title_info = read_title(title);
    let ledger = options
        .ledger
        .clone()
        .or(title_info.ledger.clone())
        .ok_or_else(|| ExtractError::NoLedgerName {
            origin: origin.to_owned(),
        })?;
    let year = options.period.map(|p| p.year()).or(title_info.year);

    // Which numbered lines are items: those with responsibilities in their bracket or on the
    // lines after them (before the next numbered line); the others are headings.
    let has_duties = |index: usize| -> bool {
        let following: Vec<&str> = lines[index + 1..]
            .iter()
            .take_while(|(_, l)| numbered(l).is_none())
            .map(|(_, l)| *l)
            .collect();
        if following.iter().any(|l| duty(l).is_some()) {
            return true;
        }
        // The bracket may close on a later line: the item wrapped.
        let mut joined = lines[index].1.to_owned();
        for line in std::iter::once(&"").chain(&following) {
            joined.push_str(line);
            if bracket_duties(&joined).is_some() {
                return true;
            }
        }
        false
    };
    let mut warnings = Vec::new();
    let mut headings: Vec<(Label, String)> = Vec::new();
    let mut items: Vec<Item> = Vec::new();
    let mut open = false;
    for (index, (number, line)) in lines.iter().enumerate() {
        if *line == title {
            continue;
        }
        if let Some((label, rest)) = numbered(line)
            && !rest.is_empty()
        {
            if has_duties(index) {
                let (goal, duties) = match bracket_duties(rest) {
                    Some((goal, duties)) => (goal.trim().to_owned(), duties),
                    None => (rest.to_owned(), Vec::new()),
                };
                items.push(Item {
                    place: format!("第 {number} 行"),
                    goal,
                    section: (!headings.is_empty()).then(|| {
                        headings
                            .iter()
                            .map(|(_, h)| h.as_str())
                            .collect::<Vec<_>>()
                            .join(" / ")
                    }),
                    duties,
                });
                open = true;
            } else {
                headings.retain(|(l, _)| *l < label);
                headings.push((label, line.to_string()));
                open = false;
            }
            continue;
        }
        // Inside a bracket that has not closed yet, a line is the bracket going on.
        let in_bracket = items.last().is_some_and(|item| {
            item.duties.is_empty()
                && item.goal.rfind(['（', '(']) > item.goal.rfind(['）', ')']).or(Some(0))
                && item.goal.contains(['（', '('])
        });
        if !in_bracket
            && let Some((d, value)) = duty(line)
            && open
            && let Some(item) = items.last_mut()
        {
            item.duties.push((d, value.to_owned()));
            continue;
        }
        // A line that continues the item's goal (wrapped, or its bracket on the next line).
        if open
            && let Some(item) = items.last_mut()
            && item.duties.is_empty()
        {
            let joined = format!("{}{}", item.goal, line);
            match bracket_duties(&joined) {
                Some((goal, duties)) => {
                    item.goal = goal.trim().to_owned();
                    item.duties = duties;
                }
                None => item.goal = joined,
            }
            continue;
        }
        if open {
            warnings.push(Warning {
                place: format!("第 {number} 行"),
                message: format!(
                    "“{}”不是序号 {} 的责任分工，未导入",
                    short(line),
                    items.len()
                ),
            });
        }
    }
    if items.is_empty() {
        return Err(ExtractError::NoRows {
            origin: origin.to_owned(),
        });
    }

    let mut tasks = Vec::with_capacity(items.len());
    let mut has = BTreeMap::new();
    for (i, item) in items.into_iter().enumerate() {
        let seq = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let goal = item.goal.trim_end_matches(['；', ';']).trim().to_owned();
        let mut task = SheetTask::new(seq, goal);
        task.section = item.section;
        let mut units: Vec<SheetUnit> = Vec::new();
        let mut targets: BTreeMap<Period, String> = BTreeMap::new();
        for (d, value) in &item.duties {
            *has.entry(format!("{d:?}")).or_insert(0) += 1;
            match d {
                Duty::Leaders => {
                    let mut leaders = task.leaders.take().unwrap_or_default();
                    leaders.extend(split_leaders(value));
                    task.leaders = Some(leaders);
                }
                Duty::Lead | Duty::Support | Duty::Units => {
                    for mut unit in split_units(value).units {
                        match d {
                            Duty::Lead => unit.role = Role::Lead,
                            Duty::Support => unit.role = Role::Support,
                            _ => {}
                        }
                        if !units.iter().any(|u| u.name == unit.name) {
                            units.push(unit);
                        }
                    }
                }
                Duty::Deadline => task.deadline = Some(value.clone()),
                Duty::Target(part) => match (part, year) {
                    (Some(part), Some(year)) => {
                        targets.insert(part.in_year(year), value.clone());
                    }
                    _ => task.target = Some(value.clone()),
                },
            }
        }
        // 责任单位 beside 牵头单位 names the others.
        if units.iter().filter(|u| u.role == Role::Lead).count() > 1
            && item.duties.iter().any(|(d, _)| *d == Duty::Lead)
        {
            let leads: Vec<String> = item
                .duties
                .iter()
                .filter(|(d, _)| *d == Duty::Lead)
                .flat_map(|(_, v)| split_units(v).units.into_iter().map(|u| u.name))
                .collect();
            for unit in &mut units {
                if !leads.contains(&unit.name) {
                    unit.role = Role::Support;
                }
            }
        }
        if units.is_empty() {
            warnings.push(Warning {
                place: item.place.clone(),
                message: format!("序号 {seq} 没有写明牵头或责任单位"),
            });
        } else {
            task.units = Some(units);
        }
        if !targets.is_empty() {
            task.targets = Some(targets);
        }
        tasks.push(task);
    }
    let mut columns = vec!["goal".to_owned(), "section".to_owned()];
    for (key, name) in [("Leaders", "leaders"), ("Deadline", "deadline")] {
        if has.contains_key(key) {
            columns.push(name.to_owned());
        }
    }
    if tasks.iter().any(|t| t.targets.is_some()) {
        columns.push("targets".to_owned());
    } else if tasks.iter().any(|t| t.target.is_some()) {
        columns.push("target".to_owned());
    }
    if tasks.iter().any(|t| t.units.is_some()) {
        columns.push("units".to_owned());
    }
    if tasks.iter().all(|t| t.section.is_none()) {
        columns.retain(|c| c != "section");
    }
    Ok(TableRead {
        sheet: LedgerSheet {
            ledger,
            period: options.period,
            columns,
            tasks,
        },
        warnings,
    })
}

fn short(text: &str) -> String {
    let mut out: String = text.chars().take(20).collect();
    if text.chars().count() > 20 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> TableRead {
        assert!(looks_like_division_plan(text), "{text}");
        read_division_plan(text, "方案.txt", &ReadOptions::default()).expect("plan")
    }

    fn units(task: &SheetTask) -> Vec<(String, Role)> {
        task.units
            .iter()
            .flatten()
            .map(|u| (u.name.clone(), u.role))
            .collect()
    }

    #[test]
    fn items_with_responsibilities_on_the_following_lines() {
        let read = read(
            "2024年区政府工作报告重点任务分工方案\n\n一、扩大有效需求\n\
             1．地区生产总值增长6%左右，\n一般公共预算收入增长5%。\n牵头单位：区发改局、区财政局\n\
             责任单位：区统计局\n责任领导：王 强李 华\n完成时限：2024年12月底\n\
             （一）稳投资\n2．固定资产投资增长8%以上。\n牵头单位：区发改局\n\
             二季度：开工项目20个\n二、保障民生\n1．新增城镇就业5000人。\n责任单位：区人社局、各镇街道\n",
        );
        let sheet = &read.sheet;
        assert_eq!(sheet.ledger, "2024年区政府工作报告重点任务");
        assert_eq!(sheet.tasks.len(), 3);
        let first = &sheet.tasks[0];
        assert_eq!(
            first.goal,
            "地区生产总值增长6%左右，一般公共预算收入增长5%。"
        );
        assert_eq!(first.section.as_deref(), Some("一、扩大有效需求"));
        assert_eq!(
            units(first),
            [
                ("区发改局".to_owned(), Role::Lead),
                ("区财政局".to_owned(), Role::Lead),
                ("区统计局".to_owned(), Role::Support)
            ]
        );
        assert_eq!(
            first.leaders.as_deref(),
            Some(&["王强".to_owned(), "李华".to_owned()][..])
        );
        assert_eq!(first.deadline.as_deref(), Some("2024年12月底"));
        let second = &sheet.tasks[1];
        assert_eq!(
            second.section.as_deref(),
            Some("一、扩大有效需求 / （一）稳投资")
        );
        assert_eq!(
            second
                .targets
                .as_ref()
                .and_then(|t| t.get(&Period::Quarter(2024, 2)))
                .map(String::as_str),
            Some("开工项目20个")
        );
        let third = &sheet.tasks[2];
        assert_eq!(third.seq, 3);
        assert_eq!(third.section.as_deref(), Some("二、保障民生"));
        assert_eq!(
            units(third),
            [
                ("区人社局".to_owned(), Role::Lead),
                ("各镇街道".to_owned(), Role::Support)
            ]
        );
    }

    #[test]
    fn items_with_responsibilities_in_a_closing_bracket() {
        let read = read(
            "某某区2025年重点工作责任分工方案\n一、推动高质量发展\n\
             1.加快科创平台建设，新增省级以上研发平台10家（责任领导：欧阳明；牵头单位：区科技局；责任单位：区工信局、区财政局）。\n\
             2.实施重点项目100个，完成投资200亿元\n（责任领导：王强；牵头单位：区发改局、区住建局）\n",
        );
        let tasks = &read.sheet.tasks;
        assert_eq!(tasks.len(), 2);
        assert_eq!(tasks[0].goal, "加快科创平台建设，新增省级以上研发平台10家");
        assert_eq!(
            tasks[0].leaders.as_deref(),
            Some(&["欧阳明".to_owned()][..])
        );
        assert_eq!(
            units(&tasks[0]),
            [
                ("区科技局".to_owned(), Role::Lead),
                ("区工信局".to_owned(), Role::Support),
                ("区财政局".to_owned(), Role::Support)
            ]
        );
        assert_eq!(tasks[1].goal, "实施重点项目100个，完成投资200亿元");
        assert_eq!(
            units(&tasks[1]),
            [
                ("区发改局".to_owned(), Role::Lead),
                ("区住建局".to_owned(), Role::Lead)
            ]
        );
        assert_eq!(tasks[1].section.as_deref(), Some("一、推动高质量发展"));
    }

    #[test]
    fn other_texts_are_not_division_plans() {
        assert!(!looks_like_division_plan(
            "政府工作报告\n各位代表：\n现在，我代表区人民政府报告工作。"
        ));
    }
}
