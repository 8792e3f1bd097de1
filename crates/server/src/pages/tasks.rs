//! A task's page: its goal and source, the periods' milestones and progress, the evidence of the
//! assessment, the reports (with signatures), the unit's form, the office's review, reminders
//! and history. `task_page` assembles it from the parts below.

use axum::extract::State;
use duban_app::access::{self, visible_task};
use duban_app::history::{Names, describe, person};
use duban_app::reports::{SigningKeys, check_signature, head_keys};
use duban_app::{App, Error, parse_period};
use duban_core::{AccountRole, Period, ReportAction, ReportState, Role};
use duban_store::{Account, AuditEntry, ReminderScope, ReportRecord, TaskDetail};
use serde::Deserialize;

use super::{PageResult, beijing, render};
use crate::access::{Id, Query, Signed, rule};
use crate::views::*;
use crate::{AppState, Viewer, http};

#[derive(Debug, Deserialize, Default)]
pub struct TaskQuery {
    #[serde(default)]
    period: Option<String>,
    #[serde(default)]
    done: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    user: Signed<rule::TaskReaders>,
    Id(id): Id,
    Query(q): Query<TaskQuery>,
) -> PageResult {
    let message = match q.done.as_deref() {
        Some("remind") => Some("已催办".to_owned()),
        Some("changed") => Some("已调整，见下方历史".to_owned()),
        Some("extension") => Some("已提交，见下方延期申请".to_owned()),
        Some("attached") => Some("已上传证明材料".to_owned()),
        Some(code) => done_message(code),
        None => None,
    };
    let page = task_page(
        &state,
        &user.viewer,
        &user.account,
        id,
        q.period.as_deref(),
        Draft::default(),
        message,
    )
    .await?;
    render(&page)
}

fn done_message(code: &str) -> Option<String> {
    let action: ReportAction = code.parse().ok()?;
    Some(match action {
        ReportAction::Save => "已保存草稿".to_owned(),
        ReportAction::Approve => "已审核并签名".to_owned(),
        ReportAction::SendBack => "已退回填报人".to_owned(),
        ReportAction::Submit => "已报送督查室".to_owned(),
        ReportAction::Accept => "已采纳".to_owned(),
        ReportAction::Return => "已退回".to_owned(),
    })
}

/// What the form shows instead of the stored report after a refused action: the text typed
/// and the reason, so nothing typed is lost.
#[derive(Debug, Default)]
pub struct Draft {
    pub body: Option<String>,
    pub conflict: Option<String>,
}

/// The whole page for the account.
pub async fn task_page(
    app: &App,
    viewer: &Viewer,
    account: &Account,
    id: i64,
    asked: Option<&str>,
    draft: Draft,
    message: Option<String>,
) -> Result<TaskPage, Error> {
    let detail = visible_task(&app.store, account, id).await?;
    let period = task_period(app, &detail, asked).await?;
    let reports = access::visible_reports(account, &detail, app.store.task_reports(id).await?);
    let keys = head_keys(app).await?;
    let names = duban_app::history::load_names(app).await?;
    let ledger = detail.ledger.name.clone();
    let locked = match period {
        Some(p) => app
            .store
            .period_locks(detail.ledger.id.0)
            .await?
            .into_iter()
            .any(|l| l.period == p),
        None => false,
    };
    let (suggestion, evidence, evidence_period) = match period {
        Some(p) => {
            let (suggestion, rows) = evidence(&detail, &reports, p);
            (suggestion, rows, p.label_zh())
        }
        None => ("—".to_owned(), Vec::new(), "—".to_owned()),
    };
    let form = period.and_then(|p| report_form(account, &detail, &reports, p, locked, &draft));
    let review = period
        .filter(|_| account.role == AccountRole::Office && !locked)
        .and_then(|p| review_form(&detail, &reports, p, &keys, &names));
    Ok(TaskPage {
        layout: Layout::new(viewer, format!("任务 {}", detail.seq), ""),
        id,
        back: back_link(account, &ledger, period),
        deadline: period
            .map(|p| match detail.ledger.deadline.due(&app.calendar, p) {
                Ok(day) => format!(
                    "{day}（{}期满后 {} 个工作日）",
                    p.label_zh(),
                    detail.ledger.deadline.working_days
                ),
                Err(e) => format!("无法计算（{e}）"),
            })
            .unwrap_or_default(),
        seq: detail.seq,
        goal: detail.goal.clone(),
        leaders: detail.leaders.join("、"),
        units: detail
            .units
            .iter()
            .map(|(u, r)| (u.name.clone(), r.label_zh().to_owned()))
            .collect(),
        source: detail
            .source
            .as_ref()
            .map(|s| (s.headings.join(" › "), s.passage.clone())),
        periods: period_rows(&detail),
        evidence_period,
        suggestion,
        evidence,
        reports: reports
            .iter()
            .map(|r| report_view(&ledger, r, &keys, &names))
            .collect(),
        form,
        review,
        // 催办 while the lead unit has not yet submitted, and the period is open.
        remind_period: period
            .filter(|p| {
                account.role == AccountRole::Office
                    && !locked
                    && !reports.iter().any(|r| {
                        r.period == *p
                            && r.role == Role::Lead
                            && matches!(r.state, ReportState::Submitted | ReportState::Accepted)
                    })
            })
            .map(|p| p.to_string()),
        reminders: app
            .store
            .reminders(ReminderScope::Task(id))
            .await?
            .into_iter()
            .map(|r| duban_store::Reminder {
                at: beijing(&r.at),
                ..r
            })
            .collect(),
        history: describe(
            &history_for(account, app.store.audit_log(Some(id), 50).await?),
            &names,
        ),
        message,
        withdrawn: detail.withdrawn.as_ref().map(|w| {
            let what = match w.merged_into {
                Some(seq) => format!("已并入序号 {seq} 的任务"),
                None => "已撤销".to_owned(),
            };
            format!(
                "此任务于 {} {what}，不再报送和统计。理由：{}",
                beijing(&w.at),
                w.reason
            )
        }),
        change: (account.role == AccountRole::Office && detail.withdrawn.is_none()).then(|| {
            let named = |lead: bool| {
                detail
                    .units
                    .iter()
                    .filter(|(_, r)| (*r == Role::Lead) == lead)
                    .map(|(u, _)| u.name.clone())
                    .collect::<Vec<_>>()
                    .join("、")
            };
            ChangeForm {
                lead: named(true),
                support: named(false),
                leaders: detail.leaders.join("、"),
            }
        }),
        escalation: period
            .filter(|p| {
                !detail.progress.iter().any(|(q, _, _)| q == p)
                    && !reports.iter().any(|r| {
                        r.period == *p
                            && r.role == Role::Lead
                            && matches!(r.state, ReportState::Submitted | ReportState::Accepted)
                    })
            })
            .and_then(|p| detail.ledger.deadline.due(&app.calendar, p).ok())
            .and_then(|due| duban_app::reminders::escalation_since(app, due))
            .map(|l| (l.code().to_owned(), l.label_zh().to_owned())),
        findings: app
            .store
            .findings(&duban_store::FindingFilter {
                task: Some(id),
                unit: account
                    .role
                    .needs_unit()
                    .then(|| account.unit.as_ref().map(|u| u.id))
                    .flatten(),
                ..Default::default()
            })
            .await?
            .into_iter()
            .filter(|_| !account.role.needs_unit() || account.unit.is_some())
            .map(|f| {
                let rectified = duban_app::inspections::rectified(&f, duban_core::beijing::today());
                (
                    f.id,
                    format!("{} {}", f.day, f.kind.label_zh()),
                    f.unit.clone(),
                    format!("{}（{}）", f.text, f.severity.label_zh()),
                    format!("{}，{}", f.state_zh(), rectified.label_zh()),
                    rectified == duban_core::assessment::Rectified::Overdue,
                )
            })
            .collect(),
        extensions: app
            .store
            .task_extensions(id)
            .await?
            .into_iter()
            .filter(|x| {
                !account.role.needs_unit()
                    || account.unit.as_ref().map(|u| u.id.0) == Some(x.unit_id)
            })
            .map(|x| ExtensionView {
                id: x.id,
                period: x.period.label_zh(),
                unit: x.unit,
                asked_due: x.asked_due,
                reason: x.reason,
                state: match x.state.as_str() {
                    "pending" => "待审批",
                    "granted" => "已批准",
                    "refused" => "未批准",
                    _ => "已被新的批准取代",
                }
                .to_owned(),
                state_code: x.state,
                due: x.due.unwrap_or_default(),
                comment: x.comment.unwrap_or_default(),
                requested: format!(
                    "{} 于 {}",
                    person(&names, &x.requested_by),
                    beijing(&x.requested_at)
                ),
            })
            .collect(),
        extension_form: period
            .filter(|_| account.role.needs_unit() && !locked)
            .filter(|p| {
                let mine = account.unit.as_ref().map(|u| u.id);
                !reports.iter().any(|r| {
                    r.period == *p
                        && Some(r.unit.id) == mine
                        && matches!(r.state, ReportState::Submitted | ReportState::Accepted)
                })
            })
            .map(|p| {
                let due = detail
                    .ledger
                    .deadline
                    .due(&app.calendar, p)
                    .map(|d| d.to_string())
                    .unwrap_or_default();
                (p.to_string(), due)
            }),
        decides: account.role == AccountRole::Office,
        reminders_to_acknowledge: match &account.unit {
            Some(unit) if account.role.needs_unit() => {
                let received = app
                    .store
                    .acknowledged(unit.id, duban_store::ReceiptKind::Reminder)
                    .await?;
                app.store
                    .reminders(ReminderScope::Task(id))
                    .await?
                    .into_iter()
                    .filter(|r| r.unit.as_deref() == Some(unit.name.as_str()))
                    .map(|r| r.id)
                    .filter(|id| !received.contains(id))
                    .collect()
            }
            _ => Vec::new(),
        },
        attachments: duban_app::evidence::visible(app, account, id)
            .await?
            .into_iter()
            .map(|a| AttachmentView {
                id: a.id,
                what: format!(
                    "{} · {} · {}",
                    a.period.label_zh(),
                    a.unit,
                    a.kind.label_zh()
                ),
                size: if a.size >= 1024 * 1024 {
                    format!("{:.1} MB", a.size as f64 / 1_048_576.0)
                } else {
                    format!("{} KB", (a.size + 1023) / 1024)
                },
                name: a.name,
            })
            .collect(),
        has_rounds: !app.store.target_rounds(detail.ledger.id).await?.is_empty(),
        ledger,
    })
}

/// Where the task's ledger link leads: a unit's own list for unit accounts (the ledger table is
/// the office's and the leaders'), the ledger table for the others.
fn back_link(account: &Account, ledger: &str, period: Option<Period>) -> String {
    let period = period.map(|p| p.to_string()).unwrap_or_default();
    let query = http::query_string(&[("ledger", ledger), ("period", &period)]);
    if account.role.needs_unit() {
        format!("/my?{query}")
    } else {
        format!("/ledger?{query}")
    }
}

/// The period a task page is about: the one asked for, else the latest with a milestone or
/// progress, else the ledger's latest.
async fn task_period(
    app: &App,
    detail: &TaskDetail,
    asked: Option<&str>,
) -> Result<Option<Period>, Error> {
    if let Some(p) = asked.filter(|p| !p.trim().is_empty()) {
        return parse_period(p).map(Some);
    }
    let own = detail
        .milestones
        .iter()
        .map(|(p, _)| *p)
        .chain(detail.progress.iter().map(|(p, _, _)| *p))
        .max();
    Ok(match own {
        Some(p) => Some(p),
        None => app.store.latest_period(detail.ledger.id).await?,
    })
}

/// Milestones and accepted progress across periods, one row a period.
fn period_rows(detail: &TaskDetail) -> Vec<PeriodRow> {
    let mut periods: Vec<Period> = detail
        .milestones
        .iter()
        .map(|(p, _)| *p)
        .chain(detail.progress.iter().map(|(p, _, _)| *p))
        .collect();
    periods.sort();
    periods.dedup();
    periods
        .iter()
        .map(|p| {
            let milestone = detail
                .milestones
                .iter()
                .find(|(q, _)| q == p)
                .map(|(_, t)| t.clone())
                .unwrap_or_default();
            let progress = detail.progress.iter().find(|(q, _, _)| q == p);
            let status = match progress {
                Some((_, _, Some(s))) => s.label_zh(),
                Some(_) => "待评定",
                None => "未报送",
            };
            PeriodRow {
                period: p.label_zh(),
                milestone,
                progress: progress.map(|(_, b, _)| b.clone()).unwrap_or_default(),
                status: status.to_owned(),
            }
        })
        .collect()
}

/// The evidence of the assessment for the period: its milestone against the latest text
/// (accepted progress, else the lead unit's latest report); the suggested status and the rows.
fn evidence(
    detail: &TaskDetail,
    reports: &[ReportRecord],
    p: Period,
) -> (String, Vec<EvidenceRow>) {
    let text = detail
        .progress
        .iter()
        .find(|(q, _, _)| *q == p)
        .map(|(_, b, _)| b.clone())
        .or_else(|| {
            reports
                .iter()
                .rev()
                .find(|r| r.period == p && r.role == Role::Lead)
                .map(|r| r.body.clone())
        });
    let assessment = duban_app::reports::assess(detail, text, p);
    (
        assessment.suggested.label_zh().to_owned(),
        evidence_rows(&assessment),
    )
}

/// The rows of an assessment: each target against the reported figure, then the phrases of the
/// text the suggestion rests on where the figures cannot judge.
pub fn evidence_rows(assessment: &duban_extract::assess::Assessment) -> Vec<EvidenceRow> {
    let mut rows: Vec<EvidenceRow> = assessment
        .evidence
        .iter()
        .map(|e| EvidenceRow {
            target: e.target.clone(),
            reported: e.reported.clone().unwrap_or_else(|| "—".to_owned()),
            verdict: match e.met {
                Some(true) => "达到",
                Some(false) => "未达到",
                None => "无对应数据",
            }
            .to_owned(),
        })
        .collect();
    rows.extend(assessment.statements.iter().map(|s| EvidenceRow {
        target: format!("文字表述“{}”", s.phrase),
        reported: s.clause.clone(),
        verdict: s.says.label_zh().to_owned(),
    }));
    rows
}

/// The unit's form for the period, with the actions its role may take now.
fn report_form(
    account: &Account,
    detail: &TaskDetail,
    reports: &[ReportRecord],
    p: Period,
    locked: bool,
    draft: &Draft,
) -> Option<ReportForm> {
    let unit = match account.role {
        AccountRole::Reporter | AccountRole::Head => account.unit.as_ref()?,
        _ => return None,
    };
    let own = reports
        .iter()
        .find(|r| r.period == p && r.unit.id == unit.id);
    let state_now = own.map(|r| r.state);
    let is_lead = detail.role_of(unit.id) == Some(Role::Lead);
    let parts = if is_lead {
        reports
            .iter()
            .filter(|r| r.period == p && r.unit.id != unit.id)
            .map(|r| (r.unit.name.clone(), r.body.clone()))
            .collect()
    } else {
        Vec::new()
    };
    let allowed = |action: ReportAction| {
        !locked && duban_core::transition(state_now, action, account.role, Some("意见")).is_ok()
    };
    Some(ReportForm {
        period: p.to_string(),
        period_label: p.label_zh(),
        unit_id: unit.id.0,
        unit: unit.name.clone(),
        body: draft
            .body
            .clone()
            .or(own.map(|r| r.body.clone()))
            .unwrap_or_default(),
        version: own.map_or(0, |r| r.version),
        state: state_now.map_or("未填报", |s| s.label_zh()).to_owned(),
        comment: own
            .filter(|r| was_sent_back(r.state))
            .and_then(|r| r.comment.clone()),
        parts,
        can_save: allowed(ReportAction::Save),
        can_approve: allowed(ReportAction::Approve),
        can_submit: allowed(ReportAction::Submit),
        can_send_back: allowed(ReportAction::SendBack),
        conflict: draft
            .conflict
            .clone()
            .or_else(|| locked.then(|| "本期通报已发布，报送已锁定".to_owned())),
    })
}

/// The office's decision on the submitted report of the period (the lead unit's first): the
/// report itself, and the status its figures suggest, preselected.
fn review_form(
    detail: &TaskDetail,
    reports: &[ReportRecord],
    p: Period,
    keys: &SigningKeys,
    names: &Names,
) -> Option<ReviewForm> {
    let r = reports
        .iter()
        .filter(|r| r.period == p && r.state == ReportState::Submitted)
        .min_by_key(|r| r.role != Role::Lead)?;
    let assessment = duban_app::reports::assess(detail, Some(r.body.clone()), p);
    let suggested = duban_app::reports::suggested_status(&assessment);
    Some(ReviewForm {
        period: p.to_string(),
        unit_id: r.unit.id.0,
        unit: r.unit.name.clone(),
        version: r.version,
        body: r.body.clone(),
        signature: signature_view(&detail.ledger.name, r, keys, names),
        suggestion: assessment.suggested.label_zh().to_owned(),
        statuses: Choice::judgements(suggested),
        evidence: evidence_rows(&assessment),
    })
}

/// A comment belongs to a report sent back (to the reporter, or by the office); once the report
/// moves on, the old comment is history, not an instruction.
fn was_sent_back(state: ReportState) -> bool {
    matches!(state, ReportState::Draft | ReportState::Returned)
}

fn report_view(ledger: &str, r: &ReportRecord, keys: &SigningKeys, names: &Names) -> ReportView {
    ReportView {
        period: r.period.label_zh(),
        unit: r.unit.name.clone(),
        role: r.role.label_zh().to_owned(),
        state: r.state.label_zh().to_owned(),
        state_code: r.state.code().to_owned(),
        body: r.body.clone(),
        comment: r.comment.clone().filter(|_| was_sent_back(r.state)),
        updated: format!(
            "{} {}",
            person(names, r.updated_by.as_deref().unwrap_or_default()),
            beijing(&r.updated_at)
        ),
        signature: signature_view(ledger, r, keys, names),
    }
}

pub fn signature_view(
    ledger: &str,
    r: &ReportRecord,
    keys: &SigningKeys,
    names: &Names,
) -> Option<SignatureView> {
    check_signature(ledger, r, keys).map(|s| SignatureView {
        valid: s.valid,
        signer: person(names, &s.signer),
        at: beijing(&s.at),
        key: s.key,
    })
}

/// The history a role may read: the office sees the texts; others see who did what, since a
/// draft's text must not reach another unit through the log.
fn history_for(account: &Account, mut entries: Vec<AuditEntry>) -> Vec<AuditEntry> {
    if account.role != AccountRole::Office {
        for e in &mut entries {
            for value in [&mut e.before, &mut e.after].into_iter().flatten() {
                if let Some(map) = value.as_object_mut() {
                    map.retain(|k, _| k == "state" || k == "status");
                }
            }
        }
    }
    entries
}
