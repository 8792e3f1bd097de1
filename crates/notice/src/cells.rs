//! How a notice writes its cells and headings. Shared by every output format and by the
//! terminal table of `duban tasks`, so a task reads the same wherever it is shown.

use duban_core::{Period, Role, SheetUnit, Status};

/// Units as a notice writes them: the lead first and marked （牵头）, data sources marked
/// （提供数据）, one per line so a name is never wrapped in the middle. These marks are the ones
/// the importer reads back as roles.
pub fn unit_lines(units: &[SheetUnit]) -> Vec<String> {
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

/// The 完成情况 cell: the status word opens it, as in the notices; a task nobody reported on
/// reads 未报送, and a text without a verdict is marked as waiting for one.
pub fn progress_cell(status: Option<Status>, text: Option<&str>) -> String {
    match (status, text.map(str::trim).filter(|t| !t.is_empty())) {
        (Some(s), Some(t)) => format!("{}。{t}", s.label_zh()),
        (Some(s), None) => s.label_zh().to_owned(),
        (None, Some(t)) => format!("（待评定）{t}"),
        (None, None) => String::new(),
    }
}

/// The period as the notice names it inside a title or header, without the year:
/// 8月份, 第三季度, 上半年, 年度.
pub fn period_part(period: Period) -> String {
    match period {
        Period::Year(_) => "年度".to_owned(),
        other => {
            let label = other.label_zh();
            label
                .split_once('年')
                .map_or(label.clone(), |(_, rest)| rest.to_owned())
        }
    }
}

/// The header of the period's target column: 8月份目标任务 for a month (the offices' wording),
/// 第三季度目标 for a quarter, 上半年目标, 年度目标.
pub fn target_header(period: Option<Period>) -> String {
    match period {
        Some(p @ Period::Month(..)) => format!("{}目标任务", period_part(p)),
        Some(p) => format!("{}目标", period_part(p)),
        None => "阶段目标".to_owned(),
    }
}

/// A date as printed under a title: 2023年9月5日.
pub fn date_zh(day: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!("{}年{}月{}日", day.year(), day.month(), day.day())
}

/// The notice's title: the ledger name, the period (with its year only when the name lacks it)
/// and what the table is. 2023年《政府工作报告》重点工作 + 2023-08 →
/// 2023年《政府工作报告》重点工作8月份完成情况通报表.
pub fn title(ledger: &str, period: Period, only_problems: bool) -> String {
    let year = format!("{}年", period.year());
    let part = if ledger.contains(&year) {
        period_part(period)
    } else if matches!(period, Period::Year(_)) {
        format!("{year}度")
    } else {
        period.label_zh()
    };
    let what = if only_problems {
        "未完成及未报送任务通报表"
    } else {
        "完成情况通报表"
    };
    format!("{ledger}{part}{what}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(name: &str, role: Role) -> SheetUnit {
        SheetUnit {
            name: name.to_owned(),
            role,
        }
    }

    #[test]
    fn lead_first_and_marked() {
        let units = [
            unit("区财政局", Role::Support),
            unit("区发改局", Role::Lead),
            unit("区统计局", Role::DataSource),
        ];
        assert_eq!(
            unit_lines(&units),
            ["区发改局（牵头）", "区财政局", "区统计局（提供数据）"]
        );
    }

    #[test]
    fn status_word_opens_the_progress_cell() {
        assert_eq!(
            progress_cell(Some(Status::Partial), Some("同比增长6.29%。")),
            "部分完成。同比增长6.29%。"
        );
        assert_eq!(progress_cell(Some(Status::Unreported), None), "未报送");
        assert_eq!(progress_cell(Some(Status::Done), Some("  ")), "完成");
        assert_eq!(progress_cell(None, Some("正在推进")), "（待评定）正在推进");
    }

    #[test]
    fn titles_and_headers_name_the_period() {
        let ledger = "2023年《政府工作报告》重点工作";
        assert_eq!(
            title(ledger, Period::Month(2023, 8), false),
            "2023年《政府工作报告》重点工作8月份完成情况通报表"
        );
        assert_eq!(
            title("重点工作", Period::Quarter(2020, 3), false),
            "重点工作2020年第三季度完成情况通报表"
        );
        assert_eq!(
            title(ledger, Period::Year(2023), true),
            "2023年《政府工作报告》重点工作年度未完成及未报送任务通报表"
        );
        assert_eq!(target_header(Some(Period::Month(2023, 8))), "8月份目标任务");
        assert_eq!(
            target_header(Some(Period::Quarter(2020, 3))),
            "第三季度目标"
        );
        assert_eq!(target_header(Some(Period::Half(2021, 1))), "上半年目标");
    }
}
