//! Column meaning from header text, and the ledger name and period from a table's title.
//!
//! Headers are matched by meaning (年度工作任务 / 年度目标任务 / 工作任务 are all the goal), never
//! by position, so a table with its columns in another order or with some missing still reads.

use duban_core::{Period, Role, find_year, normalize_name};

/// The part of a year a header or title names; the year comes from elsewhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodPart {
    Quarter(u8),
    Month(u8),
    Half(u8),
}

impl PeriodPart {
    pub fn in_year(self, year: i32) -> Period {
        match self {
            PeriodPart::Quarter(q) => Period::Quarter(year, q),
            PeriodPart::Month(m) => Period::Month(year, m),
            PeriodPart::Half(h) => Period::Half(year, h),
        }
    }
}

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    /// 序号
    Seq,
    /// 年度目标任务, 年度工作任务, 工作任务
    Goal,
    /// 第三季度目标, 8月份目标任务, 阶段目标 (no part: the sheet's period)
    Target(Option<PeriodPart>),
    /// 完成情况, 进展情况
    Progress,
    /// 分管区领导, 责任领导, 分管领导
    Leaders,
    /// 责任单位 (roles from the cell), 牵头单位 (lead), 配合单位 (support)
    Units(Option<Role>),
    /// 完成时限, 完成时间, 时间节点: the task's deadline as written.
    Deadline,
    /// 所属部分, 类别, 分类, 板块: the part of the plan a task belongs to (its section).
    Section,
    /// Anything else (备注 …): kept out of the ledger.
    Other,
}

/// Classifies one header cell.
pub fn classify(header: &str) -> ColumnKind {
    let h = normalize_name(header);
    if h.is_empty() {
        return ColumnKind::Other;
    }
    if h == "序号" || h == "编号" || h == "序" {
        return ColumnKind::Seq;
    }
    if h.contains("时限") || h.contains("完成时间") || h.contains("时间节点") || h.contains("截止")
    {
        return ColumnKind::Deadline;
    }
    if h.contains("类别")
        || h.contains("分类")
        || h.contains("所属部分")
        || h.contains("板块")
        || h == "部分"
        || h == "领域"
    {
        return ColumnKind::Section;
    }
    if h.contains("完成情况")
        || h.contains("进展情况")
        || h.contains("推进情况")
        || h.contains("落实情况")
        || h.contains("进度")
    {
        return ColumnKind::Progress;
    }
    if h.contains("领导") {
        return ColumnKind::Leaders;
    }
    if h.contains("单位") || h.contains("部门") {
        let role = if h.contains("牵头") || h.contains("主责") {
            Some(Role::Lead)
        } else if h.contains("配合") || h.contains("协办") {
            Some(Role::Support)
        } else {
            None
        };
        return ColumnKind::Units(role);
    }
    if h.contains("目标") || h.contains("任务") || h.contains("重点工作") {
        if let Some((part, _)) = find_period_part(&h) {
            return ColumnKind::Target(Some(part));
        }
        if h.contains("阶段") || h.contains("本期") {
            return ColumnKind::Target(None);
        }
        return ColumnKind::Goal;
    }
    ColumnKind::Other
}

/// The first period part in a text (第三季度, 8月份, 十二月, 上半年) and its byte range.
pub fn find_period_part(text: &str) -> Option<(PeriodPart, std::ops::Range<usize>)> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (i, &(start, c)) in chars.iter().enumerate() {
        // 上半年 / 下半年
        if (c == '上' || c == '下')
            && text[start..].starts_with(if c == '上' { "上半年" } else { "下半年" })
        {
            let half = if c == '上' { 1 } else { 2 };
            return Some((PeriodPart::Half(half), start..start + "上半年".len()));
        }
        // 第N季度 or N季度
        let (number_start, skip) = if c == '第' { (i + 1, 1) } else { (i, 0) };
        if let Some((n, len)) = read_small_number(&chars[number_start..]) {
            let after = number_start + len;
            let rest_at = chars.get(after).map_or(text.len(), |(b, _)| *b);
            let rest = &text[rest_at..];
            if rest.starts_with("季度")
                && (1..=4).contains(&n)
                && (skip == 1 || i == 0 || !is_digit_like(chars[i - 1].1))
            {
                return Some((PeriodPart::Quarter(n), start..rest_at + "季度".len()));
            }
            if skip == 0 && (1..=12).contains(&n) && (i == 0 || !is_digit_like(chars[i - 1].1)) {
                for word in ["月份", "月"] {
                    if rest.starts_with(word) {
                        return Some((PeriodPart::Month(n), start..rest_at + word.len()));
                    }
                }
            }
        }
    }
    None
}

fn is_digit_like(c: char) -> bool {
    c.is_ascii_digit() || "一二三四五六七八九十〇零".contains(c) || c == '-' || c == '至'
}

/// Reads 1–12 written as Arabic digits or Chinese numerals; returns the value and chars used.
fn read_small_number(chars: &[(usize, char)]) -> Option<(u8, usize)> {
    let digits: String = chars
        .iter()
        .map(|(_, c)| *c)
        .take_while(char::is_ascii_digit)
        .collect();
    if !digits.is_empty() {
        return digits.parse().ok().map(|n| (n, digits.chars().count()));
    }
    let value = |c: char| {
        "一二三四五六七八九"
            .find(c)
            .map(|i| u8::try_from(i / 3 + 1).unwrap_or(0))
    };
    let first = chars.first()?.1;
    if first == '十' {
        return match chars.get(1).and_then(|(_, c)| value(*c)) {
            Some(v @ 1..=2) => Some((10 + v, 2)),
            _ => Some((10, 1)),
        };
    }
    value(first).map(|v| (v, 1))
}

/// What a title line says about the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TitleInfo {
    /// The ledger's name: the title without the period and the table words (完成情况通报表 …).
    pub ledger: Option<String>,
    pub year: Option<i32>,
    pub part: Option<PeriodPart>,
}

/// Words that close a table's title and are not part of the ledger's name, longest first.
const TABLE_WORDS: &[&str] = &[
    "完成情况通报表",
    "完成情况统计表",
    "完成情况汇总表",
    "完成情况一览表",
    "推进情况通报表",
    "进展情况通报表",
    "任务目标分解表",
    "目标任务分解表",
    "工作目标分解表",
    "责任分工方案",
    "任务分解方案",
    "完成情况表",
    "推进情况表",
    "进展情况表",
    "落实情况表",
    "目标分解表",
    "任务分解表",
    "任务清单",
    "分工方案",
    "分解方案",
    "一览表",
    "分解表",
    "通报表",
    "统计表",
    "汇总表",
    "台账",
    "清单",
];

/// Whether a line names a kind of table (…通报表, …分解表, …台账), as titles do.
pub(crate) fn names_a_table(text: &str) -> bool {
    TABLE_WORDS.iter().any(|w| text.contains(w))
}

/// Reads the ledger name, year and period part from a title such as
/// 2023年《政府工作报告》重点工作8月份完成情况通报表.
pub fn read_title(title: &str) -> TitleInfo {
    let text = normalize_name(title.trim_start_matches('#'));
    let year = find_year(&text);
    let part = find_period_part(&text);
    let mut name = text.clone();
    if let Some((_, range)) = &part {
        name.replace_range(range.clone(), "");
    }
    for word in TABLE_WORDS {
        if let Some(stripped) = name.strip_suffix(word) {
            name = stripped.to_owned();
            break;
        }
    }
    let name = name.trim_end_matches(['的', '，', '、']).to_owned();
    TitleInfo {
        ledger: (!name.is_empty()).then_some(name),
        year,
        part: part.map(|(p, _)| p),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_by_meaning() {
        assert_eq!(classify("序\n号"), ColumnKind::Seq);
        assert_eq!(classify("年度目标任务"), ColumnKind::Goal);
        assert_eq!(classify("年度工作任务"), ColumnKind::Goal);
        assert_eq!(classify("工作任务"), ColumnKind::Goal);
        assert_eq!(
            classify("8月份目标任务"),
            ColumnKind::Target(Some(PeriodPart::Month(8)))
        );
        assert_eq!(
            classify("第三季度目标"),
            ColumnKind::Target(Some(PeriodPart::Quarter(3)))
        );
        assert_eq!(
            classify("第四季度目标"),
            ColumnKind::Target(Some(PeriodPart::Quarter(4)))
        );
        assert_eq!(
            classify("十二月份目标任务"),
            ColumnKind::Target(Some(PeriodPart::Month(12)))
        );
        assert_eq!(
            classify("上半年目标"),
            ColumnKind::Target(Some(PeriodPart::Half(1)))
        );
        assert_eq!(classify("阶段目标"), ColumnKind::Target(None));
        assert_eq!(classify("完成情况"), ColumnKind::Progress);
        assert_eq!(classify("进展情况"), ColumnKind::Progress);
        assert_eq!(classify("分管区领导"), ColumnKind::Leaders);
        assert_eq!(classify("责任领导"), ColumnKind::Leaders);
        assert_eq!(classify("责任单位"), ColumnKind::Units(None));
        assert_eq!(classify("牵头单位"), ColumnKind::Units(Some(Role::Lead)));
        assert_eq!(classify("配合单位"), ColumnKind::Units(Some(Role::Support)));
        assert_eq!(classify("完成时限"), ColumnKind::Deadline);
        assert_eq!(classify("所属部分"), ColumnKind::Section);
        assert_eq!(classify("任务类别"), ColumnKind::Section);
        assert_eq!(
            classify("牵头责任单位"),
            ColumnKind::Units(Some(Role::Lead))
        );
        assert_eq!(classify("协办单位"), ColumnKind::Units(Some(Role::Support)));
        assert_eq!(classify("分管县领导"), ColumnKind::Leaders);
        assert_eq!(classify("备注"), ColumnKind::Other);
    }

    #[test]
    fn titles_give_ledger_year_and_period() {
        let info = read_title("2023年《政府工作报告》重点工作8月份完成情况通报表           ");
        assert_eq!(
            info.ledger.as_deref(),
            Some("2023年《政府工作报告》重点工作")
        );
        assert_eq!(info.year, Some(2023));
        assert_eq!(info.part, Some(PeriodPart::Month(8)));

        let info = read_title("## 2020 年区政府二十大重点工作任务目标分解表");
        assert_eq!(info.ledger.as_deref(), Some("2020年区政府二十大重点工作"));
        assert_eq!(info.year, Some(2020));
        assert_eq!(info.part, None);

        let info = read_title("2024年重点工作第四季度推进情况通报表");
        assert_eq!(info.ledger.as_deref(), Some("2024年重点工作"));
        assert_eq!(info.part, Some(PeriodPart::Quarter(4)));
    }

    #[test]
    fn months_in_ranges_and_dates_are_not_periods() {
        assert_eq!(find_period_part("1-7月份规上服务业"), None);
        assert_eq!(find_year("截至2023年8月底"), Some(2023));
        assert_eq!(find_year("12023年"), None);
    }
}
