//! Logging in and out.

use askama::Template;
use axum::extract::State;
use axum::http::header;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{PageResult, render, see_other};
use crate::access::{CsrfForm, FormBody, Query, Signed, rule};
use crate::error::{self, Error};
use crate::views::{Layout, LoginPage};
use crate::{AppState, Viewer, http};

#[derive(Debug, Deserialize, Default)]
pub struct NextQuery {
    #[serde(default)]
    next: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<NextQuery>,
) -> PageResult {
    if viewer.account.is_some() {
        return Ok(see_other("/"));
    }
    render(&LoginPage {
        layout: Layout::new(&viewer, "登录", "/login"),
        next: safe_next(q.next.as_deref()),
        login: String::new(),
        error: None,
        first_run: first_run(&state).await?,
    })
}

/// On a new installation nobody can log in yet: the login page says how to make the first
/// office account (on the server, not through the web: the web has no account to ask).
async fn first_run(state: &AppState) -> Result<bool, duban_app::Error> {
    Ok(state.store.accounts().await?.is_empty())
}

/// Only a path on this site: never an address elsewhere (open redirect).
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_owned(),
        _ => "/".to_owned(),
    }
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    login: String,
    password: String,
    #[serde(default)]
    next: Option<String>,
}

pub async fn submit(
    State(state): State<AppState>,
    viewer: Viewer,
    FormBody(form): FormBody<LoginForm>,
) -> PageResult {
    let next = safe_next(form.next.as_deref());
    match duban_app::session::open_session(&state, &viewer.client, &form.login, &form.password)
        .await
    {
        Ok(opened) => {
            let target = if next == "/" && opened.account.role.needs_unit() {
                "/my".to_owned()
            } else {
                next
            };
            let cookie = http::session(&opened.token, state.secure_cookies);
            Ok(([(header::SET_COOKIE, cookie)], Redirect::to(&target)).into_response())
        }
        // A refused login stays on the login page, with the name typed and the reason.
        Err(e @ (Error::Forbidden(_) | Error::TooManyRequests(_))) => {
            let status = error::status(&e);
            let page = LoginPage {
                layout: Layout::new(&viewer, "登录", "/login"),
                next,
                login: form.login.trim().to_owned(),
                error: Some(e.message()),
                first_run: first_run(&state).await?,
            };
            let html = page.render().map_err(crate::error::template)?;
            Ok((status, Html(html)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize)]
pub struct Nothing {}

pub async fn logout(
    State(state): State<AppState>,
    _: Signed<rule::Anyone>,
    CsrfForm { viewer, .. }: CsrfForm<Nothing>,
) -> Result<Response, crate::Failure> {
    if let Some(hash) = &viewer.token_hash {
        duban_app::session::end_session(&state, hash).await?;
    }
    Ok((
        [(header::SET_COOKIE, http::cleared())],
        Redirect::to("/login"),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_on_this_site_are_followed_after_login() {
        assert_eq!(
            safe_next(Some("/tasks/3?period=2023-09")),
            "/tasks/3?period=2023-09"
        );
        for bad in ["https://evil.example/", "//evil.example/", "/\\evil", ""] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad}");
        }
        assert_eq!(safe_next(None), "/");
    }
}
