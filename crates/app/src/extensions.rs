//! Extensions (延期申请): a unit asks for a later deadline for a task and period with a reason,
//! the office grants it (the day may differ from the one asked) or refuses it with a comment.

use chrono::NaiveDate;
use duban_store::{Account, Extension};

use crate::access::visible_task;
use crate::{App, Error, parse_period};

fn parse_day(text: &str) -> Result<NaiveDate, Error> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| Error::BadRequest(format!("日期“{text}”无效：应为 YYYY-MM-DD")))
}

/// What a unit asks.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct ExtensionRequest {
    pub period: String,
    /// The deadline asked for, YYYY-MM-DD.
    pub due: String,
    pub reason: String,
}

/// A unit's request: the day asked must be later than the deadline it has now.
pub async fn request(
    app: &App,
    account: &Account,
    task: i64,
    request: &ExtensionRequest,
) -> Result<Extension, Error> {
    let detail = visible_task(&app.store, account, task).await?;
    let period = parse_period(&request.period)?;
    let asked = parse_day(&request.due)?;
    if let Ok(due) = detail.ledger.deadline.due(&app.calendar, period)
        && asked <= due
    {
        return Err(Error::BadRequest(format!(
            "申请的截止日期应晚于现在的截止日期 {due}"
        )));
    }
    Ok(app
        .store
        .request_extension(account, task, period, asked, &request.reason)
        .await?)
}

/// What the office decides.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct ExtensionDecision {
    /// grant (批准) or refuse (不批准).
    pub decision: String,
    /// For grant: the deadline granted (YYYY-MM-DD); the day asked when absent.
    #[serde(default)]
    pub due: Option<String>,
    /// Required when refusing.
    #[serde(default)]
    pub comment: Option<String>,
}

pub async fn decide(
    app: &App,
    account: &Account,
    id: i64,
    decision: &ExtensionDecision,
) -> Result<Extension, Error> {
    let grant = match decision.decision.as_str() {
        "grant" => {
            let asked = app.store.extension(id).await?.asked_due;
            let day = decision
                .due
                .as_deref()
                .map(str::trim)
                .filter(|d| !d.is_empty())
                .unwrap_or(&asked);
            Some(parse_day(day)?)
        }
        "refuse" => None,
        other => {
            return Err(Error::BadRequest(format!(
                "审批结果“{other}”无效：应为 grant（批准）或 refuse（不批准）"
            )));
        }
    };
    Ok(app
        .store
        .decide_extension(account, id, grant, decision.comment.as_deref())
        .await?)
}
