//! Accounts (账号), their sessions and failed logins. Passwords arrive here already hashed and
//! session tokens as hashes: the store never sees a secret it could leak.

use duban_core::{AccountRole, LeaderId, UnitId, normalize_name};
use serde::Serialize;
use serde_json::json;

use crate::audit::{self, Actor, Change};
use crate::units::find_unit;
use crate::{Result, Store, StoreError, corrupt, now_rfc3339};

/// An account as the application sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Account {
    pub id: i64,
    pub login: String,
    pub name: String,
    pub role: AccountRole,
    pub unit: Option<UnitRef>,
    pub leader: Option<LeaderRef>,
    /// ed25519 public key (base64) of a unit head.
    pub public_key: Option<String>,
    /// Disabled by the office: cannot log in; the history stays.
    pub disabled: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct UnitRef {
    pub id: UnitId,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct LeaderRef {
    pub id: LeaderId,
    pub name: String,
}

impl Account {
    pub fn actor(&self) -> Actor {
        Actor {
            account: Some(self.id),
            name: self.login.clone(),
        }
    }
}

/// What creating an account needs. `unit` and `leader` are names (aliases accepted).
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub login: String,
    pub name: String,
    pub role: AccountRole,
    pub unit: Option<String>,
    pub leader: Option<String>,
    pub password_hash: String,
    pub public_key: Option<String>,
    pub key_salt: Option<String>,
}

/// A new password for an account, already hashed, with a unit head's new key pair
/// (public key, salt).
#[derive(Debug, Clone)]
pub struct PasswordChange {
    pub password_hash: String,
    pub key: Option<(String, String)>,
    /// The session that stays open (the person's own, when they change their password).
    pub keep_session: Option<String>,
    /// change_password or reset_password, as the log names it.
    pub action: &'static str,
}

/// The secrets an account is checked against at login and when signing.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub account: Account,
    pub password_hash: String,
    pub key_salt: Option<String>,
}

type AccountRow = (
    i64,
    String,
    String,
    String,
    Option<i64>,
    Option<String>,
    Option<i64>,
    Option<String>,
    Option<String>,
    Option<String>,
);

const ACCOUNT_COLUMNS: &str = "a.id, a.login, a.name, a.role, a.unit_id, u.name, a.leader_id, l.name, a.public_key, a.disabled_at \
     FROM accounts a LEFT JOIN units u ON u.id = a.unit_id LEFT JOIN leaders l ON l.id = a.leader_id";

fn account_from_row(row: AccountRow) -> Result<Account> {
    let (id, login, name, role, unit_id, unit, leader_id, leader, public_key, disabled_at) = row;
    Ok(Account {
        id,
        login,
        name,
        role: role.parse().map_err(corrupt("角色"))?,
        unit: unit_id.zip(unit).map(|(id, name)| UnitRef {
            id: UnitId(id),
            name,
        }),
        leader: leader_id.zip(leader).map(|(id, name)| LeaderRef {
            id: LeaderId(id),
            name,
        }),
        public_key,
        disabled: disabled_at.is_some(),
    })
}

impl Store {
    /// Creates an account. A reporter or head needs a known unit; a leader account is tied to a
    /// leader named in the ledgers when one is given.
    pub async fn create_account(&self, new: &NewAccount, actor: &Actor) -> Result<Account> {
        let login = new.login.trim();
        if login.is_empty() || login.chars().any(char::is_whitespace) {
            return Err(StoreError::Conflict(format!(
                "登录名 \"{login}\" 无效：不能为空，不能含空格"
            )));
        }
        if new.role.needs_unit() && new.unit.is_none() {
            return Err(StoreError::Conflict(format!(
                "{}账号须指定所属单位",
                new.role.label_zh()
            )));
        }
        let mut tx = self.begin_write().await?;
        let taken: Option<(i64,)> = sqlx::query_as("SELECT id FROM accounts WHERE login = $1")
            .bind(login)
            .fetch_optional(&mut *tx)
            .await?;
        if taken.is_some() {
            return Err(StoreError::Conflict(format!("登录名 \"{login}\" 已被使用")));
        }
        let unit = match &new.unit {
            Some(name) => {
                Some(
                    find_unit(&mut tx, name)
                        .await?
                        .ok_or_else(|| StoreError::NotFound {
                            what: "单位",
                            name: name.clone(),
                            hint: String::new(),
                        })?,
                )
            }
            None => None,
        };
        let leader = match &new.leader {
            Some(name) => {
                let name = normalize_name(name);
                let row: Option<(i64,)> = sqlx::query_as("SELECT id FROM leaders WHERE name = $1")
                    .bind(&name)
                    .fetch_optional(&mut *tx)
                    .await?;
                Some(row.map(|(id,)| id).ok_or(StoreError::NotFound {
                    what: "分管领导",
                    name,
                    hint: String::new(),
                })?)
            }
            None => None,
        };
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO accounts (login, name, role, unit_id, leader_id, password_hash, public_key, key_salt, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(login)
        .bind(new.name.trim())
        .bind(new.role.code())
        .bind(unit.map(|u| u.0))
        .bind(leader)
        .bind(&new.password_hash)
        .bind(&new.public_key)
        .bind(&new.key_salt)
        .bind(now_rfc3339())
        .fetch_one(&mut *tx)
        .await?;
        let account = account_by_id(&mut tx, id).await?;
        let after = json!({
            "login": account.login, "name": account.name, "role": account.role,
            "unit": account.unit.as_ref().map(|u| &u.name),
            "leader": account.leader.as_ref().map(|l| &l.name),
            "public_key": account.public_key,
        });
        audit::record(
            &mut tx,
            actor,
            Change {
                action: "create_account",
                entity: &format!("account:{id}"),
                task: None,
                before: None,
                after: Some(&after),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(account)
    }

    pub async fn accounts(&self) -> Result<Vec<Account>> {
        let rows: Vec<AccountRow> = sqlx::query_as(&format!(
            "SELECT {ACCOUNT_COLUMNS} ORDER BY a.role, a.login"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(account_from_row).collect()
    }

    /// The account and its secrets, for checking a login or a signature.
    pub async fn credentials(&self, login: &str) -> Result<Option<Credentials>> {
        let row: Option<(i64, String, Option<String>)> =
            sqlx::query_as("SELECT id, password_hash, key_salt FROM accounts WHERE login = $1")
                .bind(login.trim())
                .fetch_optional(&self.pool)
                .await?;
        let Some((id, password_hash, key_salt)) = row else {
            return Ok(None);
        };
        let mut conn = self.pool.acquire().await?;
        Ok(Some(Credentials {
            account: account_by_id(&mut conn, id).await?,
            password_hash,
            key_salt,
        }))
    }

    /// Starts a session. `token_hash` is the hash of the cookie's token.
    pub async fn create_session(
        &self,
        token_hash: &str,
        account: &Account,
        csrf: &str,
        expires_at: i64,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO sessions (token_hash, account_id, csrf, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash)
        .bind(account.id)
        .bind(csrf)
        .bind(now_rfc3339())
        .bind(expires_at)
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            &account.actor(),
            Change {
                action: "login",
                entity: &format!("account:{}", account.id),
                task: None,
                before: None,
                after: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The account of a live session and its CSRF token.
    pub async fn session(&self, token_hash: &str, now: i64) -> Result<Option<(Account, String)>> {
        let row: Option<(i64, String)> = sqlx::query_as(
            "SELECT s.account_id, s.csrf FROM sessions s JOIN accounts a ON a.id = s.account_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND a.disabled_at IS NULL",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        let Some((id, csrf)) = row else {
            return Ok(None);
        };
        let mut conn = self.pool.acquire().await?;
        Ok(Some((account_by_id(&mut conn, id).await?, csrf)))
    }

    /// Gives an account a new password hash (and a unit head a new key pair, the old public key
    /// kept so that earlier signatures still verify); ends the account's other sessions.
    /// `action` names it in the log: change_password (by the person) or reset_password (by the
    /// office).
    pub async fn set_password(
        &self,
        account: &Account,
        change: &PasswordChange,
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        if let (Some(old), Some((new, _))) = (&account.public_key, &change.key)
            && old != new
        {
            {
                sqlx::query(
                    "INSERT INTO account_keys (account_id, public_key, replaced_at) VALUES ($1, $2, $3) \
                     ON CONFLICT (account_id, public_key) DO NOTHING",
                )
                .bind(account.id)
                .bind(old)
                .bind(now_rfc3339())
                .execute(&mut *tx)
                .await?;
            }
        }
        sqlx::query(
            "UPDATE accounts SET password_hash = $1, \
             public_key = COALESCE($2, public_key), key_salt = COALESCE($3, key_salt) WHERE id = $4",
        )
        .bind(&change.password_hash)
        .bind(change.key.as_ref().map(|(k, _)| k.clone()))
        .bind(change.key.as_ref().map(|(_, s)| s.clone()))
        .bind(account.id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM sessions WHERE account_id = $1 AND token_hash <> $2")
            .bind(account.id)
            .bind(change.keep_session.as_deref().unwrap_or(""))
            .execute(&mut *tx)
            .await?;
        log_account(&mut tx, actor, change.action, account).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Disables an account (its sessions end; its history stays) or enables it again.
    pub async fn set_disabled(
        &self,
        login: &str,
        disabled: bool,
        actor: &Actor,
    ) -> Result<Account> {
        let mut tx = self.begin_write().await?;
        let found: Option<(i64,)> = sqlx::query_as("SELECT id FROM accounts WHERE login = $1")
            .bind(login.trim())
            .fetch_optional(&mut *tx)
            .await?;
        let Some((id,)) = found else {
            return Err(StoreError::NotFound {
                what: "账号",
                name: login.trim().to_owned(),
                hint: "duban account list 列出现有账号".to_owned(),
            });
        };
        sqlx::query("UPDATE accounts SET disabled_at = $1 WHERE id = $2")
            .bind(disabled.then(now_rfc3339))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if disabled {
            sqlx::query("DELETE FROM sessions WHERE account_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        let account = account_by_id(&mut tx, id).await?;
        let action = if disabled {
            "disable_account"
        } else {
            "enable_account"
        };
        log_account(&mut tx, actor, action, &account).await?;
        tx.commit().await?;
        Ok(account)
    }

    /// Every public key each unit head has signed with, current and former, by login.
    pub async fn signing_keys(&self) -> Result<Vec<(String, String)>> {
        Ok(sqlx::query_as(
            "SELECT login, public_key FROM accounts WHERE public_key IS NOT NULL \
             UNION SELECT a.login, k.public_key FROM account_keys k JOIN accounts a ON a.id = k.account_id",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    /// Ends a session, and any session that has expired.
    pub async fn end_session(&self, token_hash: &str, now: i64) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1 OR expires_at <= $2")
            .bind(token_hash)
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Records a login attempt before its password is checked (kept in the database, so that
    /// every server process counts the same attempts) and returns how many attempts, this one
    /// included, were made since `since`: for this login name from this client, for this login
    /// name from anywhere, and from this client under any name. Recording and counting are one
    /// step, taken by one attempt at a time
    /// (SQLite's write lock; on PostgreSQL a transaction lock), so forty attempts sent at once
    /// count 1 to 40 and only those within the limit have their password checked. The caller
    /// clears the attempts of a login that succeeds.
    pub async fn reserve_login_attempt(
        &self,
        login: &str,
        client: &str,
        now: i64,
        since: i64,
    ) -> Result<LoginAttempts> {
        let mut tx = self.begin_write().await?;
        if self.backend == crate::Backend::Postgres {
            // One key for all login attempts: held for an insert and a count, never while a
            // password is hashed.
            sqlx::query("SELECT pg_advisory_xact_lock(7364110)")
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("INSERT INTO login_failures (login, client, at) VALUES ($1, $2, $3)")
            .bind(login)
            .bind(client)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        let (pair, login_count, client_count): (i64, i64, i64) = sqlx::query_as(
            "SELECT \
               (SELECT COUNT(*) FROM login_failures WHERE login = $1 AND client = $2 AND at > $3), \
               (SELECT COUNT(*) FROM login_failures WHERE login = $1 AND at > $3), \
               (SELECT COUNT(*) FROM login_failures WHERE client = $2 AND at > $3)",
        )
        .bind(login)
        .bind(client)
        .bind(since)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(LoginAttempts {
            from_client: pair,
            for_login: login_count,
            by_client: client_count,
        })
    }

    /// Failed logins since `since` for this login name or from this client, whichever is more.
    pub async fn login_failures(&self, login: &str, client: &str, since: i64) -> Result<i64> {
        let (by_login, by_client): (i64, i64) = sqlx::query_as(
            "SELECT \
               (SELECT COUNT(*) FROM login_failures WHERE login = $1 AND at > $3), \
               (SELECT COUNT(*) FROM login_failures WHERE client = $2 AND at > $3)",
        )
        .bind(login)
        .bind(client)
        .bind(since)
        .fetch_one(&self.pool)
        .await?;
        Ok(by_login.max(by_client))
    }

    /// The office lifts the login block of an account: its recent attempts are forgotten, and
    /// the lifting is logged. Returns how many attempts were forgotten.
    pub async fn lift_login_block(&self, login: &str, actor: &crate::Actor) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        let (count,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM login_failures WHERE login = $1")
                .bind(login)
                .fetch_one(&mut *tx)
                .await?;
        sqlx::query("DELETE FROM login_failures WHERE login = $1")
            .bind(login)
            .execute(&mut *tx)
            .await?;
        let what = serde_json::json!({ "login": login, "attempts": count });
        crate::audit::record(
            &mut tx,
            actor,
            crate::audit::Change {
                action: "unblock_login",
                entity: "account",
                task: None,
                before: None,
                after: Some(&what),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(count)
    }

    /// Forgets the failures of a login name after it logged in, and all that are older than
    /// `before`.
    pub async fn clear_login_failures(&self, login: &str, before: i64) -> Result<()> {
        sqlx::query("DELETE FROM login_failures WHERE login = $1 OR at <= $2")
            .bind(login)
            .bind(before)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

/// Recent login attempts, this one included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginAttempts {
    /// For this login name from this client.
    pub from_client: i64,
    /// For this login name from anywhere.
    pub for_login: i64,
    /// From this client under any name.
    pub by_client: i64,
}

/// Logs a change to an account, naming it by login and name (never a secret).
async fn log_account(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    actor: &Actor,
    action: &str,
    account: &Account,
) -> Result<()> {
    let after = json!({ "login": account.login, "name": account.name });
    audit::record(
        tx,
        actor,
        Change {
            action,
            entity: &format!("account:{}", account.id),
            task: None,
            before: None,
            after: Some(&after),
        },
    )
    .await
}

pub(crate) async fn account_by_id(conn: &mut sqlx::AnyConnection, id: i64) -> Result<Account> {
    let row: AccountRow = sqlx::query_as(&format!("SELECT {ACCOUNT_COLUMNS} WHERE a.id = $1"))
        .bind(id)
        .fetch_one(&mut *conn)
        .await?;
    account_from_row(row)
}
