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

/// A person's old password and the new one (the page's form and the API alike).
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct PasswordForm {
    pub old: String,
    pub new: String,
}

/// Disabling (or enabling again) an account.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct DisableForm {
    pub login: String,
    /// true: disable; false: enable again.
    pub disabled: bool,
}

/// The office's new password for an account.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct ResetForm {
    pub login: String,
    /// At least 10 characters; told to the person in person.
    pub password: String,
}

/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 10;

fn check_length(password: &str) -> Result<(), Error> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(Error::BadRequest(format!(
            "密码至少 {MIN_PASSWORD_CHARS} 位"
        )));
    }
    Ok(())
}

/// The hash of a new password and, for a unit head, a key pair derived from it (public key,
/// salt): two argon2 runs, off the request threads.
async fn secrets(password: &str, head: bool) -> Result<(String, Option<auth::KeyMaterial>), Error> {
    let password = password.to_owned();
    auth::off_thread(move || {
        let keys = if head {
            Some(auth::new_key_material(&password)?)
        } else {
            None
        };
        Ok::<_, Error>((auth::hash_password(&password)?, keys))
    })
    .await?
}

/// Creates an account with a hashed password, and a signing key for a unit head.
pub async fn create(app: &App, actor: &Actor, request: AccountRequest) -> Result<Account, Error> {
    check_length(&request.password)?;
    let (hash, keys) = secrets(&request.password, request.role == AccountRole::Head).await?;
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

/// A person changes their own password, giving the old one; a unit head's signing key follows the
/// new password (the old public key is kept, so earlier signatures still verify). The person's
/// other sessions end; `session` (the current one, by its hash) stays open.
pub async fn change_password(
    app: &App,
    account: &Account,
    old: &str,
    new: &str,
    session: Option<&str>,
) -> Result<(), Error> {
    let credentials = app
        .store
        .credentials(&account.login)
        .await?
        .ok_or(Error::Unauthenticated)?;
    let (old, hash) = (old.to_owned(), credentials.password_hash.clone());
    if !auth::off_thread(move || auth::verify_password(&old, &hash)).await? {
        return Err(Error::Forbidden("原密码不正确".to_owned()));
    }
    check_length(new)?;
    set_password(
        app,
        account,
        new,
        session,
        "change_password",
        &account.actor(),
    )
    .await
}

/// The office gives an account a new password (forgotten, or a new person in the post); all its
/// sessions end, and a unit head gets a key pair from it.
pub async fn reset_password(
    app: &App,
    actor: &Actor,
    login: &str,
    new: &str,
) -> Result<Account, Error> {
    check_length(new)?;
    let account = app
        .store
        .credentials(login)
        .await?
        .ok_or_else(|| Error::NotFound(format!("账号 {} 不存在", login.trim())))?
        .account;
    if actor.account == Some(account.id) {
        return Err(Error::Conflict(
            "自己的密码请在“修改密码”中修改（须输入原密码）".to_owned(),
        ));
    }
    set_password(app, &account, new, None, "reset_password", actor).await?;
    Ok(account)
}

async fn set_password(
    app: &App,
    account: &Account,
    new: &str,
    keep_session: Option<&str>,
    action: &'static str,
    actor: &Actor,
) -> Result<(), Error> {
    let (password_hash, keys) = secrets(new, account.role == AccountRole::Head).await?;
    let change = duban_store::PasswordChange {
        password_hash,
        key: keys.map(|k| (k.public_key, k.salt)),
        keep_session: keep_session.map(str::to_owned),
        action,
    };
    app.store.set_password(account, &change, actor).await?;
    Ok(())
}

/// Disables an account (it cannot log in; its sessions end; its history stays) or enables it.
pub async fn set_disabled(
    app: &App,
    actor: &Actor,
    login: &str,
    disabled: bool,
) -> Result<Account, Error> {
    if disabled {
        let accounts = app.store.accounts().await?;
        let target = accounts.iter().find(|a| a.login == login.trim());
        if let Some(target) = target {
            if actor.account == Some(target.id) {
                return Err(Error::Conflict("不能停用自己正在使用的账号".to_owned()));
            }
            // Someone must be able to log in and enable the others again.
            let offices = accounts
                .iter()
                .filter(|a| a.role == AccountRole::Office && !a.disabled)
                .count();
            if target.role == AccountRole::Office && !target.disabled && offices <= 1 {
                return Err(Error::Conflict(
                    "这是最后一个可用的督查室账号，不能停用".to_owned(),
                ));
            }
        }
    }
    Ok(app.store.set_disabled(login, disabled, actor).await?)
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
