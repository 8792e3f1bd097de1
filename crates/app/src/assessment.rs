//! The units' assessment (考核) of a ledger's year: the scheme the office keeps, the facts read
//! from the ledger (each period's verdicts and timeliness of the tasks a unit leads, findings and
//! their rectification, leaders' ratings), the scores by `duban_core::assessment::score`, and the
//! year-end table (年度考核表) as a file.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use duban_core::assessment::{PeriodVerdict, Scheme, ScoreInputs, UnitScore, year_verdict};
use duban_core::{Role, Status, UnitId, UnitKind, timeliness};
use duban_notice::PrintTable;
use duban_store::{Actor, FindingFilter, TaskFilter};
use serde::{Deserialize, Serialize};

use crate::{App, Error};

/// A ledger's scores as of a day.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Scores {
    pub ledger: String,
    pub year: i32,
    /// The day the facts were read as of (YYYY-MM-DD).
    pub as_of: String,
    /// The periods whose deadlines had passed, which the 平时 items count.
    pub periods: Vec<String>,
    /// Whether the scheme is the office's own (else the default).
    pub own_scheme: bool,
    pub units: Vec<UnitScore>,
    /// Each task's verdict for the year so far (年终评定): (序号, lead unit, verdict).
    pub tasks: Vec<YearTask>,
}

/// A task's year-end verdict.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct YearTask {
    pub seq: u32,
    pub goal: String,
    pub unit: String,
    pub verdict: Status,
    /// The findings that lowered one of its periods.
    pub findings: Vec<i64>,
}

/// The ledger's scheme: the office's own, or the default.
pub async fn scheme(app: &App, ledger: &str) -> Result<(Scheme, bool), Error> {
    let ledger = app.store.ledger(ledger).await?;
    match app.store.scheme(ledger.id.0).await? {
        Some(text) => Ok((Scheme::from_json(&text).map_err(Error::internal)?, true)),
        None => Ok((Scheme::default(), false)),
    }
}

/// Checks and keeps the office's scheme for a ledger (JSON).
pub async fn set_scheme(
    app: &App,
    actor: &Actor,
    ledger: &str,
    text: &str,
) -> Result<Scheme, Error> {
    let scheme = Scheme::from_json(text).map_err(|e| Error::BadRequest(e.to_string()))?;
    let ledger = app.store.ledger(ledger).await?;
    app.store
        .set_scheme(actor, ledger.id.0, &scheme.to_json())
        .await?;
    Ok(scheme)
}

/// A leader's rating of a unit for the ledger's year (定性评价); the word in English or Chinese.
pub async fn rate(
    app: &App,
    account: &duban_store::Account,
    ledger: &str,
    unit: &str,
    rating: &str,
    note: &str,
) -> Result<(), Error> {
    let rating: duban_core::assessment::Rating = rating
        .trim()
        .parse()
        .map_err(|e: duban_core::UnknownWord| Error::BadRequest(e.to_string()))?;
    app.store
        .rate_unit(account, ledger, unit, rating, note)
        .await?;
    Ok(())
}

/// The scores of a ledger's units as of `as_of`, by `scheme` (the ledger's own when None).
pub async fn scores(
    app: &App,
    ledger_name: &str,
    scheme: Option<Scheme>,
    as_of: NaiveDate,
) -> Result<Scores, Error> {
    let ledger = app.store.ledger(ledger_name).await?;
    let (scheme, own_scheme) = match scheme {
        Some(s) => (s, false),
        None => self::scheme(app, ledger_name).await?,
    };
    let units = app.store.units().await?;
    let kinds: HashMap<String, UnitKind> = units
        .iter()
        .map(|u| (u.unit.name.clone(), u.unit.kind))
        .collect();
    let unit_ids: HashMap<String, i64> = units
        .iter()
        .map(|u| (u.unit.name.clone(), u.unit.id.0))
        .collect();
    let ids = app.store.task_ids(ledger.id.0).await?;
    let findings = app
        .store
        .findings(&FindingFilter {
            ledger: Some(ledger.id.0),
            ..FindingFilter::default()
        })
        .await?;
    let mut inputs = ScoreInputs::default();
    let mut lead_units: BTreeMap<String, UnitKind> = BTreeMap::new();
    let mut goals: BTreeMap<u32, (String, String)> = BTreeMap::new();
    let mut counted = Vec::new();
    for period in crate::targets::ledger_periods(&ledger) {
        let due = ledger
            .deadline
            .due(&app.calendar, period)
            .unwrap_or_else(|_| {
                app.calendar
                    .add_working_days_or_weekdays(period.last_day(), ledger.deadline.working_days)
            });
        // Only periods whose deadline has passed: a period still open costs nobody anything.
        if due >= as_of {
            continue;
        }
        let sheet = app
            .store
            .sheet(&ledger.name, Some(period), &TaskFilter::default())
            .await?;
        let reports: HashMap<(i64, i64), duban_store::ReportRecord> = app
            .store
            .period_reports(ledger.id.0, period)
            .await?
            .into_iter()
            .map(|r| ((r.task_id, r.unit.id.0), r))
            .collect();
        // A period the office did not run (nothing reported or recorded for any task — the months
        // before a ledger was imported mid-year) is not held against anyone.
        if reports.is_empty()
            && sheet
                .tasks
                .iter()
                .all(|t| matches!(t.status, None | Some(Status::Unreported)))
        {
            continue;
        }
        counted.push(period.to_string());
        let extended = app.store.granted_deadlines(ledger.id.0, period).await?;
        for task in &sheet.tasks {
            let Some(lead) = task.units.iter().flatten().find(|u| u.role == Role::Lead) else {
                continue;
            };
            let Some(&task_id) = ids.get(&task.seq) else {
                continue;
            };
            lead_units.insert(
                lead.name.clone(),
                kinds
                    .get(&lead.name)
                    .copied()
                    .unwrap_or(UnitKind::Department),
            );
            goals.insert(task.seq, (task.goal.clone(), lead.name.clone()));
            // Not yet judged by the office (待评定): its verdict is left out, not counted as missing.
            let Some(status) = task.status else {
                continue;
            };
            let unit_id = unit_ids.get(&lead.name).copied().unwrap_or_default();
            let report = reports.get(&(task_id, unit_id));
            // Submitted and waiting for the office's verdict: not counted as missing either.
            if status == Status::Unreported
                && report.is_some_and(|r| r.state == duban_core::ReportState::Submitted)
            {
                continue;
            }
            let submitted = report
                .and_then(|r| r.submitted_at.as_deref())
                .and_then(duban_core::beijing::beijing_time)
                .map(|t| t.date());
            let unit_due = extended
                .get(&(task_id, UnitId(unit_id)))
                .copied()
                .unwrap_or(due);
            // A verdict the office took from an imported table has no report behind it: it
            // reached the office, and when is not known — counted on time.
            let on_time = match (report, status) {
                (None, Status::Done | Status::Partial | Status::NotDone) => {
                    duban_core::Timeliness::OnTime
                }
                _ => timeliness(unit_due, submitted, as_of),
            };
            inputs.periods.push(PeriodVerdict {
                unit: lead.name.clone(),
                seq: task.seq,
                period,
                status,
                lowered_by: findings
                    .iter()
                    .filter(|f| f.task_id == task_id && f.lowers == Some(period))
                    .map(|f| f.id)
                    .collect(),
                timeliness: on_time,
            });
        }
    }
    let mut tasks = Vec::new();
    for (seq, (goal, unit)) in &goals {
        let periods: Vec<&PeriodVerdict> = inputs
            .periods
            .iter()
            .filter(|p| p.seq == *seq && &p.unit == unit)
            .collect();
        if let Some(verdict) = year_verdict(&periods) {
            inputs.years.push((unit.clone(), *seq, verdict));
            tasks.push(YearTask {
                seq: *seq,
                goal: goal.clone(),
                unit: unit.clone(),
                verdict,
                findings: periods
                    .iter()
                    .flat_map(|p| p.lowered_by.iter().copied())
                    .collect(),
            });
        }
    }
    for f in &findings {
        lead_units
            .entry(f.unit.clone())
            .or_insert_with(|| kinds.get(&f.unit).copied().unwrap_or(UnitKind::Department));
        inputs.findings.push(duban_core::assessment::FindingFact {
            id: f.id,
            unit: f.unit.clone(),
            seq: f.seq,
            kind: f.kind,
            severity: f.severity,
            rectified: crate::inspections::rectified(f, as_of),
            due: f.due.clone(),
        });
    }
    inputs.ratings = app.store.ratings(ledger.id.0).await?;
    inputs.units = lead_units.into_iter().collect();
    Ok(Scores {
        ledger: ledger.name.clone(),
        year: ledger.year,
        as_of: as_of.to_string(),
        periods: counted,
        own_scheme,
        units: duban_core::assessment::score(&scheme, &inputs),
        tasks,
    })
}

/// The year's assessment table (年度考核表), to print as xlsx or docx (`export::table_file`): per
/// unit kind, the ranking with each item's points and every point lost with its reason.
pub fn table(scores: &Scores) -> PrintTable {
    let items = [
        "完成情况",
        "报送及时",
        "督查发现问题",
        "整改销号",
        "年终评定",
        "定性评价",
    ];
    let mut rows = Vec::new();
    for unit in &scores.units {
        let mut row = vec![
            unit.kind.label_zh().to_owned(),
            unit.rank.to_string(),
            unit.unit.clone(),
        ];
        for item in items {
            let points: f64 = unit
                .parts
                .iter()
                .filter(|p| p.item == item)
                .map(|p| p.points)
                .sum();
            row.push(format!("{points:.2}"));
        }
        row.push(format!("{:.2}", unit.total));
        let lost: Vec<String> = unit
            .parts
            .iter()
            .filter(|p| p.points < p.max)
            .map(|p| format!("{}：{}（{:+.2}）", p.item, p.reason, p.points))
            .collect();
        row.push(lost.join("\n"));
        rows.push(row);
    }
    let mut headers: Vec<String> = ["单位类型", "排名", "单位"].map(str::to_owned).to_vec();
    headers.extend(items.map(str::to_owned));
    headers.push("总分".to_owned());
    headers.push("扣分及失分说明".to_owned());
    let n = headers.len();
    let mut centered = vec![true; n];
    centered[n - 1] = false;
    let mut fixed = vec![true; n];
    fixed[n - 1] = false;
    let title = format!("{}年度考核结果", scores.ledger);
    PrintTable {
        title,
        subtitle: Some(format!(
            "统计截至 {}（已到报送截止日的期间 {} 个）；各类单位分别排名",
            scores.as_of,
            scores.periods.len()
        )),
        sheet: "考核结果".to_owned(),
        headers,
        rows,
        centered,
        fixed,
    }
}

/// The year-end evaluation (年终评定表): each task's verdict for the year from its periods and
/// the findings that lowered them, to print as xlsx or docx.
pub fn year_table(scores: &Scores) -> PrintTable {
    let rows = scores
        .tasks
        .iter()
        .map(|t| {
            let basis = if t.findings.is_empty() {
                "以最后一期评定为准".to_owned()
            } else {
                let ids: Vec<String> = t.findings.iter().map(|id| format!("#{id}")).collect();
                format!("督查发现问题 {} 降低所在期评定", ids.join("、"))
            };
            vec![
                t.seq.to_string(),
                t.goal.clone(),
                t.unit.clone(),
                t.verdict.label_zh().to_owned(),
                basis,
            ]
        })
        .collect();
    PrintTable {
        title: format!("{}年终评定表", scores.ledger),
        subtitle: Some(format!("统计截至 {}", scores.as_of)),
        sheet: "年终评定".to_owned(),
        headers: ["序号", "年度目标任务", "牵头单位", "全年评定", "依据"]
            .map(str::to_owned)
            .to_vec(),
        rows,
        centered: vec![true, false, true, true, false],
        fixed: vec![true, false, true, true, false],
    }
}

/// Publishes the ledger's assessment as of today (the scores and the year's verdicts, frozen),
/// open to everyone like a notice.
pub async fn publish(
    app: &App,
    account: &duban_store::Account,
    ledger: &str,
) -> Result<duban_store::PublishedAssessment, Error> {
    let scores = scores(app, ledger, None, duban_core::beijing::today()).await?;
    if scores.units.is_empty() {
        return Err(Error::Conflict(
            "这本台账还没有可考核的单位（没有牵头任务）".to_owned(),
        ));
    }
    let title = format!("{}年度考核结果（截至 {}）", scores.ledger, scores.as_of);
    let body = serde_json::to_string(&scores).map_err(Error::internal)?;
    Ok(app
        .store
        .publish_assessment(account, ledger, &title, &body)
        .await?)
}

/// A published assessment as it was published: the scores, or (`year`) the year-end table.
pub async fn published(app: &App, id: i64) -> Result<Scores, Error> {
    let (_, body) = app.store.published_assessment(id).await?;
    serde_json::from_str(&body).map_err(Error::internal)
}
