//! The front-end files, built into the binary: Pico CSS, htmx and Chart.js from npm
//! (`web/package-lock.json`, installed by `build.rs`), and duban's own `app.css` and `app.js`.

use axum::Router;
use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::AppState;

macro_rules! web {
    ($path:literal) => {
        include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/web/", $path))
    };
}

const ASSETS: &[(&str, &str, &[u8])] = &[
    (
        "pico.css",
        "text/css; charset=utf-8",
        web!("node_modules/@picocss/pico/css/pico.min.css"),
    ),
    (
        "htmx.js",
        "text/javascript; charset=utf-8",
        web!("node_modules/htmx.org/dist/htmx.min.js"),
    ),
    (
        "chart.js",
        "text/javascript; charset=utf-8",
        web!("node_modules/chart.js/dist/chart.umd.min.js"),
    ),
    ("app.css", "text/css; charset=utf-8", web!("app.css")),
    ("app.js", "text/javascript; charset=utf-8", web!("app.js")),
];

pub fn routes() -> Router<AppState> {
    Router::new().route("/assets/{name}", get(asset))
}

async fn asset(Path(name): Path<String>) -> Response {
    match ASSETS.iter().find(|(n, _, _)| *n == name) {
        Some((_, mime, bytes)) => (
            [
                (header::CONTENT_TYPE, *mime),
                (header::CACHE_CONTROL, "public, max-age=3600"),
            ],
            *bytes,
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "没有这个文件").into_response(),
    }
}
