//! Documents (reports and plans): the list, one with all that was read from it and the tasks
//! linked to its passages, and uploading one.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use duban_app::documents::{self, LedgerPlan};
use duban_app::imports::ImportSummary;
use duban_app::listings::DocumentListing;
use duban_core::{DocumentRead, PassageRead};
use duban_store::LinkedTask;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::doc::{Action, BadInput, Missing, Refused, SignedErrors};
use super::{ApiResult, ok};
use crate::AppState;
use crate::access::{CsrfJson, Id, Query, Signed, Upload, rule};

/// The documents, newest date first.
#[utoipa::path(get, path = "/api/documents", tag = "督办",
    responses((status = 200, body = [DocumentListing]), SignedErrors))]
pub async fn list(State(state): State<AppState>, _: Signed<rule::Oversight>) -> ApiResult {
    let list: Vec<DocumentListing> = state
        .store
        .documents()
        .await?
        .iter()
        .map(Into::into)
        .collect();
    ok(list)
}

/// A document as read (sections, passages, glossary, indicators, projects) and the tasks linked
/// to its passages (`passage` is the passage's id, in `passage_ids` order).
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentReply {
    pub id: i64,
    pub document: DocumentRead,
    /// The passages in order, each with its heading path and text.
    pub passages: Vec<PassageRead>,
    /// The stored id of each passage, in the order of `passages`.
    pub passage_ids: Vec<i64>,
    pub tasks: Vec<LinkedTask>,
}

#[utoipa::path(get, path = "/api/documents/{id}", tag = "督办",
    params(("id" = i64, Path, description = "文件编号")),
    responses((status = 200, body = DocumentReply), SignedErrors, Missing))]
pub async fn document(
    State(state): State<AppState>,
    _: Signed<rule::Oversight>,
    Id(id): Id,
) -> ApiResult {
    let (doc, read, ids) = state.store.document_read(&id.to_string()).await?;
    let tasks = state.store.linked_tasks(doc.id).await?;
    ok(DocumentReply {
        id: doc.id.0,
        passages: read.passages.clone(),
        document: read,
        passage_ids: ids.into_iter().map(|p| p.0).collect(),
        tasks,
    })
}

#[derive(Debug, Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    /// report (政府工作报告) or plan (规划纲要); told from the text when absent or empty.
    #[serde(default)]
    kind: Option<String>,
}

/// The multipart form of a document upload.
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct DocumentForm {
    /// The report or plan: docx, doc, wps, pdf, html or text.
    #[schema(format = Binary, value_type = String)]
    file: Vec<u8>,
}

/// What an upload stored.
#[derive(Debug, Serialize, ToSchema)]
pub struct UploadReply {
    pub id: i64,
    /// report (政府工作报告) or plan (规划纲要).
    pub kind: duban_core::DocumentKind,
    /// The same text had been imported before: nothing new was stored.
    pub existing: bool,
    pub title: String,
    pub passages: usize,
    pub warnings: Vec<String>,
}

/// Reads a report or plan (field `file`) and stores it.
#[utoipa::path(post, path = "/api/documents", tag = "督办",
    request_body(content = DocumentForm, content_type = "multipart/form-data"),
    params(UploadQuery, ("X-CSRF-Token" = String, Header, description = "登录时返回的 csrf")),
    responses((status = 201, body = UploadReply), Action, BadInput, Refused))]
pub async fn upload(
    State(state): State<AppState>,
    user: Signed<rule::Office>,
    Query(q): Query<UploadQuery>,
    upload: Upload,
) -> ApiResult {
    let kind = documents::kind(q.kind.as_deref())?;
    let name = upload.name.clone();
    let text = documents::read_text(&name, upload.bytes).await?;
    let read = documents::read(&text, kind, &name)?;
    let saved = documents::save(&state, &user.account.actor(), &read, &name).await?;
    let reply = UploadReply {
        id: saved.id.0,
        kind: read.kind,
        existing: saved.existing,
        title: read.title.clone(),
        passages: read.passages.len(),
        warnings: read.warnings.iter().map(ToString::to_string).collect(),
    };
    Ok((StatusCode::CREATED, Json(reply)).into_response())
}

/// Creates a ledger from a report's commitments: one task each, linked to its passage; a ledger
/// of that name already existing is refused (409), never doubled.
#[utoipa::path(post, path = "/api/documents/{id}/ledger", tag = "督办", request_body = LedgerPlan,
    params(("id" = i64, Path, description = "文件编号"), ("X-CSRF-Token" = String, Header, description = "登录时返回的 csrf")),
    responses((status = 201, body = ImportSummary), Action, Missing, Refused))]
pub async fn create_ledger(
    State(state): State<AppState>,
    user: Signed<rule::Office>,
    Id(id): Id,
    CsrfJson { body, .. }: CsrfJson<LedgerPlan>,
) -> ApiResult {
    let summary =
        documents::create_ledger(&state, &user.account.actor(), &id.to_string(), &body).await?;
    Ok((StatusCode::CREATED, Json(summary)).into_response())
}

/// A report's commitments as the ledger JSON: one task per commitment, in order, each with its
/// `source` passage — to edit (goals, leaders, units) and send to `POST /api/ledgers`.
#[utoipa::path(get, path = "/api/documents/{id}/proposals", tag = "督办",
    params(("id" = i64, Path, description = "文件编号")),
    responses((status = 200, body = duban_core::LedgerSheet), SignedErrors, BadInput, Missing))]
pub async fn proposals(
    State(state): State<AppState>,
    _: Signed<rule::Office>,
    Id(id): Id,
) -> ApiResult {
    let found = documents::proposals(&state, &id.to_string()).await?;
    ok(documents::proposed_sheet(
        &found.document,
        &found.read,
        &found.commitments,
    ))
}
