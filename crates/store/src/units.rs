//! Responsible units (责任单位) and the names they go by.

use std::collections::BTreeMap;

use duban_core::{Unit, UnitId, UnitKind, normalize_name};
use sqlx::AnyConnection;

use crate::audit::{self, Actor, Change};
use crate::{Result, Store, StoreError, corrupt};

/// A unit with how many tasks it leads and takes part in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitSummary {
    pub unit: Unit,
    pub tasks_led: i64,
    pub tasks_total: i64,
}

/// What `add_alias` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AliasOutcome {
    Added,
    /// The alias was already recorded for this unit.
    Unchanged,
    /// The alias had been stored as a unit of its own (an importer met the short name first);
    /// its tasks now belong to the unit it abbreviates.
    Merged {
        tasks_moved: i64,
    },
}

impl Store {
    /// All units by name, with aliases and task counts.
    pub async fn units(&self) -> Result<Vec<UnitSummary>> {
        let rows: Vec<(i64, String, String, i64, i64)> = sqlx::query_as(
            "SELECT u.id, u.name, u.kind, \
                    (SELECT COUNT(*) FROM task_units tu WHERE tu.unit_id = u.id AND tu.role = 'lead'), \
                    (SELECT COUNT(*) FROM task_units tu WHERE tu.unit_id = u.id) \
             FROM units u ORDER BY u.name",
        )
        .fetch_all(&self.pool)
        .await?;
        let aliases: Vec<(i64, String)> =
            sqlx::query_as("SELECT unit_id, alias FROM unit_aliases ORDER BY alias")
                .fetch_all(&self.pool)
                .await?;
        let mut by_unit: BTreeMap<i64, Vec<String>> = BTreeMap::new();
        for (unit, alias) in aliases {
            by_unit.entry(unit).or_default().push(alias);
        }
        rows.into_iter()
            .map(|(id, name, kind, tasks_led, tasks_total)| {
                Ok(UnitSummary {
                    unit: Unit {
                        id: UnitId(id),
                        name,
                        kind: kind.parse().map_err(corrupt("单位类型"))?,
                        aliases: by_unit.remove(&id).unwrap_or_default(),
                    },
                    tasks_led,
                    tasks_total,
                })
            })
            .collect()
    }

    /// The names of all leaders (分管领导) the ledgers mention.
    pub async fn leaders(&self) -> Result<Vec<String>> {
        let rows: Vec<(String,)> = sqlx::query_as("SELECT name FROM leaders ORDER BY name")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.into_iter().map(|(n,)| n).collect())
    }

    /// The canonical name of a unit given by its name or an alias.
    pub async fn unit_name(&self, name_or_alias: &str) -> Result<String> {
        let mut conn = self.pool.acquire().await?;
        let id = find_unit(&mut conn, name_or_alias)
            .await?
            .ok_or_else(|| unknown_unit(name_or_alias))?;
        let (name,): (String,) = sqlx::query_as("SELECT name FROM units WHERE id = $1")
            .bind(id.0)
            .fetch_one(&mut *conn)
            .await?;
        Ok(name)
    }

    /// Records `alias` as another name of the unit `name` (given by its name or an alias).
    ///
    /// If `alias` is itself stored as a separate unit, that unit is merged into `name`: its
    /// task assignments and aliases move over and it is removed, all in one transaction.
    pub async fn add_alias(&self, name: &str, alias: &str) -> Result<AliasOutcome> {
        self.add_alias_as(name, alias, &Actor::system()).await
    }

    /// `add_alias` by an account, written to the audit log with what it did.
    pub async fn add_alias_as(
        &self,
        name: &str,
        alias: &str,
        actor: &Actor,
    ) -> Result<AliasOutcome> {
        let alias = normalize_name(alias);
        if alias.is_empty() {
            return Err(StoreError::Conflict("别名不能为空".to_owned()));
        }
        let mut tx = self.begin_write().await?;
        let unit = find_unit(&mut tx, name)
            .await?
            .ok_or_else(|| unknown_unit(name))?;
        let existing: Option<(i64,)> =
            sqlx::query_as("SELECT unit_id FROM unit_aliases WHERE alias = $1")
                .bind(&alias)
                .fetch_optional(&mut *tx)
                .await?;
        if let Some((owner,)) = existing {
            if owner == unit.0 {
                return Ok(AliasOutcome::Unchanged);
            }
            let (owner_name,): (String,) = sqlx::query_as("SELECT name FROM units WHERE id = $1")
                .bind(owner)
                .fetch_one(&mut *tx)
                .await?;
            return Err(StoreError::Conflict(format!(
                "\"{alias}\" 已是单位 \"{owner_name}\" 的别名"
            )));
        }
        let namesake: Option<(i64,)> = sqlx::query_as("SELECT id FROM units WHERE name = $1")
            .bind(&alias)
            .fetch_optional(&mut *tx)
            .await?;
        let outcome = match namesake {
            Some((id,)) if id == unit.0 => {
                return Err(StoreError::Conflict(format!(
                    "\"{alias}\" 就是该单位的名称"
                )));
            }
            Some((other,)) => {
                let tasks_moved = merge_unit(&mut tx, UnitId(other), unit).await?;
                AliasOutcome::Merged { tasks_moved }
            }
            None => AliasOutcome::Added,
        };
        sqlx::query("INSERT INTO unit_aliases (alias, unit_id) VALUES ($1, $2)")
            .bind(&alias)
            .bind(unit.0)
            .execute(&mut *tx)
            .await?;
        let after = serde_json::json!({
            "alias": alias,
            "merged_tasks": match outcome { AliasOutcome::Merged { tasks_moved } => tasks_moved, _ => 0 },
        });
        audit::record(
            &mut tx,
            actor,
            Change {
                action: "add_alias",
                entity: &format!("unit:{}", unit.0),
                task: None,
                before: None,
                after: Some(&after),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(outcome)
    }
}

fn unknown_unit(name: &str) -> StoreError {
    StoreError::NotFound {
        what: "单位",
        name: name.to_owned(),
        hint: "（duban units 列出全部单位）".to_owned(),
    }
}

/// Finds a unit by name or alias, ignoring whitespace inside the name.
pub(crate) async fn find_unit(conn: &mut AnyConnection, name: &str) -> Result<Option<UnitId>> {
    let name = normalize_name(name);
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT id FROM units WHERE name = $1 \
         UNION ALL SELECT unit_id FROM unit_aliases WHERE alias = $1",
    )
    .bind(&name)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|(id,)| UnitId(id)))
}

/// Finds a unit by name or alias, creating it (kind guessed from the name) if unknown.
/// Returns the id and whether it was created.
pub(crate) async fn find_or_create_unit(
    conn: &mut AnyConnection,
    name: &str,
) -> Result<(UnitId, bool)> {
    if let Some(id) = find_unit(conn, name).await? {
        return Ok((id, false));
    }
    let name = normalize_name(name);
    let (id,): (i64,) =
        sqlx::query_as("INSERT INTO units (name, kind) VALUES ($1, $2) RETURNING id")
            .bind(&name)
            .bind(UnitKind::guess(&name).code())
            .fetch_one(&mut *conn)
            .await?;
    Ok((UnitId(id), true))
}

/// Moves everything of `from` onto `into` and deletes `from`. Where both units are on the same
/// task, the assignment of `into` stays and `from`'s is dropped.
async fn merge_unit(conn: &mut AnyConnection, from: UnitId, into: UnitId) -> Result<i64> {
    let (moved,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM task_units WHERE unit_id = $1 \
         AND task_id NOT IN (SELECT task_id FROM task_units WHERE unit_id = $2)",
    )
    .bind(from.0)
    .bind(into.0)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE task_units SET unit_id = $2 WHERE unit_id = $1 \
         AND task_id NOT IN (SELECT task_id FROM task_units WHERE unit_id = $2)",
    )
    .bind(from.0)
    .bind(into.0)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM task_units WHERE unit_id = $1")
        .bind(from.0)
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE unit_aliases SET unit_id = $2 WHERE unit_id = $1")
        .bind(from.0)
        .bind(into.0)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM units WHERE id = $1")
        .bind(from.0)
        .execute(&mut *conn)
        .await?;
    Ok(moved)
}
