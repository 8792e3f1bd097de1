//! duban-server: the web pages and the REST API of the reporting cycle (报送、审核、通报).
//!
//! Owns HTTP and nothing else: the route table (`routes`), who is asking (`viewer`), the access
//! and CSRF rules in extractor types (`access`), errors rendered once as a page or JSON
//! (`error`), the request log (`log`), the pages (`pages/`, askama templates in `templates/`)
//! and the JSON API (`api/`, described at `/api/openapi.json`). Every operation more than one
//! front end needs is in `duban-app`; all state lives in the database, so any number of server
//! processes can share one PostgreSQL. It must not judge tasks or lay out notices itself.

pub mod access;
mod api;
mod assets;
pub mod error;
mod http;
mod log;
mod pages;
mod routes;
pub mod viewer;
mod views;

use std::net::SocketAddr;
use std::ops::Deref;

use duban_app::App;
use duban_core::Calendar;
use duban_store::Store;

pub use duban_app::demo;
pub use error::{Error, Failure};
pub use routes::router;
pub use viewer::Viewer;

/// The API's OpenAPI document (as served at `/api/openapi.json`), generated from the handlers.
pub fn openapi_document() -> serde_json::Value {
    serde_json::to_value(api::doc::document()).unwrap_or_default()
}

/// Uploads are tables and documents of a few hundred KB; 10 MB leaves room and stops abuse.
pub const UPLOAD_LIMIT: usize = 10 * 1024 * 1024;

/// What every handler shares: the application and how it is served. Nothing here is per-user
/// state: that is in the database.
#[derive(Debug, Clone)]
pub struct AppState {
    pub app: App,
    /// Mark cookies `Secure` (when served behind HTTPS).
    pub secure_cookies: bool,
    /// Reverse proxies whose X-Forwarded-For is believed: behind one, every user would
    /// otherwise have the proxy's address.
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

impl AppState {
    pub fn new(store: Store, calendar: Calendar) -> AppState {
        AppState {
            app: App::new(store, calendar),
            secure_cookies: false,
            trusted_proxies: Vec::new(),
        }
    }
}

/// Handlers reach the operations and the store through the state.
impl Deref for AppState {
    type Target = App;

    fn deref(&self) -> &App {
        &self.app
    }
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
