//! Target rounds (目标分解) in the browser: the office opens a round and follows it, a unit lists
//! the targets it has to set, and a task's page for targets carries the forms of the cycle
//! (save, approve with signature, submit, send back; accept or return by the office).

use std::collections::HashMap;

use axum::extract::State;
use axum::response::IntoResponse;
use duban_app::access::{self, visible_task};
use duban_app::history::load_names;
use duban_app::reports::{self, ReportRequest, head_keys};
use duban_app::targets;
use duban_app::{App, Error, parse_period};
use duban_core::{AccountRole, ReportAction, ReportKind, ReportState, transition};
use duban_store::{Account, ReportRecord};
use serde::Deserialize;

use super::tasks::signature_view;
use super::{PageResult, beijing, render, see_other};
use crate::AppState;
use crate::access::{CsrfForm, Id, Query, Signed, rule};
use crate::http::{query_string, query_value};
use crate::viewer::Viewer;
use crate::views::{
    Choice, Layout, MyTargetView, MyTargetsPage, RoundLine, TargetCellView, TargetEntry,
    TargetRowView, TargetSection, TargetsPage, TaskTargetsPage,
};

#[derive(Debug, Deserialize, Default)]
pub struct TargetsQuery {
    #[serde(default)]
    ledger: Option<String>,
    #[serde(default)]
    done: Option<String>,
}

fn state_words(state: Option<ReportState>) -> (String, String) {
    match state {
        Some(s) => (s.code().to_owned(), s.label_zh().to_owned()),
        None => ("none".to_owned(), "未填报".to_owned()),
    }
}

/// The office's page: open a round, follow each task's targets, download the tables.
pub async fn page(
    State(state): State<AppState>,
    user: Signed<rule::Office>,
    Query(q): Query<TargetsQuery>,
) -> PageResult {
    let summaries = state.store.ledgers().await?;
    let name = q
        .ledger
        .filter(|l| !l.trim().is_empty())
        .or_else(|| summaries.first().map(|s| s.ledger.name.clone()))
        .unwrap_or_default();
    let layout = Layout::new(&user.viewer, "目标分解", "/targets");
    let message = match q.done.as_deref() {
        Some("opened") => Some("已开启目标分解：各责任单位可在“目标填报”中填报".to_owned()),
        _ => None,
    };
    let ledgers = Choice::list(
        summaries
            .iter()
            .map(|s| (s.ledger.name.clone(), s.ledger.name.clone())),
        &name,
    );
    if name.is_empty() {
        return render(&TargetsPage {
            layout,
            message,
            ledgers,
            ledger: String::new(),
            ledger_path: String::new(),
            openable: Vec::new(),
            rounds: Vec::new(),
            headers: Vec::new(),
            rows: Vec::new(),
            waiting: 0,
        });
    }
    let d = targets::decomposition(&state, &name).await?;
    let opened: Vec<_> = d.rounds.iter().map(|r| r.period).collect();
    let openable = targets::ledger_periods(&d.ledger)
        .into_iter()
        .filter(|p| !opened.contains(p))
        .map(|p| Choice {
            value: p.to_string(),
            label: p.label_zh(),
            selected: false,
        })
        .collect();
    let names = load_names(&state).await?;
    let progress = d.progress(duban_core::beijing::today());
    let rounds = d
        .rounds
        .iter()
        .zip(&progress)
        .map(|(r, p)| RoundLine {
            period: r.period.label_zh(),
            due: r.due.clone(),
            opened: format!(
                "{} 于 {}",
                duban_app::history::person(&names, &r.opened_by),
                beijing(&r.opened_at)
            ),
            accepted: p.accepted,
            total: p.total,
        })
        .collect();
    let waiting = state
        .store
        .ledger_targets(d.ledger.id)
        .await?
        .iter()
        .filter(|r| r.state == ReportState::Submitted)
        .count();
    let rows = d
        .rows
        .iter()
        .map(|row| TargetRowView {
            task_id: row.task_id,
            seq: row.seq,
            goal: row.goal.clone(),
            cells: row
                .cells
                .iter()
                .map(|c| {
                    let (state_code, state) = state_words(c.lead.as_ref().map(|(s, _)| *s));
                    TargetCellView {
                        state_code,
                        state,
                        text: c
                            .lead
                            .as_ref()
                            .map(|(_, t)| t.clone())
                            .or_else(|| c.milestone.clone())
                            .unwrap_or_default(),
                    }
                })
                .collect(),
            units: duban_notice::cells::unit_lines(&row.units).join("、"),
        })
        .collect();
    render(&TargetsPage {
        layout,
        message,
        ledgers,
        ledger_path: query_value(&d.ledger.name),
        ledger: d.ledger.name.clone(),
        openable,
        rounds,
        headers: d
            .rounds
            .iter()
            .map(|r| duban_notice::cells::target_header(Some(r.period)))
            .collect(),
        rows,
        waiting,
    })
}

/// Opens a round for the periods ticked.
pub async fn open_round(
    State(state): State<AppState>,
    user: Signed<rule::Office>,
    CsrfForm { form, .. }: CsrfForm<Vec<(String, String)>>,
) -> PageResult {
    let ledger = form
        .iter()
        .find(|(k, _)| k == "ledger")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let periods: Vec<String> = form
        .iter()
        .filter(|(k, _)| k == "period")
        .map(|(_, v)| v.clone())
        .collect();
    targets::open_round(&state, &user.account, &ledger, &periods).await?;
    Ok(see_other(&format!(
        "/targets?{}",
        query_string(&[("ledger", &ledger), ("done", "opened")])
    )))
}

/// A unit's targets to set, in every open round.
pub async fn mine(State(state): State<AppState>, user: Signed<rule::Unit>) -> PageResult {
    let targets = targets::my_targets(&state, &user.account).await?;
    let received = match &user.account.unit {
        Some(unit) => {
            state
                .store
                .acknowledged(unit.id, duban_store::ReceiptKind::Round)
                .await?
        }
        None => Default::default(),
    };
    let mut unacknowledged: Vec<(i64, String)> = Vec::new();
    for t in &targets {
        if !received.contains(&t.round_id)
            && !unacknowledged.iter().any(|(id, _)| *id == t.round_id)
        {
            unacknowledged.push((
                t.round_id,
                format!("{} {}（截止 {}）", t.ledger, t.period.label_zh(), t.due),
            ));
        }
    }
    let rows = targets
        .into_iter()
        .map(|t| {
            let (state_code, state_label) = state_words(t.target.as_ref().map(|r| r.state));
            MyTargetView {
                task_id: t.task_id,
                ledger: t.ledger,
                seq: t.seq,
                goal: t.goal,
                period: t.period.label_zh(),
                due: t.due,
                role: t.role.label_zh().to_owned(),
                state_code,
                state: state_label,
                text: t.target.map(|r| r.body).or(t.milestone).unwrap_or_default(),
            }
        })
        .collect();
    render(&MyTargetsPage {
        layout: Layout::new(&user.viewer, "目标填报", "/my/targets"),
        rows,
        unacknowledged,
    })
}

/// The targets of one task, with the forms the account may use.
pub async fn task(
    State(state): State<AppState>,
    user: Signed<rule::TaskReaders>,
    Id(id): Id,
    Query(q): Query<TargetsQuery>,
) -> PageResult {
    let message = match q.done.as_deref() {
        Some("attached") => Some("已上传附件".to_owned()),
        other => other.and_then(done_message),
    };
    render(&task_page(&state, &user.viewer, &user.account, id, message, None).await?)
}

fn done_message(code: &str) -> Option<String> {
    let action: ReportAction = code.parse().ok()?;
    Some(
        match action {
            ReportAction::Save => "已保存草稿",
            ReportAction::Approve => "已审核并签名",
            ReportAction::SendBack => "已退回填报人",
            ReportAction::Submit => "已报送督查室",
            ReportAction::Accept => "已采纳：牵头单位的目标即为该期阶段目标",
            ReportAction::Return => "已退回",
        }
        .to_owned(),
    )
}

/// What a refused action typed, kept in its form: period, unit, text.
type Typed = (String, i64, String);

async fn task_page(
    app: &App,
    viewer: &Viewer,
    account: &Account,
    id: i64,
    message: Option<String>,
    typed: Option<Typed>,
) -> Result<TaskTargetsPage, Error> {
    let detail = visible_task(&app.store, account, id).await?;
    let rounds = app.store.target_rounds(detail.ledger.id).await?;
    let targets = access::visible_reports(account, &detail, app.store.task_targets(id).await?);
    let keys = head_keys(app).await?;
    let names = load_names(app).await?;
    let files = duban_app::evidence::visible(app, account, id).await?;
    let mine = account.unit.as_ref().map(|u| u.id);
    let by_key: HashMap<(String, i64), &ReportRecord> = targets
        .iter()
        .map(|r| ((r.period.to_string(), r.unit.id.0), r))
        .collect();
    let sections = rounds
        .iter()
        .map(|round| {
            let period = round.period.to_string();
            let entries = detail
                .units
                .iter()
                // A unit sees its own target, and the lead also the others' once submitted;
                // the office sees every unit.
                .filter(|(u, _)| {
                    account.role == AccountRole::Office
                        || Some(u.id) == mine
                        || by_key.contains_key(&(period.clone(), u.id.0))
                })
                .map(|(unit, role)| {
                    let record = by_key.get(&(period.clone(), unit.id.0)).copied();
                    let state = record.map(|r| r.state);
                    let own = Some(unit.id) == mine;
                    let may = |action| {
                        (own || account.role == AccountRole::Office)
                            && transition(state, action, account.role, Some("意见")).is_ok()
                    };
                    let (state_code, state_label) = state_words(state);
                    let mut text = record.map(|r| r.body.clone()).unwrap_or_default();
                    if let Some((p, u, t)) = &typed
                        && *p == period
                        && *u == unit.id.0
                    {
                        text = t.clone();
                    }
                    TargetEntry {
                        unit_id: unit.id.0,
                        unit: unit.name.clone(),
                        role: role.label_zh().to_owned(),
                        state_code,
                        state: state_label,
                        text,
                        version: record.map(|r| r.version).unwrap_or(0),
                        comment: record.and_then(|r| r.comment.clone()),
                        signature: record
                            .and_then(|r| signature_view(&detail.ledger.name, r, &keys, &names)),
                        can_save: may(ReportAction::Save),
                        can_approve: may(ReportAction::Approve),
                        can_send_back: may(ReportAction::SendBack),
                        can_submit: may(ReportAction::Submit),
                        can_decide: may(ReportAction::Accept),
                        attachments: files
                            .iter()
                            .filter(|a| {
                                a.kind == ReportKind::Target
                                    && a.period == round.period
                                    && a.unit_id == unit.id.0
                            })
                            .map(|a| (a.id, a.name.clone()))
                            .collect(),
                    }
                })
                .collect();
            TargetSection {
                period_label: round.period.label_zh(),
                milestone: detail
                    .milestones
                    .iter()
                    .find(|(p, _)| *p == round.period)
                    .map(|(_, m)| m.clone())
                    .unwrap_or_default(),
                due: round.due.clone(),
                period,
                entries,
            }
        })
        .collect();
    let back = match account.role {
        AccountRole::Office => format!(
            "/targets?{}",
            query_string(&[("ledger", &detail.ledger.name)])
        ),
        AccountRole::Reporter | AccountRole::Head => "/my/targets".to_owned(),
        _ => format!("/tasks/{id}"),
    };
    Ok(TaskTargetsPage {
        layout: Layout::new(viewer, format!("阶段目标 · {}", detail.goal), ""),
        message,
        id,
        ledger: detail.ledger.name.clone(),
        seq: detail.seq,
        goal: detail.goal.clone(),
        back,
        sections,
    })
}

#[derive(Debug, Deserialize)]
pub struct TargetForm {
    action: String,
    period: String,
    unit: i64,
    #[serde(default)]
    version: i64,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    comment: Option<String>,
    #[serde(default)]
    password: Option<String>,
}

/// One step on a unit's target, posted from the task's page for targets.
pub async fn act(
    State(state): State<AppState>,
    user: Signed<rule::ReportActors>,
    Id(id): Id,
    CsrfForm { form, .. }: CsrfForm<TargetForm>,
) -> PageResult {
    let action: ReportAction = form.action.parse().map_err(Error::from)?;
    let request = ReportRequest {
        kind: ReportKind::Target,
        action,
        period: parse_period(&form.period)?,
        unit: Some(form.unit),
        version: (form.version > 0).then_some(form.version),
        body: form.text.clone(),
        comment: form.comment.clone(),
        status: None,
        password: form.password.clone(),
    };
    match reports::act(&state, &user.account, id, request).await {
        Ok(_) => Ok(see_other(&format!(
            "/tasks/{id}/targets?done={}",
            action.code()
        ))),
        // The text typed stays in the form with the reason, so nothing typed is lost.
        Err(Error::Conflict(message)) => {
            let typed = form
                .text
                .clone()
                .filter(|_| action == ReportAction::Save)
                .map(|t| (form.period.clone(), form.unit, t));
            let page = task_page(
                &state,
                &user.viewer,
                &user.account,
                id,
                Some(message),
                typed,
            )
            .await?;
            let html = askama::Template::render(&page).map_err(crate::error::template)?;
            Ok((axum::http::StatusCode::CONFLICT, axum::response::Html(html)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
