//! Channels that reach people (a unit's mailbox or group robot, a person's e-mail), the log of
//! what was delivered, and the lease that lets one server process of several do the sending.

use duban_core::UnitId;
use serde::Serialize;
use serde_json::json;

use crate::audit::{self, Actor, Change};
use crate::units::find_unit;
use crate::{Result, Store, StoreError, now_rfc3339};

/// A channel as the office registered it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Channel {
    pub id: i64,
    /// email, dingtalk or wecom.
    pub kind: String,
    pub address: String,
    /// Whether a DingTalk robot signs with a secret (the secret itself is never shown).
    pub signed: bool,
    #[serde(skip)]
    pub secret: Option<String>,
    /// The unit it reaches (its mailbox or group), or the unit of the person it reaches.
    pub unit: Option<String>,
    pub unit_id: Option<i64>,
    /// The person's login, for a person's own e-mail.
    pub account: Option<String>,
    /// The person's role (head, reporter, leader …), for a person's own e-mail.
    pub role: Option<String>,
    /// The leader a leader's account stands for.
    pub leader: Option<String>,
}

/// Who a message (消息) is for: a unit's people, a leader (分管领导), or the office.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recipient {
    Unit(UnitId),
    Leader(i64),
    Office,
}

impl Recipient {
    fn key(&self) -> String {
        match self {
            Recipient::Unit(unit) => format!("unit:{}", unit.0),
            Recipient::Leader(id) => format!("leader:{id}"),
            Recipient::Office => "office".to_owned(),
        }
    }

    /// Whose messages an account reads: its unit's, its leader's, or the office's; none for the
    /// public.
    pub fn of(account: &crate::Account) -> Option<Recipient> {
        use duban_core::AccountRole;
        match account.role {
            AccountRole::Office => Some(Recipient::Office),
            AccountRole::Leader => account.leader.as_ref().map(|l| Recipient::Leader(l.id.0)),
            AccountRole::Reporter | AccountRole::Head => {
                account.unit.as_ref().map(|u| Recipient::Unit(u.id))
            }
            AccountRole::Public => None,
        }
    }
}

/// A channel to add: for a unit, or for one person (an account).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewChannel {
    pub unit: Option<String>,
    pub account: Option<String>,
    pub kind: String,
    pub address: String,
    pub secret: Option<String>,
}

/// One message of the delivery log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Delivery {
    pub id: i64,
    pub channel_id: i64,
    pub kind: String,
    pub address: String,
    pub day: String,
    pub subject: String,
    pub body: String,
    /// sent or failed.
    pub state: String,
    pub attempts: i64,
    pub error: Option<String>,
    pub created_at: String,
    pub sent_at: Option<String>,
}

type ChannelRow = (
    i64,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<String>,
    Option<String>,
    Option<String>,
);

const CHANNEL_SELECT: &str = "SELECT c.id, c.kind, c.address, c.secret, \
     COALESCE(u.name, au.name), COALESCE(c.unit_id, a.unit_id), a.login, a.role, l.name \
     FROM notify_channels c LEFT JOIN units u ON u.id = c.unit_id \
     LEFT JOIN accounts a ON a.id = c.account_id LEFT JOIN units au ON au.id = a.unit_id \
     LEFT JOIN leaders l ON l.id = a.leader_id";

fn channel_from_row(
    (id, kind, address, secret, unit, unit_id, account, role, leader): ChannelRow,
) -> Channel {
    Channel {
        id,
        kind,
        address,
        signed: secret.as_deref().is_some_and(|s| !s.is_empty()),
        secret,
        unit,
        unit_id,
        account,
        role,
        leader,
    }
}

impl Store {
    /// Registers a channel, with its audit entry.
    pub async fn add_channel(&self, actor: &Actor, new: &NewChannel) -> Result<Channel> {
        let mut tx = self.begin_write().await?;
        let (unit, account) = match (&new.unit, &new.account) {
            (Some(unit), None) => {
                let id = find_unit(&mut tx, unit)
                    .await?
                    .ok_or_else(|| StoreError::NotFound {
                        what: "单位",
                        name: unit.clone(),
                        hint: "：先导入有该单位的台账，或用 duban units 查看单位名称".to_owned(),
                    })?;
                (Some(id.0), None)
            }
            (None, Some(login)) => {
                let row: Option<(i64,)> =
                    sqlx::query_as("SELECT id FROM accounts WHERE login = $1")
                        .bind(login)
                        .fetch_optional(&mut *tx)
                        .await?;
                let (id,) = row.ok_or_else(|| StoreError::NotFound {
                    what: "账号",
                    name: login.clone(),
                    hint: String::new(),
                })?;
                (None, Some(id))
            }
            _ => {
                return Err(StoreError::Conflict(
                    "渠道须属于一个单位（--unit）或一个账号（--account）".to_owned(),
                ));
            }
        };
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO notify_channels (unit_id, account_id, kind, address, secret, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(unit)
        .bind(account)
        .bind(&new.kind)
        .bind(new.address.trim())
        .bind(new.secret.as_deref().filter(|s| !s.is_empty()))
        .bind(now_rfc3339())
        .fetch_one(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            actor,
            Change {
                action: "add_channel",
                entity: &format!("channel:{id}"),
                task: None,
                before: None,
                after: Some(&json!({
                    "kind": new.kind, "address": new.address.trim(), "unit": new.unit,
                    "account": new.account, "signed": new.secret.is_some(),
                })),
            },
        )
        .await?;
        tx.commit().await?;
        self.channels()
            .await?
            .into_iter()
            .find(|c| c.id == id)
            .ok_or_else(|| StoreError::Conflict("渠道写入后无法读取".to_owned()))
    }

    /// Every channel, by unit.
    pub async fn channels(&self) -> Result<Vec<Channel>> {
        let rows: Vec<ChannelRow> = sqlx::query_as(&format!("{CHANNEL_SELECT} ORDER BY 5, c.id"))
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.into_iter().map(channel_from_row).collect())
    }

    /// The channels that reach a unit: its own and those of its people.
    pub async fn unit_channels(&self, unit: UnitId) -> Result<Vec<Channel>> {
        let rows: Vec<ChannelRow> = sqlx::query_as(&format!(
            "{CHANNEL_SELECT} WHERE c.unit_id = $1 OR a.unit_id = $1 ORDER BY c.id"
        ))
        .bind(unit.0)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(channel_from_row).collect())
    }

    /// The channels of the accounts that stand for these leaders (分管领导).
    pub async fn leader_channels(&self, leaders: &[String]) -> Result<Vec<Channel>> {
        Ok(self
            .channels()
            .await?
            .into_iter()
            .filter(|c| c.leader.as_ref().is_some_and(|l| leaders.contains(l)))
            .collect())
    }

    /// What the log says of a channel's digest for a day: (state, attempts).
    pub async fn delivery_state(&self, channel: i64, day: &str) -> Result<Option<(String, i64)>> {
        Ok(sqlx::query_as(
            "SELECT state, attempts FROM deliveries WHERE channel_id = $1 AND day = $2",
        )
        .bind(channel)
        .bind(day)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Records an attempt at a channel's digest for a day: sent, or failed with why.
    pub async fn record_delivery(
        &self,
        channel: i64,
        day: &str,
        subject: &str,
        body: &str,
        error: Option<&str>,
    ) -> Result<()> {
        let now = now_rfc3339();
        let state = if error.is_some() { "failed" } else { "sent" };
        let sent_at = error.is_none().then(|| now.clone());
        sqlx::query(
            "INSERT INTO deliveries (channel_id, day, subject, body, state, attempts, error, created_at, sent_at) \
             VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $8) \
             ON CONFLICT (channel_id, day) DO UPDATE SET subject = excluded.subject, \
             body = excluded.body, state = excluded.state, attempts = deliveries.attempts + 1, \
             error = excluded.error, sent_at = excluded.sent_at",
        )
        .bind(channel)
        .bind(day)
        .bind(subject)
        .bind(body)
        .bind(state)
        .bind(error)
        .bind(&now)
        .bind(sent_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The latest deliveries, newest first.
    pub async fn deliveries(&self, limit: i64) -> Result<Vec<Delivery>> {
        type Row = (
            i64,
            i64,
            String,
            String,
            String,
            String,
            String,
            String,
            i64,
            Option<String>,
            String,
            Option<String>,
        );
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT d.id, d.channel_id, c.kind, c.address, d.day, d.subject, d.body, d.state, \
                    d.attempts, d.error, d.created_at, d.sent_at \
             FROM deliveries d JOIN notify_channels c ON c.id = d.channel_id \
             ORDER BY d.day DESC, d.id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(
                |(
                    id,
                    channel_id,
                    kind,
                    address,
                    day,
                    subject,
                    body,
                    state,
                    attempts,
                    error,
                    created_at,
                    sent_at,
                )| {
                    Delivery {
                        id,
                        channel_id,
                        kind,
                        address,
                        day,
                        subject,
                        body,
                        state,
                        attempts,
                        error,
                        created_at,
                        sent_at,
                    }
                },
            )
            .collect())
    }

    /// Leaves the day's message for a recipient (replacing that day's earlier one).
    pub async fn put_message(
        &self,
        recipient: &Recipient,
        day: &str,
        subject: &str,
        body: &str,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO messages (recipient, day, subject, body, created_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (recipient, day) DO UPDATE SET subject = excluded.subject, body = excluded.body",
        )
        .bind(recipient.key())
        .bind(day)
        .bind(subject)
        .bind(body)
        .bind(now_rfc3339())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// A recipient's messages, newest first: (day, subject, body).
    pub async fn messages(
        &self,
        recipient: &Recipient,
        limit: i64,
    ) -> Result<Vec<(String, String, String)>> {
        Ok(sqlx::query_as(
            "SELECT day, subject, body FROM messages WHERE recipient = $1 ORDER BY day DESC LIMIT $2",
        )
        .bind(recipient.key())
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The leaders' ids by name.
    pub async fn leader_ids(&self) -> Result<std::collections::HashMap<String, i64>> {
        let rows: Vec<(String, i64)> = sqlx::query_as("SELECT name, id FROM leaders")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.into_iter().collect())
    }

    /// The channels of the office's people (their own e-mail).
    pub async fn office_channels(&self) -> Result<Vec<Channel>> {
        Ok(self
            .channels()
            .await?
            .into_iter()
            .filter(|c| c.role.as_deref() == Some("office"))
            .collect())
    }

    /// Takes (or renews) the lease `name` for `holder` until `now + seconds`; false while another
    /// holder's lease runs. One statement, so two processes cannot both take it.
    pub async fn take_lease(
        &self,
        name: &str,
        holder: &str,
        now: i64,
        seconds: i64,
    ) -> Result<bool> {
        let taken = sqlx::query(
            "INSERT INTO leases (name, holder, until_at) VALUES ($1, $2, $3) \
             ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until_at = excluded.until_at \
             WHERE leases.holder = excluded.holder OR leases.until_at < $4",
        )
        .bind(name)
        .bind(holder)
        .bind(now + seconds)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(taken.rows_affected() == 1)
    }
}
