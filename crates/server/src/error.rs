//! One error type, rendered once. A handler returns `Result<_, Failure>`; the failure becomes an
//! empty response carrying what went wrong, and `render` (a middleware around every route) turns
//! it into JSON for `/api` and into a Chinese page (or the login page) for everything else, so
//! no handler decides how an error looks. Internal errors are logged with their cause and a
//! reference; people see the reference, never database text.

use askama::Template;
use axum::extract::Request;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};

use crate::http;
use crate::viewer::{Viewer, ViewerSlot};
use crate::views::{ErrorPage, Layout};

pub use duban_app::Error;

/// An operation's error on its way to becoming a response.
#[derive(Debug)]
pub struct Failure(pub Error);

impl<E: Into<Error>> From<E> for Failure {
    fn from(e: E) -> Failure {
        Failure(e.into())
    }
}

/// A template that failed to render: a fault of the system.
pub fn template(e: askama::Error) -> Error {
    Error::internal(format!("页面生成失败：{e}"))
}

pub fn status(error: &Error) -> StatusCode {
    match error {
        Error::Unauthenticated => StatusCode::UNAUTHORIZED,
        Error::Forbidden(_) => StatusCode::FORBIDDEN,
        Error::NotFound(_) => StatusCode::NOT_FOUND,
        Error::Conflict(_) => StatusCode::CONFLICT,
        Error::BadRequest(_) => StatusCode::BAD_REQUEST,
        Error::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
        Error::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
        Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// What `render` needs of a failure: the words for people and whether a login would help.
#[derive(Debug, Clone)]
struct Shown {
    message: String,
    unauthenticated: bool,
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let message = match &self.0 {
            Error::Internal(cause) => {
                let reference = reference();
                tracing::error!(reference = %reference, cause = %cause, "内部错误");
                format!(
                    "服务器内部错误（编号 {reference}）：请稍后重试；如仍出错，请把编号告诉系统管理员"
                )
            }
            other => other.to_string(),
        };
        let mut response = status(&self.0).into_response();
        response.extensions_mut().insert(Shown {
            message,
            unauthenticated: matches!(self.0, Error::Unauthenticated),
        });
        response
    }
}

/// A short reference people can quote, found again in the log.
fn reference() -> String {
    duban_app::auth::new_token()
        .map(|t| {
            t.chars()
                .filter(char::is_ascii_alphanumeric)
                .take(8)
                .collect()
        })
        .unwrap_or_else(|_| "--------".to_owned())
}

/// Renders every failure of the request it wraps: JSON `{"error": …}` under `/api`, else the
/// login page (no session) or an error page in the frame of whoever is signed in.
pub async fn render(mut request: Request, next: Next) -> Response {
    let api = is_api(request.uri().path());
    let back = if request.method() == Method::GET {
        request
            .uri()
            .path_and_query()
            .map_or("/".to_owned(), |p| p.as_str().to_owned())
    } else {
        came_from(request.headers())
    };
    // Put in by the request log around this; a router without it gets its own.
    let slot = match request.extensions().get::<ViewerSlot>() {
        Some(slot) => slot.clone(),
        None => {
            let slot = ViewerSlot::default();
            request.extensions_mut().insert(slot.clone());
            slot
        }
    };
    let response = next.run(request).await;
    let Some(shown) = response.extensions().get::<Shown>().cloned() else {
        return response;
    };
    let status = response.status();
    if api {
        return (
            status,
            axum::Json(serde_json::json!({ "error": shown.message })),
        )
            .into_response();
    }
    if shown.unauthenticated {
        let target = format!("/login?next={}", http::query_value(&back));
        return Redirect::to(&target).into_response();
    }
    let viewer = slot.get().unwrap_or_else(Viewer::nobody);
    page(&viewer, status, shown.message)
}

fn is_api(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/")
}

/// The page a form was posted from, to come back to after logging in (only a path of this site).
fn came_from(headers: &HeaderMap) -> String {
    headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| {
            let after_scheme = r.split_once("://").map_or(r, |(_, rest)| rest);
            after_scheme.find('/').map(|i| after_scheme[i..].to_owned())
        })
        .filter(|p| p.starts_with('/') && !p.starts_with("//"))
        .unwrap_or_else(|| "/".to_owned())
}

/// The error page.
pub fn page(viewer: &Viewer, status: StatusCode, message: String) -> Response {
    let page = ErrorPage {
        layout: Layout::new(viewer, "出错了", ""),
        status: status.as_u16(),
        message,
    };
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(_) => (status, page.message).into_response(),
    }
}

/// A path that exists, asked with another method (a form's address typed into the browser).
pub async fn wrong_method() -> Response {
    let mut response = StatusCode::METHOD_NOT_ALLOWED.into_response();
    response.extensions_mut().insert(Shown {
        message: "此地址不能这样打开：请从页面上的按钮或链接进入".to_owned(),
        unauthenticated: false,
    });
    response
}

/// A path no route answers.
pub async fn not_found() -> Failure {
    Failure(Error::NotFound("没有这个页面：请从菜单进入".to_owned()))
}
