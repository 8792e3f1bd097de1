//! Ledgers: the list, and a ledger's table for a period with filters.

use axum::extract::State;
use duban_app::listings::LedgerListing;
use duban_app::{access, parse_period, parse_status};
use duban_core::LedgerSheet;
use duban_store::TaskFilter;
use serde::Deserialize;
use utoipa::IntoParams;

use super::doc::{BadInput, Missing, SignedErrors};

use super::{ApiResult, ok};
use crate::AppState;
use crate::access::{Name, Query, Signed, rule};

/// The ledgers with their periods.
#[utoipa::path(get, path = "/api/ledgers", tag = "督办",
    responses((status = 200, body = [LedgerListing]), SignedErrors))]
pub async fn list(State(state): State<AppState>, _: Signed<rule::TaskReaders>) -> ApiResult {
    let list: Vec<LedgerListing> = state
        .store
        .ledgers()
        .await?
        .iter()
        .map(Into::into)
        .collect();
    ok(list)
}

#[derive(Debug, Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SheetQuery {
    #[serde(default)]
    period: Option<String>,
    #[serde(default)]
    unit: Option<String>,
    #[serde(default)]
    leader: Option<String>,
    #[serde(default)]
    status: Option<String>,
}

/// A ledger's table for a period (the ledger JSON); a leader sees the portfolio.
#[utoipa::path(get, path = "/api/ledgers/{name}/sheet", tag = "督办",
    params(("name" = String, Path, description = "台账名称"), SheetQuery),
    responses((status = 200, body = LedgerSheet), SignedErrors, BadInput, Missing))]
pub async fn sheet(
    State(state): State<AppState>,
    user: Signed<rule::Oversight>,
    Name(name): Name,
    Query(q): Query<SheetQuery>,
) -> ApiResult {
    let filter = TaskFilter {
        unit: q.unit,
        leader: access::portfolio(&user.account)?.or(q.leader),
        status: parse_status(q.status.as_deref())?,
    };
    let period = q.period.as_deref().map(parse_period).transpose()?;
    ok(state.store.sheet(&name, period, &filter).await?)
}
