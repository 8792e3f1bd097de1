//! Notices (通报): the published list (open to everyone), the office's preview, publishing
//! (which locks the period), unlocking with a reason, and the files.

use axum::extract::State;
use duban_app::notices::{self, PublishRequest};
use duban_app::selection::Selection;
use duban_core::AccountRole;
use serde::Deserialize;

use super::{PageResult, beijing, render, see_other};
use crate::access::{CsrfForm, Id, Query, Signed, rule};
use crate::views::{Choice, Layout, NoticeItem, NoticePreviewPage, NoticesPage, StatusCount};
use crate::{AppState, Viewer, http};

/// The notices page's query: the ledger and period to prepare, and the notice just published.
#[derive(Debug, Deserialize, Default)]
pub struct NoticesQuery {
    #[serde(default)]
    ledger: Option<String>,
    #[serde(default)]
    period: Option<String>,
    #[serde(default)]
    published: Option<i64>,
    /// An assessment just published.
    #[serde(default)]
    assessment: Option<i64>,
}

/// How many of the latest notices show their figures as bars.
const CHARTED: usize = 12;

pub async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<NoticesQuery>,
) -> PageResult {
    let is_office = viewer.role() == AccountRole::Office;
    let published = state.store.published_notices().await?;
    let (ledgers, periods, locks) = if is_office {
        let selection = Selection::new(&state, q.ledger.as_deref(), q.period.as_deref()).await?;
        let mut locks = Vec::new();
        let names = duban_app::history::load_names(&state).await?;
        for s in &selection.summaries {
            for lock in state.store.period_locks(s.ledger.id.0).await? {
                locks.push((
                    s.ledger.name.clone(),
                    duban_store::PeriodLock {
                        locked_at: beijing(&lock.locked_at),
                        locked_by: duban_app::history::person(&names, &lock.locked_by),
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
    let message = q.published.and_then(|id| {
        published.iter().find(|n| n.id == id).map(|n| {
            format!(
                "已发布“{}”，{} 的报送已锁定。{}",
                n.title,
                n.period.label_zh(),
                n.summary.clone().unwrap_or_default()
            )
        })
    });
    let assessments: Vec<duban_store::PublishedAssessment> = state
        .store
        .published_assessments()
        .await?
        .into_iter()
        .map(|a| duban_store::PublishedAssessment {
            published_at: beijing(&a.published_at),
            ..a
        })
        .collect();
    let message = message.or_else(|| {
        q.assessment.and_then(|id| {
            assessments
                .iter()
                .find(|a| a.id == id)
                .map(|a| format!("已发布“{}”", a.title))
        })
    });
    // The latest notices carry their figures as a bar; older ones their summary line.
    let mut items = Vec::with_capacity(published.len());
    for (i, n) in published.into_iter().enumerate() {
        let tally = if i < CHARTED {
            let (_, sheet) = state.store.published_notice(n.id).await?;
            Some(duban_notice::Statistics::of(&sheet).overall)
        } else {
            None
        };
        items.push(NoticeItem {
            notice: duban_store::PublishedNotice {
                published_at: beijing(&n.published_at),
                ..n
            },
            tally,
        });
    }
    render(&NoticesPage {
        message,
        layout: Layout::new(&viewer, "通报", "/notices"),
        published: items,
        ledgers,
        periods,
        locks,
        is_office,
        assessments,
    })
}

pub async fn preview(
    State(state): State<AppState>,
    user: Signed<rule::Office>,
    Query(q): Query<PublishRequest>,
) -> PageResult {
    let (_, notice) = notices::build(&state, &q).await?;
    let t = &notice.statistics.overall;
    let mut warnings = Vec::new();
    if t.unreported > 0 {
        warnings.push(format!(
            "{} 项任务（共 {} 项）本期未报送：发布后报送锁定，这些任务在通报中列为“未报送”。",
            t.unreported, t.total
        ));
    }
    if t.pending > 0 {
        warnings.push(format!(
            "{} 项任务已报送但尚未评定：请先在“审核”中采纳或退回。",
            t.pending
        ));
    }
    let count = |code, label, count| StatusCount { code, label, count };
    render(&NoticePreviewPage {
        layout: Layout::new(&user.viewer, notice.title.clone(), "/notices"),
        period_label: notice.period.label_zh(),
        date: notice.date.to_string(),
        only_problems: q.only_problems,
        with_evidence: q.with_evidence,
        title: notice.title.clone(),
        summary: notice.summary_zh(),
        counts: vec![
            count("done", "完成", t.done),
            count("partial", "部分完成", t.partial),
            count("not_done", "未完成", t.not_done),
            count("unreported", "未报送", t.unreported),
            count("pending", "待评定", t.pending),
        ],
        total: t.total,
        warnings,
        query: http::query_string(&[("ledger", &q.ledger), ("period", &q.period)]),
        headers: notice.headers().into_iter().map(str::to_owned).collect(),
        rows: notice.rows.iter().map(|r| notice.row_cells(r)).collect(),
        ledger: q.ledger,
        period: q.period,
    })
}

pub async fn publish(
    State(state): State<AppState>,
    user: Signed<rule::Office>,
    CsrfForm { form, .. }: CsrfForm<PublishRequest>,
) -> PageResult {
    let published = notices::publish(&state, &user.account, &form).await?;
    Ok(see_other(&format!("/notices?published={}", published.id)))
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
