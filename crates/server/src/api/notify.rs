//! Reminder channels and the delivery log.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use duban_app::reminders::{self, ChannelRequest};
use duban_store::{Channel, Delivery};

use super::doc::{Action, BadInput, Missing, SignedErrors};
use super::{ApiResult, ok};
use crate::AppState;
use crate::access::{CsrfJson, Signed, rule};

/// The channels that reach units and people (secrets are never shown).
#[utoipa::path(get, path = "/api/notify/channels", tag = "提醒",
    responses((status = 200, body = [Channel]), SignedErrors))]
pub async fn channels(State(state): State<AppState>, _: Signed<rule::Office>) -> ApiResult {
    ok(state.store.channels().await?)
}

/// Registers a channel: a unit's mailbox or group robot (DingTalk with its signing secret,
/// WeCom), or a person's e-mail.
#[utoipa::path(post, path = "/api/notify/channels", tag = "提醒", request_body = ChannelRequest,
    params(("X-CSRF-Token" = String, Header, description = "登录时返回的 csrf")),
    responses((status = 201, body = Channel), Action, BadInput, Missing))]
pub async fn add(
    State(state): State<AppState>,
    user: Signed<rule::Office>,
    CsrfJson { body, .. }: CsrfJson<ChannelRequest>,
) -> ApiResult {
    let channel = reminders::add_channel(&state, &user.account.actor(), &body).await?;
    Ok((StatusCode::CREATED, Json(channel)).into_response())
}

/// The latest 200 deliveries, newest first: sent, or failed with the reason and the attempts.
#[utoipa::path(get, path = "/api/notify/deliveries", tag = "提醒",
    responses((status = 200, body = [Delivery]), SignedErrors))]
pub async fn deliveries(State(state): State<AppState>, _: Signed<rule::Office>) -> ApiResult {
    ok(state.store.deliveries(200).await?)
}
