//! Writing a ledger sheet in batches (导入). One transaction; the rows of a batch are written
//! with a few multi-row statements instead of a dozen statements per row (a round trip each on
//! PostgreSQL), and the stored tasks are matched through a compact index of their numbers and
//! goal hashes rather than their texts. A sheet read task by task (a large ledger JSON) is
//! written as it is read: memory holds one batch, not the file.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};

use duban_core::{
    Cadence, LedgerId, LedgerSheet, Period, SheetTask, Status, normalize_name, validate_task,
};
use sqlx::{Any, AnyConnection, Transaction};

use crate::ledgers::{SaveOptions, SaveReport, find_or_create_leader, note_period};
use crate::overview::{Bind, bind_all, bind_all_query};
use crate::units::find_or_create_unit;
use crate::{Backend, Result, Store, StoreError, now_rfc3339};

/// Rows a caller hands to `SheetWriter::write` at a time (and the in-memory save uses).
pub const BATCH: usize = 1000;

/// Bound values per statement: under SQLite's limit (32,766) and PostgreSQL's (65,535).
const MAX_BINDS: usize = 30_000;

/// Tasks added by one import above which PostgreSQL's statistics are refreshed right away.
const ANALYZE_AFTER: usize = 1000;

/// Tasks added by one import above which PostgreSQL's kept counts are counted once at its end.
const DEFER_TALLIES_AFTER: usize = 2 * BATCH;

/// SQLite's page cache while an import writes, in KiB.
const IMPORT_CACHE_KIB: i64 = 64 * 1024;

/// Known tasks are read in pages of this many (their goals are hashed, not kept).
const KNOWN_PAGE: i64 = 20_000;

/// A goal's fingerprint. Two different goals share one with a chance of about one in 10^19
/// per pair; the cost of that — a changed goal taken as unchanged — is far below the cost of
/// holding a million goal texts to compare.
fn goal_hash(goal: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    goal.hash(&mut hasher);
    hasher.finish()
}

/// The ledger's stored tasks, kept current as rows are written, so that matching a row to its
/// task costs no query. `claimed` holds the tasks that earlier rows of the same table resolved
/// to: two rows of one table are never one task, even when their goals read alike.
struct KnownTasks {
    /// seq → (id, goal hash).
    by_seq: HashMap<i64, (i64, u64)>,
    /// Goal hash → (seq, id), in seq order.
    by_goal: HashMap<u64, Vec<(i64, i64)>>,
    claimed: HashSet<i64>,
}

impl KnownTasks {
    async fn load(conn: &mut AnyConnection, ledger: LedgerId) -> Result<KnownTasks> {
        let mut known = KnownTasks {
            by_seq: HashMap::new(),
            by_goal: HashMap::new(),
            claimed: HashSet::new(),
        };
        let mut after = i64::MIN;
        loop {
            let rows: Vec<(i64, i64, String)> = sqlx::query_as(
                "SELECT id, seq, goal FROM tasks WHERE ledger_id = $1 AND seq > $2 \
                 ORDER BY seq LIMIT $3",
            )
            .bind(ledger.0)
            .bind(after)
            .bind(KNOWN_PAGE)
            .fetch_all(&mut *conn)
            .await?;
            let full = rows.len() as i64 == KNOWN_PAGE;
            for (id, seq, goal) in rows {
                known.add(id, seq, goal_hash(&goal));
                after = seq;
            }
            if !full {
                return Ok(known);
            }
        }
    }

    fn add(&mut self, id: i64, seq: i64, goal: u64) {
        let at_goal = self.by_goal.entry(goal).or_default();
        let position = at_goal.partition_point(|(s, _)| *s < seq);
        at_goal.insert(position, (seq, id));
        self.by_seq.insert(seq, (id, goal));
    }

    fn remove_goal(&mut self, id: i64, goal: u64) {
        if let Some(list) = self.by_goal.get_mut(&goal) {
            list.retain(|(_, i)| *i != id);
        }
    }
}

/// What a row resolved to before its batch is written.
enum Resolved {
    /// A stored task with the same goal under another number: it keeps its number and goal.
    Matched(i64),
    /// The stored task of the row's number; `changed` when its goal now reads otherwise.
    Stored { id: i64, changed: bool },
    /// A task to be added, with its seq.
    New(i64),
}

/// The progress a row records for the sheet's period.
enum ProgressWrite {
    /// 未报送 without text: nothing came in, stored as the absence of a progress row.
    Remove,
    Upsert(String, Option<&'static str>),
}

/// A sheet being written; see the module's comment. Dropped without `finish`, nothing is kept.
pub struct SheetWriter {
    tx: Transaction<'static, Any>,
    pool: sqlx::AnyPool,
    backend: Backend,
    ledger: LedgerId,
    period: Option<Period>,
    report: SaveReport,
    known: KnownTasks,
    leader_ids: HashMap<String, i64>,
    /// A unit's name as written → its id (aliases resolved once per name).
    unit_ids: HashMap<String, i64>,
    seen: BTreeSet<u32>,
    /// Rows written so far.
    position: usize,
    written: BTreeSet<Period>,
    /// The kept counts are left to `finish` (`defer_tallies`).
    tallies_deferred: bool,
}

impl std::fmt::Debug for SheetWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SheetWriter")
            .field("ledger", &self.ledger)
            .field("period", &self.period)
            .field("written", &self.position)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Starts writing a sheet: `head` gives the ledger's name and period (its tasks are not
    /// read), `first` the first rows when the ledger must be created (a table of quarterly
    /// targets reports quarterly). Creates the ledger if needed.
    pub async fn sheet_writer(
        &self,
        head: &LedgerSheet,
        first: &[SheetTask],
        options: SaveOptions,
    ) -> Result<SheetWriter> {
        let name = head.ledger.trim();
        if name.is_empty() {
            return Err(duban_core::SheetError::EmptyLedgerName.into());
        }
        let mut tx = self.begin_write().await?;
        if self.backend == Backend::Sqlite {
            // SQLite's page cache is 2 MB by default: a large import's indexes outgrow it and
            // every insert rereads pages from the OS. Restored when the import ends.
            sqlx::query(&format!("PRAGMA cache_size = -{IMPORT_CACHE_KIB}"))
                .execute(&mut *tx)
                .await?;
        }
        let existing: Option<(i64,)> = sqlx::query_as("SELECT id FROM ledgers WHERE name = $1")
            .bind(name)
            .fetch_optional(&mut *tx)
            .await?;
        let (ledger, ledger_created) = match existing {
            Some((id,)) => {
                if let Some(cadence) = options.cadence {
                    sqlx::query("UPDATE ledgers SET cadence = $1 WHERE id = $2")
                        .bind(cadence.code())
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                }
                if let Some(rule) = options.deadline {
                    sqlx::query("UPDATE ledgers SET deadline_days = $1 WHERE id = $2")
                        .bind(i64::from(rule.working_days))
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                }
                (LedgerId(id), false)
            }
            None => {
                let year = head.year().ok_or_else(|| {
                    StoreError::Conflict(format!(
                        "无法确定台账 \"{name}\" 的年度：请在名称中写明年份（如 2023年…）或给出期间"
                    ))
                })?;
                let cadence = options
                    .cadence
                    .or(head.period.map(|p| p.cadence()))
                    .or_else(|| {
                        // A table of quarterly targets (第三季度目标, 第四季度目标) reports quarterly.
                        let targets = first.iter().filter_map(|t| t.targets.as_ref());
                        targets.flat_map(|m| m.keys()).next().map(|p| p.cadence())
                    })
                    .unwrap_or(Cadence::Yearly);
                let deadline = options.deadline.unwrap_or_default();
                let (id,): (i64,) = sqlx::query_as(
                    "INSERT INTO ledgers (name, year, cadence, deadline_days, created_at) \
                     VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(name)
                .bind(i64::from(year))
                .bind(cadence.code())
                .bind(i64::from(deadline.working_days))
                .bind(now_rfc3339())
                .fetch_one(&mut *tx)
                .await?;
                (LedgerId(id), true)
            }
        };
        let known = if ledger_created {
            KnownTasks {
                by_seq: HashMap::new(),
                by_goal: HashMap::new(),
                claimed: HashSet::new(),
            }
        } else {
            KnownTasks::load(&mut tx, ledger).await?
        };
        Ok(SheetWriter {
            tx,
            pool: self.pool.clone(),
            backend: self.backend,
            ledger,
            period: head.period,
            report: SaveReport {
                ledger,
                ledger_created,
                tasks_added: 0,
                tasks_updated: 0,
                tasks_unchanged: 0,
                matched_by_goal: Vec::new(),
                units_created: Vec::new(),
            },
            known,
            leader_ids: HashMap::new(),
            unit_ids: HashMap::new(),
            seen: BTreeSet::new(),
            position: 0,
            written: BTreeSet::new(),
            tallies_deferred: false,
        })
    }
}

impl SheetWriter {
    /// Rows written so far.
    pub fn written(&self) -> usize {
        self.position
    }

    /// Checks and writes the next rows: adds or updates their tasks (matched by seq, or by goal
    /// under another number), replaces the leaders and units of the rows that carry them, and
    /// records the period's targets and progress.
    pub async fn write(&mut self, rows: &[SheetTask]) -> Result<()> {
        for (offset, task) in rows.iter().enumerate() {
            validate_task(
                self.period,
                self.position + offset + 1,
                task,
                &mut self.seen,
            )?;
        }
        let resolved: Vec<Resolved> = rows.iter().map(|task| self.resolve(task)).collect();
        let ids = self.insert_new(rows, &resolved).await?;
        self.update_stored(rows, &resolved).await?;
        // Tasks added by this batch have no assignments to replace.
        let fresh: HashSet<i64> = resolved
            .iter()
            .zip(&ids)
            .filter(|(r, _)| matches!(r, Resolved::New(_)))
            .map(|(_, id)| *id)
            .collect();
        self.replace_assignments(rows, &ids, &fresh).await?;
        self.write_period(rows, &ids).await?;
        self.position += rows.len();
        self.defer_tallies().await
    }

    /// On PostgreSQL, once an import has added `DEFER_TALLIES_AFTER` tasks, the kept counts'
    /// triggers wait (for this transaction only) and `finish` counts the ledger afresh: in one
    /// transaction each batch's change to a count leaves a row version the next batch walks,
    /// and batch N of an import walks N (migration 23). SQLite changes a row in place.
    async fn defer_tallies(&mut self) -> Result<()> {
        if self.backend != Backend::Postgres
            || self.tallies_deferred
            || self.report.tasks_added < DEFER_TALLIES_AFTER
        {
            return Ok(());
        }
        sqlx::query("SET LOCAL duban.defer_tallies = 'on'")
            .execute(&mut *self.tx)
            .await?;
        self.tallies_deferred = true;
        Ok(())
    }

    /// Finds a row's stored task in memory, updating `known` and the report's counts.
    fn resolve(&mut self, task: &SheetTask) -> Resolved {
        let goal = goal_hash(task.goal.trim());
        let seq = i64::from(task.seq);
        let known = &mut self.known;
        let existing = known.by_seq.get(&seq).copied();
        // Another period's table may number the tasks differently: the same goal under another
        // number is the same task, and keeps its number.
        if existing.is_none_or(|(_, old)| old != goal) {
            let same_goal = known.by_goal.get(&goal).and_then(|list| {
                list.iter()
                    .find(|(s, id)| *s != seq && !known.claimed.contains(id))
                    .map(|(_, id)| *id)
            });
            if let Some(id) = same_goal {
                self.report.tasks_unchanged += 1;
                self.report.matched_by_goal.push(task.seq);
                known.claimed.insert(id);
                return Resolved::Matched(id);
            }
        }
        match existing {
            Some((id, old)) => {
                let changed = old != goal;
                if changed {
                    self.report.tasks_updated += 1;
                    known.remove_goal(id, old);
                    known.add(id, seq, goal);
                } else {
                    self.report.tasks_unchanged += 1;
                }
                known.claimed.insert(id);
                Resolved::Stored { id, changed }
            }
            // A new task is claimed by its row: no later row matches it by goal, and no later
            // row has its number, so it need not be remembered.
            None => {
                self.report.tasks_added += 1;
                Resolved::New(seq)
            }
        }
    }

    /// Adds the batch's new tasks; returns every row's task id.
    async fn insert_new(&mut self, rows: &[SheetTask], resolved: &[Resolved]) -> Result<Vec<i64>> {
        let mut values = Vec::new();
        for (task, r) in rows.iter().zip(resolved) {
            if let Resolved::New(seq) = r {
                values.extend([
                    Bind::Int(self.ledger.0),
                    Bind::Int(*seq),
                    Bind::Text(task.goal.trim().to_owned()),
                    Bind::MaybeText(task.section.clone()),
                    Bind::MaybeText(task.deadline.clone()),
                ]);
            }
        }
        let mut new_ids: HashMap<i64, i64> = HashMap::new();
        for (sql, binds) in row_statements(
            self.backend,
            "INSERT INTO tasks (ledger_id, seq, goal, section, deadline)",
            &["bigint", "bigint", "text", "text", "text"],
            &values,
            "RETURNING id, seq",
        ) {
            let returned: Vec<(i64, i64)> = bind_all(sqlx::query_as(&sql), &binds)
                .fetch_all(&mut *self.tx)
                .await?;
            new_ids.extend(returned.into_iter().map(|(id, seq)| (seq, id)));
        }
        resolved
            .iter()
            .map(|r| match r {
                Resolved::Matched(id) | Resolved::Stored { id, .. } => Ok(*id),
                Resolved::New(seq) => {
                    new_ids
                        .get(seq)
                        .copied()
                        .ok_or_else(|| StoreError::Corrupt {
                            what: "任务",
                            message: format!("序号 {seq} 写入后未返回编号"),
                        })
                }
            })
            .collect()
    }

    /// Goals changed under the same number, and the headings and deadline a division plan
    /// gives stored tasks (only a sheet that has them sets them: a progress table without
    /// headings keeps what the plan said).
    async fn update_stored(&mut self, rows: &[SheetTask], resolved: &[Resolved]) -> Result<()> {
        for (task, r) in rows.iter().zip(resolved) {
            let Resolved::Stored { id, changed } = r else {
                continue;
            };
            if *changed {
                sqlx::query("UPDATE tasks SET goal = $1 WHERE id = $2")
                    .bind(task.goal.trim())
                    .bind(*id)
                    .execute(&mut *self.tx)
                    .await?;
            }
            if task.section.is_some() || task.deadline.is_some() {
                sqlx::query(
                    "UPDATE tasks SET section = COALESCE($1, section), \
                     deadline = COALESCE($2, deadline) WHERE id = $3",
                )
                .bind(task.section.as_deref())
                .bind(task.deadline.as_deref())
                .bind(*id)
                .execute(&mut *self.tx)
                .await?;
            }
        }
        Ok(())
    }

    /// Replaces the leaders and the units of the rows that carry them (a later row for the
    /// same task wins, as when rows were written one by one).
    async fn replace_assignments(
        &mut self,
        rows: &[SheetTask],
        ids: &[i64],
        fresh: &HashSet<i64>,
    ) -> Result<()> {
        let mut leaders = LastWrite::default();
        let mut units = LastWrite::default();
        for (task, id) in rows.iter().zip(ids) {
            if let Some(list) = &task.leaders {
                leaders.put(*id, list.as_slice());
            }
            if let Some(list) = &task.units {
                units.put(*id, list.as_slice());
            }
        }
        let (leaders, units) = (leaders.rows, units.rows);
        let tasks: Vec<i64> = leaders
            .iter()
            .map(|(t, _)| *t)
            .filter(|t| !fresh.contains(t))
            .collect();
        delete_for_tasks(&mut self.tx, self.backend, "task_leaders", &tasks).await?;
        let mut values = Vec::new();
        for (task, names) in &leaders {
            let mut seen = BTreeSet::new();
            for (ord, raw) in names.iter().enumerate() {
                let name = normalize_name(raw);
                if name.is_empty() || !seen.insert(name.clone()) {
                    continue;
                }
                let leader = self.leader_id(name).await?;
                values.extend([
                    Bind::Int(*task),
                    Bind::Int(leader),
                    Bind::Int(i64::try_from(ord).unwrap_or(i64::MAX)),
                ]);
            }
        }
        insert_rows(
            &mut self.tx,
            self.backend,
            "INSERT INTO task_leaders (task_id, leader_id, ord)",
            &["bigint", "bigint", "bigint"],
            &values,
            "",
        )
        .await?;

        let tasks: Vec<i64> = units
            .iter()
            .map(|(t, _)| *t)
            .filter(|t| !fresh.contains(t))
            .collect();
        delete_for_tasks(&mut self.tx, self.backend, "task_units", &tasks).await?;
        let mut values = Vec::new();
        for (task, list) in &units {
            let mut seen = BTreeSet::new();
            for (ord, unit) in list.iter().enumerate() {
                let id = self.unit_id(&unit.name).await?;
                // A name and its alias in one cell are the same unit: the first mention
                // decides the role.
                if !seen.insert(id) {
                    continue;
                }
                values.extend([
                    Bind::Int(*task),
                    Bind::Int(id),
                    Bind::Text(unit.role.code().to_owned()),
                    Bind::Int(i64::try_from(ord).unwrap_or(i64::MAX)),
                ]);
            }
        }
        insert_rows(
            &mut self.tx,
            self.backend,
            "INSERT INTO task_units (task_id, unit_id, role, ord)",
            &["bigint", "bigint", "text", "bigint"],
            &values,
            "",
        )
        .await
    }

    async fn leader_id(&mut self, name: String) -> Result<i64> {
        if let Some(id) = self.leader_ids.get(&name) {
            return Ok(*id);
        }
        let id = find_or_create_leader(&mut self.tx, &name).await?;
        self.leader_ids.insert(name, id);
        Ok(id)
    }

    async fn unit_id(&mut self, name: &str) -> Result<i64> {
        if let Some(id) = self.unit_ids.get(name) {
            return Ok(*id);
        }
        let (id, is_new) = find_or_create_unit(&mut self.tx, name).await?;
        if is_new {
            self.report.units_created.push(normalize_name(name));
        }
        self.unit_ids.insert(name.to_owned(), id.0);
        Ok(id.0)
    }

    /// The period's targets (and a table's several period columns) and progress.
    async fn write_period(&mut self, rows: &[SheetTask], ids: &[i64]) -> Result<()> {
        // One statement may not change a row twice (PostgreSQL refuses): the last write of a
        // (task, period) wins, as when rows were written one by one.
        let mut targets = LastWrite::default();
        let mut progress = LastWrite::default();
        for (task, id) in rows.iter().zip(ids) {
            if let Some(period) = self.period {
                if let Some(target) = &task.target {
                    targets.put((*id, period), target.trim());
                    self.written.insert(period);
                }
                let write = match (&task.progress, task.status) {
                    (None, None) => None,
                    (None, Some(Status::Unreported)) => Some(ProgressWrite::Remove),
                    (text, status) => {
                        self.written.insert(period);
                        Some(ProgressWrite::Upsert(
                            text.as_deref()
                                .map(str::trim)
                                .unwrap_or_default()
                                .to_owned(),
                            status.map(Status::code),
                        ))
                    }
                };
                if let Some(write) = write {
                    progress.put(*id, write);
                }
            }
            for (period, target) in task.targets.iter().flatten() {
                targets.put((*id, *period), target.trim());
                self.written.insert(*period);
            }
        }
        let (targets, progress) = (targets.rows, progress.rows);
        let values: Vec<Bind> = targets
            .iter()
            .flat_map(|((task, period), text)| {
                [
                    Bind::Int(*task),
                    Bind::Text(period.to_string()),
                    Bind::Text((*text).to_owned()),
                ]
            })
            .collect();
        insert_rows(
            &mut self.tx,
            self.backend,
            "INSERT INTO milestones (task_id, period, target)",
            &["bigint", "text", "text"],
            &values,
            "ON CONFLICT (task_id, period) DO UPDATE SET target = excluded.target",
        )
        .await?;
        let Some(period) = self.period else {
            return Ok(());
        };
        let removed: Vec<i64> = progress
            .iter()
            .filter(|(_, w)| matches!(w, ProgressWrite::Remove))
            .map(|(t, _)| *t)
            .collect();
        for chunk in removed.chunks(MAX_BINDS - 1) {
            let (list, ids) = id_list(self.backend, 2, chunk);
            let sql = format!(
                "DELETE FROM progress WHERE period = {} AND task_id IN ({list})",
                parameters(self.backend, 1, 1),
            );
            let mut binds = vec![Bind::Text(period.to_string())];
            binds.extend(ids);
            bind_all_query(sqlx::query(&sql), &binds)
                .execute(&mut *self.tx)
                .await?;
        }
        let values: Vec<Bind> = progress
            .into_iter()
            .filter_map(|(task, w)| match w {
                ProgressWrite::Upsert(body, status) => Some([
                    Bind::Int(task),
                    Bind::Text(period.to_string()),
                    Bind::Text(body),
                    Bind::MaybeText(status.map(str::to_owned)),
                ]),
                ProgressWrite::Remove => None,
            })
            .flatten()
            .collect();
        insert_rows(
            &mut self.tx,
            self.backend,
            "INSERT INTO progress (task_id, period, body, status)",
            &["bigint", "text", "text", "text"],
            &values,
            "ON CONFLICT (task_id, period) DO UPDATE SET body = excluded.body, \
             status = excluded.status",
        )
        .await
    }

    /// Notes the periods written and commits; on PostgreSQL refreshes the statistics after a
    /// large import (the tables' shape changed at once; autovacuum would see it only later).
    pub async fn finish(mut self) -> Result<SaveReport> {
        for period in &self.written {
            note_period(&mut self.tx, self.ledger.0, &period.to_string()).await?;
        }
        if self.backend == Backend::Sqlite {
            sqlx::query("PRAGMA cache_size = -2000")
                .execute(&mut *self.tx)
                .await?;
        }
        if self.tallies_deferred {
            // Planned on what the tables held before the import, the counting would probe
            // a million rows one by one: ANALYZE sees the transaction's own rows.
            sqlx::query("ANALYZE tasks, task_units, progress")
                .execute(&mut *self.tx)
                .await?;
            crate::tallies::recount(&mut self.tx, self.ledger.0).await?;
            sqlx::query("SET LOCAL duban.defer_tallies = 'off'")
                .execute(&mut *self.tx)
                .await?;
        }
        self.tx.commit().await?;
        if self.backend == Backend::Postgres && self.report.tasks_added >= ANALYZE_AFTER {
            sqlx::query("ANALYZE tasks, task_units, task_leaders, milestones, progress")
                .execute(&self.pool)
                .await?;
        }
        Ok(self.report)
    }
}

/// Writes keyed in order, the last for a key kept in the place of the first.
struct LastWrite<K, V> {
    rows: Vec<(K, V)>,
    index: HashMap<K, usize>,
}

impl<K, V> Default for LastWrite<K, V> {
    fn default() -> Self {
        LastWrite {
            rows: Vec::new(),
            index: HashMap::new(),
        }
    }
}

impl<K: Eq + Hash + Copy, V> LastWrite<K, V> {
    fn put(&mut self, key: K, value: V) {
        match self.index.get(&key) {
            Some(at) => self.rows[*at].1 = value,
            None => {
                self.index.insert(key, self.rows.len());
                self.rows.push((key, value));
            }
        }
    }
}

/// `($1, $2, $3), ($4, $5, $6)` for `rows` rows of `width` values; on SQLite `(?, ?, ?), …`:
/// sqlx binds SQLite's parameters by looking up each one's name, which SQLite finds by walking
/// the list of names — for a thousand-row statement of numbered parameters that lookup alone
/// took two thirds of an import. Anonymous parameters have no names to walk.
fn placeholders(backend: Backend, rows: usize, width: usize) -> String {
    let mut out = String::with_capacity(rows * width * 6);
    for row in 0..rows {
        if row > 0 {
            out.push_str(", ");
        }
        out.push('(');
        out.push_str(&parameters(backend, row * width + 1, width));
        out.push(')');
    }
    out
}

/// `$first, …` for `count` parameters, or `?, …` on SQLite (see `placeholders`; a statement
/// uses one style throughout, since sqlx numbers `?` apart from `$N`).
fn parameters(backend: Backend, first: usize, count: usize) -> String {
    let mut out = String::with_capacity(count * 6);
    for n in first..first + count {
        if n > first {
            out.push_str(", ");
        }
        match backend {
            Backend::Sqlite => out.push('?'),
            Backend::Postgres => out.push_str(&format!("${n}")),
        }
    }
    out
}

/// The statements that insert `values` (rows of `types.len()` values, flattened): `head` is
/// `INSERT INTO t (a, b)`, `tail` what follows the rows (ON CONFLICT …, RETURNING …). On
/// SQLite multi-row VALUES, as many rows a statement as the bind limit allows. On PostgreSQL the
/// rows travel as one JSON parameter, unpacked by the server with the column `types`: planning a
/// VALUES list of thousands of parameters (each execution is planned afresh, see `connect`)
/// took 50 ms a statement, the JSON form 15.
fn row_statements(
    backend: Backend,
    head: &str,
    types: &[&str],
    values: &[Bind],
    tail: &str,
) -> Vec<(String, Vec<Bind>)> {
    let width = types.len();
    values
        .chunks(MAX_BINDS / width * width)
        .map(|chunk| match backend {
            Backend::Sqlite => (
                format!(
                    "{head} VALUES {} {tail}",
                    placeholders(backend, chunk.len() / width, width)
                ),
                chunk.to_vec(),
            ),
            Backend::Postgres => {
                let columns: Vec<String> = types
                    .iter()
                    .enumerate()
                    .map(|(i, t)| format!("(e->>{i})::{t}"))
                    .collect();
                (
                    format!(
                        "{head} SELECT {} FROM jsonb_array_elements($1::jsonb) e {tail}",
                        columns.join(", ")
                    ),
                    vec![Bind::Text(json_rows(chunk, width))],
                )
            }
        })
        .collect()
}

/// Rows of values as a JSON array of arrays.
fn json_rows(values: &[Bind], width: usize) -> String {
    let rows: Vec<serde_json::Value> = values
        .chunks(width)
        .map(|row| {
            row.iter()
                .map(|v| match v {
                    Bind::Int(i) => serde_json::Value::from(*i),
                    Bind::Text(t) => serde_json::Value::from(t.as_str()),
                    Bind::MaybeText(t) => {
                        t.as_deref().map_or(serde_json::Value::Null, |t| t.into())
                    }
                })
                .collect()
        })
        .collect();
    serde_json::Value::Array(rows).to_string()
}

/// A list of ids for `IN (…)` whose first parameter is number `first`: the parameters on
/// SQLite, one JSON parameter unpacked on PostgreSQL (see `row_statements`).
fn id_list(backend: Backend, first: usize, ids: &[i64]) -> (String, Vec<Bind>) {
    match backend {
        Backend::Sqlite => (
            parameters(backend, first, ids.len()),
            ids.iter().map(|i| Bind::Int(*i)).collect(),
        ),
        Backend::Postgres => (
            format!("SELECT jsonb_array_elements_text(${first}::jsonb)::bigint"),
            vec![Bind::Text(
                serde_json::Value::from(ids.to_vec()).to_string(),
            )],
        ),
    }
}

/// Inserts `values` with `row_statements`.
async fn insert_rows(
    conn: &mut AnyConnection,
    backend: Backend,
    head: &str,
    types: &[&str],
    values: &[Bind],
    tail: &str,
) -> Result<()> {
    for (sql, binds) in row_statements(backend, head, types, values, tail) {
        bind_all_query(sqlx::query(&sql), &binds)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Deletes the rows of `table` (task_leaders, task_units) of the given tasks.
async fn delete_for_tasks(
    conn: &mut AnyConnection,
    backend: Backend,
    table: &str,
    tasks: &[i64],
) -> Result<()> {
    for chunk in tasks.chunks(MAX_BINDS) {
        let (list, binds) = id_list(backend, 1, chunk);
        let sql = format!("DELETE FROM {table} WHERE task_id IN ({list})");
        bind_all_query(sqlx::query(&sql), &binds)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_number_rows_in_order() {
        assert_eq!(
            placeholders(Backend::Postgres, 2, 3),
            "($1, $2, $3), ($4, $5, $6)"
        );
        assert_eq!(placeholders(Backend::Sqlite, 2, 2), "(?, ?), (?, ?)");
        assert_eq!(parameters(Backend::Postgres, 2, 2), "$2, $3");
    }

    #[test]
    fn postgres_gets_rows_as_one_json_parameter() {
        let values = [
            Bind::Int(7),
            Bind::MaybeText(None),
            Bind::Int(8),
            Bind::MaybeText(Some("甲".into())),
        ];
        let statements = row_statements(
            Backend::Postgres,
            "INSERT INTO t (a, b)",
            &["bigint", "text"],
            &values,
            "",
        );
        assert_eq!(statements.len(), 1);
        assert!(statements[0].0.contains("(e->>0)::bigint, (e->>1)::text"));
        assert!(matches!(&statements[0].1[..], [Bind::Text(j)] if j == r#"[[7,null],[8,"甲"]]"#));
        let sqlite = row_statements(
            Backend::Sqlite,
            "INSERT INTO t (a, b)",
            &["bigint", "text"],
            &values,
            "",
        );
        assert_eq!(sqlite[0].0, "INSERT INTO t (a, b) VALUES (?, ?), (?, ?) ");
        assert_eq!(sqlite[0].1.len(), 4);
    }
}
