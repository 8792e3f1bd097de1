//! The office's review queue: every submitted report waiting for a decision, with the status its
//! figures suggest preselected, accepted one by one or several at once.

use axum::extract::State;
use duban_app::reports::{self, Acceptance, assess, head_keys, suggested_status};
use duban_core::Status;

use super::tasks::signature_view;
use super::{PageResult, beijing, render};
use crate::access::{CsrfForm, Signed, rule};
use crate::views::{Choice, Layout, QueueRow, ReviewPage};
use crate::{AppState, Viewer};

async fn view(state: &AppState, viewer: &Viewer, message: Option<String>) -> PageResult {
    let keys = head_keys(state).await?;
    let names = duban_app::history::load_names(state).await?;
    let mut rows = Vec::new();
    for r in state.store.review_queue().await? {
        let detail = state.store.task_detail(r.task_id).await?;
        let signed = match signature_view(&detail.ledger.name, &r, &keys, &names) {
            Some(s) if s.valid => format!("✔ {} 已签名", s.signer),
            Some(_) => "✘ 签名无效".to_owned(),
            None => "未签名".to_owned(),
        };
        let assessment = assess(&detail, Some(r.body.clone()), r.period);
        let suggested = suggested_status(&assessment);
        rows.push(QueueRow {
            task_id: r.task_id,
            ledger: detail.ledger.name.clone(),
            seq: r.seq,
            goal: detail.goal.clone(),
            period: r.period.to_string(),
            unit: r.unit.name.clone(),
            unit_id: r.unit.id.0,
            version: r.version,
            body: r.body.clone(),
            submitted_at: r.submitted_at.as_deref().map(beijing).unwrap_or_default(),
            signed,
            suggestion: assessment.suggested.label_zh().to_owned(),
            statuses: Choice::judgements(suggested),
        });
    }
    render(&ReviewPage {
        layout: Layout::new(viewer, "审核", "/review"),
        rows,
        message,
    })
}

pub async fn page(State(state): State<AppState>, user: Signed<rule::Office>) -> PageResult {
    view(&state, &user.viewer, None).await
}

/// The picked rows (`pick` = task:period:unit:version) with their `status:<key>` judgements.
fn picked(fields: &[(String, String)]) -> Result<Vec<Acceptance>, duban_app::Error> {
    let bad = || duban_app::Error::BadRequest("提交的审核表单不完整：请刷新页面后重试".to_owned());
    fields
        .iter()
        .filter(|(name, _)| name == "pick")
        .map(|(_, key)| {
            let mut parts = key.split(':');
            let (Some(task), Some(period), Some(unit), Some(version)) =
                (parts.next(), parts.next(), parts.next(), parts.next())
            else {
                return Err(bad());
            };
            let status_field = format!("status:{key}");
            let status = fields
                .iter()
                .find(|(name, _)| *name == status_field)
                .map(|(_, v)| v.parse::<Status>())
                .ok_or_else(bad)??;
            Ok(Acceptance {
                task: task.parse().map_err(|_| bad())?,
                period: period.to_owned(),
                unit: unit.parse().map_err(|_| bad())?,
                version: version.parse().map_err(|_| bad())?,
                status,
            })
        })
        .collect()
}

pub async fn accept(
    State(state): State<AppState>,
    user: Signed<rule::Office>,
    CsrfForm { form, .. }: CsrfForm<Vec<(String, String)>>,
) -> PageResult {
    let items = picked(&form)?;
    let message = if items.is_empty() {
        "没有勾选任何报送".to_owned()
    } else {
        let results = reports::accept_all(&state, &user.account, &items).await;
        let failed: Vec<String> = results
            .iter()
            .filter_map(|r| r.error.as_ref().map(|e| format!("任务 {}：{e}", r.task)))
            .collect();
        let done = results.len() - failed.len();
        if failed.is_empty() {
            format!("已采纳 {done} 项报送")
        } else {
            format!(
                "已采纳 {done} 项；{} 项未采纳：{}",
                failed.len(),
                failed.join("；")
            )
        }
    };
    view(&state, &user.viewer, Some(message)).await
}
