//! Importing a table (multipart field `file`), or only reading it (`?dry_run=true`).

use axum::extract::State;
use duban_app::imports;
use duban_app::imports::ImportSummary;
use duban_core::LedgerSheet;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::doc::{Action, Refused};

use super::{ApiResult, ok};
use crate::AppState;
use crate::access::{Query, Signed, Upload, rule};

#[derive(Debug, Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// Only read the file and return the sheet; nothing is stored.
    #[serde(default)]
    dry_run: bool,
}

/// What an import read (`sheet`, with `dry_run`) or stored (`imported`), and its warnings.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportReply {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<LedgerSheet>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub imported: Option<ImportSummary>,
    pub warnings: Vec<String>,
}

/// The multipart form of an import.
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct ImportForm {
    /// The table: xlsx, xls, csv, docx, doc, wps, pdf, html, text or ledger JSON.
    #[schema(format = Binary, value_type = String)]
    file: Vec<u8>,
}

/// Imports a table (field `file`), or only reads it with `dry_run=true`.
#[utoipa::path(post, path = "/api/import", tag = "督办",
    request_body(content = ImportForm, content_type = "multipart/form-data"),
    params(ImportQuery, ("X-CSRF-Token" = String, Header, description = "登录时返回的 csrf")),
    responses((status = 200, body = ImportReply), Action, Refused))]
pub async fn import(
    State(state): State<AppState>,
    user: Signed<rule::Office>,
    Query(q): Query<ImportQuery>,
    upload: Upload,
) -> ApiResult {
    let table = imports::read_table(&upload.name, upload.bytes).await?;
    let warnings: Vec<String> = table.warnings.iter().map(|w| w.to_string()).collect();
    if q.dry_run {
        return ok(ImportReply {
            sheet: Some(table.sheet),
            imported: None,
            warnings,
        });
    }
    let (_, summary) = imports::save(
        &state,
        &user.account.actor(),
        &table.sheet,
        duban_store::SaveOptions::default(),
        &mut |_| {},
    )
    .await?;
    ok(ImportReply {
        sheet: None,
        imported: Some(summary),
        warnings,
    })
}
