//! Responsible units and their aliases.

use axum::extract::State;
use duban_app::accounts;
use duban_app::listings::UnitListing;
use serde::Deserialize;

use super::{ApiResult, ok};
use crate::AppState;
use crate::access::{CsrfJson, Signed, rule};

pub async fn list(State(state): State<AppState>, _: Signed<rule::Office>) -> ApiResult {
    let list: Vec<UnitListing> = state.store.units().await?.iter().map(Into::into).collect();
    ok(list)
}

#[derive(Debug, Deserialize)]
pub struct AliasBody {
    name: String,
    alias: String,
}

pub async fn add_alias(
    State(state): State<AppState>,
    user: Signed<rule::Office>,
    CsrfJson { body, .. }: CsrfJson<AliasBody>,
) -> ApiResult {
    ok(accounts::add_alias(&state, &user.account, &body.name, &body.alias).await?)
}
