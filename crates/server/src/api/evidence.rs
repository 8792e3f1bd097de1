//! Evidence (证明材料) attached to reports: upload, list, download.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use duban_app::evidence;
use duban_core::ReportKind;
use duban_store::Attachment;
use utoipa::ToSchema;

use super::doc::{Action, BadInput, Missing, Refused, SignedErrors};
use super::{ApiResult, ok};
use crate::access::{Id, Signed, Upload, rule};
use crate::{AppState, http};

/// The multipart form of an upload of evidence.
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct EvidenceForm {
    /// PDF, JPG/PNG, Word, Excel or OFD, up to 10 MB; the type is told from the content.
    #[schema(format = Binary, value_type = String)]
    file: Vec<u8>,
    /// The period of the report (2023-09, 2020-Q3).
    period: String,
    /// progress (default) or target.
    kind: Option<String>,
}

/// The kind named in a form: progress unless it says target.
pub fn kind_of(text: Option<&str>) -> Result<ReportKind, duban_app::Error> {
    match text.map(str::trim).filter(|k| !k.is_empty()) {
        Some(k) => Ok(k.parse::<ReportKind>()?),
        None => Ok(ReportKind::Progress),
    }
}

/// A unit attaches a file to its report (or target) for a period while it may still change it.
/// The same file is stored once.
#[utoipa::path(post, path = "/api/tasks/{id}/attachments", tag = "提醒",
    request_body(content = EvidenceForm, content_type = "multipart/form-data"),
    params(("id" = i64, Path, description = "任务编号"), ("X-CSRF-Token" = String, Header, description = "登录时返回的 csrf")),
    responses((status = 201, body = Attachment), Action, BadInput, Missing, Refused))]
pub async fn upload(
    State(state): State<AppState>,
    user: Signed<rule::Unit>,
    Id(id): Id,
    upload: Upload,
) -> ApiResult {
    let kind = kind_of(upload.field("kind"))?;
    let period = upload.field("period").unwrap_or_default().to_owned();
    let attachment = evidence::attach(
        &state,
        &user.account,
        id,
        kind,
        &period,
        &upload.name,
        &upload.bytes,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(attachment)).into_response())
}

/// The files on a task the account may see.
#[utoipa::path(get, path = "/api/tasks/{id}/attachments", tag = "提醒",
    params(("id" = i64, Path, description = "任务编号")),
    responses((status = 200, body = [Attachment]), SignedErrors, Missing))]
pub async fn list(
    State(state): State<AppState>,
    user: Signed<rule::TaskReaders>,
    Id(id): Id,
) -> ApiResult {
    ok(evidence::visible(&state, &user.account, id).await?)
}

/// One file, to those who may see the report it belongs to.
#[utoipa::path(get, path = "/api/attachments/{id}", tag = "提醒",
    params(("id" = i64, Path, description = "材料编号")),
    responses((status = 200, description = "文件"), SignedErrors, Missing))]
pub async fn download(
    State(state): State<AppState>,
    user: Signed<rule::TaskReaders>,
    Id(id): Id,
) -> ApiResult {
    let (attachment, bytes) = evidence::fetch(&state, &user.account, id).await?;
    let ascii = format!(
        "evidence-{id}.{}",
        attachment.name.rsplit('.').next().unwrap_or("bin")
    );
    Ok((
        [
            (header::CONTENT_TYPE, attachment.mime.clone()),
            (
                header::CONTENT_DISPOSITION,
                http::attachment(&ascii, &attachment.name),
            ),
        ],
        bytes,
    )
        .into_response())
}
