//! Accounts (账号) and unit aliases: created by the office in the browser or the API, or on the
//! command line for the first office account.

use duban_core::AccountRole;
use duban_store::{Account, Actor, AliasOutcome, NewAccount};

use crate::{App, Error, auth};

/// An account to create, with its password in the clear (hashed before it is stored); the
/// page's form and the API's JSON alike.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct AccountRequest {
    pub login: String,
    pub name: String,
    pub password: String,
    pub role: AccountRole,
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub leader: Option<String>,
}

/// Creates an account with a hashed password, and a signing key for a unit head.
pub async fn create(app: &App, actor: &Actor, request: AccountRequest) -> Result<Account, Error> {
    if request.password.chars().count() < 10 {
        return Err(Error::BadRequest("密码至少 10 位".to_owned()));
    }
    let password = request.password.clone();
    let head = request.role == AccountRole::Head;
    // Two argon2 runs for a head (the hash and the key): off the request threads.
    let (hash, keys) = auth::off_thread(move || {
        let keys = if head {
            Some(auth::new_key_material(&password)?)
        } else {
            None
        };
        Ok::<_, Error>((auth::hash_password(&password)?, keys))
    })
    .await??;
    let new = NewAccount {
        login: request.login,
        name: request.name,
        role: request.role,
        unit: request.unit.filter(|u| !u.trim().is_empty()),
        leader: request.leader.filter(|l| !l.trim().is_empty()),
        password_hash: hash,
        public_key: keys.as_ref().map(|k| k.public_key.clone()),
        key_salt: keys.map(|k| k.salt),
    };
    Ok(app.store.create_account(&new, actor).await?)
}

/// Lifts an account's login block; the message says what was done.
pub async fn lift_block(app: &App, account: &Account, login: &str) -> Result<String, Error> {
    let login = login.trim();
    if app.store.credentials(login).await?.is_none() {
        return Err(Error::NotFound(format!("账号 {login} 不存在")));
    }
    let count = app.store.lift_login_block(login, &account.actor()).await?;
    Ok(format!(
        "已解除账号 {login} 的登录限制（清除 {count} 次失败记录）"
    ))
}

/// What registering an alias did, in words, and how many tasks moved to the unit.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct AliasResult {
    pub message: String,
    pub tasks_moved: i64,
}

/// Registers `alias` as another name of the unit `name` (merging a unit imported under the alias).
pub async fn add_alias(
    app: &App,
    account: &Account,
    name: &str,
    alias: &str,
) -> Result<AliasResult, Error> {
    let outcome = app
        .store
        .add_alias_as(name, alias, &account.actor())
        .await?;
    let alias = alias.trim();
    Ok(match outcome {
        AliasOutcome::Added => AliasResult {
            message: format!("已登记：“{alias}”即“{name}”"),
            tasks_moved: 0,
        },
        AliasOutcome::Unchanged => AliasResult {
            message: format!("“{alias}”早已登记为“{name}”的别名"),
            tasks_moved: 0,
        },
        AliasOutcome::Merged { tasks_moved } => AliasResult {
            message: format!("已登记“{alias}”，原单独导入的 {tasks_moved} 项任务并入“{name}”"),
            tasks_moved,
        },
    })
}
