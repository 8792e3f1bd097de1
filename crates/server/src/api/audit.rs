//! The audit log, newest first, for one task or all.

use axum::extract::State;
use serde::Deserialize;

use super::{ApiResult, ok};
use crate::AppState;
use crate::access::{Query, Signed, rule};

#[derive(Debug, Deserialize, Default)]
pub struct AuditQuery {
    #[serde(default)]
    task: Option<i64>,
    #[serde(default)]
    limit: Option<i64>,
}

pub async fn list(
    State(state): State<AppState>,
    _: Signed<rule::Office>,
    Query(q): Query<AuditQuery>,
) -> ApiResult {
    ok(state
        .store
        .audit_log(q.task, q.limit.unwrap_or(200).clamp(1, 5000))
        .await?)
}
