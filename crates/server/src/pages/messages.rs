//! A unit's in-app reminders (消息): the day's digest of what is due, kept by every pass.

use axum::extract::State;

use super::{PageResult, render};
use crate::AppState;
use crate::access::{Signed, rule};
use crate::views::{Layout, MessagesPage};

pub async fn page(State(state): State<AppState>, user: Signed<rule::Unit>) -> PageResult {
    let messages = match &user.account.unit {
        Some(unit) => state.store.inbox(unit.id, 30).await?,
        None => Vec::new(),
    };
    render(&MessagesPage {
        layout: Layout::new(&user.viewer, "消息", "/me/messages"),
        messages,
    })
}
