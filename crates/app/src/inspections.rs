//! Inspections (督查) and rectification (整改): the office records what an inspection found per
//! task and unit; each finding is its unit's item to rectify by a deadline in working days,
//! reported through the same cycle as progress (draft → the head's signed approval → submitted)
//! and closed (销号) or returned by the office. The inspection notice (督查通报) as a file.

use chrono::NaiveDate;
use duban_core::assessment::{InspectionKind, Rectified, Severity};
use duban_core::{AccountRole, ReportAction, ReportState};
use duban_notice::PrintTable;
use duban_store::{
    Account, Actor, Finding, FindingFilter, Inspection, NewFinding, NewInspection,
    RectificationChange,
};

use crate::{App, Error, parse_period};

/// Working days a unit has to rectify when the office does not say.
pub const DEFAULT_DAYS: u32 = 10;

/// One finding as the office enters it.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct FindingRequest {
    /// The task's 序号 in the ledger.
    pub seq: u32,
    /// The unit (a name or an alias), one of the task's units.
    pub unit: String,
    /// What was found.
    pub text: String,
    /// minor (一般), serious (较重) or grave (严重); minor when not given.
    #[serde(default)]
    pub severity: Option<String>,
    /// Working days to rectify, from the inspection's day (10 when not given).
    #[serde(default)]
    pub days: Option<u32>,
    /// The period whose verdict the finding lowers a step (e.g. 2023-09), if any.
    #[serde(default)]
    pub lowers: Option<String>,
}

/// An inspection as the office enters it.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct InspectionRequest {
    pub ledger: String,
    /// field_visit (实地暗访), joint (联合督查), television (电视通报) or other (其他); the Chinese
    /// words are accepted too.
    pub kind: String,
    /// YYYY-MM-DD.
    pub date: String,
    /// Who inspected (督查组).
    #[serde(default)]
    pub team: String,
    #[serde(default)]
    pub note: String,
    pub findings: Vec<FindingRequest>,
    /// Add the findings to this inspection (its kind and day are kept) instead of recording a
    /// new one.
    #[serde(default)]
    pub inspection: Option<i64>,
}

fn word<T: std::str::FromStr<Err = duban_core::UnknownWord>>(text: &str) -> Result<T, Error> {
    text.trim()
        .parse()
        .map_err(|e: duban_core::UnknownWord| Error::BadRequest(e.to_string()))
}

/// Records an inspection with its findings; each finding's deadline is its working days after
/// the inspection. Returns the inspection and the findings' ids.
pub async fn record(
    app: &App,
    actor: &Actor,
    request: &InspectionRequest,
) -> Result<(Inspection, Vec<i64>), Error> {
    let kind: InspectionKind = word(&request.kind)?;
    let day = NaiveDate::parse_from_str(request.date.trim(), "%Y-%m-%d").map_err(|_| {
        Error::BadRequest(format!(
            "督查日期“{}”无效：应为 YYYY-MM-DD，如 2023-10-16",
            request.date
        ))
    })?;
    if day > duban_core::beijing::today() {
        return Err(Error::BadRequest(format!(
            "督查日期 {day} 在今天之后：请记录已经进行的督查"
        )));
    }
    // A day years before the ledger is a typing slip (a date field filled in the wrong order).
    let year = app.store.ledger(&request.ledger).await?.year;
    if chrono::Datelike::year(&day) < year - 1 {
        return Err(Error::BadRequest(format!(
            "督查日期 {day} 早于台账年度（{year} 年）：请检查日期"
        )));
    }
    let mut findings = Vec::new();
    for (i, f) in request.findings.iter().enumerate() {
        let severity: Severity = match f.severity.as_deref().map(str::trim) {
            None | Some("") => Severity::Minor,
            Some(text) => word(text)
                .map_err(|e| Error::BadRequest(format!("第 {} 条问题：{}", i + 1, e.message())))?,
        };
        let lowers = match f.lowers.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(text) => Some(parse_period(text)?),
        };
        let days = f.days.unwrap_or(DEFAULT_DAYS);
        if days == 0 || days > 250 {
            return Err(Error::BadRequest(format!(
                "第 {} 条问题：整改时限应为 1 到 250 个工作日",
                i + 1
            )));
        }
        findings.push(NewFinding {
            seq: f.seq,
            unit: f.unit.clone(),
            text: f.text.clone(),
            severity,
            lowers,
            due: app
                .calendar
                .add_working_days_or_weekdays(day, days)
                .to_string(),
        });
    }
    let new = NewInspection {
        ledger: request.ledger.clone(),
        kind,
        day: day.to_string(),
        team: request.team.clone(),
        note: request.note.clone(),
        findings,
        append_to: request.inspection,
    };
    Ok(app.store.add_inspection(actor, &new).await?)
}

/// What a step on a rectification asks.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct RectifyRequest {
    /// save, approve, send_back, submit (the unit); accept (销号) or return (the office).
    pub action: String,
    /// 整改情况, for save.
    #[serde(default)]
    pub body: Option<String>,
    /// The version the person saw (0 before the first save).
    #[serde(default)]
    pub version: Option<i64>,
    /// Why it is sent back or returned (required then).
    #[serde(default)]
    pub comment: Option<String>,
    /// The head's password, to sign the approval.
    #[serde(default)]
    pub password: Option<String>,
}

/// One step on a finding's rectification for the account (its unit's people, or the office).
pub async fn rectify(
    app: &App,
    account: &Account,
    id: i64,
    request: &RectifyRequest,
) -> Result<Finding, Error> {
    let action: ReportAction = word(&request.action)?;
    let finding = visible_finding(app, account, id).await?;
    let signature = if action == ReportAction::Approve {
        if Some(finding.version) != request.version {
            return Err(Error::Conflict(
                "此整改报告在您打开后已被修改：请核对最新内容后再审核".to_owned(),
            ));
        }
        let password = request.password.clone().unwrap_or_default();
        Some(
            crate::reports::head_signature(app, account, &password, |approved_at| {
                signed_text(&finding, approved_at)
            })
            .await?,
        )
    } else {
        None
    };
    let change = RectificationChange {
        finding: id,
        action,
        body: request.body.clone(),
        seen_version: request.version,
        comment: request.comment.clone().filter(|c| !c.trim().is_empty()),
        signature,
    };
    Ok(app.store.act_on_rectification(account, &change).await?)
}

/// A finding the account may see: the office's and leaders' (of the tasks they oversee) and its
/// own unit's.
pub async fn visible_finding(app: &App, account: &Account, id: i64) -> Result<Finding, Error> {
    let finding = app.store.finding(id).await?;
    let allowed = match account.role {
        AccountRole::Office => true,
        AccountRole::Reporter | AccountRole::Head => {
            account.unit.as_ref().map(|u| u.id.0) == Some(finding.unit_id)
        }
        AccountRole::Leader => crate::access::visible_task(&app.store, account, finding.task_id)
            .await
            .is_ok(),
        AccountRole::Public => false,
    };
    if !allowed {
        return Err(Error::Forbidden(
            if account.role == AccountRole::Leader {
                "只能查看分管任务的整改事项"
            } else {
                "只能查看本单位的整改事项"
            }
            .to_owned(),
        ));
    }
    Ok(finding)
}

/// What the head signs for a finding's rectification approved at `approved_at`.
fn signed_text(finding: &Finding, approved_at: &str) -> Vec<u8> {
    duban_core::assessment::rectification_signed_text(
        duban_core::assessment::RectificationText {
            ledger: &finding.ledger,
            seq: finding.seq,
            finding: finding.id,
            finding_text: &finding.text,
            unit: &finding.unit,
            body: &finding.report,
            files: &finding.files,
        },
        approved_at,
    )
}

/// Adds a file to a finding (the office's photo, or the unit's evidence while its report may
/// change), its type checked from its content like any evidence.
pub async fn attach(
    app: &App,
    account: &Account,
    id: i64,
    name: &str,
    bytes: &[u8],
) -> Result<duban_store::FindingFile, Error> {
    visible_finding(app, account, id).await?;
    let (name, mime) = crate::evidence::checked(name, bytes)?;
    Ok(app
        .store
        .attach_to_finding(account, id, &name, mime, bytes)
        .await?)
}

/// A file on a finding and its bytes, to those who may see the finding.
pub async fn file(
    app: &App,
    account: &Account,
    id: i64,
) -> Result<(duban_store::FindingFile, Vec<u8>), Error> {
    let file = app.store.finding_file(id).await?;
    visible_finding(app, account, file.finding_id).await?;
    let bytes = app.store.attachment_bytes(&file.hash).await?;
    Ok((file, bytes))
}

/// Whether a rectification report's signature holds: by a key registered to its approver, over
/// the finding and the text as they are now. None when unsigned.
pub fn signature_valid(finding: &Finding, keys: &crate::reports::SigningKeys) -> Option<bool> {
    let signature = finding.signature.as_deref()?;
    let key = finding.signer_key.as_deref().unwrap_or_default();
    let signer = finding.approved_by.as_deref().unwrap_or_default();
    let message = signed_text(finding, finding.approved_at.as_deref().unwrap_or_default());
    let registered = keys
        .get(signer)
        .is_some_and(|ks| ks.iter().any(|k| k == key));
    Some(registered && crate::auth::verify_signature(key, signature, &message))
}

/// Where a rectification stands as of `day`, as the scores see it.
pub fn rectified(finding: &Finding, day: NaiveDate) -> Rectified {
    let due = NaiveDate::parse_from_str(&finding.due, "%Y-%m-%d").unwrap_or(day);
    let closed = finding
        .closed_at
        .as_deref()
        .and_then(duban_core::beijing::beijing_time)
        .map(|t| t.date());
    match (finding.state, closed) {
        (Some(ReportState::Accepted), Some(closed)) if closed <= due => Rectified::OnTime,
        (Some(ReportState::Accepted), _) => Rectified::Late,
        _ if day > due => Rectified::Overdue,
        _ => Rectified::Open,
    }
}

/// The findings of a ledger the account may see (its own unit's for a unit), with where each
/// stands as of today.
pub async fn list(
    app: &App,
    account: &Account,
    ledger: Option<&str>,
) -> Result<Vec<(Finding, Rectified)>, Error> {
    let ledger = match ledger {
        Some(name) => Some(app.store.ledger(name).await?.id.0),
        None => None,
    };
    let unit = match account.role {
        AccountRole::Reporter | AccountRole::Head => Some(
            account
                .unit
                .as_ref()
                .map(|u| u.id)
                .ok_or_else(|| Error::Forbidden("账号没有所属单位".to_owned()))?,
        ),
        AccountRole::Office | AccountRole::Leader => None,
        AccountRole::Public => return Err(Error::Forbidden("公众不能查看整改事项".to_owned())),
    };
    let today = duban_core::beijing::today();
    let scope = crate::access::portfolio(account)?;
    let mut oversees: std::collections::HashMap<i64, bool> = std::collections::HashMap::new();
    let mut out = Vec::new();
    for finding in app
        .store
        .findings(&FindingFilter {
            ledger,
            unit,
            ..FindingFilter::default()
        })
        .await?
    {
        if let Some(leader) = &scope {
            // Several findings on one task: its leaders are read once (the leader's dashboard
            // lists them on every visit).
            let in_portfolio = match oversees.get(&finding.task_id) {
                Some(known) => *known,
                None => {
                    let detail = app.store.task_detail(finding.task_id).await?;
                    let known = detail.leaders.iter().any(|l| l == leader);
                    oversees.insert(finding.task_id, known);
                    known
                }
            };
            if !in_portfolio {
                continue;
            }
        }
        let state = rectified(&finding, today);
        out.push((finding, state));
    }
    Ok(out)
}

/// The inspection notice (督查通报) of one inspection, to print as xlsx or docx
/// (`export::table_file`): every finding with its unit, severity, deadline and where its
/// rectification stands.
pub async fn notice_table(app: &App, id: i64) -> Result<PrintTable, Error> {
    let findings = app
        .store
        .findings(&FindingFilter {
            inspection: Some(id),
            ..FindingFilter::default()
        })
        .await?;
    let first = findings
        .first()
        .ok_or_else(|| Error::NotFound(format!("没有编号为 {id} 的督查记录")))?;
    let inspection = app
        .store
        .inspections(app.store.ledger(&first.ledger).await?.id.0)
        .await?
        .into_iter()
        .find(|i| i.id == id)
        .ok_or_else(|| Error::NotFound(format!("没有编号为 {id} 的督查记录")))?;
    let today = duban_core::beijing::today();
    let title = format!(
        "{}督查通报（{}，{}）",
        inspection.ledger,
        inspection.kind.label_zh(),
        duban_notice::cells::date_zh(
            NaiveDate::parse_from_str(&inspection.day, "%Y-%m-%d").unwrap_or(today)
        )
    );
    let mut subtitle = format!("共发现问题 {} 个", findings.len());
    if !inspection.team.is_empty() {
        subtitle = format!("督查组：{}；{subtitle}", inspection.team);
    }
    let rows = findings
        .iter()
        .enumerate()
        .map(|(i, f)| {
            vec![
                (i + 1).to_string(),
                f.seq.to_string(),
                f.goal.clone(),
                f.unit.clone(),
                f.text.clone(),
                f.severity.label_zh().to_owned(),
                f.due.clone(),
                format!("{}（{}）", f.state_zh(), rectified(f, today).label_zh()),
            ]
        })
        .collect();
    Ok(PrintTable {
        title,
        subtitle: Some(subtitle),
        sheet: "督查通报".to_owned(),
        headers: [
            "编号",
            "任务序号",
            "年度目标任务",
            "责任单位",
            "发现的问题",
            "问题等级",
            "整改时限",
            "整改情况",
        ]
        .map(str::to_owned)
        .to_vec(),
        rows,
        centered: vec![true, true, false, true, false, true, true, false],
        fixed: vec![true, true, false, true, false, true, true, false],
    })
}
