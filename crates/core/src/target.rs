//! Quantitative targets (目标) read from task text and the figures progress reports answer
//! with; what kind of figure each is and which way it must go.

use serde::{Deserialize, Serialize};

use crate::words::coded_enum;

coded_enum!(
    /// What a target asks for.
    TargetKind, "目标类型" {
        /// 达到, 突破, 保持: a level.
        Level = "level" / "达到",
        /// 增长 X%: growth over last year.
        Growth = "growth" / "增长",
        /// 下降, 压减, 减少.
        Decrease = "decrease" / "下降",
        /// 新增, 新建, 引进 N: something added.
        Increase = "increase" / "新增",
        /// 累计: a running total.
        Cumulative = "cumulative" / "累计",
        /// 完成率, 开工率: a share.
        Rate = "rate" / "比率",
    }
);

coded_enum!(
    /// Which side of the value meets the target.
    Bound, "目标界限" {
        /// 以上, 不低于, 超过, 突破.
        AtLeast = "at_least" / "以上",
        /// 以内, 以下, 不超过.
        AtMost = "at_most" / "以内",
        /// 左右, 约.
        About = "about" / "左右",
        /// The figure as stated, with no word of bound.
        Exact = "exact" / "确数",
    }
);

/// One target in a sentence: 地区生产总值增长5.5%以上 → metric 地区生产总值, growth, 5.5 %, at least.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Target {
    pub metric: String,
    pub kind: TargetKind,
    /// With 万 and 亿 applied; for a range, its lower end.
    pub value: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upper: Option<f64>,
    /// Unit of measure without 万 or 亿.
    pub uom: String,
    pub bound: Bound,
    /// 力争, 争取: the office does not hold the unit to it strictly.
    pub aspirational: bool,
    /// The clause the target was read from.
    #[serde(default, skip_serializing)]
    pub text: String,
}

impl Target {
    /// The value counted the way the kind points: a growth figure reported as 下降8.7% is a
    /// growth of -8.7, a decrease reported as 增长 is a negative decrease.
    pub fn signed_as(&self, kind: TargetKind) -> f64 {
        match (self.kind, kind) {
            (TargetKind::Decrease, TargetKind::Growth)
            | (TargetKind::Growth, TargetKind::Decrease) => -self.value,
            _ => self.value,
        }
    }

    /// Whether a reported value meets this target. `About` allows a tenth below the value
    /// (5.5%左右 is met by 5.0%). A range is met from its lower end.
    pub fn is_met_by(&self, reported: f64) -> bool {
        let value = self.value;
        match self.bound {
            Bound::AtMost => reported <= self.upper.unwrap_or(value),
            Bound::About => reported >= value - value.abs() * 0.1,
            Bound::AtLeast | Bound::Exact => reported >= value,
        }
    }
}
