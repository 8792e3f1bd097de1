//! duban-server: the web pages and the REST API of the reporting cycle (报送、审核、通报).
//!
//! Owns HTTP: routes (`router`), accounts and sessions (`auth`), who may see and do what
//! (`access`), the pages (`pages`, askama templates in `templates/`) and the JSON API (`api`,
//! described at `/api/openapi.json`). All state lives in the database through `duban-store`, so
//! any number of server processes can share one PostgreSQL. It must not judge tasks or lay out
//! notices itself: `duban-core` and `duban-notice` do that.

pub mod access;
mod api;
mod assets;
pub mod auth;
pub mod demo;
mod pages;
mod views;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::{ConnectInfo, DefaultBodyLimit, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use duban_core::{AccountRole, Calendar};
use duban_store::{Account, Store, StoreError};

pub use pages::{AccountRequest, create_account_with_password};

/// Uploads are tables and documents of a few hundred KB; 10 MB leaves room and stops abuse.
pub const UPLOAD_LIMIT: usize = 10 * 1024 * 1024;

/// What every handler shares. Nothing here is per-user state: that is in the database.
#[derive(Debug, Clone)]
pub struct AppState {
    pub store: Store,
    pub calendar: Arc<Calendar>,
    /// Mark cookies `Secure` (when served behind HTTPS).
    pub secure_cookies: bool,
    /// Reverse proxies whose X-Forwarded-For is believed: behind one, every user would
    /// otherwise have the proxy's address.
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

impl AppState {
    pub fn new(store: Store, calendar: Calendar) -> AppState {
        AppState {
            store,
            calendar: Arc::new(calendar),
            secure_cookies: false,
            trusted_proxies: Vec::new(),
        }
    }
}

/// Everything the application answers with when it cannot do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("请先登录")]
    Unauthenticated,
    #[error("无权访问：{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    TooManyRequests(String),
    /// A request body over the upload limit.
    #[error("{0}")]
    TooLarge(String),
    #[error("服务器内部错误：{0}")]
    Internal(String),
}

impl Error {
    pub fn status(&self) -> StatusCode {
        match self {
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
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Error {
        match e {
            StoreError::Forbidden(m) => Error::Forbidden(m),
            StoreError::NotFound { .. } => Error::NotFound(e.to_string()),
            // An action of another role is a matter of rights; one out of order, of state.
            StoreError::Workflow(duban_core::WorkflowError::WrongRole { .. }) => {
                Error::Forbidden(e.to_string())
            }
            StoreError::Workflow(duban_core::WorkflowError::NotAReportingPeriod { .. }) => {
                Error::BadRequest(e.to_string())
            }
            StoreError::Conflict(_) | StoreError::Workflow(_) => Error::Conflict(e.to_string()),
            StoreError::Invalid(_) => Error::BadRequest(e.to_string()),
            other => Error::Internal(other.to_string()),
        }
    }
}

impl From<askama::Error> for Error {
    fn from(e: askama::Error) -> Error {
        Error::Internal(format!("页面生成失败：{e}"))
    }
}

/// Who is asking: an account with its session's CSRF token, or nobody (the public).
#[derive(Debug, Clone)]
pub struct Viewer {
    pub account: Option<Account>,
    pub csrf: String,
    pub token_hash: Option<String>,
    pub client: String,
}

impl Viewer {
    pub fn role(&self) -> AccountRole {
        self.account
            .as_ref()
            .map_or(AccountRole::Public, |a| a.role)
    }

    /// The account, if its role is one of `roles`.
    pub fn require(&self, roles: &[AccountRole]) -> Result<&Account, Error> {
        let account = self.account.as_ref().ok_or(Error::Unauthenticated)?;
        if roles.contains(&account.role) {
            Ok(account)
        } else {
            Err(Error::Forbidden(format!(
                "{}不能使用此功能",
                account.role.label_zh()
            )))
        }
    }

    /// Refuses a state-changing request whose CSRF token is not the session's.
    pub fn check_csrf(&self, token: Option<&str>) -> Result<(), Error> {
        match token {
            Some(t) if !self.csrf.is_empty() && auth::same_token(t, &self.csrf) => Ok(()),
            _ => Err(Error::Forbidden(
                "表单已过期或来源不明（CSRF 校验失败）：请刷新页面后重试".to_owned(),
            )),
        }
    }
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Viewer, Response> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        // The address the trusted proxy saw is the last one it appended; from anyone else the
        // header is whatever the client wrote, and is ignored.
        let forwarded = peer
            .filter(|ip| state.trusted_proxies.contains(ip))
            .and_then(|_| {
                parts
                    .headers
                    .get_all("x-forwarded-for")
                    .iter()
                    .filter_map(|v| v.to_str().ok())
                    .flat_map(|v| v.split(','))
                    .filter_map(|a| a.trim().parse::<std::net::IpAddr>().ok())
                    .next_back()
            });
        let client = forwarded
            .or(peer)
            .map_or_else(|| "local".to_owned(), |ip| ip.to_string());
        let token = parts
            .headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(auth::token_from_cookies)
            .map(str::to_owned);
        let mut viewer = Viewer {
            account: None,
            csrf: String::new(),
            token_hash: None,
            client,
        };
        if let Some(token) = token {
            let hash = auth::token_hash(&token);
            match state.store.session(&hash, auth::now_seconds()).await {
                Ok(Some((account, csrf))) => {
                    viewer.account = Some(account);
                    viewer.csrf = csrf;
                    viewer.token_hash = Some(hash);
                }
                Ok(None) => {}
                Err(e) => return Err(pages::error_page(&viewer, Error::from(e))),
            }
        }
        Ok(viewer)
    }
}

/// A numeric id in the address (/tasks/12): anything else is a page that does not exist, said in
/// Chinese (the API answers JSON), rather than the router's English "Invalid URL".
#[derive(Debug, Clone, Copy)]
pub struct Id(pub i64);

impl FromRequestParts<AppState> for Id {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Id, Response> {
        let raw = axum::extract::Path::<String>::from_request_parts(parts, state)
            .await
            .map(|p| p.0)
            .unwrap_or_default();
        if let Ok(id) = raw.trim().parse::<i64>() {
            return Ok(Id(id));
        }
        let error = Error::NotFound(format!("地址中的编号“{raw}”不是数字：请从列表中打开"));
        if parts.uri.path().starts_with("/api/") {
            return Err((
                error.status(),
                axum::Json(serde_json::json!({ "error": error.to_string() })),
            )
                .into_response());
        }
        let viewer = Viewer::from_request_parts(parts, state).await?;
        Err(pages::error_page(&viewer, error))
    }
}

/// The whole application.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(pages::routes())
        .nest("/api", api::routes())
        .merge(assets::routes())
        .layer(DefaultBodyLimit::max(UPLOAD_LIMIT))
        .layer(axum::middleware::map_response_with_state(
            state.clone(),
            security_headers,
        ))
        .with_state(state)
}

async fn security_headers(State(state): State<AppState>, mut response: Response) -> Response {
    let headers = response.headers_mut();
    // Behind HTTPS (the cookies are Secure), browsers are told to come back only over HTTPS.
    if state.secure_cookies {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'",
        ),
    );
    response
}

/// Serves until `shutdown` completes. The listener is bound by the caller (port 0 in tests).
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

/// Where a page request without a session is sent.
fn to_login(next: &str) -> Response {
    let target = format!("/login?next={}", urlencode(next));
    Redirect::to(&target).into_response()
}

/// `key=value&…` with the values encoded; empty values left out.
fn query_string(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", urlencode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn urlencode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
