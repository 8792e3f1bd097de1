//! Access, CSRF and input in the types. A handler names what it needs in its arguments —
//! `Signed<rule::Office>` (an account of the office), `CsrfForm<T>` (a form whose CSRF token is
//! the session's) — and cannot run without it; a forgotten check is a missing argument, which the
//! route table's types make visible. The rules (which roles) are `duban_app::access`'s.
//!
//! Every input extractor here refuses bad input with a Chinese message (rendered as a page or
//! JSON by `error::render`), never axum's English rejection text.

use std::marker::PhantomData;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Multipart, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use duban_core::AccountRole;
use duban_store::Account;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::AppState;
use crate::error::{Error, Failure};
use crate::viewer::Viewer;

/// A set of roles a route admits.
pub trait Rule: Send + Sync + 'static {
    const ROLES: &'static [AccountRole];
}

/// The rules routes use, named after who they admit.
pub mod rule {
    use duban_app::access;
    use duban_core::AccountRole;

    use super::Rule;

    /// Any signed-in account, the public's included.
    #[derive(Debug)]
    pub struct Anyone;
    impl Rule for Anyone {
        const ROLES: &'static [AccountRole] = AccountRole::ALL;
    }

    /// 督查室 only.
    #[derive(Debug)]
    pub struct Office;
    impl Rule for Office {
        const ROLES: &'static [AccountRole] = access::OFFICE;
    }

    /// The office and the leaders (their portfolio).
    #[derive(Debug)]
    pub struct Oversight;
    impl Rule for Oversight {
        const ROLES: &'static [AccountRole] = access::OVERSIGHT;
    }

    /// A unit's reporter or head.
    #[derive(Debug)]
    pub struct Unit;
    impl Rule for Unit {
        const ROLES: &'static [AccountRole] = access::UNIT;
    }

    /// Anyone with a part in tasks (each task then checks its own).
    #[derive(Debug)]
    pub struct TaskReaders;
    impl Rule for TaskReaders {
        const ROLES: &'static [AccountRole] = access::TASK_READERS;
    }

    /// Those who act on reports (each action then checks its own role in the workflow).
    #[derive(Debug)]
    pub struct ReportActors;
    impl Rule for ReportActors {
        const ROLES: &'static [AccountRole] = access::REPORT_ACTORS;
    }
}

/// A signed-in account whose role the rule `R` admits: 401 without a session, 403 for another
/// role.
#[derive(Debug)]
pub struct Signed<R> {
    pub account: Account,
    pub viewer: Viewer,
    rule: PhantomData<R>,
}

impl<R: Rule> FromRequestParts<AppState> for Signed<R> {
    type Rejection = Failure;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Failure> {
        let viewer = Viewer::from_request_parts(parts, state).await?;
        let account = viewer.require(R::ROLES)?.clone();
        Ok(Signed {
            account,
            viewer,
            rule: PhantomData,
        })
    }
}

#[derive(Debug, Deserialize)]
struct CsrfField {
    #[serde(default)]
    csrf: Option<String>,
}

/// The signed-in viewer of a state-changing request, once its token is checked.
async fn checked_viewer(
    parts: &mut Parts,
    state: &AppState,
    token: Option<&str>,
) -> Result<Viewer, Failure> {
    let viewer = Viewer::from_request_parts(parts, state).await?;
    if viewer.account.is_none() {
        return Err(Error::Unauthenticated.into());
    }
    viewer.check_csrf(token)?;
    Ok(viewer)
}

fn body_error(status: StatusCode, what: &str, detail: impl std::fmt::Display) -> Failure {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        Error::TooLarge("提交的内容过大：不能超过 10 MB".to_owned()).into()
    } else {
        let detail = duban_extract::serde_message_zh(&detail.to_string());
        Error::BadRequest(format!("{what}有误：{detail}")).into()
    }
}

async fn body_bytes(request: Request, state: &AppState) -> Result<Bytes, Failure> {
    Bytes::from_request(request, state)
        .await
        .map_err(|e| body_error(e.status(), "提交的内容", e.body_text()))
}

/// A form (application/x-www-form-urlencoded), without a CSRF check: only for logging in.
#[derive(Debug)]
pub struct FormBody<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for FormBody<T> {
    type Rejection = Failure;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Failure> {
        let bytes = body_bytes(request, state).await?;
        serde_urlencoded::from_bytes(&bytes)
            .map(FormBody)
            .map_err(|e| body_error(StatusCode::BAD_REQUEST, "表单内容", e))
    }
}

/// A form whose `csrf` field is the session's token; the viewer comes with it.
#[derive(Debug)]
pub struct CsrfForm<T> {
    pub form: T,
    pub viewer: Viewer,
}

impl<T: DeserializeOwned> FromRequest<AppState> for CsrfForm<T> {
    type Rejection = Failure;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Failure> {
        let (mut parts, body) = request.into_parts();
        let bytes = body_bytes(Request::from_parts(parts.clone(), body), state).await?;
        let field: CsrfField = serde_urlencoded::from_bytes(&bytes)
            .map_err(|e| body_error(StatusCode::BAD_REQUEST, "表单内容", e))?;
        let viewer = checked_viewer(&mut parts, state, field.csrf.as_deref()).await?;
        let form = serde_urlencoded::from_bytes(&bytes)
            .map_err(|e| body_error(StatusCode::BAD_REQUEST, "表单内容", e))?;
        Ok(CsrfForm { form, viewer })
    }
}

/// A JSON body, without a CSRF check: only for logging in.
#[derive(Debug)]
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for JsonBody<T> {
    type Rejection = Failure;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Failure> {
        let bytes = body_bytes(request, state).await?;
        serde_json::from_slice(&bytes)
            .map(JsonBody)
            .map_err(|e| body_error(StatusCode::BAD_REQUEST, "JSON 内容", e))
    }
}

/// A JSON body of an API call whose `X-CSRF-Token` header is the session's token.
#[derive(Debug)]
pub struct CsrfJson<T> {
    pub body: T,
    pub viewer: Viewer,
}

fn csrf_header(parts: &Parts) -> Option<String> {
    parts
        .headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

impl<T: DeserializeOwned> FromRequest<AppState> for CsrfJson<T> {
    type Rejection = Failure;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Failure> {
        let (mut parts, body) = request.into_parts();
        let token = csrf_header(&parts);
        let viewer = checked_viewer(&mut parts, state, token.as_deref()).await?;
        let bytes = body_bytes(Request::from_parts(parts, body), state).await?;
        // An action without a body (logging out) reads as JSON null.
        let bytes: &[u8] = if bytes.is_empty() { b"null" } else { &bytes };
        let body = serde_json::from_slice(bytes)
            .map_err(|e| body_error(StatusCode::BAD_REQUEST, "JSON 内容", e))?;
        Ok(CsrfJson { body, viewer })
    }
}

/// An uploaded file (multipart field `file`), with the CSRF token in the form's `csrf` field
/// (pages) or the `X-CSRF-Token` header (API).
#[derive(Debug)]
pub struct Upload {
    pub name: String,
    pub bytes: Vec<u8>,
    pub viewer: Viewer,
    /// The form's other text fields (a document's kind …).
    pub fields: Vec<(String, String)>,
}

impl Upload {
    /// A text field of the form.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

impl FromRequest<AppState> for Upload {
    type Rejection = Failure;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Failure> {
        let (mut parts, body) = request.into_parts();
        let header = csrf_header(&parts);
        // Who is asking comes first: an anonymous upload is not read at all.
        let viewer = Viewer::from_request_parts(&mut parts, state).await?;
        if viewer.account.is_none() {
            return Err(Error::Unauthenticated.into());
        }
        let mut multipart = Multipart::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(|_| Error::BadRequest("上传失败：请用文件上传表单提交".to_owned()))?;
        let failed = |e: axum::extract::multipart::MultipartError| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                Failure(Error::TooLarge("上传失败：文件不能超过 10 MB".to_owned()))
            } else {
                Failure(Error::BadRequest(
                    "上传失败：表单内容不完整，请重新选择文件上传".to_owned(),
                ))
            }
        };
        let (mut csrf, mut file, mut fields) = (header, None, Vec::new());
        while let Some(field) = multipart.next_field().await.map_err(failed)? {
            match field.name().map(str::to_owned).as_deref() {
                Some("csrf") if csrf.is_none() => csrf = Some(field.text().await.map_err(failed)?),
                Some("csrf") => {}
                Some("file") => {
                    let name = field.file_name().unwrap_or("upload").to_owned();
                    file = Some((name, field.bytes().await.map_err(failed)?.to_vec()));
                }
                Some(other) => fields.push((other.to_owned(), field.text().await.map_err(failed)?)),
                None => {}
            }
        }
        viewer.check_csrf(csrf.as_deref())?;
        let (name, bytes) =
            file.ok_or_else(|| Error::BadRequest("请选择要上传的文件（字段 file）".to_owned()))?;
        Ok(Upload {
            name,
            bytes,
            viewer,
            fields,
        })
    }
}

/// Query parameters, refused in Chinese when they do not parse.
#[derive(Debug)]
pub struct Query<T>(pub T);

impl<T: DeserializeOwned> FromRequestParts<AppState> for Query<T> {
    type Rejection = Failure;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Failure> {
        serde_urlencoded::from_str(parts.uri.query().unwrap_or_default())
            .map(Query)
            .map_err(|e| {
                let detail = duban_extract::serde_message_zh(&e.to_string());
                Error::BadRequest(format!("地址中的查询参数有误：{detail}")).into()
            })
    }
}

/// A numeric id in the address (/tasks/12): anything else is a page that does not exist, said
/// in Chinese, rather than the router's English "Invalid URL".
#[derive(Debug, Clone, Copy)]
pub struct Id(pub i64);

impl FromRequestParts<AppState> for Id {
    type Rejection = Failure;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Id, Failure> {
        let raw = axum::extract::Path::<String>::from_request_parts(parts, state)
            .await
            .map(|p| p.0)
            .unwrap_or_default();
        raw.trim().parse::<i64>().map(Id).map_err(|_| {
            Error::NotFound(format!("地址中的编号“{raw}”不是数字：请从列表中打开")).into()
        })
    }
}

/// A text in the address (a ledger's name), decoded.
#[derive(Debug, Clone)]
pub struct Name(pub String);

impl FromRequestParts<AppState> for Name {
    type Rejection = Failure;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Name, Failure> {
        axum::extract::Path::<String>::from_request_parts(parts, state)
            .await
            .map(|p| Name(p.0))
            .map_err(|e| Error::BadRequest(format!("地址有误：{}", e.body_text())).into())
    }
}

/// Whether htmx asked (header `HX-Request`): such a request gets only the fragment it replaces.
#[derive(Debug, Clone, Copy)]
pub struct Htmx(pub bool);

impl FromRequestParts<AppState> for Htmx {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        _: &AppState,
    ) -> Result<Self, std::convert::Infallible> {
        Ok(Htmx(parts.headers.contains_key("hx-request")))
    }
}
