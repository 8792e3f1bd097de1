//! Target rounds (目标分解): the office opens a round for some periods of a ledger, each unit of a
//! task drafts its target for each period, the head approves and signs it and submits it, and
//! the office accepts it (the lead unit's target becomes the milestone) or returns it. The
//! decomposition table (目标分解表) prints the result as offices lay it out.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use duban_core::{AccountRole, Ledger, Period, ReportState, Role, SheetUnit};
use duban_notice::PrintTable;
use duban_store::{Account, TargetRound, TaskFilter, UnitTarget};

use crate::{App, Error, parse_period};

/// Every period of the ledger's year at its cadence, in order: what a round may be opened for.
pub fn ledger_periods(ledger: &Ledger) -> Vec<Period> {
    let Some(first) = NaiveDate::from_ymd_opt(ledger.year, 1, 1) else {
        return Vec::new();
    };
    let mut periods = Vec::new();
    let mut p = Period::containing(first, ledger.cadence);
    while p.year() == ledger.year && periods.len() < 12 {
        periods.push(p);
        p = p.next();
    }
    periods
}

/// Opens a round for `periods` (as people type them) of a ledger; the units have the ledger's
/// deadline rule in working days from today to submit.
pub async fn open_round(
    app: &App,
    account: &Account,
    ledger: &str,
    periods: &[String],
) -> Result<Vec<TargetRound>, Error> {
    if account.role != AccountRole::Office {
        return Err(Error::Forbidden("只有督查室可以开启目标分解".to_owned()));
    }
    let ledger = app.store.ledger(ledger).await?;
    let allowed = ledger_periods(&ledger);
    let mut chosen = BTreeSet::new();
    for text in periods.iter().filter(|p| !p.trim().is_empty()) {
        let period = parse_period(text)?;
        if !allowed.contains(&period) {
            return Err(Error::BadRequest(format!(
                "{} 不是本台账的期间：本台账为 {} 年{}报送",
                period.label_zh(),
                ledger.year,
                ledger.cadence.label_zh()
            )));
        }
        chosen.insert(period);
    }
    if chosen.is_empty() {
        return Err(Error::BadRequest(
            "请选择要分解目标的期间（如第三季度、第四季度）".to_owned(),
        ));
    }
    let today = duban_core::beijing::today();
    // At the turn of a year whose holidays are not announced yet, weekdays stand in for them.
    let due = app
        .calendar
        .add_working_days_or_weekdays(today, ledger.deadline.working_days);
    let chosen: Vec<Period> = chosen.into_iter().collect();
    Ok(app
        .store
        .open_target_round(account, ledger.id, &chosen, due)
        .await?)
}

/// What the account's unit has to set targets for, in every open round.
pub async fn my_targets(app: &App, account: &Account) -> Result<Vec<UnitTarget>, Error> {
    let unit = account
        .unit
        .as_ref()
        .ok_or_else(|| Error::Forbidden("账号没有所属单位".to_owned()))?;
    Ok(app.store.unit_targets(unit.id).await?)
}

/// One task's row of the decomposition, as the pages show it.
#[derive(Debug, Clone)]
pub struct DecompositionRow {
    pub task_id: i64,
    pub seq: u32,
    pub goal: String,
    pub units: Vec<SheetUnit>,
    /// Per round period: the milestone (accepted) or where the lead unit's target stands.
    pub cells: Vec<TargetCell>,
}

/// A task's target for one period of a round.
#[derive(Debug, Clone)]
pub struct TargetCell {
    pub period: Period,
    /// The milestone as now recorded (accepted, or imported before the round).
    pub milestone: Option<String>,
    /// The lead unit's target in the round: its state and text.
    pub lead: Option<(ReportState, String)>,
}

/// The decomposition of a ledger: its rounds and, per task, each round period's target.
#[derive(Debug, Clone)]
pub struct Decomposition {
    pub ledger: Ledger,
    pub rounds: Vec<TargetRound>,
    pub rows: Vec<DecompositionRow>,
}

/// How far a round period has come: the lead units' targets by where they stand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundProgress {
    pub period: Period,
    /// YYYY-MM-DD.
    pub due: String,
    pub total: usize,
    pub accepted: usize,
    /// Submitted, waiting for the office.
    pub waiting: usize,
    /// Not yet submitted (none, draft, approved or returned).
    pub missing: usize,
    /// The due day has passed with targets still missing.
    pub overdue: bool,
}

impl Decomposition {
    /// Each round period's progress as of `today` (Beijing).
    pub fn progress(&self, today: NaiveDate) -> Vec<RoundProgress> {
        self.rounds
            .iter()
            .enumerate()
            .map(|(i, round)| {
                let states: Vec<Option<ReportState>> = self
                    .rows
                    .iter()
                    .map(|r| {
                        r.cells
                            .get(i)
                            .and_then(|c| c.lead.as_ref().map(|(s, _)| *s))
                    })
                    .collect();
                let count =
                    |wanted: ReportState| states.iter().filter(|s| **s == Some(wanted)).count();
                let (accepted, waiting) =
                    (count(ReportState::Accepted), count(ReportState::Submitted));
                let missing = states.len() - accepted - waiting;
                let overdue =
                    missing > 0 && round.due.parse::<NaiveDate>().is_ok_and(|due| today > due);
                RoundProgress {
                    period: round.period,
                    due: round.due.clone(),
                    total: states.len(),
                    accepted,
                    waiting,
                    missing,
                    overdue,
                }
            })
            .collect()
    }

    /// How many (task, period) targets are accepted, and how many there are.
    pub fn accepted(&self) -> (usize, usize) {
        let cells = self.rows.iter().flat_map(|r| &r.cells);
        let total = cells.clone().count();
        let done = cells
            .filter(|c| matches!(c.lead, Some((ReportState::Accepted, _))))
            .count();
        (done, total)
    }
}

/// Reads a ledger's decomposition: tasks, units, and for each round period the milestone and the
/// lead unit's target.
pub async fn decomposition(app: &App, ledger: &str) -> Result<Decomposition, Error> {
    let ledger = app.store.ledger(ledger).await?;
    let rounds = app.store.target_rounds(ledger.id).await?;
    let targets = app.store.ledger_targets(ledger.id).await?;
    let mut sheets = Vec::new();
    for round in &rounds {
        sheets.push(
            app.store
                .sheet(&ledger.name, Some(round.period), &TaskFilter::default())
                .await?,
        );
    }
    let base = match sheets.first() {
        Some(sheet) => sheet.clone(),
        None => {
            app.store
                .sheet(&ledger.name, None, &TaskFilter::default())
                .await?
        }
    };
    let ids = app.store.task_ids(ledger.id.0).await?;
    let rows = base
        .tasks
        .iter()
        .map(|task| {
            let task_id = ids.get(&task.seq).copied().unwrap_or_default();
            let cells = rounds
                .iter()
                .zip(&sheets)
                .map(|(round, sheet)| TargetCell {
                    period: round.period,
                    milestone: sheet
                        .tasks
                        .iter()
                        .find(|t| t.seq == task.seq)
                        .and_then(|t| t.target.clone()),
                    lead: targets
                        .iter()
                        .find(|r| {
                            r.task_id == task_id && r.period == round.period && r.role == Role::Lead
                        })
                        .map(|r| (r.state, r.body.clone())),
                })
                .collect();
            DecompositionRow {
                task_id,
                seq: task.seq,
                goal: task.goal.clone(),
                units: task.units.clone().unwrap_or_default(),
                cells,
            }
        })
        .collect();
    Ok(Decomposition {
        ledger,
        rounds,
        rows,
    })
}

/// The decomposition table as offices print it: 序号 / 年度工作任务 / one column of targets per
/// round period (第三季度目标 …) / 责任单位 (the lead first, marked). A target not yet accepted
/// is printed with where it stands, so a draft table is never mistaken for the final one.
pub fn decomposition_table(d: &Decomposition) -> PrintTable {
    let mut headers = vec!["序号".to_owned(), "年度工作任务".to_owned()];
    for round in &d.rounds {
        headers.push(duban_notice::cells::target_header(Some(round.period)));
    }
    headers.push("责任单位".to_owned());
    let rows = d
        .rows
        .iter()
        .map(|row| {
            let mut cells = vec![row.seq.to_string(), row.goal.clone()];
            for cell in &row.cells {
                cells.push(match (&cell.lead, &cell.milestone) {
                    (Some((ReportState::Accepted, _)) | None, Some(m)) => m.clone(),
                    (Some((state, text)), _) => format!("（{}）{text}", state.label_zh()),
                    (None, None) => String::new(),
                });
            }
            cells.push(duban_notice::cells::unit_lines(&row.units).join("\n"));
            cells
        })
        .collect();
    let n = headers.len();
    let mut centered = vec![false; n];
    centered[0] = true;
    let mut fixed = vec![false; n];
    fixed[0] = true;
    fixed[n - 1] = true;
    let (done, total) = d.accepted();
    let title = format!("{}任务目标分解表", d.ledger.name);
    PrintTable {
        subtitle: Some(format!(
            "（截至{}，已采纳 {done}/{total} 项）",
            duban_notice::cells::date_zh(duban_core::beijing::today())
        )),
        title,
        sheet: "目标分解表".to_owned(),
        headers,
        rows,
        centered,
        fixed,
    }
}
