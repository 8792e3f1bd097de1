//! Who is asking: an account with its session's CSRF token, or nobody (the public), and from
//! which address. Looked up once per request: the first extractor that asks stores the answer
//! in the request's `ViewerSlot`, where the later ones, the error pages and the log find it.

use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::header;
use axum::http::request::Parts;
use duban_core::AccountRole;
use duban_store::Account;

use crate::error::{Error, Failure};
use crate::{AppState, http};

#[derive(Debug, Clone)]
pub struct Viewer {
    pub account: Option<Account>,
    pub csrf: String,
    pub token_hash: Option<String>,
    pub client: String,
}

impl Viewer {
    /// Nobody signed in, from nowhere known.
    pub fn nobody() -> Viewer {
        Viewer {
            account: None,
            csrf: String::new(),
            token_hash: None,
            client: "local".to_owned(),
        }
    }

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
            Some(t) if !self.csrf.is_empty() && duban_app::auth::same_token(t, &self.csrf) => {
                Ok(())
            }
            _ => Err(Error::Forbidden(
                "表单已过期或来源不明（CSRF 校验失败）：请刷新页面后重试".to_owned(),
            )),
        }
    }
}

/// Where the request's viewer is kept once looked up (put in by `error::render`).
#[derive(Debug, Clone, Default)]
pub struct ViewerSlot(Arc<OnceLock<Viewer>>);

impl ViewerSlot {
    pub fn get(&self) -> Option<Viewer> {
        self.0.get().cloned()
    }
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = Failure;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Viewer, Failure> {
        let slot = parts.extensions.get::<ViewerSlot>().cloned();
        if let Some(viewer) = slot.as_ref().and_then(ViewerSlot::get) {
            return Ok(viewer);
        }
        let mut viewer = Viewer {
            client: client(parts, state),
            ..Viewer::nobody()
        };
        let token = parts
            .headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(http::token);
        if let Some(token) = token {
            let hash = duban_app::auth::token_hash(&token);
            if let Some((account, csrf)) = state
                .store
                .session(&hash, duban_app::auth::now_seconds())
                .await?
            {
                viewer.account = Some(account);
                viewer.csrf = csrf;
                viewer.token_hash = Some(hash);
            }
        }
        if let Some(slot) = slot {
            let _ = slot.0.set(viewer.clone());
        }
        Ok(viewer)
    }
}

/// The client's address: the peer's, or behind a trusted proxy the last one it appended to
/// X-Forwarded-For; from anyone else the header is whatever the client wrote, and is ignored.
fn client(parts: &Parts, state: &AppState) -> String {
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
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
    forwarded
        .or(peer)
        .map_or_else(|| "local".to_owned(), |ip| ip.to_string())
}
