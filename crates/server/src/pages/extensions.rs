//! The forms of a task's page for extensions (延期申请): a unit asks, the office decides.

use axum::extract::State;
use duban_app::extensions::{self, ExtensionDecision, ExtensionRequest};
use serde::Deserialize;

use super::{PageResult, see_other};
use crate::AppState;
use crate::access::{CsrfForm, Id, Signed, rule};

pub async fn request(
    State(state): State<AppState>,
    user: Signed<rule::Unit>,
    Id(id): Id,
    CsrfForm { form, .. }: CsrfForm<ExtensionRequest>,
) -> PageResult {
    extensions::request(&state, &user.account, id, &form).await?;
    Ok(see_other(&format!(
        "/tasks/{id}?period={}&done=extension",
        form.period
    )))
}

#[derive(Debug, Deserialize)]
pub struct DecisionForm {
    task: i64,
    decision: String,
    #[serde(default)]
    due: Option<String>,
    #[serde(default)]
    comment: Option<String>,
}

pub async fn decide(
    State(state): State<AppState>,
    user: Signed<rule::Office>,
    Id(id): Id,
    CsrfForm { form, .. }: CsrfForm<DecisionForm>,
) -> PageResult {
    let decided = extensions::decide(
        &state,
        &user.account,
        id,
        &ExtensionDecision {
            decision: form.decision,
            due: form.due,
            comment: form.comment,
        },
    )
    .await?;
    Ok(see_other(&format!(
        "/tasks/{}?period={}&done=extension",
        form.task, decided.period
    )))
}
