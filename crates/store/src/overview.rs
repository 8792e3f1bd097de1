//! Reads for the pages people open all day: the dashboard's counts and one page of the ledger
//! table. `sheet` reads a whole ledger period with every text, which a city's 10,000-task ledger
//! makes costly; these read only what the page shows, with the filters and the page in SQL.

use std::collections::HashMap;

use duban_core::{Ledger, Period, SheetTask, SheetUnit, Status, UnitId};

use crate::units::find_unit;
use crate::{Result, Store, StoreError, TaskFilter, corrupt};

/// One page of the ledger table.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskPage {
    /// Tasks in the viewer's scope (all, or a leader's portfolio).
    pub total: i64,
    /// Tasks that pass the filters and the search.
    pub matching: i64,
    /// The page's rows with their task ids, in 序号 order.
    pub tasks: Vec<(i64, SheetTask)>,
}

/// How one lead unit's tasks of a period stand.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UnitCounts {
    pub unit: String,
    /// Status code (`done`, `partial`, `not_done`, `unreported`, or `pending` for a text not
    /// judged yet) → tasks.
    pub statuses: Vec<(String, i64)>,
    /// Reported by the cutoff (or brought in with an imported table).
    pub on_time: i64,
    /// Reported after the cutoff.
    pub late: i64,
    /// Neither a progress text nor a submitted report.
    pub unsubmitted: i64,
}

/// A period's figures, counted in the database.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PeriodCounts {
    /// Status code → tasks, each task once.
    pub overall: Vec<(String, i64)>,
    /// Per lead unit (a task with two lead units counts for both).
    pub units: Vec<UnitCounts>,
}

/// A task whose lead unit has neither a progress text nor a submitted report for the period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnsubmittedTask {
    pub task_id: i64,
    pub seq: u32,
    pub goal: String,
    pub unit: String,
    pub unit_id: i64,
    /// The state of the unit's report, when it has started one.
    pub state: Option<duban_core::ReportState>,
}

/// A leader's portfolio, the leader's name bound at `$3`.
const LEADER_SCOPE: &str = " AND EXISTS (SELECT 1 FROM task_leaders tl JOIN leaders l ON l.id = tl.leader_id \
                            WHERE tl.task_id = t.id AND l.name = $3)";

/// The status class of a task for a period, in SQL (p: its progress row).
const STATUS_CLASS: &str =
    "CASE WHEN p.task_id IS NULL THEN 'unreported' ELSE COALESCE(p.status, 'pending') END";

/// A value bound to a query built at run time.
#[derive(Clone)]
pub(crate) enum Bind {
    Int(i64),
    Text(String),
    /// A text that may be NULL.
    MaybeText(Option<String>),
}

/// A WHERE clause assembled from optional conditions, numbering its placeholders.
#[derive(Clone)]
struct Conditions {
    clauses: Vec<String>,
    binds: Vec<Bind>,
    /// The tasks are those of this unit (`fu`): read from its assignments, a few thousand rows,
    /// rather than every task of the ledger tested for the unit.
    unit: Option<i64>,
}

impl Conditions {
    fn new() -> Conditions {
        Conditions {
            clauses: Vec::new(),
            binds: Vec::new(),
            unit: None,
        }
    }

    /// Adds a clause in which `?` stands for the next placeholder.
    fn add(&mut self, clause: &str, binds: Vec<Bind>) {
        let mut text = String::new();
        let mut n = self.binds.len();
        for part in clause.split('?').enumerate() {
            if part.0 > 0 {
                n += 1;
                text.push_str(&format!("${n}"));
            }
            text.push_str(part.1);
        }
        self.clauses.push(text);
        self.binds.extend(binds);
    }

    fn sql(&self) -> String {
        self.clauses.join(" AND ")
    }

    fn next(&self) -> usize {
        self.binds.len() + 1
    }
}

pub(crate) fn bind_all<'q, O>(
    mut query: sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>>,
    binds: &'q [Bind],
) -> sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>> {
    for b in binds {
        query = match b {
            Bind::Int(i) => query.bind(*i),
            Bind::Text(t) => query.bind(t.as_str()),
            Bind::MaybeText(t) => query.bind(t.as_deref()),
        };
    }
    query
}

/// `bind_all` for a statement whose rows are not read.
pub(crate) fn bind_all_query<'q>(
    mut query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    binds: &'q [Bind],
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    for b in binds {
        query = match b {
            Bind::Int(i) => query.bind(*i),
            Bind::Text(t) => query.bind(t.as_str()),
            Bind::MaybeText(t) => query.bind(t.as_deref()),
        };
    }
    query
}

/// `%text%` for LIKE, with the pattern characters in the text taken literally.
fn like_pattern(text: &str) -> String {
    let mut out = String::from("%");
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

fn seq_of(seq: i64) -> Result<u32> {
    u32::try_from(seq).map_err(|_| StoreError::Corrupt {
        what: "序号",
        message: seq.to_string(),
    })
}

fn status_of(reported: &Option<String>, status: Option<String>) -> Result<Option<Status>> {
    match reported {
        None => Ok(Some(Status::Unreported)),
        Some(_) => status
            .map(|s| s.parse::<Status>())
            .transpose()
            .map_err(corrupt("完成状态")),
    }
}

type PageRow = (
    i64,
    i64,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// Tasks whose leaders and units one statement reads (binds well under SQLite's 32,766).
const ASSIGNMENTS_CHUNK: usize = 5_000;

/// The joins of a task list: the period's milestone and progress, the period bound at the
/// placeholder after the conditions'. CROSS JOIN keeps SQLite reading a unit's assignments first.
fn task_joins(c: &Conditions) -> String {
    let n = c.next();
    format!(
        "FROM {}tasks t LEFT JOIN milestones m ON m.task_id = t.id AND m.period = ${n} \
         LEFT JOIN progress p ON p.task_id = t.id AND p.period = ${n}",
        if c.unit.is_some() {
            "task_units fu CROSS JOIN "
        } else {
            ""
        }
    )
}

impl Store {
    /// A ledger's live tasks and, for `period`, how many stand in each status class (done,
    /// not_done, partial, pending, unreported — in that order, classes without tasks left out),
    /// read from the counts kept as the ledger changes: a few rows however large the ledger.
    pub async fn tallies(
        &self,
        ledger: &Ledger,
        period: Option<Period>,
    ) -> Result<(i64, Vec<(String, i64)>)> {
        let rows: Vec<(String, String, i64)> = sqlx::query_as(
            "SELECT period, status, n FROM ledger_tallies \
             WHERE ledger_id = $1 AND unit_id = 0 AND (period = '' OR period = $2) AND n <> 0",
        )
        .bind(ledger.id.0)
        .bind(period.map(|p| p.to_string()).unwrap_or_default())
        .fetch_all(&self.pool)
        .await?;
        let live = rows
            .iter()
            .find(|(p, s, _)| p.is_empty() && s == "live")
            .map_or(0, |(_, _, n)| *n);
        let mut classes: Vec<(String, i64)> = rows
            .into_iter()
            .filter(|(p, _, _)| !p.is_empty())
            .map(|(_, s, n)| (s, n))
            .collect();
        if period.is_some() {
            let reported: i64 = classes.iter().map(|(_, n)| n).sum();
            if live > reported {
                classes.push(("unreported".to_owned(), live - reported));
            }
        }
        classes.sort();
        Ok((live, classes))
    }

    /// Per lead unit, how its tasks of `period` stand: the statuses from the kept counts, and
    /// when they were reported from the period's submitted reports (`cutoff` as for
    /// `period_counts`) — the cost follows the units and the reports, not the tasks.
    async fn unit_tallies(
        &self,
        ledger: &Ledger,
        period: Period,
        cutoff: &str,
    ) -> Result<Vec<UnitCounts>> {
        let rows: Vec<(String, i64, String, String, i64)> = sqlx::query_as(
            "SELECT u.name, c.unit_id, c.period, c.status, c.n FROM ledger_tallies c \
             JOIN units u ON u.id = c.unit_id \
             WHERE c.ledger_id = $1 AND c.unit_id <> 0 AND (c.period = '' OR c.period = $2) \
               AND c.n <> 0 ORDER BY u.name",
        )
        .bind(ledger.id.0)
        .bind(period.to_string())
        .fetch_all(&self.pool)
        .await?;
        // Submitted reports of lead units on live tasks: (late, without progress) per unit.
        let submitted: Vec<(i64, i64, i64)> = sqlx::query_as(
            "SELECT tu.unit_id, \
               SUM(CASE WHEN r.submitted_at < COALESCE(x.due || 'T16:00:00Z', $3) THEN 0 ELSE 1 END), \
               SUM(CASE WHEN p.task_id IS NULL THEN 1 ELSE 0 END) \
             FROM reports r JOIN tasks t ON t.id = r.task_id \
             JOIN task_units tu ON tu.task_id = r.task_id AND tu.unit_id = r.unit_id AND tu.role = 'lead' \
             LEFT JOIN progress p ON p.task_id = r.task_id AND p.period = r.period \
             LEFT JOIN extensions x ON x.task_id = r.task_id AND x.period = r.period \
                  AND x.unit_id = r.unit_id AND x.state = 'granted' \
             WHERE r.period = $2 AND r.submitted_at IS NOT NULL \
               AND t.ledger_id = $1 AND t.withdrawn_at IS NULL \
             GROUP BY tu.unit_id",
        )
        .bind(ledger.id.0)
        .bind(period.to_string())
        .bind(cutoff)
        .fetch_all(&self.pool)
        .await?;
        let mut units: Vec<(i64, UnitCounts, i64)> = Vec::new();
        for (name, id, row_period, status, n) in rows {
            if units.last().is_none_or(|(u, _, _)| *u != id) {
                units.push((
                    id,
                    UnitCounts {
                        unit: name,
                        ..UnitCounts::default()
                    },
                    0,
                ));
            }
            let Some((_, entry, live)) = units.last_mut() else {
                continue;
            };
            if row_period.is_empty() {
                *live = n;
            } else {
                entry.statuses.push((status, n));
            }
        }
        Ok(units
            .into_iter()
            .filter(|(_, _, live)| *live > 0)
            .map(|(id, mut entry, live)| {
                let with_progress: i64 = entry.statuses.iter().map(|(_, n)| n).sum();
                if live > with_progress {
                    entry
                        .statuses
                        .push(("unreported".to_owned(), live - with_progress));
                }
                entry.statuses.sort();
                let (late, without_progress) = submitted
                    .iter()
                    .find(|(u, _, _)| *u == id)
                    .map_or((0, 0), |(_, l, w)| (*l, *w));
                entry.unsubmitted = live - with_progress - without_progress;
                entry.late = late;
                entry.on_time = live - late - entry.unsubmitted;
                entry
            })
            .collect())
    }

    /// The period's counts by status, and per lead unit by status and by when it reported:
    /// a report submitted before `cutoff` (an RFC 3339 UTC instant, the end of the due day) is
    /// on time. Optionally a leader's tasks only.
    pub async fn period_counts(
        &self,
        ledger: &Ledger,
        period: Period,
        scope: Option<&str>,
        cutoff: &str,
    ) -> Result<PeriodCounts> {
        let scope = match scope {
            Some(name) => Some(self.leader_name(name).await?),
            None => None,
        };
        let overall = match &scope {
            // The whole ledger's counts are kept as it changes (`ledger_tallies`).
            None => self.tallies(ledger, Some(period)).await?.1,
            Some(name) => {
                let sql = format!(
                    "SELECT {STATUS_CLASS}, COUNT(*) FROM tasks t \
                     LEFT JOIN progress p ON p.task_id = t.id AND p.period = $2 \
                     WHERE t.ledger_id = $1 AND t.withdrawn_at IS NULL{} GROUP BY 1 ORDER BY 1",
                    LEADER_SCOPE
                );
                sqlx::query_as::<_, (String, i64)>(&sql)
                    .bind(ledger.id.0)
                    .bind(period.to_string())
                    .bind(name.as_str())
                    .fetch_all(&self.pool)
                    .await?
            }
        };
        if scope.is_none() {
            let units = self.unit_tallies(ledger, period, cutoff).await?;
            return Ok(PeriodCounts { overall, units });
        }
        let in_scope = |n: usize| match scope {
            Some(_) => format!(
                " AND EXISTS (SELECT 1 FROM task_leaders tl JOIN leaders l ON l.id = tl.leader_id \
                 WHERE tl.task_id = t.id AND l.name = ${n})"
            ),
            None => String::new(),
        };

        let sql = format!(
            "SELECT u.name, {STATUS_CLASS}, \
               CASE WHEN r.submitted_at IS NOT NULL \
                         AND r.submitted_at < COALESCE(x.due || 'T16:00:00Z', $3) THEN 'on_time' \
                    WHEN r.submitted_at IS NOT NULL THEN 'late' \
                    WHEN p.task_id IS NOT NULL THEN 'on_time' ELSE 'unsubmitted' END, \
               COUNT(*) \
             FROM tasks t JOIN task_units tu ON tu.task_id = t.id AND tu.role = 'lead' \
             JOIN units u ON u.id = tu.unit_id \
             LEFT JOIN progress p ON p.task_id = t.id AND p.period = $2 \
             LEFT JOIN reports r ON r.task_id = t.id AND r.period = $2 AND r.unit_id = tu.unit_id \
             LEFT JOIN extensions x ON x.task_id = t.id AND x.period = $2 \
                  AND x.unit_id = tu.unit_id AND x.state = 'granted' \
             WHERE t.ledger_id = $1 AND t.withdrawn_at IS NULL{} GROUP BY 1, 2, 3 ORDER BY 1",
            in_scope(4)
        );
        let mut query = sqlx::query_as::<_, (String, String, String, i64)>(&sql)
            .bind(ledger.id.0)
            .bind(period.to_string())
            .bind(cutoff);
        if let Some(name) = &scope {
            query = query.bind(name.as_str());
        }
        let rows = query.fetch_all(&self.pool).await?;
        let mut units: Vec<UnitCounts> = Vec::new();
        for (unit, status, when, count) in rows {
            if units.last().is_none_or(|u| u.unit != unit) {
                units.push(UnitCounts {
                    unit,
                    ..UnitCounts::default()
                });
            }
            let entry = units.last_mut().ok_or_else(|| StoreError::Corrupt {
                what: "统计",
                message: "空".to_owned(),
            })?;
            match entry.statuses.iter_mut().find(|(s, _)| *s == status) {
                Some((_, n)) => *n += count,
                None => entry.statuses.push((status, count)),
            }
            match when.as_str() {
                "on_time" => entry.on_time += count,
                "late" => entry.late += count,
                _ => entry.unsubmitted += count,
            }
        }
        Ok(PeriodCounts { overall, units })
    }

    /// Tasks whose lead unit has neither a progress text nor a submitted report for the period,
    /// in 序号 order: how many there are, and the first `limit`.
    pub async fn unsubmitted_tasks(
        &self,
        ledger: &Ledger,
        period: Period,
        scope: Option<&str>,
        limit: i64,
    ) -> Result<(i64, Vec<UnsubmittedTask>)> {
        self.unsubmitted(ledger, period, scope, limit, true).await
    }

    /// The first `limit` of `unsubmitted_tasks` without counting them all (a caller that knows
    /// how many there are from `period_counts`).
    pub async fn first_unsubmitted_tasks(
        &self,
        ledger: &Ledger,
        period: Period,
        scope: Option<&str>,
        limit: i64,
    ) -> Result<Vec<UnsubmittedTask>> {
        Ok(self
            .unsubmitted(ledger, period, scope, limit, false)
            .await?
            .1)
    }

    async fn unsubmitted(
        &self,
        ledger: &Ledger,
        period: Period,
        scope: Option<&str>,
        limit: i64,
        count: bool,
    ) -> Result<(i64, Vec<UnsubmittedTask>)> {
        let scope = match scope {
            Some(name) => Some(self.leader_name(name).await?),
            None => None,
        };
        // The progress is probed task by task in 序号 order (OFFSET 0 keeps PostgreSQL from
        // turning the probe into an anti-join over the whole ledger's progress): the first
        // hundred unsubmitted tasks are found after a few thousand probes.
        let from = format!(
            "FROM tasks t JOIN task_units tu ON tu.task_id = t.id AND tu.role = 'lead' \
             JOIN units u ON u.id = tu.unit_id \
             LEFT JOIN reports r ON r.task_id = t.id AND r.period = $2 AND r.unit_id = tu.unit_id \
             WHERE t.ledger_id = $1 AND t.withdrawn_at IS NULL \
               AND NOT EXISTS (SELECT 1 FROM progress p WHERE p.task_id = t.id AND p.period = $2 \
                               LIMIT 1 OFFSET 0) \
               AND r.submitted_at IS NULL{}",
            if scope.is_some() {
                " AND EXISTS (SELECT 1 FROM task_leaders tl JOIN leaders l ON l.id = tl.leader_id \
                  WHERE tl.task_id = t.id AND l.name = $3)"
            } else {
                ""
            }
        );
        let total = if count {
            let count_sql = format!("SELECT COUNT(*) {from}");
            let mut count = sqlx::query_as::<_, (i64,)>(&count_sql)
                .bind(ledger.id.0)
                .bind(period.to_string());
            if let Some(name) = &scope {
                count = count.bind(name.as_str());
            }
            count.fetch_one(&self.pool).await?.0
        } else {
            0
        };
        let limit_at = if scope.is_some() { 4 } else { 3 };
        let rows_sql = format!(
            "SELECT t.id, t.seq, t.goal, u.name, u.id, r.state {from} ORDER BY t.seq, tu.ord LIMIT ${limit_at}"
        );
        let mut rows =
            sqlx::query_as::<_, (i64, i64, String, String, i64, Option<String>)>(&rows_sql)
                .bind(ledger.id.0)
                .bind(period.to_string());
        if let Some(name) = &scope {
            rows = rows.bind(name.as_str());
        }
        let rows = rows.bind(limit).fetch_all(&self.pool).await?;
        let tasks = rows
            .into_iter()
            .map(|(task_id, seq, goal, unit, unit_id, state)| {
                Ok(UnsubmittedTask {
                    task_id,
                    seq: seq_of(seq)?,
                    goal,
                    unit,
                    unit_id,
                    state: state
                        .map(|s| s.parse())
                        .transpose()
                        .map_err(corrupt("报送状态"))?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok((total, tasks))
    }

    /// The conditions a list of a ledger period's tasks is read with: the viewer's scope
    /// (`scoped`, for the total), and with the filters and the search added (`all`).
    async fn task_conditions(
        &self,
        ledger: &Ledger,
        period: Option<Period>,
        filter: &TaskFilter,
        scope: Option<&str>,
        query: &str,
    ) -> Result<(Conditions, Conditions)> {
        let mut scoped = Conditions::new();
        scoped.add("t.ledger_id = ?", vec![Bind::Int(ledger.id.0)]);
        scoped.add("t.withdrawn_at IS NULL", vec![]);
        let leader_clause = "EXISTS (SELECT 1 FROM task_leaders tl JOIN leaders l ON l.id = tl.leader_id \
                             WHERE tl.task_id = t.id AND l.name = ?)";
        if let Some(name) = scope {
            let name = self.leader_name(name).await?;
            scoped.add(leader_clause, vec![Bind::Text(name)]);
        }
        let mut conditions = scoped.clone();
        if let Some(unit) = &filter.unit {
            let mut conn = self.pool.acquire().await?;
            let id = find_unit(&mut conn, unit)
                .await?
                .ok_or_else(|| StoreError::NotFound {
                    what: "单位",
                    name: unit.clone(),
                    hint: String::new(),
                })?;
            conditions.add(
                "fu.unit_id = ? AND t.id = fu.task_id",
                vec![Bind::Int(id.0)],
            );
            conditions.unit = Some(id.0);
        }
        if let Some(name) = &filter.leader {
            let name = self.leader_name(name).await?;
            conditions.add(leader_clause, vec![Bind::Text(name)]);
        }
        if let Some(status) = filter.status {
            let Some(period) = period else {
                return Err(StoreError::Conflict(format!(
                    "台账 \"{}\" 还没有任何期间的数据，无法按完成状态筛选",
                    ledger.name
                )));
            };
            // The status is probed task by task in the order the list walks (序号, or a unit's
            // assignments): OFFSET 0 keeps PostgreSQL from joining the period's whole progress
            // first to find a page of a hundred.
            let probe =
                "EXISTS (SELECT 1 FROM progress sp WHERE sp.task_id = t.id AND sp.period = ?";
            let period = Bind::Text(period.to_string());
            match status {
                Status::Unreported => {
                    conditions.add(&format!("NOT {probe} LIMIT 1 OFFSET 0)"), vec![period]);
                }
                other => conditions.add(
                    &format!("{probe} AND sp.status = ? LIMIT 1 OFFSET 0)"),
                    vec![period, Bind::Text(other.code().to_owned())],
                ),
            }
        }
        let query = query.trim();
        if !query.is_empty() {
            let pattern = like_pattern(query);
            conditions.add(
                "(t.goal LIKE ? ESCAPE '\\' OR m.target LIKE ? ESCAPE '\\' OR p.body LIKE ? ESCAPE '\\')",
                vec![
                    Bind::Text(pattern.clone()),
                    Bind::Text(pattern.clone()),
                    Bind::Text(pattern),
                ],
            );
        }
        Ok((scoped, conditions))
    }

    /// The rows the conditions select, in 序号 order, `tail` (LIMIT …) numbered after them and
    /// the period, with their leaders and units.
    async fn task_rows(
        &self,
        period: Option<Period>,
        conditions: Conditions,
        tail: impl FnOnce(usize) -> (String, Vec<Bind>),
    ) -> Result<Vec<(i64, SheetTask)>> {
        let n = conditions.next();
        let (tail, tail_binds) = tail(n + 1);
        // The page's ids first, then their rows: the tasks an OFFSET skips are walked in the
        // ledger's index, not joined with their milestones and progress (a join the filters do
        // not use is dropped by both databases: the milestone and progress keys are unique).
        let page_sql = format!(
            "SELECT t.id, t.seq, t.goal, m.target, p.period, p.body, p.status \
             FROM (SELECT t.id {} WHERE {} ORDER BY t.seq {tail}) picked \
             JOIN tasks t ON t.id = picked.id \
             LEFT JOIN milestones m ON m.task_id = t.id AND m.period = ${n} \
             LEFT JOIN progress p ON p.task_id = t.id AND p.period = ${n} \
             ORDER BY t.seq",
            task_joins(&conditions),
            conditions.sql(),
        );
        let mut binds = conditions.binds;
        binds.push(Bind::Text(
            period.map(|p| p.to_string()).unwrap_or_default(),
        ));
        binds.extend(tail_binds);
        let rows: Vec<PageRow> = bind_all(sqlx::query_as(&page_sql), &binds)
            .fetch_all(&self.pool)
            .await?;
        let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
        let (mut leaders, mut units) = self.assignments(&ids).await?;
        let mut tasks = Vec::with_capacity(rows.len());
        for (id, seq, goal, target, reported, body, status) in rows {
            let status = match period {
                Some(_) => status_of(&reported, status)?,
                None => None,
            };
            tasks.push((
                id,
                SheetTask {
                    seq: seq_of(seq)?,
                    goal,
                    target,
                    targets: None,
                    status,
                    progress: body,
                    leaders: Some(leaders.remove(&id).unwrap_or_default()),
                    units: Some(units.remove(&id).unwrap_or_default()),
                    section: None,
                    deadline: None,
                    source: None,
                },
            ));
        }
        Ok(tasks)
    }

    /// One page of a ledger period's tasks with the filters and a text search (goal, target or
    /// progress containing `query`) applied in the database. `scope` is the leader a leader's
    /// account is confined to; it limits `total` as well.
    pub async fn task_page(
        &self,
        ledger: &Ledger,
        period: Option<Period>,
        filter: &TaskFilter,
        scope: Option<&str>,
        query: &str,
        (offset, limit): (i64, i64),
    ) -> Result<TaskPage> {
        let (scoped, conditions) = self
            .task_conditions(ledger, period, filter, scope, query)
            .await?;
        let period_text = period.map(|p| p.to_string()).unwrap_or_default();
        let count = |c: &Conditions| format!("SELECT COUNT(*) {} WHERE {}", task_joins(c), c.sql());
        let count_of = |c: &Conditions| {
            let sql = count(c);
            let mut binds = c.binds.clone();
            binds.push(Bind::Text(period_text.clone()));
            (sql, binds)
        };
        // Without a leader's scope the total is the ledger's, from its tallies; so is the
        // matching count when only a status filters.
        let tallies = if scope.is_none() {
            Some(self.tallies(ledger, period).await?)
        } else {
            None
        };
        let status_only =
            filter.unit.is_none() && filter.leader.is_none() && query.trim().is_empty();
        // A unit alone: its live tasks in the ledger are kept counted with its receipts.
        let unit_only = scope.is_none()
            && filter.status.is_none()
            && filter.leader.is_none()
            && query.trim().is_empty();
        let total = match &tallies {
            Some((live, _)) => *live,
            None => {
                let (total_sql, total_binds) = count_of(&scoped);
                let (total,): (i64,) = bind_all(sqlx::query_as(&total_sql), &total_binds)
                    .fetch_one(&self.pool)
                    .await?;
                total
            }
        };
        // Without filters or a search the matching tasks are the scope's: one count, not two.
        let matching = if conditions.clauses.len() == scoped.clauses.len() {
            total
        } else if let (Some((_, classes)), Some(status), true) =
            (&tallies, filter.status, status_only)
        {
            classes
                .iter()
                .find(|(c, _)| c == status.code())
                .map_or(0, |(_, n)| *n)
        } else if let (Some(unit), true) = (conditions.unit, unit_only) {
            self.unit_assignments(ledger.id, UnitId(unit)).await?.0
        } else {
            let (sql, binds) = count_of(&conditions);
            let (matching,): (i64,) = bind_all(sqlx::query_as(&sql), &binds)
                .fetch_one(&self.pool)
                .await?;
            matching
        };
        let tasks = self
            .task_rows(period, conditions, |n| {
                (
                    format!("LIMIT ${n} OFFSET ${}", n + 1),
                    vec![Bind::Int(limit), Bind::Int(offset)],
                )
            })
            .await?;
        Ok(TaskPage {
            total,
            matching,
            tasks,
        })
    }

    /// Up to `limit` tasks after 序号 `after` with the filters and the search applied: a page of
    /// the paged task list (keyset pagination: the cost of a page does not grow with how far
    /// into the ledger it is, and nothing is counted).
    #[allow(clippy::too_many_arguments)]
    pub async fn task_list(
        &self,
        ledger: &Ledger,
        period: Option<Period>,
        filter: &TaskFilter,
        scope: Option<&str>,
        query: &str,
        after: Option<u32>,
        limit: i64,
    ) -> Result<Vec<(i64, SheetTask)>> {
        let (_, mut conditions) = self
            .task_conditions(ledger, period, filter, scope, query)
            .await?;
        if let Some(after) = after {
            conditions.add("t.seq > ?", vec![Bind::Int(i64::from(after))]);
        }
        self.task_rows(period, conditions, |n| {
            (format!("LIMIT ${n}"), vec![Bind::Int(limit)])
        })
        .await
    }

    /// Leaders and units of the given tasks, in their order; read a few thousand tasks a
    /// statement (a unit's whole list may hold more ids than a statement may bind).
    #[allow(clippy::type_complexity)]
    async fn assignments(
        &self,
        ids: &[i64],
    ) -> Result<(HashMap<i64, Vec<String>>, HashMap<i64, Vec<SheetUnit>>)> {
        let mut leaders: HashMap<i64, Vec<String>> = HashMap::new();
        let mut units: HashMap<i64, Vec<SheetUnit>> = HashMap::new();
        for chunk in ids.chunks(ASSIGNMENTS_CHUNK) {
            let list: Vec<String> = (1..=chunk.len()).map(|n| format!("${n}")).collect();
            let list = list.join(", ");
            let binds: Vec<Bind> = chunk.iter().map(|i| Bind::Int(*i)).collect();
            let rows: Vec<(i64, String)> = bind_all(
                sqlx::query_as(&format!(
                    "SELECT tl.task_id, l.name FROM task_leaders tl \
                     JOIN leaders l ON l.id = tl.leader_id \
                     WHERE tl.task_id IN ({list}) ORDER BY tl.task_id, tl.ord"
                )),
                &binds,
            )
            .fetch_all(&self.pool)
            .await?;
            for (task, name) in rows {
                leaders.entry(task).or_default().push(name);
            }
            let rows: Vec<(i64, String, String)> = bind_all(
                sqlx::query_as(&format!(
                    "SELECT tu.task_id, u.name, tu.role FROM task_units tu \
                     JOIN units u ON u.id = tu.unit_id \
                     WHERE tu.task_id IN ({list}) ORDER BY tu.task_id, tu.ord"
                )),
                &binds,
            )
            .fetch_all(&self.pool)
            .await?;
            for (task, name, role) in rows {
                units.entry(task).or_default().push(SheetUnit {
                    name,
                    role: role.parse().map_err(corrupt("责任分工"))?,
                });
            }
        }
        Ok((leaders, units))
    }

    /// The names of the units and of the leaders a ledger's live tasks name, for filter
    /// choices: from the kept counts per ledger and unit or leader, a few hundred rows however
    /// large the ledger.
    pub async fn ledger_names(&self, ledger: &Ledger) -> Result<(Vec<String>, Vec<String>)> {
        let units: Vec<(String,)> = sqlx::query_as(
            "SELECT u.name FROM assignment_tallies c JOIN units u ON u.id = c.unit_id \
             WHERE c.ledger_id = $1 AND c.assigned > 0 ORDER BY u.name",
        )
        .bind(ledger.id.0)
        .fetch_all(&self.pool)
        .await?;
        let leaders: Vec<(String,)> = sqlx::query_as(
            "SELECT l.name FROM leader_tallies c JOIN leaders l ON l.id = c.leader_id \
             WHERE c.ledger_id = $1 AND c.n > 0 ORDER BY l.name",
        )
        .bind(ledger.id.0)
        .fetch_all(&self.pool)
        .await?;
        Ok((
            units.into_iter().map(|(n,)| n).collect(),
            leaders.into_iter().map(|(n,)| n).collect(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_across_clauses() {
        let mut c = Conditions::new();
        c.add("a = ?", vec![Bind::Int(1)]);
        c.add(
            "(b LIKE ? OR c LIKE ?)",
            vec![Bind::Text("x".into()), Bind::Text("y".into())],
        );
        assert_eq!(c.sql(), "a = $1 AND (b LIKE $2 OR c LIKE $3)");
        assert_eq!(c.next(), 4);
    }

    #[test]
    fn like_patterns_take_wildcards_literally() {
        assert_eq!(like_pattern("增长"), "%增长%");
        assert_eq!(like_pattern("100%_"), "%100\\%\\_%");
    }
}
