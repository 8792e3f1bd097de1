//! Responsible units (责任单位) and their aliases.

use axum::extract::State;
use duban_app::{Error, accounts};
use serde::Deserialize;

use super::{PageResult, render};
use crate::access::{CsrfForm, Signed, rule};
use crate::views::{Layout, UnitRow, UnitsPage};
use crate::{AppState, Viewer};

async fn view(state: &AppState, viewer: &Viewer, message: Option<String>) -> PageResult {
    let units = state
        .store
        .units()
        .await?
        .into_iter()
        .map(|u| UnitRow {
            name: u.unit.name,
            kind: u.unit.kind.label_zh().to_owned(),
            aliases: u.unit.aliases.join("、"),
            led: u.tasks_led,
            total: u.tasks_total,
        })
        .collect();
    render(&UnitsPage {
        layout: Layout::new(viewer, "责任单位", "/units"),
        units,
        message,
    })
}

pub async fn page(State(state): State<AppState>, user: Signed<rule::Office>) -> PageResult {
    view(&state, &user.viewer, None).await
}

#[derive(Debug, Deserialize)]
pub struct AliasForm {
    name: String,
    alias: String,
}

pub async fn add_alias(
    State(state): State<AppState>,
    user: Signed<rule::Office>,
    CsrfForm { form, .. }: CsrfForm<AliasForm>,
) -> PageResult {
    let message = match accounts::add_alias(&state, &user.account, &form.name, &form.alias).await {
        Ok(done) => done.message,
        Err(Error::Conflict(m) | Error::NotFound(m) | Error::BadRequest(m)) => m,
        Err(e) => return Err(e.into()),
    };
    view(&state, &user.viewer, Some(message)).await
}
