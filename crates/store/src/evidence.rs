//! Evidence (证明材料) attached to a unit's report or target for a period: each file stored once
//! by its SHA-256, listed with the name it was uploaded under.

use base64::Engine;
use duban_core::{Period, ReportKind, ReportState, UnitId};
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::accounts::Account;
use crate::audit::{self, Change};
use crate::ledgers::parse_period;
use crate::reports::report_table;
use crate::{Result, Store, StoreError, now_rfc3339};

/// A file attached to a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Attachment {
    pub id: i64,
    /// progress (完成情况) or target (阶段目标).
    pub kind: ReportKind,
    pub task_id: i64,
    pub period: Period,
    pub unit: String,
    pub unit_id: i64,
    pub name: String,
    pub mime: String,
    pub size: i64,
    /// SHA-256 of the content, hex.
    pub hash: String,
    pub added_by: Option<String>,
    pub added_at: String,
}

/// A file to attach, its type already checked from its content.
#[derive(Debug, Clone)]
pub struct NewAttachment<'a> {
    pub kind: ReportKind,
    pub task: i64,
    pub period: Period,
    pub name: &'a str,
    pub mime: &'a str,
    pub bytes: &'a [u8],
}

type Row = (
    i64,
    String,
    i64,
    String,
    String,
    i64,
    String,
    String,
    i64,
    String,
    Option<String>,
    String,
);

const SELECT: &str = "SELECT a.id, a.kind, a.task_id, a.period, u.name, a.unit_id, a.name, b.mime, \
     b.size, a.hash, ac.login, a.added_at \
     FROM attachments a JOIN blobs b ON b.hash = a.hash JOIN units u ON u.id = a.unit_id \
     LEFT JOIN accounts ac ON ac.id = a.added_by";

fn from_row(row: Row) -> Result<Attachment> {
    let (id, kind, task_id, period, unit, unit_id, name, mime, size, hash, added_by, added_at) =
        row;
    Ok(Attachment {
        id,
        kind: kind.parse().map_err(crate::corrupt("报送内容"))?,
        task_id,
        period: parse_period(&period)?,
        unit,
        unit_id,
        name,
        mime,
        size,
        hash,
        added_by,
        added_at,
    })
}

/// The SHA-256 of a file, hex.
pub fn content_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Stores a file's content once (by its SHA-256) and returns the hash.
pub(crate) async fn put_blob(
    conn: &mut sqlx::AnyConnection,
    bytes: &[u8],
    mime: &str,
) -> Result<String> {
    let hash = content_hash(bytes);
    sqlx::query(
        "INSERT INTO blobs (hash, size, mime, data, created_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (hash) DO NOTHING",
    )
    .bind(&hash)
    .bind(i64::try_from(bytes.len()).unwrap_or(i64::MAX))
    .bind(mime)
    .bind(base64::engine::general_purpose::STANDARD.encode(bytes))
    .bind(now_rfc3339())
    .execute(&mut *conn)
    .await?;
    Ok(hash)
}

impl Store {
    /// Attaches a file to the account's unit's report (or target) while the unit may still change
    /// it; the content is stored once, whoever attaches it again and wherever.
    pub async fn attach(&self, account: &Account, new: &NewAttachment<'_>) -> Result<Attachment> {
        let unit: UnitId = account
            .unit
            .as_ref()
            .map(|u| u.id)
            .ok_or_else(|| StoreError::Forbidden("只有责任单位可以上传证明材料".to_owned()))?;
        let mut tx = self.begin_write().await?;
        let role: Option<(String,)> =
            sqlx::query_as("SELECT role FROM task_units WHERE task_id = $1 AND unit_id = $2")
                .bind(new.task)
                .bind(unit.0)
                .fetch_optional(&mut *tx)
                .await?;
        if role.is_none() {
            return Err(StoreError::Forbidden(
                "该单位不是此任务的责任单位".to_owned(),
            ));
        }
        let state: Option<(String,)> = sqlx::query_as(&format!(
            "SELECT state FROM {} WHERE task_id = $1 AND period = $2 AND unit_id = $3",
            report_table(new.kind)
        ))
        .bind(new.task)
        .bind(new.period.to_string())
        .bind(unit.0)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some((state,)) = state {
            let state: ReportState = state.parse().map_err(crate::corrupt("报送状态"))?;
            if !state.is_editable() {
                return Err(StoreError::Conflict(format!(
                    "报送状态为“{}”，不能再添加证明材料（退回后可以）",
                    state.label_zh()
                )));
            }
        }
        // The files are part of what the head signs: a new one makes the report a new version,
        // so an approval of what was seen before is refused as out of date.
        sqlx::query(&format!(
            "UPDATE {} SET version = version + 1 WHERE task_id = $1 AND period = $2 AND unit_id = $3",
            report_table(new.kind)
        ))
        .bind(new.task)
        .bind(new.period.to_string())
        .bind(unit.0)
        .execute(&mut *tx)
        .await?;
        let hash = put_blob(&mut tx, new.bytes, new.mime).await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO attachments (kind, task_id, period, unit_id, hash, name, added_by, added_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(new.kind.code())
        .bind(new.task)
        .bind(new.period.to_string())
        .bind(unit.0)
        .bind(&hash)
        .bind(new.name)
        .bind(account.id)
        .bind(now_rfc3339())
        .fetch_one(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            &account.actor(),
            Change {
                action: "attach",
                entity: &format!("attachment:{id}"),
                task: Some(new.task),
                before: None,
                after: Some(&json!({
                    "kind": new.kind, "period": new.period, "name": new.name, "hash": hash,
                    "size": new.bytes.len(),
                })),
            },
        )
        .await?;
        tx.commit().await?;
        self.attachment(id).await
    }

    pub async fn attachment(&self, id: i64) -> Result<Attachment> {
        let row: Option<Row> = sqlx::query_as(&format!("{SELECT} WHERE a.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        from_row(row.ok_or_else(|| StoreError::NotFound {
            what: "证明材料",
            name: id.to_string(),
            hint: String::new(),
        })?)
    }

    /// The files attached on a task, by period and unit.
    pub async fn task_attachments(&self, task: i64) -> Result<Vec<Attachment>> {
        let rows: Vec<Row> = sqlx::query_as(&format!(
            "{SELECT} WHERE a.task_id = $1 ORDER BY a.period, a.unit_id, a.id"
        ))
        .bind(task)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(from_row).collect()
    }

    /// The evidence of a ledger's period that reached the office (reports submitted or
    /// accepted): (序号, unit, file name), by task and unit.
    pub async fn period_evidence(
        &self,
        ledger: i64,
        period: Period,
    ) -> Result<Vec<(i64, String, String)>> {
        Ok(sqlx::query_as(
            "SELECT t.seq, u.name, a.name FROM attachments a \
             JOIN tasks t ON t.id = a.task_id JOIN units u ON u.id = a.unit_id \
             JOIN reports r ON r.task_id = a.task_id AND r.period = a.period AND r.unit_id = a.unit_id \
             WHERE t.ledger_id = $1 AND a.period = $2 AND a.kind = 'progress' \
             AND r.state IN ('submitted', 'accepted') ORDER BY t.seq, u.name, a.id",
        )
        .bind(ledger)
        .bind(period.to_string())
        .fetch_all(&self.pool)
        .await?)
    }

    /// A file's bytes.
    pub async fn attachment_bytes(&self, hash: &str) -> Result<Vec<u8>> {
        let (data,): (String,) = sqlx::query_as("SELECT data FROM blobs WHERE hash = $1")
            .bind(hash)
            .fetch_one(&self.pool)
            .await?;
        base64::engine::general_purpose::STANDARD
            .decode(data)
            .map_err(|e| StoreError::Corrupt {
                what: "证明材料",
                message: e.to_string(),
            })
    }
}
