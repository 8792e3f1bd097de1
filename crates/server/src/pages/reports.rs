//! The report form's actions (save, approve with signature, submit, send back, accept, return)
//! and the office's reminder, posted from a task's page.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse};
use duban_app::reports::{self, ReportRequest};
use duban_app::{Error, parse_period, parse_status};
use duban_core::ReportAction;
use serde::Deserialize;

use super::tasks::{Draft, task_page};
use super::{PageResult, see_other};
use crate::AppState;
use crate::access::{CsrfForm, Id, Signed, rule};

#[derive(Debug, Deserialize)]
pub struct ReportFormData {
    action: String,
    period: String,
    unit: i64,
    #[serde(default)]
    version: i64,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    comment: Option<String>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    password: Option<String>,
}

pub async fn act(
    State(state): State<AppState>,
    user: Signed<rule::ReportActors>,
    Id(id): Id,
    CsrfForm { form, .. }: CsrfForm<ReportFormData>,
) -> PageResult {
    let action: ReportAction = form.action.parse().map_err(Error::from)?;
    let request = ReportRequest {
        kind: duban_core::ReportKind::Progress,
        action,
        period: parse_period(&form.period)?,
        unit: Some(form.unit),
        version: (form.version > 0).then_some(form.version),
        body: form.body.clone(),
        comment: form.comment.clone(),
        status: parse_status(form.status.as_deref())?,
        password: form.password.clone(),
    };
    match reports::act(&state, &user.account, id, request).await {
        Ok(_) => Ok(see_other(&format!(
            "/tasks/{id}?period={}&done={}",
            form.period,
            action.code()
        ))),
        // The text typed stays in the form with the reason, so nothing typed is lost.
        Err(Error::Conflict(message)) => {
            let page = task_page(
                &state,
                &user.viewer,
                &user.account,
                id,
                Some(&form.period),
                Draft {
                    body: form.body.clone().filter(|_| action == ReportAction::Save),
                    conflict: Some(message),
                },
                None,
            )
            .await?;
            let html = page.render().map_err(crate::error::template)?;
            Ok((StatusCode::CONFLICT, Html(html)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize)]
pub struct RemindForm {
    period: String,
}

pub async fn remind(
    State(state): State<AppState>,
    user: Signed<rule::Office>,
    Id(id): Id,
    CsrfForm { form, .. }: CsrfForm<RemindForm>,
) -> PageResult {
    let period = parse_period(&form.period)?;
    reports::remind_lead_unit(&state, &user.account, id, period).await?;
    Ok(see_other(&format!(
        "/tasks/{id}?period={period}&done=remind"
    )))
}
