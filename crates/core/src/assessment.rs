//! The units' assessment (考核): inspections' findings and their rectification (整改), the scheme
//! the office sets for a year (平时 and 年终, with weights), and the scores — every point with the
//! task, period, report or finding that gave or took it.
//!
//! What is scored is the work: verdicts, timeliness of reports, findings and their rectification,
//! leaders' ratings. Nothing here can count log-ins, time online or the number of submissions (the
//! 2025 national rules against formalism in supervision forbid scoring them): the inputs have no
//! such field.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::words::coded_enum;
use crate::{Period, Status, Timeliness, UnitKind};

coded_enum! {
    /// How the office checked the work beyond the units' own reports (督查方式).
    InspectionKind, "督查方式" {
        FieldVisit = "field_visit" / "实地暗访",
        Joint = "joint" / "联合督查",
        Television = "television" / "电视通报",
        Other = "other" / "其他",
    }
}

coded_enum! {
    /// How serious a finding is (问题等级).
    Severity, "问题等级" {
        Minor = "minor" / "一般",
        Serious = "serious" / "较重",
        Grave = "grave" / "严重",
    }
}

coded_enum! {
    /// A leader's qualitative rating of a unit for the year (定性评价).
    Rating, "定性评价" {
        Excellent = "excellent" / "优秀",
        Good = "good" / "良好",
        Fair = "fair" / "一般",
        Poor = "poor" / "较差",
    }
}

/// Where a finding's rectification stands, as the scores see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rectified {
    /// Closed by the office on or before the deadline.
    OnTime,
    /// Closed after the deadline.
    Late,
    /// Not closed, the deadline not yet passed.
    Open,
    /// Not closed and past the deadline.
    Overdue,
}

impl Rectified {
    pub fn label_zh(self) -> &'static str {
        match self {
            Rectified::OnTime => "按时整改销号",
            Rectified::Late => "逾期整改销号",
            Rectified::Open => "整改中",
            Rectified::Overdue => "逾期未整改",
        }
    }
}

/// The assessment scheme of a year (考核方案), as the office writes it (JSON). Every field has a
/// default, so `{}` is the default scheme; unknown fields are refused (a misspelt weight would
/// otherwise silently count as its default).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Scheme {
    /// 平时考核: each period's verdict of the tasks a unit leads.
    pub completion: f64,
    /// 平时考核: reports reaching the office by their deadline.
    pub timeliness: f64,
    /// 平时考核: findings of inspections, taken off by severity.
    pub findings: f64,
    /// 平时考核: rectifications closed in time, taken off when late or overdue.
    pub rectification: f64,
    /// 年终考核: the year's verdict of each task a unit leads.
    pub annual: f64,
    /// 年终考核: the leaders' qualitative ratings (定性).
    pub rating: f64,
    /// Credit of a verdict (share of a task's points).
    pub credit_done: f64,
    pub credit_partial: f64,
    pub credit_not_done: f64,
    /// Credit of a report submitted after its deadline (on time: 1, missing: 0).
    pub credit_late: f64,
    /// Points taken off per finding, by severity.
    pub minus_minor: f64,
    pub minus_serious: f64,
    pub minus_grave: f64,
    /// Points taken off per rectification closed late, and per one overdue and still open.
    pub minus_late_rectification: f64,
    pub minus_overdue_rectification: f64,
    /// Share of the rating's points for each rating; a unit no leader rated gets `rating_unrated`.
    pub rating_excellent: f64,
    pub rating_good: f64,
    pub rating_fair: f64,
    pub rating_poor: f64,
    pub rating_unrated: f64,
}

impl Default for Scheme {
    fn default() -> Scheme {
        Scheme {
            completion: 25.0,
            timeliness: 10.0,
            findings: 5.0,
            rectification: 5.0,
            annual: 45.0,
            rating: 10.0,
            credit_done: 1.0,
            credit_partial: 0.5,
            credit_not_done: 0.0,
            credit_late: 0.5,
            minus_minor: 1.0,
            minus_serious: 2.0,
            minus_grave: 4.0,
            minus_late_rectification: 1.0,
            minus_overdue_rectification: 2.0,
            rating_excellent: 1.0,
            rating_good: 0.8,
            rating_fair: 0.6,
            rating_poor: 0.4,
            rating_unrated: 0.8,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SchemeError {
    #[error("考核方案无法读取：{0}")]
    Syntax(String),
    #[error("考核方案中“{field}”为 {value}：分值和扣分不能为负数，得分比例须在 0 到 1 之间")]
    OutOfRange { field: &'static str, value: String },
    #[error("考核方案的总分为 0：至少一项须有分值")]
    Empty,
}

impl Scheme {
    /// Reads a scheme from its JSON text and checks it.
    pub fn from_json(text: &str) -> Result<Scheme, SchemeError> {
        let scheme: Scheme =
            serde_json::from_str(text).map_err(|e| SchemeError::Syntax(e.to_string()))?;
        scheme.check()?;
        Ok(scheme)
    }

    /// The scheme as the office edits it: pretty JSON with every field.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    fn check(&self) -> Result<(), SchemeError> {
        let weights = [
            ("completion", self.completion),
            ("timeliness", self.timeliness),
            ("findings", self.findings),
            ("rectification", self.rectification),
            ("annual", self.annual),
            ("rating", self.rating),
            ("minus_minor", self.minus_minor),
            ("minus_serious", self.minus_serious),
            ("minus_grave", self.minus_grave),
            ("minus_late_rectification", self.minus_late_rectification),
            (
                "minus_overdue_rectification",
                self.minus_overdue_rectification,
            ),
        ];
        let shares = [
            ("credit_done", self.credit_done),
            ("credit_partial", self.credit_partial),
            ("credit_not_done", self.credit_not_done),
            ("credit_late", self.credit_late),
            ("rating_excellent", self.rating_excellent),
            ("rating_good", self.rating_good),
            ("rating_fair", self.rating_fair),
            ("rating_poor", self.rating_poor),
            ("rating_unrated", self.rating_unrated),
        ];
        for (field, value) in weights {
            if !(value.is_finite() && value >= 0.0) {
                return Err(SchemeError::OutOfRange {
                    field,
                    value: value.to_string(),
                });
            }
        }
        for (field, value) in shares {
            if !(0.0..=1.0).contains(&value) {
                return Err(SchemeError::OutOfRange {
                    field,
                    value: value.to_string(),
                });
            }
        }
        if self.total() <= 0.0 {
            return Err(SchemeError::Empty);
        }
        Ok(())
    }

    /// The most a unit can score.
    pub fn total(&self) -> f64 {
        self.completion
            + self.timeliness
            + self.findings
            + self.rectification
            + self.annual
            + self.rating
    }

    fn credit(&self, status: Status) -> f64 {
        match status {
            Status::Done => self.credit_done,
            Status::Partial => self.credit_partial,
            Status::NotDone => self.credit_not_done,
            Status::Unreported => 0.0,
        }
    }

    fn minus(&self, severity: Severity) -> f64 {
        match severity {
            Severity::Minor => self.minus_minor,
            Severity::Serious => self.minus_serious,
            Severity::Grave => self.minus_grave,
        }
    }

    fn rating_share(&self, rating: Rating) -> f64 {
        match rating {
            Rating::Excellent => self.rating_excellent,
            Rating::Good => self.rating_good,
            Rating::Fair => self.rating_fair,
            Rating::Poor => self.rating_poor,
        }
    }
}

/// One period's verdict of a task, for its lead unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodVerdict {
    pub unit: String,
    pub seq: u32,
    pub period: Period,
    /// The verdict as accepted (未报送 when nothing came in), before any finding lowers it.
    pub status: Status,
    /// Findings of that task and period that lower the verdict (a step each).
    pub lowered_by: Vec<i64>,
    /// Whether the lead unit's report reached the office by its deadline.
    pub timeliness: Timeliness,
}

impl PeriodVerdict {
    /// The verdict after the findings that lower it: 完成 → 部分完成 → 未完成.
    pub fn verdict(&self) -> Status {
        lower(self.status, self.lowered_by.len())
    }
}

/// A status lowered `steps` times (未报送 stays).
pub fn lower(status: Status, steps: usize) -> Status {
    (0..steps).fold(status, |s, _| match s {
        Status::Done => Status::Partial,
        Status::Partial | Status::NotDone => Status::NotDone,
        Status::Unreported => Status::Unreported,
    })
}

/// A finding against a unit, with where its rectification stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindingFact {
    pub id: i64,
    pub unit: String,
    pub seq: u32,
    pub kind: InspectionKind,
    pub severity: Severity,
    pub rectified: Rectified,
    /// The rectification's deadline (YYYY-MM-DD), for the explanation.
    pub due: String,
}

/// What the scores are computed from.
#[derive(Debug, Clone, Default)]
pub struct ScoreInputs {
    /// Every unit that leads a task, with its kind (units are ranked within their kind).
    pub units: Vec<(String, UnitKind)>,
    /// Each task's verdict per period that is due, for its lead unit.
    pub periods: Vec<PeriodVerdict>,
    /// Each task's verdict for the year (年终), for its lead unit.
    pub years: Vec<(String, u32, Status)>,
    pub findings: Vec<FindingFact>,
    /// Leaders' ratings: (unit, leader, rating).
    pub ratings: Vec<(String, String, Rating)>,
}

/// One line of a unit's score: which item, how many points, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ScorePart {
    /// 完成情况, 报送及时, 督查发现问题, 整改销号, 年终评定 or 定性评价.
    pub item: String,
    /// Points given (or, negative, taken off), to two decimals.
    pub points: f64,
    /// The most this line could have given (0 for a deduction): where `points` is less, points
    /// were lost.
    pub max: f64,
    pub reason: String,
}

/// A unit's score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct UnitScore {
    pub unit: String,
    pub kind: UnitKind,
    /// The sum of the parts.
    pub total: f64,
    /// The rank among units of the same kind (1 is best; equal totals share a rank).
    pub rank: usize,
    pub parts: Vec<ScorePart>,
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// The scores of every unit by the scheme, ranked within each kind. Each item's points are
/// shared out over what it counts (a unit leading four tasks over three periods has twelve
/// verdicts, each worth a twelfth of the completion points); deductions stop at the item's
/// points. The total is the sum of the parts as printed (rounded to two decimals).
pub fn score(scheme: &Scheme, inputs: &ScoreInputs) -> Vec<UnitScore> {
    let mut scores: Vec<UnitScore> = inputs
        .units
        .iter()
        .map(|(unit, kind)| {
            let mut parts = Vec::new();
            let periods: Vec<&PeriodVerdict> =
                inputs.periods.iter().filter(|p| &p.unit == unit).collect();
            shared(
                &mut parts,
                "完成情况",
                scheme.completion,
                periods.iter().map(|p| {
                    let verdict = p.verdict();
                    let mut reason = format!(
                        "序号 {} {}：{}",
                        p.seq,
                        p.period.label_zh(),
                        verdict.label_zh()
                    );
                    if !p.lowered_by.is_empty() {
                        let ids: Vec<String> =
                            p.lowered_by.iter().map(|id| format!("#{id}")).collect();
                        reason.push_str(&format!(
                            "（报送为{}，督查发现问题 {} 降一档）",
                            p.status.label_zh(),
                            ids.join("、")
                        ));
                    }
                    (scheme.credit(verdict), reason)
                }),
                "本期没有到期的牵头任务",
            );
            shared(
                &mut parts,
                "报送及时",
                scheme.timeliness,
                periods.iter().map(|p| {
                    let credit = match p.timeliness {
                        Timeliness::OnTime | Timeliness::Open => 1.0,
                        Timeliness::Late => scheme.credit_late,
                        Timeliness::Missing => 0.0,
                    };
                    (
                        credit,
                        format!(
                            "序号 {} {}：{}",
                            p.seq,
                            p.period.label_zh(),
                            p.timeliness.label_zh()
                        ),
                    )
                }),
                "本期没有到期的牵头任务",
            );
            let findings: Vec<&FindingFact> =
                inputs.findings.iter().filter(|f| &f.unit == unit).collect();
            deducted(
                &mut parts,
                "督查发现问题",
                scheme.findings,
                findings.iter().map(|f| {
                    (
                        scheme.minus(f.severity),
                        format!(
                            "问题 #{}（{}，序号 {}，{}）",
                            f.id,
                            f.kind.label_zh(),
                            f.seq,
                            f.severity.label_zh()
                        ),
                    )
                }),
            );
            deducted(
                &mut parts,
                "整改销号",
                scheme.rectification,
                findings.iter().filter_map(|f| {
                    let minus = match f.rectified {
                        Rectified::Late => scheme.minus_late_rectification,
                        Rectified::Overdue => scheme.minus_overdue_rectification,
                        Rectified::OnTime | Rectified::Open => return None,
                    };
                    Some((
                        minus,
                        format!(
                            "问题 #{}：{}（整改时限 {}）",
                            f.id,
                            f.rectified.label_zh(),
                            f.due
                        ),
                    ))
                }),
            );
            shared(
                &mut parts,
                "年终评定",
                scheme.annual,
                inputs
                    .years
                    .iter()
                    .filter(|(u, _, _)| u == unit)
                    .map(|(_, seq, status)| {
                        (
                            scheme.credit(*status),
                            format!("序号 {seq} 全年：{}", status.label_zh()),
                        )
                    }),
                "没有牵头任务",
            );
            let ratings: Vec<&(String, String, Rating)> = inputs
                .ratings
                .iter()
                .filter(|(u, _, _)| u == unit)
                .collect();
            if ratings.is_empty() {
                push(
                    &mut parts,
                    "定性评价",
                    (scheme.rating * scheme.rating_unrated, scheme.rating),
                    format!(
                        "没有领导评价，按方案计 {:.0}%",
                        scheme.rating_unrated * 100.0
                    ),
                );
            } else {
                shared(
                    &mut parts,
                    "定性评价",
                    scheme.rating,
                    ratings.iter().map(|(_, leader, rating)| {
                        (
                            scheme.rating_share(*rating),
                            format!("{leader}：{}", rating.label_zh()),
                        )
                    }),
                    "",
                );
            }
            let total = round2(parts.iter().map(|p| p.points).sum());
            UnitScore {
                unit: unit.clone(),
                kind: *kind,
                total,
                rank: 0,
                parts,
            }
        })
        .collect();
    scores.sort_by(|a, b| {
        a.kind
            .cmp(&b.kind)
            .then(b.total.total_cmp(&a.total))
            .then(a.unit.cmp(&b.unit))
    });
    let mut by_kind: BTreeMap<UnitKind, (usize, usize, f64)> = BTreeMap::new();
    for s in &mut scores {
        let (seen, rank, last) = by_kind.entry(s.kind).or_insert((0, 0, f64::NAN));
        *seen += 1;
        if s.total != *last {
            *rank = *seen;
            *last = s.total;
        }
        s.rank = *rank;
    }
    scores
}

fn push(parts: &mut Vec<ScorePart>, item: &str, (points, max): (f64, f64), reason: String) {
    parts.push(ScorePart {
        item: item.to_owned(),
        points: round2(points),
        max: round2(max),
        reason,
    });
}

/// An item whose points are shared equally over what it counts, each earning its credit.
/// Nothing counted: the item's points in full, with `none` as the reason.
fn shared(
    parts: &mut Vec<ScorePart>,
    item: &str,
    points: f64,
    counted: impl Iterator<Item = (f64, String)>,
    none: &str,
) {
    let counted: Vec<(f64, String)> = counted.collect();
    if points == 0.0 {
        return;
    }
    if counted.is_empty() {
        push(parts, item, (points, points), format!("{none}，计满分"));
        return;
    }
    let each = points / counted.len() as f64;
    let raw: Vec<f64> = counted.iter().map(|(credit, _)| each * credit).collect();
    let cents = in_cents(&raw);
    let max = in_cents(&vec![each; counted.len()]);
    for (((credit, reason), cents), max) in counted.into_iter().zip(cents).zip(max) {
        parts.push(ScorePart {
            item: item.to_owned(),
            points: cents as f64 / 100.0,
            max: max as f64 / 100.0,
            reason: format!("{reason}（每项 {:.2} 分，得 {:.0}%）", each, credit * 100.0),
        });
    }
}

/// Shares in whole cents that add up to the rounded sum (largest remainders get the odd cents),
/// so that an item never prints more than its points because of rounding.
fn in_cents(shares: &[f64]) -> Vec<i64> {
    let total = (shares.iter().sum::<f64>() * 100.0).round() as i64;
    let mut cents: Vec<i64> = shares.iter().map(|s| (s * 100.0).floor() as i64).collect();
    let mut order: Vec<usize> = (0..shares.len()).collect();
    order.sort_by(|&a, &b| {
        let frac = |i: usize| shares[i] * 100.0 - (shares[i] * 100.0).floor();
        frac(b).total_cmp(&frac(a)).then(a.cmp(&b))
    });
    let missing = total - cents.iter().sum::<i64>();
    for &i in order
        .iter()
        .take(usize::try_from(missing.max(0)).unwrap_or(0))
    {
        cents[i] += 1;
    }
    cents
}

/// An item that starts full and loses points per deduction, down to zero.
fn deducted(
    parts: &mut Vec<ScorePart>,
    item: &str,
    points: f64,
    deductions: impl Iterator<Item = (f64, String)>,
) {
    if points == 0.0 {
        return;
    }
    push(parts, item, (points, points), "基础分".to_owned());
    let mut left = round2(points);
    for (minus, reason) in deductions {
        let taken = round2(minus).min(left);
        left = round2(left - taken);
        let reason = if taken < round2(minus) {
            format!("{reason}：扣 {minus:.2} 分，本项扣至 0 分为止")
        } else {
            reason
        };
        push(parts, item, (-taken, 0.0), reason);
    }
}

/// What a rectification report's signature covers.
#[derive(Debug, Clone, Copy)]
pub struct RectificationText<'a> {
    pub ledger: &'a str,
    pub seq: u32,
    pub finding: i64,
    pub finding_text: &'a str,
    pub unit: &'a str,
    pub body: &'a str,
    /// SHA-256 of the unit's files on the finding.
    pub files: &'a [String],
}

/// The exact bytes a unit head signs when approving a rectification report: the finding it
/// answers, what the unit did and the files it attached, under its own first line so it never
/// passes for a report.
pub fn rectification_signed_text(r: RectificationText<'_>, approved_at: &str) -> Vec<u8> {
    let mut text = format!(
        "duban-rectification-v1\n台账:{}\n序号:{}\n问题:#{} {}\n单位:{}\n审核时间:{approved_at}\n整改情况:\n{}",
        r.ledger, r.seq, r.finding, r.finding_text, r.unit, r.body
    );
    if !r.files.is_empty() {
        let mut sorted = r.files.to_vec();
        sorted.sort();
        text.push_str("\n附件:");
        for hash in sorted {
            text.push('\n');
            text.push_str(&hash);
        }
    }
    text.into_bytes()
}

/// The year's verdict of a task (年终评定) from its periods' verdicts (after findings): the last
/// period of the year decides; a year-end period not reported counts as not done.
pub fn year_verdict(periods: &[&PeriodVerdict]) -> Option<Status> {
    let last = periods.iter().max_by_key(|p| p.period)?;
    Some(match last.verdict() {
        Status::Unreported => Status::NotDone,
        verdict => verdict,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdict(unit: &str, seq: u32, month: u8, status: Status, t: Timeliness) -> PeriodVerdict {
        PeriodVerdict {
            unit: unit.to_owned(),
            seq,
            period: Period::Month(2023, month),
            status,
            lowered_by: Vec::new(),
            timeliness: t,
        }
    }

    fn inputs() -> ScoreInputs {
        let mut periods = Vec::new();
        for unit in ["甲局", "乙局"] {
            for month in [9, 10] {
                periods.push(verdict(unit, 1, month, Status::Done, Timeliness::OnTime));
            }
        }
        ScoreInputs {
            units: vec![
                ("甲局".to_owned(), UnitKind::Department),
                ("乙局".to_owned(), UnitKind::Department),
                ("丙镇".to_owned(), UnitKind::Town),
            ],
            periods,
            years: vec![
                ("甲局".to_owned(), 1, Status::Done),
                ("乙局".to_owned(), 1, Status::Done),
            ],
            findings: Vec::new(),
            ratings: Vec::new(),
        }
    }

    fn sums(score: &UnitScore) -> bool {
        (round2(score.parts.iter().map(|p| p.points).sum()) - score.total).abs() < 1e-9
    }

    #[test]
    fn equal_units_score_equal_and_full_marks_are_the_scheme_total() {
        let scheme = Scheme::default();
        let scores = score(&scheme, &inputs());
        let a = scores.iter().find(|s| s.unit == "甲局").expect("甲局");
        let b = scores.iter().find(|s| s.unit == "乙局").expect("乙局");
        assert_eq!(a.total, b.total);
        assert_eq!(a.rank, 1);
        assert_eq!(b.rank, 1);
        // Everything done on time, no finding, unrated: all but a fifth of the rating.
        assert_eq!(a.total, round2(scheme.total() - scheme.rating * 0.2));
        assert!(scores.iter().all(sums));
        // Units are ranked within their kind.
        let c = scores.iter().find(|s| s.unit == "丙镇").expect("丙镇");
        assert_eq!(c.rank, 1);
    }

    #[test]
    fn a_task_not_done_or_an_overdue_rectification_scores_lower_and_says_why() {
        let scheme = Scheme::default();
        let mut inputs = inputs();
        inputs.periods[3].status = Status::NotDone;
        inputs.years[1].2 = Status::NotDone;
        let scores = score(&scheme, &inputs);
        let (a, b) = (&scores[0], &scores[1]);
        assert_eq!((a.unit.as_str(), b.unit.as_str()), ("甲局", "乙局"));
        assert!(a.total > b.total && b.rank == 2);
        assert!(
            b.parts.iter().any(|p| p.item == "完成情况"
                && p.points == 0.0
                && p.reason.contains("序号 1 2023年10月份：未完成")),
            "{:?}",
            b.parts
        );

        let mut inputs = self::inputs();
        inputs.findings.push(FindingFact {
            id: 7,
            unit: "甲局".to_owned(),
            seq: 1,
            kind: InspectionKind::FieldVisit,
            severity: Severity::Serious,
            rectified: Rectified::Overdue,
            due: "2023-10-20".to_owned(),
        });
        let scores = score(&scheme, &inputs);
        let a = scores.iter().find(|s| s.unit == "甲局").expect("甲局");
        let b = scores.iter().find(|s| s.unit == "乙局").expect("乙局");
        assert_eq!(
            round2(b.total - a.total),
            4.0,
            "2 for the finding, 2 overdue"
        );
        assert!(a.parts.iter().any(|p| p.points == -2.0
            && p.item == "整改销号"
            && p.reason.contains("#7")
            && p.reason.contains("逾期未整改")));
        assert!(scores.iter().all(sums));
    }

    #[test]
    fn shares_never_add_up_to_more_than_the_item() {
        let scheme = Scheme::default();
        let mut inputs = inputs();
        // Nine verdicts: a ninth of 25 points does not print in whole cents.
        inputs.periods = (1..=9)
            .map(|m| verdict("甲局", 1, m, Status::Done, Timeliness::OnTime))
            .collect();
        let scores = score(&scheme, &inputs);
        let a = scores.iter().find(|s| s.unit == "甲局").expect("甲局");
        let completion: f64 = a
            .parts
            .iter()
            .filter(|p| p.item == "完成情况")
            .map(|p| p.points)
            .sum();
        assert_eq!(round2(completion), 25.0);
        assert_eq!(a.total, round2(scheme.total() - scheme.rating * 0.2));
    }

    #[test]
    fn a_finding_lowers_the_verdict_of_its_period() {
        let mut v = verdict("甲局", 1, 9, Status::Done, Timeliness::OnTime);
        v.lowered_by = vec![3];
        assert_eq!(v.verdict(), Status::Partial);
        v.lowered_by = vec![3, 4];
        assert_eq!(v.verdict(), Status::NotDone);
        assert_eq!(year_verdict(&[&v]), Some(Status::NotDone));
        let unreported = verdict("甲局", 1, 12, Status::Unreported, Timeliness::Missing);
        assert_eq!(year_verdict(&[&v, &unreported]), Some(Status::NotDone));
    }

    #[test]
    fn deductions_stop_at_zero_and_say_so() {
        let scheme = Scheme {
            findings: 3.0,
            ..Scheme::default()
        };
        let mut inputs = inputs();
        for id in 1..=2 {
            inputs.findings.push(FindingFact {
                id,
                unit: "甲局".to_owned(),
                seq: 1,
                kind: InspectionKind::Joint,
                severity: Severity::Serious,
                rectified: Rectified::OnTime,
                due: "2023-10-20".to_owned(),
            });
        }
        let scores = score(&scheme, &inputs);
        let a = scores.iter().find(|s| s.unit == "甲局").expect("甲局");
        let finding_points: f64 = a
            .parts
            .iter()
            .filter(|p| p.item == "督查发现问题")
            .map(|p| p.points)
            .sum();
        assert_eq!(finding_points, 0.0);
        assert!(a.parts.iter().any(|p| p.reason.contains("扣至 0 分为止")));
    }

    #[test]
    fn a_weight_changes_the_ranking_as_expected() {
        // 甲 reports late but everything is done; 乙 is on time but one period is partial.
        let mut inputs = inputs();
        inputs.periods[0].timeliness = Timeliness::Late;
        inputs.periods[1].timeliness = Timeliness::Late;
        inputs.periods[3].status = Status::Partial;
        let on_time_matters = Scheme {
            timeliness: 30.0,
            ..Scheme::default()
        };
        let done_matters = Scheme {
            timeliness: 1.0,
            completion: 40.0,
            ..Scheme::default()
        };
        let first = |scheme: &Scheme| score(scheme, &inputs)[0].unit.clone();
        assert_eq!(first(&on_time_matters), "乙局");
        assert_eq!(first(&done_matters), "甲局");
    }

    #[test]
    fn schemes_are_checked() {
        assert_eq!(Scheme::from_json("{}"), Ok(Scheme::default()));
        let scheme = Scheme::from_json(r#"{"completion": 30, "rating": 0}"#).expect("scheme");
        assert_eq!(scheme.completion, 30.0);
        assert!(matches!(
            Scheme::from_json(r#"{"complettion": 30}"#),
            Err(SchemeError::Syntax(_))
        ));
        assert!(matches!(
            Scheme::from_json(r#"{"credit_partial": 2}"#),
            Err(SchemeError::OutOfRange {
                field: "credit_partial",
                ..
            })
        ));
        assert!(matches!(
            Scheme::from_json(r#"{"timeliness": -1}"#),
            Err(SchemeError::OutOfRange { .. })
        ));
        let zero = r#"{"completion":0,"timeliness":0,"findings":0,"rectification":0,"annual":0,"rating":0}"#;
        assert_eq!(Scheme::from_json(zero), Err(SchemeError::Empty));
        assert_eq!(
            Scheme::from_json(&Scheme::default().to_json()),
            Ok(Scheme::default())
        );
    }
}
