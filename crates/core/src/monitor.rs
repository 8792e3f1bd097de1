//! Plan monitoring (规划监测): the path each main indicator is expected to take from its baseline
//! year to its target year, and the judgement of a year's actual value against it (达到序时进度 /
//! 滞后 / 未达到 / 无数据).
//!
//! The rule is read from the indicator's cells as printed, never from its name alone: a level
//! with a target and no growth rate moves in equal steps; a total with a yearly growth rate
//! compounds; a yearly rate is expected every year; a bound (以内, 以上) holds every year; a
//! cumulative figure ([累计]) adds up; a target in words (完成市下达任务, 与GDP增长同步) takes the
//! yearly value the office enters. Cells with two numbers (男性…，女性…) are two series.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::plan::{Attribute, Indicator, IndicatorValue};
use crate::target::Bound;
use crate::words::coded_enum;

coded_enum! {
    /// How an indicator's expected value moves year by year (序时路径).
    PathRule, "路径规则" {
        /// Equal steps from the baseline to the target (线性推进).
        Linear = "linear" / "等量推进",
        /// The baseline compounding at the yearly growth rate (按年均增速复合增长).
        Compound = "compound" / "按年均增速增长",
        /// The same yearly rate expected every year (逐年增速).
        Rate = "rate" / "逐年增速",
        /// A ceiling held every year (以内).
        Ceiling = "ceiling" / "不超过上限",
        /// A floor held every year (以上, 保持在…, a binding target below today's level).
        Floor = "floor" / "不低于下限",
        /// A total over the plan's years, adding up (累计).
        Cumulative = "cumulative" / "累计",
        /// The yearly value the office enters (完成市下达任务, 与GDP增长同步).
        Assigned = "assigned" / "按下达值",
        /// Only the target year's value is set (no baseline).
        TargetOnly = "target_only" / "仅目标年",
        /// Nothing to measure against (baseline only): monitored, not judged.
        Watched = "watched" / "仅监测",
    }
}

coded_enum! {
    /// A year's judgement of an indicator (序时进度).
    Judgement, "评价" {
        OnTrack = "on_track" / "达到序时进度",
        Behind = "behind" / "滞后",
        /// A binding (约束性) indicator short of its path or bound.
        Missed = "missed" / "未达到",
        NoData = "no_data" / "无数据",
    }
}

coded_enum! {
    /// Where a project of the plan stands (项目阶段).
    ProjectStage, "项目阶段" {
        Preparing = "preparing" / "前期",
        Building = "building" / "在建",
        Completed = "completed" / "竣工",
        Operating = "operating" / "投运",
    }
}

/// One series of an indicator (most have one; 男性/女性 two).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Series {
    /// 男性, 女性 …; empty for a single series.
    pub label: String,
    pub baseline: Option<f64>,
    pub target: Option<f64>,
}

/// An indicator's path from its baseline year to its target year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorPath {
    pub rule: PathRule,
    pub series: Vec<Series>,
    pub base_year: i32,
    pub target_year: i32,
    /// The yearly growth rate (%) of a compounding or a rate rule; the bound of a ceiling or
    /// floor; the total of a cumulative rule.
    pub value: Option<f64>,
    /// Smaller is better (a ceiling, or a level planned to fall).
    pub lower_is_better: bool,
    /// 约束性: short of the path is 未达到, not 滞后.
    pub binding: bool,
}

/// A judgement with what it rests on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    pub judgement: Judgement,
    /// Per series: expected on the path that year (None where the rule sets none).
    pub expected: Vec<Option<f64>>,
    /// How far behind the path (in the indicator's unit), per series; 0 when on track.
    pub gap: Vec<f64>,
    /// What the remaining years need to reach the target: the yearly growth (%) for a
    /// compounding total, else the yearly step; None where nothing is left to reach.
    pub needed: Vec<Option<f64>>,
}

fn numbers(value: &Option<IndicatorValue>) -> Vec<f64> {
    value
        .as_ref()
        .map(|v| v.numbers.clone())
        .unwrap_or_default()
}

/// The labels of a two-part cell (男性78.42，女性85.99 → 男性, 女性).
fn labels(value: &Option<IndicatorValue>, n: usize) -> Vec<String> {
    if n < 2 {
        return vec![String::new()];
    }
    let text = value.as_ref().map(|v| v.text.as_str()).unwrap_or_default();
    let parts: Vec<String> = text
        .split(['，', ',', '；', ';'])
        .map(|p| {
            p.chars()
                .take_while(|c| !c.is_ascii_digit() && *c != '.')
                .collect::<String>()
                .trim()
                .to_owned()
        })
        .collect();
    (0..n)
        .map(|i| {
            parts
                .get(i)
                .filter(|l| !l.is_empty())
                .cloned()
                .unwrap_or_else(|| format!("第{}项", i + 1))
        })
        .collect()
}

/// Words that make a cell an assignment rather than a figure: the yearly value comes from
/// elsewhere (a higher level's quota, another indicator).
fn is_words(value: &IndicatorValue) -> bool {
    value.numbers.is_empty() && !value.text.trim().is_empty()
}

fn is_cumulative(value: &IndicatorValue) -> bool {
    let t = value.text.trim();
    t.starts_with('[') || t.starts_with('［') || t.contains("累计")
}

/// A name that states a rate of change (增长速度, 增速, 下降率 …), which a single figure in the
/// growth column is expected to meet every year.
fn names_a_rate(name: &str) -> bool {
    ["增长", "增速", "速度", "下降", "降低", "提高"]
        .iter()
        .any(|w| name.contains(w))
}

impl IndicatorPath {
    /// The path of a plan's indicator between `base_year` and `target_year`.
    pub fn of(indicator: &Indicator, base_year: i32, target_year: i32) -> IndicatorPath {
        let (baseline, target, growth) = (
            numbers(&indicator.baseline),
            numbers(&indicator.target),
            numbers(&indicator.growth),
        );
        let n = baseline.len().max(target.len()).max(1);
        let labels = labels(
            if target.len() >= baseline.len() {
                &indicator.target
            } else {
                &indicator.baseline
            },
            n,
        );
        let series: Vec<Series> = (0..n)
            .map(|i| Series {
                label: labels[i].clone(),
                baseline: baseline.get(i).copied(),
                target: target.get(i).copied(),
            })
            .collect();
        let binding = indicator.attribute == Attribute::Binding;
        let target_bound = indicator.target.as_ref().and_then(|t| t.bound);
        let growth_value = growth.first().copied();
        let (rule, value) = match (&indicator.target, &indicator.growth) {
            (Some(t), _) if is_words(t) => (PathRule::Assigned, None),
            (Some(_), _) if target_bound == Some(Bound::AtMost) => {
                (PathRule::Ceiling, target.first().copied())
            }
            (Some(_), _) if target_bound == Some(Bound::AtLeast) => {
                (PathRule::Floor, target.first().copied())
            }
            (_, Some(g)) if is_cumulative(g) && growth_value.is_some() => {
                (PathRule::Cumulative, growth_value)
            }
            (None, Some(g)) if is_words(g) => (PathRule::Assigned, None),
            (None, Some(_)) if growth_value.is_some() && names_a_rate(&indicator.name) => {
                (PathRule::Rate, growth_value)
            }
            (Some(_), _) if !target.is_empty() && baseline.is_empty() => {
                (PathRule::TargetOnly, None)
            }
            (Some(_), growth)
                if !target.is_empty()
                    && binding
                    && baseline.first() > target.first()
                    && !names_a_rate(&indicator.name)
                    && growth.is_none() =>
            {
                // An obligation set below today's level is a level to hold (粮食生产能力).
                (PathRule::Floor, target.first().copied())
            }
            (Some(_), Some(_))
                if !target.is_empty() && growth_value.is_some() && indicator.uom != "%" =>
            {
                (PathRule::Compound, growth_value)
            }
            (Some(_), _) if !target.is_empty() => (PathRule::Linear, None),
            _ => (PathRule::Watched, None),
        };
        let lower_is_better = match rule {
            PathRule::Ceiling => true,
            PathRule::Linear | PathRule::Compound => series
                .first()
                .is_some_and(|s| matches!((s.baseline, s.target), (Some(b), Some(t)) if t < b)),
            _ => false,
        };
        IndicatorPath {
            rule,
            series,
            base_year,
            target_year,
            value,
            lower_is_better,
            binding,
        }
    }

    /// The value expected in `year` for each series; `assigned` is what the office entered for
    /// that year (for the rule that takes it).
    pub fn expected(&self, year: i32, assigned: Option<f64>) -> Vec<Option<f64>> {
        let span = f64::from((self.target_year - self.base_year).max(1));
        let elapsed = f64::from(year - self.base_year);
        if year <= self.base_year || year > self.target_year {
            return vec![None; self.series.len()];
        }
        self.series
            .iter()
            .map(|s| match self.rule {
                PathRule::Linear => match (s.baseline, s.target) {
                    (Some(b), Some(t)) => Some(b + (t - b) * elapsed / span),
                    _ => None,
                },
                PathRule::Compound => s
                    .baseline
                    .zip(self.value)
                    .map(|(b, r)| b * (1.0 + r / 100.0).powf(elapsed)),
                PathRule::Rate | PathRule::Ceiling | PathRule::Floor => self.value,
                PathRule::Cumulative => self.value.map(|total| total * elapsed / span),
                PathRule::Assigned => assigned,
                PathRule::TargetOnly => (year == self.target_year).then_some(s.target).flatten(),
                PathRule::Watched => None,
            })
            .map(|v| v.map(round))
            .collect()
    }

    /// The value expected after the first `months` of `year` (序时进度 within the year, from
    /// quarterly figures): a level or a running total moves from the year before by the months'
    /// share of the year's step (a compounding one geometrically); a rate or a bound holds all
    /// year; an assigned value is the year's.
    pub fn expected_within(
        &self,
        year: i32,
        months: u32,
        assigned: Option<f64>,
    ) -> Vec<Option<f64>> {
        let current = self.expected(year, assigned);
        if months >= 12 {
            return current;
        }
        let share = f64::from(months) / 12.0;
        let before: Vec<Option<f64>> = if year - 1 == self.base_year {
            self.series
                .iter()
                .map(|s| match self.rule {
                    PathRule::Cumulative => Some(0.0),
                    _ => s.baseline,
                })
                .collect()
        } else {
            self.expected(year - 1, None)
        };
        current
            .iter()
            .zip(before)
            .map(|(now, before)| match self.rule {
                PathRule::Linear | PathRule::Cumulative => {
                    now.zip(before).map(|(n, b)| round(b + (n - b) * share))
                }
                PathRule::Compound => now
                    .zip(before)
                    .filter(|(_, b)| *b > 0.0)
                    .map(|(n, b)| round(b * (n / b).powf(share))),
                PathRule::TargetOnly => None,
                _ => *now,
            })
            .collect()
    }

    /// The judgement after the first `months` of `year` from the figure so far (a quarter's
    /// cumulative or end-of-quarter value; for a cumulative rule the earlier years are added by
    /// the caller). Nothing is said of what later years need.
    pub fn judge_within(
        &self,
        year: i32,
        months: u32,
        actual: &[f64],
        assigned: Option<f64>,
    ) -> Verdict {
        let mut verdict =
            self.judge_against(year, self.expected_within(year, months, assigned), actual);
        verdict.needed = vec![None; verdict.needed.len()];
        verdict
    }

    /// The judgement of `year` from the actual values (per series; for a cumulative rule the
    /// years' values so far are summed by the caller).
    pub fn judge(&self, year: i32, actual: &[f64], assigned: Option<f64>) -> Verdict {
        self.judge_against(year, self.expected(year, assigned), actual)
    }

    fn judge_against(&self, year: i32, expected: Vec<Option<f64>>, actual: &[f64]) -> Verdict {
        if actual.is_empty() {
            return Verdict {
                judgement: Judgement::NoData,
                gap: vec![0.0; expected.len()],
                needed: vec![None; expected.len()],
                expected,
            };
        }
        let mut gap = Vec::new();
        let mut needed = Vec::new();
        let mut short = false;
        for (i, e) in expected.iter().enumerate() {
            let Some(a) = actual.get(i).or(actual.first()).copied() else {
                gap.push(0.0);
                needed.push(None);
                continue;
            };
            let behind = match e {
                Some(e) if self.lower_is_better => (a - e).max(0.0),
                Some(e) => (e - a).max(0.0),
                None => 0.0,
            };
            // A hundredth of a unit is the precision of the tables.
            if behind > 0.005 {
                short = true;
            }
            gap.push(round(behind));
            needed.push(self.needed(i, year, a));
        }
        let judgement = match (short, self.binding) {
            (false, _) => Judgement::OnTrack,
            (true, true) => Judgement::Missed,
            (true, false) => Judgement::Behind,
        };
        Verdict {
            judgement,
            expected,
            gap,
            needed,
        }
    }

    /// What the years after `year` need, from `actual`, to reach the target.
    fn needed(&self, series: usize, year: i32, actual: f64) -> Option<f64> {
        let left = self.target_year - year;
        if left <= 0 {
            return None;
        }
        let target = self.series.get(series)?.target?;
        match self.rule {
            PathRule::Compound if actual > 0.0 => Some(round(
                ((target / actual).powf(1.0 / f64::from(left)) - 1.0) * 100.0,
            )),
            PathRule::Linear => Some(round((target - actual) / f64::from(left))),
            _ => None,
        }
    }
}

fn round(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// The base and target years of a plan issued in `year`: five-year plans run from the year
/// before their issue, rounded to the plan cycle (2021 → 2020–2025, 2026 → 2025–2030).
pub fn plan_years(issued: i32) -> (i32, i32) {
    let base = (issued - 1).div_euclid(5) * 5;
    (base, base + 5)
}

/// Years' values of a cumulative indicator summed up to each year.
pub fn cumulative(values: &BTreeMap<i32, f64>) -> BTreeMap<i32, f64> {
    let mut sum = 0.0;
    values
        .iter()
        .map(|(y, v)| {
            sum += v;
            (*y, round(sum))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(text: &str, numbers: &[f64], bound: Option<Bound>) -> Option<IndicatorValue> {
        Some(IndicatorValue {
            text: text.to_owned(),
            numbers: numbers.to_vec(),
            bound,
        })
    }

    fn indicator(
        name: &str,
        uom: &str,
        baseline: Option<IndicatorValue>,
        target: Option<IndicatorValue>,
        growth: Option<IndicatorValue>,
        attribute: Attribute,
    ) -> Indicator {
        Indicator {
            category: String::new(),
            name: name.to_owned(),
            uom: uom.to_owned(),
            baseline,
            target,
            growth,
            attribute,
        }
    }

    #[test]
    fn a_share_moves_in_equal_steps() {
        let share = indicator(
            "常住人口城镇化率",
            "%",
            value("65.6", &[65.6], None),
            value("75", &[75.0], None),
            None,
            Attribute::Expected,
        );
        let path = IndicatorPath::of(&share, 2020, 2025);
        assert_eq!(path.rule, PathRule::Linear);
        assert_eq!(path.expected(2023, None), [Some(71.24)]);
        let v = path.judge(2023, &[70.0], None);
        assert_eq!(v.judgement, Judgement::Behind);
        assert_eq!(v.gap, [1.24]);
        assert_eq!(v.needed, [Some(2.5)], "5 points over two years");
        assert_eq!(
            path.judge(2023, &[72.0], None).judgement,
            Judgement::OnTrack
        );
        assert_eq!(path.judge(2023, &[], None).judgement, Judgement::NoData);
    }

    #[test]
    fn within_a_year_a_level_is_expected_by_the_months_elapsed_and_a_rate_all_year() {
        let share = indicator(
            "常住人口城镇化率",
            "%",
            value("65.6", &[65.6], None),
            value("75", &[75.0], None),
            None,
            Attribute::Expected,
        );
        let path = IndicatorPath::of(&share, 2020, 2025);
        // 2022 expects 69.36, 2023 71.24: half-way through 2023, 70.3.
        assert_eq!(path.expected_within(2023, 6, None), [Some(70.3)]);
        assert_eq!(path.expected_within(2021, 3, None), [Some(66.07)]);
        assert_eq!(
            path.expected_within(2023, 12, None),
            path.expected(2023, None)
        );
        assert_eq!(
            path.judge_within(2023, 6, &[70.4], None).judgement,
            Judgement::OnTrack
        );
        let late = path.judge_within(2023, 9, &[70.4], None);
        assert_eq!(late.judgement, Judgement::Behind);
        assert_eq!(late.gap, [0.37]);
        assert_eq!(late.needed, [None]);
        let growth = indicator(
            "地区生产总值增长速度",
            "%",
            value("3.5", &[3.5], None),
            None,
            value("7左右", &[7.0], None),
            Attribute::Expected,
        );
        let path = IndicatorPath::of(&growth, 2020, 2025);
        assert_eq!(path.rule, PathRule::Rate);
        assert_eq!(path.expected_within(2023, 3, None), [Some(7.0)]);
    }

    #[test]
    fn a_total_with_a_growth_rate_compounds_and_says_the_growth_now_needed() {
        let output = indicator(
            "规模以上工业增加值",
            "亿元",
            value("100", &[100.0], None),
            value("161", &[161.0], None),
            value("10", &[10.0], None),
            Attribute::Expected,
        );
        let path = IndicatorPath::of(&output, 2020, 2025);
        assert_eq!(path.rule, PathRule::Compound);
        assert_eq!(path.expected(2022, None), [Some(121.0)]);
        let v = path.judge(2022, &[115.0], None);
        assert_eq!(v.judgement, Judgement::Behind);
        // 115 → 161 in three years: 11.9% a year.
        assert_eq!(v.needed, [Some(11.87)]);
    }

    #[test]
    fn bounds_hold_every_year_and_binding_ones_are_missed() {
        let jobless = indicator(
            "城镇登记失业率",
            "%",
            value("2.29", &[2.29], None),
            value("4.5以内", &[4.5], Some(Bound::AtMost)),
            None,
            Attribute::Expected,
        );
        let path = IndicatorPath::of(&jobless, 2020, 2025);
        assert_eq!(path.rule, PathRule::Ceiling);
        assert_eq!(path.judge(2021, &[3.0], None).judgement, Judgement::OnTrack);
        assert_eq!(path.judge(2021, &[4.8], None).judgement, Judgement::Behind);
        let forest = indicator(
            "森林覆盖率",
            "%",
            value("24.41", &[24.41], None),
            value("保持并稳定在25以上", &[25.0], Some(Bound::AtLeast)),
            None,
            Attribute::Binding,
        );
        let path = IndicatorPath::of(&forest, 2020, 2025);
        assert_eq!(path.rule, PathRule::Floor);
        assert_eq!(path.judge(2022, &[24.9], None).judgement, Judgement::Missed);
        assert_eq!(
            path.judge(2022, &[25.1], None).judgement,
            Judgement::OnTrack
        );
    }

    #[test]
    fn rates_words_cumulative_and_two_series() {
        let gdp = indicator(
            "地区生产总值增长速度",
            "%",
            value("2.1", &[2.1], None),
            None,
            value("7左右", &[7.0], Some(Bound::About)),
            Attribute::Expected,
        );
        let path = IndicatorPath::of(&gdp, 2020, 2025);
        assert_eq!(path.rule, PathRule::Rate);
        assert_eq!(path.expected(2024, None), [Some(7.0)]);
        let quota = indicator(
            "单位GDP能耗下降",
            "%",
            value("19", &[19.0], None),
            value("完成市下达任务", &[], None),
            None,
            Attribute::Binding,
        );
        let path = IndicatorPath::of(&quota, 2020, 2025);
        assert_eq!(path.rule, PathRule::Assigned);
        assert_eq!(path.judge(2022, &[3.0], None).expected, [None]);
        assert_eq!(
            path.judge(2022, &[3.0], Some(3.2)).judgement,
            Judgement::Missed
        );
        let total = indicator(
            "新增城镇就业",
            "万人",
            None,
            None,
            value("[5]", &[5.0], None),
            Attribute::Expected,
        );
        let path = IndicatorPath::of(&total, 2020, 2025);
        assert_eq!(path.rule, PathRule::Cumulative);
        assert_eq!(path.expected(2022, None), [Some(2.0)]);
        let sums = cumulative(&BTreeMap::from([(2021, 1.1), (2022, 1.2)]));
        assert_eq!(
            path.judge(2022, &[sums[&2022]], None).judgement,
            Judgement::OnTrack
        );
        let life = indicator(
            "人均预期寿命",
            "岁",
            value("男性78.42，女性85.99", &[78.42, 85.99], None),
            value("男性78.57，女性86.19", &[78.57, 86.19], None),
            None,
            Attribute::Expected,
        );
        let path = IndicatorPath::of(&life, 2020, 2025);
        assert_eq!(path.rule, PathRule::Linear);
        assert_eq!(
            path.series
                .iter()
                .map(|s| s.label.as_str())
                .collect::<Vec<_>>(),
            ["男性", "女性"]
        );
        assert_eq!(path.expected(2025, None), [Some(78.57), Some(86.19)]);
    }

    #[test]
    fn plans_run_five_years_from_the_year_before_they_are_issued() {
        assert_eq!(plan_years(2021), (2020, 2025));
        assert_eq!(plan_years(2026), (2025, 2030));
        assert_eq!(plan_years(2016), (2015, 2020));
    }
}
