//! The office's changes to a ledger's tasks during the year (调整), posted from the ledger page
//! (新增) and a task's page (改派、合并、撤销).

use axum::extract::State;
use duban_app::Error;
use duban_app::changes::{self, ChangeAction, ChangeRequest};
use serde::Deserialize;

use super::{PageResult, see_other};
use crate::AppState;
use crate::access::{CsrfForm, Signed, rule};

#[derive(Debug, Deserialize)]
pub struct ChangeForm {
    ledger: String,
    action: ChangeAction,
    #[serde(default)]
    task: String,
    #[serde(default)]
    into_seq: String,
    #[serde(default)]
    goal: String,
    #[serde(default)]
    lead: String,
    #[serde(default)]
    support: String,
    #[serde(default)]
    leaders: String,
    #[serde(default)]
    reason: String,
}

/// A number typed in a form: empty is none, anything else must be one.
fn number<T: std::str::FromStr>(text: &str, what: &str) -> Result<Option<T>, Error> {
    match text.trim() {
        "" => Ok(None),
        t => t
            .parse()
            .map(Some)
            .map_err(|_| Error::BadRequest(format!("{what}应为数字：{t}"))),
    }
}

pub async fn change(
    State(state): State<AppState>,
    user: Signed<rule::Office>,
    CsrfForm { form, .. }: CsrfForm<ChangeForm>,
) -> PageResult {
    let request = ChangeRequest {
        action: form.action,
        task: number(&form.task, "任务编号")?,
        into_seq: number(&form.into_seq, "并入的任务序号")?,
        goal: form.goal,
        lead: form.lead,
        support: form.support,
        leaders: form.leaders,
        reason: form.reason,
    };
    let task = changes::change(&state, &user.account, &form.ledger, &request).await?;
    Ok(see_other(&format!("/tasks/{task}?done=changed")))
}
