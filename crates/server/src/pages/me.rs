//! The signed-in person's own account: changing the password.

use axum::extract::State;
use duban_app::Error;
use duban_app::accounts::{self, PasswordForm};
use duban_core::AccountRole;

use super::{PageResult, render};
use crate::access::{CsrfForm, Signed, rule};
use crate::views::{Layout, PasswordPage};
use crate::{AppState, Viewer};

fn view(viewer: &Viewer, message: Option<String>) -> PageResult {
    render(&PasswordPage {
        layout: Layout::new(viewer, "修改密码", ""),
        head: viewer.role() == AccountRole::Head,
        message,
    })
}

pub async fn page(user: Signed<rule::Anyone>) -> PageResult {
    view(&user.viewer, None)
}

pub async fn change(
    State(state): State<AppState>,
    user: Signed<rule::Anyone>,
    CsrfForm { form, viewer }: CsrfForm<PasswordForm>,
) -> PageResult {
    let done = accounts::change_password(
        &state,
        &user.account,
        &form.old,
        &form.new,
        viewer.token_hash.as_deref(),
    )
    .await;
    // A wrong old password or a short new one is said above the form, which stays.
    let message = match done {
        Ok(()) => "密码已修改".to_owned(),
        Err(Error::Forbidden(m) | Error::BadRequest(m)) => m,
        Err(e) => return Err(e.into()),
    };
    view(&user.viewer, Some(message))
}
