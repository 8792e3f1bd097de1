//! Everyone's in-app messages (消息): a unit's digest of what is due, a leader's red items, the
//! office's daily summary — kept by every reminder pass.

use axum::extract::State;

use super::{PageResult, render};
use crate::AppState;
use crate::access::{Signed, rule};
use crate::views::{Layout, MessagesPage};

pub async fn page(State(state): State<AppState>, user: Signed<rule::TaskReaders>) -> PageResult {
    let messages = match duban_store::Recipient::of(&user.account) {
        Some(recipient) => state.store.messages(&recipient, 30).await?,
        None => Vec::new(),
    };
    render(&MessagesPage {
        layout: Layout::new(&user.viewer, "消息", "/me/messages"),
        messages,
    })
}
