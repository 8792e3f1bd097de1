//! Ledgers (台账), their tasks, assignments, milestones and progress, read and written as the
//! ledger JSON (`LedgerSheet`).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use duban_core::{
    Cadence, DeadlineRule, Ledger, LedgerId, LedgerSheet, Period, Role, SheetTask, SheetUnit,
    Status, normalize_name,
};
use sqlx::AnyConnection;

use crate::sheet_writer::BATCH;
use crate::units::find_or_create_unit;
use crate::{Result, Store, StoreError, corrupt};

/// Settings for a ledger that the sheet itself does not carry.
#[derive(Debug, Clone, Copy, Default)]
pub struct SaveOptions {
    /// Defaults to the cadence of the sheet's period (2023-08 → monthly), else yearly.
    pub cadence: Option<Cadence>,
    /// Defaults to three working days after the period ends.
    pub deadline: Option<DeadlineRule>,
}

/// What a save changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaveReport {
    pub ledger: LedgerId,
    pub ledger_created: bool,
    pub tasks_added: usize,
    pub tasks_updated: usize,
    pub tasks_unchanged: usize,
    /// Rows (by their seq in the sheet) that were matched to a stored task with the same goal
    /// under another number.
    pub matched_by_goal: Vec<u32>,
    /// Names of units that were not known before and were created.
    pub units_created: Vec<String>,
}

/// A ledger with its size and the periods it has data for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerSummary {
    pub ledger: Ledger,
    pub tasks: i64,
    pub periods: Vec<Period>,
}

/// Which tasks to return. Unit and leader names are matched after normalization and aliases.
#[derive(Debug, Clone, Default)]
pub struct TaskFilter {
    /// Any role: lead, support or data source.
    pub unit: Option<String>,
    pub leader: Option<String>,
    pub status: Option<Status>,
}

type LedgerRow = (i64, String, i64, String, i64);

impl Store {
    /// Writes a ledger sheet: creates the ledger if needed, adds or updates its tasks (matched by
    /// seq), replaces the leaders and units of the rows that carry them, and records the period's
    /// targets and progress. One transaction: on any error nothing is written.
    pub async fn save_sheet(
        &self,
        sheet: &LedgerSheet,
        options: SaveOptions,
    ) -> Result<SaveReport> {
        self.save_sheet_observed(sheet, options, &mut |_| {}).await
    }

    /// `save_sheet`, calling `on_task` with the number of rows written so far (for a progress
    /// bar on long tables).
    pub async fn save_sheet_observed(
        &self,
        sheet: &LedgerSheet,
        options: SaveOptions,
        on_task: &mut (dyn FnMut(usize) + Send),
    ) -> Result<SaveReport> {
        sheet.validate()?;
        let first = &sheet.tasks[..sheet.tasks.len().min(BATCH)];
        let mut writer = self.sheet_writer(sheet, first, options).await?;
        for rows in sheet.tasks.chunks(BATCH) {
            on_task(writer.written());
            writer.write(rows).await?;
        }
        writer.finish().await
    }

    /// All ledgers by name.
    pub async fn ledgers(&self) -> Result<Vec<LedgerSummary>> {
        let rows: Vec<(i64, String, i64, String, i64, i64)> = sqlx::query_as(
            "SELECT l.id, l.name, l.year, l.cadence, l.deadline_days, \
                    COALESCE((SELECT c.n FROM ledger_tallies c WHERE c.ledger_id = l.id \
                              AND c.unit_id = 0 AND c.period = '' AND c.status = 'live'), 0) \
             FROM ledgers l ORDER BY l.year DESC, l.name",
        )
        .fetch_all(&self.pool)
        .await?;
        let periods: Vec<(i64, String)> =
            sqlx::query_as("SELECT ledger_id, period FROM ledger_periods")
                .fetch_all(&self.pool)
                .await?;
        let mut by_ledger: BTreeMap<i64, BTreeSet<Period>> = BTreeMap::new();
        for (ledger, period) in periods {
            by_ledger
                .entry(ledger)
                .or_default()
                .insert(parse_period(&period)?);
        }
        rows.into_iter()
            .map(|(id, name, year, cadence, days, tasks)| {
                Ok(LedgerSummary {
                    ledger: ledger_from_row((id, name, year, cadence, days))?,
                    tasks,
                    periods: by_ledger
                        .remove(&id)
                        .unwrap_or_default()
                        .into_iter()
                        .collect(),
                })
            })
            .collect()
    }

    /// A ledger by its exact name; the error lists the ledgers there are.
    pub async fn ledger(&self, name: &str) -> Result<Ledger> {
        let row: Option<LedgerRow> = sqlx::query_as(
            "SELECT id, name, year, cadence, deadline_days FROM ledgers WHERE name = $1",
        )
        .bind(name.trim())
        .fetch_optional(&self.pool)
        .await?;
        match row {
            Some(row) => ledger_from_row(row),
            None => {
                let names: Vec<(String,)> =
                    sqlx::query_as("SELECT name FROM ledgers ORDER BY year DESC, name")
                        .fetch_all(&self.pool)
                        .await?;
                let hint = if names.is_empty() {
                    "（数据库中还没有台账）".to_owned()
                } else {
                    let shown: Vec<String> = names.into_iter().take(8).map(|(n,)| n).collect();
                    format!("（现有台账：{}）", shown.join("；"))
                };
                Err(StoreError::NotFound {
                    what: "台账",
                    name: name.to_owned(),
                    hint,
                })
            }
        }
    }

    /// The ledger's tasks as the ledger JSON for one period: its targets, progress and statuses
    /// (未报送 where nothing came in). Without a period, the latest period with data is used.
    pub async fn sheet(
        &self,
        ledger_name: &str,
        period: Option<Period>,
        filter: &TaskFilter,
    ) -> Result<LedgerSheet> {
        let ledger = self.ledger(ledger_name).await?;
        let id = ledger.id.0;
        let period = match period {
            Some(p) => Some(p),
            None => self.latest_period(ledger.id).await?,
        };
        if filter.status.is_some() && period.is_none() {
            return Err(StoreError::Conflict(format!(
                "台账 \"{}\" 还没有任何期间的数据，无法按完成状态筛选",
                ledger.name
            )));
        }
        let unit_filter = match &filter.unit {
            Some(name) => Some(self.unit_name(name).await?),
            None => None,
        };
        let leader_filter = match &filter.leader {
            Some(name) => Some(self.leader_name(name).await?),
            None => None,
        };

        type TaskRow = (i64, i64, String, Option<String>, Option<String>);
        let tasks: Vec<TaskRow> = sqlx::query_as(
            "SELECT id, seq, goal, section, deadline FROM tasks \
             WHERE ledger_id = $1 AND withdrawn_at IS NULL ORDER BY seq",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let leaders: Vec<(i64, String)> = sqlx::query_as(
            "SELECT tl.task_id, l.name FROM task_leaders tl \
             JOIN leaders l ON l.id = tl.leader_id JOIN tasks t ON t.id = tl.task_id \
             WHERE t.ledger_id = $1 ORDER BY tl.task_id, tl.ord",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let units: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT tu.task_id, u.name, tu.role FROM task_units tu \
             JOIN units u ON u.id = tu.unit_id JOIN tasks t ON t.id = tu.task_id \
             WHERE t.ledger_id = $1 ORDER BY tu.task_id, tu.ord",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let period_text = period.map(|p| p.to_string()).unwrap_or_default();
        let targets: Vec<(i64, String)> = sqlx::query_as(
            "SELECT m.task_id, m.target FROM milestones m JOIN tasks t ON t.id = m.task_id \
             WHERE t.ledger_id = $1 AND m.period = $2",
        )
        .bind(id)
        .bind(&period_text)
        .fetch_all(&self.pool)
        .await?;
        let progress: Vec<(i64, String, Option<String>)> = sqlx::query_as(
            "SELECT p.task_id, p.body, p.status FROM progress p JOIN tasks t ON t.id = p.task_id \
             WHERE t.ledger_id = $1 AND p.period = $2",
        )
        .bind(id)
        .bind(&period_text)
        .fetch_all(&self.pool)
        .await?;

        let mut leaders_of: HashMap<i64, Vec<String>> = HashMap::new();
        for (task, name) in leaders {
            leaders_of.entry(task).or_default().push(name);
        }
        let mut units_of: HashMap<i64, Vec<SheetUnit>> = HashMap::new();
        for (task, name, role) in units {
            let role: Role = role.parse().map_err(corrupt("责任分工"))?;
            units_of
                .entry(task)
                .or_default()
                .push(SheetUnit { name, role });
        }
        let mut target_of: HashMap<i64, String> = targets.into_iter().collect();
        let mut progress_of: HashMap<i64, (String, Option<Status>)> = HashMap::new();
        for (task, body, status) in progress {
            let status = status
                .map(|s| s.parse::<Status>())
                .transpose()
                .map_err(corrupt("完成状态"))?;
            progress_of.insert(task, (body, status));
        }

        let mut columns = vec!["goal".to_owned()];
        if !target_of.is_empty() {
            columns.push("target".to_owned());
        }
        if period.is_some() {
            columns.push("progress".to_owned());
        }
        if !leaders_of.is_empty() {
            columns.push("leaders".to_owned());
        }
        if !units_of.is_empty() {
            columns.push("units".to_owned());
        }
        for (name, present) in [
            ("section", tasks.iter().any(|t| t.3.is_some())),
            ("deadline", tasks.iter().any(|t| t.4.is_some())),
        ] {
            if present {
                columns.push(name.to_owned());
            }
        }
        let has = |c: &str| columns.iter().any(|x| x == c);
        let (has_target, has_leaders, has_units) = (has("target"), has("leaders"), has("units"));

        let mut sources = self.sources(id).await?;
        let mut sheet_tasks = Vec::with_capacity(tasks.len());
        for (task, seq, goal, section, deadline) in tasks {
            let (progress, status) = match progress_of.remove(&task) {
                Some((body, status)) => (Some(body), status),
                None if period.is_some() => (None, Some(Status::Unreported)),
                None => (None, None),
            };
            let row = SheetTask {
                seq: u32::try_from(seq).map_err(|_| StoreError::Corrupt {
                    what: "序号",
                    message: seq.to_string(),
                })?,
                goal,
                target: target_of.remove(&task).filter(|_| has_target),
                targets: None,
                status,
                progress,
                leaders: has_leaders.then(|| leaders_of.remove(&task).unwrap_or_default()),
                units: has_units.then(|| units_of.remove(&task).unwrap_or_default()),
                section,
                deadline,
                source: sources.remove(&task),
            };
            let keep = unit_filter
                .as_ref()
                .is_none_or(|u| row.units.iter().flatten().any(|unit| &unit.name == u))
                && leader_filter
                    .as_ref()
                    .is_none_or(|l| row.leaders.iter().flatten().any(|name| name == l))
                && filter.status.is_none_or(|s| row.status == Some(s));
            if keep {
                sheet_tasks.push(row);
            }
        }
        Ok(LedgerSheet {
            ledger: ledger.name,
            period,
            columns,
            tasks: sheet_tasks,
        })
    }

    /// The latest period for which the ledger has targets or progress.
    pub async fn latest_period(&self, ledger: LedgerId) -> Result<Option<Period>> {
        let rows: Vec<(String,)> =
            sqlx::query_as("SELECT period FROM ledger_periods WHERE ledger_id = $1")
                .bind(ledger.0)
                .fetch_all(&self.pool)
                .await?;
        let mut latest = None;
        for (text,) in rows {
            latest = latest.max(Some(parse_period(&text)?));
        }
        Ok(latest)
    }

    pub(crate) async fn leader_name(&self, name: &str) -> Result<String> {
        let name = normalize_name(name);
        let row: Option<(String,)> = sqlx::query_as("SELECT name FROM leaders WHERE name = $1")
            .bind(&name)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|(n,)| n).ok_or_else(|| StoreError::NotFound {
            what: "分管领导",
            name,
            hint: String::new(),
        })
    }
}

fn ledger_from_row((id, name, year, cadence, days): LedgerRow) -> Result<Ledger> {
    let out_of_range = |what| {
        move |_| StoreError::Corrupt {
            what,
            message: format!("台账 {id}"),
        }
    };
    Ok(Ledger {
        id: LedgerId(id),
        name,
        year: i32::try_from(year).map_err(out_of_range("年度"))?,
        cadence: cadence.parse().map_err(corrupt("报送频次"))?,
        deadline: DeadlineRule {
            working_days: u32::try_from(days).map_err(out_of_range("报送时限"))?,
        },
    })
}

pub(crate) fn parse_period(text: &str) -> Result<Period> {
    text.parse()
        .map_err(|e: duban_core::PeriodParseError| StoreError::Corrupt {
            what: "期间",
            message: e.to_string(),
        })
}

pub(crate) async fn replace_leaders(
    conn: &mut AnyConnection,
    task: i64,
    leaders: &[String],
    known: &mut HashMap<String, i64>,
) -> Result<()> {
    sqlx::query("DELETE FROM task_leaders WHERE task_id = $1")
        .bind(task)
        .execute(&mut *conn)
        .await?;
    let mut seen = BTreeSet::new();
    for (ord, raw) in leaders.iter().enumerate() {
        let name = normalize_name(raw);
        if name.is_empty() || !seen.insert(name.clone()) {
            continue;
        }
        let leader = match known.get(&name) {
            Some(id) => *id,
            None => {
                let id = find_or_create_leader(conn, &name).await?;
                known.insert(name, id);
                id
            }
        };
        sqlx::query("INSERT INTO task_leaders (task_id, leader_id, ord) VALUES ($1, $2, $3)")
            .bind(task)
            .bind(leader)
            .bind(i64::try_from(ord).unwrap_or(i64::MAX))
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// A leader's id by normalized name, added if unknown.
pub(crate) async fn find_or_create_leader(conn: &mut AnyConnection, name: &str) -> Result<i64> {
    let found: Option<(i64,)> = sqlx::query_as("SELECT id FROM leaders WHERE name = $1")
        .bind(name)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(match found {
        Some((id,)) => id,
        None => {
            let (id,): (i64,) =
                sqlx::query_as("INSERT INTO leaders (name) VALUES ($1) RETURNING id")
                    .bind(name)
                    .fetch_one(&mut *conn)
                    .await?;
            id
        }
    })
}

pub(crate) async fn replace_units(
    conn: &mut AnyConnection,
    task: i64,
    units: &[SheetUnit],
    created: &mut Vec<String>,
) -> Result<()> {
    sqlx::query("DELETE FROM task_units WHERE task_id = $1")
        .bind(task)
        .execute(&mut *conn)
        .await?;
    let mut seen = BTreeSet::new();
    for (ord, unit) in units.iter().enumerate() {
        let (id, is_new) = find_or_create_unit(conn, &unit.name).await?;
        if is_new {
            created.push(normalize_name(&unit.name));
        }
        // A name and its alias in one cell are the same unit: the first mention decides the role.
        if !seen.insert(id) {
            continue;
        }
        sqlx::query("INSERT INTO task_units (task_id, unit_id, role, ord) VALUES ($1, $2, $3, $4)")
            .bind(task)
            .bind(id.0)
            .bind(unit.role.code())
            .bind(i64::try_from(ord).unwrap_or(i64::MAX))
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Notes that a ledger has targets or progress for a period (the period choice of every page).
pub(crate) async fn note_period(conn: &mut AnyConnection, ledger: i64, period: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO ledger_periods (ledger_id, period) VALUES ($1, $2) \
         ON CONFLICT (ledger_id, period) DO NOTHING",
    )
    .bind(ledger)
    .bind(period)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Notes the period of a task's new milestone or progress (see `note_period`).
pub(crate) async fn note_task_period(
    conn: &mut AnyConnection,
    task: i64,
    period: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO ledger_periods (ledger_id, period) SELECT ledger_id, $2 FROM tasks \
         WHERE id = $1 ON CONFLICT (ledger_id, period) DO NOTHING",
    )
    .bind(task)
    .bind(period)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
