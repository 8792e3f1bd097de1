//! Which ledger and period a view is about, and a unit's own tasks for it.

use std::collections::HashMap;

use chrono::NaiveDate;
use duban_core::{Period, Timeliness, timeliness};
use duban_store::{Account, LedgerSummary, ReportRecord, TaskFilter};
use serde::Serialize;

use crate::{App, Error, parse_period};

/// The ledger and period a page shows: those asked for, else the newest ledger and its latest
/// period. `ledger` is None when there is no ledger yet.
#[derive(Debug, Clone)]
pub struct Selection {
    pub summaries: Vec<LedgerSummary>,
    pub ledger: Option<LedgerSummary>,
    pub period: Option<Period>,
    /// The period after the latest with data, in the ledger's year: the one being reported.
    pub next: Option<Period>,
}

impl Selection {
    pub async fn new(
        app: &App,
        ledger: Option<&str>,
        period: Option<&str>,
    ) -> Result<Selection, Error> {
        Selection::choose(app, ledger, period, false).await
    }

    /// `open`: without a period asked for, take the period units report on now: the one after
    /// the latest with data, while it is in the ledger's year.
    pub async fn choose(
        app: &App,
        ledger: Option<&str>,
        period: Option<&str>,
        open: bool,
    ) -> Result<Selection, Error> {
        let summaries = app.store.ledgers().await?;
        let chosen = match ledger.filter(|l| !l.trim().is_empty()) {
            Some(name) => Some(
                summaries
                    .iter()
                    .find(|s| s.ledger.name == name.trim())
                    .cloned()
                    .ok_or_else(|| Error::NotFound(format!("台账 \"{name}\" 不存在")))?,
            ),
            None => summaries.first().cloned(),
        };
        let latest = chosen.as_ref().and_then(|s| s.periods.last().copied());
        let next = chosen.as_ref().zip(latest).and_then(|(s, p)| {
            let next = p.next();
            (next.year() == s.ledger.year).then_some(next)
        });
        let period = match period.filter(|p| !p.trim().is_empty()) {
            Some(p) => Some(parse_period(p)?),
            None if open => next.or(latest),
            None => latest,
        };
        Ok(Selection {
            summaries,
            ledger: chosen,
            period,
            next,
        })
    }

    pub fn ledger_name(&self) -> String {
        self.ledger
            .as_ref()
            .map(|l| l.ledger.name.clone())
            .unwrap_or_default()
    }

    /// The periods to offer, newest first: those with data, the chosen one and the open one.
    pub fn periods(&self) -> Vec<Period> {
        let mut periods: Vec<Period> = self
            .ledger
            .as_ref()
            .map(|l| l.periods.clone())
            .unwrap_or_default();
        for p in [self.period, self.next].into_iter().flatten() {
            if !periods.contains(&p) {
                periods.push(p);
            }
        }
        periods.sort();
        periods.reverse();
        periods
    }

    /// The due date of the chosen period, as text (or why it cannot be computed) and as a date.
    pub fn due(&self, app: &App) -> (String, Option<NaiveDate>) {
        match (&self.ledger, self.period) {
            (Some(l), Some(p)) => match l.ledger.deadline.due(&app.calendar, p) {
                Ok(day) => (day.to_string(), Some(day)),
                Err(e) => (format!("无法计算（{e}）"), None),
            },
            _ => (String::new(), None),
        }
    }
}

/// When a report reached the office (or None), judged against the due date.
pub fn report_timeliness(
    report: Option<&ReportRecord>,
    due: Option<NaiveDate>,
) -> Option<Timeliness> {
    let due = due?;
    let submitted = report
        .and_then(|r| r.submitted_at.as_deref())
        .and_then(duban_core::beijing::beijing_time)
        .map(|t| t.date());
    Some(timeliness(due, submitted, duban_core::beijing::today()))
}

/// One of a unit's tasks for the period, with the state of its own report.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UnitTask {
    pub task_id: i64,
    /// The unit has acknowledged the task (签收).
    pub acknowledged: bool,
    pub seq: u32,
    pub goal: String,
    /// The milestone (目标) for the period.
    pub target: String,
    /// 牵头 / 配合 …
    pub role: String,
    /// The report's state code ("none" when nothing is written yet).
    pub state: String,
    /// The state as people read it (未填报 when nothing is written yet).
    #[serde(skip)]
    pub state_label: String,
    /// 按时 / 逾期 / 未报送 / — (before the deadline).
    pub timeliness: String,
    /// How often the office has reminded (催办) this unit of this task for the period.
    pub reminders: usize,
}

/// A unit's tasks for the period with the state of its own report: all of them, or one page
/// (`(offset, limit)` in 序号 order).
pub async fn unit_tasks(
    app: &App,
    account: &Account,
    selection: &Selection,
    page: Option<(i64, i64)>,
) -> Result<Vec<UnitTask>, Error> {
    let unit = account
        .unit
        .as_ref()
        .ok_or_else(|| Error::Forbidden("账号没有所属单位".to_owned()))?;
    let (Some(summary), Some(period)) = (&selection.ledger, selection.period) else {
        return Ok(Vec::new());
    };
    // The unit's tasks read through its assignments, with their ids, and its own reports: the
    // cost follows the unit's tasks, not the ledger's.
    let filter = TaskFilter {
        unit: Some(unit.name.clone()),
        ..TaskFilter::default()
    };
    let tasks = match page {
        Some(page) => {
            app.store
                .task_page(&summary.ledger, Some(period), &filter, None, "", page)
                .await?
                .tasks
        }
        None => {
            app.store
                .task_list(
                    &summary.ledger,
                    Some(period),
                    &filter,
                    None,
                    "",
                    None,
                    i64::MAX,
                )
                .await?
        }
    };
    let ids: Vec<i64> = tasks.iter().map(|(id, _)| *id).collect();
    let reports: HashMap<i64, ReportRecord> = app
        .store
        .tasks_reports(&ids, period)
        .await?
        .into_iter()
        .filter(|r| r.unit.id == unit.id)
        .map(|r| (r.task_id, r))
        .collect();
    let (_, due) = selection.due(app);
    // A granted extension (延期) is the unit's deadline for that task.
    let extended = app
        .store
        .granted_deadlines(summary.ledger.id.0, period)
        .await?;
    let received = app
        .store
        .acknowledged(unit.id, duban_store::ReceiptKind::Task)
        .await?;
    let mut reminded: HashMap<i64, usize> = HashMap::new();
    for r in app
        .store
        .reminders(duban_store::ReminderScope::Ledger(summary.ledger.id.0))
        .await?
    {
        if r.period == period && r.unit.as_deref().is_none_or(|u| u == unit.name) {
            *reminded.entry(r.task_id).or_default() += 1;
        }
    }
    Ok(tasks
        .into_iter()
        .filter_map(|(id, t)| {
            let role = t
                .units
                .iter()
                .flatten()
                .find(|u| u.name == unit.name)
                .map(|u| u.role)?;
            let report = reports.get(&id);
            Some(UnitTask {
                task_id: id,
                seq: t.seq,
                goal: t.goal,
                target: t.target.unwrap_or_default(),
                role: role.label_zh().to_owned(),
                state: report.map_or("none", |r| r.state.code()).to_owned(),
                state_label: report.map_or("未填报", |r| r.state.label_zh()).to_owned(),
                timeliness: report_timeliness(
                    report,
                    extended.get(&(id, unit.id)).copied().or(due),
                )
                .map_or("—", |t| t.label_zh())
                .to_owned(),
                reminders: reminded.get(&id).copied().unwrap_or(0),
                acknowledged: received.contains(&id),
            })
        })
        .collect())
}
