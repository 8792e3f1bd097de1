//! The REST API: the same operations as the pages, as JSON in the ledger JSON shapes, under
//! `/api`, one file per resource. Documented in `openapi.json` (served at `/api/openapi.json`); a
//! test checks that every route is in it. A session from `POST /api/login` is the same cookie
//! the pages use; every other POST carries the session's CSRF token in `X-CSRF-Token`
//! (`CsrfJson`, `Upload`). Errors are `{"error": "…"}` with the status (`error::render`).

pub mod accounts;
pub mod audit;
pub mod doc;
pub mod documents;
pub mod evidence;
pub mod extensions;
pub mod import;
pub mod inspections;
pub mod ledgers;
pub mod notices;
pub mod notify;
pub mod plans;
pub mod receipts;
pub mod session;
pub mod targets;
pub mod tasks;
pub mod units;

use axum::Json;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::Failure;

pub type ApiResult = Result<Response, Failure>;

pub fn ok(value: impl serde::Serialize) -> ApiResult {
    Ok(Json(value).into_response())
}

/// This document.
#[utoipa::path(get, path = "/api/openapi.json", tag = "督办",
    responses((status = 200, description = "OpenAPI 3.1 文档", content_type = "application/json")))]
pub async fn openapi() -> ApiResult {
    let json = doc::document()
        .to_json()
        .map_err(duban_app::Error::internal)?;
    Ok(([(header::CONTENT_TYPE, "application/json")], json).into_response())
}
