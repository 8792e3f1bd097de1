//! The audit log (操作日志), newest first.

use axum::extract::State;

use duban_app::history::{describe, load_names};

use super::{PageResult, render};
use crate::AppState;
use crate::access::{Signed, rule};
use crate::views::{AuditPage, Layout};

pub async fn page(State(state): State<AppState>, user: Signed<rule::Office>) -> PageResult {
    render(&AuditPage {
        layout: Layout::new(&user.viewer, "操作日志", "/audit"),
        entries: describe(
            &state.store.audit_log(None, 500).await?,
            &load_names(&state).await?,
        ),
    })
}
