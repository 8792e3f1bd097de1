//! One log line per request: method, path (without the query, which can carry names people
//! searched for), status, latency and the account id. Never a password, a token or a report's
//! text: bodies and headers are not logged.

use std::time::Instant;

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;

use crate::viewer::ViewerSlot;

pub async fn requests(mut request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let slot = ViewerSlot::default();
    request.extensions_mut().insert(slot.clone());
    let response = next.run(request).await;
    let account = slot
        .get()
        .and_then(|v| v.account.map(|a| a.id))
        .map_or_else(|| "-".to_owned(), |id| id.to_string());
    let status = response.status().as_u16();
    let micros = started.elapsed().as_micros();
    if status >= 500 {
        tracing::warn!(%method, %path, status, micros, account, "request");
    } else {
        tracing::info!(%method, %path, status, micros, account, "request");
    }
    response
}
