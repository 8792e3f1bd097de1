//! The units' 签收 buttons (tasks on 我的任务, rounds on 目标填报, reminders on a task's page).

use axum::extract::State;
use duban_app::Error;
use duban_store::ReceiptKind;

use super::{PageResult, see_other};
use crate::AppState;
use crate::access::{CsrfForm, Signed, rule};

/// Fields `kind`, `id` (repeated) or `ledger` (every task of that ledger given to the unit:
/// 全部签收 on a list shown a page at a time), and `back` (the page to return to).
pub async fn acknowledge(
    State(state): State<AppState>,
    user: Signed<rule::Unit>,
    CsrfForm { form, .. }: CsrfForm<Vec<(String, String)>>,
) -> PageResult {
    let value = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or_default()
    };
    let kind = match value("kind") {
        "task" => ReceiptKind::Task,
        "round" => ReceiptKind::Round,
        "reminder" => ReceiptKind::Reminder,
        other => return Err(Error::BadRequest(format!("无法签收“{other}”")).into()),
    };
    let ids = form
        .iter()
        .filter(|(k, _)| k == "id")
        .map(|(_, v)| {
            v.parse::<i64>()
                .map_err(|_| Error::BadRequest("提交的表单不完整：请刷新页面后重试".to_owned()))
        })
        .collect::<Result<Vec<_>, Error>>()?;
    let ledger = value("ledger");
    if kind == ReceiptKind::Task && ids.is_empty() && !ledger.is_empty() {
        let ledger = ledger
            .parse::<i64>()
            .map_err(|_| Error::BadRequest("提交的表单不完整：请刷新页面后重试".to_owned()))?;
        state
            .store
            .acknowledge_ledger(&user.account, duban_core::LedgerId(ledger))
            .await?;
    } else {
        state.store.acknowledge(&user.account, kind, &ids).await?;
    }
    // Only a path of this site: never an address elsewhere.
    let back = value("back");
    let back = if back.starts_with('/') && !back.starts_with("//") {
        back
    } else {
        "/my"
    };
    Ok(see_other(back))
}
