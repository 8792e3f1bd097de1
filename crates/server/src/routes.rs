//! Every route of the server, pages and API, in one table: the place to see what the server
//! answers and to add a route. Handlers live in `pages/<resource>.rs` and `api/<resource>.rs`;
//! who may call each is in the handler's argument types (`access`).

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, header};
use axum::response::Response;
use axum::routing::{get, post};

use crate::{AppState, UPLOAD_LIMIT, api, assets, error, log, pages};

/// The whole application.
pub fn router(state: AppState) -> Router {
    let pages = Router::new()
        .route("/", get(pages::dashboard::home))
        .route("/login", get(pages::login::page).post(pages::login::submit))
        .route("/logout", post(pages::login::logout))
        .route("/ledger", get(pages::ledger::page))
        .route("/ledger/changes", post(pages::changes::change))
        .route("/tasks/{id}", get(pages::tasks::page))
        .route("/tasks/{id}/report", post(pages::reports::act))
        .route("/tasks/{id}/remind", post(pages::reports::remind))
        .route("/tasks/{id}/extensions", post(pages::extensions::request))
        .route("/tasks/{id}/attachments", post(pages::evidence::upload))
        .route("/attachments/{id}", get(api::evidence::download))
        .route("/extensions/{id}", post(pages::extensions::decide))
        .route("/receipts", post(pages::receipts::acknowledge))
        .route("/my", get(pages::my::page))
        .route("/my/targets", get(pages::targets::mine))
        .route("/me/messages", get(pages::messages::page))
        .route(
            "/inspections",
            get(pages::inspections::page).post(pages::inspections::record),
        )
        .route("/my/rectifications", get(pages::inspections::my))
        .route(
            "/findings/{id}/rectification",
            post(pages::inspections::rectify),
        )
        .route("/plans/{id}", get(pages::plans::page))
        .route("/plans/{id}/actuals", post(pages::plans::record))
        .route(
            "/plans/{id}/projects",
            get(pages::plans::projects).post(pages::plans::set_project),
        )
        .route("/plans/{id}/reports", post(pages::plans::act))
        .route("/plans/{id}/assignments", post(pages::plans::assign))
        .route("/my/plan", get(pages::plans::my))
        .route("/plans/{id}/indicator", get(pages::plans::indicator))
        .route("/scores", get(pages::inspections::scores))
        .route("/scores/scheme", post(pages::inspections::save_scheme))
        .route("/scores/ratings", post(pages::inspections::rate))
        .route("/scores/publish", post(pages::inspections::publish))
        .route("/findings/{id}/files", post(pages::inspections::attach))
        .route("/finding-files/{id}", get(api::inspections::file))
        .route("/targets", get(pages::targets::page))
        .route("/targets/rounds", post(pages::targets::open_round))
        .route(
            "/tasks/{id}/targets",
            get(pages::targets::task).post(pages::targets::act),
        )
        .route("/review", get(pages::review::page))
        .route("/review/accept", post(pages::review::accept))
        .route("/notices", get(pages::notices::page))
        .route("/notices/preview", get(pages::notices::preview))
        .route("/notices/publish", post(pages::notices::publish))
        .route("/notices/{id}/download", get(pages::notices::download))
        .route("/periods/unlock", post(pages::notices::unlock))
        .route(
            "/documents",
            get(pages::documents::page).post(pages::documents::upload),
        )
        .route("/documents/{id}", get(pages::documents::document))
        .route(
            "/documents/{id}/ledger",
            get(pages::documents::ledger_builder).post(pages::documents::create_ledger),
        )
        .route("/import", get(pages::import::page))
        .route("/import/preview", post(pages::import::preview))
        .route("/import/confirm", post(pages::import::confirm))
        .route(
            "/accounts",
            get(pages::accounts::page).post(pages::accounts::create),
        )
        .route("/accounts/unblock", post(pages::accounts::unblock))
        .route("/accounts/disable", post(pages::accounts::disable))
        .route("/accounts/reset", post(pages::accounts::reset))
        .route("/me/password", get(pages::me::page).post(pages::me::change))
        .route("/notify", get(pages::notify::page))
        .route("/notify/channels", post(pages::notify::add))
        .route("/units", get(pages::units::page))
        .route("/units/alias", post(pages::units::add_alias))
        .route("/audit", get(pages::audit::page))
        .route("/help", get(pages::help::page));
    let api = Router::new()
        .route("/openapi.json", get(api::openapi))
        .route("/login", post(api::session::login))
        .route("/logout", post(api::session::logout))
        .route("/me", get(api::session::me))
        .route(
            "/ledgers",
            get(api::ledgers::list).post(api::ledgers::create),
        )
        .route("/ledgers/{name}/sheet", get(api::ledgers::sheet))
        .route("/ledgers/{name}/tasks", get(api::ledgers::tasks))
        .route(
            "/ledgers/{name}/rounds",
            get(api::targets::rounds).post(api::targets::open_round),
        )
        .route(
            "/ledgers/{name}/targets",
            get(api::targets::decomposition_file),
        )
        .route("/ledgers/{name}/export", get(api::targets::ledger_export))
        .route("/ledgers/{name}/changes", post(api::ledgers::change))
        .route(
            "/tasks/{id}/targets",
            get(api::targets::task_targets).post(api::targets::target_action),
        )
        .route("/my/targets", get(api::targets::my_targets))
        .route("/targets/review", get(api::targets::review))
        .route("/tasks/{id}", get(api::tasks::task))
        .route("/tasks/{id}/reports", post(api::tasks::report_action))
        .route("/tasks/{id}/remind", post(api::tasks::remind))
        .route("/my/tasks", get(api::tasks::my_tasks))
        .route("/review", get(api::tasks::review))
        .route("/review/accept", post(api::tasks::accept))
        .route(
            "/notices",
            get(api::notices::list).post(api::notices::publish),
        )
        .route("/notices/{id}", get(api::notices::file))
        .route("/periods/unlock", post(api::notices::unlock))
        .route("/import", post(api::import::import))
        .route(
            "/documents",
            get(api::documents::list).post(api::documents::upload),
        )
        .route("/documents/{id}", get(api::documents::document))
        .route("/documents/{id}/proposals", get(api::documents::proposals))
        .route(
            "/documents/{id}/ledger",
            post(api::documents::create_ledger),
        )
        .route(
            "/accounts",
            get(api::accounts::list).post(api::accounts::create),
        )
        .route("/accounts/unblock", post(api::accounts::unblock))
        .route("/accounts/disable", post(api::accounts::disable))
        .route("/accounts/reset", post(api::accounts::reset))
        .route("/me/password", post(api::session::change_password))
        .route(
            "/notify/channels",
            get(api::notify::channels).post(api::notify::add),
        )
        .route("/notify/deliveries", get(api::notify::deliveries))
        .route(
            "/tasks/{id}/extensions",
            get(api::extensions::of_task).post(api::extensions::request),
        )
        .route("/extensions", get(api::extensions::pending))
        .route("/receipts", post(api::receipts::acknowledge))
        .route("/receipts/missing", get(api::receipts::missing))
        .route("/my/messages", get(api::receipts::messages))
        .route(
            "/tasks/{id}/attachments",
            get(api::evidence::list).post(api::evidence::upload),
        )
        .route("/attachments/{id}", get(api::evidence::download))
        .route("/extensions/{id}", post(api::extensions::decide))
        .route("/inspections", post(api::inspections::record))
        .route("/ledgers/{name}/inspections", get(api::inspections::list))
        .route("/inspections/{id}/notice", get(api::inspections::notice))
        .route("/rectifications", get(api::inspections::rectifications))
        .route(
            "/findings/{id}/rectification",
            post(api::inspections::rectify),
        )
        .route("/ledgers/{name}/scores", get(api::inspections::scores))
        .route(
            "/ledgers/{name}/scheme",
            get(api::inspections::scheme).post(api::inspections::set_scheme),
        )
        .route("/ratings", post(api::inspections::rate))
        .route(
            "/assessments",
            get(api::inspections::published).post(api::inspections::publish),
        )
        .route("/assessments/{id}", get(api::inspections::published_file))
        .route(
            "/findings/{id}/files",
            get(api::inspections::files).post(api::inspections::attach),
        )
        .route("/finding-files/{id}", get(api::inspections::file))
        .route("/plans/{id}/indicators", get(api::plans::indicators))
        .route("/plans/{id}/actuals", post(api::plans::record))
        .route("/plans/{id}/evaluation", get(api::plans::evaluation))
        .route("/plans/{id}/assignments", post(api::plans::assign))
        .route(
            "/plans/{id}/projects",
            get(api::plans::projects).post(api::plans::set_project),
        )
        .route(
            "/plans/{id}/reports",
            get(api::plans::reports).post(api::plans::act),
        )
        .route(
            "/plans/{id}/project-notice",
            get(api::plans::project_notice),
        )
        .route("/units", get(api::units::list))
        .route("/units/aliases", post(api::units::add_alias))
        .route("/audit", get(api::audit::list));
    Router::new()
        .merge(pages)
        .nest("/api", api)
        .merge(assets::routes())
        .fallback(error::not_found)
        .method_not_allowed_fallback(error::wrong_method)
        .layer(DefaultBodyLimit::max(UPLOAD_LIMIT))
        .layer(axum::middleware::from_fn(error::render))
        .layer(axum::middleware::from_fn(log::requests))
        .layer(axum::middleware::map_response_with_state(
            state.clone(),
            security_headers,
        ))
        .with_state(state)
}

async fn security_headers(
    axum::extract::State(state): axum::extract::State<AppState>,
    mut response: Response,
) -> Response {
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
