//! Notices: the published list and files (open to everyone), publishing, unlocking a period.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use duban_app::notices;
use serde::Deserialize;

use super::{ApiResult, ok};
use crate::access::{CsrfJson, Id, Query, Signed, rule};
use crate::{AppState, http};

pub async fn list(State(state): State<AppState>) -> ApiResult {
    ok(state.store.published_notices().await?)
}

#[derive(Debug, Deserialize)]
pub struct PublishBody {
    ledger: String,
    period: String,
}

pub async fn publish(
    State(state): State<AppState>,
    user: Signed<rule::Office>,
    CsrfJson { body, .. }: CsrfJson<PublishBody>,
) -> ApiResult {
    let published = notices::publish(&state, &user.account, &body.ledger, &body.period).await?;
    Ok((StatusCode::CREATED, Json(published)).into_response())
}

#[derive(Debug, Deserialize, Default)]
pub struct FormatQuery {
    #[serde(default)]
    format: Option<String>,
}

pub async fn file(
    State(state): State<AppState>,
    Id(id): Id,
    Query(q): Query<FormatQuery>,
) -> ApiResult {
    http::notice_download(&state, id, q.format.as_deref()).await
}

#[derive(Debug, Deserialize)]
pub struct UnlockBody {
    ledger: String,
    period: String,
    reason: String,
}

pub async fn unlock(
    State(state): State<AppState>,
    user: Signed<rule::Office>,
    CsrfJson { body, .. }: CsrfJson<UnlockBody>,
) -> ApiResult {
    notices::unlock(
        &state,
        &user.account,
        &body.ledger,
        &body.period,
        &body.reason,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
