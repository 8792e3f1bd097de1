//! Inspections and assessment in the browser: the office records findings and closes or returns
//! rectifications (督查与整改), a unit reports on its items from a phone (整改), and the office and
//! leaders read the scores with every point's reason, the office edits the scheme, leaders rate
//! units (考核得分).

use axum::extract::State;
use duban_app::assessment;
use duban_app::inspections::{self, FindingRequest, InspectionRequest, RectifyRequest};
use duban_app::reports::{SigningKeys, head_keys};
use duban_core::assessment::{InspectionKind, Rating, Rectified, Severity};
use duban_core::{AccountRole, ReportAction, ReportState, UnitKind};
use duban_store::{Account, Finding};
use serde::Deserialize;

use super::{PageResult, beijing, render, see_other};
use crate::AppState;
use crate::access::{CsrfForm, Id, Query, Signed, rule};
use crate::http::query_value;
use crate::views::{
    Choice, FindingView, InspectionLine, InspectionsPage, Layout, MyRectificationsPage, ScoresPage,
};

#[derive(Debug, Deserialize, Default)]
pub struct LedgerQuery {
    #[serde(default)]
    ledger: Option<String>,
    #[serde(default)]
    done: Option<String>,
}

/// The ledger asked for, else the first one.
async fn chosen(
    state: &AppState,
    asked: Option<String>,
) -> Result<(Vec<Choice>, String), duban_app::Error> {
    let names: Vec<String> = state
        .store
        .ledgers()
        .await?
        .into_iter()
        .map(|s| s.ledger.name)
        .collect();
    let name = asked
        .filter(|l| names.contains(l))
        .or_else(|| names.first().cloned())
        .unwrap_or_default();
    let choices = Choice::list(names.iter().map(|n| (n.clone(), n.clone())), &name);
    Ok((choices, name))
}

fn words<T: Copy>(all: &[T], code: impl Fn(T) -> (&'static str, &'static str)) -> Vec<Choice> {
    Choice::list(
        all.iter().map(|v| {
            let (c, l) = code(*v);
            (c.to_owned(), l.to_owned())
        }),
        "",
    )
}

/// What the viewer may do with a rectification now, as (action code, label).
fn actions(account: &Account, state: Option<ReportState>) -> Vec<(String, String)> {
    super::allowed_actions(
        account,
        state,
        &[
            (ReportAction::Save, "保存"),
            (ReportAction::Approve, "审核签名"),
            (ReportAction::SendBack, "退回填报人"),
            (ReportAction::Submit, "报送督查室"),
            (ReportAction::Accept, "销号"),
            (ReportAction::Return, "退回重新整改"),
        ],
    )
}

fn finding_view(
    f: &Finding,
    rectified: Rectified,
    account: &Account,
    keys: &SigningKeys,
) -> FindingView {
    FindingView {
        id: f.id,
        kind: f.kind.label_zh().to_owned(),
        day: f.day.clone(),
        task_id: f.task_id,
        seq: f.seq,
        goal: f.goal.clone(),
        unit: f.unit.clone(),
        text: f.text.clone(),
        severity: f.severity.label_zh().to_owned(),
        lowers: f.lowers.map(|p| p.label_zh()).unwrap_or_default(),
        due: f.due.clone(),
        state_code: f.state.map_or("none", |s| s.code()).to_owned(),
        state: f.state_zh().to_owned(),
        rectified: rectified.label_zh().to_owned(),
        overdue: rectified == Rectified::Overdue,
        report: f.report.clone(),
        version: f.version,
        comment: f.comment.clone().unwrap_or_default(),
        signed: inspections::signature_valid(f, keys).map(|valid| {
            (
                format!(
                    "{} 审核签名于 {}",
                    f.approved_by.clone().unwrap_or_default(),
                    beijing(f.approved_at.as_deref().unwrap_or_default())
                ),
                valid,
            )
        }),
        actions: actions(account, f.state),
        files: Vec::new(),
        can_attach: match account.role {
            AccountRole::Office => true,
            AccountRole::Reporter | AccountRole::Head => f.state.is_none_or(|s| s.is_editable()),
            _ => false,
        },
    }
}

/// The views of findings with their files.
async fn views(
    state: &AppState,
    account: &Account,
    findings: &[(Finding, Rectified)],
) -> Result<Vec<FindingView>, duban_app::Error> {
    let keys = head_keys(state).await?;
    let mut out = Vec::with_capacity(findings.len());
    for (f, r) in findings {
        let mut view = finding_view(f, *r, account, &keys);
        view.files = state
            .store
            .finding_files(f.id)
            .await?
            .into_iter()
            .map(|file| {
                let side = if file.side == "office" {
                    "督查取证"
                } else {
                    "整改佐证"
                };
                (file.id, file.name, side.to_owned())
            })
            .collect();
        out.push(view);
    }
    Ok(out)
}

/// 督查与整改: the office records findings and closes or returns what units submitted; leaders
/// read those of their portfolio.
pub async fn page(
    State(state): State<AppState>,
    user: Signed<rule::Oversight>,
    Query(q): Query<LedgerQuery>,
) -> PageResult {
    let (ledgers, ledger) = chosen(&state, q.ledger).await?;
    let (inspections, findings) = if ledger.is_empty() {
        (Vec::new(), Vec::new())
    } else {
        let id = state.store.ledger(&ledger).await?.id.0;
        let lines = state
            .store
            .inspections(id)
            .await?
            .into_iter()
            .map(|i| InspectionLine {
                id: i.id,
                kind: i.kind.label_zh().to_owned(),
                day: i.day,
                team: i.team,
                findings: i.findings,
            })
            .collect();
        let listed = inspections::list(&state, &user.account, Some(&ledger)).await?;
        (lines, views(&state, &user.account, &listed).await?)
    };
    let overdue = findings.iter().filter(|f: &&FindingView| f.overdue).count();
    let message = match q.done.as_deref() {
        Some("recorded") => Some("已记录：责任单位可在“整改”中报送整改情况".to_owned()),
        Some("rectified") => Some("已处理".to_owned()),
        _ => None,
    };
    render(&InspectionsPage {
        layout: Layout::new(&user.viewer, "督查与整改", "/inspections"),
        is_office: user.account.role == AccountRole::Office,
        ledgers,
        ledger_path: query_value(&ledger),
        ledger,
        kinds: words(
            &[
                InspectionKind::FieldVisit,
                InspectionKind::Joint,
                InspectionKind::Television,
                InspectionKind::Other,
            ],
            |k| (k.code(), k.label_zh()),
        ),
        severities: words(
            &[Severity::Minor, Severity::Serious, Severity::Grave],
            |s| (s.code(), s.label_zh()),
        ),
        today: duban_core::beijing::today().to_string(),
        inspections,
        findings,
        overdue,
        message,
    })
}

#[derive(Debug, Deserialize)]
pub struct InspectionForm {
    ledger: String,
    kind: String,
    date: String,
    #[serde(default)]
    team: String,
    #[serde(default)]
    inspection: Option<String>,
    seq: u32,
    unit: String,
    text: String,
    #[serde(default)]
    severity: Option<String>,
    #[serde(default)]
    days: Option<u32>,
    #[serde(default)]
    lowers: Option<String>,
}

pub async fn record(
    State(state): State<AppState>,
    user: Signed<rule::Office>,
    CsrfForm { form, .. }: CsrfForm<InspectionForm>,
) -> PageResult {
    let request = InspectionRequest {
        ledger: form.ledger.clone(),
        kind: form.kind,
        date: form.date,
        team: form.team,
        note: String::new(),
        findings: vec![FindingRequest {
            seq: form.seq,
            unit: form.unit,
            text: form.text,
            severity: form.severity,
            days: form.days,
            lowers: form.lowers,
        }],
        inspection: form
            .inspection
            .as_deref()
            .and_then(|i| i.trim().parse().ok()),
    };
    inspections::record(&state, &user.account.actor(), &request).await?;
    Ok(see_other(&format!(
        "/inspections?ledger={}&done=recorded",
        query_value(&form.ledger)
    )))
}

/// 整改: the unit's items, newest first, with the forms its reporter and head use.
pub async fn my(
    State(state): State<AppState>,
    user: Signed<rule::Unit>,
    Query(q): Query<LedgerQuery>,
) -> PageResult {
    let listed = inspections::list(&state, &user.account, None).await?;
    let findings = views(&state, &user.account, &listed).await?;
    render(&MyRectificationsPage {
        layout: Layout::new(&user.viewer, "整改", "/my/rectifications"),
        findings,
        message: q.done.map(|_| "已保存".to_owned()),
    })
}

#[derive(Debug, Deserialize)]
pub struct RectifyForm {
    action: String,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    version: Option<i64>,
    #[serde(default)]
    comment: Option<String>,
    #[serde(default)]
    password: Option<String>,
    #[serde(default)]
    back: Option<String>,
}

pub async fn rectify(
    State(state): State<AppState>,
    user: Signed<rule::ReportActors>,
    Id(id): Id,
    CsrfForm { form, .. }: CsrfForm<RectifyForm>,
) -> PageResult {
    let request = RectifyRequest {
        action: form.action,
        body: form.body,
        version: form.version,
        comment: form.comment,
        password: form.password,
    };
    inspections::rectify(&state, &user.account, id, &request).await?;
    // Back to the page the form was on (a path of this site only).
    let back = form
        .back
        .filter(|b| b.starts_with('/') && !b.starts_with("//"))
        .unwrap_or_else(|| "/my/rectifications".to_owned());
    let joiner = if back.contains('?') { '&' } else { '?' };
    Ok(see_other(&format!(
        "{back}{joiner}done=rectified#finding-{id}"
    )))
}

/// 考核得分: the ranking per unit kind with every point's reason, the rating form and, for the
/// office, the scheme.
pub async fn scores(
    State(state): State<AppState>,
    user: Signed<rule::Oversight>,
    Query(q): Query<LedgerQuery>,
) -> PageResult {
    let (ledgers, ledger) = chosen(&state, q.ledger).await?;
    let layout = Layout::new(&user.viewer, "考核得分", "/scores");
    let mut page = ScoresPage {
        layout,
        is_office: user.account.role == AccountRole::Office,
        ledgers,
        ledger_path: query_value(&ledger),
        ledger: ledger.clone(),
        as_of: String::new(),
        periods: String::new(),
        own_scheme: false,
        groups: Vec::new(),
        scheme: String::new(),
        ratings: words(
            &[Rating::Excellent, Rating::Good, Rating::Fair, Rating::Poor],
            |r| (r.code(), r.label_zh()),
        ),
        units: Vec::new(),
        message: match q.done.as_deref() {
            Some("scheme") => Some("考核方案已保存，得分已按新方案计算".to_owned()),
            Some("rated") => Some("评价已记录".to_owned()),
            _ => None,
        },
    };
    if ledger.is_empty() {
        return render(&page);
    }
    let scores = assessment::scores(&state, &ledger, None, duban_core::beijing::today()).await?;
    let (scheme, _) = assessment::scheme(&state, &ledger).await?;
    page.as_of = scores.as_of.clone();
    page.periods = scores
        .periods
        .iter()
        .filter_map(|p| p.parse::<duban_core::Period>().ok())
        .map(|p| p.label_zh())
        .collect::<Vec<_>>()
        .join("、");
    page.own_scheme = scores.own_scheme;
    page.scheme = scheme.to_json();
    page.units = scores.units.iter().map(|u| u.unit.clone()).collect();
    page.units.sort();
    for kind in [
        UnitKind::Department,
        UnitKind::Town,
        UnitKind::Zone,
        UnitKind::Company,
    ] {
        let units: Vec<_> = scores
            .units
            .iter()
            .filter(|u| u.kind == kind)
            .cloned()
            .collect();
        if !units.is_empty() {
            page.groups.push((kind.label_zh().to_owned(), units));
        }
    }
    render(&page)
}

#[derive(Debug, Deserialize)]
pub struct SchemeForm {
    ledger: String,
    scheme: String,
}

pub async fn save_scheme(
    State(state): State<AppState>,
    user: Signed<rule::Office>,
    CsrfForm { form, .. }: CsrfForm<SchemeForm>,
) -> PageResult {
    assessment::set_scheme(&state, &user.account.actor(), &form.ledger, &form.scheme).await?;
    Ok(see_other(&format!(
        "/scores?ledger={}&done=scheme",
        query_value(&form.ledger)
    )))
}

#[derive(Debug, Deserialize)]
pub struct RatingForm {
    ledger: String,
    unit: String,
    rating: String,
    #[serde(default)]
    note: String,
}

pub async fn rate(
    State(state): State<AppState>,
    user: Signed<rule::Oversight>,
    CsrfForm { form, .. }: CsrfForm<RatingForm>,
) -> PageResult {
    assessment::rate(
        &state,
        &user.account,
        &form.ledger,
        &form.unit,
        &form.rating,
        &form.note,
    )
    .await?;
    Ok(see_other(&format!(
        "/scores?ledger={}&done=rated",
        query_value(&form.ledger)
    )))
}

#[derive(Debug, Deserialize)]
pub struct PublishForm {
    ledger: String,
}

/// Publishes the assessment and shows it among the notices.
pub async fn publish(
    State(state): State<AppState>,
    user: Signed<rule::Office>,
    CsrfForm { form, .. }: CsrfForm<PublishForm>,
) -> PageResult {
    let published = assessment::publish(&state, &user.account, &form.ledger).await?;
    Ok(see_other(&format!("/notices?assessment={}", published.id)))
}

/// A file added to a finding from its page; back to that page.
pub async fn attach(
    State(state): State<AppState>,
    user: Signed<rule::ReportActors>,
    Id(id): Id,
    upload: crate::access::Upload,
) -> PageResult {
    inspections::attach(&state, &user.account, id, &upload.name, &upload.bytes).await?;
    let back = upload
        .field("back")
        .filter(|b| b.starts_with('/') && !b.starts_with("//"))
        .unwrap_or("/my/rectifications")
        .to_owned();
    let joiner = if back.contains('?') { '&' } else { '?' };
    Ok(see_other(&format!(
        "{back}{joiner}done=attached#finding-{id}"
    )))
}
