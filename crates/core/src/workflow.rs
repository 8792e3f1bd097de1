//! The reporting cycle (报送流程) of one unit's report on one task for one period, and who may
//! move it.
//!
//! draft (草稿) → approved (单位负责人已审核) → submitted (已报送) → accepted (已采纳), or
//! returned (已退回) with a comment, which the reporter edits again like a draft. A unit head may
//! also send a draft or an approved report back to the reporter. The rules are pure so that the
//! server, the API and the tests share them and no handler decides on its own.

use chrono::NaiveDate;

use crate::words::coded_enum;

coded_enum! {
    /// What an account may do (角色).
    AccountRole, "角色" {
        /// 督查室: everything.
        Office = "office" / "督查室",
        /// 分管领导: reads the tasks in their portfolio and everything published.
        Leader = "leader" / "分管领导",
        /// 单位填报人: drafts its unit's reports for the open period.
        Reporter = "reporter" / "单位填报人",
        /// 单位负责人: approves and submits its unit's reports, or sends them back.
        Head = "head" / "单位负责人",
        /// 公众: published notices only.
        Public = "public" / "公众",
    }
}

impl AccountRole {
    /// Roles that belong to a responsible unit and need one.
    pub fn needs_unit(self) -> bool {
        matches!(self, AccountRole::Reporter | AccountRole::Head)
    }
}

coded_enum! {
    /// Where a report stands (报送状态).
    ReportState, "报送状态" {
        Draft = "draft" / "草稿",
        Approved = "approved" / "负责人已审核",
        Submitted = "submitted" / "已报送",
        Accepted = "accepted" / "已采纳",
        Returned = "returned" / "已退回",
    }
}

impl ReportState {
    /// The reporter may change the text.
    pub fn is_editable(self) -> bool {
        matches!(self, ReportState::Draft | ReportState::Returned)
    }
}

coded_enum! {
    /// A step of the cycle.
    ReportAction, "操作" {
        /// The reporter saves the text (草稿保存).
        Save = "save" / "保存",
        /// The unit head approves and signs (审核签名).
        Approve = "approve" / "审核",
        /// The unit head sends it back to the reporter (退回填报人).
        SendBack = "send_back" / "退回填报人",
        /// The unit head submits it to the office (报送).
        Submit = "submit" / "报送",
        /// The office accepts it (采纳).
        Accept = "accept" / "采纳",
        /// The office returns it with a comment (退回).
        Return = "return" / "退回",
    }
}

impl ReportAction {
    /// The role that performs this action.
    pub fn actor(self) -> AccountRole {
        match self {
            ReportAction::Save => AccountRole::Reporter,
            ReportAction::Approve | ReportAction::SendBack | ReportAction::Submit => {
                AccountRole::Head
            }
            ReportAction::Accept | ReportAction::Return => AccountRole::Office,
        }
    }

    /// Sending back and returning must say why.
    pub fn needs_comment(self) -> bool {
        matches!(self, ReportAction::SendBack | ReportAction::Return)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkflowError {
    #[error("{role}不能执行“{action}”（应由{actor}操作）")]
    WrongRole {
        role: AccountRole,
        action: ReportAction,
        actor: AccountRole,
    },
    #[error("报送状态为“{state}”时不能“{action}”")]
    WrongState {
        state: ReportState,
        action: ReportAction,
    },
    #[error("“{action}”须填写意见")]
    CommentRequired { action: ReportAction },
    #[error("{period}不能报送：{reason}")]
    NotAReportingPeriod { period: String, reason: String },
}

/// Whether units may report on `period` for a ledger of `year` reporting at `cadence`: only the
/// ledger's own periods (its year, its cadence), and only once the period has begun.
pub fn check_reporting_period(
    year: i32,
    cadence: crate::words::Cadence,
    period: crate::Period,
    today: NaiveDate,
) -> Result<(), WorkflowError> {
    let refuse = |reason: String| {
        Err(WorkflowError::NotAReportingPeriod {
            period: period.label_zh(),
            reason,
        })
    };
    if period.year() != year || period.cadence() != cadence {
        return refuse(format!("本台账为 {year} 年{}报送", cadence.label_zh()));
    }
    if period.first_day() > today {
        return refuse("该期间尚未开始".to_owned());
    }
    Ok(())
}

/// The state after `action` by `role` on a report in `state` (None: no report yet). The office
/// may not write a unit's text: a report is the unit's own word.
pub fn transition(
    state: Option<ReportState>,
    action: ReportAction,
    role: AccountRole,
    comment: Option<&str>,
) -> Result<ReportState, WorkflowError> {
    if role != action.actor() {
        return Err(WorkflowError::WrongRole {
            role,
            action,
            actor: action.actor(),
        });
    }
    if action.needs_comment() && comment.is_none_or(|c| c.trim().is_empty()) {
        return Err(WorkflowError::CommentRequired { action });
    }
    use ReportAction as A;
    use ReportState as S;
    let next = match (state, action) {
        (None | Some(S::Draft | S::Returned), A::Save) => S::Draft,
        (Some(S::Draft | S::Returned), A::Approve) => S::Approved,
        (Some(S::Draft | S::Approved | S::Returned), A::SendBack) => S::Returned,
        (Some(S::Approved), A::Submit) => S::Submitted,
        (Some(S::Submitted), A::Accept) => S::Accepted,
        (Some(S::Submitted), A::Return) => S::Returned,
        (state, action) => {
            return Err(WorkflowError::WrongState {
                state: state.unwrap_or(S::Draft),
                action,
            });
        }
    };
    Ok(next)
}

coded_enum! {
    /// Whether a unit reported on time (报送及时性).
    Timeliness, "及时性" {
        /// The period has not ended or the deadline has not passed and nothing is submitted yet.
        Open = "open" / "未到期",
        OnTime = "on_time" / "按时报送",
        Late = "late" / "逾期报送",
        /// The deadline has passed and nothing is submitted (逾期未报).
        Missing = "missing" / "逾期未报",
    }
}

coded_enum! {
    /// How far a missing report is escalated (三色督办): yellow once overdue, red when long
    /// overdue. No level (green) while on time.
    Escalation, "督办等级" {
        Yellow = "yellow" / "黄色督办",
        Red = "red" / "红色督办",
    }
}

/// When a missing report turns yellow and red, in working days past the deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EscalationRule {
    pub yellow_days: u32,
    pub red_days: u32,
}

impl Default for EscalationRule {
    /// Yellow from the first working day overdue, red after five (a working week).
    fn default() -> Self {
        EscalationRule {
            yellow_days: 1,
            red_days: 5,
        }
    }
}

impl EscalationRule {
    /// The level of a report missing `overdue_days` working days past its deadline.
    pub fn level(&self, overdue_days: u32) -> Option<Escalation> {
        if overdue_days >= self.red_days.max(1) {
            Some(Escalation::Red)
        } else if overdue_days >= self.yellow_days.max(1) {
            Some(Escalation::Yellow)
        } else {
            None
        }
    }
}

/// Judges a report against its deadline: `submitted` is the day it reached the office, if it has.
pub fn timeliness(due: NaiveDate, submitted: Option<NaiveDate>, today: NaiveDate) -> Timeliness {
    match submitted {
        Some(day) if day <= due => Timeliness::OnTime,
        Some(_) => Timeliness::Late,
        None if today > due => Timeliness::Missing,
        None => Timeliness::Open,
    }
}

coded_enum! {
    /// What a unit sends through the cycle (报送内容): its progress on a period, or its target for
    /// a period in a target round (目标分解). Both go draft → approved → submitted → accepted.
    ReportKind, "报送内容" {
        Progress = "progress" / "完成情况",
        Target = "target" / "阶段目标",
    }
}

impl ReportKind {
    /// The exact bytes a unit head signs when approving: every field that gives the text its
    /// meaning, one per line, so that changing any of them breaks the signature. The first line
    /// names the kind, so a signed progress report can never pass for a signed target. The
    /// SHA-256 of each attached file (sorted) follows the text, so the evidence is signed too; a
    /// report without attachments signs exactly what it always did.
    #[allow(clippy::too_many_arguments)]
    pub fn signed_text(
        self,
        ledger: &str,
        seq: u32,
        period: &str,
        unit: &str,
        body: &str,
        approved_at: &str,
        attachments: &[String],
    ) -> Vec<u8> {
        let (format, field) = match self {
            ReportKind::Progress => ("duban-report-v1", "完成情况"),
            ReportKind::Target => ("duban-target-v1", "阶段目标"),
        };
        let mut text = format!(
            "{format}\n台账:{ledger}\n序号:{seq}\n期间:{period}\n单位:{unit}\n审核时间:{approved_at}\n{field}:\n{body}"
        );
        if !attachments.is_empty() {
            let mut sorted = attachments.to_vec();
            sorted.sort();
            text.push_str("\n附件:");
            for hash in sorted {
                text.push('\n');
                text.push_str(&hash);
            }
        }
        text.into_bytes()
    }
}

/// The bytes a unit head signs when approving a progress report (see `ReportKind::signed_text`).
pub fn signed_text(
    ledger: &str,
    seq: u32,
    period: &str,
    unit: &str,
    body: &str,
    approved_at: &str,
) -> Vec<u8> {
    ReportKind::Progress.signed_text(ledger, seq, period, unit, body, approved_at, &[])
}

#[cfg(test)]
mod tests {
    use super::*;
    use AccountRole as R;
    use ReportAction as A;
    use ReportState as S;

    #[test]
    fn the_full_cycle_with_a_return() {
        let s = transition(None, A::Save, R::Reporter, None).expect("allowed");
        assert_eq!(s, S::Draft);
        let s = transition(Some(s), A::Approve, R::Head, None).expect("allowed");
        assert_eq!(s, S::Approved);
        let s = transition(Some(s), A::Submit, R::Head, None).expect("allowed");
        assert_eq!(s, S::Submitted);
        let s = transition(Some(s), A::Return, R::Office, Some("请补充数据")).expect("allowed");
        assert_eq!(s, S::Returned);
        assert!(s.is_editable());
        let s = transition(Some(s), A::Save, R::Reporter, None).expect("allowed");
        let s = transition(Some(s), A::Approve, R::Head, None).expect("allowed");
        let s = transition(Some(s), A::Submit, R::Head, None).expect("allowed");
        assert_eq!(
            transition(Some(s), A::Accept, R::Office, None).expect("allowed"),
            S::Accepted
        );
    }

    #[test]
    fn each_action_belongs_to_one_role() {
        for action in A::ALL {
            for role in R::ALL {
                let from = match action {
                    A::Save | A::Approve | A::SendBack => Some(S::Draft),
                    A::Submit => Some(S::Approved),
                    A::Accept | A::Return => Some(S::Submitted),
                };
                let result = transition(from, *action, *role, Some("意见"));
                assert_eq!(
                    result.is_ok(),
                    *role == action.actor(),
                    "{action} by {role}"
                );
            }
        }
    }

    #[test]
    fn steps_out_of_order_are_refused_with_the_state() {
        let err = transition(Some(S::Draft), A::Submit, R::Head, None).expect_err("refused");
        assert_eq!(err.to_string(), "报送状态为“草稿”时不能“报送”");
        assert!(transition(Some(S::Submitted), A::Save, R::Reporter, None).is_err());
        assert!(transition(Some(S::Approved), A::Save, R::Reporter, None).is_err());
        assert!(transition(Some(S::Accepted), A::Return, R::Office, Some("x")).is_err());
        assert!(transition(None, A::Approve, R::Head, None).is_err());
    }

    #[test]
    fn returning_needs_a_comment() {
        let err =
            transition(Some(S::Submitted), A::Return, R::Office, Some("  ")).expect_err("refused");
        assert_eq!(err, WorkflowError::CommentRequired { action: A::Return });
        assert!(transition(Some(S::Approved), A::SendBack, R::Head, None).is_err());
    }

    #[test]
    fn missing_reports_turn_yellow_then_red() {
        let rule = EscalationRule::default();
        assert_eq!(rule.level(0), None);
        assert_eq!(rule.level(1), Some(Escalation::Yellow));
        assert_eq!(rule.level(4), Some(Escalation::Yellow));
        assert_eq!(rule.level(5), Some(Escalation::Red));
        let strict = EscalationRule {
            yellow_days: 1,
            red_days: 2,
        };
        assert_eq!(strict.level(2), Some(Escalation::Red));
    }

    #[test]
    fn timeliness_against_the_deadline() {
        let d = |s: &str| s.parse::<NaiveDate>().expect("date");
        let due = d("2023-09-05");
        assert_eq!(
            timeliness(due, Some(d("2023-09-05")), d("2023-10-01")),
            Timeliness::OnTime
        );
        assert_eq!(
            timeliness(due, Some(d("2023-09-06")), d("2023-10-01")),
            Timeliness::Late
        );
        assert_eq!(timeliness(due, None, d("2023-09-05")), Timeliness::Open);
        assert_eq!(timeliness(due, None, d("2023-09-06")), Timeliness::Missing);
    }

    #[test]
    fn the_signed_text_changes_with_every_field() {
        let base = signed_text("台账", 1, "2023-08", "区发改局", "完成", "t");
        assert_ne!(
            base,
            signed_text("台账", 2, "2023-08", "区发改局", "完成", "t")
        );
        assert_ne!(
            base,
            signed_text("台账", 1, "2023-08", "区发改局", "完成。", "t")
        );
        assert_ne!(
            base,
            signed_text("台账", 1, "2023-09", "区发改局", "完成", "t")
        );
        assert_ne!(
            base,
            ReportKind::Target.signed_text("台账", 1, "2023-08", "区发改局", "完成", "t", &[])
        );
        let with_file = ReportKind::Progress.signed_text(
            "台账",
            1,
            "2023-08",
            "区发改局",
            "完成",
            "t",
            &["ab".to_owned()],
        );
        assert_ne!(base, with_file, "the evidence is signed");
        assert!(
            String::from_utf8(base)
                .expect("utf-8")
                .starts_with("duban-report-v1\n")
        );
    }
}

#[cfg(test)]
mod reporting_period_tests {
    use super::*;
    use crate::Period;
    use crate::words::Cadence;

    #[test]
    fn only_the_ledgers_own_periods_that_have_begun() {
        let today = NaiveDate::from_ymd_opt(2023, 10, 9).expect("date");
        let check = |p| check_reporting_period(2023, Cadence::Monthly, p, today);
        assert!(check(Period::Month(2023, 9)).is_ok());
        assert!(check(Period::Month(2023, 10)).is_ok());
        for wrong in [
            Period::Month(2099, 12),
            Period::Month(2019, 1),
            Period::Quarter(2023, 3),
            Period::Month(2023, 11),
        ] {
            let err = check(wrong).expect_err("refused");
            assert!(err.to_string().contains("不能报送"), "{err}");
        }
    }
}
