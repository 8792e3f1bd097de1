//! Reading a task's targets beside its reported figures, as the office does every period:
//! each target of the period's milestone (or of the goal, when the milestone states none) is
//! matched to the reported figure of the same metric and compared with its bound. The result is
//! a suggestion with its evidence; it never replaces the status a person gave, and where the two
//! disagree the task is flagged for review.

use duban_core::{Bound, Period, SheetTask, Status, Target, TargetKind};
use serde::Serialize;

use crate::targets::read_targets;

/// What the figures suggest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Suggestion {
    Done,
    Partial,
    NotDone,
    /// No target, or no reported figure to compare it with.
    Unknown,
}

impl Suggestion {
    pub fn label_zh(self) -> &'static str {
        match self {
            Suggestion::Done => "完成",
            Suggestion::Partial => "部分完成",
            Suggestion::NotDone => "未完成",
            Suggestion::Unknown => "无法判断",
        }
    }

    /// The same verdict as a recorded status.
    pub fn agrees_with(self, status: Status) -> bool {
        matches!(
            (self, status),
            (Suggestion::Done, Status::Done)
                | (Suggestion::Partial, Status::Partial)
                | (Suggestion::NotDone, Status::NotDone)
        )
    }
}

/// One target and what it was compared with.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    /// The target as written (the clause it was read from).
    pub target: String,
    /// The reported figure's clause, when one matched.
    pub reported: Option<String>,
    /// Whether the reported figure meets the target; None when nothing matched.
    pub met: Option<bool>,
    /// The value the figure had to reach: the target's, or its share of the year so far for a
    /// yearly goal judged in the middle of the year.
    pub expected: f64,
    pub uom: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    pub seq: u32,
    /// The status a person recorded (`unreported` when nothing came in).
    pub recorded: Option<Status>,
    pub suggested: Suggestion,
    pub evidence: Vec<Evidence>,
    /// The targets came from the yearly goal, not from the period's milestone.
    pub from_goal: bool,
    /// The person's status and the suggestion disagree.
    pub review: bool,
    /// Parts of the milestone that state no figure (开展规划设计): the figures cannot show
    /// them done, so a suggestion of 完成 is withheld.
    pub unquantified: Vec<String>,
    /// Where the figures cannot judge, what the progress text says of the work: the phrases the
    /// suggestion rests on, with the clause each was read in.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub statements: Vec<Statement>,
}

/// A phrase of the progress text that says how far the work is (已建成, 尚未开工, 正在施工).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Statement {
    pub phrase: String,
    /// The clause of the progress text it stands in.
    pub clause: String,
    pub says: Says,
}

/// What a statement says of the work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Says {
    /// 已完成, 已建成, 投入运行, 已印发 …
    Done,
    /// 正在, 推进中, 预计, 计划 …: under way, not done.
    UnderWay,
    /// 尚未, 暂未, 暂缓, 滞后 …: held up or not reached.
    Held,
}

impl Says {
    pub fn label_zh(self) -> &'static str {
        match self {
            Says::Done => "已办成",
            Says::UnderWay => "尚在进行",
            Says::Held => "未办成",
        }
    }
}

/// How the suggestions of a sheet compare with the recorded statuses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agreement {
    /// (recorded status, suggestion, number of tasks), for the pairs that occur; recorded
    /// `None` is a task with a text but no verdict.
    pub cells: Vec<(Option<Status>, Suggestion, usize)>,
    pub total: usize,
    /// Tasks with a recorded verdict on which the assessor committed to a suggestion.
    pub committed: usize,
    /// Of those, the ones where it agrees with the record.
    pub agreed: usize,
}

impl Agreement {
    pub const SUGGESTIONS: [Suggestion; 4] = [
        Suggestion::Done,
        Suggestion::Partial,
        Suggestion::NotDone,
        Suggestion::Unknown,
    ];

    pub fn of(assessments: &[Assessment]) -> Agreement {
        let mut cells: Vec<(Option<Status>, Suggestion, usize)> = Vec::new();
        for a in assessments {
            match cells
                .iter_mut()
                .find(|(r, s, _)| *r == a.recorded && *s == a.suggested)
            {
                Some(cell) => cell.2 += 1,
                None => cells.push((a.recorded, a.suggested, 1)),
            }
        }
        let verdict = |a: &&Assessment| {
            a.suggested != Suggestion::Unknown
                && a.recorded.is_some_and(|s| s != Status::Unreported)
        };
        let committed: Vec<&Assessment> = assessments.iter().filter(verdict).collect();
        let agreed = committed
            .iter()
            .filter(|a| a.recorded.is_some_and(|s| a.suggested.agrees_with(s)))
            .count();
        Agreement {
            cells,
            total: assessments.len(),
            committed: committed.len(),
            agreed,
        }
    }

    /// Tasks recorded as `recorded` and suggested as `suggested`.
    pub fn count(&self, recorded: Option<Status>, suggested: Suggestion) -> usize {
        self.cells
            .iter()
            .find(|(r, s, _)| *r == recorded && *s == suggested)
            .map_or(0, |c| c.2)
    }
}

/// Assesses one task of a period's sheet.
pub fn assess_task(task: &SheetTask, period: Period) -> Assessment {
    let milestone_text = task
        .target
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty());
    let milestone = milestone_text.map(read_targets).unwrap_or_default();
    let (targets, from_goal) = if milestone.is_empty() {
        (read_targets(&task.goal), true)
    } else {
        (milestone, false)
    };
    let unquantified: Vec<String> = match milestone_text {
        Some(text) if !from_goal => text
            .split(['。', '；', ';', '\n'])
            .map(str::trim)
            .filter(|part| !part.is_empty() && read_targets(part).is_empty())
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    };
    let figures = task
        .progress
        .as_deref()
        .map(read_targets)
        .unwrap_or_default();
    let share = if from_goal { year_share(period) } else { 1.0 };
    let single = targets.len() == 1;
    let evidence: Vec<Evidence> = targets
        .iter()
        .map(|target| {
            let expected_target = scaled(target, share);
            let figure = best_figure(target, &figures, single);
            let met = figure.map(|f| expected_target.is_met_by(f.signed_as(target.kind)));
            Evidence {
                target: target.text.clone(),
                reported: figure.map(|f| f.text.clone()),
                met,
                expected: expected_target.value,
                uom: target.uom.clone(),
            }
        })
        .collect();
    let mut suggested = suggest(&evidence);
    // The figures can show a target missed, but not a milestone done when part of it states no
    // figure; and a yearly goal measured against the time passed is evidence for the office, not
    // a verdict on a month whose own milestone is qualitative.
    if (suggested == Suggestion::Done && !unquantified.is_empty())
        || (from_goal && milestone_text.is_some())
    {
        suggested = Suggestion::Unknown;
    }
    // The figures cannot judge: read what the text says of the work against the milestone.
    let mut statements = Vec::new();
    if suggested == Suggestion::Unknown
        && let Some(progress) = task.progress.as_deref().filter(|p| !p.trim().is_empty())
    {
        let target = milestone_text.unwrap_or(&task.goal);
        // Clauses already read as figures answer their own targets; the words of the rest
        // speak for the parts the figures cannot.
        let figures_read: Vec<&str> = evidence
            .iter()
            .filter_map(|e| e.reported.as_deref())
            .collect();
        let (verdict, found) = statement_verdict(target, progress, &figures_read);
        // Words never outweigh a figure known to be missed.
        if verdict != Suggestion::Done || evidence.iter().all(|e| e.met != Some(false)) {
            suggested = verdict;
            statements = found;
        }
    }
    let review = task.status.is_some_and(|s| {
        matches!(s, Status::Done | Status::Partial | Status::NotDone)
            && suggested != Suggestion::Unknown
            && !suggested.agrees_with(s)
    });
    Assessment {
        seq: task.seq,
        recorded: task.status,
        suggested,
        evidence,
        from_goal,
        review,
        unquantified,
        statements,
    }
}

/// Phrases that report the work done. Read in the progress text, never in the target.
const DONE_PHRASES: &[&str] = &[
    "已完成",
    "完成了",
    "全部完成",
    "顺利完成",
    "已建成",
    "建成",
    "投入运行",
    "投入使用",
    "投用",
    "投运",
    "投产",
    "竣工",
    "已印发",
    "印发",
    "出台",
    "召开",
    "举办",
    "开工",
    "签约",
    "均已",
    "已实现",
    "已通过",
    "通过验收",
    "通过评审",
    "已开展",
    "已组织",
    "已落实",
    "已发放",
    "已上线",
    "已启动",
    "制定",
    "编制完成",
    "完工",
    "落成",
    "交付",
    "开通",
    "获批",
    "批复",
    "挂牌",
    "揭牌",
    "成立",
    "组建",
    "设立",
    "发布",
    "入选",
    "评为",
    "全覆盖",
    "达标",
    "超额完成",
    "完成",
];

/// Phrases that report the work held up or not reached; they outweigh the done ones.
const HELD_PHRASES: &[&str] = &[
    "尚未",
    "暂未",
    "未能",
    "未达",
    "未完成",
    "未开工",
    "未确定",
    "未落实",
    "未启动",
    "未通过",
    "未批复",
    "暂缓",
    "暂停",
    "滞后",
    "延期",
    "推迟",
    "搁置",
    "待落实",
    "需重新",
    "原定于",
    "无法",
    "缺乏",
];

/// Phrases that report the work under way.
const UNDER_WAY_PHRASES: &[&str] = &[
    "正在",
    "推进中",
    "进行中",
    "预计",
    "计划于",
    "即将",
    "将于",
    "着手",
];

/// Words of a target that asks for something finished (建成, 投运, 印发), as against one that
/// asks for work to go on (推进, 督促, 持续): only the first is missed by work under way.
const COMPLETION_WORDS: &[&str] = &[
    "完成",
    "建成",
    "投运",
    "投入运行",
    "投入使用",
    "竣工",
    "开工",
    "印发",
    "出台",
    "召开",
    "举办",
    "交付",
    "验收",
    "批复",
    "投产",
    "签约",
    "上线",
    "挂牌",
    "达到",
];

/// What the progress text says against the milestone: held up anywhere → 部分完成 when other
/// parts are done or the milestone has several parts, else 未完成; only under way, on a milestone
/// that asks for something finished → 未完成; done phrases and nothing held → 完成; anything
/// else → no verdict.
fn statement_verdict(
    target: &str,
    progress: &str,
    figures_read: &[&str],
) -> (Suggestion, Vec<Statement>) {
    let clauses: Vec<&str> = progress
        .split(['。', '；', ';', '\n'])
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .filter(|c| !figures_read.iter().any(|f| c.contains(f) || f.contains(c)))
        .collect();
    let mut found = Vec::new();
    for (phrases, says) in [
        (HELD_PHRASES, Says::Held),
        (UNDER_WAY_PHRASES, Says::UnderWay),
        (DONE_PHRASES, Says::Done),
    ] {
        for clause in &clauses {
            // One phrase of each kind per clause: the first listed (the most specific).
            if let Some(phrase) = phrases.iter().find(|p| clause.contains(**p)) {
                // 尚未完成 is held, not done: a done phrase inside a held one does not count.
                if says == Says::Done
                    && found
                        .iter()
                        .any(|s: &Statement| s.clause == *clause && s.says == Says::Held)
                {
                    continue;
                }
                found.push(Statement {
                    phrase: (*phrase).to_owned(),
                    clause: (*clause).to_owned(),
                    says,
                });
            }
        }
    }
    let has = |says: Says| found.iter().any(|s| s.says == says);
    let several_parts = target
        .split(['。', '；', ';', '\n'])
        .filter(|p| !p.trim().is_empty())
        .count()
        > 1;
    let verdict = if has(Says::Held) {
        if has(Says::Done) || several_parts {
            Suggestion::Partial
        } else {
            Suggestion::NotDone
        }
    } else if has(Says::UnderWay) && !has(Says::Done) {
        if COMPLETION_WORDS.iter().any(|w| target.contains(w)) {
            Suggestion::NotDone
        } else {
            Suggestion::Unknown
        }
    } else if has(Says::Done) {
        Suggestion::Done
    } else {
        Suggestion::Unknown
    };
    if verdict == Suggestion::Unknown {
        found.clear();
    } else {
        // The phrases that carry the verdict: held ones for 未完成/部分完成 with the done ones
        // beside them, done ones for 完成, under-way ones for 未完成 by work under way.
        found.retain(|s| match verdict {
            Suggestion::Done => s.says == Says::Done,
            Suggestion::NotDone => s.says != Says::Done,
            _ => true,
        });
    }
    (verdict, found)
}

/// The share of the year that has passed at the end of the period (时序进度): 8/12 after August.
fn year_share(period: Period) -> f64 {
    let months = match period {
        Period::Year(_) => 12,
        Period::Half(_, h) => u32::from(h) * 6,
        Period::Quarter(_, q) => u32::from(q) * 3,
        Period::Month(_, m) => u32::from(m),
    };
    f64::from(months) / 12.0
}

/// A yearly count judged part way through the year is due in proportion to the time passed;
/// growth rates and shares are comparable at any time and are not scaled.
fn scaled(target: &Target, share: f64) -> Target {
    let mut t = target.clone();
    let counts = matches!(
        t.kind,
        TargetKind::Increase | TargetKind::Cumulative | TargetKind::Level
    ) && t.uom != "%"
        && t.uom != "个百分点";
    if counts && share < 1.0 {
        t.value *= share;
        t.upper = t.upper.map(|u| u * share);
        if t.bound == Bound::Exact {
            t.bound = Bound::AtLeast;
        }
    }
    t
}

/// Whether a reported figure can answer a target at all: a rate answers a rate, a growth a
/// growth or a decrease, a count a count in the same unit.
fn comparable(target: &Target, figure: &Target) -> bool {
    use TargetKind::*;
    if target.uom != figure.uom {
        return false;
    }
    match target.kind {
        Growth | Decrease => matches!(figure.kind, Growth | Decrease),
        Rate => matches!(figure.kind, Rate | Level | Cumulative),
        Level | Increase | Cumulative => {
            matches!(figure.kind, Level | Increase | Cumulative | Rate)
        }
    }
}

/// The metric in a form two documents share: 规模以上 is written 规上, and words such as 同比
/// and 实际 are dropped.
fn normalize_metric(metric: &str) -> Vec<char> {
    metric
        .replace("规模以上", "规上")
        .replace("同比", "")
        .replace("实际", "")
        .replace("全区", "")
        .chars()
        .filter(|c| !c.is_whitespace() && !"，、（）()“”\"".contains(*c))
        .collect()
}

/// Similarity of two metric phrases, 0 to 1: 1 when one contains the other, else the share of
/// character pairs they have in common (Dice).
pub fn metric_similarity(a: &str, b: &str) -> f64 {
    let (a, b) = (normalize_metric(a), normalize_metric(b));
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let (sa, sb): (String, String) = (a.iter().collect(), b.iter().collect());
    if sa.contains(&sb) || sb.contains(&sa) {
        return 1.0;
    }
    let pairs = |s: &[char]| -> Vec<(char, char)> { s.windows(2).map(|w| (w[0], w[1])).collect() };
    let (pa, mut pb) = (pairs(&a), pairs(&b));
    if pa.is_empty() || pb.is_empty() {
        return 0.0;
    }
    let total = pa.len() + pb.len();
    let mut common = 0;
    for p in &pa {
        if let Some(at) = pb.iter().position(|q| q == p) {
            pb.swap_remove(at);
            common += 1;
        }
    }
    2.0 * common as f64 / total as f64
}

/// Metrics at least this similar are the same metric.
const SAME_METRIC: f64 = 0.5;

/// The reported figure that answers a target: the most similar comparable metric; a figure
/// without a metric only when the task has a single target and it is the only comparable one.
fn best_figure<'a>(target: &Target, figures: &'a [Target], single: bool) -> Option<&'a Target> {
    let comparable: Vec<&Target> = figures.iter().filter(|f| comparable(target, f)).collect();
    let best = comparable
        .iter()
        .map(|f| (metric_similarity(&target.metric, &f.metric), *f))
        .filter(|(score, _)| *score >= SAME_METRIC)
        // A running total answers a running total before a month's figure of the same thing.
        .map(|(score, f)| (score + if f.kind == target.kind { 0.1 } else { 0.0 }, f))
        // Highest similarity; among equals, the first reported (actual before 预计).
        .fold(None::<(f64, &Target)>, |best, (score, f)| match best {
            Some((s, _)) if s >= score => best,
            _ => Some((score, f)),
        })
        .map(|(_, f)| f);
    best.or_else(|| match comparable[..] {
        [only] if single && (only.metric.is_empty() || target.metric.is_empty()) => Some(only),
        _ => None,
    })
}

fn suggest(evidence: &[Evidence]) -> Suggestion {
    let judged: Vec<bool> = evidence.iter().filter_map(|e| e.met).collect();
    if judged.is_empty() {
        return Suggestion::Unknown;
    }
    let met = judged.iter().filter(|m| **m).count();
    let all_judged = judged.len() == evidence.len();
    if all_judged && met == judged.len() {
        Suggestion::Done
    } else if all_judged && met == 0 {
        Suggestion::NotDone
    } else if met < judged.len() {
        // Some target is known to be missed: not done in full.
        Suggestion::Partial
    } else {
        // Every target that could be checked is met, but some could not be checked.
        Suggestion::Unknown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_judge_where_figures_cannot() {
        let verdict = |target: &str, progress: &str| statement_verdict(target, progress, &[]).0;
        // Done, with the phrase it rests on.
        let (s, found) =
            statement_verdict("出台实施细则。", "《实施细则》已印发，召开部署会议。", &[]);
        assert_eq!(s, Suggestion::Done);
        assert_eq!(found[0].phrase, "已印发");
        assert!(found[0].clause.contains("已印发"));
        // Held up anywhere: not done, or partly done beside a part that is.
        assert_eq!(
            verdict("完成土地报批。", "因规划调整，尚未报批。"),
            Suggestion::NotDone
        );
        assert_eq!(
            verdict(
                "甲项目：开工。乙项目：竣工验收。",
                "甲项目：已开工。乙项目：受资金影响暂缓施工。"
            ),
            Suggestion::Partial
        );
        // 尚未完成 is held, not done.
        assert_eq!(verdict("完成改造。", "改造尚未完成。"), Suggestion::NotDone);
        // Under way: short of a target that asks for something finished, no verdict on one
        // that asks for work to go on.
        assert_eq!(
            verdict("项目建成投运。", "正在进行设备调试。"),
            Suggestion::NotDone
        );
        assert_eq!(
            verdict("持续推进招商对接。", "正在对接3家企业。"),
            Suggestion::Unknown
        );
        // Nothing that says either way.
        assert_eq!(
            verdict("做好宣传。", "利用多种渠道宣传。"),
            Suggestion::Unknown
        );
    }

    fn task(goal: &str, target: Option<&str>, progress: &str, status: Status) -> SheetTask {
        let mut t = SheetTask::new(1, goal);
        t.target = target.map(str::to_owned);
        t.progress = Some(progress.to_owned());
        t.status = Some(status);
        t
    }

    const AUGUST: Period = Period::Month(2023, 8);

    #[test]
    fn one_target_met_one_missed_is_partial() {
        let a = assess_task(
            &task(
                "地区生产总值增长5.5%以上。",
                Some("一般公共预算收入增长1.5%，固定资产投资增长20%。"),
                "一般公共预算收入同比增长6.29%；固定资产投资同比下降8.7%。",
                Status::Partial,
            ),
            AUGUST,
        );
        assert_eq!(a.suggested, Suggestion::Partial);
        assert_eq!(
            a.evidence.iter().map(|e| e.met).collect::<Vec<_>>(),
            [Some(true), Some(false)]
        );
        assert!(!a.review && !a.from_goal);
    }

    #[test]
    fn synonyms_of_a_metric_match() {
        let a = assess_task(
            &task(
                "力争规上服务业营业收入增长10%以上。",
                Some("规上服务业营业收入完成同比增长15%左右。"),
                "1-7月份规上服务业营业收入实际完成同比增速1.2%；预计1-8月份完成同比增速1.9%左右。",
                Status::NotDone,
            ),
            AUGUST,
        );
        assert_eq!(a.suggested, Suggestion::NotDone);
        assert_eq!(
            a.evidence[0].reported.as_deref(),
            Some("1-7月份规上服务业营业收入实际完成同比增速1.2%")
        );
    }

    #[test]
    fn a_yearly_goal_is_due_in_proportion_to_the_year_passed() {
        // 10,000 by December is 6,667 by August: 6,803 is on time.
        let a = assess_task(
            &task(
                "新增市场主体1万户以上。",
                None,
                "截至8月底，新增市场主体6803户。",
                Status::Done,
            ),
            AUGUST,
        );
        assert!(a.from_goal);
        assert_eq!(a.suggested, Suggestion::Done);
        assert!((a.evidence[0].expected - 10_000.0 * 8.0 / 12.0).abs() < 1e-6);
    }

    #[test]
    fn disagreement_is_flagged_and_unknown_is_not() {
        let a = assess_task(
            &task(
                "x",
                Some("力争项目年度投资完成率达到60%以上。"),
                "项目年度投资完成率达55%。",
                Status::Done,
            ),
            AUGUST,
        );
        assert_eq!(a.suggested, Suggestion::NotDone);
        assert!(
            a.review,
            "the office said 完成 where the figure falls short"
        );
        let b = assess_task(
            &task(
                "x",
                Some("开展两化融合评估诊断。"),
                "组织开展两化融合评估。",
                Status::Done,
            ),
            AUGUST,
        );
        assert_eq!(b.suggested, Suggestion::Unknown);
        assert!(!b.review);
    }

    #[test]
    fn similarity() {
        assert_eq!(
            metric_similarity("规上服务业营业收入", "规模以上服务业营业收入"),
            1.0
        );
        assert!(metric_similarity("一般公共预算收入", "固定资产投资") < SAME_METRIC);
        assert!(metric_similarity("项目年度投资完成率", "年度投资完成率") >= SAME_METRIC);
    }

    #[test]
    fn a_qualitative_milestone_leaves_the_goal_as_evidence_only() {
        let b = assess_task(
            &task(
                "新增市场主体1万户以上。",
                Some("做好市场主体培育。"),
                "新增市场主体3000户。",
                Status::Done,
            ),
            AUGUST,
        );
        assert!(b.from_goal);
        assert_eq!(b.evidence[0].met, Some(false));
        assert_eq!(b.suggested, Suggestion::Unknown);
        assert!(!b.review);
    }

    #[test]
    fn a_milestone_part_without_figures_withholds_done() {
        let a = assess_task(
            &task(
                "x",
                Some("奥德隆国际广场：累计完成年度投资5100万元。希尔顿酒店：主体施工至四层。"),
                "奥德隆国际广场：累计完成年度投资5100万元。希尔顿酒店：建至正负零层。",
                Status::Partial,
            ),
            AUGUST,
        );
        assert_eq!(a.evidence[0].met, Some(true));
        assert_eq!(a.unquantified, ["希尔顿酒店：主体施工至四层"]);
        assert_eq!(a.suggested, Suggestion::Unknown);
    }

    #[test]
    fn a_running_total_matches_a_running_total() {
        let a = assess_task(
            &task(
                "x",
                Some("当月引进过亿元项目5个。引进过亿元项目累计37个。"),
                "当月新引进过亿元项目5个。新引进过亿元项目累计37个。",
                Status::Done,
            ),
            AUGUST,
        );
        assert_eq!(a.suggested, Suggestion::Done);
        assert_eq!(
            a.evidence[1].reported.as_deref(),
            Some("新引进过亿元项目累计37个")
        );
    }
}
