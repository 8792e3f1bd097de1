//! Responsible units and their aliases.

use axum::extract::State;
use duban_app::accounts;
use duban_app::accounts::AliasResult;
use duban_app::listings::UnitListing;
use serde::Deserialize;
use utoipa::ToSchema;

use super::doc::{Action, Missing, Refused, SignedErrors};

use super::{ApiResult, ok};
use crate::AppState;
use crate::access::{CsrfJson, Signed, rule};

/// The responsible units with their aliases and task counts.
#[utoipa::path(get, path = "/api/units", tag = "督办",
    responses((status = 200, body = [UnitListing]), SignedErrors))]
pub async fn list(State(state): State<AppState>, _: Signed<rule::Office>) -> ApiResult {
    let list: Vec<UnitListing> = state.store.units().await?.iter().map(Into::into).collect();
    ok(list)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AliasBody {
    name: String,
    alias: String,
}

/// Registers another name of a unit (merging a unit imported under it).
#[utoipa::path(post, path = "/api/units/aliases", tag = "督办", request_body = AliasBody, params(("X-CSRF-Token" = String, Header, description = "登录时返回的 csrf")),
    responses((status = 200, body = AliasResult), Action, Missing, Refused))]
pub async fn add_alias(
    State(state): State<AppState>,
    user: Signed<rule::Office>,
    CsrfJson { body, .. }: CsrfJson<AliasBody>,
) -> ApiResult {
    ok(accounts::add_alias(&state, &user.account, &body.name, &body.alias).await?)
}
