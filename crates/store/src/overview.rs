//! Reads for the pages people open all day: the dashboard's counts and one page of the ledger
//! table. `sheet` reads a whole ledger period with every text, which a city's 10,000-task ledger
//! makes costly; these read only what the page shows, with the filters and the page in SQL.

use std::collections::{HashMap, HashSet};

use duban_core::{Ledger, LedgerSheet, Period, Role, SheetTask, SheetUnit, Status};

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

/// A value bound to a query built at run time.
enum Bind {
    Int(i64),
    Text(String),
}

/// A WHERE clause assembled from optional conditions, numbering its placeholders.
struct Conditions {
    clauses: Vec<String>,
    binds: Vec<Bind>,
}

impl Conditions {
    fn new() -> Conditions {
        Conditions {
            clauses: Vec::new(),
            binds: Vec::new(),
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

fn bind_all<'q, O>(
    mut query: sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>>,
    binds: &'q [Bind],
) -> sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>> {
    for b in binds {
        query = match b {
            Bind::Int(i) => query.bind(*i),
            Bind::Text(t) => query.bind(t.as_str()),
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

type SummaryRow = (i64, i64, Option<String>, Option<String>);
type PageRow = (
    i64,
    i64,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

impl Store {
    /// The ledger's tasks for one period with what the dashboard counts: 序号, status (未报送
    /// where nothing came in) and the lead units, with the task ids alongside; optionally a
    /// leader's tasks only. Goals are left empty: `task_goals` fetches the few that are shown.
    pub async fn sheet_summary(
        &self,
        ledger: &Ledger,
        period: Period,
        leader: Option<&str>,
    ) -> Result<(LedgerSheet, Vec<i64>)> {
        let id = ledger.id.0;
        let rows: Vec<SummaryRow> = sqlx::query_as(
            "SELECT t.id, t.seq, p.period, p.status FROM tasks t \
             LEFT JOIN progress p ON p.task_id = t.id AND p.period = $2 \
             WHERE t.ledger_id = $1 ORDER BY t.seq",
        )
        .bind(id)
        .bind(period.to_string())
        .fetch_all(&self.pool)
        .await?;
        let leads: Vec<(i64, String)> = sqlx::query_as(
            "SELECT tu.task_id, u.name FROM task_units tu JOIN units u ON u.id = tu.unit_id \
             JOIN tasks t ON t.id = tu.task_id WHERE t.ledger_id = $1 AND tu.role = 'lead' \
             ORDER BY tu.task_id, tu.ord",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let only: Option<HashSet<i64>> = match leader {
            Some(name) => {
                let name = self.leader_name(name).await?;
                let ids: Vec<(i64,)> = sqlx::query_as(
                    "SELECT tl.task_id FROM task_leaders tl JOIN leaders l ON l.id = tl.leader_id \
                     JOIN tasks t ON t.id = tl.task_id WHERE t.ledger_id = $1 AND l.name = $2",
                )
                .bind(id)
                .bind(name)
                .fetch_all(&self.pool)
                .await?;
                Some(ids.into_iter().map(|(t,)| t).collect())
            }
            None => None,
        };
        let mut leads_of: HashMap<i64, Vec<SheetUnit>> = HashMap::new();
        for (task, name) in leads {
            leads_of.entry(task).or_default().push(SheetUnit {
                name,
                role: Role::Lead,
            });
        }
        let mut tasks = Vec::with_capacity(rows.len());
        let mut ids = Vec::with_capacity(rows.len());
        for (task, seq, reported, status) in rows {
            if only.as_ref().is_some_and(|set| !set.contains(&task)) {
                continue;
            }
            tasks.push(SheetTask {
                seq: seq_of(seq)?,
                goal: String::new(),
                target: None,
                targets: None,
                status: status_of(&reported, status)?,
                progress: None,
                leaders: None,
                units: Some(leads_of.remove(&task).unwrap_or_default()),
                source: None,
            });
            ids.push(task);
        }
        let sheet = LedgerSheet {
            ledger: ledger.name.clone(),
            period: Some(period),
            columns: vec!["units".to_owned()],
            tasks,
        };
        Ok((sheet, ids))
    }

    /// The goals of the given tasks.
    pub async fn task_goals(&self, ids: &[i64]) -> Result<HashMap<i64, String>> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let placeholders: Vec<String> = (1..=ids.len()).map(|n| format!("${n}")).collect();
        let sql = format!(
            "SELECT id, goal FROM tasks WHERE id IN ({})",
            placeholders.join(", ")
        );
        let binds: Vec<Bind> = ids.iter().map(|i| Bind::Int(*i)).collect();
        let rows: Vec<(i64, String)> = bind_all(sqlx::query_as(&sql), &binds)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.into_iter().collect())
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
        let period_text = period.map(|p| p.to_string()).unwrap_or_default();
        let mut scoped = Conditions::new();
        scoped.add("t.ledger_id = ?", vec![Bind::Int(ledger.id.0)]);
        let leader_clause = "EXISTS (SELECT 1 FROM task_leaders tl JOIN leaders l ON l.id = tl.leader_id \
                             WHERE tl.task_id = t.id AND l.name = ?)";
        if let Some(name) = scope {
            let name = self.leader_name(name).await?;
            scoped.add(leader_clause, vec![Bind::Text(name)]);
        }
        let mut conditions = Conditions {
            clauses: scoped.clauses.clone(),
            binds: scoped
                .binds
                .iter()
                .map(|b| match b {
                    Bind::Int(i) => Bind::Int(*i),
                    Bind::Text(t) => Bind::Text(t.clone()),
                })
                .collect(),
        };
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
                "EXISTS (SELECT 1 FROM task_units tu WHERE tu.task_id = t.id AND tu.unit_id = ?)",
                vec![Bind::Int(id.0)],
            );
        }
        if let Some(name) = &filter.leader {
            let name = self.leader_name(name).await?;
            conditions.add(leader_clause, vec![Bind::Text(name)]);
        }
        if let Some(status) = filter.status {
            if period.is_none() {
                return Err(StoreError::Conflict(format!(
                    "台账 \"{}\" 还没有任何期间的数据，无法按完成状态筛选",
                    ledger.name
                )));
            }
            match status {
                Status::Unreported => conditions.add("p.task_id IS NULL", Vec::new()),
                other => conditions.add("p.status = ?", vec![Bind::Text(other.code().to_owned())]),
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
        // The period is bound last, after the conditions' placeholders.
        let joins = |n: usize| {
            format!(
                "FROM tasks t LEFT JOIN milestones m ON m.task_id = t.id AND m.period = ${n} \
                 LEFT JOIN progress p ON p.task_id = t.id AND p.period = ${n}"
            )
        };
        let count =
            |c: &Conditions| format!("SELECT COUNT(*) {} WHERE {}", joins(c.next()), c.sql());
        let total_sql = count(&scoped);
        let mut binds = scoped.binds;
        binds.push(Bind::Text(period_text.clone()));
        let (total,): (i64,) = bind_all(sqlx::query_as(&total_sql), &binds)
            .fetch_one(&self.pool)
            .await?;
        let n = conditions.next();
        let matching_sql = count(&conditions);
        let page_sql = format!(
            "SELECT t.id, t.seq, t.goal, m.target, p.period, p.body, p.status {} WHERE {} \
             ORDER BY t.seq LIMIT ${} OFFSET ${}",
            joins(n),
            conditions.sql(),
            n + 1,
            n + 2
        );
        let mut binds = conditions.binds;
        binds.push(Bind::Text(period_text));
        let (matching,): (i64,) = bind_all(sqlx::query_as(&matching_sql), &binds)
            .fetch_one(&self.pool)
            .await?;
        binds.push(Bind::Int(limit));
        binds.push(Bind::Int(offset));
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
                    source: None,
                },
            ));
        }
        Ok(TaskPage {
            total,
            matching,
            tasks,
        })
    }

    /// Leaders and units of the given tasks, in their order.
    #[allow(clippy::type_complexity)]
    async fn assignments(
        &self,
        ids: &[i64],
    ) -> Result<(HashMap<i64, Vec<String>>, HashMap<i64, Vec<SheetUnit>>)> {
        let mut leaders: HashMap<i64, Vec<String>> = HashMap::new();
        let mut units: HashMap<i64, Vec<SheetUnit>> = HashMap::new();
        if ids.is_empty() {
            return Ok((leaders, units));
        }
        let list: Vec<String> = (1..=ids.len()).map(|n| format!("${n}")).collect();
        let list = list.join(", ");
        let binds: Vec<Bind> = ids.iter().map(|i| Bind::Int(*i)).collect();
        let rows: Vec<(i64, String)> = bind_all(
            sqlx::query_as(&format!(
                "SELECT tl.task_id, l.name FROM task_leaders tl JOIN leaders l ON l.id = tl.leader_id \
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
                "SELECT tu.task_id, u.name, tu.role FROM task_units tu JOIN units u ON u.id = tu.unit_id \
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
        Ok((leaders, units))
    }

    /// The names of the units and of the leaders a ledger's tasks name, for filter choices.
    pub async fn ledger_names(&self, ledger: &Ledger) -> Result<(Vec<String>, Vec<String>)> {
        let units: Vec<(String,)> = sqlx::query_as(
            "SELECT DISTINCT u.name FROM task_units tu JOIN units u ON u.id = tu.unit_id \
             JOIN tasks t ON t.id = tu.task_id WHERE t.ledger_id = $1 ORDER BY u.name",
        )
        .bind(ledger.id.0)
        .fetch_all(&self.pool)
        .await?;
        let leaders: Vec<(String,)> = sqlx::query_as(
            "SELECT DISTINCT l.name FROM task_leaders tl JOIN leaders l ON l.id = tl.leader_id \
             JOIN tasks t ON t.id = tl.task_id WHERE t.ledger_id = $1 ORDER BY l.name",
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
