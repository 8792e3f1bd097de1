//! Importing a table (multipart field `file`), or only reading it (`?dry_run=true`).

use axum::extract::State;
use duban_app::imports;
use serde::Deserialize;
use serde_json::json;

use super::{ApiResult, ok};
use crate::AppState;
use crate::access::{Query, Signed, Upload, rule};

#[derive(Debug, Deserialize, Default)]
pub struct ImportQuery {
    #[serde(default)]
    dry_run: bool,
}

pub async fn import(
    State(state): State<AppState>,
    user: Signed<rule::Office>,
    Query(q): Query<ImportQuery>,
    upload: Upload,
) -> ApiResult {
    let table = imports::read_table(&upload.name, upload.bytes).await?;
    let warnings: Vec<String> = table.warnings.iter().map(|w| w.to_string()).collect();
    if q.dry_run {
        return ok(json!({ "sheet": table.sheet, "warnings": warnings }));
    }
    let (_, summary) = imports::save(
        &state,
        &user.account.actor(),
        &table.sheet,
        duban_store::SaveOptions::default(),
        &mut |_| {},
    )
    .await?;
    ok(json!({ "imported": summary, "warnings": warnings }))
}
