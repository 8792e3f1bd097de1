//! The audit log (操作日志): who changed what, when, with the value before and after. Every write
//! of the reporting cycle adds its entry in the same transaction as the change, so a change
//! without its entry cannot exist. The table refuses updates and deletes by trigger, and each
//! entry holds the SHA-256 of the one before it and of its own content: whoever removes the
//! triggers (a superuser, anyone holding the SQLite file) still cannot change, remove or insert
//! an entry without `duban audit verify` naming it.

use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::AnyConnection;

use crate::{Result, Store, now_rfc3339};

/// Who acts: an account, or the system itself (imports from the command line, the demo).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub account: Option<i64>,
    /// The login (or "系统") as it was at the time: an account may be renamed later.
    pub name: String,
}

impl Actor {
    pub fn system() -> Actor {
        Actor {
            account: None,
            name: "系统".to_owned(),
        }
    }
}

/// One line of the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub task_id: Option<i64>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

/// What a log entry records besides who and when.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Change<'a> {
    pub action: &'a str,
    pub entity: &'a str,
    pub task: Option<i64>,
    pub before: Option<&'a serde_json::Value>,
    pub after: Option<&'a serde_json::Value>,
}

/// The fields of an entry that its hash covers, in order.
struct Content<'a> {
    prev_hash: &'a str,
    at: &'a str,
    account: Option<i64>,
    actor: &'a str,
    action: &'a str,
    entity: &'a str,
    task: Option<i64>,
    before: Option<&'a str>,
    after: Option<&'a str>,
}

impl Content<'_> {
    /// SHA-256 of the fields, each preceded by its length so that no two entries share a text.
    fn hash(&self) -> String {
        let mut digest = Sha256::new();
        let number = |n: Option<i64>| n.map_or("-".to_owned(), |n| n.to_string());
        for field in [
            self.prev_hash,
            self.at,
            &number(self.account),
            self.actor,
            self.action,
            self.entity,
            &number(self.task),
            self.before.unwrap_or("-"),
            self.after.unwrap_or("-"),
        ] {
            digest.update(field.len().to_string().as_bytes());
            digest.update(b":");
            digest.update(field.as_bytes());
        }
        digest
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

/// Appends an entry, chained to the last one. Callers hold a write transaction; on PostgreSQL a
/// transaction lock also keeps two appends from chaining to the same entry.
pub(crate) async fn record(
    conn: &mut AnyConnection,
    actor: &Actor,
    change: Change<'_>,
) -> Result<()> {
    if conn.backend_name() == "PostgreSQL" {
        sqlx::query("SELECT pg_advisory_xact_lock(7364111)")
            .execute(&mut *conn)
            .await?;
    }
    let last: Option<(Option<String>,)> =
        sqlx::query_as("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1")
            .fetch_optional(&mut *conn)
            .await?;
    let prev_hash = last.and_then(|(h,)| h).unwrap_or_default();
    let at = now_rfc3339();
    let before = change.before.map(|v| v.to_string());
    let after = change.after.map(|v| v.to_string());
    let hash = Content {
        prev_hash: &prev_hash,
        at: &at,
        account: actor.account,
        actor: &actor.name,
        action: change.action,
        entity: change.entity,
        task: change.task,
        before: before.as_deref(),
        after: after.as_deref(),
    }
    .hash();
    sqlx::query(
        "INSERT INTO audit_log (at, account_id, actor, action, entity, task_id, before, after, \
         prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&at)
    .bind(actor.account)
    .bind(&actor.name)
    .bind(change.action)
    .bind(change.entity)
    .bind(change.task)
    .bind(before)
    .bind(after)
    .bind(&prev_hash)
    .bind(&hash)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// What `duban audit verify` found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditCheck {
    pub entries: usize,
    /// Entries written before the log was chained (an older database).
    pub unchained: usize,
    /// The first entry that does not match: its id and what is wrong.
    pub broken: Option<(i64, String)>,
}

type ChainRow = (
    i64,
    String,
    Option<i64>,
    String,
    String,
    String,
    Option<i64>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

impl Store {
    /// Walks the log in order and checks every entry against its hash and its predecessor's.
    pub async fn verify_audit(&self) -> Result<AuditCheck> {
        let rows: Vec<ChainRow> = sqlx::query_as(
            "SELECT id, at, account_id, actor, action, entity, task_id, before, after, \
             prev_hash, hash FROM audit_log ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut check = AuditCheck {
            entries: rows.len(),
            unchained: 0,
            broken: None,
        };
        let mut previous: Option<String> = None;
        for (id, at, account, actor, action, entity, task, before, after, prev_hash, hash) in rows {
            let (Some(prev_hash), Some(hash)) = (prev_hash, hash) else {
                if previous.is_some() {
                    check.broken = Some((id, "这条记录没有哈希：链条在此被改动".to_owned()));
                    break;
                }
                check.unchained += 1;
                continue;
            };
            let expected_prev = previous.clone().unwrap_or_default();
            if prev_hash != expected_prev {
                check.broken = Some((
                    id,
                    "与上一条记录的链接断开：其前有记录被删除、插入或改动".to_owned(),
                ));
                break;
            }
            let computed = Content {
                prev_hash: &prev_hash,
                at: &at,
                account,
                actor: &actor,
                action: &action,
                entity: &entity,
                task,
                before: before.as_deref(),
                after: after.as_deref(),
            }
            .hash();
            if computed != hash {
                check.broken = Some((id, "内容与记录时的哈希不符：这条记录被改动过".to_owned()));
                break;
            }
            previous = Some(hash);
        }
        Ok(check)
    }
}

type AuditRow = (
    i64,
    String,
    String,
    String,
    String,
    Option<i64>,
    Option<String>,
    Option<String>,
);

impl Store {
    /// The latest entries, newest first; only those about one task when `task` is given.
    pub async fn audit_log(&self, task: Option<i64>, limit: i64) -> Result<Vec<AuditEntry>> {
        let rows: Vec<AuditRow> =
            match task {
                Some(task) => sqlx::query_as(
                    "SELECT id, at, actor, action, entity, task_id, before, after FROM audit_log \
                     WHERE task_id = $1 ORDER BY id DESC LIMIT $2",
                )
                .bind(task)
                .bind(limit)
                .fetch_all(&self.pool)
                .await?,
                None => sqlx::query_as(
                    "SELECT id, at, actor, action, entity, task_id, before, after FROM audit_log \
                     ORDER BY id DESC LIMIT $1",
                )
                .bind(limit)
                .fetch_all(&self.pool)
                .await?,
            };
        let json = |text: Option<String>| text.and_then(|t| serde_json::from_str(&t).ok());
        Ok(rows
            .into_iter()
            .map(
                |(id, at, actor, action, entity, task_id, before, after)| AuditEntry {
                    id,
                    at,
                    actor,
                    action,
                    entity,
                    task_id,
                    before: json(before),
                    after: json(after),
                },
            )
            .collect())
    }
}
