//! Notices (通报): the published list (open to everyone), the office's preview, publishing
//! (which locks the period), unlocking with a reason, and the files.

use axum::extract::State;
use duban_app::notices;
use duban_app::selection::Selection;
use duban_core::AccountRole;
use serde::Deserialize;

use super::{LedgerQuery, PageResult, beijing, render, see_other};
use crate::access::{CsrfForm, Id, Query, Signed, rule};
use crate::views::{Choice, Layout, NoticePreviewPage, NoticesPage};
use crate::{AppState, Viewer, http};

pub async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<LedgerQuery>,
) -> PageResult {
    let is_office = viewer.role() == AccountRole::Office;
    let published = state.store.published_notices().await?;
    let (ledgers, periods, locks) = if is_office {
        let selection = Selection::new(&state, q.ledger.as_deref(), q.period.as_deref()).await?;
        let mut locks = Vec::new();
        for s in &selection.summaries {
            for lock in state.store.period_locks(s.ledger.id.0).await? {
                locks.push((
                    s.ledger.name.clone(),
                    duban_store::PeriodLock {
                        locked_at: beijing(&lock.locked_at),
                        ..lock
                    },
                ));
            }
        }
        (
            Choice::ledgers(&selection),
            Choice::periods(&selection),
            locks,
        )
    } else {
        (Vec::new(), Vec::new(), Vec::new())
    };
    render(&NoticesPage {
        layout: Layout::new(&viewer, "通报", "/notices"),
        published: published
            .into_iter()
            .map(|n| duban_store::PublishedNotice {
                published_at: beijing(&n.published_at),
                ..n
            })
            .collect(),
        ledgers,
        periods,
        locks,
        is_office,
    })
}

pub async fn preview(
    State(state): State<AppState>,
    user: Signed<rule::Office>,
    Query(q): Query<LedgerQuery>,
) -> PageResult {
    let ledger = q.ledger.clone().unwrap_or_default();
    let period = q.period.clone().unwrap_or_default();
    let (_, notice) = notices::build(&state, &ledger, &period).await?;
    render(&NoticePreviewPage {
        layout: Layout::new(&user.viewer, notice.title.clone(), "/notices"),
        ledger,
        period,
        title: notice.title.clone(),
        summary: notice.summary_zh(),
        headers: notice.headers().into_iter().map(str::to_owned).collect(),
        rows: notice.rows.iter().map(|r| notice.row_cells(r)).collect(),
    })
}

#[derive(Debug, Deserialize)]
pub struct PublishForm {
    ledger: String,
    period: String,
}

pub async fn publish(
    State(state): State<AppState>,
    user: Signed<rule::Office>,
    CsrfForm { form, .. }: CsrfForm<PublishForm>,
) -> PageResult {
    notices::publish(&state, &user.account, &form.ledger, &form.period).await?;
    Ok(see_other("/notices"))
}

#[derive(Debug, Deserialize, Default)]
pub struct FormatQuery {
    #[serde(default)]
    pub format: Option<String>,
}

/// A published notice as a file: open to everyone, the public included.
pub async fn download(
    State(state): State<AppState>,
    Id(id): Id,
    Query(q): Query<FormatQuery>,
) -> PageResult {
    http::notice_download(&state, id, q.format.as_deref()).await
}

#[derive(Debug, Deserialize)]
pub struct UnlockForm {
    ledger: String,
    period: String,
    reason: String,
}

pub async fn unlock(
    State(state): State<AppState>,
    user: Signed<rule::Office>,
    CsrfForm { form, .. }: CsrfForm<UnlockForm>,
) -> PageResult {
    notices::unlock(
        &state,
        &user.account,
        &form.ledger,
        &form.period,
        &form.reason,
    )
    .await?;
    Ok(see_other("/notices"))
}
