//! The office's review queue: every submitted report waiting for a decision.

use axum::extract::State;
use duban_app::reports::head_keys;

use super::tasks::signature_view;
use super::{PageResult, beijing, render};
use crate::AppState;
use crate::access::{Signed, rule};
use crate::views::{Layout, QueueRow, ReviewPage};

pub async fn page(State(state): State<AppState>, user: Signed<rule::Office>) -> PageResult {
    let keys = head_keys(&state).await?;
    let names = duban_app::history::names(&state.store.accounts().await?);
    let mut rows = Vec::new();
    for r in state.store.review_queue().await? {
        let detail = state.store.task_detail(r.task_id).await?;
        let signed = match signature_view(&detail.ledger.name, &r, &keys, &names) {
            Some(s) if s.valid => format!("✔ {} 已签名", s.signer),
            Some(_) => "✘ 签名无效".to_owned(),
            None => "未签名".to_owned(),
        };
        rows.push(QueueRow {
            task_id: r.task_id,
            ledger: detail.ledger.name,
            seq: r.seq,
            period: r.period.to_string(),
            unit: r.unit.name.clone(),
            body: r.body.clone(),
            submitted_at: r.submitted_at.as_deref().map(beijing).unwrap_or_default(),
            signed,
        });
    }
    render(&ReviewPage {
        layout: Layout::new(&user.viewer, "审核", "/review"),
        rows,
    })
}
