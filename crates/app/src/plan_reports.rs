//! Reporting on a plan (规划报送): the office names the unit that reports each indicator (数据来源
//! 单位, such as 区统计局) and each 专栏 project (责任单位); the unit drafts an indicator's value
//! for a year or a quarter, or a project's month (月调度: progress, stage, investment so far), its
//! head approves with a signature, and the office accepts or returns it — the cycle of task
//! reports. The project library and its quarterly notice (季通报) come from what was accepted.

use chrono::{Datelike, NaiveDate};
use duban_core::monitor::ProjectStage;
use duban_core::{AccountRole, Document, ReportAction, ReportState};
use duban_store::{
    Account, Actor, PlanReport, PlanReportChange, PlanReportFilter, PlanSubject, ProjectRecord,
};
use serde::{Deserialize, Serialize};

use crate::plans::{find_plan, pick, years_of};
use crate::{App, Error};

/// The subject a word names: 指标 / indicator, 项目 / project.
pub fn subject_of(text: &str) -> Result<PlanSubject, Error> {
    match text.trim() {
        "indicator" | "指标" => Ok(PlanSubject::Indicator),
        "project" | "项目" => Ok(PlanSubject::Project),
        other => Err(Error::BadRequest(format!(
            "“{other}”不是规划报送的对象：应为 indicator（指标）或 project（项目）"
        ))),
    }
}

/// The project a name picks: exactly, else the one whose name contains it.
fn pick_project<'a>(projects: &'a [ProjectRecord], name: &str) -> Result<&'a ProjectRecord, Error> {
    let name = name.trim();
    if let Some(p) = projects.iter().find(|p| p.name == name) {
        return Ok(p);
    }
    let matches: Vec<&ProjectRecord> = projects.iter().filter(|p| p.name.contains(name)).collect();
    match matches.as_slice() {
        [one] => Ok(one),
        [] => Err(Error::NotFound(format!(
            "规划的项目库中没有“{name}”（共 {} 个项目）",
            projects.len()
        ))),
        many => Err(Error::BadRequest(format!(
            "“{name}”对应多个项目：{}；请写全称",
            many.iter()
                .take(5)
                .map(|p| p.name.as_str())
                .collect::<Vec<_>>()
                .join("、")
        ))),
    }
}

/// The position and the name of the item a name picks.
async fn item(
    app: &App,
    plan: &Document,
    subject: PlanSubject,
    name: &str,
) -> Result<(i64, String), Error> {
    match subject {
        PlanSubject::Indicator => {
            let indicators = app.store.indicators(plan.id).await?;
            let (ord, found) = pick(&indicators, name)?;
            Ok((ord as i64, found.name.clone()))
        }
        PlanSubject::Project => {
            let projects = app.store.project_library(plan.id).await?;
            let found = pick_project(&projects, name)?;
            Ok((found.ord, found.name.clone()))
        }
    }
}

/// Names the unit reporting on items of a plan (`items` empty: every indicator, or every
/// project). Returns how many items it now reports.
pub async fn assign(
    app: &App,
    actor: &Actor,
    plan_key: &str,
    subject: PlanSubject,
    items: &[String],
    unit: &str,
) -> Result<usize, Error> {
    let plan = find_plan(app, plan_key).await?;
    if unit.trim().is_empty() {
        return Err(Error::BadRequest("请填写报送单位".to_owned()));
    }
    let ords: Vec<i64> = if items.is_empty() {
        let count = match subject {
            PlanSubject::Indicator => app.store.indicators(plan.id).await?.len(),
            PlanSubject::Project => app.store.project_library(plan.id).await?.len(),
        };
        (0..count as i64).collect()
    } else {
        let mut ords = Vec::with_capacity(items.len());
        for name in items {
            ords.push(item(app, &plan, subject, name).await?.0);
        }
        ords
    };
    if ords.is_empty() {
        return Err(Error::BadRequest(format!(
            "这份规划没有{}",
            match subject {
                PlanSubject::Indicator => "主要指标",
                PlanSubject::Project => "重点项目",
            }
        )));
    }
    app.store
        .assign_plan_unit(actor, plan.id, subject, &ords, unit.trim())
        .await?;
    Ok(ords.len())
}

/// The office's facts of a project: its planned investment (万元) and its stage.
pub async fn set_project(
    app: &App,
    actor: &Actor,
    plan_key: &str,
    project: &str,
    planned_investment: Option<f64>,
    stage: Option<&str>,
) -> Result<String, Error> {
    let plan = find_plan(app, plan_key).await?;
    let (ord, name) = item(app, &plan, PlanSubject::Project, project).await?;
    if planned_investment.is_some_and(|v| !v.is_finite() || v < 0.0) {
        return Err(Error::BadRequest(
            "计划总投资应为不小于 0 的数（万元）".to_owned(),
        ));
    }
    let stage = stage
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(stage_of)
        .transpose()?;
    app.store
        .set_project(
            actor,
            plan.id,
            ord,
            planned_investment,
            stage.map(ProjectStage::code),
        )
        .await?;
    Ok(name)
}

fn stage_of(text: &str) -> Result<ProjectStage, Error> {
    text.parse()
        .map_err(|e: duban_core::UnknownWord| Error::BadRequest(e.to_string()))
}

/// A step on a plan report, as the page and the API send it.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct PlanReportRequest {
    /// indicator (指标) or project (项目).
    pub subject: String,
    /// The indicator's or the project's name (exact, or a part naming one).
    pub item: String,
    /// An indicator: 2023 or 2023-Q2; a project: 2023-05.
    pub period: String,
    /// save, approve, send_back, submit, accept or return.
    pub action: String,
    /// The note of the value, or the month's progress (形象进度).
    #[serde(default)]
    pub body: Option<String>,
    /// An indicator's value (two series: 78.6,86.3).
    #[serde(default)]
    pub value: Option<String>,
    /// A project's stage: 前期、在建、竣工、投运.
    #[serde(default)]
    pub stage: Option<String>,
    /// A project's investment completed so far (万元).
    #[serde(default)]
    pub investment: Option<f64>,
    #[serde(default)]
    pub version: Option<i64>,
    #[serde(default)]
    pub comment: Option<String>,
    /// The head's password, to sign the approval.
    #[serde(default)]
    pub password: Option<String>,
}

/// Checks a period against the plan and the subject: an indicator's year or quarter, a
/// project's month, within the plan's years and already begun.
fn check_period(
    plan: &Document,
    subject: PlanSubject,
    period: &str,
    today: NaiveDate,
) -> Result<String, Error> {
    let (base, target) = years_of(plan);
    let parsed: duban_core::Period = period
        .trim()
        .parse()
        .map_err(|e: duban_core::PeriodParseError| Error::BadRequest(e.to_string()))?;
    let fits = matches!(
        (subject, parsed),
        (
            PlanSubject::Indicator,
            duban_core::Period::Year(_) | duban_core::Period::Quarter(..)
        ) | (PlanSubject::Project, duban_core::Period::Month(..))
    );
    if !fits {
        return Err(Error::BadRequest(match subject {
            PlanSubject::Indicator => {
                format!("指标按年度或季度报送（如 2023、2023-Q2），不是“{period}”")
            }
            PlanSubject::Project => format!("项目按月调度（如 2023-05），不是“{period}”"),
        }));
    }
    if !((base + 1)..=target).contains(&parsed.year()) {
        return Err(Error::BadRequest(format!(
            "{} 不在规划期（{}—{} 年）内",
            parsed.label_zh(),
            base + 1,
            target
        )));
    }
    if parsed.first_day() > today {
        return Err(Error::BadRequest(format!(
            "{} 尚未开始，不能报送",
            parsed.label_zh()
        )));
    }
    Ok(parsed.to_string())
}

/// What the head signs: the plan, the item, the period, the unit and every figure reported.
pub fn signed_text(plan: &str, item: &str, report: &PlanReport, approved_at: &str) -> Vec<u8> {
    let numbers = report
        .value
        .as_ref()
        .map(|v| v.iter().map(f64::to_string).collect::<Vec<_>>().join(","))
        .unwrap_or_default();
    format!(
        "duban-plan-report-v1\n{plan}\n{}\n{item}\n{}\n{}\n{numbers}\n{}\n{}\n{}\n{approved_at}",
        report.subject.code(),
        report.period,
        report.unit,
        report.stage.as_deref().unwrap_or_default(),
        report.investment.map(|i| i.to_string()).unwrap_or_default(),
        report.body
    )
    .into_bytes()
}

/// Whether a signed plan report's signature holds (None when it is not signed).
pub fn signature_valid(
    plan: &str,
    item: &str,
    report: &PlanReport,
    keys: &crate::reports::SigningKeys,
) -> Option<bool> {
    let signature = report.signature.as_deref()?;
    let key = report.signer_key.as_deref().unwrap_or_default();
    let signer = report.approved_by.as_deref().unwrap_or_default();
    let message = signed_text(
        plan,
        item,
        report,
        report.approved_at.as_deref().unwrap_or_default(),
    );
    let registered = keys
        .get(signer)
        .is_some_and(|ks| ks.iter().any(|k| k == key));
    Some(registered && crate::auth::verify_signature(key, signature, &message))
}

/// One step on a plan report by the account: the unit named for the item (its reporter or
/// head), or the office.
pub async fn act(
    app: &App,
    account: &Account,
    plan_key: &str,
    request: &PlanReportRequest,
) -> Result<PlanReportView, Error> {
    let plan = find_plan(app, plan_key).await?;
    let subject = subject_of(&request.subject)?;
    let action: ReportAction = request
        .action
        .trim()
        .parse()
        .map_err(|e: duban_core::UnknownWord| Error::BadRequest(e.to_string()))?;
    let (ord, name) = item(app, &plan, subject, &request.item).await?;
    let period = check_period(
        &plan,
        subject,
        &request.period,
        duban_core::beijing::today(),
    )?;
    let assignments = app.store.plan_assignments(plan.id).await?;
    let Some(assigned) = assignments
        .iter()
        .find(|a| a.subject == subject && a.ord == ord)
    else {
        return Err(Error::Conflict(format!(
            "“{name}”还没有指定{}：请督查室先指定",
            subject.unit_role_zh()
        )));
    };
    let (mut value, mut stage, mut investment) = (None, None, None);
    if action == ReportAction::Save {
        match subject {
            PlanSubject::Indicator => {
                let text = request.value.as_deref().unwrap_or_default();
                let indicators = app.store.indicators(plan.id).await?;
                let year = period[..4].parse().unwrap_or_default();
                let (_, numbers) =
                    crate::plans::checked(&indicators, years_of(&plan), &name, year, text, false)?;
                value = Some(numbers);
            }
            PlanSubject::Project => {
                stage = request
                    .stage
                    .as_deref()
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(stage_of)
                    .transpose()?
                    .map(|s| s.code().to_owned());
                investment = request.investment;
                if investment.is_some_and(|v| !v.is_finite() || v < 0.0) {
                    return Err(Error::BadRequest(
                        "累计完成投资应为不小于 0 的数（万元）".to_owned(),
                    ));
                }
            }
        }
    }
    let signature = if action == ReportAction::Approve {
        let current = app
            .store
            .plan_reports(&PlanReportFilter {
                document: Some(plan.id.0),
                unit: Some(assigned.unit_id),
                subject: Some(subject),
            })
            .await?
            .into_iter()
            .find(|r| r.ord == ord && r.period == period)
            .ok_or_else(|| Error::Conflict("还没有可审核的报送".to_owned()))?;
        if Some(current.version) != request.version {
            return Err(Error::Conflict(
                "此报送在您打开后已被修改：请核对最新内容后再审核".to_owned(),
            ));
        }
        let password = request.password.clone().unwrap_or_default();
        Some(
            crate::reports::head_signature(app, account, &password, |approved_at| {
                signed_text(&plan.title, &name, &current, approved_at)
            })
            .await?,
        )
    } else {
        None
    };
    let change = PlanReportChange {
        document: plan.id,
        subject,
        ord,
        unit: duban_core::UnitId(assigned.unit_id),
        period,
        action,
        seen_version: request.version,
        body: request.body.clone(),
        value,
        stage,
        investment,
        comment: request.comment.clone().filter(|c| !c.trim().is_empty()),
        signature,
    };
    let report = app.store.act_on_plan_report(account, &change).await?;
    let keys = crate::reports::head_keys(app).await?;
    Ok(view(&plan.title, &name, &report, &keys))
}

/// An item a unit reports on, with its reports.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PlanItem {
    pub plan_id: i64,
    pub plan: String,
    /// indicator or project.
    pub subject: String,
    pub name: String,
    /// The indicator's unit of measure, or the project's 专栏.
    pub detail: String,
    pub unit: String,
    pub reports: Vec<PlanReportView>,
}

/// A plan report as shown.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PlanReportView {
    pub id: i64,
    pub period: String,
    /// draft, approved, returned, submitted or accepted.
    pub state: String,
    pub state_zh: String,
    pub body: String,
    pub value: Option<Vec<f64>>,
    pub stage: Option<String>,
    pub stage_zh: Option<String>,
    pub investment: Option<f64>,
    pub version: i64,
    pub comment: Option<String>,
    pub approved_by: Option<String>,
    pub signature_valid: Option<bool>,
    pub submitted_at: Option<String>,
    pub accepted_at: Option<String>,
}

/// A plan report as shown, its signature checked against the heads' registered keys.
pub fn view(
    plan: &str,
    item: &str,
    r: &PlanReport,
    keys: &crate::reports::SigningKeys,
) -> PlanReportView {
    PlanReportView {
        id: r.id,
        period: r.period.clone(),
        state: r.state.code().to_owned(),
        state_zh: r.state.label_zh().to_owned(),
        body: r.body.clone(),
        value: r.value.clone(),
        stage: r.stage.clone(),
        stage_zh: r
            .stage
            .as_deref()
            .and_then(|s| s.parse::<ProjectStage>().ok())
            .map(|s| s.label_zh().to_owned()),
        investment: r.investment,
        version: r.version,
        comment: r.comment.clone(),
        approved_by: r.approved_by.clone(),
        signature_valid: signature_valid(plan, item, r, keys),
        submitted_at: r.submitted_at.clone(),
        accepted_at: r.accepted_at.clone(),
    }
}

/// The items of plans the account sees with their reports: a unit's own; the office's and
/// leaders' every assigned item of the plan (all plans when None).
pub async fn items(
    app: &App,
    account: &Account,
    plan_key: Option<&str>,
) -> Result<Vec<PlanItem>, Error> {
    let plans: Vec<Document> = match plan_key {
        Some(key) => vec![find_plan(app, key).await?],
        None => {
            let mut plans = Vec::new();
            for summary in app.store.documents().await? {
                if summary.document.kind == duban_core::DocumentKind::Plan {
                    plans.push(summary.document);
                }
            }
            plans
        }
    };
    let own_unit = match account.role {
        AccountRole::Reporter | AccountRole::Head => {
            Some(account.unit.as_ref().map(|u| u.id.0).unwrap_or(-1))
        }
        _ => None,
    };
    let keys = crate::reports::head_keys(app).await?;
    let mut out = Vec::new();
    for plan in plans {
        let indicators = app.store.indicators(plan.id).await?;
        let projects = app.store.project_library(plan.id).await?;
        let reports = app
            .store
            .plan_reports(&PlanReportFilter {
                document: Some(plan.id.0),
                unit: own_unit,
                subject: None,
            })
            .await?;
        for a in app.store.plan_assignments(plan.id).await? {
            if own_unit.is_some_and(|u| u != a.unit_id) {
                continue;
            }
            let (name, detail) = match a.subject {
                PlanSubject::Indicator => indicators
                    .get(a.ord as usize)
                    .map(|i| (i.name.clone(), i.uom.clone())),
                PlanSubject::Project => projects
                    .iter()
                    .find(|p| p.ord == a.ord)
                    .map(|p| (p.name.clone(), p.box_name.clone())),
            }
            .unwrap_or_default();
            let reports = reports
                .iter()
                .filter(|r| r.subject == a.subject && r.ord == a.ord && r.unit_id == a.unit_id)
                .map(|r| view(&plan.title, &name, r, &keys))
                .collect();
            out.push(PlanItem {
                plan_id: plan.id.0,
                plan: plan.title.clone(),
                subject: a.subject.code().to_owned(),
                name,
                detail,
                unit: a.unit.clone(),
                reports,
            });
        }
    }
    Ok(out)
}

/// A project of the library as listed.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LibraryProject {
    /// Position in the plan's list (the reports' key), not shown.
    #[serde(skip)]
    pub ord: i64,
    #[serde(rename = "box")]
    pub box_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    pub name: String,
    /// The responsible unit (责任单位), once named.
    pub unit: Option<String>,
    /// preparing, building, completed or operating.
    pub stage: Option<String>,
    pub stage_zh: Option<String>,
    /// 万元.
    pub planned_investment: Option<f64>,
    /// Completed so far, 万元 (from the last accepted monthly report).
    pub actual_investment: Option<f64>,
    /// The months reported and accepted (月调度).
    pub months_accepted: Vec<String>,
}

/// The plan's project library with units, stages, investments and the months accepted.
pub async fn library(app: &App, plan_key: &str) -> Result<Vec<LibraryProject>, Error> {
    let plan = find_plan(app, plan_key).await?;
    Ok(library_of(app, &plan).await?.0)
}

/// The plan's library and the project reports it was read with.
async fn library_of(
    app: &App,
    plan: &Document,
) -> Result<(Vec<LibraryProject>, Vec<PlanReport>), Error> {
    let assignments = app.store.plan_assignments(plan.id).await?;
    let reports = app
        .store
        .plan_reports(&PlanReportFilter {
            document: Some(plan.id.0),
            unit: None,
            subject: Some(PlanSubject::Project),
        })
        .await?;
    let projects = app
        .store
        .project_library(plan.id)
        .await?
        .into_iter()
        .map(|p| LibraryProject {
            ord: p.ord,
            unit: assignments
                .iter()
                .find(|a| a.subject == PlanSubject::Project && a.ord == p.ord)
                .map(|a| a.unit.clone()),
            stage_zh: p
                .stage
                .as_deref()
                .and_then(|s| s.parse::<ProjectStage>().ok())
                .map(|s| s.label_zh().to_owned()),
            months_accepted: reports
                .iter()
                .filter(|r| r.ord == p.ord && r.state == ReportState::Accepted)
                .map(|r| r.period.clone())
                .collect(),
            box_name: p.box_name,
            group: p.group,
            name: p.name,
            stage: p.stage,
            planned_investment: p.planned_investment,
            actual_investment: p.actual_investment,
        })
        .collect();
    Ok((projects, reports))
}

fn money(v: Option<f64>) -> String {
    v.map(|v| {
        if v.fract() == 0.0 {
            format!("{v:.0}")
        } else {
            format!("{v:.2}")
        }
    })
    .unwrap_or_else(|| "——".to_owned())
}

fn share(actual: Option<f64>, planned: Option<f64>) -> String {
    match (actual, planned) {
        (Some(a), Some(p)) if p > 0.0 => format!("{:.1}%", a * 100.0 / p),
        _ => "——".to_owned(),
    }
}

/// The quarterly project notice (项目季通报): every project of the library with its unit, stage,
/// investments, the quarter's progress (the last accepted month of the quarter) and how many of
/// the quarter's months its unit reported.
pub async fn project_notice(
    app: &App,
    plan_key: &str,
    quarter: &str,
) -> Result<duban_notice::PrintTable, Error> {
    let plan = find_plan(app, plan_key).await?;
    let (year, q) = match quarter.trim().parse::<duban_core::Period>() {
        Ok(duban_core::Period::Quarter(y, q)) => (y, q),
        _ => {
            return Err(Error::BadRequest(format!(
                "季通报须指定季度（如 2023-Q2），不是“{quarter}”"
            )));
        }
    };
    let (base, target) = years_of(&plan);
    if !((base + 1)..=target).contains(&year) {
        return Err(Error::BadRequest(format!(
            "{year} 年不在规划期（{}—{target} 年）内",
            base + 1
        )));
    }
    let months: Vec<String> = (1..=3)
        .map(|m| format!("{year}-{:02}", (q - 1) * 3 + m))
        .collect();
    let (projects, reports) = library_of(app, &plan).await?;
    let mut reported_units = 0;
    let rows: Vec<Vec<String>> = projects
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let ours: Vec<&PlanReport> = reports
                .iter()
                .filter(|r| r.ord == p.ord && months.contains(&r.period))
                .collect();
            let accepted: Vec<&&PlanReport> = ours
                .iter()
                .filter(|r| r.state == ReportState::Accepted)
                .collect();
            let latest = accepted.iter().max_by_key(|r| r.period.clone());
            if !accepted.is_empty() {
                reported_units += 1;
            }
            vec![
                (i + 1).to_string(),
                match &p.group {
                    Some(g) => format!("{}\n{g}", p.box_name),
                    None => p.box_name.clone(),
                },
                p.name.clone(),
                p.unit.clone().unwrap_or_else(|| "未指定".to_owned()),
                p.stage_zh.clone().unwrap_or_else(|| "——".to_owned()),
                money(p.planned_investment),
                money(p.actual_investment),
                share(p.actual_investment, p.planned_investment),
                latest
                    .map(|r| format!("{}：{}", r.period, r.body))
                    .unwrap_or_else(|| "本季度未报送".to_owned()),
                format!("{}/3", accepted.len()),
            ]
        })
        .collect();
    let planned: f64 = projects.iter().filter_map(|p| p.planned_investment).sum();
    let actual: f64 = projects.iter().filter_map(|p| p.actual_investment).sum();
    let by_stage = |stage: ProjectStage| {
        projects
            .iter()
            .filter(|p| p.stage.as_deref() == Some(stage.code()))
            .count()
    };
    Ok(duban_notice::PrintTable {
        title: format!("{}重点项目{}年第{}季度推进情况通报", plan.title, year, q),
        subtitle: Some(format!(
            "共 {} 个项目，本季度有月调度的 {} 个；前期 {} 个、在建 {} 个、竣工 {} 个、投运 {} 个；计划总投资 {} 万元，累计完成 {} 万元（{}）",
            projects.len(),
            reported_units,
            by_stage(ProjectStage::Preparing),
            by_stage(ProjectStage::Building),
            by_stage(ProjectStage::Completed),
            by_stage(ProjectStage::Operating),
            money(Some(planned)),
            money(Some(actual)),
            share(Some(actual), Some(planned)),
        )),
        sheet: "项目季通报".to_owned(),
        headers: [
            "序号",
            "专栏",
            "项目名称",
            "责任单位",
            "建设阶段",
            "计划总投资（万元）",
            "累计完成投资（万元）",
            "投资完成率",
            "本季度进展",
            "月调度报送",
        ]
        .map(str::to_owned)
        .to_vec(),
        rows,
        centered: vec![
            true, false, false, true, true, true, true, true, false, true,
        ],
        fixed: vec![
            true, false, false, true, true, true, true, true, false, true,
        ],
    })
}

/// The quarter an evaluation year's project table reads: the year's last quarter, or the
/// quarter in progress for the current year.
pub fn evaluation_quarter(year: i32, today: NaiveDate) -> String {
    if year == today.year() {
        format!("{year}-Q{}", (today.month() - 1) / 3 + 1)
    } else {
        format!("{year}-Q4")
    }
}
