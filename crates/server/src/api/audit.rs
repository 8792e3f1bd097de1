//! The audit log, newest first, for one task or all.

use axum::extract::State;
use duban_store::AuditEntry;
use serde::Deserialize;
use utoipa::IntoParams;

use super::doc::{BadInput, SignedErrors};

use super::{ApiResult, ok};
use crate::AppState;
use crate::access::{Query, Signed, rule};

#[derive(Debug, Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only this task's entries.
    #[serde(default)]
    task: Option<i64>,
    /// How many, newest first (200 unless given; at most 5000).
    #[serde(default)]
    limit: Option<i64>,
}

/// The audit log, newest first.
#[utoipa::path(get, path = "/api/audit", tag = "督办", params(AuditQuery),
    responses((status = 200, body = [AuditEntry]), SignedErrors, BadInput))]
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
