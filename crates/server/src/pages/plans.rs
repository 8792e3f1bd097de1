//! Plan monitoring in the browser (规划监测): a plan's indicators with their paths, actuals and
//! judgements; the office records a year's value.

use axum::extract::State;
use duban_app::{plan_reports, plans};
use duban_core::AccountRole;
use serde::Deserialize;

use super::{PageResult, render, see_other};
use crate::AppState;
use crate::access::{CsrfForm, Id, Query, Signed, rule};
use crate::views::{
    IndicatorPage, Layout, MyPlanPage, PlanItemView, PlanPage, PlanProjectsPage, PlanReportLine,
    plan_rows,
};

#[derive(Debug, Deserialize, Default)]
pub struct PlanQuery {
    #[serde(default)]
    year: Option<i32>,
    #[serde(default)]
    done: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    user: Signed<rule::Oversight>,
    Id(id): Id,
    Query(q): Query<PlanQuery>,
) -> PageResult {
    let monitoring = plans::monitoring(&state, &id.to_string(), None).await?;
    // The year being judged: the one asked, else last year (this year's figures come later).
    let last_year = chrono::Datelike::year(&duban_core::beijing::today()) - 1;
    let year = q
        .year
        .unwrap_or(last_year)
        .clamp(monitoring.base_year + 1, monitoring.target_year);
    let (rows, counts) = plan_rows(&monitoring, year);
    render(&PlanPage {
        layout: Layout::new(&user.viewer, "规划监测", "/documents"),
        plan_id: id,
        plan: monitoring.plan.clone(),
        base_year: monitoring.base_year,
        target_year: monitoring.target_year,
        rows,
        is_office: user.account.role == AccountRole::Office,
        counts,
        year,
        message: q.done.map(|_| "已录入".to_owned()),
    })
}

#[derive(Debug, Deserialize)]
pub struct ActualForm {
    indicator: String,
    year: i32,
    value: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    assigned: Option<String>,
}

pub async fn record(
    State(state): State<AppState>,
    user: Signed<rule::Office>,
    Id(id): Id,
    CsrfForm { form, .. }: CsrfForm<ActualForm>,
) -> PageResult {
    plans::record(
        &state,
        &user.account.actor(),
        &id.to_string(),
        &form.indicator,
        form.year,
        &form.value,
        &form.note,
        form.assigned.is_some(),
    )
    .await?;
    Ok(see_other(&format!(
        "/plans/{id}?year={}&done=recorded",
        form.year
    )))
}

/// What the viewer may do with a plan report now, as (action code, label).
fn plan_actions(
    account: &duban_store::Account,
    state: Option<duban_core::ReportState>,
) -> Vec<(String, String)> {
    use duban_core::ReportAction as A;
    super::allowed_actions(
        account,
        state,
        &[
            (A::Save, "保存"),
            (A::Approve, "审核签名"),
            (A::SendBack, "退回填报人"),
            (A::Submit, "报送督查室"),
            (A::Accept, "采纳"),
            (A::Return, "退回"),
        ],
    )
}

fn item_view(
    account: &duban_store::Account,
    item: plan_reports::PlanItem,
    only: Option<duban_core::ReportState>,
) -> PlanItemView {
    let today = duban_core::beijing::today();
    let next_period = if item.subject == "indicator" {
        (chrono::Datelike::year(&today) - 1).to_string()
    } else {
        let month = today - chrono::Months::new(1);
        month.format("%Y-%m").to_string()
    };
    let reports = item
        .reports
        .into_iter()
        .filter(|r| only.is_none_or(|s| r.state == s.code()))
        .map(|report| {
            let state = report.state.parse().ok();
            PlanReportLine {
                value_text: report
                    .value
                    .as_ref()
                    .map(|v| v.iter().map(f64::to_string).collect::<Vec<_>>().join(","))
                    .unwrap_or_default(),
                actions: plan_actions(account, state),
                report,
            }
        })
        .collect();
    PlanItemView {
        plan_id: item.plan_id,
        plan: item.plan,
        subject: item.subject,
        name: item.name,
        detail: item.detail,
        unit: item.unit,
        reports,
        next_period,
    }
}

fn stages() -> Vec<(String, String)> {
    duban_core::monitor::ProjectStage::ALL
        .iter()
        .map(|s| (s.code().to_owned(), s.label_zh().to_owned()))
        .collect()
}

/// 规划报送 of a unit: the indicators and projects it reports, with their reports and forms.
pub async fn my(
    State(state): State<AppState>,
    user: Signed<rule::Unit>,
    Query(q): Query<PlanQuery>,
) -> PageResult {
    let items = plan_reports::items(&state, &user.account, None).await?;
    render(&MyPlanPage {
        layout: Layout::new(&user.viewer, "规划报送", "/my/plan"),
        items: items
            .into_iter()
            .map(|i| item_view(&user.account, i, None))
            .collect(),
        can_draft: user.account.role == AccountRole::Reporter,
        stages: stages(),
        message: q.done.map(|_| "已保存".to_owned()),
    })
}

/// The project library and, for the office, the reports waiting for it and the forms that name
/// the reporting units and set the projects' plans.
pub async fn projects(
    State(state): State<AppState>,
    user: Signed<rule::Oversight>,
    Id(id): Id,
    Query(q): Query<PlanQuery>,
) -> PageResult {
    let key = id.to_string();
    let plan = plans::find_plan(&state, &key).await?;
    let library = plan_reports::library(&state, &key).await?;
    let items = plan_reports::items(&state, &user.account, Some(&key)).await?;
    let assigned = items
        .iter()
        .filter(|i| i.subject == "indicator")
        .map(|i| ("指标".to_owned(), i.name.clone(), i.unit.clone()))
        .collect();
    let waiting = items
        .into_iter()
        .map(|i| item_view(&user.account, i, Some(duban_core::ReportState::Submitted)))
        .filter(|i| !i.reports.is_empty())
        .collect();
    let today = duban_core::beijing::today();
    render(&PlanProjectsPage {
        layout: Layout::new(&user.viewer, "项目库", "/documents"),
        plan_id: id,
        plan: plan.title.clone(),
        is_office: user.account.role == AccountRole::Office,
        projects: library,
        waiting,
        assigned,
        indicators: state
            .store
            .indicators(plan.id)
            .await?
            .into_iter()
            .map(|i| i.name)
            .collect(),
        units: state
            .store
            .units()
            .await?
            .into_iter()
            .map(|u| u.unit.name)
            .collect(),
        stages: stages(),
        quarter: plan_reports::evaluation_quarter(chrono::Datelike::year(&today), today),
        message: q.done.map(|_| "已保存".to_owned()),
    })
}

#[derive(Debug, Deserialize)]
pub struct PlanReportForm {
    subject: String,
    item: String,
    period: String,
    action: String,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    value: Option<String>,
    #[serde(default)]
    stage: Option<String>,
    #[serde(default)]
    investment: Option<String>,
    #[serde(default)]
    version: Option<i64>,
    #[serde(default)]
    comment: Option<String>,
    #[serde(default)]
    password: Option<String>,
    #[serde(default)]
    back: Option<String>,
}

fn optional_number(text: Option<&str>, what: &str) -> Result<Option<f64>, duban_app::Error> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => t
            .parse::<f64>()
            .map(Some)
            .map_err(|_| duban_app::Error::BadRequest(format!("{what}“{t}”不是数值"))),
    }
}

pub async fn act(
    State(state): State<AppState>,
    user: Signed<rule::ReportActors>,
    Id(id): Id,
    CsrfForm { form, .. }: CsrfForm<PlanReportForm>,
) -> PageResult {
    let request = plan_reports::PlanReportRequest {
        subject: form.subject,
        item: form.item,
        period: form.period,
        action: form.action,
        body: form.body,
        value: form.value,
        stage: form.stage,
        investment: optional_number(form.investment.as_deref(), "累计完成投资")?,
        version: form.version,
        comment: form.comment,
        password: form.password,
    };
    let report = plan_reports::act(&state, &user.account, &id.to_string(), &request).await?;
    let back = form
        .back
        .filter(|b| b.starts_with('/') && !b.starts_with("//"))
        .unwrap_or_else(|| "/my/plan".to_owned());
    let joiner = if back.contains('?') { '&' } else { '?' };
    Ok(see_other(&format!(
        "{back}{joiner}done=saved#plan-report-{}",
        report.id
    )))
}

#[derive(Debug, Deserialize)]
pub struct AssignForm {
    subject: String,
    #[serde(default)]
    item: String,
    unit: String,
}

pub async fn assign(
    State(state): State<AppState>,
    user: Signed<rule::Office>,
    Id(id): Id,
    CsrfForm { form, .. }: CsrfForm<AssignForm>,
) -> PageResult {
    let subject = plan_reports::subject_of(&form.subject)?;
    let items: Vec<String> = [form.item.trim().to_owned()]
        .into_iter()
        .filter(|i| !i.is_empty())
        .collect();
    plan_reports::assign(
        &state,
        &user.account.actor(),
        &id.to_string(),
        subject,
        &items,
        &form.unit,
    )
    .await?;
    Ok(see_other(&format!("/plans/{id}/projects?done=assigned")))
}

#[derive(Debug, Deserialize)]
pub struct ProjectForm {
    project: String,
    #[serde(default)]
    investment: Option<String>,
    #[serde(default)]
    stage: Option<String>,
}

pub async fn set_project(
    State(state): State<AppState>,
    user: Signed<rule::Office>,
    Id(id): Id,
    CsrfForm { form, .. }: CsrfForm<ProjectForm>,
) -> PageResult {
    plan_reports::set_project(
        &state,
        &user.account.actor(),
        &id.to_string(),
        &form.project,
        optional_number(form.investment.as_deref(), "计划总投资")?,
        form.stage.as_deref(),
    )
    .await?;
    Ok(see_other(&format!("/plans/{id}/projects?done=project")))
}

#[derive(Debug, Deserialize)]
pub struct IndicatorQuery {
    no: usize,
}

/// One indicator: its chart, every year and quarter judged, its data-source unit and reports.
pub async fn indicator(
    State(state): State<AppState>,
    user: Signed<rule::Oversight>,
    Id(id): Id,
    Query(q): Query<IndicatorQuery>,
) -> PageResult {
    let key = id.to_string();
    let monitoring = plans::monitoring(&state, &key, None).await?;
    let (rows, _) = plan_rows(&monitoring, monitoring.target_year);
    let Some(row) = rows.into_iter().find(|r| r.indicator.no == q.no) else {
        return Err(duban_app::Error::NotFound(format!(
            "规划没有第 {} 项指标（共 {} 项）",
            q.no,
            monitoring.indicators.len()
        ))
        .into());
    };
    let item = plan_reports::items(&state, &user.account, Some(&key))
        .await?
        .into_iter()
        .find(|i| i.subject == "indicator" && i.name == row.indicator.name);
    let unit = item.as_ref().map(|i| i.unit.clone());
    let reports = item
        .map(|i| item_view(&user.account, i, None).reports)
        .unwrap_or_default();
    let shown = |v: &serde_json::Value| match v {
        serde_json::Value::Null => "——".to_owned(),
        other => other.to_string(),
    };
    let quarters = row
        .indicator
        .quarters
        .iter()
        .map(|q| {
            (
                q.period.clone(),
                shown(&q.expected),
                shown(&q.actual),
                q.judgement.clone(),
                plans::judgement_word(Some(&q.judgement)).to_owned(),
            )
        })
        .collect();
    render(&IndicatorPage {
        layout: Layout::new(&user.viewer, "指标", "/documents"),
        plan_id: id,
        plan: monitoring.plan.clone(),
        row,
        unit,
        quarters,
        reports,
    })
}
