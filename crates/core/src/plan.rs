//! What a plan (规划纲要) and a work report (政府工作报告) state besides their passages: the main
//! indicators (主要指标) with baseline, target and growth, the key projects of the 专栏 boxes, and
//! the glossary (词语解释) that explains the report's coined terms.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::words::DocumentKind;

use crate::target::Bound;
use crate::words::coded_enum;

coded_enum!(
    /// Whether an indicator is a forecast or an obligation (指标属性).
    Attribute, "指标属性" {
        /// 预期性: what the government expects and steers towards.
        Expected = "expected" / "预期性",
        /// 约束性: what it must deliver (energy, land, environment, social insurance).
        Binding = "binding" / "约束性",
    }
);

/// One cell of the indicator table: the words as printed and the numbers they state.
///
/// Cells are often words (完成市下达任务, 与GDP增长同步, 保持并稳定在25以上, 男性78.57，女性86.19);
/// the words are kept and the numbers read beside them, so nothing is lost and nothing invented.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct IndicatorValue {
    pub text: String,
    /// The numbers the cell states, in order (two for values given for men and women).
    pub numbers: Vec<f64>,
    /// 左右 (about), 以内 (at most), 以上 (at least).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bound: Option<Bound>,
}

/// A row of a plan's main indicator table (主要指标).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Indicator {
    /// 经济发展, 创新驱动, 民生福祉, 绿色生态, 安全保障 …
    pub category: String,
    pub name: String,
    /// Unit of measure as printed in the name's brackets: %, 件, 万吨标煤; empty when none.
    pub uom: String,
    /// The base year's value (2020年); `None` where the table prints ——.
    pub baseline: Option<IndicatorValue>,
    /// The plan's final year value (2025年).
    pub target: Option<IndicatorValue>,
    /// Annual average growth or the cumulative figure (年均增速/[累计]).
    pub growth: Option<IndicatorValue>,
    pub attribute: Attribute,
}

/// A key project listed in a 专栏 box.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Project {
    /// The box heading: 专栏1 “十四五”期间制造业重点建设项目.
    #[serde(rename = "box")]
    pub box_name: String,
    /// The group inside the box (汽车及零部件产业集群), when the box has groups.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    pub name: String,
}

/// A term of the glossary (词语解释) and what it means.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct GlossaryEntry {
    pub term: String,
    pub explanation: String,
}

impl GlossaryEntry {
    /// The ways the term can be written in a task: as printed, and the quoted core alone
    /// (传统产业“五个优化” is also cited as “五个优化”). Spaces and quote marks are ignored when
    /// comparing, since PDF text puts spaces around digits (两个 100%).
    pub fn forms(&self) -> Vec<String> {
        let mut forms = vec![compact_term(&self.term)];
        let mut rest = self.term.as_str();
        while let Some(open) = rest.find('“') {
            let after = &rest[open + '“'.len_utf8()..];
            let Some(close) = after.find('”') else {
                break;
            };
            let core = compact_term(&after[..close]);
            if core.chars().count() >= 2 && !forms.contains(&core) {
                forms.push(core);
            }
            rest = &after[close..];
        }
        forms
    }
}

/// The term without spaces and quote marks, the form used for matching.
pub fn compact_term(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '“' | '”' | '"' | '‘' | '’'))
        .collect()
}

/// The glossary terms a text uses, in glossary order.
pub fn terms_in<'g>(text: &str, glossary: &'g [GlossaryEntry]) -> Vec<&'g GlossaryEntry> {
    let compact = compact_term(text);
    glossary
        .iter()
        .filter(|entry| {
            entry
                .forms()
                .iter()
                .any(|form| compact.contains(form.as_str()))
        })
        .collect()
}

/// What a report or a plan holds, as read from its text (by duban-extract) or from the store. `body` is the text that passage spans index.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct DocumentRead {
    pub kind: DocumentKind,
    pub title: String,
    /// 文号 of the notice that issued it (川政发〔2021〕2号).
    pub number: Option<String>,
    #[schema(value_type = Option<String>, format = Date)]
    pub date: Option<NaiveDate>,
    /// Who delivered a report (代理区长 宋磊).
    pub speaker: Option<String>,
    pub sections: Vec<Section>,
    pub glossary: Vec<GlossaryEntry>,
    pub indicators: Vec<Indicator>,
    pub projects: Vec<Project>,
    /// Things read with doubt: an indicator row with too many cells, for instance.
    pub warnings: Vec<String>,
    #[serde(skip)]
    pub body: String,
    #[serde(skip)]
    pub passages: Vec<PassageRead>,
}

/// A heading and how many passages lie under it (its subsections' included).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Section {
    pub heading: String,
    /// 1 for the top (parts of a report, chapters of a plan).
    pub level: usize,
    pub passages: usize,
}

/// A paragraph (or the indicator table) with its place in the heading tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PassageRead {
    pub headings: Vec<String>,
    /// Character offsets into `DocumentRead::body`, end exclusive.
    pub span: (u32, u32),
    pub text: String,
    pub lead: Option<String>,
}

impl Section {
    /// The sections that hold passages, rebuilt from the passages' heading paths (a heading's
    /// level is its depth in the path). Used for documents read back from the store.
    pub fn outline(passages: &[PassageRead]) -> Vec<Section> {
        let mut sections: Vec<Section> = Vec::new();
        // Index into `sections` of each open heading, by depth.
        let mut open: Vec<usize> = Vec::new();
        for passage in passages {
            let same = open
                .iter()
                .zip(&passage.headings)
                .take_while(|(i, h)| sections[**i].heading == **h)
                .count();
            open.truncate(same);
            for heading in &passage.headings[same..] {
                sections.push(Section {
                    heading: heading.clone(),
                    level: open.len() + 1,
                    passages: 0,
                });
                open.push(sections.len() - 1);
            }
            for i in &open {
                sections[*i].passages += 1;
            }
        }
        sections
    }
}

impl DocumentRead {
    /// The part of a report that sets the year's work (2021年目标任务和工作重点): the top-level
    /// heading that names the report's year, or else the one with the most numbered sections.
    pub fn year_part(&self) -> Option<&str> {
        let tops: Vec<&Section> = self.sections.iter().filter(|s| s.level == 1).collect();
        if let Some(year) = self.date.map(|d| chrono::Datelike::year(&d)) {
            let named = format!("{year}年");
            if let Some(s) = tops
                .iter()
                .find(|s| s.heading.contains(&named) && !s.heading.contains("回顾"))
            {
                return Some(&s.heading);
            }
        }
        tops.iter()
            .max_by_key(|s| s.passages)
            .map(|s| s.heading.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(term: &str) -> GlossaryEntry {
        GlossaryEntry {
            term: term.to_owned(),
            explanation: "…".to_owned(),
        }
    }

    #[test]
    fn terms_are_found_with_or_without_spaces_and_by_their_quoted_core() {
        let glossary = [
            entry("两个 100%"),
            entry("传统产业“五个优化”"),
            entry("三线一单"),
        ];
        let found = terms_in("确保重点项目实现“两个100%”，深入推进“五个优化”", &glossary);
        let terms: Vec<&str> = found.iter().map(|e| e.term.as_str()).collect();
        assert_eq!(terms, ["两个 100%", "传统产业“五个优化”"]);
        assert!(terms_in("落实生态环境分区管控", &glossary).is_empty());
    }

    #[test]
    fn attribute_reads_chinese_words() {
        assert_eq!("约束性".parse::<Attribute>(), Ok(Attribute::Binding));
        assert_eq!(Attribute::Expected.code(), "expected");
    }
}
