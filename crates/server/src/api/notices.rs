//! Notices: the published list and files (open to everyone), publishing, unlocking a period.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use duban_app::notices::{self, PublishRequest};
use duban_store::PublishedNotice;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::doc::{Action, BadInput, Internal, Missing, Refused};

use super::{ApiResult, ok};
use crate::access::{CsrfJson, Id, Query, Signed, rule};
use crate::{AppState, http};

/// The published notices (open to everyone).
#[utoipa::path(get, path = "/api/notices", tag = "督办",
    responses((status = 200, body = [PublishedNotice]), Internal))]
pub async fn list(State(state): State<AppState>) -> ApiResult {
    ok(state.store.published_notices().await?)
}

/// Publishes the notice of a ledger's period and locks the period.
#[utoipa::path(post, path = "/api/notices", tag = "督办", request_body = PublishRequest, params(("X-CSRF-Token" = String, Header, description = "登录时返回的 csrf")),
    responses((status = 201, body = PublishedNotice), Action, Missing, Refused))]
pub async fn publish(
    State(state): State<AppState>,
    user: Signed<rule::Office>,
    CsrfJson { body, .. }: CsrfJson<PublishRequest>,
) -> ApiResult {
    let published = notices::publish(&state, &user.account, &body).await?;
    Ok((StatusCode::CREATED, Json(published)).into_response())
}

#[derive(Debug, Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FormatQuery {
    /// xlsx (default), docx, html or md.
    #[serde(default)]
    format: Option<String>,
}

/// A published notice as a file (open to everyone).
#[utoipa::path(get, path = "/api/notices/{id}", tag = "督办",
    params(("id" = i64, Path, description = "通报编号"), FormatQuery),
    responses(
        (status = 200, description = "通报文件", content(
            ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            ("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            ("text/html"),
            ("text/markdown"))),
        BadInput, Missing, Internal))]
pub async fn file(
    State(state): State<AppState>,
    Id(id): Id,
    Query(q): Query<FormatQuery>,
) -> ApiResult {
    http::notice_download(&state, id, q.format.as_deref()).await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct UnlockBody {
    ledger: String,
    period: String,
    reason: String,
}

/// Unlocks a published period to correct it; the reason goes to the audit log.
#[utoipa::path(post, path = "/api/periods/unlock", tag = "督办", request_body = UnlockBody, params(("X-CSRF-Token" = String, Header, description = "登录时返回的 csrf")),
    responses((status = 204, description = "已解锁"), Action, Missing, Refused))]
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
