//! Accounts (账号): the office's list, creating an account, lifting a login block.

use axum::extract::State;
use duban_app::Error;
use duban_app::accounts::{self, AccountRequest, DisableForm, ResetForm};
use duban_core::AccountRole;
use serde::Deserialize;

use super::{PageResult, render};
use crate::access::{CsrfForm, Signed, rule};
use crate::views::{AccountsPage, Choice, Layout};
use crate::{AppState, Viewer};

async fn view(state: &AppState, viewer: &Viewer, message: Option<String>) -> PageResult {
    let units = state.store.units().await?;
    let leaders = state.store.leaders().await?;
    render(&AccountsPage {
        layout: Layout::new(viewer, "账号", "/accounts"),
        accounts: state.store.accounts().await?,
        roles: Choice::list(
            AccountRole::ALL
                .iter()
                .map(|r| (r.code().to_owned(), r.label_zh().to_owned())),
            "",
        ),
        units: Choice::list(
            units
                .into_iter()
                .map(|u| (u.unit.name.clone(), u.unit.name)),
            "",
        ),
        leaders: Choice::list(leaders.into_iter().map(|l| (l.clone(), l)), ""),
        message,
    })
}

pub async fn page(State(state): State<AppState>, user: Signed<rule::Office>) -> PageResult {
    view(&state, &user.viewer, None).await
}

pub async fn create(
    State(state): State<AppState>,
    user: Signed<rule::Office>,
    CsrfForm { form, .. }: CsrfForm<AccountRequest>,
) -> PageResult {
    let request = form;
    // What went wrong with the form is said above the form, which stays on the page.
    let message = match accounts::create(&state, &user.account.actor(), request).await {
        Ok(created) => format!("已创建账号 {}", created.login),
        Err(Error::BadRequest(m) | Error::Conflict(m) | Error::NotFound(m)) => m,
        Err(e) => return Err(e.into()),
    };
    view(&state, &user.viewer, Some(message)).await
}

#[derive(Debug, Deserialize)]
pub struct UnblockForm {
    login: String,
}

pub async fn unblock(
    State(state): State<AppState>,
    user: Signed<rule::Office>,
    CsrfForm { form, .. }: CsrfForm<UnblockForm>,
) -> PageResult {
    let message = match accounts::lift_block(&state, &user.account, &form.login).await {
        Ok(m) | Err(Error::NotFound(m)) => m,
        Err(e) => return Err(e.into()),
    };
    view(&state, &user.viewer, Some(message)).await
}

pub async fn disable(
    State(state): State<AppState>,
    user: Signed<rule::Office>,
    CsrfForm { form, .. }: CsrfForm<DisableForm>,
) -> PageResult {
    let message =
        match accounts::set_disabled(&state, &user.account.actor(), &form.login, form.disabled)
            .await
        {
            Ok(a) if a.disabled => format!("已停用账号 {}（{}）", a.login, a.name),
            Ok(a) => format!("已启用账号 {}（{}）", a.login, a.name),
            Err(Error::NotFound(m) | Error::Conflict(m)) => m,
            Err(e) => return Err(e.into()),
        };
    view(&state, &user.viewer, Some(message)).await
}

pub async fn reset(
    State(state): State<AppState>,
    user: Signed<rule::Office>,
    CsrfForm { form, .. }: CsrfForm<ResetForm>,
) -> PageResult {
    let message =
        match accounts::reset_password(&state, &user.account.actor(), &form.login, &form.password)
            .await
        {
            Ok(a) => format!(
                "已重设账号 {}（{}）的密码，其已登录的会话全部失效",
                a.login, a.name
            ),
            Err(Error::NotFound(m) | Error::BadRequest(m) | Error::Conflict(m)) => m,
            Err(e) => return Err(e.into()),
        };
    view(&state, &user.viewer, Some(message)).await
}
