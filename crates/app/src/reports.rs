//! Acting on a report (drafted, approved and signed by the unit head, submitted, reviewed) and
//! reminding a unit (催办); whether a signature holds.

use std::collections::HashMap;

use duban_core::{AccountRole, Period, ReportAction, ReportKind, Role, Status, UnitId};
use duban_store::{Account, ReportChange, ReportRecord};
use serde::Serialize;

use crate::access::visible_task;
use crate::{App, Error, auth};

/// What a report action asks, as the pages and the API both pass it.
#[derive(Debug, Clone)]
pub struct ReportRequest {
    /// Progress, or a target in a target round.
    pub kind: ReportKind,
    pub action: ReportAction,
    pub period: Period,
    pub unit: Option<i64>,
    pub version: Option<i64>,
    pub body: Option<String>,
    pub comment: Option<String>,
    pub status: Option<Status>,
    pub password: Option<String>,
}

/// Performs one workflow step for the account: signs on approval, then hands it to the store.
pub async fn act(
    app: &App,
    account: &Account,
    task: i64,
    request: ReportRequest,
) -> Result<ReportRecord, Error> {
    let detail = visible_task(&app.store, account, task).await?;
    let unit = match account.role {
        AccountRole::Office => UnitId(
            request
                .unit
                .ok_or_else(|| Error::BadRequest("须指定单位".to_owned()))?,
        ),
        _ => account
            .unit
            .as_ref()
            .map(|u| u.id)
            .ok_or_else(|| Error::Forbidden("账号没有所属单位".to_owned()))?,
    };
    if request.unit.is_some_and(|u| u != unit.0) {
        return Err(Error::Forbidden("只能处理本单位的报送".to_owned()));
    }
    let signature = if request.action == ReportAction::Approve {
        let current = match request.kind {
            ReportKind::Progress => app.store.report(task, request.period, unit).await?,
            ReportKind::Target => app.store.target_report(task, request.period, unit).await?,
        }
        .ok_or_else(|| Error::Conflict("还没有可审核的报送".to_owned()))?;
        if Some(current.version) != request.version {
            return Err(Error::Conflict(
                "此报送在您打开后已被修改：请核对最新内容后再审核".to_owned(),
            ));
        }
        let password = request.password.clone().unwrap_or_default();
        Some(
            head_signature(app, account, &password, |approved_at| {
                request.kind.signed_text(
                    &detail.ledger.name,
                    detail.seq,
                    &request.period.to_string(),
                    &current.unit.name,
                    &current.body,
                    approved_at,
                    &current.attachments,
                )
            })
            .await?,
        )
    } else {
        None
    };
    let change = ReportChange {
        task,
        period: request.period,
        unit,
        action: request.action,
        body: request.body,
        seen_version: request.version,
        comment: request.comment.filter(|c| !c.trim().is_empty()),
        signature,
        status: request.status,
    };
    Ok(match request.kind {
        ReportKind::Progress => app.store.act_on_report(account, &change).await?,
        ReportKind::Target => app.store.act_on_target(account, &change).await?,
    })
}

/// The unit head's signature of what `message` gives for the approval time: the password is
/// checked (off the request threads), the key derived from it, and the key must be the one the
/// account has on record.
pub async fn head_signature(
    app: &App,
    account: &Account,
    password: &str,
    message: impl FnOnce(&str) -> Vec<u8>,
) -> Result<duban_store::Signature, Error> {
    let credentials = app
        .store
        .credentials(&account.login)
        .await?
        .ok_or(Error::Unauthenticated)?;
    let hash = credentials.password_hash.clone();
    let checked = password.to_owned();
    if !auth::off_thread(move || auth::verify_password(&checked, &hash)).await? {
        return Err(Error::Conflict(
            "审核签名须输入本人的登录密码：密码不正确".to_owned(),
        ));
    }
    let salt = credentials.key_salt.ok_or_else(|| {
        Error::Conflict("此账号没有签名密钥，请督查室为单位负责人重新建立账号".to_owned())
    })?;
    let approved_at = duban_core::beijing::now_utc();
    let message = message(&approved_at);
    let password = password.to_owned();
    let (signature, public_key) =
        auth::off_thread(move || auth::sign(&password, &salt, &message)).await??;
    if account.public_key.as_deref() != Some(public_key.as_str()) {
        return Err(Error::Conflict("签名密钥与账号登记的公钥不一致".to_owned()));
    }
    Ok(duban_store::Signature {
        signature,
        public_key,
        approved_at,
    })
}

/// Records a reminder (催办) to the task's lead unit.
pub async fn remind_lead_unit(
    app: &App,
    account: &Account,
    task: i64,
    period: Period,
) -> Result<duban_store::Reminder, Error> {
    let detail = visible_task(&app.store, account, task).await?;
    let lead = detail
        .units
        .iter()
        .find(|(_, r)| *r == Role::Lead)
        .map(|(u, _)| u.id);
    Ok(app.store.remind(account, task, period, lead).await?)
}

/// The assessment of a task for a period: its milestone against `text` (what was reported).
pub fn assess(
    detail: &duban_store::TaskDetail,
    text: Option<String>,
    p: Period,
) -> duban_extract::assess::Assessment {
    let progress = detail.progress.iter().find(|(q, _, _)| *q == p);
    let task = duban_core::SheetTask {
        target: detail
            .milestones
            .iter()
            .find(|(q, _)| *q == p)
            .map(|(_, t)| t.clone()),
        targets: None,
        status: progress.and_then(|(_, _, s)| *s),
        progress: text,
        ..duban_core::SheetTask::new(detail.seq, detail.goal.clone())
    };
    duban_extract::assess::assess_task(&task, p)
}

/// The status the figures and words suggest, when they can judge.
pub fn suggested_status(assessment: &duban_extract::assess::Assessment) -> Option<Status> {
    use duban_extract::assess::Suggestion;
    match assessment.suggested {
        Suggestion::Done => Some(Status::Done),
        Suggestion::Partial => Some(Status::Partial),
        Suggestion::NotDone => Some(Status::NotDone),
        Suggestion::Unknown => None,
    }
}

/// A submitted report the office accepts, with its judgement (one of a batch).
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct Acceptance {
    pub task: i64,
    pub period: String,
    pub unit: i64,
    /// The version the office saw: a report changed since is not accepted.
    pub version: i64,
    pub status: Status,
}

/// What happened to one report of a batch.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Accepted {
    pub task: i64,
    pub unit: i64,
    /// None when accepted; else why not (the others go on).
    pub error: Option<String>,
}

/// Accepts several submitted reports, each on its own: one refused (changed since, already
/// decided) does not stop the others.
pub async fn accept_all(app: &App, account: &Account, items: &[Acceptance]) -> Vec<Accepted> {
    let mut results = Vec::with_capacity(items.len());
    for item in items {
        let outcome = match crate::parse_period(&item.period) {
            Ok(period) => act(
                app,
                account,
                item.task,
                ReportRequest {
                    kind: ReportKind::Progress,
                    action: ReportAction::Accept,
                    period,
                    unit: Some(item.unit),
                    version: Some(item.version),
                    body: None,
                    comment: None,
                    status: Some(item.status),
                    password: None,
                },
            )
            .await
            .map(|_| ()),
            Err(e) => Err(e),
        };
        results.push(Accepted {
            task: item.task,
            unit: item.unit,
            error: outcome.err().map(|e| e.message()),
        });
    }
    results
}

/// Public keys by the login of the head they are registered to.
pub type SigningKeys = HashMap<String, Vec<String>>;

/// The public keys each unit head has signed with (the current one and those before a password
/// change), by login.
pub async fn head_keys(app: &App) -> Result<SigningKeys, Error> {
    let mut keys = SigningKeys::new();
    for (login, key) in app.store.signing_keys().await? {
        keys.entry(login).or_default().push(key);
    }
    Ok(keys)
}

/// A report's signature as checked: who signed, when (UTC as stored), with which key.
#[derive(Debug, Clone, Serialize)]
pub struct SignatureCheck {
    pub signer: String,
    pub at: String,
    pub key: String,
    /// The text verifies and the key is the one registered to the approver.
    pub valid: bool,
}

/// Checks a signed report against the text it signed and the approver's registered key; None
/// for an unsigned report.
pub fn check_signature(
    ledger: &str,
    r: &ReportRecord,
    keys: &SigningKeys,
) -> Option<SignatureCheck> {
    let signature = r.signature.as_deref()?;
    let key = r.signer_key.clone().unwrap_or_default();
    let at = r.approved_at.clone().unwrap_or_default();
    let signer = r.approved_by.clone().unwrap_or_default();
    let message = r.kind.signed_text(
        ledger,
        r.seq,
        &r.period.to_string(),
        &r.unit.name,
        &r.body,
        &at,
        &r.attachments,
    );
    // The key must be one registered to the approver (now or before a password change).
    let registered = keys.get(&signer).is_some_and(|ks| ks.contains(&key));
    Some(SignatureCheck {
        valid: registered && auth::verify_signature(&key, signature, &message),
        signer,
        at,
        key,
    })
}

/// A report as the API gives it: the record and `signature_valid` (null when unsigned).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CheckedReport {
    #[serde(flatten)]
    pub report: ReportRecord,
    pub signature_valid: Option<bool>,
}

impl CheckedReport {
    pub fn new(ledger: &str, report: ReportRecord, keys: &SigningKeys) -> Self {
        let signature_valid = check_signature(ledger, &report, keys).map(|s| s.valid);
        CheckedReport {
            report,
            signature_valid,
        }
    }
}
