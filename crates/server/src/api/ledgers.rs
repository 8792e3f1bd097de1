//! Ledgers: the list, and a ledger's table for a period with filters.

use axum::extract::State;
use duban_app::listings::LedgerListing;
use duban_app::{access, parse_period, parse_status};
use duban_store::TaskFilter;
use serde::Deserialize;

use super::{ApiResult, ok};
use crate::AppState;
use crate::access::{Name, Query, Signed, rule};

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

#[derive(Debug, Deserialize, Default)]
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
