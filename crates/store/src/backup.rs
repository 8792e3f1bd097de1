//! Backups as one JSON document: every table's rows read in one consistent snapshot while the
//! server goes on working (a read transaction on SQLite's WAL; REPEATABLE READ on PostgreSQL),
//! and restored into an empty database of either kind in one transaction, so a backup of a
//! SQLite file can become a PostgreSQL database and back. Sessions and login attempts are not
//! kept: people log in again after a restore. The audit log comes back entry for entry with its
//! hash chain, so the restored log verifies.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sqlx::{Column, Row};

use crate::{Backend, Result, Store, StoreError};

/// The tables in the order their rows can be inserted (a table after those it refers to).
const TABLES: &[&str] = &[
    "units",
    "unit_aliases",
    "leaders",
    "documents",
    "passages",
    "ledgers",
    "tasks",
    "task_leaders",
    "task_units",
    "milestones",
    "progress",
    "ledger_periods",
    "glossary_terms",
    "indicators",
    "projects",
    "accounts",
    "account_keys",
    "indicator_values",
    "plan_assignments",
    "plan_reports",
    "reports",
    "blobs",
    "attachments",
    "target_rounds",
    "target_reports",
    "reminders",
    "extensions",
    "inspections",
    "findings",
    "finding_files",
    "ratings",
    "schemes",
    "assessments",
    "receipts",
    "notify_channels",
    "deliveries",
    "messages",
    "notices",
    "period_locks",
    "audit_log",
];

/// The backup file.
#[derive(Debug, Serialize, Deserialize)]
pub struct Backup {
    /// Always "duban-backup".
    pub format: String,
    pub version: u32,
    pub created_at: String,
    pub tables: Map<String, Value>,
}

#[derive(Debug, Serialize, Deserialize)]
struct TableRows {
    columns: Vec<String>,
    rows: Vec<Vec<Value>>,
}

impl Store {
    /// Reads every table in one snapshot.
    pub async fn backup(&self) -> Result<Backup> {
        let mut tx = self.pool.begin().await?;
        if self.backend == Backend::Postgres {
            sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                .execute(&mut *tx)
                .await?;
        }
        let mut tables = Map::new();
        for table in TABLES {
            let rows = sqlx::query(&format!("SELECT * FROM {table} ORDER BY 1"))
                .fetch_all(&mut *tx)
                .await?;
            let columns: Vec<String> = match rows.first() {
                Some(row) => row.columns().iter().map(|c| c.name().to_owned()).collect(),
                None => Vec::new(),
            };
            let rows = rows
                .iter()
                .map(|row| (0..row.len()).map(|i| value_at(row, i)).collect())
                .collect();
            tables.insert(
                (*table).to_owned(),
                serde_json::to_value(TableRows { columns, rows })
                    .map_err(|e| StoreError::Conflict(e.to_string()))?,
            );
        }
        tx.commit().await?;
        Ok(Backup {
            format: "duban-backup".to_owned(),
            version: 1,
            created_at: crate::now_rfc3339(),
            tables,
        })
    }

    /// Writes a backup into this database, which must be empty (initialized, with no ledger,
    /// account or log entry): all of it in one transaction, or nothing.
    pub async fn restore(&self, backup: &Backup) -> Result<usize> {
        if backup.format != "duban-backup" || backup.version != 1 {
            return Err(StoreError::Conflict(
                "不是 duban 的备份文件（format 应为 duban-backup，version 为 1）".to_owned(),
            ));
        }
        let mut tx = self.begin_write().await?;
        for table in ["ledgers", "accounts", "audit_log", "units"] {
            let (count,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) FROM {table}"))
                .fetch_one(&mut *tx)
                .await?;
            if count > 0 {
                return Err(StoreError::Conflict(format!(
                    "目标数据库不是空的（{table} 已有 {count} 行）：只能恢复到新建的空数据库"
                )));
            }
        }
        let mut restored = 0;
        for table in TABLES {
            let Some(value) = backup.tables.get(*table) else {
                continue;
            };
            let rows: TableRows = serde_json::from_value(value.clone())
                .map_err(|e| StoreError::Conflict(format!("备份中的表 {table} 无法读取：{e}")))?;
            if rows.columns.is_empty() {
                continue;
            }
            if rows
                .columns
                .iter()
                .any(|c| !c.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_'))
            {
                return Err(StoreError::Conflict(format!(
                    "备份中的表 {table} 的列名不合法"
                )));
            }
            // PostgreSQL types a parameter: a NULL must come as the column's own type.
            let types: std::collections::HashMap<String, String> =
                if self.backend == Backend::Postgres {
                    sqlx::query_as(
                        "SELECT column_name::text, data_type::text FROM information_schema.columns \
                         WHERE table_name = $1",
                    )
                    .bind(*table)
                    .fetch_all(&mut *tx)
                    .await?
                    .into_iter()
                    .collect()
                } else {
                    Default::default()
                };
            let placeholders: Vec<String> =
                (1..=rows.columns.len()).map(|i| format!("${i}")).collect();
            let sql = format!(
                "INSERT INTO {table} ({}) VALUES ({})",
                rows.columns.join(", "),
                placeholders.join(", ")
            );
            for row in &rows.rows {
                let mut query = sqlx::query(&sql);
                for (column, value) in rows.columns.iter().zip(row) {
                    query = match value {
                        Value::Null => match types.get(column).map(String::as_str) {
                            Some("bigint" | "integer" | "smallint") => query.bind(None::<i64>),
                            Some("double precision" | "real" | "numeric") => {
                                query.bind(None::<f64>)
                            }
                            _ => query.bind(None::<String>),
                        },
                        Value::Bool(b) => query.bind(*b),
                        Value::Number(n) => match n.as_i64() {
                            Some(i) => query.bind(i),
                            None => query.bind(n.as_f64().unwrap_or_default()),
                        },
                        Value::String(s) => query.bind(s.clone()),
                        other => query.bind(other.to_string()),
                    };
                }
                query.execute(&mut *tx).await?;
                restored += 1;
            }
        }
        if self.backend == Backend::Postgres {
            // Generated ids go on after the restored ones. (Only tables that have an id are
            // asked: a failed statement would abort the whole transaction.)
            let with_id: Vec<(String,)> = sqlx::query_as(
                "SELECT table_name::text FROM information_schema.columns \
                 WHERE column_name = 'id' AND table_schema = current_schema()",
            )
            .fetch_all(&mut *tx)
            .await?;
            for (table,) in with_id.iter().filter(|(t,)| TABLES.contains(&t.as_str())) {
                let (sequence,): (Option<String>,) =
                    sqlx::query_as("SELECT pg_get_serial_sequence($1, 'id')::text")
                        .bind(table)
                        .fetch_one(&mut *tx)
                        .await?;
                if let Some(sequence) = sequence {
                    sqlx::query(&format!(
                        "SELECT setval('{sequence}', COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
                    ))
                    .execute(&mut *tx)
                    .await?;
                }
            }
        }
        tx.commit().await?;
        Ok(restored)
    }
}

/// A cell as JSON: whole numbers, reals, text or null, whatever the backend called them.
fn value_at(row: &sqlx::any::AnyRow, i: usize) -> Value {
    if let Ok(v) = row.try_get::<Option<i64>, _>(i) {
        return v.map_or(Value::Null, Value::from);
    }
    if let Ok(v) = row.try_get::<Option<f64>, _>(i) {
        return v.map_or(Value::Null, Value::from);
    }
    if let Ok(v) = row.try_get::<Option<String>, _>(i) {
        return v.map_or(Value::Null, Value::from);
    }
    if let Ok(v) = row.try_get::<Option<bool>, _>(i) {
        return v.map_or(Value::Null, Value::from);
    }
    Value::Null
}
