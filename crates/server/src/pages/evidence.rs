//! Uploading evidence from a task's page.

use axum::extract::State;
use duban_app::evidence;

use super::{PageResult, see_other};
use crate::AppState;
use crate::access::{Id, Signed, Upload, rule};
use crate::api::evidence::kind_of;

pub async fn upload(
    State(state): State<AppState>,
    user: Signed<rule::Unit>,
    Id(id): Id,
    upload: Upload,
) -> PageResult {
    let kind = kind_of(upload.field("kind"))?;
    let period = upload.field("period").unwrap_or_default().to_owned();
    evidence::attach(
        &state,
        &user.account,
        id,
        kind,
        &period,
        &upload.name,
        &upload.bytes,
    )
    .await?;
    // The targets page sends its own address back; only that page of this task is taken.
    if upload.field("back") == Some(format!("/tasks/{id}/targets").as_str()) {
        return Ok(see_other(&format!("/tasks/{id}/targets?done=attached")));
    }
    Ok(see_other(&format!(
        "/tasks/{id}?period={period}&done=attached"
    )))
}
