//! The office's page of reminder channels (提醒渠道) and the delivery log.

use axum::extract::State;
use duban_app::reminders::{self, ChannelRequest};
use serde::Deserialize;

use super::{PageResult, render, see_other};
use crate::AppState;
use crate::access::{CsrfForm, Query, Signed, rule};
use crate::views::{Layout, NotifyPage};

#[derive(Debug, Deserialize, Default)]
pub struct NotifyQuery {
    #[serde(default)]
    done: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    user: Signed<rule::Office>,
    Query(q): Query<NotifyQuery>,
) -> PageResult {
    let unit_names = super::unit_names(&state).await?;
    render(&NotifyPage {
        layout: Layout::new(&user.viewer, "提醒渠道", "/notify"),
        message: q.done.map(|_| "已登记渠道".to_owned()),
        channels: state.store.channels().await?,
        deliveries: state.store.deliveries(100).await?,
        unit_names,
        mail_ready: mail_ready(),
    })
}

fn mail_ready() -> bool {
    reminders::RemindSettings::from_env().mail.is_some()
}

pub async fn add(
    State(state): State<AppState>,
    user: Signed<rule::Office>,
    CsrfForm { form, .. }: CsrfForm<ChannelRequest>,
) -> PageResult {
    reminders::add_channel(&state, &user.account.actor(), &form).await?;
    Ok(see_other("/notify?done=added"))
}
